// Package pyref runs the Python reference stack for gokist's tests: /usr/bin/python3 with
// astropy, numpy, dask, matplotlib and the Jupyter clients. The reference values those
// scripts compute are what gokist is checked against, so a missing interpreter or module
// fails the test (t.Fatal) and never skips it: a skipped reference check would pass green
// without checking anything.
package pyref

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Interpreter is the Python with the reference packages installed; the python3 on PATH
// may be a bare one without them.
const Interpreter = "/usr/bin/python3"

// Require fails the test unless Interpreter exists and can import every module named.
func Require(t testing.TB, modules ...string) {
	t.Helper()
	if err := check(modules); err != nil {
		t.Fatal(err)
	}
}

// check says what is missing of the interpreter and modules, or nil.
func check(modules []string) error {
	if _, err := os.Stat(Interpreter); err != nil {
		return fmt.Errorf("reference Python %s is missing (install python3 with astropy and numpy): %w", Interpreter, err)
	}
	if len(modules) == 0 {
		return nil
	}
	script := "import importlib\nfor m in " + pyList(modules) + ":\n    importlib.import_module(m)\n"
	var stderr bytes.Buffer
	cmd := exec.Command(Interpreter, "-c", script)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("reference Python %s cannot import %s: %v\n%s", Interpreter, strings.Join(modules, ", "), err, stderr.String())
	}
	return nil
}

// pyList writes names as a Python list of string literals.
func pyList(names []string) string {
	b, _ := json.Marshal(names) // a JSON array of strings is a valid Python list
	return string(b)
}

// Run runs script with args (sys.argv[1:]) and returns its standard output; the test fails
// with the script's standard error when the interpreter is missing or the script fails.
func Run(t testing.TB, script string, args ...string) []byte {
	t.Helper()
	return RunInput(t, nil, script, args...)
}

// RunInput is Run with stdin as the script's standard input.
func RunInput(t testing.TB, stdin []byte, script string, args ...string) []byte {
	t.Helper()
	out, err := Output(stdin, script, args...)
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
	stdout, err := Output(in, script)
	if err != nil {
		t.Fatal(err)
	}
	if out == nil {
		return
	}
	if err := json.Unmarshal(stdout, out); err != nil {
		t.Fatalf("reference script output is not the JSON expected: %v\n%s", err, stdout)
	}
}

// Output runs script with stdin and args and returns its standard output, for callers that
// are not tests (benchmarks' setup in TestMain, helpers returning errors). The error
// carries the script's standard error.
func Output(stdin []byte, script string, args ...string) ([]byte, error) {
	if err := check(nil); err != nil {
		return nil, err
	}
	cmd := exec.Command(Interpreter, append([]string{"-c", script}, args...)...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("reference Python failed: %v\n%s", err, stderr.String())
	}
	return out, nil
}
