package units

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gokist/pyfmt"
)

// Rat is a rational power of a unit (astropy keeps powers as ints or Fractions).
type Rat struct{ N, D int }

// R makes the rational n/d in lowest terms with a positive denominator.
func R(n, d int) Rat {
	if d < 0 {
		n, d = -n, -d
	}
	g := gcd(abs(n), d)
	if g == 0 {
		return Rat{0, 1}
	}
	return Rat{n / g, d / g}
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func abs(a int) int {
	if a < 0 {
		return -a
	}
	return a
}

// Add gives p + q.
func (p Rat) Add(q Rat) Rat { return R(p.N*q.D+q.N*p.D, p.D*q.D) }

// Mul gives p × q.
func (p Rat) Mul(q Rat) Rat { return R(p.N*q.N, p.D*q.D) }

// Float gives p as a float64.
func (p Rat) Float() float64 { return float64(p.N) / float64(p.D) }

// String prints p as astropy's format_power does: "2", "-1", "1/2".
func (p Rat) String() string {
	if p.D == 1 {
		return strconv.Itoa(p.N)
	}
	return fmt.Sprintf("%d/%d", p.N, p.D)
}

// RatOf gives the rational nearest f with a small denominator, as astropy's
// maybe_simple_fraction turns float powers into Fractions (0.5 → 1/2); ok=false when f
// is no such fraction.
func RatOf(f float64) (Rat, bool) {
	for d := 1; d <= 10; d++ {
		n := math.Round(f * float64(d))
		if math.Abs(n/float64(d)-f) < 1e-12 && math.Abs(n) < 1e9 {
			return R(int(n), d), true
		}
	}
	return Rat{}, false
}

// Term is one base of a unit raised to a power.
type Term struct {
	Base *Named
	Pow  Rat
}

// Unit is astropy's CompositeUnit: Scale × Π Base^Pow. A named unit alone is one term
// of power 1 with scale 1; the dimensionless unscaled unit has no terms and scale 1.
// Units are values: every operation returns a new one.
type Unit struct {
	Scale float64
	Terms []Term
}

// Dimensionless is astropy's dimensionless_unscaled.
var Dimensionless = Unit{Scale: 1}

// Of gives the unit of a named unit.
func Of(n *Named) Unit { return Unit{Scale: 1, Terms: []Term{{n, R(1, 1)}}} }

// Scalar is a dimensionless unit with a scale, as astropy's Unit(1000).
func Scalar(scale float64) Unit { return Unit{Scale: scale} }

// IsDimensionless reports whether the unit has no bases (its scale may differ from 1).
func (u Unit) IsDimensionless() bool { return len(u.Terms) == 0 }

// IsUnscaledDimensionless reports whether u is dimensionless_unscaled.
func (u Unit) IsUnscaledDimensionless() bool { return len(u.Terms) == 0 && u.Scale == 1 }

// Named gives the named unit when u is exactly one (scale 1, one base of power 1).
func (u Unit) Named() (*Named, bool) {
	if u.Scale == 1 && len(u.Terms) == 1 && u.Terms[0].Pow == (Rat{1, 1}) {
		return u.Terms[0].Base, true
	}
	return nil, false
}

// gather merges equal bases, drops zero powers and orders the terms as astropy's
// _expand_and_gather does: by power, highest first, then by name.
func gather(scale float64, terms []Term) Unit {
	var out []Term
	for _, t := range terms {
		i := slices.IndexFunc(out, func(o Term) bool { return o.Base == t.Base })
		if i < 0 {
			out = append(out, t)
			continue
		}
		out[i].Pow = out[i].Pow.Add(t.Pow)
	}
	out = slices.DeleteFunc(out, func(t Term) bool { return t.Pow.N == 0 })
	slices.SortStableFunc(out, func(a, b Term) int {
		if c := cmpFloat(b.Pow.Float(), a.Pow.Float()); c != 0 {
			return c
		}
		return strings.Compare(a.Base.Name, b.Base.Name)
	})
	return Unit{Scale: sanitizeScale(scale), Terms: out}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// sanitizeScale gives 1 for scales within a few ulps of it, as astropy's sanitize_scale.
func sanitizeScale(s float64) float64 {
	if isEffectivelyUnity(s) {
		return 1
	}
	return s
}

// isEffectivelyUnity is astropy's is_effectively_unity: within 4 ε of 1.
func isEffectivelyUnity(s float64) bool {
	const eps = 2.220446049250313e-16
	return math.Abs(s-1) <= 4*eps
}

// Mul gives u × v.
func (u Unit) Mul(v Unit) Unit {
	return gather(u.Scale*v.Scale, append(slices.Clone(u.Terms), v.Terms...))
}

// Div gives u / v.
func (u Unit) Div(v Unit) Unit { return u.Mul(v.Pow(R(-1, 1))) }

// Pow gives u ** p.
func (u Unit) Pow(p Rat) Unit {
	terms := make([]Term, len(u.Terms))
	for i, t := range u.Terms {
		terms[i] = Term{t.Base, t.Pow.Mul(p)}
	}
	return gather(powScale(u.Scale, p), terms)
}

// powScale raises a scale to a rational power as Python's float ** does.
func powScale(s float64, p Rat) float64 {
	switch {
	case p.D == 1 && p.N == 1:
		return s
	case p.D == 1 && p.N == -1:
		return 1 / s
	}
	return math.Pow(s, p.Float())
}

// Decompose gives u in irreducible units, as astropy's decompose().
func (u Unit) Decompose() Unit {
	scale := u.Scale
	var terms []Term
	for _, t := range u.Terms {
		d := t.Base.decomposed()
		scale *= powScale(d.Scale, t.Pow)
		for _, s := range d.Terms {
			terms = append(terms, Term{s.Base, s.Pow.Mul(t.Pow)})
		}
	}
	return gather(scale, terms)
}

// Equal reports whether u and v have the same scale and terms.
func (u Unit) Equal(v Unit) bool {
	return u.Scale == v.Scale && sameTerms(u.Terms, v.Terms)
}

// sameTerms reports whether two gathered term lists are the same bases and powers.
func sameTerms(a, b []Term) bool {
	return slices.Equal(a, b)
}

// String is astropy's generic format (str(unit), to_string()): the scale if not 1,
// the positive powers, then " / " and the negative ones, each group sorted by name
// ignoring case: "km / s", "erg / (cm2 s)", "1 / s", "m(1/2)", "1000 m".
func (u Unit) String() string { return u.format(true) }

// Unscaled is astropy's "unscaled" format, used in error messages: String without the
// scale.
func (u Unit) Unscaled() string { return u.format(false) }

func (u Unit) format(showScale bool) string {
	if n, ok := u.Named(); ok {
		return n.Name
	}
	var parts []string
	if showScale && u.Scale != 1 {
		parts = append(parts, formatG(u.Scale))
	}
	if len(u.Terms) == 0 {
		return strings.Join(parts, " ")
	}
	var pos, neg []Term
	for _, t := range u.Terms {
		if t.Pow.N < 0 {
			neg = append(neg, Term{t.Base, R(-t.Pow.N, t.Pow.D)})
		} else {
			pos = append(pos, t)
		}
	}
	if len(pos) > 0 {
		parts = append(parts, formatTerms(pos))
	} else if len(parts) == 0 {
		parts = append(parts, "1")
	}
	if len(neg) > 0 {
		parts = append(parts, "/")
		if len(neg) == 1 {
			parts = append(parts, formatTerms(neg))
		} else {
			parts = append(parts, "("+formatTerms(neg)+")")
		}
	}
	return strings.Join(parts, " ")
}

// formatTerms writes terms as astropy's _format_unit_list: sorted by lower-case name,
// powers written after the name ("s2", "m(1/2)").
func formatTerms(ts []Term) string {
	ts = slices.Clone(ts)
	slices.SortStableFunc(ts, func(a, b Term) int {
		return strings.Compare(strings.ToLower(a.Base.Name), strings.ToLower(b.Base.Name))
	})
	out := make([]string, len(ts))
	for i, t := range ts {
		switch {
		case t.Pow == Rat{1, 1}:
			out[i] = t.Base.Name
		case t.Pow.D != 1:
			out[i] = t.Base.Name + "(" + t.Pow.String() + ")"
		default:
			out[i] = t.Base.Name + t.Pow.String()
		}
	}
	return strings.Join(out, " ")
}

// formatG is Python's f"{x:g}": six significant digits, trailing zeros dropped,
// exponent of at least two digits.
func formatG(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	case math.IsNaN(x):
		return "nan"
	}
	out, _ := pyfmt.Format(x, "g")
	return out
}

// Repr is astropy's repr of a unit: Unit("km / s"), Unit(dimensionless).
func (u Unit) Repr() string {
	if u.IsUnscaledDimensionless() {
		return "Unit(dimensionless)"
	}
	if u.IsDimensionless() {
		return "Unit(dimensionless with a scale of " + pyfmt.Float(u.Scale) + ")"
	}
	return `Unit("` + u.String() + `")`
}
