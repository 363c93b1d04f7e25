package kernel

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"gokist/internal/testproc"
)

// The patched zmq4 in third_party/zmq4 is a module of its own, so `go test ./...` in
// gokist does not reach its tests. This runs the tests of its patches (every Test in
// its hardening_test.go), with the race detector, so that they run wherever the
// kernel's tests do.
func TestPatchedZMQ4(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs another module's tests")
	}
	const dir = "../third_party/zmq4"
	src, err := os.ReadFile(dir + "/hardening_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^func (Test\w+)\(`).FindAllSubmatch(src, -1) {
		names = append(names, string(m[1]))
	}
	if len(names) < 10 {
		t.Fatalf("found only %d tests in hardening_test.go: %v", len(names), names)
	}
	out := testproc.Run(t, testproc.Cmd{Name: "go", Dir: dir, Timeout: 5 * time.Minute,
		Args: []string{"test", "-count=1", "-race", "-v", "-run", "^(" + strings.Join(names, "|") + ")$", "."}})
	for _, name := range names {
		if !strings.Contains(string(out), "--- PASS: "+name+" ") {
			t.Errorf("zmq4's %s did not pass:\n%s", name, out)
		}
	}
}
