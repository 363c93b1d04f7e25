package lazy

import (
	"context"
	"errors"
	"gokist/obj"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// run is the state of one compute: its context, the client, counters and buffer pool.
type Run struct {
	Ctx     context.Context
	report  Reporter
	Client  *Client
	Bytes   atomic.Int64 // bytes decoded from files (cache hits excluded)
	missing atomic.Int64 // blocks of missing files filled with NaN
	pool    sync.Pool    // *[]float64 scratch
	pool32  sync.Pool    // *[]float32 scratch
	Cached  bool         // reads go through the client's chunk cache (plots: see computeForPlot)
	start   time.Time    // when the compute began: the task stream's time origin
	taskMu  sync.Mutex
	tasks   []TaskRecord // every chunk task of this compute, over all its passes
}

// record adds a finished task to the compute's task stream.
func (r *Run) record(t TaskRecord) {
	r.taskMu.Lock()
	r.tasks = append(r.tasks, t)
	r.taskMu.Unlock()
}

// buffer gets a scratch slice of n float64 values.
func (r *Run) buffer(n int) []float64 { return scratch[float64](&r.pool, n) }

// release returns a scratch slice to the pool.
func (r *Run) release(b []float64) { unscratch(&r.pool, b) }

// buffer32 gets a scratch slice of n float32 values.
func (r *Run) buffer32(n int) []float32 { return scratch[float32](&r.pool32, n) }

// release32 returns a float32 scratch slice to the pool.
func (r *Run) release32(b []float32) { unscratch(&r.pool32, b) }

// scratch takes a slice of n values from pool, or makes one when the pool has none
// large enough.
func scratch[T float32 | float64](pool *sync.Pool, n int) []T {
	if p, ok := pool.Get().(*[]T); ok && cap(*p) >= n {
		return (*p)[:n]
	}
	return make([]T, n)
}

// unscratch returns a slice to pool; small ones are left to the collector.
func unscratch[T float32 | float64](pool *sync.Pool, b []T) {
	if cap(b) >= 1024 {
		pool.Put(&b)
	}
}

// bufferOf gets a scratch slice of n values of the pipeline's element type.
func bufferOf[T float32 | float64](r *Run, n int) []T {
	var zero T
	if _, ok := any(zero).(float32); ok {
		return any(r.buffer32(n)).([]T)
	}
	return any(r.buffer(n)).([]T)
}

// releaseOf returns a scratch slice from bufferOf.
func releaseOf[T float32 | float64](r *Run, b []T) {
	switch x := any(b).(type) {
	case []float32:
		r.release32(x)
	case []float64:
		r.release(x)
	}
}

// materialize computes every reduction inside the graph (below the root) into an
// in-memory array, so the remaining graph is purely blockwise.
func (r *Run) materialize(n Node) (Node, error) {
	n, err := Rebuild(n, r.materialize)
	if err != nil {
		return nil, err
	}
	if kindOf(n) != barrierKind {
		return n, nil
	}
	a, err := r.reduce(n.(*ReduceNode))
	if err != nil {
		return nil, err
	}
	return &ArrayNode{a}, nil
}

// reduce streams the blocks of red's input through the chunk step and merges them, in
// block order wherever their output boxes meet (fold_order.go), in process as on a
// cluster: the same bits whatever the executor and its number of workers.
func (r *Run) reduce(red *ReduceNode) (*Array, error) {
	outShape := red.Shape()
	// The total holds up to four float64/int64 values per output element besides the
	// output itself.
	if err := CheckFits(r.Client, outShape, red.DType(), 8+32); err != nil {
		return nil, err
	}
	blocks := TaskBlocks(red.In, r.Client.Plan)
	var total *Accumulator
	var err error
	if rem := r.Client.remoteExecutor(); rem != nil {
		total, err = rem.Reduce(r, red, blocks, outShape)
	} else {
		total, err = r.reduceInProcess(red, blocks, outShape)
	}
	if err != nil {
		return nil, err
	}
	vals, err := total.Finish(red)
	if err != nil {
		return nil, err
	}
	return NewArray(vals, outShape, red.DType()), nil
}

// reduceInProcess runs the chunk steps of red over blocks on the in-process pool into one
// total, each block in its turn (foldBlock).
func (r *Run) reduceInProcess(red *ReduceNode, blocks []Block, outShape []int) (*Accumulator, error) {
	total := NewAccumulator(red.Op, Product(outShape))
	order := newFoldOrder(blocks, red.Axes)
	br := &BlockReducer{Red: red, InShape: red.In.Shape(), InSt: StridesOf(red.In.Shape())}
	err := r.forEachBlockAt(red.Name(), blocks, func(_, i int, b Block) error {
		return r.foldBlock(br, order, total, outShape, i, b)
	})
	if err != nil {
		return nil, err
	}
	return total, nil
}

// chunkBlock evaluates the reduction's input over block b and runs the chunk step on
// it: into a new partial over the block's output box, returned with that box, or
// (into non-nil) straight into into, a total over the whole output of outShape.
// Float32 values travel as float32 (half the bytes) and are summed in float64.
func (r *Run) chunkBlock(br *BlockReducer, b Block, into *Accumulator, outShape []int) (*Accumulator, []int, []int, error) {
	in := br.Red.In
	if a, ok := in.(*ArrayNode); ok { // an in-memory input is reduced where it lies
		if part, olo, ohi, ok := reduceArrayBlock(br, a.A, b, into, outShape); ok {
			return part, olo, ohi, nil
		}
	}
	if in32, ok := float32Path(in); ok {
		buf := r.buffer32(BoxSize(b.Lo, b.Hi))
		defer r.release32(buf)
		if err := in32.eval32(r, b.Lo, b.Hi, buf); err != nil {
			return nil, nil, nil, err
		}
		part, olo, ohi := reduceBlockInto(br, buf, b.Lo, b.Hi, into, outShape)
		return part, olo, ohi, nil
	}
	buf := r.buffer(BoxSize(b.Lo, b.Hi))
	defer r.release(buf)
	if err := in.Eval(r, b.Lo, b.Hi, buf); err != nil {
		return nil, nil, nil, err
	}
	part, olo, ohi := reduceBlockInto(br, buf, b.Lo, b.Hi, into, outShape)
	return part, olo, ohi, nil
}

// compute evaluates a graph into an in-memory Array.
func (r *Run) compute(n Node) (*Array, error) {
	n, err := r.materialize(n)
	if err != nil {
		return nil, err
	}
	if red, ok := n.(*ReduceNode); ok {
		return r.reduce(red)
	}
	if a, ok := n.(*ArrayNode); ok {
		return a.A, nil
	}
	shape := n.Shape()
	dt := n.DType()
	if err := CheckFits(r.Client, shape, dt, float64(dt.ItemSize())); err != nil {
		return nil, err
	}
	// The output holds float32 results as float32: half the memory of float64, as numpy.
	var out []float64
	var out32 []float32
	// Garbage of earlier computes is collected first so that the output reuses it.
	if size := Product(shape); dt == Float32 {
		ReclaimBefore(int64(size) * 4)
		out32 = make([]float32, size)
	} else {
		ReclaimBefore(int64(size) * 8)
		out = make([]float64, size)
	}
	blocks := TaskBlocks(n, r.Client.Plan)
	if rem := r.Client.remoteExecutor(); rem != nil {
		if err := rem.Eval(r, n, blocks, out, out32); err != nil {
			return nil, err
		}
		return &Array{Values: out, Values32: out32, Dims: slices.Clone(shape), DT: dt}, nil
	}
	if n32, ok := float32Path(n); ok && out32 != nil {
		// Float32 all the way: each block is computed straight into the output where it
		// is one contiguous run of it, through a float32 scratch block otherwise.
		err = r.forEachBlock(n.Name(), blocks, func(w int, b Block) error {
			if off, ok := contiguousRun(shape, b.Lo, b.Hi); ok {
				return n32.eval32(r, b.Lo, b.Hi, out32[off:off+BoxSize(b.Lo, b.Hi)])
			}
			buf := r.buffer32(BoxSize(b.Lo, b.Hi))
			defer r.release32(buf)
			if err := n32.eval32(r, b.Lo, b.Hi, buf); err != nil {
				return err
			}
			ScatterBox(buf, out32, shape, b.Lo, b.Hi)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return &Array{Values32: out32, Dims: slices.Clone(shape), DT: dt}, nil
	}
	err = r.forEachBlock(n.Name(), blocks, func(w int, b Block) error {
		size := BoxSize(b.Lo, b.Hi)
		buf := r.buffer(size)
		defer r.release(buf)
		if err := n.Eval(r, b.Lo, b.Hi, buf); err != nil {
			return err
		}
		if out32 != nil {
			ScatterBox(buf, out32, shape, b.Lo, b.Hi)
		} else {
			ScatterBox(buf, out, shape, b.Lo, b.Hi)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Array{Values: out, Values32: out32, Dims: slices.Clone(shape), DT: dt}, nil
}

// contiguousRun reports whether the block [lo, hi) of a row-major array of shape is one
// contiguous run of it (extent 1 on leading axes, then one partial axis, then full
// axes), and where it starts.
func contiguousRun(shape, lo, hi []int) (int, bool) {
	nd := len(shape)
	k := 0
	for k < nd && hi[k]-lo[k] == 1 {
		k++
	}
	for i := k + 1; i < nd; i++ {
		if lo[i] != 0 || hi[i] != shape[i] {
			return 0, false
		}
	}
	off := 0
	for i, st := range StridesOf(shape) {
		off += lo[i] * st
	}
	return off, true
}

// ScatterBox copies a row-major block [lo, hi) from buf into the array dst of shape.
func ScatterBox[S, T float32 | float64](buf []S, dst []T, shape, lo, hi []int) {
	ForEachBoxRow(shape, lo, hi, func(off, k, n int) {
		if d, ok := any(dst[off : off+n]).([]S); ok {
			copy(d, buf[k:k+n])
			return
		}
		for j, x := range buf[k : k+n] {
			dst[off+j] = T(x)
		}
	})
}

// Reporter is who hears what a compute says besides its result: the progress of its
// passes (at most every 100 ms, and the last) and warnings for the user, such as files
// missing from the dataset. Either may be nil: nobody hears it.
type Reporter struct {
	Progress func(obj.Progress)
	Warn     func(text string)
}

// newRun starts the state of one compute on client c, stopped by ctx.
func NewRun(ctx context.Context, c *Client, rep Reporter) *Run {
	return &Run{Ctx: ctx, report: rep, Client: c}
}

// computeGCPercent is the collector's GOGC while a compute runs. A compute's live heap
// is its output and a few chunk buffers, mostly pointer-free and cheap to mark, while
// decoding makes short-lived garbage (headers, tile scratch) in proportion to the files
// read; with Go's default 100 that garbage may grow to the size of the live heap before
// a collection, doubling the peak. 25 keeps the peak near the live heap at little CPU.
const ComputeGCPercent = 25

var (
	gcMu      sync.Mutex
	gcRunning int // computes in progress
	gcSaved   int // GOGC before the first of them
)

// tightenGC lowers GOGC to computeGCPercent for the duration of a compute (computes may
// overlap; the setting of the process is restored when the last ends). A lower setting
// the process already has, or a disabled collector, is left alone.
func TightenGC() (restore func()) {
	gcMu.Lock()
	defer gcMu.Unlock()
	if gcRunning == 0 {
		gcSaved = debug.SetGCPercent(ComputeGCPercent)
		if gcSaved < ComputeGCPercent { // lower already, or off (-1)
			debug.SetGCPercent(gcSaved)
		}
	}
	gcRunning++
	return func() {
		gcMu.Lock()
		defer gcMu.Unlock()
		gcRunning--
		if gcRunning == 0 {
			debug.SetGCPercent(gcSaved)
		}
	}
}

func ComputeRun(r *Run, n Node) (_ *Array, err error) {
	defer recoverInternal("compute", &err)
	defer TightenGC()()
	if err := r.Ctx.Err(); err != nil {
		return nil, obj.Errorf(obj.Interrupted, "compute interrupted before it started")
	}
	a, err := r.compute(n)
	if ReadsFiles(n) {
		// Arithmetic on in-memory arrays does not replace the stream of the last compute
		// that read the dataset, which is the one worth looking at.
		r.Client.setTasks(r.tasks, r.Client.taskWorkerCount())
	}
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, obj.Errorf(obj.Interrupted, "compute interrupted")
		}
		return nil, err
	}
	r.Client.computed(a, n.Name())
	return a, nil
}

// readsFiles reports whether a graph reads a dataset's files.
func ReadsFiles(n Node) bool {
	return anyNode(n, func(x Node) bool { _, ok := x.(*SourceNode); return ok })
}
