package lang

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

// deepCellError runs code through the parser, IsComplete, Complete, Inspect and Execute
// (none may crash: a Go stack overflow ends the test binary) and returns the parser's
// error and Execute's.
func deepCellError(t *testing.T, code string) (*syntaxError, *Error, string) {
	t.Helper()
	_, perr := parseCell(code)
	s := NewSession()
	status, _ := s.IsComplete(code)
	n := len([]rune(code))
	for _, cursor := range []int{0, n / 2, n} {
		s.Complete(code, cursor)
		s.Inspect(code, cursor, 0)
	}
	_, err := s.Execute(context.Background(), code, nil)
	var le *Error
	if err != nil && !errors.As(err, &le) {
		t.Fatalf("Execute error %T %v is not a *Error", err, err)
	}
	return perr, le, status
}

// TestTooDeeplyNestedIsSyntaxError feeds cells nested 300 000 deep in each recursive
// production: each must be a SyntaxError at the bracket or operator that crosses the
// limit (worked out from the cell's layout), not a fatal Go stack overflow.
func TestTooDeeplyNestedIsSyntaxError(t *testing.T) {
	const n = 300000
	const parens = "too many nested parentheses"
	const nested = "expression nested too deeply"
	cases := []struct {
		name, code string
		pos        int // byte offset of the offending token
		msg        string
	}{
		// The 201st bracket (offset 200) is the first one past CPython's 200.
		{"parens", strings.Repeat("(", n) + "1" + strings.Repeat(")", n), 200, parens},
		{"unclosed parens", strings.Repeat("(", n), 200, parens},
		{"lists", strings.Repeat("[", n) + strings.Repeat("]", n), 200, parens},
		{"dicts", strings.Repeat("{1: ", n) + "1" + strings.Repeat("}", n), 4 * 200, parens},
		{"calls", strings.Repeat("f(", n) + strings.Repeat(")", n), 2*200 + 1, parens},
		{"subscripts", strings.Repeat("x[", n) + "0" + strings.Repeat("]", n), 2*200 + 1, parens},
		{"minus and parens", strings.Repeat("-(", n) + "1" + strings.Repeat(")", n), 2*200 + 1, parens},
		// Operators: the 1001st one (offset 1000 of its kind) crosses maxNesting. The
		// cells past the first are shorter, to keep the test quick.
		{"minus", strings.Repeat("-", n) + "1", 1000, nested},
		{"tilde", strings.Repeat("~", n/10) + "1", 1000, nested},
		{"not", strings.Repeat("not ", n/10) + "1", 4 * 1000, nested},
		{"power", strings.Repeat("2**", n/10) + "2", 3*1000 + 1, nested},
		{"conditional", strings.Repeat("1 if 1 else ", n/10) + "1", 12*1000 + 2, nested},
		// 150 parentheses, then 100 more inside an f-string field: the field counts
		// toward the cell's 200, so the 51st paren in the field (offset 150+3+50) fails.
		{"f-string field", strings.Repeat("(", 150) + "f'{" + strings.Repeat("(", 100) + "1" + strings.Repeat(")", 100) + "}'" + strings.Repeat(")", 150), 203, parens},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			perr, xerr, status := deepCellError(t, c.code)
			if perr == nil || perr.pos != c.pos || perr.msg[:len(c.msg)] != c.msg {
				t.Fatalf("parse error %+v, want %q at %d", perr, c.msg, c.pos)
			}
			if xerr == nil || xerr.Class != "SyntaxError" || !strings.HasPrefix(xerr.Msg, c.msg) {
				t.Fatalf("Execute error %v, want SyntaxError: %s", xerr, c.msg)
			}
			if status != "invalid" {
				t.Errorf("IsComplete = %q, want invalid", status)
			}
		})
	}
}

// TestNestingLimitMatchesCPython checks the bracket limit against the reference Python's
// compile(): 200 nested brackets compile, 201 are "too many nested parentheses" at the
// same column.
func TestNestingLimitMatchesCPython(t *testing.T) {
	var cells []string
	for _, depth := range []int{200, 201} {
		for _, open := range []string{"(", "["} {
			close := map[string]string{"(": ")", "[": "]"}[open]
			cells = append(cells, strings.Repeat(open, depth)+"1"+strings.Repeat(close, depth))
		}
	}
	in, _ := json.Marshal(cells)
	script := `
import json, sys
out = []
for c in json.loads(sys.stdin.read()):
    try:
        compile(c, "<cell>", "eval")
        out.append({"msg": "", "offset": 0})
    except SyntaxError as e:
        out.append({"msg": e.msg, "offset": e.offset})
print(json.dumps(out))
`
	var want []struct {
		Msg    string
		Offset int
	}
	if err := json.Unmarshal(pyref.RunInput(t, in, script), &want); err != nil {
		t.Fatal(err)
	}
	for i, c := range cells {
		_, err := parseCell(c)
		got, gotCol := "", 0
		if err != nil {
			got, gotCol = err.msg, err.pos+1
		}
		if got != want[i].Msg || gotCol != want[i].Offset {
			t.Errorf("%d× %c: gokist %q at column %d, CPython %q at %d", strings.Count(c, c[:1]), c[0], got, gotCol, want[i].Msg, want[i].Offset)
		}
	}
}

// TestDeepButAcceptedCells runs cells just inside the limits, and long operator chains
// whose lowered expr trees are as deep as they are long, and checks their values,
// worked out by hand.
func TestDeepButAcceptedCells(t *testing.T) {
	chain := func(n int) string { // 0 < 1 < 2 < … < n-1
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprint(i)
		}
		return strings.Join(parts, " < ")
	}
	cases := []struct {
		name, code, want string
	}{
		{"150 parentheses", strings.Repeat("(", 150) + "7" + strings.Repeat(")", 150), "7"},
		{"200 parentheses", strings.Repeat("(", 200) + "7" + strings.Repeat(")", 200), "7"},
		{"150 unary plus", strings.Repeat("+", 150) + "7", "7"},
		{"150 term sum", "1" + strings.Repeat("+1", 149), "150"},
		{"999 minus signs", strings.Repeat("-", 999) + "7", "-7"},
		{"999 minus signs on a name", "x = 7\n" + strings.Repeat("-", 999) + "x", "-7"},
		{"999 nots", strings.Repeat("not ", 999) + "0", "True"},
		{"1000-level power", strings.Repeat("1**", 999) + "1", "1"},
		{"10000 term sum", "1" + strings.Repeat("+1", 9999), "10000"},
		{"10000 term product", "1" + strings.Repeat("*1", 9999), "1"},
		{"10000 subscripts", "x = (5,)\nx" + strings.Repeat("[0:1]", 9999) + "[0]", "5"},
		{"10000 ands", "1" + strings.Repeat(" and 2", 9999), "2"},
		{"1000 comparison chain", chain(1000), "True"},
		{"5000 f-string fields", "f'" + strings.Repeat("{1}", 5000) + "' == '" + strings.Repeat("1", 5000) + "'", "True"},
		{"100000 adjacent string literals", "len(" + strings.Repeat("'ab' ", 100000) + ")", "200000"},
		{"nested call of a long sum", "abs(" + strings.Repeat("(", 150) + "-1" + strings.Repeat("-1", 9999) + strings.Repeat(")", 150) + ")", "10000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := NewSession()
			if st, _ := s.IsComplete(c.code); st != "complete" {
				t.Errorf("IsComplete = %q", st)
			}
			n := len([]rune(c.code))
			s.Complete(c.code, n)
			s.Inspect(c.code, n, 0)
			r, err := s.Execute(context.Background(), c.code, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := r["text/plain"]; got != c.want {
				t.Errorf("got %v, want %s", got, c.want)
			}
		})
	}
}

// TestTooDeepTreeIsSyntaxError: a million-term sum lowers to an expr tree a million
// deep, past what expr's recursive checker can take on a Go stack; it is refused
// before compiling.
func TestTooDeepTreeIsSyntaxError(t *testing.T) {
	sum := "1" + strings.Repeat("+1", 1000000)
	if _, err := parseCell(sum); err == nil || !strings.HasPrefix(err.msg, "expression too complex") {
		t.Errorf("a million-term sum: parse error %+v", err)
	}
	if _, err := NewSession().Execute(context.Background(), sum, nil); err == nil || err.(*Error).Class != "SyntaxError" {
		t.Errorf("a million-term sum: Execute error %v", err)
	}
	for _, code := range []string{
		"1" + strings.Repeat("+1", 40000),
		"x = (1,)\nx" + strings.Repeat("[0:1]", 40000),
		"y = 1" + strings.Repeat(" and 1", 40000),
		"x = (1,)\nx" + strings.Repeat("[0]", 40000) + " = 1",
	} {
		perr, xerr, status := deepCellError(t, code)
		if perr == nil || !strings.HasPrefix(perr.msg, "expression too complex") || perr.pos < 0 || perr.pos > len(code) {
			t.Errorf("%.20q…: parse error %+v", code, perr)
		}
		if xerr == nil || xerr.Class != "SyntaxError" {
			t.Errorf("%.20q…: Execute error %v", code, xerr)
		}
		if status != "invalid" {
			t.Errorf("%.20q…: IsComplete = %q, want invalid", code, status)
		}
	}
}

// TestComparisonChainsMatchPython checks chains of three and more comparisons (which
// used to crash the parser) against the reference Python, including short-circuiting:
// `int('x')` after a false link is never evaluated.
func TestComparisonChainsMatchPython(t *testing.T) {
	exprs := []string{
		"1 < 2 < 3 < 4", "1 < 2 < 3 < 2", "4 > 3 > 2 > 1 > 0", "1 < 3 < 2 < 5",
		"0 > 1 > int('x')", "1 < 2 > int('x')", "1 < 2 < 3 > int('x') < 9",
		"1 == 1.0 == True != 2", "1 in (1, 2) in ((1, 2),) != None", "1 is not None is not 2",
		"(1 < 3) < 2", "1 < (3 < 2)", "'a' < 'b' <= 'b' < 'c' not in 'ab'",
		"1 < 2 < 3 < 4 < 5 < 6 < 7 < 8 < 9 < 10", "1 < 2 < 3 < 4 < 5 < 6 < 7 < 8 < 9 < 9",
		"0 or 1 < 2 < 3 and 5", "not 1 < 2 < 3", "1 if 1 < 2 < 0 else 2",
	}
	want := pythonReprs(t, exprs)
	s := NewSession()
	for i, e := range exprs {
		r, err := s.Execute(context.Background(), e, nil)
		got := ""
		if err != nil {
			var le *Error
			if !errors.As(err, &le) {
				t.Fatalf("%s: %v", e, err)
			}
			got = "!" + le.Class
		} else {
			got, _ = r["text/plain"].(string)
		}
		if got != want[i] {
			t.Errorf("%s: gokist %s, Python %s", e, got, want[i])
		}
	}
}
