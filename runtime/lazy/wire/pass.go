package wire

import (
	"fmt"
	"slices"
	"sort"
	"sync"

	"gokist/obj"
	"gokist/runtime/lazy"
	"gokist/runtime/sched"
)

// The kernel's side of a compute on a dask cluster: the same blocks as in process,
// described for the workers (wire.go), run by a sched.Remote, and merged here in block
// order, as the in-process path merges them (partialMerger), so that both give the same
// bits.

// Cluster is a lazy.Remote over a sched.Remote: the compute's passes run on the dask
// cluster's workers.
type Cluster struct{ sched.Remote }

// On makes a client's computes run on rem (nil: none, the in-process pool).
func On(rem sched.Remote) lazy.Remote {
	if rem == nil {
		return nil
	}
	return Cluster{rem}
}

// Reduce runs red's chunk step over each block of its input on the cluster and merges
// the partials in block order.
func (c Cluster) Reduce(r *lazy.Run, red *lazy.ReduceNode, blocks []lazy.Block, outShape []int) (*lazy.Accumulator, error) {
	pass, err := EncodePass(red.In, red)
	if err != nil {
		return nil, err
	}
	m := NewPartialMerger(red.Op, outShape)
	err = c.remoteBlocks(r, red.Name(), red.In, pass, blocks, func(i int, res *Result) error {
		if res.Part == nil {
			return fmt.Errorf("no partial")
		}
		b := blocks[i]
		part, err := red.Op.FromParts(*res.Part, lazy.BoxSize(res.OLo, res.OHi))
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
func sameBox(olo, ohi []int, b lazy.Block, axes []int) bool {
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

// Eval computes each block of n on the cluster into the output (out32 when the output
// is float32, out otherwise), as compute does in process.
func (c Cluster) Eval(r *lazy.Run, n lazy.Node, blocks []lazy.Block, out []float64, out32 []float32) error {
	pass, err := EncodePass(n, nil)
	if err != nil {
		return err
	}
	shape := n.Shape()
	return c.remoteBlocks(r, n.Name(), n, pass, blocks, func(i int, res *Result) error {
		b := blocks[i]
		size := lazy.BoxSize(b.Lo, b.Hi)
		switch {
		case res.F32 != nil && len(res.F32) == size && out32 != nil:
			lazy.ScatterBox(res.F32, out32, shape, b.Lo, b.Hi)
		case len(res.F64) == size && out32 != nil:
			lazy.ScatterBox(res.F64, out32, shape, b.Lo, b.Hi)
		case len(res.F64) == size && out != nil:
			lazy.ScatterBox(res.F64, out, shape, b.Lo, b.Hi)
		case size == 0:
		default:
			return fmt.Errorf("%d float32 and %d float64 values for a block of %d", len(res.F32), len(res.F64), size)
		}
		return nil
	})
}

// remoteBlocks runs the blocks on the cluster, as the in-process executor does, the
// pass's progress, task stream and counters kept by a lazy.RemotePass. A task takes
// consecutive blocks up to a chunk's worth (GroupBlocks); use takes each block's result,
// in the order tasks finish; a block's error comes back as the error the in-process run
// raises.
func (c Cluster) remoteBlocks(r *lazy.Run, label string, root lazy.Node, pass []byte, blocks []lazy.Block, use func(i int, res *Result) error) error {
	groups := GroupBlocks(blocks, root.Cuts(), r.Client.Plan.MaxBlockElems)
	tasks, err := encodeTasks(blocks, groups)
	if err != nil {
		return err
	}
	p := r.StartRemotePass(label, len(blocks))
	err = c.RunRemote(r.Ctx, label, pass, tasks, func(g int, out []byte, rec lazy.TaskRecord) error {
		var res Results
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
			p.AddCounts(root, br.Bytes, br.Missing)
			if err := use(groups[g][k], &br); err != nil {
				return obj.Errorf(obj.RuntimeError, "internal error: the dask worker %s sent %s block %d %v", rec.Host, label, groups[g][k], err)
			}
		}
		if len(res.Results) != len(groups[g]) {
			return obj.Errorf(obj.RuntimeError, "internal error: the dask worker %s sent %d results for %d blocks", rec.Host, len(res.Results), len(groups[g]))
		}
		p.TaskDone(rec, g, len(groups[g]))
		return nil
	})
	return p.End(err)
}

// encodeTasks describes each group of blocks as a task.
func encodeTasks(blocks []lazy.Block, groups [][]int) ([][]byte, error) {
	tasks := make([][]byte, len(groups))
	for g, idx := range groups {
		var t Task
		for _, i := range idx {
			t.Blocks = append(t.Blocks, Block{Lo: blocks[i].Lo, Hi: blocks[i].Hi})
		}
		b, err := GobBytes(&t)
		if err != nil {
			return nil, err
		}
		tasks[g] = b
	}
	return tasks, nil
}

// GroupBlocks puts consecutive blocks of the same chunk (between the same cuts: one
// file's rows, which the in-process pool takes as several small tasks) into one task
// of at most limit elements (at least one block each).
func GroupBlocks(blocks []lazy.Block, cuts [][]int, limit int) [][]int {
	var groups [][]int
	size := 0
	var cell []int
	for i, b := range blocks {
		n := lazy.BoxSize(b.Lo, b.Hi)
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
func chunkIndexOf(b lazy.Block, cuts [][]int) []int {
	c := make([]int, len(b.Lo))
	for ax, lo := range b.Lo {
		if ax < len(cuts) {
			c[ax] = sort.SearchInts(cuts[ax], lo+1)
		}
	}
	return c
}

// PartialBox is one block's partial over its output box [lo, hi).
type PartialBox struct {
	acc    *lazy.Accumulator
	lo, hi []int
}

// partialMerger merges per-block partials into the total in block order, whatever order
// they finish in: float sums round the same on every run and on every executor (in
// process or on a cluster). A partial that finishes early waits for those before it;
// tasks start in order, so few wait at once.
type partialMerger struct {
	mu      sync.Mutex
	op      *lazy.ReduceOp
	Total   *lazy.Accumulator
	shape   []int
	next    int
	Pending map[int]PartialBox
}

func NewPartialMerger(op *lazy.ReduceOp, shape []int) *partialMerger {
	return &partialMerger{op: op, Total: lazy.NewAccumulator(op, lazy.Product(shape)), shape: shape, Pending: map[int]PartialBox{}}
}

// Add takes block i's partial and merges every partial now next in order.
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
