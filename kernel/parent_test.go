package kernel

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gokist/internal/testproc"
)

// waitUntil polls cond every 50 ms until it holds or within passes.
func waitUntil(within time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// The kernel exits when the process that started it dies (JPY_PARENT_PID, as
// ipykernel's ParentPollerUnix), and not before.
func TestKernelExitsWhenParentDies(t *testing.T) {
	bin, _ := installedKernel(t)
	dir := t.TempDir()
	connFile := filepath.Join(dir, "kernel.json")
	info := &ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: "test-key", SignatureScheme: "hmac-sha256"}
	if err := info.WriteFile(connFile); err != nil {
		t.Fatal(err)
	}
	pidFile, logFile := filepath.Join(dir, "kernel.pid"), filepath.Join(dir, "kernel.log")
	// The parent starts the kernel as jupyter_client does, with its own pid in
	// JPY_PARENT_PID, and waits for it.
	script := `JPY_PARENT_PID=$$ "$0" kernel -f "$1" 2>"$3" & echo $! >"$2"; wait`
	parent := testproc.Start(t, testproc.Cmd{Name: "/bin/sh", Args: []string{"-c", script, bin, connFile, pidFile, logFile},
		Timeout: time.Minute})
	var kernelPID int
	started := waitUntil(20*time.Second, func() bool {
		b, _ := os.ReadFile(pidFile)
		kernelPID, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		c, err := ReadConnectionFile(connFile)
		return kernelPID > 0 && err == nil && c.ShellPort != 0
	})
	if !started {
		t.Fatalf("the kernel did not start:\n%s", parent.Output())
	}
	// More than two polls with the parent alive: the kernel stays.
	time.Sleep(2500 * time.Millisecond)
	if !processExists(kernelPID) {
		b, _ := os.ReadFile(logFile)
		t.Fatalf("the kernel exited while its parent lived:\n%s", b)
	}
	if err := syscall.Kill(parent.Pid(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if !waitUntil(10*time.Second, func() bool { return !processExists(kernelPID) }) {
		t.Fatalf("the kernel (pid %d) still runs 10 s after its parent died", kernelPID)
	}
	b, _ := os.ReadFile(logFile)
	if want := "the parent process " + strconv.Itoa(parent.Pid()) + " is gone: shutting down"; !strings.Contains(string(b), want) {
		t.Errorf("the kernel log lacks %q:\n%s", want, b)
	}
}
