package wcsunit

import (
	"math"
	"testing"

	"gokist/runtime/units"
)

// baseUnits are the units each dimension's scales are in.
var baseUnits = map[Dimension]string{
	Length: "m", Angle: "deg", Time: "s", None: "", dimFrequency: "Hz", dimEnergy: "J", dimWavenumber: "1 / m",
}

// knownDifferences are the aliases astropy's generic parser reads otherwise, kept as
// they are (a change would change what cells accept) and named here so that no other
// creeps in.
var knownDifferences = map[string]string{
	"amin": "astropy reads an attominute (time); the table takes it as arcmin",
}

// TestTableAgreesWithUnits checks the closed table against runtime/units (generated
// from astropy): every unit's scale to its dimension's base unit, every alias astropy
// also parses, and the constants of the spectral equivalency. The table stays its own
// (it is the closed list world axes accept and error messages enumerate), but it may not
// drift from astropy's numbers.
func TestTableAgreesWithUnits(t *testing.T) {
	for _, d := range knownUnits {
		u, err := units.Parse(d.Name)
		if err != nil {
			t.Errorf("%q: runtime/units does not parse it: %v", d.Name, err)
			continue
		}
		base, err := units.Parse(baseUnits[d.Dim])
		if err != nil {
			t.Fatal(err)
		}
		f, err := u.ScaleTo(base)
		if err != nil || math.Abs(f-d.Scale) > 1e-15*d.Scale {
			t.Errorf("%q: scale %v to %q, runtime/units says %v (%v)", d.Name, d.Scale, baseUnits[d.Dim], f, err)
		}
	}
	for alias, name := range unitAliases {
		a, err := units.Parse(alias)
		if err != nil || knownDifferences[alias] != "" {
			continue // a FITS or everyday spelling astropy does not take
		}
		u, _ := units.Parse(name)
		if f, err := a.ScaleTo(u); err != nil || f != 1 {
			t.Errorf("alias %q of %q: runtime/units gives factor %v (%v)", alias, name, f, err)
		}
	}
	for name, v := range map[string]float64{"c": speedOfLight, "h": planck, "e": electronVolt} {
		k, ok := units.ConstantNamed(name)
		if !ok || k.Value != v {
			t.Errorf("constant %s = %v; astropy.constants has %v", name, v, k)
		}
	}
}
