package runtime

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gokist/runtime/obj"
)

// rebinOps are the operations rebin accepts, as ndcube names them.
var rebinOps = []string{"mean", "sum", "min", "max", "median"}

// rebinNode combines each block of factors[i] neighbouring pixels along every axis into
// one (ndcube's rebin: new pixel p covers old pixels p·f … p·f+f−1).
type rebinNode struct {
	in      node
	factors []int
	op      string
	out     []int
}

// checkBinShape validates bin_shape against shape with ndcube's rules (one entry per
// axis, -1 for the whole axis, each dividing its axis) and gives the factors. The error
// names the data shape, the bin shape and the crop that would work.
func checkBinShape(binShape any, shape []int, axisNames []string) ([]int, error) {
	var items []any
	switch b := binShape.(type) {
	case obj.Tuple:
		items = b
	case obj.List:
		items = b
	case int:
		items = []any{b}
	default:
		return nil, obj.Errorf(obj.TypeError, "rebin(): bin_shape must be a tuple of ints, one per array axis, not %s", obj.TypeName(binShape))
	}
	if len(items) != len(shape) {
		return nil, obj.Errorf(obj.ValueError, "rebin(): bin_shape %s has %d entries but the data has %d axes (shape %s)",
			tupleString(items), len(items), len(shape), shapeString(shape)).WithHint("give one entry per array axis; use 1 to keep an axis and -1 to bin a whole axis")
	}
	factors := make([]int, len(shape))
	var crops, cropTo []string
	for i, it := range items {
		f, ok := it.(int)
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "rebin(): bin_shape entries must be ints, not %s %v", obj.TypeName(it), it)
		}
		if f == -1 {
			f = shape[i]
		}
		if f <= 0 {
			return nil, obj.Errorf(obj.ValueError, "rebin(): bin_shape entry %d for axis %d must be positive (or -1 for the whole axis)", f, i)
		}
		if f > shape[i] {
			return nil, obj.Errorf(obj.ValueError, "rebin(): bin_shape %s: entry %d for axis %d is larger than the axis (size %d); data shape %s",
				tupleString(items), f, i, shape[i], shapeString(shape))
		}
		factors[i] = f
		if shape[i]%f != 0 {
			name := fmt.Sprintf("axis %d", i)
			if i < len(axisNames) && axisNames[i] != "" {
				name = fmt.Sprintf("axis %d (%s)", i, axisNames[i])
			}
			crops = append(crops, fmt.Sprintf("axis %d (size %d) is not divisible by %d", i, shape[i], f))
			cropTo = append(cropTo, fmt.Sprintf("%s to %d", name, shape[i]/f*f))
		}
	}
	if len(crops) > 0 {
		return nil, obj.Errorf(obj.ValueError, "rebin(): bin_shape %s does not divide the data shape %s: %s",
			tupleString(items), shapeString(shape), strings.Join(crops, "; ")).
			WithHint("crop %s of this dataset first: index it with %s, then rebin", strings.Join(cropTo, " and "), cropIndex(shape, factors))
	}
	return factors, nil
}

// cropIndex is the index expression, one entry per axis of shape, that keeps the
// largest multiple of each factor: [:, :78, :] crops axis 1 to 78 and keeps the others.
func cropIndex(shape, factors []int) string {
	idx := make([]string, len(shape))
	for i := range shape {
		idx[i] = ":"
		if shape[i]%factors[i] != 0 {
			idx[i] = fmt.Sprintf(":%d", shape[i]/factors[i]*factors[i])
		}
	}
	return "[" + strings.Join(idx, ", ") + "]"
}

// tupleString renders boundary values as a Python tuple.
func tupleString(items []any) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = fmt.Sprint(it)
	}
	s := "(" + strings.Join(parts, ", ")
	if len(items) == 1 {
		s += ","
	}
	return s + ")"
}

// newRebin builds a rebin node after validating the operation and bin shape.
func newRebin(in node, binShape any, operation any, axisNames []string) (*rebinNode, error) {
	op := "mean"
	if operation != nil {
		s, ok := operation.(string)
		if !ok {
			if f, isFunc := operation.(*obj.Func); isFunc {
				s = f.Name
			} else {
				return nil, obj.Errorf(obj.TypeError, "rebin(): operation must be one of %s, not %s", strings.Join(rebinOps, ", "), obj.TypeName(operation))
			}
		}
		s = strings.TrimPrefix(strings.TrimPrefix(s, "np."), "numpy.")
		if !slices.Contains(rebinOps, s) {
			return nil, obj.Errorf(obj.ValueError, "rebin(): operation '%s' is not one of %s", s, strings.Join(rebinOps, ", "))
		}
		op = s
	}
	factors, err := checkBinShape(binShape, in.shape(), axisNames)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(factors))
	for i, f := range factors {
		out[i] = in.shape()[i] / f
	}
	return &rebinNode{in: in, factors: factors, op: op, out: out}, nil
}

func (n *rebinNode) shape() []int { return n.out }
func (n *rebinNode) dtype() DType {
	if n.op == "mean" || n.op == "median" {
		if d := n.in.dtype(); d == Bool || d == Int64 {
			return Float64
		}
	}
	if n.op == "sum" && n.in.dtype() == Bool {
		return Int64
	}
	return n.in.dtype()
}
func (n *rebinNode) name() string   { return "rebin-" + n.op }
func (n *rebinNode) inputs() []node { return []node{n.in} }
func (n *rebinNode) withInputs(ins []node) node {
	mustInputs(n, ins)
	y := *n
	y.in = ins[0]
	return &y
}
func (n *rebinNode) cuts() [][]int {
	ic := n.in.cuts()
	out := make([][]int, len(n.out))
	for i, cs := range ic {
		for _, c := range cs {
			q := c / n.factors[i]
			if q > 0 && q < n.out[i] && (len(out[i]) == 0 || out[i][len(out[i])-1] != q) {
				out[i] = append(out[i], q)
			}
		}
	}
	return out
}

func (n *rebinNode) eval(r *run, lo, hi []int, dst []float64) error {
	ilo, ihi := n.inputBox(lo, hi)
	var err error
	if in, ok := float32Path(n.in); ok {
		// The input's values are float32: read them as such (half the scratch).
		buf := r.buffer32(boxSize(ilo, ihi))
		defer r.release32(buf)
		if err = in.eval32(r, ilo, ihi, buf); err == nil {
			binReduce(buf, subtract(ihi, ilo), n.factors, n.op, dst)
		}
	} else {
		buf := r.buffer(boxSize(ilo, ihi))
		defer r.release(buf)
		if err = n.in.eval(r, ilo, ihi, buf); err == nil {
			binReduce(buf, subtract(ihi, ilo), n.factors, n.op, dst)
		}
	}
	if err != nil {
		return err
	}
	dt := n.dtype()
	if dt != Float64 {
		for i, v := range dst {
			dst[i] = roundTo(dt, v)
		}
	}
	return nil
}

// inputBox is the block of the input that the output block [lo, hi) bins.
func (n *rebinNode) inputBox(lo, hi []int) (ilo, ihi []int) {
	nd := len(lo)
	ilo = make([]int, nd)
	ihi = make([]int, nd)
	for i := range nd {
		ilo[i], ihi[i] = lo[i]*n.factors[i], hi[i]*n.factors[i]
	}
	return ilo, ihi
}

// can32 reports whether the rebinned values are float32 and the input can give float32
// blocks, so that eval32 can run the whole chunk in float32.
func (n *rebinNode) can32() bool {
	_, ok := float32Path(n.in)
	return ok && n.dtype() == Float32
}

// eval32 bins float32 input blocks into float32 output, accumulating in float64 as eval
// does, so both give the same values.
func (n *rebinNode) eval32(r *run, lo, hi []int, dst []float32) error {
	in, _ := float32Path(n.in)
	ilo, ihi := n.inputBox(lo, hi)
	buf := r.buffer32(boxSize(ilo, ihi))
	defer r.release32(buf)
	if err := in.eval32(r, ilo, ihi, buf); err != nil {
		return err
	}
	out := r.buffer(len(dst))
	defer r.release(out)
	binReduce(buf, subtract(ihi, ilo), n.factors, n.op, out)
	for i, v := range out {
		dst[i] = float32(v)
	}
	return nil
}

// binReduce reduces each bin of factors in the block buf of shape into dst.
func binReduce[T float32 | float64](buf []T, shape, factors []int, op string, dst []float64) {
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
	ost := stridesOf(outShape)
	binSize := product(factors)
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
	row := shape[nd-1]
	switch op {
	case "mean", "sum":
		clear(dst)
		forEachInputRow(func(b, o int) {
			for j, xv := range buf[b : b+row] {
				x := float64(xv)
				dst[o+j/last] += x
			}
		})
		if op == "mean" {
			inv := float64(binSize)
			for i := range dst {
				dst[i] /= inv
			}
		}
	case "min", "max":
		init := math.Inf(1)
		if op == "max" {
			init = math.Inf(-1)
		}
		for i := range dst {
			dst[i] = init
		}
		wantMax := op == "max"
		forEachInputRow(func(b, o int) {
			for j, xv := range buf[b : b+row] {
				x := float64(xv)
				cur := dst[o+j/last]
				if x != x || cur == cur && (wantMax && x > cur || !wantMax && x < cur) {
					dst[o+j/last] = x
				}
			}
		})
	case "median":
		vals := make([]float64, len(buf))
		fill := make([]int, len(dst))
		forEachInputRow(func(b, o int) {
			for j, xv := range buf[b : b+row] {
				x := float64(xv)
				oo := o + j/last
				vals[oo*binSize+fill[oo]] = x
				fill[oo]++
			}
		})
		for i := range dst {
			dst[i] = median(vals[i*binSize : (i+1)*binSize])
		}
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
