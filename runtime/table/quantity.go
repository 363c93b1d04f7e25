package table

// QTable and units: the table package meets astropy.units (the runtime's Quantity)
// through Quantities, which the runtime fills in from its init, as it cannot import it.

import (
	"gokist/obj"
)

// Quantities are the runtime's Quantity operations a table needs.
var Quantities struct {
	// Make builds a Quantity array of values in unit (a QTable's column).
	Make func(env *obj.Env, values []float64, unit string) (any, error)
	// Convert gives the number of a value with a unit (obj.QuantityValue) in unit, or a
	// UnitConversionError.
	Convert func(env *obj.Env, q obj.QuantityValue, unit string) (float64, error)
}

// className is "QTable" or "Table", for reprs.
func (t *Table) className() string {
	if t.info.qtable {
		return "QTable"
	}
	return "Table"
}

// columnValue is t['name']: a Column, or in a QTable a Quantity when it has a unit.
func (t *Table) columnValue(env *obj.Env, name string) (any, error) {
	c, err := t.Column(env.Context(), name)
	if err != nil || !t.info.qtable || c.Unit == "" || Quantities.Make == nil {
		return c, err
	}
	vals, err := c.Float64s()
	if err != nil {
		return nil, err
	}
	return Quantities.Make(env, vals, c.Unit)
}

// cellWithUnit is an add_row value for a column of unit: in a QTable a value with a unit
// is converted to it; a Table, as astropy's, takes the number and drops the unit.
func (t *Table) cellWithUnit(env *obj.Env, v any, unit string) (any, error) {
	q, ok := v.(obj.QuantityValue)
	if !ok || Quantities.Convert == nil {
		return v, nil
	}
	if !t.info.qtable {
		val, _ := q.QuantityParts()
		return val, nil
	}
	if unit == "" {
		val, u := q.QuantityParts()
		if u == "" {
			return val, nil
		}
		return nil, obj.Errorf(obj.TypeError, "a value with unit '%s' in a column without a unit", u)
	}
	return Quantities.Convert(env, q, unit)
}

// qtableClass is astropy.table.QTable, the class.
type qtableClass struct{}

var qtableClassType = &obj.Type{Name: "type", Doc: "QTable(...): a Table whose columns with units are Quantities (t['x'] is a Quantity). Same arguments as Table."}

func (qtableClass) Type() *obj.Type { return qtableClassType }

func (qtableClass) MimeBundle() map[string]any {
	return map[string]any{"text/plain": "<class 'astropy.table.table.QTable'>"}
}

// Call is QTable(...): Table(...) marked as a QTable.
func (qtableClass) Call(env *obj.Env, args obj.Args) (any, error) {
	v, err := tableClass{}.Call(env, args)
	if err != nil {
		return nil, err
	}
	v.(*Table).info.qtable = true
	return v, nil
}
