package coords_test

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

// A quantity compared to a tolerance: angles to 1 mas, distances to 1 m, Carrington
// rotation numbers to 1 mas of L0.
type tolerance struct {
	name string
	tol  float64
	turn float64 // a full turn in the unit, for longitudes (0: not an angle)
}

var (
	deg    = tolerance{"deg", 1e-3 / 3600, 360}
	arcsec = tolerance{"arcsec", 1e-3, 1296000}
	metre  = tolerance{"m", 1, 0}
	crot   = tolerance{"rotations", 1e-3 / 3600 / 360, 0}
)

// accuracyCase is a setup and the values it gives, each with its tolerance.
type accuracyCase struct {
	setup  string
	values []string
	tols   []tolerance
	scalar bool // the values are numbers, not arrays
}

// times are the tutorial's, a leap second and the days around it, and dates decades
// away.
var times = []string{"2023-05-21T04:00:00", "2016-12-31T23:59:60", "2017-01-01T00:00:00.5", "1990-03-07T12:00:00", "2044-11-30T18:30:00"}

func spherical(v string, a, b, c tolerance) ([]string, []tolerance) {
	return []string{v + ".lon.to_value(u." + a.name + ")", v + ".lat.to_value(u." + b.name + ")", v + ".radius.to_value(u.m)"}, []tolerance{a, b, c}
}

// accuracyCases transform helioprojective points (disk centre, the tutorial's, the
// poles' neighbourhood, the limb and beyond it) and heliographic points (poles,
// equator, far side) between every frame, and back.
func accuracyCases() []accuracyCase {
	var cases []accuracyCase
	add := func(setup string, vals []string, tols []tolerance) {
		cases = append(cases, accuracyCase{setup, vals, tols, strings.HasPrefix(setup, "e = ")})
	}
	for _, tm := range times {
		hpc := fmt.Sprintf("c = SkyCoord([0, 10, -500, 0, 0, 935, 960]*u.arcsec, [0, 20, 300, 930, -930, 100, 0]*u.arcsec, frame='helioprojective', obstime='%s', observer='earth')\n", tm)
		v, t := spherical("c.transform_to('heliographic_stonyhurst')", deg, deg, metre)
		add(hpc, v, t)
		v, t = spherical("c.transform_to('heliographic_carrington')", deg, deg, metre)
		add(hpc, v, t)
		add(hpc+"h = c.transform_to('heliocentric')\n", []string{"h.x.to_value(u.m)", "h.y.to_value(u.m)", "h.z.to_value(u.m)"}, []tolerance{metre, metre, metre})
		add(hpc+"i = c.transform_to('icrs')\n", []string{"i.ra.to_value(u.deg)", "i.dec.to_value(u.deg)", "i.distance.to_value(u.m)"}, []tolerance{deg, deg, metre})
		add(hpc+"r = c.transform_to('heliographic_carrington').transform_to('icrs').transform_to('helioprojective')\n", []string{"r.Tx.to_value(u.arcsec)", "r.Ty.to_value(u.arcsec)", "r.distance.to_value(u.m)"}, []tolerance{arcsec, arcsec, metre})
		hgs := fmt.Sprintf("g = SkyCoord([0, 0, 30, -60, 120, 89.9]*u.deg, [90, -90, 0, 45, -20, 10]*u.deg, frame='heliographic_stonyhurst', obstime='%s')\np = frames.Helioprojective(observer='earth', obstime='%s')\n", tm, tm)
		add(hgs+"x = g.transform_to(p)\n", []string{"x.Tx.to_value(u.arcsec)", "x.Ty.to_value(u.arcsec)", "x.distance.to_value(u.m)"}, []tolerance{arcsec, arcsec, metre})
		v, t = spherical("g.transform_to(frames.HeliographicCarrington(observer='earth', obstime='"+tm+"'))", deg, deg, metre)
		add(hgs, v, t)
		v, t = spherical("SkyCoord([0, 30, -60]*u.deg, [90, 0, 45]*u.deg, [7e8, 1e9, 3e10]*u.m, frame='heliographic_stonyhurst', obstime='"+tm+"').transform_to(frames.HeliographicCarrington(observer='earth', obstime='"+tm+"'))", deg, deg, metre)
		add("", v, t)
		add("e = get_earth('"+tm+"')\n", []string{"e.lat.to_value(u.deg)", "e.radius.to_value(u.m)", "sun.angular_radius('" + tm + "').to_value(u.arcsec)", "sun.L0('" + tm + "').to_value(u.deg)", "sun.B0('" + tm + "').to_value(u.deg)", "sun.earth_distance('" + tm + "').to_value(u.m)", "sun.carrington_rotation_number('" + tm + "')"},
			[]tolerance{deg, metre, arcsec, deg, deg, metre, crot})
	}
	// An observer elsewhere (a DKIST-like one, and one at 0.3 AU) and obstimes that differ.
	obs := "o = SkyCoord(-0.004*u.deg, -2.01*u.deg, 151.0e9*u.m, frame='heliographic_stonyhurst', obstime='2023-05-21T04:00:00')\n"
	add(obs+"c = SkyCoord([0, 10, 900]*u.arcsec, [0, 20, -300]*u.arcsec, frame='helioprojective', obstime='2023-05-21T04:00:00', observer=o)\nx = c.transform_to('heliographic_carrington')\n",
		[]string{"x.lon.to_value(u.deg)", "x.lat.to_value(u.deg)", "x.radius.to_value(u.m)"}, []tolerance{deg, deg, metre})
	far := "o = SkyCoord(60*u.deg, 5*u.deg, 0.3*u.AU, frame='heliographic_stonyhurst', obstime='2023-05-22T00:00:00')\n"
	add(far+"c = SkyCoord([0, 100]*u.arcsec, [0, 200]*u.arcsec, frame='helioprojective', obstime='2023-05-21T04:00:00', observer='earth')\nx = c.transform_to(frames.Helioprojective(observer=o, obstime='2023-05-22T00:00:00'))\n",
		[]string{"x.Tx.to_value(u.arcsec)", "x.Ty.to_value(u.arcsec)", "x.distance.to_value(u.m)"}, []tolerance{arcsec, arcsec, metre})
	add(far+"x = SkyCoord([10]*u.deg, [20]*u.deg, frame='heliographic_stonyhurst', obstime='2023-05-21T04:00:00').transform_to(frames.HeliographicCarrington(observer=o, obstime='2023-05-22T00:00:00'))\n",
		[]string{"x.lon.to_value(u.deg)", "x.lat.to_value(u.deg)", "x.radius.to_value(u.m)"}, []tolerance{deg, deg, metre})
	// One obstime per position (2016's leap second among them).
	many := "c = SkyCoord([0, 10, -500, 700]*u.arcsec, [0, 20, 300, -600]*u.arcsec, frame='helioprojective', obstime=['2023-05-21T04:00:00', '2016-12-31T23:59:60', '1990-03-07T12:00:00', '2044-11-30T18:30:00'], observer='earth')\n"
	v, t := spherical("c.transform_to('heliographic_carrington')", deg, deg, metre)
	add(many, v, t)
	add(many+"i = c.transform_to('icrs')\n", []string{"i.ra.to_value(u.deg)", "i.dec.to_value(u.deg)", "i.distance.to_value(u.m)"}, []tolerance{deg, deg, metre})
	// Light travel time to an observer (sunpy's iteration).
	for _, tm := range []string{"2023-05-21T04:00:00", "2016-12-31T23:59:60"} {
		for _, call := range []string{
			"get_body_heliographic_stonyhurst('sun', '" + tm + "', observer=get_earth('" + tm + "'))",
			"get_body_heliographic_stonyhurst('earth', '" + tm + "', observer=SkyCoord(60*u.deg, 5*u.deg, 0.3*u.AU, frame='heliographic_stonyhurst', obstime='" + tm + "'))",
		} {
			add("e = "+call+"\n", []string{"e.lon.to_value(u.deg)", "e.lat.to_value(u.deg)", "e.radius.to_value(u.m)"}, []tolerance{deg, deg, metre})
		}
	}
	return cases
}

// cell is the case as one cell whose value lists every value.
func (c accuracyCase) cell() string {
	vals := c.values
	if !c.scalar {
		vals = make([]string, len(c.values))
		for i, v := range c.values {
			vals[i] = v + ".tolist()"
		}
	}
	return c.setup + "[" + strings.Join(vals, ", ") + "]"
}

// floatsOf reads a Python list repr of floats and lists of floats, flattened, with a
// group index per number (which value of the case it belongs to).
func floatsOf(s string) (vals []float64, group []int, err error) {
	depth, g := 0, 0
	var tok strings.Builder
	flush := func() error {
		t := strings.TrimSpace(tok.String())
		tok.Reset()
		if t == "" {
			return nil
		}
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return fmt.Errorf("%q in %s", t, s)
		}
		vals, group = append(vals, f), append(group, g)
		return nil
	}
	for _, r := range s {
		switch r {
		case '[':
			depth++
		case ']', ',':
			if err := flush(); err != nil {
				return nil, nil, err
			}
			if r == ']' {
				depth--
			} else if depth == 1 {
				g++
			}
		default:
			tok.WriteRune(r)
		}
	}
	return vals, group, nil
}

// close says whether got is want within tol (NaN matches NaN; longitudes modulo a turn).
func close(got, want float64, tol tolerance) bool {
	if math.IsNaN(got) || math.IsNaN(want) {
		return math.IsNaN(got) && math.IsNaN(want)
	}
	d := math.Abs(got - want)
	if tol.turn > 0 {
		d = math.Min(d, math.Abs(d-tol.turn))
	}
	return d <= tol.tol
}

// TestTransformsMatchSunpyToAMilliarcsecond checks every frame transform, round trips,
// the ephemeris and sunpy.coordinates.sun against sunpy 4.1 on astropy 5.2: angles to
// 1 mas, distances to 1 m, at the disk centre, near the poles, at and past the limb,
// across the 2016 leap second and decades away.
func TestTransformsMatchSunpyToAMilliarcsecond(t *testing.T) {
	pyref.Require(t, "sunpy")
	cases := accuracyCases()
	cells := make([]string, len(cases))
	for i, c := range cases {
		cells[i] = c.cell()
	}
	want := reference(t, cells)
	got := gokistCells(t, cells)
	checked := 0
	for i, c := range cases {
		if strings.Contains(want[i], "Error: ") {
			if got[i] != want[i] {
				t.Errorf("%s\n got %s\nwant %s", cells[i], got[i], want[i])
			}
			continue
		}
		w, wg, err := floatsOf(want[i])
		if err != nil {
			t.Fatalf("reference %s: %v", cells[i], err)
		}
		g, _, err := floatsOf(got[i])
		if err != nil || len(g) != len(w) {
			t.Errorf("%s\n got %s\nwant %s", cells[i], got[i], want[i])
			continue
		}
		for k := range w {
			tol := c.tols[wg[k]]
			if !close(g[k], w[k], tol) {
				t.Errorf("%s\nvalue %s [%d]: got %.12g, want %.12g (%s, tolerance %g)", c.setup, c.values[wg[k]], k, g[k], w[k], tol.name, tol.tol)
			}
			checked++
		}
	}
	t.Logf("%d values in %d cells within 1 mas / 1 m", checked, len(cases))
}
