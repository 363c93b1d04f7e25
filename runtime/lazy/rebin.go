package lazy

import (
	"math"
	"slices"
)

// RebinOp is how rebin combines the pixels of one bin: its bin step for float64 and
// float32 blocks and its result dtype. The rebin node knows no operation by name.
type RebinOp struct {
	Name   string
	result func(in DType) DType
	bin64  binStep[float64]
	bin32  binStep[float32]
}

// binStep combines each bin of factors in the block buf of shape into dst (one value per
// bin, row-major); rows calls fn for each row of the block with its offset in buf and
// the offset of its first bin in dst.
type binStep[T float32 | float64] func(buf []T, rows func(fn func(b, o int)), row, last, binSize int, dst []float64)

// The operations rebin accepts, as ndcube names them.
var (
	RebinMean   = &RebinOp{Name: "mean", result: meanBinResult, bin64: binSum[float64](true), bin32: binSum[float32](true)}
	RebinSum    = &RebinOp{Name: "sum", result: sumBinResult, bin64: binSum[float64](false), bin32: binSum[float32](false)}
	RebinMin    = &RebinOp{Name: "min", result: sameResult, bin64: binExtreme[float64](false), bin32: binExtreme[float32](false)}
	RebinMax    = &RebinOp{Name: "max", result: sameResult, bin64: binExtreme[float64](true), bin32: binExtreme[float32](true)}
	RebinMedian = &RebinOp{Name: "median", result: meanBinResult, bin64: binMedian[float64], bin32: binMedian[float32]}
)

// RebinOps lists the rebin operations in the order errors name them.
var RebinOps = []*RebinOp{RebinMean, RebinSum, RebinMin, RebinMax, RebinMedian}

// meanBinResult: means and medians of bools and ints are float64.
func meanBinResult(in DType) DType {
	if in == Bool || in == Int64 {
		return Float64
	}
	return in
}

// sumBinResult: sums of bools are int64.
func sumBinResult(in DType) DType {
	if in == Bool {
		return Int64
	}
	return in
}

// rebinNode combines each block of factors[i] neighbouring pixels along every axis into
// one (ndcube's rebin: new pixel p covers old pixels p·f … p·f+f−1).
type RebinNode struct {
	in      Node
	Factors []int
	op      *RebinOp
	out     []int
}

// rebinNodeOf bins in by factors, each of which divides its axis.
func RebinNodeOf(in Node, factors []int, op *RebinOp) *RebinNode {
	out := make([]int, len(factors))
	for i, f := range factors {
		out[i] = in.Shape()[i] / f
	}
	return &RebinNode{in: in, Factors: factors, op: op, out: out}
}

func (n *RebinNode) Shape() []int   { return n.out }
func (n *RebinNode) DType() DType   { return n.op.result(n.in.DType()) }
func (n *RebinNode) Name() string   { return "rebin-" + n.op.Name }
func (n *RebinNode) Inputs() []Node { return []Node{n.in} }
func (n *RebinNode) WithInputs(ins []Node) Node {
	mustInputs(n, ins)
	y := *n
	y.in = ins[0]
	return &y
}
func (n *RebinNode) Cuts() [][]int {
	ic := n.in.Cuts()
	out := make([][]int, len(n.out))
	for i, cs := range ic {
		for _, c := range cs {
			q := c / n.Factors[i]
			if q > 0 && q < n.out[i] && (len(out[i]) == 0 || out[i][len(out[i])-1] != q) {
				out[i] = append(out[i], q)
			}
		}
	}
	return out
}

func (n *RebinNode) Eval(r *Run, lo, hi []int, dst []float64) error {
	ilo, ihi := n.inputBox(lo, hi)
	var err error
	if in, ok := float32Path(n.in); ok {
		// The input's values are float32: read them as such (half the scratch).
		buf := r.buffer32(BoxSize(ilo, ihi))
		defer r.release32(buf)
		if err = in.eval32(r, ilo, ihi, buf); err == nil {
			binReduce(buf, subtract(ihi, ilo), n.Factors, n.op, dst)
		}
	} else {
		buf := r.buffer(BoxSize(ilo, ihi))
		defer r.release(buf)
		if err = n.in.Eval(r, ilo, ihi, buf); err == nil {
			binReduce(buf, subtract(ihi, ilo), n.Factors, n.op, dst)
		}
	}
	if err != nil {
		return err
	}
	dt := n.DType()
	if dt != Float64 {
		for i, v := range dst {
			dst[i] = RoundTo(dt, v)
		}
	}
	return nil
}

// inputBox is the block of the input that the output block [lo, hi) bins.
func (n *RebinNode) inputBox(lo, hi []int) (ilo, ihi []int) {
	nd := len(lo)
	ilo = make([]int, nd)
	ihi = make([]int, nd)
	for i := range nd {
		ilo[i], ihi[i] = lo[i]*n.Factors[i], hi[i]*n.Factors[i]
	}
	return ilo, ihi
}

// can32 reports whether the rebinned values are float32 and the input can give float32
// blocks, so that eval32 can run the whole chunk in float32.
func (n *RebinNode) can32() bool {
	_, ok := float32Path(n.in)
	return ok && n.DType() == Float32
}

// eval32 bins float32 input blocks into float32 output, accumulating in float64 as eval
// does, so both give the same values.
func (n *RebinNode) eval32(r *Run, lo, hi []int, dst []float32) error {
	in, _ := float32Path(n.in)
	ilo, ihi := n.inputBox(lo, hi)
	buf := r.buffer32(BoxSize(ilo, ihi))
	defer r.release32(buf)
	if err := in.eval32(r, ilo, ihi, buf); err != nil {
		return err
	}
	out := r.buffer(len(dst))
	defer r.release(out)
	binReduce(buf, subtract(ihi, ilo), n.Factors, n.op, out)
	for i, v := range out {
		dst[i] = float32(v)
	}
	return nil
}

// binReduce reduces each bin of factors in the block buf of shape into dst.
func binReduce[T float32 | float64](buf []T, shape, factors []int, op *RebinOp, dst []float64) {
	nd := len(shape)
	if len(dst) == 0 {
		return
	}
	if nd == 0 {
		dst[0] = float64(buf[0])
		return
	}
	outShape := make([]int, nd)
	for i := range nd {
		outShape[i] = shape[i] / factors[i]
	}
	ost := StridesOf(outShape)
	binSize := Product(factors)
	// out offset of each element along the last axis
	last := factors[nd-1]
	forEachInputRow := func(fn func(b, o int)) {
		c := make([]int, nd)
		b := 0
		for {
			o := 0
			for i := 0; i < nd-1; i++ {
				o += c[i] / factors[i] * ost[i]
			}
			fn(b, o)
			b += shape[nd-1]
			if !nextRow(c, nil, shape) {
				return
			}
		}
	}
	binOf[T](op)(buf, forEachInputRow, shape[nd-1], last, binSize, dst)
}

// binOf is the operation's bin step for blocks of T.
func binOf[T float32 | float64](op *RebinOp) binStep[T] {
	if b, ok := any(op.bin32).(binStep[T]); ok {
		return b
	}
	return any(op.bin64).(binStep[T])
}

// binSum sums each bin (and divides by the bin's size for the mean).
func binSum[T float32 | float64](mean bool) binStep[T] {
	return func(buf []T, rows func(fn func(b, o int)), row, last, binSize int, dst []float64) {
		clear(dst)
		rows(func(b, o int) {
			for j, xv := range buf[b : b+row] {
				dst[o+j/last] += float64(xv)
			}
		})
		if mean {
			inv := float64(binSize)
			for i := range dst {
				dst[i] /= inv
			}
		}
	}
}

// binExtreme takes each bin's minimum (maximum); a NaN in a bin makes it NaN.
func binExtreme[T float32 | float64](wantMax bool) binStep[T] {
	return func(buf []T, rows func(fn func(b, o int)), row, last, binSize int, dst []float64) {
		init := extremeStart(wantMax)
		for i := range dst {
			dst[i] = init
		}
		rows(func(b, o int) {
			for j, xv := range buf[b : b+row] {
				if x := float64(xv); replacesExtreme(x, dst[o+j/last], wantMax) {
					dst[o+j/last] = x
				}
			}
		})
	}
}

// binMedian takes each bin's median as numpy does.
func binMedian[T float32 | float64](buf []T, rows func(fn func(b, o int)), row, last, binSize int, dst []float64) {
	vals := make([]float64, len(buf))
	fill := make([]int, len(dst))
	rows(func(b, o int) {
		for j, xv := range buf[b : b+row] {
			oo := o + j/last
			vals[oo*binSize+fill[oo]] = float64(xv)
			fill[oo]++
		}
	})
	for i := range dst {
		dst[i] = median(vals[i*binSize : (i+1)*binSize])
	}
}

// median of xs as numpy computes it (NaN if any value is NaN); sorts xs in place.
func median(xs []float64) float64 {
	for _, x := range xs {
		if x != x {
			return math.NaN()
		}
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// Op is the operation the node bins with.
func (n *RebinNode) Op() *RebinOp { return n.op }
