package runtime

import (
	"context"
	"errors"
	"fmt"
	"math"
	goruntime "runtime"
	"runtime/debug"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"gokist/runtime/obj"
)

// maxBlockElems bounds the elements of one chunk so that a worker holds at most a few
// chunk-sized buffers (16 MiB of float64 each) whatever the file size.
var maxBlockElems = 1 << 21

// maxTaskElems bounds the scratch elements of one executor task: a chunk is computed in
// pieces of at most this many input elements (rows of a file, for DKIST's row tiles,
// which the reader decodes only where a piece touches them), so that a worker's scratch
// stays a few hundred kilobytes and in the processor's cache however large the chunk.
const maxTaskElems = 1 << 16

// taskBlocks partitions a node's output into executor tasks: its chunks, cut further so
// that no task's input exceeds maxTaskElems (nor maxBlockElems), but never within a row
// (the last axis): a file's compressed tiles are its rows, and a row cut in two would
// be decoded twice.
func taskBlocks(n node) []block {
	shape := n.shape()
	limit := maxTaskElems / inputPerOutput(n)
	if len(shape) > 0 {
		limit = max(limit, shape[len(shape)-1])
	}
	return blocksWithin(shape, n.cuts(), max(1, min(maxBlockElems, limit)))
}

// inputPerOutput is how many input elements a node reads per output element: the product
// of the bin shapes of the rebins in its graph.
func inputPerOutput(n node) int {
	own := 1
	if kindOf(n) == barrierKind {
		return 1 // computed before its consumers run, it reads nothing during their tasks
	}
	if rb, ok := n.(*rebinNode); ok {
		own = product(rb.factors)
	}
	most := 1
	for _, in := range n.inputs() {
		most = max(most, inputPerOutput(in))
	}
	return own * most
}

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

// TaskRecord is one chunk task of the last compute: which worker ran it and when
// (seconds since the compute started).
type TaskRecord struct {
	Worker     int
	Label      string
	Start, End float64
}

// block is one unit of work: a box of a node's output.
type block struct{ lo, hi []int }

// blocksOf partitions shape along cuts, then splits blocks larger than maxBlockElems
// along their first axis longer than one (for a file, its rows).
func blocksOf(shape []int, cuts [][]int) []block {
	return blocksWithin(shape, cuts, maxBlockElems)
}

// blocksWithin is blocksOf with blocks of at most limit elements.
func blocksWithin(shape []int, cuts [][]int, limit int) []block {
	nd := len(shape)
	if nd == 0 {
		return []block{{}}
	}
	if product(shape) == 0 {
		return nil
	}
	bounds := make([][]int, nd)
	for i := range nd {
		b := []int{0}
		if i < len(cuts) {
			for _, c := range cuts[i] {
				if c > b[len(b)-1] && c < shape[i] {
					b = append(b, c)
				}
			}
		}
		bounds[i] = append(b, shape[i])
	}
	var out []block
	c := make([]int, nd)
	for {
		lo := make([]int, nd)
		hi := make([]int, nd)
		for i := range nd {
			lo[i], hi[i] = bounds[i][c[i]], bounds[i][c[i]+1]
		}
		out = append(out, splitBlock(lo, hi, limit)...)
		i := nd - 1
		for ; i >= 0; i-- {
			c[i]++
			if c[i] < len(bounds[i])-1 {
				break
			}
			c[i] = 0
		}
		if i < 0 {
			return out
		}
	}
}

// splitBlock cuts a block into pieces of at most limit elements along the first axis
// that can be split.
func splitBlock(lo, hi []int, limit int) []block {
	size := boxSize(lo, hi)
	if size <= limit {
		return []block{{lo, hi}}
	}
	for ax := range lo {
		ext := hi[ax] - lo[ax]
		if ext <= 1 {
			continue
		}
		per := size / ext // elements per unit of this axis
		rows := max(1, limit/per)
		var out []block
		for s := lo[ax]; s < hi[ax]; s += rows {
			l, h := slices.Clone(lo), slices.Clone(hi)
			l[ax], h[ax] = s, min(s+rows, hi[ax])
			out = append(out, splitBlock(l, h, limit)...)
		}
		return out
	}
	return []block{{lo, hi}}
}

// forEachBlock runs fn over blocks on the client's workers, stopping at the first error
// or when the context is cancelled (then it returns an Interrupted error), reporting
// progress and recording the task stream. It returns only after every worker has
// stopped, so no goroutine outlives the compute.
func (r *run) forEachBlock(label string, blocks []block, fn func(worker int, b block) error) error {
	c := r.client
	workers := max(1, c.threads())
	workers = min(workers, max(1, len(blocks)))
	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	start := time.Now()
	if r.start.IsZero() {
		r.start = start
	}
	var next atomic.Int64
	var done atomic.Int64
	var firstErr error
	var errOnce sync.Once
	var mu sync.Mutex
	var lastReport time.Time
	report := func(finished, stopped bool) {
		if r.env == nil || r.env.Out == nil {
			return
		}
		mu.Lock()
		now := time.Now()
		if !finished && now.Sub(lastReport) < 100*time.Millisecond {
			mu.Unlock()
			return
		}
		lastReport = now
		mu.Unlock()
		r.env.Out.Progress(obj.Progress{Label: label, Done: int(done.Load()), Total: len(blocks),
			Bytes: r.bytes.Load(), Elapsed: now.Sub(start), Finished: finished, Stopped: stopped})
	}
	report(false, false)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					errOnce.Do(func() { firstErr = internalError(label, p) })
					cancel()
				}
			}()
			for {
				if ctx.Err() != nil {
					return
				}
				i := int(next.Add(1) - 1)
				if i >= len(blocks) {
					return
				}
				t0 := time.Since(r.start).Seconds()
				if err := fn(w, blocks[i]); err != nil {
					errOnce.Do(func() { firstErr = err })
					cancel()
					return
				}
				r.record(TaskRecord{Worker: w, Label: fmt.Sprintf("%s %d", label, i), Start: t0, End: time.Since(r.start).Seconds()})
				done.Add(1)
				report(false, false)
			}
		})
	}
	wg.Wait()
	// The last report says whether every chunk was done: a cancelled or failed run
	// ends with Stopped, so a receiver never mistakes it for a completed one.
	report(true, firstErr != nil || r.ctx.Err() != nil)
	if r.ctx.Err() != nil {
		return obj.Errorf(obj.Interrupted, "%s interrupted after %d of %d tasks", label, done.Load(), len(blocks))
	}
	return firstErr
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
	in := red.in
	inShape := in.shape()
	outShape := red.shape()
	// A large output (a reduction that keeps the big axes, such as mean(axis=0) of a
	// cube) is folded into one accumulator per worker: a block's partial would be as large
	// as the block itself, allocated, zeroed and merged under a lock for every block.
	// std and var keep per-block partials (their block pass needs fresh ones).
	outSize := product(outShape)
	perWorker := outSize >= perWorkerMinOutput && !red.op.FreshPartials
	accs := 1
	if perWorker {
		accs = max(1, r.client.threads())
		// A copy of the accumulators per worker must stay small beside the memory limit
		// (many threads and a big output would multiply it); past that, the workers
		// share one accumulator under a lock, slower but within the output's size.
		if float64(outSize)*32*float64(accs) > float64(min(perWorkerMaxBytes, r.client.MemoryLimit/8)) {
			perWorker, accs = false, 1
		}
	}
	// The accumulators hold up to four float64/int64 values per output element besides
	// the output itself.
	if err := checkFits(r.client, outShape, red.dtype(), 8+32*float64(accs)); err != nil {
		return nil, err
	}
	var total *accumulator
	totals := make([]*accumulator, accs)
	if !perWorker {
		total = newAccumulator(red.op, outSize)
	}
	br := &blockReducer{red: red, inShape: inShape, inSt: stridesOf(inShape)}
	blocks := taskBlocks(in)
	var mu sync.Mutex
	in32, is32 := float32Path(in)
	err := r.forEachBlock(red.name(), blocks, func(w int, b block) error {
		var into *accumulator
		if perWorker {
			if totals[w] == nil {
				totals[w] = newAccumulator(red.op, outSize)
			}
			into = totals[w]
		}
		var part *accumulator
		var olo, ohi []int
		if is32 {
			// Float32 values travel as float32 (half the bytes) and are summed in float64.
			buf := r.buffer32(boxSize(b.lo, b.hi))
			defer r.release32(buf)
			if err := in32.eval32(r, b.lo, b.hi, buf); err != nil {
				return err
			}
			part, olo, ohi = reduceBlockInto(br, buf, b.lo, b.hi, into, outShape)
		} else {
			buf := r.buffer(boxSize(b.lo, b.hi))
			defer r.release(buf)
			if err := in.eval(r, b.lo, b.hi, buf); err != nil {
				return err
			}
			part, olo, ohi = reduceBlockInto(br, buf, b.lo, b.hi, into, outShape)
		}
		if !perWorker {
			mu.Lock()
			total.merge(red.op, part, outShape, olo, ohi)
			mu.Unlock()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if perWorker {
		zero := make([]int, len(outShape))
		for _, t := range totals {
			switch {
			case t == nil:
			case total == nil:
				total = t
			default:
				total.merge(red.op, t, outShape, zero, outShape)
			}
		}
		if total == nil { // no blocks: an empty input
			total = newAccumulator(red.op, outSize)
		}
	}
	vals, err := total.finish(red)
	if err != nil {
		return nil, err
	}
	return NewArray(vals, outShape, red.dtype()), nil
}

// perWorkerMinOutput is the output size (elements) from which a reduction folds blocks
// into one accumulator per worker rather than merging a partial per block: about a
// block's worth, where per-block partials start to cost as much as the reading.
var perWorkerMinOutput = 1 << 16 // a variable so that tests can send small outputs this way

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
	blocks := taskBlocks(n)
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

// Client configures the executor of a session: how many workers run chunk tasks, the
// memory budget, and the cache of decoded chunks; it keeps the task stream of the last
// compute. It is registered as the session service "client".
type Client struct {
	mu               sync.Mutex
	NWorkers         int
	ThreadsPerWorker int
	MemoryLimit      int64 // bytes
	cache            *chunkCache
	tasks            []TaskRecord
	taskWorkers      int // workers available to the compute the tasks belong to
}

// NewClient makes a client with n workers (0: one per core) and a memory limit in bytes
// (0: a quarter of the machine's memory as reported by the OS, or 4 GiB); the chunk cache
// gets an eighth of the memory limit, at most 512 MiB.
func NewClient(nWorkers, threadsPerWorker int, memoryLimit int64) *Client {
	if nWorkers <= 0 {
		nWorkers = goruntime.NumCPU()
	}
	if threadsPerWorker <= 0 {
		threadsPerWorker = 1
	}
	if memoryLimit <= 0 {
		memoryLimit = defaultMemoryLimit()
	}
	c := &Client{NWorkers: nWorkers, ThreadsPerWorker: threadsPerWorker, MemoryLimit: memoryLimit}
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

// clientOf returns the session's client, registering a default one when absent.
func clientOf(env *obj.Env) *Client {
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
	return defaultClient()
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
		r.client.setTasks(r.tasks, r.client.threads())
	}
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, obj.Errorf(obj.Interrupted, "compute interrupted")
		}
		return nil, err
	}
	return a, nil
}

// readsFiles reports whether a graph reads a dataset's files.
func readsFiles(n node) bool {
	return anyNode(n, func(x node) bool { _, ok := x.(*sourceNode); return ok })
}

// defaultMemoryLimit is the machine's memory, as dask's Client shares it among its
// workers by default; computes are also held to the memory free when they start
// (checkFits), so the default cannot let one exhaust the machine.
func defaultMemoryLimit() int64 {
	if m := totalMemory(); m > 0 {
		return m
	}
	return 4 << 30
}

// chunkCache is an LRU cache of decoded file regions within a byte budget.
type chunkCache struct {
	mu      sync.Mutex
	limit   int64
	used    int64
	entries map[string]*cacheEntry
	tick    int64
}

// cacheEntry is one decoded region: float32 values for float32 files (exact, half the
// memory), float64 otherwise.
type cacheEntry struct {
	data   []float64
	data32 []float32
	used   int64
}

func (e *cacheEntry) bytes() int64 { return int64(len(e.data))*8 + int64(len(e.data32))*4 }

// copyEntry writes the entry's values into dst.
func copyEntry[T float32 | float64](e *cacheEntry, dst []T) {
	if e.data32 == nil {
		for i, x := range e.data {
			dst[i] = T(x)
		}
		return
	}
	for i, x := range e.data32 {
		dst[i] = T(x)
	}
}

func newChunkCache(limit int64) *chunkCache {
	return &chunkCache{limit: limit, entries: map[string]*cacheEntry{}}
}

func (c *chunkCache) get(key string) (*cacheEntry, bool) {
	if c == nil || c.limit <= 0 {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	c.tick++
	e.used = c.tick
	return e, true
}

// put keeps a copy of the decoded region data, as float32 when f32 (the file's values
// are float32, so the conversion is exact).
func (c *chunkCache) put(key string, data any, f32 bool) {
	if c == nil || c.limit <= 0 {
		return
	}
	e := &cacheEntry{}
	switch d := data.(type) {
	case []float32:
		if f32 {
			e.data32 = slices.Clone(d)
		} else {
			e.data = make([]float64, len(d))
			for i, x := range d {
				e.data[i] = float64(x)
			}
		}
	case []float64:
		if f32 {
			e.data32 = toFloat32(d)
		} else {
			e.data = slices.Clone(d)
		}
	}
	size := e.bytes()
	if size > c.limit/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; ok {
		return
	}
	for c.used+size > c.limit && len(c.entries) > 0 {
		oldKey, oldest := "", int64(math.MaxInt64)
		for k, e := range c.entries {
			if e.used < oldest {
				oldKey, oldest = k, e.used
			}
		}
		c.used -= c.entries[oldKey].bytes()
		delete(c.entries, oldKey)
	}
	c.tick++
	e.used = c.tick
	c.entries[key] = e
	c.used += size
}
