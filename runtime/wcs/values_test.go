package wcs

import (
	"errors"
	"math"
	"math/rand"
	"strings"
	"testing"
	"time"

	"gokist/obj"
	"gokist/runtime/wcs/internal/wcstest"
	"gokist/runtime/wcs/wcsunit"
)

// TestReprMatchesAstropy compares Quantity and SpectralCoord reprs with astropy's for
// values across numpy's fixed/scientific switch points and random ones.
func TestReprMatchesAstropy(t *testing.T) {
	vals := []float64{500, 630.2051000000001, 5e-7, 3.67394039e-18, -0.03, 198.4197498042653, 123456789, 1e-4, 9.99e-5, 0, 99999999.9, 1.5e8, 12.3456789012, -397.6359192006049, 6302.494}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 40; i++ {
		vals = append(vals, (rng.Float64()-0.5)*math.Pow(10, float64(rng.Intn(20)-10)))
	}
	var pairs [][2]string
	wcstest.RunPython(t, `
import sys, json
import astropy.units as u
from astropy.coordinates import SpectralCoord
vals = json.load(sys.stdin)
print(json.dumps([[repr(u.Quantity(v, u.arcsec)), repr(SpectralCoord(v, u.nm))] for v in vals]))
`, vals, &pairs)
	for i, v := range vals {
		if got := (&Quantity{Value: v, Unit: "arcsec"}).MimeBundle()["text/plain"]; got != pairs[i][0] {
			t.Errorf("Quantity(%v): %q, astropy %q", v, got, pairs[i][0])
		}
		if got := (&SpectralCoord{Value: v, Unit: "nm"}).MimeBundle()["text/plain"]; got != pairs[i][1] {
			t.Errorf("SpectralCoord(%v): %q, astropy %q", v, got, pairs[i][1])
		}
	}
}

// TestUnitConversions checks conversions worked out by hand.
func TestUnitConversions(t *testing.T) {
	for _, c := range []struct {
		v        float64
		from, to string
		want     float64
	}{
		{630.2494, "nm", "Angstrom", 6302.494},
		{630.2494, "nm", "m", 6.302494e-7},
		{630.2494, "nm", "um", 0.6302494},
		{6302.494, "Angstrom", "nm", 630.2494},
		{1, "deg", "arcsec", 3600},
		{1, "arcmin", "arcsec", 60},
		{math.Pi, "rad", "deg", 180},
		{1, "rad", "arcsec", 648000 / math.Pi},
		{7200, "arcsec", "deg", 2},
		{90, "s", "min", 1.5},
		{5e-7, "m", "nm", 500},
	} {
		q, err := (&Quantity{Value: c.v, Unit: c.from}).To(c.to)
		if err != nil {
			t.Errorf("%v %s → %s: %v", c.v, c.from, c.to, err)
			continue
		}
		if math.Abs(q.Value-c.want) > 1e-12*math.Abs(c.want) || q.Unit != wcsunit.Canonical(c.to) {
			t.Errorf("%v %s → %s = %v %s, want %v", c.v, c.from, c.to, q.Value, q.Unit, c.want)
		}
	}
	_, err := (&SpectralCoord{Value: 630, Unit: "nm"}).To("arcsec")
	var oe *obj.Error
	if !errors.As(err, &oe) || oe.Class != obj.ValueError || !strings.Contains(oe.Msg, "Angstrom, cm, km, m, mm, nm, pm, um") {
		t.Errorf("nm → arcsec: %v", err)
	}
	if _, err := (&Quantity{Value: 1, Unit: "arcsec"}).To("parsec"); err == nil || !strings.Contains(err.Error(), "arcmin") {
		t.Errorf("arcsec → parsec: %v", err)
	}
}

func member(t *testing.T, o obj.Object, name string, args ...any) any {
	t.Helper()
	m := o.Type().Member(name)
	if m == nil {
		t.Fatalf("%s has no member %s", o.Type().Name, name)
	}
	if m.Doc == "" || m.Signature == "" {
		t.Errorf("%s.%s lacks a doc or signature", o.Type().Name, name)
	}
	var v any
	var err error
	if m.Get != nil {
		v, err = m.Get(nil, o)
	} else {
		v, err = m.Call(nil, o, obj.Args{Pos: args})
	}
	if err != nil {
		t.Fatalf("%s.%s: %v", o.Type().Name, name, err)
	}
	return v
}

func TestValueMembers(t *testing.T) {
	sc := &SpectralCoord{Value: 630.2494, Unit: "nm"}
	if got := sc.MimeBundle()["text/plain"]; got != "<SpectralCoord 630.2494 nm>" {
		t.Errorf("repr %q", got)
	}
	a := member(t, sc, "to", "Angstrom").(*SpectralCoord)
	if math.Abs(a.Value-6302.494) > 1e-9 || member(t, a, "unit") != "Angstrom" {
		t.Errorf("to Angstrom: %+v", a)
	}
	if member(t, sc, "value") != 630.2494 {
		t.Error("value")
	}
	sky := &SkyCoord{Lon: 198.42, Lat: -397.64, Unit: "arcsec", Frame: "helioprojective", Obstime: time.Date(2022, 10, 24, 19, 47, 33, 351e6, time.UTC), RsunKm: 695700}
	tx := member(t, sky, "Tx").(*Quantity)
	ty := member(t, sky, "Ty").(*Quantity)
	if tx.Value != 198.42 || ty.Value != -397.64 || tx.Unit != "arcsec" {
		t.Errorf("Tx, Ty = %+v %+v", tx, ty)
	}
	if d := member(t, tx, "to", "deg").(*Quantity); math.Abs(d.Value-198.42/3600) > 1e-15 {
		t.Errorf("Tx in deg %v", d.Value)
	}
	if got := sky.MimeBundle()["text/plain"]; got != "<SkyCoord (Helioprojective: obstime=2022-10-24T19:47:33.351, rsun=695700.0 km, observer=None): (Tx, Ty) in arcsec\n    (198.42, -397.64)>" {
		t.Errorf("SkyCoord repr %q", got)
	}
	if _, err := sky.Type().Member("ra").Get(nil, sky); err == nil {
		t.Error("helioprojective .ra accepted")
	}
	tm := &Time{T: time.Date(2044, 3, 15, 8, 22, 54, 721377000, time.UTC)}
	if member(t, tm, "value") != "2044-03-15T08:22:54.721" || member(t, tm, "isot") != "2044-03-15T08:22:54.721" {
		t.Error("Time value")
	}
	// 2044-03-15T00:00 UTC is MJD 67539 (2000-01-01 is MJD 51544; 16000 days + 44 years
	// and 74 days later: 11 leap days in 2000..2043 → 44·365+11+74 = 16145).
	if mjd := member(t, tm, "mjd").(float64); math.Abs(mjd-(51544+16145+(8*3600+22*60+54.721377)/86400)) > 1e-9 {
		t.Errorf("mjd %v", mjd)
	}
	st := &StokesCoord{Value: 4}
	if member(t, st, "symbol") != "V" || st.MimeBundle()["text/plain"] != "<StokesCoord 'V'>" {
		t.Error("Stokes V")
	}
	if (&StokesCoord{Value: 2.5}).Symbol() != "?" {
		t.Error("Stokes 2.5 has a symbol")
	}
	if _, err := sc.Type().Member("to").Call(nil, sc, obj.Args{Pos: []any{3}}); err == nil {
		t.Error("to(3) accepted")
	}
}

func TestWCSMembers(t *testing.T) {
	w, err := New(gridLayout(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"pixel_to_world", "world_to_pixel", "world_axis_names", "pixel_axis_names", "world_axis_units", "world_axis_physical_types", "pixel_n_dim", "world_n_dim", "axis_correlation_matrix"} {
		if m := w.Type().Member(name); m == nil || m.Doc == "" || m.Signature == "" {
			t.Errorf("member %s missing or undocumented", name)
		}
	}
	if member(t, w, "pixel_n_dim") != 4 || member(t, w, "world_n_dim") != 5 {
		t.Error("n_dim")
	}
	res := member(t, w, "pixel_to_world", 0, 0, 0, 0).(obj.Tuple)
	back := member(t, w, "world_to_pixel", res...).(obj.Tuple)
	for i, p := range back {
		if math.Abs(p.(float64)) > 1e-6 {
			t.Errorf("world_to_pixel(pixel_to_world(0,0,0,0))[%d] = %v", i, p)
		}
	}
	if _, err := w.Type().Member("pixel_to_world").Call(nil, w, obj.Args{Pos: []any{0, 0, "x", 0}}); err == nil {
		t.Error("a string pixel accepted")
	}
	txt := w.MimeBundle()["text/plain"].(string)
	for _, s := range []string{"helioprojective longitude", "phys.polarization.stokes", "spatial along slit", "Correlation"} {
		if !strings.Contains(txt, s) {
			t.Errorf("repr lacks %q:\n%s", s, txt)
		}
	}
}
