package numpy

// numpy's creation functions: arrays from Python values, ranges, filled arrays, and
// stacking. They make in-memory arrays; the memory a new array needs is checked first.

import (
	"fmt"
	"gokist/runtime/lazy"
	"math"
	"slices"

	"gokist/obj"
)

// asArray converts a Python value to an in-memory array as np.asarray does: numbers,
// numpy scalars, nested lists and tuples of them (one shape throughout), computed
// arrays and obj.ArrayLike values. The dtype is numpy's default for the values: bool
// if all are bools, int64 if all are ints or bools, float32 if all are np.float32,
// else float64.
func AsArray(fn string, v any) (*lazy.Array, error) {
	switch x := v.(type) {
	case *NDArray:
		return (*lazy.Array)(x), nil
	case obj.ArrayLike:
		vals, err := x.Float64s()
		if err != nil {
			return nil, err
		}
		return lazy.NewArray(vals, x.ArrayShape(), lazy.Float64), nil
	}
	shape, err := listShape(v)
	if err != nil {
		return nil, err
	}
	vals := make([]float64, 0, lazy.Product(shape))
	kinds := map[lazy.DType]bool{}
	var flatten func(v any) error
	flatten = func(v any) error {
		if items, ok := SequenceItems(v); ok {
			for _, it := range items {
				if err := flatten(it); err != nil {
					return err
				}
			}
			return nil
		}
		x, dt, ok := numberOf(v)
		if !ok {
			return obj.Errorf(obj.TypeError, "numpy.%s(): gokist arrays hold numbers, not %s %s", fn, obj.TypeName(v), ShortRepr(v))
		}
		kinds[dt] = true
		vals = append(vals, x)
		return nil
	}
	if err := flatten(v); err != nil {
		return nil, err
	}
	dt := lazy.Float64
	switch {
	case len(vals) == 0:
	case kinds[lazy.Float64]:
	case kinds[lazy.Float32]:
		dt = lazy.Float32
		if kinds[lazy.Int64] {
			dt = lazy.Float64
		}
	case kinds[lazy.Int64]:
		dt = lazy.Int64
	default:
		dt = lazy.Bool
	}
	return lazy.NewArray(vals, shape, dt), nil
}

// sequenceItems gives the items of a list, tuple or other Python sequence.
func SequenceItems(v any) ([]any, bool) {
	switch x := v.(type) {
	case obj.List:
		return x, true
	case obj.Tuple:
		return x, true
	case obj.Sequence:
		return x.Items(), true
	case *NDArray:
		if len(x.Dims) == 0 {
			return nil, false
		}
		items := make([]any, x.Dims[0])
		for i := range items {
			items[i], _ = x.GetItem(nil, i)
		}
		return items, true
	}
	return nil, false
}

// numberOf is a Python or numpy number's value and the dtype numpy gives it.
func numberOf(v any) (float64, lazy.DType, bool) {
	switch x := v.(type) {
	case bool:
		return lazy.B2f(x), lazy.Bool, true
	case Bool:
		return lazy.B2f(bool(x)), lazy.Bool, true
	case int:
		return float64(x), lazy.Int64, true
	case float64:
		return x, lazy.Float64, true
	case float32:
		return float64(x), lazy.Float32, true
	}
	return 0, 0, false
}

// listShape is the shape of nested sequences as numpy finds it: the first items' lengths
// give the shape, and every item must agree, else numpy's ValueError for a ragged list.
func listShape(v any) ([]int, error) {
	var shape []int
	for x := v; ; {
		items, ok := SequenceItems(x)
		if !ok {
			break
		}
		shape = append(shape, len(items))
		if len(items) == 0 {
			break
		}
		x = items[0]
	}
	var check func(v any, depth int) error
	check = func(v any, depth int) error {
		items, ok := SequenceItems(v)
		if depth == len(shape) {
			if ok {
				return Inhomogeneous(depth, shape)
			}
			return nil
		}
		if !ok || len(items) != shape[depth] {
			return Inhomogeneous(depth, shape)
		}
		for _, it := range items {
			if err := check(it, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return shape, check(v, 0)
}

// inhomogeneous is numpy's error for ragged nested lists.
func Inhomogeneous(depth int, shape []int) error {
	return obj.Errorf(obj.ValueError, "setting an array element with a sequence. The requested array has an inhomogeneous shape after %d dimensions. The detected shape was %s + inhomogeneous part.", depth, lazy.ShapeString(shape[:depth]))
}

// castArray converts a to dt when dtype is given (astype's rounding).
func castArray(env *obj.Env, a *lazy.Array, dtype any) (*lazy.Array, error) {
	if dtype == nil {
		return a, nil
	}
	dt, err := ParseDType(dtype)
	if err != nil {
		return nil, err
	}
	if dt == a.DT {
		return a, nil
	}
	return ComputeNode(env, lazy.AstypeNode(&lazy.ArrayNode{A: a}, dt))
}

// shapeArg reads a shape argument: an int or a tuple or list of ints, none negative.
func shapeArg(fn string, v any) ([]int, error) {
	items, ok := SequenceItems(v)
	if !ok {
		items = []any{v}
	}
	shape := make([]int, len(items))
	for i, it := range items {
		n, ok := it.(int)
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "'%s' object cannot be interpreted as an integer", obj.TypeName(it))
		}
		if n < 0 {
			return nil, obj.Errorf(obj.ValueError, "negative dimensions are not allowed")
		}
		shape[i] = n
	}
	return shape, nil
}

// filled makes an array of shape with every element v, after the memory check.
func filled(env *obj.Env, shape []int, v float64, dt lazy.DType) (*lazy.Array, error) {
	if err := lazy.CheckFits(coreClient(env), shape, dt, float64(max(4, dt.ItemSize()))); err != nil {
		return nil, err
	}
	vals := make([]float64, lazy.Product(shape))
	if v = lazy.RoundTo(dt, v); v != 0 {
		for i := range vals {
			vals[i] = v
		}
	}
	return lazy.NewArray(vals, shape, dt), nil
}

// creationFuncs are np.array and its relatives.
func creationFuncs() []*obj.Func {
	fill := func(name string, v float64) *obj.Func {
		return npFunc(name, name+"(shape, dtype=float)", fmt.Sprintf("A new array of shape filled with %g.", v),
			[]obj.Param{{Name: "shape"}, {Name: "dtype", Default: "float"}}, func(env *obj.Env, a []any) (any, error) {
				shape, err := shapeArg(name, a[0])
				if err != nil {
					return nil, err
				}
				dt := lazy.Float64
				if a[1] != nil {
					if dt, err = ParseDType(a[1]); err != nil {
						return nil, err
					}
				}
				return PyArray(filled(env, shape, v, dt))
			})
	}
	like := func(name string, v float64) *obj.Func {
		return npFunc(name, name+"(a, dtype=None)", fmt.Sprintf("A new array of a's shape and dtype filled with %g.", v),
			[]obj.Param{{Name: "a"}, {Name: "dtype", Default: "None"}}, func(env *obj.Env, a []any) (any, error) {
				n, _, err := operand(name, a[0])
				if err != nil {
					return nil, err
				}
				dt := n.DType()
				if a[1] != nil {
					if dt, err = ParseDType(a[1]); err != nil {
						return nil, err
					}
				}
				out, err := filled(env, n.Shape(), v, dt)
				if err != nil {
					return nil, err
				}
				return ScalarOrSelf(out), nil
			})
	}
	arr := func(name, doc string) *obj.Func {
		return npFunc(name, name+"(object, dtype=None)", doc, []obj.Param{{Name: "object"}, {Name: "dtype", Default: "None"}},
			func(env *obj.Env, a []any) (any, error) {
				var x *lazy.Array
				var err error
				if d, ok := a[0].(ArrayHolder); ok {
					a[0] = d.Data()
				}
				if l, ok := a[0].(*LazyArray); ok {
					c, err := l.Compute(env)
					if err != nil {
						return nil, err
					}
					a[0] = c
				}
				if x, err = AsArray(name, a[0]); err != nil {
					return nil, err
				}
				return PyArray(castArray(env, x, a[1]))
			})
	}
	return []*obj.Func{
		arr("array", "An in-memory array from a number, nested lists or an array (a lazy one is computed)."),
		arr("asarray", "The value as an in-memory array (a lazy one is computed; a computed one is returned as it is)."),
		fill("zeros", 0), fill("ones", 1), fill("empty", 0),
		like("zeros_like", 0), like("ones_like", 1),
		npFunc("full", "full(shape, fill_value, dtype=None)", "A new array of shape filled with fill_value.",
			[]obj.Param{{Name: "shape"}, {Name: "fill_value"}, {Name: "dtype", Default: "None"}}, func(env *obj.Env, a []any) (any, error) {
				shape, err := shapeArg("full", a[0])
				if err != nil {
					return nil, err
				}
				v, dt, ok := numberOf(a[1])
				if !ok {
					return nil, obj.Errorf(obj.TypeError, "numpy.full(): fill_value must be a number, not %s", obj.TypeName(a[1]))
				}
				if a[2] != nil {
					if dt, err = ParseDType(a[2]); err != nil {
						return nil, err
					}
				}
				return PyArray(filled(env, shape, v, dt))
			}),
		npFunc("arange", "arange(start, stop=None, step=None, dtype=None)", "Evenly spaced values in [start, stop) step apart (one argument: [0, stop)).",
			[]obj.Param{{Name: "start"}, {Name: "stop", Default: "None"}, {Name: "step", Default: "None"}, {Name: "dtype", Default: "None"}}, arange),
		npFunc("linspace", "linspace(start, stop, num=50, endpoint=True, dtype=None)", "num evenly spaced values from start to stop (stop included unless endpoint=False).",
			[]obj.Param{{Name: "start"}, {Name: "stop"}, {Name: "num", Default: "50"}, {Name: "endpoint", Default: "True"}, {Name: "dtype", Default: "None"}}, linspace),
		npFunc("stack", "stack(arrays, axis=0)", "Join arrays of one shape along a new axis.", []obj.Param{{Name: "arrays"}, {Name: "axis", Default: "0"}},
			func(env *obj.Env, a []any) (any, error) { return joinArrays(env, "stack", a[0], a[1], true) }),
		npFunc("concatenate", "concatenate(arrays, axis=0)", "Join arrays along an existing axis.", []obj.Param{{Name: "arrays"}, {Name: "axis", Default: "0"}},
			func(env *obj.Env, a []any) (any, error) { return joinArrays(env, "concatenate", a[0], a[1], false) }),
		meshgridFunc(),
	}
}

// arange is np.arange: int64 when every argument is an int, else float64.
func arange(env *obj.Env, a []any) (any, error) {
	start, stop, step := a[0], a[1], a[2]
	if stop == nil {
		start, stop = 0, start
	}
	if step == nil {
		step = 1
	}
	dt := lazy.Int64
	var f [3]float64
	for i, v := range []any{start, stop, step} {
		x, k, ok := numberOf(v)
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "unsupported operand type for arange: %s", obj.TypeName(v))
		}
		if k >= lazy.Float32 {
			dt = lazy.Float64
		}
		f[i] = x
	}
	if f[2] == 0 {
		return nil, obj.Errorf(obj.ZeroDivisionError, "division by zero")
	}
	n := int(max(0, math.Ceil((f[1]-f[0])/f[2])))
	if a[3] != nil {
		var err error
		if dt, err = ParseDType(a[3]); err != nil {
			return nil, err
		}
	}
	if err := lazy.CheckFits(coreClient(env), []int{n}, dt, 8); err != nil {
		return nil, err
	}
	vals := make([]float64, n)
	delta := (f[0] + f[2]) - f[0] // numpy fills from the first two values' difference
	for i := range vals {
		vals[i] = lazy.RoundTo(dt, f[0]+float64(i)*delta)
	}
	return (*NDArray)(lazy.NewArray(vals, []int{n}, dt)), nil
}

// linspace is np.linspace: start + i·step, the last value stop exactly.
func linspace(env *obj.Env, a []any) (any, error) {
	start, _, ok1 := numberOf(a[0])
	stop, _, ok2 := numberOf(a[1])
	if !ok1 || !ok2 {
		return nil, obj.Errorf(obj.TypeError, "numpy.linspace(): start and stop must be numbers")
	}
	num, ok := a[2].(int)
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "'%s' object cannot be interpreted as an integer", obj.TypeName(a[2]))
	}
	if num < 0 {
		return nil, obj.Errorf(obj.ValueError, "Number of samples, %d, must be non-negative.", num)
	}
	endpoint := a[3] == nil || truthy(a[3])
	div := num
	if endpoint {
		div = num - 1
	}
	if err := lazy.CheckFits(coreClient(env), []int{num}, lazy.Float64, 8); err != nil {
		return nil, err
	}
	vals := make([]float64, num)
	delta := stop - start
	step := delta / float64(div)
	for i := range vals {
		switch {
		case div > 0 && step != 0:
			vals[i] = float64(i)*step + start
		case div > 0:
			vals[i] = float64(i)/float64(div)*delta + start
		default:
			vals[i] = float64(i)*delta + start
		}
	}
	if endpoint && num > 1 {
		vals[num-1] = stop
	}
	out := lazy.NewArray(vals, []int{num}, lazy.Float64)
	return PyArray(castArray(env, out, a[4]))
}

// truthy is Python's truth of a bool-like argument.
func truthy(v any) bool {
	b, ok := boolOf(v)
	if ok {
		return b
	}
	switch x := v.(type) {
	case int:
		return x != 0
	case float64:
		return x != 0
	}
	return v != nil
}

// joinArrays is np.stack (newAxis) or np.concatenate of computed arrays along axis.
func joinArrays(env *obj.Env, fn string, seq, axisArg any, newAxis bool) (any, error) {
	items, ok := SequenceItems(seq)
	if !ok || len(items) == 0 {
		return nil, obj.Errorf(obj.ValueError, "need at least one array to %s", map[bool]string{true: "stack", false: "concatenate"}[newAxis])
	}
	arrs := make([]*lazy.Array, len(items))
	dt := lazy.Bool
	for i, it := range items {
		a, err := computedArray(env, fn, it)
		if err != nil {
			return nil, err
		}
		switch {
		case newAxis && !slices.Equal(a.Dims, firstShape(arrs, a)):
			return nil, obj.Errorf(obj.ValueError, "all input arrays must have the same shape")
		case !newAxis && axisArg == nil: // numpy flattens every array first
			a = withShape(a, []int{a.Size()})
		case !newAxis && len(a.Dims) == 0:
			return nil, obj.Errorf(obj.ValueError, "zero-dimensional arrays cannot be concatenated")
		case !newAxis && i > 0 && len(a.Dims) != len(arrs[0].Dims):
			return nil, obj.Errorf(obj.ValueError, "all the input arrays must have same number of dimensions, but the array at index 0 has %d dimension(s) and the array at index %d has %d dimension(s)", len(arrs[0].Dims), i, len(a.Dims))
		}
		arrs[i], dt = a, lazy.Promote(dt, a.DT)
		if i == 0 {
			dt = a.DT
		}
	}
	if newAxis {
		for i, a := range arrs {
			arrs[i] = withShape(a, append([]int{1}, a.Dims...))
		}
	}
	if axisArg == nil {
		axisArg = 0
	}
	nd := len(arrs[0].Dims)
	axis, ok := axisArg.(int)
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "'%s' object cannot be interpreted as an integer", obj.TypeName(axisArg))
	}
	if axis < 0 {
		axis += nd
	}
	if axis < 0 || axis >= nd {
		return nil, obj.Errorf(AxisError, "axis %d is out of bounds for array of dimension %d", axisArg, nd)
	}
	if newAxis && axis != 0 {
		for i, a := range arrs {
			perm := moveAxisPerm(nd, 0, axis)
			arrs[i] = transposed(a, perm)
		}
	}
	return PyArray(concatArrays(fn, arrs, axis, dt, newAxis))
}

// firstShape is the shape of the first array of arrs, or of a while arrs has none yet.
func firstShape(arrs []*lazy.Array, a *lazy.Array) []int {
	if arrs[0] != nil {
		return arrs[0].Dims
	}
	return a.Dims
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// concatArrays joins arrays along axis (their other axes must agree) into dtype dt.
func concatArrays(fn string, arrs []*lazy.Array, axis int, dt lazy.DType, stacked bool) (*lazy.Array, error) {
	shape := slices0(arrs[0].Dims)
	shape[axis] = 0
	for i, a := range arrs {
		if len(a.Dims) != len(shape) {
			return nil, obj.Errorf(obj.ValueError, "all the input array dimensions except for the concatenation axis must match exactly, but along dimension 0, the array at index 0 has %d dimension(s) and the array at index %d has %d dimension(s)", len(shape), i, len(a.Dims))
		}
		for ax, s := range a.Dims {
			if ax != axis && s != arrs[0].Dims[ax] {
				if stacked {
					return nil, obj.Errorf(obj.ValueError, "all input arrays must have the same shape")
				}
				return nil, obj.Errorf(obj.ValueError, "all the input array dimensions except for the concatenation axis must match exactly, but along dimension %d, the array at index 0 has size %d and the array at index %d has size %d", ax, arrs[0].Dims[ax], i, s)
			}
		}
		shape[axis] += a.Dims[axis]
	}
	outer := lazy.Product(shape[:axis])
	vals := make([]float64, 0, lazy.Product(shape))
	for o := range outer {
		for _, a := range arrs {
			inner := lazy.Product(a.Dims[axis:])
			for k := o * inner; k < (o+1)*inner; k++ {
				vals = append(vals, lazy.RoundTo(dt, a.At(k)))
			}
		}
	}
	return lazy.NewArray(vals, shape, dt), nil
}

// slices0 copies a shape.
func slices0(s []int) []int { return append([]int(nil), s...) }

// meshgridFunc is np.meshgrid(*xi, indexing='xy'): coordinate matrices of 1-D inputs,
// a list as numpy 1.24 returns.
func meshgridFunc() *obj.Func {
	f := &obj.Func{Name: "meshgrid", Signature: "numpy.meshgrid(*xi, indexing='xy')", Doc: "Coordinate arrays from 1-D coordinate vectors: 'xy' (Cartesian, the default) or 'ij' (matrix) indexing."}
	f.Call = func(env *obj.Env, args obj.Args) (any, error) {
		if r, handled, err := overrideCall(env, "meshgrid", args); handled || err != nil {
			return r, err
		}
		indexing := "xy"
		for k, v := range args.Kw {
			s, ok := v.(string)
			if k != "indexing" {
				return nil, obj.Errorf(obj.TypeError, "meshgrid() got an unexpected keyword argument '%s'", k)
			}
			if !ok || s != "xy" && s != "ij" {
				return nil, obj.Errorf(obj.ValueError, "Valid values for `indexing` are 'xy' and 'ij'.")
			}
			indexing = s
		}
		xs := make([]*lazy.Array, len(args.Pos))
		shape := make([]int, len(xs))
		for i, v := range args.Pos {
			a, err := computedArray(env, "meshgrid", v)
			if err != nil {
				return nil, err
			}
			xs[i], shape[i] = a, a.Size()
		}
		// Input i varies along output axis i, except that 'xy' swaps the first two.
		axisOf := func(i int) int { return i }
		if indexing == "xy" && len(xs) > 1 {
			shape[0], shape[1] = shape[1], shape[0]
			axisOf = func(i int) int {
				switch i {
				case 0:
					return 1
				case 1:
					return 0
				}
				return i
			}
		}
		if err := lazy.CheckFits(coreClient(env), shape, lazy.Float64, 8*float64(len(xs))); err != nil {
			return nil, err
		}
		out := make(obj.List, len(xs))
		st := lazy.StridesOf(shape)
		for i, x := range xs {
			ax := axisOf(i)
			vals := make([]float64, lazy.Product(shape))
			for k := range vals {
				vals[k] = x.At(k / st[ax] % shape[ax])
			}
			out[i] = (*NDArray)(lazy.NewArray(vals, shape, x.DT))
		}
		return out, nil
	}
	return f
}
