package numpy

// numpy's reductions as module functions and array methods, with axis= (an int or a
// tuple) and keepdims=: a reduceNode, lazy on lazy arrays, streaming over the chunks.

import (
	"gokist/runtime/lazy"
	"math"
	"slices"

	"gokist/obj"
)

// reductionNames are numpy's reductions that gokist streams (every ReduceOp, its nan
// form, any and all).
func ReductionNames() []string {
	var names []string
	for _, op := range lazy.ReduceOps {
		names = append(names, op.Name, "nan"+op.Name)
	}
	return append(names, "any", "all")
}

// reduceParams are the parameters of a reduction method; std and var take ddof too.
func reduceParams(name string) []obj.Param {
	ps := []obj.Param{{Name: "axis", Default: "None"}, {Name: "keepdims", Default: "False"}}
	base, _ := CutNan(name)
	switch base {
	case "std", "var":
		ps = append(ps, obj.Param{Name: "ddof", Default: "0"}, obj.Param{Name: "dtype", Default: "None"})
	case "sum", "mean":
		ps = append(ps, obj.Param{Name: "dtype", Default: "None"})
	}
	return ps
}

// reduceOptions reads the optional arguments after axis and keepdims: ddof and
// dtype, by name (nil where the reduction has none or the call gave none).
func reduceOptions(params []obj.Param, v []any) (ddof, dtype any) {
	for i, p := range params {
		switch p.Name {
		case "ddof":
			ddof = v[i]
		case "dtype":
			dtype = v[i]
		}
	}
	return ddof, dtype
}

// withDType is the input of a reduction with dtype=: its values converted first, as
// numpy accumulates in that dtype (gokist sums float32 in float64 either way).
func withDType(n lazy.Node, dtype any) (lazy.Node, error) {
	if dtype == nil {
		return n, nil
	}
	dt, err := ParseDType(dtype)
	if err != nil {
		return nil, err
	}
	if dt == n.DType() {
		return n, nil
	}
	return lazy.AstypeNode(n, dt), nil
}

// reduceWith builds the reduction name of n over axis, with keepdims and ddof (nil
// for their defaults).
func reduceWith(n lazy.Node, name string, axis, keepdims, ddof any) (lazy.Node, error) {
	red, err := NewReduce(n, name, axis)
	if err != nil {
		return nil, err
	}
	var out lazy.Node = red
	if ddof != nil {
		if out, err = withDDOF(red, ddof); err != nil {
			return nil, err
		}
	}
	if keepdims != nil && truthy(keepdims) {
		shape := slices.Clone(n.Shape())
		for i := range shape {
			if red.All || slices.Contains(red.Axes, i) {
				shape[i] = 1
			}
		}
		out = lazy.NewReshape(out, shape)
	}
	return out, nil
}

// withDDOF is a variance (or standard deviation) dividing the squared deviations by
// N - ddof instead of N, as numpy's ddof= (N - ddof <= 0 divides by 0: inf, or nan for
// no deviation, as numpy; nanvar and nanstd give nan there).
func withDDOF(red *lazy.ReduceNode, ddof any) (lazy.Node, error) {
	d, _, ok := numberOf(ddof)
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "ddof must be a number, not %s", obj.TypeName(ddof))
	}
	if d == 0 {
		return red, nil
	}
	op := *red.Op
	sqrt, nanForm := red.Op == lazy.Std, red.Nan
	op.Finish = func(a *lazy.Accumulator, out []float64) bool {
		for i := range out {
			out[i] = a.M2[i] / max(float64(a.N[i])-d, 0)
			if a.N[i] == 0 || nanForm && float64(a.N[i])-d <= 0 { // nanvar's rule
				out[i] = math.NaN()
			}
			if sqrt {
				out[i] = math.Sqrt(out[i])
			}
		}
		return true
	}
	r := *red
	r.Op = &op
	return &r, nil
}

// reductionFuncs are the module's reductions: np.sum(a, axis=None, keepdims=False), …
func reductionFuncs() []*obj.Func {
	var out []*obj.Func
	for _, name := range ReductionNames() {
		params := append([]obj.Param{{Name: "a"}}, reduceParams(name)...)
		doc := "numpy." + name + " over axis (None: all; an int or a tuple of ints); keepdims keeps the reduced axes with length 1. Lazy on lazy arrays (it streams over the chunks)."
		out = append(out, npFunc(name, name+"(a, axis=None, keepdims=False)", doc, params, func(env *obj.Env, v []any) (any, error) {
			n, isLazy, err := operand(name, v[0])
			if err != nil {
				return nil, err
			}
			ddof, dtype := reduceOptions(params[1:], v[1:])
			if n, err = withDType(n, dtype); err != nil {
				return nil, err
			}
			r, err := reduceWith(n, name, v[1], v[2], ddof)
			if err != nil {
				return nil, err
			}
			return finishNode(env, r, isLazy)
		}))
	}
	return append(out,
		npFunc("count_nonzero", "count_nonzero(a, axis=None, keepdims=False)", "The number of non-zero values (nan counts) over axis. Lazy on lazy arrays.",
			[]obj.Param{{Name: "a"}, {Name: "axis", Default: "None"}, {Name: "keepdims", Default: "False"}}, countNonzero),
		npFunc("unravel_index", "unravel_index(indices, shape)", "The index tuple of a flat (C-order) index, or of each of an array of them.",
			[]obj.Param{{Name: "indices"}, {Name: "shape"}}, unravelIndex),
	)
}

// countNonzero is np.count_nonzero: (a != 0).sum(axis), as ints.
func countNonzero(env *obj.Env, v []any) (any, error) {
	n, isLazy, err := operand("count_nonzero", v[0])
	if err != nil {
		return nil, err
	}
	ne, _, err := BinaryNode("!=", n, 0, false)
	if err != nil {
		return nil, err
	}
	r, err := reduceWith(ne, "sum", v[1], v[2], nil)
	if err != nil {
		return nil, err
	}
	return finishNode(env, r, isLazy)
}

// unravelIndex is np.unravel_index for an int or an int array of flat indices.
func unravelIndex(env *obj.Env, v []any) (any, error) {
	shape, err := shapeArg("unravel_index", v[1])
	if err != nil {
		return nil, err
	}
	size := lazy.Product(shape)
	one := func(i int) ([]int, error) {
		if i < 0 || i >= size {
			return nil, obj.Errorf(obj.ValueError, "index %d is out of bounds for array with size %d", i, size)
		}
		st := lazy.StridesOf(shape)
		out := make([]int, len(shape))
		for k := range shape {
			out[k] = i / st[k] % shape[k]
		}
		return out, nil
	}
	if i, ok := v[0].(int); ok {
		idx, err := one(i)
		if err != nil {
			return nil, err
		}
		return obj.ShapeTuple(idx), nil
	}
	a, err := computedArray(env, "unravel_index", v[0])
	if err != nil {
		return nil, err
	}
	if a.DT != lazy.Int64 {
		return nil, obj.Errorf(obj.TypeError, "only int indices permitted")
	}
	cols := make([][]float64, len(shape))
	for k := range cols {
		cols[k] = make([]float64, a.Size())
	}
	for j := range a.Size() {
		idx, err := one(int(a.At(j)))
		if err != nil {
			return nil, err
		}
		for k, x := range idx {
			cols[k][j] = float64(x)
		}
	}
	out := make(obj.Tuple, len(shape))
	for k := range out {
		out[k] = ScalarOrSelf(lazy.NewArray(cols[k], a.Dims, lazy.Int64))
	}
	return out, nil
}

// reductionMembers are the reduction methods of arrays (x.sum(axis=0, keepdims=True)).
func reductionMembers(nodeOfRecv func(any) lazy.Node, finish func(env *obj.Env, n lazy.Node) (any, error), when string) []*obj.Member {
	var ms []*obj.Member
	for _, name := range ReductionNames() {
		base, _ := CutNan(name)
		doc := reductionDocs[base]
		if doc == "" {
			doc = "Whether any (all) values are true (non-zero; NaN counts as true) over the given axes."
		}
		if base != name {
			doc += " NaN values are ignored."
		}
		params := reduceParams(name)
		ms = append(ms, obj.Method(name, name+"(axis=None, keepdims=False)", doc+" axis: None (all), an int or a tuple of ints; negative counts from the end. The result is "+when+".",
			params, func(env *obj.Env, recv any, v []any) (any, error) {
				ddof, dtype := reduceOptions(params, v)
				n, err := withDType(nodeOfRecv(recv), dtype)
				if err != nil {
					return nil, err
				}
				r, err := reduceWith(n, name, v[0], v[1], ddof)
				if err != nil {
					return nil, err
				}
				return finish(env, r)
			}))
	}
	return ms
}

// cutNan splits the nan prefix off a reduction's name.
func CutNan(name string) (string, bool) {
	if len(name) > 3 && name[:3] == "nan" {
		return name[3:], true
	}
	return name, false
}
