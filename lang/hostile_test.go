package lang

import (
	"context"
	goruntime "runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// Issue 13 item 10: a list that shares itself 60 levels deep (2^60 elements when
// printed in full) prints within a size budget with reprlib's `...`, compares with
// itself at once (identical objects short-cut), and a comparison with an equal copy,
// which takes 2^60 steps, stops on interrupt; a list inside itself prints as Python
// prints it.
func TestHugeAndRecursiveLists(t *testing.T) {
	s := NewSession()
	ctx := context.Background()
	run := func(code string) (map[string]any, error) {
		return s.Execute(ctx, code, &captured{})
	}
	if _, err := run("a = [0]\nfor _ in range(60):\n    a = [a, a]\nb = [0]\nfor _ in range(60):\n    b = [b, b]"); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"a", "str(a)", "f'{a}'", "repr(a)[-6:]", "a == a", "a <= a", "min(a, a) is a", "len(sum(a, []))"} {
		start := time.Now()
		res, err := run(code)
		if err != nil {
			t.Errorf("%s: %v", code, err)
			continue
		}
		text, _ := res["text/plain"].(string)
		if time.Since(start) > 5*time.Second || len(text) > 3*maxReprLen {
			t.Errorf("%s: %d characters in %v", code, len(text), time.Since(start))
		}
		if strings.HasPrefix(code, "a") && code != "a == a" && code != "a <= a" && !strings.HasSuffix(text, "...]") {
			t.Errorf("%s does not end in the budget's ...: %q", code, text[max(0, len(text)-20):])
		}
	}
	if res, _ := run("a == a, a <= a, min(a, a) is a, len(sum(a, []))"); res["text/plain"] != "(True, True, True, 4)" {
		t.Errorf("comparisons of a with itself: %v", res)
	}
	cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.Execute(cctx, "a == b", &captured{})
	if e, ok := err.(*Error); !ok || e.Class != "Interrupted" || time.Since(start) > 2*time.Second {
		t.Errorf("a == b with a deadline: %v after %v; want Interrupted soon after 200ms", err, time.Since(start))
	}
	checkAgainstPython(t, []string{
		"x = []\nx.append(x)\nx, str(x), x == x",
		"d = {'k': 1}\nd['self'] = d\nd",
		"x = [1]\ny = [x, x]\nx.append(y)\ny",
		"t = []\nfor _ in range(2000):\n    t = [t]\nt == t",
	})
}

// A cell that keeps growing lists gets a MemoryError when the heap nears the kernel's
// memory limit, before the allocation that would pass it, and the session goes on.
func TestGrowingListsAreMemoryError(t *testing.T) {
	limit := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(limit)
	var ms goruntime.MemStats
	goruntime.ReadMemStats(&ms)
	debug.SetMemoryLimit(int64(ms.HeapAlloc) + 400<<20)
	s := NewSession()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, err := s.Execute(ctx, "keep = []\nwhile True:\n    keep.append([0] * 100000)", nil)
	if e, ok := err.(*Error); !ok || e.Class != "MemoryError" {
		t.Fatalf("growing lists: %v; want MemoryError", err)
	}
	if _, err := s.Execute(ctx, "del keep\nx = [1] * 10", nil); err != nil {
		t.Errorf("next cell: %v", err)
	}
}

// Nesting that the parser reads recursively is bounded: lambdas inside lambdas and
// blocks inside blocks past the limits are SyntaxErrors, at once, and the session goes on.
func TestDeepNestingIsSyntaxError(t *testing.T) {
	var blocks strings.Builder
	for i := range 150 {
		blocks.WriteString(strings.Repeat(" ", i) + "if True:\n")
	}
	blocks.WriteString(strings.Repeat(" ", 150) + "pass\n")
	s := NewSession()
	for _, code := range []string{strings.Repeat("lambda: ", 50000) + "1", blocks.String(), strings.Repeat("[", 300) + strings.Repeat("]", 300)} {
		start := time.Now()
		_, err := s.Execute(context.Background(), code, nil)
		if e, ok := err.(*Error); !ok || e.Class != "SyntaxError" || time.Since(start) > 2*time.Second {
			t.Errorf("%.40q…: %v after %v", code, err, time.Since(start))
		}
	}
	if res, err := s.Execute(context.Background(), "f = lambda: lambda: 7\nf()()", nil); err != nil || res["text/plain"] != "7" {
		t.Errorf("after: %v, %v", res, err)
	}
}
