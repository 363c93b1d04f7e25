package wcs

// astropy.wcs: WCS(header) of one FITS header, as astropy.wcs.WCS with wcslib's unit
// normalisation (celestial axes in degrees, spectral ones in SI). The transformation is
// runtime/wcs's FileWCS, the one the dataset loader builds from each file: this file only
// reads the header forms a cell has (fits.Header, a dict, header text), converts units
// as wcslib's wcsset does, and presents astropy's members and reprs.

import (
	"fmt"
	"gokist/runtime/astropy/iofits"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gokist/fits"
	"gokist/obj"
	"gokist/runtime/wcs"
)

// HeaderWCS is astropy.wcs.WCS built from one header.
type HeaderWCS struct {
	fw    *wcs.FileWCS
	hdr   *fits.Header // the header with units normalised, as wcslib holds it
	shape []int        // NAXISi in FITS order; nil when the header has none
	names []string     // CNAMEi ("" when absent)
	units []string     // world units after normalisation
	alt   string
}

// wcsKeyRoots are the indexed keywords whose highest index counts as an axis, as
// wcslib's header parser takes the number of axes when WCSAXES is absent.
var wcsKeyRoots = []string{"CTYPE", "CUNIT", "CRPIX", "CRVAL", "CDELT", "CNAME", "CROTA"}

// headerAxisCount is WCSAXES, else the larger of NAXIS and the highest axis index of
// any WCS keyword.
func headerAxisCount(h *fits.Header) int {
	if v, ok := h.Int("WCSAXES"); ok {
		return int(v)
	}
	n := 0
	if v, ok := h.Int("NAXIS"); ok {
		n = int(v)
	}
	for _, c := range h.Cards() {
		k := c.Key
		for _, root := range wcsKeyRoots {
			if i, err := strconv.Atoi(strings.TrimPrefix(k, root)); err == nil && strings.HasPrefix(k, root) && i > n && i <= 99 {
				n = i
			}
		}
		for _, root := range []string{"PC", "CD"} {
			if a, b, ok := strings.Cut(strings.TrimPrefix(k, root), "_"); ok && strings.HasPrefix(k, root) {
				i, e1 := strconv.Atoi(a)
				j, e2 := strconv.Atoi(b)
				if e1 == nil && e2 == nil && i <= 99 && j <= 99 {
					n = max(n, i, j)
				}
			}
		}
	}
	return n
}

// NewHeaderWCS builds WCS(header): the axes, wcslib's units, then runtime/wcs's
// transformation on the normalised header.
func NewHeaderWCS(h *fits.Header) (*HeaderWCS, error) {
	n := headerAxisCount(h)
	if n < 0 || n > 32 {
		return nil, obj.Errorf(obj.ValueError, "WCS(header): %d axes (WCSAXES or NAXIS); gokist's WCS takes 1 to 32", n)
	}
	if n == 0 {
		// astropy makes a WCS of no axes from a header without any; gokist has no use for
		// one and says what is missing instead.
		return nil, obj.Errorf(obj.ValueError, "WCS(header): the header has no WCS keywords (WCSAXES, NAXIS, CTYPE1, ...)")
	}
	norm := h.Clone()
	norm.Set("WCSAXES", n, "")
	w := &HeaderWCS{hdr: norm, names: make([]string, n), units: make([]string, n)}
	if err := w.normaliseUnits(n); err != nil {
		return nil, err
	}
	if err := checkAxisTypes(norm, n); err != nil {
		return nil, err
	}
	fw, err := wcs.ParseFile(norm)
	if err != nil {
		return nil, headerWCSError(err)
	}
	w.fw = fw
	for i := range n {
		w.names[i], _ = h.String(fmt.Sprintf("CNAME%d", i+1))
		w.names[i] = strings.TrimSpace(w.names[i])
	}
	w.shape = headerShape(h, n)
	return w, nil
}

// normaliseUnits rewrites CUNITi, CRVALi, CDELTi and CDi_j of axes whose unit wcslib
// converts (arcsec → deg, nm → m), multiplying as wcslib does.
func (w *HeaderWCS) normaliseUnits(n int) error {
	h := w.hdr
	for i := 1; i <= n; i++ {
		ctype, _ := h.String(fmt.Sprintf("CTYPE%d", i))
		cunit, _ := h.String(fmt.Sprintf("CUNIT%d", i))
		unit, f, ok := wcs.WCSLibUnit(strings.TrimSpace(ctype), strings.TrimSpace(cunit))
		if !ok {
			return obj.Errorf("InvalidTransformError", "ERROR 6 in wcsset(): CUNIT%d = '%s' is not a unit of CTYPE%d = '%s'", i, strings.TrimSpace(cunit), i, strings.TrimSpace(ctype))
		}
		w.units[i-1] = unit
		if cunit != "" || unit != "" {
			h.Set(fmt.Sprintf("CUNIT%d", i), unit, "")
		}
		if f == 1 {
			continue
		}
		scale := func(key string) {
			if v, ok := headerNumber(h, key); ok {
				h.Set(key, v*f, "")
			}
		}
		scale(fmt.Sprintf("CRVAL%d", i))
		scale(fmt.Sprintf("CDELT%d", i))
		for j := 1; j <= n; j++ {
			scale(fmt.Sprintf("CD%d_%d", i, j))
		}
	}
	return nil
}

func headerNumber(h *fits.Header, key string) (float64, bool) {
	if v, ok := h.Float(key); ok {
		return v, true
	}
	if v, ok := h.Int(key); ok {
		return float64(v), true
	}
	return 0, false
}

// headerShape is NAXIS1..NAXISn when the header has NAXISi keywords, else nil (astropy's
// pixel_shape None).
func headerShape(h *fits.Header, n int) []int {
	var shape []int
	found := false
	for i := 1; i <= n; i++ {
		v, ok := h.Int(fmt.Sprintf("NAXIS%d", i))
		found = found || ok
		shape = append(shape, int(v))
	}
	if !found || !slices.ContainsFunc(shape, func(n int) bool { return n != 0 }) {
		return nil // astropy's pixel_shape is None when every NAXISi is 0
	}
	return shape
}

// headerWCSError turns runtime/wcs's header errors into astropy's classes and messages
// where wcslib has them.
func headerWCSError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "wcs: ")
	switch {
	case strings.Contains(msg, "has no matching celestial axis"):
		return obj.Errorf("InconsistentAxisTypesError", "ERROR 4 in wcs_types(): Unmatched celestial axes (%s)", msg)
	case strings.Contains(msg, "two celestial"):
		return obj.Errorf("InconsistentAxisTypesError", "ERROR 4 in wcs_types(): Multiple celestial axes of one type (%s)", msg)
	case strings.Contains(msg, "is singular"):
		return obj.Errorf("SingularMatrixError", "ERROR 3 in wcsset(): Linear transformation matrix is singular (%s)", msg)
	case strings.Contains(msg, "is not supported"):
		return obj.Errorf("NotImplementedError", "WCS(header): %s; gokist's astropy.wcs has the TAN projection and linear axes", msg)
	}
	return obj.Errorf(obj.ValueError, "WCS(header): %s", msg)
}

// headerFromDict builds a header from a dict of keyword → value, keywords upper-cased and
// in sorted order (a dict's order does not matter to a WCS).
func headerFromDict(m map[string]any) (*fits.Header, error) {
	h := fits.NewHeader()
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := m[k]
		switch x := v.(type) {
		case string, int, float64, bool:
		case float32:
			v = float64(x)
		default:
			return nil, obj.Errorf(obj.ValueError, "Illegal value for keyword %s: %s (a header value is a string, number or bool)", strings.ToUpper(k), obj.TypeName(v))
		}
		h.Set(strings.ToUpper(k), v, "")
	}
	return h, nil
}

// wcsHeaderText parses WCS()'s header text: 80-column cards, with or without newlines,
// END optional.
func wcsHeaderText(s string) (*fits.Header, error) {
	var lines []string
	if strings.Contains(s, "\n") {
		lines = strings.Split(s, "\n")
	} else {
		for i := 0; i < len(s); i += fits.CardLen {
			lines = append(lines, s[i:min(i+fits.CardLen, len(s))])
		}
	}
	var b strings.Builder
	for _, l := range lines {
		l = strings.TrimRight(l, "\r")
		if strings.TrimSpace(l) == "" {
			continue
		}
		b.WriteString(l + "\n")
	}
	h, err := fits.ParseHeaderText(strings.NewReader(b.String()))
	if err != nil {
		return nil, obj.Errorf(obj.ValueError, "WCS(header): the header text does not parse: %v", err)
	}
	return h, nil
}

// wcsHeaderArg reads WCS()'s header argument: a fits.Header, VISP_HEADER, a dict or
// header text.
func wcsHeaderArg(v any) (*fits.Header, error) {
	switch x := v.(type) {
	case *iofits.FITSHeader:
		return x.Header, nil
	case map[string]any:
		return headerFromDict(x)
	case string:
		return wcsHeaderText(x)
	case nil:
		return nil, obj.Errorf("NotImplementedError", "WCS() without a header: gokist's astropy.wcs builds a WCS from a header (a fits.Header, a dict or header text)")
	}
	return nil, obj.Errorf(obj.TypeError, "WCS(header): header must be a fits.Header, a dict or a header string, not %s", obj.TypeName(v))
}

// celestialPartner maps each celestial CTYPE prefix to its partner's.
var celestialPartner = map[string]string{"RA--": "DEC-", "DEC-": "RA--", "GLON": "GLAT", "GLAT": "GLON", "ELON": "ELAT", "ELAT": "ELON",
	"HPLN": "HPLT", "HPLT": "HPLN", "HGLN": "HGLT", "HGLT": "HGLN", "CRLN": "CRLT", "CRLT": "CRLN", "SLON": "SLAT", "SLAT": "SLON"}

// checkAxisTypes gives wcslib's errors (as astropy 5.2 with Debian's wcslib words them)
// for celestial axes that do not pair and for a zero CDELT.
func checkAxisTypes(h *fits.Header, n int) error {
	expected, first := "", 0
	for i := 1; i <= n; i++ {
		ct, _ := h.String(fmt.Sprintf("CTYPE%d", i))
		ct = strings.TrimSpace(ct)
		if len(ct) < 4 {
			continue
		}
		partner, ok := celestialPartner[ct[:4]]
		if !ok {
			continue
		}
		switch {
		case first == 0:
			first, expected = i, partner+ct[4:]
		case ct != expected:
			return obj.Errorf("InconsistentAxisTypesError", "ERROR 4 in wcs_types() at line 3090 of file wcs.c:\nInconsistent projection types (expected %s, got %s in CTYPE%d).\n", expected, ct, i)
		default:
			first, expected = -1, ""
		}
	}
	if first > 0 {
		return obj.Errorf("InconsistentAxisTypesError", "ERROR 4 in wcs_types() at line 3105 of file wcs.c:\nUnmatched celestial axes.\n")
	}
	for i := 1; i <= n; i++ {
		if v, ok := headerNumber(h, fmt.Sprintf("CDELT%d", i)); ok && v == 0 {
			if _, cd := headerNumber(h, "CD1_1"); !cd {
				return obj.Errorf("SingularMatrixError", "ERROR 3 in wcsset() at line 2775 of file wcs.c:\nLinear transformation matrix is singular.\nERROR 3 in linset() at line 674 of file lin.c:\nPCi_ja matrix is singular.\n")
			}
		}
	}
	return nil
}
