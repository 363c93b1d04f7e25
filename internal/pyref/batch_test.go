package pyref

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Values, printed output and Python's exceptions come back per case; each case starts
// from the prelude's namespace, not from what an earlier case left.
func TestBatchReturnsValuesOutputAndExceptions(t *testing.T) {
	rs := Batch(t, "import math\nbase = 10", []string{
		"x = base * 2\nprint('x is', x)\nx + 1",
		"[math.sqrt(4), 'a', None, True]",
		"x",
		"1 / 0",
		"float('nan')",
		"def f(:",
		"y = 3",
	})
	if r := rs[0]; r.Stdout != "x is 20\n" || r.Repr != "21" || string(r.Value) != "21" || !r.HasValue || r.Err() != "" {
		t.Errorf("case 1: %+v", r)
	}
	var v []any
	if err := json.Unmarshal(rs[1].Value, &v); err != nil || len(v) != 4 || v[0] != 2.0 || v[1] != "a" || v[2] != nil || v[3] != true {
		t.Errorf("case 2: %+v (%v)", rs[1], err)
	}
	if r := rs[2]; r.Err() != "NameError: name 'x' is not defined" {
		t.Errorf("case 3 saw an earlier case's name: %+v", r)
	}
	if r := rs[3]; r.Err() != "ZeroDivisionError: division by zero" || !strings.Contains(r.Traceback, "ZeroDivisionError") {
		t.Errorf("case 4: %+v", r)
	}
	if r := rs[4]; r.Repr != "nan" || string(r.Value) != "null" {
		t.Errorf("case 5: %+v", r)
	}
	if r := rs[5]; r.Type != "SyntaxError" {
		t.Errorf("case 6: %+v", r)
	}
	if r := rs[6]; r.HasValue || r.Repr != "" {
		t.Errorf("case 7 ends in a statement: %+v", r)
	}
}

// A second Batch with the same prelude reuses the interpreter: the prelude ran once.
func TestBatchKeepsOneInterpreterPerPrelude(t *testing.T) {
	prelude := "import os\nstarted = os.getpid()"
	a := Eval(t, prelude, "started")
	b := Eval(t, prelude, "started")
	c := Eval(t, "import os\nstarted = os.getpid() # another", "started")
	if a.Repr == "" || a.Repr != b.Repr {
		t.Fatalf("same prelude ran in pids %s and %s", a.Repr, b.Repr)
	}
	if c.Repr == a.Repr {
		t.Fatalf("another prelude shared interpreter %s", a.Repr)
	}
}

// A case that outlives the deadline fails with the interpreter's output, and the next
// Batch starts a fresh interpreter.
func TestBatchCaseDeadline(t *testing.T) {
	old := Timeout
	Timeout = 3 * time.Second
	defer func() { Timeout = old }()
	prelude := "import sys, time"
	began := time.Now()
	_, err := Config{}.BatchErr(prelude, []string{"sys.stderr.write('going to sleep\\n'); sys.stderr.flush(); time.sleep(120)"})
	if err == nil || !strings.Contains(err.Error(), "no answer within 3s") || !strings.Contains(err.Error(), "going to sleep") {
		t.Fatalf("want a deadline error with the output so far, got %v", err)
	}
	if took := time.Since(began); took > 30*time.Second {
		t.Fatalf("the deadline of 3s took %v", took)
	}
	if r := Eval(t, prelude, "1 + 1"); r.Repr != "2" {
		t.Fatalf("after a timeout: %+v", r)
	}
}

func TestBatchPreludeErrorFailsWithTraceback(t *testing.T) {
	_, err := Config{}.BatchErr("import no_such_module_gokist", []string{"1"})
	if err == nil || !strings.Contains(err.Error(), "ModuleNotFoundError") {
		t.Fatalf("error = %v", err)
	}
}

// The interpreter's HOME, caches and configs are in the sandbox, matplotlib draws with
// Agg, astropy downloads nothing, and a connection off this machine fails at once.
func TestSandboxIsTemporaryAndOffline(t *testing.T) {
	r := Eval(t, "", `
import os, socket, matplotlib, astropy.config
from astropy.utils import iers, data
try:
    socket.create_connection(("192.0.2.1", 80), timeout=30)
    net = "connected"
except OSError as e:
    net = str(e)
[os.path.expanduser("~"), matplotlib.get_configdir(), matplotlib.get_backend(), astropy.config.get_config_dir(),
 astropy.config.get_cache_dir(), iers.conf.auto_download, data.conf.allow_internet, net]`)
	var got []any
	if err := json.Unmarshal(r.Value, &got); err != nil || len(got) != 8 {
		t.Fatalf("%+v", r)
	}
	dir, _, err := sandboxEnv()
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"home", "mpl", "", "config/astropy", "cache/astropy"} {
		if want != "" && got[i] != filepath.Join(dir, want) {
			t.Errorf("item %d is %v, want it in the sandbox %s", i, got[i], filepath.Join(dir, want))
		}
	}
	if got[2] != "agg" || got[5] != false || got[6] != false || !strings.Contains(got[7].(string), "offline") {
		t.Errorf("backend, IERS download, remote data, network: %v", got[2:])
	}
	if home, _ := os.UserHomeDir(); strings.HasPrefix(dir, home+"/") && home != os.TempDir() {
		t.Errorf("the sandbox %s is in the real HOME", dir)
	}
}

// The dkist reference unpacks into the sandbox and is found on its PYTHONPATH.
func TestDkistIsUnpackedOnce(t *testing.T) {
	dir := Dkist(t)
	if again := Dkist(t); again != dir {
		t.Fatalf("Dkist gave %s then %s", dir, again)
	}
	r := Config{PythonPath: []string{dir}}.Batch(t, "import importlib.util", []string{"importlib.util.find_spec('dkist').origin"})[0]
	if want := filepath.Join(dir, "dkist", "__init__.py"); r.Repr != "'"+want+"'" {
		t.Fatalf("dkist found at %s, want %s", r.Repr, want)
	}
}

// dkist runs in the sandbox, offline, from the unpacked reference: one prelude loads the
// real VISP test files of ../shared/data, and the cases look at the dataset it made.
func TestBatchWithDkistPrelude(t *testing.T) {
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(root, "..", "shared", "data", "dkist-small-visp")
	prelude := "import warnings\nwarnings.simplefilter('ignore')\nimport dkist\nds = dkist.load_dataset(" + strconvQuote(data) + ")"
	rs := Config{PythonPath: []string{Dkist(t)}}.Batch(t, prelude, []string{"ds.data.shape", "ds.wcs.pixel_n_dim", "type(ds).__name__"})
	var shape []int
	if err := json.Unmarshal(rs[0].Value, &shape); err != nil || !slices.Equal(shape, []int{3, 10, 25}) || rs[1].Repr != "3" || rs[2].Repr != "'Dataset'" {
		t.Fatalf("dkist saw %+v", rs)
	}
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }
