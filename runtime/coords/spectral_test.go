package coords_test

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

// spectralSetup makes sc: 586.3 nm seen by the Earth (or another observer) from a point
// of the disk made 3-D, at a time.
func spectralSetup(tm, tx, ty, observer string) string {
	return fmt.Sprintf("from astropy.coordinates import SpectralCoord\nc = SkyCoord(%s*u.arcsec, %s*u.arcsec, frame='helioprojective', obstime='%s', observer='earth').make_3d()\nsc = SpectralCoord(586.3*u.nm, observer=%s, target=c)\n", tx, ty, tm, observer)
}

// TestSpectralCoordRadialVelocityMatchesAstropy checks the tutorial's SpectralCoord
// (586.3 nm, the Earth as observer) on disk points at several dates: the radial
// velocity to 1 m/s, and the repr character for character except the digits of the
// radial velocity and redshift (finite differences agree to far below 1 m/s, not to
// the last of 17 digits).
func TestSpectralCoordRadialVelocityMatchesAstropy(t *testing.T) {
	pyref.Require(t, "sunpy")
	var cells []string
	for _, tm := range []string{"2023-05-21T04:00:00", "2016-12-31T23:59:60", "1990-03-07T12:00:00"} {
		for _, p := range [][2]string{{"10", "20"}, {"0", "0"}, {"-700", "300"}, {"900", "-100"}} {
			earth := "get_earth('" + tm + "')"
			cells = append(cells, spectralSetup(tm, p[0], p[1], earth)+"sc.radial_velocity.to_value(u.m / u.s)")
		}
		other := "SkyCoord(-0.004*u.deg, -2.01*u.deg, 151.0e9*u.m, frame='heliographic_stonyhurst', obstime='" + tm + "')"
		cells = append(cells, spectralSetup(tm, "300", "200", other)+"sc.radial_velocity.to_value(u.m / u.s)")
	}
	reprs := []string{
		spectralSetup("2023-05-21T04:00:00", "10", "20", "get_earth('2023-05-21T04:00:00')") + "sc",
		spectralSetup("2023-05-21T04:00:00", "10", "20", "get_earth('2023-05-21T04:00:00')") + "sc.redshift",
		"from astropy.coordinates import SpectralCoord\nSpectralCoord(586.3*u.nm)",
	}
	want := reference(t, append(cells, reprs...))
	got := gokistCells(t, append(cells, reprs...))
	for i, code := range cells {
		w, err1 := strconv.ParseFloat(want[i], 64)
		g, err2 := strconv.ParseFloat(got[i], 64)
		if err1 != nil || err2 != nil || math.Abs(g-w) > 1 {
			t.Errorf("%s\n got %s m/s\nwant %s m/s", code, got[i], want[i])
		}
	}
	mask := regexp.MustCompile(`(radial_velocity=|redshift=|<Quantity )[-0-9.e+]+`)
	for i, code := range reprs {
		w, g := want[len(cells)+i], got[len(cells)+i]
		if mask.ReplaceAllString(g, "${1}…") != mask.ReplaceAllString(w, "${1}…") {
			t.Errorf("%s\n got %s\nwant %s", code, g, w)
		}
		if strings.Contains(code, "redshift") {
			wz, _ := strconv.ParseFloat(strings.Fields(strings.TrimSuffix(w, ">"))[1], 64)
			gz, _ := strconv.ParseFloat(strings.Fields(strings.TrimSuffix(g, ">"))[1], 64)
			if math.Abs(gz-wz) > 1/299792458.0 {
				t.Errorf("redshift: got %s, want %s", g, w)
			}
		}
	}
}
