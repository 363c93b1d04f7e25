package units

import (
	"go/format"
	"os"
	"testing"

	"gokist/internal/pyref"
)

// TestTablesAreAstropys regenerates tables_gen.go with gen_tables.py from the reference
// astropy and checks that the checked-in file is what it gives: the registry, systems,
// physical types and constants are astropy's own, not typed in.
func TestTablesAreAstropys(t *testing.T) {
	script, err := os.ReadFile("gen_tables.py")
	if err != nil {
		t.Fatal(err)
	}
	out := pyref.Run(t, string(script))
	want, err := format.Source(out)
	if err != nil {
		t.Fatalf("gen_tables.py output does not format: %v", err)
	}
	have, err := os.ReadFile("tables_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(have) != string(want) {
		t.Errorf("tables_gen.go differs from what gen_tables.py makes from astropy; regenerate it")
	}
}
