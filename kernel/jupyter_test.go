package kernel

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gokist/internal/pyref"
	"gokist/internal/testproc"
)

// The tests in this file run the real gokist binary under Jupyter's own client code
// (/usr/bin/python3 with jupyter_client, jupyter_kernel_test, jupyter_console). The
// binary is built once, on first use, and its kernelspec installed into a temporary
// JUPYTER_DATA_DIR by `gokist install`.

var (
	binOnce  sync.Once
	binDir   string
	binPath  string
	dataDir  string
	binError string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(testproc.CheckNoLeftovers(code))
}

// installedKernel builds gokist and installs its kernelspec; it returns the binary and
// the environment (JUPYTER_DATA_DIR) under which Jupyter finds the kernelspec.
func installedKernel(t testing.TB) (bin string, env []string) {
	t.Helper()
	pyref.Require(t, "jupyter_client", "jupyter_kernel_test", "jupyter_console")
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gokist-kernel-test-")
		if err != nil {
			binError = err.Error()
			return
		}
		binDir = dir
		binPath = filepath.Join(dir, "gokist")
		if _, err := testproc.Output(testproc.Cmd{Name: "go", Args: []string{"build", "-o", binPath, "gokist/cmd/gokist"}, Timeout: 10 * time.Minute}); err != nil {
			binError = "building gokist: " + err.Error()
			return
		}
		dataDir = filepath.Join(dir, "jupyter-data")
		if _, err := testproc.Output(testproc.Cmd{Name: binPath, Args: []string{"install"}, Env: jupyterEnv(t), Timeout: time.Minute}); err != nil {
			binError = "gokist install: " + err.Error()
		}
	})
	if binError != "" {
		t.Fatal(binError)
	}
	return binPath, jupyterEnv(t)
}

// jupyterEnv is the reference Python's sandbox (temporary HOME and caches) with the
// Jupyter data and runtime dirs where the kernelspec is installed.
func jupyterEnv(t testing.TB) []string {
	return append(pyref.Env(t), "JUPYTER_DATA_DIR="+dataDir, "JUPYTER_RUNTIME_DIR="+filepath.Join(binDir, "runtime"),
		"PYDEVD_DISABLE_FILE_VALIDATION=1", "JUPYTER_PLATFORM_DIRS=0")
}

// kernelspecList runs `jupyter kernelspec list --json` (the module behind it, which
// Debian ships in python3-jupyter-client even when the jupyter-client tools package that
// provides the `jupyter kernelspec` command is missing).
func kernelspecList(t *testing.T, env []string) map[string]string {
	t.Helper()
	cmd := testproc.Cmd{Name: pyref.Interpreter, Args: []string{"-m", "jupyter_client.kernelspecapp", "list", "--json"}, Env: env, Timeout: 2 * time.Minute}
	if _, err := os.Stat("/usr/bin/jupyter-kernelspec"); err == nil {
		cmd.Name, cmd.Args = "/usr/bin/jupyter", []string{"kernelspec", "list", "--json"}
	}
	stdout := bytes.NewBuffer(testproc.Run(t, cmd))
	var res struct {
		Kernelspecs map[string]struct {
			ResourceDir string `json:"resource_dir"`
		} `json:"kernelspecs"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("kernelspec list output: %v\n%s", err, stdout.String())
	}
	out := map[string]string{}
	for name, ks := range res.Kernelspecs {
		out[name] = ks.ResourceDir
	}
	return out
}

func TestInstallKernelspec(t *testing.T) {
	bin, env := installedKernel(t)
	specs := kernelspecList(t, env)
	dir := filepath.Join(dataDir, "kernels", "gokist")
	if specs["gokist"] != dir {
		t.Fatalf("Jupyter finds kernelspecs %v, want gokist in %s", specs, dir)
	}
	var spec KernelSpec
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(spec.Argv[0]) || spec.Argv[0] != bin || strings.Join(spec.Argv[1:], " ") != "kernel -f {connection_file}" ||
		spec.InterruptMode != "message" || spec.Language != "gokist" {
		t.Fatalf("kernel.json %+v", spec)
	}
	for _, size := range []int{32, 64} {
		f, err := os.Open(filepath.Join(dir, "logo-"+itoa(size)+"x"+itoa(size)+".png"))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
			t.Fatalf("logo %d is %v", size, b)
		}
	}

	// --prefix and --name install elsewhere; Jupyter finds it through JUPYTER_PATH;
	// --uninstall removes it.
	prefix := t.TempDir()
	run := func(args ...string) {
		testproc.Run(t, testproc.Cmd{Name: bin, Args: append([]string{"install"}, args...), Env: env, Timeout: time.Minute})
	}
	run("--prefix", prefix, "--name", "gokist-prefixed")
	penv := append(env, "JUPYTER_PATH="+filepath.Join(prefix, "share", "jupyter"))
	want := filepath.Join(prefix, "share", "jupyter", "kernels", "gokist-prefixed")
	if got := kernelspecList(t, penv)["gokist-prefixed"]; got != want {
		t.Fatalf("prefixed kernelspec at %q, want %q", got, want)
	}
	run("--prefix", prefix, "--name", "gokist-prefixed", "--uninstall")
	if _, ok := kernelspecList(t, penv)["gokist-prefixed"]; ok {
		t.Fatal("kernelspec still listed after --uninstall")
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// runPythonUnittest runs a unittest module of this directory and fails on any failure or
// error; it returns the verbose output.
func runPythonUnittest(t *testing.T, module string, extraEnv ...string) string {
	_, env := installedKernel(t)
	p := testproc.Start(t, testproc.Cmd{Name: pyref.Interpreter, Args: []string{"-m", "unittest", "-v", module},
		Env: append(env, extraEnv...), Timeout: 10 * time.Minute})
	err := p.Wait()
	text := filterDebuggerNoise(p.Output())
	if err != nil {
		t.Fatalf("%s failed: %v\n%s", module, err, text)
	}
	if !strings.Contains(text, "\nOK") {
		t.Fatalf("%s did not report OK:\n%s", module, text)
	}
	return text
}

func filterDebuggerNoise(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, "0.00s - ") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// Jupyter's conformance suite, every sample filled: none may fail or skip.
func TestConformance(t *testing.T) {
	out := runPythonUnittest(t, "conformance_test")
	if strings.Contains(out, "skipped") {
		t.Fatalf("conformance tests skipped:\n%s", out)
	}
	t.Log(out)
}

// longCellEnv writes a sample dataset with `gokist sample` (shape (4, 80, 160, 2555), the
// default small size) and returns the environment naming a cell that loads it, a cell that
// computes over it for seconds and one that would compute for far longer, checking
// cancellation between chunks. Their length comes from work per element, not from the
// machine being slow: a power with a non-special exponent (math.Pow, no shortcut) of each
// of the 130 M elements costs about 7 CPU-seconds for the long cell here (3.5 s on two idle
// cores, several times the 0.5 s the progress bar waits even on a CPU twice as fast), and
// the interrupt cell does four of them.
func longCellEnv(t *testing.T) []string {
	bin, _ := installedKernel(t)
	dir := filepath.Join(t.TempDir(), "visp")
	testproc.Run(t, testproc.Cmd{Name: bin, Args: []string{"sample", dir, "--size", "small"}, Timeout: 5 * time.Minute})
	return []string{
		"GOKIST_LONG_SETUP=ds = Dataset.from_directory(" + strconvQuote(dir) + ")",
		"GOKIST_LONG_CELL=((ds.data * ds.data) ** 1.37).std(axis=(0, 2)).compute()",
		"GOKIST_INTERRUPT_CELL=(((((ds.data * ds.data) ** 1.37 + 1) ** 0.73 + 1) ** 1.21 + 1) ** 0.87).std(axis=(0, 2)).compute()",
	}
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

// Signatures, stop_on_error, shutdown, heartbeat while busy, interrupt_request and SIGINT
// during a long compute, through jupyter_client.
func TestJupyterClient(t *testing.T) {
	out := runPythonUnittest(t, "client_test", longCellEnv(t)...)
	if strings.Contains(out, "skipped") {
		t.Fatalf("client tests skipped:\n%s", out)
	}
	t.Log(out)
}

// jupyter console runs a cell non-interactively and prints its result.
func TestJupyterConsole(t *testing.T) {
	_, env := installedKernel(t)
	// The console gives the kernel 1 s to answer is_complete before it falls back to its
	// own checks; on a loaded machine the first answer (the session starting) can take
	// longer, and the run then hung at In [1] (once, at load 6): the wait is the
	// machine's, not the kernel's, so the console is given longer.
	cmd := testproc.Cmd{Name: pyref.Interpreter, Args: []string{"-m", "jupyter_console", "--kernel", "gokist", "--simple-prompt",
		"--ZMQTerminalInteractiveShell.kernel_is_complete_timeout=30"},
		Env: env, Stdin: strings.NewReader("6 * 7\nprint('a' + 'b')\n"), Timeout: 2 * time.Minute}
	if _, err := os.Stat("/usr/bin/jupyter-console"); err == nil {
		cmd.Name, cmd.Args = "/usr/bin/jupyter-console", cmd.Args[2:]
	}
	p := testproc.Start(t, cmd)
	err := p.Wait()
	out := p.Output()
	if err != nil {
		t.Fatalf("jupyter console: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Out[1]: 42") || !strings.Contains(string(out), "\nab\n") && !strings.Contains(string(out), " ab\n") {
		t.Fatalf("jupyter console output lacks the results:\n%s", out)
	}
}
