package lang

import (
	"context"
	"fmt"
	"os"
	"testing"

	"gokist/internal/testproc"
	"gokist/runtime/lazy/wire"
)

// TestMain checks that the Python references these tests ran (internal/pyref) left no
// process running, and stops pyref's batch interpreters and removes its sandbox. When a
// dask worker runs this binary for a cluster task (TestLocalClusterFromACell), it
// serves that task instead.
func TestMain(m *testing.M) {
	if os.Getenv(wire.TaskEnv) == "1" {
		if err := wire.ServeTask(context.Background(), os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "cluster task:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(testproc.CheckNoLeftovers(m.Run()))
}
