package lang

import (
	"math"

	"github.com/expr-lang/expr/ast"
)

// intExpr evaluates an expression of a fast loop on Go ints without boxing them: names
// holding ints, integer constants, + - * // % and unary minus. ok is false when an
// operand is not an int at run time or Python's result would not be a 64-bit int
// (overflow, division by zero): the caller then evaluates the same expression by its
// general closure, which gives the value or the error Python's rules give. That second
// evaluation repeats nothing observable: every part of an intExpr is a name, a constant
// or integer arithmetic.
//
// Why: boxing each intermediate int (an allocation each) is most of what is left of a
// loop's cost once its names are in slots (see fastLoop).
type intExpr func(sc *fastScope) (v int, ok bool)

// compileInt returns node's int closure on the loop's slots, or nil.
func (lc *loopCompiler) compileInt(node ast.Node) intExpr {
	switch n := node.(type) {
	case *ast.IntegerNode:
		v := n.Value
		return func(*fastScope) (int, bool) { return v, true }
	case *ast.IdentifierNode:
		if len(n.Value) == 0 || n.Value[0] == '$' || n.Value[0] == '%' {
			return nil
		}
		i := lc.slot(n.Value)
		lc.reads[i] = true
		return func(sc *fastScope) (int, bool) {
			if sc.isInt[i] {
				return sc.ints[i], true
			}
			v, ok := sc.slots[i].(int)
			return v, ok
		}
	case *ast.CallNode:
		return lc.compileIntCall(n)
	}
	return nil
}

func (lc *loopCompiler) compileIntCall(n *ast.CallNode) intExpr {
	callee, ok := n.Callee.(*ast.IdentifierNode)
	if !ok || len(n.Arguments) == 0 {
		return nil
	}
	opNode, ok := n.Arguments[0].(*ast.StringNode)
	if !ok {
		return nil
	}
	op := opNode.Value
	if callee.Value == fnUnary && op == "-" && len(n.Arguments) == 2 {
		x := lc.compileInt(n.Arguments[1])
		if x == nil {
			return nil
		}
		return func(sc *fastScope) (int, bool) {
			v, ok := x(sc)
			return -v, ok && v != math.MinInt
		}
	}
	if callee.Value != fnBinOp || len(n.Arguments) != 3 {
		return nil
	}
	if len(op) == 2 && op[1] == '=' || op == "//=" {
		op = op[:len(op)-1] // augmented assignment: ints are immutable, so as the plain op
	}
	arith := intArith[op]
	a, b := lc.compileInt(n.Arguments[1]), lc.compileInt(n.Arguments[2])
	if arith == nil || a == nil || b == nil {
		return nil
	}
	return func(sc *fastScope) (int, bool) {
		x, ok := a(sc)
		if !ok {
			return 0, false
		}
		y, ok := b(sc)
		if !ok {
			return 0, false
		}
		return arith(x, y)
	}
}

// intArith holds Python's integer operators where the result fits in an int.
var intArith = map[string]func(x, y int) (int, bool){
	"+": func(x, y int) (int, bool) {
		r := x + y
		return r, (r > x) == (y > 0) || y == 0
	},
	"-": func(x, y int) (int, bool) {
		r := x - y
		return r, (r < x) == (y > 0) || y == 0
	},
	"*": mulInt,
	"//": func(x, y int) (int, bool) {
		if y == 0 || x == math.MinInt && y == -1 {
			return 0, false
		}
		q := x / y
		if x%y != 0 && (x < 0) != (y < 0) {
			q--
		}
		return q, true
	},
	"%": func(x, y int) (int, bool) {
		if y == 0 {
			return 0, false
		}
		m := x % y
		if m != 0 && (m < 0) != (y < 0) {
			m += y
		}
		return m, true
	},
}

// intCompare holds Python's comparisons of two ints.
var intCompare = map[string]func(x, y int) bool{
	"<": func(x, y int) bool { return x < y }, "<=": func(x, y int) bool { return x <= y },
	">": func(x, y int) bool { return x > y }, ">=": func(x, y int) bool { return x >= y },
	"==": func(x, y int) bool { return x == y }, "!=": func(x, y int) bool { return x != y },
}

// compileIntCond returns the truth of `__truthy(__compare(op, a, b))` of two int
// expressions; ok is false when either is not an int at run time.
func (lc *loopCompiler) compileIntCond(node ast.Node) func(sc *fastScope) (v, ok bool) {
	call, isCall := node.(*ast.CallNode)
	if !isCall || len(call.Arguments) != 1 {
		return nil
	}
	if callee, ok := call.Callee.(*ast.IdentifierNode); !ok || callee.Value != fnTruthy {
		return nil
	}
	cmp, isCall := call.Arguments[0].(*ast.CallNode)
	if !isCall || len(cmp.Arguments) != 3 {
		return nil
	}
	callee, ok := cmp.Callee.(*ast.IdentifierNode)
	opNode, isStr := cmp.Arguments[0].(*ast.StringNode)
	if !ok || callee.Value != fnCompare || !isStr || intCompare[opNode.Value] == nil {
		return nil
	}
	holds := intCompare[opNode.Value]
	a, b := lc.compileInt(cmp.Arguments[1]), lc.compileInt(cmp.Arguments[2])
	if a == nil || b == nil {
		return nil
	}
	return func(sc *fastScope) (bool, bool) {
		x, ok := a(sc)
		if !ok {
			return false, false
		}
		y, ok := b(sc)
		if !ok {
			return false, false
		}
		return holds(x, y), true
	}
}
