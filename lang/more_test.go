package lang

import "testing"

// More forms that notebooks write, each compared with CPython 3.11.
func TestMoreFormsAsPython(t *testing.T) {
	checkAgainstPython(t, []string{
		"fns = [lambda: i for i in range(3)]\n[f() for f in fns]",
		"def make():\n    n = 0\n    def get():\n        return n\n    n = 5\n    return get\nmake()()",
		"def f(x, acc=[]):\n    acc.append(x)\n    return acc\nf(1)\nf(2)",
		"counts = {}\nfor w in 'a b a c b a'.split():\n    counts[w] = counts.get(w, 0) + 1\nsorted(counts.items(), key=lambda kv: -kv[1])",
		"d = {}\nd['k'] += 1",
		"x = 5\ndef f():\n    print(x)\n    x = 1\nf()",
		"def f():\n    for i in range(3):\n        try:\n            if i == 1:\n                break\n        finally:\n            print('fin', i)\n    return i\nf()",
		"for a, *b in [(1, 2, 3), (4, 5)]:\n    print(a, b)",
		"t = (1, 2)\nt[0] = 5",
		"'abc'[5]",
		"[1, 2, 3][1:] + [4] * 2",
		"s = 'x'\nfor i in range(3):\n    s += str(i)\ns, s[::-1], s.upper()",
		"def f(*, k):\n    return k\nf(k=1), f(1)",
		"def f(a, /, b):\n    return a + b\nf(1, b=2)",
		"import sys\nprint('to out')\nprint('to err', file=sys.stderr)",
		"n = 27\nsteps = 0\nwhile n != 1:\n    n = n // 2 if n % 2 == 0 else 3 * n + 1\n    steps += 1\nsteps",
		"try:\n    raise ValueError\nexcept ValueError as e:\n    print(repr(e), e.args)",
		"try:\n    1/0\nexcept ZeroDivisionError:\n    try:\n        raise\n    except ZeroDivisionError as e:\n        print('re-raised', e)",
		"def g():\n    return\nprint(g())\n(lambda: 0).__name__, g.__name__, type(g).__name__",
		"[i for i in range(3)] == list(range(3)), tuple(i for i in 'ab')",
		"x = [[0] * 2] * 2\nx[0][0] = 1\nx",
		"def fib(n, memo={}):\n    if n < 2:\n        return n\n    if n not in memo:\n        memo[n] = fib(n - 1) + fib(n - 2)\n    return memo[n]\nfib(80)",
		"a = b = []\na.append(1)\nb",
		"print(*[1, 2], sep='|')\nprint('a', 'b', end='')\nprint()",
		"any(x > 2 for x in [1, 3]), all(x > 0 for x in [1, -1]), max(x * x for x in range(-3, 2))",
		"words = ['bb', 'a', 'ccc']\nwords.sort(key=len, reverse=True)\nwords",
		"data = {'b': 2, 'a': 1}\n{k: data[k] for k in sorted(data)}, list(data)",
		"f'{[1, 2]} {{x}} {3.14159:.3f} {\"s\"!r}'",
		"x = 10\ndef f():\n    global x\n    x += 1\n    return x\nf(), f(), x",
		"assert isinstance([], list), 'no'\n'ok'",
		"def f(**kw):\n    return sorted(kw)\nf(b=1, a=2)",
		"r = []\nfor i in range(10):\n    if i % 2 == 0:\n        continue\n    elif i > 7:\n        break\n    r.append(i)\nelse:\n    r.append('else')\nr",
		"x = 1\nif x == 1: y = 'one'\nelif x == 2: y = 'two'\nelse: y = 'many'\ny",
		"'%s has %d items costing %.2f' % ('cart', 3, 9.5)",
		"{'a': 1} == {'a': 1}, {1, 2} == {2, 1}, [1] != [1]",
		"set(), {}, dict(), list(), tuple(), str()",
		"1 if [] else 2, [] or 'empty', [0] and 'full'",
	})
}

// Errors and edge cases of the statement forms, compared with CPython 3.11.
func TestErrorFormsAsPython(t *testing.T) {
	checkAgainstPython(t, []string{
		"def f(a, b):\n    pass\nf(1, 2, 3)",
		"def f(a, b):\n    pass\nf(1, c=2)",
		"x, y = 1, 2, 3",
		"x, y, z = [1, 2]",
		"a, *b, c = [1]",
		"[1, 2].index(5)",
		"[].pop()",
		"{}.pop('x')",
		"{1}.remove(2)",
		"'a' + 1",
		"1 + 'a'",
		"[1] * 'a'",
		"len(5)",
		"sorted([3, None])",
		"int('1.5')",
		"None()",
		"for i in None:\n    pass",
		"def f():\n    return undefined_name\nf()",
		"assert False",
		"raise 5",
		"try:\n    pass\nexcept 5:\n    pass\n'fine'",
		"try:\n    1/0\nexcept 5:\n    pass",
		"{'a': 1}['b']",
		"[1, 2][2]",
		"x = [1]\nx[5] = 0",
		"del undefined_name",
		"d = {}\ndel d['k']",
		"'{} {}'.format(1)",
		"'abc'.zfill('x')",
		"zip(1, 2)",
		"enumerate(5)",
		"dict([1, 2])",
		"isinstance(1, 5)",
		"getattr(1, 'nope')",
		"max([])",
		"max([], default=7)",
		"list(map(lambda x: x / 0, [1]))",
		"def f():\n    raise KeyError('k')\ntry:\n    f()\nexcept LookupError as e:\n    print('caught', type(e).__name__)",
		"try:\n    raise RuntimeError('a')\nexcept (TypeError, RuntimeError) as e:\n    print(e)\nfinally:\n    print('done')",
		"try:\n    x = 1\nfinally:\n    x = 2\nx",
	})
}

// Augmented assignment changes mutable containers in place (every name of the list sees
// it), and rebinds immutable values, as in Python.
func TestAugmentedAssignmentAsPython(t *testing.T) {
	checkAgainstPython(t, []string{
		"l = [3, 1]\nm = l\nl += [2]\nl *= 2\nm, l is m",
		"t = (1,)\nu = t\nt += (2,)\nt, u",
		"s = {1}\nr = s\ns |= {2}\ns -= {1}\nr",
		"d = {'a': 1}\ne = d\nd |= {'b': 2}\ne",
		"x = 5\nx += 2\nx -= 1\nx *= 3\nx //= 4\nx **= 2\nx %= 7\nx",
		"s = 'a'\ns += 'b'\ns *= 2\ns",
		"l = [1]\nl += 'ab'\nl",
		"x = 1\nx += 'a'",
		"def add(acc):\n    acc += [1]\nv = []\nadd(v)\nadd(v)\nv",
	})
}

// printf-style formatting with a mapping, as Python's.
func TestPercentMappingAsPython(t *testing.T) {
	checkAgainstPython(t, []string{
		"'%(n)s=%(v).1f' % {'n': 'x', 'v': 2}",
		"'%(missing)s' % {'n': 1}",
		"'%(n)s' % (1,)",
		"'%(a)s and %(a)r' % {'a': 'q'}",
	})
}

// type(x) compares with the builtin types as in Python.
func TestTypeComparisonsAsPython(t *testing.T) {
	checkAgainstPython(t, []string{
		"type([]) == list, type(1) is int, type('a') is not str, type(1.0) == int, type({}) is dict, type(True) == bool",
		"[type(v).__name__ for v in [1, 'a', [], (), {}, set(), None, 1.5, range(2)]]",
	})
}
