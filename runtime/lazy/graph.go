package lazy

import (
	"fmt"

	"gokist/obj"
)

// A graph is walked through its nodes' inputs and rebuilt with withInputs, so a walk
// needs no case per node kind. Where a walk treats some kinds specially (a reduction
// is a barrier the executor computes first; a read touches files), it classifies each
// node with kindOf, which panics on a kind it does not list, as go/ast.Walk does: a new
// node kind cannot be silently taken for another. The executor recovers that panic
// into an internal error naming the kind (recoverInternal).

// nodeKind is what a graph walk needs to know of a node.
type nodeKind int

const (
	leafKind    nodeKind = iota // no inputs: an in-memory array, a number, a read of files
	blockKind                   // computes any block of its output from its inputs' blocks
	barrierKind                 // needs all of its input before any output (a reduction)
)

// kindOf classifies every node kind of the runtime; an unknown kind panics with an
// *unknownNodeError.
func kindOf(n Node) nodeKind {
	switch n.(type) {
	case *ArrayNode, *ConstNode, *SourceNode:
		return leafKind
	case *IndexNode, *UnaryNode, *BinaryNode, *RebinNode, *reshapeNode, *TransposeNode, *whereNode:
		return blockKind
	case *ReduceNode:
		return barrierKind
	}
	panic(&unknownNodeError{kind: fmt.Sprintf("%T", n)})
}

// unknownNodeError is the panic of a walk that meets a node kind it does not know.
type unknownNodeError struct{ kind string }

func (e *unknownNodeError) Error() string {
	return "graph walk met a node kind it does not know: " + e.kind
}

// mustInputs panics when a node is rebuilt with the wrong number of inputs.
func mustInputs(n Node, ins []Node) {
	if len(ins) != len(n.Inputs()) {
		panic(fmt.Sprintf("runtime: %T rebuilt with %d inputs, it has %d", n, len(ins), len(n.Inputs())))
	}
}

// anyNode reports whether pred holds for n or any node below it.
func anyNode(n Node, pred func(Node) bool) bool {
	kindOf(n)
	if pred(n) {
		return true
	}
	for _, in := range n.Inputs() {
		if anyNode(in, pred) {
			return true
		}
	}
	return false
}

// rebuild returns n with each input replaced by f of it (bottom-up when f recurses),
// or n itself when no input changed.
func Rebuild(n Node, f func(Node) (Node, error)) (Node, error) {
	ins := n.Inputs()
	if len(ins) == 0 {
		return n, nil
	}
	out := make([]Node, len(ins))
	changed := false
	for i, in := range ins {
		x, err := f(in)
		if err != nil {
			return nil, err
		}
		out[i] = x
		changed = changed || x != in
	}
	if !changed {
		return n, nil
	}
	return n.WithInputs(out), nil
}

// recoverInternal turns a panic in the executor's own goroutine into an internal
// RuntimeError (naming the node kind when a walk met one it does not know), so that no
// Go panic reaches the session. Use as `defer recoverInternal(what, &err)`.
func recoverInternal(what string, err *error) {
	p := recover()
	if p == nil {
		return
	}
	*err = InternalError(what, p)
}

// InternalError is the error a recovered panic becomes.
func InternalError(what string, p any) error {
	if u, ok := p.(*unknownNodeError); ok {
		return obj.Errorf(obj.RuntimeError, "internal error in %s: the executor does not know the graph node kind %s", what, u.kind)
	}
	return obj.Errorf(obj.RuntimeError, "internal error in %s: %v", what, p)
}
