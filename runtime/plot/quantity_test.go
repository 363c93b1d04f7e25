package plot

import (
	"testing"

	"gokist/internal/pyref"
	"gokist/runtime/plot/draw"
)

// quantity is a stand-in for astropy's Quantity through the obj.QuantityValue seam:
// a value with a unit, and an ArrayLike for its numbers.
type quantity struct {
	vals []float64
	unit string
}

func (q quantity) QuantityParts() (any, string) { return arrayLike(q.vals), q.unit }

type arrayLike []float64

func (a arrayLike) ArrayShape() []int            { return []int{len(a)} }
func (a arrayLike) Float64s() ([]float64, error) { return a, nil }

// Under quantity_support a plotted Quantity labels its axes with its unit, as astropy's
// MplQuantityConverter does (the unit's to_string(); gokist draws it without LaTeX),
// and keeps a label already set; without it nothing is labelled. Any obj.ArrayLike
// plots as its numbers.
func TestQuantitySupportLabelsUnits(t *testing.T) {
	res := pyref.Batch(t, mplPrelude+"import astropy.units as u\nfrom astropy.visualization import quantity_support\nquantity_support()\n", []string{
		`fig, ax = plt.subplots(); ax.plot([630.1, 630.2] * u.nm, [1.0, 2.0] * u.ct); fig.canvas.draw(); [ax.get_xlabel(), ax.get_ylabel()]`,
		`fig, ax = plt.subplots(); ax.set_ylabel("Intensity"); ax.plot([630.1, 630.2] * u.nm, [1.0, 2.0] * u.ct); fig.canvas.draw(); [ax.get_xlabel(), ax.get_ylabel()]`,
	})
	for i, r := range res {
		if r.Type != "" {
			t.Fatal(r.Err())
		}
		t.Logf("matplotlib + astropy case %d: %s", i, r.Repr)
	}
	plt, _, env := newSession()
	env.Services[QuantitySupportService] = true
	x, y := quantity{[]float64{630.1, 630.2}, "nm"}, quantity{[]float64{1, 2}, "ct"}
	ax := call(t, env, plt, "plot", []any{x, y}, nil).(*draw.Axes)
	if ax.XLabel() != "nm" || ax.YLabel() != "ct" {
		t.Errorf("labels %q, %q; want the units nm and ct (matplotlib: %s)", ax.XLabel(), ax.YLabel(), res[0].Repr)
	}
	if got, _ := ax.LineData(0); len(got) != 2 || got[1] != 630.2 {
		t.Errorf("x data %v", got)
	}
	plt2, _, env2 := newSession()
	env2.Services[QuantitySupportService] = true
	ax2 := plt2.GCA()
	ax2.SetYLabel("Intensity")
	call(t, env2, plt2, "plot", []any{x, y}, nil)
	if ax2.YLabel() != "Intensity" || ax2.XLabel() != "nm" {
		t.Errorf("a set label is kept: %q, %q (matplotlib: %s)", ax2.XLabel(), ax2.YLabel(), res[1].Repr)
	}
	plt3, _, env3 := newSession()
	ax3 := call(t, env3, plt3, "plot", []any{x, y}, nil).(*draw.Axes)
	if ax3.XLabel() != "" || ax3.YLabel() != "" {
		t.Errorf("without quantity_support: labels %q, %q", ax3.XLabel(), ax3.YLabel())
	}
}
