package lazy

import (
	"slices"
	"strconv"

	"gokist/obj"
)

// This file holds the graph nodes numpy's shape functions and np.where add to the
// lazy-array core: each computes any block of its output from blocks of its inputs, so
// they stream and fuse like the elementwise nodes.

// reshapeNode inserts or removes axes of length 1 (keepdims, expand_dims, None in an
// index, squeeze of a computed shape): the values keep their row-major order, so a block
// of the output is the same values as the matching block of the input.
type reshapeNode struct {
	in  Node
	out []int
}

// newReshape gives in with shape out, which must differ from in's only by axes of
// length 1 (checked by the caller); it gives in itself for the same shape.
func NewReshape(in Node, out []int) Node {
	if slices.Equal(in.Shape(), out) {
		return in
	}
	return &reshapeNode{in: in, out: slices.Clone(out)}
}

func (n *reshapeNode) Shape() []int   { return n.out }
func (n *reshapeNode) DType() DType   { return n.in.DType() }
func (n *reshapeNode) Name() string   { return "reshape" }
func (n *reshapeNode) Inputs() []Node { return []Node{n.in} }
func (n *reshapeNode) WithInputs(ins []Node) Node {
	mustInputs(n, ins)
	return &reshapeNode{in: ins[0], out: n.out}
}

// pairAxes pairs the axes longer than 1 of the input with those of the output, in order.
func (n *reshapeNode) pairAxes() (inAx, outAx []int) {
	for i, s := range n.in.Shape() {
		if s != 1 {
			inAx = append(inAx, i)
		}
	}
	for i, s := range n.out {
		if s != 1 {
			outAx = append(outAx, i)
		}
	}
	return inAx, outAx
}

func (n *reshapeNode) Cuts() [][]int {
	out := noCuts(len(n.out))
	ic := n.in.Cuts()
	inAx, outAx := n.pairAxes()
	for k, ax := range inAx {
		if ax < len(ic) {
			out[outAx[k]] = ic[ax]
		}
	}
	return out
}

func (n *reshapeNode) Eval(r *Run, lo, hi []int, dst []float64) error {
	ish := n.in.Shape()
	ilo, ihi := make([]int, len(ish)), make([]int, len(ish))
	for i, s := range ish {
		ihi[i] = min(s, 1)
	}
	inAx, outAx := n.pairAxes()
	for k, ax := range inAx {
		ilo[ax], ihi[ax] = lo[outAx[k]], hi[outAx[k]]
	}
	return n.in.Eval(r, ilo, ihi, dst)
}

// transposeNode permutes the axes: output axis i is input axis perm[i].
type TransposeNode struct {
	In   Node
	Perm []int
}

func (n *TransposeNode) Shape() []int {
	ish := n.In.Shape()
	out := make([]int, len(n.Perm))
	for i, p := range n.Perm {
		out[i] = ish[p]
	}
	return out
}
func (n *TransposeNode) DType() DType   { return n.In.DType() }
func (n *TransposeNode) Name() string   { return "transpose" }
func (n *TransposeNode) Inputs() []Node { return []Node{n.In} }
func (n *TransposeNode) WithInputs(ins []Node) Node {
	mustInputs(n, ins)
	return &TransposeNode{In: ins[0], Perm: n.Perm}
}
func (n *TransposeNode) Cuts() [][]int {
	ic := n.In.Cuts()
	out := noCuts(len(n.Perm))
	for i, p := range n.Perm {
		if p < len(ic) {
			out[i] = ic[p]
		}
	}
	return out
}

func (n *TransposeNode) Eval(r *Run, lo, hi []int, dst []float64) error {
	nd := len(n.Perm)
	ilo, ihi := make([]int, nd), make([]int, nd)
	for i, p := range n.Perm {
		ilo[p], ihi[p] = lo[i], hi[i]
	}
	buf := r.buffer(len(dst))
	defer r.release(buf)
	if err := n.In.Eval(r, ilo, ihi, buf); err != nil {
		return err
	}
	ist := StridesOf(subtract(ihi, ilo))
	st := make([]int, nd)
	for i, p := range n.Perm {
		st[i] = ist[p]
	}
	broadcastLoop(subtract(hi, lo), st, st, func(k, ia, _ int) { dst[k] = buf[ia] })
	return nil
}

// whereNode is numpy's where(cond, x, y): x where cond is true (non-zero, NaN
// included), else y, with the three broadcast together.
type whereNode struct {
	cond, x, y Node
	out        []int
	dt         DType
}

// newWhere builds where(cond, x, y) with numpy's broadcasting and result dtype.
func NewWhere(cond, x, y Node) (Node, error) {
	shape, err := BroadcastShapes(cond.Shape(), x.Shape())
	if err == nil {
		shape, err = BroadcastShapes(shape, y.Shape())
	}
	if err != nil {
		return nil, obj.Errorf(obj.ValueError, "%s", BroadcastError(cond.Shape(), x.Shape(), y.Shape()))
	}
	return &whereNode{cond: cond, x: x, y: y, out: shape, dt: resultDType("+", x, y)}, nil
}

func (n *whereNode) Shape() []int   { return n.out }
func (n *whereNode) DType() DType   { return n.dt }
func (n *whereNode) Name() string   { return "where" }
func (n *whereNode) Inputs() []Node { return []Node{n.cond, n.x, n.y} }
func (n *whereNode) WithInputs(ins []Node) Node {
	mustInputs(n, ins)
	return &whereNode{cond: ins[0], x: ins[1], y: ins[2], out: n.out, dt: n.dt}
}
func (n *whereNode) Cuts() [][]int {
	// The same rule as binaryNode's: the inputs' cuts along the axes they span.
	a := (&BinaryNode{A: n.cond, B: n.x, Out: n.out}).Cuts()
	b := (&BinaryNode{A: n.y, B: &ConstNode{}, Out: n.out}).Cuts()
	for i := range a {
		a[i] = mergeSorted(a[i], b[i])
	}
	return a
}

func (n *whereNode) Eval(r *Run, lo, hi []int, dst []float64) error {
	full := make([][]float64, 3)
	for i, in := range n.Inputs() {
		full[i] = r.buffer(len(dst))
		defer r.release(full[i])
		if err := evalBroadcast(r, in, lo, hi, full[i]); err != nil {
			return err
		}
	}
	c, x, y := full[0], full[1], full[2]
	for k := range dst {
		if c[k] != 0 {
			dst[k] = x[k]
		} else {
			dst[k] = y[k]
		}
	}
	if n.dt != Float64 { // the operands' values already fit a float64 result
		for k, v := range dst {
			dst[k] = RoundTo(n.dt, v)
		}
	}
	return nil
}

// evalBroadcast writes the block [lo, hi) of in broadcast to the block's shape.
func evalBroadcast(r *Run, in Node, lo, hi []int, dst []float64) error {
	ilo, ihi, st := operandBox(in.Shape(), lo, hi)
	if BoxSize(ilo, ihi) == len(dst) && len(in.Shape()) == len(lo) {
		return in.Eval(r, ilo, ihi, dst) // nothing to broadcast
	}
	buf := r.buffer(BoxSize(ilo, ihi))
	defer r.release(buf)
	if err := in.Eval(r, ilo, ihi, buf); err != nil {
		return err
	}
	broadcastLoop(subtract(hi, lo), st, st, func(k, ia, _ int) { dst[k] = buf[ia] })
	return nil
}

// broadcastError is numpy's message for operands whose shapes do not broadcast: each
// shape as numpy's C code prints it, "(2,3) (4,) ", trailing space included.
func BroadcastError(shapes ...[]int) string {
	s := "operands could not be broadcast together with shapes "
	for _, sh := range shapes {
		s += "("
		for i, n := range sh {
			if i > 0 {
				s += ","
			}
			s += strconv.Itoa(n)
		}
		if len(sh) == 1 {
			s += ","
		}
		s += ") "
	}
	return s
}
