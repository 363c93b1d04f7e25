package obj

// UnitValuer is implemented by unit objects (astropy's Unit): the unit as astropy's
// to_string() writes it. Runtime packages that take a unit argument (a world
// coordinate's .to(u.km / u.s)) accept such a value as well as the string, without
// depending on the units package's types.
type UnitValuer interface {
	UnitString() string
}
