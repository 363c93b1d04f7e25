package lang

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// cursorAt splits a test cell at the `|` marker and returns the code without it and the
// cursor in code points.
func cursorAt(marked string) (string, int) {
	i := strings.Index(marked, "|")
	return marked[:i] + marked[i+1:], utf8.RuneCountInString(marked[:i])
}

func TestIsComplete(t *testing.T) {
	s := NewSession()
	cases := []struct{ code, status, indent string }{
		{"x = 1", "complete", ""},
		{"", "complete", ""},
		{"x = 1\ny = 2", "complete", ""},
		{"ds.rebin((1, 1,", "incomplete", "    "},
		{"f(\n  1,\n", "incomplete", "    "},
		{"x = [1,\n 2]", "complete", ""},
		{"x = 1 + \\", "incomplete", "    "},
		{"x = '''abc", "incomplete", "    "},
		{"x = 'abc", "invalid", ""},
		{"x = 'é\ny = 1", "invalid", ""},
		{"for i in range(3):", "incomplete", "    "},
		{"x = 1 # done:", "complete", ""},
		{"x = )", "invalid", ""},
		{"x = 1 2", "invalid", ""},
		{"ds[0, 1..5]", "invalid", ""},
		{"é = 'ü' + (", "incomplete", "    "},
	}
	for _, c := range cases {
		st, ind := s.IsComplete(c.code)
		if st != c.status || ind != c.indent {
			t.Errorf("%q: %q %q, want %q %q", c.code, st, ind, c.status, c.indent)
		}
	}
}

func TestComplete(t *testing.T) {
	s, _, out, dir := newFakeSession(t)
	for _, name := range []string{"frame_001.fits", "frame_002.fits", "index.asdf"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "frames"), 0o755); err != nil {
		t.Fatal(err)
	}
	run(t, s, out, "ds = Dataset.from_directory("+quote(dir)+")\ndataset_name = 'x'\nrebinned = ds")
	cases := []struct {
		marked string
		want   []string
		start  int // code points; -1: the cursor
	}{
		{"ds.re|", []string{"rebin"}, 3},
		{"ds.|", []string{"compute", "data", "plot", "rebin", "shape", "wcs"}, 3},
		{"ds.data.su|", []string{"sum"}, 8},
		{"ds.wcs.pix|", []string{"pixel_to_world"}, 7},
		{"x = 'é'; ds.re|", []string{"rebin"}, 12},
		{"x = 1\nds.rebin((1, 1, 1, 7)).sh|", nil, 29}, // a call before the dot is not evaluated
		{"x = 1\ny = ds.re|b", []string{"rebin"}, 13},
		{"da|", []string{"dataset_name"}, 0},
		{"reb|", []string{"rebinned"}, 0},
		{"pri|", []string{"print"}, 0},
		{"Dataset.fr|", []string{"from_directory"}, 8},
		{"ds.rebin((1, 1, 1, 7), op|", []string{"operation="}, 23},
		{"Client(n_|", []string{"n_workers="}, 7},
		{"print(1, s|", []string{"sep=", "set", "sorted", "str", "sum"}, 9},
		{"ds.plot(axes=ax,\n    line|", []string{"linestyle="}, 21},
		{"Dataset.from_directory('" + dir + "/fr|", []string{"frame_001.fits", "frame_002.fits", "frames/"}, 24 + utf8.RuneCountInString(dir) + 1},
		{"Dataset.from_directory('" + dir + "/|", []string{"frame_001.fits", "frame_002.fits", "frames/", "index.asdf"}, 24 + utf8.RuneCountInString(dir) + 1},
		{"x = 'é'\nds = Dataset.from_directory(\"" + dir + "/in|", []string{"index.asdf"}, 8 + 29 + utf8.RuneCountInString(dir) + 1},
		{"ds[0].re|", []string{"rebin"}, 6}, // literal subscripts are evaluated (metadata only)
		{"ds[0, 1:5, ...][-1].data.su|", []string{"sum"}, 25},
		{"ds[len(x)].re|", nil, 11},       // not a call inside the brackets
		{"ds[dataset_name].re|", nil, 17}, // nor a name
		{"'abc'.up|", nil, 6},             // only name chains are evaluated
		{"x = 1  # see ds.re|", nil, -1},
		{"x = '#'; ds.re|", []string{"rebin"}, 12},
		{"nosuch.x|", nil, 7},
		{"12|", nil, -1},
	}
	for _, c := range cases {
		code, cursor := cursorAt(c.marked)
		got, start, end := s.Complete(code, cursor)
		if len(got) == 0 {
			got = nil
		}
		wantStart := c.start
		if wantStart < 0 {
			wantStart = cursor
		}
		if !reflect.DeepEqual(got, c.want) || start != wantStart || end != cursor {
			t.Errorf("%q: %q [%d:%d], want %q [%d:%d]", c.marked, got, start, end, c.want, wantStart, cursor)
		}
	}
}

// TestCompleteKeywordsFirst: with nothing typed inside a call, the call's keyword
// names come first, then every name in scope.
func TestCompleteKeywordsFirst(t *testing.T) {
	s, _, out, dir := newFakeSession(t)
	run(t, s, out, "ds = Dataset.from_directory("+quote(dir)+")")
	got, start, end := s.Complete("ds.rebin(", 9)
	if len(got) < 3 || got[0] != "bin_shape=" || got[1] != "operation=" || start != 9 || end != 9 {
		t.Fatalf("%q [%d:%d]", got, start, end)
	}
	if !strings.Contains(strings.Join(got, " "), " ds ") {
		t.Errorf("names in scope missing: %q", got)
	}
}

func TestInspect(t *testing.T) {
	s, _, out, dir := newFakeSession(t)
	run(t, s, out, "ds = Dataset.from_directory("+quote(dir)+")")
	cases := []struct {
		marked string
		want   string // substring; "" means not found
	}{
		{"ds.reb|in((1, 1, 1, 7))", "rebin(bin_shape, operation='mean')"},
		{"ds.rebin|", "Rebin by whole factors"},
		{"ds.rebin((1, 1, |", "rebin(bin_shape"},
		{"x = 'é'\nds.data.s|um(axis=0)", "sum(axis=None)"},
		{"pri|nt", "print(*values"},
		{"|ds", "Help on Dataset object"},
		{"Client(|", "Client(n_workers=None)"},
		{"nosuch|", ""},
		{"1 + |", ""},
	}
	for _, c := range cases {
		code, cursor := cursorAt(c.marked)
		text, found := s.Inspect(code, cursor, 0)
		if c.want == "" {
			if found {
				t.Errorf("%q: found %q", c.marked, text)
			}
			continue
		}
		if !found || !strings.Contains(text, c.want) {
			t.Errorf("%q: %v %q, want %q", c.marked, found, text, c.want)
		}
	}
	// detail 1 gives the full docs of members too.
	short, _ := s.Inspect("ds", 2, 0)
	long, _ := s.Inspect("ds", 2, 1)
	if strings.Contains(short, "bin_shape: one factor per axis.") || !strings.Contains(long, "bin_shape: one factor per axis.") {
		t.Errorf("detail levels:\nshort %q\nlong %q", short, long)
	}
}
