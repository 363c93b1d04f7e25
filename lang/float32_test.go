package lang

import (
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
)

// float32 values are what the runtime returns for full reductions of float32 data, as
// numpy returns np.float32: they print, convert and test as numpy's scalars do.
func TestFloat32ScalarsLikeNumpy(t *testing.T) {
	values := []float32{0.23660603, 123456790, 1e6, 2, -0.5, 1.5e-8, 3.4028235e38}
	var script strings.Builder
	script.WriteString("import numpy as np\n")
	for _, v := range values {
		script.WriteString("print(repr(np.float32(" + FormatFloat(float64(v)) + ")), int(np.float32(" + FormatFloat(float64(v)) + ")))\n")
	}
	lines := strings.Split(strings.TrimSpace(string(pyref.Run(t, script.String()))), "\n")
	if len(lines) != len(values) {
		t.Fatalf("numpy printed %d lines for %d values", len(lines), len(values))
	}
	for i, v := range values {
		fields := strings.Fields(lines[i])
		if got := Repr(v); got != fields[0] {
			t.Errorf("repr of float32 %g: %q, numpy %q", v, got, fields[0])
		}
		n, err := builtinInt(nil, obj.Args{Pos: []any{v}})
		if v > 0x1p63 {
			// Past 64 bits Python makes a big int; gokist ints are 64-bit and say so.
			if e, ok := err.(*obj.Error); !ok || e.Class != OverflowError {
				t.Errorf("int(float32 %g) = %v, %v; want an OverflowError", v, n, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("int(float32 %g): %v", v, err)
		} else if Repr(n) != fields[1] {
			t.Errorf("int(float32 %g) = %s, numpy %s", v, Repr(n), fields[1])
		}
	}
	if ok, err := truthy(float32(0)); err != nil || ok {
		t.Errorf("bool(float32(0)) = %v, %v; want False", ok, err)
	}
	if ok, err := truthy(float32(0.25)); err != nil || !ok {
		t.Errorf("bool(float32(0.25)) = %v, %v; want True", ok, err)
	}
}
