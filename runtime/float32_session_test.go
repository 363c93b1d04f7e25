package runtime_test

import (
	"context"
	"encoding/json"
	"gokist/runtime/numpy"
	"math"
	"strconv"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/lang"
	"gokist/obj"
)

// stdoutOf collects what print writes.
type stdoutOf struct {
	obj.Discard
	b strings.Builder
}

func (s *stdoutOf) Stream(name, text string) {
	if name == "stdout" {
		s.b.WriteString(text)
	}
}

// numpyFloat32 runs script under /usr/bin/python3 and decodes its JSON output.
func numpyFloat32(t *testing.T, script string, out any) {
	t.Helper()
	b := pyref.Run(t, script)
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("python output %q: %v", b, err)
	}
}

// TestFloat32ScalarInSession computes full reductions of float32 data in a lang session
// and checks that the result prints as numpy prints the np.float32 (not as the float64
// it widens to) while float(), arithmetic, comparisons, round and format specs treat it
// as a number, with numpy's values.
func TestFloat32ScalarInSession(t *testing.T) {
	const dir = "../../shared/data/dkist-small-visp"
	var ref map[string]struct {
		Repr  string  `json:"repr"`
		Float float64 `json:"float"`
	}
	numpyFloat32(t, `
import json, numpy as np
from astropy.io import fits
d = np.stack([fits.getdata("`+dir+`/%d.fits" % i)[0] for i in range(3)]).astype(np.float32)
out = {}
for name, v in [("mean", d.mean(dtype=np.float64)), ("sum", d.sum(dtype=np.float64)), ("max", d.max())]:
    v = np.float32(v)
    out[name] = {"repr": repr(v), "float": float(v)}
out["first"] = {"repr": repr(d[0, 0, :1].item()), "float": d[0, 0, :1].item()}
print(json.dumps(out))`, &ref)

	s := lang.NewSession()
	run := func(code string) (string, string) {
		t.Helper()
		out := &stdoutOf{}
		res, err := s.Execute(context.Background(), code, out)
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		text, _ := res["text/plain"].(string)
		return text, out.b.String()
	}
	run(`ds = dkist.load_dataset("` + dir + `")`)
	run(`d32 = ds.data.astype("float32")`)
	for _, op := range []string{"mean", "sum", "max"} {
		want := ref[op]
		run("x = d32." + op + "().compute()")
		if _, printed := run("print(x)"); printed != want.Repr+"\n" {
			t.Errorf("print(%s) = %q, numpy prints %q", op, printed, want.Repr)
		}
		if shown, _ := run("x"); shown != want.Repr {
			t.Errorf("%s shows %q, numpy %q", op, shown, want.Repr)
		}
		if got, _ := run("float(x)"); got != strconv.FormatFloat(want.Float, 'g', -1, 64) && !sameFloat(got, want.Float) {
			t.Errorf("float(%s) = %s, numpy float(np.float32) = %v", op, got, want.Float)
		}
		if got, _ := run("x * 2"); !sameFloat(got, want.Float*2) {
			t.Errorf("%s * 2 = %s, want %v", op, got, want.Float*2)
		}
		if got, _ := run("x > 0"); got != "True" {
			t.Errorf("%s > 0 = %s", op, got)
		}
		if got, _ := run(`f"{x:.3f}"`); got != "'"+strconv.FormatFloat(want.Float, 'f', 3, 64)+"'" {
			t.Errorf(`f"{x:.3f}" for %s = %s, want %.3f`, op, got, want.Float)
		}
		if got, _ := run("round(x, 1)"); !sameFloat(got, math.Round(want.Float*10)/10) {
			t.Errorf("round(%s, 1) = %s, want %v", op, got, math.Round(want.Float*10)/10)
		}
		// Arrays minus the scalar stay float32, as numpy's value-based casting has it.
		if got, _ := run("(d32 - x).dtype"); !strings.Contains(got, "float32") {
			t.Errorf("(d32 - %s).dtype = %s, want float32", op, got)
		}
	}
	// item() and tolist() give Python floats (the float32 widened), as numpy's do.
	run("m = d32[0, 0, :1].compute()")
	if got, _ := run("m.item()"); got != ref["first"].Repr {
		t.Errorf("m.item() = %s, numpy %s", got, ref["first"].Repr)
	}
	if got, _ := run("m.tolist()"); got != "["+ref["first"].Repr+"]" {
		t.Errorf("m.tolist() = %s, numpy [%s]", got, ref["first"].Repr)
	}
}

// sameFloat reports whether text is the Python repr of a float equal to want.
func sameFloat(text string, want float64) bool {
	f, err := strconv.ParseFloat(text, 64)
	return err == nil && f == want
}

// TestFormatFloat32 checks FormatFloat32 against numpy's repr of np.float32 values.
func TestFormatFloat32(t *testing.T) {
	values := []float64{0.23660603165626526, 1, -1, 0, 0.1, 1e7, 123456789, 1e16, 3e16, 1e-4, 1e-5, 1.5e-7, 65504, 3.4028234663852886e38, 1.401298464324817e-45, 363.71324943117065, -2.5, 1234567.875}
	var want []string
	script := "import json, numpy as np\nprint(json.dumps([repr(np.float32(v)) for v in " + floatList(values) + "] + [repr(np.float32(v)) for v in ('nan', 'inf', '-inf', '-0.0')]))"
	numpyFloat32(t, script, &want)
	values = append(values, math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1))
	for i, v := range values {
		if got := numpy.FormatFloat32(float32(v)); got != want[i] {
			t.Errorf("FormatFloat32(%v) = %q, numpy repr %q", v, got, want[i])
		}
	}
}

func floatList(vs []float64) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
