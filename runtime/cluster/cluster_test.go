package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gokist/internal/dasktest"
	"gokist/internal/testproc"
	"gokist/obj"
	"gokist/runtime/sched"
)

// TestMain runs the tests, or, when a dask worker runs this binary as the task binary
// the tests shipped, an echo task server (the protocol of runtime.ServeTask after its
// magic frame): each task's answer is the task's bytes, then the pass's, so that a test
// sees which description reached which task.
func TestMain(m *testing.M) {
	if os.Getenv("GOKIST_CLUSTER_TASK") == "1" {
		os.Exit(serveEcho(os.Stdin, os.Stdout))
	}
	os.Exit(testproc.CheckNoLeftovers(m.Run()))
}

// serveEcho serves echo tasks until in ends; a task "fail" exits with status 3, a task
// "sleep…" takes 2 s.
func serveEcho(in io.Reader, out io.Writer) int {
	magic, err := readFrame(in)
	if err != nil || string(magic) != "gokist-serve-tasks-1" {
		fmt.Fprintf(os.Stderr, "echo server: first frame %q (%v), want the serve magic\n", magic, err)
		return 2
	}
	for {
		pass, err := readFrame(in)
		if err != nil {
			return 0
		}
		task, err := readFrame(in)
		if err != nil {
			return 1
		}
		if string(task) == "fail" {
			fmt.Fprintln(os.Stderr, "echo task asked to fail")
			return 3
		}
		if strings.HasPrefix(string(task), "sleep") {
			time.Sleep(2 * time.Second)
		}
		res := append(task, pass...)
		out.Write([]byte{byte(len(res) >> 24), byte(len(res) >> 16), byte(len(res) >> 8), byte(len(res))})
		out.Write(res)
	}
}

func TestRunsTasksOnTheWorkers(t *testing.T) {
	t.Setenv(PythonEnv, dasktest.Python)
	dc := dasktest.Start(t, 2, 3*time.Minute)
	c, err := Connect(dc.Address, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	info := c.LastInfo()
	if info.Scheduler != dc.Address || len(info.Workers) != 2 || info.Threads() != 2 {
		t.Fatalf("info %+v, want scheduler %s with 2 one-thread workers", info, dc.Address)
	}
	pids := map[int]string{}
	for _, w := range dc.Workers {
		pids[w.Proc.Pid()] = w.Address
	}
	tasks := make([][]byte, 8)
	for i := range tasks {
		tasks[i] = []byte(fmt.Sprintf("task%d:", i))
	}
	got := map[int]string{}
	hosts := map[string]bool{}
	err = c.RunRemote(context.Background(), "echo", []byte("PASS"), tasks, func(i int, res []byte, rec sched.TaskRecord) error {
		got[i] = string(res)
		if pids[rec.Pid] != rec.Host {
			t.Errorf("task %d ran on %s pid %d; the workers are %v", i, rec.Host, rec.Pid, pids)
		}
		hosts[rec.Host] = true
		if rec.End < rec.Start || rec.Start < float64(time.Now().Add(-time.Hour).Unix()) {
			t.Errorf("task %d times %v…%v", i, rec.Start, rec.End)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range tasks {
		if want := fmt.Sprintf("task%d:PASS", i); got[i] != want {
			t.Errorf("task %d gave %q, want %q", i, got[i], want)
		}
	}
	if len(hosts) == 0 {
		t.Error("no task reported its worker")
	}
	// A task that fails names the cluster and what the task printed.
	err = c.RunRemote(context.Background(), "echo", nil, [][]byte{[]byte("ok"), []byte("fail")}, func(int, []byte, sched.TaskRecord) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "echo task asked to fail") || !strings.Contains(err.Error(), dc.Address) {
		t.Errorf("failing task: %v", err)
	}
	// Cancelling stops a pass promptly, and the client still works after.
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	slow := make([][]byte, 20)
	for i := range slow {
		slow[i] = []byte("sleep")
	}
	t0 := time.Now()
	err = c.RunRemote(ctx, "slow", nil, slow, func(int, []byte, sched.TaskRecord) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(t0) > 10*time.Second {
		t.Errorf("cancelled pass: %v after %v", err, time.Since(t0))
	}
	err = c.RunRemote(context.Background(), "echo", []byte("!"), [][]byte{[]byte("again")}, func(i int, res []byte, _ sched.TaskRecord) error {
		if string(res) != "again!" {
			t.Errorf("after the cancel: %q", res)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A scheduler file (what dask-jobqueue and `dask scheduler --scheduler-file` write)
	// names the same scheduler.
	file := filepath.Join(t.TempDir(), "scheduler.json")
	if err := os.WriteFile(file, []byte(`{"type": "Scheduler", "address": "`+dc.Address+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	fc, err := Connect("", file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fc.Close()
	if got := fc.LastInfo(); got.Scheduler != dc.Address || len(got.Workers) != 2 {
		t.Errorf("through the scheduler file: %+v", got)
	}
}

func TestConnectErrorNamesTheAddress(t *testing.T) {
	t.Setenv(PythonEnv, dasktest.Python)
	addr := fmt.Sprintf("tcp://127.0.0.1:%d", dasktest.FreePort(t))
	_, err := Connect(addr, "", Options{Timeout: 2 * time.Second})
	e, ok := errors.AsType[*obj.Error](err)
	if !ok || e.Class != "OSError" || !strings.Contains(e.Msg, addr) {
		t.Fatalf("got %v, want an OSError naming %s", err, addr)
	}
}

func TestMissingDistributedIsNamed(t *testing.T) {
	// python3 on PATH here is an interpreter without dask; an empty PYTHONPATH-free
	// interpreter stands in wherever it has it.
	t.Setenv(PythonEnv, dasktest.Python)
	t.Setenv("PYTHONNOUSERSITE", "1")
	t.Setenv("PYTHONPATH", "")
	dir := t.TempDir()
	// A sitecustomize that hides distributed, as on a machine without it.
	if err := os.WriteFile(dir+"/sitecustomize.py", []byte("import sys\nsys.modules['distributed'] = None\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PYTHONPATH", dir)
	_, err := Connect("tcp://127.0.0.1:1", "", Options{Timeout: 2 * time.Second})
	e, ok := errors.AsType[*obj.Error](err)
	if !ok || e.Class != "ModuleNotFoundError" || !strings.Contains(e.Hint, "python3-distributed") {
		t.Fatalf("got %v, want a ModuleNotFoundError saying how to install distributed", err)
	}
}
