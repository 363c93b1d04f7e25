package plot

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"gokist/obj"
	"gokist/runtime/plot/colors"

	"gokist/internal/pyref"
	"gokist/runtime/plot/draw"
)

// matplotlib runs a script under /usr/bin/python3 with matplotlib's Agg backend and
// decodes the JSON it prints last.
func matplotlib(t *testing.T, body string, into any) {
	t.Helper()
	script := "import json, io, math\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\nimport numpy as np\n" + body
	out := pyref.Run(t, script)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), into); err != nil {
		t.Fatalf("matplotlib output %q: %v", out, err)
	}
}

func newSession() (*Pyplot, *recorder, *obj.Env) {
	plt := NewPyplot()
	out := &recorder{}
	return plt, out, &obj.Env{Out: out, Services: map[string]any{ServiceName: plt}}
}

func wantValueError(t *testing.T, what string, err error, parts ...string) {
	t.Helper()
	oe, ok := err.(*obj.Error)
	if !ok || oe.Class != obj.ValueError {
		t.Errorf("%s: got %v, want a ValueError", what, err)
		return
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %q does not mention %q", what, err, p)
		}
	}
}

// figsize=(100, 100) is 100 megapixels: refused before anything is allocated, naming the
// size, the cap and the fix; 50×50 inches (25 megapixels) is the largest square allowed.
// matplotlib rejects negative and NaN sizes ("figure size must be positive finite"); we
// reject the same ones.
func TestFigureSizeIsCapped(t *testing.T) {
	plt, out, env := newSession()
	_, err := callErr(env, plt, "figure", nil, map[string]any{"figsize": obj.Tuple{100, 100}})
	wantValueError(t, "figsize=(100, 100)", err, "figsize=(100.0, 100.0)", "10000×10000", "100.0 megapixels", "25 megapixels", "smaller figsize")
	_, err = callErr(env, plt, "subplots", []any{2, 2}, map[string]any{"figsize": obj.Tuple{60, 60}})
	wantValueError(t, "subplots figsize=(60, 60)", err, "6000×6000", "25 megapixels")
	_, err = callErr(env, plt, "figure", nil, map[string]any{"figsize": obj.Tuple{101, 1}})
	wantValueError(t, "figsize=(101, 1)", err, "at most 100 inches")
	if err := plt.FlushCell(out); err != nil || len(out.bundles) != 0 {
		t.Fatalf("refused figures were shown (%d) or failed: %v", len(out.bundles), err)
	}
	f := call(t, env, plt, "figure", nil, map[string]any{"figsize": obj.Tuple{50, 50}}).(*draw.Figure)
	if w, h := f.PixelSize(); w*h != draw.MaxFigurePixels {
		t.Errorf("50×50 inches gives %d×%d pixels, want the cap %d", w, h, draw.MaxFigurePixels)
	}
	if _, err := draw.NewFigure(0.004, 1, 1, 1); err == nil {
		t.Error("a figure 0 pixels wide was accepted")
	}

	var mpl map[string]bool // size → matplotlib accepts it
	matplotlib(t, `
res = {}
for name, size in [("neg", (-1, 5)), ("nan", (float("nan"), 5)), ("inf", (float("inf"), 5)), ("ok", (8, 3))]:
    try:
        plt.figure(figsize=size); res[name] = True
    except ValueError:
        res[name] = False
print(json.dumps(res))`, &mpl)
	sizes := map[string]obj.Tuple{"neg": {-1, 5}, "nan": {math.NaN(), 5}, "inf": {math.Inf(1), 5}, "ok": {8, 3}}
	for name, size := range sizes {
		_, err := callErr(env, plt, "figure", nil, map[string]any{"figsize": size})
		if (err == nil) != mpl[name] {
			t.Errorf("figsize=%v: our error %v, matplotlib accepts: %v", size, err, mpl[name])
		}
	}
}

// A call that fails leaves nothing of itself: no figure when it made the figure, no
// line or image when the figure already had content. This is ds.plot(vmin=nan)'s path
// (runtime fetches plt.GCA() and calls Axes.Image) and plt.imshow's.
func TestFailedCallLeavesNoPartialFigure(t *testing.T) {
	plt, out, env := newSession()
	nan := math.NaN()
	image := []float64{1, 2, 3, 4}

	// As runtime's .plot(): the axes are fetched, then the image is refused.
	ax := plt.GCA()
	err := ax.Image(image, 2, 2, draw.ImageOptions{Vmin: &nan})
	wantValueError(t, "Image(vmin=nan)", err, "vmin", "nan")
	// plt.imshow with a bad vmin computes nothing.
	lazy := &lazyFake{shape: []int{3, 4}}
	_, err = callErr(env, plt, "imshow", []any{lazy}, map[string]any{"vmin": math.Inf(1)})
	wantValueError(t, "imshow(vmin=inf)", err, "vmin", "inf")
	if lazy.computed != 0 {
		t.Errorf("imshow with a bad vmin computed the data %d times", lazy.computed)
	}
	_, err = callErr(env, plt, "xlim", []any{"a"}, nil)
	if err == nil {
		t.Error(`xlim("a") accepted`)
	}
	_, err = callErr(env, plt, "colorbar", nil, nil)
	if err == nil {
		t.Error("colorbar() without an image accepted")
	}
	if err := plt.FlushCell(out); err != nil || len(out.bundles) != 0 {
		t.Fatalf("failed calls left %d figures to show (err %v)", len(out.bundles), err)
	}

	// With content already drawn, a failing call adds nothing and the figure stays.
	call(t, env, plt, "plot", []any{obj.List{1, 2, 3}}, nil)
	ax = plt.GCA()
	if _, err := callErr(env, plt, "plot", []any{obj.List{1, 2}, obj.List{1, 2}, "r", obj.List{1, 2}, obj.List{3, 4}, "zz"}, nil); err == nil {
		t.Fatal("format 'zz' accepted")
	}
	if _, err := callErr(env, plt, "plot", []any{obj.List{1, 2}, obj.List{obj.List{1, nan}, obj.List{2, nan}}}, nil); err == nil {
		t.Fatal("an all-NaN column accepted")
	}
	if err := ax.Image(image, 2, 2, draw.ImageOptions{Vmin: &nan}); err == nil {
		t.Fatal("vmin=nan accepted")
	}
	if ax.NumLines() != 1 || ax.NumImages() != 0 {
		t.Errorf("after failed calls the axes hold %d lines and %d images, want the 1 line drawn before", ax.NumLines(), ax.NumImages())
	}
	if err := plt.FlushCell(out); err != nil || len(out.bundles) != 1 {
		t.Fatalf("the figure with content was not shown once (%d) or failed: %v", len(out.bundles), err)
	}

	// plt.gca() asked for by the user is kept, as matplotlib shows that empty figure.
	call(t, env, plt, "gca", nil, nil)
	if _, err := callErr(env, plt, "imshow", []any{obj.List{obj.List{1, 2}}}, map[string]any{"vmin": nan}); err == nil {
		t.Fatal("vmin=nan accepted")
	}
	if n := len(plt.OpenFigures()); n != 1 {
		t.Errorf("%d figures open after plt.gca() and a failed imshow, want 1", n)
	}
}

// matplotlib raises "minvalue must be less than or equal to maxvalue" when the figure is
// drawn if vmin ends above vmax (either given or taken from the data), and draws vmin ==
// vmax; we raise a ValueError when the image is added, and draw vmin == vmax.
func TestColourLimitsAgreeWithMatplotlib(t *testing.T) {
	type limits struct {
		Vmin, Vmax *float64
	}
	f := func(v float64) *float64 { return &v }
	cases := []limits{{f(5), nil}, {nil, f(0)}, {f(2), f(2)}, {f(3), f(1)}, {f(1.5), f(3.5)}, {f(-10), nil}}
	var mpl []bool // matplotlib draws the case
	matplotlib(t, `
cases = json.loads('`+mustJSON(t, cases)+`')
res = []
for c in cases:
    plt.close("all")
    plt.imshow([[1, 2], [3, 4]], vmin=c["Vmin"], vmax=c["Vmax"])
    try:
        plt.savefig(io.BytesIO(), format="png"); res.append(True)
    except ValueError:
        res.append(False)
print(json.dumps(res))`, &mpl)
	for i, c := range cases {
		_, ax := newAxes(t, 2, 2)
		err := ax.Image([]float64{1, 2, 3, 4}, 2, 2, draw.ImageOptions{Vmin: c.Vmin, Vmax: c.Vmax})
		if (err == nil) != mpl[i] {
			t.Errorf("case %s: our error %v, matplotlib draws it: %v", mustJSON(t, c), err, mpl[i])
		}
		if err != nil && !strings.Contains(err.Error(), "vmin must be at most vmax") {
			t.Errorf("case %s: unclear error %v", mustJSON(t, c), err)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// pointOne and pointTwo are variables, so that their sum is rounded as Python's is (a
// constant expression would be exact).
var pointOne, pointTwo = 0.1, 0.2

// Labels and titles are Python's str() of what is passed, as matplotlib's Text does.
func TestTextArgumentsAreStrLikeMatplotlib(t *testing.T) {
	cases := []struct {
		py  string
		go_ any
	}{
		{"5", 5}, {"5.0", 5.0}, {"True", true}, {"1e16", 1e16}, {"1e15", 1e15}, {"1e-05", 1e-5},
		{"0.0001", 1e-4}, {"0.1 + 0.2", pointOne + pointTwo}, {"-2.5", -2.5}, {"float('nan')", math.NaN()},
		{"[1, 2.0]", obj.List{1, 2.0}}, {"(1,)", obj.Tuple{1}}, {"('a', None)", obj.Tuple{"a", nil}}, {"'x'", "x"},
	}
	var src []string
	for _, c := range cases {
		src = append(src, c.py)
	}
	var mpl struct{ Labels, Titles []string }
	matplotlib(t, `
vals = [`+strings.Join(src, ", ")+`]
labels = [plt.plot([1, 2], label=v)[0].get_label() for v in vals]
titles = [plt.title(v).get_text() for v in vals]
print(json.dumps({"Labels": labels, "Titles": titles}))`, &mpl)
	plt, _, env := newSession()
	for i, c := range cases {
		call(t, env, plt, "plot", []any{obj.List{1, 2}}, map[string]any{"label": c.go_})
		call(t, env, plt, "title", []any{c.go_}, nil)
		if got := plt.GCA().LineLabels()[i]; got != mpl.Labels[i] {
			t.Errorf("label=%s: %q, matplotlib %q", c.py, got, mpl.Labels[i])
		}
		if got := plt.GCA().Title(); got != mpl.Titles[i] {
			t.Errorf("title(%s): %q, matplotlib %q", c.py, got, mpl.Titles[i])
		}
	}
}

// lw=0 draws no line, as in matplotlib (LineStyle's zero width is the default 1.5, so
// the keyword must not fall through to it). Negative, non-finite and huge widths are a
// ValueError: matplotlib draws |lw|, nothing for NaN, crashes the interpreter for inf,
// and fills the axes for 1e9, which our renderer cannot draw.
func TestLineWidthKeyword(t *testing.T) {
	var mplInk map[string]int
	matplotlib(t, `
def ink(**kw):
    plt.close("all"); fig = plt.figure()
    plt.plot([1, 2], **kw)
    fig.canvas.draw(); a = np.asarray(fig.canvas.buffer_rgba()).astype(int)
    return int(((abs(a[..., 0] - 31) < 30) & (abs(a[..., 1] - 119) < 30) & (abs(a[..., 2] - 180) < 30)).sum())
print(json.dumps({"lw0": ink(lw=0), "lw3": ink(lw=3)}))`, &mplInk)
	ink := func(kw map[string]any) int {
		plt, _, env := newSession()
		call(t, env, plt, "plot", []any{obj.List{1, 2}}, kw)
		img := decode(t, plt.GCF())
		n := 0
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if near(img.At(x, y), colors.ColorCycle[0], 30) {
					n++
				}
			}
		}
		return n
	}
	if got := ink(map[string]any{"lw": 0}); (got == 0) != (mplInk["lw0"] == 0) {
		t.Errorf("lw=0 inks %d pixels, matplotlib %d", got, mplInk["lw0"])
	}
	// A 3-point line inks within a fifth of matplotlib's pixel count.
	if got, want := ink(map[string]any{"linewidth": 3}), mplInk["lw3"]; math.Abs(float64(got-want)) > 0.2*float64(want) {
		t.Errorf("lw=3 inks %d pixels, matplotlib %d", got, want)
	}
	plt, out, env := newSession()
	for _, c := range []struct {
		kw    map[string]any
		parts []string
	}{
		{map[string]any{"lw": -5}, []string{"linewidth", "negative", "-5.0"}},
		{map[string]any{"linewidth": 1e9}, []string{"linewidth=1000000000.0", "at most 100 points"}},
		{map[string]any{"lw": math.NaN()}, []string{"linewidth", "finite", "nan"}},
		{map[string]any{"lw": math.Inf(1)}, []string{"linewidth", "finite", "inf"}},
		{map[string]any{"ms": 1e9, "marker": "o"}, []string{"markersize", "at most 100 points"}},
		{map[string]any{"ms": -1}, []string{"markersize", "negative"}},
	} {
		_, err := callErr(env, plt, "plot", []any{obj.List{1, 2}}, c.kw)
		wantValueError(t, fmt.Sprint(c.kw), err, c.parts...)
	}
	// The Go API (runtime's ds.plot(linewidth=...)) checks the same.
	_, ax := newAxes(t, 2, 2)
	if err := ax.Line(nil, []float64{1, 2}, draw.LineStyle{LineWidth: -5}); err == nil || ax.NumLines() != 0 {
		t.Errorf("Line with width -5: %v, %d lines", err, ax.NumLines())
	}
	if err := plt.FlushCell(out); err != nil || len(out.bundles) != 0 {
		t.Fatalf("refused plots left %d figures (err %v)", len(out.bundles), err)
	}
}

// plt.show(5): matplotlib's inline backend takes it as show(close=5) and shows the
// figures; savefig's dpi is checked as matplotlib checks it (positive), though figures are
// always saved at 100 dpi.
func TestShowAndSavefigArguments(t *testing.T) {
	var mpl struct {
		ShowOpen int
		DPI      map[string]string
	}
	matplotlib(t, `
plt.switch_backend("module://matplotlib_inline.backend_inline")
plt.plot([1, 2])
plt.show(5)
show_open = len(plt.get_fignums())
dpi = {}
for name, v in [("neg", -5), ("zero", 0), ("str", "a"), ("fig", "figure"), ("300", 300)]:
    try:
        plt.plot([1]); plt.savefig(io.BytesIO(), dpi=v, format="png"); dpi[name] = ""
    except Exception as e:
        dpi[name] = type(e).__name__
print(json.dumps({"ShowOpen": show_open, "DPI": dpi}))`, &mpl)
	plt, out, env := newSession()
	call(t, env, plt, "plot", []any{obj.List{1, 2}}, nil)
	call(t, env, plt, "show", []any{5}, nil)
	if len(out.bundles) != 1 || len(plt.OpenFigures()) != mpl.ShowOpen {
		t.Errorf("show(5) showed %d figures and left %d open; matplotlib shows 1 and leaves %d", len(out.bundles), len(plt.OpenFigures()), mpl.ShowOpen)
	}
	call(t, env, plt, "plot", []any{obj.List{1, 2}}, nil)
	call(t, env, plt, "show", nil, map[string]any{"close": true, "block": false})
	if len(out.bundles) != 2 {
		t.Errorf("show(close=True, block=False) did not show the figure")
	}
	dir := t.TempDir()
	for name, v := range map[string]any{"neg": -5, "zero": 0, "str": "a", "fig": "figure", "300": 300} {
		call(t, env, plt, "plot", []any{obj.List{1, 2}}, nil)
		_, err := callErr(env, plt, "savefig", []any{dir + "/f.png"}, map[string]any{"dpi": v})
		got := ""
		if oe, ok := err.(*obj.Error); ok {
			got = oe.Class
		} else if err != nil {
			got = err.Error()
		}
		if got != mpl.DPI[name] {
			t.Errorf("savefig(dpi=%v): %q, matplotlib %q", v, got, mpl.DPI[name])
		}
	}
}
