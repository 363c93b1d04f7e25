package runtime

// This file holds the Dataset methods that dkist and ndcube add on top of slicing and
// rebinning: arithmetic with numbers and arrays (ndcube's NDCube arithmetic: the data
// change, the WCS, files and headers stay), squeeze, and len(ds.files).

import (
	"gokist/obj"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
)

// datasetArithmetic are the operators ndcube's arithmetic defines.
var datasetArithmetic = map[string]bool{"+": true, "-": true, "*": true, "/": true, "**": true}

// BinaryOp is ds + x, ds * x, x / ds, ...: a dataset of the same shape and coordinates
// whose data are the result (lazily, or at once for in-memory data). x is a number or an
// array that broadcasts to the dataset's shape without changing it.
func (d *Dataset) BinaryOp(env *obj.Env, op string, other any, reflected bool) (any, bool, error) {
	if !datasetArithmetic[op] {
		return nil, false, nil
	}
	if _, ok := other.(*Dataset); ok {
		return nil, true, obj.Errorf(obj.TypeError, "unsupported operand type(s) for %s: 'Dataset' and 'Dataset'", op).
			WithHint("combine their data instead: ds1.data %s ds2.data", op)
	}
	n, handled, err := numpy.BinaryNode(op, d.Node, other, reflected)
	if !handled || err != nil {
		return nil, handled, err
	}
	if !lazy.SameShape(n.Shape(), d.Node.Shape()) {
		return nil, true, obj.Errorf(obj.ValueError, "arithmetic with a dataset keeps its shape %s, but the %s operand makes it %s",
			lazy.ShapeString(d.Node.Shape()), obj.TypeName(other), lazy.ShapeString(n.Shape())).
			WithHint("give a number or an array that broadcasts to %s", lazy.ShapeString(d.Node.Shape()))
	}
	if n, err = d.KeepInMemory(numpy.RunIn(env), n); err != nil {
		return nil, true, err
	}
	return datasetFace(d.With(n, d.WorldCoords, d.WorldCoordsErr, d.AxisNames, nil)), true, nil
}

// UnaryOp is -ds, +ds and abs(ds).
func (d *Dataset) UnaryOp(env *obj.Env, op string) (any, error) {
	if op == "~" {
		return nil, obj.Errorf(obj.TypeError, "bad operand type for unary ~: 'Dataset'")
	}
	n, err := lazy.UnaryOp(op, d.Node)
	if err != nil {
		return nil, err
	}
	if n, err = d.KeepInMemory(numpy.RunIn(env), n); err != nil {
		return nil, err
	}
	return datasetFace(d.With(n, d.WorldCoords, d.WorldCoordsErr, d.AxisNames, nil)), nil
}

// Squeeze drops the axes of length 1, as ndcube's squeeze (ds[0] on each of them).
func (d *Dataset) Squeeze(env *obj.Env) (*Dataset, error) {
	shape := d.Node.Shape()
	key := make(obj.Tuple, len(shape))
	for i, n := range shape {
		if n == 1 {
			key[i] = 0
		} else {
			key[i] = obj.Slice{}
		}
	}
	v, err := d.GetItem(env, key)
	if err != nil {
		return nil, err
	}
	return v.(*Dataset), nil
}

// Items lists the files' names, so that len(ds.files) counts them as dkist's
// FileManager does.
func (f *fileList) Items() []any { return f.d.fileNameList() }
