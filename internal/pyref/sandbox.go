package pyref

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"gokist/internal/testproc"
)

// The sandbox is one temporary directory per test binary that stands in for everything
// the reference Python would otherwise write or read in the user's home: HOME, the XDG
// cache, config and data dirs, matplotlib's, astropy's and sunpy's config and cache. It
// also holds a sitecustomize.py (on PYTHONPATH) that keeps the interpreter offline, and
// astropy's config file turning off IERS and remote-data downloads. testproc.CheckNoLeftovers
// removes it at the end of the test binary; a binary without that TestMain leaves it for
// the next test binary, which removes the sandboxes of test binaries no longer running.
var sandbox struct {
	once sync.Once
	dir  string
	env  []string
	err  error
}

const sandboxPrefix = "gokist-pyref-"

// astropyConfig makes astropy offline: no IERS table download, no remote data.
const astropyConfig = `# Written by gokist's test harness (internal/pyref): the reference stack is offline.
[utils.iers.iers]
auto_download = False

[utils.data]
allow_internet = False
`

// siteCustomize runs at the start of every reference interpreter: a connection to any
// address but this machine's fails at once, naming the harness, instead of waiting for a
// network that is not there.
const siteCustomize = `# Written by gokist's test harness (internal/pyref): the reference Python is offline.
import socket as _socket

def _gokist_local(address):
    if not isinstance(address, tuple):
        return True  # a Unix socket
    host = str(address[0])
    return host in ("localhost", "::1", "") or host.startswith("127.") or host.startswith("::ffff:127.")

def _gokist_guard(method):
    def connect(self, address):
        if not _gokist_local(address):
            raise OSError("gokist tests run offline (internal/pyref): no connection to %r" % (address,))
        return method(self, address)
    return connect

_socket.socket.connect = _gokist_guard(_socket.socket.connect)
_socket.socket.connect_ex = _gokist_guard(_socket.socket.connect_ex)
`

// sandboxEnv creates the sandbox once and returns its directory and environment.
func sandboxEnv() (string, []string, error) {
	sandbox.once.Do(func() {
		removeStaleSandboxes()
		sandbox.dir, sandbox.env, sandbox.err = makeSandbox()
		if sandbox.err == nil {
			dir := sandbox.dir
			testproc.OnExit(func() { os.RemoveAll(dir) })
		}
	})
	return sandbox.dir, sandbox.env, sandbox.err
}

func makeSandbox() (string, []string, error) {
	dir, err := os.MkdirTemp("", fmt.Sprintf("%s%d-", sandboxPrefix, os.Getpid()))
	if err != nil {
		return "", nil, fmt.Errorf("making the reference Python's sandbox: %w", err)
	}
	p := func(parts ...string) string { return filepath.Join(append([]string{dir}, parts...)...) }
	for _, d := range []string{p("home"), p("cache", "astropy"), p("config", "astropy"), p("cache", "sunpy"),
		p("config", "sunpy"), p("data"), p("mpl"), p("site")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return "", nil, err
		}
	}
	for name, text := range map[string]string{p("config", "astropy", "astropy.cfg"): astropyConfig, p("site", "sitecustomize.py"): siteCustomize} {
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			return "", nil, err
		}
	}
	env := []string{
		"HOME=" + p("home"),
		"XDG_CACHE_HOME=" + p("cache"),
		"XDG_CONFIG_HOME=" + p("config"),
		"XDG_DATA_HOME=" + p("data"),
		"MPLCONFIGDIR=" + p("mpl"),
		"MPLBACKEND=Agg",
		"SUNPY_CONFIGDIR=" + p("config", "sunpy"),
		"PYTHONPATH=" + p("site"),
		"PYTHONDONTWRITEBYTECODE=1",
		"PYTHONNOUSERSITE=1",
		"PYTHONIOENCODING=utf-8",
	}
	return dir, env, nil
}

// removeStaleSandboxes removes the sandboxes of test binaries that are no longer running.
func removeStaleSandboxes() {
	matches, _ := filepath.Glob(filepath.Join(os.TempDir(), sandboxPrefix+"*"))
	for _, m := range matches {
		pidText, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(m), sandboxPrefix), "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == os.Getpid() {
			continue
		}
		if syscall.Kill(pid, 0) == syscall.ESRCH {
			os.RemoveAll(m)
		}
	}
}

// Env is the reference Python's environment for a subprocess the test starts itself
// (a Jupyter tool, a notebook run): the sandbox's HOME, cache and config dirs, Agg, the
// offline sitecustomize, with pythonPath added to PYTHONPATH. Pass it as testproc.Cmd's
// Env.
func Env(t testing.TB, pythonPath ...string) []string {
	t.Helper()
	env, err := envWith(pythonPath)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// SandboxEnv is Env for callers that are not tests: a TestMain whose package's code
// starts Python itself (nbrun's kernels) sets it with os.Setenv for the whole binary.
func SandboxEnv(pythonPath ...string) ([]string, error) { return envWith(pythonPath) }

func envWith(pythonPath []string) ([]string, error) {
	_, env, err := sandboxEnv()
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PYTHONPATH="); ok && len(pythonPath) > 0 {
			kv = "PYTHONPATH=" + strings.Join(append([]string{v}, pythonPath...), string(os.PathListSeparator))
		}
		out = append(out, kv)
	}
	return out, nil
}
