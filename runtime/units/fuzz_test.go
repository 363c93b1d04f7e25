package units

import (
	"math"
	"strings"
	"testing"
)

// FuzzParse checks that no unit string panics the parser or the printer, and that
// what parses prints as a string that parses to the same unit.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"km / s", "erg s-1 cm-2", "m(1/2)", "10**-7 J", "(((m)))", "m**", "1 / s", "%", "m^2.5", "W / m2 sr", strings.Repeat("(", 200) + "m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := Parse(s)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Parse(%q): error %T %v, want *Error", s, err, err)
			}
			return
		}
		if math.IsInf(u.Scale, 0) || math.IsNaN(u.Scale) || u.Scale == 0 {
			return // astropy prints "inf m" too, and does not parse it back
		}
		text := u.String()
		v, err := Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q) prints %q, which does not parse: %v", s, text, err)
		}
		if v.String() != text {
			t.Fatalf("Parse(%q) prints %q, which prints back as %q", s, text, v.String())
		}
		_, _ = u.SI()
		_ = u.PhysicalType()
	})
}
