package runtime

import (
	"fmt"
	"gokist/runtime/lazy"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gokist/obj"
	"gokist/runtime/numpy"
)

// viewFilesPy places the dataset's files on a numpy grid by the DINDEX4 / DINDEX3 that
// astropy reads from each, then evaluates each case's numpy expression on the grid of
// flat file numbers `idx` (as dkist slices its array of files), and reports per case the
// file names, shape and the values of some keywords of the files it selects.
const viewFilesPy = `
import json, sys, glob, os
import numpy as np
from astropy.io import fits
cfg = json.load(sys.stdin)
paths = sorted(glob.glob(os.path.join(cfg["dir"], "*.fits")))
hs = [fits.getheader(p) for p in paths]
S = max(h["DINDEX4"] for h in hs); R = max(h["DINDEX3"] for h in hs)
names = [None] * (S * R); heads = [None] * (S * R)
for p, h in zip(paths, hs):
    f = (h["DINDEX4"] - 1) * R + (h["DINDEX3"] - 1)
    names[f], heads[f] = os.path.basename(p), h
idx = np.arange(S * R).reshape(S, R)
out = {}
for case, expr in cfg["cases"].items():
    sel = np.asarray(eval(expr))
    flat = sel.ravel().tolist()
    out[case] = {"shape": list(sel.shape), "names": [names[f] for f in flat],
                 "keys": {k: [heads[f][k] for f in flat] for k in cfg["keys"]}}
print(json.dumps(out))
`

type viewFiles struct {
	Shape []int            `json:"shape"`
	Names []string         `json:"names"`
	Keys  map[string][]any `json:"keys"`
}

// TestSlicedDatasetFilesAndHeaders checks that slicing (and rebinning, and computing) a
// dataset keeps only the files its selection touches, in grid order, in ds.files,
// ds.headers, the inventory's frameCount and the repr, as dkist's Dataset.__getitem__
// slices its FileManager and headers: against numpy indexing of the grid of files that
// astropy places by DINDEX.
func TestSlicedDatasetFilesAndHeaders(t *testing.T) {
	dir := writeSmall(t, []int{3, 6, 4, 5}) // 3 stokes (I, Q, U) × 6 raster files
	env := testEnv()
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	all := obj.Slice{}
	sl := func(start, stop, step *int) obj.Slice { return obj.Slice{Start: start, Stop: stop, Step: step} }
	at := func(d *Dataset, key any) *Dataset { return datasetAt(t, env, d, key) }
	rebin := func(d *Dataset, bins ...any) *Dataset { return rebinned(t, d, "mean", bins...) }
	computedCore, err := at(ds, 1).Compute(numpy.RunIn(env))
	computed := datasetFace(computedCore)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		what, numpy string
		d           *Dataset
	}{
		{"ds", "idx", ds},
		{"ds[2]", "idx[2]", at(ds, 2)},
		{"ds[0, :3]", "idx[0, :3]", at(ds, obj.Tuple{0, sl(nil, ip(3), nil)})},
		{"ds[:, ::-2]", "idx[:, ::-2]", at(ds, obj.Tuple{all, sl(nil, nil, ip(-2))})},
		{"ds[-1, 4:0:-2]", "idx[-1, 4:0:-2]", at(ds, obj.Tuple{-1, sl(ip(4), ip(0), ip(-2))})},
		{"ds[1:, 2, 0]", "idx[1:, 2]", at(ds, obj.Tuple{sl(ip(1), nil, nil), 2, 0})},
		{"ds[..., 1:3]", "idx", at(ds, obj.Tuple{obj.Ellipsis, sl(ip(1), ip(3), nil)})},
		{"ds[0, 5]", "idx[0, 5]", at(ds, obj.Tuple{0, 5})},
		{"ds[0][1:4][::-1]", "idx[0][1:4][::-1]", at(at(at(ds, 0), sl(ip(1), ip(4), nil)), sl(nil, nil, ip(-1)))},
		{"ds[:, 2:2]", "idx[:, 2:2]", at(ds, obj.Tuple{all, sl(ip(2), ip(2), nil)})},
		// A rebinned dataset covers the files under its bins: the same files, one
		// header each; slicing it keeps the files under the bins picked.
		{"ds.rebin((1, 2, 1, 1))", "idx", rebin(ds, 1, 2, 1, 1)},
		{"ds.rebin((1, 2, 1, 1))[0, 1]", "idx[0, 2:4]", at(rebin(ds, 1, 2, 1, 1), obj.Tuple{0, 1})},
		{"ds.rebin((1, 3, 1, 1))[:, ::-1]", "idx.reshape(3, 2, 3)[:, ::-1].reshape(3, 6)", at(rebin(ds, 1, 3, 1, 1), obj.Tuple{all, sl(nil, nil, ip(-1))})},
		{"ds.rebin((3, 1, 1, 1))[0]", "idx", at(rebin(ds, 3, 1, 1, 1), 0)},
		{"ds[2].rebin((2, 1, 1))", "idx[2]", rebin(at(ds, 2), 2, 1, 1)},
		{"ds[1].compute()[2:4]", "idx[1][2:4]", at(computed, sl(ip(2), ip(4), nil))},
	}
	keys := []string{"DINDEX3", "DINDEX4", "STOKES", "DATE-AVG"}
	exprs := map[string]string{}
	for _, c := range cases {
		exprs[c.what] = c.numpy
	}
	var want map[string]viewFiles
	runPython(t, viewFilesPy, map[string]any{"dir": dir, "cases": exprs, "keys": keys}, &want)

	for _, c := range cases {
		w := want[c.what]
		files := callMember(t, env, c.d, "files", obj.Args{}).(obj.Object)
		var names []string
		for _, n := range callMember(t, env, files, "filenames", obj.Args{}).(obj.List) {
			names = append(names, n.(string))
		}
		if !reflect.DeepEqual(names, w.Names) && len(names)+len(w.Names) > 0 {
			t.Errorf("%s.files.filenames = %v\nnumpy %s selects %v", c.what, names, c.numpy, w.Names)
		}
		// dkist's FileManager shape: numpy's shape of the selection of files, except that
		// a rebinned axis an int index dropped still covers its bin's files.
		gotShape := []int(nil)
		for _, n := range callMember(t, env, files, "shape", obj.Args{}).(obj.Tuple) {
			gotShape = append(gotShape, n.(int))
		}
		if lazy.Product(gotShape) != len(w.Names) || (!strings.Contains(c.what, "rebin") && fmt.Sprint(gotShape) != fmt.Sprint(w.Shape)) {
			t.Errorf("%s.files.shape = %v, numpy's selection has shape %v", c.what, gotShape, w.Shape)
		}
		if text := files.(obj.MimeBundler).MimeBundle()["text/plain"].(string); !strings.Contains(text, fmt.Sprintf("containing %d files", len(w.Names))) {
			t.Errorf("%s.files repr %q does not count %d files", c.what, text, len(w.Names))
		}
		headers := callMember(t, env, c.d, "headers", obj.Args{}).(obj.Indexer)
		for _, k := range keys {
			got := columnList(t, index(t, env, headers, k))
			if fmt.Sprint([]any(got)) != fmt.Sprint(w.Keys[k]) {
				t.Errorf("%s.headers[%q] = %v\nastropy reads %v from the files numpy selects", c.what, k, got, w.Keys[k])
			}
		}
		inv := callMember(t, env, c.d, "inventory", obj.Args{}).(obj.Indexer)
		if got := index(t, env, inv, "frameCount"); got != len(w.Names) {
			t.Errorf("%s.inventory['frameCount'] = %v, want %d", c.what, got, len(w.Names))
		}
		text := c.d.MimeBundle()["text/plain"].(string)
		if !strings.Contains(text, fmt.Sprintf("consists of %d frames.", len(w.Names))) {
			t.Errorf("%s: repr does not count %d frames:\n%s", c.what, len(w.Names), strings.SplitN(text, "\n", 2)[0])
		}
	}
}

// TestSlicedHeadersReadOnlyTheirFiles checks that ds[...].headers['KEY'] reads the headers
// of the sliced dataset's files only (a file outside the slice may be gone), and that a
// keyword the whole dataset read before is taken from its cache (nothing read again).
func TestSlicedHeadersReadOnlyTheirFiles(t *testing.T) {
	dir := writeSmall(t, []int{2, 3, 4, 5})
	env := testEnv()
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	whole := callMember(t, env, ds, "headers", obj.Args{}).(obj.Indexer)
	index(t, env, whole, "DATE-AVG") // cached for the whole dataset
	// writeDatasetPy names the files by raster and Stokes letter.
	if err := os.Remove(filepath.Join(dir, "VISP_000_Q_L1.fits")); err != nil {
		t.Fatal(err)
	}
	view, err := ds.GetItem(env, obj.Tuple{0, obj.Slice{Start: ip(1)}}) // Stokes I, rasters 1 and 2
	if err != nil {
		t.Fatal(err)
	}
	headers := callMember(t, env, view, "headers", obj.Args{}).(obj.Indexer)
	if got := columnList(t, index(t, env, headers, "STOKES")); fmt.Sprint([]any(got)) != "[I I]" {
		t.Errorf("ds[0, 1:].headers['STOKES'] = %v, want [I I]", got)
	}
	if got := columnList(t, index(t, env, headers, "DINDEX3")); fmt.Sprint([]any(got)) != "[2 3]" {
		t.Errorf("ds[0, 1:].headers['DINDEX3'] = %v, want [2 3]", got)
	}
	// DATE-AVG comes from the whole dataset's cache: writeDatasetPy's raster r is at
	// 19:00:(3r) seconds.
	if got := columnList(t, index(t, env, headers, "DATE-AVG")); fmt.Sprint([]any(got)) != "[2022-10-24T19:00:03.000 2022-10-24T19:00:06.000]" {
		t.Errorf("ds[0, 1:].headers['DATE-AVG'] = %v", got)
	}
	if _, err := whole.GetItem(env, "DINDEX4"); err == nil || !strings.Contains(err.Error(), "VISP_000_Q_L1.fits") {
		t.Errorf("the whole dataset's headers['DINDEX4'] with a file removed: err = %v, want one naming VISP_000_Q_L1.fits", err)
	}
}
