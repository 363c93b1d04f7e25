package lazy

import (
	"slices"
	"sort"
	"sync"

	"gokist/fits"
	"gokist/runtime/memlimit"
	"gokist/runtime/sched"
)

// Client configures the executor of a session: how many workers run chunk tasks, the
// memory budget, and the cache of decoded chunks; it keeps the task stream of the last
// compute. What the session attaches beyond the in-process pool (a cluster, a live
// dashboard) it asks of its Attachments.
type Client struct {
	mu               sync.Mutex
	NWorkers         int
	ThreadsPerWorker int
	MemoryLimit      int64 // bytes
	// Machine is where the client's default workers and memory limit were read from
	// and computes are checked against (the zero System: this machine).
	Machine memlimit.System
	// Plan says how computes are cut into tasks (NewClient: DefaultPlan()).
	Plan PlanConfig
	// OpenImage opens a file's image for a chunk task (nil: fits.OpenImageWith); tests
	// stand in errors a test run as root cannot make (permission denied).
	OpenImage   func(path string, l *fits.ImageLayout) (*fits.Image, error)
	exec        Executor     // nil: the in-process pool of NWorkers × ThreadsPerWorker
	events      TaskListener // nil: none
	cache       *chunkCache
	tasks       []TaskRecord
	taskWorkers int         // workers available to the compute the tasks belong to
	attached    Attachments // nil: nothing attached
}

// Attachments are what a session adds to its executor beyond the in-process pool: a
// cluster the passes run on, a monitor watching them live and a record of the arrays
// computes returned. The Python face's Client provides them (client_cluster.go,
// client_dashboard.go, arrays_live.go); the core only asks.
type Attachments interface {
	// RemoteExecutor is the cluster computes run on, or nil: in process.
	RemoteExecutor() Remote
	// Monitor is who watches passes live (a dashboard), or nil.
	Monitor() sched.Monitor
	// Computed hears of an array a compute returned; label names the graph's root.
	Computed(a *Array, label string)
}

// NewClient makes a client on this machine (NewClientOn).
func NewClient(nWorkers, threadsPerWorker int, memoryLimit int64) *Client {
	return NewClientOn(memlimit.System{}, nWorkers, threadsPerWorker, memoryLimit)
}

// NewClientOn makes a client on the machine m with n workers (0: m.Workers(), one per
// usable core) and a memory limit in bytes, held within the limits the kernel is given
// (0: the smallest of them, see memlimit.System.SessionLimit); the chunk cache gets an
// eighth of the memory limit, at most 512 MiB.
func NewClientOn(m memlimit.System, nWorkers, threadsPerWorker int, memoryLimit int64) *Client {
	if nWorkers <= 0 {
		nWorkers = m.Workers()
	}
	if threadsPerWorker <= 0 {
		threadsPerWorker = 1
	}
	memoryLimit = m.SessionLimit(memoryLimit)
	c := &Client{NWorkers: nWorkers, ThreadsPerWorker: threadsPerWorker, MemoryLimit: memoryLimit, Machine: m, Plan: DefaultPlan()}
	c.cache = newChunkCache(min(memoryLimit/8, 512<<20))
	return c
}

// SetCacheLimit sets the budget of the decoded-chunk cache in bytes (0 turns it off).
func (c *Client) SetCacheLimit(bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cache = newChunkCache(bytes)
}

func (c *Client) Threads() int { return c.NWorkers * c.ThreadsPerWorker }

// SetExecutor makes computes run their tasks on e (nil: the in-process pool) and tells
// l (nil: nobody) of every finished task.
func (c *Client) SetExecutor(e Executor, l TaskListener) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.exec, c.events = e, l
}

// executor is where computes run their tasks.
func (c *Client) Executor() Executor {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.exec != nil {
		return c.exec
	}
	return sched.Local{N: c.Threads()}
}

// openImage opens a file's image for a chunk task.
func (c *Client) openImage(path string, l *fits.ImageLayout) (*fits.Image, error) {
	if c.OpenImage != nil {
		return c.OpenImage(path, l)
	}
	return fits.OpenImageWith(path, l)
}

// listener is who hears of finished tasks, or nil.
func (c *Client) listener() TaskListener {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.events
}

// setTasks keeps the task stream of a finished compute that had workers available.
func (c *Client) setTasks(t []TaskRecord, workers int) {
	t = slices.Clone(t)
	sort.Slice(t, func(i, j int) bool { return t[i].Start < t[j].Start })
	c.mu.Lock()
	c.tasks, c.taskWorkers = t, workers
	c.mu.Unlock()
}

// lastTasks returns the task stream of the last compute and the workers it had.
func (c *Client) LastTasks() ([]TaskRecord, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.tasks), c.taskWorkers
}

// attach makes the client ask a of its cluster, monitor and computed arrays.
func (c *Client) Attach(a Attachments) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.attached = a
}

func (c *Client) attachments() Attachments {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.attached
}

// remoteExecutor is the cluster the computes run on, or nil in process.
func (c *Client) remoteExecutor() Remote {
	if a := c.attachments(); a != nil {
		return a.RemoteExecutor()
	}
	return nil
}

// taskWorkerCount is how many tasks ran at once: the cluster's threads or the pool's.
func (c *Client) taskWorkerCount() int {
	if rem := c.remoteExecutor(); rem != nil {
		return rem.Workers()
	}
	return c.Executor().Workers()
}

// monitor is who watches passes live, or nil.
func (c *Client) monitor() sched.Monitor {
	if a := c.attachments(); a != nil {
		return a.Monitor()
	}
	return nil
}

// computed tells the attachments of an array a compute returned.
func (c *Client) computed(a *Array, label string) {
	if at := c.attachments(); at != nil {
		at.Computed(a, label)
	}
}

// Tasks returns the task stream of the last compute run through this client.
func (c *Client) Tasks() []TaskRecord {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.tasks)
}

func (c *Client) ChunkCache() *chunkCache {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cache
}

// defaultClient is used where the environment has no "client" service to hold one.
var defaultClient = sync.OnceValue(func() *Client { return NewClient(0, 0, 0) })
