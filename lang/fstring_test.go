package lang

import (
	"context"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

// f-string fields reach pyfmt for Python's own types: the cases where lang's former
// formatter differed from Python (a precision on an int, a spec on a bool, zero padding
// with grouping, 'z', a non-ASCII fill, np.float32 fields) print what Python prints, or
// raise its error.
func TestFStringFieldsFormatAsPython(t *testing.T) {
	exprs := []string{
		`f"{7:.2}"`, `f"{True:>5}"`, `f"{False:d}"`, `f"{True}"`, `f"{1234:08,}"`, `f"{-1234.5:012,.1f}"`,
		`f"{-0.0001:z.1f}"`, `f"{'é':*^5}"`, `f"{255:_b}"`, `f"{0.0:.1}"`, `f"{'ab':05}"`, `f"{65:c}"`,
		`f"{1e20:#}"`, `f"{3:,x}"`, `f"{'s':+}"`, `f"{2.5:é>8}"`,
	}
	const script = `
import sys
for line in sys.stdin.read().split('\x00'):
    try:
        print(eval(line))
    except Exception as e:
        print(type(e).__name__ + ': ' + str(e))
`
	want := strings.Split(strings.TrimSuffix(string(pyref.RunInput(t, []byte(strings.Join(exprs, "\x00")), script)), "\n"), "\n")
	if len(want) != len(exprs) {
		t.Fatalf("Python printed %d lines for %d expressions", len(want), len(exprs))
	}
	s := NewSession()
	for i, code := range exprs {
		out := &captured{}
		_, err := s.Execute(context.Background(), "print("+code+")", out)
		got := strings.TrimSuffix(out.text, "\n")
		if err != nil {
			e, ok := err.(*Error)
			if !ok {
				t.Errorf("%s: %v", code, err)
				continue
			}
			got = e.Class + ": " + e.Msg
		}
		if got != want[i] {
			t.Errorf("%s: %q, Python %q", code, got, want[i])
		}
	}
}

// numpy formats an np.float32 field as the Python float it widens to, even without a
// spec, while str() keeps float32's own short digits.
func TestFStringFloat32Fields(t *testing.T) {
	const script = `
import numpy as np
x = np.float32(0.1)
print(f"{x}|{x:.3f}|{x:g}|{x!s}|{x!r}")
`
	want := strings.TrimSpace(string(pyref.Run(t, script)))
	var parts []string
	for _, field := range []struct{ conv, spec string }{{"", ""}, {"", ".3f"}, {"", "g"}, {"s", ""}, {"r", ""}} {
		s, err := formatField(float32(0.1), field.conv, field.spec)
		if err != nil {
			t.Fatalf("format(float32(0.1), %q, %q): %v", field.conv, field.spec, err)
		}
		parts = append(parts, s)
	}
	if got := strings.Join(parts, "|"); got != want {
		t.Errorf("float32 fields: %q, numpy %q", got, want)
	}
}
