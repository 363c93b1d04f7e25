package distributed

import (
	"fmt"
	"gokist/runtime/memlimit"
	"sync"

	"gokist/obj"
	"gokist/runtime/cluster"
)

// LocalCluster is dask's LocalCluster: a scheduler and worker processes on this machine,
// started from a cell (the one place a cell starts processes, as dask's own does); they
// end with cluster.close() or the kernel. Client(cluster) computes on it.
type LocalCluster struct {
	mu      sync.Mutex
	conn    *cluster.Client // nil once closed
	Address string
}

var localClusterType = &obj.Type{
	Name:      "LocalCluster",
	Doc:       "A dask cluster of worker processes on this machine (dask.distributed.LocalCluster): Client(cluster) runs computes' chunk tasks on its workers.",
	Signature: "LocalCluster(n_workers=None, threads_per_worker=None, processes=True, memory_limit='auto')",
}

// Type returns the LocalCluster member table.
func (lc *LocalCluster) Type() *obj.Type { return localClusterType }

func init() {
	lcOf := func(recv any) *LocalCluster { return recv.(*LocalCluster) }
	localClusterType.Members = []*obj.Member{
		obj.Attr("scheduler_address", "The scheduler's address.", func(env *obj.Env, recv any) (any, error) { return lcOf(recv).Address, nil }),
		obj.Method("close", "close()", "Stops the cluster's scheduler and workers.", nil, func(env *obj.Env, recv any, v []any) (any, error) {
			lcOf(recv).Close()
			return nil, nil
		}),
	}
}

func (lc *LocalCluster) Connection() *cluster.Client {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.conn
}

func (lc *LocalCluster) Close() {
	lc.mu.Lock()
	conn := lc.conn
	lc.conn = nil
	lc.mu.Unlock()
	if conn != nil {
		conn.Close()
	}
}

// String is dask's repr of a LocalCluster.
func (lc *LocalCluster) String() string {
	conn := lc.Connection()
	if conn == nil {
		return fmt.Sprintf("LocalCluster('%s', closed)", lc.Address)
	}
	info := conn.LastInfo()
	return fmt.Sprintf("LocalCluster('%s', workers=%d, threads=%d, memory=%s)", lc.Address, len(info.Workers), info.Threads(), memlimit.HumanBytes(info.Memory()))
}

// MimeBundle shows the cluster's scheduler and workers.
func (lc *LocalCluster) MimeBundle() map[string]any {
	b := map[string]any{"text/plain": lc.String()}
	if conn := lc.Connection(); conn != nil {
		b["text/html"] = clusterHTML(conn.LastInfo())
	}
	return b
}

var localClusterParams = []obj.Param{{Name: "n_workers", Default: "None"}, {Name: "threads_per_worker", Default: "None"},
	{Name: "processes", Default: "True"}, {Name: "memory_limit", Default: "'auto'"}}

// newLocalClusterFunc is the LocalCluster(...) constructor.
func NewLocalClusterFunc() *obj.Func {
	return &obj.Func{
		Name: "LocalCluster", Signature: localClusterType.Signature, Params: localClusterParams,
		Doc: localClusterType.Doc + " It needs python3 with dask.distributed where the kernel runs. n_workers defaults to 2 and threads_per_worker to 1 here (dask's own defaults size the cluster to the machine); processes=False is refused: Client(n_workers=...) is the in-kernel pool.",
		Call: func(env *obj.Env, args obj.Args) (any, error) {
			v, err := args.Bind("LocalCluster", localClusterParams)
			if err != nil {
				return nil, err
			}
			nw, err := optInt("n_workers", v[0])
			if err != nil {
				return nil, err
			}
			tpw, err := optInt("threads_per_worker", v[1])
			if err != nil {
				return nil, err
			}
			if v[0] != nil && nw <= 0 || v[1] != nil && tpw <= 0 || nw > maxThreads() || tpw > maxThreads() {
				return nil, obj.Errorf(obj.ValueError, "LocalCluster(): n_workers and threads_per_worker must be positive ints up to %d, not %v and %v", maxThreads(), v[0], v[1])
			}
			if p, ok := v[2].(bool); v[2] != nil && (!ok || !p) {
				return nil, obj.Errorf(obj.ValueError, "LocalCluster(): only processes=True is supported (worker processes)").
					WithHint("for workers inside the kernel use Client(n_workers=...)")
			}
			mem, err := parseBytes("memory_limit", v[3])
			if err != nil {
				return nil, err
			}
			conn, err := cluster.StartLocal(max(nw, 2*boolInt(nw == 0)), max(tpw, 1), mem, cluster.Options{})
			if err != nil {
				return nil, err
			}
			return &LocalCluster{conn: conn, Address: conn.LastInfo().Scheduler}, nil
		},
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
