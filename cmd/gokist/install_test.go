package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gokist/internal/pyref"
	"gokist/internal/testproc"
)

// gokistProc runs `gokist args...` (this test binary re-executed, see sample_test.go)
// and returns all it printed and its exit status.
func gokistProc(t *testing.T, args ...string) (string, int) {
	t.Helper()
	stdout, err := testproc.Output(testproc.Cmd{Name: os.Args[0], Args: []string{"-test.run=^$"},
		Env: []string{"GOKIST_TEST_RUN_ARGS=" + strings.Join(args, "\x1f")}, Timeout: time.Minute})
	var pe *testproc.Error
	if errors.As(err, &pe) {
		return pe.Output, pe.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(stdout), 0
}

// kernelNamesPy asks jupyter_client which names install_kernel_spec accepts (after
// lower-casing them, as it does).
const kernelNamesPy = `
import json, sys
from jupyter_client.kernelspec import _is_valid_kernel_name
print(json.dumps([bool(_is_valid_kernel_name(n.lower())) for n in json.loads(sys.stdin.read())]))
`

// TestKernelNameValidatedAsJupyter: gokist install accepts the kernel names
// jupyter_client accepts and refuses the others; "." and ".." (which its pattern lets
// through, naming the kernels directory or its parent) are refused as well, and so is a
// name ending in a newline (Python's $ matches before a final newline, so jupyter_client
// takes "name\n").
func TestKernelNameValidatedAsJupyter(t *testing.T) {
	names := []string{"gokist", "GoKist", "my-kernel_1.0", "...x", "../../../../x", "a/b", `a\b`, "", " ", "x y",
		"é", "a\x00b", "-", "~", "$HOME", "*"}
	in, _ := json.Marshal(names)
	var jupyter []bool
	if err := json.Unmarshal(pyref.RunInput(t, in, kernelNamesPy), &jupyter); err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		if got := checkKernelName(strings.ToLower(n)) == nil; got != jupyter[i] {
			t.Errorf("name %q: gokist accepts %v, jupyter_client %v", n, got, jupyter[i])
		}
	}
	for _, n := range []string{".", "..", "name\n"} {
		if checkKernelName(n) == nil {
			t.Errorf("name %q accepted", n)
		}
	}
}

// TestInstallNameCannotEscape: --name with a path neither writes outside the kernels
// directory nor, with --uninstall, deletes a directory holding a kernel.json elsewhere.
func TestInstallNameCannotEscape(t *testing.T) {
	root := t.TempDir()
	prefix := filepath.Join(root, "a", "b", "c", "prefix")
	os.MkdirAll(prefix, 0o755)
	out, code := gokistProc(t, "install", "--prefix", prefix, "--name", "../../../../../../x")
	if code != 2 || !strings.Contains(out, `invalid kernel name "../../../../../../x"`) {
		t.Errorf("install --name ../../../../../../x: exit %d, %q", code, out)
	}
	if _, err := os.Stat(filepath.Join(root, "a", "x")); err == nil {
		t.Error("install wrote outside the kernels directory")
	}

	// A directory outside the kernels dir that holds a kernel.json (here the prefix's
	// share/jupyter, which kernels/.. names) survives --uninstall --name ..
	victim := filepath.Join(prefix, "share", "jupyter")
	os.MkdirAll(victim, 0o755)
	os.WriteFile(filepath.Join(victim, "kernel.json"), []byte("{}"), 0o644)
	os.WriteFile(filepath.Join(victim, "precious.txt"), []byte("keep"), 0o644)
	out, code = gokistProc(t, "install", "--prefix", prefix, "--name", "..", "--uninstall")
	if code != 2 || !strings.Contains(out, "invalid kernel name") {
		t.Errorf("install --uninstall --name ..: exit %d, %q", code, out)
	}
	if _, err := os.Stat(filepath.Join(victim, "precious.txt")); err != nil {
		t.Errorf("uninstall deleted %s: %v", victim, err)
	}

	// A valid name still installs and uninstalls, lower-cased as Jupyter does.
	out, code = gokistProc(t, "install", "--prefix", prefix, "--name", "My-Kernel")
	spec := filepath.Join(prefix, "share", "jupyter", "kernels", "my-kernel", "kernel.json")
	if _, err := os.Stat(spec); code != 0 || err != nil {
		t.Fatalf("install --name My-Kernel: exit %d, %q; %v", code, out, err)
	}
	if out, code = gokistProc(t, "install", "--prefix", prefix, "--name", "My-Kernel", "--uninstall"); code != 0 {
		t.Errorf("uninstall: exit %d, %q", code, out)
	}
	if _, err := os.Stat(spec); err == nil {
		t.Error("uninstall left the kernelspec")
	}
}
