package lazy

import (
	"fmt"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"gokist/obj"
	"gokist/runtime/sched"
)

// The kernel's side of a compute on a dask cluster: the same blocks as in process
// (taskBlocks), described for the workers (cluster_wire.go), run by the client's
// sched.Remote, and merged here in block order, as the in-process path merges them
// (partialMerger), so that both give the same bits.

// reduceOnCluster runs red's chunk step over each block of its input on the cluster and
// merges the partials in block order.
func (r *Run) reduceOnCluster(rem sched.Remote, red *ReduceNode, blocks []Block, outShape []int) (*Accumulator, error) {
	pass, err := EncodePass(red.In, red)
	if err != nil {
		return nil, err
	}
	m := NewPartialMerger(red.Op, outShape)
	err = r.remoteBlocks(rem, red.Name(), red.In, pass, blocks, func(i int, res *WireResult) error {
		if res.Part == nil {
			return fmt.Errorf("no partial")
		}
		b := blocks[i]
		part, err := res.Part.accumulator(red.Op, BoxSize(res.OLo, res.OHi))
		if err != nil || !sameBox(res.OLo, res.OHi, b, red.Axes) {
			return fmt.Errorf("a partial over %v…%v for the block %v…%v (%v)", res.OLo, res.OHi, b.Lo, b.Hi, err)
		}
		m.Add(i, PartialBox{part, res.OLo, res.OHi})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m.Total, nil
}

// sameBox reports whether [olo, ohi) is the output box of the input block b when axes
// are reduced.
func sameBox(olo, ohi []int, b Block, axes []int) bool {
	k := 0
	for i := range b.Lo {
		if contains(axes, i) {
			continue
		}
		if k >= len(olo) || len(olo) != len(ohi) || olo[k] != b.Lo[i] || ohi[k] != b.Hi[i] {
			return false
		}
		k++
	}
	return k == len(olo)
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// evalOnCluster computes each block of n on the cluster into the output (out32 when
// the output is float32, out otherwise), as compute does in process.
func (r *Run) evalOnCluster(rem sched.Remote, n Node, blocks []Block, out []float64, out32 []float32) error {
	pass, err := EncodePass(n, nil)
	if err != nil {
		return err
	}
	shape := n.Shape()
	return r.remoteBlocks(rem, n.Name(), n, pass, blocks, func(i int, res *WireResult) error {
		b := blocks[i]
		size := BoxSize(b.Lo, b.Hi)
		switch {
		case res.F32 != nil && len(res.F32) == size && out32 != nil:
			scatterBox(res.F32, out32, shape, b.Lo, b.Hi)
		case len(res.F64) == size && out32 != nil:
			scatterBox(res.F64, out32, shape, b.Lo, b.Hi)
		case len(res.F64) == size && out != nil:
			scatterBox(res.F64, out, shape, b.Lo, b.Hi)
		case size == 0:
		default:
			return fmt.Errorf("%d float32 and %d float64 values for a block of %d", len(res.F32), len(res.F64), size)
		}
		return nil
	})
}

// remoteBlocks runs the blocks on the cluster, as forEachBlock does in process:
// progress, the task stream (with each task's worker address and process id), the
// listener, Interrupted on a cancelled context. A task takes consecutive blocks up to
// a chunk's worth (groupBlocks); use takes each block's result, in the order tasks
// finish; a block's error comes back as the error the in-process run raises.
func (r *Run) remoteBlocks(rem sched.Remote, label string, root Node, pass []byte, blocks []Block, use func(i int, res *WireResult) error) error {
	start := time.Now()
	if r.start.IsZero() {
		r.start = start
	}
	groups := GroupBlocks(blocks, root.Cuts(), r.Client.Plan.MaxBlockElems)
	tasks := make([][]byte, len(groups))
	for g, idx := range groups {
		var t WireTask
		for _, i := range idx {
			t.Blocks = append(t.Blocks, WireBlock{Lo: blocks[i].Lo, Hi: blocks[i].Hi})
		}
		b, err := GobBytes(&t)
		if err != nil {
			return err
		}
		tasks[g] = b
	}
	var done atomic.Int64
	progress := r.progressReporter(label, len(blocks), start, &done)
	progress(false, false)
	listener := r.Client.listener()
	origin := float64(r.start.UnixNano()) / 1e9
	err := rem.RunRemote(r.Ctx, label, pass, tasks, func(g int, out []byte, rec TaskRecord) error {
		var res WireResults
		if err := DecodeGob(out, &res); err != nil {
			return obj.Errorf(obj.RuntimeError, "internal error: the result of %s task %d from the dask worker %s could not be read: %v", label, g, rec.Host, err)
		}
		for k, br := range res.Results {
			if br.Err != nil {
				return &obj.Error{Class: br.Err.Class, Msg: br.Err.Msg, Hint: br.Err.Hint}
			}
			if k >= len(groups[g]) {
				return obj.Errorf(obj.RuntimeError, "internal error: the dask worker %s sent %d results for %d blocks", rec.Host, len(res.Results), len(groups[g]))
			}
			if err := r.useRemote(root, groups[g][k], &br, use); err != nil {
				return obj.Errorf(obj.RuntimeError, "internal error: the dask worker %s sent %s block %d %v", rec.Host, label, groups[g][k], err)
			}
		}
		if len(res.Results) != len(groups[g]) {
			return obj.Errorf(obj.RuntimeError, "internal error: the dask worker %s sent %d results for %d blocks", rec.Host, len(res.Results), len(groups[g]))
		}
		rec.Label = fmt.Sprintf("%s %d", label, g)
		rec.Start, rec.End = max(0, rec.Start-origin), max(0, rec.End-origin)
		r.record(rec)
		if listener != nil {
			listener.TaskDone(rec)
		}
		done.Add(int64(len(groups[g])))
		progress(false, false)
		return nil
	})
	progress(true, err != nil || r.Ctx.Err() != nil)
	if r.Ctx.Err() != nil {
		return obj.Errorf(obj.Interrupted, "%s interrupted after %d of %d chunks (the dask cluster's remaining tasks were cancelled)", label, done.Load(), len(blocks))
	}
	return err
}

// useRemote adds one block's counters to the compute's and hands its result to use.
func (r *Run) useRemote(root Node, i int, res *WireResult, use func(i int, res *WireResult) error) error {
	r.Bytes.Add(res.Bytes)
	if res.Missing > 0 && r.missing.Add(res.Missing) == res.Missing {
		if g := gridOf(root); g != nil {
			warnMissingOnce(r, g)
		}
	}
	return use(i, res)
}

// groupBlocks puts consecutive blocks of the same chunk (between the same cuts: one
// file's rows, which the in-process pool takes as several small tasks) into one task
// of at most limit elements (at least one block each).
func GroupBlocks(blocks []Block, cuts [][]int, limit int) [][]int {
	var groups [][]int
	size := 0
	var cell []int
	for i, b := range blocks {
		n := BoxSize(b.Lo, b.Hi)
		c := chunkIndexOf(b, cuts)
		if len(groups) == 0 || size+n > limit || !slices.Equal(c, cell) {
			groups = append(groups, nil)
			size, cell = 0, c
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], i)
		size += n
	}
	return groups
}

// chunkIndexOf numbers the chunk a block lies in: per axis, how many cuts are at or before
// its start.
func chunkIndexOf(b Block, cuts [][]int) []int {
	c := make([]int, len(b.Lo))
	for ax, lo := range b.Lo {
		if ax < len(cuts) {
			c[ax] = sort.SearchInts(cuts[ax], lo+1)
		}
	}
	return c
}

// gridOf is the first file grid a graph reads, or nil.
func gridOf(n Node) *FileGrid {
	var g *FileGrid
	anyNode(n, func(x Node) bool {
		if s, ok := x.(*SourceNode); ok {
			g = s.Src
			return true
		}
		return false
	})
	return g
}

// partialBox is one block's partial over its output box [lo, hi).
type PartialBox struct {
	acc    *Accumulator
	lo, hi []int
}

// partialMerger merges per-block partials into the total in block order, whatever order
// they finish in: float sums round the same on every run and on every executor (in
// process or on a cluster). A partial that finishes early waits for those before it;
// tasks start in order, so few wait at once.
type partialMerger struct {
	mu      sync.Mutex
	op      *ReduceOp
	Total   *Accumulator
	shape   []int
	next    int
	Pending map[int]PartialBox
}

func NewPartialMerger(op *ReduceOp, shape []int) *partialMerger {
	return &partialMerger{op: op, Total: NewAccumulator(op, Product(shape)), shape: shape, Pending: map[int]PartialBox{}}
}

// add takes block i's partial and merges every partial now next in order.
func (m *partialMerger) Add(i int, p PartialBox) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Pending[i] = p
	for {
		q, ok := m.Pending[m.next]
		if !ok {
			return
		}
		delete(m.Pending, m.next)
		m.Total.Merge(m.op, q.acc, m.shape, q.lo, q.hi)
		m.next++
	}
}
