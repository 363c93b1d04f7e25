package runtime_test

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
	"strconv"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/lang"
)

// rotatedVISP writes the small VISP sample with its celestial axes rotated by 30° (the
// gwcs affine matrix) and moved off (0, 0) (so that no coordinate wraps), and returns its
// directory: a dataset whose helioprojective longitude and latitude both vary along the
// slit and the raster, as under a real VISP PC matrix.
func rotatedVISP(t *testing.T) string {
	t.Helper()
	src := "../../shared/data/dkist-small-visp"
	dir := t.TempDir()
	for _, name := range []string{"0.fits", "1.fits", "2.fits"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(filepath.Join(src, "test_visp.asdf"))
	if err != nil {
		t.Fatal(err)
	}
	matrix := regexp.MustCompile(`(matrix: !unit/quantity-1.1.0\n\s+unit: !unit/unit-1.0.0 deg\n(\s+)value: !core/ndarray-1.0.0\n)\s+source: \d+\n\s+datatype: float64\n\s+byteorder: little\n\s+shape: \[2, 2\]\n`)
	m := matrix.FindSubmatch(raw)
	if m == nil {
		t.Fatal("test_visp.asdf: no affine matrix block to rotate")
	}
	c, s := math.Cos(math.Pi/6), math.Sin(math.Pi/6)
	ind := string(m[2]) + "  "
	inline := fmt.Sprintf("%s%sdata: [[%v, %v], [%v, %v]]\n%sdatatype: float64\n%sshape: [2, 2]\n", m[1], ind, c, -s, s, c, ind, ind)
	text := strings.Replace(string(raw), string(m[0]), inline, 1)
	for _, p := range [][2]string{{"phi", "0.1"}, {"theta", "0.2"}} {
		old := p[0] + ": !unit/quantity-1.1.0 {unit: !unit/unit-1.0.0 deg, value: 0.0}"
		if !strings.Contains(text, old) {
			t.Fatalf("test_visp.asdf: no %s to move", p[0])
		}
		text = strings.Replace(text, old, strings.Replace(old, "value: 0.0", "value: "+p[1], 1), 1)
	}
	if err := os.WriteFile(filepath.Join(dir, "test_visp.asdf"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// worldTicks is where a world-coordinate axes ticks and labels its bottom and left edges
// (pixel positions along the edge) and its axis labels.
type worldTicks struct {
	X, Y           []float64
	XLabels        []string `json:"xlabels"`
	YLabels        []string `json:"ylabels"`
	XLabel, YLabel string
}

const worldTicksPy = `
import json
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import dkist
def world_ticks(ax):
    ax.figure.canvas.draw()
    b, l = ax.coords[0], ax.coords[1]
    return json.dumps({
        "x": [float(p[0][0]) for p in b.ticks.ticks_locs["b"]],
        "y": [float(p[0][1]) for p in l.ticks.ticks_locs["l"]],
        "xlabels": b.ticklabels.text["b"], "ylabels": l.ticklabels.text["l"],
        "xlabel": b.get_axislabel() or b._get_default_axislabel(),
        "ylabel": l.get_axislabel() or l._get_default_axislabel()})
`

// A dataset whose celestial axes are rotated is ticked as astropy's WCSAxes ticks it:
// each coordinate where its round values cross the bottom or left edge (not along one
// row or column), labelled in arcsec ("360.2\""), with the world axis names. Checked
// for plt.subplot(projection=sub.wcs) and for sub.plot() against WCSAxes on the
// reference dkist's WCS of the same dataset.
func TestRotatedCelestialAxesTickAsWCSAxes(t *testing.T) {
	dir := rotatedVISP(t)
	res := pyref.Config{PythonPath: []string{pyref.Dkist(t)}}.Batch(t, worldTicksPy, []string{fmt.Sprintf(`
sub = dkist.load_dataset(%q)[:, :, 0]
ax = plt.subplot(projection=sub.wcs)
ax.imshow(np.zeros(sub.data.shape), origin="lower")
world_ticks(ax)`, dir)})
	if res[0].Type != "" {
		t.Fatalf("WCSAxes: %s\n%s", res[0].Err(), res[0].Traceback)
	}
	var want worldTicks
	var js string
	if err := json.Unmarshal(res[0].Value, &js); err != nil {
		t.Fatalf("%s: %v", res[0].Value, err)
	}
	if err := json.Unmarshal([]byte(js), &want); err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	if len(want.X) == 0 || len(want.Y) == 0 {
		t.Fatalf("WCSAxes ticks neither edge: %+v", want)
	}
	s := lang.NewSession()
	run := func(code string) string {
		t.Helper()
		out, err := s.Execute(context.Background(), code, nil)
		if err != nil {
			t.Fatalf("gokist: %v\n%s", err, code)
		}
		text, _ := out["text/plain"].(string)
		return text
	}
	run(fmt.Sprintf("import dkist\nimport numpy as np\nimport matplotlib.pyplot as plt\nsub = dkist.load_dataset(%q)[:, :, 0]", dir))
	for _, script := range []string{
		"ax = plt.subplot(projection=sub.wcs)\nax.imshow(np.zeros((3, 10)), origin='lower')",
		"ax = sub.plot()",
	} {
		run("plt.close('all')\n" + script)
		got := worldTicks{
			X: floatsOf(t, run("ax.get_xticks()")), Y: floatsOf(t, run("ax.get_yticks()")),
			XLabels: stringsOf(t, run("ax.get_xticklabels()")), YLabels: stringsOf(t, run("ax.get_yticklabels()")),
			XLabel: stringsOf(t, run("[ax.get_xlabel()]"))[0], YLabel: stringsOf(t, run("[ax.get_ylabel()]"))[0],
		}
		t.Logf("%s: gokist %+v, WCSAxes %+v", script, got, want)
		if !closeFloats(got.X, want.X, 1e-6) || !closeFloats(got.Y, want.Y, 1e-6) {
			t.Errorf("%s: ticks at x %v, y %v; WCSAxes at x %v, y %v", script, got.X, got.Y, want.X, want.Y)
		}
		if strings.Join(got.XLabels, "|") != strings.Join(want.XLabels, "|") || strings.Join(got.YLabels, "|") != strings.Join(want.YLabels, "|") {
			t.Errorf("%s: tick labels %q, %q; WCSAxes %q, %q", script, got.XLabels, got.YLabels, want.XLabels, want.YLabels)
		}
		if got.XLabel != want.XLabel || got.YLabel != want.YLabel {
			t.Errorf("%s: axis labels %q, %q; WCSAxes %q, %q", script, got.XLabel, got.YLabel, want.XLabel, want.YLabel)
		}
	}
}

// ax.grid(True) on the rotated dataset draws the world grid as WCSAxes draws it: curves of
// constant longitude and latitude, here straight lines at 30°. WCSAxes in astropy 5.2
// cannot draw the grid of a WCS with a third (time) world axis, so the reference is
// WCSAxes on the FITS WCS with the same transform (checked to give the same world
// coordinates at the corners). Compared: the pixels of grid lines inside the frame
// (each within 2 px of one of the other's), and the mean grey difference.
func TestRotatedCelestialGridMatchesWCSAxes(t *testing.T) {
	dir := rotatedVISP(t)
	mpl, gk := filepath.Join(t.TempDir(), "mpl.png"), filepath.Join(t.TempDir(), "gk.png")
	res := pyref.Config{PythonPath: []string{pyref.Dkist(t)}}.Batch(t, worldTicksPy, []string{fmt.Sprintf(`
from astropy.wcs import WCS
sub = dkist.load_dataset(%q)[:, :, 0]
c, s = np.cos(np.radians(30)), np.sin(np.radians(30))
w = WCS(naxis=2)
w.wcs.ctype, w.wcs.cunit = ["HPLN-TAN", "HPLT-TAN"], ["deg", "deg"]
w.wcs.crpix, w.wcs.cdelt = [1, 1.5], [1 / 60000, 1 / 60000]
w.wcs.pc, w.wcs.crval, w.wcs.lonpole = [[c, -s], [s, c]], [0.1, 0.2], 180
px = (np.array([0, 9, 0, 9.]), np.array([0, 0, 2, 2.]))
a, b = w.pixel_to_world_values(*px)
d = sub.wcs.low_level_wcs.pixel_to_world_values(*px)
assert np.allclose(a * 3600, d[0], rtol=0, atol=1e-6) and np.allclose(b * 3600, d[1], rtol=0, atol=1e-6), (a * 3600, b * 3600, d)
fig = plt.figure()
ax = plt.subplot(projection=w)
ax.imshow(np.zeros((3, 10)), cmap="gray_r", vmin=0, vmax=1, origin="lower")
ax.grid(True)
fig.savefig(%q)
bb = ax.get_window_extent()
json.dumps([bb.x0, fig.bbox.height - bb.y1, bb.x1, fig.bbox.height - bb.y0])`, dir, mpl)})
	if res[0].Type != "" {
		t.Fatalf("WCSAxes: %s\n%s", res[0].Err(), res[0].Traceback)
	}
	var js string
	var box [4]float64
	if err := json.Unmarshal(res[0].Value, &js); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(js), &box); err != nil {
		t.Fatal(err)
	}
	s := lang.NewSession()
	code := fmt.Sprintf("import dkist\nimport numpy as np\nimport matplotlib.pyplot as plt\nsub = dkist.load_dataset(%q)[:, :, 0]\nfig = plt.figure()\nax = plt.subplot(projection=sub.wcs)\nax.imshow(np.zeros((3, 10)), cmap='gray_r', vmin=0, vmax=1, origin='lower')\nax.grid(True)\nfig.savefig(%q)", dir, gk)
	if _, err := s.Execute(context.Background(), code, nil); err != nil {
		t.Fatal(err)
	}
	a, b := readPNGFile(t, mpl), readPNGFile(t, gk)
	if a.Bounds() != b.Bounds() {
		t.Fatalf("figure size: gokist %v, WCSAxes %v", b.Bounds(), a.Bounds())
	}
	// Inside the frame, 3 px in from it: grid lines are the grey pixels.
	in := image.Rect(int(box[0])+3, int(box[1])+3, int(box[2])-3, int(box[3])-3)
	ga, gb := gridPixels(a, in), gridPixels(b, in)
	if len(ga) < 100 {
		t.Fatalf("WCSAxes drew %d grid pixels in %v", len(ga), in)
	}
	covA, covB := covered(ga, gb, 2), covered(gb, ga, 2)
	score := meanGrey(a, b)
	t.Logf("grid pixels: WCSAxes %d (%.1f%% near gokist's), gokist %d (%.1f%% near WCSAxes'); mean grey difference %.1f of 255", len(ga), 100*covA, len(gb), 100*covB, score)
	if covA < 0.95 || covB < 0.95 {
		t.Errorf("grid lines differ: %.1f%% of WCSAxes' grid pixels near gokist's, %.1f%% of gokist's near WCSAxes'", 100*covA, 100*covB)
	}
	if score >= 40 {
		t.Errorf("mean grey difference %.1f >= 40", score)
	}
}

func gridPixels(img image.Image, in image.Rectangle) []image.Point {
	var out []image.Point
	for y := in.Min.Y; y < in.Max.Y; y++ {
		for x := in.Min.X; x < in.Max.X; x++ {
			if g := greyAt(img, x, y); g < 235 && g > 60 {
				out = append(out, image.Pt(x, y))
			}
		}
	}
	return out
}

// covered is the fraction of the points of a within d px of a point of b.
func covered(a, b []image.Point, d int) float64 {
	set := map[image.Point]bool{}
	for _, p := range b {
		set[p] = true
	}
	n := 0
	for _, p := range a {
	search:
		for dy := -d; dy <= d; dy++ {
			for dx := -d; dx <= d; dx++ {
				if set[p.Add(image.Pt(dx, dy))] {
					n++
					break search
				}
			}
		}
	}
	return float64(n) / float64(max(1, len(a)))
}

func greyAt(img image.Image, x, y int) float64 {
	r, g, b, a := img.At(x, y).RGBA()
	w := float64(0xffff - a)
	return (0.299*(float64(r)+w) + 0.587*(float64(g)+w) + 0.114*(float64(b)+w)) / 257
}

func meanGrey(a, b image.Image) float64 {
	r := a.Bounds()
	sum := 0.0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			sum += math.Abs(greyAt(a, x, y) - greyAt(b, x, y))
		}
	}
	return sum / float64(r.Dx()*r.Dy())
}

func readPNGFile(t *testing.T, path string) image.Image {
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

var numberRE = regexp.MustCompile(`-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?`)

func floatsOf(t *testing.T, repr string) []float64 {
	t.Helper()
	var out []float64
	for _, m := range numberRE.FindAllString(repr, -1) {
		f, err := strconv.ParseFloat(m, 64)
		if err != nil {
			t.Fatalf("%s: %v", repr, err)
		}
		out = append(out, f)
	}
	return out
}

// stringsOf reads a Python list of str's repr ("['a', 'b']").
func stringsOf(t *testing.T, repr string) []string {
	t.Helper()
	var out []string
	for _, m := range regexp.MustCompile(`'((?:[^'\\]|\\.)*)'`).FindAllStringSubmatch(repr, -1) {
		out = append(out, strings.ReplaceAll(m[1], `\'`, `'`))
	}
	return out
}

func closeFloats(a, b []float64, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > tol {
			return false
		}
	}
	return true
}
