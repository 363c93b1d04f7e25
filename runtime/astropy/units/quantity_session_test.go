package units_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/lang"
	"gokist/obj"
)

// stdoutOf collects what print writes.
type stdoutOf struct {
	obj.Discard
	b strings.Builder
}

func (s *stdoutOf) Stream(name, text string) {
	if name == "stdout" {
		s.b.WriteString(text)
	}
}

// quantityCases are cells run both in a gokist session and under astropy 5.2 after the
// same imports; each one's repr, or its error's class and message, must agree.
var quantityCases = []string{
	// units and their composition
	"u.m", "u.km / u.s", "u.m / u.s**2", "u.km / u.h", "u.Unit('km/s')", "u.Unit('erg s-1 cm-2')", "u.m**0.5", "u.m**1.5",
	"u.km * u.m / u.km", "u.m / u.m", "u.dimensionless_unscaled", "u.Unit(1000.)", "str(u.km / u.s)", "u.m == 'm'", "u.m == u.km",
	"(u.km / u.s).decompose()", "(u.erg / u.s).physical_type", "u.Angstrom", "u.AA", "u.solRad", "u.solMass.decompose()",
	"u.arcsec.to(u.deg)", "u.km.to(u.m, 3)", "u.nm.to(u.Hz, 500, equivalencies=u.spectral())", "u.ct / u.s", "u.DN", "u.photon",
	"u.pix", "u.AU", "u.pc", "u.lyr", "u.Jy", "u.G", "u.T", "u.erg", "u.W", "u.N", "u.J", "u.K", "u.sr", "u.yr", "u.d", "u.min",
	"u.Unit('foo')", "u.Unit('kms')", "u.m.to(u.s)",
	"u.km / u.s * u.s", "(u.m / u.s)**-1", "1 / u.s", "u.Unit('m/s') == u.m / u.s", "u.m.decompose()", "u.deg.to(u.rad)",
	"u.kg * u.m**2 / u.s**2 == u.J", "u.Unit('km s^-1')", "u.Unit('s^-1')", "u.m**2 * u.m**-2", "u.km.si", "u.erg.cgs", "u.W.si",
	"u.m.physical_type", "(u.m / u.s).physical_type", "u.m.physical_type == 'length'", "u.J.is_equivalent(u.erg)",
	"u.nm.is_equivalent(u.Hz)", "u.nm.is_equivalent(u.Hz, equivalencies=u.spectral())", "u.km.to_string()", "u.m.name",
	"(u.km / u.s).bases", "(u.km / u.s).powers", "(u.m**0.5).powers", "(u.km / u.s).scale", "u.Unit('10 km').scale",
	// quantities
	"10 * u.m", "10. * u.m", "3 * u.km / u.s", "u.m * 3", "3 / u.s", "u.m / 3", "[1, 2, 3] * u.m", "(1, 2.5) * u.km",
	"[[1, 2], [3, 4]] * u.m / u.s", "[[1, 2], [3]] * u.m", "1e-10 * u.m", "0.1 * u.m", "1 * u.dimensionless_unscaled",
	"u.Quantity(3)", "u.Quantity(3, 'km')", "u.Quantity([1, 2], u.m)", "u.Quantity(3 * u.km, u.m)", "u.Quantity('3 km')",
	"u.Quantity('3.5e2 km / s')", "u.Quantity([1, 2] * u.m, u.cm)", "u.Quantity(3, u.m, dtype='float32')",
	"u.Quantity('abc')", "u.Quantity(3, u.m, dtype='foo')", "u.Quantity(3, 'foo')", "u.Quantity({'a': 1}, u.m)", "u.m ** 'a'",
	"u.Unit(3 * u.m)", "(1 * u.m).to(u.km, equivalencies=3)", "(1 * u.J).to(u.erg)", "(1 * u.solRad).to(u.km)", "(5 * u.m).to(u.km).value", "(3 * u.m).unit.physical_type",
	"(10 * u.m).decompose().unit", "(1 * u.G).cgs", "(2 * u.m)**-1", "(8 * u.m**3)**(1/3)", "float(3 * u.km / u.m)", "int(3.7 * u.km / u.m)", "-u.m", "-(u.km / u.s)", "str(10 * u.m)", "str(1e-10 * u.m)", "str([1, 2] * u.m)", "str(3 * u.km / u.m)",
	"f'{3 * u.m:.2f}'", "f'{3 * u.m}'", "(10 * u.m).value", "(10 * u.m).unit", "(3 * u.km).to(u.m)", "(3 * u.km).to('cm')",
	"(3 * u.km).to_value(u.m)", "(3 * u.km).to_value()", "(3 * u.km).to(u.s)", "(3 * u.km).to('foo')", "(1 * u.AU).to(u.km)",
	"(630.25 * u.nm).to(u.THz, equivalencies=u.spectral())", "(630.25 * u.nm).to(u.eV, u.spectral())",
	"(630.26 * u.nm).to(u.km / u.s, equivalencies=u.doppler_optical(630.25 * u.nm))",
	"(630.26 * u.nm).to(u.km / u.s, equivalencies=u.doppler_radio(630.25 * u.nm))",
	"(630.26 * u.nm).to(u.km / u.s, equivalencies=u.doppler_relativistic(630.25 * u.nm))",
	"(1.5 * u.km / u.s).to(u.nm, equivalencies=u.doppler_optical(630.25 * u.nm))",
	"u.doppler_optical(3 * u.s)",
	"(475.6 * u.THz).to(u.km / u.s, equivalencies=u.spectral() + u.doppler_optical(630.25 * u.nm))",
	"(10 * u.km / u.h).decompose()", "(1 * u.erg).cgs", "(3 * u.km / u.s).si", "(3 * u.km / u.s).cgs", "(1 * u.solMass).si",
	"(1 * u.ct).si", "(1 * u.G).si", "(3 * u.km / u.m).decompose()",
	// arithmetic
	"2 * u.m + 3 * u.cm", "3 * u.cm + 2 * u.m", "2 * u.m - 30 * u.cm", "2 * u.m + 3 * u.s", "2 * u.m + 3", "3 + 2 * u.m",
	"(1 * u.m) + 0", "(3 * u.km / u.m) + 1", "1 - (3 * u.km / u.m)", "(2 * u.m) * (3 * u.s)", "(2 * u.m) / (4 * u.s)",
	"(2 * u.m) ** 2", "(4 * u.m**2) ** 0.5", "(1 * u.m) ** (1/3)", "2 ** (3 * u.one)", "(3 * u.m) % (2 * u.cm)",
	"(3 * u.m) // (2 * u.cm)", "(3 * u.m) < 4 * u.km", "(3 * u.m) == 300 * u.cm", "(3 * u.m) == 4 * u.s", "(3 * u.m) != 4 * u.s",
	"(3 * u.m) > 4 * u.s", "-(3 * u.m)", "abs(-3 * u.m)", "[1., 2.] * u.m + [3, 4] * u.cm", "[1., 2.] * u.m * 2",
	"([1., 2.] * u.m) > 1.5 * u.m", "([1., 2.] * u.m)[1]", "([1., 2.] * u.m)[0:1]", "len([1., 2.] * u.m)", "len(3 * u.m)",
	"(3 * u.m)[0]", "(10 * u.m) * u.s", "u.s * (10 * u.m)", "(10 * u.m) / u.s", "(10 * u.m).to(u.km) * 2",
	"([1., 2., 3.] * u.m).sum()", "([1., 2., 3.] * u.m).mean()", "([1., 2., 3.] * u.m).std()", "([1., 2., 3.] * u.m).var()",
	"([1., 2., 3.] * u.m).max()", "([2.5] * u.m).item()", "(3 * u.m).item()", "([1.1, 2.] * u.m).astype('float32')",
	"([1.1, 2.] * u.m).astype('float32').to(u.km)", "([1., 2., 3.] * u.m).argmax()", "([1., 2., 3.] * u.m).shape", "([1., 2., 3.] * u.m).isscalar",
	// constants
	"const.c", "const.h", "const.hbar", "const.k_B", "const.G", "const.e", "const.m_e", "const.m_p", "const.N_A", "const.R",
	"const.sigma_sb", "const.M_sun", "const.R_sun", "const.L_sun", "const.M_earth", "const.R_earth", "const.au", "const.pc",
	"str(const.c)", "const.c.value", "const.c.unit", "const.c.name", "const.c.uncertainty", "const.c.reference",
	"const.c.to(u.km / u.s)", "const.c * 2", "2 * const.M_sun", "const.G * const.M_sun / const.R_sun**2", "const.e * 2",
	"const.e.value", "(const.h * const.c / (630 * u.nm)).to(u.eV)", "c", "M_sun.to(u.g)",
}

const quantityPrelude = "import astropy.units as u\nfrom astropy import constants as const\nfrom astropy.constants import c, M_sun\n"

// TestQuantityCellsMatchAstropy runs quantityCases in one gokist session and under
// astropy in one interpreter and compares the reprs and errors.
func TestQuantityCellsMatchAstropy(t *testing.T) {
	want := pyref.Batch(t, quantityPrelude, quantityCases)
	s := lang.NewSession()
	if _, err := s.Execute(context.Background(), quantityPrelude, &stdoutOf{}); err != nil {
		t.Fatal(err)
	}
	for i, code := range quantityCases {
		res, err := s.Execute(context.Background(), code, &stdoutOf{})
		w := want[i]
		if w.Type != "" {
			var e *lang.Error
			if !errors.As(err, &e) || e.Class != w.Type || e.Msg != w.Message {
				t.Errorf("%s: got %v, astropy raises %s", code, err, w.Err())
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v, astropy gives %s", code, err, w.Repr)
			continue
		}
		if got, _ := res["text/plain"].(string); got != w.Repr {
			t.Errorf("%s\n got %s\nwant %s", code, got, w.Repr)
		}
	}
}

// quantityArrayCases are array quantities whose text numpy lays out: long ones
// summarised and wrapped under the "<Quantity " prefix, NaN and inf, empty arrays,
// float32 values, 2-d arrays; each is compared by repr and by str.
var quantityArrayCases = []string{
	"list(range(2000)) * u.m", "[x * 0.37 for x in range(40)] * u.km / u.s", "[1.5, float('nan'), float('inf'), -2] * u.nm",
	"[] * u.m", "[[1.25, 2], [3, 4e-5]] * u.erg / u.s", "[1e10, 2] * u.Hz", "[[x + 10 * y for x in range(12)] for y in range(3)] * u.ct",
	"u.Quantity([1.1, 2.2, 3.3], u.m, dtype='float32')", "u.Quantity([1.1, 2.2, 3.3], u.m, dtype='float32').to(u.cm)",
	"u.Quantity(1.1, u.m, dtype='float32')",
}

// TestQuantityArraysPrintAsAstropy compares the repr and str of array quantities.
func TestQuantityArraysPrintAsAstropy(t *testing.T) {
	var py []string
	for _, c := range quantityArrayCases {
		py = append(py, c, "str("+c+")")
	}
	want := pyref.Batch(t, quantityPrelude, py)
	s := lang.NewSession()
	if _, err := s.Execute(context.Background(), quantityPrelude, &stdoutOf{}); err != nil {
		t.Fatal(err)
	}
	for i, code := range py {
		res, err := s.Execute(context.Background(), code, &stdoutOf{})
		if want[i].Type != "" {
			t.Fatalf("reference %s: %s", code, want[i].Err())
		}
		if got, _ := res["text/plain"].(string); err != nil || got != want[i].Repr {
			t.Errorf("%s\n got %s (%v)\nwant %s", code, got, err, want[i].Repr)
		}
	}
}

// TestAstropyImportsAndQuantitySupport checks the import forms notebooks use, the unit
// error classes in except clauses, and that quantity_support() runs as a call and in a
// with statement (its flag: TestQuantitySupportFlag).
func TestAstropyImportsAndQuantitySupport(t *testing.T) {
	s := lang.NewSession()
	run := func(code string) string {
		t.Helper()
		res, err := s.Execute(context.Background(), code, &stdoutOf{})
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		text, _ := res["text/plain"].(string)
		return text
	}
	checks := [][2]string{
		{"from astropy import units as u\nu.km / u.s", `Unit("km / s")`},
		{"import astropy.units\nastropy.units.m", `Unit("m")`},
		{"import astropy\nastropy.constants.c.unit", `Unit("m / s")`},
		{"from astropy.constants import c, M_sun\nM_sun.unit", `Unit("kg")`},
		{"import astropy.constants as const\nconst.k_B.value", "1.380649e-23"},
		{"try:\n    (1 * u.m).to(u.s)\nexcept u.UnitConversionError as e:\n    r = str(e)\nr", `"'m' (length) and 's' (time) are not convertible"`},
		{"try:\n    (1 * u.m) + (1 * u.s)\nexcept u.UnitsError:\n    r = 'caught'\nr", "'caught'"},
		{"from astropy.visualization import quantity_support\nquantity_support\n", "<function quantity_support>"},
	}
	for _, c := range checks {
		if got := run(c[0]); got != c[1] && !(c[1] == "<function quantity_support>" && got != "") {
			t.Errorf("%s\n got %s\nwant %s", c[0], got, c[1])
		}
	}
	run("with quantity_support() as qs:\n    inside = 1")
	run("quantity_support()")
}

// TestUnitTypeErrorIsAUnitsError checks that astropy's UnitTypeError (np.exp of a length)
// is caught as u.UnitsError and as u.UnitTypeError, as in astropy.
func TestUnitTypeErrorIsAUnitsError(t *testing.T) {
	s := lang.NewSession()
	for _, code := range []string{
		"import astropy.units as u",
		"try:\n    raise u.UnitTypeError('x')\nexcept u.UnitsError:\n    r = 1\nr",
		"try:\n    raise u.UnitTypeError('x')\nexcept ValueError:\n    r = 2\nr",
	} {
		if _, err := s.Execute(context.Background(), code, &stdoutOf{}); err != nil {
			t.Errorf("%s: %v", code, err)
		}
	}
}
