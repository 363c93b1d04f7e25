package lang

import (
	"math"
	"math/bits"

	"gokist/obj"
)

// toInt is CPython's float → int for floor, ceil and trunc: NaN and infinities cannot
// be ints; values past 64 bits are refused (the language's ints are 64-bit).
func toInt(f float64) (any, error) {
	switch {
	case math.IsNaN(f):
		return nil, obj.Errorf(obj.ValueError, "cannot convert float NaN to integer")
	case math.IsInf(f, 0):
		return nil, obj.Errorf(OverflowError, "cannot convert float infinity to integer")
	case f >= 9.223372036854775807e18 || f < -9.223372036854775808e18:
		return nil, obj.Errorf(OverflowError, "%s does not fit a 64-bit integer (gokist's ints are 64-bit)", FormatFloat(f))
	}
	return int(f), nil
}

// rounding is math.floor, ceil or trunc: an int stays itself.
func rounding(name string, round func(float64) float64) *obj.Func {
	return fn(name, name+"(x, /)", "CPython's math."+name+": the result is an int.", []obj.Param{{Name: "x"}}, func(env *obj.Env, args obj.Args) (any, error) {
		v, err := oneArg(name, args)
		if err != nil {
			return nil, err
		}
		if i, _, isInt, ok := number(v); ok && isInt {
			return i, nil
		}
		x, err := mathFloat(v)
		if err != nil {
			return nil, err
		}
		return toInt(round(x))
	})
}

// intFunc is a math function on ints whose arguments are all ints.
func intFunc(name, sig, doc string, n int, f func(xs []int) (any, error)) *obj.Func {
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
		xs := make([]int, len(vs))
		for i, v := range vs {
			x, err := mathInt(v)
			if err != nil {
				return nil, err
			}
			xs[i] = x
		}
		return f(xs)
	})
}

// mulExact multiplies without wrapping past 64 bits.
func mulExact(a, b int) (int, error) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, obj.Errorf(OverflowError, "the result does not fit a 64-bit integer (gokist's ints are 64-bit)")
	}
	return int(lo), nil
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	if a < 0 {
		return -a
	}
	return a
}

// perm is n!/(n-k)!, the product of k falling factors from n.
func perm(n, k int) (int, error) {
	r := 1
	for i := 0; i < k; i++ {
		var err error
		if r, err = mulExact(r, n-i); err != nil {
			return 0, err
		}
	}
	return r, nil
}

var mathInts = map[string]*obj.Func{
	"floor": rounding("floor", math.Floor), "ceil": rounding("ceil", math.Ceil), "trunc": rounding("trunc", math.Trunc),
	"factorial": intFunc("factorial", "factorial(n, /)", "n! for an int n ≥ 0.", 1, func(x []int) (any, error) {
		if x[0] < 0 {
			return nil, obj.Errorf(obj.ValueError, "factorial() not defined for negative values")
		}
		r, err := perm(x[0], x[0])
		return r, err
	}),
	"gcd": intFunc("gcd", "gcd(*integers)", "The greatest common divisor of the integers.", -1, func(x []int) (any, error) {
		r := 0
		for _, v := range x {
			r = gcd(r, v)
		}
		return r, nil
	}),
	"lcm": intFunc("lcm", "lcm(*integers)", "The least common multiple of the integers.", -1, func(x []int) (any, error) {
		r := 1
		for _, v := range x {
			if v == 0 {
				return 0, nil
			}
			var err error
			if r, err = mulExact(r/gcd(r, v), v); err != nil {
				return nil, err
			}
		}
		if r < 0 {
			r = -r
		}
		return r, nil
	}),
	"comb": intFunc("comb", "comb(n, k, /)", "The number of ways to choose k items from n without order.", 2, func(x []int) (any, error) {
		n, k := x[0], x[1]
		if n < 0 || k < 0 {
			return nil, obj.Errorf(obj.ValueError, "%s must be a non-negative integer", map[bool]string{true: "n", false: "k"}[n < 0])
		}
		if k > n {
			return 0, nil
		}
		k = min(k, n-k)
		r := 1
		for i := 1; i <= k; i++ { // r stays C(n-k+i, i), an integer at every step
			var err error
			if r, err = mulExact(r, n-k+i); err != nil {
				return nil, err
			}
			r /= i
		}
		return r, nil
	}),
	"perm": intFunc("perm", "perm(n, k, /)", "The number of ways to choose k items from n in order.", 2, func(x []int) (any, error) {
		n, k := x[0], x[1]
		if n < 0 || k < 0 {
			return nil, obj.Errorf(obj.ValueError, "%s must be a non-negative integer", map[bool]string{true: "n", false: "k"}[n < 0])
		}
		if k > n {
			return 0, nil
		}
		r, err := perm(n, k)
		return r, err
	}),
	"isqrt": intFunc("isqrt", "isqrt(n, /)", "The integer square root of n ≥ 0.", 1, func(x []int) (any, error) {
		if x[0] < 0 {
			return nil, obj.Errorf(obj.ValueError, "isqrt() argument must be nonnegative")
		}
		r := int(math.Sqrt(float64(x[0])))
		for r*r > x[0] {
			r--
		}
		for (r+1)*(r+1) <= x[0] {
			r++
		}
		return r, nil
	}),
}
