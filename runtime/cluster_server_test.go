package runtime

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gokist/internal/dasktest"
	"gokist/runtime/cluster"
)

// taskServersOf lists the gokist task servers the process pid has started (children
// running the shipped binary, gokist-<sha256>), by process id.
func taskServersOf(pid int) []int {
	var out []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil || !processAlive(child) {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		s := string(stat)
		fields := strings.Fields(s[strings.LastIndex(s, ")")+1:])
		if len(fields) < 2 || fields[1] != strconv.Itoa(pid) {
			continue
		}
		cmd, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if strings.Contains(filepath.Base(strings.SplitN(string(cmd), "\x00", 2)[0]), "gokist-") {
			out = append(out, child)
		}
	}
	slices.Sort(out)
	return out
}

// workerPids are the worker processes that ran the client's last compute.
func workerPids(c *Client) []int {
	var pids []int
	for _, r := range c.Tasks() {
		if !slices.Contains(pids, r.Pid) {
			pids = append(pids, r.Pid)
		}
	}
	slices.Sort(pids)
	return pids
}

// A dask worker runs its gokist tasks in one long-lived task server per thread: the
// same server process serves every task of two computes; a server killed between
// computes is replaced and the result is still exact; a worker killed outright takes
// its server with it (the server ends when its pipe closes).
func TestClusterTasksRunInLongLivedServers(t *testing.T) {
	t.Setenv(cluster.PythonEnv, dasktest.Python)
	ds, _ := clusterDataset(t, map[string]string{})
	dc := dasktest.Start(t, 2, 4*time.Minute)
	remote := connectTestCluster(t, dc)
	local := NewClient(2, 1, 0)
	local.Plan.MaxBlockElems = 200
	ctx := context.Background()
	sum := Lazy{ds.node}.Reduce(Sum, []int{1, 3}, true)
	want, err := sum.Compute(ctx, local)
	if err != nil {
		t.Fatal(err)
	}
	servers := map[int][]int{} // worker pid → its servers
	for round := range 2 {
		got, err := sum.Compute(ctx, remote)
		if err != nil {
			t.Fatal(err)
		}
		sameBits(t, "sum", got, want)
		tasks := len(remote.Tasks())
		for _, w := range workerPids(remote) {
			s := taskServersOf(w)
			if len(s) != 1 { // --nthreads 1
				t.Errorf("round %d: worker %d has task servers %v after %d tasks, want one", round, w, s, tasks)
			}
			if round == 1 && !slices.Equal(s, servers[w]) {
				t.Errorf("worker %d: task servers %v in the second compute, %v in the first: not kept", w, s, servers[w])
			}
			servers[w] = s
		}
	}
	// A server killed: the worker starts another, the result is the same bits.
	var victim int
	for _, s := range servers {
		if len(s) > 0 {
			victim = s[0]
			break
		}
	}
	if victim == 0 {
		t.Fatal("no task server to kill")
	}
	if err := syscall.Kill(victim, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	got, err := sum.Compute(ctx, remote)
	if err != nil {
		t.Fatalf("after a task server was killed: %v", err)
	}
	sameBits(t, "sum after a task server was killed", got, want)
	// A worker killed outright (not its process group): its server ends too.
	w := dc.Workers[0].Proc.Pid()
	left := taskServersOf(w)
	if len(left) == 0 {
		t.Fatalf("worker %d has no task server", w)
	}
	if err := syscall.Kill(w, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for _, s := range left {
		for processAlive(s) && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if processAlive(s) {
			t.Errorf("task server %d still runs after its worker %d was killed", s, w)
		}
	}
}
