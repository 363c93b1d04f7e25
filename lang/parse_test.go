package lang

import (
	"fmt"
	"strings"
	"testing"

	"github.com/expr-lang/expr/ast"

	"gokist/obj"
)

// show renders a lowered expr tree compactly, to compare with the expected lowering.
func show(n ast.Node) string {
	switch x := n.(type) {
	case *ast.CallNode:
		parts := make([]string, len(x.Arguments))
		for i, a := range x.Arguments {
			parts[i] = show(a)
		}
		return strings.TrimPrefix(show(x.Callee), "__") + "(" + strings.Join(parts, ", ") + ")"
	case *ast.IdentifierNode:
		return x.Value
	case *ast.IntegerNode:
		return fmt.Sprint(x.Value)
	case *ast.FloatNode:
		return FormatFloat(x.Value)
	case *ast.StringNode:
		return quote(x.Value)
	case *ast.BoolNode:
		return fmt.Sprint(x.Value)
	case *ast.NilNode:
		return "nil"
	case *ast.ConstantNode:
		switch v := x.Value.(type) {
		case obj.Slice:
			return "slice[" + v.String() + "]"
		case obj.EllipsisType:
			return "..."
		}
		return fmt.Sprint(x.Value)
	case *ast.ArrayNode:
		parts := make([]string, len(x.Nodes))
		for i, a := range x.Nodes {
			parts[i] = show(a)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *ast.MapNode:
		parts := make([]string, len(x.Pairs))
		for i, p := range x.Pairs {
			pp := p.(*ast.PairNode)
			parts[i] = show(pp.Key) + ": " + show(pp.Value)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case *ast.ConditionalNode:
		return "(" + show(x.Cond) + " ? " + show(x.Exp1) + " : " + show(x.Exp2) + ")"
	case *ast.VariableDeclaratorNode:
		return "let " + x.Name + " = " + show(x.Value) + "; " + show(x.Expr)
	case *ast.UnaryNode:
		return x.Operator + " " + show(x.Node)
	}
	return fmt.Sprintf("?%T", n)
}

func showTarget(t target) string {
	switch t.kind {
	case targetName:
		return t.name
	case targetAttr:
		return show(t.obj) + "." + t.name
	case targetItem:
		return show(t.obj) + "[" + show(t.key) + "]"
	}
	parts := make([]string, len(t.elems))
	for i, e := range t.elems {
		parts[i] = showTarget(e)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// showStmt renders a statement: `targets = value`, `import …`, `help(value)`.
func showStmt(s stmt) string {
	switch s.kind {
	case stmtAssign:
		var ts []string
		for _, t := range s.targets {
			ts = append(ts, showTarget(t))
		}
		return strings.Join(ts, " = ") + " = " + show(s.value)
	case stmtImport:
		var parts []string
		for _, b := range s.imports {
			p := "import " + b.module
			if b.attr != "" {
				p += "." + b.attr
			}
			parts = append(parts, p+" as "+b.bind)
		}
		return strings.Join(parts, "; ")
	case stmtHelp:
		return fmt.Sprintf("help%d(%s)", s.detail, show(s.value))
	case stmtPass:
		return "pass"
	case stmtDel:
		return "del " + s.targets[0].name
	}
	return show(s.value)
}

func TestParseForms(t *testing.T) {
	cases := []struct{ src, want string }{
		// literals
		{"1", "1"},
		{"1_000", "1000"},
		{"0x1f", "31"},
		{"1.5", "1.5"},
		{".5", "0.5"},
		{"1e-3", "0.001"},
		{"2.", "2.0"},
		{"'a'", "'a'"},
		{`"it's"`, `"it's"`},
		{`'a\tb\n'`, `'a\tb\n'`},
		{`r'C:\data'`, `'C:\\data'`},
		{`'ab' "cd"`, "'abcd'"},
		{`"""multi
line"""`, `'multi\nline'`},
		{"True", "true"},
		{"False", "false"},
		{"None", "nil"},
		// tuples and lists
		{"(1, 1, 7)", "tuple(1, 1, 7)"},
		{"(5,)", "tuple(5)"},
		{"(5)", "5"},
		{"()", "tuple()"},
		{"1, 2", "tuple(1, 2)"},
		{"[1, 2,]", "list(1, 2)"},
		{"[]", "list()"},
		{"{'a': 1}", "dict('a', 1)"},
		// arithmetic with Python precedence
		{"1 + 2 * 3", "binop('+', 1, binop('*', 2, 3))"},
		{"(1 + 2) * 3", "binop('*', binop('+', 1, 2), 3)"},
		{"2 ** 3 ** 2", "binop('**', 2, binop('**', 3, 2))"},
		{"-2 ** 2", "unary('-', binop('**', 2, 2))"},
		{"2 ** -1", "binop('**', 2, -1)"},
		{"a // b % c", "binop('%', binop('//', a, b), c)"},
		{"a - b - c", "binop('-', binop('-', a, b), c)"},
		{"-x", "unary('-', x)"},
		{"-5", "-5"},
		{"-1.5", "-1.5"},
		{"x / 7", "binop('/', x, 7)"},
		// comparisons and logic
		{"a < b", "compare('<', a, b)"},
		// Operands are bound left to right, so they evaluate in Python's order, each once.
		{"a == b != c", "let %t1 = a; let %t2 = b; let %t3 = compare('==', %t1, %t2); (truthy(%t3) ? compare('!=', %t2, c) : %t3)"},
		{"a < b < c < d", "let %t1 = a; let %t2 = b; let %t5 = compare('<', %t1, %t2); (truthy(%t5) ? let %t3 = c; let %t4 = compare('<', %t2, %t3); (truthy(%t4) ? compare('<', %t3, d) : %t4) : %t5)"},
		{"a and b", "let %t1 = a; (truthy(%t1) ? b : %t1)"},
		{"a or b", "let %t1 = a; (truthy(%t1) ? %t1 : b)"},
		{"not a", "not truthy(a)"},
		{"a not in b", "compare('not in', a, b)"},
		{"a is not None", "compare('is not', a, nil)"},
		{"a if c else b", "(truthy(c) ? a : b)"},
		// attribute access, calls, keyword arguments
		{"ds.data", "getattr(ds, 'data')"},
		{"f(x)", "call(f, [x], {})"},
		{"f()", "call(f, [], {})"},
		{"f(x, axis=(0, 2))", "call(f, [x], {'axis': tuple(0, 2)})"},
		{"ds.data.sum(axis=(0, 2)).compute()", "callmethod(callmethod(getattr(ds, 'data'), 'sum', [], {'axis': tuple(0, 2)}), 'compute', [], {})"},
		{"ds.wcs.pixel_to_world(0, i, 0)[1]", "getitem(callmethod(getattr(ds, 'wcs'), 'pixel_to_world', [0, i, 0], {}), 1)"},
		{"x.plot(axes=ax, linestyle=\"--\")", "callmethod(x, 'plot', [], {'axes': ax, 'linestyle': '--'})"},
		{"Dataset.from_directory('~/sunpy/data/VISP/AGLKO')", "callmethod(Dataset, 'from_directory', ['~/sunpy/data/VISP/AGLKO'], {})"},
		// numpy indexing
		{"ds[0, 20:60, :, 1000:1500]", "getitem(ds, tuple(0, slice[20:60], slice[:], slice[1000:1500]))"},
		{"ds[0, ..., :-5]", "getitem(ds, tuple(0, ..., slice[:-5]))"},
		{"x[::2]", "getitem(x, slice[::2])"},
		{"x[::-1]", "getitem(x, slice[::-1])"},
		{"x[1:]", "getitem(x, slice[1:])"},
		{"x[-1]", "getitem(x, -1)"},
		{"x[0,]", "getitem(x, tuple(0))"},
		{"x[a:b]", "getitem(x, slice(a, b, nil))"},
		{"x[500, :, int(1000/7)]", "getitem(x, tuple(500, slice[:], call(int, [binop('/', 1000, 7)], {})))"},
		{"ds[0][500, :, 1000]", "getitem(getitem(ds, 0), tuple(500, slice[:], 1000))"},
		// continuation
		{"f(1,\n  2)", "call(f, [1, 2], {})"},
		{"1 + \\\n 2", "binop('+', 1, 2)"},
		{"x # comment", "x"},
		{"%matplotlib inline\nx", "x"},
		{"x % y", "binop('%', x, y)"},
	}
	for _, c := range cases {
		stmts, err := parseCell(c.src)
		if err != nil {
			t.Errorf("%q: %v", c.src, err)
			continue
		}
		if len(stmts) != 1 {
			t.Errorf("%q: %d statements", c.src, len(stmts))
			continue
		}
		if got := showStmt(*stmts[0]); got != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.src, got, c.want)
		}
	}
}

func TestParseStatements(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		{"x = 1", []string{"x = 1"}},
		{"a, b = b, a", []string{"(a, b) = tuple(b, a)"}},
		{"(a, b) = t", []string{"(a, b) = t"}},
		{"fig, ax = plt.subplots()", []string{"(fig, ax) = callmethod(plt, 'subplots', [], {})"}},
		{"a = b = 2", []string{"a = b = 2"}},
		{"x += 1", []string{"x = binop('+=', x, 1)"}},
		{"rebinned._data = computed", []string{"rebinned._data = computed"}},
		{"x[0] = 1", []string{"x[0] = 1"}},
		{"client = Client()", []string{"client = call(Client, [], {})"}},
		{"import dkist", []string{"import dkist as dkist"}},
		{"import dkist.net", []string{"import dkist.net as dkist"}},
		{"import matplotlib.pyplot as plt", []string{"import matplotlib.pyplot as plt"}},
		{"import sys, dkist", []string{"import sys as sys; import dkist as dkist"}},
		{"from dask.distributed import Client", []string{"import dask.distributed.Client as Client"}},
		{"from IPython.display import display, clear_output", []string{"import IPython.display.display as display; import IPython.display.clear_output as clear_output"}},
		{"from IPython.display import (display as d,\n clear_output)", []string{"import IPython.display.display as d; import IPython.display.clear_output as clear_output"}},
		{"x = 1; y = 2", []string{"x = 1", "y = 2"}},
		{"x = 1\n\n# note\ny = 2;\n", []string{"x = 1", "y = 2"}},
		{"ds.rebin?", []string{"help1(getattr(ds, 'rebin'))"}},
		{"ds.rebin??", []string{"help2(getattr(ds, 'rebin'))"}},
		{"?ds", []string{"help1(ds)"}},
		{"pass", []string{"pass"}},
		{"del x", []string{"del x"}},
		{"x = (1,\n     2,\n)\nx", []string{"x = tuple(1, 2)", "x"}},
	}
	for _, c := range cases {
		stmts, err := parseCell(c.src)
		if err != nil {
			t.Errorf("%q: %v", c.src, err)
			continue
		}
		var got []string
		for _, s := range stmts {
			got = append(got, showStmt(*s))
		}
		if strings.Join(got, " | ") != strings.Join(c.want, " | ") {
			t.Errorf("%q:\n got %q\nwant %q", c.src, got, c.want)
		}
	}
}

// TestParseNameUses checks which names a statement reads (for the NameError check) and
// binds.
func TestParseNameUses(t *testing.T) {
	cases := []struct{ src, uses, defines string }{
		{"x = y + 1", "y", "x"},
		{"a, b = b, c", "b c", "a b"},
		{"x.attr = y", "x y", ""},
		{"x += 1", "x", "x"},
		{"f(a, k=b)", "f a b", ""},
		{"import dkist.net", "", "dkist"},
		{"a and b or not c", "a b c", ""},
	}
	for _, c := range cases {
		stmts, err := parseCell(c.src)
		if err != nil {
			t.Fatalf("%q: %v", c.src, err)
		}
		var uses, defs []string
		for _, u := range stmts[0].uses {
			uses = append(uses, u.name)
		}
		for _, d := range stmts[0].defines {
			defs = append(defs, d.name)
		}
		if strings.Join(uses, " ") != c.uses || strings.Join(defs, " ") != c.defines {
			t.Errorf("%q: uses %q defines %q, want %q %q", c.src, uses, defs, c.uses, c.defines)
		}
	}
}

func TestSyntaxErrors(t *testing.T) {
	cases := []struct {
		src       string
		line, col int
		msg, hint string
	}{
		{"ds[0, 1..5]", 1, 8, "`..`", "use `:` for a slice"},
		{"x = (1, 2", 1, 5, "never closed", ""},
		{"x = 1)", 1, 6, "unmatched", ""},
		{"x = [1, 2)", 1, 10, "does not match", ""},
		{"f(a=1, 2)", 1, 8, "positional argument follows keyword", ""},
		{"x = 'abc", 1, 5, "unterminated string", "close the string"},
		{"for i in x:", 1, 12, "expected an indented block after 'for' statement on line 1", ""},
		{"def f(x):\n    return\n  x", 3, 3, "unindent does not match", ""},
		{"break", 1, 1, "'break' outside loop", ""},
		{"n = 1; while n: n = 0", 1, 8, "invalid syntax", "own line"},
		{"return 1", 1, 1, "'return' outside function", ""},
		{"1 = x", 1, 1, "cannot assign", "`==`"},
		{"f(x) = 1", 1, 1, "cannot assign to function call", "`==`"},
		{"x = \n", 1, 5, "unexpected end of line", ""},
		{"x = 1\ny = 2 +\n", 2, 8, "unexpected end of line", ""},
		{"import", 1, 7, "expected a module name", ""},
		{"from dkist import *", 1, 19, "`import *`", ""},
		{"x[]", 1, 3, "empty index", "x[:]"},
		{"x[1:2:3:4]", 1, 8, "at most three parts", ""},
		{"f'{x'", 1, 3, "f-string: expecting '}'", "close the replacement field"},
		{"x = 1 2", 1, 7, "unexpected `2`", ""},
		{"a.1", 1, 2, "unexpected `.1`", ""},
		{"x $ y", 1, 3, "invalid character", ""},
		{"class A: pass", 1, 1, "class definitions", ""},
		{"f(a=1, *)", 1, 9, "", ""},
		{"é = ∑", 1, 5, "invalid character", ""},
		{"x = 1 \\ 2", 1, 7, "after line continuation", ""},
		{"012", 1, 1, "leading zeros", ""},
		{"x = 09", 1, 5, "leading zeros", ""},
		{"x = 1\n  %timeit f(x)", 2, 3, "magic `%timeit`", "%matplotlib"},
	}
	for _, c := range cases {
		_, err := parseCell(c.src)
		if err == nil {
			t.Errorf("%q: no error", c.src)
			continue
		}
		line, col, _ := position(c.src, err.pos)
		if line != c.line || col != c.col || !strings.Contains(err.msg, c.msg) || !strings.Contains(err.hint, c.hint) {
			t.Errorf("%q: got line %d col %d %q hint %q; want %d %d %q hint %q", c.src, line, col, err.msg, err.hint, c.line, c.col, c.msg, c.hint)
		}
	}
}
