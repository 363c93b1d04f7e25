package wcs

import (
	"os"
	"strings"
	"testing"

	"gokist/runtime/wcs/asdf"
)

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
		a, err := asdf.Parse("fuzz.asdf", data)
		if err != nil {
			return
		}
		w, err := fromASDF(a, nil, "fuzz.asdf", []int{3, 10, 25}, nil)
		if err != nil {
			return
		}
		if v, err := w.PixelToWorldValues(1, 2, 1); err == nil {
			_, _ = w.WorldToPixelValues(v)
		}
	})
}
