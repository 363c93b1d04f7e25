// Package pyref runs the Python reference stack for gokist's tests: /usr/bin/python3 with
// astropy, numpy, dask, matplotlib, sunpy, dkist and the Jupyter clients. The reference
// values those scripts compute are what gokist is checked against, so a missing
// interpreter or module fails the test (t.Fatal) and never skips it: a skipped reference
// check would pass green without checking anything.
//
// Every interpreter runs through testproc (own process group, a deadline, output kept
// for the failure message) inside a sandbox (see Env): a temporary HOME and cache dirs,
// matplotlib's Agg backend, astropy and the network off. Batch runs many cases in one
// interpreter that stays up for the test binary, so that a costly import (dkist takes
// seconds) happens once. A package using pyref has a TestMain calling
// testproc.CheckNoLeftovers, which stops those interpreters and removes the sandbox.
package pyref

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gokist/internal/testproc"
)

// Interpreter is the Python with the reference packages installed; the python3 on PATH
// may be a bare one without them.
const Interpreter = "/usr/bin/python3"

// Timeout is the deadline of one reference script, and of each case of a Batch (the
// first case's includes starting the interpreter and its prelude): generous, as CI may
// run on a loaded two-core machine.
var Timeout = 5 * time.Minute

// Config changes how a reference interpreter runs; the zero value is the plain sandbox.
type Config struct {
	PythonPath []string // directories added to PYTHONPATH (Dkist's, say)
	Env        []string // further KEY=VALUE entries
}

// Require fails the test unless Interpreter exists and can import every module named.
func Require(t testing.TB, modules ...string) {
	t.Helper()
	if err := check(modules); err != nil {
		t.Fatal(err)
	}
}

// imported remembers the modules a check imported, so that the many tests of a binary
// that Require the same modules start one interpreter for them, not one each.
var imported sync.Map

// check says what is missing of the interpreter and modules, or nil.
func check(modules []string) error {
	if _, err := os.Stat(Interpreter); err != nil {
		return fmt.Errorf("reference Python %s is missing (install python3 with astropy and numpy): %w", Interpreter, err)
	}
	modules = slices.DeleteFunc(slices.Clone(modules), func(m string) bool { _, ok := imported.Load(m); return ok })
	if len(modules) == 0 {
		return nil
	}
	defer func() {
		for _, m := range modules {
			imported.Store(m, true)
		}
	}()
	script := `import importlib, sys
missing = []
for m in ` + pyList(modules) + `:
    try:
        importlib.import_module(m)
    except Exception as e:
        missing.append("%s (%s: %s)" % (m, type(e).__name__, e))
if missing:
    sys.exit("cannot import: " + "; ".join(missing))
`
	if _, err := (Config{}).output(nil, script); err != nil {
		modules = nil // none is remembered
		return fmt.Errorf("reference Python %s cannot import all of %s (`make deps` installs them): %w", Interpreter, strings.Join(modules, ", "), err)
	}
	return nil
}

// pyList writes names as a Python list of string literals.
func pyList(names []string) string {
	b, _ := json.Marshal(names) // a JSON array of strings is a valid Python list
	return string(b)
}

// Run runs script with args (sys.argv[1:]) and returns its standard output; the test fails
// with the script's output when the interpreter is missing or the script fails.
func Run(t testing.TB, script string, args ...string) []byte {
	t.Helper()
	return RunInput(t, nil, script, args...)
}

// RunInput is Run with stdin as the script's standard input.
func RunInput(t testing.TB, stdin []byte, script string, args ...string) []byte {
	t.Helper()
	return Config{}.RunInput(t, stdin, script, args...)
}

// RunInput is the package's RunInput under c.
func (c Config) RunInput(t testing.TB, stdin []byte, script string, args ...string) []byte {
	t.Helper()
	out, err := c.output(stdin, script, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// RunJSON runs script with input as JSON on its standard input and decodes the JSON it
// prints into out (nil: the output is not read); the test fails on any error.
func RunJSON(t testing.TB, script string, input, out any) {
	t.Helper()
	in, err := json.Marshal(input)
	if err != nil {
		t.Fatalf("encoding the input of a reference script: %v", err)
	}
	stdout := RunInput(t, in, script)
	if out == nil {
		return
	}
	if err := json.Unmarshal(stdout, out); err != nil {
		t.Fatalf("reference script output is not the JSON expected: %v\n%s", err, stdout)
	}
}

// Output runs script with stdin and args and returns its standard output, for callers that
// are not tests (benchmarks' setup in TestMain, helpers returning errors). The error
// carries all the script printed.
func Output(stdin []byte, script string, args ...string) ([]byte, error) {
	return Config{}.output(stdin, script, args...)
}

// Output is the package's Output under c.
func (c Config) Output(stdin []byte, script string, args ...string) ([]byte, error) {
	return c.output(stdin, script, args...)
}

func (c Config) output(stdin []byte, script string, args ...string) ([]byte, error) {
	if err := check(nil); err != nil {
		return nil, err
	}
	cmd, err := c.command(append([]string{"-c", script}, args...))
	if err != nil {
		return nil, err
	}
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	out, err := testproc.Output(cmd)
	if err != nil {
		return out, fmt.Errorf("reference Python failed: %w", err)
	}
	return out, nil
}

// command is the testproc command running the interpreter with args in the sandbox.
func (c Config) command(args []string) (testproc.Cmd, error) {
	env, err := envWith(c.PythonPath)
	if err != nil {
		return testproc.Cmd{}, err
	}
	return testproc.Cmd{Name: Interpreter, Args: args, Env: append(env, c.Env...), Timeout: Timeout}, nil
}
