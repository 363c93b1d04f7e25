package numpy

// This file is the Python face's argument decoding for the core's operations: numpy
// index keys into axis picks, axis= arguments into axes, bin_shape and operation= into
// rebin factors and operations, dtype names into DTypes. Python values stop here; the
// core below takes Go types.

import (
	"fmt"
	"gokist/runtime/lazy"
	"slices"
	"strings"

	"gokist/obj"
)

// planIndex turns a numpy index key (int, obj.Slice, obj.Ellipsis or an obj.Tuple of
// them) on an array of shape into one axisPick per axis, with numpy's rules: negative
// integers count from the end, slices clamp, one Ellipsis stands for the missing axes.
// axisNames, when given, name axes in error messages.
func PlanIndex(key any, shape []int, axisNames []string) ([]lazy.AxisPick, error) {
	var items []any
	switch k := key.(type) {
	case obj.Tuple:
		items = k
	case obj.List:
		return nil, obj.Errorf(obj.IndexError, "indexing with a list (fancy indexing) is not supported").WithHint("use an int, a slice such as 2:10, or ...")
	default:
		items = []any{key}
	}
	ellipsis := -1
	count := 0
	for i, it := range items {
		switch it.(type) {
		case obj.EllipsisType:
			if ellipsis >= 0 {
				return nil, obj.Errorf(obj.IndexError, "an index can only have a single ellipsis ('...')")
			}
			ellipsis = i
		case int, obj.Slice:
			count++
		case bool, Bool:
			return nil, obj.Errorf(obj.IndexError, "a boolean index (%s) is not supported", pyBool(it)).WithHint("use an int, a slice such as 2:10, or ...")
		case nil:
			return nil, obj.Errorf(obj.IndexError, "None (numpy.newaxis) in a dataset's index is not supported").WithHint("index its data: ds.data[:, None]")
		case *NDArray, *LazyArray:
			// The array itself is not shown: a mask's repr would fill the screen.
			return nil, obj.Errorf(obj.IndexError, "indexing with an array (a boolean mask or a list of indices) is not supported").
				WithHint("select with ints and slices, or use the mask in arithmetic: (x * mask).sum() / mask.sum() is the mean where mask is True")
		default:
			return nil, obj.Errorf(obj.IndexError, "only integers, slices (`:`) and ellipsis (`...`) are valid indices, not %s %s", obj.TypeName(it), ShortRepr(it))
		}
	}
	if count > len(shape) {
		return nil, obj.Errorf(obj.IndexError, "too many indices for array: array is %d-dimensional, but %d were indexed", len(shape), count).
			WithHint("shape is %s", lazy.ShapeString(shape))
	}
	// Expand the ellipsis (or an implicit one at the end) into full slices.
	full := make([]any, 0, len(shape))
	for i, it := range items {
		if i == ellipsis {
			for j := 0; j < len(shape)-count; j++ {
				full = append(full, obj.Slice{})
			}
			continue
		}
		full = append(full, it)
	}
	for len(full) < len(shape) {
		full = append(full, obj.Slice{})
	}
	picks := make([]lazy.AxisPick, len(shape))
	for ax, it := range full {
		size := shape[ax]
		name := fmt.Sprintf("axis %d", ax)
		if ax < len(axisNames) && axisNames[ax] != "" {
			name = fmt.Sprintf("axis %d (%s)", ax, axisNames[ax])
		}
		switch k := it.(type) {
		case int:
			i := k
			if i < 0 {
				i += size
			}
			if i < 0 || i >= size {
				return nil, obj.Errorf(obj.IndexError, "index %d is out of bounds for %s with size %d", k, name, size)
			}
			picks[ax] = lazy.AxisPick{Drop: true, Start: i, Step: 1, N: 1}
		case obj.Slice:
			start, step, n, err := sliceIndices(k, size)
			if err != nil {
				return nil, err
			}
			picks[ax] = lazy.AxisPick{Start: start, Step: step, N: n}
		}
	}
	return picks, nil
}

// sliceIndices resolves a slice against an axis of size as Python's slice.indices does,
// giving the first position, the step and the number of elements.
func sliceIndices(s obj.Slice, size int) (start, step, n int, err error) {
	start, stop, step, err := s.Indices(size)
	if err != nil {
		return 0, 0, 0, err
	}
	if step > 0 && stop > start {
		n = (stop - start + step - 1) / step
	} else if step < 0 && start > stop {
		n = (start - stop - step - 1) / (-step)
	}
	if n == 0 {
		start = 0
	}
	return start, step, n, nil
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
			return nil, false, obj.Errorf(AxisError, "axis %d is out of bounds for array of dimension %d", k, ndim).WithHint("in %s()", fn)
		}
		if slices.Contains(axes, ax) {
			return nil, false, obj.Errorf(obj.ValueError, "duplicate value in 'axis'").WithHint("in %s(): axis %d is given twice", fn, k)
		}
		axes = append(axes, ax)
	}
	slices.Sort(axes)
	return axes, len(axes) == ndim, nil
}

// reduceOpNamed finds a reduction by its method name ("nansum": Sum with nan).
func ReduceOpNamed(method string) (op *lazy.ReduceOp, nan bool, ok bool) {
	name, nan := strings.CutPrefix(method, "nan")
	for _, op := range lazy.ReduceOps {
		if op.Name == name {
			return op, nan, true
		}
	}
	for _, op := range lazy.LogicalReduceOps {
		if op.Name == method {
			return op, false, true
		}
	}
	return nil, false, false
}

// emptyReductionError is numpy's error for a reduction without identity over no values:
// numpy names the ufunc behind min and max (minimum, fmin for nanmin), and argmin and
// argmax say so in words.
func emptyReductionError(op *lazy.ReduceOp, nan bool) error {
	if op.Positional {
		return obj.Errorf(obj.ValueError, "attempt to get %s of an empty sequence", op.Name)
	}
	ufunc := map[string]string{"min": "minimum", "max": "maximum"}[op.Name]
	if nan {
		ufunc = "f" + op.Name
	}
	return obj.Errorf(obj.ValueError, "zero-size array to reduction operation %s which has no identity", ufunc)
}

// newReduce builds a reduction node from a method name and a Python axis argument
// after checking them as numpy does.
func NewReduce(in lazy.Node, method string, axis any) (*lazy.ReduceNode, error) {
	op, nan, ok := ReduceOpNamed(method)
	if !ok {
		return nil, obj.Errorf(obj.AttributeError, "arrays have no reduction '%s'", method)
	}
	axes, all, err := normalizeAxes(method, axis, len(in.Shape()))
	if err != nil {
		return nil, err
	}
	if op.Positional {
		if _, isTuple := axis.(obj.Tuple); isTuple {
			return nil, obj.Errorf(obj.TypeError, "%s(): axis must be None or an int, not a tuple", method)
		}
		all = axis == nil
	}
	if op.NoIdentity && (!nan || !op.Positional) {
		for _, ax := range axes {
			if in.Shape()[ax] == 0 {
				return nil, emptyReductionError(op, nan)
			}
		}
	}
	return &lazy.ReduceNode{In: in, Op: op, Nan: nan, Axes: axes, All: all}, nil
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
			TupleString(items), len(items), len(shape), lazy.ShapeString(shape)).WithHint("give one entry per array axis; use 1 to keep an axis and -1 to bin a whole axis")
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
				TupleString(items), f, i, shape[i], lazy.ShapeString(shape))
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
			TupleString(items), lazy.ShapeString(shape), strings.Join(crops, "; ")).
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
func TupleString(items []any) string {
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

// rebinOpNames are the names of RebinOps, for errors.
func rebinOpNames() string {
	names := make([]string, len(lazy.RebinOps))
	for i, op := range lazy.RebinOps {
		names[i] = op.Name
	}
	return strings.Join(names, ", ")
}

// newRebin builds a rebin node after decoding and validating the Python operation and
// bin shape.
func NewRebin(in lazy.Node, binShape any, operation any, axisNames []string) (*lazy.RebinNode, error) {
	op := lazy.RebinMean
	if operation != nil {
		s, ok := operation.(string)
		if !ok {
			if f, isFunc := operation.(*obj.Func); isFunc {
				s = f.Name
			} else {
				return nil, obj.Errorf(obj.TypeError, "rebin(): operation must be one of %s, not %s", rebinOpNames(), obj.TypeName(operation))
			}
		}
		s = strings.TrimPrefix(strings.TrimPrefix(s, "np."), "numpy.")
		i := slices.IndexFunc(lazy.RebinOps, func(op *lazy.RebinOp) bool { return op.Name == s })
		if i < 0 {
			return nil, obj.Errorf(obj.ValueError, "rebin(): operation '%s' is not one of %s", s, rebinOpNames())
		}
		op = lazy.RebinOps[i]
	}
	factors, err := checkBinShape(binShape, in.Shape(), axisNames)
	if err != nil {
		return nil, err
	}
	return lazy.RebinNodeOf(in, factors, op), nil
}

// parseDType reads a dtype name as astype accepts it ("float32", "f4", "float", ...).
func ParseDType(v any) (lazy.DType, error) {
	if d, ok := v.(DType); ok {
		return d.DType, nil
	}
	s, ok := v.(string)
	if !ok {
		if f, ok := v.(*obj.Func); ok {
			s = f.Name
		} else {
			return 0, obj.Errorf(obj.TypeError, "dtype must be a string such as 'float32', not %s", obj.TypeName(v))
		}
	}
	switch s {
	case "float32", "f4", "single", ">f4", "<f4":
		return lazy.Float32, nil
	case "float64", "f8", "float", "double", ">f8", "<f8", "d":
		return lazy.Float64, nil
	case "int64", "i8", "int", "<i8", ">i8", "long", "int_":
		return lazy.Int64, nil
	case "bool", "?", "bool_", "b1":
		return lazy.Bool, nil
	}
	return 0, obj.Errorf(obj.TypeError, "data type '%s' not understood", s).WithHint("use 'float32', 'float64', 'int64' or 'bool'")
}

// pyBool spells a boolean as Python does.
func pyBool(v any) string {
	if b, _ := boolOf(v); b {
		return "True"
	}
	return "False"
}

// shortRepr is a value's text for an error message, cut to one line of at most 40 bytes.
func ShortRepr(v any) string {
	s := fmt.Sprint(v)
	if m, ok := v.(obj.MimeBundler); ok {
		s, _ = m.MimeBundle()["text/plain"].(string)
	}
	if line, _, cut := strings.Cut(s, "\n"); cut || len(line) > 40 {
		return line[:min(len(line), 40)] + "…"
	}
	return s
}
