package units

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Error classes astropy raises, as Python names them.
const (
	UnitsError          = "UnitsError"
	UnitConversionError = "UnitConversionError"
	UnitTypeError       = "UnitTypeError"
	ValueError          = "ValueError"
	TypeError           = "TypeError"
)

// Error is a units error with the Python class astropy raises and its message.
type Error struct {
	Class string
	Msg   string
}

func (e *Error) Error() string { return e.Class + ": " + e.Msg }

func errorf(class, format string, args ...any) *Error {
	return &Error{Class: class, Msg: fmt.Sprintf(format, args...)}
}

// physicalDef is one generated row of astropy's physical types.
type physicalDef struct {
	key  []Factor
	name string
}

var (
	physicalOnce sync.Once
	physicalMap  map[string]string
)

// typeKey identifies the bases and powers of a decomposed unit, scale ignored, as
// astropy's _get_physical_type_id does.
func typeKey(terms []Term) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t.Base.Name + ":" + t.Pow.String()
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

// PhysicalType is astropy's str(unit.physical_type): "length", "speed/velocity",
// "dimensionless", or "unknown".
func (u Unit) PhysicalType() string {
	physicalOnce.Do(func() {
		physicalMap = make(map[string]string, len(physicalTable))
		for _, p := range physicalTable {
			parts := make([]string, len(p.key))
			for i, f := range p.key {
				parts[i] = f.Base + ":" + R(f.N, f.D).String()
			}
			slices.Sort(parts)
			physicalMap[strings.Join(parts, " ")] = p.name
		}
	})
	if name, ok := physicalMap[typeKey(u.Decompose().Terms)]; ok {
		return name
	}
	return "unknown"
}

// Equivalent reports whether u and v measure the same physical quantity (no
// equivalencies): their decompositions have the same bases and powers.
func (u Unit) Equivalent(v Unit) bool {
	return sameTerms(u.Decompose().Terms, v.Decompose().Terms)
}

// ScaleTo gives the factor that converts values in u to v, as astropy's _to, or the
// UnitConversionError astropy raises, "'m' (length) and 's' (time) are not convertible".
func (u Unit) ScaleTo(v Unit) (float64, error) {
	du, dv := u.Decompose(), v.Decompose()
	if sameTerms(du.Terms, dv.Terms) {
		return du.Scale / dv.Scale, nil
	}
	return 0, notConvertible(u, v)
}

// notConvertible is astropy's message for units that do not convert.
func notConvertible(u, v Unit) *Error {
	return errorf(UnitConversionError, "%s and %s are not convertible", errName(u), errName(v))
}

func errName(u Unit) string {
	s := "'" + u.Unscaled() + "'"
	if t := u.PhysicalType(); t != "unknown" {
		s += " (" + t + ")"
	}
	return s
}

// Converter converts values from one unit to another.
type Converter func(float64) float64

// ConverterTo gives the function converting values in u to v: a scale when they are
// convertible, else through the first equivalency pair that applies, as astropy's
// _get_converter and _apply_equivalencies; a UnitConversionError otherwise.
func (u Unit) ConverterTo(v Unit, eqs []Pair) (Converter, error) {
	if s, err := u.ScaleTo(v); err == nil {
		if s == 1 {
			return func(x float64) float64 { return x }, nil
		}
		return func(x float64) float64 { return s * x }, nil
	}
	for _, p := range eqs {
		if s1, err := p.From.ScaleTo(u); err == nil {
			if s2, err := p.To.ScaleTo(v); err == nil {
				return func(x float64) float64 { return p.Forward(x/s1) * s2 }, nil
			}
		}
		if s1, err := p.To.ScaleTo(u); err == nil {
			if s2, err := p.From.ScaleTo(v); err == nil {
				return func(x float64) float64 { return p.Backward(x/s1) * s2 }, nil
			}
		}
	}
	return nil, notConvertible(u, v)
}
