package runtime

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// FormatFloat32 renders a float32 as numpy prints an np.float32 scalar: the shortest
// digits that read back as the same float32, positional from 1e-4 up to 1e16 with a
// ".0" on whole numbers, scientific with a signed two-digit exponent outside that range,
// and nan / inf. Go's own %v switches to an exponent already at 1e+06 and drops the
// ".0", which is not what a notebook user expects from `ds.data.sum().compute()`.
func FormatFloat32(v float32) string {
	f := float64(v)
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(f, 'e', -1, 32) // d.ddde±XX, shortest for float32
	mant, expText, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expText)
	sign := ""
	if strings.HasPrefix(mant, "-") {
		sign, mant = "-", mant[1:]
	}
	digits := strings.Replace(mant, ".", "", 1)
	// numpy decides on the value, not its digits: float32(1e-4) lies just below 1e-4.
	if a := math.Abs(f); a != 0 && (a < 1e-4 || a >= 1e16) {
		m := digits[:1]
		if len(digits) > 1 {
			m += "." + digits[1:]
		}
		es := "+"
		if exp < 0 {
			es, exp = "-", -exp
		}
		return fmt.Sprintf("%s%se%s%02d", sign, m, es, exp)
	}
	switch {
	case f == 0:
		return sign + "0.0"
	case exp < 0:
		return sign + "0." + strings.Repeat("0", -exp-1) + digits
	case exp+1 >= len(digits):
		return sign + digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
	}
	return sign + digits[:exp+1] + "." + digits[exp+1:]
}

// ScalarBinaryOp computes a op b (+ - * / // % **) for plain numbers where numpy 1.24's
// scalar rules give an np.float32: both operands float32 (`a[0] + a[1]`,
// `a.max() - a.min()` on float32 data), or a float32 and a bool. It returns
// handled=false for every other pair, which Python's rules decide: numpy 1.24 gives
// float64 for np.float32 with a Python float or int, as Python arithmetic does. As numpy
// does, division by zero gives inf or nan rather than an error. The result is the
// float32 rounding of the float64 result, which is numpy's float32 answer for + - * /
// (float64 holds every such product or quotient of float32 values well enough).
func ScalarBinaryOp(op string, a, b any) (result any, handled bool, err error) {
	x, aOK := float32Operand(a)
	y, bOK := float32Operand(b)
	_, a32 := a.(float32)
	_, b32 := b.(float32)
	if !aOK || !bOK || !a32 && !b32 {
		return nil, false, nil
	}
	switch op {
	case "//", "%":
		return float32(binaryFuncs32[op](x, y)), true, nil
	case "+", "-", "*", "/", "**":
		return float32(binaryFuncs[op](x, y)), true, nil
	}
	return nil, false, nil
}

// float32Operand gives a float32 or bool operand of ScalarBinaryOp as float64.
func float32Operand(v any) (float64, bool) {
	switch x := v.(type) {
	case float32:
		return float64(x), true
	case bool:
		return b2f(x), true
	}
	return 0, false
}

// ScalarUnaryOp computes -v, +v and abs(v) of an np.float32 scalar as numpy does,
// keeping float32; handled=false for other values and operators.
func ScalarUnaryOp(op string, v any) (result any, handled bool) {
	x, ok := v.(float32)
	if !ok {
		return nil, false
	}
	switch op {
	case "-":
		return -x, true
	case "+":
		return x, true
	case "abs":
		return float32(math.Abs(float64(x))), true
	}
	return nil, false
}
