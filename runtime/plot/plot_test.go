package plot

import (
	"bytes"
	"encoding/base64"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gokist/obj"
	"gokist/runtime/plot/axis"
	"gokist/runtime/plot/colors"
	"gokist/runtime/plot/draw"
)

// decode renders f to PNG and decodes it with image/png, checking the size.
func decode(t *testing.T, f *draw.Figure) image.Image {
	t.Helper()
	b, err := f.PNG()
	if err != nil {
		t.Fatalf("PNG: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decoding our PNG: %v", err)
	}
	w, h := f.PixelSize()
	if img.Bounds().Dx() != w || img.Bounds().Dy() != h {
		t.Fatalf("PNG is %v, want %dx%d", img.Bounds(), w, h)
	}
	return img
}

func rgb(c color.Color) (r, g, b uint8) {
	r16, g16, b16, _ := c.RGBA()
	return uint8(r16 >> 8), uint8(g16 >> 8), uint8(b16 >> 8)
}

// near reports whether pixel colour c is within tol of want on each channel.
func near(c color.Color, want color.NRGBA, tol int) bool {
	r, g, b := rgb(c)
	d := func(a, b uint8) int { return int(math.Abs(float64(a) - float64(b))) }
	return d(r, want.R) <= tol && d(g, want.G) <= tol && d(b, want.B) <= tol
}

func newAxes(t *testing.T, w, h float64) (*draw.Figure, *draw.Axes) {
	t.Helper()
	f, err := draw.NewFigure(w, h, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	return f, f.Axes()[0]
}

// horizontal returns a line y=level over x in [0, 10] with n points.
func horizontal(n int, level float64) (x, y []float64) {
	x, y = make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = 10 * float64(i) / float64(n-1)
		y[i] = level
	}
	return x, y
}

// inkAlongRow counts pixels of colour want on row py between px0 and px1, and the number
// of runs of such pixels.
func inkAlongRow(img image.Image, py, px0, px1 int, want color.NRGBA) (count, runs int) {
	in := false
	for px := px0; px <= px1; px++ {
		hit := false
		for dy := -1; dy <= 1; dy++ {
			if near(img.At(px, py+dy), want, 40) {
				hit = true
			}
		}
		if hit {
			count++
			if !in {
				runs++
			}
		}
		in = hit
	}
	return count, runs
}

func TestDefaultFigureIs640x480(t *testing.T) {
	f, a := newAxes(t, draw.DefaultWidth, draw.DefaultHeight)
	x, y := horizontal(10, 1)
	if err := a.Line(x, y, draw.LineStyle{}); err != nil {
		t.Fatal(err)
	}
	decode(t, f)
	if f.String() != "<Figure size 640x480 with 1 Axes>" {
		t.Errorf("repr %q", f.String())
	}
	f2, a2 := newAxes(t, 3, 2)
	a2.Line(x, y, draw.LineStyle{})
	img := decode(t, f2)
	if img.Bounds().Dx() != 300 || img.Bounds().Dy() != 200 {
		t.Errorf("3x2 inch figure is %v, want 300x200 at 100 dpi", img.Bounds())
	}
}

func TestLineInkInsideAxesBox(t *testing.T) {
	f, a := newAxes(t, draw.DefaultWidth, draw.DefaultHeight)
	// A rising diagonal: every column inside the box must hold the line near y = x.
	n := 976
	x, y := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = 630 + 0.001625*float64(i)
		y[i] = float64(i)
	}
	if err := a.Line(x, y, draw.LineStyle{}); err != nil {
		t.Fatal(err)
	}
	img := decode(t, f)
	box := a.PixelBox()
	if box.Dx() < 300 || box.Dy() < 200 {
		t.Fatalf("axes box %v is too small for a 640x480 figure", box)
	}
	blue := colors.ColorCycle[0]
	hits := 0
	for i := 0; i < n; i += 50 {
		px, py, ok := a.DataToPixel(x[i], y[i])
		if !ok {
			t.Fatal("no transform after render")
		}
		if !(image.Pt(int(px), int(py)).In(box)) {
			t.Errorf("point %d maps to (%.0f, %.0f), outside the axes box %v", i, px, py, box)
		}
		found := false
		for dx := -2; dx <= 2; dx++ {
			for dy := -2; dy <= 2; dy++ {
				if near(img.At(int(px)+dx, int(py)+dy), blue, 40) {
					found = true
				}
			}
		}
		if found {
			hits++
		}
	}
	if hits < n/50 {
		t.Errorf("line ink found at %d of %d sample points", hits, n/50+1)
	}
	// No line colour outside the box (the legend is off: no labels).
	for py := 0; py < img.Bounds().Dy(); py++ {
		for px := 0; px < img.Bounds().Dx(); px++ {
			if !image.Pt(px, py).In(box.Inset(-3)) && near(img.At(px, py), blue, 30) {
				t.Fatalf("line colour at (%d, %d), outside the axes box %v", px, py, box)
			}
		}
	}
	// Margins as matplotlib: the data range plus 5% on each side.
	lo, hi := a.XLim()
	span := x[n-1] - x[0]
	if math.Abs(lo-(x[0]-0.05*span)) > 1e-9 || math.Abs(hi-(x[n-1]+0.05*span)) > 1e-9 {
		t.Errorf("xlim (%g, %g), want the data range with 5%% margins", lo, hi)
	}
}

func TestDashedLineHasGaps(t *testing.T) {
	for _, tc := range []struct {
		style   string
		minRuns int
		maxRuns int
	}{{"-", 1, 1}, {"solid", 1, 1}, {"--", 15, 1000}, {"dashed", 15, 1000}, {":", 30, 1000}, {"-.", 15, 1000}, {"dashdot", 15, 1000}, {"dotted", 30, 1000}} {
		f, a := newAxes(t, draw.DefaultWidth, draw.DefaultHeight)
		x, y := horizontal(200, 1)
		if err := a.Line(x, y, draw.LineStyle{LineStyle: tc.style, Color: "k"}); err != nil {
			t.Fatal(err)
		}
		img := decode(t, f)
		box := a.PixelBox()
		px0, py, _ := a.DataToPixel(0, 1)
		px1, _, _ := a.DataToPixel(10, 1)
		count, runs := inkAlongRow(img, int(math.Round(py)), int(px0)+2, int(px1)-2, color.NRGBA{0, 0, 0, 255})
		if runs < tc.minRuns || runs > tc.maxRuns {
			t.Errorf("style %q: %d runs of ink along the line (%d px inked, box %v), want %d..%d", tc.style, runs, count, box, tc.minRuns, tc.maxRuns)
		}
		if count < 50 {
			t.Errorf("style %q: only %d px of ink along the line", tc.style, count)
		}
	}
	// "None" draws no line at all.
	f, a := newAxes(t, draw.DefaultWidth, draw.DefaultHeight)
	x, y := horizontal(200, 1)
	a.Line(x, y, draw.LineStyle{LineStyle: "None", Color: "k"})
	img := decode(t, f)
	px0, py, _ := a.DataToPixel(0, 1)
	px1, _, _ := a.DataToPixel(10, 1)
	if count, _ := inkAlongRow(img, int(math.Round(py)), int(px0)+5, int(px1)-5, color.NRGBA{0, 0, 0, 255}); count > 0 {
		t.Errorf("linestyle None drew %d px", count)
	}
}

func TestNaNsAreGaps(t *testing.T) {
	f, a := newAxes(t, draw.DefaultWidth, draw.DefaultHeight)
	x, y := horizontal(101, 1)
	for i := 40; i <= 60; i++ { // x in [4, 6] is missing
		y[i] = math.NaN()
	}
	y[0] = 0 // keep the y range non-degenerate
	if err := a.Line(x, y, draw.LineStyle{Color: "k"}); err != nil {
		t.Fatal(err)
	}
	img := decode(t, f)
	_, py, _ := a.DataToPixel(0, 1)
	gx0, _, _ := a.DataToPixel(4.2, 1)
	gx1, _, _ := a.DataToPixel(5.8, 1)
	if count, _ := inkAlongRow(img, int(math.Round(py)), int(gx0), int(gx1), color.NRGBA{0, 0, 0, 255}); count > 0 {
		t.Errorf("%d px of ink in the NaN gap", count)
	}
	lx0, _, _ := a.DataToPixel(1, 1)
	lx1, _, _ := a.DataToPixel(3.8, 1)
	if count, _ := inkAlongRow(img, int(math.Round(py)), int(lx0), int(lx1), color.NRGBA{0, 0, 0, 255}); count < 20 {
		t.Errorf("only %d px of ink where the line has data", count)
	}
	if len(draw.Segments(x, y, axis.Coords{})) != 2 {
		t.Errorf("want the line split into 2 segments")
	}
}

func TestImageBrightnessFollowsData(t *testing.T) {
	// Four vertical bands of increasing value, a NaN block in the top-left corner.
	rows, cols := 60, 80
	data := make([]float64, rows*cols)
	for r := range rows {
		for c := range cols {
			data[r*cols+c] = float64(c / 20)
		}
	}
	f, a := newAxes(t, draw.DefaultWidth, draw.DefaultHeight)
	if err := a.Image(data, rows, cols, draw.ImageOptions{Cmap: "gray", Aspect: "auto"}); err != nil {
		t.Fatal(err)
	}
	img := decode(t, f)
	mean := func(c0, c1 int) float64 {
		// Mean grey level over the pixels showing columns [c0, c1) (inset by one pixel).
		x0, y0, _ := a.DataToPixel(float64(c0)-0.5, 0)
		x1, y1, _ := a.DataToPixel(float64(c1)-0.5, float64(rows-1))
		sum, n := 0.0, 0
		for py := int(math.Min(y0, y1)) + 2; py < int(math.Max(y0, y1))-2; py++ {
			for px := int(x0) + 2; px < int(x1)-2; px++ {
				r, g, b := rgb(img.At(px, py))
				sum += (float64(r) + float64(g) + float64(b)) / 3
				n++
			}
		}
		return sum / float64(n)
	}
	var means []float64
	for band := range 4 {
		means = append(means, mean(band*20, band*20+20))
	}
	// gray maps vmin..vmax linearly onto 0..255: values 0, 1, 2, 3 of range [0, 3] give
	// LUT entries 0, 85, 170, 255 (matplotlib's int(v·256/range) clipped to 255).
	want := []float64{0, 85, 170, 255}
	for i := range means {
		if math.Abs(means[i]-want[i]) > 2 {
			t.Errorf("band %d mean brightness %.1f, want %.0f (all: %v)", i, means[i], want[i], means)
		}
	}

	// NaN is transparent: the figure's white shows through.
	data[0] = math.NaN()
	for r := range 10 {
		for c := range 10 {
			data[r*cols+c] = math.NaN()
		}
	}
	f2, a2 := newAxes(t, draw.DefaultWidth, draw.DefaultHeight)
	if err := a2.Image(data, rows, cols, draw.ImageOptions{Cmap: "gray", Origin: "upper", Aspect: "auto"}); err != nil {
		t.Fatal(err)
	}
	img2 := decode(t, f2)
	px, py, _ := a2.DataToPixel(4, 4) // row 4, col 4: inside the NaN block, drawn at the top
	if r, g, b := rgb(img2.At(int(px), int(py))); r != 255 || g != 255 || b != 255 {
		t.Errorf("NaN pixel drawn as (%d, %d, %d), want white (transparent)", r, g, b)
	}
	if box := a2.PixelBox(); py > float64(box.Min.Y+box.Dy()/2) {
		t.Errorf("origin='upper' drew row 4 at y=%.0f, in the lower half of %v", py, box)
	}
	px, py, _ = a2.DataToPixel(4, 40)
	if r, _, _ := rgb(img2.At(int(px), int(py))); r != 0 {
		t.Errorf("value 0 below the NaN block drawn with grey %d, want 0", r)
	}
}

func TestLargeImageIsReducedByAveraging(t *testing.T) {
	// A fine checkerboard of 0 and 1 far smaller than a screen pixel averages to mid grey
	// (aliasing would show 0 or 255).
	rows, cols := 2000, 2000
	data := make([]float64, rows*cols)
	for r := range rows {
		for c := range cols {
			data[r*cols+c] = float64((r + c) % 2)
		}
	}
	f, a := newAxes(t, draw.DefaultWidth, draw.DefaultHeight)
	if err := a.Image(data, rows, cols, draw.ImageOptions{Cmap: "gray", Aspect: "auto"}); err != nil {
		t.Fatal(err)
	}
	img := decode(t, f)
	box := a.PixelBox()
	r, _, _ := rgb(img.At(box.Min.X+box.Dx()/2, box.Min.Y+box.Dy()/2))
	if r < 100 || r > 156 {
		t.Errorf("checkerboard reduced to grey %d, want about 128", r)
	}
}

func TestWorldTickLabels(t *testing.T) {
	// Wavelength along columns, latitude along rows, as a VISP slice: labels must be round
	// world values, each placed where the world coordinate takes that value.
	rows, cols := 100, 976
	xw := make([]float64, cols)
	for i := range xw {
		xw[i] = 630.0576 + 0.001625*float64(i)
	}
	yw := make([]float64, rows)
	for i := range yw {
		yw[i] = -12.3 + 0.0298*float64(i)
	}
	data := make([]float64, rows*cols)
	for i := range data {
		data[i] = float64(i % 7)
	}
	var placed []float64
	f, a := newAxes(t, draw.DefaultWidth, draw.DefaultHeight)
	if err := a.Image(data, rows, cols, draw.ImageOptions{Origin: "lower", XWorld: xw, YWorld: yw, XLabel: "wavelength [nm]", YLabel: "helioprojective latitude [arcsec]"}); err != nil {
		t.Fatal(err)
	}
	decode(t, f)
	xl, yl := a.TickLabels()
	if len(xl) < 3 || len(yl) < 3 {
		t.Fatalf("too few tick labels: x %v, y %v", xl, yl)
	}
	check := func(name string, labels []string, world []float64) {
		lo, hi := math.Min(world[0], world[len(world)-1]), math.Max(world[0], world[len(world)-1])
		var vals []float64
		for _, s := range labels {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("%s label %q is not a number", name, s)
			}
			// Inside the world range of the image (plus half a pixel).
			half := math.Abs(world[1]-world[0]) / 2
			if v < lo-half || v > hi+half {
				t.Errorf("%s label %v outside the world range [%g, %g]", name, v, lo, hi)
			}
			vals = append(vals, v)
		}
		step := vals[1] - vals[0]
		for i := 2; i < len(vals); i++ {
			if math.Abs(vals[i]-vals[i-1]-step) > 1e-9*math.Abs(step)+1e-12 {
				t.Errorf("%s labels not evenly spaced: %v", name, labels)
			}
		}
		m := step / math.Pow(10, math.Floor(math.Log10(step)))
		if r := math.Round(m*10) / 10; r != 1 && r != 2 && r != 2.5 && r != 5 {
			t.Errorf("%s tick step %g is not a round step", name, step)
		}
		placed = append(placed, vals...)
	}
	check("x", xl, xw)
	check("y", yl, yw)
	// A pixel-axis ticker on the same data would label 0..976, not wavelengths.
	for _, s := range xl {
		if v, _ := strconv.ParseFloat(s, 64); v < 600 {
			t.Errorf("x label %q is not in nm", s)
		}
	}
	if !strings.Contains(a.XLabel(), "wavelength") {
		t.Errorf("x label %q", a.XLabel())
	}
	// Position: the tick for world value w sits at pixel (w - w0)/dw.
	for _, w := range placed[:len(xl)] {
		if p := axis.PixelAt(xw, w); math.Abs(p-(w-xw[0])/0.001625) > 1e-6 {
			t.Errorf("tick %g placed at pixel %g", w, p)
		}
	}
}

func TestLineTickLabelsAreTheData(t *testing.T) {
	f, a := newAxes(t, draw.DefaultWidth, draw.DefaultHeight)
	n := 976
	x, y := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = 630.0576 + 0.001625*float64(i)
		y[i] = 1000 + float64(i%50)
	}
	a.Line(x, y, draw.LineStyle{})
	decode(t, f)
	xl, yl := a.TickLabels()
	for _, s := range xl {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < x[0]-0.1 || v > x[n-1]+0.1 {
			t.Errorf("x tick %q outside the wavelengths", s)
		}
	}
	for _, s := range yl {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 990 || v > 1060 {
			t.Errorf("y tick %q outside the data", s)
		}
	}
}

func TestErrors(t *testing.T) {
	_, a := newAxes(t, draw.DefaultWidth, draw.DefaultHeight)
	x, y := horizontal(10, 1)
	err := a.Line(x, y, draw.LineStyle{LineStyle: "dash"})
	var oe *obj.Error
	if !errors.As(err, &oe) || oe.Class != obj.ValueError {
		t.Fatalf("unknown line style: %v, want a ValueError", err)
	}
	for _, s := range []string{"'-'", "'--'", "'-.'", "':'", "'solid'", "'dashed'", "'dashdot'", "'dotted'", "'None'"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("line style error does not list %s: %v", s, err)
		}
	}
	err = a.Image([]float64{1, 2, 3, 4}, 2, 2, draw.ImageOptions{Cmap: "jett"})
	if err == nil || !strings.Contains(err.Error(), "viridis") || !strings.Contains(err.Error(), "magma") {
		t.Errorf("unknown cmap: %v, want the valid ones listed", err)
	}
	nan := []float64{math.NaN(), math.NaN(), math.NaN()}
	if err := a.Line(nil, nan, draw.LineStyle{}); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("all-NaN line: %v", err)
	}
	if err := a.Image(append(nan, math.NaN()), 2, 2, draw.ImageOptions{}); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("all-NaN image: %v", err)
	}
	if err := a.Line(nil, nil, draw.LineStyle{}); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty line: %v", err)
	}
	if err := a.Image(nil, 0, 5, draw.ImageOptions{}); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty image: %v", err)
	}
	if err := a.Line(x, y[:5], draw.LineStyle{}); err == nil {
		t.Error("x and y of different lengths accepted")
	}
	if err := a.Line(x, y, draw.LineStyle{Color: "blu"}); err == nil || !strings.Contains(err.Error(), "blue") {
		t.Errorf("unknown colour: %v", err)
	}
	if err := a.Line(x, y, draw.LineStyle{Marker: "Q"}); err == nil || !strings.Contains(err.Error(), "valid markers") {
		t.Errorf("unknown marker: %v", err)
	}
	if err := a.Colorbar(""); err == nil {
		t.Error("colorbar without an image accepted")
	}
	if err := a.SetXLim(2, 2); err == nil {
		t.Error("equal xlim accepted")
	}
	if err := a.SetYLim(math.NaN(), 1); err == nil {
		t.Error("NaN ylim accepted")
	}
}

func TestLatexLabelPanicIsRecovered(t *testing.T) {
	f, a := newAxes(t, draw.DefaultWidth, draw.DefaultHeight)
	x, y := horizontal(10, 1)
	a.Line(x, y, draw.LineStyle{})
	a.SetXLabel(`wavelength $\frac{1}{$ [nm]`) // unbalanced LaTeX: gonum/plot panics on it
	_, err := f.PNG()
	if err == nil {
		t.Fatal("broken LaTeX label rendered without an error")
	}
	var oe *obj.Error
	if !errors.As(err, &oe) || oe.Class != obj.ValueError || !strings.Contains(oe.Hint, "LaTeX") {
		t.Errorf("error %v, want the LaTeX failure as an obj.Error", err)
	}
	if _, err := f.SVG(); err == nil {
		t.Error("SVG of a broken LaTeX label rendered without an error")
	}
	// Valid math renders.
	a.SetXLabel(`$\lambda$ [nm]`)
	decode(t, f)
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]draw.FormatSpec{
		"r--":  {Color: "r", LineStyle: "--"},
		"o":    {Marker: "o", LineStyle: "None"},
		"k:":   {Color: "k", LineStyle: ":"},
		"C1.-": {Color: "C1", Marker: ".", LineStyle: "-"},
		"-.g":  {Color: "g", LineStyle: "-."},
		"bs-":  {Color: "b", Marker: "s", LineStyle: "-"},
	} {
		got, err := draw.ParseFormat(in)
		if err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"rr", "--:", "q", "r-- "} {
		if _, err := draw.ParseFormat(bad); err == nil {
			t.Errorf("ParseFormat(%q) accepted", bad)
		}
	}
}

func TestParseColor(t *testing.T) {
	for in, want := range map[string]color.NRGBA{
		"C1": {0xff, 0x7f, 0x0e, 255}, "#1f77b4": {0x1f, 0x77, 0xb4, 255}, "#f00": {255, 0, 0, 255},
		"0.5": {128, 128, 128, 255}, "k": {0, 0, 0, 255}, "tab:green": {0x2c, 0xa0, 0x2c, 255},
	} {
		got, err := colors.ParseColor(in)
		if err != nil || got != want {
			t.Errorf("ParseColor(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	got, err := colors.ParseColor(obj.Tuple{1.0, 0.5, 0})
	if err != nil || got != (color.NRGBA{255, 128, 0, 255}) {
		t.Errorf("tuple colour = %v, %v", got, err)
	}
}

// recorder is an obj.Output that keeps displays.
type recorder struct {
	obj.Discard
	bundles []map[string]any
	meta    []map[string]any
}

func (r *recorder) Display(b, m map[string]any, id string, update bool) {
	r.bundles = append(r.bundles, b)
	r.meta = append(r.meta, m)
}

// call invokes a member of an obj.Object the way lang does.
func call(t *testing.T, env *obj.Env, recv obj.Object, name string, pos []any, kw map[string]any) any {
	t.Helper()
	v, err := callErr(env, recv, name, pos, kw)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

func callErr(env *obj.Env, recv obj.Object, name string, pos []any, kw map[string]any) (any, error) {
	m := recv.Type().Member(name)
	if m == nil {
		return nil, obj.Errorf(obj.AttributeError, "no member %s", name)
	}
	if m.Get != nil {
		return m.Get(env, recv)
	}
	return m.Call(env, recv, obj.Args{Pos: pos, Kw: kw})
}

func decodeBundle(t *testing.T, b map[string]any) image.Image {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(b["image/png"].(string))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestFigureLifetimeAcrossCells(t *testing.T) {
	plt := NewPyplot()
	out := &recorder{}
	env := &obj.Env{Out: out, Services: map[string]any{ServiceName: plt}}
	if p, err := FromEnv(env); err != nil || p != plt {
		t.Fatalf("FromEnv: %v", err)
	}

	// Cell 1: plt.plot, labels; ax = plt.gca().
	call(t, env, plt, "plot", []any{obj.List{1, 2, 3}, obj.List{1.0, 4.0, 9.0}, "r--"}, map[string]any{"label": "squares"})
	call(t, env, plt, "xlabel", []any{"x [px]"}, nil)
	call(t, env, plt, "ylabel", []any{"y"}, nil)
	ax := call(t, env, plt, "gca", nil, nil).(*draw.Axes)
	if err := plt.FlushCell(out); err != nil {
		t.Fatal(err)
	}
	if len(out.bundles) != 1 {
		t.Fatalf("cell 1 showed %d figures, want 1", len(out.bundles))
	}
	b := out.bundles[0]
	if b["text/plain"] != "<Figure size 640x480 with 1 Axes>" {
		t.Errorf("text/plain %q", b["text/plain"])
	}
	img := decodeBundle(t, b)
	if img.Bounds().Dx() != 640 || img.Bounds().Dy() != 480 {
		t.Errorf("cell 1 PNG %v", img.Bounds())
	}
	if m := out.meta[0]["image/png"].(map[string]any); m["width"] != 640 || m["height"] != 480 {
		t.Errorf("metadata %v", m)
	}
	if got := ax.String(); got != "<Axes: xlabel='x [px]', ylabel='y'>" {
		t.Errorf("Axes repr %q", got)
	}
	if !ax.IsPlotHandle() {
		t.Error("Axes is not a plot handle")
	}

	// Cell 2: nothing drawn → nothing shown.
	if err := plt.FlushCell(out); err != nil || len(out.bundles) != 1 {
		t.Fatalf("an empty cell showed figures (%d) or failed: %v", len(out.bundles), err)
	}

	// Cell 3: drawing on the kept axes re-opens its figure; it now has two lines.
	call(t, env, ax, "plot", []any{obj.List{1, 2, 3}, obj.List{2, 3, 4}}, map[string]any{"label": "more"})
	if err := plt.FlushCell(out); err != nil {
		t.Fatal(err)
	}
	if len(out.bundles) != 2 || ax.NumLines() != 2 {
		t.Fatalf("reused axes: %d figures shown, %d lines; want 2 and 2", len(out.bundles), ax.NumLines())
	}

	// Cell 4: a new plt.plot starts a new figure, not the flushed one.
	call(t, env, plt, "plot", []any{obj.List{5, 6}}, nil)
	if plt.GCA() == ax {
		t.Error("plt.plot after a flush drew on the old figure")
	}
	call(t, env, plt, "close", nil, nil)
	if err := plt.FlushCell(out); err != nil || len(out.bundles) != 2 {
		t.Errorf("closed figure was shown (%d bundles) or failed: %v", len(out.bundles), err)
	}

	// plt.show() shows immediately.
	call(t, env, plt, "plot", []any{obj.List{1, 2}}, nil)
	call(t, env, plt, "show", nil, nil)
	if len(out.bundles) != 3 {
		t.Errorf("show() did not display: %d bundles", len(out.bundles))
	}
	if len(plt.OpenFigures()) != 0 {
		t.Error("figures still open after show()")
	}
}

func TestPyplotMembers(t *testing.T) {
	plt := NewPyplot()
	env := &obj.Env{Out: obj.Discard{}, Services: map[string]any{ServiceName: plt}}
	fig := call(t, env, plt, "figure", nil, map[string]any{"figsize": obj.Tuple{8, 3}}).(*draw.Figure)
	if w, h := fig.PixelSize(); w != 800 || h != 300 {
		t.Errorf("figsize (8, 3) gives %dx%d px", w, h)
	}
	call(t, env, plt, "plot", []any{obj.List{1, 2, 3}}, map[string]any{"color": "C2", "ls": ":", "lw": 2, "marker": "o"})
	lim := call(t, env, plt, "xlim", []any{0.5, 2.5}, nil).(obj.Tuple)
	if lim[0] != 0.5 || lim[1] != 2.5 {
		t.Errorf("xlim returned %v", lim)
	}
	lim = call(t, env, plt, "ylim", nil, nil).(obj.Tuple)
	if lim[0].(float64) >= 1 || lim[1].(float64) <= 3 {
		t.Errorf("ylim() = %v, want a range around [1, 3]", lim)
	}
	call(t, env, plt, "title", []any{"T"}, nil)
	call(t, env, plt, "grid", []any{true}, nil)
	call(t, env, plt, "legend", nil, map[string]any{"loc": "upper left"})
	if x, y := plt.GCA().GridOn(); !x || !y {
		t.Error("grid(True) not on")
	}
	if _, err := callErr(env, plt, "plot", []any{obj.List{1, 2}}, map[string]any{"linestyle": "wavy"}); err == nil || !strings.Contains(err.Error(), "dashdot") {
		t.Errorf("plot(linestyle='wavy'): %v", err)
	}
	var oe *obj.Error
	if _, err := callErr(env, plt, "plot", []any{obj.List{1, 2}}, map[string]any{"colour": "r"}); !errors.As(err, &oe) || !strings.Contains(oe.Hint, "color") {
		t.Errorf("plot(colour=...): %v, want a did-you-mean", err)
	}

	// subplots(1, 2) → (fig, (ax1, ax2)); subplots(2, 2) → grid indexable as ax[1, 0].
	res := call(t, env, plt, "subplots", []any{1, 2}, map[string]any{"figsize": obj.Tuple{10, 4}}).(obj.Tuple)
	f2, axes := res[0].(*draw.Figure), res[1].(obj.Tuple)
	if len(axes) != 2 || axes[0].(*draw.Axes).Figure() != f2 {
		t.Fatalf("subplots(1, 2) gave %v", res)
	}
	call(t, env, axes[0].(*draw.Axes), "plot", []any{obj.List{1, 2}}, nil)
	call(t, env, axes[1].(*draw.Axes), "imshow", []any{obj.List{obj.List{1, 2}, obj.List{3, 4}}}, map[string]any{"cmap": "magma"})
	call(t, env, plt, "colorbar", []any{axes[1]}, nil)
	if !axes[1].(*draw.Axes).HasColorbar() {
		t.Error("colorbar(im) did not attach to the image's axes")
	}
	img := decode(t, f2)
	if img.Bounds().Dx() != 1000 || img.Bounds().Dy() != 400 {
		t.Errorf("subplots figure %v", img.Bounds())
	}
	b0, b1 := axes[0].(*draw.Axes).PixelBox(), axes[1].(*draw.Axes).PixelBox()
	if b0.Max.X > b1.Min.X {
		t.Errorf("subplot boxes overlap: %v %v", b0, b1)
	}
	res = call(t, env, plt, "subplots", []any{2, 2}, nil).(obj.Tuple)
	grid := res[1].(*AxesGrid)
	a10, err := grid.GetItem(env, obj.Tuple{1, 0})
	if err != nil || a10.(*draw.Axes) != res[0].(*draw.Figure).Axes()[2] {
		t.Errorf("ax[1, 0] = %v, %v", a10, err)
	}
	if _, err := grid.GetItem(env, obj.Tuple{2, 0}); err == nil {
		t.Error("ax[2, 0] of a 2x2 grid accepted")
	}
}

func TestSavefig(t *testing.T) {
	plt := NewPyplot()
	env := &obj.Env{Out: obj.Discard{}}
	call(t, env, plt, "plot", []any{obj.List{1, 3, 2}}, nil)
	dir := t.TempDir()
	pngPath, svgPath := filepath.Join(dir, "f.png"), filepath.Join(dir, "f.svg")
	call(t, env, plt, "savefig", []any{pngPath}, nil)
	call(t, env, plt, "savefig", []any{svgPath}, nil)
	raw, err := os.ReadFile(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil || img.Bounds().Dx() != 640 {
		t.Errorf("saved PNG: %v %v", err, img)
	}
	svg, err := os.ReadFile(svgPath)
	if err != nil || !bytes.Contains(svg, []byte("<svg")) || !bytes.Contains(svg, []byte("</svg>")) {
		t.Errorf("saved SVG: %v %.100s", err, svg)
	}
	call(t, env, plt, "savefig", []any{filepath.Join(dir, "f.pdf")}, nil)
	if pdf, err := os.ReadFile(filepath.Join(dir, "f.pdf")); err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("%%EOF")) {
		t.Errorf("saved PDF: %v %.20q", err, pdf)
	}
	// matplotlib 3.6's message for a format it has no writer for, listing gokist's.
	if _, err := callErr(env, plt, "savefig", []any{filepath.Join(dir, "f.jpg")}, nil); err == nil || !strings.Contains(err.Error(), "Format 'jpg' is not supported (supported formats: pdf, png, svg)") {
		t.Errorf("savefig .jpg: %v", err)
	}
	_, err = callErr(env, plt, "savefig", []any{filepath.Join(dir, "missing", "f.png")}, nil)
	if e, ok := err.(*obj.Error); !ok || e.Class != obj.FileNotFoundError {
		t.Errorf("savefig into a missing directory: %v, want a FileNotFoundError", err)
	}
	// sysfs refuses new files even to root, so this is a permission error wherever the
	// tests run.
	_, err = callErr(env, plt, "savefig", []any{"/sys/gokist-figure.png"}, nil)
	if e, ok := err.(*obj.Error); !ok || e.Class != obj.PermissionError || !strings.Contains(e.Msg, "/sys/gokist-figure.png") {
		t.Errorf("savefig where writing is not permitted: %v, want a PermissionError naming the path", err)
	}
}

// TestSavefigNeedsStr checks that savefig takes only a str file name and format: a number
// is a TypeError naming the argument and type, from pyplot and from a Figure, and writes
// nothing (not even a file called "5" in the working directory).
func TestSavefigNeedsStr(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	plt := NewPyplot()
	env := &obj.Env{Out: obj.Discard{}}
	fig := call(t, env, plt, "figure", nil, nil).(obj.Object)
	call(t, env, plt, "plot", []any{obj.List{1, 3, 2}}, nil)
	cases := []struct {
		recv obj.Object
		pos  []any
		kw   map[string]any
		want string
	}{
		{plt, []any{5}, nil, "savefig(): fname must be a str, not int"},
		{fig, []any{5}, nil, "savefig(): fname must be a str, not int"},
		{fig, []any{2.5}, nil, "savefig(): fname must be a str, not float"},
		{fig, []any{obj.List{"f.png"}}, nil, "savefig(): fname must be a str, not list"},
		{fig, []any{"f"}, map[string]any{"format": 1}, "savefig(): format must be a str, not int"},
	}
	for _, c := range cases {
		_, err := callErr(env, c.recv, "savefig", c.pos, c.kw)
		var oe *obj.Error
		if !errors.As(err, &oe) || oe.Class != obj.TypeError || oe.Msg != c.want {
			t.Errorf("savefig(%v, %v): %v (%T), want TypeError %q", c.pos, c.kw, err, err, c.want)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("failed savefig calls wrote %v", left)
	}
	// A str name still saves, with format naming the extension.
	call(t, env, fig, "savefig", []any{"g"}, map[string]any{"format": "png"})
	if _, err := os.Stat(filepath.Join(dir, "g.png")); err != nil {
		t.Errorf("savefig('g', format='png'): %v", err)
	}
}

func TestSliderFor3DData(t *testing.T) {
	plt := NewPyplot()
	out := &recorder{}
	env := &obj.Env{Out: out}
	// 30 frames of 4x5: more than MaxSliderFrames, so the frames are sampled.
	var cube obj.List
	for k := range 30 {
		var frame obj.List
		for r := range 4 {
			var row obj.List
			for c := range 5 {
				row = append(row, float64(k*100+r*5+c))
			}
			frame = append(frame, row)
		}
		cube = append(cube, frame)
	}
	call(t, env, plt, "imshow", []any{cube}, map[string]any{"cmap": "gray"})
	if err := plt.FlushCell(out); err != nil {
		t.Fatal(err)
	}
	html, _ := out.bundles[0]["text/html"].(string)
	if n := strings.Count(html, `class="gokist-frame"`); n != draw.MaxSliderFrames {
		t.Errorf("slider has %d frames, want %d", n, draw.MaxSliderFrames)
	}
	if !strings.Contains(html, `type="range"`) || !strings.Contains(html, "24 of 30 frames") {
		t.Errorf("slider HTML lacks the range input or the frame count")
	}
	if idx := draw.SliderFrames(30); idx[0] != 0 || idx[len(idx)-1] != 29 {
		t.Errorf("sampled frames %v must include the first and last", idx)
	}
	decodeBundle(t, out.bundles[0])
}

func TestTaskStream(t *testing.T) {
	tasks := []draw.Task{
		{Worker: 0, Label: "read VISP_1.fits", Start: 0, End: 1},
		{Worker: 1, Label: "read VISP_2.fits", Start: 0, End: 1},
		{Worker: 0, Label: "sum-1", Start: 1, End: 2},
		{Worker: 1, Label: "sum-2", Start: 1, End: 2},
	}
	b, err := draw.TaskStreamPNG(tasks, 640, 300)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil || img.Bounds().Dx() != 640 || img.Bounds().Dy() != 300 {
		t.Fatalf("task stream PNG: %v %v", err, img.Bounds())
	}
	// Two operations, two colours: count pixels of each.
	var read, sum int
	for y := 0; y < 300; y++ {
		for x := 0; x < 640; x++ {
			switch c := img.At(x, y); {
			case near(c, colors.ColorCycle[0], 3):
				read++
			case near(c, colors.ColorCycle[1], 3):
				sum++
			}
		}
	}
	if read < 5000 || sum < 5000 || math.Abs(float64(read-sum)) > 0.2*float64(read) {
		t.Errorf("bar areas read=%d sum=%d px, want two similar large areas (equal durations)", read, sum)
	}
	if draw.Operation("read VISP_1.fits") != "read" || draw.Operation("sum-12") != "sum" || draw.Operation("rebin(7)") != "rebin" {
		t.Error("Operation names")
	}
	if _, err := draw.TaskStreamPNG(nil, 640, 300); err == nil {
		t.Error("empty task stream accepted")
	}
}

func TestOverlayHasTwoSeries(t *testing.T) {
	// A spectrum and its twin rebinned by 4 (mean of each group, at the group's mean x),
	// drawn on one axes with labels: two lines, both labelled, legend shown.
	n := 976
	x, y := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = 630.0576 + 0.001625*float64(i)
		y[i] = 1 - 0.5*math.Exp(-math.Pow((x[i]-630.25)/0.005, 2))
	}
	var xr, yr []float64
	for i := 0; i < n; i += 4 {
		xr = append(xr, (x[i]+x[i+3])/2)
		yr = append(yr, (y[i]+y[i+1]+y[i+2]+y[i+3])/4)
	}
	f, a := newAxes(t, draw.DefaultWidth, draw.DefaultHeight)
	a.Line(x, y, draw.LineStyle{Label: "original"})
	a.Line(xr, yr, draw.LineStyle{Label: "rebinned", LineStyle: "--"})
	img := decode(t, f)
	if a.NumLines() != 2 || strings.Join(a.LineLabels(), ",") != "original,rebinned" {
		t.Errorf("overlay has %d lines %v", a.NumLines(), a.LineLabels())
	}
	// Both colours of the cycle are on the image.
	var blue, orange int
	for py := 0; py < 480; py++ {
		for px := 0; px < 640; px++ {
			if near(img.At(px, py), colors.ColorCycle[0], 20) {
				blue++
			}
			if near(img.At(px, py), colors.ColorCycle[1], 20) {
				orange++
			}
		}
	}
	if blue < 100 || orange < 100 {
		t.Errorf("overlay ink: %d blue, %d orange px", blue, orange)
	}
}

func TestDataConversion(t *testing.T) {
	v, shape, err := ToFloat64s(nil, "x", obj.List{obj.Tuple{1, 2.5}, obj.List{3, true}})
	if err != nil || len(v) != 4 || v[1] != 2.5 || v[3] != 1 || len(shape) != 2 || shape[0] != 2 || shape[1] != 2 {
		t.Errorf("nested list: %v %v %v", v, shape, err)
	}
	if _, _, err := ToFloat64s(nil, "x", obj.List{obj.List{1, 2}, obj.List{3}}); err == nil {
		t.Error("ragged list accepted")
	}
	if _, _, err := ToFloat64s(nil, "x", "abc"); err == nil {
		t.Error("string accepted as data")
	}
}

func TestFlushReportsRenderErrorsAndShowsTheRest(t *testing.T) {
	plt := NewPyplot()
	out := &recorder{}
	bad, _ := plt.NewFigure(draw.DefaultWidth, draw.DefaultHeight, 1, 1)
	x, y := horizontal(5, 1)
	bad.Axes()[0].Line(x, y, draw.LineStyle{})
	bad.Axes()[0].SetXLabel(`wavelength $\frac{1}{$ [nm]`)
	good, _ := plt.NewFigure(draw.DefaultWidth, draw.DefaultHeight, 1, 1)
	good.Axes()[0].Line(x, y, draw.LineStyle{})
	// A slider whose frames fail still shows the figure, without the HTML.
	sl, _ := plt.NewFigure(draw.DefaultWidth, draw.DefaultHeight, 1, 1)
	err := sl.Axes()[0].Image([]float64{1, 2, 3, 4}, 2, 2, draw.ImageOptions{Slider: &draw.Slider{Label: "step", Count: 3,
		Frame: func(i int) ([]float64, error) { return nil, errors.New("file 2 is missing") }}})
	if err != nil {
		t.Fatal(err)
	}
	err = plt.FlushCell(out)
	if err == nil || !strings.Contains(err.Error(), "label text") || !strings.Contains(err.Error(), "file 2 is missing") {
		t.Errorf("FlushCell error %v, want the LaTeX and the slider failures", err)
	}
	if len(out.bundles) != 2 {
		t.Fatalf("%d figures shown, want the 2 that render", len(out.bundles))
	}
	if _, ok := out.bundles[1]["text/html"]; ok {
		t.Error("failed slider still produced HTML")
	}
	decodeBundle(t, out.bundles[1])
}
