package cluster

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"gokist/obj"
	"gokist/runtime/sched"
)

// Options say how to reach a cluster.
type Options struct {
	// Binary is the program tasks run on the workers ("": this process's executable).
	Binary string
	// Timeout bounds connecting to the scheduler (0: 10 s) and starting a LocalCluster
	// (0: 60 s).
	Timeout time.Duration
	// ProcessPerTask runs every task in a process of its own rather than in the
	// workers' long-lived task servers: the design before them, kept so that
	// BenchmarkCluster measures what the servers save.
	ProcessPerTask bool
}

// Info describes a cluster as dask's Client repr does.
type Info struct {
	Scheduler string   `json:"scheduler"`
	Workers   []Worker `json:"workers"`
}

// Worker is one dask worker.
type Worker struct {
	Address string `json:"address"`
	Name    string `json:"name"`
	Threads int    `json:"threads"`
	Memory  int64  `json:"memory"`
	Pid     int    `json:"pid"`
}

// Threads is the cluster's total threads.
func (i Info) Threads() int {
	n := 0
	for _, w := range i.Workers {
		n += w.Threads
	}
	return n
}

// Memory is the cluster's total memory limit in bytes.
func (i Info) Memory() int64 {
	var n int64
	for _, w := range i.Workers {
		n += w.Memory
	}
	return n
}

// Client is a connection to a dask cluster through a bridge process; it implements
// sched.Remote.
type Client struct {
	b       *bridge
	address string // as the user gave it, for errors
	mu      sync.Mutex
	info    Info
	index   map[string]int // worker address → its number in the task stream
	nextID  int
	closed  bool
}

var _ sched.Remote = (*Client)(nil)

// Connect connects to the scheduler at address, or (address "") the one a dask
// scheduler file names, and ships the task binary to its workers.
func Connect(address, schedulerFile string, opt Options) (*Client, error) {
	h := header{Op: "connect", Address: address, SchedulerFile: schedulerFile}
	where := address
	if address == "" {
		where = "the scheduler in " + schedulerFile
	}
	return open(h, where, opt, 10*time.Second)
}

// StartLocal starts a dask LocalCluster of worker processes on this machine (its
// scheduler and workers are children of the bridge and end with it) and connects to it.
func StartLocal(nWorkers, threadsPerWorker int, memoryLimit int64, opt Options) (*Client, error) {
	h := header{Op: "local", NWorkers: nWorkers, ThreadsPerWorker: threadsPerWorker, MemoryLimit: memoryLimit}
	return open(h, "a LocalCluster", opt, 60*time.Second)
}

func open(h header, where string, opt Options, timeout time.Duration) (*Client, error) {
	if opt.Timeout > 0 {
		timeout = opt.Timeout
	}
	bin, sha, err := taskBinary(opt.Binary)
	if err != nil {
		return nil, obj.Errorf("OSError", "cannot ship gokist to the dask workers: %v", err)
	}
	h.Binary, h.Sha, h.Timeout, h.ProcessPerTask = bin, sha, timeout.Seconds(), opt.ProcessPerTask
	b, err := startBridge()
	if err != nil {
		return nil, obj.Errorf("OSError", "%v", err).WithHint("the cluster path needs python3 with dask.distributed where the kernel runs (Debian: apt install python3-distributed; pip: pip install distributed); set %s to choose the interpreter", PythonEnv)
	}
	// Shipping the binary to every worker comes on top of connecting.
	m, err := b.request(h, timeout+2*time.Minute)
	if err != nil {
		b.close(20 * time.Second)
		return nil, connectError(where, err)
	}
	c := &Client{b: b, address: where, index: map[string]int{}}
	c.setInfo(*m.h.Info)
	return c, nil
}

// connectError is the error of a cluster that could not be reached or started.
func connectError(where string, err error) error {
	msg := err.Error()
	if be, ok := errors.AsType[*bridgeError](err); ok && be.kind == "import" {
		return obj.Errorf("ModuleNotFoundError", "connecting to %s needs Python's dask.distributed: %s", where, msg).
			WithHint("install it where the kernel runs (Debian: apt install python3-distributed; pip: pip install distributed), or set %s to a python3 that has it; Client() without an address computes in the kernel and needs nothing", PythonEnv)
	}
	return obj.Errorf("OSError", "could not connect to the dask scheduler at %s: %s", where, msg).
		WithHint("check that the scheduler is running and reachable from this machine (dask scheduler prints its address); Client() without an address computes in the kernel")
}

// taskBinary is the binary tasks run and its sha256.
func taskBinary(path string) (string, string, error) {
	if path == "" {
		p, err := os.Executable()
		if err != nil {
			return "", "", err
		}
		path = p
	}
	f, err := os.Open(path)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", "", err
	}
	return path, hex.EncodeToString(h.Sum(nil)), nil
}

func (c *Client) setInfo(i Info) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.info = i
	for _, w := range i.Workers {
		if _, ok := c.index[w.Address]; !ok {
			c.index[w.Address] = len(c.index)
		}
	}
}

// workerIndex numbers a worker for the task stream: in address order as first seen.
func (c *Client) workerIndex(addr string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	i, ok := c.index[addr]
	if !ok {
		i = len(c.index)
		c.index[addr] = i
	}
	return i
}

// Info asks the scheduler for its workers now.
func (c *Client) Info() (Info, error) {
	m, err := c.b.request(header{Op: "info"}, 30*time.Second)
	if err != nil {
		return c.LastInfo(), obj.Errorf("OSError", "the dask scheduler at %s did not answer: %v", c.address, err)
	}
	c.setInfo(*m.h.Info)
	return *m.h.Info, nil
}

// LastInfo is the cluster as last seen.
func (c *Client) LastInfo() Info {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.info
}

// Workers is the cluster's threads as last seen (at least one).
func (c *Client) Workers() int { return max(1, c.LastInfo().Threads()) }

// BridgePid is the process id of the client's bridge process.
func (c *Client) BridgePid() int { return c.b.cmd.Process.Pid }

// Close closes the client; for a LocalCluster, its scheduler and workers end too.
func (c *Client) Close() {
	c.mu.Lock()
	closed := c.closed
	c.closed = true
	c.mu.Unlock()
	if !closed {
		c.b.close(30 * time.Second)
	}
}

var keySafe = regexp.MustCompile(`[^a-z0-9_]+`)

// RunRemote runs a pass's tasks on the cluster, as sched.Remote says. Task records'
// Start and End are seconds since the Unix epoch, as the workers' clocks read them.
func (c *Client) RunRemote(ctx context.Context, what string, shared []byte, tasks [][]byte, done func(i int, result []byte, rec sched.TaskRecord) error) error {
	if len(tasks) == 0 {
		return nil
	}
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.mu.Unlock()
	ch := c.b.subscribe(id, len(tasks)+4)
	defer c.b.unsubscribe(id)
	label := keySafe.ReplaceAllString(strings.ToLower(what), "-")
	if err := c.b.send(header{Op: "run", ID: id, Label: label}, append([][]byte{shared}, tasks...)...); err != nil {
		return c.lost(c.b.goneError(err))
	}
	var firstErr error
	stop := func(err error) {
		if firstErr == nil {
			firstErr = err
			_ = c.b.send(header{Op: "cancel", ID: id})
		}
	}
	for finished := 0; ; {
		select {
		case m := <-ch:
			switch m.h.Op {
			case "result":
				finished++
				if firstErr == nil && len(m.bins) == 1 {
					rec := sched.TaskRecord{Worker: c.workerIndex(m.h.Worker), Host: m.h.Worker, Pid: m.h.Pid, Start: m.h.Start, End: m.h.Stop}
					if err := done(m.h.I, m.bins[0], rec); err != nil {
						stop(err)
					}
				}
			case "failed":
				stop(c.taskError(m.h))
				if m.h.I < 0 { // the scheduler is gone: no end will come
					return firstErr
				}
			case "end":
				if firstErr == nil && finished < len(tasks) {
					firstErr = fmt.Errorf("the dask cluster at %s ended the pass after %d of %d tasks (bridge: %s)", c.address, finished, len(tasks), c.b.stderr.String())
				}
				return firstErr
			}
		case <-ctx.Done():
			stop(ctx.Err())
			c.drain(ch, 5*time.Second)
			return ctx.Err()
		case <-c.b.gone:
			return c.lost(c.b.goneError(nil))
		}
	}
}

// drain waits (at most timeout) for a cancelled run's end, so its tasks are released
// before the next cell's.
func (c *Client) drain(ch chan message, timeout time.Duration) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		select {
		case m := <-ch:
			if m.h.Op == "end" {
				return
			}
		case <-c.b.gone:
			return
		case <-t.C:
			return
		}
	}
}

// taskError is a failed task's error: dask's own (the worker died too often, the
// scheduler went away) named with the cluster's address.
func (c *Client) taskError(h header) error {
	if h.I < 0 {
		return obj.Errorf("OSError", "%s", h.Error).WithHint("restart the scheduler and connect again, or compute in the kernel with Client()")
	}
	return obj.Errorf(obj.RuntimeError, "a task on the dask cluster at %s failed: %s", c.address, h.Error)
}

// lost is the error of a bridge that ended.
func (c *Client) lost(err error) error {
	return obj.Errorf("OSError", "lost the dask cluster at %s: %v", c.address, err).
		WithHint("connect again, or compute in the kernel with Client()")
}
