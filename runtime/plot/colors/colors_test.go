package colors

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

const mplPrelude = "import json, io, math\nimport numpy as np\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\nfrom matplotlib import colors\n"

// Every colour map of matplotlib 3.6, in plt.colormaps() order, colours a ramp of values
// (below, inside and above the limits) as matplotlib's cmap(Normalize(vmin, vmax)(v))
// does, within 1/255 per channel.
func TestEveryColormapMatchesMatplotlib(t *testing.T) {
	res := pyref.Batch(t, mplPrelude, []string{
		`plt.colormaps()`,
		`v = np.linspace(-1.5, 3.5, 301)
v.tolist()`,
		`{name: matplotlib.colormaps[name](colors.Normalize(-1.0, 3.0)(v), bytes=True)[:, :3].tolist() for name in plt.colormaps()}`,
	})
	var names []string
	if err := json.Unmarshal(res[0].Value, &names); err != nil {
		t.Fatalf("plt.colormaps(): %v %s", err, res[0].Err())
	}
	if got := ColormapNames(); !slices.Equal(got, names) {
		t.Fatalf("colormaps() has %d names, matplotlib %d; first difference in %v", len(got), len(names), firstDiff(got, names))
	}
	var want map[string][][3]int
	if err := json.Unmarshal(res[2].Value, &want); err != nil {
		t.Fatalf("ramps: %v %s", err, res[2].Err())
	}
	var v []float64 // numpy's linspace, not recomputed: the qualitative maps' steps are exact
	if err := json.Unmarshal(res[1].Value, &v); err != nil {
		t.Fatal(err)
	}
	worst := 0
	for _, name := range names {
		cm, err := LookupColormap(name)
		if err != nil {
			t.Fatal(err)
		}
		img := cm.Colorize(v, 1, len(v), -1, 3, false)
		for i, w := range want[name] {
			for k := range 3 {
				d := int(img.Pix[4*i+k]) - w[k]
				worst = max(worst, d, -d)
				if d < -1 || d > 1 {
					t.Errorf("%s(%g) = %v, matplotlib gives %v", name, v[i], img.Pix[4*i:4*i+3], w)
					break
				}
			}
		}
	}
	t.Logf("%d colour maps, largest channel difference %d/255", len(names), worst)
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("index %d: %q vs %q", i, a[i], b[i])
		}
	}
	return "the tail"
}

// An unknown colour map is matplotlib's ValueError, with its message and list.
func TestUnknownColormapIsMatplotlibsError(t *testing.T) {
	res := pyref.Batch(t, mplPrelude, []string{`plt.imshow([[1, 2]], cmap="RdBu_rr")`})
	_, err := LookupColormap("RdBu_rr")
	if err == nil || res[0].Type != "ValueError" {
		t.Fatalf("ours %v, matplotlib %s", err, res[0].Err())
	}
	if got := strings.TrimPrefix(err.Error(), "ValueError: "); !strings.Contains(got, res[0].Message) {
		t.Errorf("message differs:\n ours %q\n mpl  %q", got, res[0].Message)
	}
}

// Each norm of matplotlib.colors maps data onto the colour map as matplotlib's does:
// the same RGBA bytes within 1/255, masked values (NaN, non-positive under LogNorm)
// transparent, and the same errors for limits in the wrong order.
func TestNormsMatchMatplotlib(t *testing.T) {
	data := []float64{-4, -2, -0.5, 0, 0.001, 0.3, 1, 2.5, 7, 10, 100, math.NaN()}
	f := func(v float64) *float64 { return &v }
	cases := []struct {
		py   string
		norm *Norm
	}{
		{"colors.Normalize()", &Norm{Kind: LinearNorm}},
		{"colors.Normalize(vmin=-1, vmax=5)", &Norm{Kind: LinearNorm, Vmin: f(-1), Vmax: f(5)}},
		{"colors.Normalize(vmin=-1, vmax=5, clip=True)", &Norm{Kind: LinearNorm, Vmin: f(-1), Vmax: f(5), Clip: true}},
		{"colors.LogNorm()", &Norm{Kind: LogNorm}},
		{"colors.LogNorm(vmin=0.01, vmax=50)", &Norm{Kind: LogNorm, Vmin: f(0.01), Vmax: f(50)}},
		{"colors.CenteredNorm()", &Norm{Kind: CenteredNorm}},
		{"colors.CenteredNorm(vcenter=1, halfrange=3)", &Norm{Kind: CenteredNorm, Vcenter: 1, Halfrange: f(3)}},
		{"colors.TwoSlopeNorm(0)", &Norm{Kind: TwoSlopeNorm}},
		{"colors.TwoSlopeNorm(1, vmin=-3, vmax=20)", &Norm{Kind: TwoSlopeNorm, Vcenter: 1, Vmin: f(-3), Vmax: f(20)}},
		{"colors.TwoSlopeNorm(200)", &Norm{Kind: TwoSlopeNorm, Vcenter: 200}},
	}
	var code []string
	for _, c := range cases {
		code = append(code, fmt.Sprintf(`d = np.ma.masked_invalid(np.array(%s))
n = %s
n.autoscale_None(d)
matplotlib.colormaps["RdBu_r"](n(d), bytes=True).tolist()`, pyFloats(data), c.py))
	}
	res := pyref.Batch(t, mplPrelude, code)
	cm, _ := LookupColormap("RdBu_r")
	for i, c := range cases {
		if res[i].Type != "" {
			t.Fatalf("%s: matplotlib raised %s", c.py, res[i].Err())
		}
		var want [][4]int
		if err := json.Unmarshal(res[i].Value, &want); err != nil {
			t.Fatalf("%s: %v", c.py, err)
		}
		sc, err := ResolveNorm(c.norm, nil, nil, data)
		if err != nil {
			t.Fatalf("%s: %v", c.py, err)
		}
		img := cm.ColorizeNorm(data, 1, len(data), sc, false)
		for j, w := range want {
			got := img.Pix[4*j : 4*j+4]
			if w[3] == 0 || (math.IsNaN(data[j])) {
				if got[3] != 0 {
					t.Errorf("%s: value %g drawn %v, matplotlib masks it", c.py, data[j], got)
				}
				continue
			}
			for k := range 3 {
				if d := int(got[k]) - w[k]; d < -1 || d > 1 {
					t.Errorf("%s: value %g coloured %v, matplotlib %v", c.py, data[j], got, w)
					break
				}
			}
		}
	}
}

func pyFloats(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		if math.IsNaN(x) {
			parts[i] = "float('nan')"
		} else {
			parts[i] = fmt.Sprint(x)
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
