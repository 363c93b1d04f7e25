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
			cells = append(cells, spectralSetup(tm, p[0], p[1], earth)+"sc.with_radial_velocity_shift(3*u.km/u.s).radial_velocity.to_value(u.m / u.s)")
		}
		other := "SkyCoord(-0.004*u.deg, -2.01*u.deg, 151.0e9*u.m, frame='heliographic_stonyhurst', obstime='" + tm + "')"
		cells = append(cells, spectralSetup(tm, "300", "200", other)+"sc.radial_velocity.to_value(u.m / u.s)")
	}
	reprs := []string{
		spectralSetup("2023-05-21T04:00:00", "10", "20", "get_earth('2023-05-21T04:00:00')") + "sc",
		spectralSetup("2023-05-21T04:00:00", "10", "20", "get_earth('2023-05-21T04:00:00')") + "sc.redshift",
		"from astropy.coordinates import SpectralCoord\nSpectralCoord(586.3*u.nm)",
		spectralSetup("2023-05-21T04:00:00", "10", "20", "get_earth('2023-05-21T04:00:00')") + "sc.with_radial_velocity_shift(1*u.km/u.s)",
		spectralSetup("2023-05-21T04:00:00", "-700", "300", "get_earth('2023-05-21T04:00:00')") + "sc.with_radial_velocity_shift(-2*u.km/u.s, 500*u.m/u.s)",
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
		wm, wv := maskVelocities(mask.ReplaceAllString(w, "${1}…"))
		gm, gv := maskVelocities(mask.ReplaceAllString(g, "${1}…"))
		if gm != wm || len(gv) != len(wv) {
			t.Errorf("%s\n got %s\nwant %s", code, g, w)
			continue
		}
		for k := range wv {
			// arcsec / s to 1e-8 (7 mm/s at 1 AU), km / s to 1e-6 (1 mm/s).
			if math.Abs(gv[k]-wv[k]) > 1e-6 || (k%3 != 2 && math.Abs(gv[k]-wv[k]) > 1e-8) {
				t.Errorf("%s\nvelocity %d: got %g, want %g", code, k, gv[k], wv[k])
			}
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

// maskVelocities replaces the values under each "(d_…)" header of a repr with "…" and
// returns them, for a comparison with a tolerance.
func maskVelocities(r string) (string, []float64) {
	lines := strings.Split(r, "\n")
	var vals []float64
	for i := 1; i < len(lines); i++ {
		if !strings.Contains(lines[i-1], "(d_") {
			continue
		}
		open, end := strings.Index(lines[i], "("), strings.Index(lines[i], ")")
		if open < 0 || end < open {
			continue
		}
		for _, f := range strings.Split(lines[i][open+1:end], ",") {
			x, _ := strconv.ParseFloat(strings.TrimSpace(f), 64)
			vals = append(vals, x)
		}
		lines[i] = lines[i][:open] + "(…)" + lines[i][end+1:]
	}
	return strings.Join(lines, "\n"), vals
}
