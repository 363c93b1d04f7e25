package wcs

// The Doppler side of SpectralCoord (astropy's SpectralCoord.to(u.km / u.s,
// doppler_rest=…, doppler_convention=…)), unit objects as .to() arguments, and the
// world values' obj.QuantityValue side, through runtime/units.

import (
	"slices"
	"strings"

	"gokist/obj"
	"gokist/pyfmt"
	"gokist/runtime/units"
)

// QuantityParts gives the number and its unit (obj.QuantityValue).
func (q *Quantity) QuantityParts() (any, string) { return q.Value, q.Unit }

// QuantityParts gives the number and its unit (obj.QuantityValue).
func (s *SpectralCoord) QuantityParts() (any, string) { return s.Value, s.Unit }

// unitName reads a unit argument: a unit name or a unit object (u.km / u.s).
func unitName(fn string, v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case obj.UnitValuer:
		return x.UnitString(), nil
	}
	return "", obj.Errorf(obj.TypeError, "%s() takes a unit such as u.nm or \"nm\", not a %s", fn, obj.TypeName(v))
}

// dopplerRestOf reads doppler_rest: a quantity (630.25 * u.nm) or None.
func dopplerRestOf(v any) (*Quantity, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case obj.QuantityValue:
		val, unit := x.QuantityParts()
		var f float64
		switch n := val.(type) {
		case float64:
			f = n
		case float32:
			f = float64(n)
		default:
			return nil, obj.Errorf(obj.TypeError, "doppler_rest must be a scalar quantity, not an array")
		}
		return &Quantity{Value: f, Unit: unit}, nil
	}
	return nil, obj.Errorf(obj.TypeError, "doppler_rest must be a quantity such as 630.25 * u.nm, not %s", obj.TypeName(v))
}

// dopplerConventionOf reads doppler_convention: None or one of astropy's names.
func dopplerConventionOf(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		if !slices.Contains(units.DopplerConventions, x) {
			return "", obj.Errorf(obj.ValueError, "doppler_convention should be one of optical/radio/relativistic")
		}
		return x, nil
	}
	return "", obj.Errorf(obj.ValueError, "doppler_convention should be one of optical/radio/relativistic")
}

// isVelocity reports whether a unit measures speed.
func isVelocity(u units.Unit) bool {
	return u.Equivalent(units.MustUnit("km").Div(units.MustUnit("s")))
}

// ToDoppler converts the coordinate as astropy's SpectralCoord.to does, with Doppler
// conversions between velocities and spectral values about doppler_rest by
// doppler_convention (given here or kept from an earlier conversion). The result
// keeps both, as astropy's does; a velocity converted to a velocity goes through
// frequency as astropy's does.
func (s *SpectralCoord) ToDoppler(unit string, restArg *Quantity, convArg string) (*SpectralCoord, error) {
	rest, convention := restArg, convArg
	if rest == nil {
		rest = s.DopplerRest
	}
	if convention == "" {
		convention = s.DopplerConvention
	}
	from, errF := units.Parse(s.Unit)
	to, errT := units.Parse(strings.TrimSpace(unit))
	if errF != nil || errT != nil || !isVelocity(from) && !isVelocity(to) {
		out, err := s.To(unit)
		if err != nil {
			return nil, err
		}
		out.DopplerRest, out.DopplerConvention = rest, convention
		return out, nil
	}
	var v float64
	var err error
	if isVelocity(from) && isVelocity(to) {
		v, err = s.velocityToVelocity(from, to, restArg, convArg, rest, convention)
	} else {
		switch {
		case convention == "":
			return nil, obj.Errorf(obj.ValueError, "doppler_convention not set, cannot convert to/from velocities")
		case rest == nil:
			return nil, obj.Errorf(obj.ValueError, "doppler_rest not set, cannot convert to/from velocities")
		}
		v, err = dopplerConvert(s.Value, from, to, rest, convention, true)
	}
	if err != nil {
		return nil, err
	}
	return &SpectralCoord{Value: v, Unit: to.String(), DopplerRest: rest, DopplerConvention: convention}, nil
}

// velocityToVelocity is astropy's conversion between velocity units: a plain scale
// when no Doppler setting is involved, else back to frequency by the coordinate's own
// settings and out by the new ones.
func (s *SpectralCoord) velocityToVelocity(from, to units.Unit, restArg *Quantity, convArg string, rest *Quantity, convention string) (float64, error) {
	switch {
	case convArg != "" && s.DopplerConvention == "":
		return 0, obj.Errorf(obj.ValueError, "Original doppler_convention not set")
	case restArg != nil && s.DopplerRest == nil:
		return 0, obj.Errorf(obj.ValueError, "Original doppler_rest not set")
	case rest == nil && convention == "":
		f, err := from.ConverterTo(to, nil)
		if err != nil {
			return 0, unitError(err)
		}
		return f(s.Value), nil
	case (rest == nil) != (convention == ""):
		return 0, obj.Errorf(obj.ValueError, "Either both or neither doppler_rest and doppler_convention should be defined for velocity conversions")
	}
	hz, err := dopplerConvert(s.Value, from, units.MustUnit("Hz"), s.DopplerRest, s.DopplerConvention, false)
	if err != nil {
		return 0, err
	}
	return dopplerConvert(hz, units.MustUnit("Hz"), to, rest, convention, false)
}

// dopplerConvert converts v with the Doppler equivalency of rest and convention,
// after the spectral one when withSpectral (astropy's order of the lists).
func dopplerConvert(v float64, from, to units.Unit, rest *Quantity, convention string, withSpectral bool) (float64, error) {
	restUnit, err := units.Parse(rest.Unit)
	if err != nil {
		return 0, unitError(err)
	}
	eq, err := units.Doppler(convention, rest.Value, restUnit)
	if err != nil {
		return 0, unitError(err)
	}
	pairs := eq.Pairs
	if withSpectral {
		pairs = append(units.Spectral().Pairs, pairs...)
	}
	conv, err := from.ConverterTo(to, pairs)
	if err != nil {
		return 0, unitError(err)
	}
	return conv(v), nil
}

// unitError turns a units error into the cell's error of the same class.
func unitError(err error) error {
	if e, ok := err.(*units.Error); ok {
		return &obj.Error{Class: e.Class, Msg: e.Msg}
	}
	return err
}

// dopplerRepr is astropy's repr of a SpectralCoord, with the Doppler settings when
// either is set.
func (s *SpectralCoord) dopplerRepr() string {
	value := formatNumber(s.Value) + " " + s.Unit
	if s.DopplerRest == nil && s.DopplerConvention == "" {
		return "<SpectralCoord " + value + ">"
	}
	rest, conv := "None", "None"
	if s.DopplerRest != nil {
		rest = pyfmt.Float(s.DopplerRest.Value) + " " + s.DopplerRest.Unit
	}
	if s.DopplerConvention != "" {
		conv = s.DopplerConvention
	}
	return "<SpectralCoord \n   (doppler_rest=" + rest + "\n    doppler_convention=" + conv + ")\n  " + value + ">"
}

// spectralTo is SpectralCoord.to(unit, doppler_rest=None, doppler_convention=None).
func spectralTo(r any, a obj.Args) (any, error) {
	vals, err := a.Bind("to", []obj.Param{{Name: "unit"}, {Name: "doppler_rest", Default: "None"}, {Name: "doppler_convention", Default: "None"}})
	if err != nil {
		return nil, err
	}
	unit, err := unitName("to", vals[0])
	if err != nil {
		return nil, err
	}
	rest, err := dopplerRestOf(vals[1])
	if err != nil {
		return nil, err
	}
	conv, err := dopplerConventionOf(vals[2])
	if err != nil {
		return nil, err
	}
	return r.(*SpectralCoord).ToDoppler(unit, rest, conv)
}

// BinaryOp is Quantity arithmetic (sc.Tx * 2, sc.Tx - sc.Ty, sc.Tx + 1 * u.arcsec)
// through the Quantity of astropy.units the session provides.
func (q *Quantity) BinaryOp(env *obj.Env, op string, other any, reflected bool) (any, bool, error) {
	if rq, ok := obj.QuantityOf(q.Value, q.Unit); ok {
		if o, ok := rq.(obj.Operand); ok {
			return o.BinaryOp(env, op, other, reflected)
		}
	}
	return nil, false, nil
}

// UnaryOp is -q, +q and abs(q) as Quantity's.
func (q *Quantity) UnaryOp(env *obj.Env, op string) (any, error) {
	if rq, ok := obj.QuantityOf(q.Value, q.Unit); ok {
		if o, ok := rq.(obj.UnaryOperand); ok {
			return o.UnaryOp(env, op)
		}
	}
	return nil, obj.Errorf(obj.TypeError, "bad operand type for unary %s: 'Quantity'", op)
}
