package lang

import (
	"context"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

// pythonCells runs each cell with /usr/bin/python3 in one interpreter, each in fresh
// globals, as a notebook cell runs: its stdout, the repr of a final bare expression (not
// None), or the class of the exception it raised.
const pythonCells = `
import ast, contextlib, io, json, sys
sys.setrecursionlimit(1000)
res = []
for code in json.load(sys.stdin):
    g, buf = {}, io.StringIO()
    r = {"out": "", "repr": "", "exc": ""}
    try:
        tree = ast.parse(code)
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        with contextlib.redirect_stdout(buf):
            exec(compile(tree, "<cell>", "exec"), g)
            if last is not None:
                v = eval(compile(last, "<cell>", "eval"), g)
                if v is not None:
                    r["repr"] = repr(v)
    except BaseException as e:
        r["exc"] = type(e).__name__
    r["out"] = buf.getvalue()
    res.append(r)
json.dump(res, sys.stdout)
`

// cellResult is what a cell gives: its stdout, its result's repr, its error class.
type cellResult struct {
	Out  string `json:"out"`
	Repr string `json:"repr"`
	Exc  string `json:"exc"`
}

// checkAgainstPython runs every cell in gokist (each in a fresh session) and in CPython
// 3.11 and compares what they print, the final value's repr and the exception class.
func checkAgainstPython(t *testing.T, cells []string) {
	t.Helper()
	var want []cellResult
	pyref.RunJSON(t, pythonCells, cells, &want)
	if len(want) != len(cells) {
		t.Fatalf("python gave %d results for %d cells", len(want), len(cells))
	}
	for i, code := range cells {
		s := NewSession()
		out := &captured{}
		res, err := s.Execute(context.Background(), code, out)
		got := cellResult{Out: out.text}
		if err != nil {
			got.Exc = err.(*Error).Class
			got.Out = out.text
		} else if res != nil {
			got.Repr, _ = res["text/plain"].(string)
		}
		if got != want[i] {
			t.Errorf("cell:\n%s\ngokist: %+v (error %v)\npython: %+v", code, got, err, want[i])
		}
	}
}

func TestStatementsAsPython(t *testing.T) {
	checkAgainstPython(t, []string{
		// for: ranges, lists, tuples, strings, dicts and their views, zip, enumerate
		"s = 0\nfor i in range(10):\n    s += i * 2\ns",
		"out = []\nfor x in [3, 1, 2]:\n    out.append(x * x)\nout",
		"for c in 'abc':\n    print(c, end='-')",
		"for a, b in [(1, 2), (3, 4)]:\n    print(a + b)",
		"d = {'a': 1, 'b': 2}\nfor k in d:\n    print(k, d[k])",
		"d = {'a': 1, 'b': 2}\nfor k, v in d.items():\n    print(k, v)\nlist(d.keys()), list(d.values())",
		"for i, (a, b) in enumerate(zip('xy', [10, 20])):\n    print(i, a, b)",
		"for i in range(3):\n    for j in range(3):\n        if j == 1:\n            continue\n        if i == 2:\n            break\n        print(i, j)",
		"for i in range(3):\n    pass\nelse:\n    print('done', i)",
		"for i in range(3):\n    if i == 1:\n        break\nelse:\n    print('not here')\ni",
		"for x in 5:\n    pass",
		"a, b = 1\n",
		// while, if/elif/else
		"i = 0\nwhile i < 5:\n    i += 1\nelse:\n    print('end')\ni",
		"x = 7\nif x < 5:\n    r = 'small'\nelif x < 10:\n    r = 'medium'\nelse:\n    r = 'large'\nr",
		"if 0: print('no')\nelse: print('yes')",
		"n = 0\nwhile True:\n    n += 1\n    if n >= 100: break\nn",
		// def: positional, keyword, defaults, *args, **kwargs, closures, recursion
		"def f(a, b=2, *args, c=3, **kw):\n    return (a, b, args, c, sorted(kw.items()))\nf(1), f(1, 5, 6, 7, c=8, z=9)",
		"def f(a, b):\n    return a - b\nf(b=1, a=5)",
		"def f(a):\n    return a\nf()",
		"def f(a):\n    return a\nf(1, 2)",
		"def f(a):\n    return a\nf(1, a=2)",
		"def f(a):\n    return a\nf(b=2)",
		"def outer(n):\n    def inner(x):\n        return x + n\n    return inner\nadd3 = outer(3)\nadd3(4)",
		"def fact(n):\n    return 1 if n <= 1 else n * fact(n - 1)\nfact(20)",
		"def f(n):\n    return f(n + 1)\nf(0)",
		"def f():\n    pass\nprint(f())",
		"def f():\n    x = y\n    y = 1\nf()",
		"g = 1\ndef f():\n    global g\n    g = 5\nf()\ng",
		"g = 1\ndef f():\n    return g + 1\ng = 10\nf()",
		"def f(*a):\n    return sum(a)\nf(*[1, 2, 3])",
		"def f(**kw):\n    return kw\nf(**{'a': 1}, b=2)",
		"f = lambda x, y=10: x * y\nf(2), f(2, 3)",
		"sorted(['bb', 'a', 'ccc'], key=lambda s: len(s))",
		// try / except / else / finally, raise, assert
		"try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    print('caught', e)",
		"try:\n    [][1]\nexcept (KeyError, IndexError):\n    print('lookup')",
		"try:\n    {}['k']\nexcept LookupError as e:\n    print(type(e).__name__)",
		"try:\n    x = 1\nexcept Exception:\n    print('no')\nelse:\n    print('else')\nfinally:\n    print('finally')",
		"def f():\n    try:\n        return 1\n    finally:\n        print('cleanup')\nf()",
		"try:\n    raise ValueError('bad value')\nexcept ValueError as e:\n    print(e, e.args)",
		"raise TypeError('nope')",
		"try:\n    raise KeyError('k')\nexcept Exception as e:\n    print(repr(e), str(e))",
		"try:\n    int('x')\nexcept ValueError:\n    raise",
		"assert 1 + 1 == 2\nassert 1 > 2, 'one is not greater'",
		"try:\n    undefined_thing\nexcept NameError:\n    print('name')",
		"try:\n    try:\n        1/0\n    finally:\n        print('inner')\nexcept ZeroDivisionError:\n    print('outer')",
		// del, pass
		"x = 1\ndel x\nx",
		"d = {'a': 1}\nd['b'] = 2\nd",
	})
}

func TestExpressionsAsPython(t *testing.T) {
	checkAgainstPython(t, []string{
		"[x * 2 for x in range(5) if x % 2 == 0]",
		"[(i, j) for i in range(3) for j in range(i)]",
		"{k: v * 2 for k, v in [('a', 1), ('b', 2)]}",
		"sorted({x % 3 for x in range(10)})",
		"sum(x * x for x in range(10))",
		"list(x for x in 'abc')",
		"x = 10\n[x for x in range(3)]\nx",
		"[[j for j in range(i)] for i in range(4)]",
		"a, *rest = [1, 2, 3, 4]\nrest",
		"*init, last = 'abcd'\ninit, last",
		"[*range(3), *'ab']",
		"(*[1, 2], 3)",
		"d = {'a': 1, 'b': 2}\nd['c'] = 3\ndel d['a']\nd",
		"d = {1: 'one', (1, 2): 'pair', 'k': None}\nd[(1, 2)], d[1.0], len(d)",
		"{}['missing']",
		"{[1]: 2}",
		"a = [1, 2]\nb = a\nb.append(3)\na, a is b, a is not [1, 2, 3], a == [1, 2, 3]",
		"None is None, 1 in [1, 2], 'x' not in 'abc', 2 in {1: 2}, 3 in {3}",
		"x = [3, 1, 2]\nx.sort()\nx.reverse()\nx.insert(0, 9)\nx.extend([5])\nx.pop(), x.pop(0), x, x.index(2), x.count(1)",
		"x = [1, 2, 3]\nx[1] = 20\nx[-1] += 1\nx",
		"s = {1, 2}\ns.add(3)\ns.discard(1)\nsorted(s), 2 in s, len(s)",
		"d = dict(a=1)\nd.update({'b': 2})\nd.get('z', 0), d.setdefault('c', 3), d.pop('a'), d",
		"{1, 2} | {2, 3}, {1, 2} & {2, 3}, {1, 2} - {2}",
		"a = []\na.append(a)\na",
		"d = {}\nd['self'] = d\nd",
		"[1, [2, 3]] == [1, [2, 3]], [1, 2] < [1, 3], (1, 2) < (1, 2, 0)",
	})
}

func TestBuiltinsAsPython(t *testing.T) {
	checkAgainstPython(t, []string{
		"list(zip([1, 2, 3], 'ab'))",
		"list(enumerate('ab', start=1))",
		"sorted([3, 1, 2], reverse=True), sorted('bca')",
		"list(reversed([1, 2, 3])), list(reversed(range(3)))",
		"list(map(lambda x: x + 1, [1, 2])), list(map(lambda a, b: a * b, [1, 2], [3, 4]))",
		"list(filter(lambda x: x > 1, [0, 1, 2, 3])), list(filter(None, [0, 1, '', 'a']))",
		"list('ab'), tuple([1, 2]), dict([('a', 1)]), dict(a=1, b=2), set([1, 1, 2])",
		"str(1.5), bool([]), bool([0]), repr('x'), int('12') + 1",
		"isinstance(1, int), isinstance(1.0, (int, float)), isinstance('a', str), isinstance([], list), isinstance({}, dict), isinstance(True, int)",
		"type(1).__name__, type('a').__name__, type([]).__name__, type({}).__name__, type((1,)).__name__",
		"min([3, 1, 2], key=lambda x: -x), max(['a', 'bbb', 'cc'], key=len), max(1, 5, 3)",
		"print(1, 2, 3, sep=', ', end='!\\n')",
		"getattr('abc', 'upper')(), hasattr('abc', 'nothing'), getattr([], 'nothing', 42)",
		"'{} and {}'.format(1, 'b'), '{:.2f}'.format(3.14159), '{0}{1}{0}'.format('a', 'b'), '{name}!'.format(name='x')",
		"'-'.join(['a', 'b']), 'a,b,,c'.split(','), ' x '.strip(), 'abc'.replace('b', 'B')",
		"'abc'.startswith('a'), 'abc'.endswith('bc'), 'Ab'.upper(), 'Ab'.lower(), '42'.zfill(5)",
		"'%d items, %.1f%%' % (3, 99.5), '%s' % 'x', '%5.2f|%-4d|' % (1.5, 7)",
		"'a b  c'.split(), 'k=v'.partition('='), 'abc'.find('c'), 'AbC'.title(), 'x'.center(5, '*')",
		"zipp([1])",
		"enumerat([1])",
		"sorted([1, 'a'])",
		"abs(-3), round(2.675, 2), divmod(7, 2), any([0, 1]), all([])",
		"len({'a': 1}), len({1, 2}), len(range(5)), len('héllo')",
	})
}

// IsComplete answers as IPython's check_complete for blocks: a line ending in `:` asks
// for an indented line (4 more spaces), a block goes on until a newline ends it.
func TestIsCompleteBlocksAsIPython(t *testing.T) {
	cells := []string{"for i in range(3):", "for i in range(3):\n    print(i)", "for i in range(3):\n    print(i)\n",
		"if x:\n    if y:", "x = 1", "def f():\n    return 1\n", "if x:\n    pass\nelse:", "if x:\n    y = 1\nz = 2",
		"for x in y:\nprint(x)", "try:\n    x = 1\n"}
	var want [][2]any
	pyref.RunJSON(t, `
import json, sys
from IPython.core.inputtransformer2 import TransformerManager
t = TransformerManager()
print(json.dumps([t.check_complete(c) for c in json.load(sys.stdin)]))
`, cells, &want)
	s := NewSession()
	for i, c := range cells {
		status, indent := s.IsComplete(c)
		wantIndent := ""
		if n, ok := want[i][1].(float64); ok {
			wantIndent = strings.Repeat(" ", int(n))
		}
		if status != want[i][0] || indent != wantIndent {
			t.Errorf("IsComplete(%q) = %q, %q; IPython %v", c, status, indent, want[i])
		}
	}
}

// Ranges stay lazy: a loop, len, an index and `in` on a range of 10^12 take no memory.
func TestHugeRangesAsPython(t *testing.T) {
	checkAgainstPython(t, []string{
		"r = range(0, 10**12, 3)\nn = 0\nfor i in r:\n    n += 1\n    if n == 5:\n        break\nlen(r), r[-1], r[10], 999999999999 in r, 300 in r, 301 in r, -3 in r, i",
		"for i in range(10**12):\n    if i > 3:\n        break\ni",
	})
}

// NameError suggestions follow CPython 3.11's rule (traceback's "Did you mean"): `zip`
// among `min` and `max` suggests nothing, a one-letter slip suggests the name.
func TestNameSuggestionsAsPython(t *testing.T) {
	candidates := []string{"min", "max", "print", "plot", "dataset", "Dataset", "rebin", "compute", "enumerate", "sorted", "ds", "xs", "range"}
	names := []string{"zip", "mn", "prnt", "dataset_", "DATASET", "rebinn", "enumerat", "sortd", "d", "x", "rnge", "computed", "plt", "a_very_long_unknown_name"}
	var want []string
	pyref.RunJSON(t, `
import io, json, sys
data = json.load(sys.stdin)
out = []
for name in data["names"]:
    g = {c: 1 for c in data["candidates"]}
    g["__builtins__"] = {}
    try:
        exec(name, g)
        out.append("")
    except NameError as e:
        # 3.11 offers suggestions where it prints the error (the C excepthook).
        buf, stderr = io.StringIO(), sys.stderr
        sys.stderr = buf
        sys.__excepthook__(type(e), e, e.__traceback__)
        sys.stderr = stderr
        s = buf.getvalue()
        out.append(s.split("Did you mean: '")[1].split("'")[0] if "Did you mean" in s else "")
print(json.dumps(out))
`, map[string]any{"names": names, "candidates": candidates}, &want)
	for i, n := range names {
		if got := suggestName(n, candidates); got != want[i] {
			t.Errorf("suggestion for %q: %q, CPython %q", n, got, want[i])
		}
	}
}
