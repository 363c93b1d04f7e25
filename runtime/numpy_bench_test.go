package runtime

import (
	"encoding/json"
	"gokist/runtime/distributed"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"gokist/internal/pyref"
	"gokist/obj"
)

// numpy's functions on a dataset's lazy array against dask + numpy on the same files
// (numpy's functions dispatch to dask's there, as in a notebook), and on an in-memory
// array of 10^7 values against numpy itself; both as ratios in one run.

// numpyBenchOps are the dataset operations: the graph gokist computes, built through
// the numpy module as a cell would, and the same cell for dask (I is Stokes I).
var numpyBenchOps = map[string]struct {
	python string
	call   func(env *obj.Env, np *obj.Module, i any) (any, error)
}{
	"np_sqrt_nanmean": {"x = np.nanmean(np.sqrt(I), axis=0)", func(env *obj.Env, np *obj.Module, i any) (any, error) {
		s, err := npCallBench(env, np, "sqrt", obj.Args{Pos: []any{i}})
		if err != nil {
			return nil, err
		}
		return npCallBench(env, np, "nanmean", obj.Args{Pos: []any{s}, Kw: map[string]any{"axis": 0}})
	}},
	"np_clip_log_sum": {"x = np.sum(np.log10(np.clip(I, 1e-3, None)), axis=(0, 2))", func(env *obj.Env, np *obj.Module, i any) (any, error) {
		c, err := npCallBench(env, np, "clip", obj.Args{Pos: []any{i, 1e-3, nil}})
		if err != nil {
			return nil, err
		}
		l, err := npCallBench(env, np, "log10", obj.Args{Pos: []any{c}})
		if err != nil {
			return nil, err
		}
		return npCallBench(env, np, "sum", obj.Args{Pos: []any{l}, Kw: map[string]any{"axis": obj.Tuple{0, 2}}})
	}},
	"np_where_max": {"x = np.max(np.where(I > np.float32(0.5), I, 0), axis=1)", func(env *obj.Env, np *obj.Module, i any) (any, error) {
		m, _, err := i.(*numpy.LazyArray).BinaryOp(env, ">", float32(0.5), false)
		if err != nil {
			return nil, err
		}
		w, err := npCallBench(env, np, "where", obj.Args{Pos: []any{m, i, 0}})
		if err != nil {
			return nil, err
		}
		return npCallBench(env, np, "max", obj.Args{Pos: []any{w}, Kw: map[string]any{"axis": 1}})
	}},
}

// npCallBench calls a function of the numpy module.
func npCallBench(env *obj.Env, np *obj.Module, name string, args obj.Args) (any, error) {
	f, err := np.Type().Member(name).Get(env, np)
	if err != nil {
		return nil, err
	}
	return f.(*obj.Func).Call(env, args)
}

// The dataset operations join benchOps, so the fresh-process measurement (benchChild)
// runs them like the others.
func init() {
	for name, op := range numpyBenchOps {
		benchOps[name] = func(env *obj.Env, ds *Dataset) (lazy.Node, error) {
			i, err := stokesI(env, ds, 0)
			if err != nil {
				return nil, err
			}
			v, err := op.call(env, numpy.Module(), i.Data())
			if err != nil {
				return nil, err
			}
			return v.(*numpy.LazyArray).Node, nil
		}
	}
}

// numpyDaskBenchPy is daskBenchPy with the numpy operations.
func numpyDaskBenchPy() string {
	var ops strings.Builder
	for name, op := range numpyBenchOps {
		ops.WriteString("if op == \"" + name + "\":\n    " + op.python + "\n")
	}
	return strings.Replace(daskBenchPy, "t = time.perf_counter()\n", ops.String()+"t = time.perf_counter()\n", 1)
}

// benchNumpyAgainstDask is benchAgainstDask for a numpy operation: the reference runs
// the same cell on dask arrays.
func benchNumpyAgainstDask(b *testing.B, op string) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			dir := size.sampleDir(b)
			var secs []float64
			for range daskRefRuns {
				out, err := pyref.Output(nil, numpyDaskBenchPy(), dir, op)
				if err != nil {
					b.Fatalf("dask reference failed: %v", err)
				}
				var ref struct {
					Seconds float64 `json:"seconds"`
				}
				if err := json.Unmarshal(out, &ref); err != nil {
					b.Fatalf("dask output %q: %v", out, err)
				}
				secs = append(secs, ref.Seconds)
			}
			var runs []benchChildResult
			for b.Loop() {
				runs = append(runs, runBenchChild(b, dir, op))
			}
			mine := medianOf(field(runs, func(r benchChildResult) float64 { return r.Seconds }))
			b.Logf("dask + numpy: %.3v s; gokist: %.3v s (each run)", secs, field(runs, func(r benchChildResult) float64 { return r.Seconds }))
			b.ReportMetric(medianOf(secs)/mine, "x_faster_than_dask")
			b.ReportMetric(mine, "compute_s")
			b.ReportMetric(medianOf(secs), "dask_s")
		})
	}
}

// BenchmarkNumpySqrtNanmean: np.nanmean(np.sqrt(I), axis=0) on Stokes I.
func BenchmarkNumpySqrtNanmean(b *testing.B) { benchNumpyAgainstDask(b, "np_sqrt_nanmean") }

// BenchmarkNumpyClipLogSum: np.sum(np.log10(np.clip(I, 1e-3, None)), axis=(0, 2)).
func BenchmarkNumpyClipLogSum(b *testing.B) { benchNumpyAgainstDask(b, "np_clip_log_sum") }

// BenchmarkNumpyWhereMax: np.max(np.where(I > 0.5, I, 0), axis=1).
func BenchmarkNumpyWhereMax(b *testing.B) { benchNumpyAgainstDask(b, "np_where_max") }

// inMemoryOps are the in-memory cases: numpy's source and the call here, on x.
var inMemoryOps = map[string]struct {
	python string
	args   func(x *lazy.Array) obj.Args
	fn     string
}{
	"sqrt":    {"np.sqrt(x)", func(x *lazy.Array) obj.Args { return obj.Args{Pos: []any{(*numpy.NDArray)(x)}} }, "sqrt"},
	"sum":     {"np.sum(x)", func(x *lazy.Array) obj.Args { return obj.Args{Pos: []any{(*numpy.NDArray)(x)}} }, "sum"},
	"nanmean": {"np.nanmean(x)", func(x *lazy.Array) obj.Args { return obj.Args{Pos: []any{(*numpy.NDArray)(x)}} }, "nanmean"},
	"std":     {"np.std(x)", func(x *lazy.Array) obj.Args { return obj.Args{Pos: []any{(*numpy.NDArray)(x)}} }, "std"},
	"where":   {"np.where(x > 0.5, x, 0.0)", nil, "where"},
	"median":  {"np.median(x)", func(x *lazy.Array) obj.Args { return obj.Args{Pos: []any{(*numpy.NDArray)(x)}} }, "median"},
}

// numpyInMemoryPy times each case on 10^7 float64 values: the median of 7 runs.
const numpyInMemoryPy = `
import json, sys, time
import numpy as np
x = np.random.default_rng(1).random(10**7)
res = {}
for name, src in json.loads(sys.argv[1]).items():
    f = eval("lambda: " + src)
    ts = []
    for _ in range(7):
        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    res[name] = sorted(ts)[3]
print(json.dumps(res))
`

var numpyInMemoryRef = struct {
	once sync.Once
	secs map[string]float64
	err  error
}{}

// BenchmarkNumpyInMemory: numpy's functions on a computed array of 10^7 float64 values,
// as the ratio of gokist's time to numpy's (goal: within 2×).
func BenchmarkNumpyInMemory(b *testing.B) {
	numpyInMemoryRef.once.Do(func() {
		srcs := map[string]string{}
		for k, op := range inMemoryOps {
			srcs[k] = op.python
		}
		arg, _ := json.Marshal(srcs)
		out, err := pyref.Output(nil, numpyInMemoryPy, string(arg))
		if err == nil {
			err = json.Unmarshal(out, &numpyInMemoryRef.secs)
		}
		numpyInMemoryRef.err = err
	})
	if numpyInMemoryRef.err != nil {
		b.Fatalf("numpy reference: %v", numpyInMemoryRef.err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	vals := make([]float64, 10_000_000)
	for i := range vals {
		vals[i] = rng.Float64()
	}
	x := lazy.NewArray(vals, []int{len(vals)}, lazy.Float64)
	env := &obj.Env{Out: obj.Discard{}, Services: map[string]any{"client": distributed.NewClient(0, 0, 0)}}
	np := numpy.Module()
	for name, op := range inMemoryOps {
		b.Run(name, func(b *testing.B) {
			args := obj.Args{}
			if op.args != nil {
				args = op.args(x)
			} else {
				m, _, err := ((*numpy.NDArray)(x)).BinaryOp(env, ">", 0.5, false)
				if err != nil {
					b.Fatal(err)
				}
				args = obj.Args{Pos: []any{m, (*numpy.NDArray)(x), 0.0}}
			}
			start := time.Now()
			n := 0
			for b.Loop() {
				if _, err := npCallBench(env, np, op.fn, args); err != nil {
					b.Fatal(err)
				}
				n++
			}
			mine := time.Since(start).Seconds() / float64(n)
			b.ReportMetric(mine/numpyInMemoryRef.secs[name], "x_numpy_time")
			b.ReportMetric(numpyInMemoryRef.secs[name], "numpy_s")
		})
	}
}
