package numpy

import (
	"gokist/obj"
)

// NumpyBool is numpy's bool scalar (np.bool_): what an element, a comparison or a full
// any()/all() of a boolean array gives. It differs from Python's bool where numpy's does:
// `~` is a logical not (Python's ~True is -2, which is true, so `~mask.any()` would always
// pass), `+` and `*` are logical or and and, `-` is an error. With numbers it counts as 0
// or 1, as a Python bool does.
type Bool bool

// MimeBundle shows True or False, as numpy 1.24 prints np.bool_.
func (b Bool) MimeBundle() map[string]any {
	if b {
		return map[string]any{"text/plain": "True"}
	}
	return map[string]any{"text/plain": "False"}
}

// Truth is the value itself.
func (b Bool) Truth() (bool, error) { return bool(b), nil }

// UnaryOp is numpy's: ~ is logical not, - is numpy's TypeError, + and abs keep the value.
func (b Bool) UnaryOp(env *obj.Env, op string) (any, error) {
	switch op {
	case "~":
		return !b, nil
	case "-":
		return nil, obj.Errorf(obj.TypeError, "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.")
	}
	return b, nil
}

// BoolScalarOp applies op when one side is a NumpyBool and the other a boolean (NumpyBool
// or Python bool), with numpy's meanings: & | ^ + * give a NumpyBool, - is numpy's
// TypeError (comparisons are numbers' comparisons, which lang gives as a NumpyBool). It returns handled=false for every other pair, which counts the
// NumpyBool as 0 or 1 (as Python and numpy do with numbers) or leaves it to an array's
// own reflected operator.
func BoolScalarOp(op string, a, b any) (result any, handled bool, err error) {
	_, aNP := a.(Bool)
	_, bNP := b.(Bool)
	if !aNP && !bNP {
		return nil, false, nil
	}
	x, ok1 := boolOf(a)
	y, ok2 := boolOf(b)
	if !ok1 || !ok2 {
		return nil, false, nil
	}
	switch op {
	case "&", "*":
		return Bool(x && y), true, nil
	case "|", "+":
		return Bool(x || y), true, nil
	case "^":
		return Bool(x != y), true, nil
	case "-":
		return nil, true, obj.Errorf(obj.TypeError, "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.")
	}
	return nil, false, nil
}

// boolOf reads a NumpyBool or a Python bool.
func boolOf(v any) (bool, bool) {
	switch x := v.(type) {
	case Bool:
		return bool(x), true
	case bool:
		return x, true
	}
	return false, false
}
