package runtime

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"gokist/runtime/lazy"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

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
	defer func() { openFITS = fits.Open }()
	openFITS = func(path string) (*fits.File, error) {
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
	openFITS = func(path string) (*fits.File, error) { panic(fmt.Sprintf("cannot open %s", path)) }
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

// writeGzip writes head followed by n bytes of fill, gzip-compressed, to path.
func writeGzip(t *testing.T, path, head string, fill byte, n int) {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(head))
	zw.Write(bytes.Repeat([]byte{fill}, n))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHostileASDF: an ASDF index that inflates past the limit, is a named pipe or is not
// YAML is an error naming the file and the problem when it is all there is, and a
// warning when the FITS headers can place the files instead.
func TestHostileASDF(t *testing.T) {
	ctx := context.Background()
	defer func(limit int64) { maxASDFTree = limit }(maxASDFTree)
	maxASDFTree = 1 << 20
	base := writeSmall(t, []int{1, 3, 4, 5})
	cases := []struct {
		name string
		make func(path string)
		want string
	}{
		{"bomb.asdf.gz", func(p string) { writeGzip(t, p, "#ASDF 1.0.0\n", ' ', 8<<20) }, "it decompresses to more than 1.00 MiB, the most the loader reads of an ASDF index"},
		{"zeros.asdf.gz", func(p string) { writeGzip(t, p, "#ASDF 1.0.0\n", 0, 8<<20) }, "a NUL byte at byte 12, inside what should be the YAML tree"},
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
		_, err := LoadDataset(ctx, dir)
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
		_, err = LoadDataset(ctx, dir)
		wantErr(t, c.name+" with a hole", err, obj.ValueError, "1 of 3 files", "DINDEX3=2", "the ASDF index, which would give the full layout, cannot be read", c.want)
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
