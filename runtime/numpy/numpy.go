package numpy

// This file is the numpy module of cells (`import numpy as np`): its registration, the
// dispatch every function goes through (a value implementing obj.UfuncOverrider, such
// as astropy's Quantity, takes the call first, as numpy's __array_ufunc__), and the
// decoding of array arguments. Functions of lazy arrays (ds.data, a Dataset) build a
// graph and read nothing, as dask's do under numpy's dispatch; functions of computed
// arrays and Python values run at once. The functions themselves are in
// numpy_funcs.go (element-wise), numpy_reduce.go, numpy_create.go and numpy_shape.go.

import (
	"gokist/runtime/lazy"
	"math"
	"slices"
	"sort"
	"strconv"

	"gokist/obj"
)

func init() {
	obj.RegisterModule("numpy", func(obj.ModuleScope) (any, error) { return Module(), nil })
}

// numpyModule builds the module value: functions, dtypes and constants.
func Module() *obj.Module {
	attrs := map[string]any{
		"pi": math.Pi, "e": math.E, "nan": math.NaN(), "inf": math.Inf(1),
		"newaxis": nil,
	}
	for _, fns := range [][]*obj.Func{elementwiseFuncs(), reductionFuncs(), creationFuncs(), shapeFuncs(), dtypeFuncs(), orderFuncs()} {
		for _, f := range fns {
			attrs[f.Name] = f
		}
	}
	for name, dt := range map[string]lazy.DType{"float32": lazy.Float32, "float64": lazy.Float64, "int64": lazy.Int64, "bool_": lazy.Bool} {
		attrs[name] = scalarTypeFunc(name, dt)
	}
	return obj.NewModule("numpy", "numpy's arrays, element-wise functions and reductions: lazy on dataset arrays (they build a graph, as dask's), computed at once on computed arrays and Python values.", attrs)
}

// npFunc makes a numpy function with numpy's parameters. Before binding its arguments,
// the call is offered to the first argument that overrides numpy (obj.UfuncOverrider).
func npFunc(name, sig, doc string, params []obj.Param, call func(env *obj.Env, v []any) (any, error)) *obj.Func {
	return &obj.Func{Name: name, Signature: "numpy." + sig, Doc: doc, Params: params,
		Call: func(env *obj.Env, args obj.Args) (any, error) {
			if r, handled, err := overrideCall(env, name, args); handled || err != nil {
				return r, err
			}
			v, err := bindWithDefaults(name, params, args)
			if err != nil {
				return nil, err
			}
			return call(env, v)
		}}
}

// bindWithDefaults binds args to params and gives each parameter the call leaves out
// its default's value, so that a function can tell an explicit None (np.concatenate's
// axis=None flattens) from a default.
func bindWithDefaults(name string, params []obj.Param, args obj.Args) ([]any, error) {
	v, err := args.Bind(name, params)
	if err != nil {
		return nil, err
	}
	for i, p := range params {
		if _, given := args.Kw[p.Name]; i >= len(args.Pos) && !given {
			v[i] = defaultValue(p.Default)
		}
	}
	return v, nil
}

// defaultValue is the value of a parameter default as the Params write it.
func defaultValue(src string) any {
	switch src {
	case "", "None":
		return nil
	case "True", "False":
		return src == "True"
	case "float":
		return DType{lazy.Float64}
	}
	if n, err := strconv.Atoi(src); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(src, 64); err == nil {
		return f
	}
	panic("runtime: numpy parameter default " + src + " has no value")
}

// overrideCall offers a call to the first argument, in order (positional, then
// keywords by name, then the items of a list or tuple argument), that implements
// obj.UfuncOverrider; handled is false when none does or all decline.
func overrideCall(env *obj.Env, name string, args obj.Args) (any, bool, error) {
	vals := slices.Clone(args.Pos)
	keys := make([]string, 0, len(args.Kw))
	for k := range args.Kw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		vals = append(vals, args.Kw[k])
	}
	var nested []any
	for _, v := range vals {
		switch x := v.(type) {
		case obj.List:
			nested = append(nested, x...)
		case obj.Tuple:
			nested = append(nested, x...)
		}
	}
	for _, v := range append(vals, nested...) {
		if o, ok := v.(obj.UfuncOverrider); ok {
			r, handled, err := o.ArrayUfunc(env, name, args.Pos, args.Kw)
			if handled || err != nil {
				return r, true, err
			}
		}
	}
	return nil, false, nil
}

// operand is an array argument as a graph node: lazy arrays and datasets as their
// graphs (lazy=true), computed arrays, obj.ArrayLike values, Python numbers and nested
// lists as in-memory leaves.
func operand(fn string, v any) (n lazy.Node, isLazy bool, err error) {
	switch x := v.(type) {
	case *LazyArray, ArrayHolder:
		n, _ = NodeOf(x)
		return n, true, nil
	case float32:
		// np.sqrt(np.float32(2)) is an np.float32.
		return &lazy.ConstNode{V: float64(x), Dt: lazy.Float32}, false, nil
	}
	if n, ok := NodeOf(v); ok {
		return n, false, nil
	}
	a, err := AsArray(fn, v)
	if err != nil {
		return nil, false, err
	}
	return &lazy.ArrayNode{A: a}, false, nil
}

// operandValue is v as binaryOp takes its other operand: Python numbers as they are
// (numpy's value-based casting looks at them), anything else as its graph.
func operandValue(fn string, v any) (any, bool, error) {
	if _, ok := NodeOf(v); ok {
		_, isLazy := v.(*LazyArray)
		_, ds := v.(ArrayHolder)
		return v, isLazy || ds, nil
	}
	n, isLazy, err := operand(fn, v)
	if err != nil {
		return nil, false, err
	}
	return &LazyArray{n}, isLazy, nil
}

// finishNode is a function's result: lazy (a LazyArray) when any input was lazy, else
// computed at once, a 0-d result as numpy's scalar.
func finishNode(env *obj.Env, n lazy.Node, isLazy bool) (any, error) {
	if isLazy {
		return &LazyArray{n}, nil
	}
	a, err := ComputeNode(env, n)
	if err != nil {
		return nil, err
	}
	return ScalarOrSelf(a), nil
}

// computedArray is v as an in-memory array; lazy values are refused with the hint to
// compute them first, since fn would have to hold all of them.
func computedArray(env *obj.Env, fn string, v any) (*lazy.Array, error) {
	switch x := v.(type) {
	case *LazyArray, ArrayHolder:
		n, _ := NodeOf(x)
		return nil, obj.Errorf(obj.TypeError, "numpy.%s() of a lazy array is not supported", fn).
			WithHint("call .compute() first (mind its size: %s)", lazy.ShapeString(n.Shape()))
	case *NDArray:
		return (*lazy.Array)(x), nil
	}
	n, _, err := operand(fn, v)
	if err != nil {
		return nil, err
	}
	return ComputeNode(env, n)
}
