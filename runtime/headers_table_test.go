package runtime

import (
	"encoding/json"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
	"gokist/runtime/table"
)

// columnList is a headers column's values.
func columnList(t *testing.T, v any) obj.List {
	t.Helper()
	c, ok := v.(*table.Column)
	if !ok {
		t.Fatalf("a headers column is a %T, not a Column", v)
	}
	return obj.List(c.Values)
}

// TestHeadersTableAsAstropy: ds.headers is a Table with one row per file in grid order,
// sliced with the dataset (dkist's ds[1].headers), whose columns and reprs are those of
// an astropy Table made from the same files' headers.
func TestHeadersTableAsAstropy(t *testing.T) {
	dir := writeSmall(t, []int{2, 3, 4, 5})
	env := testEnv()
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	stokesQ, err := ds.GetItem(env, 1)
	if err != nil {
		t.Fatal(err)
	}
	files := stokesQ.(*Dataset).Info.Files
	headers := callMember(t, env, stokesQ, "headers", obj.Args{}).(*table.Table)
	if headers.Len() != 3 {
		t.Fatalf("ds[1].headers has %d rows, want the 3 files of Stokes Q", headers.Len())
	}
	sub, err := headers.GetItem(env, obj.Tuple{"DINDEX3", "STOKES", "CRVAL3", "DATE-AVG"})
	if err != nil {
		t.Fatal(err)
	}
	ip := func(v int) *int { return &v }
	rows, err := sub.(obj.Indexer).GetItem(env, obj.Slice{Start: ip(1)})
	if err != nil {
		t.Fatal(err)
	}
	in, _ := json.Marshal(files)
	out := pyref.RunInput(t, in, `
import json, sys
from astropy.io import fits
from astropy.table import Table
files = json.load(sys.stdin)
names = ["DINDEX3", "STOKES", "CRVAL3", "DATE-AVG"]
hs = [fits.getheader(f) for f in files]
t = Table(rows=[[h[n] for n in names] for h in hs], names=names)
json.dump({"table": repr(t[1:]), "keys": [k for k in hs[0].keys() if k not in ("COMMENT", "HISTORY", "")], "crval3": repr(t["CRVAL3"])}, sys.stdout)
`)
	var want struct {
		Table, CRVAL3 string
		Keys          []string
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got := rows.(obj.MimeBundler).MimeBundle()["text/plain"]; got != want.Table {
		t.Errorf("ds[1].headers[names][1:]:\ngokist:\n%s\nastropy:\n%s", got, want.Table)
	}
	col, _ := headers.GetItem(env, "CRVAL3")
	if got := col.(obj.MimeBundler).MimeBundle()["text/plain"]; got != want.CRVAL3 {
		t.Errorf("headers['CRVAL3']:\ngokist:\n%s\nastropy:\n%s", got, want.CRVAL3)
	}
	keys := callMember(t, env, headers, "keys", obj.Args{}).(obj.List)
	if strings.Join(toStrings(keys), ",") != strings.Join(want.Keys, ",") {
		t.Errorf("keys() %v\nastropy's header keys %v", keys, want.Keys)
	}
	if html, _ := headers.MimeBundle()["text/html"].(string); !strings.Contains(html, "<th>DINDEX3</th>") || !strings.Contains(html, "Table length=3") {
		t.Errorf("HTML repr %.200q", html)
	}
}

func toStrings(l obj.List) []string {
	out := make([]string, len(l))
	for i, v := range l {
		out[i], _ = v.(string)
	}
	return out
}
