package coords_test

import (
	"os"
	"testing"

	"gokist/internal/testproc"
)

// TestMain checks that the Python references these tests ran (internal/pyref) left no
// process running.
func TestMain(m *testing.M) { os.Exit(testproc.CheckNoLeftovers(m.Run())) }
