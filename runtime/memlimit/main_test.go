package memlimit

import (
	"os"
	"testing"

	"gokist/internal/testproc"
)

// TestMain checks that the tests left no process running.
func TestMain(m *testing.M) { os.Exit(testproc.CheckNoLeftovers(m.Run())) }
