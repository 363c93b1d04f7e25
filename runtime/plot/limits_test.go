package plot

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
	"gokist/runtime/plot/colors"
	"gokist/runtime/plot/draw"
)

// frame is an axes frame found in a rendered PNG: the centres of its four spines, in
// image pixels (origin top left).
type frame struct{ left, right, top, bottom float64 }

// spineInk reports whether c is the dark grey of an anti-aliased black spine (and not a
// dark colour of a colour map).
func spineInk(c color.Color) bool {
	r, g, b := rgb(c)
	hi := max(r, g, b)
	lo := min(r, g, b)
	return hi < 170 && int(hi)-int(lo) < 30
}

// spineCentres finds the first and last run of lines (columns or rows) holding at least
// need pixels of spine ink within [from, to) of the other direction, and returns the
// darkness-weighted centre of each run.
func spineCentres(img image.Image, vertical bool, from, to, need int) (first, last float64, ok bool) {
	b := img.Bounds()
	n, m := b.Dx(), b.Dy()
	if !vertical {
		n, m = m, n
	}
	at := func(i, j int) color.Color {
		if vertical {
			return img.At(i, j)
		}
		return img.At(j, i)
	}
	from, to = max(from, 0), min(to, m)
	type run struct{ sum, weight float64 }
	var runs []run
	in := false
	for i := range n {
		count, weight := 0, 0.0
		for j := from; j < to; j++ {
			if c := at(i, j); spineInk(c) {
				count++
				r, _, _ := rgb(c)
				weight += 255 - float64(r)
			}
		}
		if count >= need {
			if !in {
				runs = append(runs, run{})
			}
			runs[len(runs)-1].sum += float64(i) * weight
			runs[len(runs)-1].weight += weight
			in = true
		} else {
			in = false
		}
	}
	if len(runs) < 2 {
		return 0, 0, false
	}
	f, l := runs[0], runs[len(runs)-1]
	return f.sum / f.weight, l.sum / l.weight, true
}

// findFrame locates the one axes frame of a rendered figure from its pixels alone, so
// that gokist's and matplotlib's images are measured the same way.
func findFrame(t *testing.T, img image.Image, what string) frame {
	t.Helper()
	b := img.Bounds()
	var fr frame
	var ok bool
	if fr.left, fr.right, ok = spineCentres(img, true, 0, b.Dy(), b.Dy()/4); !ok {
		t.Fatalf("%s: no left and right spines found", what)
	}
	need := int(0.6 * (fr.right - fr.left))
	if fr.top, fr.bottom, ok = spineCentres(img, false, int(fr.left)+2, int(fr.right)-1, need); !ok {
		t.Fatalf("%s: no top and bottom spines found", what)
	}
	return fr
}

// pixel maps data (x, y) to image pixels inside fr for the limits (left, right) and
// (bottom, top), which may run either way: plain linear interpolation, as matplotlib.
func (fr frame) pixel(x, y float64, xlim, ylim [2]float64) (px, py float64) {
	px = fr.left + (x-xlim[0])/(xlim[1]-xlim[0])*(fr.right-fr.left)
	py = fr.bottom - (y-ylim[0])/(ylim[1]-ylim[0])*(fr.bottom-fr.top)
	return px, py
}

// colourful reports whether c is clearly not grey (a line or colour-map colour rather
// than text, ticks or background).
func colourful(c color.Color) bool {
	r, g, b := rgb(c)
	return int(max(r, g, b))-int(min(r, g, b)) > 40
}

// inkOutside returns the first colourful pixel outside fr widened by slack, if any.
func inkOutside(img image.Image, fr frame, slack float64) (image.Point, bool) {
	b := img.Bounds()
	for py := b.Min.Y; py < b.Max.Y; py++ {
		for px := b.Min.X; px < b.Max.X; px++ {
			x, y := float64(px), float64(py)
			if x >= fr.left-slack && x <= fr.right+slack && y >= fr.top-slack && y <= fr.bottom+slack {
				continue
			}
			if colourful(img.At(px, py)) {
				return image.Pt(px, py), true
			}
		}
	}
	return image.Point{}, false
}

// blueRowCentre is the mean row of line-colour pixels in column px, between rows y0 and y1.
func blueRowCentre(img image.Image, px, y0, y1 int) (float64, bool) {
	sum, n := 0.0, 0
	for py := y0; py <= y1; py++ {
		if near(img.At(px, py), colors.ColorCycle[0], 60) {
			sum += float64(py)
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

// QA A3: limits narrower than the data must narrow the drawn range. The line through
// (1, 10) … (4, 40) is y = 10x; with the limits set, each column of the axes box must
// show the line at the row that linear interpolation between the limits gives, and no
// line colour may fall outside the box (markers included). Reversed limits invert the
// axis, as matplotlib does.
func TestNarrowLimitsPlaceTheLineLinearly(t *testing.T) {
	cases := []struct {
		name       string
		xlim, ylim [2]float64
		useAxes    bool // ax.set_xlim/set_ylim rather than plt.xlim/ylim
		limitFirst bool // limits set before plotting
		format     string
	}{
		{name: "plt.xlim/ylim", xlim: [2]float64{2, 3}, ylim: [2]float64{15, 35}},
		{name: "xlim before plot", xlim: [2]float64{2, 3}, ylim: [2]float64{15, 35}, limitFirst: true},
		{name: "ax.set_xlim with markers", xlim: [2]float64{1.5, 3.5}, ylim: [2]float64{12, 38}, useAxes: true, format: "o-"},
		{name: "inverted x and y", xlim: [2]float64{3, 2}, ylim: [2]float64{35, 15}, useAxes: true},
		{name: "inverted x only, markers", xlim: [2]float64{3.6, 1.4}, ylim: [2]float64{0, 50}, format: "s-"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plt := NewPyplot()
			env := &obj.Env{Out: &recorder{}, Services: map[string]any{ServiceName: plt}}
			setLimits := func() {
				var recv obj.Object = plt
				xname, yname := "xlim", "ylim"
				if c.useAxes {
					recv, xname, yname = plt.GCA(), "set_xlim", "set_ylim"
				}
				got := call(t, env, recv, xname, []any{c.xlim[0], c.xlim[1]}, nil).(obj.Tuple)
				if got[0] != c.xlim[0] || got[1] != c.xlim[1] {
					t.Errorf("%s returned %v, want %v", xname, got, c.xlim)
				}
				call(t, env, recv, yname, []any{c.ylim[0], c.ylim[1]}, nil)
			}
			if c.limitFirst {
				setLimits()
			}
			pos := []any{obj.List{1, 2, 3, 4}, obj.List{10, 20, 30, 40}}
			if c.format != "" {
				pos = append(pos, c.format)
			}
			call(t, env, plt, "plot", pos, nil)
			if !c.limitFirst {
				setLimits()
			}
			if lo, hi := plt.GCA().XLim(); lo != c.xlim[0] || hi != c.xlim[1] {
				t.Errorf("XLim() = (%g, %g) after plotting, want %v", lo, hi, c.xlim)
			}
			img := decode(t, plt.GCF())
			fr := findFrame(t, img, c.name)
			for _, rx := range []float64{0.03, 0.2, 0.5, 0.8, 0.97} {
				x := c.xlim[0] + rx*(c.xlim[1]-c.xlim[0])
				px, py := fr.pixel(x, 10*x, c.xlim, c.ylim)
				col := int(math.Round(px))
				got, ok := blueRowCentre(img, col, int(fr.top)+2, int(fr.bottom)-2)
				if !ok {
					t.Errorf("x = %g: no line in pixel column %d (frame %+v)", x, col, fr)
					continue
				}
				// The line's slope spreads its ink over a few rows of the column.
				if math.Abs(got-py) > 2 {
					t.Errorf("x = %g: line at row %.1f of column %d, want %.1f (frame %+v)", x, got, col, py, fr)
				}
			}
			if p, ok := inkOutside(img, fr, 1.5); ok {
				t.Errorf("line colour %v at %v, outside the axes frame %+v", img.At(p.X, p.Y), p, fr)
			}
		})
	}
}

// The data point's pixel reported by DataToPixel agrees with the pixels, for narrowed
// and inverted limits.
func TestDataToPixelFollowsLimits(t *testing.T) {
	f, a := newAxes(t, draw.DefaultWidth, draw.DefaultHeight)
	if err := a.Line([]float64{0, 10}, []float64{0, 100}, draw.LineStyle{}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetXLim(8, 4); err != nil {
		t.Fatal(err)
	}
	if err := a.SetYLim(30, 90); err != nil {
		t.Fatal(err)
	}
	img := decode(t, f)
	fr := findFrame(t, img, "DataToPixel")
	for _, x := range []float64{4.5, 6, 7.5} {
		px, py, _ := a.DataToPixel(x, 10*x)
		wx, wy := fr.pixel(x, 10*x, [2]float64{8, 4}, [2]float64{30, 90})
		if math.Abs(px-wx) > 1 || math.Abs(py-wy) > 1 {
			t.Errorf("DataToPixel(%g) = (%.1f, %.1f), the frame puts it at (%.1f, %.1f)", x, px, py, wx, wy)
		}
	}
}

// imageCase is one imshow with limits, drawn both by gokist and by matplotlib.
type imageCase struct {
	Name   string      `json:"name"`
	Origin string      `json:"origin"`
	XLim   *[2]float64 `json:"xlim"`
	YLim   *[2]float64 `json:"ylim"`
}

const imageRows, imageCols = 8, 10

// QA A3 for images: imshow with narrowed, fractional and reversed limits must show the
// same pixels at the same places of the axes box as matplotlib, whose PNGs are measured
// the same way (frame found from the pixels), and no image colour may spill outside the
// box, even where a limit cuts a pixel in half.
func TestImageLimitsMatchMatplotlib(t *testing.T) {
	lim := func(a, b float64) *[2]float64 { return &[2]float64{a, b} }
	cases := []imageCase{
		{Name: "plain", Origin: "upper"},
		{Name: "narrow, half pixels", Origin: "upper", XLim: lim(2.0, 6.0), YLim: lim(6.0, 1.0)},
		{Name: "upper made upright", Origin: "upper", YLim: lim(1.0, 6.0)},
		{Name: "lower, x inverted", Origin: "lower", XLim: lim(7.3, 1.7), YLim: lim(0.2, 5.6)},
		{Name: "beyond the image", Origin: "lower", XLim: lim(-3, 12), YLim: lim(4.2, 9.5)},
	}
	dir := t.TempDir()
	spec, err := json.Marshal(map[string]any{"dir": dir, "rows": imageRows, "cols": imageCols, "cases": cases})
	if err != nil {
		t.Fatal(err)
	}
	script := `
import json, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
spec = json.loads(sys.stdin.read())
data = np.arange(spec["rows"] * spec["cols"], dtype=float).reshape(spec["rows"], spec["cols"])
out = []
for i, c in enumerate(spec["cases"]):
    fig = plt.figure()
    plt.imshow(data, origin=c["origin"], cmap="viridis", vmin=0, vmax=data.max())
    if c["xlim"]:
        plt.xlim(*c["xlim"])
    if c["ylim"]:
        plt.ylim(*c["ylim"])
    path = "%s/mpl%d.png" % (spec["dir"], i)
    fig.savefig(path, dpi=100)
    out.append({"path": path, "xlim": list(plt.xlim()), "ylim": list(plt.ylim())})
    plt.close(fig)
print(json.dumps(out))
`
	var ref []struct {
		Path string     `json:"path"`
		XLim [2]float64 `json:"xlim"`
		YLim [2]float64 `json:"ylim"`
	}
	out := pyref.RunInput(t, spec, script)
	if err := json.Unmarshal(out, &ref); err != nil {
		t.Fatalf("matplotlib reference: %v\n%s", err, out)
	}
	data := make([]float64, imageRows*imageCols)
	for i := range data {
		data[i] = float64(i)
	}
	for i, c := range cases {
		f, a := newAxes(t, draw.DefaultWidth, draw.DefaultHeight)
		if err := a.Image(data, imageRows, imageCols, draw.ImageOptions{Cmap: "viridis", Origin: c.Origin, Aspect: "equal"}); err != nil {
			t.Fatal(err)
		}
		if c.XLim != nil {
			if err := a.SetXLim(c.XLim[0], c.XLim[1]); err != nil {
				t.Fatal(err)
			}
		}
		if c.YLim != nil {
			if err := a.SetYLim(c.YLim[0], c.YLim[1]); err != nil {
				t.Fatal(err)
			}
		}
		xlim, ylim := ref[i].XLim, ref[i].YLim
		if lo, hi := a.XLim(); lo != xlim[0] || hi != xlim[1] {
			t.Errorf("%s: xlim (%g, %g), matplotlib (%g, %g)", c.Name, lo, hi, xlim[0], xlim[1])
		}
		if lo, hi := a.YLim(); lo != ylim[0] || hi != ylim[1] {
			t.Errorf("%s: ylim (%g, %g), matplotlib (%g, %g)", c.Name, lo, hi, ylim[0], ylim[1])
		}
		ours := decode(t, f)
		raw, err := os.ReadFile(ref[i].Path)
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		frOurs, frTheirs := findFrame(t, ours, c.Name+" (gokist)"), findFrame(t, theirs, c.Name+" (matplotlib)")
		// Sample a quarter pixel either side of each pixel centre inside the limits, and
		// just inside the limits themselves (where a cut pixel shows).
		samples := func(lim [2]float64, n int) []float64 {
			lo, hi := math.Min(lim[0], lim[1]), math.Max(lim[0], lim[1])
			vs := []float64{lo + 0.08, hi - 0.08}
			for k := range n {
				for _, v := range []float64{float64(k) - 0.25, float64(k) + 0.25} {
					if v > lo+0.1 && v < hi-0.1 {
						vs = append(vs, v)
					}
				}
			}
			return vs
		}
		bad := 0
		for _, x := range samples(xlim, imageCols) {
			for _, y := range samples(ylim, imageRows) {
				ox, oy := frOurs.pixel(x, y, xlim, ylim)
				tx, ty := frTheirs.pixel(x, y, xlim, ylim)
				co, ct := ours.At(int(ox), int(oy)), theirs.At(int(tx), int(ty))
				ro, go_, bo := rgb(co)
				rt, gt, bt := rgb(ct)
				if absDiff(ro, rt) > 6 || absDiff(go_, gt) > 6 || absDiff(bo, bt) > 6 {
					if bad++; bad <= 5 {
						t.Errorf("%s: data (%g, %g) is %v at (%.0f, %.0f); matplotlib %v at (%.0f, %.0f)",
							c.Name, x, y, co, ox, oy, ct, tx, ty)
					}
				}
			}
		}
		if p, ok := inkOutside(ours, frOurs, 1.5); ok {
			t.Errorf("%s: image colour %v at %v, outside the axes frame %+v", c.Name, ours.At(p.X, p.Y), p, frOurs)
		}
		// The SVG path cuts the image itself (no clipping there); it must still render.
		if svg, err := f.SVG(); err != nil || !strings.Contains(string(svg), "<image") {
			t.Errorf("%s: SVG without the image (err %v)", c.Name, err)
		}
		if t.Failed() {
			os.WriteFile(filepath.Join(os.TempDir(), "gokist-limits-"+strings.ReplaceAll(c.Name, " ", "_")+".png"), mustPNG(t, f), 0o644)
		}
	}
}

func absDiff(a, b uint8) int { return int(math.Abs(float64(a) - float64(b))) }

func mustPNG(t *testing.T, f *draw.Figure) []byte {
	b, err := f.PNG()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// QA C10: a colour bar is an Axes of its own in matplotlib's figure repr.
func TestColorbarCountsAsAxesInRepr(t *testing.T) {
	script := `
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
fig = plt.figure()
plt.imshow(np.arange(12.0).reshape(3, 4))
plt.colorbar()
print(repr(fig))
fig, axs = plt.subplots(1, 2)
axs[0].plot([1, 2])
im = axs[1].imshow(np.arange(12.0).reshape(3, 4))
plt.colorbar(im, ax=axs[1])
print(repr(fig))
`
	want := strings.Split(strings.TrimSpace(string(pyref.Run(t, script))), "\n")
	if len(want) != 2 {
		t.Fatalf("matplotlib printed %q", want)
	}
	plt := NewPyplot()
	rec := &recorder{}
	env := &obj.Env{Out: rec, Services: map[string]any{ServiceName: plt}}
	img := make(obj.List, 3)
	for r := range img {
		img[r] = obj.List{4 * r, 4*r + 1, 4*r + 2, 4*r + 3}
	}
	call(t, env, plt, "imshow", []any{img}, nil)
	call(t, env, plt, "colorbar", nil, nil)
	if got := plt.GCF().String(); got != want[0] {
		t.Errorf("imshow + colorbar: %q, matplotlib %q", got, want[0])
	}
	if err := plt.FlushCell(rec); err != nil {
		t.Fatal(err)
	}
	if len(rec.bundles) != 1 || rec.bundles[0]["text/plain"] != want[0] {
		t.Errorf("displayed alt text %v, matplotlib %q", rec.bundles, want[0])
	}

	f, _, err := plt.Subplots(1, 2, draw.DefaultWidth, draw.DefaultHeight)
	if err != nil {
		t.Fatal(err)
	}
	axs := f.Axes()
	if err := axs[0].Line([]float64{0, 1}, []float64{1, 2}, draw.LineStyle{}); err != nil {
		t.Fatal(err)
	}
	if err := axs[1].Image(make([]float64, 12), 3, 4, draw.ImageOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := axs[1].Colorbar(""); err != nil {
		t.Fatal(err)
	}
	if got := f.String(); got != want[1] {
		t.Errorf("subplots(1, 2) + colorbar: %q, matplotlib %q", got, want[1])
	}
}

// A large image is reduced by averaging before drawing; with limits that cut it at
// fractional positions the averaged picture must still sit exactly between the limits.
// The data are a ramp along x (value = column), so the colour at data x is the colour
// map's entry for x, whatever the averaging; nothing may spill outside the frame.
func TestReducedImageHonoursFractionalLimits(t *testing.T) {
	const rows, cols = 300, 4000
	data := make([]float64, rows*cols)
	for r := range rows {
		for c := range cols {
			data[r*cols+c] = float64(c)
		}
	}
	for _, xlim := range [][2]float64{{100.3, 3900.7}, {3100.6, 500.2}} {
		f, a := newAxes(t, draw.DefaultWidth, draw.DefaultHeight)
		if err := a.Image(data, rows, cols, draw.ImageOptions{Cmap: "viridis", Aspect: "auto"}); err != nil {
			t.Fatal(err)
		}
		if err := a.SetXLim(xlim[0], xlim[1]); err != nil {
			t.Fatal(err)
		}
		ylim := [2]float64{250.5, 20.25}
		if err := a.SetYLim(ylim[0], ylim[1]); err != nil {
			t.Fatal(err)
		}
		img := decode(t, f)
		fr := findFrame(t, img, "reduced image")
		cm, err := colors.LookupColormap("viridis")
		if err != nil {
			t.Fatal(err)
		}
		// lutIndexOf finds the colour map entry nearest to a pixel's colour.
		lutIndexOf := func(c color.Color) int {
			r, g, b := rgb(c)
			best, bestD := 0, math.MaxInt
			for i, e := range cm.LUT {
				d := absDiff(r, e[0]) + absDiff(g, e[1]) + absDiff(b, e[2])
				if d < bestD {
					best, bestD = i, d
				}
			}
			return best
		}
		for _, rx := range []float64{0.008, 0.1, 0.5, 0.9, 0.992} {
			x := xlim[0] + rx*(xlim[1]-xlim[0])
			px, py := fr.pixel(x, 100, xlim, ylim)
			want := int(256 * x / (cols - 1))
			if got := lutIndexOf(img.At(int(px), int(py))); got < want-3 || got > want+3 {
				t.Errorf("xlim %v: data x = %.0f shows colour map entry %d, want %d", xlim, x, got, want)
			}
		}
		if p, ok := inkOutside(img, fr, 1.5); ok {
			t.Errorf("xlim %v: image colour %v at %v, outside the axes frame %+v", xlim, img.At(p.X, p.Y), p, fr)
		}
	}
}
