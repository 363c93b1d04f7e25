package sample

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"gokist/internal/pyref"
)

// conditionsScript reads, with astropy, the observing-condition keys of every file of the
// sample in argv[1] and of the real VISP header argv[2]: each key's Python type, comment
// and the section title (the COMMENT line of dashes) it sits under.
const conditionsScript = `
import sys, glob, os, json
from astropy.io import fits
keys = ["TAZIMUTH", "ELEV_ANG", "TTBLANGL", "TTBLTRCK", "TELTRACK", "DSHEALTH", "LIGHTLVL", "ATMOS_R0", "AO_LOCK"]
def describe(h):
    section, out = None, {}
    for card in h.cards:
        if card.keyword == "COMMENT" and str(card.value).strip().startswith("---") and str(card.value).strip().strip("-").strip():
            section = str(card.value).strip().strip("-").strip()
        if card.keyword in keys:
            out[card.keyword] = {"type": type(card.value).__name__, "comment": card.comment, "section": section, "value": card.value}
    return out
real = describe(fits.Header.fromtextfile(sys.argv[2]))
files = [describe(fits.getheader(p, 1)) for p in sorted(glob.glob(os.path.join(sys.argv[1], "*.fits")))]
print(json.dumps({"real": real, "files": files}))
`

type keyCard struct {
	Type, Comment, Section string
	Value                  any
}

// TestObservingConditionsAsRealVISP: every sample frame's header carries the observing
// conditions a real VISP L1 header has (../shared/data/dkist-headers/VISP_HEADER.hdr),
// with its types, comments and sections as astropy reads them, and the seeing (ATMOS_R0)
// and pointing vary from frame to frame within physical ranges.
func TestObservingConditionsAsRealVISP(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "AGLKO")
	if _, err := Generate(context.Background(), Options{Dir: dir, Shape: [4]int{1, 12, 8, 16}, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	real := filepath.Join("..", "..", "..", "shared", "data", "dkist-headers", "VISP_HEADER.hdr")
	var got struct {
		Real  map[string]keyCard
		Files []map[string]keyCard
	}
	if err := json.Unmarshal(pyref.Run(t, conditionsScript, dir, real), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Real) != 9 || len(got.Files) != 12 {
		t.Fatalf("astropy found %d keys in the real header and %d files", len(got.Real), len(got.Files))
	}
	seen := map[string]map[any]bool{}
	for i, f := range got.Files {
		for k, want := range got.Real {
			c, ok := f[k]
			if !ok || c.Type != want.Type || c.Comment != want.Comment || c.Section != want.Section {
				t.Fatalf("file %d %s: %+v, the real header has %+v", i, k, c, want)
			}
			if seen[k] == nil {
				seen[k] = map[any]bool{}
			}
			seen[k][c.Value] = true
		}
		if r0 := f["ATMOS_R0"].Value.(float64); r0 < 0.03 || r0 > 0.3 {
			t.Errorf("file %d: ATMOS_R0 %g m is not a daytime Fried parameter", i, r0)
		}
		if el := f["ELEV_ANG"].Value.(float64); el < 0 || el > 90 {
			t.Errorf("file %d: ELEV_ANG %g°", i, el)
		}
	}
	for _, k := range []string{"ATMOS_R0", "TAZIMUTH", "ELEV_ANG", "LIGHTLVL"} {
		if len(seen[k]) < 10 {
			t.Errorf("%s takes %d values over 12 frames: it should follow the scan", k, len(seen[k]))
		}
	}
}
