package numpy

// numpy's indexing beyond basic picks: None (np.newaxis) entries insert length-1 axes,
// on lazy and computed arrays alike; a boolean mask or an integer array (or list)
// selects elements of a computed array. Lazy arrays refuse masks and integer arrays
// with the hint to compute first: their result's shape depends on the values.

import (
	"gokist/runtime/lazy"
	"slices"

	"gokist/obj"
)

// indexNodeNumpy applies a numpy key with None entries to n: the key without them
// indexes as planIndex does, then length-1 axes go where the Nones stood.
func indexNodeNumpy(n lazy.Node, key any) (lazy.Node, error) {
	items, isTuple := key.(obj.Tuple)
	if !isTuple {
		items = obj.Tuple{key}
	}
	if !slices.Contains(items, nil) {
		return IndexNodeOf(n, key, nil)
	}
	var rest obj.Tuple
	for _, it := range items {
		if it != nil {
			rest = append(rest, it)
		}
	}
	out, err := IndexNodeOf(n, rest, nil)
	if err != nil {
		return nil, err
	}
	return reshapeTo(out, newAxisShape(items, len(n.Shape()), out.Shape())), nil
}

// newAxisShape places the shape kept by the non-None entries of items (on an array of
// nd axes) around length-1 axes where items hold None, as numpy does.
func newAxisShape(items obj.Tuple, nd int, kept []int) []int {
	indexed := 0
	for _, it := range items {
		switch it.(type) {
		case int, obj.Slice:
			indexed++
		}
	}
	var shape []int
	k := 0
	take := func(n int) {
		shape = append(shape, kept[k:k+n]...)
		k += n
	}
	for _, it := range items {
		switch it.(type) {
		case nil:
			shape = append(shape, 1)
		case obj.Slice:
			take(1)
		case obj.EllipsisType:
			take(nd - indexed)
		}
	}
	return append(shape, kept[k:]...)
}

// arrayKey reports whether a key holds a mask or an integer array (or list).
func arrayKey(key any) bool {
	items, isTuple := key.(obj.Tuple)
	if !isTuple {
		items = obj.Tuple{key}
	}
	return slices.ContainsFunc(items, func(it any) bool {
		switch it.(type) {
		case *NDArray, *LazyArray, obj.List:
			return true
		}
		return false
	})
}

// lazyArrayKeyError refuses a mask or integer array on a lazy array.
func lazyArrayKeyError(shape []int) error {
	return obj.Errorf(obj.IndexError, "a boolean mask or an integer array indexes computed arrays only, not a lazy array").
		WithHint("compute first, e.g. x = x.compute(), then x[mask] (the array is %s; mind its size), or use the mask lazily: np.where(mask, x, np.nan)", lazy.ShapeString(shape))
}

// indexByArray is a[key] for a boolean mask or an integer array (or list) key.
func indexByArray(env *obj.Env, a *lazy.Array, key any) (any, error) {
	if _, isTuple := key.(obj.Tuple); isTuple {
		return nil, obj.Errorf(obj.IndexError, "combining a boolean mask or an integer array with other indices is not supported").
			WithHint("index in two steps, e.g. x[:, 2:5][mask]")
	}
	if l, ok := key.(*LazyArray); ok {
		return nil, lazyArrayKeyError(l.Shape())
	}
	k, err := AsArray("index", key)
	if err != nil {
		return nil, obj.Errorf(obj.IndexError, "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices")
	}
	switch k.DT {
	case lazy.Bool:
		return PyArray(maskSelect(a, k))
	case lazy.Int64:
		return PyArray(takeAxis0(a, k))
	}
	if k.Size() == 0 { // numpy takes an empty list as an empty integer index
		return PyArray(takeAxis0(a, lazy.NewArray(nil, k.Dims, lazy.Int64)))
	}
	return nil, obj.Errorf(obj.IndexError, "arrays used as indices must be of integer (or boolean) type")
}

// maskSelect is a[mask] for a boolean mask over a's leading axes: the selected
// elements (or sub-arrays) in C order.
func maskSelect(a *lazy.Array, mask *lazy.Array) (*lazy.Array, error) {
	if len(mask.Dims) > len(a.Dims) {
		return nil, obj.Errorf(obj.IndexError, "too many indices for array: array is %d-dimensional, but %d were indexed", len(a.Dims), len(mask.Dims))
	}
	for i, s := range mask.Dims {
		if s != a.Dims[i] {
			return nil, obj.Errorf(obj.IndexError, "boolean index did not match indexed array along dimension %d; dimension is %d but corresponding boolean dimension is %d", i, a.Dims[i], s)
		}
	}
	inner := lazy.Product(a.Dims[len(mask.Dims):])
	var vals []float64
	count := 0
	for i := range mask.Size() {
		if mask.At(i) != 0 {
			count++
			for j := i * inner; j < (i+1)*inner; j++ {
				vals = append(vals, a.At(j))
			}
		}
	}
	shape := append([]int{count}, a.Dims[len(mask.Dims):]...)
	if vals == nil {
		vals = []float64{}
	}
	return lazy.NewArray(vals, shape, a.DT), nil
}

// takeAxis0 is a[idx] for an integer array: the sub-arrays of a's first axis at idx
// (negative counting from the end), in idx's shape.
func takeAxis0(a *lazy.Array, idx *lazy.Array) (*lazy.Array, error) {
	if len(a.Dims) == 0 {
		return nil, obj.Errorf(obj.IndexError, "too many indices for array: array is 0-dimensional, but 1 were indexed")
	}
	inner := lazy.Product(a.Dims[1:])
	vals := make([]float64, 0, idx.Size()*inner)
	for i := range idx.Size() {
		k := int(idx.At(i))
		if k < 0 {
			k += a.Dims[0]
		}
		if k < 0 || k >= a.Dims[0] {
			return nil, obj.Errorf(obj.IndexError, "index %d is out of bounds for axis 0 with size %d", int(idx.At(i)), a.Dims[0])
		}
		for j := k * inner; j < (k+1)*inner; j++ {
			vals = append(vals, a.At(j))
		}
	}
	return lazy.NewArray(vals, append(slices.Clone(idx.Dims), a.Dims[1:]...), a.DT), nil
}
