package astrotime

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"gokist/internal/pyref"
)

// ephemerisDates are TDB dates from 1850 to 2150 (outside epv00's 1900-2100 too), split
// both ways, with the tutorial's 2023-05-21T04:00 and the 2016 leap second.
func ephemerisDates() [][2]float64 {
	var pts [][2]float64
	for _, mjd := range []float64{-3000, 15020.3, 33282.77, 51544.5, 57753.99999, 57754.0000001, 60085.1666667, 69807.25, 88069.9, 106330.123} {
		jd := mjd + DJM0
		pts = append(pts, [2]float64{math.Round(jd), jd - math.Round(jd)}, [2]float64{DJM0, mjd}, [2]float64{jd, 0})
	}
	for i := range 40 {
		pts = append(pts, [2]float64{2451545.0, -36525 + float64(i)*1826.2113})
	}
	return pts
}

// within says whether got is want to relative 1e-15 (or 1e-300 absolutely), counting
// bit-identical results in *same.
func within(got, want float64, same *int) bool {
	if got == want {
		*same++
		return true
	}
	return math.Abs(got-want) <= 1e-15*math.Abs(want)+1e-300
}

// TestEpv00MatchesPyERFA checks Earth's heliocentric and barycentric position and
// velocity against pyerfa's epv00 (astropy's builtin ephemeris) to 1e-15 relative, and
// the status outside 1900-2100.
func TestEpv00MatchesPyERFA(t *testing.T) {
	pyref.Require(t, "erfa")
	pts := ephemerisDates()
	cases := make([]string, len(pts))
	for i, p := range pts {
		cases[i] = fmt.Sprintf(`with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter('always')
    h, b = erfa.epv00(%s, %s)
[[float(x) for x in list(h['p']) + list(h['v']) + list(b['p']) + list(b['v'])], len(w)]`, pyFloat(p[0]), pyFloat(p[1]))
	}
	ref := pyref.Batch(t, "import erfa, warnings", cases)
	same, total := 0, 0
	for i, p := range pts {
		var want struct {
			V    []float64
			Warn int
		}
		var raw []json.RawMessage
		if err := json.Unmarshal(ref[i].Value, &raw); err != nil || ref[i].Type != "" {
			t.Fatalf("%v: %v %s", p, err, ref[i].Err())
		}
		json.Unmarshal(raw[0], &want.V)
		json.Unmarshal(raw[1], &want.Warn)
		h, b, st := Epv00(p[0], p[1])
		got := append(append(append(append([]float64{}, h.P[:]...), h.V[:]...), b.P[:]...), b.V[:]...)
		for k := range got {
			total++
			if !within(got[k], want.V[k], &same) {
				t.Errorf("epv00(%v) component %d: got %.17g, want %.17g", p, k, got[k], want.V[k])
			}
		}
		if (st != 0) != (want.Warn != 0) {
			t.Errorf("epv00(%v): status %d, pyerfa warned %d times", p, st, want.Warn)
		}
	}
	t.Logf("%d of %d components bit for bit", same, total)
}

// TestDtdbMatchesPyERFA checks TDB-TT against pyerfa's dtdb at the geocentre and at a
// topocentric observer.
func TestDtdbMatchesPyERFA(t *testing.T) {
	pyref.Require(t, "erfa")
	pts := ephemerisDates()
	type arg struct{ ut, elong, u, v float64 }
	args := []arg{{0.25, 0, 0, 0}, {0.7390, -2.7, 5000, 2000}}
	var cases []string
	for _, p := range pts {
		for _, a := range args {
			cases = append(cases, fmt.Sprintf("float(erfa.dtdb(%s, %s, %s, %s, %s, %s))", pyFloat(p[0]), pyFloat(p[1]), pyFloat(a.ut), pyFloat(a.elong), pyFloat(a.u), pyFloat(a.v)))
		}
	}
	ref := pyref.Batch(t, "import erfa", cases)
	same := 0
	for i, p := range pts {
		for j, a := range args {
			r := ref[i*len(args)+j]
			var want float64
			if err := json.Unmarshal(r.Value, &want); err != nil {
				t.Fatalf("%v: %v %s", p, err, r.Err())
			}
			if got := Dtdb(p[0], p[1], a.ut, a.elong, a.u, a.v); !within(got, want, &same) {
				t.Errorf("dtdb(%v, %v): got %.17g, want %.17g", p, a, got, want)
			}
		}
	}
	t.Logf("%d of %d bit for bit", same, len(cases))
}

// TestToTDBMatchesAstropy checks Time(...).tdb's two-part date bit for bit against
// astropy for UTC, TAI and TT times, across the 2016 leap second.
func TestToTDBMatchesAstropy(t *testing.T) {
	pyref.Require(t, "astropy")
	times := []string{"2023-05-21T04:00:00", "2016-12-31T23:59:59.5", "2016-12-31T23:59:60.25", "2017-01-01T00:00:00.5", "1980-02-03T12:13:14.123456", "2099-07-01T00:00:00"}
	var cases []string
	for _, s := range []Scale{UTC, TAI, TT} {
		for _, tm := range times {
			cases = append(cases, fmt.Sprintf("t = Time(%q, scale=%q)\n[t.jd1, t.jd2, t.tdb.jd1, t.tdb.jd2]", tm, s))
		}
	}
	ref := pyref.Batch(t, "from astropy.time import Time\nfrom astropy.utils import iers\niers.conf.auto_download = False", cases)
	i := 0
	for _, s := range []Scale{UTC, TAI, TT} {
		for _, tm := range times {
			var v []float64
			if err := json.Unmarshal(ref[i].Value, &v); err != nil {
				t.Fatalf("%s %s: %v %s", tm, s, err, ref[i].Err())
			}
			i++
			a, b, _, err := ToTDB(v[:1], v[1:2], s)
			if err != nil {
				t.Fatal(err)
			}
			if a[0] != v[2] || b[0] != v[3] {
				t.Errorf("%s (%s).tdb: got %.17g + %.17g, want %.17g + %.17g", tm, s, a[0], b[0], v[2], v[3])
			}
		}
	}
}
