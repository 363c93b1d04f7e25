package wcsunit

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
		_, err := Factor("nm", c.to)
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
	if f, err := Factor("nm", "Angstrom"); err != nil || f != 10 {
		t.Errorf("nm → Angstrom factor %v, %v; want 10", f, err)
	}
}

// ParseCompound reads the per-pixel units of gwcs model parameters (astropy's
// "m.pixel**-1", "nm / pix") to the dimension of their physical part, and refuses powers
// it cannot scale.
func TestParseCompoundDimensions(t *testing.T) {
	for s, want := range map[string]Dimension{"m.pixel**-1": Length, "pixel**-1.s": Time, "deg.pixel**-1": Angle, "pixel": None, "nm / pix": Length} {
		if d, _, ok := ParseCompound(s); !ok || d != want {
			t.Errorf("ParseCompound(%q) = %v %v", s, d, ok)
		}
	}
	if _, _, ok := ParseCompound("m**2"); ok {
		t.Error("m**2 accepted")
	}
}
