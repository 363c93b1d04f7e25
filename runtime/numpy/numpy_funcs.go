package numpy

// numpy's element-wise functions (ufuncs) and np.where, np.clip, np.nan_to_num: graph
// nodes over the array arguments, lazy when an argument is lazy, with numpy 1.24's
// result dtypes (ints give float64 for the float functions; float32 stays float32).

import (
	"gokist/runtime/lazy"
	"math"

	"gokist/obj"
)

// ufuncTypeError is numpy's class for a ufunc without a loop for the input types (a
// TypeError in numpy).
const ufuncTypeError = "UFuncTypeError"

// ufuncKind is how a unary function's result dtype follows its input's.
type ufuncKind int

const (
	floatUfunc ufuncKind = iota // float32 stays, int64 → float64, bool has no loop here
	keepUfunc                   // the input's dtype (abs)
	boolUfunc                   // bool (isnan, isfinite, isinf)
	signUfunc                   // ints and floats keep their dtype; bools have no loop
)

// unaryUfunc is one element-wise function of one value.
type unaryUfunc struct {
	Name, doc string
	kind      ufuncKind
	fn        func(float64) float64
}

var UnaryUfuncs = []unaryUfunc{
	{"abs", "Absolute value.", keepUfunc, math.Abs},
	{"absolute", "Absolute value.", keepUfunc, math.Abs},
	{"sqrt", "Square root (nan for negative values).", floatUfunc, math.Sqrt},
	{"exp", "e to the power x.", floatUfunc, math.Exp},
	{"log", "Natural logarithm (nan for negative values, -inf at 0).", floatUfunc, math.Log},
	{"log10", "Base-10 logarithm.", floatUfunc, math.Log10},
	{"log2", "Base-2 logarithm.", floatUfunc, math.Log2},
	{"sin", "Sine of an angle in radians.", floatUfunc, math.Sin},
	{"cos", "Cosine of an angle in radians.", floatUfunc, math.Cos},
	{"tan", "Tangent of an angle in radians.", floatUfunc, math.Tan},
	{"arcsin", "Inverse sine, in radians.", floatUfunc, math.Asin},
	{"arccos", "Inverse cosine, in radians.", floatUfunc, math.Acos},
	{"arctan", "Inverse tangent, in radians.", floatUfunc, math.Atan},
	{"floor", "The largest integer not above x (as a float).", floatUfunc, math.Floor},
	{"ceil", "The smallest integer not below x (as a float).", floatUfunc, math.Ceil},
	{"degrees", "Radians to degrees.", floatUfunc, func(x float64) float64 { return x * (180 / math.Pi) }},
	{"radians", "Degrees to radians.", floatUfunc, func(x float64) float64 { return x * (math.Pi / 180) }},
	{"sign", "-1, 0 or 1 by the sign of x (nan for nan).", signUfunc, sign},
	{"isnan", "Whether x is nan.", boolUfunc, func(x float64) float64 { return lazy.B2f(math.IsNaN(x)) }},
	{"isfinite", "Whether x is neither nan nor infinite.", boolUfunc, func(x float64) float64 { return lazy.B2f(!math.IsNaN(x) && !math.IsInf(x, 0)) }},
	{"isinf", "Whether x is +inf or -inf.", boolUfunc, func(x float64) float64 { return lazy.B2f(math.IsInf(x, 0)) }},
}

// sign is numpy's sign of a float.
func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x // 0, -0 and nan as they are
}

// ufuncNode builds f(n) with numpy's result dtype.
func ufuncNode(f unaryUfunc, n lazy.Node) (lazy.Node, error) {
	dt := n.DType()
	switch f.kind {
	case floatUfunc:
		if dt == lazy.Bool {
			// numpy gives float16 here, which gokist arrays do not have.
			return nil, obj.Errorf(obj.TypeError, "numpy.%s() of a bool array gives float16, which gokist arrays do not have", f.Name).
				WithHint("convert first: x.astype('float32')")
		}
		if dt == lazy.Int64 {
			dt = lazy.Float64
		}
	case boolUfunc:
		dt = lazy.Bool
	case signUfunc:
		if dt == lazy.Bool {
			return nil, obj.Errorf(ufuncTypeError, "ufunc 'sign' did not contain a loop with signature matching types <class 'numpy.dtype[bool_]'> -> None")
		}
	}
	return &lazy.UnaryNode{Op: f.Name, In: n, Dt: dt, Fn: f.fn}, nil
}

// binaryUfunc is one element-wise function of two values, as an operator of binaryOp.
type binaryUfunc struct{ name, op, sig, doc string }

var binaryUfuncs = []binaryUfunc{
	{"arctan2", "arctan2", "arctan2(x1, x2)", "The angle of the point (x2, x1) from the x axis, in radians, by quadrant."},
	{"hypot", "hypot", "hypot(x1, x2)", "sqrt(x1**2 + x2**2), without overflow."},
	{"power", "**", "power(x1, x2)", "x1 to the power x2, as x1 ** x2."},
	{"maximum", "maximum", "maximum(x1, x2)", "The larger of x1 and x2, element-wise (nan if either is nan)."},
	{"minimum", "minimum", "minimum(x1, x2)", "The smaller of x1 and x2, element-wise (nan if either is nan)."},
	{"add", "+", "add(x1, x2)", "x1 + x2."},
	{"subtract", "-", "subtract(x1, x2)", "x1 - x2."},
	{"multiply", "*", "multiply(x1, x2)", "x1 * x2."},
	{"divide", "/", "divide(x1, x2)", "x1 / x2."},
}

// binaryUfuncNode builds x1 op x2 from Python values.
func binaryUfuncNode(fn, op string, x1, x2 any) (lazy.Node, bool, error) {
	a, lazyA, err := operand(fn, x1)
	if err != nil {
		return nil, false, err
	}
	b, lazyB, err := operandValue(fn, x2)
	if err != nil {
		return nil, false, err
	}
	if lazy.FloatBinary[op] && a.DType() == lazy.Bool {
		if bn, ok := NodeOf(b); ok && bn.DType() == lazy.Bool {
			return nil, false, obj.Errorf(obj.TypeError, "numpy.%s() of bool arrays gives float16, which gokist arrays do not have", fn).
				WithHint("convert first: x.astype('float32')")
		}
	}
	n, handled, err := BinaryNode(op, a, b, false)
	if err != nil {
		return nil, false, err
	}
	if !handled {
		return nil, false, obj.Errorf(obj.TypeError, "ufunc '%s' not supported for the input types", fn)
	}
	return n, lazyA || lazyB, nil
}

// elementwiseFuncs are the ufuncs and where, clip, nan_to_num, round.
func elementwiseFuncs() []*obj.Func {
	var out []*obj.Func
	for _, f := range UnaryUfuncs {
		out = append(out, npFunc(f.Name, f.Name+"(x)", f.doc+" Element-wise; lazy on lazy arrays.", []obj.Param{{Name: "x"}},
			func(env *obj.Env, v []any) (any, error) {
				n, isLazy, err := operand(f.Name, v[0])
				if err != nil {
					return nil, err
				}
				r, err := ufuncNode(f, n)
				if err != nil {
					return nil, err
				}
				return finishNode(env, r, isLazy)
			}))
	}
	for _, f := range binaryUfuncs {
		out = append(out, npFunc(f.name, f.sig, f.doc+" Element-wise with broadcasting; lazy on lazy arrays.", []obj.Param{{Name: "x1"}, {Name: "x2"}},
			func(env *obj.Env, v []any) (any, error) {
				n, isLazy, err := binaryUfuncNode(f.name, f.op, v[0], v[1])
				if err != nil {
					return nil, err
				}
				return finishNode(env, n, isLazy)
			}))
	}
	return append(out,
		npFunc("where", "where(condition, x, y)", "x where condition is true, else y, broadcast together; lazy on lazy arrays.",
			[]obj.Param{{Name: "condition"}, {Name: "x", Default: "None"}, {Name: "y", Default: "None"}}, where),
		npFunc("clip", "clip(a, a_min, a_max)", "a limited to [a_min, a_max] (either may be None), as minimum(maximum(a, a_min), a_max); lazy on lazy arrays.",
			[]obj.Param{{Name: "a"}, {Name: "a_min"}, {Name: "a_max"}}, clip),
		npFunc("nan_to_num", "nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None)", "x with nan replaced by nan (0.0), +inf by posinf and -inf by neginf (the dtype's largest and smallest values by default).",
			[]obj.Param{{Name: "x"}, {Name: "copy", Default: "True"}, {Name: "nan", Default: "0.0"}, {Name: "posinf", Default: "None"}, {Name: "neginf", Default: "None"}}, nanToNum),
		npFunc("round", "round(a, decimals=0)", "a rounded to decimals places, halves to even (numpy's around).",
			[]obj.Param{{Name: "a"}, {Name: "decimals", Default: "0"}}, round),
		npFunc("around", "around(a, decimals=0)", "a rounded to decimals places, halves to even.",
			[]obj.Param{{Name: "a"}, {Name: "decimals", Default: "0"}}, round),
	)
}

// where is np.where(condition, x, y); with only condition it is numpy's nonzero form,
// which gokist does not have.
func where(env *obj.Env, v []any) (any, error) {
	if v[1] == nil && v[2] == nil {
		return nil, obj.Errorf(obj.TypeError, "numpy.where(condition) without x and y (the positions where condition is true) is not supported").
			WithHint("use np.where(condition, x, y), or a boolean mask on a computed array: x[condition]")
	}
	if v[1] == nil || v[2] == nil {
		return nil, obj.Errorf(obj.ValueError, "either both or neither of x and y should be given")
	}
	var ns [3]lazy.Node
	isLazy := false
	for i, x := range v {
		n, l, err := operand("where", x)
		if err != nil {
			return nil, err
		}
		if c, ok := n.(*lazy.ConstNode); ok && c.Dt == lazy.Float32 && i > 0 {
			n = &lazy.ConstNode{V: c.V, Dt: lazy.Float64} // value-based, as binaryOp's scalars
		}
		ns[i], isLazy = n, isLazy || l
	}
	n, err := lazy.NewWhere(ns[0], ns[1], ns[2])
	if err != nil {
		return nil, err
	}
	return finishNode(env, n, isLazy)
}

// clip is np.clip: minimum(maximum(a, a_min), a_max).
func clip(env *obj.Env, v []any) (any, error) {
	if v[1] == nil && v[2] == nil {
		return nil, obj.Errorf(obj.ValueError, "One of max or min must be given")
	}
	n, isLazy, err := operand("clip", v[0])
	if err != nil {
		return nil, err
	}
	if err := checkClipShapes(n, v[1:]); err != nil {
		return nil, err
	}
	for i, op := range []string{"maximum", "minimum"} {
		if v[1+i] == nil {
			continue
		}
		b, l, err := operandValue("clip", v[1+i])
		if err != nil {
			return nil, err
		}
		var handled bool
		if n, handled, err = BinaryNode(op, n, b, false); err != nil || !handled {
			return nil, notHandled(err, "clip")
		}
		isLazy = isLazy || l
	}
	return finishNode(env, n, isLazy)
}

// checkClipShapes refuses bounds that do not broadcast with a, with numpy's message
// naming the shapes of a and of the bounds given.
func checkClipShapes(a lazy.Node, bounds []any) error {
	shapes := [][]int{a.Shape()}
	for _, b := range bounds {
		if b == nil {
			continue
		}
		n, _, err := operand("clip", b)
		if err != nil {
			return err
		}
		shapes = append(shapes, n.Shape())
	}
	out := shapes[0]
	for _, s := range shapes[1:] {
		var err error
		if out, err = lazy.BroadcastShapes(out, s); err != nil {
			return obj.Errorf(obj.ValueError, "%s", lazy.BroadcastError(shapes...))
		}
	}
	return nil
}

// notHandled is err, or numpy's TypeError when an operand had no loop.
func notHandled(err error, fn string) error {
	if err != nil {
		return err
	}
	return obj.Errorf(obj.TypeError, "ufunc '%s' not supported for the input types", fn)
}

// nanToNum is np.nan_to_num on float arrays (other dtypes are returned as they are).
func nanToNum(env *obj.Env, v []any) (any, error) {
	n, isLazy, err := operand("nan_to_num", v[0])
	if err != nil {
		return nil, err
	}
	dt := n.DType()
	if dt < lazy.Float32 {
		return finishNode(env, n, isLazy)
	}
	big := math.MaxFloat64
	if dt == lazy.Float32 {
		big = math.MaxFloat32
	}
	repl := [3]float64{0, big, -big}
	for i, x := range v[2:] {
		if x == nil {
			continue
		}
		f, _, ok := numberOf(x)
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "numpy.nan_to_num(): %s must be a number, not %s", []string{"nan", "posinf", "neginf"}[i], obj.TypeName(x))
		}
		repl[i] = f
	}
	fn := func(x float64) float64 {
		switch {
		case math.IsNaN(x):
			return repl[0]
		case math.IsInf(x, 1):
			return repl[1]
		case math.IsInf(x, -1):
			return repl[2]
		}
		return x
	}
	return finishNode(env, &lazy.UnaryNode{Op: "nan_to_num", In: n, Dt: dt, Fn: fn}, isLazy)
}

// round is np.round: multiply by 10**decimals, round halves to even, divide (the
// reverse for negative decimals), in the array's precision as numpy's.
func round(env *obj.Env, v []any) (any, error) {
	n, isLazy, err := operand("round", v[0])
	if err != nil {
		return nil, err
	}
	d, ok := v[1].(int)
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "'%s' object cannot be interpreted as an integer", obj.TypeName(v[1]))
	}
	dt := n.DType()
	if dt == lazy.Bool {
		return nil, obj.Errorf(obj.TypeError, "numpy.round() of a bool array gives float16, which gokist arrays do not have").WithHint("convert first: x.astype('float32')")
	}
	if dt == lazy.Int64 && d >= 0 {
		return finishNode(env, n, isLazy)
	}
	f := math.Pow(10, math.Abs(float64(d)))
	r := func(x float64) float64 { return x }
	if dt == lazy.Float32 { // numpy scales and rounds in the array's precision
		r = func(x float64) float64 { return float64(float32(x)) }
	}
	fn := func(x float64) float64 {
		switch {
		case d == 0:
			return math.RoundToEven(x)
		case d > 0:
			return r(math.RoundToEven(r(x*r(f))) / r(f))
		}
		return r(math.RoundToEven(r(x/r(f))) * r(f))
	}
	return finishNode(env, &lazy.UnaryNode{Op: "round", In: n, Dt: dt, Fn: fn}, isLazy)
}

// elementwiseMembers are numpy's element-wise array methods: x.clip(min, max) and
// x.round(decimals), lazy on lazy arrays as the functions are; x.cumsum(axis) computes
// (after a memory check) as np.cumsum does.
func elementwiseMembers(recvValue func(any) any) []*obj.Member {
	asFunc := func(name, sig, doc string, params []obj.Param, fn func(env *obj.Env, v []any) (any, error)) *obj.Member {
		return &obj.Member{Name: name, Signature: sig, Doc: doc, Params: params,
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				v, err := bindWithDefaults(name, params, args)
				if err != nil {
					return nil, err
				}
				return fn(env, append([]any{recvValue(recv)}, v...))
			}}
	}
	return []*obj.Member{
		asFunc("clip", "clip(min=None, max=None)", "The values limited to [min, max], as np.clip.", []obj.Param{{Name: "min", Default: "None"}, {Name: "max", Default: "None"}}, clip),
		asFunc("round", "round(decimals=0)", "The values rounded to decimals places, halves to even, as np.round.", []obj.Param{{Name: "decimals", Default: "0"}}, round),
		asFunc("cumsum", "cumsum(axis=None)", "Cumulative sums along axis (of the flattened values for None), as np.cumsum; a lazy array is computed first.", []obj.Param{{Name: "axis", Default: "None"}}, cumsum),
	}
}
