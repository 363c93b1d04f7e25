package numpy

import (
	"math"
	"strconv"
	"testing"
)

// TestFloat32ScalarArithmeticLikeNumpy checks ScalarBinaryOp and ScalarUnaryOp against
// numpy 1.24 scalars: np.float32 with np.float32 or a bool stays np.float32 (same bits,
// same repr), division by zero gives inf/nan, and with a Python float or int the pair is
// left to Python's float64 rules, as numpy 1.24 gives float64 there.
func TestFloat32ScalarArithmeticLikeNumpy(t *testing.T) {
	values := []float32{0.9560502, 0.96536493, -2.5, 1e-5, 3.0, 0, 16777216}
	ops := []string{"+", "-", "*", "/", "//", "%", "**"}
	type pair struct {
		A, B any
		Op   string
	}
	var pairs []pair
	for _, x := range values {
		for _, y := range values {
			for _, op := range ops {
				pairs = append(pairs, pair{x, y, op})
			}
		}
		pairs = append(pairs, pair{x, true, "+"}, pair{false, x, "-"}, pair{x, true, "*"},
			pair{x, 0.1, "+"}, pair{x, 2, "*"}, pair{3, x, "-"})
	}
	var in []map[string]any
	for _, p := range pairs {
		in = append(in, map[string]any{"a": pyScalar(p.A), "b": pyScalar(p.B), "op": p.Op})
	}
	var want []struct {
		Type  string    `json:"type"`
		Value jsonFloat `json:"value"`
		Repr  string    `json:"repr"`
	}
	runPython(t, `
import json, sys, warnings
import numpy as np
warnings.simplefilter("ignore")
def val(s):
    kind, text = s.split(":")
    return {"f32": lambda: np.float32(float(text)), "bool": lambda: text == "True",
            "int": lambda: int(text), "float": lambda: float(text)}[kind]()
out = []
for c in json.load(sys.stdin):
    r = eval("a " + c["op"] + " b", {"a": val(c["a"]), "b": val(c["b"])})
    v = float(r)
    out.append({"type": type(r).__name__, "value": v if np.isfinite(v) else repr(v), "repr": repr(r)})
json.dump(out, sys.stdout)
`, in, &want)
	for i, p := range pairs {
		got, handled, err := ScalarBinaryOp(p.Op, p.A, p.B)
		label := pyScalar(p.A) + " " + p.Op + " " + pyScalar(p.B)
		if err != nil {
			t.Errorf("%s: %v", label, err)
			continue
		}
		w := want[i]
		if w.Type != "float32" {
			if handled {
				t.Errorf("%s: handled (%v), but numpy gives %s, Python's rules", label, got, w.Type)
			}
			continue
		}
		g, ok := got.(float32)
		if !handled || !ok {
			t.Errorf("%s: got %v (handled %v), numpy np.float32 %s", label, got, handled, w.Repr)
			continue
		}
		wv := float64(w.Value)
		if float64(g) != wv && !(math.IsNaN(float64(g)) && math.IsNaN(wv)) {
			t.Errorf("%s: got %v, numpy %s", label, g, w.Repr)
		}
		if FormatFloat32(g) != w.Repr {
			t.Errorf("%s: prints %s, numpy %s", label, FormatFloat32(g), w.Repr)
		}
	}
	for _, x := range values {
		for _, op := range []string{"-", "+", "abs"} {
			got, handled := ScalarUnaryOp(op, x)
			want := float64(x)
			switch op {
			case "-":
				want = -want
			case "abs":
				want = math.Abs(want)
			}
			if g, ok := got.(float32); !handled || !ok || float64(g) != want {
				t.Errorf("%s(%v): got %v (handled %v), want np.float32 %v", op, x, got, handled, want)
			}
		}
	}
	if _, handled := ScalarUnaryOp("-", 1.5); handled {
		t.Errorf("unary minus of a Python float must be left to Python's rules")
	}
}

// pyScalar encodes a scalar for the reference script with its numpy kind.
func pyScalar(v any) string {
	switch x := v.(type) {
	case float32:
		return "f32:" + strconv.FormatFloat(float64(x), 'g', -1, 32)
	case bool:
		if x {
			return "bool:True"
		}
		return "bool:False"
	case int:
		return "int:" + strconv.Itoa(x)
	case float64:
		return "float:" + strconv.FormatFloat(x, 'g', -1, 64)
	}
	panic("unexpected scalar")
}
