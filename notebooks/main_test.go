package notebooks

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gokist/internal/pyref"
	"gokist/internal/testproc"
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
	if _, err := testproc.Output(testproc.Cmd{Name: "go", Args: []string{"build", "-o", gokistBin, "gokist/cmd/gokist"}, Timeout: 10 * time.Minute}); err != nil {
		buildErr = err
	}
	code := m.Run()
	os.RemoveAll(dir)
	if sampleHome != "" {
		os.RemoveAll(sampleHome)
	}
	os.Exit(testproc.CheckNoLeftovers(code))
}

// gokist runs the built binary with args and extra environment, returning stdout,
// stderr and the exit code.
func gokist(t *testing.T, env []string, timeout time.Duration, args ...string) (string, string, int) {
	t.Helper()
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	p := testproc.Start(t, testproc.Cmd{Name: gokistBin, Args: args, Env: env, Timeout: timeout})
	if err := p.Wait(); err != nil && p.ExitCode() < 0 {
		t.Fatalf("gokist %v: %v\nits output:\n%s", args, err, p.Output())
	}
	return string(p.Stdout()), string(p.Stderr()), p.ExitCode()
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
