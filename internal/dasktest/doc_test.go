package dasktest

import (
	"os"
	"strings"
	"testing"

	"gokist/internal/testproc"
)

func TestMain(m *testing.M) { os.Exit(testproc.CheckNoLeftovers(m.Run())) }

// TestStartRegistersWorkers starts a scheduler and two workers and asks the scheduler,
// through dask's own Client, which workers it has.
func TestStartRegistersWorkers(t *testing.T) {
	c := Start(t, 2, 2*60e9)
	out := testproc.Run(t, testproc.Cmd{Name: Python, Args: []string{"-c",
		"import sys; from distributed import Client; c = Client(sys.argv[1], timeout=20); print(' '.join(sorted(c.scheduler_info()['workers']))); c.close()", c.Address}})
	got := string(out)
	for _, w := range c.Workers {
		if !contains(got, w.Address) {
			t.Errorf("scheduler's workers %q lack %s", got, w.Address)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
