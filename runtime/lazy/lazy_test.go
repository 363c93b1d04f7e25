package lazy

import (
	"context"
	"math"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

// lazyPy evaluates, with numpy, the expressions the typed core API builds in
// TestLazyCoreLikeNumpy, on the same (3, 4, 6) array; NaN is null.
const lazyPy = `
import json, sys, warnings
import numpy as np
warnings.simplefilter("ignore")
x = np.array([np.nan if v is None else v for v in json.load(sys.stdin)], dtype=np.float64).reshape(3, 4, 6)
res = {
    "index": x[1:3, 2, 5::-2],
    "sum02": x.sum(axis=(0, 2)),
    "nanmax": np.nanmax(x),
    "argmin1": x[:, :, 1:].argmin(axis=1),
    "rebin": x[:, :, :].reshape(3, 2, 2, 2, 3).mean(axis=(2, 4)),
    "chain": np.nansum(x[0:2].reshape(2, 4, 2, 3).max(axis=3), axis=1),
}
print(json.dumps({k: [None if v != v else float(v) for v in np.ravel(r)] for k, r in res.items()}))
`

// The core's typed API (Index, Reduce, Rebin, Compute) gives numpy's values, computed
// on a client that splits the work into small tasks over three workers.
func TestLazyCoreLikeNumpy(t *testing.T) {
	data := make([]float64, 3*4*6)
	for i := range data {
		data[i] = math.Mod(float64(i*29%31), 7.5) - 2
	}
	data[9], data[40] = math.NaN(), math.NaN()
	var want map[string][]*float64
	pyref.RunJSON(t, lazyPy, nullNaN(data), &want)
	x := FromArray(NewArray(data, []int{3, 4, 6}, Float64))
	client := NewClient(3, 1, 1<<30)
	client.Plan = PlanConfig{MaxBlockElems: 5}
	cases := map[string]Lazy{
		"index":   x.Index([]Pick{Span(1, 3), At(2), {Start: 5, Step: -2, N: 3}}),
		"sum02":   x.Reduce(Sum, []int{2, 0}, false),
		"nanmax":  x.Reduce(Max, nil, true),
		"argmin1": x.Index([]Pick{Span(0, 3), Span(0, 4), Span(1, 6)}).Reduce(ArgMin, []int{1}, false),
		"rebin":   x.Rebin([]int{1, 2, 3}, RebinMean),
		"chain":   x.Index([]Pick{Span(0, 2), Span(0, 4), Span(0, 6)}).Rebin([]int{1, 1, 3}, RebinMax).Reduce(Sum, []int{1}, true),
	}
	for name, l := range cases {
		got, err := l.Compute(context.Background(), client)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		vals := got.Data()
		if len(vals) != len(want[name]) {
			t.Fatalf("%s: %d values, numpy %d", name, len(vals), len(want[name]))
		}
		for i, w := range want[name] {
			if w == nil && !math.IsNaN(vals[i]) || w != nil && math.Abs(vals[i]-*w) > 1e-12 {
				t.Errorf("%s: value %d is %v, numpy %v", name, i, vals[i], fmtPtr(w))
			}
		}
	}
}

// Arguments that break the typed API's rules are programming errors: they panic with
// the package's prefix, naming what is wrong.
func TestLazyCorePanicsOnBadArguments(t *testing.T) {
	x := FromArray(NewArray(make([]float64, 12), []int{3, 4}, Float64))
	for name, f := range map[string]func(){
		"picks":     func() { x.Index([]Pick{At(0)}) },
		"position":  func() { x.Index([]Pick{At(3), Span(0, 4)}) },
		"axis":      func() { x.Reduce(Sum, []int{2}, false) },
		"repeated":  func() { x.Reduce(Sum, []int{1, 1}, false) },
		"positions": func() { x.Index([]Pick{Span(0, 3), Span(0, 4)}).Reduce(ArgMax, []int{0, 1, 1}, false) },
		"factor":    func() { x.Rebin([]int{2, 1}, RebinSum) },
	} {
		func() {
			defer func() {
				p := recover()
				if s, ok := p.(string); !ok || !strings.HasPrefix(s, "runtime: ") {
					t.Errorf("%s: recovered %v, want a panic with the runtime: prefix", name, p)
				}
			}()
			f()
		}()
	}
}
