package rcparams

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
)

const mplPrelude = "import json\nimport matplotlib\nmatplotlib.use('Agg')\nfrom matplotlib import rcParams\n"

// Assigning rcParams[key] stores what matplotlib's validator stores (read back as
// rcParams[key]) or refuses the value with matplotlib's error, case by case against
// matplotlib itself.
func TestAssignmentsMatchMatplotlib(t *testing.T) {
	cases := []struct {
		key string
		py  string // the value as Python writes it
		val any    // the same value as a cell gives it
	}{
		{"figure.figsize", "(8, 4)", obj.Tuple{8, 4}},
		{"figure.figsize", "[3.5, 2]", obj.List{3.5, 2}},
		{"figure.dpi", "150", 150},
		{"font.size", "12", 12},
		{"lines.linewidth", "2.5", 2.5},
		{"lines.markersize", "3", 3},
		{"image.cmap", "'magma'", "magma"},
		{"axes.grid", "True", true},
		{"axes.grid", "'yes'", "yes"},
		{"axes.grid", "'off'", "off"},
		{"savefig.dpi", "'figure'", "figure"},
		{"savefig.dpi", "200", 200},
		{"savefig.format", "'pdf'", "pdf"},
		{"figure.max_open_warning", "5", 5},
		{"figure.dpi", "'abc'", "abc"},
		{"axes.grid", "'maybe'", "maybe"},
		{"figure.dpix", "100", 100},
	}
	code := make([]string, len(cases))
	for i, c := range cases {
		code[i] = fmt.Sprintf("matplotlib.rcdefaults()\nrcParams[%q] = %s\nrcParams[%q]", c.key, c.py, c.key)
	}
	res := pyref.Batch(t, mplPrelude, code)
	for i, c := range cases {
		r := New()
		err := r.SetItem(nil, c.key, c.val)
		if res[i].Type != "" {
			var e *obj.Error
			if !errors.As(err, &e) || e.Class != res[i].Type || !strings.Contains(e.Msg, res[i].Message) {
				t.Errorf("rcParams[%q] = %s: ours %v, matplotlib %s", c.key, c.py, err, res[i].Err())
			}
			continue
		}
		if err != nil {
			t.Errorf("rcParams[%q] = %s: ours %v, matplotlib stores %s", c.key, c.py, err, res[i].Value)
			continue
		}
		var want, got any
		if err := json.Unmarshal(res[i].Value, &want); err != nil {
			t.Fatalf("%s: %v", c.key, err)
		}
		b, err := json.Marshal(plain(r.Value(c.key)))
		if err != nil {
			t.Fatalf("%s: %v", c.key, err)
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%s: %v", c.key, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("rcParams[%q] = %s: ours stores %s, matplotlib %s", c.key, c.py, b, res[i].Value)
		}
	}
}

// plain turns a stored value's Python lists into Go slices for encoding/json.
func plain(v any) any {
	if l, ok := v.(obj.List); ok {
		return []any(l)
	}
	return v
}

// rc_context restores every parameter it changed on exit, as matplotlib's does, and
// plt.rc(group, **kw) sets group.key, reading matplotlib's alias lw.
func TestContextRestoresAndRcSetsGroups(t *testing.T) {
	res := pyref.Batch(t, mplPrelude, []string{
		"matplotlib.rcdefaults()\nwith matplotlib.rc_context({'font.size': 20, 'lines.linewidth': 4}):\n    inside = [rcParams['font.size'], rcParams['lines.linewidth']]\n[inside, [rcParams['font.size'], rcParams['lines.linewidth']]]",
		"matplotlib.rcdefaults()\nmatplotlib.rc('lines', lw=3, markersize=9)\n[rcParams['lines.linewidth'], rcParams['lines.markersize']]",
	})
	var ctxWant, rcWant any
	if err := json.Unmarshal(res[0].Value, &ctxWant); err != nil {
		t.Fatalf("rc_context: %v (%s)", err, res[0].Err())
	}
	if err := json.Unmarshal(res[1].Value, &rcWant); err != nil {
		t.Fatalf("rc: %v (%s)", err, res[1].Err())
	}
	r := New()
	cm, err := NewContext(r, obj.Args{Pos: []any{map[string]any{"font.size": 20, "lines.linewidth": 4}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := cm.(obj.ContextManager)
	if _, err := ctx.Enter(nil); err != nil {
		t.Fatal(err)
	}
	inside := []any{r.Value("font.size"), r.Value("lines.linewidth")}
	if err := ctx.Exit(nil, nil); err != nil {
		t.Fatal(err)
	}
	after := []any{r.Value("font.size"), r.Value("lines.linewidth")}
	if got := jsonValue(t, []any{inside, after}); !reflect.DeepEqual(got, ctxWant) {
		t.Errorf("rc_context: ours %v, matplotlib %v", got, ctxWant)
	}
	if err := SetGroup(r, obj.Args{Pos: []any{"lines"}, Kw: map[string]any{"lw": 3, "markersize": 9}}); err != nil {
		t.Fatal(err)
	}
	if got := jsonValue(t, []any{r.Value("lines.linewidth"), r.Value("lines.markersize")}); !reflect.DeepEqual(got, rcWant) {
		t.Errorf("rc('lines', lw=3, markersize=9): ours %v, matplotlib %v", got, rcWant)
	}
}

// jsonValue is v as encoding/json reads it back (numbers as float64).
func jsonValue(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
