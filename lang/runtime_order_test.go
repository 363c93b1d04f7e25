package lang

import (
	"path/filepath"
	"strconv"
	"testing"

	"gokist/internal/pyref"
)

// sorted, min and max order runtime values by their own `<` (astropy's Time), and `in`
// asks a runtime value's __contains__ (a FITS header's keywords), as CPython does with
// astropy's objects.
func TestRuntimeValuesOrderAndContainAsPython(t *testing.T) {
	root, err := pyref.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	hdr := strconv.Quote(filepath.Join(root, "..", "shared", "data", "dkist-headers", "VISP_HEADER.hdr"))
	times := "from astropy.time import Time\nts = [Time('2020-01-02T00:00:00'), Time('2019-05-01T12:00:00'), Time('2019-05-01T06:00:00')]\n"
	checkAgainstPython(t, []string{
		times + "sorted(ts)",
		times + "sorted(ts, reverse=True)[0]",
		times + "min(ts), max(ts)",
		times + "max(ts[0], ts[1])",
		times + "sorted([ts[0], 3])",
		"from astropy.time import Time\ntry:\n    Time('2020-01-01', scale='foo')\nexcept Exception as e:\n    r = type(e).__name__\nr",
		"from astropy.time import Time\ntry:\n    Time('2020-01-01') + 'x'\nexcept TypeError as e:\n    r = str(e)\nr",
		"from astropy.io import fits\nh = fits.Header.fromtextfile(" + hdr + ")\n('NAXIS' in h, 'NOPE' in h, 'naxis' in h, 'NOPE' not in h)",
	})
}
