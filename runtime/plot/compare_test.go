package plot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/lang"
)

// compareCase is one script that runs unchanged in gokist and in matplotlib 3.6 (Agg):
// it leaves the figure in `fig` and the axes to compare in `ax`.
type compareCase struct {
	name, script string
	saveKw       string // savefig's keyword arguments, e.g. "dpi=150"
	// noXTicks and noYTicks skip the tick comparison of an axis whose ticks matplotlib
	// places with a locator gokist does not have (said per case).
	noXTicks, noYTicks bool
}

var compareCases = []compareCase{
	{name: "fmt strings, legend, grid", script: `
x = [i * 0.1 for i in range(60)]
fig, ax = plt.subplots()
ax.plot(x, [v * v for v in x], "k--", label="square")
ax.plot(x, [10 - v for v in x], "o", label="line")
ax.legend(loc="upper left")
ax.grid(True)`},
	{name: "scatter c= with a colour bar", script: `
x = [i % 7 for i in range(40)]
y = [(i * 37) % 11 for i in range(40)]
fig, ax = plt.subplots()
sc = ax.scatter(x, y, c=[i * 0.5 for i in range(40)], s=40, cmap="plasma")
fig.colorbar(sc, ax=ax, label="time [s]")`},
	{name: "errorbar", script: `
fig, ax = plt.subplots()
ax.errorbar([1, 2, 3, 4, 5], [2.0, 3.5, 3.0, 4.5, 4.0], yerr=[0.2, 0.4, 0.3, 0.5, 0.2], fmt="o", capsize=3)`},
	{name: "fill_between and reference lines", script: `
x = [i * 0.05 for i in range(100)]
fig, ax = plt.subplots()
ax.fill_between(x, [v * 0.5 for v in x], [v * 0.5 + 1 for v in x], alpha=0.3)
ax.plot(x, [v * 0.5 + 0.5 for v in x])
ax.axvline(2.5, color="k", linestyle="--")
ax.axhline(1.0, color="r")
ax.axvspan(1, 1.5, color="grey", alpha=0.3)`},
	{name: "hist", script: `
data = [((i * 7919) % 1000) / 100.0 for i in range(500)]
fig, ax = plt.subplots()
n, bins, patches = ax.hist(data, bins=20)`},
	{name: "hist step", script: `
data = [((i * 7919) % 1000) / 100.0 for i in range(500)]
fig, ax = plt.subplots()
n, bins, patches = ax.hist(data, bins=15, histtype="step")`},
	{name: "bar", script: `
fig, ax = plt.subplots()
ax.bar([1, 2, 3, 4], [3, 7, 2, 5], color="C1")`},
	{name: "step", script: `
fig, ax = plt.subplots()
ax.step([0, 1, 2, 3, 4, 5], [1, 3, 2, 4, 3, 5], where="mid")`},
	{name: "semilogy", script: `
x = [i for i in range(1, 40)]
fig, ax = plt.subplots()
ax.semilogy(x, [10 ** (v / 10) for v in x])`},
	{name: "loglog", script: `
x = [1.5 ** i for i in range(1, 30)]
fig, ax = plt.subplots()
ax.loglog(x, [v ** 1.5 for v in x], "r-")`},
	{name: "imshow RdBu_r CenteredNorm extent", script: `
from matplotlib.colors import CenteredNorm
z = [[(r - 10) * (c - 15) / 50.0 for c in range(30)] for r in range(20)]
fig, ax = plt.subplots()
im = ax.imshow(z, cmap="RdBu_r", norm=CenteredNorm(), origin="lower", extent=(0, 3, 0, 2), aspect="auto")
fig.colorbar(im, ax=ax)`},
	{name: "imshow LogNorm", script: `
from matplotlib.colors import LogNorm
z = [[1.0 + (r * 30 + c) ** 2 for c in range(30)] for r in range(30)]
fig, ax = plt.subplots()
im = ax.imshow(z, norm=LogNorm(), cmap="magma")
fig.colorbar(im)`},
	{name: "pcolormesh", script: `
z = [[(r * c) % 9 for c in range(12)] for r in range(8)]
fig, ax = plt.subplots()
m = ax.pcolormesh([c * 0.5 for c in range(13)], [r * 2 for r in range(9)], z, cmap="cividis")
fig.colorbar(m)`},
	{name: "pcolormesh uneven edges", script: `
z = [[(r * 3 + c * 5) % 11 for c in range(6)] for r in range(5)]
fig, ax = plt.subplots()
m = ax.pcolormesh([0, 1, 1.5, 3, 7, 8, 12], [0.5, 1, 4, 4.2, 6, 9], z, cmap="RdBu_r", vmin=0, vmax=10)
fig.colorbar(m, ax=ax, label="value")`},
	{name: "pcolormesh curvilinear centres", script: `
rows, cols = 12, 16
cos, sin = 0.8775825618903728, 0.479425538604203
X = [[(c - 8) * cos - (r - 6) * sin + 0.02 * r * c for c in range(cols)] for r in range(rows)]
Y = [[(c - 8) * sin + (r - 6) * cos for c in range(cols)] for r in range(rows)]
z = [[((r - 6) ** 2 - (c - 8) ** 2) / 10.0 for c in range(cols)] for r in range(rows)]
fig, ax = plt.subplots()
m = ax.pcolormesh(X, Y, z, cmap="viridis", shading="auto")
fig.colorbar(m)`},
	{name: "pcolormesh curvilinear flat", script: `
X = [[c + 0.3 * r for c in range(9)] for r in range(7)]
Y = [[r + 0.1 * c * c / 8 for c in range(9)] for r in range(7)]
z = [[(r + c) % 5 for c in range(8)] for r in range(6)]
fig, ax = plt.subplots()
m = ax.pcolormesh(X, Y, z, cmap="plasma", shading="flat")`},
	{name: "colorbar shrink pad fraction", script: `
z = [[(r - 10) * (c - 15) for c in range(30)] for r in range(20)]
fig, ax = plt.subplots()
im = ax.imshow(z, cmap="RdBu_r", aspect="auto")
fig.colorbar(im, ax=ax, shrink=0.6, pad=0.1, fraction=0.1, label="product")`},
	{name: "colorbar aspect", script: `
fig, ax = plt.subplots()
m = ax.pcolormesh([[1, 2, 3], [4, 5, 6]], cmap="magma")
plt.colorbar(m, aspect=10, shrink=0.8, pad=0)`},
	{name: "legend ncol title", script: `
x = [i * 0.1 for i in range(50)]
fig, ax = plt.subplots()
for k in range(5):
    ax.plot(x, [v * (k + 1) for v in x], label="k = %d" % k)
ax.legend(ncol=2, title="slopes", loc="upper left")`},
	{name: "legend frameon False", script: `
fig, ax = plt.subplots()
ax.plot([1, 2, 3], [3, 1, 2], "o-", label="data")
ax.bar([1, 2, 3], [1, 2, 1], alpha=0.5, label="bars")
ax.legend(frameon=False, loc="upper right", fontsize=12)`},
	{name: "contourf and contour", script: `
z = [[((c - 20) ** 2 + (r - 15) ** 2) / 100.0 for c in range(40)] for r in range(30)]
fig, ax = plt.subplots()
cs = ax.contourf(z, levels=8, cmap="viridis")
ax.contour(z, levels=8, colors="k")
fig.colorbar(cs)`},
	{name: "text and annotate", script: `
fig, ax = plt.subplots()
ax.plot([0, 1, 2, 3], [0, 1, 0, 1])
ax.text(0.5, 0.9, "peak", fontsize=12)
ax.annotate("dip", xy=(2, 0), xytext=(2.2, 0.5), arrowprops=dict(color="k"))
ax.text(0.05, 0.05, "corner", transform=ax.transAxes)`},
	{name: "subplots sharex sharey", script: `
fig, axs = plt.subplots(2, 2, sharex=True, sharey="row", figsize=(8, 6))
axs[0, 0].plot([1, 2, 3], [1, 4, 9])
axs[1, 1].plot([0, 10], [5, 6])
axs[0, 1].scatter([4, 5], [20, 30])
ax = axs[0, 1]`},
	{name: "twinx", script: `
fig, ax1 = plt.subplots()
ax1.plot([630.0, 630.1, 630.2, 630.3], [1.0, 0.7, 0.4, 0.9])
ax = ax1.twinx()
ax.plot([630.0, 630.1, 630.2, 630.3], [0.01, -0.02, 0.03, 0.0], "r")
ax.set_ylabel("V/I")`},
	{name: "twiny", script: `
fig, ax1 = plt.subplots()
ax1.plot([630.0, 630.1, 630.2, 630.3], [1.0, 0.7, 0.4, 0.9])
ax1.set_xlabel("wavelength [nm]")
ax = ax1.twiny()
ax.plot([-40, -20, 0, 20], [0.5, 0.6, 0.8, 0.7], "g")
ax.set_xlabel("velocity [km/s]")`},
	{name: "savefig dpi 150", saveKw: "dpi=150", script: `
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot([1, 2, 3], [3, 1, 2], "g-o")`},
	{name: "rc_context figure dpi and line width", script: `
with plt.rc_context({"figure.dpi": 80, "lines.linewidth": 3, "figure.figsize": (5, 4)}):
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [2, 0, 1])`},
	{name: "figure dpi, add_subplot, suptitle", script: `
fig = plt.figure(figsize=(6, 6), dpi=72)
ax = fig.add_subplot(2, 1, 2)
ax.plot([1, 2, 3, 4], [10, 20, 15, 30])
fig.add_subplot(211).bar([1, 2], [3, 4])
fig.suptitle("two panels")`},
	{name: "font.size and legend fontsize", script: `
plt.rcParams["font.size"] = 14
fig, ax = plt.subplots()
ax.plot([1, 2, 3], [2, 1, 3], label="I")
ax.plot([1, 2, 3], [1, 3, 2], label="V")
ax.legend(fontsize="small", loc="lower right")
ax.set_xlabel("wavelength [nm]")
ax.set_title("Stokes")`},
	// matplotlib's SymmetricalLogLocator puts ticks at every decade and 0; gokist's
	// symlog ticks are the same values, but matplotlib also returns ticks beyond the
	// view from its locator, so y ticks are compared on the picture only.
	{name: "symlog", script: `
x = [i - 50 for i in range(101)]
fig, ax = plt.subplots()
ax.plot(x, [v ** 3 for v in x])
ax.set_yscale("symlog")`, noYTicks: true},
}

// Each case renders in gokist and in matplotlib 3.6 (Agg): the same figure size in
// pixels, the same axis limits and tick locations, and PNGs whose mean absolute grey
// difference is under 40 of 255 (the same layout, not pixel identity); each score is
// logged. GOKIST_KEEP_PLOTS=dir keeps both pictures of each case for a look.
func TestPlotsMatchMatplotlib(t *testing.T) {
	dir := t.TempDir()
	var code []string
	for i, c := range compareCases {
		code = append(code, c.script+fmt.Sprintf("\n_report(fig, ax, %q, dict(%s))", filepath.Join(dir, fmt.Sprintf("mpl%d.png", i)), c.saveKw))
	}
	res := pyref.Batch(t, comparePrelude, code)
	for i, c := range compareCases {
		t.Run(c.name, func(t *testing.T) {
			if res[i].Type != "" {
				t.Fatalf("matplotlib: %s\n%s", res[i].Err(), res[i].Traceback)
			}
			var want report
			if err := json.Unmarshal(res[i].Value, &want); err != nil {
				t.Fatalf("matplotlib report %s: %v", res[i].Value, err)
			}
			mpl, gk := filepath.Join(dir, fmt.Sprintf("mpl%d.png", i)), filepath.Join(dir, fmt.Sprintf("gk%d.png", i))
			got := gokistReport(t, c.script, gk, c.saveKw)
			compareReports(t, c, got, want, mpl, gk)
		})
	}
}

const comparePrelude = `import json
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
def _report(fig, ax, path, kw):
    fig.savefig(path, **kw)
    def ticks(values, lim):
        lo, hi = min(lim), max(lim)
        eps = 1e-9 * (hi - lo)
        return [float(v) for v in values if lo - eps <= v <= hi + eps]
    xl, yl = ax.get_xlim(), ax.get_ylim()
    out = {"xlim": [float(v) for v in xl], "ylim": [float(v) for v in yl],
           "xticks": ticks(ax.get_xticks(), xl), "yticks": ticks(ax.get_yticks(), yl)}
    plt.close("all")
    matplotlib.rcdefaults()  # a case's rcParams end with it (matplotlib draws ticks with the rcParams of draw time)
    return out
`

type report struct {
	XLim, YLim     []float64
	XTicks, YTicks []float64
}

var number = regexp.MustCompile(`-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?`)

// gokistReport runs the script in a gokist session and reads the same values.
func gokistReport(t *testing.T, script, path, saveKw string) report {
	t.Helper()
	s := lang.NewSession()
	run := func(code string) string {
		t.Helper()
		res, err := s.Execute(context.Background(), code, nil)
		if err != nil {
			t.Fatalf("gokist: %v\n%s", err, code)
		}
		text, _ := res["text/plain"].(string)
		return text
	}
	if saveKw != "" {
		saveKw = ", " + saveKw
	}
	run("import matplotlib.pyplot as plt\n" + script + fmt.Sprintf("\nfig.savefig(%q%s)", path, saveKw))
	nums := func(code string) []float64 {
		var out []float64
		for _, m := range number.FindAllString(run(code), -1) {
			f, err := strconv.ParseFloat(m, 64)
			if err != nil {
				t.Fatalf("%s: %v", code, err)
			}
			out = append(out, f)
		}
		return out
	}
	return report{XLim: nums("ax.get_xlim()"), YLim: nums("ax.get_ylim()"), XTicks: nums("ax.get_xticks()"), YTicks: nums("ax.get_yticks()")}
}

func compareReports(t *testing.T, c compareCase, got, want report, mplPNG, gkPNG string) {
	t.Helper()
	near := func(a, b, scale float64) bool { return math.Abs(a-b) <= 1e-6*scale }
	pairs := func(what string, g, w []float64, scale float64) {
		if len(g) != len(w) {
			t.Errorf("%s: gokist %v, matplotlib %v", what, g, w)
			return
		}
		for i := range g {
			if !near(g[i], w[i], scale) {
				t.Errorf("%s: gokist %v, matplotlib %v", what, g, w)
				return
			}
		}
	}
	xs, ys := math.Abs(want.XLim[1]-want.XLim[0]), math.Abs(want.YLim[1]-want.YLim[0])
	pairs("xlim", got.XLim, want.XLim, xs)
	pairs("ylim", got.YLim, want.YLim, ys)
	sort.Float64s(got.XTicks)
	sort.Float64s(got.YTicks)
	sort.Float64s(want.XTicks)
	sort.Float64s(want.YTicks)
	if !c.noXTicks {
		pairs("x ticks", got.XTicks, want.XTicks, math.Max(xs, math.Abs(want.XLim[1])))
	}
	if !c.noYTicks {
		pairs("y ticks", got.YTicks, want.YTicks, math.Max(ys, math.Abs(want.YLim[1])))
	}
	if dir := os.Getenv("GOKIST_KEEP_PLOTS"); dir != "" {
		name := strings.NewReplacer(" ", "_", ",", "", "=", "").Replace(c.name)
		copyFile(t, mplPNG, filepath.Join(dir, name+"_mpl.png"))
		copyFile(t, gkPNG, filepath.Join(dir, name+"_gk.png"))
	}
	a, b := readPNG(t, mplPNG), readPNG(t, gkPNG)
	if a.Bounds().Size() != b.Bounds().Size() {
		t.Fatalf("figure size: gokist %v px, matplotlib %v px", b.Bounds().Size(), a.Bounds().Size())
	}
	score := meanGreyDiff(a, b)
	t.Logf("%s: mean grey difference %.1f of 255", c.name, score)
	if score >= 40 {
		t.Errorf("%s: mean grey difference %.1f >= 40", c.name, score)
	}
}

func copyFile(t *testing.T, from, to string) {
	b, err := os.ReadFile(from)
	if err == nil {
		err = os.WriteFile(to, b, 0o644)
	}
	if err != nil {
		t.Log(err)
	}
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// meanGreyDiff is the mean absolute difference of two same-sized images in grey levels
// (0..255), transparent pixels taken as white (the figure background).
func meanGreyDiff(a, b image.Image) float64 {
	grey := func(img image.Image, x, y int) float64 {
		r, g, bl, al := img.At(x, y).RGBA()
		w := float64(0xffff - al) // over white
		return (0.299*(float64(r)+w) + 0.587*(float64(g)+w) + 0.114*(float64(bl)+w)) / 257
	}
	ra, rb := a.Bounds(), b.Bounds()
	sum := 0.0
	for y := 0; y < ra.Dy(); y++ {
		for x := 0; x < ra.Dx(); x++ {
			sum += math.Abs(grey(a, ra.Min.X+x, ra.Min.Y+y) - grey(b, rb.Min.X+x, rb.Min.Y+y))
		}
	}
	return sum / float64(ra.Dx()*ra.Dy())
}

// savefig(bbox_inches="tight") crops the PNG to what is drawn plus 0.1 inch: smaller
// than the figure on every side where matplotlib's is (fonts differ, so sizes are
// compared within 10%).
func TestSavefigBboxTight(t *testing.T) {
	dir := t.TempDir()
	script := `
fig, ax = plt.subplots(figsize=(6, 6))
ax.plot([1, 2, 3], [3, 1, 2])
ax.set_title("tight")`
	res := pyref.Batch(t, comparePrelude, []string{script + fmt.Sprintf("\nfig.savefig(%q, bbox_inches='tight')\n0", filepath.Join(dir, "mpl.png"))})
	if res[0].Type != "" {
		t.Fatal(res[0].Err())
	}
	s := lang.NewSession()
	if _, err := s.Execute(context.Background(), "import matplotlib.pyplot as plt\n"+script+fmt.Sprintf("\nfig.savefig(%q, bbox_inches='tight')", filepath.Join(dir, "gk.png")), nil); err != nil {
		t.Fatal(err)
	}
	want, got := readPNG(t, filepath.Join(dir, "mpl.png")).Bounds().Size(), readPNG(t, filepath.Join(dir, "gk.png")).Bounds().Size()
	t.Logf("bbox_inches='tight': gokist %v px, matplotlib %v px (figure 600x600)", got, want)
	if got.X >= 600 || got.Y >= 600 || math.Abs(float64(got.X-want.X)) > 0.1*float64(want.X) || math.Abs(float64(got.Y-want.Y)) > 0.1*float64(want.Y) {
		t.Errorf("tight PNG %v, matplotlib %v", got, want)
	}
}
