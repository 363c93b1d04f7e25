package wcs

import (
	"errors"
	"math"
	"testing"
	"time"

	"gokist/runtime/obj"
)

// TestPythonFloatFormat checks pyFloatRepr and pyFormatFloat against Python's repr and
// format for a grid of values and specs; a spec Python rejects must be rejected too.
func TestPythonFloatFormat(t *testing.T) {
	values := []float64{630.07065, -400.30995754123, 0, 5, 1e20, 1e-5, 123456789, 1e16, 9.9999e15, 0.5,
		2.5, 123, 12, 25, 1234567.891, -0.0001234, 0.00012345, 999999.5, 1e100}
	specs := []string{"", ".2f", ".3e", "10.2f", "g", ">20", "<12.1f", "^15.3g", "+.2f", " .2f", ".3g", "e", "E",
		"f", "F", "G", ",.2f", "_.1f", "012.3f", "=+12.2f", "*^20.4e", ".0f", ".0e", "#.0f", "#g", ".3", ".10", ".1", "%",
		".1%", "n", ".2d", "x", "10s", ".", "+-", "z.2f"}
	type job struct {
		V    []float64 `json:"v"`
		Spec []string  `json:"spec"`
	}
	const script = `
import sys, json
j = json.load(sys.stdin)
j['v'] = [float(v) for v in j['v']]  # JSON writes 5.0 as 5
out = {'repr': [repr(v) for v in j['v']], 'fmt': []}
for v in j['v']:
    row = []
    for s in j['spec']:
        try:
            row.append(format(v, s))
        except ValueError as e:
            row.append('ValueError')
    out['fmt'].append(row)
print(json.dumps(out))
`
	var want struct {
		Repr []string   `json:"repr"`
		Fmt  [][]string `json:"fmt"`
	}
	runPython(t, script, job{values, specs}, &want)
	for i, v := range values {
		if got := pyFloatRepr(v); got != want.Repr[i] {
			t.Errorf("repr(%v) = %q, Python %q", v, got, want.Repr[i])
		}
		for k, spec := range specs {
			got, err := pyFormatFloat(v, spec)
			w := want.Fmt[i][k]
			var e *obj.Error
			switch {
			case w == "ValueError":
				if err == nil || !errors.As(err, &e) || e.Class != obj.ValueError {
					t.Errorf("format(%v, %q) = %q, %v; Python raises ValueError", v, spec, got, err)
				}
			case err != nil:
				t.Errorf("format(%v, %q): %v; Python %q", v, spec, err, w)
			case got != w:
				t.Errorf("format(%v, %q) = %q; Python %q", v, spec, got, w)
			}
		}
	}
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		got, _ := pyFormatFloat(v, ".2f")
		if w := map[bool]string{true: "nan", false: map[bool]string{true: "inf", false: "-inf"}[v > 0]}[math.IsNaN(v)]; got != w {
			t.Errorf("format(%v, '.2f') = %q, want %q", v, got, w)
		}
	}
}

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
	runPython(t, script, map[string]any{"v": values, "spec": specs}, &want)
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

// FuzzFormatSpec: any spec on any float gives a string or an obj.Error, never a panic,
// and a width is honoured.
func FuzzFormatSpec(f *testing.F) {
	f.Add(630.07065, ".2f")
	f.Add(-400.3, "*^+#020,.3e")
	f.Add(math.Inf(-1), "z.1%")
	f.Add(1e300, "é>50.400g")
	f.Fuzz(func(t *testing.T, v float64, spec string) {
		s, err := pyFormatFloat(v, spec)
		if err != nil {
			var e *obj.Error
			if !errors.As(err, &e) {
				t.Fatalf("format(%v, %q): %T %v", v, spec, err, err)
			}
			return
		}
		if p, _ := parseFloatSpec(spec); spec != "" && len([]rune(s)) < p.width {
			t.Fatalf("format(%v, %q) = %q, narrower than %d", v, spec, s, p.width)
		}
	})
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
