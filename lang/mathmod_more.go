package lang

import (
	"math"

	"gokist/obj"
)

// floatFunc is a math function of n float arguments (n < 0: any number).
func floatFunc(name, sig, doc string, n int, f func(x []float64) (any, error)) *obj.Func {
	return fn(name, sig, doc, nil, func(env *obj.Env, args obj.Args) (any, error) {
		vs := args.Pos
		if n >= 0 {
			var err error
			if vs, err = positional(name, args, n); err != nil {
				return nil, err
			}
		} else if len(args.Kw) > 0 {
			return nil, obj.Errorf(obj.TypeError, "%s() takes no keyword arguments", name)
		}
		xs, err := floats(vs)
		if err != nil {
			return nil, err
		}
		return f(xs)
	})
}

func mathPow(x, y float64) (any, error) {
	if x == 0 && y < 0 && !math.IsInf(y, 0) {
		return nil, mathDomain()
	}
	r := math.Pow(x, y)
	switch {
	case math.IsNaN(r) && !math.IsNaN(x) && !math.IsNaN(y):
		return nil, mathDomain()
	case math.IsInf(r, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0):
		return nil, mathRange()
	}
	return r, nil
}

// fsum is Shewchuk's exactly rounded sum, the algorithm CPython's math.fsum uses.
func fsum(xs []float64) (float64, error) {
	var partials []float64
	special := 0.0
	for _, x := range xs {
		if math.IsInf(x, 0) || math.IsNaN(x) {
			special += x
			continue
		}
		i := 0
		for _, y := range partials {
			if math.Abs(x) < math.Abs(y) {
				x, y = y, x
			}
			hi := x + y
			lo := y - (hi - x)
			if lo != 0 {
				partials[i] = lo
				i++
			}
			x = hi
		}
		if math.IsInf(x, 0) {
			return 0, obj.Errorf(OverflowError, "intermediate overflow in fsum")
		}
		partials = append(partials[:i], x)
	}
	if special != 0 || math.IsNaN(special) {
		if math.IsNaN(special) {
			return 0, obj.Errorf(obj.ValueError, "-inf + inf in fsum")
		}
		return special, nil
	}
	return roundPartials(partials), nil
}

// roundPartials adds the non-overlapping partials from the top, correcting the last
// rounding as CPython does (half-even on the exact sum).
func roundPartials(p []float64) float64 {
	n := len(p)
	if n == 0 {
		return 0
	}
	hi := p[n-1]
	lo := 0.0
	n--
	for n > 0 {
		x := hi
		y := p[n-1]
		n--
		hi = x + y
		yr := hi - x
		lo = y - yr
		if lo != 0 {
			break
		}
	}
	if n > 0 && ((lo < 0 && p[n-1] < 0) || (lo > 0 && p[n-1] > 0)) {
		y := lo * 2
		x := hi + y
		if y == x-hi {
			hi = x
		}
	}
	return hi
}

// mathOther is the rest of the math module: classification, the float functions of
// several arguments, and those over sequences (which need the session to iterate and
// multiply Python values).
func mathOther(s *Session) map[string]*obj.Func {
	out := map[string]*obj.Func{}
	for _, part := range []map[string]*obj.Func{mathClassify(), mathFloatOps(), mathSequenceOps(s)} {
		for name, f := range part {
			out[name] = f
		}
	}
	return out
}

// mathClassify are isnan, isinf and isfinite.
func mathClassify() map[string]*obj.Func {
	isWhat := func(name, doc string, f func(float64) bool) *obj.Func {
		return floatFunc(name, name+"(x, /)", doc, 1, func(x []float64) (any, error) { return f(x[0]), nil })
	}
	return map[string]*obj.Func{
		"isnan":    isWhat("isnan", "Whether x is a NaN.", math.IsNaN),
		"isinf":    isWhat("isinf", "Whether x is an infinity.", func(x float64) bool { return math.IsInf(x, 0) }),
		"isfinite": isWhat("isfinite", "Whether x is neither an infinity nor a NaN.", func(x float64) bool { return !math.IsInf(x, 0) && !math.IsNaN(x) }),
	}
}

// mathFloatOps are the functions of floats other than the one-argument ones: log with
// its optional base, pow, atan2, copysign, hypot, fmod, remainder, modf, frexp, ldexp.
func mathFloatOps() map[string]*obj.Func {
	return map[string]*obj.Func{
		"log":      fn("log", "log(x, [base=math.e])", "The logarithm of x to the given base (natural by default).", nil, mathLog),
		"pow":      floatFunc("pow", "pow(x, y, /)", "x to the power y, as floats.", 2, func(x []float64) (any, error) { return mathPow(x[0], x[1]) }),
		"atan2":    floatFunc("atan2", "atan2(y, x, /)", "The angle of (x, y) in radians, in [-pi, pi].", 2, func(x []float64) (any, error) { return math.Atan2(x[0], x[1]), nil }),
		"copysign": floatFunc("copysign", "copysign(x, y, /)", "x with the sign of y.", 2, func(x []float64) (any, error) { return math.Copysign(x[0], x[1]), nil }),
		"hypot": floatFunc("hypot", "hypot(*coordinates)", "The Euclidean norm of the coordinates.", -1, func(x []float64) (any, error) {
			r := 0.0
			for _, v := range x {
				r = math.Hypot(r, v)
			}
			return r, nil
		}),
		"fmod": floatFunc("fmod", "fmod(x, y, /)", "x modulo y with the sign of x, as C's fmod.", 2, func(x []float64) (any, error) {
			if x[1] == 0 || math.IsInf(x[0], 0) {
				if !math.IsNaN(x[0]) && !math.IsNaN(x[1]) {
					return nil, mathDomain()
				}
			}
			return math.Mod(x[0], x[1]), nil
		}),
		"remainder": floatFunc("remainder", "remainder(x, y, /)", "IEEE 754 remainder of x by y.", 2, func(x []float64) (any, error) {
			if (x[1] == 0 || math.IsInf(x[0], 0)) && !math.IsNaN(x[0]) && !math.IsNaN(x[1]) {
				return nil, mathDomain()
			}
			return math.Remainder(x[0], x[1]), nil
		}),
		"modf": floatFunc("modf", "modf(x, /)", "The fractional and integer parts of x, as floats.", 1, func(x []float64) (any, error) {
			i, f := math.Modf(x[0])
			if math.IsInf(x[0], 0) {
				f = math.Copysign(0, x[0])
			}
			return obj.Tuple{f, i}, nil
		}),
		"frexp": floatFunc("frexp", "frexp(x, /)", "The mantissa and exponent of x: x == m * 2**e.", 1, func(x []float64) (any, error) {
			m, e := math.Frexp(x[0])
			return obj.Tuple{m, e}, nil
		}),
		"ldexp": fn("ldexp", "ldexp(x, i, /)", "x * 2**i.", nil, mathLdexp),
	}
}

// mathLog is math.log(x[, base]).
func mathLog(env *obj.Env, args obj.Args) (any, error) {
	if len(args.Kw) > 0 || len(args.Pos) < 1 || len(args.Pos) > 2 {
		return nil, obj.Errorf(obj.TypeError, "log expected 1 or 2 arguments, got %d", len(args.Pos)+len(args.Kw))
	}
	xs, err := floats(args.Pos)
	if err != nil {
		return nil, err
	}
	for _, x := range xs {
		if !positive(x) {
			return nil, mathDomain()
		}
	}
	num := math.Log(xs[0])
	if len(xs) == 1 {
		return num, nil
	}
	den := math.Log(xs[1])
	if den == 0 {
		return nil, obj.Errorf(obj.ZeroDivisionError, "float division by zero")
	}
	return num / den, nil
}

// mathLdexp is math.ldexp(x, i): i must be an int, and an overflow is a range error.
func mathLdexp(env *obj.Env, args obj.Args) (any, error) {
	vs, err := positional("ldexp", args, 2)
	if err != nil {
		return nil, err
	}
	x, err := mathFloat(vs[0])
	if err != nil {
		return nil, err
	}
	e, err := mathInt(vs[1])
	if err != nil {
		return nil, obj.Errorf(obj.TypeError, "Expected an int as second argument to ldexp.")
	}
	r := math.Ldexp(x, e)
	if math.IsInf(r, 0) && !math.IsInf(x, 0) {
		return nil, mathRange()
	}
	return r, nil
}

// iscloseParams are math.isclose's parameters.
var iscloseParams = []obj.Param{{Name: "a"}, {Name: "b"}, {Name: "rel_tol", Default: "1e-09"}, {Name: "abs_tol", Default: "0.0"}}

// mathIsclose is math.isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0).
func mathIsclose(env *obj.Env, args obj.Args) (any, error) {
	v, err := args.Bind("isclose", iscloseParams)
	if err != nil {
		return nil, err
	}
	if v[2] == nil {
		v[2] = 1e-9
	}
	if v[3] == nil {
		v[3] = 0.0
	}
	x, err := floats(v)
	if err != nil {
		return nil, err
	}
	a, b, rel, abs := x[0], x[1], x[2], x[3]
	if rel < 0 || abs < 0 {
		return nil, obj.Errorf(obj.ValueError, "tolerances must be non-negative")
	}
	if a == b {
		return true, nil
	}
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return false, nil
	}
	d := math.Abs(b - a)
	return d <= math.Abs(rel*b) || d <= math.Abs(rel*a) || d <= abs, nil
}

// mathSequenceOps are the functions over iterables: isclose (here for its keyword
// tolerances), fsum, prod, dist.
func mathSequenceOps(s *Session) map[string]*obj.Func {
	return map[string]*obj.Func{
		"isclose": fn("isclose", "isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0)", "Whether a and b are close to each other.", iscloseParams, mathIsclose),
		"fsum": fn("fsum", "fsum(seq, /)", "The exactly rounded sum of the numbers.", nil, func(env *obj.Env, args obj.Args) (any, error) {
			vs, err := positional("fsum", args, 1)
			if err != nil {
				return nil, err
			}
			xs, err := s.iterFloats(vs[0])
			if err != nil {
				return nil, err
			}
			return fsum(xs)
		}),
		"prod": fn("prod", "prod(iterable, /, *, start=1)", "The product of the items (ints stay ints).",
			[]obj.Param{{Name: "iterable"}, {Name: "start", Default: "1"}}, s.mathProd),
		"dist": fn("dist", "dist(p, q, /)", "The Euclidean distance between points p and q.", nil, s.mathDist),
	}
}

// iterFloats reads the items of the iterable v as floats.
func (s *Session) iterFloats(v any) ([]float64, error) {
	items, ok := s.itemsOf(v)
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "'%s' object is not iterable", pyTypeName(v))
	}
	return floats(items)
}

// mathProd is math.prod(iterable, *, start=1): the session's * over the items, so that
// ints stay ints.
func (s *Session) mathProd(env *obj.Env, args obj.Args) (any, error) {
	v, err := args.Bind("prod", []obj.Param{{Name: "iterable"}, {Name: "start", Default: "1"}})
	if err != nil {
		return nil, err
	}
	r := v[1]
	if r == nil {
		r = 1
	}
	items, ok := s.itemsOf(v[0])
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "'%s' object is not iterable", pyTypeName(v[0]))
	}
	for _, it := range items {
		if r, err = s.binOp("*", r, it); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// mathDist is math.dist(p, q): the Euclidean distance of two points of as many
// coordinates.
func (s *Session) mathDist(env *obj.Env, args obj.Args) (any, error) {
	vs, err := positional("dist", args, 2)
	if err != nil {
		return nil, err
	}
	p, err := s.iterFloats(vs[0])
	if err != nil {
		return nil, err
	}
	q, err := s.iterFloats(vs[1])
	if err != nil {
		return nil, err
	}
	if len(p) != len(q) {
		return nil, obj.Errorf(obj.ValueError, "both points must have the same number of dimensions")
	}
	r := 0.0
	for i := range p {
		r = math.Hypot(r, p[i]-q[i])
	}
	return r, nil
}
