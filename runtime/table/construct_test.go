package table_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/lang"
	"gokist/obj"
)

// tableCell runs a cell in s and gives its value's text and HTML, or "Class: message".
func tableCell(t *testing.T, s *lang.Session, code string) (string, string) {
	t.Helper()
	res, err := s.Execute(context.Background(), code, nil)
	if err != nil {
		var e *obj.Error
		if errors.As(err, &e) {
			return e.Class + ": " + e.Msg, ""
		}
		return "error: " + err.Error(), ""
	}
	text, _ := res["text/plain"].(string)
	h, _ := res["text/html"].(string)
	return text, h
}

// stripTableID removes the id="table…" astropy gives each HTML table (a memory address).
func stripTableID(h string) string {
	i := strings.Index(h, ` id="table`)
	if i < 0 {
		return h
	}
	j := strings.Index(h[i+1:], `"`)
	k := strings.Index(h[i+1+j+1:], `"`)
	return h[:i] + h[i+1+j+1+k+1:]
}

// TestTableConstructorsMatchAstropy builds tables in every constructor form a notebook
// uses (a dict of columns in a non-sorted order, a list of columns with names=, rows as
// tuples and as dicts, Table() then t['a'] = ..., add_column, add_row, dtype=, meta=,
// units from Quantities, Column()) and compares the text and HTML reprs, and the errors
// (mismatched lengths, duplicate names, a wrong number of names or values, replacing a
// column), with astropy.table 5.2's.
func TestTableConstructorsMatchAstropy(t *testing.T) {
	pyref.Require(t, "astropy", "numpy")
	cases := []string{
		`Table({"b": [1, 2, 3], "a": [1.5, 2.0, -3.25], "c": ["x", "yy", "z"]})`,
		`Table({"zeta": [True, False], "alpha": [1, None]})`,
		`Table([[1, 2], [3.0, 4.0]], names=("a", "b"))`,
		`Table([[1, 2], [3.0, 4.0]])`,
		`Table(rows=[(1, 2.0, "x"), (3, 4.0, "y")], names=["a", "b", "c"])`,
		`Table(rows=[{"k": 1, "b": 2}, {"k": 3, "b": 4}])`,
		`t = Table(); t["a"] = [1, 2]; t["x"] = [1, 2] * u.m; t`,
		`t = Table(); t["a"] = [1, 2]; t["x"] = [1, 2] * u.m; t["x"]`,
		`t = Table(); t["a"] = [1, 2]; t["x"] = [1.5, 2] * u.km / u.s; t.add_column([5, 6], name="c"); t.add_row([3, 4.0, 7]); t`,
		`t = Table({"a": [1, 2]}); t.add_column(Column([7, 8], name="n")); t.add_column([0.5, 0.25], index=0, name="first"); t`,
		`t = Table({"a": [1, 2], "s": ["p", "q"]}); t.add_row({"a": 9}); t`,
		`t = Table({"a": [1, 2]}); t["b"] = 5; t`,
		`t = Table({"a": [1, 2]}); t["a"] = [3, 4]; t`,
		`t = Table([[1, 2]], names=["a"], dtype=[float], meta={"k": 1}); (t.meta, t)`,
		`Table({"a": [1, 2], "b": [3, 4]}, dtype=["f4", "i8"])`,
		`Table({"a": [0.1, 2.5]}, dtype=["f4"])["a"]`,
		`Table([np.arange(3), np.linspace(0, 1, 3)], names=["i", "f"])`,
		`Table({"a": [1, 2]}, units={"a": "m"})`,
		`Table({"a": list(range(30)), "b": [x * 0.5 for x in range(30)]})`,
		`Table({"a": [1, 2], "b": [1]})`,
		`Table([[1], [2]], names=["a", "a"])`,
		`Table([[1], [2]], names=["a"])`,
		`Table(rows=[(1, 2), (3,)], names=["a", "b"])`,
		`t = Table({"a": [1, 2]}); t["b"] = [1, 2, 3]`,
		`t = Table({"a": [1, 2]}); t.add_row([1, 2])`,
		`t = Table({"a": [1, 2]}); t.add_column([1, 2], name="a")`,
		`Table({"a": [1, 2]})["z"]`,
		`Table({"a": [1]}, rows=[(1,)])`,
		`Column([1, 2], name="d", unit="s")`,
		`len(Table(rows=[(1,), (2,), (3,)]))`,
		`Table({"a": [1, 2], "b": ["x", "y"]})[1]`,
		`QTable({"a": [1, 2], "x": [1.5, 2] * u.m})`,
		`Column([1, 2])`,
		`str(Table({"a": [1, 2], "bb": [22, 3]}))`,
		`str(Table({"a": list(range(50)), "b": [x * 0.5 for x in range(50)]}))`,
		`str(Table({"a": list(range(23))}))`,
		`str(Table({"a": list(range(24))}))`,
		`str(QTable({"x": [1.5, 2] * u.m, "n": [1, 2]}))`,
		`t = Table(); t["v"] = [3, 4] * u.km / u.s; str(t)`,
		`str(Table())`,
		`str(Column([1.5, 2], name="b", unit="km / s"))`,
		`str(Column(list(range(50)), name="a"))`,
		`str(Column(list(range(24)), name="a", unit="m"))`,
		`str(Column([1, 2]))`,
		`str(Column(["ab", "c"], name="s"))`,
		`str(Table({"a": [1, 2]})["a"])`,
		`Column([1.5, 2], name="b", unit="m", description="hello")`,
		`Column([1, 2], name="b", description="d").description`,
		`repr(Column([1, 2]).description)`,
		`Column([1, 2, 3], name="b", description="d")[1:]`,
		`t = Table({"a": [1, 2], "b": [3, 4], "c": [5, 6]}); t.remove_column("b"); t.rename_column("a", "z"); t`,
		`t = Table({"a": [1, 2], "b": [3, 4], "c": [5, 6]}); t.remove_columns(["a", "c"]); t`,
		`t = Table({"a": [1, 2]}); t.remove_column("q")`,
		`t = Table({"a": [1, 2]}); t.rename_column("q", "r")`,
		`t = Table({"a": [1, 2]}, units={"a": "s"}); t.rename_column("a", "a"); t.rename_column("a", "b"); t`,
		`QTable({"a": [1, 2], "x": [1.5, 2] * u.m})["x"]`,
		`QTable({"a": [1, 2], "x": [1.5, 2] * u.m})["a"]`,
		`t = QTable(); t["v"] = [3, 4] * u.km / u.s; t.add_row([5 * u.m / u.s]); t`,
		`t = Table(); t["v"] = [3, 4] * u.km / u.s; t.add_row([5 * u.m / u.s]); t["v"]`,
		`t = Table(); t["v"] = [3, 4] * u.km / u.s; t.add_row([5 * u.s]); t`,
		`t = QTable(); t["v"] = [3, 4] * u.km / u.s; t.add_row([5 * u.s])`,
	}
	prelude := "import numpy as np\nimport astropy.units as u\nfrom astropy.table import Table, QTable, Column"
	ref := pyref.Batch(t, prelude, cases)
	s := lang.NewSession()
	if _, err := s.Execute(context.Background(), prelude, nil); err != nil {
		t.Fatal(err)
	}
	var htmlCodes, htmlGot []string
	for i, code := range cases {
		want := ref[i].Repr
		if ref[i].Type != "" {
			want = ref[i].Err()
		}
		got, gotHTML := tableCell(t, s, code)
		if ref[i].Type != "" {
			if got != want {
				t.Errorf("%s\n got %s\nwant %s", code, got, want)
			}
			continue
		}
		if got != want {
			t.Errorf("%s\n got %s\nwant %s", code, got, want)
		}
		if strings.HasPrefix(want, "<Table") || strings.HasPrefix(want, "<QTable") {
			htmlCodes = append(htmlCodes, htmlCase(code))
			htmlGot = append(htmlGot, gotHTML)
		}
	}
	if len(htmlCodes) < 10 {
		t.Errorf("only %d tables had their HTML compared", len(htmlCodes))
	}
	for i, r := range pyref.Batch(t, prelude, htmlCodes) {
		var want string
		if err := json.Unmarshal(r.Value, &want); err != nil {
			t.Fatalf("%s: %v %s", htmlCodes[i], err, r.Err())
		}
		if stripTableID(want) != htmlGot[i] {
			t.Errorf("%s\n got %s\nwant %s", htmlCodes[i], htmlGot[i], stripTableID(want))
		}
	}
}

// htmlCase is a case whose last expression gives its _repr_html_().
func htmlCase(code string) string {
	code = strings.TrimSpace(code)
	i := strings.LastIndex(code, "; ")
	if i < 0 {
		return "(" + code + ")._repr_html_()"
	}
	return code[:i+2] + "(" + code[i+2:] + ")._repr_html_()"
}
