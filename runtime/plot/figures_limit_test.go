package plot

import (
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
	"gokist/runtime/plot/draw"
)

// openWarningsPy makes figures with matplotlib (Agg) and reports, for each warning, the
// figure being made when it came, its class and text: 25 kept figures, then close('all')
// and 21 more.
const openWarningsPy = `
import json, warnings
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
got = []
def make(n, tag):
    figs = []
    for i in range(n):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            figs.append(plt.figure())
        got.extend({"at": "%s%d" % (tag, i + 1), "cls": x.category.__name__, "msg": str(x.message)} for x in w)
    return figs
a = make(25, "a")
plt.close("all")
b = make(21, "b")
print(json.dumps(got))
`

// stderrRecorder keeps what a cell writes to stderr.
type stderrRecorder struct {
	obj.Discard
	stderr strings.Builder
}

func (r *stderrRecorder) Stream(name, text string) {
	if name == "stderr" {
		r.stderr.WriteString(text)
	}
}

// TestOpenFiguresWarning: making a figure while 20 are open gives matplotlib's
// RuntimeWarning, once until the count drops (checked against matplotlib itself), and
// figures shown at the end of earlier cells that no name keeps do not count.
func TestOpenFiguresWarning(t *testing.T) {
	var want []struct{ At, Cls, Msg string }
	if err := json.Unmarshal(pyref.Run(t, openWarningsPy), &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != 2 || want[0].At != "a21" || want[1].At != "b21" || want[0].Cls != "RuntimeWarning" {
		t.Fatalf("matplotlib warned %+v; the test expects two RuntimeWarnings, at the 21st figure of each run", want)
	}
	plt := NewPyplot()
	out := &stderrRecorder{}
	env := &obj.Env{Out: out, Services: map[string]any{ServiceName: plt}}
	var got []string
	open := func(n int, tag string) {
		var figs []*draw.Figure
		for i := range n {
			out.stderr.Reset()
			figs = append(figs, call(t, env, plt, "figure", nil, nil).(*draw.Figure))
			if s := out.stderr.String(); s != "" {
				got = append(got, fmt.Sprintf("%s%d: %s", tag, i+1, s))
			}
		}
		runtime.KeepAlive(figs)
	}
	open(25, "a")
	call(t, env, plt, "close", []any{"all"}, nil)
	open(21, "b")
	wantGot := []string{"a21: RuntimeWarning: " + want[0].Msg + "\n", "b21: RuntimeWarning: " + want[1].Msg + "\n"}
	if strings.Join(got, "|") != strings.Join(wantGot, "|") {
		t.Errorf("warnings:\n%q\nwant\n%q", got, wantGot)
	}
	call(t, env, plt, "close", []any{"all"}, nil)

	// 30 cells each plotting once, no figure kept: matplotlib's inline backend closes
	// them at the end of each cell, and nothing warns.
	out.stderr.Reset()
	for range 30 {
		call(t, env, plt, "plot", []any{obj.List{1, 2, 3}}, nil)
		if err := plt.FlushCell(out); err != nil {
			t.Fatal(err)
		}
	}
	if s := out.stderr.String(); s != "" {
		t.Errorf("30 cells of unkept figures warned %q", s)
	}
}

// TestCloseReleasesFigureData: plt.close(fig) and plt.close('all') drop the drawn data
// of figures kept under a name, also ones shown in earlier cells; the figure stays usable.
func TestCloseReleasesFigureData(t *testing.T) {
	plt := NewPyplot()
	env := &obj.Env{Out: obj.Discard{}, Services: map[string]any{ServiceName: plt}}
	image := obj.List{}
	for range 50 {
		row := obj.List{}
		for j := range 50 {
			row = append(row, float64(j))
		}
		image = append(image, row)
	}
	drawFigure := func() (*draw.Figure, *draw.Axes) {
		res := call(t, env, plt, "subplots", nil, nil).(obj.Tuple)
		ax := res[1].(*draw.Axes)
		call(t, env, ax, "imshow", []any{image}, nil)
		call(t, env, ax, "plot", []any{obj.List{1, 2, 3}}, nil)
		return res[0].(*draw.Figure), ax
	}
	f1, ax1 := drawFigure()
	_, ax2 := drawFigure()
	if err := plt.FlushCell(obj.Discard{}); err != nil { // shown; both kept under names
		t.Fatal(err)
	}
	_, ax3 := drawFigure()
	call(t, env, plt, "close", []any{f1}, nil)
	if ax1.NumImages() != 0 || ax1.NumLines() != 0 {
		t.Errorf("close(fig): the figure still holds %d images and %d lines", ax1.NumImages(), ax1.NumLines())
	}
	if ax2.NumImages() != 1 || ax3.NumImages() != 1 {
		t.Errorf("close(fig) released other figures' data")
	}
	call(t, env, plt, "close", []any{"all"}, nil)
	for i, ax := range []*draw.Axes{ax2, ax3} {
		if ax.NumImages() != 0 || ax.NumLines() != 0 {
			t.Errorf("close('all'): figure %d still holds %d images and %d lines", i+2, ax.NumImages(), ax.NumLines())
		}
	}
	// A released figure draws again.
	call(t, env, ax1, "plot", []any{obj.List{1, 2}}, nil)
	if ax1.NumLines() != 1 {
		t.Errorf("drawing on a closed figure: %d lines", ax1.NumLines())
	}
	if _, err := f1.PNG(); err != nil {
		t.Errorf("rendering a released figure: %v", err)
	}
}

// TestKeptFigureDoesNotHoldItsPicture: a figure kept under a name after it was shown
// holds its series, not the rendered picture (a 640×480 canvas is 1.2 MB of pixels):
// what the axes keep of the last render for PixelBox and ToPixel must not reach it.
func TestKeptFigureDoesNotHoldItsPicture(t *testing.T) {
	plt := NewPyplot()
	env := &obj.Env{Out: obj.Discard{}, Services: map[string]any{ServiceName: plt}}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	const n = 10
	var figs []*draw.Figure
	for range n {
		f := call(t, env, plt, "figure", nil, nil).(*draw.Figure)
		call(t, env, plt, "plot", []any{obj.List{1, 2, 3}}, nil)
		if err := plt.FlushCell(obj.Discard{}); err != nil {
			t.Fatal(err)
		}
		figs = append(figs, f)
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	perFigure := (int64(ms.HeapAlloc) - int64(before)) / n
	if perFigure > 600<<10 {
		t.Errorf("each shown figure kept under a name holds %d KiB after a collection, want well under the 1200 KiB of its picture", perFigure>>10)
	}
	// What the axes keep still maps data to pixels: x = 1 of 0 … 2 (plot(y) puts y at 0, 1, 2) is mid-box.
	ax := figs[0].Axes()[0]
	box := ax.PixelBox()
	if px, _, ok := ax.DataToPixel(1, 2); !ok || math.Abs(px-float64(box.Min.X+box.Max.X)/2) > 1 {
		t.Errorf("DataToPixel(1, 2) x = %v, want the middle of %v", px, box)
	}
	runtime.KeepAlive(figs)
}
