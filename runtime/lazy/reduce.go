package lazy

import (
	"fmt"
	"slices"

	"gokist/obj"
)

// reduceNode reduces its input over some axes. It is never evaluated block by block:
// the executor streams its input's blocks into partial accumulators and merges them.
type ReduceNode struct {
	In   Node
	Op   *ReduceOp
	Nan  bool  // the nan form: NaNs are skipped
	Axes []int // reduced input axes, ascending
	All  bool  // axis=None
}

func (n *ReduceNode) Shape() []int {
	var out []int
	for i, s := range n.In.Shape() {
		if !slices.Contains(n.Axes, i) {
			out = append(out, s)
		}
	}
	return out
}

func (n *ReduceNode) DType() DType { return n.Op.result(n.In.DType()) }

func (n *ReduceNode) Name() string {
	if n.Nan {
		return "nan" + n.Op.Name
	}
	return n.Op.Name
}

func (n *ReduceNode) Cuts() [][]int  { return noCuts(len(n.Shape())) }
func (n *ReduceNode) Inputs() []Node { return []Node{n.In} }
func (n *ReduceNode) WithInputs(ins []Node) Node {
	mustInputs(n, ins)
	y := *n
	y.In = ins[0]
	return &y
}

func (n *ReduceNode) Eval(r *Run, lo, hi []int, dst []float64) error {
	return obj.Errorf(obj.RuntimeError, "internal: %s must be computed before it is used", n.Name())
}

// accumulator holds the running state of a reduction for a block of output elements;
// an operation keeps only the arrays its steps use (ReduceOp.state).
type Accumulator struct {
	N   []int64   // values taken in
	S   []float64 // sum, or mean for std/var, or count of true values for any/all
	M2  []float64 // sum of squared deviations from the mean (std/var)
	v   []float64 // min/max so far
	idx []int64   // position of v (argmin/argmax)
}

func NewAccumulator(op *ReduceOp, size int) *Accumulator {
	a := &Accumulator{N: make([]int64, size)}
	if op.state.sum {
		a.S = make([]float64, size)
	}
	if op.state.m2 {
		a.M2 = make([]float64, size)
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
type BlockReducer struct {
	Red     *ReduceNode
	InShape []int
	InSt    []int // strides of the input (for flat argmin positions)
}

// reduceBlock folds the input block [lo, hi) held in buf into a new accumulator over
// the block's output box and returns it with that box. Float32 blocks are reduced with
// float64 accumulators, as float64 blocks are.
func ReduceBlock[T float32 | float64](br *BlockReducer, buf []T, lo, hi []int) (*Accumulator, []int, []int) {
	return reduceBlockInto(br, buf, lo, hi, nil, nil)
}

// reduceBlockInto is reduceBlock that, given into (an accumulator over the whole output
// of outShape), folds the block straight into it instead of into a new accumulator of the
// block's output box. It suits every operation but std and var, whose block pass
// assumes fresh accumulators.
func reduceBlockInto[T float32 | float64](br *BlockReducer, buf []T, lo, hi []int, into *Accumulator, outShape []int) (*Accumulator, []int, []int) {
	red := br.Red
	nd := len(lo)
	reduced := make([]bool, nd)
	for _, ax := range red.Axes {
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
	var acc *Accumulator
	if into == nil {
		acc = NewAccumulator(red.Op, BoxSize(olo, ohi))
		obst := StridesOf(subtract(ohi, olo))
		k := 0
		for i := range nd {
			if !reduced[i] {
				ost[i] = obst[k]
				k++
			}
		}
	} else {
		full := StridesOf(outShape)
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
	if red.Op.Positional {
		if red.All {
			copy(pst, br.InSt)
		} else {
			argAxis = red.Axes[0]
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
		chunkOf[T](red.Op)(acc, buf, []int{1}, []int{0}, []int{0}, 0, red.Nan)
		return acc, olo, ohi
	}
	chunkOf[T](red.Op)(acc, buf, subtract(hi, lo), ost, pst, posBase, red.Nan)
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
	if Product(shape) == 0 {
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
func (a *Accumulator) from(base int) *Accumulator {
	tail := func(x []float64) []float64 {
		if x == nil {
			return nil
		}
		return x[base:]
	}
	v := &Accumulator{N: a.N[base:], S: tail(a.S), M2: tail(a.M2), v: tail(a.v)}
	if a.idx != nil {
		v.idx = a.idx[base:]
	}
	return v
}

// merge folds the partial accumulator part, covering the output box [lo, hi), into the
// total accumulator over the whole output of shape. It goes row by row (the box's last
// axis is contiguous in both), with one tight loop per operation: a reduction that keeps
// the big axes (mean(axis=0) of a cube) merges as many values as it reads.
func (total *Accumulator) Merge(op *ReduceOp, part *Accumulator, shape, lo, hi []int) {
	if len(shape) == 0 {
		op.combine(total, part, 0, 0, 1)
		return
	}
	ps := subtract(hi, lo)
	if Product(ps) == 0 {
		return
	}
	st := StridesOf(shape)
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
func (total *Accumulator) Finish(red *ReduceNode) ([]float64, error) {
	out := make([]float64, len(total.N))
	if !red.Op.Finish(total, out) {
		return nil, obj.Errorf(obj.ValueError, "All-NaN slice encountered").WithHint("%s found only NaN values to choose from", red.Name())
	}
	dt := red.DType()
	for i, v := range out {
		out[i] = RoundTo(dt, v)
	}
	return out, nil
}

// reduceArrayBlock runs the chunk step on block b of the in-memory array a without
// copying it out, when the block is one contiguous run of a's values (as the planner
// cuts an array's leading axes); ok is false otherwise.
func reduceArrayBlock(br *BlockReducer, a *Array, b Block, into *Accumulator, outShape []int) (*Accumulator, []int, []int, bool) {
	start, ok := ContiguousBox(a.Dims, b.Lo, b.Hi)
	if !ok {
		return nil, nil, nil, false
	}
	end := start + BoxSize(b.Lo, b.Hi)
	if a.DT == Float32 {
		part, olo, ohi := reduceBlockInto(br, a.Values32[start:end], b.Lo, b.Hi, into, outShape)
		return part, olo, ohi, true
	}
	part, olo, ohi := reduceBlockInto(br, a.Values[start:end], b.Lo, b.Hi, into, outShape)
	return part, olo, ohi, true
}

// contiguousBox gives the offset of the block [lo, hi) in a row-major array of shape
// when the block's values are one contiguous run: one position along the leading axes,
// a range along one axis, and every later axis whole.
func ContiguousBox(shape, lo, hi []int) (int, bool) {
	st := StridesOf(shape)
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

// AccumulatorParts are an accumulator's slices, as a cluster task sends a partial back.
type AccumulatorParts struct {
	N        []int64
	S, M2, V []float64
	Idx      []int64
}

// Parts gives a's slices.
func (a *Accumulator) Parts() AccumulatorParts {
	return AccumulatorParts{N: a.N, S: a.S, M2: a.M2, V: a.v, Idx: a.idx}
}

// FromParts makes the accumulator of op over size values whose slices are p, checking
// that p holds the parts op's state has, each of that size.
func (op *ReduceOp) FromParts(p AccumulatorParts, size int) (*Accumulator, error) {
	if size == 0 { // gob sends empty slices as nil
		return NewAccumulator(op, 0), nil
	}
	a := &Accumulator{N: p.N, S: p.S, M2: p.M2, v: p.V, idx: p.Idx}
	ok := len(a.N) == size && (a.S != nil) == op.state.sum && (a.M2 != nil) == op.state.m2 &&
		(a.v != nil) == op.state.extreme && (a.idx != nil) == op.state.position
	for _, l := range []int{len(a.S), len(a.M2), len(a.v), len(a.idx)} {
		ok = ok && (l == 0 || l == size)
	}
	if !ok {
		return nil, fmt.Errorf("a %s partial of the wrong size or parts (want %d values)", op.Name, size)
	}
	return a, nil
}
