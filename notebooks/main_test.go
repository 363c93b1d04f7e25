package notebooks

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"gokist/internal/pyref"
)

// python is the reference interpreter, with ipykernel, nbformat and nbclient.
const python = pyref.Interpreter

// gokistBin is the gokist binary built for these tests; buildErr says why it is missing.
var (
	gokistBin string
	buildErr  error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gokist-notebooks-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	gokistBin = filepath.Join(dir, "gokist")
	out, err := exec.Command("go", "build", "-o", gokistBin, "gokist/cmd/gokist").CombinedOutput()
	if err != nil {
		buildErr = fmt.Errorf("go build gokist/cmd/gokist: %v\n%s", err, out)
	}
	code := m.Run()
	os.RemoveAll(dir)
	if sampleHome != "" {
		os.RemoveAll(sampleHome)
	}
	os.Exit(code)
}

// gokist runs the built binary with args and extra environment, returning stdout,
// stderr and the exit code.
func gokist(t *testing.T, env []string, timeout time.Duration, args ...string) (string, string, int) {
	t.Helper()
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	cmd := exec.Command(gokistBin, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(timeout):
		cmd.Process.Kill()
		<-done
		t.Fatalf("gokist %v did not finish within %v\nstderr:\n%s", args, timeout, stderr.String())
	}
	return stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
