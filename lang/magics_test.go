package lang

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

// formatTime is IPython's _format_time, for durations from nanoseconds to days.
func TestFormatTimeAsIPython(t *testing.T) {
	spans := []float64{0, 1e-9, 3.3e-9, 1.23456e-7, 9.999e-7, 1e-6, 4.05e-6, 0.000999, 0.0123, 0.2, 0.99951, 1, 5.5, 59.99, 60, 65.3, 3600.5, 90061}
	var want []string
	pyref.RunJSON(t, `
import json, sys
from IPython.core.magics.execution import _format_time
print(json.dumps([_format_time(x) for x in json.load(sys.stdin)]))
`, spans, &want)
	for i, x := range spans {
		if got := formatTime(x); got != want[i] {
			t.Errorf("formatTime(%g) = %q, IPython %q", x, got, want[i])
		}
	}
}

// %timeit prints what IPython's TimeitResult prints for the same per-loop times.
func TestTimeitLineAsIPython(t *testing.T) {
	cases := []struct {
		per   []float64
		loops int
	}{
		{[]float64{1e-3, 1.1e-3, 0.9e-3, 1e-3, 1e-3, 1.2e-3, 0.8e-3}, 100},
		{[]float64{2.5e-8, 2.6e-8, 2.4e-8}, 10000000},
		{[]float64{0.25}, 1},
	}
	var want []string
	pyref.RunJSON(t, `
import json, sys
from IPython.core.magics.execution import TimeitResult
out = []
for c in json.load(sys.stdin):
    per = c["per"]
    out.append(str(TimeitResult(c["loops"], len(per), min(per) * c["loops"], max(per) * c["loops"], [p * c["loops"] for p in per], per, 3)))
print(json.dumps(out))
`, func() any {
		var in []map[string]any
		for _, c := range cases {
			in = append(in, map[string]any{"per": c.per, "loops": c.loops})
		}
		return in
	}(), &want)
	for i, c := range cases {
		if got := timeitLine(c.per, c.loops); got != want[i] {
			t.Errorf("timeitLine(%v, %d) = %q, IPython %q", c.per, c.loops, got, want[i])
		}
	}
}

// The magics run their statements and print IPython's lines; shell escapes and package
// installs are refused with a reason.
func TestMagics(t *testing.T) {
	s := NewSession()
	out := &captured{}
	res, err := s.Execute(context.Background(), "x = 2\n%time y = x * 3\n%timeit -n 3 -r 2 z = y + 1\ny", out)
	if err != nil || res["text/plain"] != "6" {
		t.Fatalf("cell with line magics: %v, %v", res, err)
	}
	timeRe := regexp.MustCompile(`^CPU times: user \S+ \S+, sys: \S+ \S+, total: \S+ \S+\nWall time: \S+ \S+\n`)
	if !timeRe.MatchString(out.text) {
		t.Errorf("%%time output %q", out.text)
	}
	if !strings.Contains(out.text, "per loop (mean ± std. dev. of 2 runs, 3 loops each)") {
		t.Errorf("%%timeit output %q", out.text)
	}
	out = &captured{}
	res, err = s.Execute(context.Background(), "%%time\na = 1\na + 1", out)
	if err != nil || res["text/plain"] != "2" || !timeRe.MatchString(out.text) {
		t.Errorf("%%%%time cell: %v, %v, %q", res, err, out.text)
	}
	for _, code := range []string{"%pip install numpy", "%conda install x", "!ls -l", "x = 1\n!rm -rf /"} {
		_, err := s.Execute(context.Background(), code, nil)
		if e, ok := err.(*Error); !ok || !strings.Contains(e.Hint, "no shell") {
			t.Errorf("%q: %v; want a refusal saying the kernel runs no shell", code, err)
		}
	}
	for _, code := range []string{"%matplotlib inline", "%matplotlib widget\nx = 1"} {
		if _, err := s.Execute(context.Background(), code, nil); err != nil {
			t.Errorf("%q: %v", code, err)
		}
	}
}

// _, __, Out[n] and In[n] follow IPython: results by execution count, inputs by count.
func TestHistoryNames(t *testing.T) {
	s := NewSession()
	out := &captured{}
	for _, code := range []string{"10", "x = 5", "20", "_ + __", "Out[1] + Out[3]", "In[2]"} {
		if _, err := s.Execute(context.Background(), code, out); err != nil {
			t.Fatalf("%q: %v", code, err)
		}
	}
	res, err := s.Execute(context.Background(), "_, __, ___, _4, len(In), sorted(Out)", out)
	if err != nil || res["text/plain"] != "('x = 5', 30, 30, 30, 8, [1, 3, 4, 5, 6])" {
		t.Errorf("history names: %v, %v", res, err)
	}
}
