package lang

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
)

// pythonInts evaluates integer expressions with /usr/bin/python3 (arbitrary precision)
// and returns each exact result as decimal text.
func pythonInts(t *testing.T, exprs []string) []string {
	t.Helper()
	script := "import sys\nfor line in sys.stdin.read().splitlines():\n    print(eval(line))\n"
	out := pyref.RunInput(t, []byte(strings.Join(exprs, "\n")), script)
	return strings.Fields(string(out))
}

// Integer arithmetic either gives Python's exact answer or, when that does not fit in 64
// bits, an OverflowError; it never wraps around (2**64 was 0, 2**63 negative).
func TestIntegerArithmeticNeverWraps(t *testing.T) {
	exprs := []string{
		"2**10000", "2**63", "2**62*2", "2**62*-2", "9223372036854775807 + 1",
		"-9223372036854775807 - 1", "-9223372036854775807 - 2", "3**39", "3**40",
		"(-2)**63", "(-2)**64", "4611686018427387904 * -2", "-4611686018427387904 * -2",
		"10**18 * 10", "10**18 * 9", "0**0", "7**0", "(-1)**10001", "-9223372036854775807 - 1 + 5",
		"round(1e19)", "round(-1e300)", "round(-9.2e18)", "abs(-9223372036854775807 - 1)", "-(-9223372036854775807 - 1)",
		"(-9223372036854775807 - 1) // -1", "(-9223372036854775807 - 1) % -1", "1 << 63", "-1 << 63", "3 << 62", "1 << 62",
		"5 << 100", "0 << 100", "-5 >> 100", "-(-9223372036854775808)",
	}
	want := pythonInts(t, exprs)
	s := NewSession()
	for i, code := range exprs {
		exact, _ := strconv.ParseInt(want[i], 10, 64)
		fits := strconv.FormatInt(exact, 10) == want[i]
		res, err := s.Execute(context.Background(), code, nil)
		if fits {
			if err != nil || res["text/plain"] != want[i] {
				t.Errorf("%s = %v (error %v), Python gives %s", code, res["text/plain"], err, want[i])
			}
			continue
		}
		e, ok := err.(*Error)
		if !ok || e.Class != OverflowError || !strings.Contains(e.Hint, "float") {
			t.Errorf("%s: result %v, error %v; want an OverflowError suggesting a float (Python: %s)", code, res, err, want[i])
		}
	}
	// A float power past the largest float is an OverflowError, as in Python; small
	// results still underflow to 0.0.
	if _, err := s.Execute(context.Background(), "2.0**10000", nil); err == nil || err.(*Error).Class != OverflowError {
		t.Errorf("2.0**10000: %v", err)
	}
	if res, err := s.Execute(context.Background(), "2.0**-2000", nil); err != nil || res["text/plain"] != "0.0" {
		t.Errorf("2.0**-2000 = %v, %v", res, err)
	}
	// An integer literal past 64 bits is refused where it is written, never turned into
	// a float behind the user's back (10000000000000000000 // 3 was 3.33e18).
	_, err := s.Execute(context.Background(), "x = 1\ny = 10000000000000000000 // 3", nil)
	if e, ok := err.(*Error); !ok || e.Class != obj.SyntaxError || e.Line != 2 || e.Col != 5 || !strings.Contains(e.Hint, "10000000000000000000.0") {
		t.Errorf("a literal past 64 bits: %#v", err)
	}
}

// pythonEvals evaluates Python expressions with /usr/bin/python3 and returns each
// result's str(), one per expression (newlines escaped).
func pythonEvals(t *testing.T, prelude string, exprs []string) []string {
	t.Helper()
	script := "import sys\n" + prelude + "\nfor line in sys.stdin.read().split('\\x00'):\n    print(str(eval(line)).replace('\\n', '\\\\n'))\n"
	out := pyref.RunInput(t, []byte(strings.Join(exprs, "\x00")), script)
	return strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
}

// f-strings format like Python's: the same expressions give the same text.
func TestFStringsMatchPython(t *testing.T) {
	prelude := "x = 3.14159; n = -42; big = 1234567; s = 'ab'; t = (1, 2); z = 0.0; tiny = 1.5e-7"
	exprs := []string{
		`f"{x:.3f}"`, `f"{x}"`, `f"{n}"`, `f"x={x:.2f} n={n}"`, `f"{x:>10.2f}|"`, `f"{x:<10.2e}|"`,
		`f"{-x:+08.3f}"`, `f"{big:,}"`, `f"{big:_}"`, `f"{0.25:.1%}"`, `f"{255:#x}"`, `f"{255:X}"`,
		`f"{255:b}"`, `f"{s:^6}|"`, `f"{s:*>5}"`, `f"{{lit}} {s!r}"`, `f"{t}"`, `f"{x=}"`, `f"{n = }"`,
		`f"{x:g}"`, `f"{big:g}"`, `f"{tiny:g}"`, `f"{tiny}"`, `f"{x:.3}"`, `f"{100.0:.3}"`, `f"{z:.2f}"`,
		`f"{n:5d}|"`, `f"{n:05d}"`, `f"{big:,.2f}"`, `f"{x:10}|"`, `f"{s:10}|"`, `f"{True}"`, `f"{None}"`,
		`f"{1e20:.3e}"`, `f"{x:.0f}"`, `f"{7:.2f}"`, `f'{t[0] + 1:03d}'`, `f"{'q' + s}"`, `f"a\tb"`,
		`f"{x:e}"`, `f"{big:.3g}"`, `f"{0.0001:g}"`, `f"{123456789.0:.4g}"`, `f"{x:.10g}"`,
	}
	want := pythonEvals(t, prelude, exprs)
	s := NewSession()
	if _, err := s.Execute(context.Background(), prelude, nil); err != nil {
		t.Fatal(err)
	}
	for i, code := range exprs {
		out := &captured{}
		_, err := s.Execute(context.Background(), "print("+code+")", out)
		got := strings.ReplaceAll(strings.TrimSuffix(out.text, "\n"), "\n", "\\n")
		if err != nil || got != want[i] {
			t.Errorf("%s: got %q (error %v), Python prints %q", code, got, err, want[i])
		}
	}
	// Mistakes are SyntaxErrors or Python's errors, pointing into the string.
	bad := []struct{ code, class, msg string }{
		{`f"{x"`, "SyntaxError", "expecting '}'"},
		{`f"{}"`, "SyntaxError", "empty expression"},
		{`f"a } b"`, "SyntaxError", "single '}'"},
		{`f"{x:.3q}"`, "ValueError", "Unknown format code 'q'"},
		{`f"{s:d}"`, "ValueError", "Unknown format code 'd' for object of type 'str'"},
		{`f"{undefined_name}"`, "NameError", "undefined_name"},
		{`f"{x!z}"`, "SyntaxError", "invalid conversion character"},
	}
	for _, c := range bad {
		_, err := s.Execute(context.Background(), c.code, nil)
		e, ok := err.(*Error)
		if !ok || e.Class != c.class || !strings.Contains(e.Msg, c.msg) {
			t.Errorf("%s: error %v, want %s containing %q", c.code, err, c.class, c.msg)
		}
	}
	// The error of an expression inside the braces points at it.
	_, err := s.Execute(context.Background(), `y = f"value {x.nope}"`, nil)
	if e, ok := err.(*Error); !ok || e.Class != "AttributeError" || e.Col != 16 {
		t.Errorf("attribute error inside an f-string: %#v", err)
	}
}

// captured is an obj.Output keeping stdout text.
type captured struct {
	obj.Discard
	text string
}

func (c *captured) Stream(name, text string) {
	if name == "stdout" {
		c.text += text
	}
}

// Python forms gokist does not have fail with a SyntaxError that says so, at the right
// place; an indented line is Python's "unexpected indent" instead of being run silently;
// and the session keeps working afterwards.
func TestUnsupportedFormsSaySo(t *testing.T) {
	s := NewSession()
	cases := []struct {
		code      string
		line, col int
		msg, hint string
	}{
		{"class A:\n    pass", 1, 1, "class definitions are not supported", "functions"},
		{"def g():\n    yield 1", 2, 5, "`yield` is not supported", "build a list"},
		{"for i in range(3):\nprint(i)", 2, 1, "expected an indented block after 'for' statement on line 1", ""},
		{"if True:\n        a = 1\n    b = 2", 3, 5, "unindent does not match", ""},
		{"x = 1\n\ty = 2", 2, 2, "unexpected indent", "inside a block"},
		{"  z = 3", 1, 3, "unexpected indent", "inside a block"},
		{"x = 1\n    print(x)", 2, 5, "unexpected indent", ""},
	}
	for _, c := range cases {
		_, err := s.Execute(context.Background(), c.code, nil)
		e, ok := err.(*Error)
		if !ok || e.Class != "SyntaxError" || e.Line != c.line || e.Col != c.col || !strings.Contains(e.Msg, c.msg) || !strings.Contains(e.Hint, c.hint) {
			t.Errorf("%q: %#v; want SyntaxError at %d:%d with %q, hint %q", c.code, err, c.line, c.col, c.msg, c.hint)
		}
	}
	// Continuation lines inside brackets or after a backslash, and statements after `;`,
	// are not indentation.
	res, err := s.Execute(context.Background(), "a = (1,\n     2)\nb = 3 + \\\n    4\nc = 5;  d = 6\na[1] + b + c + d", nil)
	if err != nil || res["text/plain"] != "20" {
		t.Errorf("continuation lines: %v, %v", res, err)
	}
}

// As in Python, an undefined name is an error when its statement runs: the statements
// before it have run (their output shown, their names bound) and later ones have not.
func TestNameErrorAfterEarlierStatementsRan(t *testing.T) {
	s := NewSession()
	out := &captured{}
	_, err := s.Execute(context.Background(), "print('line 1 ran')\nx = 10\ny = undefined_name + 1\nz = 3", out)
	e, ok := err.(*Error)
	if !ok || e.Class != obj.NameError || e.Line != 3 || e.Col != 5 {
		t.Fatalf("want a NameError at line 3, column 5; got %#v", err)
	}
	if out.text != "line 1 ran\n" {
		t.Errorf("stdout %q, want the first line's print", out.text)
	}
	if res, err := s.Execute(context.Background(), "x", nil); err != nil || res["text/plain"] != "10" {
		t.Errorf("x after the cell: %v, %v; want 10", res, err)
	}
	if _, err := s.Execute(context.Background(), "z", nil); err == nil {
		t.Error("z is bound although its statement comes after the error")
	}
	// A syntax error anywhere still stops the whole cell before anything runs.
	out.text = ""
	if _, err := s.Execute(context.Background(), "print('no')\n1 +", out); err == nil || out.text != "" {
		t.Errorf("a syntax error on line 2 let line 1 run: %q, %v", out.text, err)
	}
}

// Joining sequences is bounded like repeating them: a cell that keeps doubling a list or
// a string gets a MemoryError at the bound instead of exhausting the kernel's memory.
func TestJoiningIsBounded(t *testing.T) {
	s := NewSession()
	if _, err := s.Execute(context.Background(), "x = [1] * 4194304\ny = x + []\ns = 'a' * 4194304", nil); err != nil {
		t.Fatalf("joining up to the bound: %v", err)
	}
	for _, code := range []string{"x + x", "x + [1]", "s + s", "s + 'b'", "(1,) * 4194304 + (2,)"} {
		_, err := s.Execute(context.Background(), code, nil)
		if e, ok := err.(*Error); !ok || e.Class != "MemoryError" || !strings.Contains(e.Msg, "4194305") && !strings.Contains(e.Msg, "8388608") {
			t.Errorf("%s: %v; want a MemoryError naming the joined size", code, err)
		}
	}
	if res, err := s.Execute(context.Background(), "len(x + [])", nil); err != nil || res["text/plain"] != "4194304" {
		t.Errorf("len(x + []) = %v, %v", res, err)
	}
}

// quantityLike has a repr, a different str and its own format specs, as astropy
// quantities and numpy arrays do.
type quantityLike struct{}

func (quantityLike) MimeBundle() map[string]any { return map[string]any{"text/plain": "<Q 1.5 nm>"} }
func (quantityLike) Str() string                { return "1.5 nm" }
func (quantityLike) FormatSpec(spec string) (string, error) {
	return "formatted " + spec, nil
}

// print, str() and f-strings use a value's str; repr() and the cell result its repr; a
// format spec goes to the value's own formatter.
func TestStrAndFormatSpecOfRuntimeValues(t *testing.T) {
	s := NewSession()
	s.bind("q", quantityLike{})
	out := &captured{}
	res, err := s.Execute(context.Background(), "print(q, str(q), f'{q}', f'{q!r}', f'{q:.2f}', repr(q))\nq", out)
	if err != nil {
		t.Fatal(err)
	}
	if want := "1.5 nm 1.5 nm 1.5 nm <Q 1.5 nm> formatted .2f <Q 1.5 nm>\n"; out.text != want {
		t.Errorf("printed %q, want %q", out.text, want)
	}
	if res["text/plain"] != "<Q 1.5 nm>" {
		t.Errorf("cell result %v, want the repr", res)
	}
}
