package lang

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gokist/internal/pyref"
)

// TestPathsMatchCPython runs pathlib, os.path, os and glob calls as cells and in CPython
// 3.11 on the same directory tree: reprs, or error class and message, must be the same.
// Listings are sorted on both sides (their order is the directory's in Python).
func TestPathsMatchCPython(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{"a/x1.fits", "a/x2.fits", "a/notes.txt", "b/c/y.asdf", ".hidden"} {
		p := filepath.Join(root, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("data of "+f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	setup := "import os, glob\nimport os.path\nfrom pathlib import Path\nroot = " + quote(root) + "\nr = Path(root)"
	cells := []string{
		"Path('a', 'b', 'c.fits')", "Path('/a') / 'b' / 'c'", "'x' / Path('y')", "Path()", "Path('a//b/./c/')", "Path('a', '/abs', 'b')", "Path('a/../b')",
		"str(Path('~/sunpy/data'))", "Path('~/x').expanduser() == Path(os.path.expanduser('~/x'))", "Path('~').expanduser().is_absolute()",
		"p = Path('/data/VISP/file.tar.gz'); (p.name, p.suffix, p.stem, p.parent, p.parts)", "Path('/').name", "Path('/').parent", "Path('.').parent", "Path('.bashrc').suffix",
		"Path('/x/y.fits').with_suffix('.asdf')", "Path('/x/y.fits').with_suffix('asdf')", "Path('/x/y.fits').with_name('z.txt')", "Path('/a/b/c').relative_to('/a')", "Path('/a/b').relative_to('/c')",
		"Path('a').joinpath('b', 'c')", "Path('/a') == Path('/a/')", "Path('a') < Path('b')", "Path(3)",
		"(r / 'a').is_dir(), (r / 'a' / 'x1.fits').is_file(), (r / 'nope').exists()",
		"sorted(p.name for p in (r / 'a').glob('*.fits'))", "sorted(str(p.relative_to(r)) for p in r.glob('*/*'))", "len(list(r.glob('b/*/*.asdf')))",
		"sorted(p.name for p in r.iterdir())", "(r / 'a' / 'notes.txt').read_text()", "(r / 'missing.txt').read_text()",
		"sorted(os.path.basename(f) for f in glob.glob(os.path.join(root, 'a', '*.fits')))", "glob.glob(os.path.join(root, 'zzz*'))",
		"os.path.join('a', 'b', 'c')", "os.path.join('a/', '/b', 'c')", "os.path.join(r, 'a')", "os.path.splitext('/x/y.tar.gz')", "os.path.splitext('.bashrc')", "os.path.splitext('a.b/c')",
		"os.path.basename('/x/y/')", "os.path.dirname('/x/y/z')", "os.path.dirname('//x')", "os.path.split('x')", "os.path.normpath('a//b/../c/.')", "os.path.normpath('//a/b')", "os.path.isabs('a')",
		"os.path.exists(root), os.path.isdir(r / 'a'), os.path.isfile(os.path.join(root, '.hidden'))", "os.path.getsize(r / 'a' / 'x1.fits')", "os.path.getsize(r / 'nope')",
		"sorted(os.listdir(r / 'a'))", "os.listdir(os.path.join(root, 'nope'))", "os.fspath(Path('a') / 'b')", "os.sep, os.path.sep", "os.getenv('GOKIST_SURELY_UNSET', 'dflt')",
	}
	want := pyref.Batch(t, setup, cells)
	s := NewSession()
	if _, err := s.Execute(context.Background(), setup, nil); err != nil {
		t.Fatal(err)
	}
	checkCellsAgainstPython(t, s, cells, want, nil)
}

// TestPathsReachTheRuntime: a pathlib.Path is taken wherever a path string is
// (dkist.load_dataset, astropy.io.fits.open), as Python's functions take os.PathLike.
func TestPathsReachTheRuntime(t *testing.T) {
	s := NewSession()
	out := &recorder{}
	got := run(t, s, out, "import dkist\nfrom pathlib import Path\nfrom astropy.io import fits\n"+
		"files = sorted(Path("+quote(smallVISP)+").glob('*.fits'))\n"+
		"ds = dkist.load_dataset(Path("+quote(smallVISP)+"))\n"+
		"with fits.open(files[0]) as h:\n    n = len(h)\n"+
		"(ds.data.shape == dkist.load_dataset("+quote(smallVISP)+").data.shape, len(files) > 0, n)")
	want := pyref.Run(t, "import glob\nfrom astropy.io import fits\nf = sorted(glob.glob("+quote(smallVISP+"/*.fits")+"))[0]\nprint((True, True, len(fits.open(f))))")
	if got != strings.TrimSpace(string(want)) {
		t.Errorf("got %s, Python %s", got, want)
	}
}

// TestTimeModule: time's clocks move forward by what time.sleep waited (CPython's
// types: floats and ints), its argument errors are CPython's, and an interrupt ends a
// sleep at once.
func TestTimeModule(t *testing.T) {
	cells := []string{"time.sleep(-1)", "time.sleep('1')", "time.sleep(float('nan'))", "type(time.time()).__name__, type(time.time_ns()).__name__, type(time.perf_counter()).__name__"}
	want := pyref.Batch(t, "import time", cells)
	s := NewSession()
	run(t, s, &recorder{}, "import time")
	for i, c := range cells {
		res, err := s.Execute(context.Background(), c, nil)
		if want[i].Type != "" {
			if e, ok := err.(*Error); !ok || !strings.HasSuffix(want[i].Type, e.Class) || e.Msg != want[i].Message {
				t.Errorf("%s: %v, Python %s", c, err, want[i].Err())
			}
		} else if err != nil || res["text/plain"] != want[i].Repr {
			t.Errorf("%s: %v %v, Python %s", c, res, err, want[i].Repr)
		}
	}
	got := run(t, s, &recorder{}, "t0, p0 = time.time(), time.perf_counter()\ntime.sleep(0.2)\n(time.time() - t0 >= 0.19, 0.19 <= time.perf_counter() - p0 < 5)")
	if got != "(True, True)" {
		t.Errorf("clocks around a 0.2 s sleep: %s", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := s.Execute(ctx, "time.sleep(60)", nil); done <- err }()
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if e, ok := err.(*Error); !ok || e.Class != "KeyboardInterrupt" && e.Class != "Interrupted" {
			t.Errorf("an interrupted sleep ended with %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("time.sleep(60) did not end within 5 s of the interrupt")
	}
}

// TestListOfRuntimeSequences: list() and tuple() take what a for loop takes (a table
// column, an array's first axis), as Python's do.
func TestListOfRuntimeSequences(t *testing.T) {
	cells := []string{"list(Table({'a': [1.5, 2.5]})['a'])", "tuple(np.arange(3.0))", "list(np.zeros((2, 2)))[1]", "list()", "tuple()"}
	want := pyref.Batch(t, "import numpy as np\nfrom astropy.table import Table", cells)
	s := NewSession()
	run(t, s, &recorder{}, "import numpy as np\nfrom astropy.table import Table")
	for i, c := range cells {
		res, err := s.Execute(context.Background(), c, nil)
		if err != nil || res["text/plain"] != want[i].Repr {
			t.Errorf("%s: %v %v, Python %s", c, res, err, want[i].Repr)
		}
	}
}
