package numpy

import (
	"fmt"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy/arrayprint"
	"slices"
	"strconv"
	"strings"

	"gokist/obj"
)

// StrArray is a numpy array of strings (dtype '<Un'), as astropy gives Time.iso of an
// array of times: it prints and indexes as numpy's, and holds no arithmetic.
type StrArray struct {
	Data  []string
	Shape []int
}

// NewStrArray makes a string array of shape from row-major values; it panics if they
// disagree (a programming error).
func NewStrArray(data []string, shape []int) *StrArray {
	if len(data) != lazy.Product(shape) {
		panic("NewStrArray: values and shape disagree")
	}
	return &StrArray{Data: data, Shape: slices.Clone(shape)}
}

var strArrayType = &obj.Type{Name: "ndarray", Doc: "A numpy array of strings."}

func init() {
	strArrayType.Members = []*obj.Member{
		{Name: "shape", Doc: "The array's shape.", Get: func(_ *obj.Env, r any) (any, error) { return obj.ShapeTuple(r.(*StrArray).Shape), nil }},
		{Name: "ndim", Doc: "The number of axes.", Get: func(_ *obj.Env, r any) (any, error) { return len(r.(*StrArray).Shape), nil }},
		{Name: "size", Doc: "The number of elements.", Get: func(_ *obj.Env, r any) (any, error) { return len(r.(*StrArray).Data), nil }},
		{Name: "dtype", Doc: "numpy's dtype of the strings.", Get: func(_ *obj.Env, r any) (any, error) { return r.(*StrArray).DType(), nil }},
		{Name: "tolist", Signature: "tolist()", Doc: "The strings as (nested) lists.", Call: func(_ *obj.Env, r any, _ obj.Args) (any, error) { return r.(*StrArray).toList(), nil }},
		{Name: "__len__", Call: func(_ *obj.Env, r any, _ obj.Args) (any, error) { return r.(*StrArray).len() }},
	}
}

// Type is the array's member table.
func (a *StrArray) Type() *obj.Type { return strArrayType }

func (a *StrArray) len() (any, error) {
	if len(a.Shape) == 0 {
		return nil, obj.Errorf(obj.TypeError, "len() of unsized object")
	}
	return a.Shape[0], nil
}

// dtype is numpy's '<U' and the longest string's length.
func (a *StrArray) DType() string {
	n := 0
	for _, s := range a.Data {
		n = max(n, len([]rune(s)))
	}
	return "<U" + strconv.Itoa(n)
}

// toList nests the strings as the shape does.
func (a *StrArray) toList() any {
	if len(a.Shape) == 0 {
		return a.Data[0]
	}
	var rec func(axis, off int) obj.List
	st := lazy.StridesOf(a.Shape)
	rec = func(axis, off int) obj.List {
		out := make(obj.List, a.Shape[axis])
		for i := range out {
			if axis == len(a.Shape)-1 {
				out[i] = a.Data[off+i]
			} else {
				out[i] = rec(axis+1, off+i*st[axis])
			}
		}
		return out
	}
	return rec(0, 0)
}

// GetItem indexes the first axis with an int (negative from the end) or a slice.
func (a *StrArray) GetItem(_ *obj.Env, key any) (any, error) {
	data, shape, err := IndexFirstAxis(len(a.Data), a.Shape, key)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(data))
	for i, k := range data {
		out[i] = a.Data[k]
	}
	if shape == nil {
		return out[0], nil
	}
	return NewStrArray(out, shape), nil
}

// indexFirstAxis resolves an int or slice key on the first axis of an array of n
// elements and shape: the element offsets picked, in order, and the result's shape
// (nil for an int key on a 1-d array: a scalar).
func IndexFirstAxis(n int, shape []int, key any) ([]int, []int, error) {
	if len(shape) == 0 {
		return nil, nil, obj.Errorf(obj.IndexError, "too many indices for array: array is 0-dimensional, but 1 were indexed")
	}
	inner := n / max(shape[0], 1)
	if shape[0] == 0 {
		inner = lazy.Product(shape[1:])
	}
	var rows []int
	var outShape []int
	switch k := key.(type) {
	case int:
		i := k
		if i < 0 {
			i += shape[0]
		}
		if i < 0 || i >= shape[0] {
			return nil, nil, obj.Errorf(obj.IndexError, "index %d is out of bounds for axis 0 with size %d", k, shape[0])
		}
		rows = []int{i}
		outShape = slices.Clone(shape[1:])
		if len(outShape) == 0 {
			outShape = nil
		}
	case obj.Slice:
		start, stop, step, err := k.Indices(shape[0])
		if err != nil {
			return nil, nil, err
		}
		for i := start; (step > 0 && i < stop) || (step < 0 && i > stop); i += step {
			rows = append(rows, i)
		}
		outShape = append([]int{len(rows)}, shape[1:]...)
	default:
		return nil, nil, obj.Errorf(obj.IndexError, "only integers and slices (`:`) are valid indices, not %s", obj.TypeName(key))
	}
	var offs []int
	for _, r := range rows {
		for j := range inner {
			offs = append(offs, r*inner+j)
		}
	}
	return offs, outShape, nil
}

// elementLayout lays out quoted strings as numpy's _formatArray does.
func (a *StrArray) elementLayout(sep string, prefixLen, width int) string {
	return layoutItems(len(a.Data), a.Shape, func(i int) string { return pyStrRepr(a.Data[i]) }, sep, prefixLen, width)
}

// layoutItems lays out n items of a shape, each as text(i), as numpy's _formatArray
// does, through the float layout over their indices.
func layoutItems(n int, shape []int, text func(i int) string, sep string, prefixLen, width int) string {
	idx := make([]float64, n)
	for i := range idx {
		idx[i] = float64(i)
	}
	fmtv := func(v float64) string { return text(int(v)) }
	return arrayprint.FormatElements(lazy.NewArray(idx, shape, lazy.Float64), fmtv, n > arrayprint.PrintThreshold, sep, prefixLen, width)
}

// ObjArray is a numpy array of Python objects (dtype=object), as astropy gives
// Time.datetime of an array of times: it prints and indexes as numpy's.
type ObjArray struct {
	items []fmt.Stringer
	shape []int
}

// NewObjArray makes an object array of shape from row-major items.
func NewObjArray(items []fmt.Stringer, shape []int) *ObjArray {
	return &ObjArray{items: items, shape: shape}
}

var objArrayType = &obj.Type{Name: "ndarray", Doc: "A numpy array of Python objects."}

func init() {
	objArrayType.Members = []*obj.Member{
		{Name: "shape", Doc: "The array's shape.", Get: func(_ *obj.Env, r any) (any, error) { return obj.ShapeTuple(r.(*ObjArray).shape), nil }},
		{Name: "tolist", Signature: "tolist()", Doc: "The objects as a list.", Call: func(_ *obj.Env, r any, _ obj.Args) (any, error) {
			return obj.List(r.(*ObjArray).Items()), nil
		}},
		{Name: "__len__", Call: func(_ *obj.Env, r any, _ obj.Args) (any, error) { return r.(*ObjArray).shape[0], nil }},
	}
}

// Type is the array's member table.
func (a *ObjArray) Type() *obj.Type { return objArrayType }

// String is numpy's repr: array([...], dtype=object).
func (a *ObjArray) String() string {
	const prefix = "array("
	text := prefix + layoutItems(len(a.items), a.shape, func(i int) string { return a.items[i].String() }, ", ", len(prefix), arrayprint.PrintLineWidth-1) + ","
	lastLine := len(text) - (strings.LastIndexByte(text, '\n') + 1)
	if lastLine+len(" dtype=object)") > arrayprint.PrintLineWidth {
		return text + "\n" + strings.Repeat(" ", len(prefix)) + "dtype=object)"
	}
	return text + " dtype=object)"
}

// Str is numpy's str: the items' reprs, space-separated and wrapped.
func (a *ObjArray) Str() string {
	return layoutItems(len(a.items), a.shape, func(i int) string { return a.items[i].String() }, " ", 0, arrayprint.PrintLineWidth)
}

// MimeBundle shows the repr.
func (a *ObjArray) MimeBundle() map[string]any { return map[string]any{"text/plain": a.String()} }

// GetItem indexes the first axis.
func (a *ObjArray) GetItem(_ *obj.Env, key any) (any, error) {
	offs, shape, err := IndexFirstAxis(len(a.items), a.shape, key)
	if err != nil {
		return nil, err
	}
	out := make([]fmt.Stringer, len(offs))
	for i, k := range offs {
		out[i] = a.items[k]
	}
	if shape == nil {
		return out[0], nil
	}
	return &ObjArray{items: out, shape: shape}, nil
}

// Items lists the first axis.
func (a *ObjArray) Items() []any {
	out := make([]any, a.shape[0])
	for i := range out {
		out[i], _ = a.GetItem(nil, i)
	}
	return out
}

// pyStrRepr is Python's repr of a string without quotes or backslashes inside.
func pyStrRepr(s string) string {
	if !strings.ContainsAny(s, "'\\\n") {
		return "'" + s + "'"
	}
	return strconv.Quote(s)
}

// String renders the array as numpy's repr: array([...], dtype='<Un').
func (a *StrArray) String() string {
	const prefix = "array("
	dtype := "dtype='" + a.DType() + "')"
	if len(a.Shape) == 0 {
		return prefix + pyStrRepr(a.Data[0]) + ", " + dtype
	}
	text := prefix + a.elementLayout(", ", len(prefix), arrayprint.PrintLineWidth-1) + ","
	lastLine := len(text) - (strings.LastIndexByte(text, '\n') + 1)
	if lastLine+1+len(dtype) > arrayprint.PrintLineWidth {
		return text + "\n" + strings.Repeat(" ", len(prefix)) + dtype
	}
	return text + " " + dtype
}

// Str renders the array as numpy's str: the quoted strings separated by spaces.
func (a *StrArray) Str() string {
	if len(a.Shape) == 0 {
		return a.Data[0]
	}
	return a.elementLayout(" ", 0, arrayprint.PrintLineWidth)
}

// MimeBundle shows the repr.
func (a *StrArray) MimeBundle() map[string]any { return map[string]any{"text/plain": a.String()} }

// Items lists the first axis, so that for loops and list() take the array.
func (a *StrArray) Items() []any {
	if len(a.Shape) == 0 {
		return nil
	}
	out := make([]any, a.Shape[0])
	for i := range out {
		out[i], _ = a.GetItem(nil, i)
	}
	return out
}
