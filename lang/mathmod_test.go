package lang

import (
	"context"
	"math"
	"strconv"
	"testing"

	"gokist/internal/pyref"
)

// TestMathModuleMatchesCPython runs math calls as cells and in CPython 3.11: the reprs,
// or the error class and message, must be the same.
func TestMathModuleMatchesCPython(t *testing.T) {
	setup := "import math\nimport numpy as np"
	cells := []string{
		"math.pi", "math.e", "math.tau", "math.inf", "math.nan", "-math.inf",
		"math.sqrt(2)", "math.sqrt(-1)", "math.sqrt(4)", "math.sqrt(True)", "math.sqrt('x')", "math.sqrt(np.float32(2))",
		"math.exp(1)", "math.exp(1000)", "math.expm1(1e-10)", "math.log(10)", "math.log(8, 2)", "math.log(0)", "math.log(-1)", "math.log(10, 1)",
		"math.log10(1000)", "math.log2(1024)", "math.log1p(-1)", "math.log1p(1e-12)",
		"math.sin(math.pi / 6)", "math.cos(0.5)", "math.tan(1)", "math.sin(math.inf)", "math.asin(2)", "math.acos(0.3)", "math.atan(1e300)",
		"math.atan2(1, -1)", "math.atan2(-0.0, -1)", "math.sinh(1)", "math.cosh(800)", "math.tanh(0.5)", "math.asinh(2)", "math.acosh(0.5)", "math.atanh(1)",
		"math.degrees(math.pi / 4)", "math.radians(180)", "math.fabs(-3)", "math.erf(0.5)", "math.erfc(2)", "math.gamma(5.5)", "math.gamma(0)", "math.lgamma(10.5)",
		"math.floor(2.7)", "math.floor(-2.5)", "math.floor(5)", "math.ceil(2.1)", "math.ceil(-2.1)", "math.trunc(-2.9)", "math.floor(math.nan)", "math.floor(math.inf)", "math.floor(np.float32(3.5))",
		"math.factorial(10)", "math.factorial(0)", "math.factorial(-1)", "math.factorial(2.0)", "math.gcd(12, 18, 27)", "math.gcd()", "math.lcm(4, 6, 10)",
		"math.comb(10, 3)", "math.comb(60, 30)", "math.comb(3, 5)", "math.comb(-1, 2)", "math.perm(10, 3)", "math.isqrt(99)", "math.isqrt(-1)",
		"math.pow(2, 10)", "math.pow(0, -1)", "math.pow(-8, 1/3)", "math.pow(10, 400)", "math.copysign(3, -0.0)", "math.hypot(3, 4)", "math.hypot(1, 2, 2)", "math.hypot()",
		"math.fmod(7, -3)", "math.fmod(1, 0)", "math.remainder(7, 4)", "math.modf(-3.25)", "math.modf(math.inf)", "math.frexp(10.0)", "math.ldexp(0.625, 4)", "math.ldexp(1, 2000)",
		"math.isnan(math.nan)", "math.isinf(-math.inf)", "math.isfinite(1e308)", "math.isclose(1.0, 1.0 + 1e-10)", "math.isclose(1, 1.1, rel_tol=0.2)", "math.isclose(0, 1e-12, abs_tol=1e-11)", "math.isclose(1, 2, rel_tol=-1)",
		"math.fsum([0.1] * 10)", "sum([0.1] * 10)", "math.fsum([1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50])", "math.fsum([math.inf, 1])", "math.fsum([math.inf, -math.inf])", "math.fsum(np.arange(4.0))",
		"math.prod([1, 2, 3, 4])", "math.prod([1.5, 2])", "math.prod([], start=5)", "math.prod(range(1, 6))", "math.dist((0, 0), (3, 4))", "math.dist((0,), (1, 2))",
		"[math.floor(x) for x in (0.5, 1.5, -0.5)]", "math.sqrt(np.array(4.0))", "math.sqrt(np.array([9.0]))", "math.sqrt(np.arange(2.0))",
		"float(np.array([2.5]))", "int(np.array(7.9))", "int(np.array(np.nan))", "float(np.ones((2, 2)))",
	}
	want := pyref.Batch(t, setup, cells)
	s := NewSession()
	if _, err := s.Execute(context.Background(), setup, nil); err != nil {
		t.Fatal(err)
	}
	checkCellsAgainstPython(t, s, cells, want, func(c, got, want string) bool { return withinULP(got, want, libmULP[c]) })
}

// libmULP are the calls where Go's math package and glibc's libm (which CPython calls)
// round differently in the last place; they must agree within one unit in the last place.
var libmULP = map[string]bool{"math.tan(1)": true, "math.acos(0.3)": true, "math.lgamma(10.5)": true}

// withinULP reports whether two float reprs are at most one unit in the last place apart.
func withinULP(a, b string, allowed bool) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return allowed && err1 == nil && err2 == nil && (math.Nextafter(x, y) == y)
}
