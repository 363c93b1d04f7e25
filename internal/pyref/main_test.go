package pyref

import (
	"os"
	"testing"

	"gokist/internal/testproc"
)

func TestMain(m *testing.M) { os.Exit(testproc.CheckNoLeftovers(m.Run())) }
