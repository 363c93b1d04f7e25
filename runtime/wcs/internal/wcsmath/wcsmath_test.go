package wcsmath

import (
	"math"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

// TestInvertMatchesNumpy inverts matrices like those a FITS PC matrix and the inverse's
// normal equations give (a rotation with scales, one needing a row swap, a 4×4 with a
// large spread) and compares with numpy.linalg.inv; a singular one is refused.
func TestInvertMatchesNumpy(t *testing.T) {
	cases := [][][]float64{
		{{0.9986295347545738, 0, -0.09341}, {0, 1, 0}, {0.0293, 0, 0.9986295347545738}},
		{{0, 2}, {3, 1}},
		{{4, 1, 0, 2e-6}, {1, 3, 1, 0}, {0, 1, 2, 1}, {1e3, 0, 1, 5}},
	}
	var want [][][]float64
	pyref.RunJSON(t, "import sys, json, numpy as np\nprint(json.dumps([np.linalg.inv(np.array(m)).tolist() for m in json.load(sys.stdin)]))", cases, &want)
	for c, m := range cases {
		n := len(m)
		flat := make([]float64, 0, n*n)
		for _, row := range m {
			flat = append(flat, row...)
		}
		got, err := Invert(flat, n)
		if err != nil {
			t.Fatalf("case %d: %v", c, err)
		}
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				if w := want[c][i][j]; math.Abs(got[i*n+j]-w) > 1e-12*math.Max(1, math.Abs(w)) {
					t.Errorf("case %d [%d][%d]: %.17g, numpy %.17g", c, i, j, got[i*n+j], w)
				}
			}
		}
	}
	if _, err := Invert([]float64{1, 2, 2, 4}, 2); err == nil || !strings.Contains(err.Error(), "no pivot") {
		t.Errorf("singular matrix: %v", err)
	}
}

// TestSinCosD checks the degree trigonometry at angles whose values are known exactly.
func TestSinCosD(t *testing.T) {
	for deg, want := range map[float64][2]float64{0: {0, 1}, 30: {0.5, math.Sqrt(3) / 2}, 90: {1, 0}, -180: {0, -1}} {
		s, c := SinCosD(deg)
		if math.Abs(s-want[0]) > 1e-15 || math.Abs(c-want[1]) > 1e-15 {
			t.Errorf("SinCosD(%v) = %v, %v; want %v", deg, s, c, want)
		}
	}
	if R2D*math.Pi != 180 {
		t.Errorf("R2D·π = %v", R2D*math.Pi)
	}
}
