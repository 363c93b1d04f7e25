package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
	"gokist/runtime/plot"
	"gokist/runtime/plot/draw"
)

const smallVISP = "../../shared/data/dkist-small-visp"

// plotEnv is a cell environment with a pyplot session and an output that keeps displays.
func plotEnv() (*obj.Env, *plot.Pyplot, *displays) {
	p := plot.NewPyplot()
	out := &displays{}
	return &obj.Env{Ctx: context.Background(), Out: out, Services: map[string]any{plot.ServiceName: p}}, p, out
}

type displays struct {
	obj.Discard
	bundles []map[string]any
}

func (d *displays) Display(b, m map[string]any, id string, update bool) {
	d.bundles = append(d.bundles, b)
}

// plotCall calls a .plot member the way lang does, with keywords.
func plotCall(env *obj.Env, m *obj.Member, recv any, kw map[string]any) (*draw.Axes, error) {
	v, err := m.Call(env, recv, obj.Args{Kw: kw})
	if err != nil {
		return nil, err
	}
	return v.(*draw.Axes), nil
}

// astropyWavelengthsNM returns the wavelengths (nm) along NAXIS1 of a file's WCS, as
// astropy.wcs computes them, at pixels 0..n-1.
func astropyWavelengthsNM(t *testing.T, file string, n int) []float64 {
	t.Helper()
	script := `
import json, sys, warnings
import numpy as np
from astropy.io import fits
from astropy.wcs import WCS
warnings.simplefilter("ignore")
w = WCS(fits.getheader(sys.argv[1]))
n = int(sys.argv[2])
pix = np.zeros((n, w.naxis)); pix[:, 0] = np.arange(n)
print(json.dumps(list(w.wcs_pix2world(pix, 0)[:, 0] * 1e9)))
`
	out := pyref.Run(t, script, file, strconv.Itoa(n))
	var v []float64
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("astropy output %q: %v", out, err)
	}
	return v
}

// loadSmall loads the three small VISP files without their ASDF index, so that the WCS
// comes from the FITS headers that astropy.wcs reads too (the index's gwcs disagrees
// with those headers, and the loader prefers the gwcs when it is present).
func loadSmall(t *testing.T, env *obj.Env) *Dataset {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"0.fits", "1.fits", "2.fits"} {
		copyFile(t, filepath.Join(smallVISP, f), filepath.Join(dir, f))
	}
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func index(t *testing.T, env *obj.Env, v obj.Indexer, key any) any {
	t.Helper()
	r, err := v.GetItem(env, key)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDatasetPlotSpectrumAgainstWavelength(t *testing.T) {
	env, _, _ := plotEnv()
	ds := loadSmall(t, env)
	spec := index(t, env, ds, obj.Tuple{0, 5}).(*Dataset) // raster 0, slit 5: a spectrum
	ax, err := plotCall(env, DatasetPlotMember, spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ax.XLabel() != "wavelength [nm]" || ax.YLabel() != "Data [ct]" {
		t.Errorf("labels %q / %q, want 'wavelength [nm]' / 'Data [ct]'", ax.XLabel(), ax.YLabel())
	}
	x, y := ax.LineData(0)
	want := astropyWavelengthsNM(t, smallVISP+"/0.fits", 25)
	for i := range want {
		if math.Abs(x[i]-want[i]) > 1e-9 {
			t.Fatalf("x[%d] = %.12g nm, astropy gives %.12g", i, x[i], want[i])
		}
	}
	// y is the data: its sum over the raster-0 spectrum at slit 5 equals the computed sum.
	data := spec.Lazy()
	a, err := numpy.ComputeNode(env, data.Node)
	if err != nil {
		t.Fatal(err)
	}
	for i := range y {
		if y[i] != a.At(i) {
			t.Fatalf("y[%d] = %g, data %g", i, y[i], a.At(i))
		}
	}
	if _, err := ax.Figure().PNG(); err != nil {
		t.Fatal(err)
	}
	xl, _ := ax.TickLabels()
	if len(xl) < 3 {
		t.Fatalf("x tick labels %v", xl)
	}
	for _, s := range xl {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < want[0]-0.02 || v > want[24]+0.02 {
			t.Errorf("x tick %q is not a wavelength in nm within [%g, %g]", s, want[0], want[24])
		}
	}
}

func TestOverlaySpectrumAndRebinnedTwin(t *testing.T) {
	env, p, out := plotEnv()
	ds := loadSmall(t, env)
	spec := index(t, env, ds, obj.Tuple{0, 5}).(*Dataset)
	rebinned, err := spec.Rebin(obj.Tuple{5}, "mean")
	if err != nil {
		t.Fatal(err)
	}
	ax, err := plotCall(env, DatasetPlotMember, spec, map[string]any{"label": "original"})
	if err != nil {
		t.Fatal(err)
	}
	ax2, err := plotCall(env, DatasetPlotMember, rebinned, map[string]any{"axes": ax, "label": "rebinned", "linestyle": "--", "marker": "o"})
	if err != nil {
		t.Fatal(err)
	}
	if ax2 != ax || ax.NumLines() != 2 || strings.Join(ax.LineLabels(), ",") != "original,rebinned" {
		t.Fatalf("overlay: same axes %v, %d lines %v", ax2 == ax, ax.NumLines(), ax.LineLabels())
	}
	x0, y0 := ax.LineData(0)
	x1, y1 := ax.LineData(1)
	if len(x1) != 5 {
		t.Fatalf("rebinned line has %d points, want 25/5", len(x1))
	}
	// New pixel p covers old pixels 5p..5p+4: on a linear axis its wavelength is their
	// mean, and its value (operation mean) is the mean of theirs.
	for k := range 5 {
		var xs, ys float64
		for j := 5 * k; j < 5*k+5; j++ {
			xs += x0[j]
			ys += y0[j]
		}
		if math.Abs(x1[k]-xs/5) > 1e-9 || math.Abs(y1[k]-ys/5) > 1e-9*math.Abs(ys) {
			t.Errorf("rebinned point %d = (%g, %g), want the group mean (%g, %g)", k, x1[k], y1[k], xs/5, ys/5)
		}
	}
	if err := p.FlushCell(out); err != nil || len(out.bundles) != 1 {
		t.Fatalf("one figure for the overlay: got %d, %v", len(out.bundles), err)
	}

	// Next cell: drawing on the kept axes shows the figure again.
	if _, err := plotCall(env, DatasetPlotMember, spec, map[string]any{"axes": ax, "color": "k", "linestyle": ":"}); err != nil {
		t.Fatal(err)
	}
	if err := p.FlushCell(out); err != nil || len(out.bundles) != 2 || ax.NumLines() != 3 {
		t.Fatalf("reused axes: %d bundles, %d lines, %v", len(out.bundles), ax.NumLines(), err)
	}
}

func TestDatasetPlotImageWithWorldTicks(t *testing.T) {
	env, _, _ := plotEnv()
	ds := loadSmall(t, env)
	slice := index(t, env, ds, 0).(*Dataset) // (slit 10, wavelength 25)
	ax, err := plotCall(env, DatasetPlotMember, slice, map[string]any{"cmap": "gray", "vmin": 0})
	if err != nil {
		t.Fatal(err)
	}
	if r, c := ax.ImageShape(0); r != 10 || c != 25 {
		t.Errorf("image %dx%d, want 10x25", r, c)
	}
	if ax.XLabel() != "wavelength [nm]" || ax.YLabel() != "helioprojective latitude [arcsec]" || !ax.HasColorbar() {
		t.Errorf("labels %q, %q, colour bar %v", ax.XLabel(), ax.YLabel(), ax.HasColorbar())
	}
	if _, err := ax.Figure().PNG(); err != nil {
		t.Fatal(err)
	}
	want := astropyWavelengthsNM(t, smallVISP+"/0.fits", 25)
	xl, yl := ax.TickLabels()
	for _, s := range xl {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < want[0]-0.01 || v > want[24]+0.01 {
			t.Errorf("x tick %q is not a wavelength in nm", s)
		}
	}
	// Latitude along the slit: 10 pixels of 0.06 arcsec from 0.03 arcsec (the files'
	// HPLT-TAN, as astropy gives: CDELT 1.6667e-5 deg).
	for _, s := range yl {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 0 || v > 0.6 {
			t.Errorf("y tick %q is not a latitude in arcsec within the slit", s)
		}
	}
}

func TestDatasetPlot3DHasSlider(t *testing.T) {
	env, p, out := plotEnv()
	ds := loadSmall(t, env)
	if _, err := plotCall(env, DatasetPlotMember, ds, nil); err != nil {
		t.Fatal(err)
	}
	if err := p.FlushCell(out); err != nil {
		t.Fatal(err)
	}
	html, _ := out.bundles[0]["text/html"].(string)
	if n := strings.Count(html, `class="gokist-frame"`); n != 3 {
		t.Errorf("slider over 3 raster positions has %d frames", n)
	}
	if !strings.Contains(html, "raster position") {
		t.Error("slider is not labelled with the axis name")
	}
}

// progressLog keeps the progress reports of a cell.
type progressLog struct {
	displays
	reports []obj.Progress
}

func (l *progressLog) Progress(p obj.Progress) { l.reports = append(l.reports, p) }

// The slider's frames, computed one after another when the figure is shown, report as
// one computation: chunk counts run on across frames to frames × chunks per frame, and
// only the last frame's report is final, so the kernel shows one bar for all of them.
func TestSliderFramesReportAsOneProgress(t *testing.T) {
	env, p, _ := plotEnv()
	log := &progressLog{}
	env.Out = log
	ds := loadSmall(t, env) // 3 raster positions: a 3-frame slider
	if _, err := plotCall(env, DatasetPlotMember, ds, nil); err != nil {
		t.Fatal(err)
	}
	log.reports = nil // the main image's own compute
	if err := p.FlushCell(log); err != nil {
		t.Fatal(err)
	}
	var finished []obj.Progress
	lastDone := -1
	for _, r := range log.reports {
		if r.Done < lastDone {
			t.Errorf("chunks done went back from %d to %d: %+v", lastDone, r.Done, r)
		}
		lastDone = r.Done
		if r.Finished {
			finished = append(finished, r)
		}
	}
	if len(finished) != 1 || finished[0].Stopped || finished[0].Done != finished[0].Total || finished[0].Total%3 != 0 {
		t.Fatalf("final reports %+v of %d; want one, complete, over 3 frames", finished, len(log.reports))
	}
	if !strings.Contains(finished[0].Label, "slider frame 3 of 3") {
		t.Errorf("final label %q", finished[0].Label)
	}
}

// framesProgress arithmetic: frame k's report p counts k whole frames before it.
func TestFramesProgressMerges(t *testing.T) {
	log := &progressLog{}
	f := &framesProgress{Output: log, frames: 2}
	f.Progress(obj.Progress{Label: "compute", Done: 3, Total: 10, Bytes: 30})
	f.Progress(obj.Progress{Label: "compute", Done: 10, Total: 10, Bytes: 100, Finished: true})
	f.Progress(obj.Progress{Label: "compute", Done: 4, Total: 10, Bytes: 40})
	f.Progress(obj.Progress{Label: "compute", Done: 10, Total: 10, Bytes: 100, Finished: true})
	want := []struct {
		done, total int
		bytes       int64
		finished    bool
	}{{3, 20, 30, false}, {10, 20, 100, false}, {14, 20, 140, false}, {20, 20, 200, true}}
	for i, w := range want {
		r := log.reports[i]
		if r.Done != w.done || r.Total != w.total || r.Bytes != w.bytes || r.Finished != w.finished {
			t.Errorf("report %d: %+v, want done %d/%d, %d bytes, finished %v", i, r, w.done, w.total, w.bytes, w.finished)
		}
	}
	// A frame that stops short ends the whole report, stopped.
	f.Progress(obj.Progress{Label: "compute", Done: 2, Total: 10, Finished: true, Stopped: true})
	if r := log.reports[len(log.reports)-1]; !r.Finished || !r.Stopped || r.Done != 2 {
		t.Errorf("stopped frame: %+v", r)
	}
}

func TestArrayPlotAgainstPixelIndex(t *testing.T) {
	env, _, _ := plotEnv()
	a := lazy.NewArray([]float64{3, 1, math.NaN(), 2}, []int{4}, lazy.Float64)
	ax, err := plotCall(env, ArrayPlotMember, (*numpy.NDArray)(a), nil)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := ax.LineData(0)
	for i, v := range x {
		if v != float64(i) {
			t.Fatalf("x = %v, want the pixel index", x)
		}
	}
	if ax.XLabel() != "axis 0 [pixel]" {
		t.Errorf("x label %q", ax.XLabel())
	}
	vals, shape, err := ((*numpy.NDArray)(a)).Float64s(env)
	if err != nil || len(vals) != 4 || len(shape) != 1 {
		t.Errorf("Float64s: %v %v %v", vals, shape, err)
	}
}

func TestPlotErrors(t *testing.T) {
	env, _, _ := plotEnv()
	ds := loadSmall(t, env)
	empty := index(t, env, ds, obj.Tuple{0, 5, obj.Slice{Start: intp(3), Stop: intp(3)}}).(*Dataset)
	_, err := plotCall(env, DatasetPlotMember, empty, nil)
	if err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty selection: %v", err)
	}
	spec := index(t, env, ds, obj.Tuple{0, 5}).(*Dataset)
	_, err = plotCall(env, DatasetPlotMember, spec, map[string]any{"linestyle": "wavy"})
	var oe *obj.Error
	if !errors.As(err, &oe) || oe.Class != obj.ValueError || !strings.Contains(err.Error(), "dashdot") {
		t.Errorf("unknown line style: %v", err)
	}
	_, err = plotCall(env, DatasetPlotMember, spec, map[string]any{"cmap": "gray"})
	if err == nil {
		t.Error("cmap accepted for a 1-D plot")
	}
	nan := lazy.NewArray([]float64{math.NaN(), math.NaN()}, []int{2}, lazy.Float64)
	if _, err := plotCall(env, ArrayPlotMember, (*numpy.NDArray)(nan), nil); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("all-NaN: %v", err)
	}
	if _, err := plotCall(env, DatasetPlotMember, spec, map[string]any{"axes": 3}); err == nil {
		t.Error("axes=3 accepted")
	}
	noPlt := &obj.Env{Ctx: context.Background(), Out: obj.Discard{}}
	if _, err := plotCall(noPlt, DatasetPlotMember, spec, nil); err == nil {
		t.Error("plot without a pyplot service succeeded")
	}
}

// A .plot() call rejected for its arguments leaves no empty figure to be shown at the end
// of the cell (matplotlib's Axes methods fail before a figure exists only when the axes
// are given; ours never leave one behind).
func TestRejectedDatasetPlotLeavesNoFigure(t *testing.T) {
	env, p, _ := plotEnv()
	ds := loadSmall(t, env)
	spec := index(t, env, ds, obj.Tuple{0, 5}).(*Dataset)
	image := index(t, env, ds, 0).(*Dataset)
	for _, c := range []struct {
		ds *Dataset
		kw map[string]any
	}{
		{spec, map[string]any{"linestyle": "~"}},
		{spec, map[string]any{"cmap": "gray"}},
		{image, map[string]any{"linestyle": "--"}},
		{image, map[string]any{"cmap": "no-such-map"}},
		{spec, map[string]any{"linewidth": -5}},
		{spec, map[string]any{"linewidth": 1e9}},
		{image, map[string]any{"vmin": math.NaN()}},
		{image, map[string]any{"vmin": 5, "vmax": 1}},
	} {
		if _, err := plotCall(env, DatasetPlotMember, c.ds, c.kw); err == nil {
			t.Errorf("%v accepted for shape %v", c.kw, c.ds.Shape())
		}
		if n := len(p.OpenFigures()); n != 0 {
			t.Fatalf("%v: %d figures left open after the error", c.kw, n)
		}
	}
}

func intp(i int) *int { return &i }
