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

// FuzzStatements feeds cells of blocks, functions, comprehensions and magics to the
// parser, IsComplete and Execute (with a deadline): none may panic, hang or report an
// internal error, every statement of every block lies inside the cell, and blocks
// nested past the limit are a SyntaxError.
func FuzzStatements(f *testing.F) {
	var deepIf strings.Builder
	for i := range 120 {
		deepIf.WriteString(strings.Repeat(" ", i) + "if True:\n")
	}
	deepIf.WriteString(strings.Repeat(" ", 120) + "pass\n")
	seeds := []string{
		"for i in range(3):\n    if i % 2:\n        continue\n    print(i)\nelse:\n    pass",
		"def f(a, b=2, *args, c=3, **kw):\n    global g\n    g = a\n    return [x * b for x in args if x]\nf(1, 2, 3)",
		"try:\n    raise ValueError('x')\nexcept (KeyError, ValueError) as e:\n    print(e)\nelse:\n    pass\nfinally:\n    del g",
		"while True:\n    break\nwith plt.rc_context({}):\n    pass",
		"f = lambda *a, **k: (a, k)\n{k: v for k, v in zip('ab', range(2))}, {x for x in 'aa'}, sum(i for i in [1])",
		"a, *b = [1, 2, 3]\nd = {**{}}\nd['k'] = [*b]\nassert d, 'msg'",
		"%%time\nx = 1\n%timeit -n 1 -r 1 y = x",
		"if x:\n  pass\n elif y:",
		"def f():\n\treturn\n        x",
		"x = []\nx.append(x)\nx == x, str(x)",
		"l = []\nwhile True:\n    l.append([0] * 1000)",
		deepIf.String(),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		if !utf8.ValidString(code) || len(code) > 20000 {
			return
		}
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
		if err != nil && (err.pos < 0 || err.pos > len(code)) {
			t.Fatalf("error position %d outside cell of %d bytes", err.pos, len(code))
		}
		var walk func([]*stmt)
		walk = func(body []*stmt) {
			for _, s := range body {
				if s.pos < 0 || s.pos > len(code) {
					t.Fatalf("statement position %d outside the cell", s.pos)
				}
				walk(s.body)
				walk(s.orelse)
				walk(s.final)
				for _, h := range s.handlers {
					walk(h.body)
				}
				if s.fn != nil {
					walk(s.fn.body)
				}
			}
		}
		walk(stmts)
		s := NewSession()
		s.IsComplete(code)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, xerr := s.Execute(ctx, code, nil)
		if le, ok := xerr.(*Error); ok && le.Class == "RuntimeError" && strings.Contains(le.Hint, "bug") {
			t.Fatalf("internal error for %q: %v", code, le)
		}
	})
}
