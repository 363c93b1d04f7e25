package worldgrid

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

// The spacing and label precision follow astropy's WCSAxes: select_step_scalar and the
// decimals AngleFormatterLocator.formatter writes for a spacing, for ranges across
// decades and at the rounding boundaries between 1, 2, 5 and 10.
func TestSpacingAndDecimalsAsWCSAxes(t *testing.T) {
	dvs := []float64{0.07, 0.0708, 0.071, 0.122, 0.147, 0.3, 0.32, 0.5, 3.1, 7.5, 13, 250, 1e-4}
	var code []string
	for _, dv := range dvs {
		code = append(code, fmt.Sprintf(`s = select_step_scalar(%v); [float(s), len(f"{s:.10f}".replace("0", " ").strip().split(".", 1)[1])]`, dv))
	}
	res := pyref.Batch(t, "from astropy.visualization.wcsaxes.utils import select_step_scalar\n", code)
	for i, dv := range dvs {
		if res[i].Type != "" {
			t.Fatalf("astropy: %s", res[i].Err())
		}
		var wantStep float64
		var wantDec int
		if _, err := fmt.Sscanf(strings.TrimSpace(res[i].Repr), "[%g, %d]", &wantStep, &wantDec); err != nil {
			t.Fatalf("astropy printed %q: %v", res[i].Repr, err)
		}
		step := selectStepScalar(dv)
		if math.Abs(step-wantStep) > 1e-12*wantStep || decimals(step) != wantDec {
			t.Errorf("dv %v: gokist spacing %v with %d decimals, astropy %v with %d", dv, step, decimals(step), wantStep, wantDec)
		}
	}
}

// A grid rotated by 30° on a linear pixel→world map: the bottom edge's ticks are where
// its coordinate takes multiples of the spacing (checked by evaluating the map at them),
// and the grid lines of each coordinate have constant value along them.
func TestEdgeTicksAndLinesLieOnTheirValues(t *testing.T) {
	c, s := math.Cos(math.Pi/6), math.Sin(math.Pi/6)
	world := func(x, y float64) (float64, float64) { return 360 + 0.06*(c*x-s*y), 720 + 0.06*(s*x+c*y) }
	g := &Grid{World: world, Kind: [2]CoordKind{LonCoord, LatCoord}}
	v := View{X0: -0.5, X1: 9.5, Y0: -0.5, Y1: 2.5}
	pos, labels := g.EdgeTicks(v, false)
	if len(pos) == 0 {
		t.Fatal("no ticks on the bottom edge")
	}
	for i, p := range pos {
		w, _ := world(p, v.Y0)
		if lab := fmt.Sprintf("%.1f\"", w); lab != labels[i] || math.Abs(w*5-math.Round(w*5)) > 1e-9 {
			t.Errorf("tick at x=%v: world %v, label %q (spacing 0.2)", p, w, labels[i])
		}
	}
	lines := g.Lines(v)
	if len(lines) == 0 {
		t.Fatal("no grid lines")
	}
	for _, seg := range lines {
		a0, b0 := world(seg[0], seg[1])
		a1, b1 := world(seg[2], seg[3])
		if math.Abs(a0-a1) > 1e-9 && math.Abs(b0-b1) > 1e-9 {
			t.Fatalf("segment %v: neither coordinate is constant (%v→%v, %v→%v)", seg, a0, a1, b0, b1)
		}
	}
}
