package units

// numpy functions on Quantities (obj.UfuncOverrider): numpy's module calls ArrayUfunc
// first when a Quantity is an argument, and the result's unit follows astropy's
// quantity helpers: sqrt(m**2) is m, sin takes angles and gives a dimensionless
// value, exp takes dimensionless values, reductions keep the unit (var squares it),
// isnan and argmax give plain values.

import (
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"math"

	"gokist/obj"
	"gokist/runtime/units"
)

var _ obj.UfuncOverrider = (*Quantity)(nil)

// sameUnitUfuncs keep the unit and map each element.
var sameUnitUfuncs = map[string]func(float64) float64{
	"abs": math.Abs, "absolute": math.Abs, "fabs": math.Abs, "negative": func(x float64) float64 { return -x },
	"positive": func(x float64) float64 { return x }, "floor": math.Floor, "ceil": math.Ceil,
	"rint": math.RoundToEven, "trunc": math.Trunc, "fix": math.Trunc,
}

// powerUfuncs raise the unit to a power.
var powerUfuncs = map[string]struct {
	p  units.Rat
	fn func(float64) float64
}{
	"sqrt":       {units.R(1, 2), math.Sqrt},
	"square":     {units.R(2, 1), func(x float64) float64 { return x * x }},
	"cbrt":       {units.R(1, 3), math.Cbrt},
	"reciprocal": {units.R(-1, 1), func(x float64) float64 { return 1 / x }},
}

// angleUfuncs take angles (converted to radians) and give dimensionless values.
var angleUfuncs = map[string]func(float64) float64{"sin": math.Sin, "cos": math.Cos, "tan": math.Tan,
	"sinh": math.Sinh, "cosh": math.Cosh, "tanh": math.Tanh}

// inverseAngleUfuncs take dimensionless values and give radians.
var inverseAngleUfuncs = map[string]func(float64) float64{"arcsin": math.Asin, "arccos": math.Acos, "arctan": math.Atan,
	"arcsinh": math.Asinh, "arccosh": math.Acosh, "arctanh": math.Atanh}

// dimensionlessUfuncs take and give dimensionless values.
var dimensionlessUfuncs = map[string]func(float64) float64{"exp": math.Exp, "expm1": math.Expm1, "exp2": math.Exp2,
	"log": math.Log, "log10": math.Log10, "log2": math.Log2, "log1p": math.Log1p}

// testUfuncs give plain values of the numbers, whatever the unit.
var testUfuncs = map[string]func(float64) float64{
	"isnan":    func(x float64) float64 { return lazy.B2f(math.IsNaN(x)) },
	"isfinite": func(x float64) float64 { return lazy.B2f(!math.IsNaN(x) && !math.IsInf(x, 0)) },
	"isinf":    func(x float64) float64 { return lazy.B2f(math.IsInf(x, 0)) },
	"signbit":  func(x float64) float64 { return lazy.B2f(math.Signbit(x)) },
}

var powZero, powOne, powTwo = units.R(0, 1), units.R(1, 1), units.R(2, 1)

// reductionUnits gives the power of the unit a reduction's result has; reductions not
// listed give plain values (argmax, count_nonzero).
var reductionUnits = map[string]units.Rat{
	"sum": powOne, "nansum": powOne, "mean": powOne, "nanmean": powOne, "min": powOne, "max": powOne,
	"amin": powOne, "amax": powOne, "nanmin": powOne, "nanmax": powOne, "std": powOne, "nanstd": powOne,
	"median": powOne, "nanmedian": powOne, "cumsum": powOne, "ptp": powOne,
	"var": powTwo, "nanvar": powTwo,
	"argmin": powZero, "argmax": powZero, "nanargmin": powZero, "nanargmax": powZero, "count_nonzero": powZero,
}

// binaryUfuncOps are numpy's arithmetic ufuncs as the operators they are.
var binaryUfuncOps = map[string]string{"add": "+", "subtract": "-", "multiply": "*", "divide": "/", "true_divide": "/",
	"floor_divide": "//", "remainder": "%", "mod": "%", "power": "**", "less": "<", "less_equal": "<=", "greater": ">",
	"greater_equal": ">=", "equal": "==", "not_equal": "!="}

// ArrayUfunc is numpy's function name applied with this Quantity among the
// arguments, by astropy's unit rules; handled=false for functions astropy's rules
// here do not cover, which numpy then refuses or handles itself.
func (q *Quantity) ArrayUfunc(env *obj.Env, name string, args []any, kwargs map[string]any) (any, bool, error) {
	if op, ok := binaryUfuncOps[name]; ok && len(args) == 2 {
		if a, ok := args[0].(obj.Operand); ok {
			if r, handled, err := a.BinaryOp(env, op, args[1], false); handled {
				return r, true, err
			}
		}
		r, handled, err := q.BinaryOp(env, op, args[0], true)
		return r, handled, err
	}
	if len(args) == 0 || args[0] != any(q) && quantityOfArg(args[0]) != q {
		return q.twoArgUfunc(env, name, args)
	}
	if r, ok, err := q.elementwise(env, name, args, kwargs); ok {
		return r, true, err
	}
	if p, ok := reductionUnits[name]; ok {
		r, err := q.reduce(env, name, p, args[1:], kwargs)
		return r, true, err
	}
	return q.twoArgUfunc(env, name, args)
}

func quantityOfArg(v any) *Quantity {
	switch x := v.(type) {
	case *Quantity:
		return x
	case *Constant:
		return &x.Quantity
	}
	return nil
}

// elementwise applies the one-argument ufuncs.
func (q *Quantity) elementwise(env *obj.Env, name string, args []any, kwargs map[string]any) (any, bool, error) {
	out := func(f func(float64) float64, in *Quantity, u units.Unit) (any, bool, error) {
		v, err := mapValue(env, in.val, name, f)
		if err != nil {
			return nil, true, err
		}
		return &Quantity{val: v, unit: u}, true, nil
	}
	convert := func(to units.Unit, msg string) (*Quantity, error) {
		c, err := q.convertTo(env, to, nil)
		if err != nil {
			return nil, obj.Errorf(units.UnitTypeError, "Can only apply '%s' function to %s", name, msg)
		}
		return c, nil
	}
	rad := units.MustUnit("rad")
	if f, ok := sameUnitUfuncs[name]; ok {
		return out(f, q, q.unit)
	}
	if name == "round" || name == "around" {
		return q.round(env, args, kwargs)
	}
	if p, ok := powerUfuncs[name]; ok {
		return out(p.fn, q, q.unit.Pow(p.p))
	}
	if f, ok := angleUfuncs[name]; ok {
		c, err := convert(rad, "quantities with angle units")
		if err != nil {
			return nil, true, err
		}
		return out(f, c, units.Dimensionless)
	}
	if f, ok := inverseAngleUfuncs[name]; ok {
		c, err := convert(units.Dimensionless, "dimensionless quantities")
		if err != nil {
			return nil, true, err
		}
		return out(f, c, rad)
	}
	if f, ok := dimensionlessUfuncs[name]; ok {
		c, err := convert(units.Dimensionless, "dimensionless quantities")
		if err != nil {
			return nil, true, err
		}
		return out(f, c, units.Dimensionless)
	}
	switch name {
	case "degrees", "rad2deg", "radians", "deg2rad":
		c, err := convert(rad, "quantities with angle units")
		if err != nil {
			return nil, true, err
		}
		if name == "degrees" || name == "rad2deg" {
			return out(func(x float64) float64 { return x * 180 / math.Pi }, c, units.MustUnit("deg"))
		}
		return out(func(x float64) float64 { return x }, c, rad)
	case "sign":
		v, err := mapValue(env, q.val, name, func(x float64) float64 {
			if math.IsNaN(x) {
				return x
			}
			return float64(cmpFloat0(x))
		})
		return v, true, err
	}
	if f, ok := testUfuncs[name]; ok {
		v, err := mapValue(env, q.val, name, f)
		if err != nil {
			return nil, true, err
		}
		return boolValue(env, v), true, nil
	}
	return nil, false, nil
}

func cmpFloat0(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// boolValue gives the result of a test ufunc as numpy's bool (scalar or bool array).
func boolValue(env *obj.Env, v any) any {
	switch x := v.(type) {
	case float64:
		return numpy.Bool(x != 0)
	case float32:
		return numpy.Bool(x != 0)
	case *numpy.NDArray:
		if r, err := numpy.ComputeNode(env, lazy.AstypeNode(&lazy.ArrayNode{A: (*lazy.Array)(x)}, lazy.Bool)); err == nil {
			return (*numpy.NDArray)(r)
		}
	case *numpy.LazyArray:
		return &numpy.LazyArray{Node: lazy.AstypeNode(x.Node, lazy.Bool)}
	}
	return v
}

// round is np.round(q, decimals=0): half to even at the given decimal, unit kept.
func (q *Quantity) round(env *obj.Env, args []any, kwargs map[string]any) (any, bool, error) {
	vals, err := obj.Args{Pos: args[1:], Kw: kwargs}.Bind("round", []obj.Param{{Name: "decimals", Default: "0"}})
	if err != nil {
		return nil, true, err
	}
	d := 0
	if vals[0] != nil {
		n, ok := vals[0].(int)
		if !ok {
			return nil, true, obj.Errorf(obj.TypeError, "round(): decimals must be an int, not %s", obj.TypeName(vals[0]))
		}
		d = n
	}
	k := math.Pow(10, float64(d))
	v, err := mapValue(env, q.val, "round", func(x float64) float64 { return math.RoundToEven(x*k) / k })
	if err != nil {
		return nil, true, err
	}
	return &Quantity{val: v, unit: q.unit}, true, nil
}

// reduce runs a reduction on the value (the array's own method, with the call's axis
// and other arguments) and gives the result the unit to the power p.
func (q *Quantity) reduce(env *obj.Env, name string, p units.Rat, rest []any, kwargs map[string]any) (any, error) {
	var r any
	switch v := q.val.(type) {
	case float64, float32:
		x, _ := toFloat(v)
		switch name {
		case "std", "nanstd", "var", "nanvar", "ptp":
			x = 0
		case "argmin", "argmax", "nanargmin", "nanargmax":
			return 0, nil
		case "count_nonzero":
			if x != 0 {
				return 1, nil
			}
			return 0, nil
		}
		r = x
		if _, is32 := v.(float32); is32 {
			r = float32(x)
		}
	case obj.Object:
		m := v.Type().Member(name)
		if m == nil || m.Call == nil {
			return nil, obj.Errorf(obj.TypeError, "numpy.%s is not available for %s values", name, v.Type().Name)
		}
		var err error
		if r, err = m.Call(env, v, obj.Args{Pos: rest, Kw: kwargs}); err != nil {
			return nil, err
		}
	default:
		return nil, obj.Errorf(obj.TypeError, "numpy.%s: unsupported value %s", name, obj.TypeName(q.val))
	}
	if p.N == 0 {
		return r, nil
	}
	return NewQuantity(env, r, q.unit.Pow(p))
}

// twoArgUfunc handles hypot, arctan2 and clip, whose quantity arguments must share a
// unit.
func (q *Quantity) twoArgUfunc(env *obj.Env, name string, args []any) (any, bool, error) {
	switch name {
	case "hypot", "arctan2":
		if len(args) != 2 {
			return nil, true, obj.Errorf(obj.TypeError, "%s() takes 2 arguments (%d given)", name, len(args))
		}
		a, aQ, err := asQuantity(env, args[0])
		if err != nil {
			return nil, true, err
		}
		b, bQ, err := asQuantity(env, args[1])
		if err != nil {
			return nil, true, err
		}
		av, bv, u, err := sameUnit(env, name, a, b, aQ && bQ)
		if err != nil {
			return nil, true, err
		}
		f, outUnit := math.Hypot, u
		if name == "arctan2" {
			f, outUnit = math.Atan2, units.MustUnit("rad")
		}
		v, err := zipValues(env, name, av, bv, f)
		if err != nil {
			return nil, true, err
		}
		return &Quantity{val: v, unit: outUnit}, true, nil
	case "clip":
		return q.clip(env, args)
	case "where":
		if len(args) != 3 {
			return nil, false, nil // np.where(cond): numpy's own, on the condition
		}
		r, err := quantityWhere(env, args[0], args[1], args[2])
		return r, true, err
	}
	return nil, false, nil
}

// quantityWhere is np.where(cond, a, b) for quantities: both sides in the unit of the first
// quantity among them (a plain 0, inf or nan goes as it is), chosen element by element;
// lazy when any input is.
func quantityWhere(env *obj.Env, condArg, aArg, bArg any) (any, error) {
	a, aQ, err := asQuantity(env, aArg)
	if err != nil {
		return nil, err
	}
	b, bQ, err := asQuantity(env, bArg)
	if err != nil {
		return nil, err
	}
	target := b.unit
	if aQ {
		target = a.unit
	}
	in := func(x *Quantity, isQ bool) (any, error) {
		if f, ok := x.val.(float64); ok && !isQ && (f == 0 || math.IsInf(f, 0) || math.IsNaN(f)) {
			return f, nil
		}
		s, err := x.unit.ScaleTo(target)
		if err != nil {
			return nil, PythonError(err)
		}
		return scaled(env, x.val, s)
	}
	av, err := in(a, aQ)
	if err != nil {
		return nil, err
	}
	bv, err := in(b, bQ)
	if err != nil {
		return nil, err
	}
	cond, err := quantityValue(env, condArg)
	if err != nil {
		return nil, err
	}
	// Each side keeps its values where it is chosen and 0 elsewhere; their sum is the
	// choice (a NaN or inf of the side not chosen never enters it).
	pick := func(want bool) func(c, x float64) float64 {
		return func(c, x float64) float64 {
			if (c != 0) == want {
				return x
			}
			return 0
		}
	}
	ta, err := zipValues(env, "where", cond, av, pick(true))
	if err != nil {
		return nil, err
	}
	tb, err := zipValues(env, "where", cond, bv, pick(false))
	if err != nil {
		return nil, err
	}
	v, err := numOp(env, "+", ta, tb)
	if err != nil {
		return nil, err
	}
	return NewQuantity(env, v, target)
}

// zipValues applies f to two values, broadcast: scalars directly, arrays through the
// runtime's elementwise nodes.
func zipValues(env *obj.Env, name string, a, b any, f func(x, y float64) float64) (any, error) {
	x, aOK := toFloat(a)
	y, bOK := toFloat(b)
	if aOK && bOK {
		return f(x, y), nil
	}
	an, ok1 := numpy.NodeOf(a)
	bn, ok2 := numpy.NodeOf(b)
	if !ok1 || !ok2 {
		return nil, obj.Errorf(obj.TypeError, "%s: unsupported operands", name)
	}
	shape, err := lazy.BroadcastShapes(an.Shape(), bn.Shape())
	if err != nil {
		return nil, obj.Errorf(obj.ValueError, "%s", err.Error())
	}
	dt := lazy.Promote(floatDType(an.DType()), floatDType(bn.DType()))
	n := &lazy.BinaryNode{Op: name, A: an, B: bn, Out: shape, Dt: dt, Fn: f}
	_, lazyA := a.(*numpy.LazyArray)
	_, lazyB := b.(*numpy.LazyArray)
	if lazyA || lazyB {
		return &numpy.LazyArray{Node: n}, nil
	}
	return numpy.PyArray(numpy.ComputeNode(env, n))
}

// clip is np.clip(q, lo, hi) with lo and hi in q's unit (None for no bound).
func (q *Quantity) clip(env *obj.Env, args []any) (any, bool, error) {
	if len(args) != 3 {
		return nil, true, obj.Errorf(obj.TypeError, "clip() takes 3 arguments (a, a_min, a_max), %d given", len(args))
	}
	bound := func(v any, def float64) (float64, error) {
		if v == nil {
			return def, nil
		}
		b, bQ, err := asQuantity(env, v)
		if err != nil {
			return 0, err
		}
		_, bv, _, err := sameUnit(env, "clip", q, b, bQ)
		if err != nil {
			return 0, err
		}
		f, ok := toFloat(bv)
		if !ok {
			return 0, obj.Errorf(obj.TypeError, "clip: the bounds of a Quantity must be numbers")
		}
		return f, nil
	}
	lo, err := bound(args[1], math.Inf(-1))
	if err != nil {
		return nil, true, err
	}
	hi, err := bound(args[2], math.Inf(1))
	if err != nil {
		return nil, true, err
	}
	v, err := mapValue(env, q.val, "clip", func(x float64) float64 { return math.Min(math.Max(x, lo), hi) })
	if err != nil {
		return nil, true, err
	}
	return &Quantity{val: v, unit: q.unit}, true, nil
}
