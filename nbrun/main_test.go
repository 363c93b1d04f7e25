package nbrun

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"gokist/internal/pyref"
	"gokist/internal/testproc"
)

// orphanChildEnv makes this test binary, re-executed, a client that starts ipykernel,
// prints the kernel's pid and waits to be killed (TestKernelDiesWithItsClient).
const orphanChildEnv = "GOKIST_NBRUN_TEST_CLIENT"

// TestMain gives the kernels these tests start (ipykernel through this package's own
// client, which inherits the environment) the reference Python's sandbox: a temporary
// HOME and caches, offline; not MPLBACKEND=Agg, which would replace ipykernel's inline
// backend (figures as display_data). At the end no process they started may be running.
func TestMain(m *testing.M) {
	if os.Getenv(orphanChildEnv) != "" {
		os.Exit(runClientChild())
	}
	env, err := pyref.SandboxEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, kv := range env {
		if k, v, _ := strings.Cut(kv, "="); k != "MPLBACKEND" {
			os.Setenv(k, v)
		}
	}
	os.Exit(testproc.CheckNoLeftovers(m.Run()))
}

func runClientChild() int {
	// Untagged, the kernel is out of the reach of testproc's cleanup: only the client's
	// own measures can end it.
	os.Unsetenv(testproc.TagVar)
	k, _, err := StartKernel(context.Background(), ipykernel, "", 2*time.Minute)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("kernel %d\n", k.cmd.Process.Pid)
	time.Sleep(10 * time.Minute)
	return 0
}

// A client killed with SIGKILL (no cleanup runs) takes its kernel with it: the kernel,
// in a process group of its own, would otherwise run on as an orphan.
func TestKernelDiesWithItsClient(t *testing.T) {
	needPython(t)
	r, w := io.Pipe()
	defer r.Close()
	client := testproc.Start(t, testproc.Cmd{Name: os.Args[0], Args: []string{"-test.run=^$"},
		Env: []string{orphanChildEnv + "=1"}, Stdout: w, Timeout: 5 * time.Minute})
	go func() { <-client.Done(); w.Close() }()
	var kernelPid int
	lines := bufio.NewScanner(r)
	for kernelPid == 0 && lines.Scan() {
		fmt.Sscanf(lines.Text(), "kernel %d", &kernelPid)
	}
	if kernelPid == 0 {
		t.Fatalf("the client started no kernel:\n%s", client.Output())
	}
	if err := syscall.Kill(client.Pid(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for running(kernelPid) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if running(kernelPid) {
		syscall.Kill(kernelPid, syscall.SIGKILL)
		t.Fatalf("kernel %d outlived its client by 30 s", kernelPid)
	}
}

// running says whether pid is a live process (not a zombie waiting to be reaped).
func running(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	i := strings.LastIndexByte(string(b), ')')
	return i > 0 && i+2 < len(b) && b[i+2] != 'Z' && b[i+2] != 'X'
}
