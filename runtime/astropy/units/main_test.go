package units

import (
	"os"
	"testing"

	"gokist/internal/testproc"
)

// TestMain checks that the Python references these tests ran (internal/pyref) left no
// process running, and stops pyref's batch interpreters and removes its sandbox.
func TestMain(m *testing.M) { os.Exit(testproc.CheckNoLeftovers(m.Run())) }
