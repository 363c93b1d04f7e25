package runtime

import (
	"math"
	"slices"

	"gokist/runtime/obj"
)

// reductions lists the reduction methods arrays have; each also has a nan form.
var reductions = []string{"sum", "mean", "min", "max", "std", "var", "argmin", "argmax"}

// logicalReductions are any() and all(), which have no nan form (NaN is true).
var logicalReductions = []string{"any", "all"}

// reduceNode reduces its input over some axes. It is never evaluated block by block:
// the executor streams its input's blocks into partial accumulators and merges them.
type reduceNode struct {
	in   node
	op   string // one of reductions or logicalReductions
	nan  bool   // the nan form: NaNs are skipped
	axes []int  // reduced input axes, ascending
	all  bool   // axis=None
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

func (n *reduceNode) dtype() DType {
	in := n.in.dtype()
	switch n.op {
	case "argmin", "argmax":
		return Int64
	case "any", "all":
		return Bool
	case "min", "max":
		return in
	case "sum":
		if in == Bool || in == Int64 {
			return Int64
		}
	}
	// numpy keeps float32 for float32 input (we accumulate in float64, then round).
	if in == Float32 {
		return Float32
	}
	return Float64
}

func (n *reduceNode) name() string {
	if n.nan {
		return "nan" + n.op
	}
	return n.op
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

// normalizeAxes turns an axis argument (None, int, or tuple of ints; negative counts
// from the end) into sorted distinct axes of an ndim-dimensional array.
func normalizeAxes(fn string, axis any, ndim int) (axes []int, all bool, err error) {
	var items []any
	switch a := axis.(type) {
	case nil:
		out := make([]int, ndim)
		for i := range out {
			out[i] = i
		}
		return out, true, nil
	case int:
		items = []any{a}
	case obj.Tuple:
		items = a
	case obj.List:
		items = a
	default:
		return nil, false, obj.Errorf(obj.TypeError, "%s(): axis must be None, an int or a tuple of ints, not %s", fn, obj.TypeName(axis))
	}
	for _, it := range items {
		k, ok := it.(int)
		if !ok {
			return nil, false, obj.Errorf(obj.TypeError, "%s(): axis entries must be ints, not %s", fn, obj.TypeName(it))
		}
		ax := k
		if ax < 0 {
			ax += ndim
		}
		if ax < 0 || ax >= ndim {
			return nil, false, obj.Errorf(obj.ValueError, "%s(): axis %d is out of bounds for array of dimension %d", fn, k, ndim)
		}
		if slices.Contains(axes, ax) {
			return nil, false, obj.Errorf(obj.ValueError, "%s(): duplicate value in 'axis': %d", fn, k)
		}
		axes = append(axes, ax)
	}
	slices.Sort(axes)
	return axes, len(axes) == ndim, nil
}

// newReduce builds a reduction node after checking its arguments as numpy does.
func newReduce(in node, method string, axis any) (*reduceNode, error) {
	op, nan := method, false
	if len(op) > 3 && op[:3] == "nan" {
		op, nan = op[3:], true
	}
	axes, all, err := normalizeAxes(method, axis, len(in.shape()))
	if err != nil {
		return nil, err
	}
	if op == "argmin" || op == "argmax" {
		if _, isTuple := axis.(obj.Tuple); isTuple {
			return nil, obj.Errorf(obj.TypeError, "%s(): axis must be None or an int, not a tuple", method)
		}
		all = axis == nil
	}
	if (op == "min" || op == "max" || op == "argmin" || op == "argmax") && !nan {
		for _, ax := range axes {
			if in.shape()[ax] == 0 {
				return nil, obj.Errorf(obj.ValueError, "zero-size array to reduction operation %s which has no identity", method)
			}
		}
	}
	return &reduceNode{in: in, op: op, nan: nan, axes: axes, all: all}, nil
}

// accumulator holds the running state of a reduction for a block of output elements.
type accumulator struct {
	n   []int64   // values taken in
	s   []float64 // sum, or mean for std/var
	m2  []float64 // sum of squared deviations from the mean (std/var)
	v   []float64 // min/max so far
	idx []int64   // position of v (argmin/argmax)
}

func newAccumulator(op string, size int) *accumulator {
	a := &accumulator{n: make([]int64, size)}
	switch op {
	case "sum", "mean", "any", "all":
		a.s = make([]float64, size) // for any/all: how many values are true
	case "std", "var":
		a.s = make([]float64, size)
		a.m2 = make([]float64, size)
	default:
		a.v = make([]float64, size)
		init := math.Inf(1)
		if op == "max" || op == "argmax" {
			init = math.Inf(-1)
		}
		for i := range a.v {
			a.v[i] = init
		}
		if op == "argmin" || op == "argmax" {
			a.idx = make([]int64, size)
		}
	}
	return a
}

// better reports whether value x at position ix beats the current y at iy for
// min (wantMax=false) or max: NaN beats everything (numpy propagates the first NaN),
// ties go to the earlier position.
func better(x float64, ix int64, y float64, iy int64, n int64, wantMax bool) bool {
	if n == 0 {
		return true
	}
	xn, yn := x != x, y != y
	if yn {
		return xn && ix < iy
	}
	if xn {
		return true
	}
	if x == y {
		return ix < iy
	}
	if wantMax {
		return x > y
	}
	return x < y
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
	if red.op == "argmin" || red.op == "argmax" {
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
	shape := subtract(hi, lo)
	skipNaN := red.nan
	switch red.op {
	case "sum", "mean":
		s, n := acc.s, acc.n
		rowLoop(shape, ost, pst, func(b, o, os, _, _ int) {
			row := buf[b : b+shape[nd-1]]
			if os == 0 {
				var t float64
				c := int64(0)
				for _, xv := range row {
					x := float64(xv)
					if skipNaN && x != x {
						continue
					}
					t += x
					c++
				}
				s[o] += t
				n[o] += c
				return
			}
			for j, xv := range row {
				x := float64(xv)
				if skipNaN && x != x {
					continue
				}
				s[o+j*os] += x
				n[o+j*os]++
			}
		})
	case "any", "all":
		s, n := acc.s, acc.n
		rowLoop(shape, ost, pst, func(b, o, os, _, _ int) {
			for j, xv := range buf[b : b+shape[nd-1]] {
				if xv != 0 { // NaN is true, as in numpy
					s[o+j*os]++
				}
				n[o+j*os]++
			}
		})
	case "std", "var":
		s, n, m2 := acc.s, acc.n, acc.m2
		rowLoop(shape, ost, pst, func(b, o, os, _, _ int) {
			for j, xv := range buf[b : b+shape[nd-1]] {
				x := float64(xv)
				if skipNaN && x != x {
					continue
				}
				s[o+j*os] += x
				n[o+j*os]++
			}
		})
		for i := range s {
			if n[i] > 0 {
				s[i] /= float64(n[i])
			}
		}
		rowLoop(shape, ost, pst, func(b, o, os, _, _ int) {
			for j, xv := range buf[b : b+shape[nd-1]] {
				x := float64(xv)
				if skipNaN && x != x {
					continue
				}
				d := x - s[o+j*os]
				m2[o+j*os] += d * d
			}
		})
	case "min", "max":
		v, n := acc.v, acc.n
		wantMax := red.op == "max"
		rowLoop(shape, ost, pst, func(b, o, os, _, _ int) {
			for j, xv := range buf[b : b+shape[nd-1]] {
				x := float64(xv)
				if x != x {
					if skipNaN {
						continue
					}
					v[o+j*os] = x
					n[o+j*os]++
					continue
				}
				cur := v[o+j*os]
				if cur == cur && (wantMax && x > cur || !wantMax && x < cur) {
					v[o+j*os] = x
				}
				n[o+j*os]++
			}
		})
	case "argmin", "argmax":
		v, n, idx := acc.v, acc.n, acc.idx
		wantMax := red.op == "argmax"
		rowLoop(shape, ost, pst, func(b, o, os, p, ps int) {
			for j, xv := range buf[b : b+shape[nd-1]] {
				x := float64(xv)
				if skipNaN && x != x {
					continue
				}
				oo := o + j*os
				pos := int64(posBase + p + j*ps)
				if better(x, pos, v[oo], idx[oo], n[oo], wantMax) {
					v[oo], idx[oo] = x, pos
				}
				n[oo]++
			}
		})
	}
	return acc, olo, ohi
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
func (total *accumulator) merge(op string, part *accumulator, shape, lo, hi []int) {
	if len(shape) == 0 {
		total.mergeRun(op, part, 0, 0, 1)
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
		total.mergeRun(op, part, k, t, rowLen)
		if !nextRow(c, nil, ps) {
			return
		}
	}
}

// mergeRun folds part's elements k … k+n-1 into total's t … t+n-1.
func (total *accumulator) mergeRun(op string, part *accumulator, k, t, n int) {
	pn, tn := part.n[k:k+n], total.n[t:t+n]
	wantMax := op == "max" || op == "argmax"
	switch op {
	case "sum", "mean", "any", "all":
		ps, ts := part.s[k:k+n], total.s[t:t+n]
		for i := range pn {
			ts[i] += ps[i] // an empty part adds 0
			tn[i] += pn[i]
		}
	case "std", "var":
		ps, ts, pm, tm := part.s[k:k+n], total.s[t:t+n], part.m2[k:k+n], total.m2[t:t+n]
		for i := range pn {
			switch {
			case pn[i] == 0:
				continue
			case tn[i] == 0:
				ts[i], tm[i] = ps[i], pm[i]
			default: // Chan et al.'s pairwise update of the mean and the squared deviations
				all := float64(tn[i] + pn[i])
				d := ps[i] - ts[i]
				ts[i] += d * float64(pn[i]) / all
				tm[i] += pm[i] + d*d*float64(tn[i])*float64(pn[i])/all
			}
			tn[i] += pn[i]
		}
	case "min", "max":
		pv, tv := part.v[k:k+n], total.v[t:t+n]
		for i := range pn {
			if pn[i] == 0 {
				continue
			}
			x, y := pv[i], tv[i]
			if tn[i] == 0 || x != x || y == y && (wantMax && x > y || !wantMax && x < y) {
				tv[i] = x
			}
			tn[i] += pn[i]
		}
	case "argmin", "argmax":
		pv, tv, pi, ti := part.v[k:k+n], total.v[t:t+n], part.idx[k:k+n], total.idx[t:t+n]
		for i := range pn {
			if pn[i] == 0 {
				continue
			}
			if better(pv[i], pi[i], tv[i], ti[i], tn[i], wantMax) {
				tv[i], ti[i] = pv[i], pi[i]
			}
			tn[i] += pn[i]
		}
	}
}

// finish turns the total accumulator into the reduction's values.
func (total *accumulator) finish(red *reduceNode) ([]float64, error) {
	size := len(total.n)
	out := make([]float64, size)
	dt := red.dtype()
	for i := range out {
		n := total.n[i]
		switch red.op {
		case "sum":
			out[i] = total.s[i]
		case "mean":
			out[i] = total.s[i] / float64(n)
		case "any":
			out[i] = b2f(total.s[i] > 0)
		case "all":
			out[i] = b2f(total.s[i] == float64(n)) // true for no values, as numpy
		case "var", "std":
			if n == 0 {
				out[i] = math.NaN()
			} else {
				out[i] = total.m2[i] / float64(n)
			}
			if red.op == "std" {
				out[i] = math.Sqrt(out[i])
			}
		case "min", "max":
			if n == 0 {
				out[i] = math.NaN()
			} else {
				out[i] = total.v[i]
			}
		case "argmin", "argmax":
			if n == 0 {
				return nil, obj.Errorf(obj.ValueError, "All-NaN slice encountered in %s", red.name())
			}
			out[i] = float64(total.idx[i])
		}
		out[i] = roundTo(dt, out[i])
	}
	return out, nil
}
