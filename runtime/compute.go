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
	report  Reporter
	client  *coreClient
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

// reduce streams the blocks of red's input through partial accumulators and merges them.
func (r *run) reduce(red *reduceNode) (*Array, error) {
	outShape := red.shape()
	outSize := product(outShape)
	accs := r.workerAccumulators(red, outSize)
	// The accumulators hold up to four float64/int64 values per output element besides
	// the output itself.
	if err := checkFits(r.client, outShape, red.dtype(), 8+32*float64(max(1, accs))); err != nil {
		return nil, err
	}
	blocks := taskBlocks(red.in, r.client.Plan)
	var total *accumulator
	if rem := r.client.remoteExecutor(); rem != nil {
		var err error
		if total, err = r.reduceOnCluster(rem, red, blocks, outShape); err != nil {
			return nil, err
		}
	} else {
		var err error
		if total, err = r.reduceInProcess(red, blocks, accs, outShape); err != nil {
			return nil, err
		}
	}
	vals, err := total.finish(red)
	if err != nil {
		return nil, err
	}
	return NewArray(vals, outShape, red.dtype()), nil
}

// reduceInProcess runs the chunk steps of red over blocks on the in-process pool: into
// accs per-worker totals, or (accs 0) into a partial per block, merged in block order.
func (r *run) reduceInProcess(red *reduceNode, blocks []block, accs int, outShape []int) (*accumulator, error) {
	outSize := product(outShape)
	totals := make([]*accumulator, accs)
	merger := newPartialMerger(red.op, outShape)
	br := &blockReducer{red: red, inShape: red.in.shape(), inSt: stridesOf(red.in.shape())}
	err := r.forEachBlockAt(red.name(), blocks, func(w, i int, b block) error {
		if accs > 0 { // the chunk step folds the block into the worker's own total
			if totals[w] == nil {
				totals[w] = newAccumulator(red.op, outSize)
			}
			_, _, _, err := r.chunkBlock(br, b, totals[w], outShape)
			return err
		}
		part, olo, ohi, err := r.chunkBlock(br, b, nil, nil)
		if err != nil {
			return err
		}
		merger.add(i, partialBox{part, olo, ohi})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if accs > 0 {
		return combineTotals(red.op, totals, outShape), nil
	}
	return merger.total, nil
}

// workerAccumulators is how many per-worker accumulators a reduction folds its blocks
// into, or 0 for a partial per block merged into one shared total. A large output (a
// reduction that keeps the big axes, such as mean(axis=0) of a cube) is folded per
// worker: a block's partial would be as large as the block itself, allocated, zeroed
// and merged under a lock for every block. Operations that need fresh partials (std,
// var) keep per-block ones, and so does an output whose copies per worker would not
// stay small beside the memory limit (many threads and a big output multiply it).
func (r *run) workerAccumulators(red *reduceNode, outSize int) int {
	if outSize < r.client.Plan.PerWorkerMinOutput || red.op.FreshPartials || r.client.remoteExecutor() != nil {
		return 0 // on a cluster every task sends its own partial back
	}
	accs := r.client.executor().Workers()
	if float64(outSize)*32*float64(accs) > float64(min(perWorkerMaxBytes, r.client.MemoryLimit/8)) {
		return 0
	}
	return accs
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

// combineTotals merges the per-worker totals (nil for a worker that ran no block) with
// the combine step into one.
func combineTotals(op *ReduceOp, totals []*accumulator, outShape []int) *accumulator {
	var total *accumulator
	zero := make([]int, len(outShape))
	for _, t := range totals {
		switch {
		case t == nil:
		case total == nil:
			total = t
		default:
			total.merge(op, t, outShape, zero, outShape)
		}
	}
	if total == nil { // no blocks: an empty input
		total = newAccumulator(op, product(outShape))
	}
	return total
}

// perWorkerMaxBytes bounds the per-worker accumulators of one reduction.
const perWorkerMaxBytes = 512 << 20

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

// Reporter is who hears what a compute says besides its result: the progress of its
// passes (at most every 100 ms, and the last) and warnings for the user, such as files
// missing from the dataset. Either may be nil: nobody hears it.
type Reporter struct {
	Progress func(obj.Progress)
	Warn     func(text string)
}

// newRun starts the state of one compute on client c, stopped by ctx.
func newRun(ctx context.Context, c *coreClient, rep Reporter) *run {
	return &run{ctx: ctx, report: rep, client: c}
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
	r.client.computed(a, n.name())
	return a, nil
}

// readsFiles reports whether a graph reads a dataset's files.
func readsFiles(n node) bool {
	return anyNode(n, func(x node) bool { _, ok := x.(*sourceNode); return ok })
}
