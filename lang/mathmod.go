package lang

import (
	"math"

	"gokist/obj"
)

// Python's math module: scalar functions on floats with CPython's results, ints where
// CPython returns ints (floor, ceil, trunc, factorial, gcd, comb, perm, isqrt), and its
// errors ("math domain error", "math range error"). Arrays are numpy's business:
// math.sqrt(array) is CPython's TypeError for a non-scalar.
func init() {
	obj.RegisterModule("math", func(scope obj.ModuleScope) (any, error) {
		attrs := map[string]any{"pi": math.Pi, "e": math.E, "tau": 2 * math.Pi, "inf": math.Inf(1), "nan": math.NaN()}
		for name, f := range mathUnary {
			attrs[name] = mathFunc1(name, f)
		}
		for name, f := range mathInts {
			attrs[name] = f
		}
		for name, f := range mathOther(scope.(*Session)) {
			attrs[name] = f
		}
		return newModule("math", "Mathematical functions on Python numbers (CPython's math module).", attrs), nil
	})
}

// mathUnary are the float → float functions; domain tells whether x is in the domain
// (CPython raises ValueError "math domain error" outside it).
var mathUnary = map[string]struct {
	f      func(float64) float64
	domain func(float64) bool
}{
	"sqrt": {math.Sqrt, func(x float64) bool { return x >= 0 || math.IsNaN(x) }},
	"exp":  {math.Exp, nil}, "expm1": {math.Expm1, nil},
	"log10": {math.Log10, positive}, "log2": {math.Log2, positive},
	"log1p": {math.Log1p, func(x float64) bool { return x > -1 || math.IsNaN(x) }},
	"sin":   {math.Sin, finiteOrNaN}, "cos": {math.Cos, finiteOrNaN}, "tan": {math.Tan, finiteOrNaN},
	"asin": {math.Asin, unitRange}, "acos": {math.Acos, unitRange}, "atan": {math.Atan, nil},
	"sinh": {math.Sinh, nil}, "cosh": {math.Cosh, nil}, "tanh": {math.Tanh, nil},
	"asinh": {math.Asinh, nil}, "acosh": {math.Acosh, func(x float64) bool { return x >= 1 || math.IsNaN(x) }},
	"atanh": {math.Atanh, func(x float64) bool { return (x > -1 && x < 1) || math.IsNaN(x) }},
	"fabs":  {math.Abs, nil}, "degrees": {func(x float64) float64 { return x * (180 / math.Pi) }, nil},
	"radians": {func(x float64) float64 { return x * (math.Pi / 180) }, nil},
	"erf":     {math.Erf, nil}, "erfc": {math.Erfc, nil}, "gamma": {math.Gamma, func(x float64) bool { return !(x <= 0 && x == math.Trunc(x)) && !math.IsInf(x, -1) }},
	"lgamma": {func(x float64) float64 { v, _ := math.Lgamma(x); return v }, func(x float64) bool { return !(x <= 0 && x == math.Trunc(x)) }},
}

func positive(x float64) bool    { return x > 0 || math.IsNaN(x) }
func finiteOrNaN(x float64) bool { return !math.IsInf(x, 0) }
func unitRange(x float64) bool   { return (x >= -1 && x <= 1) || math.IsNaN(x) }

func mathDomain() error { return obj.Errorf(obj.ValueError, "math domain error") }
func mathRange() error  { return obj.Errorf(OverflowError, "math range error") }

// mathFloat is CPython's conversion of a math function's argument to float.
func mathFloat(v any) (float64, error) {
	if r, ok, err := scalar(v, "__float__"); err != nil {
		return 0, err
	} else if ok {
		v = r
	}
	if _, f, _, ok := number(v); ok {
		return f, nil
	}
	return 0, obj.Errorf(obj.TypeError, "must be real number, not %s", pyTypeName(v))
}

// mathInt is CPython's conversion of an argument that must be an integer.
func mathInt(v any) (int, error) {
	if r, ok, err := scalar(v, "__index__"); err != nil {
		return 0, err
	} else if ok {
		v = r
	}
	if i, _, isInt, ok := number(v); ok && isInt {
		return i, nil
	}
	return 0, obj.Errorf(obj.TypeError, "'%s' object cannot be interpreted as an integer", pyTypeName(v))
}

func mathFunc1(name string, fd struct {
	f      func(float64) float64
	domain func(float64) bool
}) *obj.Func {
	return fn(name, name+"(x, /)", "CPython's math."+name+".", []obj.Param{{Name: "x"}}, func(env *obj.Env, args obj.Args) (any, error) {
		v, err := oneArg(name, args)
		if err != nil {
			return nil, err
		}
		x, err := mathFloat(v)
		if err != nil {
			return nil, err
		}
		if fd.domain != nil && !fd.domain(x) {
			return nil, mathDomain()
		}
		r := fd.f(x)
		if math.IsInf(r, 0) && !math.IsInf(x, 0) {
			return nil, mathRange()
		}
		if math.IsNaN(r) && !math.IsNaN(x) {
			return nil, mathDomain()
		}
		return r, nil
	})
}

// positional binds exactly n positional arguments, as CPython's math functions take them.
func positional(name string, args obj.Args, n int) ([]any, error) {
	if len(args.Kw) > 0 {
		return nil, obj.Errorf(obj.TypeError, "%s() takes no keyword arguments", name)
	}
	if len(args.Pos) != n {
		return nil, obj.Errorf(obj.TypeError, "%s expected %d arguments, got %d", name, n, len(args.Pos))
	}
	return args.Pos, nil
}

// floats converts each argument with mathFloat.
func floats(vs []any) ([]float64, error) {
	out := make([]float64, len(vs))
	for i, v := range vs {
		f, err := mathFloat(v)
		if err != nil {
			return nil, err
		}
		out[i] = f
	}
	return out, nil
}
