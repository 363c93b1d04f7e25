package draw

import (
	"testing"

	"gokist/runtime/plot/colors"
)

// FuzzParseFormat checks that any fmt string either parses into parts ParseLineStyle,
// CheckMarker and ParseColor accept, or is an error, and never panics.
func FuzzParseFormat(f *testing.F) {
	for _, s := range []string{"r--", "o", "k:", "C1.-", "-.g", "bs-", "", "rr", "--:", "C", "C9", "x-.m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spec, err := ParseFormat(s)
		if err != nil {
			return
		}
		if spec.LineStyle != "" {
			if _, err := ParseLineStyle(spec.LineStyle); err != nil {
				t.Errorf("ParseFormat(%q) gave line style %q that ParseLineStyle rejects", s, spec.LineStyle)
			}
		}
		if err := CheckMarker(spec.Marker); err != nil {
			t.Errorf("ParseFormat(%q) gave marker %q that CheckMarker rejects", s, spec.Marker)
		}
		if spec.Color != "" {
			if _, err := colors.ParseColor(spec.Color); err != nil {
				t.Errorf("ParseFormat(%q) gave colour %q that ParseColor rejects", s, spec.Color)
			}
		}
	})
}

// FuzzParseColor checks that colour parsing never panics.
func FuzzParseColor(f *testing.F) {
	for _, s := range []string{"red", "#1f77b4", "#abc", "#11223344", "0.5", "C3", "tab:blue", "", "#", "1.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		colors.ParseColor(s)
	})
}
