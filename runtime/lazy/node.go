package lazy

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// node is one operation of a lazy computation graph. Every node can compute any
// rectangular block of its output on its own (pulling the matching blocks of its
// inputs), which is how the executor fuses index → elementwise → rebin into one pass
// over each chunk, reading each byte once.
type Node interface {
	Shape() []int
	DType() DType
	// eval writes the block [lo, hi) of the node's output, row-major, into dst
	// (len(dst) == boxSize(lo, hi)).
	Eval(r *Run, lo, hi []int, dst []float64) error
	// cuts gives, per output axis, the interior chunk boundaries (ascending) the node
	// prefers, so that a block never spans two files.
	Cuts() [][]int
	// name is the operation's name for reprs and the task stream ("read", "sum", ...).
	Name() string
	// inputs are the nodes this one reads, in order (none for a leaf).
	Inputs() []Node
	// withInputs is a copy of the node reading ins instead of its inputs, one for one
	// (len(ins) == len(inputs())); a leaf returns itself.
	WithInputs(ins []Node) Node
}

// node32 is a node that can also compute its blocks as float32 values, exactly, when
// can32 says its values are float32: a pipeline of such nodes from the files moves and
// holds half the bytes of a float64 one. Reductions still accumulate in float64.
type node32 interface {
	Node
	can32() bool
	// eval32 is eval into float32; called only when can32 is true.
	eval32(r *Run, lo, hi []int, dst []float32) error
}

// float32Path returns n as a node32 when it can compute float32 blocks.
func float32Path(n Node) (node32, bool) {
	if x, ok := n.(node32); ok && x.can32() {
		return x, true
	}
	return nil, false
}

// boxSize is the number of elements in the block [lo, hi).
func BoxSize(lo, hi []int) int {
	n := 1
	for i := range lo {
		n *= hi[i] - lo[i]
	}
	return n
}

// product multiplies the entries of shape.
func Product(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

// stridesOf gives row-major element strides of shape.
func StridesOf(shape []int) []int {
	st := make([]int, len(shape))
	s := 1
	for i := len(shape) - 1; i >= 0; i-- {
		st[i] = s
		s *= shape[i]
	}
	return st
}

// noCuts is the cuts of a node that has no preferred chunking.
func noCuts(ndim int) [][]int { return make([][]int, ndim) }

// arrayNode is an in-memory Array as a graph leaf.
type ArrayNode struct{ A *Array }

func (n *ArrayNode) Shape() []int   { return n.A.Dims }
func (n *ArrayNode) DType() DType   { return n.A.DT }
func (n *ArrayNode) Cuts() [][]int  { return noCuts(len(n.A.Dims)) }
func (n *ArrayNode) Name() string   { return "array" }
func (n *ArrayNode) Inputs() []Node { return nil }
func (n *ArrayNode) WithInputs(ins []Node) Node {
	mustInputs(n, ins)
	return n
}
func (n *ArrayNode) Eval(r *Run, lo, hi []int, dst []float64) error {
	if n.A.DT == Float32 {
		copyBox(n.A.Values32, n.A.Dims, lo, hi, dst)
	} else {
		copyBox(n.A.Values, n.A.Dims, lo, hi, dst)
	}
	return nil
}

// copyBox copies the block [lo, hi) of a row-major array src of shape into dst.
func copyBox[T float32 | float64](src []T, shape, lo, hi []int, dst []float64) {
	ForEachBoxRow(shape, lo, hi, func(off, k, n int) {
		if d, ok := any(dst[k : k+n]).([]T); ok {
			copy(d, src[off:off+n])
			return
		}
		for j, x := range src[off : off+n] {
			dst[k+j] = float64(x)
		}
	})
}

// forEachBoxRow calls fn for each row (run along the last axis) of the block [lo, hi) of
// a row-major array of shape, in order: off is the row's offset in the array, k its
// offset in the block packed row-major, n its length. A 0-d array is one row of one.
// copyBox (array to block) and ScatterBox (block to array) are its two directions.
func ForEachBoxRow(shape, lo, hi []int, fn func(off, k, n int)) {
	nd := len(shape)
	if nd == 0 {
		fn(0, 0, 1)
		return
	}
	st := StridesOf(shape)
	inner := hi[nd-1] - lo[nd-1]
	if inner <= 0 || BoxSize(lo, hi) == 0 {
		return
	}
	c := slices.Clone(lo)
	for k := 0; ; k += inner {
		off := 0
		for i := range nd {
			off += c[i] * st[i]
		}
		fn(off, k, inner)
		if !nextRow(c, lo, hi) {
			return
		}
	}
}

// advance steps the multi-index c (row-major: last axis fastest) to the next position in
// the box [lo, hi) (lo nil: from zero); false after the last position.
func advance(c, lo, hi []int) bool {
	for i := len(c) - 1; i >= 0; i-- {
		c[i]++
		if c[i] < hi[i] {
			return true
		}
		if lo == nil {
			c[i] = 0
		} else {
			c[i] = lo[i]
		}
	}
	return false
}

// nextRow steps c to the start of the next row of the box [lo, hi): every axis but the
// last advances; false after the last row.
func nextRow(c, lo, hi []int) bool { return advance(c[:len(c)-1], lo, hi) }

// constNode is a Python number as a 0-d graph leaf.
type ConstNode struct {
	V  float64
	Dt DType
}

func (n *ConstNode) Shape() []int   { return nil }
func (n *ConstNode) DType() DType   { return n.Dt }
func (n *ConstNode) Cuts() [][]int  { return nil }
func (n *ConstNode) Name() string   { return "const" }
func (n *ConstNode) Inputs() []Node { return nil }
func (n *ConstNode) WithInputs(ins []Node) Node {
	mustInputs(n, ins)
	return n
}
func (n *ConstNode) Eval(r *Run, lo, hi []int, dst []float64) error {
	dst[0] = n.V
	return nil
}

// indexNode applies numpy basic indexing (a selection) to any node.
type IndexNode struct {
	In  Node
	Sel Selection
}

func (n *IndexNode) Shape() []int   { return n.Sel.outShape() }
func (n *IndexNode) DType() DType   { return n.In.DType() }
func (n *IndexNode) Name() string   { return "getitem" }
func (n *IndexNode) Inputs() []Node { return []Node{n.In} }
func (n *IndexNode) WithInputs(ins []Node) Node {
	mustInputs(n, ins)
	return &IndexNode{In: ins[0], Sel: n.Sel}
}
func (n *IndexNode) Cuts() [][]int {
	return selectCuts(n.Sel, n.In.Cuts())
}

// selectCuts maps an input's chunk boundaries through a selection onto its output.
func selectCuts(sel Selection, inCuts [][]int) [][]int {
	var out [][]int
	for ax, p := range sel {
		if p.Drop {
			continue
		}
		var cs []int
		if ax < len(inCuts) && len(inCuts[ax]) > 0 {
			chunk := func(pos int) int { return sort.SearchInts(inCuts[ax], pos+1) }
			prev := chunk(p.Position(0))
			for j := 1; j < p.N; j++ {
				c := chunk(p.Position(j))
				if c != prev {
					cs = append(cs, j)
				}
				prev = c
			}
		}
		out = append(out, cs)
	}
	return out
}

func (n *IndexNode) Eval(r *Run, lo, hi []int, dst []float64) error {
	inShape := n.In.Shape()
	ilo := make([]int, len(inShape))
	ihi := make([]int, len(inShape))
	k := 0
	for ax, p := range n.Sel {
		if p.Drop {
			ilo[ax], ihi[ax] = p.Start, p.Start+1
			continue
		}
		ilo[ax], ihi[ax] = p.span(lo[k], hi[k])
		k++
	}
	buf := r.buffer(BoxSize(ilo, ihi))
	defer r.release(buf)
	if err := n.In.Eval(r, ilo, ihi, buf); err != nil {
		return err
	}
	gatherSelection(buf, ilo, ihi, n.Sel, lo, hi, dst)
	return nil
}

// gatherSelection copies the selected elements of the block [ilo, ihi) held in buf
// (input coordinates) into dst, the block [lo, hi) of the selection's output.
func gatherSelection(buf []float64, ilo, ihi []int, sel Selection, lo, hi []int, dst []float64) {
	nd := len(sel)
	bst := StridesOf(subtract(ihi, ilo))
	// Per output axis: the buffer offsets of its elements.
	var offs [][]int
	base := 0
	k := 0
	for ax, p := range sel {
		if p.Drop {
			base += (p.Start - ilo[ax]) * bst[ax]
			continue
		}
		o := make([]int, hi[k]-lo[k])
		for j := range o {
			o[j] = (p.Position(lo[k]+j) - ilo[ax]) * bst[ax]
		}
		offs = append(offs, o)
		k++
	}
	_ = nd
	if len(offs) == 0 {
		dst[0] = buf[base]
		return
	}
	gatherOffsets(buf, base, offs, dst)
}

// gatherOffsets writes buf[base + offs[0][i0] + offs[1][i1] + ...] row-major into dst.
func gatherOffsets[T float32 | float64](buf []T, base int, offs [][]int, dst []T) {
	nd := len(offs)
	for _, o := range offs {
		if len(o) == 0 {
			return
		}
	}
	c := make([]int, nd)
	last := offs[nd-1]
	k := 0
	for {
		off := base
		for i := 0; i < nd-1; i++ {
			off += offs[i][c[i]]
		}
		for _, o := range last {
			dst[k] = buf[off+o]
			k++
		}
		i := nd - 2
		for ; i >= 0; i-- {
			c[i]++
			if c[i] < len(offs[i]) {
				break
			}
			c[i] = 0
		}
		if i < 0 {
			return
		}
	}
}

func subtract(a, b []int) []int {
	out := make([]int, len(a))
	for i := range a {
		out[i] = a[i] - b[i]
	}
	return out
}

// broadcastShapes gives numpy's broadcast shape of a and b, or an error naming both.
func BroadcastShapes(a, b []int) ([]int, error) {
	n := max(len(a), len(b))
	out := make([]int, n)
	for i := range n {
		da, db := 1, 1
		if j := len(a) - n + i; j >= 0 {
			da = a[j]
		}
		if j := len(b) - n + i; j >= 0 {
			db = b[j]
		}
		switch {
		case da == db || db == 1:
			out[i] = da
		case da == 1:
			out[i] = db
		default:
			return nil, fmt.Errorf("%s", BroadcastError(a, b))
		}
	}
	return out, nil
}

// binaryNode is an elementwise operation of two nodes with numpy broadcasting.
type BinaryNode struct {
	Op   string
	A, B Node
	Out  []int
	Dt   DType
	Fn   func(x, y float64) float64
}

func (n *BinaryNode) Shape() []int   { return n.Out }
func (n *BinaryNode) DType() DType   { return n.Dt }
func (n *BinaryNode) Name() string   { return opNames[n.Op] }
func (n *BinaryNode) Inputs() []Node { return []Node{n.A, n.B} }
func (n *BinaryNode) WithInputs(ins []Node) Node {
	mustInputs(n, ins)
	y := *n
	y.A, y.B = ins[0], ins[1]
	return &y
}
func (n *BinaryNode) Cuts() [][]int {
	out := noCuts(len(n.Out))
	for _, in := range []Node{n.A, n.B} {
		ic := in.Cuts()
		off := len(n.Out) - len(in.Shape())
		for i, cs := range ic {
			if in.Shape()[i] == 1 && n.Out[off+i] != 1 {
				continue
			}
			out[off+i] = mergeSorted(out[off+i], cs)
		}
	}
	return out
}

// mergeSorted unions two ascending int lists.
func mergeSorted(a, b []int) []int {
	if len(a) == 0 {
		return b
	}
	if len(b) == 0 {
		return a
	}
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// operandBox gives the block of an input of shape ishape needed for the output block
// [lo, hi) under broadcasting, and the input's strides within that block per output
// axis (0 along broadcast axes).
func operandBox(ishape, lo, hi []int) (ilo, ihi, strides []int) {
	nd := len(lo)
	off := nd - len(ishape)
	ilo = make([]int, len(ishape))
	ihi = make([]int, len(ishape))
	for i, s := range ishape {
		if s == 1 {
			ilo[i], ihi[i] = 0, 1
		} else {
			ilo[i], ihi[i] = lo[off+i], hi[off+i]
		}
	}
	bst := StridesOf(subtract(ihi, ilo))
	strides = make([]int, nd)
	for i := range ishape {
		if ishape[i] != 1 {
			strides[off+i] = bst[i]
		}
	}
	return ilo, ihi, strides
}

func (n *BinaryNode) Eval(r *Run, lo, hi []int, dst []float64) error {
	alo, ahi, ast := operandBox(n.A.Shape(), lo, hi)
	blo, bhi, bst := operandBox(n.B.Shape(), lo, hi)
	abuf := r.buffer(BoxSize(alo, ahi))
	defer r.release(abuf)
	if err := n.A.Eval(r, alo, ahi, abuf); err != nil {
		return err
	}
	bbuf := r.buffer(BoxSize(blo, bhi))
	defer r.release(bbuf)
	if err := n.B.Eval(r, blo, bhi, bbuf); err != nil {
		return err
	}
	fn := n.Fn
	round32 := n.Dt == Float32
	if len(abuf) == len(dst) && len(bbuf) == len(dst) {
		for i := range dst {
			dst[i] = fn(abuf[i], bbuf[i])
		}
	} else {
		broadcastLoop(subtract(hi, lo), ast, bst, func(k, ia, ib int) { dst[k] = fn(abuf[ia], bbuf[ib]) })
	}
	if round32 {
		for i, v := range dst {
			dst[i] = float64(float32(v))
		}
	} else if n.Dt == Bool || n.Dt == Int64 {
		for i, v := range dst {
			dst[i] = RoundTo(n.Dt, v)
		}
	}
	return nil
}

// broadcastLoop visits every element k (row-major) of a block of shape with the
// offsets ia, ib of two operands given their strides.
func broadcastLoop(shape, ast, bst []int, fn func(k, ia, ib int)) {
	nd := len(shape)
	if Product(shape) == 0 {
		return
	}
	if nd == 0 {
		fn(0, 0, 0)
		return
	}
	c := make([]int, nd)
	inner := shape[nd-1]
	sa, sb := ast[nd-1], bst[nd-1]
	k := 0
	for {
		ia, ib := 0, 0
		for i := 0; i < nd-1; i++ {
			ia += c[i] * ast[i]
			ib += c[i] * bst[i]
		}
		for j := 0; j < inner; j++ {
			fn(k, ia, ib)
			k++
			ia += sa
			ib += sb
		}
		if !nextRow(c, nil, shape) {
			return
		}
	}
}

// unaryNode is an elementwise function of one node (negation, abs, sqrt, log, astype).
type UnaryNode struct {
	Op string
	In Node
	Dt DType
	Fn func(x float64) float64
}

func (n *UnaryNode) Shape() []int   { return n.In.Shape() }
func (n *UnaryNode) DType() DType   { return n.Dt }
func (n *UnaryNode) Cuts() [][]int  { return n.In.Cuts() }
func (n *UnaryNode) Name() string   { return n.Op }
func (n *UnaryNode) Inputs() []Node { return []Node{n.In} }
func (n *UnaryNode) WithInputs(ins []Node) Node {
	mustInputs(n, ins)
	y := *n
	y.In = ins[0]
	return &y
}
func (n *UnaryNode) Eval(r *Run, lo, hi []int, dst []float64) error {
	if err := n.In.Eval(r, lo, hi, dst); err != nil {
		return err
	}
	fn := n.Fn
	for i, v := range dst {
		dst[i] = RoundTo(n.Dt, fn(v))
	}
	return nil
}

// opNames names binary operators for reprs.
var opNames = map[string]string{
	"+": "add", "-": "sub", "*": "mul", "/": "truediv", "//": "floordiv", "%": "mod",
	"**": "pow", "<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne",
	"&": "and_", "|": "or_", "^": "xor",
	"arctan2": "arctan2", "hypot": "hypot", "maximum": "maximum", "minimum": "minimum",
}

// binaryFuncs are the elementwise kernels, with numpy's float semantics (division by
// zero gives inf or nan, not an error).
var BinaryFuncs = map[string]func(x, y float64) float64{
	"+":  func(x, y float64) float64 { return x + y },
	"-":  func(x, y float64) float64 { return x - y },
	"*":  func(x, y float64) float64 { return x * y },
	"/":  func(x, y float64) float64 { return x / y },
	"//": func(x, y float64) float64 { d, _ := floorDivmod(x, y); return d },
	"%":  func(x, y float64) float64 { _, m := floorDivmod(x, y); return m },
	"**": math.Pow,
	"<":  func(x, y float64) float64 { return B2f(x < y) },
	"<=": func(x, y float64) float64 { return B2f(x <= y) },
	">":  func(x, y float64) float64 { return B2f(x > y) },
	">=": func(x, y float64) float64 { return B2f(x >= y) },
	"==": func(x, y float64) float64 { return B2f(x == y) },
	"!=": func(x, y float64) float64 { return B2f(x != y) },
	// Bitwise operators take bool and int64 operands only (binaryOp checks), whose
	// values are whole numbers held exactly in float64; on bools they are the logical
	// and, or and xor.
	"&": func(x, y float64) float64 { return float64(int64(x) & int64(y)) },
	"|": func(x, y float64) float64 { return float64(int64(x) | int64(y)) },
	"^": func(x, y float64) float64 { return float64(int64(x) ^ int64(y)) },
	// numpy's functions of two values that have no operator.
	"arctan2": math.Atan2,
	"hypot":   math.Hypot,
	"maximum": nanMax,
	"minimum": nanMin,
}

// floatBinary are the functions of two values whose result is a float for int inputs.
var FloatBinary = map[string]bool{"/": true, "arctan2": true, "hypot": true}

// nanMax is numpy's maximum: nan when either value is nan.
func nanMax(x, y float64) float64 {
	if x != x || y != y {
		return math.NaN()
	}
	return max(x, y)
}

// nanMin is numpy's minimum: nan when either value is nan.
func nanMin(x, y float64) float64 {
	if x != x || y != y {
		return math.NaN()
	}
	return min(x, y)
}

// binaryFuncs32 are the kernels whose float32 results differ from the float32 rounding
// of the float64 result: numpy computes floor division and modulo of float32 values in
// float32 (16777216 // 0.96536493 is 17379142 in float32 and 17379144 in float64).
// Their arguments hold float32 values.
var BinaryFuncs32 = map[string]func(x, y float64) float64{
	"//": func(x, y float64) float64 { d, _ := floorDivmod(float32(x), float32(y)); return float64(d) },
	"%":  func(x, y float64) float64 { _, m := floorDivmod(float32(x), float32(y)); return float64(m) },
}

// intFloorDivmod are numpy's integer floor division and modulo: by zero they give 0
// (numpy warns), not the float kernels' inf and nan, which would turn into int64's
// minimum when held as an int.
var intFloorDivmod = map[string]func(x, y float64) float64{
	"//": func(x, y float64) float64 {
		if y == 0 {
			return 0
		}
		d, _ := floorDivmod(x, y)
		return d
	},
	"%": func(x, y float64) float64 {
		if y == 0 {
			return 0
		}
		_, m := floorDivmod(x, y)
		return m
	},
}

// FloorDivmod is Python's divmod of two floats, the same algorithm as numpy's (lang uses
// it for Python floats, which raise before dividing by zero); by zero it gives numpy's
// a/b and nan.
func FloorDivmod(a, b float64) (div, mod float64) { return floorDivmod(a, b) }

// floorDivmod is numpy's npy_divmod (and Python's float divmod) in the precision of T:
// the floor quotient and the remainder with the sign of b, computed from the exact fmod
// so that 1 // 0.1 is 9 as in Python, not floor(1 / 0.1) = 10. Division by zero gives
// a/b and nan, as numpy (Python raises instead).
func floorDivmod[T float32 | float64](a, b T) (div, mod T) {
	mod = T(math.Mod(float64(a), float64(b))) // exact, so exact in T too
	if b == 0 {
		return a / b, mod
	}
	div = (a - mod) / b
	if mod != 0 {
		if (b < 0) != (mod < 0) {
			mod += b
			div -= 1
		}
	} else {
		mod = T(math.Copysign(0, float64(b)))
	}
	if div == 0 {
		return T(math.Copysign(0, float64(a/b))), mod
	}
	floor := T(math.Floor(float64(div)))
	if div-floor > 0.5 {
		floor++
	}
	return floor, mod
}

// bitwiseUfuncs names numpy's ufunc behind each bitwise operator, for its errors.
var bitwiseUfuncs = map[string]string{"&": "bitwise_and", "|": "bitwise_or", "^": "bitwise_xor"}

func B2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// isComparison reports whether op gives a boolean result.
func IsComparison(op string) bool {
	switch op {
	case "<", "<=", ">", ">=", "==", "!=":
		return true
	}
	return false
}

// BinaryKernel is the elementwise function binaryOp chooses for op with a result of
// dtype dt: a cluster worker looks kernels up by name with it (TestClusterKernelsMatch
// checks that the two agree).
func BinaryKernel(op string, dt DType) (func(x, y float64) float64, bool) {
	fn, ok := BinaryFuncs[op]
	if f32, is32 := BinaryFuncs32[op]; is32 && dt == Float32 {
		fn = f32
	}
	if f, isInt := intFloorDivmod[op]; isInt && dt == Int64 {
		fn = f
	}
	return fn, ok
}

// UnaryKernel is the elementwise function unaryOp (or astypeNode) chooses for op with a
// result of dtype dt.
func UnaryKernel(op string, dt DType) (func(x float64) float64, bool) {
	switch {
	case op == "astype":
		return func(x float64) float64 { return x }, true
	case op == "~" && dt == Bool:
		return func(x float64) float64 { return 1 - x }, true
	}
	fn, ok := UnaryFuncs[op]
	return fn, ok
}
