package gwcs

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"gokist/runtime/wcs/asdf"
)

const smallVISP = "../../../../shared/data/dkist-small-visp/test_visp.asdf"

func openSmallVISP(t *testing.T) *GWCS {
	t.Helper()
	f, err := asdf.Read(smallVISP)
	if err != nil {
		t.Fatal(err)
	}
	g, err := Find(f, nil, smallVISP)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestSmallVISPModelByHand evaluates the small-visp gwcs's model tree against the chain
// worked out by hand from its parameters, in the base units its quantities convert to
// (m, deg, s): wavelength 5e-7 m + 1e-11 m·x0; (x, y) = (x1, x2 − 0.5)·1.6666666666667e-5°
// through the gnomonic projection at (0, 0): Tx = atan(x), Ty = asin(y/√(1+x²+y²));
// time 10.000000000003162 s·x2.
func TestSmallVISPModelByHand(t *testing.T) {
	m, withUnits, err := openSmallVISP(t).Build()
	if err != nil {
		t.Fatal(err)
	}
	if m.NIn() != 3 || m.NOut() != 4 || !withUnits {
		t.Fatalf("model of %d inputs, %d outputs, units %v; want 3, 4, true", m.NIn(), m.NOut(), withUnits)
	}
	const s = 1.6666666666667e-05 * math.Pi / 180
	displayFactors := []float64{1e9, 3600, 3600, 1} // m → nm, deg → arcsec, s
	out := make([]float64, 4)
	for _, p := range [][]float64{{24, 9, 2}, {3.5, 7.25, 1.5}, {0, 9, 0}} {
		m.Eval(p, out)
		x, y := p[1]*s, (p[2]-0.5)*s
		want := []float64{
			5.0e-07 + 9.99999999999999e-12*p[0],
			math.Atan(x) * 180 / math.Pi,
			math.Asin(y/math.Sqrt(1+x*x+y*y)) * 180 / math.Pi,
			10.000000000003162 * p[2],
		}
		for k := range want {
			// Within 1e-9 relative (absolute near zero) in the frame's units, as
			// package wcs's test of the same chain asks.
			f := displayFactors[k]
			if d := math.Abs(out[k]-want[k]) * f; d > 1e-9*math.Max(1, math.Abs(want[k])*f) {
				t.Errorf("pixel %v output %d: %.15g, want %.15g", p, k, out[k], want[k])
			}
		}
	}
}

// TestSmallVISPFrames reads the input frame's names (WCS order) and the output frames: the kinds and units the file's frames
// state (nm, arcsec, s), the factors from the base units into them, the celestial pair,
// and the temporal frame's reference time (the dataset's README: 2044-03-15T08:22:54.721).
func TestSmallVISPFrames(t *testing.T) {
	g := openSmallVISP(t)
	if got := g.InputNames(); !reflect.DeepEqual(got, []string{"wavelength", "slit position", "raster position"}) {
		t.Errorf("input names %q", got)
	}
	fs, err := g.Frames(4, true)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []Kind
	var units []string
	var factors []float64
	for _, a := range fs.World {
		kinds, units, factors = append(kinds, a.Kind), append(units, a.Unit), append(factors, a.Factor)
	}
	if want := []Kind{Spectral, CelestialLon, CelestialLat, Temporal}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("kinds %v, want %v", kinds, want)
	}
	if want := []string{"nm", "arcsec", "arcsec", "s"}; !reflect.DeepEqual(units, want) {
		t.Errorf("units %q, want %q", units, want)
	}
	for i, want := range []float64{1e9, 3600, 3600, 1} {
		if math.Abs(factors[i]-want) > 1e-12*want {
			t.Errorf("factor %d: %v, want %v", i, factors[i], want)
		}
	}
	if fs.World[1].Partner != 2 || fs.World[2].Partner != 1 || fs.World[1].Period != 360*3600 || fs.World[1].Frame != "helioprojective" {
		t.Errorf("celestial pair %+v %+v", fs.World[1], fs.World[2])
	}
	if want := time.Date(2044, 3, 15, 8, 22, 54, 721e6, time.UTC); !fs.RefTime.Equal(want) {
		t.Errorf("reference time %v, want %v", fs.RefTime, want)
	}
	if _, err := g.Frames(3, true); err == nil || !strings.Contains(err.Error(), "out of range for 3 outputs") {
		t.Errorf("3 outputs for a 4-axis frame: %v", err)
	}
}
