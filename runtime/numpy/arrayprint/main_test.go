package arrayprint

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"

	"gokist/internal/pyref"
	"gokist/internal/testproc"
)

// TestMain checks that the Python references these tests ran (internal/pyref) left no
// process running, and stops pyref's batch interpreters and removes its sandbox.
func TestMain(m *testing.M) { os.Exit(testproc.CheckNoLeftovers(m.Run())) }

// runPython runs script with cfg as JSON on stdin and decodes its JSON stdout into out.
func runPython(t testing.TB, script string, cfg any, out any) {
	t.Helper()
	pyref.RunJSON(t, script, cfg, out)
}

// jsonFloat is a float64 that JSON carries as a number, or as the string "nan", "inf"
// or "-inf", which JSON numbers cannot hold.
type jsonFloat float64

// UnmarshalJSON reads a number or a non-finite value's name.
func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		v, err := strconv.ParseFloat(s, 64)
		*f = jsonFloat(v)
		return err
	}
	var v float64
	err := json.Unmarshal(b, &v)
	*f = jsonFloat(v)
	return err
}
