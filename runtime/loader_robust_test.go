package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"gokist/fits"
	"gokist/internal/pyref"
	"gokist/obj"
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
		red, _ := numpy.NewReduce(ds.node, "nansum", nil)
		_, err = numpy.ComputeNode(env, red)
		wantErr(t, what+" nansum", err, obj.FileNotFoundError, victim, "was there when the dataset was loaded but is gone now")
		// The plot path reads through the chunk cache and must fail the same way.
		one, err := ds.GetItem(env, obj.Tuple{1, 2})
		if err != nil {
			t.Fatal(err)
		}
		_, err = numpy.ComputeForPlot(env, one.(*Dataset).node)
		wantErr(t, what+" plot read", err, obj.FileNotFoundError, victim, "gone now")
		// Another file's values still compute.
		other, _ := ds.GetItem(env, obj.Tuple{0, 2})
		if _, err := numpy.ComputeNode(env, other.(*Dataset).node); err != nil {
			t.Errorf("%s: a present file: %v", what, err)
		}
		// ds.headers reads keys not cached at load from the files: the same error.
		headers := callMember(t, env, ds, "headers", obj.Args{}).(obj.Indexer)
		_, err = headers.GetItem(env, "CRPIX1")
		wantErr(t, what+" headers", err, obj.FileNotFoundError, victim, "gone now")
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
	if _, err := numpy.ComputeNode(env, stokesI.(*Dataset).node); err != nil {
		t.Fatal(err)
	}
	if s := out.stderr.String(); s != "" {
		t.Errorf("a compute over present files warned %q", s)
	}
	smallTasks(env, 5) // many blocks per missing file: the warning must still come once
	a, err := numpy.ComputeNode(env, ds.node)
	if err != nil {
		t.Fatal(err)
	}
	nan := 0
	for _, x := range a.Floats() {
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

// copyDataset copies the files of dir into a new temporary directory.
func copyDataset(t *testing.T, dir string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), filepath.Base(dir))
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		copyFile(t, filepath.Join(dir, e.Name()), filepath.Join(to, e.Name()))
	}
	return to
}

// TestBadDINDEXNamesItsFile: a negative or non-integer DINDEX is reported against the file
// that has it, and a DINDEX out of range names the files at both ends of the range.
func TestBadDINDEXNamesItsFile(t *testing.T) {
	ctx := context.Background()
	base := writeSmall(t, []int{2, 3, 4, 5})
	cases := []struct {
		name  string
		cards map[string]any
		class string
		want  []string
		not   string
	}{
		{"negative", map[string]any{"DINDEX4": -3}, obj.ValueError, []string{"VISP_001_Q_L1.fits HDU 0", "DINDEX4 = -3 is negative"}, "VISP_000_I"},
		{"string", map[string]any{"DINDEX4": "abc"}, obj.FITSError, []string{"VISP_001_Q_L1.fits HDU 0", "DINDEX4 = 'abc' is not an integer"}, "missing"},
		{"float", map[string]any{"DINDEX3": 1.5}, obj.FITSError, []string{"VISP_001_Q_L1.fits HDU 0", "DINDEX3 = 1.5 is not an integer"}, "missing"},
		{"dnaxis string", map[string]any{"DNAXIS1": "wide"}, obj.FITSError, []string{"VISP_001_Q_L1.fits HDU 0", "DNAXIS1 = 'wide' is not an integer"}, "missing"},
		// 1-based DINDEX3 of 1 … 3 plus one of 99: the range 1 … 99 is wider than 3.
		{"out of range", map[string]any{"DINDEX3": 99}, obj.ValueError, []string{"DINDEX3 ranges from 1", "to 99 (VISP_001_Q_L1.fits)", "DNAXIS3 = 3"}, ""},
	}
	for _, c := range cases {
		dir := copyDataset(t, base)
		setKeys(t, filepath.Join(dir, "VISP_001_Q_L1.fits"), 0, c.cards)
		_, err := LoadDataset(ctx, dir)
		wantErr(t, c.name, err, c.class, c.want...)
		if c.not != "" && err != nil && strings.Contains(err.Error(), c.not) {
			t.Errorf("%s: %v mentions %q", c.name, err, c.not)
		}
	}
}

// TestBrokenWCSWarnsAtLoad: a file whose WCS cannot be read leaves the dataset with no
// world coordinates; the load says so at once, naming the file, the HDU and the key.
func TestBrokenWCSWarnsAtLoad(t *testing.T) {
	base := filepath.Join(t.TempDir(), "ds")
	runPython(t, writeDatasetPy, map[string]any{"dir": base, "dtype": "float32", "compress": true, "shape": []int{1, 3, 4, 5}}, nil)
	cases := []struct {
		name  string
		cards map[string]any
		want  []string
	}{
		{"ctype", map[string]any{"CTYPE1": "FOO-BAR"}, []string{"CTYPE1 = 'FOO-BAR' where the other files have 'HPLT-TAN'"}},
		{"cdelt", map[string]any{"CDELT1": 0.0}, []string{"CDELT1"}},
		{"date", map[string]any{"DATE-AVG": "not a date"}, []string{"DATE-AVG", "not a date"}},
	}
	for _, c := range cases {
		dir := copyDataset(t, base)
		setKeys(t, filepath.Join(dir, "VISP_001_I_L1.fits"), 1, c.cards)
		out := &collect{}
		env := &obj.Env{Out: out, Services: map[string]any{}}
		ds, err := LoadDatasetEnv(env, dir)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if ds.wcs != nil {
			t.Errorf("%s: the dataset has a WCS", c.name)
		}
		warning := out.stderr.String()
		for _, w := range append([]string{"warning:", "0 world dimensions", "VISP_001_I_L1.fits", "HDU 1"}, c.want...) {
			if !strings.Contains(warning, w) {
				t.Errorf("%s: load warning %q does not mention %q", c.name, warning, w)
			}
		}
	}
	// A good dataset loads without a word.
	out := &collect{}
	if _, err := LoadDatasetEnv(&obj.Env{Out: out, Services: map[string]any{}}, base); err != nil {
		t.Fatal(err)
	}
	if out.stderr.Len() != 0 {
		t.Errorf("a good dataset warned %q", out.stderr.String())
	}
}

// denied is the error the file system gives a user who may not read path.
func denied(op, path string) error {
	return &fs.PathError{Op: op, Path: path, Err: syscall.EACCES}
}

// TestPermissionDenied: a directory that cannot be listed and a file that cannot be read,
// at load or at compute, are PermissionErrors naming the path and what was being done.
// Tests run as root, who may read anything, so the file system is stood in for.
func TestPermissionDenied(t *testing.T) {
	ctx := context.Background()
	dir := writeSmall(t, []int{1, 3, 4, 5})
	victim := filepath.Join(dir, "VISP_001_I_L1.fits")

	listDirectory = func(name string) ([]os.DirEntry, error) { return nil, denied("open", name) }
	_, err := LoadDataset(ctx, dir)
	listDirectory = os.ReadDir
	wantErr(t, "directory", err, lazy.PermissionError, dir, "cannot list the dataset directory", "permission denied")

	openFITS = func(path string) (*fits.File, error) {
		if path == victim {
			return nil, denied("open", path)
		}
		return fits.Open(path)
	}
	_, err = LoadDataset(ctx, dir)
	openFITS = fits.Open
	wantErr(t, "file at load", err, lazy.PermissionError, victim, "cannot read", "permission denied")

	ds, err := LoadDataset(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	env := testEnv()
	clientOf(env).OpenImage = func(path string, l *fits.ImageLayout) (*fits.Image, error) {
		if path == victim {
			return nil, denied("open", path)
		}
		return fits.OpenImageWith(path, l)
	}
	_, err = numpy.ComputeNode(env, ds.node)
	wantErr(t, "file at compute", err, lazy.PermissionError, victim, "cannot read", "permission denied")

	if os.Getuid() != 0 {
		// Not root: the real thing too.
		os.Chmod(victim, 0)
		defer os.Chmod(victim, 0o644)
		_, err = numpy.ComputeNode(testEnv(), ds.node)
		wantErr(t, "chmod 0 file at compute", err, lazy.PermissionError, victim, "cannot read")
		os.Chmod(dir, 0)
		defer os.Chmod(dir, 0o755)
		_, err = LoadDataset(ctx, dir)
		wantErr(t, "chmod 0 directory", err, lazy.PermissionError, dir, "cannot list the dataset directory")
	}
}

// TestLoadHonoursInterrupt: the header scan stops taking files once the cell's context is
// cancelled, and a load whose open blocks for ever (a stalled network mount, stood in for
// here) still returns Interrupted promptly, leaving the stuck read behind.
func TestLoadHonoursInterrupt(t *testing.T) {
	dir := writeSmall(t, []int{4, 10, 2, 3}) // 40 files
	defer func() { openFITS, listDirectory = fits.Open, os.ReadDir }()

	// Cancelled before the load: no file is opened.
	var opened atomic.Int64
	openFITS = func(path string) (*fits.File, error) {
		opened.Add(1)
		return fits.Open(path)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := LoadDataset(ctx, dir)
	wantErr(t, "cancelled before", err, obj.Interrupted, "loading interrupted")
	if n := opened.Load(); n != 0 {
		t.Errorf("a cancelled load opened %d files", n)
	}

	// Cancelled after the 5th file: the workers (at most 8) finish the file they hold and
	// take no more, so far fewer than the 40 files are opened.
	opened.Store(0)
	ctx, cancel = context.WithCancel(context.Background())
	openFITS = func(path string) (*fits.File, error) {
		if opened.Add(1) == 5 {
			cancel()
		}
		return fits.Open(path)
	}
	_, err = LoadDataset(ctx, dir)
	wantErr(t, "cancelled during the scan", err, obj.Interrupted, "reading the FITS headers", "of 40 files")
	if n := opened.Load(); n > 5+8 {
		t.Errorf("the scan opened %d files after the interrupt at the 5th", n-5)
	}

	// One open blocks until the test ends: the load still returns once cancelled.
	stuck := filepath.Join(dir, "VISP_003_Q_L1.fits")
	release := make(chan struct{})
	var releaseOnce sync.Once
	free := func() { releaseOnce.Do(func() { close(release) }) }
	defer free()
	// Without the interrupt the load would wait for the open; free it after a while so
	// that such a failure shows as a slow load rather than a hung test.
	time.AfterFunc(10*time.Second, free)
	entered := make(chan struct{})
	openFITS = func(path string) (*fits.File, error) {
		if path == stuck {
			close(entered)
			<-release
		}
		return fits.Open(path)
	}
	ctx, cancel = context.WithCancel(context.Background())
	go func() {
		<-entered
		time.Sleep(20 * time.Millisecond)
		cancel()
	}()
	start := time.Now()
	_, err = LoadDataset(ctx, dir)
	wantErr(t, "blocked open", err, obj.Interrupted, "reading the FITS headers")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the load with a blocked open took %v to return after the interrupt", d)
	}

	// A directory listing that blocks is interrupted the same way.
	openFITS = fits.Open
	block := make(chan struct{})
	defer close(block)
	listDirectory = func(name string) ([]os.DirEntry, error) {
		<-block
		return os.ReadDir(name)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = LoadDataset(ctx, dir)
	wantErr(t, "blocked listing", err, obj.Interrupted, "listing the dataset directory", dir)
}
