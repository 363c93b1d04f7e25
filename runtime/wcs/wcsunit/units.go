package wcsunit

import (
	"math"
	"sort"
	"strings"

	"gokist/obj"
)

// Dimension is the physical kind a unit measures; only units of one dimension convert.
type Dimension string

const (
	Length Dimension = "length"
	Angle  Dimension = "angle"
	Time   Dimension = "time"
	None   Dimension = "dimensionless"
	// dimFrequency, dimEnergy and dimWavenumber join length in the spectral equivalency.
	dimFrequency  Dimension = "frequency"
	dimEnergy     Dimension = "energy"
	dimWavenumber Dimension = "wavenumber"
	dimUnknown    Dimension = ""
)

// Def is one known unit: its dimension and its size in the dimension's base unit
// (m, deg, s).
type Def struct {
	Name  string // canonical spelling, as astropy prints it
	Dim   Dimension
	Scale float64
}

var knownUnits = []Def{
	{"m", Length, 1},
	{"km", Length, 1e3},
	{"cm", Length, 1e-2},
	{"mm", Length, 1e-3},
	{"um", Length, 1e-6},
	{"nm", Length, 1e-9},
	{"Angstrom", Length, 1e-10},
	{"pm", Length, 1e-12},
	{"deg", Angle, 1},
	{"arcmin", Angle, 1.0 / 60},
	{"arcsec", Angle, 1.0 / 3600},
	{"mas", Angle, 1.0 / 3600e3},
	{"rad", Angle, 180 / math.Pi},
	{"s", Time, 1},
	{"ms", Time, 1e-3},
	{"min", Time, 60},
	{"h", Time, 3600},
	{"d", Time, 86400},
	{"", None, 1},
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
var spectralDims = map[Dimension]bool{Length: true, dimFrequency: true, dimEnergy: true, dimWavenumber: true}

// toFrequency turns a value in the base unit of a spectral dimension (m, Hz, J, 1/m)
// into a frequency in Hz.
func toFrequency(v float64, d Dimension) float64 {
	switch d {
	case Length:
		return speedOfLight / v
	case dimEnergy:
		return v / planck
	case dimWavenumber:
		return speedOfLight * v
	}
	return v
}

// fromFrequency is the inverse of toFrequency.
func fromFrequency(hz float64, d Dimension) float64 {
	switch d {
	case Length:
		return speedOfLight / hz
	case dimEnergy:
		return hz * planck
	case dimWavenumber:
		return hz / speedOfLight
	}
	return hz
}

// ConvertSpectral converts a spectral value between units as astropy's SpectralCoord.to
// does (with the spectral equivalency): within one dimension by the scale factor,
// between wavelength, frequency, energy and wavenumber through the frequency. An unknown
// or non-spectral target is a ValueError listing the units that work.
func ConvertSpectral(v float64, from, to string) (float64, error) {
	fu, okF := Lookup(from)
	tu, okT := Lookup(to)
	if okF && okT && fu.Dim == tu.Dim {
		if fu.Name == tu.Name {
			return v, nil
		}
		return v * (fu.Scale / tu.Scale), nil
	}
	if !okF || !spectralDims[fu.Dim] {
		return 0, obj.Errorf(obj.ValueError, "%s is not a spectral unit (spectral units: %s)", unitLabel(from), strings.Join(spectralUnits(), ", "))
	}
	if !okT || !spectralDims[tu.Dim] {
		why := "unknown unit"
		if okT {
			why = "not a wavelength, frequency, energy or wavenumber unit"
		}
		return 0, obj.Errorf(obj.ValueError, "cannot convert %s to '%s': %s (a SpectralCoord converts to: %s)", fu.Name, strings.TrimSpace(to), why, strings.Join(spectralUnits(), ", "))
	}
	return fromFrequency(toFrequency(v*fu.Scale, fu.Dim), tu.Dim) / tu.Scale, nil
}

// spectralUnits lists the units of the spectral dimensions, grouped by dimension.
func spectralUnits() []string {
	var out []string
	for _, d := range []Dimension{Length, dimFrequency, dimEnergy, dimWavenumber} {
		out = append(out, compatibleUnits(d)...)
	}
	return out
}

// Lookup finds a unit by name (canonical or alias, surrounding blanks ignored).
func Lookup(name string) (Def, bool) {
	name = strings.TrimSpace(name)
	if a, ok := unitAliases[name]; ok {
		name = a
	}
	for _, u := range knownUnits {
		if u.Name == name {
			return u, true
		}
	}
	return Def{}, false
}

// compatibleUnits lists the canonical names of the units of dimension d, sorted.
func compatibleUnits(d Dimension) []string {
	var out []string
	for _, u := range knownUnits {
		if u.Dim == d && u.Name != "" {
			out = append(out, u.Name)
		}
	}
	sort.Strings(out)
	return out
}

// Factor gives the factor that turns a value in unit from into unit to, or an
// obj.ValueError that names both and lists the units compatible with from.
func Factor(from, to string) (float64, error) {
	fu, ok := Lookup(from)
	if !ok {
		return 0, obj.Errorf(obj.ValueError, "unknown unit %q", from)
	}
	tu, ok := Lookup(to)
	if !ok || tu.Dim != fu.Dim {
		why := "unknown unit"
		if ok {
			why = "not the same kind of unit"
		}
		e := obj.Errorf(obj.ValueError, "cannot convert %s to '%s': %s", unitLabel(fu.Name), to, why)
		if c := compatibleUnits(fu.Dim); len(c) > 0 {
			// Listed once, in the message, so that the error's evalue carries it too.
			e.Msg += " (compatible units: " + strings.Join(c, ", ") + ")"
		}
		return 0, e
	}
	if fu.Name == tu.Name {
		return 1, nil
	}
	return fu.Scale / tu.Scale, nil
}

// Canonical returns the canonical spelling of a unit name, or the name trimmed when
// the unit is not known.
func Canonical(name string) string {
	if u, ok := Lookup(name); ok {
		return u.Name
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

// ParseCompound reads an astropy unit string such as "m.pixel**-1", "deg",
// "pixel**-1.s" or "m / pix" and returns the dimension and scale of its physical part
// (pixel factors are dropped: they are the unit of the input, not of the value).
func ParseCompound(s string) (Dimension, float64, bool) {
	s = strings.ReplaceAll(s, " ", "")
	s = strings.ReplaceAll(s, "/", ".1/")
	dim, scale := None, 1.0
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
		u, ok := Lookup(name)
		if !ok || exp != 1 {
			return dimUnknown, 0, false
		}
		if u.Dim == None {
			continue
		}
		if dim != None {
			return dimUnknown, 0, false
		}
		dim, scale = u.Dim, u.Scale
	}
	return dim, scale, true
}
