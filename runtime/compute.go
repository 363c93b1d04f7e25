package runtime

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
type run struct {
	ctx     context.Context
	env     *obj.Env
	client  *Client
	bytes   atomic.Int64 // bytes decoded from files (cache hits excluded)
	missing atomic.Int64 // blocks of missing files filled with NaN
	pool    sync.Pool    // *[]float64 scratch
	pool32  sync.Pool    // *[]float32 scratch
	cached  bool         // reads go through the client's chunk cache (plots: see computeForPlot)
	start   time.Time    // when the compute began: the task stream's time origin
	taskMu  sync.Mutex
	tasks   []TaskRecord // every chunk task of this compute, over all its passes
}

// record adds a finished task to the compute's task stream.
func (r *run) record(t TaskRecord) {
	r.taskMu.Lock()
	r.tasks = append(r.tasks, t)
	r.taskMu.Unlock()
}

// buffer gets a scratch slice of n float64 values.
func (r *run) buffer(n int) []float64 { return scratch[float64](&r.pool, n) }

// release returns a scratch slice to the pool.
func (r *run) release(b []float64) { unscratch(&r.pool, b) }

// buffer32 gets a scratch slice of n float32 values.
func (r *run) buffer32(n int) []float32 { return scratch[float32](&r.pool32, n) }

// release32 returns a float32 scratch slice to the pool.
func (r *run) release32(b []float32) { unscratch(&r.pool32, b) }

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
func bufferOf[T float32 | float64](r *run, n int) []T {
	var zero T
	if _, ok := any(zero).(float32); ok {
		return any(r.buffer32(n)).([]T)
	}
	return any(r.buffer(n)).([]T)
}

// releaseOf returns a scratch slice from bufferOf.
func releaseOf[T float32 | float64](r *run, b []T) {
	switch x := any(b).(type) {
	case []float32:
		r.release32(x)
	case []float64:
		r.release(x)
	}
}

// materialize computes every reduction inside the graph (below the root) into an
// in-memory array, so the remaining graph is purely blockwise.
func (r *run) materialize(n node) (node, error) {
	n, err := rebuild(n, r.materialize)
	if err != nil {
		return nil, err
	}
	if kindOf(n) != barrierKind {
		return n, nil
	}
	a, err := r.reduce(n.(*reduceNode))
	if err != nil {
		return nil, err
	}
	return &arrayNode{a}, nil
}

// reduce streams the blocks of red's input through the chunk step and merges them, in
// block order wherever their output boxes meet (fold_order.go), in process as on a
// cluster: the same bits whatever the executor and its number of workers.
func (r *run) reduce(red *reduceNode) (*Array, error) {
	outShape := red.shape()
	// The total holds up to four float64/int64 values per output element besides the
	// output itself.
	if err := checkFits(r.client, outShape, red.dtype(), 8+32); err != nil {
		return nil, err
	}
	blocks := taskBlocks(red.in, r.client.Plan)
	var total *accumulator
	var err error
	if rem := r.client.remoteExecutor(); rem != nil {
		total, err = r.reduceOnCluster(rem, red, blocks, outShape)
	} else {
		total, err = r.reduceInProcess(red, blocks, outShape)
	}
	if err != nil {
		return nil, err
	}
	vals, err := total.finish(red)
	if err != nil {
		return nil, err
	}
	return NewArray(vals, outShape, red.dtype()), nil
}

// reduceInProcess runs the chunk steps of red over blocks on the in-process pool into one
// total, each block in its turn (foldBlock).
func (r *run) reduceInProcess(red *reduceNode, blocks []block, outShape []int) (*accumulator, error) {
	total := newAccumulator(red.op, product(outShape))
	order := newFoldOrder(blocks, red.axes)
	br := &blockReducer{red: red, inShape: red.in.shape(), inSt: stridesOf(red.in.shape())}
	err := r.forEachBlockAt(red.name(), blocks, func(_, i int, b block) error {
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
func (r *run) chunkBlock(br *blockReducer, b block, into *accumulator, outShape []int) (*accumulator, []int, []int, error) {
	in := br.red.in
	if a, ok := in.(*arrayNode); ok { // an in-memory input is reduced where it lies
		if part, olo, ohi, ok := reduceArrayBlock(br, a.a, b, into, outShape); ok {
			return part, olo, ohi, nil
		}
	}
	if in32, ok := float32Path(in); ok {
		buf := r.buffer32(boxSize(b.lo, b.hi))
		defer r.release32(buf)
		if err := in32.eval32(r, b.lo, b.hi, buf); err != nil {
			return nil, nil, nil, err
		}
		part, olo, ohi := reduceBlockInto(br, buf, b.lo, b.hi, into, outShape)
		return part, olo, ohi, nil
	}
	buf := r.buffer(boxSize(b.lo, b.hi))
	defer r.release(buf)
	if err := in.eval(r, b.lo, b.hi, buf); err != nil {
		return nil, nil, nil, err
	}
	part, olo, ohi := reduceBlockInto(br, buf, b.lo, b.hi, into, outShape)
	return part, olo, ohi, nil
}

// compute evaluates a graph into an in-memory Array.
func (r *run) compute(n node) (*Array, error) {
	n, err := r.materialize(n)
	if err != nil {
		return nil, err
	}
	if red, ok := n.(*reduceNode); ok {
		return r.reduce(red)
	}
	if a, ok := n.(*arrayNode); ok {
		return a.a, nil
	}
	shape := n.shape()
	dt := n.dtype()
	if err := checkFits(r.client, shape, dt, float64(dt.itemSize())); err != nil {
		return nil, err
	}
	// The output holds float32 results as float32: half the memory of float64, as numpy.
	var out []float64
	var out32 []float32
	// Garbage of earlier computes is collected first so that the output reuses it.
	if size := product(shape); dt == Float32 {
		reclaimBefore(int64(size) * 4)
		out32 = make([]float32, size)
	} else {
		reclaimBefore(int64(size) * 8)
		out = make([]float64, size)
	}
	blocks := taskBlocks(n, r.client.Plan)
	if rem := r.client.remoteExecutor(); rem != nil {
		if err := r.evalOnCluster(rem, n, blocks, out, out32); err != nil {
			return nil, err
		}
		return &Array{data: out, data32: out32, shape: slices.Clone(shape), dt: dt}, nil
	}
	if n32, ok := float32Path(n); ok && out32 != nil {
		// Float32 all the way: each block is computed straight into the output where it
		// is one contiguous run of it, through a float32 scratch block otherwise.
		err = r.forEachBlock(n.name(), blocks, func(w int, b block) error {
			if off, ok := contiguousRun(shape, b.lo, b.hi); ok {
				return n32.eval32(r, b.lo, b.hi, out32[off:off+boxSize(b.lo, b.hi)])
			}
			buf := r.buffer32(boxSize(b.lo, b.hi))
			defer r.release32(buf)
			if err := n32.eval32(r, b.lo, b.hi, buf); err != nil {
				return err
			}
			scatterBox(buf, out32, shape, b.lo, b.hi)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return &Array{data32: out32, shape: slices.Clone(shape), dt: dt}, nil
	}
	err = r.forEachBlock(n.name(), blocks, func(w int, b block) error {
		size := boxSize(b.lo, b.hi)
		buf := r.buffer(size)
		defer r.release(buf)
		if err := n.eval(r, b.lo, b.hi, buf); err != nil {
			return err
		}
		if out32 != nil {
			scatterBox(buf, out32, shape, b.lo, b.hi)
		} else {
			scatterBox(buf, out, shape, b.lo, b.hi)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Array{data: out, data32: out32, shape: slices.Clone(shape), dt: dt}, nil
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
	for i, st := range stridesOf(shape) {
		off += lo[i] * st
	}
	return off, true
}

// scatterBox copies a row-major block [lo, hi) from buf into the array dst of shape.
func scatterBox[S, T float32 | float64](buf []S, dst []T, shape, lo, hi []int) {
	forEachBoxRow(shape, lo, hi, func(off, k, n int) {
		if d, ok := any(dst[off : off+n]).([]S); ok {
			copy(d, buf[k:k+n])
			return
		}
		for j, x := range buf[k : k+n] {
			dst[off+j] = T(x)
		}
	})
}

// newRun starts the state of one compute in env.
func newRun(env *obj.Env) *run {
	return &run{ctx: env.Context(), env: env, client: clientOf(env)}
}

// computeNode computes a graph in env, turning context errors into Interrupted. It
// streams the chunks it reads through the workers and keeps none of them afterwards.
func computeNode(env *obj.Env, n node) (*Array, error) {
	return computeRun(newRun(env), n)
}

// computeForPlot is computeNode for a plot: the chunks it reads are kept in the client's
// chunk cache (within its budget), so that drawing the same slice again, as one does
// while adjusting a figure, reads nothing from disk. Reductions run by compute() do not
// fill the cache: a pass over a whole dataset would only push the budget into memory.
func computeForPlot(env *obj.Env, n node) (*Array, error) {
	r := newRun(env)
	r.cached = true
	return computeRun(r, n)
}

// computeGCPercent is the collector's GOGC while a compute runs. A compute's live heap
// is its output and a few chunk buffers, mostly pointer-free and cheap to mark, while
// decoding makes short-lived garbage (headers, tile scratch) in proportion to the files
// read; with Go's default 100 that garbage may grow to the size of the live heap before
// a collection, doubling the peak. 25 keeps the peak near the live heap at little CPU.
const computeGCPercent = 25

var (
	gcMu      sync.Mutex
	gcRunning int // computes in progress
	gcSaved   int // GOGC before the first of them
)

// tightenGC lowers GOGC to computeGCPercent for the duration of a compute (computes may
// overlap; the setting of the process is restored when the last ends). A lower setting
// the process already has, or a disabled collector, is left alone.
func tightenGC() (restore func()) {
	gcMu.Lock()
	defer gcMu.Unlock()
	if gcRunning == 0 {
		gcSaved = debug.SetGCPercent(computeGCPercent)
		if gcSaved < computeGCPercent { // lower already, or off (-1)
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

func computeRun(r *run, n node) (_ *Array, err error) {
	defer recoverInternal("compute", &err)
	defer tightenGC()()
	if err := r.ctx.Err(); err != nil {
		return nil, obj.Errorf(obj.Interrupted, "compute interrupted before it started")
	}
	a, err := r.compute(n)
	if readsFiles(n) {
		// Arithmetic on in-memory arrays does not replace the stream of the last compute
		// that read the dataset, which is the one worth looking at.
		r.client.setTasks(r.tasks, r.client.taskWorkerCount())
	}
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, obj.Errorf(obj.Interrupted, "compute interrupted")
		}
		return nil, err
	}
	r.client.dash.arrays.note(a, n.name())
	return a, nil
}

// readsFiles reports whether a graph reads a dataset's files.
func readsFiles(n node) bool {
	return anyNode(n, func(x node) bool { _, ok := x.(*sourceNode); return ok })
}
