// Package dasktest starts a real dask.distributed cluster for tests: Debian's
// dask-scheduler and dask-worker processes on 127.0.0.1 (no dashboard, one thread per
// worker, a temporary local directory, explicit free ports), each through testproc so
// that they end with the test.
package dasktest

import (
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"gokist/internal/testproc"
)

// Python is the interpreter with dask.distributed the tests use.
const Python = "/usr/bin/python3"

// Cluster is a running scheduler and its workers.
type Cluster struct {
	Address   string
	Scheduler *testproc.Proc
	Workers   []*Worker
}

// Worker is one dask-worker process (no nanny: the process id is the worker's).
type Worker struct {
	Address string
	Proc    *testproc.Proc
}

// FreePort is a TCP port on 127.0.0.1 nobody listens on now.
func FreePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Start starts a scheduler and n workers and waits until every worker has registered.
// timeout bounds each process's life.
func Start(t testing.TB, n int, timeout time.Duration) *Cluster {
	t.Helper()
	port := FreePort(t)
	c := &Cluster{Address: fmt.Sprintf("tcp://127.0.0.1:%d", port)}
	c.Scheduler = testproc.Start(t, testproc.Cmd{Name: "/usr/bin/dask-scheduler", Timeout: timeout,
		Args: []string{"--host", "127.0.0.1", "--port", fmt.Sprint(port), "--no-dashboard", "--no-show"}})
	waitFor(t, c.Scheduler, "Scheduler at:", 60*time.Second)
	for i := range n {
		c.AddWorker(t, fmt.Sprintf("w%d", i), timeout)
	}
	return c
}

// AddWorker starts one more worker named name and waits for it to register.
func (c *Cluster) AddWorker(t testing.TB, name string, timeout time.Duration) *Worker {
	t.Helper()
	wport := FreePort(t)
	w := &Worker{Address: fmt.Sprintf("tcp://127.0.0.1:%d", wport)}
	w.Proc = testproc.Start(t, testproc.Cmd{Name: "/usr/bin/dask-worker", Timeout: timeout,
		Args: []string{c.Address, "--host", "127.0.0.1", "--worker-port", fmt.Sprint(wport), "--nthreads", "1",
			"--no-nanny", "--no-dashboard", "--name", name, "--local-directory", t.TempDir()}})
	waitFor(t, w.Proc, "Registered to:", 60*time.Second)
	c.Workers = append(c.Workers, w)
	return w
}

// waitFor waits until p has printed want, failing the test with its output otherwise.
func waitFor(t testing.TB, p *testproc.Proc, want string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !strings.Contains(p.Output(), want) {
		select {
		case <-p.Done():
			t.Fatalf("the dask process ended before printing %q:\n%s", want, p.Output())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q from the dask process within %v:\n%s", want, d, p.Output())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// FinishedByPrefix asks the scheduler, through dask's own Client, how many tasks of
// each key prefix (dask's key_split: "gokist-sum" for "gokist-sum-3-12") reached
// memory, ever: the scheduler's own count of what its workers ran.
func (c *Cluster) FinishedByPrefix(t testing.TB) map[string]int {
	t.Helper()
	out := testproc.Run(t, testproc.Cmd{Name: Python, Timeout: time.Minute, Args: []string{"-c", `
import json, sys
from distributed import Client
c = Client(sys.argv[1], timeout=20)
counts = c.run_on_scheduler(lambda dask_scheduler: {p: tp.state_counts.get("memory", 0) for p, tp in dask_scheduler.task_prefixes.items()})
c.close()
print(json.dumps(counts))`, c.Address}})
	var counts map[string]int
	if err := json.Unmarshal(out, &counts); err != nil {
		t.Fatalf("scheduler counts %q: %v", out, err)
	}
	return counts
}
