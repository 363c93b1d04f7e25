package axis

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"gokist/internal/pyref"
)

const mplPrelude = "import numpy as np\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\nimport matplotlib.scale as mscale\n"

// The log and symlog scales map values onto the axis as matplotlib's LogTransform (with
// nonpositive='mask': no value for v <= 0) and SymmetricalLogTransform (base 10,
// linscale 1) do, and back.
func TestScalesMatchMatplotlibTransforms(t *testing.T) {
	vals := []float64{-500, -12, -2, -0.3, 0, 0.05, 0.7, 1, 3, 40, 1e4}
	cases := []struct {
		name      string
		linthresh float64
		py        string
	}{
		{"log", 0, "mscale.LogScale(None, base=10, nonpositive='mask')"},
		{"symlog", 1, "mscale.SymmetricalLogScale(None, base=10, linthresh=1, linscale=1)"},
		{"symlog", 0.5, "mscale.SymmetricalLogScale(None, base=10, linthresh=0.5, linscale=1)"},
		{"symlog", 20, "mscale.SymmetricalLogScale(None, base=10, linthresh=20, linscale=1)"},
	}
	var code []string
	for _, c := range cases {
		code = append(code, fmt.Sprintf("v = np.array(%s)\nf = %s.get_transform().transform(v)\n[[None if not np.isfinite(x) else float(x) for x in f], %s.get_transform().inverted().transform(np.where(np.isfinite(f), f, 0)).tolist()]", floats(vals), c.py, c.py))
	}
	res := pyref.Batch(t, mplPrelude, code)
	for i, c := range cases {
		if res[i].Type != "" {
			t.Fatalf("%s: matplotlib raised %s", c.py, res[i].Err())
		}
		var want [2][]*float64
		if err := json.Unmarshal(res[i].Value, &want); err != nil {
			t.Fatalf("%s: %v", c.py, err)
		}
		s, err := ParseScale("set_xscale", c.name, c.linthresh)
		if err != nil {
			t.Fatal(err)
		}
		for j, v := range vals {
			got := s.Fwd(v)
			if want[0][j] == nil {
				if !math.IsNaN(got) {
					t.Errorf("%s: %g maps to %g, matplotlib has no value", c.py, v, got)
				}
				continue
			}
			if !close(got, *want[0][j]) {
				t.Errorf("%s: %g maps to %g, matplotlib %g", c.py, v, got, *want[0][j])
			}
			if back := s.inv(*want[0][j]); !close(back, *want[1][j]) {
				t.Errorf("%s: %g maps back to %g, matplotlib %g", c.py, *want[0][j], back, *want[1][j])
			}
		}
	}
}

// Autoscaling a data span gives the limits matplotlib's autoscale_view gives a line over
// the same span (5% margins in the scale's coordinates). A span of a single value is not
// among the cases: gokist widens it to ±max(0.5, 5% of the value) with no margins (a
// decade each way on a log axis), where matplotlib widens it by 5% of the value (to the
// decades around it on a log axis) and then adds the margins: a known difference, left
// for its own change (7 gives (6.5, 7.5) here, (6.615, 7.385) in matplotlib).
func TestAutoscaleMatchesMatplotlib(t *testing.T) {
	cases := []struct {
		scale     string
		linthresh float64
		lo, hi    float64
	}{
		{"linear", 0, 0, 1}, {"linear", 0, -3.5, 120}, {"linear", 0, 1e-3, 2e-3},
		{"log", 0, 1, 1000}, {"log", 0, 0.02, 3},
		{"symlog", 1, -100, 1000}, {"symlog", 2, 0.1, 50},
	}
	var code []string
	for _, c := range cases {
		kw := ""
		if c.scale == "symlog" {
			kw = fmt.Sprintf(", linthresh=%g", c.linthresh)
		}
		code = append(code, fmt.Sprintf("plt.close('all')\nfig, ax = plt.subplots()\nax.set_xscale(%q%s)\nax.plot([%g, %g], [0, 1])\nlist(ax.get_xlim())", c.scale, kw, c.lo, c.hi))
	}
	res := pyref.Batch(t, mplPrelude, code)
	for i, c := range cases {
		if res[i].Type != "" {
			t.Fatalf("%s: matplotlib raised %s", code[i], res[i].Err())
		}
		var want [2]float64
		if err := json.Unmarshal(res[i].Value, &want); err != nil {
			t.Fatalf("%s: %v", code[i], err)
		}
		s, err := ParseScale("set_xscale", c.scale, c.linthresh)
		if err != nil {
			t.Fatal(err)
		}
		sp := EmptySpan()
		sp.Add(c.lo)
		sp.Add(c.hi)
		lo, hi, ok := Autoscale(sp, s)
		if !ok || !close(lo, want[0]) || !close(hi, want[1]) {
			t.Errorf("%s axis over [%g, %g]: ours (%g, %g, %v), matplotlib %v", c.scale, c.lo, c.hi, lo, hi, ok, want)
		}
	}
}

func close(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func floats(v []float64) string {
	b, _ := json.Marshal(v)
	return string(b)
}
