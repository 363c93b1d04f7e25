package fitswcs

import (
	"strconv"
	"strings"
	"testing"

	"gokist/runtime/wcs/internal/wcstest"
)

// FuzzParseFile feeds header cards ("KEY = value" lines) to ParseFile and, when they
// parse, converts a pixel both ways: nothing may panic.
func FuzzParseFile(f *testing.F) {
	var b strings.Builder
	for _, c := range wcstest.VISPLike(10, 10) {
		b.WriteString(c[0].(string) + " = ")
		switch v := c[1].(type) {
		case string:
			b.WriteString("'" + v + "'")
		case int64:
			b.WriteString(strconv.FormatInt(v, 10))
		case float64:
			b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
		}
		b.WriteString("\n")
	}
	f.Add(b.String())
	f.Add("NAXIS = 2\nCTYPE1 = 'RA---TAN'\nCTYPE2 = 'DEC--TAN'\nCRVAL2 = 90.0\n")
	f.Add("WCSAXES = 1\nCDELT1 = 0\n")
	f.Add("NAXIS = 2\nCD1_1 = 1e-300\nCD2_2 = 1e300\n")
	f.Fuzz(func(t *testing.T, text string) {
		var lines []string
		for _, l := range strings.Split(text, "\n") {
			k, v, ok := strings.Cut(l, "=")
			if !ok {
				continue
			}
			lines = append(lines, padKey(strings.TrimSpace(k))+"= "+strings.TrimSpace(v))
		}
		h := wcstest.ParseCards(lines)
		w, err := ParseFile(h)
		if err != nil {
			return
		}
		pix := make([]float64, w.NAxis)
		for i := range pix {
			pix[i] = float64(i) * 1.5
		}
		world, err := w.PixelToWorld(pix)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.WorldToPixel(world)
	})
}

func padKey(k string) string {
	if len(k) >= 8 {
		return k[:8]
	}
	return k + strings.Repeat(" ", 8-len(k))
}
