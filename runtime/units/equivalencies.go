package units

import "math"

// Pair is one equivalence of astropy's Equivalency lists: values in From convert to
// To by Forward and back by Backward.
type Pair struct {
	From, To          Unit
	Forward, Backward Converter
}

// Equivalency is a named list of pairs (astropy's Equivalency: u.spectral(), ...).
type Equivalency struct {
	Name  string
	Pairs []Pair
	// Rest is the rest value of a Doppler equivalency, in RestUnit; zero otherwise.
	Rest     float64
	RestUnit Unit
}

// constant value of astropy.constants by abbreviation, in SI.
func siValue(name string) float64 {
	k, ok := ConstantNamed(name)
	if !ok {
		panic("units: no constant " + name)
	}
	return k.Value
}

func same(f Converter) (Converter, Converter) { return f, f }

// Spectral is astropy's u.spectral(): wavelength, frequency, energy and (spectroscopic
// and angular) wavenumber convert into each other.
func Spectral() Equivalency {
	c, h := siValue("c"), siValue("h")
	hc := h * c
	twoPi := 2 * math.Pi
	m, hz, j := MustUnit("m"), MustUnit("Hz"), MustUnit("J")
	invM := m.Pow(R(-1, 1))
	invMAng := MustUnit("rad").Div(m)
	pair := func(from, to Unit, fwd, back Converter) Pair { return Pair{from, to, fwd, back} }
	inv := func(k float64) Converter { return func(x float64) float64 { return k / x } }
	mul := func(k float64) Converter { return func(x float64) float64 { return k * x } }
	div := func(k float64) Converter { return func(x float64) float64 { return x / k } }
	f1, b1 := same(inv(c))
	f2, b2 := same(inv(hc))
	f4, b4 := same(inv(1.0))
	f8, b8 := same(inv(twoPi))
	return Equivalency{Name: "spectral", Pairs: []Pair{
		pair(m, hz, f1, b1),
		pair(m, j, f2, b2),
		pair(hz, j, mul(h), div(h)),
		pair(m, invM, f4, b4),
		pair(hz, invM, div(c), mul(c)),
		pair(j, invM, div(hc), mul(hc)),
		pair(invM, invMAng, mul(twoPi), div(twoPi)),
		pair(m, invMAng, f8, b8),
		pair(hz, invMAng, func(x float64) float64 { return twoPi * x / c }, func(x float64) float64 { return c * x / twoPi }),
		pair(j, invMAng, func(x float64) float64 { return x * twoPi / hc }, func(x float64) float64 { return hc * x / twoPi }),
	}}
}

// Doppler conventions of astropy: "radio", "optical", "relativistic".
var DopplerConventions = []string{"radio", "optical", "relativistic"}

// Doppler is astropy's u.doppler_radio/optical/relativistic(rest): velocities (km / s)
// convert to and from frequency, wavelength and energy about the rest value, given as
// a value in a spectral unit. A rest value that is not spectral is astropy's
// UnitsError.
func Doppler(convention string, rest float64, restUnit Unit) (Equivalency, error) {
	sp := Spectral().Pairs
	toValue := func(unit string) (float64, error) {
		conv, err := restUnit.ConverterTo(MustUnit(unit), sp)
		if err != nil {
			return 0, err
		}
		return conv(rest), nil
	}
	if _, err := toValue("Hz"); err != nil {
		return Equivalency{}, errorf(UnitsError, "The 'rest' value must be a spectral equivalent (frequency, wavelength, or energy).")
	}
	restHz, _ := toValue("Hz")
	restAA, _ := toValue("AA")
	restEV, _ := toValue("eV")
	ckms := siValue("c") / 1000 // astropy's _si.c.to_value("km/s")
	kms := MustUnit("km").Div(MustUnit("s"))
	var laws func(r float64) (Converter, Converter)
	var wav func(r float64) (Converter, Converter)
	switch convention {
	case "radio":
		laws = func(r float64) (Converter, Converter) {
			return func(x float64) float64 { return (r - x) / r * ckms },
				func(x float64) float64 { return r * (1 - x/ckms) }
		}
		wav = func(r float64) (Converter, Converter) {
			return func(x float64) float64 { return (x - r) / x * ckms },
				func(x float64) float64 { return r * ckms / (ckms - x) }
		}
	case "optical":
		laws = func(r float64) (Converter, Converter) {
			return func(x float64) float64 { return ckms * (r - x) / x },
				func(x float64) float64 { return r / (1 + x/ckms) }
		}
		wav = func(r float64) (Converter, Converter) {
			return func(x float64) float64 { return ckms * (x/r - 1) },
				func(x float64) float64 { return r * (1 + x/ckms) }
		}
	case "relativistic":
		laws = func(r float64) (Converter, Converter) {
			return func(x float64) float64 { return (r*r - x*x) / (r*r + x*x) * ckms },
				func(x float64) float64 { v := x / ckms; return r * math.Pow((1-v)/(1+v), 0.5) }
		}
		wav = func(r float64) (Converter, Converter) {
			return func(x float64) float64 { return (x*x - r*r) / (r*r + x*x) * ckms },
				func(x float64) float64 { v := x / ckms; return r * math.Pow((1+v)/(1-v), 0.5) }
		}
	default:
		return Equivalency{}, errorf(ValueError, "doppler_convention must be one of 'radio', 'optical', 'relativistic', not %q", convention)
	}
	fHz, bHz := laws(restHz)
	fAA, bAA := wav(restAA)
	fEV, bEV := laws(restEV)
	return Equivalency{Name: "doppler_" + convention, Rest: rest, RestUnit: restUnit, Pairs: []Pair{
		{MustUnit("Hz"), kms, fHz, bHz},
		{MustUnit("AA"), kms, fAA, bAA},
		{MustUnit("eV"), kms, fEV, bEV},
	}}, nil
}
