package coords_test

import (
	"context"
	"errors"
	"testing"

	"gokist/internal/pyref"
	"gokist/lang"
	"gokist/obj"
)

// prelude is the reference: astropy 5.2 and sunpy 4.1 offline, as the kernel is.
const prelude = `
from astropy.utils import iers
iers.conf.auto_download = False
` + goPrelude

// goPrelude is the same imports for gokist (offline always).
const goPrelude = `
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.time import Time
import sunpy.coordinates
from sunpy.coordinates import frames, sun, get_earth, get_body_heliographic_stonyhurst
`

// gokistCells runs the prelude and then each cell in a new session, giving the last
// expression's text or "Class: message".
func gokistCells(t *testing.T, cells []string) []string {
	t.Helper()
	out := make([]string, len(cells))
	for i, code := range cells {
		s := lang.NewSession()
		if _, err := s.Execute(context.Background(), goPrelude, nil); err != nil {
			t.Fatalf("prelude: %v", err)
		}
		res, err := s.Execute(context.Background(), code, nil)
		if err != nil {
			var e *obj.Error
			if errors.As(err, &e) {
				out[i] = e.Class + ": " + e.Msg
			} else {
				out[i] = "error: " + err.Error()
			}
			continue
		}
		out[i], _ = res["text/plain"].(string)
	}
	return out
}

// reference runs the cells through Python, giving reprs or "Class: message".
func reference(t *testing.T, cells []string) []string {
	t.Helper()
	ref := pyref.Batch(t, prelude, cells)
	out := make([]string, len(cells))
	for i, r := range ref {
		out[i] = r.Repr
		if r.Type != "" {
			out[i] = r.Err()
		}
	}
	return out
}

const hpc = `c = SkyCoord(10*u.arcsec, 20*u.arcsec, frame="helioprojective", obstime="2023-05-21T04:00:00", observer="earth")
`

// reprCases are cells whose repr gokist gives character for character as astropy and
// sunpy do.
var reprCases = []string{
	hpc + "c",
	hpc + "c.transform_to('heliographic_stonyhurst')",
	hpc + "c.transform_to('heliographic_carrington')",
	hpc + "c.transform_to('heliocentric')",
	hpc + "c.transform_to('icrs')",
	hpc + "c.make_3d()",
	hpc + "c.frame",
	hpc + "c.observer",
	hpc + "c.Tx",
	hpc + "c.transform_to('heliographic_stonyhurst').transform_to('helioprojective')",
	"get_earth('2023-05-21T04:00:00')",
	"get_body_heliographic_stonyhurst('sun', '2023-05-21T04:00:00')",
	"sun.angular_radius('2023-05-21T04:00:00')",
	"SkyCoord([0, 10, 900]*u.arcsec, [0, 20, 300]*u.arcsec, frame='helioprojective', obstime='2023-05-21T04:00:00', observer='earth')",
	"SkyCoord([0, 10, 900]*u.arcsec, [0, 20, 300]*u.arcsec, frame='helioprojective', obstime='2023-05-21T04:00:00', observer='earth').transform_to('heliographic_stonyhurst')",
	"frames.Helioprojective(observer='earth', obstime='2023-05-21T04:00:00')",
	"SkyCoord(10*u.deg, 20*u.deg, frame='heliographic_stonyhurst', obstime='2023-05-21T04:00:00')",
	"SkyCoord(10*u.deg, 20*u.deg, frame='heliographic_stonyhurst', obstime='2023-05-21T04:00:00').transform_to(frames.Helioprojective(observer='earth', obstime='2023-05-21T04:00:00'))",
	"SkyCoord(10*u.arcsec, 20*u.arcsec, frame='helioprojective')",
	"SkyCoord(10*u.deg, 20*u.deg, frame='heliographic_stonyhurst', obstime='2023-05-21T04:00:00').transform_to('helioprojective')",
}

// TestCoordinateReprsMatchSunpy compares the reprs (and errors) of the tutorial's
// coordinate, its transforms, arrays with an off-disk point, frames and the ephemeris.
func TestCoordinateReprsMatchSunpy(t *testing.T) {
	pyref.Require(t, "sunpy")
	want := reference(t, reprCases)
	got := gokistCells(t, reprCases)
	for i, code := range reprCases {
		if got[i] != want[i] {
			t.Errorf("%s\n got %s\nwant %s", code, got[i], want[i])
		}
	}
}
