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

// kernelSpecEnvPy reads a kernelspec's env as Jupyter's own KernelSpecManager does.
const kernelSpecEnvPy = `
import json, sys
from jupyter_client.kernelspec import KernelSpecManager
ksm = KernelSpecManager(kernel_dirs=[sys.argv[1]])
print(json.dumps(ksm.get_kernel_spec("gokist").env))
`

// TestInstallWritesTheClassroomLimits: --memory-limit and --workers go into the
// kernelspec's env, where jupyter_client finds them and sets them for the kernel; values
// a kernel would ignore are refused at install time with what would be right.
func TestInstallWritesTheClassroomLimits(t *testing.T) {
	prefix := t.TempDir()
	out, code := gokistProc(t, "install", "--prefix", prefix, "--memory-limit", "1.5GiB", "--workers", "2")
	if code != 0 {
		t.Fatalf("install --memory-limit 1.5GiB --workers 2: exit %d, %q", code, out)
	}
	kernels := filepath.Join(prefix, "share", "jupyter", "kernels")
	var env map[string]string
	if err := json.Unmarshal(pyref.Run(t, kernelSpecEnvPy, kernels), &env); err != nil {
		t.Fatal(err)
	}
	if len(env) != 2 || env["GOKIST_MEMORY_LIMIT"] != "1.5GiB" || env["GOKIST_WORKERS"] != "2" {
		t.Errorf("jupyter_client reads the kernelspec's env as %v, want GOKIST_MEMORY_LIMIT=1.5GiB and GOKIST_WORKERS=2", env)
	}

	// Without the flags the kernelspec sets nothing.
	out, code = gokistProc(t, "install", "--prefix", prefix)
	env = nil
	if err := json.Unmarshal(pyref.Run(t, kernelSpecEnvPy, kernels), &env); err != nil || code != 0 || len(env) != 0 {
		t.Errorf("install without limits: exit %d %q, env %v (%v)", code, out, env, err)
	}

	for _, c := range []struct{ args, want string }{
		{"--memory-limit lots", `--memory-limit "lots" is not a size such as '2GB' or '512MiB'`},
		{"--memory-limit 1MB", `--memory-limit "1MB" is below 16 MiB`},
		{"--workers -2", "--workers -2: give a positive number of workers"},
	} {
		out, code := gokistProc(t, append([]string{"install", "--prefix", prefix}, strings.Fields(c.args)...)...)
		if code != 2 || !strings.Contains(out, c.want) {
			t.Errorf("install %s: exit %d, %q; want exit 2 saying %q", c.args, code, out, c.want)
		}
	}
}
