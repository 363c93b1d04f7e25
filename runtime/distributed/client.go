package distributed

import (
	"fmt"
	"gokist/runtime/lazy"
	"gokist/runtime/memlimit"
	"gokist/runtime/numpy"
	"html"
	"math"
	goruntime "runtime"
	"sync"

	"gokist/obj"
)

// Client is the session's executor as a cell sees it (the session service "client"):
// the core's configuration (workers, memory limit, chunk cache, task stream) with what a
// session attaches to it, a dask cluster the computes run on (client_cluster.go) and its
// live dashboard (client_dashboard.go).
type Client struct {
	*lazy.Client
	mu     sync.Mutex      // guards remote
	remote clusterLink     // a dask cluster the computes run on; zero: none
	dash   clientDashboard // its live dashboard
}

// NewClient makes a client with n workers (0: one per usable core) and a memory limit
// in bytes, held within the limits the kernel is given (0: the smallest of them); the
// chunk cache gets an eighth of the memory limit, at most 512 MiB.
func NewClient(nWorkers, threadsPerWorker int, memoryLimit int64) *Client {
	c := &Client{Client: lazy.NewClient(nWorkers, threadsPerWorker, memoryLimit)}
	c.Attach(c)
	return c
}

// defaultSessionClient is used where the environment has no "client" service to hold one.
var defaultSessionClient = sync.OnceValue(func() *Client { return NewClient(0, 0, 0) })

// clientOf returns the session's client, registering a default one when absent.
func ClientOf(env *obj.Env) *Client {
	if env != nil {
		if c, ok := env.Service("client").(*Client); ok {
			return c
		}
		if env.Services != nil {
			c := NewClient(0, 0, 0)
			env.Services["client"] = c
			return c
		}
	}
	return defaultSessionClient()
}

func init() {
	numpy.SessionClient = func(env *obj.Env) *lazy.Client { return ClientOf(env).Client }
}

// TaskStream returns the task stream of the last compute as a displayable value.
func (c *Client) TaskStream() *TaskStream {
	tasks, workers := c.LastTasks()
	return &TaskStream{tasks: tasks, workers: workers, width: 640, height: 240}
}

var ClientType = &obj.Type{
	Name:      "Client",
	Doc:       "The session's executor: how many workers compute chunks in parallel, the memory limit, and the task stream of the last compute.",
	Signature: "Client(address=None, n_workers=None, threads_per_worker=1, memory_limit=None, processes=None, scheduler_file=None, dashboard_address=None)",
}

// Type returns the Client member table.
func (c *Client) Type() *obj.Type { return ClientType }

func initClientType() {
	cl := func(recv any) *Client { return recv.(*Client) }
	ClientType.Members = []*obj.Member{
		obj.Attr("n_workers", "The number of workers.", func(env *obj.Env, recv any) (any, error) { return cl(recv).NWorkers, nil }),
		obj.Attr("threads_per_worker", "Threads per worker.", func(env *obj.Env, recv any) (any, error) { return cl(recv).ThreadsPerWorker, nil }),
		obj.Attr("memory_limit", "The memory limit of each worker in bytes, as dask's memory_limit (the session's total is n_workers times this).", func(env *obj.Env, recv any) (any, error) {
			return int(cl(recv).perWorkerMemory()), nil
		}),

		obj.Attr("task_stream", "The last compute's task stream: a chart of which worker ran which chunk when, with tasks per worker and how busy each was (.tasks gives (worker, chunk, start, end) tuples).", func(env *obj.Env, recv any) (any, error) {
			return cl(recv).TaskStream(), nil
		}),

		dashboardLinkAttr(),
		obj.Method("close", "close()", "Closes the connection to a dask cluster (later computes run in the kernel) and stops the dashboard server, if one runs; the in-kernel workers stay.", nil,
			func(env *obj.Env, recv any, v []any) (any, error) {
				cl(recv).CloseCluster()
				return nil, cl(recv).CloseDashboard()
			}),
	}
}

// perWorkerMemory is the memory limit of one worker: the total shared evenly, as dask
// gives each worker memory_limit.
func (c *Client) perWorkerMemory() int64 { return c.MemoryLimit / int64(max(1, c.NWorkers)) }

// clientParams are the constructor's parameters.
// dask's first positional parameter is a scheduler address; n_workers and the rest are
// keywords there (passed on to its LocalCluster), so they come after it here too.
var clientParams = []obj.Param{{Name: "address", Default: "None"}, {Name: "n_workers", Default: "None"}, {Name: "threads_per_worker", Default: "1"},
	{Name: "memory_limit", Default: "None"}, {Name: "cache_limit", Default: "None"}, {Name: "processes", Default: "None"},
	{Name: "scheduler_file", Default: "None"}, {Name: "dashboard_address", Default: "None"}}

// newClientFunc is the Client(...) constructor: it makes the client and registers it as
// the session's executor.
func NewClientFunc() *obj.Func {
	return &obj.Func{
		Name: "Client", Signature: ClientType.Signature,
		Doc:    ClientType.Doc + " memory_limit is per worker, as in dask (the total is n_workers times it), in bytes, a string such as '4GB', or a fraction of the machine's memory such as 0.5 ('auto' or None: the machine's memory in total; no worker gets more than the machine has); processes is accepted and ignored (the workers are threads of the kernel); cache_limit the budget of the decoded-chunk cache that plots fill, so that drawing the same slice again reads nothing (default an eighth of the total memory, at most 512 MiB; 0 turns it off; at most the total memory limit); compute() streams chunks without caching them. Limits: n_workers × threads_per_worker at most 4 per core (at least 16), memory_limit at least 16 MiB per worker.",
		Params: clientParams,
		Call: func(env *obj.Env, args obj.Args) (any, error) {
			v, err := args.Bind("Client", clientParams)
			if err != nil {
				return nil, err
			}
			if v[0] != nil || v[6] != nil { // a dask cluster: its workers, not the kernel's
				c, err := ConnectClient(v[0], v[6])
				if err != nil {
					return nil, err
				}
				if err := c.setDashboardAddress(v[7]); err != nil {
					return nil, err
				}
				replaceSessionClient(env, c)
				return c, nil
			}
			v = v[1:] // n_workers, threads_per_worker, memory_limit, cache_limit, processes, scheduler_file, dashboard_address
			nw, err := optInt("n_workers", v[0])
			if err != nil {
				return nil, err
			}
			tpw, err := optInt("threads_per_worker", v[1])
			if err != nil {
				return nil, err
			}
			// None keeps the default (one worker per CPU, one thread each); an explicit
			// count must be usable, since a pool of zero workers or threads runs nothing.
			if v[0] != nil && nw <= 0 {
				return nil, obj.Errorf(obj.ValueError, "Client(): n_workers must be a positive int, not %d", nw)
			}
			if v[1] != nil && tpw <= 0 {
				return nil, obj.Errorf(obj.ValueError, "Client(): threads_per_worker must be a positive int, not %d", tpw)
			}
			// Every thread keeps chunks in flight, so memory grows with their number:
			// more threads than a few per core only cost memory.
			limit := maxThreads()
			if nw > limit {
				return nil, obj.Errorf(obj.ValueError, "Client(): n_workers=%d is more than %d, the most this machine allows (%s)", nw, limit, threadCapReason()).
					WithHint("use n_workers=%d or fewer; None gives one worker per core", limit)
			}
			if nw <= 0 {
				nw = memlimit.DefaultWorkers() // NewClient's default
			}
			if tpw > 0 && nw*tpw > limit {
				return nil, obj.Errorf(obj.ValueError, "Client(): n_workers=%d × threads_per_worker=%d = %d threads, more than %d, the most this machine allows (%s)", nw, tpw, nw*tpw, limit, threadCapReason()).
					WithHint("lower threads_per_worker (or n_workers) so that their product is %d or less", limit)
			}
			mem, err := parseBytes("memory_limit", v[2])
			if err != nil {
				return nil, err
			}
			// As dask's parse_memory_limit: a number up to 1 is a fraction of the machine's
			// memory, and no worker gets more than the machine has.
			total := memlimit.TotalMemory()
			if f, ok := fractionOf(v[2]); ok && total > 0 {
				mem = int64(f * float64(total))
			}
			// 0, None and 'auto' give the default; anything else must be a usable size.
			if mem != 0 && mem < memlimit.MinWorkerMemory {
				return nil, obj.Errorf(obj.ValueError, "Client(): memory_limit=%s per worker is below 16 MiB, too little to hold a few chunks",
					bytesArg(v[2], mem)).
					WithHint("give each worker's limit, e.g. memory_limit='2GB' or 0.5 (half the machine's memory), or None for the default (the machine's memory in total)")
			}
			if total > 0 && mem > total {
				mem = total
			}
			// dask's memory_limit is per worker; the client's limit is the session's total.
			c := NewClient(nw, tpw, mem*int64(nw))
			if v[3] != nil {
				cache, err := parseBytes("cache_limit", v[3])
				if err != nil {
					return nil, err
				}
				if cache < 0 || cache > c.MemoryLimit {
					return nil, obj.Errorf(obj.ValueError, "Client(): cache_limit=%s is outside the accepted range 0 (no cache) … %s (the client's total memory limit)",
						bytesArg(v[3], cache), memlimit.HumanBytes(c.MemoryLimit)).
						WithHint("give a size such as cache_limit='256MiB', 0 to turn the cache off, or None for the default")
				}
				c.SetCacheLimit(cache)
			}
			if err := c.setDashboardAddress(v[6]); err != nil {
				return nil, err
			}
			replaceSessionClient(env, c)
			return c, nil
		},
	}
}

// minThreadCap is the fewest total threads Client allows whatever the core count, so that
// a notebook written on a bigger machine (n_workers=4, threads_per_worker=2) still runs.
const minThreadCap = 16

// maxThreads is the most threads (n_workers × threads_per_worker) a Client may have: four
// per core, at least minThreadCap.
func maxThreads() int { return max(4*goruntime.NumCPU(), minThreadCap) }

// threadCapReason explains maxThreads for an error message.
func threadCapReason() string {
	return fmt.Sprintf("4 per core on its %d cores, at least %d: more threads only keep more chunks in memory", goruntime.NumCPU(), minThreadCap)
}

// fractionOf reads a memory_limit in (0, 1] as the fraction of the machine's memory that
// dask takes it for.
func fractionOf(v any) (float64, bool) {
	var f float64
	switch x := v.(type) {
	case int:
		f = float64(x)
	case float64:
		f = x
	default:
		return 0, false
	}
	return f, f > 0 && f <= 1
}

// bytesArg shows a size argument as the user gave it, with its bytes when it was a string.
func bytesArg(v any, n int64) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("'%s' (%d bytes)", s, n)
	}
	return fmt.Sprint(n)
}

func optInt(name string, v any) (int, error) {
	switch x := v.(type) {
	case nil:
		return 0, nil
	case int:
		return x, nil
	}
	return 0, obj.Errorf(obj.TypeError, "Client(): %s must be an int, not %s", name, obj.TypeName(v))
}

// parseBytes reads a memory size: an int of bytes or a string like "4GB", "512 MiB".
func parseBytes(name string, v any) (int64, error) {
	switch x := v.(type) {
	case nil:
		return 0, nil
	case int:
		return int64(x), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) >= 1<<62 {
			return 0, obj.Errorf(obj.ValueError, "Client(): %s=%v is not a usable size", name, x)
		}
		return int64(x), nil
	case string:
		return memlimit.ParseByteString(name, x)
	}
	return 0, obj.Errorf(obj.TypeError, "Client(): %s must be bytes (int) or a string such as '4GB', not %s", name, obj.TypeName(v))
}

// String describes the client as dask's repr does: memory is the total of all workers.
func (c *Client) String() string {
	if conn := c.Cluster(); conn != nil {
		return c.clusterString(conn)
	}
	return fmt.Sprintf("<Client: 'gokist' processes=1 threads=%d, memory=%s>", c.Threads(), memlimit.HumanBytes(c.MemoryLimit))
}

// MimeBundle shows workers, threads and memory.
func (c *Client) MimeBundle() map[string]any {
	if conn := c.Cluster(); conn != nil {
		return map[string]any{"text/plain": c.String(), "text/html": clusterHTML(conn.LastInfo()) + taskStreamHTML(c.TaskStream())}
	}
	limit, _, _ := c.ChunkCache().Usage()
	h := fmt.Sprintf("<div><h3>Client</h3><table><tr><th>Workers</th><td>%d</td></tr><tr><th>Threads per worker</th><td>%d</td></tr>"+
		"<tr><th>Total threads</th><td>%d</td></tr><tr><th>Memory limit per worker</th><td>%s</td></tr><tr><th>Total memory</th><td>%s</td></tr><tr><th>Chunk cache</th><td>%s</td></tr>"+
		"<tr><th>Task stream</th><td>%s</td></tr><tr><th>Dashboard</th><td>%s</td></tr></table></div>",
		c.NWorkers, c.ThreadsPerWorker, c.Threads(), html.EscapeString(memlimit.HumanBytes(c.perWorkerMemory())), html.EscapeString(memlimit.HumanBytes(c.MemoryLimit)), html.EscapeString(memlimit.HumanBytes(limit)), taskStreamHTML(c.TaskStream()), c.dashboardHTML())
	return map[string]any{"text/plain": c.String(), "text/html": h}
}

func init() {
	initClientType()
	initTaskStreamType()
}
