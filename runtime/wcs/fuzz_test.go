package wcs

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"gokist/runtime/wcs/internal/wcstest"
)

// FuzzParseFile feeds header cards ("KEY = value" lines) to ParseFile and, when they
// parse, converts a pixel both ways: nothing may panic.
func FuzzParseFile(f *testing.F) {
	var b strings.Builder
	for _, c := range vispLike(10, 10) {
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

// FuzzFromASDF mutates the small-visp ASDF index and builds its gwcs: errors are fine,
// panics are not; a WCS that builds must evaluate a pixel.
func FuzzFromASDF(f *testing.F) {
	raw, err := os.ReadFile(smallVISP + "/test_visp.asdf")
	if err != nil {
		f.Fatal(err)
	}
	// Seed with the gwcs part of the tree plus the blocks, to keep inputs small.
	y := string(raw[:strings.Index(string(raw), "\xd3BLK")])
	head := y[:strings.Index(y, "dataset:")]
	wcsPart := y[strings.Index(y, "  wcs: "):]
	blocks := raw[len(y):]
	f.Add([]byte(head + "dataset:\n" + wcsPart + string(blocks)))
	f.Add([]byte("#ASDF 1.0.0\n%YAML 1.1\n---\nfoo: 1\n...\n"))
	f.Add([]byte("#ASDF 1.0.0\n%YAML 1.1\n---\nfoo: 1\n...\n\xd3BLK\x00\x30"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		a, err := parseASDF("fuzz.asdf", data)
		if err != nil {
			return
		}
		w, err := fromASDF(a, "fuzz.asdf", []int{3, 10, 25}, nil)
		if err != nil {
			return
		}
		if v, err := w.PixelToWorldValues(1, 2, 1); err == nil {
			_, _ = w.WorldToPixelValues(v)
		}
	})
}
