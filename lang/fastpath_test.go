package lang

import (
	"context"
	"fmt"
	"testing"
)

// Loops whose bodies take the fast path (names, constants, operators) give CPython's
// results, including big-integer overflow, float promotion, errors raised mid-loop and
// names unbound inside the loop (the check of a statement's names is cached per loop).
func TestFastPathLoopsAsPython(t *testing.T) {
	checkAgainstPython(t, []string{
		"s = 0\nfor i in range(100):\n    s += i * i * i * i * i * i * i\ns",
		"s = 0.5\nfor i in range(10):\n    s = s * -1.5 + i / 4\ns",
		"s = 0\nfor i in range(10):\n    s = s + (i > 3) - (not i)\ns",
		"n = 10\nwhile n > -3:\n    n -= 1\nn",
		"s = 0\nfor i in range(5):\n    s += 10 // (3 - i)\ns",
		"s = 0\nfor i in range(5):\n    s += 1\n    if i == 2:\n        del s\ns",
		"s = 'a'\nfor i in range(3):\n    s = s + s\ns",
		"s = 'a'\nfor i in range(3):\n    s = s + i\ns",
		"x = None\nfor i in range(2):\n    y = x is None\ny",
		"t = True\nfor i in range(3):\n    t = -t + 2 ** i % 5\nt",
		// the slot loop: break, continue, else, errors mid-loop keep what ran, names
		// first bound in the loop, a `global` in a function, nested loops, non-range
		"s = 0\nfor i in range(10):\n    if i == 2:\n        continue\n    elif i > 6:\n        break\n    s += i\nelse:\n    s = -1\n(s, i)",
		"s = 0\nfor i in [3, 2, 1]:\n    s += i\nelse:\n    s = s * 100\ns",
		"s = 0\nfor i in range(5):\n    s += 1\n    q = 10 // (3 - i)\n",
		"s = 0\ntry:\n    for i in range(5):\n        s += 1\n        q = 10 // (3 - i)\nexcept ZeroDivisionError:\n    pass\n(s, i, q)",
		"for i in range(3):\n    y = i * 2\n(i, y)",
		"for i in range(3):\n    z = w + 1\n",
		"w = 1\nfor i in range(3):\n    w = w * 3\n    if w > 5:\n        v = w\n(w, v)",
		"g = 0\ndef f():\n    global g\n    for i in range(4):\n        g += i\n    return g\n(f(), g)",
		"def f(n):\n    t = 0\n    for i in range(n):\n        t += i\n    return t\nf(100)",
		"s = 0\nfor i in range(4):\n    for j in range(i):\n        s += j\ns",
		"s = ''\nfor c in 'abc':\n    s = c + s\ns",
		"for i in range(0):\n    pass\nelse:\n    r = 'empty'\nr",
		"x = 5\nfor x in range(2):\n    pass\nx",
		"for i in range(0):\n    pass\ni",
		"for i in []:\n    pass\ni",
		"s = 0\nfor i in range(-7, 8, 3):\n    s = s * 3 + i // 2 - i % 3 + -i\n    if s % 2 == 0:\n        s = s // -4\ns",
		"s = 0\nfor i in range(6):\n    if i >= 2.5:\n        s = s + i / 2\n    elif i != True:\n        s -= 1\ns",
	})
}

// The fast closures and expr's VM agree on every statement value they both run: the
// same result, or the same error class, message and cell position.
func TestFastPathAgreesWithVM(t *testing.T) {
	exprs := []string{
		"a + b", "a - b * c", "a / c", "a // c", "a % c", "a ** b", "-a", "+a", "~b",
		"a < b", "a <= c", "a == f", "a != b", "f > a", "not a", "a and b", "x + a",
		"a / z", "a // z", "a % z", "big * big", "-big * big", "s + s", "s * b", "s + a",
		"s < a", "n is None", "1.5 * a + 2", "True + a", "a / f",
	}
	setup := "a = 7\nb = 3\nc = -2\nz = 0\nf = 2.5\nbig = 2**62\ns = 'ab'\nn = None\nx = [1]\n"
	loops := []string{
		"s = 2**61\nfor i in range(3):\n    s = s * 2\nr = s",
		"s = -2**62\nfor i in range(3):\n    s = s - 2**62\nr = s",
		"s = 1\nfor i in range(-3, 3):\n    s = s + 10 // i\nr = s",
		"s = 1\nfor i in range(-3, 3):\n    s = s % i\nr = s",
		"s = 1\nfor i in range(5):\n    s = s * 1.5 - i\nr = s",
		"s = 0\nfor i in range(5):\n    if i > 2.5:\n        s = s + True\nr = s",
		"s = 'x'\nfor i in range(5):\n    s = -s\nr = s",
	}
	for _, code := range loops {
		if got, want := runPlain(t, NewSession(), code), runForcingVM(t, NewSession(), code); got != want {
			t.Errorf("%s:\nvm:   %s\nfast: %s", code, want, got)
		}
	}
	fastOnes := 0
	for _, src := range exprs {
		if stmts, err := parseCell("r = " + src); err == nil && NewSession().compileFast(stmts[0].value) != nil {
			fastOnes++
		}
		code := setup + "r = " + src
		vm, fast := NewSession(), NewSession()
		gotVM := runForcingVM(t, vm, code)
		gotFast := runPlain(t, fast, code)
		if gotVM != gotFast {
			t.Errorf("%s:\nvm:   %s\nfast: %s", src, gotVM, gotFast)
		}
	}
	if fastOnes < len(exprs)-3 {
		t.Errorf("only %d of %d expressions take the fast path", fastOnes, len(exprs))
	}
}

// runPlain runs code as a cell and describes its outcome: r's repr or the error.
func runPlain(t *testing.T, s *Session, code string) string {
	t.Helper()
	if _, err := s.Execute(context.Background(), code, &captured{}); err != nil {
		e := err.(*Error)
		return fmt.Sprintf("%s: %s at %d:%d", e.Class, e.Msg, e.Line, e.Col)
	}
	res, err := s.Execute(context.Background(), "r", &captured{})
	if err != nil {
		t.Fatal(err)
	}
	return res["text/plain"].(string)
}

// runForcingVM runs code with the fast path off.
func runForcingVM(t *testing.T, s *Session, code string) string {
	t.Helper()
	s.noFast = true
	defer func() { s.noFast = false }()
	return runPlain(t, s, code)
}

// The loops above that should run on slots do: the comparison is not vacuous.
func TestFastLoopIsTaken(t *testing.T) {
	for _, code := range []string{
		"for i in range(10):\n    if i == 2:\n        continue\n    elif i > 6:\n        break\n    s += i",
		"for i in range(5):\n    s += 1\n    q = 10 // (3 - i)",
		"for c in 'abc':\n    s = c + s",
	} {
		stmts, err := parseCell(code)
		if err != nil {
			t.Fatal(err.msg)
		}
		if NewSession().compileFastLoop(stmts[0]) == nil {
			t.Errorf("not a fast loop:\n%s", code)
		}
	}
}
