package obj

// The protocols below are the seams between runtime packages that are built separately
// (numpy, astropy.units, matplotlib, the dataset): each side depends only on these
// interfaces, never on the other's concrete types, as numpy's __array_ufunc__ and
// __array_function__ let astropy's Quantity take part in numpy calls.

// UfuncOverrider is implemented by values that take over a numpy function called with
// them as an argument (astropy's Quantity: np.sqrt(q) is a Quantity in the unit's square
// root). numpy's module calls ArrayUfunc on the first argument, in order, that
// implements it, before its own dispatch; handled=false falls through to numpy's own.
// name is numpy's function name ("sqrt", "sum", "where", ...); args and kwargs are the
// call's, as the cell gave them.
type UfuncOverrider interface {
	ArrayUfunc(env *Env, name string, args []any, kwargs map[string]any) (result any, handled bool, err error)
}

// QuantityValue is implemented by values that carry a physical unit (astropy's Quantity,
// SpectralCoord, a table column with a unit): the number or array without its unit, and
// the unit as astropy writes it in to_string() ("km / s", "nm", "" for dimensionless).
// Plots use it to label axes under quantity_support; numpy uses it to refuse silent
// unit loss.
type QuantityValue interface {
	QuantityParts() (value any, unit string)
}

// ArrayLike is implemented by values numpy accepts as arrays without copying them
// through Python lists (runtime arrays, table columns, Quantities' values): the shape in
// numpy's order and the elements as float64 in C order. Lazy values do not implement it;
// they compute first.
type ArrayLike interface {
	ArrayShape() []int
	Float64s() ([]float64, error)
}
