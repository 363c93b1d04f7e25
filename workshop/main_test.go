package workshop

import (
	"fmt"
	"gokist/internal/testsample"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gokist/internal/testproc"
)

// gokistBin is the gokist binary built for these tests; buildErr says why it is missing.
var (
	gokistBin string
	buildErr  error
	tmpRoot   string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gokist-workshop-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tmpRoot = dir
	gokistBin = filepath.Join(dir, "gokist")
	if _, err := testproc.Output(testproc.Cmd{Name: "go", Args: []string{"build", "-o", gokistBin, "gokist/cmd/gokist"}, Timeout: 10 * time.Minute}); err != nil {
		buildErr = err
	}
	code := m.Run()
	code = testproc.CheckNoLeftovers(code)
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	sampleOnce sync.Once
	sampleHome string
	sampleErr  error
)

// sampleHOME writes the sample dataset once, at its default path under a temporary HOME
// shared by the tests (all kernels read it; none writes it).
func sampleHOME(t *testing.T) string {
	t.Helper()
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	sampleOnce.Do(func() {
		sampleHome = filepath.Join(tmpRoot, "home")
		sampleErr = testsample.WriteHome(gokistBin, sampleHome)
	})
	if sampleErr != nil {
		t.Fatalf("writing the sample dataset: %v", sampleErr)
	}
	return sampleHome
}

// repoFile is a path in the repository (the tests run in workshop/).
func repoFile(parts ...string) string {
	p, _ := filepath.Abs(filepath.Join(append([]string{".."}, parts...)...))
	return p
}

// nodeModule is the path of an npm package installed by `npm ci` (make deps), or a
// failure saying how to install it.
func nodeModule(t *testing.T, name string) string {
	t.Helper()
	dir := repoFile("node_modules", name)
	if _, err := os.Stat(filepath.Join(dir, "package.json")); err != nil {
		t.Fatalf("the npm package %s is not installed (%v): run `npm ci` in the repository (make deps does)", name, err)
	}
	return dir
}

// tutorials are the notebooks of notebooks/ (quickstart.md and rebinning.md at least),
// in the site's order.
func tutorials(t *testing.T) []string {
	t.Helper()
	out, err := filepath.Glob(repoFile("notebooks", "*.md"))
	if err != nil || len(out) < 2 {
		t.Fatalf("the tutorials in notebooks/: %v %v", out, err)
	}
	return out
}
