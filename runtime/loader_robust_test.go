package runtime

import (
	"context"
	"fmt"
	"gokist/runtime/distributed"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"gokist/runtime/dkist"
	"gokist/runtime/dkist/dkisttest"

	"gokist/fits"
	"gokist/obj"
)

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
		red, _ := numpy.NewReduce(ds.Node, "nansum", nil)
		_, err = numpy.ComputeNode(env, red)
		wantErr(t, what+" nansum", err, obj.FileNotFoundError, victim, "was there when the dataset was loaded but is gone now")
		// The plot path reads through the chunk cache and must fail the same way.
		one, err := ds.GetItem(env, obj.Tuple{1, 2})
		if err != nil {
			t.Fatal(err)
		}
		_, err = numpy.ComputeForPlot(env, one.(*Dataset).Node)
		wantErr(t, what+" plot read", err, obj.FileNotFoundError, victim, "gone now")
		// Another file's values still compute.
		other, _ := ds.GetItem(env, obj.Tuple{0, 2})
		if _, err := numpy.ComputeNode(env, other.(*Dataset).Node); err != nil {
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
	if _, err := numpy.ComputeNode(env, stokesI.(*Dataset).Node); err != nil {
		t.Fatal(err)
	}
	if s := out.stderr.String(); s != "" {
		t.Errorf("a compute over present files warned %q", s)
	}
	smallTasks(env, 5) // many blocks per missing file: the warning must still come once
	a, err := numpy.ComputeNode(env, ds.Node)
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
		if ds.WorldCoords != nil {
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

	dkist.ListDirectory = func(name string) ([]os.DirEntry, error) { return nil, denied("open", name) }
	_, err := dkist.LoadDataset(ctx, dir)
	dkist.ListDirectory = os.ReadDir
	wantErr(t, "directory", err, lazy.PermissionError, dir, "cannot list the dataset directory", "permission denied")

	dkist.OpenFITS = func(path string) (*fits.File, error) {
		if path == victim {
			return nil, denied("open", path)
		}
		return fits.Open(path)
	}
	_, err = dkist.LoadDataset(ctx, dir)
	dkist.OpenFITS = fits.Open
	wantErr(t, "file at load", err, lazy.PermissionError, victim, "cannot read", "permission denied")

	ds, err := dkist.LoadDataset(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	env := testEnv()
	distributed.ClientOf(env).OpenImage = func(path string, l *fits.ImageLayout) (*fits.Image, error) {
		if path == victim {
			return nil, denied("open", path)
		}
		return fits.OpenImageWith(path, l)
	}
	_, err = numpy.ComputeNode(env, ds.Node)
	wantErr(t, "file at compute", err, lazy.PermissionError, victim, "cannot read", "permission denied")

	if os.Getuid() != 0 {
		// Not root: the real thing too.
		os.Chmod(victim, 0)
		defer os.Chmod(victim, 0o644)
		_, err = numpy.ComputeNode(testEnv(), ds.Node)
		wantErr(t, "chmod 0 file at compute", err, lazy.PermissionError, victim, "cannot read")
		os.Chmod(dir, 0)
		defer os.Chmod(dir, 0o755)
		_, err = dkist.LoadDataset(ctx, dir)
		wantErr(t, "chmod 0 directory", err, lazy.PermissionError, dir, "cannot list the dataset directory")
	}
}

// setKeys sets keys of HDU hdu of path to the values given (strings stay strings).
func setKeys(t *testing.T, path string, hdu int, cards map[string]any) {
	dkisttest.SetKeys(t, path, hdu, cards)
}

// copyDataset copies the files of dir into a new temporary directory.
func copyDataset(t *testing.T, dir string) string { return dkisttest.CopyDataset(t, dir) }

// TestHostileASDF: an ASDF index that inflates past the limit, is a named pipe or is not
// YAML is an error naming the file and the problem when it is all there is, and a
// warning when the FITS headers can place the files instead.
func TestHostileASDF(t *testing.T) {
	ctx := context.Background()
	defer func(limit int64) { dkist.MaxASDFTree = limit }(dkist.MaxASDFTree)
	dkist.MaxASDFTree = 1 << 20
	base := writeSmall(t, []int{1, 3, 4, 5})
	cases := []struct {
		name string
		make func(path string)
		want string
	}{
		{"bomb.asdf.gz", func(p string) { dkisttest.WriteGzip(t, p, "#ASDF 1.0.0\n", ' ', 8<<20) }, "it decompresses to more than 1.00 MiB, the most the loader reads of an ASDF index"},
		{"zeros.asdf.gz", func(p string) { dkisttest.WriteGzip(t, p, "#ASDF 1.0.0\n", 0, 8<<20) }, "a NUL byte at byte 12, inside what should be the YAML tree"},
		{"fifo.asdf", func(p string) {
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Fatal(err)
			}
		}, "the ASDF index is not a regular file (a named pipe)"},
		{"bad.asdf", func(p string) { os.WriteFile(p, []byte("#ASDF 1.0.0\nfoo: [unclosed\n"), 0o644) }, "not a readable ASDF (YAML) file"},
	}
	for _, c := range cases {
		// Alone: a clear error.
		dir := t.TempDir()
		path := filepath.Join(dir, c.name)
		c.make(path)
		_, err := dkist.LoadDataset(ctx, dir)
		wantErr(t, c.name+" alone", err, obj.ValueError, path, c.want)

		// With the FITS files: loaded from their headers, with a warning.
		dir = copyDataset(t, base)
		path = filepath.Join(dir, c.name)
		c.make(path)
		out := &collect{}
		ds, err := LoadDatasetEnv(&obj.Env{Out: out, Services: map[string]any{}}, dir)
		if err != nil {
			t.Fatalf("%s with FITS files: %v", c.name, err)
		}
		if got := lazy.ShapeString(ds.Shape()); got != "(1, 3, 4, 5)" {
			t.Errorf("%s with FITS files: shape %s", c.name, got)
		}
		for _, w := range []string{"warning: the dataset's ASDF index was not used", path, c.want} {
			if !strings.Contains(out.stderr.String(), w) {
				t.Errorf("%s with FITS files: warning %q does not mention %q", c.name, out.stderr.String(), w)
			}
		}

		// With a hole the FITS headers cannot fill: an error giving both problems.
		os.Remove(filepath.Join(dir, "VISP_001_I_L1.fits"))
		_, err = dkist.LoadDataset(ctx, dir)
		wantErr(t, c.name+" with a hole", err, obj.ValueError, "1 of 3 files", "DINDEX3=2", "the ASDF index, which would give the full layout, cannot be read", c.want)
	}
}
