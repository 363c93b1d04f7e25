package table

// This file holds a numeric column's arithmetic with numbers and with other columns of
// its length, elementwise as numpy does (ints stay ints for + - *; / gives floats).

import (
	"math"

	"gokist/obj"
)

// BinaryOp is col + x, x * col, col / other_col, ...; x a number or a column of the same
// length. Other operands (a unit, an array) are left to their own types.
func (c *Column) BinaryOp(env *obj.Env, op string, other any, reflected bool) (any, bool, error) {
	switch op {
	case "+", "-", "*", "/", "**":
	default:
		return nil, false, nil
	}
	var rhs []any
	switch x := other.(type) {
	case int, float64:
		rhs = make([]any, len(c.Values))
		for i := range rhs {
			rhs[i] = x
		}
	case *Column:
		if len(x.Values) != len(c.Values) {
			return nil, true, obj.Errorf(obj.ValueError, "operands could not be broadcast together with shapes (%d,) (%d,)", len(c.Values), len(x.Values))
		}
		rhs = x.Values
	default:
		return nil, false, nil
	}
	out := &Column{Name: c.Name, Values: make([]any, len(c.Values))}
	for i, v := range c.Values {
		a, b := v, rhs[i]
		if reflected {
			a, b = b, a
		}
		r, err := elementOp(op, a, b)
		if err != nil {
			return nil, true, obj.Errorf(obj.TypeError, "column '%s' row %d: %v", c.Name, i, err)
		}
		out.Values[i] = r
	}
	return out, true, nil
}

// elementOp applies op to two numbers: ints for + - * of ints (and ** with a
// non-negative exponent), floats otherwise, with numpy's inf and nan for a zero divisor.
func elementOp(op string, a, b any) (any, error) {
	ia, aInt := a.(int)
	ib, bInt := b.(int)
	if aInt && bInt {
		switch op {
		case "+":
			return ia + ib, nil
		case "-":
			return ia - ib, nil
		case "*":
			return ia * ib, nil
		case "**":
			if ib >= 0 {
				r := 1
				for range ib {
					r *= ia
				}
				return r, nil
			}
			return nil, obj.Errorf(obj.ValueError, "Integers to negative integer powers are not allowed.")
		}
	}
	x, okA := obj.Float(a)
	y, okB := obj.Float(b)
	if !okA || !okB {
		return nil, obj.Errorf(obj.TypeError, "unsupported operand types %s and %s", obj.TypeName(a), obj.TypeName(b))
	}
	switch op {
	case "+":
		return x + y, nil
	case "-":
		return x - y, nil
	case "*":
		return x * y, nil
	case "/":
		return x / y, nil // IEEE: ±inf, nan for a zero divisor, as numpy
	}
	return math.Pow(x, y), nil
}
