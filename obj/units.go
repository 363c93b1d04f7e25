package obj

// UnitValuer is implemented by unit objects (astropy's Unit): the unit as astropy's
// to_string() writes it. Runtime packages that take a unit argument (a world
// coordinate's .to(u.km / u.s)) accept such a value as well as the string, without
// depending on the units package's types.
type UnitValuer interface {
	UnitString() string
}

var unitMaker func(s string) (any, error)

// RegisterUnitMaker sets how a unit string becomes the unit object cells see
// (astropy's Unit); the package providing astropy.units calls it from init, so that
// packages which cannot import it (runtime/wcs) give their values' .unit as a unit.
func RegisterUnitMaker(f func(s string) (any, error)) { unitMaker = f }

// UnitOf gives the unit object of a unit string, or the string itself when no maker is
// registered or the string is not a unit the maker knows.
func UnitOf(s string) any {
	if unitMaker == nil {
		return s
	}
	u, err := unitMaker(s)
	if err != nil {
		return s
	}
	return u
}

var quantityMaker func(value any, unit string) (any, error)

// RegisterQuantityMaker sets how a number and a unit string become the Quantity cells
// see (astropy's Quantity); the package providing astropy.units calls it from init, so
// that world values of packages which cannot import it (runtime/wcs) take part in
// Quantity arithmetic.
func RegisterQuantityMaker(f func(value any, unit string) (any, error)) { quantityMaker = f }

// QuantityOf gives the Quantity of a value and a unit string, or ok=false when no maker
// is registered or the unit is not one it knows.
func QuantityOf(value any, unit string) (any, bool) {
	if quantityMaker == nil {
		return nil, false
	}
	q, err := quantityMaker(value, unit)
	return q, err == nil
}
