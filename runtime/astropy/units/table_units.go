package units

// The table package's seam to astropy.units: a QTable's column with a unit is a
// Quantity, and add_row converts values with units to their column's unit.

import (
	"gokist/obj"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"gokist/runtime/table"
	"gokist/runtime/units"
)

func init() {
	table.Quantities.Make = func(env *obj.Env, values []float64, unit string) (any, error) {
		u, err := units.Parse(unit)
		if err != nil {
			return nil, obj.Errorf(obj.ValueError, "column unit '%s': %v", unit, err)
		}
		return NewQuantity(env, (*numpy.NDArray)(lazy.NewArray(values, []int{len(values)}, lazy.Float64)), u)
	}
	table.Quantities.Convert = func(env *obj.Env, q obj.QuantityValue, unit string) (float64, error) {
		val, from := q.QuantityParts()
		fu, err := units.Parse(from)
		if err != nil {
			return 0, obj.Errorf(obj.ValueError, "unit '%s': %v", from, err)
		}
		tu, err := units.Parse(unit)
		if err != nil {
			return 0, obj.Errorf(obj.ValueError, "unit '%s': %v", unit, err)
		}
		x, ok := val.(float64)
		if i, isInt := val.(int); isInt {
			x, ok = float64(i), true
		}
		if !ok {
			return 0, obj.Errorf(obj.TypeError, "a table cell takes one value, not %s", obj.TypeName(val))
		}
		s, err := fu.ScaleTo(tu)
		if err != nil {
			return 0, PythonError(err)
		}
		return x * s, nil
	}
}
