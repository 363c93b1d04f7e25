// Package wcstest holds what the tests of the wcs packages share: FITS headers as
// ordered cards (a HeaderReader), read from DKIST header text and FITS files, and
// astropy.wcs as the reference for world values (through internal/pyref).
package wcstest

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

// Card is one header keyword (a string) with its value (string, int64, float64 or
// bool): an array rather than a struct so that tests in other packages write cards as
// unkeyed literals.
type Card [2]any

// Header is an ordered FITS header for tests; it satisfies fitswcs.HeaderReader.
type Header []Card

func (h Header) get(key string) (any, bool) {
	for _, c := range h {
		if c[0] == key {
			return c[1], true
		}
	}
	return nil, false
}

// String gives a string card's value.
func (h Header) String(key string) (string, bool) {
	v, ok := h.get(key)
	s, isStr := v.(string)
	return s, ok && isStr
}

// Int gives an integer card's value.
func (h Header) Int(key string) (int64, bool) {
	v, ok := h.get(key)
	i, isInt := v.(int64)
	return i, ok && isInt
}

// Float gives a number card's value.
func (h Header) Float(key string) (float64, bool) {
	v, ok := h.get(key)
	switch x := v.(type) {
	case float64:
		return x, ok
	case int64:
		return float64(x), ok
	}
	return 0, false
}

// Set replaces or appends a Card.
func (h Header) Set(key string, v any) Header {
	out := append(Header(nil), h...)
	for i, c := range out {
		if c[0] == key {
			out[i][1] = v
			return out
		}
	}
	return append(out, Card{key, v})
}

// ParseCards reads FITS header cards (80-column or one per line); test-only, enough for
// the DKIST headers in shared/data: strings with ” and CONTINUE, logicals, numbers.
func ParseCards(lines []string) Header {
	var h Header
	for _, line := range lines {
		if len(line) < 8 {
			continue
		}
		key := strings.TrimSpace(line[:8])
		if key == "END" {
			break
		}
		if key == "CONTINUE" && len(h) > 0 {
			prev, ok := h[len(h)-1][1].(string)
			if ok && strings.HasSuffix(prev, "&") {
				s, _ := parseCardValue(strings.TrimSpace(line[8:]))
				if str, ok := s.(string); ok {
					h[len(h)-1][1] = strings.TrimSuffix(prev, "&") + str
				}
			}
			continue
		}
		if len(line) < 10 || line[8:10] != "= " {
			continue
		}
		v, ok := parseCardValue(strings.TrimSpace(line[10:]))
		if ok {
			h = append(h, Card{key, v})
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

// ReadTextHeader reads a header stored as text cards, one per line.
func ReadTextHeader(t testing.TB, path string) Header {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return ParseCards(strings.Split(string(b), "\n"))
}

// ReadFITSHeader reads the primary header of a FITS file (test-only).
func ReadFITSHeader(t testing.TB, path string) Header {
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
	return ParseCards(lines)
}

// RunPython runs script with input as JSON on stdin and decodes its JSON stdout into out.
func RunPython(t testing.TB, script string, input, out any) {
	t.Helper()
	pyref.RunJSON(t, script, input, out)
}

// AstropyJob asks astropy.wcs for world values at 0-based pixels of one header (given
// as cards, or a text header file). Results are converted back to the header's CUNITs.
type AstropyJob struct {
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

// AstropyWorld runs the jobs through astropy.wcs in one interpreter.
func AstropyWorld(t testing.TB, jobs []AstropyJob) [][][]float64 {
	t.Helper()
	var out [][][]float64
	RunPython(t, astropyScript, jobs, &out)
	return out
}

// HeaderPairs gives h as [key, value] pairs for an AstropyJob.
func HeaderPairs(h Header) [][2]any {
	out := make([][2]any, len(h))
	for i, c := range h {
		out[i] = c
	}
	return out
}

// CloseTo reports whether got matches want to rel relative (absolute near zero), with
// longitudes compared modulo period when period > 0.
func CloseTo(got, want, rel, period float64) bool {
	d := got - want
	if period > 0 {
		d = math.Remainder(d, period)
	}
	return math.Abs(d) <= rel*math.Max(1, math.Abs(want))
}

// FmtVec shows a vector with 15 significant digits, for failure messages.
func FmtVec(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatFloat(x, 'g', 15, 64)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

var _ = fmt.Sprint

// VISPLike is a VISP-like 3-axis header: HPLT-TAN along the slit, AWAV, HPLN-TAN along
// the raster (length 1 in the file), with a PC rotation of 3° between the spatial axes.
func VISPLike(nslit, nwave int) Header {
	th := 3 * math.Pi / 180
	c, s := math.Cos(th), math.Sin(th)
	return Header{
		{"NAXIS", int64(3)}, {"NAXIS1", int64(nslit)}, {"NAXIS2", int64(nwave)}, {"NAXIS3", int64(1)},
		{"CTYPE1", "HPLT-TAN"}, {"CTYPE2", "AWAV"}, {"CTYPE3", "HPLN-TAN"},
		{"CUNIT1", "arcsec"}, {"CUNIT2", "nm"}, {"CUNIT3", "arcsec"},
		{"CRPIX1", float64(nslit)/2 + 0.37}, {"CRPIX2", -23.0}, {"CRPIX3", 5.5},
		{"CRVAL1", 198.4197498042653}, {"CRVAL2", 630.2051}, {"CRVAL3", -397.6359192006049},
		{"CDELT1", 0.0298}, {"CDELT2", 0.00162511509639976}, {"CDELT3", 0.05341403857708656},
		{"PC1_1", c}, {"PC1_2", 0.0}, {"PC1_3", -s * 0.0534 / 0.0298},
		{"PC2_1", 0.0}, {"PC2_2", 1.0}, {"PC2_3", 0.0},
		{"PC3_1", s * 0.0298 / 0.0534}, {"PC3_2", 0.0}, {"PC3_3", c},
		{"LONPOLE", 180.0},
		{"DATE-AVG", "2022-10-24T19:47:33.351000"}, {"STOKES", "I"},
	}
}
