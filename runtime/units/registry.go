package units

import (
	"slices"
	"sync"
)

// Factor is one irreducible base and its power n/d in the generated tables.
type Factor struct {
	Base string
	N, D int
}

// namedDef is one generated row of astropy's registry.
type namedDef struct {
	name        string
	names       []string // every name that finds the unit, the canonical one first
	prefixed    bool     // a PrefixUnit (km, nm): left out of .si/.cgs compositions
	irreducible bool     // an IrreducibleUnit (m, s, kg, ct, pix, ...)
	scale       float64  // the decomposition's scale
	decomp      []Factor // the decomposition's bases
}

// Named is a named unit of the registry (astropy's NamedUnit).
type Named struct {
	Name string // as astropy's generic format writes it
	def  *namedDef
	dec  Unit // the decomposition, set when the registry is built
}

// Names gives every name of the unit, the canonical one first.
func (n *Named) Names() []string { return slices.Clone(n.def.names) }

// Irreducible reports whether the unit is one of astropy's irreducible units.
func (n *Named) Irreducible() bool { return n.def.irreducible }

func (n *Named) decomposed() Unit { return n.dec }

var (
	registryOnce sync.Once
	byName       map[string]*Named // every name and alias
	canonical    map[string]*Named // canonical names only
)

// registry builds the named units and their decompositions from the tables once.
func registry() map[string]*Named {
	registryOnce.Do(func() {
		byName = make(map[string]*Named, 4*len(namedTable))
		canonical = make(map[string]*Named, len(namedTable))
		for i := range namedTable {
			d := &namedTable[i]
			n := &Named{Name: d.name, def: d}
			if d.name == "percent" {
				n.Name = "%" // the one unit whose generic format name is not its name
			}
			canonical[d.name] = n
			for _, name := range d.names {
				byName[name] = n
			}
		}
		for _, n := range canonical {
			if n.def.irreducible {
				n.dec = Of(n)
				continue
			}
			terms := make([]Term, len(n.def.decomp))
			for i, f := range n.def.decomp {
				terms[i] = Term{canonical[f.Base], R(f.N, f.D)}
			}
			n.dec = Unit{Scale: n.def.scale, Terms: terms}
		}
	})
	return byName
}

// Lookup finds a named unit by any of its names ("m", "meter", "AA", "Angstrom").
func Lookup(name string) (*Named, bool) {
	n, ok := registry()[name]
	return n, ok
}

// MustUnit gives the unit of a registered name; it panics on an unknown name (a
// programming error in a table of this package).
func MustUnit(name string) Unit {
	n, ok := Lookup(name)
	if !ok {
		panic("units: no unit named " + name)
	}
	return Of(n)
}

// AllNames lists every name of every registered unit, for astropy.units' attributes.
func AllNames() []string {
	out := make([]string, 0, len(registry()))
	for name := range registry() {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}
