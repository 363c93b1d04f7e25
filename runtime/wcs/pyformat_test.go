package wcs

import (
	"errors"
	"math"
	"testing"
	"time"

	"gokist/obj"
	"gokist/runtime/wcs/internal/wcstest"
)

// TestAstropyStrAndFormat checks str() and format() of the value types against astropy's
// Quantity, SpectralCoord and Time (QA C3: print(w) gave the repr, f"{w:.2f}" failed).
func TestAstropyStrAndFormat(t *testing.T) {
	values := []float64{630.07065, -400.30995754123, 1e20, 5, 123456789}
	specs := []string{"", ".2f", "10.2f", ">20", ".3e", "g", "+.1f"}
	const script = `
import sys, json, warnings
warnings.simplefilter('ignore')
import astropy.units as u
from astropy.coordinates import SpectralCoord, SkyCoord
from astropy.time import Time
j = json.load(sys.stdin)
j['v'] = [float(v) for v in j['v']]  # JSON writes 5.0 as 5
out = {'q': [], 'w': [], 'time': [], 'sky': []}
for v in j['v']:
    q, w = v * u.arcsec, SpectralCoord(v, u.nm)
    out['q'].append([str(q)] + [format(q, s) for s in j['spec']])
    out['w'].append([str(w)] + [format(w, s) for s in j['spec']])
t = Time('2022-10-24T19:00:01.200')
out['time'] = [str(t), format(t, '')]
for s in ['.2f', '>30']:
    for x in [t, SkyCoord(1 * u.arcsec, 2 * u.arcsec)]:
        try:
            format(x, s)
            out['sky'].append('ok')
        except TypeError:
            out['sky'].append('TypeError')
print(json.dumps(out))
`
	var want struct {
		Q, W [][]string
		Time []string
		Sky  []string
	}
	wcstest.RunPython(t, script, map[string]any{"v": values, "spec": specs}, &want)
	for i, v := range values {
		q, w := &Quantity{Value: v, Unit: "arcsec"}, &SpectralCoord{Value: v, Unit: "nm"}
		if got := q.Str(); got != want.Q[i][0] {
			t.Errorf("str(Quantity %v) = %q, astropy %q", v, got, want.Q[i][0])
		}
		if got := w.Str(); got != want.W[i][0] {
			t.Errorf("str(SpectralCoord %v) = %q, astropy %q", v, got, want.W[i][0])
		}
		for k, spec := range specs {
			if got, err := q.FormatSpec(spec); err != nil || got != want.Q[i][k+1] {
				t.Errorf("format(Quantity %v, %q) = %q, %v; astropy %q", v, spec, got, err, want.Q[i][k+1])
			}
			if got, err := w.FormatSpec(spec); err != nil || got != want.W[i][k+1] {
				t.Errorf("format(SpectralCoord %v, %q) = %q, %v; astropy %q", v, spec, got, err, want.W[i][k+1])
			}
		}
	}
	tm := &Time{T: time.Date(2022, 10, 24, 19, 0, 1, 200e6, time.UTC)}
	if got, err := tm.FormatSpec(""); tm.Str() != want.Time[0] || err != nil || got != want.Time[1] {
		t.Errorf("str(Time) = %q, format(Time, '') = %q, %v; astropy %q, %q", tm.Str(), got, err, want.Time[0], want.Time[1])
	}
	sky := &SkyCoord{Lon: 1, Lat: 2, Unit: "arcsec", Frame: "helioprojective"}
	for i, spec := range []string{".2f", ".2f", ">30", ">30"} {
		var err error
		if i%2 == 0 {
			_, err = tm.FormatSpec(spec)
		} else {
			_, err = sky.FormatSpec(spec)
		}
		var e *obj.Error
		gotClass := "ok"
		if errors.As(err, &e) {
			gotClass = e.Class
		}
		if gotClass != want.Sky[i] {
			t.Errorf("format spec %q on value %d: %s, astropy %s", spec, i, gotClass, want.Sky[i])
		}
	}
	if sky.Str() != sky.MimeBundle()["text/plain"] {
		t.Errorf("str(SkyCoord) %q differs from its repr", sky.Str())
	}
}

// FuzzTimeAfter: an offset gives a time whose offset back is the same (to a
// microsecond per day of offset), or an out-of-range error; never a panic.
func FuzzTimeAfter(f *testing.F) {
	f.Add(1e15)
	f.Add(-2.1e11)
	f.Add(3.5)
	f.Fuzz(func(t *testing.T, s float64) {
		ref := time.Date(2022, 10, 24, 19, 0, 1, 200e6, time.UTC)
		got, err := timeAfter(ref, s)
		if err != nil {
			return
		}
		if back := secondsAfter(ref, got); math.Abs(back-s) > 1e-6*math.Max(1, math.Abs(s)/86400) {
			t.Fatalf("timeAfter(%v) = %s, back %v", s, isot(got), back)
		}
	})
}
