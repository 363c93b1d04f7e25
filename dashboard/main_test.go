package dashboard

import (
	"os"
	"testing"

	"gokist/internal/testproc"
)

// TestMain checks that the browsers these tests ran left no process running.
func TestMain(m *testing.M) { os.Exit(testproc.CheckNoLeftovers(m.Run())) }
