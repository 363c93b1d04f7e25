package lang

import (
	"context"
	"encoding/json"
	"testing"

	"gokist/internal/pyref"
)

// pythonReprs evaluates each expression with the reference Python and returns repr()
// of the value, or "!ErrorClass" when it raises.
func pythonReprs(t *testing.T, exprs []string) []string {
	t.Helper()
	in, _ := json.Marshal(exprs)
	script := `
import json, sys
out = []
for e in json.loads(sys.stdin.read()):
    try:
        out.append(repr(eval(e, {})))
    except Exception as ex:
        out.append("!" + type(ex).__name__)
print(json.dumps(out))
`
	b := pyref.RunInput(t, in, script)
	var out []string
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEvalMatchesPython evaluates plain expressions in gokist and in Python and compares
// the reprs (or the error class).
func TestEvalMatchesPython(t *testing.T) {
	exprs := []string{
		"1 + 2 * 3", "(1 + 2) * 3", "2 ** 3", "2 ** 3 ** 2", "-2 ** 2", "2 ** -1", "(-2) ** 2",
		"7 / 2", "6 / 2", "7 // 2", "-7 // 2", "7 // -2", "7 % 3", "-7 % 3", "7 % -3", "7.5 // 2", "-7.5 // 2",
		"7.5 % 2", "-7.5 % 2", "1 / 0", "1 // 0", "1 % 0", "1.0 / 0", "0 ** -1",
		"0.1 + 0.2", "1e16", "1e15", "123456789012345678.0", "1e-5", "0.0001", "1 / 3", "2.0 ** 0.5", "1e22", "-0.0", "1.5e300 * 1e10",
		"3 * 1.0", "True + 1", "True * 2.5", "1e-3", "100.0", "2.5e-7",
		"1 < 2", "1 < 2 < 3", "3 > 2 > 2", "1 == 1.0", "1 != 2", "'a' < 'b'", "(1, 2) < (1, 3)", "[1] == [1]", "(1,) == [1]",
		"1 < 'a'", "None == None", "None is None", "1 is not None",
		"1 and 2", "0 and 2", "1 or 2", "0 or ''", "not 0", "not 'x'", "None or 5", "() or [1]",
		"'ab' + 'cd'", "'ab' * 3", "3 * 'ab'", "(1, 2) + (3,)", "[1] * 3", "'a' + 1",
		"(1, 2, 3)[1]", "(1, 2, 3)[-1]", "(1, 2, 3)[5]", "(1, 2, 3, 4, 5)[1:4]", "(1, 2, 3, 4, 5)[::2]", "(1, 2, 3, 4, 5)[::-1]",
		"(1, 2, 3, 4, 5)[-2:]", "(1, 2, 3, 4, 5)[:-10]", "(1, 2, 3, 4, 5)[4:1:-1]", "'hello'[1:3]", "'hello'[-1]", "[1, 2, 3][1:]",
		"(5,)", "()", "(1, 'a', None, True, 2.5)", "[1, [2, (3,)]]", "{'a': 1}['a']",
		"int(1000 / 7)", "int(-3.9)", "int('42')", "int(' 7 ')", "int('x')", "int(True)", "float(3)", "float('1e-3')", "float('nan')", "float('x')",
		"round(2.5)", "round(3.5)", "round(-2.5)", "round(2.675, 2)", "round(1.23456, 3)", "round(7)", "round(1234, -2)", "round(0.5)",
		"abs(-3)", "abs(-2.5)", "abs('x')", "min(3, 1, 2)", "max(3, 1, 2)", "min((4, 2, 8))", "max([1.5, 2])", "min(())",
		"len('héllo')", "len((1, 2))", "len([])", "len(5)", "str(1.0)", "str('x')", "str((1, 'a'))", "repr('x')", "bool(0)", "bool((0,))",
		"list(range(5))", "list(range(1, 10, 3))", "list(range(5, 0, -2))", "tuple('ab')", "len(range(0, 10, 3))", "list(range(10))[2:5]",
		"'a' in 'cat'", "'z' not in 'cat'", "2 in (1, 2)", "3 in [1, 2]", "'a' in {'a': 1}",
		"'%.2f' % 3.14159", "'%d items' % 3", "'%s and %r' % ('a', 'b')", "'%5.1f|' % 2.25",
		"'a,b'.split(',')", "' x '.strip()", "'abc'.upper()", "'-'.join(('a', 'b'))", "'abc'.startswith('ab')", "(1, 2, 1).count(1)", "(1, 2, 3).index(3)",
		"1 if 0 else 2", "'y' if 3 > 2 else 'n'", "~5", "-(-3)", "+2.5", "1_000 + 0x10",
		"type(1)", "type('a')", "[1, 2, 3][1.5]", "(1, 2)[1:2.5]",
		"\"it's\"", "'say \"hi\"'", "'both \\' \"'", "'tab\\t'", "'\\n'",
		"9007199254740993.0", "0.1 * 3", "1/7", "5e-324", "1.7976931348623157e308",
		"6 & 3", "6 | 3", "6 ^ 3", "True & False", "True | False", "True ^ True", "True | 0", "1 << 10", "-16 >> 2", "-1 >> 70",
		"1 << -1", "5 & 1.0", "1.5 | 2", "1 < 2 | 1", "(1 == 1) & (2 > 1)", "3 ^ 5 & 1", "1 | 2 ^ 3 & 4 << 1", "2 + 3 << 1", "~5", "~-1",
		"-(-9223372036854775807)", "9223372036854775807 // -1",
		"int(float('inf'))", "round(float('inf'))", "round(float('nan'))", "float('1e400')", "float('-1e400')", "float('1e-400')", "float('1_0.5')",
		"-9223372036854775808", "-9_223_372_036_854_775_808 // 2", "-9223372036854775808 + 1",
		"any([])", "all([])", "any((0, 0, 1))", "all([1, 0])", "any('')", "all('ab')", "sum([1, 2, 3])", "sum((0.1, 0.2, 0.3))", "sum([1, 2], 10)", "sum([], 5)", "sum(['a'], 'b')", "sum(5)", "divmod(7, -2)", "divmod(7.5, 2)", "divmod(1, 0)", "format(3.14159, '.2f')", "format(42)", "format(5, 'x')", "format(1, 2)",
		"'x' * True", "[1, 2] * False", "True * 'ab'", "[10, 20][True]", "(1, 2, 3)[True:]", "'ab' * 2.0",
		"1 // 0.1", "2 // 0.2", "1 % 0.1", "-5.5 // float('inf')", "float('inf') // 3", "-0.0 % 5", "0.0 % -5", "-7.5 // -2", "7.5 % -2", "-1e-300 // 1e300", "5 // float('-inf')", "float('nan') // 2",
		"1__0", "1_", "1_000_000", "0x_ff", "1.5_0", "1_.5", "1e1_0", "0b1_0",
		"'\\x41'", "'\\u00e9'", "'\\U0001F600'", "'\\101'", "'a\\tb\\a'", "f'\\x41{1}'", "'\\\\x41'", "'\\x4'", "'\\d'", "f'\\u00e9{2}\\t'", "r'\\x41'",
		"max(*(3, 1, 2))", "min(1, *[5, 0], 4)", "max(*5)", "round(*(2.675, 2))", "round(*[2.5], ndigits=None)",
	}
	py := pythonReprs(t, exprs)
	s := NewSession()
	for i, e := range exprs {
		want := py[i]
		res, err := s.Execute(context.Background(), e, nil)
		var got string
		if err != nil {
			le, ok := err.(*Error)
			if !ok {
				t.Fatalf("%q: error of type %T", e, err)
			}
			got = "!" + le.Class
		} else if res == nil {
			got = "None"
		} else {
			got = res["text/plain"].(string)
		}
		if got != want {
			t.Errorf("%s: gokist %s, python %s", e, got, want)
		}
	}
}
