package lang

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
)

// TestTypeNamesMatchPython checks that messages and type() name lang's own values (range,
// type, dict, numpy float32) as Python does, never by their Go types: each expression's
// repr, or its error class and message, must equal the reference Python's.
func TestTypeNamesMatchPython(t *testing.T) {
	exprs := []string{
		"range(3) + 1", "{} + 1", "type(1) + 1", "len(type(1))", "-{}", "abs(range(2))",
		"type({})", "type(type(1))", "type(range(3))", "type(1).__name__",
		"range(3).start", "range(3).stop", "range(1, 9, 2).step", "range(5, 0, -2).stop",
		"[1][range(1)]", "range(3).foo", "range(3)()", "{} < 1",
		"len(x)", "x.foo", "x()", "type(x)",
	}
	in, _ := json.Marshal(exprs)
	script := `
import json, sys
import numpy as np
out = []
for e in json.loads(sys.stdin.read()):
    try:
        out.append(repr(eval(e, {"x": np.float32(1.5)})))
    except Exception as ex:
        out.append("!" + type(ex).__name__ + ": " + str(ex))
print(json.dumps(out))
`
	var want []string
	if err := json.Unmarshal(pyref.RunInput(t, in, script), &want); err != nil {
		t.Fatal(err)
	}
	s := NewSession()
	s.bind("x", float32(1.5))
	for i, e := range exprs {
		r, err := s.Execute(context.Background(), e, nil)
		got := ""
		if err != nil {
			var le *Error
			if !errors.As(err, &le) {
				t.Fatalf("%s: %v", e, err)
			}
			got = "!" + le.Class + ": " + le.Msg
		} else {
			got, _ = r["text/plain"].(string)
		}
		if got != want[i] {
			t.Errorf("%s:\n gokist %s\n Python %s", e, got, want[i])
		}
	}
}

// TestRangeNamedForTheRuntime: the runtime names values with obj.TypeName, so a range
// passed to it must be an obj.Object named "range", not the Go type lang.rangeValue.
func TestRangeNamedForTheRuntime(t *testing.T) {
	if got := obj.TypeName(rangeValue{0, 3, 1}); got != "range" {
		t.Errorf("obj.TypeName(range(3)) = %q", got)
	}
	if got := obj.TypeName(typeName("int")); got != "type" {
		t.Errorf("obj.TypeName(type(1)) = %q", got)
	}
	s := NewSession()
	out := &recorder{}
	run(t, s, out, "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()")
	for _, cell := range []string{"ax.plot(range(3))", "ax.plot(type(1))"} {
		_, err := s.Execute(context.Background(), cell, out)
		if err == nil {
			continue // a runtime that plots a range is fine too
		}
		if msg := err.Error(); strings.Contains(msg, "lang.") || strings.Contains(msg, "Value") {
			t.Errorf("%s: the message names a Go type: %s", cell, msg)
		}
	}
}

// TestRangeIsASequenceForTheRuntime: matplotlib plots any sequence, range included; the
// runtime takes lang's range through obj.Sequence, and runtime messages name a dict as
// Python does.
func TestRangeIsASequenceForTheRuntime(t *testing.T) {
	s := NewSession()
	var out recorder
	if _, err := s.Execute(context.Background(), "ax = plt.plot(range(4), range(0, 8, 2))", &out); err != nil {
		t.Fatalf("plt.plot(range(4), range(0, 8, 2)): %v", err)
	}
	_, err := s.Execute(context.Background(), "plt.plot({})", &out)
	var le *Error
	if !errors.As(err, &le) || le.Class != obj.TypeError || !strings.Contains(le.Msg, "not dict") {
		t.Errorf("plt.plot({}) gave %v; want a TypeError naming a dict", err)
	}
}
