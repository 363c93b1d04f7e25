package lang

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary cells to the tokenizer and parser, then to IsComplete,
// Complete and Inspect at a cursor, and to Execute on a fresh session: none may panic
// or hang, and every syntax error must point inside the cell.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"x = (1 + 2) * 3",
		"ds = dkist.Dataset.from_directory('~/sunpy/data/VISP/AGLKO')",
		"ds[0, 520:720, :, 1000:1500].data.sum(axis=(0, 2)).compute()",
		"x[500, :, int(1000/7)]\nx.plot(axes=ax, linestyle=\"--\")",
		"ds[0, ..., :-5]; rebinned._data = computed",
		"a, b = b, a\nimport matplotlib.pyplot as plt\nfrom dask.distributed import Client",
		"ds.rebin?",
		"f(\n  1,\n  k='''x\ny''')",
		"ds[0, 1..5]",
		"x = 'unterminated",
		"1 < x < 10 and not y or z if c else -2 ** -1",
		"{'a': [1, (2,)]}['a'][1][0]",
		"é = 'ü' # comment\\\n",
		"x += 1; del x; pass",
		"((((((((((1))))))))))",
		`print(f"{x:>10.3f} {d['a']!r} {{}} {y=} {t[0]:,}")`,
		"f'''{\n x \n}''' rf'{x}\\n' f\"{x:{w}}\" f'{' f'}' f'{x!'",
		"r'\\d' b'x' 0x1F 1_000 .5e-3",
	}
	// Cells nested far past the limits once ended the process with a Go stack overflow;
	// a chain of three comparisons once panicked in the parser. The deep seeds run in
	// full; the fuzzer's mutations of them are skipped like any long input, since
	// mutating and minimizing 600 KB cells would stall it.
	deep := map[string]bool{
		strings.Repeat("(", 300000) + "1" + strings.Repeat(")", 300000): true,
		strings.Repeat("-", 300000) + "1":                               true,
		"x" + strings.Repeat("[0", 1000) + strings.Repeat("]", 1000):    true,
	}
	for s := range deep {
		seeds = append(seeds, s)
	}
	seeds = append(seeds, "1 < 2 < 3 < 4")
	for _, s := range seeds {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, code string, cursor int) {
		if !utf8.ValidString(code) || len(code) > 2000 && !deep[code] {
			return
		}
		// A hang becomes a crash the fuzzer records, with the input.
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				panic(fmt.Sprintf("hang on %q", code))
			}
		}()
		stmts, err := parseCell(code)
		if err != nil {
			if err.pos < 0 || err.pos > len(code) {
				t.Fatalf("error position %d outside cell of %d bytes", err.pos, len(code))
			}
		} else {
			for _, s := range stmts {
				if s.pos < 0 || s.pos > len(code) {
					t.Fatalf("statement position %d outside the cell", s.pos)
				}
			}
		}
		s := NewSession()
		s.IsComplete(code)
		n := utf8.RuneCountInString(code)
		if n > 0 {
			cursor = ((cursor % (n + 1)) + n + 1) % (n + 1)
		} else {
			cursor = 0
		}
		_, start, end := s.Complete(code, cursor)
		if start < 0 || start > end || end > n {
			t.Fatalf("completion range %d:%d outside 0:%d", start, end, n)
		}
		s.Inspect(code, cursor, 0)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, xerr := s.Execute(ctx, code, nil)
		if le, ok := xerr.(*Error); ok && le.Class == "RuntimeError" {
			t.Fatalf("runtime error (a bug) for %q: %v", code, le)
		}
	})
}
