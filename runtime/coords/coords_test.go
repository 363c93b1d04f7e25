package coords_test

import (
	"context"
	"errors"
	"strings"
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
	// imports bind the parent packages
	"import astropy.coordinates\nastropy.coordinates.SkyCoord",
	"import sunpy.coordinates\nsunpy.coordinates.frames.Helioprojective",
	"from sunpy.coordinates.frames import HeliographicCarrington\nHeliographicCarrington",
	// values, arrays and attributes
	hpc + "c.Ty",
	hpc + "c.obstime",
	hpc + "c.rsun",
	hpc + "c.transform_to('heliographic_stonyhurst').lon",
	hpc + "c.transform_to('heliographic_stonyhurst').radius",
	hpc + "c.separation(SkyCoord(0*u.arcsec, 0*u.arcsec, frame='helioprojective', obstime='2023-05-21T04:00:00', observer='earth'))",
	"sun.L0('2023-05-21T04:00:00')",
	"sun.B0('2016-12-31T23:59:60')",
	"sun.earth_distance('2023-05-21T04:00:00')",
	"sun.carrington_rotation_number('2023-05-21T04:00:00')",
	"a = SkyCoord([0, 10, 900]*u.arcsec, [0, 20, 300]*u.arcsec, frame='helioprojective', obstime='2023-05-21T04:00:00', observer='earth'); a[1]",
	"a = SkyCoord([0, 10, 900]*u.arcsec, [0, 20, 300]*u.arcsec, frame='helioprojective', obstime='2023-05-21T04:00:00', observer='earth'); a[1:].Tx",
	"SkyCoord(range(12)*u.deg, [0]*12*u.deg, frame='heliographic_stonyhurst', obstime='2023-05-21T04:00:00')",
	"SkyCoord(10*u.deg, 20*u.deg, 1*u.AU, frame='icrs').transform_to(frames.HeliographicStonyhurst(obstime='2023-05-21T04:00:00'))",
	"SkyCoord(1*u.km, 2*u.km, 3*u.km, frame='heliocentric', obstime='2023-05-21T04:00:00', observer='earth').transform_to('heliographic_stonyhurst')",
	"SkyCoord(10*u.deg, 20*u.deg, frame='heliographic_carrington', obstime='2023-05-21T04:00:00', observer='earth')",
	"SkyCoord(10*u.deg, 20*u.deg, frame='heliographic_carrington', obstime='2023-05-21T04:00:00', observer='earth').transform_to('heliographic_stonyhurst')",
	// N-d arrays, long arrays summarised as numpy does, indexing (points well inside
	// the limb: at the limb the near-surface root cancels and the last printed digit
	// follows rounding, which TestTransformsMatchSunpyToAMilliarcsecond checks there)
	"g = SkyCoord([[0, 10, 20], [30, 40, 50]]*u.deg, [[0, 1, 2], [3, 4, 5]]*u.deg, frame='heliographic_stonyhurst', obstime='2023-05-21T04:00:00'); (g, g[1], g[0:1].shape)",
	"import numpy as np\nSkyCoord(np.linspace(-700, 700, 1500)*u.arcsec, np.linspace(-100, 300, 1500)*u.arcsec, frame='helioprojective', obstime='2023-05-21T04:00:00', observer='earth').transform_to('heliographic_stonyhurst')",
	"import numpy as np\nSkyCoord(np.zeros((40, 30))*u.arcsec, np.linspace(-900, 900, 1200).reshape(40, 30)*u.arcsec, frame='helioprojective', obstime='2023-05-21T04:00:00', observer='earth')",
	"SkyCoord(10*u.arcsec, 20*u.arcsec, frame=frames.Helioprojective(observer='earth', obstime=Time('2023-05-21T04:00:00')))",
	"SkyCoord(frames.Helioprojective(10*u.arcsec, 20*u.arcsec, observer='earth', obstime='2023-05-21 04:00:00')).transform_to(get_earth('2023-05-21T04:00:00'))",
	"get_body_heliographic_stonyhurst('earth', '2016-12-31T23:59:60').radius",
	"get_earth(Time('2023-05-21T04:00:00', scale='tt'))",
	hpc + "c.heliographic_stonyhurst",
	hpc + "c.observer.lat",
	hpc + "c.transform_to('heliocentric').x",
	"SkyCoord(10*u.deg, 20*u.deg, frame='heliographic_carrington', obstime='2023-05-21T04:00:00', observer='earth').make_3d()",
	"SkyCoord(1*u.km, 2*u.km, 3*u.km, frame='heliocentric', obstime='2023-05-21T04:00:00', observer='earth')",
	"SkyCoord(10*u.deg, 20*u.deg)",
	// unit= for plain numbers, keyword components
	"SkyCoord(10, 20, unit='deg', frame='heliographic_stonyhurst', obstime='2023-05-21T04:00:00')",
	"SkyCoord([10, 20], [1, 2], unit=('arcsec', 'arcsec'), frame='helioprojective', obstime='2023-05-21T04:00:00', observer='earth')",
	"SkyCoord(Tx=10*u.arcsec, Ty=20*u.arcsec, frame='helioprojective', obstime='2023-05-21T04:00:00', observer='earth')",
	"frames.HeliographicStonyhurst(10*u.deg, 20*u.deg, obstime='2023-05-21T04:00:00')",
	// arrays of times in sunpy.coordinates.sun
	"sun.angular_radius(['2023-05-21T04:00:00', '2016-12-31T23:59:60', '2024-01-03T00:00:00'])",
	"sun.carrington_rotation_number(Time(['2023-05-21T04:00:00', '1990-03-07T12:00:00']))",
	"sun.L0(['2023-05-21T04:00:00', '2023-05-22T04:00:00'])",
	"get_earth(['2023-05-21T04:00:00', '2016-12-31T23:59:60', '2024-01-03T00:00:00'])",
	"get_earth(['2023-05-21T04:00:00', '2016-12-31T23:59:60']).lat",
	// an array of obstimes, one per position
	"SkyCoord([1, 2]*u.arcsec, [1, 2]*u.arcsec, frame='helioprojective', obstime=['2023-05-21T04:00:00', '2023-05-22T04:00:00'], observer='earth').transform_to('heliographic_stonyhurst')",
	"SkyCoord([1, 2]*u.arcsec, [1, 2]*u.arcsec, frame='helioprojective', obstime=['2023-05-21T04:00:00', '2023-05-22T04:00:00'], observer='earth').transform_to('heliographic_carrington')",
	"SkyCoord([10, 20]*u.deg, [1, 2]*u.deg, frame='heliographic_stonyhurst', obstime=['2023-05-21T04:00:00', '2024-05-22T04:00:00']).transform_to(frames.Helioprojective(observer='earth'))",
	// astropy's angle classes
	hpc + "c.Tx.to(u.deg)",
	hpc + "c.Tx + c.Ty",
	hpc + "c.Tx * 2",
	hpc + "round(c.transform_to('heliographic_stonyhurst').lon.deg, 9)",
	hpc + "c.Ty.arcsec",
	"SkyCoord([1, 2]*u.deg, [3, 4]*u.deg).ra.to(u.arcsec)",
	hpc + "str(c)",
	hpc + "c.Tx.value",
	"from astropy.coordinates import ConvertError\ntry:\n    SkyCoord(1*u.deg, 2*u.deg, frame='heliographic_stonyhurst').transform_to('icrs')\nexcept ConvertError as e:\n    r = str(e)\nr",
	// errors as astropy's and sunpy's
	hpc + "c.transform_to('foo')",
	"SkyCoord(10*u.m, 20*u.arcsec, frame='helioprojective')",
	"SkyCoord(10, 20, frame='helioprojective')",
	"SkyCoord(10*u.deg, 20*u.deg, 1*u.AU, frame='icrs').transform_to('heliographic_stonyhurst')",
	"SkyCoord(10*u.arcsec, 20*u.arcsec, frame='helioprojective', observer='earth').transform_to('heliographic_stonyhurst')",
	"SkyCoord(10*u.arcsec, 20*u.arcsec, frame='helioprojective', obstime='2023-05-21T04:00:00').transform_to('heliographic_stonyhurst')",
	"SkyCoord(10*u.deg, 20*u.deg, frame='icrs').transform_to(frames.HeliographicStonyhurst(obstime='2023-05-21T04:00:00'))",
}

// hostileCases must end in a Python exception of the right kind, never a Go panic
// (which lang reports as RuntimeError) or a wrong answer.
var hostileCases = []string{
	"SkyCoord()",
	"SkyCoord(10*u.deg, frame='helioprojective')",
	"SkyCoord([1, 2]*u.deg, [1, 2, 3]*u.deg, frame='heliographic_stonyhurst')",
	"SkyCoord(float('nan')*u.deg, 0*u.deg, frame='heliographic_stonyhurst', obstime='2023-05-21T04:00:00').transform_to(frames.Helioprojective(observer='earth'))",
	"SkyCoord([]*u.deg, []*u.deg, frame='heliographic_stonyhurst')",
	"SkyCoord(10*u.deg, 20*u.deg, frame='heliographic_stonyhurst', obstime='not a time')",
	"SkyCoord(10*u.deg, 20*u.deg, frame='heliographic_stonyhurst', obstime=5)",
	"SkyCoord(10*u.arcsec, 20*u.arcsec, frame='helioprojective', obstime='2023-05-21T04:00:00', observer=5)",
	"SkyCoord(10*u.arcsec, 20*u.arcsec, frame='helioprojective', obstime='2023-05-21T04:00:00', observer='earth')[0]",
	"SkyCoord(10*u.arcsec, 20*u.arcsec, frame='helioprojective', obstime='2023-05-21T04:00:00', observer='earth').transform_to(5)",
	"SkyCoord(10*u.arcsec, 20*u.arcsec, frame='helioprojective', obstime='2023-05-21T04:00:00', observer='earth').separation(5)",
	"get_earth('garbage')",
	"get_body_heliographic_stonyhurst('pluto', '2023-05-21T04:00:00')",
	"get_earth('3000-01-01')",
	"frames.Helioprojective().Tx",
	"frames.Helioprojective(rsun=5)",
	"SkyCoord(10*u.deg, 20*u.deg, frame=5)",
	"SkyCoord.Tx",
}

// TestHostileCoordinatesRaisePythonErrors runs bad input: each cell raises what Python
// raises (the same class), and no Go panic reaches the cell.
func TestHostileCoordinatesRaisePythonErrors(t *testing.T) {
	pyref.Require(t, "sunpy")
	want := reference(t, hostileCases)
	got := gokistCells(t, hostileCases)
	for i, code := range hostileCases {
		if strings.HasPrefix(got[i], "RuntimeError") || strings.HasPrefix(got[i], "error:") {
			t.Errorf("%s: a Go failure reached the cell: %s", code, got[i])
			continue
		}
		wc, _, _ := strings.Cut(want[i], ":")
		gc, _, _ := strings.Cut(got[i], ":")
		if !strings.HasSuffix(wc, "Error") {
			// Python gives a value (astropy accepts it); gokist must too, and the same.
			if got[i] != want[i] {
				t.Errorf("%s\n got %s\nwant %s", code, got[i], want[i])
			}
			continue
		}
		if gc != wc {
			t.Errorf("%s\n got %s\nwant %s", code, got[i], want[i])
		}
	}
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
