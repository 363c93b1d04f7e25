package runtime

import (
	"context"
	"fmt"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"math"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
)

// reduceOpsPy reduces the same array with numpy, one result per case (method, axis); NaN
// is null in JSON, and a numpy error is {"error": class name}.
const reduceOpsPy = `
import json, sys, warnings
import numpy as np
warnings.simplefilter("ignore")
inp = json.load(sys.stdin)
x = np.array([np.nan if v is None else v for v in inp["data"]], dtype=np.float64).reshape(inp["shape"])
out = []
for method, axis in inp["cases"]:
    ax = tuple(axis) if isinstance(axis, list) else axis
    try:
        r = np.asarray(getattr(np, method)(x, axis=ax), dtype=np.float64).ravel()
        out.append([None if v != v else float(v) for v in r])
    except Exception as e:
        out.append({"error": type(e).__name__})
print(json.dumps(out))
`

// Each reduction's chunk, combine and finish steps, driven by hand over two chunks of
// an array with NaNs (as the executor would over two files), give numpy's values.
func TestReduceOpStepsLikeNumpy(t *testing.T) {
	shape := []int{4, 3, 5}
	data := make([]float64, lazy.Product(shape))
	for i := range data {
		data[i] = math.Mod(float64(i*37%23)-7.5, 9.25)
	}
	data[7], data[31] = math.NaN(), math.NaN()
	type tc struct {
		method string
		axis   any // nil, int or []int
	}
	var cases []tc
	for _, op := range append(append([]*lazy.ReduceOp{}, lazy.ReduceOps...), lazy.LogicalReduceOps...) {
		for _, nan := range []string{"", "nan"} {
			if nan != "" && (op == lazy.Any || op == lazy.All) {
				continue
			}
			for _, axis := range []any{nil, 0, 2, []int{0, 2}} {
				if _, ok := axis.([]int); ok && op.Positional {
					continue
				}
				cases = append(cases, tc{nan + op.Name, axis})
			}
		}
	}
	var input struct {
		Data  []*float64 `json:"data"`
		Shape []int      `json:"shape"`
		Cases [][2]any   `json:"cases"`
	}
	input.Shape = shape
	input.Data = nullNaN(data)
	for _, c := range cases {
		input.Cases = append(input.Cases, [2]any{c.method, c.axis})
	}
	var want []any
	pyref.RunJSON(t, reduceOpsPy, input, &want)
	for i, c := range cases {
		t.Run(fmt.Sprintf("%s/axis=%v", c.method, c.axis), func(t *testing.T) {
			got, err := reduceInTwoChunks(data, shape, c.method, c.axis)
			switch w := want[i].(type) {
			case map[string]any:
				if err == nil {
					t.Fatalf("got %v, numpy raises %v", got, w["error"])
				}
			case []any:
				if err != nil {
					t.Fatalf("error %v, numpy gives %v", err, w)
				}
				if len(got) != len(w) {
					t.Fatalf("got %d values, numpy %d", len(got), len(w))
				}
				for k, wv := range w {
					if wv == nil {
						if !math.IsNaN(got[k]) {
							t.Fatalf("value %d: got %v, numpy nan", k, got[k])
						}
					} else if d := math.Abs(got[k] - wv.(float64)); d > 1e-12*max(1, math.Abs(wv.(float64))) {
						t.Fatalf("value %d: got %v, numpy %v", k, got[k], wv)
					}
				}
			}
		})
	}
}

// reduceInTwoChunks runs a reduction's steps over the first row of axis 0 and the rest
// as two chunks, merged in that order into a total over the whole output.
func reduceInTwoChunks(data []float64, shape []int, method string, axis any) ([]float64, error) {
	var ax any
	switch a := axis.(type) {
	case int:
		ax = a
	case []int:
		t := obj.Tuple{}
		for _, v := range a {
			t = append(t, v)
		}
		ax = t
	}
	red, err := numpy.NewReduce(&lazy.ArrayNode{A: lazy.NewArray(data, shape, lazy.Float64)}, method, ax)
	if err != nil {
		return nil, err
	}
	out := red.Shape()
	total := lazy.NewAccumulator(red.Op, lazy.Product(out))
	br := &lazy.BlockReducer{Red: red, InShape: shape, InSt: lazy.StridesOf(shape)}
	row := lazy.Product(shape[1:])
	for _, b := range []lazy.Block{{Lo: []int{0, 0, 0}, Hi: []int{1, shape[1], shape[2]}}, {Lo: []int{1, 0, 0}, Hi: shape}} {
		part, olo, ohi := lazy.ReduceBlock(br, data[b.Lo[0]*row:b.Hi[0]*row], b.Lo, b.Hi)
		total.Merge(red.Op, part, out, olo, ohi)
	}
	return total.Finish(red)
}

// Reductions of a 0-d array (x[0, 0].sum(), or a full sum summed again) give numpy's
// values: the value itself for sum, mean, min and max, 0 for argmin and the spread, and
// NaN handled as for any array.
func TestReduceZeroDimensionalLikeNumpy(t *testing.T) {
	for _, v := range []float64{5.25, math.NaN()} {
		var cases [][2]any
		var methods []string
		for _, op := range append(append([]*lazy.ReduceOp{}, lazy.ReduceOps...), lazy.LogicalReduceOps...) {
			for _, nan := range []string{"", "nan"} {
				if nan == "" || !(op == lazy.Any || op == lazy.All) {
					methods = append(methods, nan+op.Name)
					cases = append(cases, [2]any{nan + op.Name, nil})
				}
			}
		}
		input := map[string]any{"data": nullNaN([]float64{v}), "shape": []int{}, "cases": cases}
		var want []any
		pyref.RunJSON(t, reduceOpsPy, input, &want)
		x := lazy.FromArray(lazy.NewArray([]float64{v}, []int{}, lazy.Float64))
		for i, method := range methods {
			op, nan, _ := numpy.ReduceOpNamed(method)
			got, err := x.Reduce(op, nil, nan).Compute(context.Background(), lazy.NewClient(1, 1, 1<<30))
			switch w := want[i].(type) {
			case map[string]any:
				if err == nil {
					t.Errorf("%s(%v): %v, numpy raises %v", method, v, got.Data(), w["error"])
				}
			case []any:
				if err != nil {
					t.Errorf("%s(%v): %v, numpy %v", method, v, err, w)
					continue
				}
				g := got.Data()[0]
				if w[0] == nil && !math.IsNaN(g) || w[0] != nil && g != w[0].(float64) {
					t.Errorf("%s(%v) = %v, numpy %v", method, v, g, w[0])
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
