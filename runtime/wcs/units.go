package wcs

import (
	"math"
	"sort"
	"strings"

	"gokist/runtime/obj"
)

// dimension is the physical kind a unit measures; only units of one dimension convert.
type dimension string

const (
	dimLength  dimension = "length"
	dimAngle   dimension = "angle"
	dimTime    dimension = "time"
	dimNone    dimension = "dimensionless"
	dimUnknown dimension = ""
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
}

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
