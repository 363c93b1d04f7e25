package lang

import (
	"fmt"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
)

// fastExpr evaluates a lowered expression in a scope's environment without expr's VM.
//
// Why: a loop body such as `s += i * 2` spends most of its time in the VM's generic
// call path (argument slices, the function table, boxing) rather than in the arithmetic.
// Expressions made only of names, constants and the lowering's operator helpers
// (__binop, __compare, __unary, __truthy) compile to Go closures that call the same
// Session methods the VM would, with the same error locations, so the two paths agree
// by construction; anything else keeps the VM.
type fastExpr func(sc *fastScope) (any, error)

// fastScope is where fast closures read names: the running scope's map, or the slots
// of a fast loop (see fastLoop), which reads names by index instead of by hash.
type fastScope struct {
	env   map[string]any
	slots []any
	ints  []int  // a fast loop's int values, unboxed (see intExpr)
	isInt []bool // slot i holds ints[i] rather than slots[i]
}

// compileFast returns the closure for node reading names from the scope's map, or nil
// when node is outside the subset.
func (s *Session) compileFast(node ast.Node) fastExpr {
	return s.compileFastIn(node, nil)
}

// compileFastIn compiles node; slot, when not nil, gives the slot of each name (a fast
// loop's), else names are read from the map.
func (s *Session) compileFastIn(node ast.Node, slot func(string) int) fastExpr {
	switch n := node.(type) {
	case *ast.IntegerNode:
		v := n.Value
		return func(*fastScope) (any, error) { return v, nil }
	case *ast.FloatNode:
		v := n.Value
		return func(*fastScope) (any, error) { return v, nil }
	case *ast.BoolNode:
		v := n.Value
		return func(*fastScope) (any, error) { return v, nil }
	case *ast.StringNode:
		v := n.Value
		return func(*fastScope) (any, error) { return v, nil }
	case *ast.IdentifierNode:
		if len(n.Value) == 0 || n.Value[0] == '$' || n.Value[0] == '%' {
			return nil // expr's own names ($env) and the lowering's let-bound temporaries
		}
		name := n.Value
		if slot != nil {
			i := slot(name)
			return func(sc *fastScope) (any, error) {
				if sc.isInt[i] {
					return sc.ints[i], nil
				}
				return sc.slots[i], nil
			}
		}
		// As the VM's OpLoadFast: a missing key is nil (checkUses has reported the
		// names that are not bound before the statement runs).
		return func(sc *fastScope) (any, error) { return sc.env[name], nil }
	case *ast.CallNode:
		return s.compileFastCall(n, slot)
	}
	return nil
}

// compileFastCall handles the operator helpers the lowering calls.
func (s *Session) compileFastCall(n *ast.CallNode, slot func(string) int) fastExpr {
	callee, ok := n.Callee.(*ast.IdentifierNode)
	if !ok {
		return nil
	}
	args := make([]fastExpr, len(n.Arguments))
	for i, a := range n.Arguments {
		if args[i] = s.compileFastIn(a, slot); args[i] == nil {
			return nil
		}
	}
	loc := n.Location()
	fail := func(err error) error {
		// The VM reports a failing call at the call's node; so does this path.
		fe := &file.Error{Location: loc, Message: err.Error()}
		fe.Wrap(err)
		return fe
	}
	switch callee.Value {
	case fnBinOp, fnCompare:
		op, ok := n.Arguments[0].(*ast.StringNode)
		if len(args) != 3 || !ok {
			return nil
		}
		apply := s.binOp
		if callee.Value == fnCompare {
			apply = s.compare
		}
		return binaryFast(op.Value, args[1], args[2], apply, fail)
	case fnUnary:
		op, ok := n.Arguments[0].(*ast.StringNode)
		if len(args) != 2 || !ok {
			return nil
		}
		x := args[1]
		return func(sc *fastScope) (any, error) {
			v, err := x(sc)
			if err != nil {
				return nil, err
			}
			r, err := s.unaryOp(op.Value, v)
			if err != nil {
				return nil, fail(err)
			}
			return r, nil
		}
	case fnTruthy:
		if len(args) != 1 {
			return nil
		}
		x := args[0]
		return func(sc *fastScope) (any, error) {
			v, err := x(sc)
			if err != nil {
				return nil, err
			}
			r, err := truthy(v)
			if err != nil {
				return nil, fail(err)
			}
			return r, nil
		}
	}
	return nil
}

// binaryFast evaluates both operands, left first, then the operator.
func binaryFast(op string, a, b fastExpr, apply func(string, any, any) (any, error), fail func(error) error) fastExpr {
	return func(sc *fastScope) (any, error) {
		x, err := a(sc)
		if err != nil {
			return nil, err
		}
		y, err := b(sc)
		if err != nil {
			return nil, err
		}
		r, err := apply(op, x, y)
		if err != nil {
			return nil, fail(err)
		}
		return r, nil
	}
}

// runFast runs a fast expression in the running scope; a panic in a runtime method
// becomes an error at the expression, as the VM's recovery makes it.
func (s *Session) runFast(f fastExpr, node ast.Node) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			fe := &file.Error{Location: node.Location(), Message: fmt.Sprint(r)}
			if e, ok := r.(error); ok {
				fe.Wrap(e)
			}
			v, err = nil, fe
		}
	}()
	return f(&fastScope{env: s.frame.locals})
}
