package units

import (
	"math"
	"slices"
	"strings"
)

// system is a unit system of astropy (astropy.units.si, astropy.units.cgs): its base
// units and the named units of its module that compositions may use.
type system struct {
	bases     []*Named
	namespace []*Named
}

func newSystem(bases, namespace []string) system {
	var s system
	for _, b := range bases {
		s.bases = append(s.bases, canonical[b])
	}
	for _, n := range namespace {
		if u, ok := canonical[n]; ok && !u.def.prefixed {
			s.namespace = append(s.namespace, u)
		}
	}
	return s
}

// SI is astropy's unit.si: the unit decomposed into the SI bases, then composed of
// the named units of astropy.units.si, ranked as astropy's to_system ranks them (most
// SI bases first). Where astropy's ranking ties (it then follows Python's set order,
// which varies between runs: erg.si is "m N" or "s W"), the first by name is taken.
func (u Unit) SI() (Unit, error) {
	registry()
	return u.toSystem(newSystem(siBases, siNamespace))
}

// CGS is astropy's unit.cgs, as SI is for astropy.units.cgs.
func (u Unit) CGS() (Unit, error) {
	registry()
	return u.toSystem(newSystem(cgsBases, cgsNamespace))
}

func (u Unit) toSystem(sys system) (Unit, error) {
	x, err := u.decomposeInto(sys.bases)
	if err != nil {
		return Unit{}, err
	}
	results, err := x.compose(sys)
	if err != nil {
		return Unit{}, err
	}
	score := func(c Unit) float64 {
		if len(c.Terms) == 0 {
			return math.Inf(1)
		}
		n := 0
		for _, t := range c.Terms {
			if slices.Contains(sys.bases, t.Base) {
				n++
			}
		}
		return float64(n) / float64(len(c.Terms))
	}
	slices.SortStableFunc(results, func(a, b Unit) int { return cmpFloat(score(b), score(a)) })
	return results[0], nil
}

// decomposeInto is astropy's decompose(bases=...): irreducible units not among the
// bases are expressed in a base of the same dimension (m → cm), else it is astropy's
// UnitConversionError.
func (u Unit) decomposeInto(bases []*Named) (Unit, error) {
	d := u.Decompose()
	scale := d.Scale
	terms := make([]Term, 0, len(d.Terms))
	for _, t := range d.Terms {
		if slices.Contains(bases, t.Base) {
			terms = append(terms, t)
			continue
		}
		found := false
		for _, b := range bases {
			if s, err := Of(t.Base).ScaleTo(Of(b)); err == nil {
				scale *= powScale(s, t.Pow)
				terms = append(terms, Term{b, t.Pow})
				found = true
				break
			}
		}
		if !found {
			return Unit{}, errorf(UnitConversionError, "Unit %s can not be decomposed into the requested bases", t.Base.Name)
		}
	}
	return gather(scale, terms), nil
}

// compose is astropy's compose(units=system): the simplest units of the system's
// namespace that represent u, ranked as astropy's sort_results.
func (u Unit) compose(sys system) ([]Unit, error) {
	dec := u.Decompose()
	var ns []*Named
	for _, n := range sys.namespace {
		if basesInCommon(dec, n.decomposed()) {
			ns = append(ns, n)
		}
	}
	results, err := u.composeDepth(ns, 2, 0)
	if err != nil {
		return nil, err
	}
	return sortResults(results), nil
}

func basesInCommon(a, b Unit) bool {
	if len(a.Terms) == 0 && len(b.Terms) == 0 {
		return true
	}
	for _, x := range a.Terms {
		for _, y := range b.Terms {
			if x.Base == y.Base {
				return true
			}
		}
	}
	return false
}

// isFinal reports whether every base of u is in the namespace.
func isFinal(u Unit, ns []*Named) bool {
	for _, t := range u.Terms {
		if !slices.Contains(ns, t.Base) {
			return false
		}
	}
	return true
}

// unitSet is a Python set of composite units: equal scale and terms are one element.
type unitSet []Unit

func (s *unitSet) add(u Unit) {
	if !slices.ContainsFunc(*s, u.Equal) {
		*s = append(*s, u)
	}
}

// composeDepth is astropy's _compose without equivalencies.
func (u Unit) composeDepth(ns []*Named, maxDepth, depth int) ([]Unit, error) {
	unit := u.Decompose()
	if depth >= maxDepth {
		return []Unit{unit}, nil
	}
	var final [2]unitSet
	if len(unit.Terms) == 0 {
		final[0].add(unit)
	}
	type partial struct {
		n        int
		composed Unit
		tunit    Unit
	}
	var partials []partial
	for _, n := range ns {
		tunit, tdec := Of(n), n.decomposed()
		if len(tdec.Terms) == 1 {
			for _, t := range unit.Terms {
				if sameTerms(tdec.Terms, Of(t.Base).Decompose().Terms) {
					tunit, tdec = tunit.Pow(t.Pow), tdec.Pow(t.Pow)
					break
				}
			}
		}
		composed := unit.Div(tdec).Decompose()
		factored := composed.Mul(tunit)
		if k := len(composed.Terms); isFinal(factored, ns) && k <= 1 {
			final[k].add(factored)
		} else {
			partials = append(partials, partial{k, composed, tunit})
		}
	}
	if len(final[0])+len(final[1]) > 0 {
		return append(final[0], final[1]...), nil
	}
	slices.SortStableFunc(partials, func(a, b partial) int { return a.n - b.n })
	var subs []partial
	for _, p := range partials {
		list, err := p.composed.composeDepth(ns, maxDepth, depth+1)
		if err != nil {
			continue
		}
		for _, s := range list {
			subs = append(subs, partial{len(s.Terms), s, p.tunit})
		}
	}
	if len(subs) > 0 {
		slices.SortStableFunc(subs, func(a, b partial) int { return a.n - b.n })
		var out unitSet
		for _, s := range subs {
			if s.n > subs[0].n {
				break
			}
			if f := s.composed.Mul(s.tunit); isFinal(f, ns) {
				out.add(f)
			}
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	if !isFinal(u, ns) {
		return nil, errorf(UnitsError, "Cannot represent unit %s in terms of the given units", u)
	}
	return []Unit{u}, nil
}

// sortResults is astropy's sort_results: unit scale first, then positive total power,
// fewer powers, smaller scale; equal strings in a row kept once. Ties, which astropy
// leaves in set order, go by name.
func sortResults(rs []Unit) []Unit {
	if len(rs) == 0 {
		return rs
	}
	rs = slices.Clone(rs)
	slices.SortStableFunc(rs, func(a, b Unit) int { return strings.Compare(a.String(), b.String()) })
	sum := func(u Unit, absolute bool) float64 {
		s := 0.0
		for _, t := range u.Terms {
			p := t.Pow.Float()
			if absolute {
				p = math.Abs(p)
			}
			s += p
		}
		return s
	}
	b2i := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(rs, func(a, b Unit) int {
		if c := b2i(!isEffectivelyUnity(a.Scale)) - b2i(!isEffectivelyUnity(b.Scale)); c != 0 {
			return c
		}
		if c := b2i(sum(a, false) < 0) - b2i(sum(b, false) < 0); c != 0 {
			return c
		}
		if c := cmpFloat(sum(a, true), sum(b, true)); c != 0 {
			return c
		}
		return cmpFloat(math.Abs(a.Scale), math.Abs(b.Scale))
	})
	out := rs[:1]
	for _, r := range rs[1:] {
		if r.String() != out[len(out)-1].String() {
			out = append(out, r)
		}
	}
	return out
}
