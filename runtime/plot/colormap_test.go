package plot

import (
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
	"gokist/runtime/plot/colors"
	"gokist/runtime/plot/draw"
)

const mplPrelude = "import json, io, math\nimport numpy as np\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\nfrom matplotlib import colors\n"

// TwoSlopeNorm refuses limits out of order when made, as matplotlib's constructor does;
// a norm together with vmin/vmax is refused as matplotlib 3.6 refuses it.
func TestNormArgumentErrors(t *testing.T) {
	res := pyref.Batch(t, mplPrelude, []string{
		`colors.TwoSlopeNorm(5, vmin=6)`,
		`plt.imshow([[1, 2]], norm=colors.LogNorm(), vmin=1); plt.gcf().canvas.draw()`,
	})
	_, err := newNorm("TwoSlopeNorm", colors.TwoSlopeNorm, []obj.Param{{Name: "vcenter"}, {Name: "vmin"}, {Name: "vmax"}}, []any{5, 6, nil})
	if err == nil || res[0].Type != "ValueError" || !strings.Contains(err.Error(), res[0].Message) {
		t.Errorf("TwoSlopeNorm(5, vmin=6): ours %v, matplotlib %s", err, res[0].Err())
	}
	one := 1.0
	err = draw.CheckImageOptions(draw.ImageOptions{Norm: &colors.Norm{Kind: colors.LogNorm}, Vmin: &one})
	if err == nil || res[1].Type != "ValueError" || !strings.Contains(err.Error(), res[1].Message) {
		t.Errorf("norm with vmin: ours %v, matplotlib %s", err, res[1].Err())
	}
}

// matplotlib.colors is importable through the module registry and makes norms.
func TestColorsModuleMakesNorms(t *testing.T) {
	build, ok := obj.LookupModule("matplotlib.colors")
	if !ok {
		t.Fatal("matplotlib.colors is not registered")
	}
	m, err := build(nil)
	if err != nil {
		t.Fatal(err)
	}
	mod := m.(*obj.Module)
	for _, name := range []string{"LogNorm", "Normalize", "CenteredNorm", "TwoSlopeNorm"} {
		mem := mod.Type().Member(name)
		if mem == nil {
			t.Fatalf("matplotlib.colors has no %s", name)
		}
		fn, _ := mem.Get(nil, mod)
		args := obj.Args{}
		if name == "TwoSlopeNorm" {
			args.Pos = []any{0}
		}
		v, err := fn.(*obj.Func).Call(nil, args)
		if n, ok := v.(*colors.Norm); err != nil || !ok || colors.NormClassNames[n.Kind] != name {
			t.Errorf("%s() = %v, %v", name, v, err)
		}
	}
}
