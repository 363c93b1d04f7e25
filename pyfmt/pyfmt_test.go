package pyfmt

import (
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
)

// typedValue is a value both Go and Python build from text: kind is int, bool, float,
// f32 (np.float32) or str.
type typedValue struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// goValue builds the Go value Format receives for v.
func goValue(t *testing.T, v typedValue) any {
	t.Helper()
	switch v.Kind {
	case "int":
		n, err := strconv.ParseInt(v.Text, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	case "bool":
		return v.Text == "True"
	case "float", "f32":
		f, err := strconv.ParseFloat(v.Text, 64)
		if err != nil {
			t.Fatal(err)
		}
		if v.Kind == "f32" {
			return float32(f)
		}
		return f
	}
	return v.Text
}

// TestFormatMatchesPython checks Format against Python's format(v, spec) for a grid of
// ints, bools, floats, np.float32 and strs and of specs covering every part of the
// mini-language; a spec Python rejects must give the same error class and message.
func TestFormatMatchesPython(t *testing.T) {
	var values []typedValue
	for _, n := range []string{"0", "5", "-42", "255", "1234567", "-1234567", "65", "1114111", "1114112", "-1",
		"9223372036854775807", "-9223372036854775808", "100000000000000001"} {
		values = append(values, typedValue{"int", n})
	}
	values = append(values, typedValue{"bool", "True"}, typedValue{"bool", "False"})
	for _, f := range []string{"630.07065", "-400.30995754123", "0", "-0.0", "5", "1e20", "1e-5", "123456789", "1e16",
		"9.9999e15", "0.5", "2.5", "12", "123", "25", "100", "1234567.891", "-0.0001234", "0.00012345", "999999.5", "1e100",
		"-0.004", "3.14159", "1.5e-7", "nan", "inf", "-inf", "0.25", "1e-300", "5e-324", "1.7976931348623157e308"} {
		values = append(values, typedValue{"float", f})
	}
	values = append(values, typedValue{"f32", "0.1"}, typedValue{"f32", "630.07065"}, typedValue{"f32", "-1e20"})
	for _, s := range []string{"ab", "", "héllo", "a much longer string"} {
		values = append(values, typedValue{"str", s})
	}
	specs := []string{"", "d", "5d", "05d", "+d", " d", "-d", "x", "X", "#x", "#X", "#010x", "_x", "_b", "#_b", "#o",
		"o", "b", ",", "_", ",d", ",x", "_d", "08,", "012,", "0=12,", "*=12,", "=12,", "012_x", "c", "+c", "#c", ">5c",
		"n", ",n", ".2", ".2f", ".3e", "10.2f", "g", ">20", "<12.1f", "^15.3g", "+.2f", " .2f", ".3g", "e", "E", "f",
		"F", "G", ",.2f", "_.1f", "012.3f", "=+12.2f", "*^20.4e", ".0f", ".0e", "#.0f", "#.0e", "#g", "#.3g", "#.1g",
		"#", "#.3", ".3", ".10", ".1", ".0", "%", ".1%", "#.0%", ".2d", "10s", "s", ".3s", ".", "+-", "z.2f", "z.0f",
		"z.0e", "z", "zd", "z.1%", "^7", "*^9", "é>9", "0>9", "<05", "05", "=10", "+", " ", ",_", "_,", ",,", "__",
		"99999999999999999999999", "10.3fx", "é", "€", ",é", ",s", "010", "010,", "010,.2f", "020_.3f", "-08.3f",
		"0=10", "q", "0^9", "^", "<", "=", "#=10x", "+#010b", "_o", ",X", ".2%", "020,.2e", "0=15,"}
	const script = `
import sys, json
import numpy as np
j = json.load(sys.stdin)
def build(v):
    k, t = v['kind'], v['text']
    return {'int': int, 'bool': lambda t: t == 'True', 'float': float, 'f32': np.float32, 'str': str}[k](t)
out = []
for v in j['values']:
    x = build(v)
    row = []
    for s in j['specs']:
        try:
            row.append(format(x, s))
        except Exception as e:
            row.append('ERR:' + type(e).__name__ + ':' + str(e))
    out.append(row)
print(json.dumps(out))
`
	var want [][]string
	pyref.RunJSON(t, script, map[string]any{"values": values, "specs": specs}, &want)
	for i, v := range values {
		x := goValue(t, v)
		for k, spec := range specs {
			got, err := Format(x, spec)
			w := want[i][k]
			if class, msg, isErr := strings.Cut(strings.TrimPrefix(w, "ERR:"), ":"); strings.HasPrefix(w, "ERR:") && isErr {
				var e *obj.Error
				if err == nil || !errors.As(err, &e) || e.Class != class || e.Msg != msg {
					t.Errorf("format(%s %s, %q) = %q, %v; Python raises %s: %s", v.Kind, v.Text, spec, got, err, class, msg)
				}
				continue
			}
			if err != nil || got != w {
				t.Errorf("format(%s %s, %q) = %q, %v; Python %q", v.Kind, v.Text, spec, got, err, w)
			}
		}
	}
}

// TestFloatReprMatchesPython checks Float against Python's repr(float) and Float32
// against numpy 1.24's repr(np.float32) on edge values and random bit patterns.
func TestFloatReprMatchesPython(t *testing.T) {
	values := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1e-4, 9.999e-5, 1e-5, 1e15, 1e16, 9999999999999998,
		123456789012345678, 630.07065, 5e-324, math.MaxFloat64, math.SmallestNonzeroFloat32, math.MaxFloat32,
		1e-45, 3.4e38, 16777216, 16777217, 0.30000000000000004, math.Inf(1), math.Inf(-1), math.NaN()}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		values = append(values, math.Float64frombits(rng.Uint64()))
		values = append(values, float64(math.Float32frombits(rng.Uint32())))
		values = append(values, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(40)-20)))
	}
	texts := make([]string, len(values))
	for i, v := range values {
		texts[i] = strconv.FormatFloat(v, 'g', -1, 64) // Python's float() reads Go's NaN, +Inf
	}
	const script = `
import sys, json, warnings
import numpy as np
warnings.simplefilter('ignore')  # float32 overflow to inf
vals = [float(t) for t in json.load(sys.stdin)]
print(json.dumps({'f64': [repr(v) for v in vals], 'f32': [repr(np.float32(v)) for v in vals]}))
`
	var want struct{ F64, F32 []string }
	pyref.RunJSON(t, script, texts, &want)
	for i, v := range values {
		if got := Float(v); got != want.F64[i] {
			t.Errorf("Float(%s) = %q, Python repr %q", texts[i], got, want.F64[i])
		}
		if got := Float32(float32(v)); got != want.F32[i] {
			t.Errorf("Float32(%s) = %q, numpy repr %q", texts[i], got, want.F32[i])
		}
	}
}

// TestFormatOtherTypes: a type without the mini-language is a TypeError naming it, and a
// width beyond MaxWidth is refused before any text is built.
func TestFormatOtherTypes(t *testing.T) {
	var e *obj.Error
	if _, err := Format([]any{1}, ">5"); !errors.As(err, &e) || e.Class != obj.TypeError || !strings.Contains(e.Msg, "list.__format__") {
		t.Errorf("format(list, '>5'): %v; want a TypeError naming list", err)
	}
	if _, err := Format(1.5, strconv.Itoa(MaxWidth+1)); !errors.As(err, &e) || e.Class != memoryError {
		t.Errorf("a width past MaxWidth: %v; want a MemoryError", err)
	}
	if s, err := Format("x", ">"+strconv.Itoa(MaxWidth)); err != nil || len(s) != MaxWidth {
		t.Errorf("a width of MaxWidth: %d characters, %v", len(s), err)
	}
}

// FuzzFormatSpec: any spec on any float, int or str gives a string or an *obj.Error,
// never a panic; a width is honoured; and a number's digits are all there.
func FuzzFormatSpec(f *testing.F) {
	f.Add(630.07065, int64(12), "ab", ".2f")
	f.Add(-400.3, int64(-7), "", "*^+#020,.3e")
	f.Add(math.Inf(-1), int64(0), "x", "z.1%")
	f.Add(1e300, int64(math.MinInt64), "é", "é>50.400g")
	f.Add(0.0, int64(255), "s", "#_x")
	f.Add(-0.0, int64(1234), "", "0=12,")
	f.Fuzz(func(t *testing.T, v float64, n int64, s, spec string) {
		for _, x := range []any{v, n, s, n%2 == 0} {
			out, err := Format(x, spec)
			if err != nil {
				var e *obj.Error
				if !errors.As(err, &e) {
					t.Fatalf("format(%v, %q): %T %v", x, spec, err, err)
				}
				continue
			}
			if p, perr := parse(spec, "", 0, '>'); perr == nil && spec != "" && len([]rune(out)) < p.width {
				t.Fatalf("format(%v, %q) = %q, narrower than %d", x, spec, out, p.width)
			}
		}
		if out, err := Format(n, ""); err != nil || out != strconv.FormatInt(n, 10) {
			t.Fatalf("format(%d, '') = %q, %v", n, out, err)
		}
		if out, err := Format(v, ""); err != nil || out != Float(v) {
			t.Fatalf("format(%v, '') = %q, %v", v, out, err)
		}
	})
}
