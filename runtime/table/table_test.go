package table

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
)

// reprsPy builds the same tables with astropy and prints their reprs: a small mixed
// table, a long one (cut to its first and last rows), a wide one (cut to its first and
// last columns), a column, a row, a sorted table, a slice and a column selection.
const reprsPy = `
import json, sys
import numpy as np
from astropy.table import Table
small = Table({"DINDEX3": np.array([3, 1, 13]), "STOKES": np.array(["I", "Q", "UU"]),
               "DATAMEAN": np.array([0.9798824672587216, -6.3e-05, 12.0]), "WCSVALID": np.array([True, False, True])})
long = Table({"A": np.arange(40), "B": np.arange(40) * 0.5})
wide = Table({("COL%02d" % i): np.arange(3) * i for i in range(30)})
wide["S"] = ["a", "bb", "c"]
srt = small.copy(); srt.sort("DINDEX3")
out = {"small": repr(small), "long": repr(long), "wide": repr(wide), "column": repr(small["DATAMEAN"]),
       "strcol": repr(small["STOKES"]), "row": repr(small[1]), "sorted": repr(srt), "slice": repr(small[1:]),
       "select": repr(small["STOKES", "DINDEX3"]), "reversed": repr(long[::-7]), "html_head": small._repr_html_().split("\n")[2:4]}
json.dump(out, sys.stdout)
`

func mixed() *Table {
	return FromColumns([]string{"DINDEX3", "STOKES", "DATAMEAN", "WCSVALID"}, [][]any{
		{3, 1, 13}, {"I", "Q", "UU"}, {0.9798824672587216, -6.3e-05, 12.0}, {true, false, true}})
}

func text(t *testing.T, v any) string {
	t.Helper()
	return v.(obj.MimeBundler).MimeBundle()["text/plain"].(string)
}

func item(t *testing.T, v any, key any) any {
	t.Helper()
	out, err := v.(obj.Indexer).GetItem(&obj.Env{Ctx: context.Background()}, key)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReprsAsAstropy: tables, columns and rows print as astropy prints them.
func TestReprsAsAstropy(t *testing.T) {
	var want map[string]any
	if err := json.Unmarshal(pyref.Run(t, reprsPy), &want); err != nil {
		t.Fatal(err)
	}
	small := mixed()
	longA, longB := make([]any, 40), make([]any, 40)
	for i := range 40 {
		longA[i], longB[i] = i, float64(i)*0.5
	}
	long := FromColumns([]string{"A", "B"}, [][]any{longA, longB})
	var wideNames []string
	var wideVals [][]any
	for i := range 30 {
		wideNames = append(wideNames, "COL"+string(rune('0'+i/10))+string(rune('0'+i%10)))
		wideVals = append(wideVals, []any{0, i, 2 * i})
	}
	wide := FromColumns(append(wideNames, "S"), append(wideVals, []any{"a", "bb", "c"}))
	sorted := mixed()
	if err := sorted.Sort(context.Background(), []string{"DINDEX3"}); err != nil {
		t.Fatal(err)
	}
	ip := func(v int) *int { return &v }
	got := map[string]string{
		"small": text(t, small), "long": text(t, long), "wide": text(t, wide),
		"column": text(t, item(t, small, "DATAMEAN")), "strcol": text(t, item(t, small, "STOKES")),
		"row": text(t, item(t, small, 1)), "sorted": text(t, sorted),
		"slice":    text(t, item(t, small, obj.Slice{Start: ip(1)})),
		"select":   text(t, item(t, small, obj.Tuple{"STOKES", "DINDEX3"})),
		"reversed": text(t, item(t, long, obj.Slice{Step: ip(-7)})),
	}
	for k, g := range got {
		if g != want[k] {
			t.Errorf("%s:\ngokist:\n%s\nastropy:\n%s", k, g, want[k])
		}
	}
	html := small.MimeBundle()["text/html"].(string)
	for _, line := range want["html_head"].([]any) {
		if !strings.Contains(html, line.(string)) {
			t.Errorf("HTML repr lacks astropy's %q:\n%s", line, html)
		}
	}
}

// TestColumnsAndErrors: a numeric column is an array for numpy, a text one is not; a
// missing column is a KeyError naming the closest; reading is lazy and once per column.
func TestColumnsAndErrors(t *testing.T) {
	src := &countingSource{memSource: memSource{names: []string{"NAXIS1", "STOKES"}, values: [][]any{{2555, 2555}, {"I", "Q"}}}}
	tab := New(src)
	if src.calls != 0 {
		t.Fatal("making the table read columns")
	}
	c := item(t, tab, "NAXIS1").(*Column)
	if f, err := c.Float64s(); err != nil || len(f) != 2 || f[0] != 2555 {
		t.Errorf("NAXIS1 as numbers: %v %v", f, err)
	}
	item(t, tab, "NAXIS1")
	if src.calls != 1 {
		t.Errorf("the source was asked %d times for one column asked twice", src.calls)
	}
	if _, err := item(t, tab, "STOKES").(*Column).Float64s(); err == nil {
		t.Error("a text column converted to numbers")
	}
	_, err := tab.GetItem(&obj.Env{}, "NAXIS")
	var oe *obj.Error
	if e, ok := err.(*obj.Error); ok {
		oe = e
	}
	if oe == nil || oe.Class != "KeyError" || oe.Hint != "did you mean 'NAXIS1'?" {
		t.Errorf("a missing column: %v", err)
	}
	if n := len(tab.Items()); n != 2 {
		t.Errorf("len(table) = %d", n)
	}
	if v := item(t, item(t, tab, -1), "STOKES"); v != "Q" {
		t.Errorf("table[-1]['STOKES'] = %v", v)
	}
}

type countingSource struct {
	memSource
	calls int
}

func (c *countingSource) Columns(ctx context.Context, names []string) ([][]any, error) {
	c.calls++
	return c.memSource.Columns(ctx, names)
}

// TestColumnArithmetic: numeric columns combine with numbers and columns elementwise
// with numpy's values and types.
func TestColumnArithmetic(t *testing.T) {
	out := pyref.Run(t, `
import json, sys
import numpy as np
a = np.array([3, 1, 13]); b = np.array([0.5, -2.0, 4.0])
r = {"a*2": (a * 2).tolist(), "a/4": (a / 4).tolist(), "b-a": (b - a).tolist(), "10-a": (10 - a).tolist(), "a**2": (a ** 2).tolist(), "2.5*b": (2.5 * b).tolist()}
json.dump({k: [repr(x) for x in v] for k, v in r.items()}, sys.stdout)
`)
	var want map[string][]string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	a := &Column{Name: "A", Values: []any{3, 1, 13}}
	b := &Column{Name: "B", Values: []any{0.5, -2.0, 4.0}}
	env := &obj.Env{Ctx: context.Background()}
	op := func(c *Column, o string, other any, reflected bool) *Column {
		r, handled, err := c.BinaryOp(env, o, other, reflected)
		if err != nil || !handled {
			t.Fatalf("%s: %v %v", o, handled, err)
		}
		return r.(*Column)
	}
	got := map[string]*Column{"a*2": op(a, "*", 2, false), "a/4": op(a, "/", 4, false), "b-a": op(b, "-", a, false),
		"10-a": op(a, "-", 10, true), "a**2": op(a, "**", 2, false), "2.5*b": op(b, "*", 2.5, true)}
	for k, c := range got {
		var reprs []string
		for _, v := range c.Values {
			reprs = append(reprs, cellText(v, ""))
		}
		if strings.Join(reprs, ",") != strings.Join(want[k], ",") {
			t.Errorf("%s = %v, numpy %v", k, reprs, want[k])
		}
	}
	if _, handled, _ := a.BinaryOp(env, "*", "text", false); handled {
		t.Error("a column times a string was handled")
	}
}
