package runtime

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
	in  node
	out []int
}

// newReshape gives in with shape out, which must differ from in's only by axes of
// length 1 (checked by the caller); it gives in itself for the same shape.
func newReshape(in node, out []int) node {
	if slices.Equal(in.shape(), out) {
		return in
	}
	return &reshapeNode{in: in, out: slices.Clone(out)}
}

func (n *reshapeNode) shape() []int   { return n.out }
func (n *reshapeNode) dtype() DType   { return n.in.dtype() }
func (n *reshapeNode) name() string   { return "reshape" }
func (n *reshapeNode) inputs() []node { return []node{n.in} }
func (n *reshapeNode) withInputs(ins []node) node {
	mustInputs(n, ins)
	return &reshapeNode{in: ins[0], out: n.out}
}

// pairAxes pairs the axes longer than 1 of the input with those of the output, in order.
func (n *reshapeNode) pairAxes() (inAx, outAx []int) {
	for i, s := range n.in.shape() {
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

func (n *reshapeNode) cuts() [][]int {
	out := noCuts(len(n.out))
	ic := n.in.cuts()
	inAx, outAx := n.pairAxes()
	for k, ax := range inAx {
		if ax < len(ic) {
			out[outAx[k]] = ic[ax]
		}
	}
	return out
}

func (n *reshapeNode) eval(r *run, lo, hi []int, dst []float64) error {
	ish := n.in.shape()
	ilo, ihi := make([]int, len(ish)), make([]int, len(ish))
	for i, s := range ish {
		ihi[i] = min(s, 1)
	}
	inAx, outAx := n.pairAxes()
	for k, ax := range inAx {
		ilo[ax], ihi[ax] = lo[outAx[k]], hi[outAx[k]]
	}
	return n.in.eval(r, ilo, ihi, dst)
}

// transposeNode permutes the axes: output axis i is input axis perm[i].
type transposeNode struct {
	in   node
	perm []int
}

func (n *transposeNode) shape() []int {
	ish := n.in.shape()
	out := make([]int, len(n.perm))
	for i, p := range n.perm {
		out[i] = ish[p]
	}
	return out
}
func (n *transposeNode) dtype() DType   { return n.in.dtype() }
func (n *transposeNode) name() string   { return "transpose" }
func (n *transposeNode) inputs() []node { return []node{n.in} }
func (n *transposeNode) withInputs(ins []node) node {
	mustInputs(n, ins)
	return &transposeNode{in: ins[0], perm: n.perm}
}
func (n *transposeNode) cuts() [][]int {
	ic := n.in.cuts()
	out := noCuts(len(n.perm))
	for i, p := range n.perm {
		if p < len(ic) {
			out[i] = ic[p]
		}
	}
	return out
}

func (n *transposeNode) eval(r *run, lo, hi []int, dst []float64) error {
	nd := len(n.perm)
	ilo, ihi := make([]int, nd), make([]int, nd)
	for i, p := range n.perm {
		ilo[p], ihi[p] = lo[i], hi[i]
	}
	buf := r.buffer(len(dst))
	defer r.release(buf)
	if err := n.in.eval(r, ilo, ihi, buf); err != nil {
		return err
	}
	ist := stridesOf(subtract(ihi, ilo))
	st := make([]int, nd)
	for i, p := range n.perm {
		st[i] = ist[p]
	}
	broadcastLoop(subtract(hi, lo), st, st, func(k, ia, _ int) { dst[k] = buf[ia] })
	return nil
}

// whereNode is numpy's where(cond, x, y): x where cond is true (non-zero, NaN
// included), else y, with the three broadcast together.
type whereNode struct {
	cond, x, y node
	out        []int
	dt         DType
}

// newWhere builds where(cond, x, y) with numpy's broadcasting and result dtype.
func newWhere(cond, x, y node) (node, error) {
	shape, err := broadcastShapes(cond.shape(), x.shape())
	if err == nil {
		shape, err = broadcastShapes(shape, y.shape())
	}
	if err != nil {
		return nil, obj.Errorf(obj.ValueError, "%s", broadcastError(cond.shape(), x.shape(), y.shape()))
	}
	return &whereNode{cond: cond, x: x, y: y, out: shape, dt: resultDType("+", x, y)}, nil
}

func (n *whereNode) shape() []int   { return n.out }
func (n *whereNode) dtype() DType   { return n.dt }
func (n *whereNode) name() string   { return "where" }
func (n *whereNode) inputs() []node { return []node{n.cond, n.x, n.y} }
func (n *whereNode) withInputs(ins []node) node {
	mustInputs(n, ins)
	return &whereNode{cond: ins[0], x: ins[1], y: ins[2], out: n.out, dt: n.dt}
}
func (n *whereNode) cuts() [][]int {
	// The same rule as binaryNode's: the inputs' cuts along the axes they span.
	a := (&binaryNode{a: n.cond, b: n.x, out: n.out}).cuts()
	b := (&binaryNode{a: n.y, b: &constNode{}, out: n.out}).cuts()
	for i := range a {
		a[i] = mergeSorted(a[i], b[i])
	}
	return a
}

func (n *whereNode) eval(r *run, lo, hi []int, dst []float64) error {
	full := make([][]float64, 3)
	for i, in := range n.inputs() {
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
			dst[k] = roundTo(n.dt, v)
		}
	}
	return nil
}

// evalBroadcast writes the block [lo, hi) of in broadcast to the block's shape.
func evalBroadcast(r *run, in node, lo, hi []int, dst []float64) error {
	ilo, ihi, st := operandBox(in.shape(), lo, hi)
	if boxSize(ilo, ihi) == len(dst) && len(in.shape()) == len(lo) {
		return in.eval(r, ilo, ihi, dst) // nothing to broadcast
	}
	buf := r.buffer(boxSize(ilo, ihi))
	defer r.release(buf)
	if err := in.eval(r, ilo, ihi, buf); err != nil {
		return err
	}
	broadcastLoop(subtract(hi, lo), st, st, func(k, ia, _ int) { dst[k] = buf[ia] })
	return nil
}

// broadcastError is numpy's message for operands whose shapes do not broadcast: each
// shape as numpy's C code prints it, "(2,3) (4,) ", trailing space included.
func broadcastError(shapes ...[]int) string {
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
