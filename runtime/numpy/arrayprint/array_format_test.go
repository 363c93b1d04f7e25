package arrayprint

import (
	"fmt"
	"gokist/runtime/lazy"
	"testing"
)

// TestArrayStrAndReprLikeNumpy compares str() (what print shows) and repr() of in-memory
// arrays with numpy's for arrays numpy builds: float32 rows that wrap, where the dtype
// moves to its own line, 2-D and 3-D blocks, summarised arrays past 1000 elements, ints,
// bools, NaN, scientific notation and empty arrays.
func TestArrayStrAndReprLikeNumpy(t *testing.T) {
	script := `
import json, numpy as np
rng = np.random.default_rng(7)
f32 = lambda a: np.asarray(a, dtype=np.float32)
cases = {
    "qa_row": f32([0.9560502, 0.9618288, 0.96536493]),
    "qa_2d": f32([[0.9560502, 0.9618288, 0.96536493], [0.9580518, 0.96129364, 0.96552604]]),
    "five": (0.95 + rng.random(5) * 0.03).astype(np.float32),
    "four": (0.95 + rng.random(4) * 0.03).astype(np.float32),
    "wrap32": (rng.random(23) * 100).astype(np.float32),
    "wrap64": rng.random(17) * 1000,
    "rows32": (rng.random((4, 9)) * 10).astype(np.float32),
    "cube": rng.random((2, 3, 4)),
    "cube32": (rng.random((3, 2, 7)) + 1).astype(np.float32),
    "big32": (rng.random(2000) + 0.5).astype(np.float32),
    "big2d": rng.random((50, 100)),
    "big3d32": rng.random((10, 10, 20)).astype(np.float32),
    "bigrow": (rng.random((3, 400)) * 50).astype(np.float32),
    "ints": np.array([[3, -40, 0], [7, 12000, -1]]),
    "bigints": np.concatenate([np.array([1, 2, 3]), np.full(1500, 10**12), np.array([4, 5, 6])]),
    "bools": np.array([[True, False, True], [False, False, True]]),
    "nan32": f32([1.5, np.nan, -2.25, np.inf]),
    "sci": f32([1e-5, 2.5e-7, 3.0]),
    "sci64": np.array([1.5e10, 2.0, -3.25e-3]),
    "sci_bare": np.array([1e-5, 1.0, np.nan]),
    "sci_exp3": np.array([1e-100, 2.5, -np.inf]),
    "nan_only": np.array([np.nan, np.inf]),
    "neginf": f32([[0.5, -np.inf], [np.nan, 12.125]]),
    "whole": np.array([1.0, 2.0, 30.0]),
    "one32": f32([[7.25]]),
    "large32": f32([67328016.0, 16777217.0, 9.5e7, 0.5]),
    "large32_neg": f32([-95605024.0, 12.25]),
    "empty32": np.zeros((0,), dtype=np.float32),
    "empty2d": np.zeros((3, 0)),
}
out = {}
for k, a in cases.items():
    vals = [x if np.isfinite(x) else repr(x) for x in a.astype(np.float64).ravel().tolist()]
    out[k] = {"shape": list(a.shape), "dtype": str(a.dtype), "values": vals, "str": str(a), "repr": repr(a)}
json.dump(out, __import__("sys").stdout)
`
	var cases map[string]struct {
		Shape  []int       `json:"shape"`
		DType  string      `json:"dtype"`
		Values []jsonFloat `json:"values"`
		Str    string      `json:"str"`
		Repr   string      `json:"repr"`
	}
	runPython(t, script, nil, &cases)
	if len(cases) < 20 {
		t.Fatalf("only %d reference arrays", len(cases))
	}
	for name, c := range cases {
		dt, err := dtypeNamed(c.DType)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		vals := make([]float64, len(c.Values))
		for i, v := range c.Values {
			vals[i] = float64(v)
		}
		a := lazy.NewArray(vals, c.Shape, dt)
		if got := FormatArrayStr(a); got != c.Str {
			t.Errorf("str(%s):\n got %q\nwant %q", name, got, c.Str)
		}
		if got := FormatArray(a); got != c.Repr {
			t.Errorf("repr(%s):\n got %q\nwant %q", name, got, c.Repr)
		}
	}
}

// dtypeNamed is the DType numpy names name.
func dtypeNamed(name string) (lazy.DType, error) {
	for _, d := range []lazy.DType{lazy.Bool, lazy.Int64, lazy.Float32, lazy.Float64} {
		if d.String() == name {
			return d, nil
		}
	}
	return 0, fmt.Errorf("no DType for numpy's %q", name)
}
