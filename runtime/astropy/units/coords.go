package units

import (
	"gokist/obj"
	"gokist/runtime/units"
)

// What runtime/coords (astropy.coordinates + sunpy.coordinates) takes from the
// Quantity face: the repr under a subclass's name, the unit, and value * Unit(unit).

// NamedQuantityRepr is a Quantity's repr under another class name, as astropy prints
// its Angle, Longitude, Latitude and Distance ("<Longitude 10. arcsec>").
func NamedQuantityRepr(q *Quantity, class string) string {
	prefix := "<" + class + " "
	return prefix + valueRepr(q.Value(), len(prefix)) + q.unitSuffix() + ">"
}

// QuantityUnit is a Quantity's unit.
func QuantityUnit(q *Quantity) units.Unit { return q.Unit() }

// ParseUnitValue is value * Unit(unit): a plain number or list given with unit= (as
// SkyCoord(10, 20, unit="deg")); values that already carry a unit are refused.
func ParseUnitValue(v any, unit string) (any, error) {
	if _, ok := v.(obj.QuantityValue); ok {
		return nil, obj.Errorf(obj.ValueError, "the value already has a unit")
	}
	u, err := units.Parse(unit)
	if err != nil {
		return nil, err
	}
	return NewQuantity(nil, v, u)
}
