package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gokist/runtime/lazy/wire"
)

// runTaskWith runs `gokist task` in this process with stdin from in, and gives its exit
// status and stdout.
func runTaskWith(t *testing.T, in []byte, args ...string) (int, string) {
	t.Helper()
	dir := t.TempDir()
	inPath, outPath := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	if err := os.WriteFile(inPath, in, 0o644); err != nil {
		t.Fatal(err)
	}
	stdin, err := os.Open(inPath)
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := os.Create(outPath)
	if err != nil {
		t.Fatal(err)
	}
	oldIn, oldOut := os.Stdin, os.Stdout
	os.Stdin, os.Stdout = stdin, stdout
	code := run(append([]string{"task"}, args...))
	os.Stdin, os.Stdout = oldIn, oldOut
	stdout.Close()
	out, _ := os.ReadFile(outPath)
	return code, string(out)
}

// TestTaskCommand: `gokist task` (what dask workers run) answers a task frame with a
// result on stdout, even when the task itself is damaged (the result carries the error
// for the kernel), and fails with status 1 on a truncated frame or 2 on arguments.
func TestTaskCommand(t *testing.T) {
	code, out := runTaskWith(t, wire.TaskFrame([]byte("not a pass"), []byte("not a task")))
	if code != 0 || len(out) == 0 || !strings.Contains(out, "could not read its task") {
		t.Errorf("a damaged task: status %d, %d bytes of result %q", code, len(out), out)
	}
	if code, _ := runTaskWith(t, []byte{0, 0, 0, 9, 'x'}); code != 1 {
		t.Errorf("a truncated frame: status %d, want 1", code)
	}
	if code, _ := runTaskWith(t, nil, "extra"); code != 2 {
		t.Errorf("gokist task extra: status %d, want 2", code)
	}
}
