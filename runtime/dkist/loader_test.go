package dkist

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gokist/runtime/dkist/dkisttest"
	"gokist/runtime/lazy"

	"gokist/fits"
	"gokist/internal/pyref"
	"gokist/obj"
)

// setKeysAllPy sets header keys of HDU 0 of every FITS file of a directory with astropy.
const setKeysAllPy = `
import glob, json, os, sys
from astropy.io import fits
cards = json.loads(sys.argv[2])
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.fits"))):
    with fits.open(path, mode="update") as hl:
        for k, v in cards.items():
            hl[0].header[k] = v
`

// setKeysAll sets keys of HDU 0 of every FITS file in dir.
func setKeysAll(t *testing.T, dir string, cards map[string]any) {
	t.Helper()
	b, err := json.Marshal(cards)
	if err != nil {
		t.Fatal(err)
	}
	pyref.Run(t, setKeysAllPy, dir, string(b))
}

// writeASDFWith writes a DKIST ASDF index into dir whose file_manager lists fileuris
// (YAML flow text) of files of the given numpy shape.
func writeASDFWith(t *testing.T, dir, name, fileuris, shape string) string {
	t.Helper()
	asdf := "#ASDF 1.0.0\n%YAML 1.1\n%TAG ! tag:stsci.edu:asdf/\n--- !core/asdf-1.1.0\ndataset: !<asdf://dkist.nso.edu/tags/dataset-1.2.0>\n" +
		"  data: !<asdf://dkist.nso.edu/tags/file_manager-1.0.0>\n    datatype: float64\n    fileuris: " + fileuris +
		"\n    shape: " + shape + "\n    target: 1\n  meta:\n    inventory: {datasetId: TESTS}\n...\n"
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(asdf), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestHostileGridSizes: dataset sizes read from headers or an ASDF index that no memory
// could hold, or that overflow when multiplied, are errors naming the keys or the file,
// checked before anything of their size is allocated.
func TestHostileGridSizes(t *testing.T) {
	ctx := context.Background()
	base := writeSmall(t, []int{1, 3, 4, 5}) // DNAXIS4 = 1, DNAXIS3 = 3
	cases := []struct {
		name  string
		cards map[string]any
		class string
		want  []string
	}{
		// 10^9 × 3 grid positions for 3 files: a hole error, not a 3·10^9-entry grid.
		{"huge DNAXIS4", map[string]any{"DNAXIS4": 1000000000}, obj.ValueError, []string{"2999999997 of 3000000000 files", "(1000000000, 3)", "DINDEX4=2, DINDEX3=1"}},
		// 2^32 × 2^32 wraps an int64 product to 0.
		{"overflowing grid", map[string]any{"DNAXIS3": 4294967296, "DNAXIS4": 4294967296}, obj.ValueError, []string{"VISP_000_I_L1.fits", "(4294967296, 4294967296)", "DNAXIS3 … DNAXIS4", "more positions than can be counted"}},
		{"zero axis", map[string]any{"DNAXIS4": 0}, obj.FITSError, []string{"VISP_000_I_L1.fits", "DNAXIS4 = 0 is not a valid axis length"}},
		{"negative axis", map[string]any{"DNAXIS3": -3}, obj.FITSError, []string{"VISP_000_I_L1.fits", "DNAXIS3 = -3 is not a valid axis length"}},
	}
	for _, c := range cases {
		dir := copyDataset(t, base)
		setKeysAll(t, dir, c.cards)
		_, err := LoadDataset(ctx, dir)
		wantErr(t, c.name, err, c.class, c.want...)
	}

	// An ASDF index whose fileuris nest deeper than the dataset has axes across files.
	dir := copyDataset(t, base)
	writeASDFWith(t, dir, "deep.asdf", "[[[[[VISP_000_I_L1.fits, VISP_001_I_L1.fits, VISP_002_I_L1.fits]]]]]", "[1, 4, 5]")
	_, err := LoadDataset(ctx, dir)
	wantErr(t, "deep fileuris", err, obj.ValueError, "deep.asdf", "nested 5 deep", "(1, 1, 1, 1, 3)", "DEAXES = 2")

	// An ASDF index alone (no FITS files) whose file shape overflows, or is negative.
	for _, shape := range []string{"[4294967296, 4294967296, 4294967296]", "[1, -4, 5]"} {
		dir := t.TempDir()
		writeASDFWith(t, dir, "x.asdf", "[a.fits, b.fits]", shape)
		_, err := LoadDataset(ctx, dir)
		wantErr(t, "file shape "+shape, err, obj.ValueError, "x.asdf", "not a usable array shape")
	}
	// Two files of 2^62 elements each: each count fits, their total does not.
	dir = t.TempDir()
	writeASDFWith(t, dir, "x.asdf", "[a.fits, b.fits]", "[1, 2147483648, 2147483648]")
	_, err = LoadDataset(ctx, dir)
	wantErr(t, "dataset size", err, obj.ValueError, "x.asdf", "more elements than can be counted")
}

// TestLoaderPanicIsAnError: a panic while reading one file, in the header scan's
// goroutines or in the assembly, is an error naming the file; the process lives on.
func TestLoaderPanicIsAnError(t *testing.T) {
	dir := writeSmall(t, []int{1, 3, 4, 5})
	victim := filepath.Join(dir, "VISP_001_I_L1.fits")
	defer func() { OpenFITS = fits.Open }()
	OpenFITS = func(path string) (*fits.File, error) {
		if path == victim {
			var shape []int
			_ = shape[3] // the kind of bug a hostile file could reach
		}
		return fits.Open(path)
	}
	for _, ctx := range []context.Context{context.Background(), cancellable(t)} {
		_, err := LoadDataset(ctx, dir)
		wantErr(t, "panic in the scan", err, obj.ValueError, "internal error while reading the FITS header of "+victim, "index out of range")
	}
	// The assembly re-reads the first file on the grid when the scan did not keep it:
	// a panic there is caught too, naming what was being done.
	OpenFITS = func(path string) (*fits.File, error) { panic(fmt.Sprintf("cannot open %s", path)) }
	_, err := interruptibly(cancellable(t), "building the dataset", func() (*fits.Header, error) { return readImageHeader(victim) })
	wantErr(t, "panic in the assembly", err, obj.ValueError, "internal error while building the dataset", "cannot open "+victim)
	if !strings.Contains(err.Error(), victim) {
		t.Errorf("%v does not name the file", err)
	}
}

// cancellable is a context with a Done channel, so that interruptibly runs its function
// on a goroutine of its own.
func cancellable(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return ctx
}

// TestNearestPresentLinear: filling the headers of missing files from the nearest present
// file asks about each file a bounded number of times (10^6 listed files, few present, are
// common for a partial download), and picks the same file as a search outwards would.
func TestNearestPresentLinear(t *testing.T) {
	for _, n := range []int{1, 2, 7, 50} {
		for seed := range 20 {
			present := make([]bool, n)
			for i := range present {
				present[i] = (i*7+seed*13)%(seed%5+2) == 0
			}
			got := nearestPresent(n, func(i int) bool { return present[i] })
			for i := range n {
				want := -1 // the nearest by definition: smallest distance, earlier on a tie
				for j := range n {
					if present[j] && (want < 0 || lazy.Abs(j-i) < lazy.Abs(want-i)) {
						want = j
					}
				}
				if got[i] != want {
					t.Fatalf("n=%d seed=%d: file %d borrows from %d, want %d (present %v)", n, seed, i, got[i], want, present)
				}
			}
		}
	}
	// One file present at the far end of 200000: a search outwards from each missing file
	// asks ~n²/2 times.
	const n = 200000
	lookups := 0
	got := nearestPresent(n, func(i int) bool { lookups++; return i == n-1 })
	if got[0] != n-1 || got[n/2] != n-1 {
		t.Errorf("files 0 and %d borrow from %d and %d, want %d", n/2, got[0], got[n/2], n-1)
	}
	if lookups > 2*n {
		t.Errorf("filling %d files asked %d times whether a file is present, want at most %d", n, lookups, 2*n)
	}
}

// TestASDFReadInterrupted: reading an ASDF index stops at the interrupt, also inside the
// decompression, rather than inflating on in a goroutine left behind.
func TestASDFReadInterrupted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.asdf.gz")
	writeGzip(t, path, "#ASDF 1.0.0\n", ' ', 64<<20)
	ctx, cancel := context.WithCancel(context.Background())
	reads := 0
	ctxRead := &countingContext{Context: ctx, after: 3, cancel: cancel, n: &reads}
	_, err := readFileManager(ctxRead, path)
	wantErr(t, "interrupted read", err, obj.Interrupted, "reading the ASDF index", path)
	if reads > 4 {
		t.Errorf("the read went on for %d reads after the interrupt", reads-3)
	}
}

// countingContext cancels itself once its Err has been asked after times (each read of
// the ASDF index asks once).
type countingContext struct {
	context.Context
	after  int
	cancel context.CancelFunc
	n      *int
}

func (c *countingContext) Err() error {
	*c.n++
	if *c.n == c.after {
		c.cancel()
	}
	return c.Context.Err()
}

func TestLoadErrors(t *testing.T) {
	ctx := context.Background()
	_, err := LoadDataset(ctx, "/nonexistent/dkist/dir")
	wantErr(t, "missing dir", err, obj.FileNotFoundError, "/nonexistent/dkist/dir")

	empty := t.TempDir()
	_, err = LoadDataset(ctx, empty)
	wantErr(t, "empty dir", err, obj.FileNotFoundError, empty, "empty")

	noFits := t.TempDir()
	os.WriteFile(filepath.Join(noFits, "notes.txt"), []byte("hi"), 0o644)
	_, err = LoadDataset(ctx, noFits)
	wantErr(t, "no FITS", err, obj.FileNotFoundError, noFits, "no FITS")

	// Files that disagree: one file from a dataset of another shape.
	a := writeSmall(t, []int{1, 3, 4, 5})
	b := writeSmall(t, []int{1, 3, 4, 6})
	dkisttest.CopyFile(t, filepath.Join(b, "VISP_001_I_L1.fits"), filepath.Join(a, "VISP_001_I_L1.fits"))
	_, err = LoadDataset(ctx, a)
	wantErr(t, "disagreeing files", err, obj.ValueError, "VISP_001_I_L1.fits", "DNAXIS1 = 6")

	// A duplicate DINDEX: the same file under another name.
	c := writeSmall(t, []int{1, 3, 4, 5})
	dkisttest.CopyFile(t, filepath.Join(c, "VISP_001_I_L1.fits"), filepath.Join(c, "VISP_009_I_L1.fits"))
	_, err = LoadDataset(ctx, c)
	wantErr(t, "duplicate DINDEX", err, obj.ValueError, "duplicate DINDEX", "VISP_001_I_L1.fits", "VISP_009_I_L1.fits", "DINDEX3=2")

	// A hole: a middle file removed, no ASDF.
	d := writeSmall(t, []int{1, 3, 4, 5})
	os.Remove(filepath.Join(d, "VISP_001_I_L1.fits"))
	_, err = LoadDataset(ctx, d)
	wantErr(t, "hole", err, obj.ValueError, "DINDEX3=2", "missing", "ASDF")

	// A file that is not FITS.
	e := writeSmall(t, []int{1, 2, 4, 5})
	os.WriteFile(filepath.Join(e, "VISP_005_I_L1.fits"), []byte("not a fits file at all"), 0o644)
	_, err = LoadDataset(ctx, e)
	wantErr(t, "not FITS", err, obj.FITSError, "VISP_005_I_L1.fits")
}

// TestLoadRestoresGC: loading collects as often as a compute does (its garbage would
// otherwise set the process's peak) and leaves the process's own GOGC as it found it,
// whether the load succeeds or fails.
func TestLoadRestoresGC(t *testing.T) {
	old := debug.SetGCPercent(150)
	defer debug.SetGCPercent(old)
	if _, err := LoadDataset(context.Background(), "../../../shared/data/dkist-small-visp"); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetGCPercent(150); got != 150 {
		t.Errorf("GOGC after a load %d, want the process's 150", got)
	}
	if _, err := LoadDataset(context.Background(), t.TempDir()); err == nil {
		t.Fatal("loading an empty directory succeeded")
	}
	if got := debug.SetGCPercent(150); got != 150 {
		t.Errorf("GOGC after a failed load %d, want the process's 150", got)
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

// TestLoadHonoursInterrupt: the header scan stops taking files once the cell's context is
// cancelled, and a load whose open blocks for ever (a stalled network mount, stood in for
// here) still returns Interrupted promptly, leaving the stuck read behind.
func TestLoadHonoursInterrupt(t *testing.T) {
	dir := writeSmall(t, []int{4, 10, 2, 3}) // 40 files
	defer func() { OpenFITS, ListDirectory = fits.Open, os.ReadDir }()

	// Cancelled before the load: no file is opened.
	var opened atomic.Int64
	OpenFITS = func(path string) (*fits.File, error) {
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
	OpenFITS = func(path string) (*fits.File, error) {
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
	OpenFITS = func(path string) (*fits.File, error) {
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
	OpenFITS = fits.Open
	block := make(chan struct{})
	defer close(block)
	ListDirectory = func(name string) ([]os.DirEntry, error) {
		<-block
		return os.ReadDir(name)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = LoadDataset(ctx, dir)
	wantErr(t, "blocked listing", err, obj.Interrupted, "listing the dataset directory", dir)
}

// wantErr checks err is an *obj.Error of class whose text has every fragment.
func wantErr(t *testing.T, what string, err error, class string, fragments ...string) {
	t.Helper()
	dkisttest.WantErr(t, what, err, class, fragments...)
}

// writeSmall writes a small plain float64 dataset with astropy and returns its dir.
func writeSmall(t *testing.T, shape []int) string { return dkisttest.WriteSmall(t, shape) }

// copyDataset copies the files of dir into a new temporary directory.
func copyDataset(t *testing.T, dir string) string { return dkisttest.CopyDataset(t, dir) }

// setKeys sets keys of HDU hdu of path to the values given (strings stay strings).
func setKeys(t *testing.T, path string, hdu int, cards map[string]any) {
	dkisttest.SetKeys(t, path, hdu, cards)
}

// writeGzip writes head followed by n bytes of fill, gzip-compressed, to path.
func writeGzip(t *testing.T, path, head string, fill byte, n int) {
	dkisttest.WriteGzip(t, path, head, fill, n)
}
