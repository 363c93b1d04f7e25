package wcs

import (
	"fmt"
	"gokist/internal/pyref"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// card is one header keyword with its value (string, int64, float64 or bool).
type card struct {
	Key   string
	Value any
}

// testHeader is an ordered FITS header for tests; it satisfies HeaderReader.
type testHeader []card

func (h testHeader) get(key string) (any, bool) {
	for _, c := range h {
		if c.Key == key {
			return c.Value, true
		}
	}
	return nil, false
}

func (h testHeader) String(key string) (string, bool) {
	v, ok := h.get(key)
	s, isStr := v.(string)
	return s, ok && isStr
}

func (h testHeader) Int(key string) (int64, bool) {
	v, ok := h.get(key)
	i, isInt := v.(int64)
	return i, ok && isInt
}

func (h testHeader) Float(key string) (float64, bool) {
	v, ok := h.get(key)
	switch x := v.(type) {
	case float64:
		return x, ok
	case int64:
		return float64(x), ok
	}
	return 0, false
}

// set replaces or appends a card.
func (h testHeader) set(key string, v any) testHeader {
	out := append(testHeader(nil), h...)
	for i, c := range out {
		if c.Key == key {
			out[i].Value = v
			return out
		}
	}
	return append(out, card{key, v})
}

// parseCards reads FITS header cards (80-column or one per line); test-only, enough for
// the DKIST headers in shared/data: strings with ” and CONTINUE, logicals, numbers.
func parseCards(lines []string) testHeader {
	var h testHeader
	for _, line := range lines {
		if len(line) < 8 {
			continue
		}
		key := strings.TrimSpace(line[:8])
		if key == "END" {
			break
		}
		if key == "CONTINUE" && len(h) > 0 {
			prev, ok := h[len(h)-1].Value.(string)
			if ok && strings.HasSuffix(prev, "&") {
				s, _ := parseCardValue(strings.TrimSpace(line[8:]))
				if str, ok := s.(string); ok {
					h[len(h)-1].Value = strings.TrimSuffix(prev, "&") + str
				}
			}
			continue
		}
		if len(line) < 10 || line[8:10] != "= " {
			continue
		}
		v, ok := parseCardValue(strings.TrimSpace(line[10:]))
		if ok {
			h = append(h, card{key, v})
		}
	}
	return h
}

func parseCardValue(s string) (any, bool) {
	if strings.HasPrefix(s, "'") {
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					b.WriteByte('\'')
					i++
					continue
				}
				break
			}
			b.WriteByte(s[i])
		}
		return strings.TrimRight(b.String(), " "), true
	}
	if i := strings.Index(s, "/"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	switch s {
	case "T":
		return true, true
	case "F":
		return false, true
	case "":
		return nil, false
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i, true
	}
	if f, err := strconv.ParseFloat(strings.ReplaceAll(s, "D", "E"), 64); err == nil {
		return f, true
	}
	return nil, false
}

// readTextHeader reads a header stored as text cards, one per line.
func readTextHeader(t testing.TB, path string) testHeader {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return parseCards(strings.Split(string(b), "\n"))
}

// readFITSHeader reads the primary header of a FITS file (test-only).
func readFITSHeader(t testing.TB, path string) testHeader {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i := 0; i+80 <= len(b); i += 80 {
		l := string(b[i : i+80])
		lines = append(lines, l)
		if strings.HasPrefix(l, "END     ") || strings.TrimSpace(l) == "END" {
			break
		}
	}
	return parseCards(lines)
}

// runPython runs script with input as JSON on stdin and decodes its JSON stdout into out.
func runPython(t testing.TB, script string, input, out any) {
	t.Helper()
	pyref.RunJSON(t, script, input, out)
}

// astropyJob asks astropy.wcs for world values at 0-based pixels of one header (given
// as cards, or a text header file). Results are converted back to the header's CUNITs.
type astropyJob struct {
	Header [][2]any    `json:"header,omitempty"`
	File   string      `json:"file,omitempty"`
	FITS   string      `json:"fits,omitempty"`
	Pix    [][]float64 `json:"pix"`
}

const astropyScript = `
import sys, json, warnings
warnings.simplefilter('ignore')
import numpy as np
from astropy.io import fits
from astropy.wcs import WCS
import astropy.units as u
jobs = json.load(sys.stdin)
out = []
for j in jobs:
    if j.get('fits'):
        h = fits.getheader(j['fits'])
    elif j.get('file'):
        h = fits.Header.fromfile(j['file'], sep='\n', endcard=False, padding=False)
    else:
        h = fits.Header()
        for k, v in j['header']:
            h[k] = v
    w = WCS(h)
    n = w.wcs.naxis
    orig = [str(h.get('CUNIT%d' % (i + 1), '')).strip() for i in range(n)]
    world = w.all_pix2world(np.array(j['pix'], dtype=float).reshape(-1, n), 0)
    for i in range(n):
        cu = str(w.wcs.cunit[i])
        if orig[i] and cu and orig[i] != cu:
            world[:, i] *= u.Unit(cu).to(u.Unit(orig[i]))
    out.append(world.tolist())
print(json.dumps(out))
`

func astropyWorld(t testing.TB, jobs []astropyJob) [][][]float64 {
	t.Helper()
	var out [][][]float64
	runPython(t, astropyScript, jobs, &out)
	return out
}

func headerPairs(h testHeader) [][2]any {
	out := make([][2]any, len(h))
	for i, c := range h {
		out[i] = [2]any{c.Key, c.Value}
	}
	return out
}

// closeTo reports whether got matches want to rel relative (absolute near zero), with
// longitudes compared modulo period when period > 0.
func closeTo(got, want, rel, period float64) bool {
	d := got - want
	if period > 0 {
		d = math.Remainder(d, period)
	}
	return math.Abs(d) <= rel*math.Max(1, math.Abs(want))
}

func fmtVec(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatFloat(x, 'g', 15, 64)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

var _ = fmt.Sprint
