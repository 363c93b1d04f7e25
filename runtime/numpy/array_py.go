package numpy

// This file is the Python face of arrays: LazyArray (ds.data), the member-table side
// of Array, numpy's scalars as Python values, and the decoding of operands and index
// keys from Python values.

import (
	"gokist/runtime/lazy"
	"slices"

	"gokist/obj"
)

// Type returns the member table of Array.
func (a *NDArray) Type() *obj.Type { return ArrayType }

// LazyArray is a lazy N-d array (`ds.data`): a graph of reads, index steps, elementwise
// operations, rebinning and reductions that runs only on compute().
type LazyArray struct {
	Node lazy.Node
}

// ArrayHolder is a value numpy takes as the lazy array it holds, as dkist's Dataset:
// np.sum(ds) is np.sum(ds.data), lazily.
type ArrayHolder interface {
	Lazy() *LazyArray // the array as a graph
	Data() any        // the array as a cell sees it: an NDArray when in memory, else a LazyArray
}

// Shape returns the numpy shape.
func (l *LazyArray) Shape() []int { return slices.Clone(l.Node.Shape()) }

// DType returns the element type.
func (l *LazyArray) DType() lazy.DType { return l.Node.DType() }

// Type returns the member table of LazyArray.
func (l *LazyArray) Type() *obj.Type { return LazyArrayType }

// Compute runs the graph on the session's executor and returns an Array, or a number
// (float64, int or bool) when the result is 0-dimensional.
func (l *LazyArray) Compute(env *obj.Env) (any, error) {
	a, err := ComputeNode(env, l.Node)
	if err != nil {
		return nil, err
	}
	return ScalarOrSelf(a), nil
}

// scalarOrSelf gives a 0-d array's single value as numpy's scalar would be, else the
// array.
func ScalarOrSelf(a *lazy.Array) any {
	if len(a.Dims) > 0 {
		return (*NDArray)(a)
	}
	return scalarValue(a.At(0), a.DT)
}

// scalarValue is numpy's scalar of dtype dt holding v: a float32 result (a full
// reduction of float32 data, as np.float32) stays a Go float32, which lang treats as a
// float in arithmetic, comparisons and format specs and which prints with float32's
// shortest digits (FormatFloat32) rather than as the float64 it widens to.
func scalarValue(v float64, dt lazy.DType) any {
	switch dt {
	case lazy.Float32:
		return float32(v)
	case lazy.Bool:
		return Bool(v != 0)
	}
	return PythonValue(v, dt)
}

// pythonValue is the Python number that tolist() and item() give for v of dtype dt:
// int, bool or float (float32 values widen to float, as numpy's do).
func PythonValue(v float64, dt lazy.DType) any {
	switch dt {
	case lazy.Int64:
		return int(v)
	case lazy.Bool:
		return v != 0
	}
	return v
}

// nodeOf gives the graph node of an array-like value or a Python number; ok=false when
// v is neither.
func NodeOf(v any) (lazy.Node, bool) {
	switch x := v.(type) {
	case *LazyArray:
		return x.Node, true
	case *NDArray:
		return &lazy.ArrayNode{A: (*lazy.Array)(x)}, true
	case int:
		return &lazy.ConstNode{V: float64(x), Dt: lazy.Int64}, true
	case float64:
		return &lazy.ConstNode{V: x, Dt: lazy.Float64}, true
	case float32:
		// numpy 1.x casts by value for scalars: an np.float32 combines with an array as
		// a Python float would (float32 arrays stay float32, int arrays become float64).
		return &lazy.ConstNode{V: float64(x), Dt: lazy.Float64}, true
	case bool:
		return &lazy.ConstNode{V: lazy.B2f(x), Dt: lazy.Bool}, true
	case Bool:
		return &lazy.ConstNode{V: lazy.B2f(bool(x)), Dt: lazy.Bool}, true
	case ArrayHolder:
		return x.Lazy().Node, true
	}
	return nil, false
}

// binaryOp builds self op other (reflected: other op self) for array-like values;
// handled is false when other is not array-like or op is unknown.
func BinaryNode(op string, self lazy.Node, other any, reflected bool) (_ lazy.Node, handled bool, _ error) {
	on, ok := NodeOf(other)
	if !ok {
		return nil, false, nil
	}
	if reflected {
		return lazy.NewBinary(op, on, self)
	}
	return lazy.NewBinary(op, self, on)
}

// BinaryOp implements arithmetic and comparisons with numpy broadcasting; the result
// is lazy.
func (l *LazyArray) BinaryOp(env *obj.Env, op string, other any, reflected bool) (any, bool, error) {
	n, handled, err := BinaryNode(op, l.Node, other, reflected)
	if !handled || err != nil {
		return nil, handled, err
	}
	return &LazyArray{n}, true, nil
}

// UnaryOp implements -x, +x, abs(x) and ~x (invert: logical not of bools, bitwise not
// of ints), lazily.
func (l *LazyArray) UnaryOp(env *obj.Env, op string) (any, error) {
	n, err := lazy.UnaryOp(op, l.Node)
	if err != nil {
		return nil, err
	}
	return &LazyArray{n}, nil
}

// BinaryOp implements arithmetic and comparisons; with a LazyArray on the other side
// the result is lazy, otherwise it is computed at once.
func (a *NDArray) BinaryOp(env *obj.Env, op string, other any, reflected bool) (any, bool, error) {
	if _, isLazy := other.(*LazyArray); isLazy {
		return nil, false, nil // the LazyArray's reflected method handles it
	}
	n, handled, err := BinaryNode(op, &lazy.ArrayNode{A: (*lazy.Array)(a)}, other, reflected)
	if !handled || err != nil {
		return nil, handled, err
	}
	r, err := ComputeNode(env, n)
	if err != nil {
		return nil, true, err
	}
	return ScalarOrSelf(r), true, nil
}

// UnaryOp implements -x, +x, abs(x) and ~x (invert: logical not of bools, bitwise not
// of ints).
func (a *NDArray) UnaryOp(env *obj.Env, op string) (any, error) {
	n, err := lazy.UnaryOp(op, &lazy.ArrayNode{A: (*lazy.Array)(a)})
	if err != nil {
		return nil, err
	}
	r, err := ComputeNode(env, n)
	if err != nil {
		return nil, err
	}
	return ScalarOrSelf(r), nil
}

// GetItem indexes the lazy array as numpy does; the result is lazy.
func (l *LazyArray) GetItem(env *obj.Env, key any) (any, error) {
	if arrayKey(key) {
		return nil, lazyArrayKeyError(l.Shape())
	}
	n, err := indexNodeNumpy(l.Node, key)
	if err != nil {
		return nil, err
	}
	return &LazyArray{n}, nil
}

// GetItem indexes the array as numpy does (a copy); all-int keys give a number.
func (a *NDArray) GetItem(env *obj.Env, key any) (any, error) {
	if arrayKey(key) {
		r, err := indexByArray(env, (*lazy.Array)(a), key)
		if err != nil {
			return nil, err
		}
		return r, nil
	}
	n, err := indexNodeNumpy(&lazy.ArrayNode{A: (*lazy.Array)(a)}, key)
	if err != nil {
		return nil, err
	}
	r, err := ComputeNode(env, n)
	if err != nil {
		return nil, err
	}
	return ScalarOrSelf(r), nil
}

// indexNodeOf applies a numpy key to a node, composing with an earlier index.
func IndexNodeOf(n lazy.Node, key any, names []string) (lazy.Node, error) {
	picks, err := PlanIndex(key, n.Shape(), names)
	if err != nil {
		return nil, err
	}
	return lazy.ComposeIndex(n, picks), nil
}

// toList gives nested obj.List values as numpy's tolist() does.
func toList(a *lazy.Array) any {
	if len(a.Dims) == 0 {
		return PythonValue(a.At(0), a.DT)
	}
	st := lazy.StridesOf(a.Dims)
	var walk func(axis, off int) obj.List
	walk = func(axis, off int) obj.List {
		out := make(obj.List, a.Dims[axis])
		for i := range out {
			if axis == len(a.Dims)-1 {
				out[i] = PythonValue(a.At(off+i*st[axis]), a.DT)
			} else {
				out[i] = walk(axis+1, off+i*st[axis])
			}
		}
		return out
	}
	return walk(0, 0)
}

// ndarray is an in-memory Array as a cell sees it (numpy's ndarray): the Array with its
// Python methods (member table, operators, indexing, reprs, truth). It is the same
// memory as the Array, (*ndarray)(a), so that a cell sees one object per array
// (ds._data = x; ds.data is x).
type NDArray lazy.Array

// pyArray gives a computed array to a cell: the ndarray of a, or err.
func PyArray(a *lazy.Array, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return (*NDArray)(a), nil
}

// arr is the Array a cell's ndarray is.
func (a *NDArray) Array() *lazy.Array { return (*lazy.Array)(a) }

// Shape, DType and Data are the Array's, so that code asking any value for them (np.finfo
// of an array, numpy's argument checks) finds them on a cell's ndarray too.
func (a *NDArray) Shape() []int      { return a.Array().Shape() }
func (a *NDArray) DType() lazy.DType { return a.Array().DType() }
func (a *NDArray) Data() []float64   { return a.Array().Data() }
