package lang

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gokist/obj"
)

// run executes a cell and fails the test on error, returning the text/plain result.
func run(t *testing.T, s *Session, out obj.Output, code string) string {
	t.Helper()
	res, err := s.Execute(context.Background(), code, out)
	if err != nil {
		t.Fatalf("%q: %v\n%s", code, err, strings.Join(err.(*Error).Traceback(), "\n"))
	}
	if res == nil {
		return ""
	}
	return res["text/plain"].(string)
}

func newFakeSession(t *testing.T) (*Session, *callLog, *recorder, string) {
	s := NewSession()
	log := fakeRuntime(s)
	dir := t.TempDir()
	return s, log, &recorder{}, dir
}

// TestTutorialCells runs the cell forms of the reference tutorial against the fake
// runtime and checks the calls it received and the shapes numpy indexing gives.
func TestTutorialCells(t *testing.T) {
	s, log, out, dir := newFakeSession(t)
	steps := []struct {
		code, result, call string
	}{
		{"import dkist\nimport dkist.net\nimport matplotlib.pyplot as plt\nfrom dask.distributed import Client", "", ""},
		{"ds = dkist.Dataset.from_directory(" + quote(dir) + ")", "", "from_directory(" + quote(dir) + ")"},
		{"ds", "<Dataset shape (4, 80, 160, 2555)>", ""},
		{"ds[0, 20:60, :, 1000:1500]", "<Dataset shape (40, 160, 500)>", "getitem[(0, slice(20, 60, None), slice(None, None, None), slice(1000, 1500, None))]"},
		{"summed = ds[0, 20:60, :, 1000:1500].data.sum(axis=(0, 2)).compute()", "", "compute()"},
		{"summed.shape", "(160,)", ""},
		{"i = summed.argmin()\ni", "7", "argmin()"},
		{"ds.wcs.pixel_to_world(0, i, 0)[1]", "'<SpectralCoord 7>'", "pixel_to_world(0, 7, 0)"},
		{"rebinned = ds.rebin((1, 1, 1, 7))\nrebinned.shape", "(4, 80, 160, 365)", "rebin((1, 1, 1, 7))"},
		{"x = ds[0]\nx.shape", "(80, 160, 2555)", "getitem[0]"},
		{"x[50, :, int(1000/7)]", "<Dataset shape (160,)>", "getitem[(50, slice(None, None, None), 142)]"},
		{"fig, ax = plt.subplots()", "", "subplots()"},
		{"x[50, :, int(1000/7)].plot(axes=ax, linestyle=\"--\")", "", "plot(axes=<Line2D object>, linestyle='--')"},
		{"ds[0, ..., :-5].shape", "(80, 160, 2550)", "getitem[(0, Ellipsis, slice(None, -5, None))]"},
		{"ds[0, ..., ::-1].shape", "(80, 160, 2555)", ""},
		{"ds[-1, -80, 0:2, 2550:9999].shape", "(2, 5)", ""},
		{"client = Client()\nclient", "<Client: 2 workers>", "Client()"},
		{"Client(n_workers=4)", "<Client: 4 workers>", "Client(n_workers=4)"},
		{"computed = rebinned.data.compute()", "", "compute()"},
		{"rebinned._data = computed", "", "set _data"},
		{"rebinned._data is computed", "True", ""},
		{"data = ds.data\n-data", "array(shape=(4, 80, 160, 2555))", "unary -"},
		{"data / 2", "array(shape=(4, 80, 160, 2555))", "binop / reflected=false"},
		{"2 * data", "array(shape=(4, 80, 160, 2555))", "binop * reflected=true"},
		{"abs(data)", "array(shape=(4, 80, 160, 2555))", "unary abs"},
		{"len(ds)", "4", ""},
		{"ds2 = dkist.load_dataset('" + dir + "')\nds2.shape == ds.shape", "True", ""},
	}
	for _, st := range steps {
		before := len(log.calls)
		got := run(t, s, out, st.code)
		if got != st.result {
			t.Errorf("%q: result %q, want %q", st.code, got, st.result)
		}
		if st.call != "" {
			found := false
			for _, c := range log.calls[before:] {
				if c == st.call {
					found = true
				}
			}
			if !found {
				t.Errorf("%q: calls %q, want %q among them", st.code, log.calls[before:], st.call)
			}
		}
	}
	plt := s.services["plot"].(*fakePyplot)
	if plt.flushed != len(steps) {
		t.Errorf("FlushCell ran %d times for %d cells", plt.flushed, len(steps))
	}
}

func TestOutputBuiltins(t *testing.T) {
	s, _, out, dir := newFakeSession(t)
	run(t, s, out, "print(1, 'a', 2.0, None, (1,), sep='-', end='!\\n')")
	run(t, s, out, "import sys\nprint('oops', file=sys.stderr)\nsys.stdout.write('w')")
	run(t, s, out, "print()")
	if got, want := out.stdout.String(), "1-a-2.0-None-(1,)!\nw\n"; got != want {
		t.Errorf("stdout %q, want %q", got, want)
	}
	if got := out.stderr.String(); got != "oops\n" {
		t.Errorf("stderr %q", got)
	}
	out.stdout.Reset()
	run(t, s, out, "ds = Dataset.from_directory("+quote(dir)+")\nhelp(ds.rebin)")
	help := out.stdout.String()
	for _, want := range []string{"rebin(bin_shape, operation='mean')", "Rebin by whole factors per axis.", "bin_shape: one factor per axis."} {
		if !strings.Contains(help, want) {
			t.Errorf("help(ds.rebin) lacks %q:\n%s", want, help)
		}
	}
	out.stdout.Reset()
	run(t, s, out, "help(ds)")
	for _, want := range []string{"Help on Dataset object", "A fake dataset.", "rebin(bin_shape, operation='mean')", "Attributes", "shape"} {
		if !strings.Contains(out.stdout.String(), want) {
			t.Errorf("help(ds) lacks %q:\n%s", want, out.stdout.String())
		}
	}
	out.stdout.Reset()
	run(t, s, out, "import dkist\nhelp(dkist)")
	if !strings.Contains(out.stdout.String(), "Help on module dkist") || !strings.Contains(out.stdout.String(), "load_dataset(path)") {
		t.Errorf("help(dkist):\n%s", out.stdout.String())
	}
	out.stdout.Reset()
	run(t, s, out, "help(print)")
	if !strings.Contains(out.stdout.String(), "print(*values, sep=' '") {
		t.Errorf("help(print):\n%s", out.stdout.String())
	}
	out.stdout.Reset()
	run(t, s, out, "help()")
	if !strings.Contains(out.stdout.String(), "Dataset") || !strings.Contains(out.stdout.String(), "print") {
		t.Errorf("help():\n%s", out.stdout.String())
	}
	run(t, s, out, "ds.rebin?")
	run(t, s, out, "ds??")
	if len(out.pages) != 2 || !strings.Contains(out.pages[0], "rebin(bin_shape") || !strings.Contains(out.pages[1], "Second line of the doc.") {
		t.Errorf("pages %q", out.pages)
	}
	out.displays = nil
	run(t, s, out, "from IPython.display import display, clear_output\ndisplay(ds, 5)\nclear_output(wait=True)\nclear_output()")
	// two displays from display(), then the fake pyplot's end-of-cell figure
	if len(out.displays) != 3 || out.displays[0]["text/html"] != "<b>Dataset</b>" || out.displays[1]["text/plain"] != "5" {
		t.Errorf("displays %v", out.displays)
	}
	if len(out.clears) != 2 || !out.clears[0] || out.clears[1] {
		t.Errorf("clears %v", out.clears)
	}
}

func TestStateAndResults(t *testing.T) {
	s, log, out, _ := newFakeSession(t)
	run(t, s, out, "x = 5")
	if got := run(t, s, out, "x * 2"); got != "10" {
		t.Errorf("x*2 = %q", got)
	}
	for _, c := range []string{"x = 1", "None", "print(1)", "x\ny = 2", "pass", "import sys", "del y", "x;", "x + 1;  # hidden"} {
		if res, err := s.Execute(context.Background(), c, out); err != nil || res != nil {
			t.Errorf("%q: result %v err %v, want none", c, res, err)
		}
	}
	if got := run(t, s, out, "%matplotlib inline\nx = 3; x"); got != "3" {
		t.Errorf("x = 3; x: %q", got)
	}
	if got := run(t, s, out, "a, (b, c) = 1, [2, 3]\na + b + c"); got != "6" {
		t.Errorf("nested unpack: %q", got)
	}
	if got := run(t, s, out, "len = 3\nlen"); got != "3" {
		t.Errorf("shadowing a builtin: %q", got)
	}
	if got := run(t, s, out, "x += 1; x"); got != "4" {
		t.Errorf("augmented: %q", got)
	}
	if got := run(t, s, out, "f = max\nf(1, 9, 3)"); got != "9" {
		t.Errorf("function value: %q", got)
	}
	if got := run(t, s, out, "print"); got != "<function print>" {
		t.Errorf("function repr: %q", got)
	}
	if got := run(t, s, out, "type(1.5)"); got != "<class 'float'>" {
		t.Errorf("type: %q", got)
	}
	// `~` in paths reaches the runtime as written, and the runtime expands it (the fake
	// with expandHome, as path completion does) to $HOME: a private one, not the user's.
	home := t.TempDir()
	t.Setenv("HOME", home)
	if _, err := s.Execute(context.Background(), "Dataset.from_directory('~')", out); err != nil {
		t.Errorf("from_directory('~'): %v", err)
	}
	if got, want := log.last(), "from_directory("+quote(home)+")"; got != want {
		t.Errorf("from_directory('~') gave the runtime %s, want %s", got, want)
	}
}

// TestErrors runs a realistic bad cell per error class and checks class, line, column
// and hint, and that the session still works afterwards.
func TestErrors(t *testing.T) {
	s, _, out, dir := newFakeSession(t)
	corrupt := t.TempDir()
	if err := os.WriteFile(filepath.Join(corrupt, "corrupt.fits"), []byte("not fits"), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, s, out, "ds = Dataset.from_directory("+quote(dir)+")\nx = ds[0]")
	s.bind("explode", &obj.Func{Name: "explode", Call: func(*obj.Env, obj.Args) (any, error) {
		var m map[string]int
		m["boom"] = 1 // a runtime bug: nil map write
		return nil, nil
	}})
	cases := []struct {
		code      string
		class     string
		line, col int
		msg, hint string
	}{
		{"y = ds[0, 1..5]", "SyntaxError", 1, 12, "`..`", "use `:` for a slice"},
		{"rebinned = ds.rebin((1, 1, 1, 7))\nrebined.plot()", "NameError", 2, 1, "name 'rebined' is not defined", "did you mean `rebinned`?"},
		{"print('x', file=sys.stderr)", "NameError", 1, 17, "'sys'", "add `import sys`"},
		{"ds.rebin((1, 1, 1, 7), 'mean', 3)", "TypeError", 1, 4, "takes 2 positional arguments but 3 were given", ""},
		{"ds.rebin(bin_shap=(1, 1, 1, 7))", "TypeError", 1, 4, "unexpected keyword argument 'bin_shap'", "did you mean `bin_shape`?"},
		{"ds.shape + 'x'", "TypeError", 1, 10, "unsupported operand type(s) for +: 'tuple' and 'str'", ""},
		{"ds.shape()", "TypeError", 1, 4, "'tuple' object is not callable", ""},
		{"x[500, :, int(1000/7)]", "IndexError", 1, 2, "index 500 is out of bounds for axis 0 with size 80", ""},
		{"ok = 1\nds.shape[7]", "IndexError", 2, 9, "tuple index out of range", ""},
		{"ds.rebin((1, 1, 1, 10))", "ValueError", 1, 4, "does not divide", "crop axis 3 to 2550 first"},
		{"x.plot(linestyle='dotted')", "ValueError", 1, 3, "'dotted' is not a valid line style", "'--'"},
		{"a, b = ds.shape", "ValueError", 1, 1, "too many values to unpack (expected 2, got 4)", ""},
		{"ds.rebn((1, 1, 1, 7))", "AttributeError", 1, 4, "'Dataset' object has no attribute 'rebn'", "did you mean `rebin`?"},
		{"ds.shape = (1, 2)", "AttributeError", 1, 4, "read-only", ""},
		{"ds2 = Dataset.from_directory('~/no/such/dir')", "FileNotFoundError", 1, 15, "No such file or directory", ""},
		{"ds2 = Dataset.from_directory(" + quote(corrupt) + ")", "FITSError", 1, 15, "not a FITS file", ""},
		{"z = 1\nz = z / 0", "ZeroDivisionError", 2, 7, "division by zero", ""},
		{"x[1.5]", "TypeError", 1, 2, "only integers, slices and ellipsis", ""},
		{"x[1:2.5]", "TypeError", 1, 3, "slice indices must be integers", "int(…)"},
		{"import scipy as sp", "ModuleNotFoundError", 1, 8, "No module named 'scipy'", "gokist cells can import"},
		{"from dkist import Datset", "ImportError", 1, 19, "cannot import name 'Datset'", "did you mean `Dataset`?"},
		{"explode()", "RuntimeError", 1, 1, "nil map", ""},
		{"é = 'ü'; ds.rebn(1)", "AttributeError", 1, 13, "no attribute 'rebn'", "did you mean `rebin`?"},
	}
	for _, c := range cases {
		res, err := s.Execute(context.Background(), c.code, out)
		e, ok := err.(*Error)
		if !ok || res != nil {
			t.Errorf("%q: result %v, error %v (%T)", c.code, res, err, err)
			continue
		}
		if e.Class != c.class || e.Line != c.line || e.Col != c.col || !strings.Contains(e.Msg, c.msg) || !strings.Contains(e.Hint, c.hint) {
			t.Errorf("%q:\n got %s line %d col %d %q hint %q\nwant %s line %d col %d %q hint %q",
				c.code, e.Class, e.Line, e.Col, e.Msg, e.Hint, c.class, c.line, c.col, c.msg, c.hint)
		}
		if got := run(t, s, out, "ds.shape[0] + 1"); got != "5" {
			t.Errorf("after %q the session gives %q", c.code, got)
		}
	}
}

func TestTraceback(t *testing.T) {
	s, _, out, dir := newFakeSession(t)
	run(t, s, out, "ds = Dataset.from_directory("+quote(dir)+")")
	_, err := s.Execute(context.Background(), "x = 1\ny = 'é'; ds.rebn(1)", out)
	e := err.(*Error)
	want := []string{
		"Cell line 2:",
		"    y = 'é'; ds.rebn(1)",
		"                ^",
		"AttributeError: 'Dataset' object has no attribute 'rebn'",
		"Hint: did you mean `rebin`?",
	}
	if got := e.Traceback(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("traceback\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if e.Error() != "AttributeError: 'Dataset' object has no attribute 'rebn'" {
		t.Errorf("Error() = %q", e.Error())
	}
}

func TestInterrupt(t *testing.T) {
	s, log, out, dir := newFakeSession(t)
	run(t, s, out, "ds = Dataset.from_directory("+quote(dir)+")")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Execute(ctx, "ds.data.sum().compute()", out)
	if e, ok := err.(*Error); !ok || e.Class != "Interrupted" || e.Line != 1 {
		t.Fatalf("cancelled before start: %v", err)
	}
	// Cancelled during a cell: the statement that is running stops, later ones never run.
	ctx, cancel = context.WithCancel(context.Background())
	s.bind("cancel_now", &obj.Func{Name: "cancel_now", Call: func(*obj.Env, obj.Args) (any, error) { cancel(); return nil, nil }})
	before := len(log.calls)
	_, err = s.Execute(ctx, "a = 1\ncancel_now()\nds.rebin((1, 1, 1, 7))", out)
	if e, ok := err.(*Error); !ok || e.Class != "Interrupted" || e.Line != 3 {
		t.Fatalf("cancelled mid-cell: %v", err)
	}
	if len(log.calls) != before {
		t.Errorf("statements ran after the interrupt: %q", log.calls[before:])
	}
	// A runtime computation that watches env.Ctx returns context.Canceled: Interrupted.
	ctx, cancel = context.WithCancel(context.Background())
	s.bind("arr", &fakeArray{log: log, shape: []int{3}})
	s.bind("cancel_then", &obj.Func{Name: "cancel_then", Call: func(env *obj.Env, a obj.Args) (any, error) {
		cancel()
		return fakeArrayType.Member("compute").Call(env, a.Pos[0], obj.Args{})
	}})
	_, err = s.Execute(ctx, "cancel_then(arr)", out)
	if e, ok := err.(*Error); !ok || e.Class != "Interrupted" {
		t.Fatalf("runtime cancellation: %v", err)
	}
	if got := run(t, s, out, "1 + 1"); got != "2" {
		t.Errorf("after interrupts: %q", got)
	}
}
