package numpy

import (
	"gokist/runtime/lazy"
	"math"

	"gokist/pyfmt"
)

// FormatFloat32 renders a float32 as numpy prints an np.float32 scalar (1e+20, 0.1,
// 1234567.0), as `ds.data.sum().compute()` shows it; it is pyfmt.Float32.
func FormatFloat32(v float32) string { return pyfmt.Float32(v) }

// ScalarBinaryOp computes a op b (+ - * / // % **) for plain numbers where numpy 1.24's
// scalar rules give an np.float32: both operands float32 (`a[0] + a[1]`,
// `a.max() - a.min()` on float32 data), or a float32 and a bool. It returns
// handled=false for every other pair, which Python's rules decide: numpy 1.24 gives
// float64 for np.float32 with a Python float or int, as Python arithmetic does. As numpy
// does, division by zero gives inf or nan rather than an error. The result is the
// float32 rounding of the float64 result, which is numpy's float32 answer for + - * /
// (float64 holds every such product or quotient of float32 values well enough).
func ScalarBinaryOp(op string, a, b any) (result any, handled bool, err error) {
	if r, ok := float32ByZero(op, a, b); ok {
		return r, true, nil
	}
	x, aOK := float32Operand(a)
	y, bOK := float32Operand(b)
	_, a32 := a.(float32)
	_, b32 := b.(float32)
	if !aOK || !bOK || !a32 && !b32 {
		return nil, false, nil
	}
	switch op {
	case "//", "%":
		return float32(lazy.BinaryFuncs32[op](x, y)), true, nil
	case "+", "-", "*", "/", "**":
		return float32(lazy.BinaryFuncs[op](x, y)), true, nil
	}
	return nil, false, nil
}

// float32ByZero is an np.float32 divided by a Python zero: numpy gives inf or nan (with a
// warning) where Python raises ZeroDivisionError; the result is a float (float64), as
// np.float32 with a Python number gives in numpy 1.24.
func float32ByZero(op string, a, b any) (float64, bool) {
	x, ok := a.(float32)
	if !ok || op != "/" && op != "//" && op != "%" {
		return 0, false
	}
	switch y := b.(type) {
	case int:
		ok = y == 0
	case float64:
		ok = y == 0
	default:
		ok = false
	}
	if !ok {
		return 0, false
	}
	return lazy.BinaryFuncs[op](float64(x), 0), true
}

// float32Operand gives a float32 or bool operand of ScalarBinaryOp as float64.
func float32Operand(v any) (float64, bool) {
	switch x := v.(type) {
	case float32:
		return float64(x), true
	case bool:
		return lazy.B2f(x), true
	case Bool:
		return lazy.B2f(bool(x)), true
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
