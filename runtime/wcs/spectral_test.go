package wcs

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gokist/obj"
	"gokist/runtime/wcs/internal/wcstest"
	"gokist/runtime/wcs/wcsunit"
)

// TestSpectralCoordToAgainstAstropy converts SpectralCoords between wavelength,
// frequency, energy and wavenumber units and compares value and unit name with
// astropy's SpectralCoord.to (QA: w.to("Hz") said "unknown unit").
func TestSpectralCoordToAgainstAstropy(t *testing.T) {
	type conv struct {
		V    float64 `json:"v"`
		From string  `json:"from"`
		To   string  `json:"to"`
	}
	var convs []conv
	targets := []string{"Hz", "THz", "GHz", "eV", "keV", "J", "erg", "1/cm", "1/m", "cm-1", "m-1", "Angstrom", "um", "nm", "m"}
	for _, src := range []conv{{630.07065, "nm", ""}, {854.2, "nm", ""}, {4.75807686011e14, "Hz", ""}, {2.5, "eV", ""}, {15871.2, "1/cm", ""}, {1.5e-6, "m", ""}} {
		for _, to := range targets {
			convs = append(convs, conv{src.V, src.From, to})
		}
	}
	const script = `
import sys, json, warnings
warnings.simplefilter('ignore')
import astropy.units as u
from astropy.coordinates import SpectralCoord
out = []
for c in json.load(sys.stdin):
    r = SpectralCoord(float(c['v']), u.Unit(c['from'])).to(c['to'])
    out.append([float(r.value), str(r.unit)])
print(json.dumps(out))
`
	var want [][2]any
	wcstest.RunPython(t, script, convs, &want)
	for i, c := range convs {
		got, err := (&SpectralCoord{Value: c.V, Unit: wcsunit.Canonical(c.From)}).To(c.To)
		if err != nil {
			t.Errorf("%v %s → %s: %v", c.V, c.From, c.To, err)
			continue
		}
		wv, wu := want[i][0].(float64), want[i][1].(string)
		if math.Abs(got.Value-wv) > 4e-16*math.Abs(wv) || got.Unit != wu {
			t.Errorf("%v %s → %s: %v %s; astropy %v %s", c.V, c.From, c.To, got.Value, got.Unit, wv, wu)
		}
	}
	// Units that are not spectral, and unknown ones, are ValueErrors that list what works.
	for _, to := range []string{"s", "deg", "furlongs"} {
		_, err := (&SpectralCoord{Value: 630, Unit: "nm"}).To(to)
		var e *obj.Error
		if !errors.As(err, &e) || e.Class != obj.ValueError {
			t.Fatalf("nm → %s: %v", to, err)
		}
		for _, u := range []string{"Hz", "eV", "1 / cm", "Angstrom", to} {
			if !strings.Contains(e.Msg, u) {
				t.Errorf("nm → %s: %q does not name %s", to, e.Msg, u)
			}
		}
	}
	// A plain Quantity stays strict, as astropy without equivalencies: nm → Hz fails, and
	// says why rather than "unknown unit".
	_, err := (&Quantity{Value: 630, Unit: "nm"}).To("Hz")
	if err == nil || strings.Contains(err.Error(), "unknown unit") {
		t.Errorf("Quantity nm → Hz: %v, want a 'not the same kind of unit' error", err)
	}
}

// TestWorldToPixelTakesFrequency: world_to_pixel with a SpectralCoord in Hz finds the
// same pixel as the wavelength it stands for.
func TestWorldToPixelTakesFrequency(t *testing.T) {
	w, err := New(gridLayout(t))
	if err != nil {
		t.Fatal(err)
	}
	vals, err := w.PixelToWorld(3, 5, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	hz, err := vals[1].(*SpectralCoord).To("Hz")
	if err != nil {
		t.Fatal(err)
	}
	pix, err := w.WorldToPixel(vals[0], hz, vals[2], vals[3])
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{3, 5, 2, 1} {
		if math.Abs(pix[i].(float64)-want) > 1e-6 {
			t.Errorf("pixel %d = %v, want %v (all %v)", i, pix[i], want, pix)
		}
	}
}
