package runtime

import (
	"slices"

	"gokist/obj"
)

// reduceNode reduces its input over some axes. It is never evaluated block by block:
// the executor streams its input's blocks into partial accumulators and merges them.
type reduceNode struct {
	in   node
	op   *ReduceOp
	nan  bool  // the nan form: NaNs are skipped
	axes []int // reduced input axes, ascending
	all  bool  // axis=None
}

func (n *reduceNode) shape() []int {
	var out []int
	for i, s := range n.in.shape() {
		if !slices.Contains(n.axes, i) {
			out = append(out, s)
		}
	}
	return out
}

func (n *reduceNode) dtype() DType { return n.op.result(n.in.dtype()) }

func (n *reduceNode) name() string {
	if n.nan {
		return "nan" + n.op.Name
	}
	return n.op.Name
}

func (n *reduceNode) cuts() [][]int  { return noCuts(len(n.shape())) }
func (n *reduceNode) inputs() []node { return []node{n.in} }
func (n *reduceNode) withInputs(ins []node) node {
	mustInputs(n, ins)
	y := *n
	y.in = ins[0]
	return &y
}

func (n *reduceNode) eval(r *run, lo, hi []int, dst []float64) error {
	return obj.Errorf(obj.RuntimeError, "internal: %s must be computed before it is used", n.name())
}

// accumulator holds the running state of a reduction for a block of output elements;
// an operation keeps only the arrays its steps use (ReduceOp.state).
type accumulator struct {
	n   []int64   // values taken in
	s   []float64 // sum, or mean for std/var, or count of true values for any/all
	m2  []float64 // sum of squared deviations from the mean (std/var)
	v   []float64 // min/max so far
	idx []int64   // position of v (argmin/argmax)
}

func newAccumulator(op *ReduceOp, size int) *accumulator {
	a := &accumulator{n: make([]int64, size)}
	if op.state.sum {
		a.s = make([]float64, size)
	}
	if op.state.m2 {
		a.m2 = make([]float64, size)
	}
	if op.state.extreme {
		a.v = make([]float64, size)
		for i := range a.v {
			a.v[i] = op.state.extremeInit
		}
	}
	if op.state.position {
		a.idx = make([]int64, size)
	}
	return a
}

// blockReducer reduces blocks of the reduction's input into accumulators.
type blockReducer struct {
	red     *reduceNode
	inShape []int
	inSt    []int // strides of the input (for flat argmin positions)
}

// reduceBlock folds the input block [lo, hi) held in buf into a new accumulator over
// the block's output box and returns it with that box. Float32 blocks are reduced with
// float64 accumulators, as float64 blocks are.
func reduceBlock[T float32 | float64](br *blockReducer, buf []T, lo, hi []int) (*accumulator, []int, []int) {
	return reduceBlockInto(br, buf, lo, hi, nil, nil)
}

// reduceBlockInto is reduceBlock that, given into (an accumulator over the whole output
// of outShape), folds the block straight into it instead of into a new accumulator of the
// block's output box. It suits every operation but std and var, whose block pass
// assumes fresh accumulators.
func reduceBlockInto[T float32 | float64](br *blockReducer, buf []T, lo, hi []int, into *accumulator, outShape []int) (*accumulator, []int, []int) {
	red := br.red
	nd := len(lo)
	reduced := make([]bool, nd)
	for _, ax := range red.axes {
		reduced[ax] = true
	}
	var olo, ohi []int
	for i := range nd {
		if !reduced[i] {
			olo = append(olo, lo[i])
			ohi = append(ohi, hi[i])
		}
	}
	// Output stride of every input axis within the output box, or within the whole output
	// when folding into it (0 for reduced axes).
	ost := make([]int, nd)
	var acc *accumulator
	if into == nil {
		acc = newAccumulator(red.op, boxSize(olo, ohi))
		obst := stridesOf(subtract(ohi, olo))
		k := 0
		for i := range nd {
			if !reduced[i] {
				ost[i] = obst[k]
				k++
			}
		}
	} else {
		full := stridesOf(outShape)
		base, k := 0, 0
		for i := range nd {
			if !reduced[i] {
				ost[i] = full[k]
				base += lo[i] * full[k]
				k++
			}
		}
		acc = into.from(base)
	}
	if len(buf) == 0 {
		return acc, olo, ohi
	}
	// Position stride of every input axis for arg reductions.
	pst := make([]int, nd)
	argAxis := -1
	if red.op.Positional {
		if red.all {
			copy(pst, br.inSt)
		} else {
			argAxis = red.axes[0]
			pst[argAxis] = 1
		}
	}
	posBase := 0
	for i := range nd {
		if argAxis < 0 || i == argAxis {
			posBase += lo[i] * pst[i]
		}
	}
	if nd == 0 { // a 0-d block is one row of one value
		chunkOf[T](red.op)(acc, buf, []int{1}, []int{0}, []int{0}, 0, red.nan)
		return acc, olo, ohi
	}
	chunkOf[T](red.op)(acc, buf, subtract(hi, lo), ost, pst, posBase, red.nan)
	return acc, olo, ohi
}

// chunkOf is the operation's chunk step for blocks of T.
func chunkOf[T float32 | float64](op *ReduceOp) chunkStep[T] {
	if c, ok := any(op.chunk32).(chunkStep[T]); ok {
		return c
	}
	return any(op.chunk64).(chunkStep[T])
}

// rowLoop visits each row (the last axis) of a block of shape: b is the row's offset in
// the block, o its output offset, os the output stride along the row, p the position
// offset of the row's start and ps the position stride along the row.
func rowLoop(shape, ost, pst []int, fn func(b, o, os, p, ps int)) {
	nd := len(shape)
	if product(shape) == 0 {
		return
	}
	if nd == 0 {
		return
	}
	c := make([]int, nd)
	inner := shape[nd-1]
	b := 0
	for {
		o, p := 0, 0
		for i := 0; i < nd-1; i++ {
			o += c[i] * ost[i]
			p += c[i] * pst[i]
		}
		fn(b, o, ost[nd-1], p, pst[nd-1])
		b += inner
		if !nextRow(c, nil, shape) {
			return
		}
	}
}

// from is a view of the accumulator's elements from index base on (sharing its arrays).
func (a *accumulator) from(base int) *accumulator {
	tail := func(x []float64) []float64 {
		if x == nil {
			return nil
		}
		return x[base:]
	}
	v := &accumulator{n: a.n[base:], s: tail(a.s), m2: tail(a.m2), v: tail(a.v)}
	if a.idx != nil {
		v.idx = a.idx[base:]
	}
	return v
}

// merge folds the partial accumulator part, covering the output box [lo, hi), into the
// total accumulator over the whole output of shape. It goes row by row (the box's last
// axis is contiguous in both), with one tight loop per operation: a reduction that keeps
// the big axes (mean(axis=0) of a cube) merges as many values as it reads.
func (total *accumulator) merge(op *ReduceOp, part *accumulator, shape, lo, hi []int) {
	if len(shape) == 0 {
		op.combine(total, part, 0, 0, 1)
		return
	}
	ps := subtract(hi, lo)
	if product(ps) == 0 {
		return
	}
	st := stridesOf(shape)
	nd := len(shape)
	rowLen := ps[nd-1]
	c := make([]int, nd)
	for k := 0; ; k += rowLen {
		t := 0
		for i := range shape {
			t += (lo[i] + c[i]) * st[i]
		}
		op.combine(total, part, k, t, rowLen)
		if !nextRow(c, nil, ps) {
			return
		}
	}
}

// finish turns the total accumulator into the reduction's values.
func (total *accumulator) finish(red *reduceNode) ([]float64, error) {
	out := make([]float64, len(total.n))
	if !red.op.finish(total, out) {
		return nil, obj.Errorf(obj.ValueError, "All-NaN slice encountered").WithHint("%s found only NaN values to choose from", red.name())
	}
	dt := red.dtype()
	for i, v := range out {
		out[i] = roundTo(dt, v)
	}
	return out, nil
}

// reduceArrayBlock runs the chunk step on block b of the in-memory array a without
// copying it out, when the block is one contiguous run of a's values (as the planner
// cuts an array's leading axes); ok is false otherwise.
func reduceArrayBlock(br *blockReducer, a *Array, b block, into *accumulator, outShape []int) (*accumulator, []int, []int, bool) {
	start, ok := contiguousBox(a.shape, b.lo, b.hi)
	if !ok {
		return nil, nil, nil, false
	}
	end := start + boxSize(b.lo, b.hi)
	if a.dt == Float32 {
		part, olo, ohi := reduceBlockInto(br, a.data32[start:end], b.lo, b.hi, into, outShape)
		return part, olo, ohi, true
	}
	part, olo, ohi := reduceBlockInto(br, a.data[start:end], b.lo, b.hi, into, outShape)
	return part, olo, ohi, true
}

// contiguousBox gives the offset of the block [lo, hi) in a row-major array of shape
// when the block's values are one contiguous run: one position along the leading axes,
// a range along one axis, and every later axis whole.
func contiguousBox(shape, lo, hi []int) (int, bool) {
	st := stridesOf(shape)
	off, partial := 0, false
	for i := range shape {
		switch {
		case partial && (lo[i] != 0 || hi[i] != shape[i]):
			return 0, false
		case hi[i]-lo[i] != 1 && !partial:
			partial = true
		}
		off += lo[i] * st[i]
	}
	return off, true
}
