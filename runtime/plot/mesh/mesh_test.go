package mesh

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"gokist/internal/pyref"
)

const mplPrelude = "import numpy as np\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"

// Contour levels picked for data spanning [lo, hi] are the levels matplotlib's contour
// and contourf draw for the same range and number of levels.
func TestAutoLevelsMatchMatplotlib(t *testing.T) {
	cases := []struct {
		lo, hi float64
		n      int
	}{
		{0, 1, 7}, {-3.2, 17.9, 7}, {0.001, 0.0047, 5}, {1e3, 9.5e4, 10}, {-1, 1, 3}, {2, 2.5, 1}, {-250, -20, 12},
	}
	var code []string
	for _, c := range cases {
		for _, fn := range []string{"contour", "contourf"} {
			// Line contours draw only the levels strictly inside the data (matplotlib keeps
			// the others in cs.levels, with no line).
			code = append(code, fmt.Sprintf("plt.close('all')\ncs = plt.%s(np.array([[%g, %g], [%g, %g]]), levels=%d)\n[l for l in cs.levels.tolist() if cs.filled or cs.zmin < l < cs.zmax]", fn, c.lo, c.hi, c.lo, c.hi, c.n))
		}
	}
	res := pyref.Batch(t, mplPrelude, code)
	for i, c := range cases {
		for j, filled := range []bool{false, true} {
			r := res[2*i+j]
			if r.Type != "" {
				t.Fatalf("%s: matplotlib raised %s", code[2*i+j], r.Err())
			}
			var want []float64
			if err := json.Unmarshal(r.Value, &want); err != nil {
				t.Fatalf("%s: %v", code[2*i+j], err)
			}
			got, err := AutoLevels(c.lo, c.hi, c.n, filled)
			if err != nil || !near(got, want) {
				t.Errorf("levels over [%g, %g], %d levels, filled %v: ours %v (%v), matplotlib %v", c.lo, c.hi, c.n, filled, got, err, want)
			}
		}
	}
}

// Cell edges around centres and the corners of a curvilinear grid of centres are
// matplotlib's (shading='nearest': pcolormesh's _interp_grid).
func TestEdgesMatchMatplotlib(t *testing.T) {
	centres := []float64{0.5, 1.5, 3, 7}
	grid := []float64{0, 1, 2, 0.5, 1.6, 2.9, 1, 2.2, 3.8} // 3×3 centres
	res := pyref.Batch(t, mplPrelude, []string{
		fmt.Sprintf("fig, ax = plt.subplots()\nm = ax.pcolormesh(np.array(%s), [0, 1], np.zeros((2, 4)), shading='nearest')\nm.get_coordinates()[0, :, 0].tolist()", pyList(centres)),
		fmt.Sprintf("fig, ax = plt.subplots()\nX = np.array(%s).reshape(3, 3)\nm = ax.pcolormesh(X, X.T, np.zeros((3, 3)), shading='nearest')\nm.get_coordinates()[..., 0].ravel().tolist()", pyList(grid)),
	})
	for i, r := range res {
		if r.Type != "" {
			t.Fatalf("case %d: matplotlib raised %s", i, r.Err())
		}
	}
	var wantEdges, wantCorners []float64
	if err := json.Unmarshal(res[0].Value, &wantEdges); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(res[1].Value, &wantCorners); err != nil {
		t.Fatal(err)
	}
	if got := EdgesOf(centres); !near(got, wantEdges) {
		t.Errorf("edges of %v: ours %v, matplotlib %v", centres, got, wantEdges)
	}
	if got := InterpGrid(grid, 3, 3); !near(got, wantCorners) {
		t.Errorf("corners of %v: ours %v, matplotlib %v", grid, got, wantCorners)
	}
}

func near(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9*math.Max(1, math.Abs(b[i])) {
			return false
		}
	}
	return true
}

func pyList(v []float64) string {
	b, _ := json.Marshal(v)
	return string(b)
}
