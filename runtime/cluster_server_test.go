package runtime

import (
	"context"
	"fmt"
	"gokist/runtime/distributed"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gokist/internal/dasktest"
	"gokist/obj"
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
func workerPids(c *distributed.Client) []int {
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
	local := distributed.NewClient(2, 1, 0)
	local.Plan.MaxBlockElems = 200
	ctx := context.Background()
	sum := lazy.Lazy{N: ds.Node}.Reduce(lazy.Sum, []int{1, 3}, true)
	want, err := sum.Compute(ctx, local.Client)
	if err != nil {
		t.Fatal(err)
	}
	servers := map[int][]int{} // worker pid → its servers
	for round := range 2 {
		got, err := sum.Compute(ctx, remote.Client)
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
	got, err := sum.Compute(ctx, remote.Client)
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

// waitGone waits up to 30 s for the process pid to end.
func waitGone(t *testing.T, what string, pid int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for processAlive(pid) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if processAlive(pid) {
		t.Errorf("%s (process %d) still runs", what, pid)
	}
}

// A soak of the cluster path from a cell's Client: a Client replaced without close()
// ends its bridge; forty computes of three reductions stay exact while a worker is
// killed and another joins; each worker keeps one task server; Client() back in
// process ends the last bridge.
func TestClusterSoakReplacedClientsAndKilledWorkers(t *testing.T) {
	t.Setenv(cluster.PythonEnv, dasktest.Python)
	ds, _ := clusterDataset(t, map[string]string{})
	dc := dasktest.Start(t, 2, 6*time.Minute)
	env := testEnv()
	newClient := func(args ...any) *distributed.Client {
		t.Helper()
		v, err := distributed.NewClientFunc().Call(env, obj.Args{Pos: args})
		if err != nil {
			t.Fatal(err)
		}
		return v.(*distributed.Client)
	}
	first := newClient(dc.Address)
	bridge := first.Cluster().BridgePid()
	c := newClient(dc.Address)
	t.Cleanup(c.CloseCluster)
	waitGone(t, "the bridge of the Client replaced without close()", bridge)
	if first.Cluster() != nil {
		t.Error("the replaced Client still has its cluster")
	}
	local := distributed.NewClient(2, 1, 0)
	data := lazy.Lazy{N: ds.Node}
	graphs := []lazy.Lazy{
		data.Reduce(lazy.Sum, []int{0, 1, 2, 3}, true),
		data.Reduce(lazy.Mean, []int{0}, true),
		data.Reduce(lazy.Max, []int{1, 3}, true),
	}
	var want []*lazy.Array
	for _, g := range graphs {
		w, err := g.Compute(context.Background(), local.Client)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, w)
	}
	killed := dc.Workers[1].Proc.Pid()
	for i := range 40 {
		switch i {
		case 10:
			dc.Workers[1].Proc.Stop()
		case 20:
			dc.AddWorker(t, "w2", 6*time.Minute)
		}
		g := i % len(graphs)
		got, err := numpy.ComputeNode(env, graphs[g].N)
		if err != nil {
			t.Fatalf("compute %d: %v", i, err)
		}
		sameBits(t, fmt.Sprintf("compute %d on the cluster", i), got, want[g])
	}
	for _, w := range dc.Workers {
		if pid := w.Proc.Pid(); pid != killed {
			if s := taskServersOf(pid); len(s) > 1 {
				t.Errorf("worker %d has task servers %v after the soak, want at most one (one thread)", pid, s)
			}
		}
	}
	bridge = c.Cluster().BridgePid()
	back := newClient()
	waitGone(t, "the bridge of the Client replaced by Client()", bridge)
	got, err := numpy.ComputeNode(env, graphs[0].N)
	if err != nil || distributed.ClientOf(env) != back || len(back.Tasks()) == 0 || back.Tasks()[0].Host != "" {
		t.Fatalf("in process after the soak: %v", err)
	}
	sameBits(t, "in process after the soak", got, want[0])
}
