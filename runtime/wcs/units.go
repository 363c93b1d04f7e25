package wcs

import (
	"math"
	"sort"
	"strings"

	"gokist/obj"
)

// dimension is the physical kind a unit measures; only units of one dimension convert.
type dimension string

const (
	dimLength dimension = "length"
	dimAngle  dimension = "angle"
	dimTime   dimension = "time"
	dimNone   dimension = "dimensionless"
	// dimFrequency, dimEnergy and dimWavenumber join length in the spectral equivalency.
	dimFrequency  dimension = "frequency"
	dimEnergy     dimension = "energy"
	dimWavenumber dimension = "wavenumber"
	dimUnknown    dimension = ""
)

// unitDef is one known unit: its dimension and its size in the dimension's base unit
// (m, deg, s).
type unitDef struct {
	name  string // canonical spelling, as astropy prints it
	dim   dimension
	scale float64
}

var knownUnits = []unitDef{
	{"m", dimLength, 1},
	{"km", dimLength, 1e3},
	{"cm", dimLength, 1e-2},
	{"mm", dimLength, 1e-3},
	{"um", dimLength, 1e-6},
	{"nm", dimLength, 1e-9},
	{"Angstrom", dimLength, 1e-10},
	{"pm", dimLength, 1e-12},
	{"deg", dimAngle, 1},
	{"arcmin", dimAngle, 1.0 / 60},
	{"arcsec", dimAngle, 1.0 / 3600},
	{"mas", dimAngle, 1.0 / 3600e3},
	{"rad", dimAngle, 180 / math.Pi},
	{"s", dimTime, 1},
	{"ms", dimTime, 1e-3},
	{"min", dimTime, 60},
	{"h", dimTime, 3600},
	{"d", dimTime, 86400},
	{"", dimNone, 1},
	{"Hz", dimFrequency, 1},
	{"kHz", dimFrequency, 1e3},
	{"MHz", dimFrequency, 1e6},
	{"GHz", dimFrequency, 1e9},
	{"THz", dimFrequency, 1e12},
	{"PHz", dimFrequency, 1e15},
	{"J", dimEnergy, 1},
	{"erg", dimEnergy, 1e-7},
	{"eV", dimEnergy, electronVolt},
	{"meV", dimEnergy, electronVolt * 1e-3},
	{"keV", dimEnergy, electronVolt * 1e3},
	{"MeV", dimEnergy, electronVolt * 1e6},
	{"1 / m", dimWavenumber, 1},
	{"1 / cm", dimWavenumber, 100},
	{"1 / mm", dimWavenumber, 1e3},
	{"1 / um", dimWavenumber, 1e6},
}

// SI defining constants (exact), as astropy.constants has them (CODATA 2018).
const (
	speedOfLight = 299792458       // m / s
	planck       = 6.62607015e-34  // J s
	electronVolt = 1.602176634e-19 // J
)

// unitAliases maps other spellings (FITS, astropy and everyday ones) to canonical names.
var unitAliases = map[string]string{
	"meter": "m", "meters": "m", "metre": "m",
	"micron": "um", "µm": "um", "micrometer": "um",
	"nanometer": "nm", "nanometers": "nm",
	"angstrom": "Angstrom", "AA": "Angstrom", "Å": "Angstrom", "ANGSTROM": "Angstrom",
	"degree": "deg", "degrees": "deg", "DEG": "deg",
	"arcseconds": "arcsec", "arcsecond": "arcsec", "ARCSEC": "arcsec", "asec": "arcsec",
	"arcminute": "arcmin", "arcminutes": "arcmin", "amin": "arcmin",
	"radian": "rad", "radians": "rad",
	"second": "s", "seconds": "s", "sec": "s",
	"hour": "h", "hours": "h", "day": "d", "days": "d",
	"dimensionless": "", "one": "",
	"hertz": "Hz", "hz": "Hz", "HZ": "Hz", "1/s": "Hz", "1 / s": "Hz",
	"joule": "J", "electronvolt": "eV",
	"1/m": "1 / m", "m-1": "1 / m", "m**-1": "1 / m", "m^-1": "1 / m", "/m": "1 / m",
	"1/cm": "1 / cm", "cm-1": "1 / cm", "cm**-1": "1 / cm", "cm^-1": "1 / cm", "/cm": "1 / cm",
	"1/mm": "1 / mm", "mm-1": "1 / mm", "mm**-1": "1 / mm",
	"1/um": "1 / um", "um-1": "1 / um", "um**-1": "1 / um",
}

// spectralDims are the dimensions astropy's spectral() equivalency links, so that a
// SpectralCoord converts between them: wavelength, frequency, photon energy and
// (spectroscopic, 1/λ) wavenumber.
var spectralDims = map[dimension]bool{dimLength: true, dimFrequency: true, dimEnergy: true, dimWavenumber: true}

// toFrequency turns a value in the base unit of a spectral dimension (m, Hz, J, 1/m)
// into a frequency in Hz.
func toFrequency(v float64, d dimension) float64 {
	switch d {
	case dimLength:
		return speedOfLight / v
	case dimEnergy:
		return v / planck
	case dimWavenumber:
		return speedOfLight * v
	}
	return v
}

// fromFrequency is the inverse of toFrequency.
func fromFrequency(hz float64, d dimension) float64 {
	switch d {
	case dimLength:
		return speedOfLight / hz
	case dimEnergy:
		return hz * planck
	case dimWavenumber:
		return hz / speedOfLight
	}
	return hz
}

// convertSpectral converts a spectral value between units as astropy's SpectralCoord.to
// does (with the spectral equivalency): within one dimension by the scale factor,
// between wavelength, frequency, energy and wavenumber through the frequency. An unknown
// or non-spectral target is a ValueError listing the units that work.
func convertSpectral(v float64, from, to string) (float64, error) {
	fu, okF := lookupUnit(from)
	tu, okT := lookupUnit(to)
	if okF && okT && fu.dim == tu.dim {
		if fu.name == tu.name {
			return v, nil
		}
		return v * (fu.scale / tu.scale), nil
	}
	if !okF || !spectralDims[fu.dim] {
		return 0, obj.Errorf(obj.ValueError, "%s is not a spectral unit (spectral units: %s)", unitLabel(from), strings.Join(spectralUnits(), ", "))
	}
	if !okT || !spectralDims[tu.dim] {
		why := "unknown unit"
		if okT {
			why = "not a wavelength, frequency, energy or wavenumber unit"
		}
		return 0, obj.Errorf(obj.ValueError, "cannot convert %s to '%s': %s (a SpectralCoord converts to: %s)", fu.name, strings.TrimSpace(to), why, strings.Join(spectralUnits(), ", "))
	}
	return fromFrequency(toFrequency(v*fu.scale, fu.dim), tu.dim) / tu.scale, nil
}

// spectralUnits lists the units of the spectral dimensions, grouped by dimension.
func spectralUnits() []string {
	var out []string
	for _, d := range []dimension{dimLength, dimFrequency, dimEnergy, dimWavenumber} {
		out = append(out, compatibleUnits(d)...)
	}
	return out
}

// lookupUnit finds a unit by name (canonical or alias, surrounding blanks ignored).
func lookupUnit(name string) (unitDef, bool) {
	name = strings.TrimSpace(name)
	if a, ok := unitAliases[name]; ok {
		name = a
	}
	for _, u := range knownUnits {
		if u.name == name {
			return u, true
		}
	}
	return unitDef{}, false
}

// compatibleUnits lists the canonical names of the units of dimension d, sorted.
func compatibleUnits(d dimension) []string {
	var out []string
	for _, u := range knownUnits {
		if u.dim == d && u.name != "" {
			out = append(out, u.name)
		}
	}
	sort.Strings(out)
	return out
}

// conversionFactor gives the factor that turns a value in unit from into unit to, or an
// obj.ValueError that names both and lists the units compatible with from.
func conversionFactor(from, to string) (float64, error) {
	fu, ok := lookupUnit(from)
	if !ok {
		return 0, obj.Errorf(obj.ValueError, "unknown unit %q", from)
	}
	tu, ok := lookupUnit(to)
	if !ok || tu.dim != fu.dim {
		why := "unknown unit"
		if ok {
			why = "not the same kind of unit"
		}
		e := obj.Errorf(obj.ValueError, "cannot convert %s to '%s': %s", unitLabel(fu.name), to, why)
		if c := compatibleUnits(fu.dim); len(c) > 0 {
			// Listed once, in the message, so that the error's evalue carries it too.
			e.Msg += " (compatible units: " + strings.Join(c, ", ") + ")"
		}
		return 0, e
	}
	if fu.name == tu.name {
		return 1, nil
	}
	return fu.scale / tu.scale, nil
}

// canonicalUnit returns the canonical spelling of a unit name, or the name trimmed when
// the unit is not known.
func canonicalUnit(name string) string {
	if u, ok := lookupUnit(name); ok {
		return u.name
	}
	return strings.TrimSpace(name)
}

// unitLabel shows a unit name for messages ("dimensionless" for the empty unit).
func unitLabel(name string) string {
	if name == "" {
		return "dimensionless"
	}
	return name
}

// parseCompoundUnit reads an astropy unit string such as "m.pixel**-1", "deg",
// "pixel**-1.s" or "m / pix" and returns the dimension and scale of its physical part
// (pixel factors are dropped: they are the unit of the input, not of the value).
func parseCompoundUnit(s string) (dimension, float64, bool) {
	s = strings.ReplaceAll(s, " ", "")
	s = strings.ReplaceAll(s, "/", ".1/")
	dim, scale := dimNone, 1.0
	for _, f := range strings.Split(s, ".") {
		if f == "" || f == "1" {
			continue
		}
		inv := false
		if strings.HasPrefix(f, "1/") {
			inv, f = true, f[2:]
		}
		name, exp := f, 1
		if i := strings.Index(f, "**"); i >= 0 {
			name = f[:i]
			e := strings.Trim(f[i+2:], "()")
			switch e {
			case "1":
				exp = 1
			case "-1":
				exp = -1
			default:
				return dimUnknown, 0, false
			}
		}
		if inv {
			exp = -exp
		}
		if name == "pixel" || name == "pix" {
			continue
		}
		u, ok := lookupUnit(name)
		if !ok || exp != 1 {
			return dimUnknown, 0, false
		}
		if u.dim == dimNone {
			continue
		}
		if dim != dimNone {
			return dimUnknown, 0, false
		}
		dim, scale = u.dim, u.scale
	}
	return dim, scale, true
}
