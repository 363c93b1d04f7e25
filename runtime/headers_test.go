package runtime

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gokist/obj"
)

// headersByGridPy lists, for the FITS files of a directory in DINDEX3 order (the grid
// order of a dataset with one spanning axis), the values astropy reads for some keywords,
// and the keywords of the grid's first file.
const headersByGridPy = `
import json, sys, glob, os
from astropy.io import fits
cfg = json.load(sys.stdin)
hs = [fits.getheader(p) for p in sorted(glob.glob(os.path.join(cfg["dir"], "*.fits")))]
hs.sort(key=lambda h: h["DINDEX3"])
out = {k: [h.get(k) for h in hs] for k in cfg["keys"]}
out["colnames"] = [k for k in hs[0].keys() if k not in ("", "COMMENT", "HISTORY")]
print(json.dumps(out))
`

// TestHeaderTableReadsFilesOnDemand checks ds.headers, ds.meta and ds.inventory against
// astropy's reading of every file, with the files named against their DINDEX order so
// that the first file by name is not the dataset's first file.
func TestHeaderTableReadsFilesOnDemand(t *testing.T) {
	dir := t.TempDir()
	for i, name := range []string{"c.fits", "b.fits", "a.fits"} {
		copyFile(t, filepath.Join(smallVISP, fmt.Sprintf("%d.fits", i)), filepath.Join(dir, name))
	}
	keys := []string{"DATE-AVG", "DINDEX3", "CRVAL1", "BUNIT", "DATE-BEG", "LINEWAV", "INSTRUME"}
	var want map[string][]any
	runPython(t, headersByGridPy, map[string]any{"dir": dir, "keys": keys}, &want)

	env := &obj.Env{Ctx: context.Background()}
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	member := func(recv obj.Object, name string) any {
		t.Helper()
		for _, m := range recv.Type().Members {
			if m.Name == name {
				v, err := m.Get(env, recv)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				return v
			}
		}
		t.Fatalf("no member %s", name)
		return nil
	}
	headers := member(ds, "headers").(obj.Indexer)
	meta := member(ds, "meta").(obj.Indexer)
	for _, table := range []obj.Indexer{headers, index(t, env, meta, "headers").(obj.Indexer)} {
		for _, k := range keys {
			got := columnList(t, index(t, env, table, k))
			if len(got) != len(want[k]) {
				t.Fatalf("headers[%q] = %v, want %v", k, got, want[k])
			}
			for i, g := range got {
				w := want[k][i]
				if f, ok := w.(float64); ok && k == "DINDEX3" {
					w = int(f)
				}
				if g != w {
					t.Errorf("headers[%q][%d] = %v (%T), astropy reads %v (%T)", k, i, g, g, w, w)
				}
			}
		}
		// Asking again gives the cached column; changing it does not change the table.
		got := columnList(t, index(t, env, table, "dindex3"))
		got[0] = "changed"
		if again := columnList(t, index(t, env, table, "DINDEX3")); again[0] != 0 {
			t.Errorf("headers['DINDEX3'][0] after a caller changed its list = %v, want 0", again[0])
		}
	}
	if _, err := headers.GetItem(env, "NOSUCHKEY"); err == nil {
		t.Error("headers['NOSUCHKEY'] gave no error")
	} else {
		wantErr(t, "missing keyword", err, "KeyError", "NOSUCHKEY")
	}

	var colnames []any
	for _, c := range member(headers.(obj.Object), "colnames").(obj.List) {
		colnames = append(colnames, c)
	}
	wantCols := want["colnames"]
	if !reflect.DeepEqual(colnames, wantCols) {
		t.Errorf("headers.colnames = %v\nastropy reads %v", colnames, wantCols)
	}

	inv := member(ds, "inventory").(obj.Indexer)
	for field, key := range map[string]string{"instrumentName": "INSTRUME", "startTime": "DATE-BEG", "wavelength": "LINEWAV"} {
		if got := index(t, env, inv, field); got != want[key][0] {
			t.Errorf("inventory[%q] = %v, want the first file's %s = %v", field, got, key, want[key][0])
		}
	}
	if got := index(t, env, inv, "frameCount"); got != 3 {
		t.Errorf("inventory['frameCount'] = %v, want 3", got)
	}
	if got := ds.bunit(); got != want["BUNIT"][0] {
		t.Errorf("bunit = %q, want %v", got, want["BUNIT"][0])
	}

	// A keyword not asked for before is read from the files, so a file removed since
	// the load is named in the error.
	if err := os.Remove(filepath.Join(dir, "b.fits")); err != nil {
		t.Fatal(err)
	}
	_, err = headers.GetItem(env, "CRPIX1")
	if err == nil {
		t.Fatal("headers['CRPIX1'] with b.fits removed gave no error")
	}
	if !strings.Contains(err.Error(), "b.fits") {
		t.Errorf("error %q does not name b.fits", err)
	}
}
