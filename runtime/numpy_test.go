package runtime

import (
	"fmt"
	"gokist/runtime/distributed"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"gokist/obj"
)

// h is a small harness that drives values through their member tables, as the cell
// language does.
type harness struct {
	t   *testing.T
	env *obj.Env
}

func (h *harness) get(v any, name string) any { return callMember(h.t, h.env, v, name, obj.Args{}) }
func (h *harness) call(v any, name string, pos ...any) any {
	return callMember(h.t, h.env, v, name, obj.Args{Pos: pos})
}
func (h *harness) kw(v any, name string, kw map[string]any) any {
	return callMember(h.t, h.env, v, name, obj.Args{Kw: kw})
}
func (h *harness) idx(v any, key any) any {
	h.t.Helper()
	out, err := v.(obj.Indexer).GetItem(h.env, key)
	if err != nil {
		h.t.Fatalf("index %v: %v", key, err)
	}
	return out
}
func (h *harness) op(a any, op string, b any) any {
	h.t.Helper()
	if o, ok := a.(obj.Operand); ok {
		out, handled, err := o.BinaryOp(h.env, op, b, false)
		if err != nil {
			h.t.Fatalf("%s: %v", op, err)
		}
		if handled {
			return out
		}
	}
	out, handled, err := b.(obj.Operand).BinaryOp(h.env, op, a, true)
	if err != nil || !handled {
		h.t.Fatalf("%s: %v (handled %v)", op, err, handled)
	}
	return out
}
func (h *harness) unary(a any, op string) any {
	out, err := a.(obj.UnaryOperand).UnaryOp(h.env, op)
	if err != nil {
		h.t.Fatalf("unary %s: %v", op, err)
	}
	return out
}

// compute runs compute() when v is lazy.
func (h *harness) compute(v any) any {
	if _, isLazy := v.(*numpy.LazyArray); isLazy {
		return h.call(v, "compute")
	}
	if d, ok := v.(*Dataset); ok {
		return h.get(h.call(d, "compute"), "data")
	}
	return v
}

func ip(i int) *int { return &i }

func sl(start, stop, step *int) obj.Slice { return obj.Slice{Start: start, Stop: stop, Step: step} }

type npCase struct {
	name, py string
	exact    bool
	run      func(h *harness, ds *Dataset, data any) any
}

func numpyCases() []npCase {
	axis := func(a any) map[string]any { return map[string]any{"axis": a} }
	return []npCase{
		{"sum", "d.sum(dtype=np.float64)", false, func(h *harness, ds *Dataset, d any) any { return h.call(d, "sum") }},
		{"sum02", "d.sum(axis=(0, 2), dtype=np.float64)", false, func(h *harness, ds *Dataset, d any) any { return h.kw(d, "sum", axis(obj.Tuple{0, 2})) }},
		{"mean_neg", "d.mean(axis=-1, dtype=np.float64)", false, func(h *harness, ds *Dataset, d any) any { return h.kw(d, "mean", axis(-1)) }},
		{"mean13", "d.mean(axis=(1, 3), dtype=np.float64)", false, func(h *harness, ds *Dataset, d any) any { return h.call(d, "mean", obj.Tuple{1, 3}) }},
		{"min", "d.min()", true, func(h *harness, ds *Dataset, d any) any { return h.call(d, "min") }},
		{"max1", "d.max(axis=1)", true, func(h *harness, ds *Dataset, d any) any { return h.kw(d, "max", axis(1)) }},
		{"argmin", "d.argmin()", true, func(h *harness, ds *Dataset, d any) any { return h.call(d, "argmin") }},
		{"argmax2", "d.argmax(axis=2)", true, func(h *harness, ds *Dataset, d any) any { return h.kw(d, "argmax", axis(2)) }},
		{"argmin_neg", "d.argmin(axis=-1)", true, func(h *harness, ds *Dataset, d any) any { return h.kw(d, "argmin", axis(-1)) }},
		{"std01", "d.astype(np.float64).std(axis=(0, 1))", false, func(h *harness, ds *Dataset, d any) any { return h.kw(d, "std", axis(obj.Tuple{0, 1})) }},
		{"var", "d.astype(np.float64).var()", false, func(h *harness, ds *Dataset, d any) any { return h.call(d, "var") }},
		{"nansum", "np.nansum(d, dtype=np.float64)", false, func(h *harness, ds *Dataset, d any) any { return h.call(d, "nansum") }},
		{"nanmean3", "np.nanmean(d, axis=3, dtype=np.float64)", false, func(h *harness, ds *Dataset, d any) any { return h.call(d, "nanmean", 3) }},
		{"nanmin", "np.nanmin(d)", true, func(h *harness, ds *Dataset, d any) any { return h.call(d, "nanmin") }},
		{"nanmax0", "np.nanmax(d, axis=0)", true, func(h *harness, ds *Dataset, d any) any { return h.call(d, "nanmax", 0) }},
		{"nanargmin", "np.nanargmin(d)", true, func(h *harness, ds *Dataset, d any) any { return h.call(d, "nanargmin") }},
		{"nanargmax1", "np.nanargmax(d, axis=1)", true, func(h *harness, ds *Dataset, d any) any { return h.call(d, "nanargmax", 1) }},
		{"nanstd", "np.nanstd(d.astype(np.float64), axis=(2, 3))", false, func(h *harness, ds *Dataset, d any) any { return h.call(d, "nanstd", obj.Tuple{2, 3}) }},
		{"nanvar", "np.nanvar(d.astype(np.float64))", false, func(h *harness, ds *Dataset, d any) any { return h.call(d, "nanvar") }},
		{"index", "d[1, 1:, ::-2, -3]", true, func(h *harness, ds *Dataset, d any) any {
			return h.idx(ds, obj.Tuple{1, sl(ip(1), nil, nil), sl(nil, nil, ip(-2)), -3})
		}},
		{"index_ellipsis", "d[..., 3]", true, func(h *harness, ds *Dataset, d any) any { return h.idx(d, obj.Tuple{obj.Ellipsis, 3}) }},
		{"index_composed", "d[0][1:, 3][::2, -5:100]", true, func(h *harness, ds *Dataset, d any) any {
			a := h.idx(ds, 0)
			b := h.idx(a, obj.Tuple{sl(ip(1), nil, nil), 3})
			return h.idx(b, obj.Tuple{sl(nil, nil, ip(2)), sl(ip(-5), ip(100), nil)})
		}},
		{"index_steps", "d[:, ::2, 1:7:3, 10:2:-3]", true, func(h *harness, ds *Dataset, d any) any {
			return h.idx(d, obj.Tuple{sl(nil, nil, nil), sl(nil, nil, ip(2)), sl(ip(1), ip(7), ip(3)), sl(ip(10), ip(2), ip(-3))})
		}},
		{"index_sum", "d[0, :, 2:6].sum(axis=0, dtype=np.float64)", false, func(h *harness, ds *Dataset, d any) any {
			return h.call(h.get(h.idx(ds, obj.Tuple{0, sl(nil, nil, nil), sl(ip(2), ip(6), nil)}), "data"), "sum", 0)
		}},
		{"arith", "((d[0] - d[1]) * 2 + 1) / 3", false, func(h *harness, ds *Dataset, d any) any {
			a, b := h.idx(d, 0), h.idx(d, 1)
			return h.op(h.op(h.op(h.op(a, "-", b), "*", 2), "+", 1), "/", 3)
		}},
		{"reflected", "10 - d[0] ** 2", false, func(h *harness, ds *Dataset, d any) any {
			return h.op(10, "-", h.op(h.idx(d, 0), "**", 2))
		}},
		{"broadcast_computed", "d - d.mean(axis=0)", false, func(h *harness, ds *Dataset, d any) any {
			m := h.compute(h.call(d, "mean", 0))
			return h.op(d, "-", m)
		}},
		{"broadcast_lazy", "d / d[:, :, :1, :].max(axis=2)[:, :, None, :] + d[0, 0]", false, func(h *harness, ds *Dataset, d any) any {
			// a (S,R,1,X) operand built by index, then broadcast against d; plus (W,X).
			m := h.idx(d, obj.Tuple{sl(nil, nil, nil), sl(nil, nil, nil), sl(nil, ip(1), nil), sl(nil, nil, nil)})
			return h.op(h.op(d, "/", m), "+", h.idx(d, obj.Tuple{0, 0}))
		}},
		{"floordiv_mod", "(d * 7) // 2 + (d * 7) % 2", false, func(h *harness, ds *Dataset, d any) any {
			x := h.op(d, "*", 7)
			return h.op(h.op(x, "//", 2), "+", h.op(x, "%", 2))
		}},
		{"unary", "np.sqrt(np.abs(-d)) + np.log(d)", false, func(h *harness, ds *Dataset, d any) any {
			return h.op(h.call(h.unary(h.unary(d, "-"), "abs"), "sqrt"), "+", h.call(d, "log"))
		}},
		{"compare", "(d > 1.5).sum()", true, func(h *harness, ds *Dataset, d any) any { return h.call(h.op(d, ">", 1.5), "sum") }},
		{"astype", "d.astype(np.float64)[0, 0] * 3", false, func(h *harness, ds *Dataset, d any) any {
			return h.op(h.idx(h.call(d, "astype", "float64"), obj.Tuple{0, 0}), "*", 3)
		}},
		{"rebin_mean", "d[:, :, :, :12].reshape(d.shape[0], d.shape[1], d.shape[2] // 2, 2, 12 // 3, 3).mean(axis=(3, 5))", false, func(h *harness, ds *Dataset, d any) any {
			c := h.idx(ds, obj.Tuple{obj.Ellipsis, sl(nil, ip(12), nil)})
			return h.get(h.call(c, "rebin", obj.Tuple{1, 1, 2, 3}), "data")
		}},
		{"rebin_sum_all", "d.reshape(1, d.shape[0], d.shape[1], d.shape[2], d.shape[3]).sum(axis=(1,), dtype=np.float64)[0].reshape(1, d.shape[1], d.shape[2] // 4, 4, d.shape[3]).sum(axis=3)", false, func(h *harness, ds *Dataset, d any) any {
			return h.get(h.kw(ds, "rebin", map[string]any{"bin_shape": obj.Tuple{-1, 1, 4, 1}, "operation": "sum"}), "data")
		}},
		{"rebin_max", "d.reshape(d.shape[0], d.shape[1], d.shape[2] // 2, 2, d.shape[3]).max(axis=3)", true, func(h *harness, ds *Dataset, d any) any {
			return h.get(h.call(ds, "rebin", obj.Tuple{1, 1, 2, 1}, "max"), "data")
		}},
		{"rebin_median", "np.median(d[:, :, :, :12].reshape(d.shape[0], d.shape[1], d.shape[2], 6, 2), axis=4)", false, func(h *harness, ds *Dataset, d any) any {
			c := h.idx(ds, obj.Tuple{obj.Ellipsis, sl(nil, ip(12), nil)})
			return h.get(h.call(c, "rebin", obj.Tuple{1, 1, 1, 2}, "median"), "data")
		}},
		{"rebin_then_index_sum", "d.reshape(d.shape[0], d.shape[1], d.shape[2] // 2, 2, d.shape[3]).mean(axis=3)[1, :, 1:].sum(axis=(0, 2), dtype=np.float64)", false, func(h *harness, ds *Dataset, d any) any {
			r := h.call(ds, "rebin", obj.Tuple{1, 1, 2, 1})
			return h.call(h.get(h.idx(r, obj.Tuple{1, sl(nil, nil, nil), sl(ip(1), nil, nil)}), "data"), "sum", obj.Tuple{0, 2})
		}},
	}
}

// checkAgainst compares a Go result (Array, float64, int, bool) with numpy's.
func isFloat32(v any) bool { _, ok := v.(float32); return ok }

func checkAgainst(t *testing.T, name string, got any, want pyResult, exact bool) {
	t.Helper()
	var shape []int
	var vals []float64
	switch g := got.(type) {
	case *numpy.NDArray:
		shape, vals = g.Dims, g.Array().Floats()
		// Values are held at the dtype's width: float32 results take 4 bytes each.
		// (every other dtype is held as float64 values).
		if n := int64(lazy.Product(g.Dims)); g.Array().Nbytes() != n*int64(map[bool]int{true: 4, false: 8}[g.DT == lazy.Float32]) || (g.DT == lazy.Float32) != (g.Values32 != nil || n == 0) {
			t.Errorf("%s: %s array of %d values holds %d bytes (float32 storage %v)", name, g.DT, n, g.Array().Nbytes(), g.Values32 != nil)
		}
	case float32:
		// A full reduction of float32 data is an np.float32 (the references accumulate
		// in float64, as we do, so their dtype says nothing here).
		vals = []float64{float64(g)}
	case float64:
		vals = []float64{g}
	case int:
		vals = []float64{float64(g)}
	case bool:
		vals = []float64{lazy.B2f(g)}
	case numpy.Bool:
		vals = []float64{lazy.B2f(bool(g))}
	default:
		t.Errorf("%s: result is %T (%v), want a computed value", name, got, got)
		return
	}
	if !slices.Equal(shape, want.Shape) && !(len(shape) == 0 && len(want.Shape) == 0) {
		t.Errorf("%s: shape %v, numpy %v", name, shape, want.Shape)
		return
	}
	// float32 results carry about 7 significant digits: where a result is a difference
	// of nearly equal float32 values (d - d.mean(axis=0)), one rounding of the operands,
	// whose order can differ with how partials merge, shows as a large relative error
	// in the result. Allow a few float32 ulps of the largest value on top of 1e-6.
	atol := 0.0
	if g, ok := got.(*numpy.NDArray); ok && g.DT == lazy.Float32 || isFloat32(got) {
		for _, w := range want.Values {
			if w != nil {
				atol = math.Max(atol, math.Abs(*w))
			}
		}
		atol *= 4 * 0x1p-23
	}
	bad := 0
	for i, w := range want.Values {
		g := vals[i]
		var ok bool
		switch {
		case w == nil:
			ok = math.IsNaN(g)
		case exact:
			ok = g == *w
		default:
			ok = g == *w || math.Abs(g-*w) <= 1e-6*math.Max(math.Abs(*w), 1e-300)+atol
		}
		if !ok {
			if bad < 3 {
				wv := "nan"
				if w != nil {
					wv = fmt.Sprintf("%.17g", *w)
				}
				t.Errorf("%s: element %d is %.17g, numpy %s", name, i, g, wv)
			}
			bad++
		}
	}
	if bad > 3 {
		t.Errorf("%s: %d elements differ", name, bad)
	}
}

func TestAgainstNumpy(t *testing.T) {
	for _, dtype := range []string{"float32", "float64"} {
		for _, compress := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s_compress=%v", dtype, compress), func(t *testing.T) {
				cfg := map[string]any{"dtype": dtype, "compress": compress, "shape": []int{2, 5, 8, 13}, "seed": 7}
				if !compress { // with NaNs, which min, max and the arg forms propagate as numpy does
					cfg["nans"] = [][]int{{0, 1, 2, 3}, {1, 4, 7, 12}}
				}
				checkNumpyCases(t, cfg, distributed.NewClient(1, 1, 1<<30), distributed.NewClient(3, 1, 1<<30))
			})
		}
	}
}

// TestAgainstNumpySmallBlocks forces blocks smaller than a file, so that files are read
// by rows in several tasks and reductions merge partials from parts of files.
func TestAgainstNumpySmallBlocks(t *testing.T) {
	c := distributed.NewClient(2, 2, 1<<30)
	c.Plan.MaxBlockElems = 20
	checkNumpyCases(t, map[string]any{"dtype": "float32", "compress": true, "shape": []int{2, 3, 8, 13}}, c)
}

// TestAgainstNumpyBlockOrderFolding sends every reduction through the ordered folds of
// small blocks on three workers (blocks folded straight into the total and partials
// merged, fold_order.go), on data with NaNs, and compares with numpy.
func TestAgainstNumpyBlockOrderFolding(t *testing.T) {
	c := distributed.NewClient(3, 1, 1<<30)
	c.Plan = lazy.PlanConfig{MaxBlockElems: 20}
	checkNumpyCases(t, map[string]any{"dtype": "float32", "compress": false, "shape": []int{2, 3, 8, 13},
		"nans": [][]int{{0, 1, 2, 3}, {1, 2, 7, 12}}}, c)
}

// checkNumpyCases writes a dataset with astropy as cfg describes (writeDatasetPy), has
// numpy evaluate every numpyCases expression on it, and computes each case with each
// client.
func checkNumpyCases(t *testing.T, cfg map[string]any, clients ...*distributed.Client) {
	t.Helper()
	cases := numpyCases()
	exprs := map[string]string{}
	for _, c := range cases {
		exprs[c.name] = c.py
	}
	dir := filepath.Join(t.TempDir(), "ds")
	cfg["dir"], cfg["cases"] = dir, exprs
	var want map[string]pyResult
	runPython(t, writeDatasetPy, cfg, &want)
	dtype := cfg["dtype"].(string)
	for _, client := range clients {
		h := &harness{t: t, env: testEnv()}
		h.env.Services["client"] = client
		ds, err := LoadDatasetEnv(h.env, dir)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ds.Shape(), cfg["shape"].([]int)) {
			t.Fatalf("shape %v, want %v", ds.Shape(), cfg["shape"])
		}
		if got, ok := h.get(ds, "dtype").(numpy.DType); !ok || got.String() != dtype || got.MimeBundle()["text/plain"] != "dtype('"+dtype+"')" {
			t.Errorf("dtype %v, want numpy's dtype('%s')", h.get(ds, "dtype"), dtype)
		}
		data := h.get(ds, "data")
		for _, c := range cases {
			checkAgainst(t, fmt.Sprintf("%s (workers=%d)", c.name, client.NWorkers), h.compute(c.run(h, ds, data)), want[c.name], c.exact)
		}
	}
}
