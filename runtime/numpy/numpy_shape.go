package numpy

// numpy's shape functions: transpose, reshape, squeeze, expand_dims, moveaxis, ravel.
// On computed arrays they share the values (arrays are never changed in place); on lazy
// arrays, transposes and inserting or removing length-1 axes are graph nodes that read
// nothing, and other reshapes ask to compute first.

import (
	"gokist/runtime/lazy"
	"slices"
	"strconv"

	"gokist/obj"
)

// axisError is numpy's AxisError class (a ValueError and an IndexError in numpy).
const AxisError = "AxisError"

// withShape is a view of a's values with another shape of the same size.
func withShape(a *lazy.Array, shape []int) *lazy.Array {
	return &lazy.Array{Values: a.Values, Values32: a.Values32, Dims: slices.Clone(shape), DT: a.DT}
}

// transposed is a copy of a with its axes permuted (output axis i is a's axis perm[i]).
func transposed(a *lazy.Array, perm []int) *lazy.Array {
	out, err := ComputeNode(nil, &lazy.TransposeNode{In: &lazy.ArrayNode{A: a}, Perm: perm})
	if err != nil {
		panic("runtime: transposing an in-memory array failed: " + err.Error())
	}
	return out
}

// moveAxisPerm is the permutation that moves axis src of nd axes to position dst.
func moveAxisPerm(nd, src, dst int) []int {
	var perm []int
	for i := range nd {
		if i != src {
			perm = append(perm, i)
		}
	}
	return slices.Insert(perm, dst, src)
}

// axisArg normalizes one axis for an array of nd axes, with numpy's AxisError.
func axisArg(v any, nd int) (int, error) {
	k, ok := v.(int)
	if !ok {
		return 0, obj.Errorf(obj.TypeError, "'%s' object cannot be interpreted as an integer", obj.TypeName(v))
	}
	ax := k
	if ax < 0 {
		ax += nd
	}
	if ax < 0 || ax >= nd {
		return 0, obj.Errorf(AxisError, "axis %d is out of bounds for array of dimension %d", k, nd)
	}
	return ax, nil
}

// axesList normalizes an int or a sequence of ints as axes of an nd-axis array, each
// once.
func axesList(v any, nd int) ([]int, error) {
	items, ok := SequenceItems(v)
	if !ok {
		items = []any{v}
	}
	axes := make([]int, len(items))
	for i, it := range items {
		ax, err := axisArg(it, nd)
		if err != nil {
			return nil, err
		}
		if slices.Contains(axes[:i], ax) {
			return nil, obj.Errorf(obj.ValueError, "repeated axis")
		}
		axes[i] = ax
	}
	return axes, nil
}

// transposeNodeOf permutes n's axes (axes nil: reversed), checking axes as numpy does.
func transposeNodeOf(n lazy.Node, axes any) (lazy.Node, error) {
	nd := len(n.Shape())
	perm := make([]int, nd)
	for i := range perm {
		perm[i] = nd - 1 - i
	}
	if axes != nil {
		p, err := axesList(axes, nd)
		if err != nil {
			return nil, err
		}
		if len(p) != nd {
			return nil, obj.Errorf(obj.ValueError, "axes don't match array")
		}
		perm = p
	}
	if slices.IsSorted(perm) {
		return n, nil
	}
	return &lazy.TransposeNode{In: n, Perm: perm}, nil
}

// reshapeNodeOf reshapes n to newshape (one entry may be -1), as numpy's reshape; on
// a lazy array only length-1 axes may come and go.
func reshapeNodeOf(n lazy.Node, newshape any, isLazy bool) (lazy.Node, error) {
	items, ok := SequenceItems(newshape)
	if !ok {
		items = []any{newshape}
	}
	size := lazy.Product(n.Shape())
	shape := make([]int, len(items))
	unknown := -1
	known := 1
	for i, it := range items {
		k, ok := it.(int)
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "'%s' object cannot be interpreted as an integer", obj.TypeName(it))
		}
		switch {
		case k == -1 && unknown < 0:
			unknown = i
		case k == -1:
			return nil, obj.Errorf(obj.ValueError, "can only specify one unknown dimension")
		case k < 0:
			return nil, obj.Errorf(obj.ValueError, "negative dimensions not allowed")
		default:
			known *= k
		}
		shape[i] = k
	}
	if unknown >= 0 && known > 0 && size%known == 0 {
		shape[unknown] = size / known
	}
	if unknown >= 0 && (known == 0 || size%known != 0) || lazy.Product(shape) != size {
		return nil, obj.Errorf(obj.ValueError, "cannot reshape array of size %d into shape %s", size, numpyShapeText(items))
	}
	if isLazy && !slices.Equal(withoutOnes(shape), withoutOnes(n.Shape())) {
		return nil, obj.Errorf(obj.ValueError, "reshape of a lazy array from %s to %s is not supported", lazy.ShapeString(n.Shape()), lazy.ShapeString(shape)).
			WithHint("index and reduce lazily, then call .compute() and reshape the computed array; a lazy reshape may only add or remove axes of length 1")
	}
	if a, ok := n.(*lazy.ArrayNode); ok {
		return &lazy.ArrayNode{A: withShape(a.A, shape)}, nil
	}
	return lazy.NewReshape(n, shape), nil
}

// numpyShapeText prints a requested shape as numpy's C code does in reshape's error:
// no spaces, -1 as "newaxis", leading -1 entries left out, "(5,)" for one entry.
func numpyShapeText(items []any) string {
	vals := make([]int, len(items))
	for i, it := range items {
		vals[i], _ = it.(int)
	}
	i := 0
	for i < len(vals) && vals[i] < 0 {
		i++
	}
	if i == len(vals) {
		return "()"
	}
	s := "(" + strconv.Itoa(vals[i])
	for i++; i < len(vals); i++ {
		if vals[i] < 0 {
			s += ",newaxis"
		} else {
			s += "," + strconv.Itoa(vals[i])
		}
	}
	if len(vals) == 1 {
		return s + ",)"
	}
	return s + ")"
}

// withoutOnes drops the length-1 entries of a shape.
func withoutOnes(shape []int) []int {
	var out []int
	for _, s := range shape {
		if s != 1 {
			out = append(out, s)
		}
	}
	return out
}

// squeezeNodeOf removes length-1 axes (all of them, or those of axis).
func squeezeNodeOf(n lazy.Node, axis any) (lazy.Node, error) {
	shape := n.Shape()
	drop := map[int]bool{}
	if axis == nil {
		for i, s := range shape {
			drop[i] = s == 1
		}
	} else {
		axes, err := axesList(axis, len(shape))
		if err != nil {
			return nil, err
		}
		for _, ax := range axes {
			if shape[ax] != 1 {
				return nil, obj.Errorf(obj.ValueError, "cannot select an axis to squeeze out which has size not equal to one")
			}
			drop[ax] = true
		}
	}
	var out []int
	for i, s := range shape {
		if !drop[i] {
			out = append(out, s)
		}
	}
	return reshapeTo(n, out), nil
}

// reshapeTo gives n with a shape that differs only by length-1 axes.
func reshapeTo(n lazy.Node, shape []int) lazy.Node {
	if a, ok := n.(*lazy.ArrayNode); ok {
		return &lazy.ArrayNode{A: withShape(a.A, shape)}
	}
	return lazy.NewReshape(n, shape)
}

// expandDimsNodeOf inserts length-1 axes at the positions axis names in the result.
func expandDimsNodeOf(n lazy.Node, axis any) (lazy.Node, error) {
	shape := n.Shape()
	axes, err := axesList(axis, len(shape)+countItems(axis))
	if err != nil {
		return nil, err
	}
	out := make([]int, 0, len(shape)+len(axes))
	k := 0
	for i := 0; i < len(shape)+len(axes); i++ {
		if slices.Contains(axes, i) {
			out = append(out, 1)
		} else {
			out = append(out, shape[k])
			k++
		}
	}
	return reshapeTo(n, out), nil
}

// countItems is the number of items of an axis argument (1 for an int).
func countItems(v any) int {
	if items, ok := SequenceItems(v); ok {
		return len(items)
	}
	return 1
}

// moveaxisNodeOf moves the axes source to the positions destination.
func moveaxisNodeOf(n lazy.Node, source, destination any) (lazy.Node, error) {
	nd := len(n.Shape())
	src, err := axesList(source, nd)
	if err != nil {
		return nil, prefixError(err, "source: ")
	}
	dst, err := axesList(destination, nd)
	if err != nil {
		return nil, prefixError(err, "destination: ")
	}
	if len(src) != len(dst) {
		return nil, obj.Errorf(obj.ValueError, "`source` and `destination` arguments must have the same number of elements")
	}
	// numpy: the other axes keep their order, then each source goes to its destination.
	var order []int
	for i := range nd {
		if !slices.Contains(src, i) {
			order = append(order, i)
		}
	}
	type pair struct{ d, s int }
	pairs := make([]pair, len(src))
	for i := range src {
		pairs[i] = pair{dst[i], src[i]}
	}
	slices.SortFunc(pairs, func(a, b pair) int { return a.d - b.d })
	for _, p := range pairs {
		order = slices.Insert(order, p.d, p.s)
	}
	return transposeNodeOf(n, obj.ShapeTuple(order))
}

// prefixError puts prefix before an AxisError's message, as numpy's moveaxis names the
// argument.
func prefixError(err error, prefix string) error {
	if oe, ok := err.(*obj.Error); ok && oe.Class == AxisError {
		e := *oe
		e.Msg = prefix + e.Msg
		return &e
	}
	return err
}

// shapeFuncs are numpy's shape functions as module functions.
func shapeFuncs() []*obj.Func {
	unary := func(name, sig, doc string, extra []obj.Param, build func(n lazy.Node, isLazy bool, v []any) (lazy.Node, error)) *obj.Func {
		return npFunc(name, sig, doc, append([]obj.Param{{Name: "a"}}, extra...), func(env *obj.Env, v []any) (any, error) {
			n, isLazy, err := operand(name, v[0])
			if err != nil {
				return nil, err
			}
			out, err := build(n, isLazy, v)
			if err != nil {
				return nil, err
			}
			return finishNode(env, out, isLazy)
		})
	}
	return []*obj.Func{
		unary("transpose", "transpose(a, axes=None)", "The array with its axes reversed, or permuted as axes says.", []obj.Param{{Name: "axes", Default: "None"}},
			func(n lazy.Node, _ bool, v []any) (lazy.Node, error) { return transposeNodeOf(n, v[1]) }),
		unary("reshape", "reshape(a, newshape)", "The values in a new shape of the same size (one entry may be -1).", []obj.Param{{Name: "newshape"}},
			func(n lazy.Node, isLazy bool, v []any) (lazy.Node, error) { return reshapeNodeOf(n, v[1], isLazy) }),
		unary("ravel", "ravel(a)", "The values as a 1-D array, in C order.", nil,
			func(n lazy.Node, isLazy bool, v []any) (lazy.Node, error) { return reshapeNodeOf(n, -1, isLazy) }),
		unary("squeeze", "squeeze(a, axis=None)", "The array without its length-1 axes (or those of axis).", []obj.Param{{Name: "axis", Default: "None"}},
			func(n lazy.Node, _ bool, v []any) (lazy.Node, error) { return squeezeNodeOf(n, v[1]) }),
		unary("expand_dims", "expand_dims(a, axis)", "The array with length-1 axes inserted at the positions axis gives.", []obj.Param{{Name: "axis"}},
			func(n lazy.Node, _ bool, v []any) (lazy.Node, error) { return expandDimsNodeOf(n, v[1]) }),
		unary("moveaxis", "moveaxis(a, source, destination)", "The array with axes source moved to the positions destination.", []obj.Param{{Name: "source"}, {Name: "destination"}},
			func(n lazy.Node, _ bool, v []any) (lazy.Node, error) { return moveaxisNodeOf(n, v[1], v[2]) }),
	}
}

// shapeMembers are the array methods of shape: .T, transpose, reshape, squeeze, ravel,
// flatten.
func shapeMembers(nodeOfRecv func(any) lazy.Node, finish func(env *obj.Env, n lazy.Node) (any, error), isLazy bool) []*obj.Member {
	build := func(name, sig, doc string, fn func(n lazy.Node, args obj.Args) (lazy.Node, error)) *obj.Member {
		return &obj.Member{Name: name, Signature: sig, Doc: doc, Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
			out, err := fn(nodeOfRecv(recv), args)
			if err != nil {
				return nil, err
			}
			return finish(env, out)
		}}
	}
	// shapeOf reads x.reshape(2, 3) and x.reshape((2, 3)) alike.
	varargs := func(args obj.Args) any {
		if len(args.Pos) == 1 {
			return args.Pos[0]
		}
		return obj.Tuple(args.Pos)
	}
	return []*obj.Member{
		obj.Attr("T", "The array with its axes reversed.", func(env *obj.Env, recv any) (any, error) {
			n, _ := transposeNodeOf(nodeOfRecv(recv), nil)
			return finish(env, n)
		}),

		build("transpose", "transpose(*axes)", "The array with its axes reversed, or permuted as axes says.", func(n lazy.Node, args obj.Args) (lazy.Node, error) {
			if len(args.Pos) == 0 {
				return transposeNodeOf(n, nil)
			}
			return transposeNodeOf(n, varargs(args))
		}),
		build("reshape", "reshape(*shape)", "The values in a new shape of the same size (one entry may be -1).", func(n lazy.Node, args obj.Args) (lazy.Node, error) {
			if len(args.Pos) == 0 {
				return nil, obj.Errorf(obj.TypeError, "reshape() takes exactly 1 argument (0 given)")
			}
			return reshapeNodeOf(n, varargs(args), isLazy)
		}),
		build("squeeze", "squeeze(axis=None)", "The array without its length-1 axes (or those of axis).", func(n lazy.Node, args obj.Args) (lazy.Node, error) {
			v, err := args.Bind("squeeze", []obj.Param{{Name: "axis", Default: "None"}})
			if err != nil {
				return nil, err
			}
			return squeezeNodeOf(n, v[0])
		}),
		build("ravel", "ravel()", "The values as a 1-D array, in C order.", func(n lazy.Node, args obj.Args) (lazy.Node, error) {
			return reshapeNodeOf(n, -1, isLazy)
		}),
		build("flatten", "flatten()", "A copy of the values as a 1-D array, in C order.", func(n lazy.Node, args obj.Args) (lazy.Node, error) {
			return reshapeNodeOf(n, -1, isLazy)
		}),
	}
}
