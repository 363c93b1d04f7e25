package wcs

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"gokist/obj"
	"gokist/runtime/wcs/internal/wcstest"
)

// TestTimeAfterAgainstAstropy checks reference + offset against astropy's
// `Time(ref) + s * u.s` (isot to the millisecond), leap seconds and astropy's date range
// included: where astropy raises, timeAfter must fail too.
func TestTimeAfterAgainstAstropy(t *testing.T) {
	refs := []string{"2022-10-24T19:00:01.200", "2016-12-31T23:59:59.500", "1975-03-01T00:00:00.000"}
	offsets := []float64{0, 1.5, 27, -1, 3600.25, 86400 * 365.25 * 10, 1e9, 1e10, 1e11, 1e12, 8.6e13,
		8.62e13, -1e9, -1.5e9, -1.7e9, -1.8e9, -2e9, -1e10, -2e11, -2.1e11, -2.2e11, 1e15, 1e18, -1e19}
	type job struct {
		Ref string    `json:"ref"`
		S   []float64 `json:"s"`
	}
	var jobs []job
	for _, r := range refs {
		jobs = append(jobs, job{r, offsets})
	}
	const script = `
import sys, json, warnings
warnings.simplefilter('ignore')
from astropy.time import Time
import astropy.units as u
out = []
for j in json.load(sys.stdin):
    t0 = Time(j['ref'], scale='utc')
    row = []
    for s in j['s']:
        try:
            row.append((t0 + s * u.s).isot)
        except Exception as e:
            row.append('ERROR ' + type(e).__name__)
    out.append(row)
print(json.dumps(out))
`
	var want [][]string
	wcstest.RunPython(t, script, jobs, &want)
	for i, r := range refs {
		ref, err := ParseISOTime(r)
		if err != nil {
			t.Fatal(err)
		}
		for k, s := range offsets {
			got, err := timeAfter(ref, s)
			w := want[i][k]
			switch {
			case strings.HasPrefix(w, "ERROR"):
				if err == nil {
					t.Errorf("%s + %g s = %s; astropy: %s", r, s, isot(got), w)
				}
			case err != nil:
				t.Errorf("%s + %g s: %v; astropy: %s", r, s, err, w)
			case isot(got) != w:
				t.Errorf("%s + %g s = %s; astropy %s", r, s, isot(got), w)
			default:
				if back := secondsAfter(ref, got); math.Abs(back-s) > 1e-3*math.Max(1, math.Abs(s)*1e-12) {
					t.Errorf("secondsAfter(%s, %s) = %v, want %v", r, isot(got), back, s)
				}
			}
		}
	}
	for _, s := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := timeAfter(time.Now(), s); err == nil {
			t.Errorf("timeAfter(now, %v) gave a time", s)
		}
	}
}

// TestHugePixels is QA's case: a pixel far outside the dataset must not give a silently
// wrong date (time.Duration saturating) or zeros from cancellation; a time outside
// astropy's range is a ValueError naming the axis and the pixel.
func TestHugePixels(t *testing.T) {
	w, err := New(gridLayout(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, pix := range [][]float64{{0, 0, 1e15, 0}, {0, 0, 1e18, 0}, {0, 0, -1e19, 0}, {0, 0, math.Inf(1), 0}, {1e20, 1e20, 1e20, 1e20}} {
		_, err := w.PixelToWorld(pix...)
		var e *obj.Error
		if !errors.As(err, &e) || e.Class != obj.ValueError || !strings.Contains(e.Msg, "(time)") || !strings.Contains(e.Msg, formatArg(pix[2])) {
			t.Errorf("pixel_to_world%v: %v, want a ValueError naming the time axis and the pixel", pix, err)
		}
	}
	// Raster steps are 3 s apart: pixel r is 3r s after the first file, also far outside
	// the grid (1e7 steps is about a year).
	for _, r := range []float64{-2, 7.5, 1e7, 1e9} {
		vals, err := w.PixelToWorld(0, 0, r, 0)
		if err != nil {
			t.Fatalf("raster %g: %v", r, err)
		}
		want, _ := timeAfter(gridT0, 3*r)
		if got := vals[2].(*Time).T; !got.Equal(want) {
			t.Errorf("raster %g: time %s, want %s", r, isot(got), isot(want))
		}
	}
	// Wavelength is the same in every file: any Stokes/raster pixel, however far out,
	// keeps the value of pixel (0, 2, 0, 0); world longitude extrapolates linearly.
	base, err := w.PixelToWorldValues(0, 2, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	one, _ := w.PixelToWorldValues(0, 2, 1, 0)
	for _, p := range []float64{1e20, -1e19} {
		vals, err := w.PixelToWorldValues(0, 2, 0, p)
		if err != nil {
			t.Fatal(err)
		}
		if vals[1] != base[1] {
			t.Errorf("stokes pixel %g: wavelength %v, want %v", p, vals[1], base[1])
		}
		if vals[0] != base[0] || vals[2] != base[2] {
			t.Errorf("stokes pixel %g: (lat, lon) = (%v, %v), want (%v, %v)", p, vals[0], vals[2], base[0], base[2])
		}
	}
	far, _ := w.PixelToWorldValues(0, 2, 1e6, 0)
	if want := base[2] + 1e6*(one[2]-base[2]); math.Abs(far[2]-want) > 1e-6*math.Abs(want) {
		t.Errorf("raster 1e6: longitude %v, want %v", far[2], want)
	}
	vals, err := w.PixelToWorldValues(0, 2, math.NaN(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(vals[2]) || vals[1] != base[1] {
		t.Errorf("raster NaN: lon %v (want NaN), wavelength %v (want %v)", vals[2], vals[1], base[1])
	}
}

// ulps is how many float64 steps apart a and b are (near a).
func ulps(a, b float64) float64 {
	step := math.Nextafter(math.Abs(a), math.Inf(1)) - math.Abs(a)
	return math.Abs(a-b) / step
}

// TestTimeNumbersAgainstAstropy compares .jd, .mjd and .unix with astropy for times
// parsed from isot (exact, as astropy keeps the day and its fraction apart) and for times
// computed from offsets (within a few ulps: astropy adds the offset to its two parts).
func TestTimeNumbersAgainstAstropy(t *testing.T) {
	isots := []string{"2022-10-24T19:00:01.200", "2044-03-15T08:22:54.721", "2000-01-01T12:00:00.000",
		"1999-12-31T23:59:59.999", "2022-10-24T06:00:00.000", "1850-06-01T00:00:00.001", "2022-10-24T18:00:00.000"}
	type job struct {
		Isot string  `json:"isot"`
		Add  float64 `json:"add"`
	}
	var jobs []job
	for _, s := range isots {
		jobs = append(jobs, job{s, 0})
	}
	for _, s := range []float64{1.5, 1e7, 1e12, -1e10} {
		jobs = append(jobs, job{isots[0], s})
	}
	const script = `
import sys, json, warnings
warnings.simplefilter('ignore')
from astropy.time import Time
import astropy.units as u
out = []
for j in json.load(sys.stdin):
    t = Time(j['isot'], scale='utc')
    if j['add']:
        t = t + j['add'] * u.s
    out.append([t.jd, t.mjd, t.unix, t.isot])
print(json.dumps(out))
`
	var want [][4]any
	wcstest.RunPython(t, script, jobs, &want)
	for i, j := range jobs {
		ref, err := ParseISOTime(j.Isot)
		if err != nil {
			t.Fatal(err)
		}
		tm := &Time{T: ref}
		if j.Add != 0 {
			at, err := timeAfter(ref, j.Add)
			if err != nil {
				t.Fatal(err)
			}
			tm = &Time{T: at}
		}
		if isot(tm.T) != want[i][3].(string) {
			t.Errorf("%s + %g s: %s, astropy %s", j.Isot, j.Add, isot(tm.T), want[i][3])
		}
		maxUlps := 0.0
		if j.Add != 0 {
			maxUlps = 4
		}
		for k, got := range []float64{tm.julianDate(), tm.mjd()} {
			w := want[i][k].(float64)
			if u := ulps(w, got); u > maxUlps {
				t.Errorf("%s + %g s: %s = %v, astropy %v (%g ulps)", j.Isot, j.Add, []string{"jd", "mjd"}[k], got, w, u)
			}
		}
		// astropy's unix comes from jd1/jd2, so it may be a few ulps off the exact value.
		if w := want[i][2].(float64); math.Abs(tm.unix()-w) > 1e-6 {
			t.Errorf("%s + %g s: unix = %v, astropy %v", j.Isot, j.Add, tm.unix(), w)
		}
	}
}
