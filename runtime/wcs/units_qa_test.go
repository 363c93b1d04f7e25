package wcs

import (
	"errors"
	"strings"
	"testing"

	"gokist/obj"
)

// Converting a wavelength to a time or an angle (sc.to("s")) is a ValueError that says why and
// lists the length units once (not again in the hint); an unknown unit says it is
// unknown.
func TestIncompatibleConversionListsUnitsOnce(t *testing.T) {
	for _, c := range []struct{ to, why string }{{"s", "not the same kind"}, {"arcsec", "not the same kind"}, {"furlongs", "unknown unit"}} {
		_, err := conversionFactor("nm", c.to)
		var oe *obj.Error
		if !errors.As(err, &oe) || oe.Class != obj.ValueError {
			t.Fatalf("nm → %s: %v", c.to, err)
		}
		if !strings.Contains(oe.Msg, c.why) || !strings.Contains(oe.Msg, c.to) {
			t.Errorf("nm → %s: message %q does not say %q", c.to, oe.Msg, c.why)
		}
		for _, u := range []string{"Angstrom", "m", "um"} {
			if !strings.Contains(oe.Msg, u) {
				t.Errorf("nm → %s: message %q lacks the length unit %s", c.to, oe.Msg, u)
			}
		}
		if strings.Contains(oe.Hint, "Angstrom") {
			t.Errorf("nm → %s: the units are listed in the hint too: %q", c.to, oe.Hint)
		}
	}
	if f, err := conversionFactor("nm", "Angstrom"); err != nil || f != 10 {
		t.Errorf("nm → Angstrom factor %v, %v; want 10", f, err)
	}
}
