package runtime

import (
	"slices"
	"sort"
	"sync"

	"gokist/fits"
	"gokist/runtime/sched"
)

// Client configures the executor of a session: how many workers run chunk tasks, the
// memory budget, and the cache of decoded chunks; it keeps the task stream of the last
// compute. It is registered as the session service "client".
type Client struct {
	mu               sync.Mutex
	NWorkers         int
	ThreadsPerWorker int
	MemoryLimit      int64 // bytes
	// Plan says how computes are cut into tasks (NewClient: DefaultPlan).
	Plan PlanConfig
	// OpenImage opens a file's image for a chunk task (nil: fits.OpenImageWith); tests
	// stand in errors a test run as root cannot make (permission denied).
	OpenImage   func(path string, l *fits.ImageLayout) (*fits.Image, error)
	exec        Executor     // nil: the in-process pool of NWorkers × ThreadsPerWorker
	remote      clusterLink  // a dask cluster the computes run on (client_cluster.go); zero: none
	events      TaskListener // nil: none
	cache       *chunkCache
	tasks       []TaskRecord
	taskWorkers int             // workers available to the compute the tasks belong to
	dash        clientDashboard // its live dashboard (client_dashboard.go)
}

// NewClient makes a client with n workers (0: defaultWorkers, one per usable core) and a
// memory limit in bytes, held within the limits the kernel is given (0: the smallest of
// them, see sessionMemoryLimit); the chunk cache
// gets an eighth of the memory limit, at most 512 MiB.
func NewClient(nWorkers, threadsPerWorker int, memoryLimit int64) *Client {
	if nWorkers <= 0 {
		nWorkers = defaultWorkers()
	}
	if threadsPerWorker <= 0 {
		threadsPerWorker = 1
	}
	memoryLimit = sessionMemoryLimit(memoryLimit)
	c := &Client{NWorkers: nWorkers, ThreadsPerWorker: threadsPerWorker, MemoryLimit: memoryLimit, Plan: DefaultPlan}
	c.cache = newChunkCache(min(memoryLimit/8, 512<<20))
	return c
}

// SetCacheLimit sets the budget of the decoded-chunk cache in bytes (0 turns it off).
func (c *Client) SetCacheLimit(bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cache = newChunkCache(bytes)
}

func (c *Client) threads() int { return c.NWorkers * c.ThreadsPerWorker }

// SetExecutor makes computes run their tasks on e (nil: the in-process pool) and tells
// l (nil: nobody) of every finished task.
func (c *Client) SetExecutor(e Executor, l TaskListener) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.exec, c.events = e, l
}

// executor is where computes run their tasks.
func (c *Client) executor() Executor {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.exec != nil {
		return c.exec
	}
	return sched.Local{N: c.threads()}
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

// TaskStream returns the task stream of the last compute as a displayable value.
func (c *Client) TaskStream() *TaskStream {
	c.mu.Lock()
	defer c.mu.Unlock()
	return &TaskStream{tasks: slices.Clone(c.tasks), workers: c.taskWorkers, width: 640, height: 240}
}

// Tasks returns the task stream of the last compute run through this client.
func (c *Client) Tasks() []TaskRecord {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.tasks)
}

func (c *Client) chunkCache() *chunkCache {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cache
}

// defaultClient is used where the environment has no "client" service to hold one.
var defaultClient = sync.OnceValue(func() *Client { return NewClient(0, 0, 0) })

// defaultMemoryLimit is the machine's memory, as dask's Client shares it among its
// workers by default; computes are also held to the memory free when they start
// (checkFits), so the default cannot let one exhaust the machine.
func defaultMemoryLimit() int64 {
	if m := totalMemory(); m > 0 {
		return m
	}
	return 4 << 30
}
