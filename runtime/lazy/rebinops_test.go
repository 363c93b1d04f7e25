package lazy

import (
	"math"
	"testing"

	"gokist/internal/pyref"
)

// rebinOpsPy bins a 4x6 array by (2, 3) with numpy (reshape, then the operation over the
// bin axes, as ndcube's rebin does); NaN is null.
const rebinOpsPy = `
import json, sys, warnings
import numpy as np
warnings.simplefilter("ignore")
inp = json.load(sys.stdin)
x = np.array([np.nan if v is None else v for v in inp["data"]], dtype=np.float64).reshape(4, 6)
out = {}
for name in inp["ops"]:
    r = getattr(np, name)(x.reshape(2, 2, 2, 3), axis=(1, 3)).ravel()
    out[name] = [None if v != v else float(v) for v in r]
print(json.dumps(out))
`

// Every rebin operation's bin step, on float64 and float32 blocks, gives numpy's values;
// a NaN makes its bin NaN.
func TestRebinOpStepsLikeNumpy(t *testing.T) {
	data := make([]float64, 24)
	for i := range data {
		data[i] = float64((i*7)%11) - 3.25
	}
	data[4] = math.NaN() // in bin (0, 1)
	input := map[string]any{"data": nullNaN(data), "ops": []string{}}
	for _, op := range RebinOps {
		input["ops"] = append(input["ops"].([]string), op.Name)
	}
	var want map[string][]*float64
	pyref.RunJSON(t, rebinOpsPy, input, &want)
	data32 := toFloat32(data)
	for _, op := range RebinOps {
		got := make([]float64, 4)
		binReduce(data, []int{4, 6}, []int{2, 3}, op, got)
		got32 := make([]float64, 4)
		binReduce(data32, []int{4, 6}, []int{2, 3}, op, got32)
		for i, w := range want[op.Name] {
			for _, g := range []float64{got[i], got32[i]} {
				if w == nil && !math.IsNaN(g) || w != nil && math.Abs(g-*w) > 1e-6 {
					t.Errorf("rebin %s bin %d: got %v (float64 block) / %v (float32 block), numpy %v", op.Name, i, got[i], got32[i], fmtPtr(w))
				}
			}
		}
	}
}

// nullNaN gives the values for JSON with NaN as null.
func nullNaN(xs []float64) []*float64 {
	out := make([]*float64, len(xs))
	for i := range xs {
		if !math.IsNaN(xs[i]) {
			out[i] = &xs[i]
		}
	}
	return out
}

func fmtPtr(p *float64) any {
	if p == nil {
		return "nan"
	}
	return *p
}
