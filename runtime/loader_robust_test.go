package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/runtime/obj"
)

// setKeysPy sets header keys of one HDU of a FITS file with astropy, in place.
const setKeysPy = `
import json, sys
from astropy.io import fits
path, hdu, cards = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
with fits.open(path, mode="update") as hl:
    for k, v in cards.items():
        hl[hdu].header[k] = v
`

// setKeys sets keys of HDU hdu of path to the values given (strings stay strings).
func setKeys(t *testing.T, path string, hdu int, cards map[string]any) {
	t.Helper()
	b, err := json.Marshal(cards)
	if err != nil {
		t.Fatal(err)
	}
	pyref.Run(t, setKeysPy, path, fmt.Sprint(hdu), string(b))
}

// writeASDFIndex writes a minimal DKIST ASDF index listing every file writeDatasetPy
// makes for numpy shape (S, R, W, X), so that files absent at load compute as NaN.
func writeASDFIndex(t *testing.T, dir string, shape []int) {
	t.Helper()
	var rows []string
	for s := range shape[0] {
		var names []string
		for r := range shape[1] {
			names = append(names, fmt.Sprintf("VISP_%03d_%s_L1.fits", r, "IQUV"[s:s+1]))
		}
		rows = append(rows, "["+strings.Join(names, ", ")+"]")
	}
	asdf := "#ASDF 1.0.0\n%YAML 1.1\n%TAG ! tag:stsci.edu:asdf/\n--- !core/asdf-1.1.0\ndataset: !<asdf://dkist.nso.edu/tags/dataset-1.2.0>\n" +
		"  data: !<asdf://dkist.nso.edu/tags/file_manager-1.0.0>\n    datatype: float64\n    fileuris:\n    - " + strings.Join(rows, "\n    - ") +
		fmt.Sprintf("\n    shape: [1, %d, %d]\n    target: 1\n  meta:\n    inventory: {datasetId: TESTS}\n...\n", shape[2], shape[3])
	if err := os.WriteFile(filepath.Join(dir, "TESTS.asdf"), []byte(asdf), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFileGoneAfterLoad: a file the load found but that is deleted before the compute is
// a FileNotFoundError naming it, never NaNs, with or without an ASDF index.
func TestFileGoneAfterLoad(t *testing.T) {
	for _, withASDF := range []bool{false, true} {
		dir := writeSmall(t, []int{2, 3, 4, 5})
		if withASDF {
			writeASDFIndex(t, dir, []int{2, 3, 4, 5})
		}
		out := &collect{}
		env := &obj.Env{Out: out, Services: map[string]any{}}
		ds, err := LoadDatasetEnv(env, dir)
		if err != nil {
			t.Fatal(err)
		}
		victim := filepath.Join(dir, "VISP_002_Q_L1.fits")
		if err := os.Remove(victim); err != nil {
			t.Fatal(err)
		}
		what := fmt.Sprintf("asdf=%v", withASDF)
		red, _ := newReduce(ds.node, "nansum", nil)
		_, err = computeNode(env, red)
		wantErr(t, what+" nansum", err, obj.FileNotFoundError, victim, "was there when the dataset was loaded but is gone now")
		// The plot path reads through the chunk cache and must fail the same way.
		one, err := ds.GetItem(env, obj.Tuple{1, 2})
		if err != nil {
			t.Fatal(err)
		}
		_, err = computeForPlot(env, one.(*Dataset).node)
		wantErr(t, what+" plot read", err, obj.FileNotFoundError, victim, "gone now")
		// Another file's values still compute.
		other, _ := ds.GetItem(env, obj.Tuple{0, 2})
		if _, err := computeNode(env, other.(*Dataset).node); err != nil {
			t.Errorf("%s: a present file: %v", what, err)
		}
		if strings.Contains(out.stderr.String(), "NaN") {
			t.Errorf("%s: a file gone after load was reported as NaN: %q", what, out.stderr.String())
		}
	}
}

// TestMissingAtLoadWarnsOncePerCompute: files the ASDF lists but that were absent at the
// load compute as NaN, and a compute that reads them says so once on stderr; a compute
// that does not touch them says nothing.
func TestMissingAtLoadWarnsOncePerCompute(t *testing.T) {
	dir := writeSmall(t, []int{2, 3, 4, 5})
	writeASDFIndex(t, dir, []int{2, 3, 4, 5})
	os.Remove(filepath.Join(dir, "VISP_001_Q_L1.fits"))
	os.Remove(filepath.Join(dir, "VISP_002_Q_L1.fits"))
	out := &collect{}
	env := &obj.Env{Out: out, Services: map[string]any{}}
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.stderr.String(), "2 of the dataset's 6 files are missing") {
		t.Fatalf("load warning %q", out.stderr.String())
	}
	out.stderr.Reset()
	stokesI, _ := ds.GetItem(env, 0)
	if _, err := computeNode(env, stokesI.(*Dataset).node); err != nil {
		t.Fatal(err)
	}
	if s := out.stderr.String(); s != "" {
		t.Errorf("a compute over present files warned %q", s)
	}
	old := maxBlockElems
	maxBlockElems = 5 // many blocks per missing file: the warning must still come once
	defer func() { maxBlockElems = old }()
	a, err := computeNode(env, ds.node)
	if err != nil {
		t.Fatal(err)
	}
	nan := 0
	for _, x := range a.float64s() {
		if math.IsNaN(x) {
			nan++
		}
	}
	if nan != 2*4*5 {
		t.Errorf("%d NaN values, want the two missing files' 40", nan)
	}
	s := out.stderr.String()
	if strings.Count(s, "warning:") != 1 || !strings.Contains(s, "2 of the dataset's 6 files are missing") || !strings.Contains(s, dir) || !strings.Contains(s, "NaN") {
		t.Errorf("compute warning %q: want one warning naming the directory, the count and NaN", s)
	}
}

// TestMixedDatasetsRefused: a file of another dataset (DSETID) or instrument (INSTRUME)
// among a dataset's files is named with its value and the other files' value.
func TestMixedDatasetsRefused(t *testing.T) {
	ctx := context.Background()
	for _, key := range []string{"DSETID", "INSTRUME"} {
		dir := writeSmall(t, []int{2, 3, 4, 5})
		// writeDatasetPy writes INSTRUME = 'VISP' and DSETID = 'TESTS'.
		majority := map[string]string{"DSETID": "TESTS", "INSTRUME": "VISP"}[key]
		setKeys(t, filepath.Join(dir, "VISP_001_Q_L1.fits"), 0, map[string]any{key: "OTHER"})
		_, err := LoadDataset(ctx, dir)
		wantErr(t, key, err, obj.ValueError, "VISP_001_Q_L1.fits", key+" = 'OTHER'", "'"+majority+"'", "5 of the other 5 files", "mixes two datasets")
	}
	// The first file being the odd one still names it, not the good files.
	dir := writeSmall(t, []int{1, 3, 4, 5})
	setKeys(t, filepath.Join(dir, "VISP_000_I_L1.fits"), 0, map[string]any{"DSETID": "AAAA"})
	_, err := LoadDataset(ctx, dir)
	wantErr(t, "first file odd", err, obj.ValueError, "VISP_000_I_L1.fits", "DSETID = 'AAAA'", "'TESTS'")
}
