package numpy

import "gokist/runtime/lazy"
import "gokist/obj"

// ambiguousTruth is numpy's error for the truth of an array of more than one element,
// which `if mask:`, `a and b`, `not a` and bool(a) would otherwise silently decide.
func ambiguousTruth() *obj.Error {
	return obj.Errorf(obj.ValueError, "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()").
		WithHint("combine masks elementwise with `&`, `|` and `~` (not `and`, `or`, `not`)")
}

// Truth is bool(a) as numpy gives it: the truth of the single element of a one-element
// array, False for an empty one (numpy 1.24 still allows that, with a deprecation
// warning), and a ValueError for more than one element.
func (a *NDArray) Truth() (bool, error) {
	switch n := a.Array().Size(); {
	case n == 0:
		return false, nil
	case n > 1:
		return false, ambiguousTruth()
	}
	return a.Array().At(0) != 0, nil
}

// Truth is bool(x) of a lazy array. More than one element is numpy's ValueError, as dask
// raises it. With one element (a full reduction such as ds.data.mean()) dask would
// compute the graph, but the truth test has no cell environment: the compute could be
// neither interrupted nor shown in progress, and it may read the whole dataset, so the
// value is asked for with .compute() instead.
func (l *LazyArray) Truth() (bool, error) {
	switch n := lazy.Product(l.Node.Shape()); {
	case n > 1:
		return false, ambiguousTruth()
	case n == 0:
		return false, nil
	}
	return false, obj.Errorf(obj.ValueError, "The truth value of a lazy array is not known until it is computed").
		WithHint("call .compute() first, e.g. `if x.compute():`")
}
