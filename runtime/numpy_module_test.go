package runtime

import (
	"encoding/json"
	"fmt"
	"gokist/runtime/distributed"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
)

// The numpy module's functions are checked against numpy 1.24 (/usr/bin/python3) on the
// same inputs: each case is a call written once as data, printed as Python source for
// numpy and called through the module's functions here; the values, shape, dtype and
// scalar-or-array kind must agree, and so must the class and message of an error.

// ref names an input array of npInputs.
type ref string

// npInputs are the arrays every case may use, by name: NaN, ±inf, -0.0, empty,
// float32 and float64, ints and bools, shapes that broadcast.
func npInputs() map[string]*lazy.Array {
	nanInf := []float64{0.5, -1.25, 2.0, math.NaN(), math.Inf(1), -0.75}
	b := make([]float64, 12)
	for i := range b {
		b[i] = float64(i*7%11-5)*0.37 + 0.125
	}
	c := make([]float64, 60)
	for i := range c {
		c[i] = math.Sin(float64(i)*1.7) * 3
	}
	return map[string]*lazy.Array{
		"a":   lazy.NewArray(nanInf, []int{2, 3}, lazy.Float64),
		"a32": lazy.NewArray(nanInf, []int{2, 3}, lazy.Float32),
		"n":   lazy.NewArray([]float64{math.Inf(-1), -0.0, 1e-300, 3.5, -2.5, 0.5}, []int{2, 3}, lazy.Float64),
		"b":   lazy.NewArray(b, []int{3, 4}, lazy.Float64),
		"b32": lazy.NewArray(b, []int{3, 4}, lazy.Float32),
		"c":   lazy.NewArray(c, []int{3, 4, 5}, lazy.Float64),
		"i":   lazy.NewArray([]float64{3, -4, 0, 7, 2, -1}, []int{2, 3}, lazy.Int64),
		"m":   lazy.NewArray([]float64{1, 0, 1, 0, 0, 1}, []int{2, 3}, lazy.Bool),
		"e":   lazy.NewArray(nil, []int{0, 3}, lazy.Float64),
		"r":   lazy.NewArray([]float64{0.25, -0.5, 1.0}, []int{3}, lazy.Float64),
		"u":   lazy.NewArray([]float64{0.5, -0.25, 1}, []int{3}, lazy.Float64),
		"s1":  lazy.NewArray([]float64{1, 2, 3}, []int{1, 3, 1}, lazy.Float64),
		"idx": lazy.NewArray([]float64{1, 5, 11}, []int{3}, lazy.Int64),
	}
}

// pyLiteral writes a Go value as Python source.
func pyLiteral(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case ref:
		return string(x)
	case bool:
		return map[bool]string{true: "True", false: "False"}[x]
	case int:
		return strconv.Itoa(x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Sprintf("float('%v')", map[bool]string{true: "nan", false: strconv.FormatFloat(x, 'g', -1, 64)}[math.IsNaN(x)])
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return strconv.Quote(x)
	case float32:
		return "np.float32(" + strconv.FormatFloat(float64(x), 'g', -1, 32) + ")"
	case numpy.DType:
		return "np." + map[lazy.DType]string{lazy.Bool: "bool_", lazy.Int64: "int64", lazy.Float32: "float32", lazy.Float64: "float64"}[x.DType]
	case obj.Tuple:
		s := make([]string, len(x))
		for i, it := range x {
			s[i] = pyLiteral(it)
		}
		return "(" + strings.Join(s, ", ") + map[bool]string{true: ",", false: ""}[len(x) == 1] + ")"
	case obj.List:
		s := make([]string, len(x))
		for i, it := range x {
			s[i] = pyLiteral(it)
		}
		return "[" + strings.Join(s, ", ") + "]"
	case obj.Slice:
		part := func(p *int) string {
			if p == nil {
				return ""
			}
			return strconv.Itoa(*p)
		}
		return part(x.Start) + ":" + part(x.Stop) + ":" + part(x.Step)
	case obj.EllipsisType:
		return "..."
	case *numpy.NDArray:
		vals := make([]any, x.Array().Size())
		for i := range vals {
			vals[i] = numpy.PythonValue(x.Array().At(i), x.DT)
			if x.DT >= lazy.Float32 {
				vals[i] = x.Array().At(i)
			}
		}
		return fmt.Sprintf("np.array(%s, dtype=%s).reshape(%s)", pyLiteral(obj.List(vals)), pyLiteral(numpy.DType{DType: x.DT}), pyLiteral(obj.ShapeTuple(x.Dims)))
	}
	panic(fmt.Sprintf("pyLiteral: %T", v))
}

// npCall is one case: a numpy function (or, with a leading dot, a method or attribute
// of the first argument) with its arguments; approx allows a few ulps (transcendental
// functions and float sums, whose last bits differ between libm, Go and numpy's
// pairwise float32 sums).
type npCall struct {
	fn     string
	args   []any
	kw     map[string]any
	approx bool
}

func (c npCall) python() string {
	var parts []string
	args := c.args
	head := "np." + c.fn
	if c.fn == "[]" {
		items, ok := c.args[1].(obj.Tuple)
		if !ok {
			items = obj.Tuple{c.args[1]}
		}
		keys := make([]string, len(items))
		for i, it := range items {
			keys[i] = pyLiteral(it)
		}
		return pyLiteral(c.args[0]) + "[" + strings.Join(keys, ", ") + "]"
	}
	if strings.HasPrefix(c.fn, ".") {
		head, args = pyLiteral(args[0])+c.fn, args[1:]
		if c.fn == ".T" || c.fn == ".dtype" || c.fn == ".shape" {
			return head
		}
	}
	for _, a := range args {
		parts = append(parts, pyLiteral(a))
	}
	keys := make([]string, 0, len(c.kw))
	for k := range c.kw {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		parts = append(parts, k+"="+pyLiteral(c.kw[k]))
	}
	return head + "(" + strings.Join(parts, ", ") + ")"
}

// resolve replaces refs by the inputs, inside tuples and lists too.
func resolve(v any, in map[string]any) any {
	switch x := v.(type) {
	case ref:
		return in[string(x)]
	case obj.Tuple:
		out := make(obj.Tuple, len(x))
		for i, it := range x {
			out[i] = resolve(it, in)
		}
		return out
	case obj.List:
		out := make(obj.List, len(x))
		for i, it := range x {
			out[i] = resolve(it, in)
		}
		return out
	}
	return v
}

// callNumpy runs a case through the module's member table, as a cell would.
func callNumpy(env *obj.Env, mod *obj.Module, c npCall, in map[string]any) (any, error) {
	args := make([]any, len(c.args))
	for i, a := range c.args {
		args[i] = resolve(a, in)
	}
	kw := map[string]any{}
	for k, v := range c.kw {
		kw[k] = resolve(v, in)
	}
	if c.fn == "[]" {
		return args[0].(obj.Indexer).GetItem(env, args[1])
	}
	if name, ok := strings.CutPrefix(c.fn, "."); ok {
		m := args[0].(obj.Object).Type().Member(name)
		if m == nil {
			return nil, fmt.Errorf("no member %s", name)
		}
		if m.Call == nil {
			return m.Get(env, args[0])
		}
		return m.Call(env, args[0], obj.Args{Pos: args[1:], Kw: kw})
	}
	f, err := mod.Type().Member(c.fn).Get(env, mod)
	if err != nil {
		return nil, err
	}
	return f.(*obj.Func).Call(env, obj.Args{Pos: args, Kw: kw})
}

// npEncode is the Python side's encoding of a result: kind (scalar, array, tuple or
// list), dtype, shape and every value as repr(float), so NaN and inf survive JSON.
const npEncode = `
import numpy as np
def enc(v):
    if isinstance(v, (tuple, list)):
        return {"kind": type(v).__name__, "items": [enc(x) for x in v]}
    kind = "array" if isinstance(v, np.ndarray) else "scalar"
    a = np.asarray(v)
    return {"kind": kind, "dtype": str(a.dtype), "shape": list(a.shape), "vals": [repr(float(x)) for x in a.astype(np.float64).ravel()]}
`

// npEncoded is enc's output.
type npEncoded struct {
	Kind  string      `json:"kind"`
	Items []npEncoded `json:"items"`
	DType string      `json:"dtype"`
	Shape []int       `json:"shape"`
	Vals  []string    `json:"vals"`
}

// encodeGo gives a module result in enc's terms.
func encodeGo(v any) (npEncoded, error) {
	scalar := func(x float64, dt string) npEncoded {
		return npEncoded{Kind: "scalar", DType: dt, Shape: []int{}, Vals: []string{strconv.FormatFloat(x, 'g', -1, 64)}}
	}
	switch x := v.(type) {
	case obj.Tuple, obj.List:
		items, _ := numpy.SequenceItems(x)
		out := npEncoded{Kind: map[bool]string{true: "tuple", false: "list"}[fmt.Sprintf("%T", x) == "obj.Tuple"]}
		for _, it := range items {
			e, err := encodeGo(it)
			if err != nil {
				return out, err
			}
			out.Items = append(out.Items, e)
		}
		return out, nil
	case *numpy.NDArray:
		out := npEncoded{Kind: "array", DType: x.DT.String(), Shape: slices.Clone(x.Dims), Vals: []string{}}
		for i := range x.Array().Size() {
			out.Vals = append(out.Vals, strconv.FormatFloat(x.Array().At(i), 'g', -1, 64))
		}
		return out, nil
	case float64:
		return scalar(x, "float64"), nil
	case float32:
		return scalar(float64(x), "float32"), nil
	case int:
		return scalar(float64(x), "int64"), nil
	case numpy.Bool:
		return scalar(lazy.B2f(bool(x)), "bool"), nil
	case bool:
		return scalar(lazy.B2f(x), "bool"), nil
	}
	return npEncoded{}, fmt.Errorf("result is %T %v", v, v)
}

// compareEncoded reports how got differs from numpy's want, or "".
func compareEncoded(got, want npEncoded, approx bool) string {
	if got.Kind != want.Kind {
		return fmt.Sprintf("a %s, numpy gives a %s", got.Kind, want.Kind)
	}
	if want.Kind == "tuple" || want.Kind == "list" {
		if len(got.Items) != len(want.Items) {
			return fmt.Sprintf("%d items, numpy %d", len(got.Items), len(want.Items))
		}
		for i := range want.Items {
			if d := compareEncoded(got.Items[i], want.Items[i], approx); d != "" {
				return fmt.Sprintf("item %d: %s", i, d)
			}
		}
		return ""
	}
	if got.DType != want.DType || !slices.Equal(got.Shape, want.Shape) {
		return fmt.Sprintf("dtype %s shape %v, numpy dtype %s shape %v", got.DType, got.Shape, want.DType, want.Shape)
	}
	rtol := 0.0
	if approx {
		rtol = map[bool]float64{true: 4e-7, false: 1e-14}[want.DType == "float32"]
	}
	for i, ws := range want.Vals {
		w, _ := strconv.ParseFloat(ws, 64)
		g, _ := strconv.ParseFloat(got.Vals[i], 64)
		same := g == w && math.Signbit(g) == math.Signbit(w) || math.IsNaN(g) && math.IsNaN(w) ||
			math.Abs(g-w) <= rtol*math.Abs(w)
		if !same {
			return fmt.Sprintf("element %d is %s, numpy %s (all: %v, numpy %v)", i, got.Vals[i], ws, got.Vals, want.Vals)
		}
	}
	return ""
}

// checkNumpyCalls runs cases through numpy (one interpreter for all) and through the
// module, and compares them.
func checkNumpyCalls(t *testing.T, cases []npCall) {
	t.Helper()
	checkNumpyCallsWith(t, cases, nil)
}

// checkNumpyCallsWith is checkNumpyCalls with more named inputs (their names are
// Python expressions numpy evaluates).
func checkNumpyCallsWith(t *testing.T, cases []npCall, extra map[string]any) {
	t.Helper()
	in := npInputs()
	prelude := npEncode
	names := make([]string, 0, len(in))
	for k := range in {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		prelude += k + " = " + pyLiteral((*numpy.NDArray)(in[k])) + "\n"
	}
	srcs := make([]string, len(cases))
	for i, c := range cases {
		srcs[i] = "import json\njson.dumps(enc(" + c.python() + "))"
	}
	want := pyref.Batch(t, prelude, srcs)
	env := testEnv()
	mod := numpy.Module()
	vals := map[string]any{}
	for k, v := range in {
		vals[k] = (*numpy.NDArray)(v)
	}
	for k, v := range extra {
		vals[k] = v
	}
	for i, c := range cases {
		py := c.python()
		got, err := callNumpy(env, mod, c, vals)
		if want[i].Type != "" {
			var oe *obj.Error
			if err == nil {
				t.Errorf("%s: gave %v, numpy raises %s", py, numpy.ShortRepr(got), want[i].Err())
			} else if !asObjError(err, &oe) || oe.Class+": "+oe.Msg != want[i].Err() {
				t.Errorf("%s: error %q, numpy %q", py, err, want[i].Err())
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", py, err)
			continue
		}
		var w npEncoded
		var s string
		if e := json.Unmarshal(want[i].Value, &s); e != nil || json.Unmarshal([]byte(s), &w) != nil {
			t.Fatalf("%s: numpy's answer %s does not decode", py, want[i].Value)
		}
		g, err := encodeGo(got)
		if err != nil {
			t.Errorf("%s: %v", py, err)
			continue
		}
		if d := compareEncoded(g, w, c.approx); d != "" {
			t.Errorf("%s: %s", py, d)
		}
	}
}

func asObjError(err error, oe **obj.Error) bool {
	e, ok := err.(*obj.Error)
	*oe = e
	return ok
}

func kw(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func TestNumpyElementwiseMatchesNumpy(t *testing.T) {
	var cases []npCall
	exact := map[string]bool{"abs": true, "absolute": true, "sqrt": true, "floor": true, "ceil": true, "sign": true, "isnan": true, "isfinite": true, "isinf": true}
	for _, f := range numpy.UnaryUfuncs {
		for _, x := range []ref{"a", "a32", "n", "i", "e", "b32"} {
			cases = append(cases, npCall{fn: f.Name, args: []any{x}, approx: !exact[f.Name]})
		}
		cases = append(cases, npCall{fn: f.Name, args: []any{2.5}, approx: !exact[f.Name]}, npCall{fn: f.Name, args: []any{-3}, approx: !exact[f.Name]})
	}
	cases = append(cases, npCall{fn: "sign", args: []any{ref("m")}})
	for _, f := range []string{"arctan2", "hypot", "power", "maximum", "minimum", "add", "subtract", "multiply", "divide"} {
		for _, p := range [][]any{{ref("a"), ref("r")}, {ref("a32"), 2}, {ref("i"), ref("i")}, {ref("b32"), ref("b")}, {ref("r"), ref("a32")}, {1.5, ref("i")}, {ref("a"), ref("b")}} {
			cases = append(cases, npCall{fn: f, args: p, approx: f == "arctan2" || f == "hypot" || f == "power"})
		}
	}
	cases = append(cases,
		npCall{fn: "power", args: []any{ref("i"), -1}},
		npCall{fn: "where", args: []any{ref("m"), ref("a"), ref("r")}},
		npCall{fn: "where", args: []any{ref("a32"), ref("a32"), 0}},
		npCall{fn: "where", args: []any{ref("m"), ref("i"), 0.5}},
		npCall{fn: "where", args: []any{ref("m"), ref("b"), 0}},
		npCall{fn: "clip", args: []any{ref("a"), -1, 1}},
		npCall{fn: "clip", args: []any{ref("a32"), 0, nil}},
		npCall{fn: "clip", args: []any{ref("i"), 0, 2.5}},
		npCall{fn: "clip", args: []any{ref("b"), ref("r"), nil}},
		npCall{fn: "clip", args: []any{ref("b"), ref("u"), 1}},
		npCall{fn: "clip", args: []any{ref("a"), nil, nil}},
		npCall{fn: "nan_to_num", args: []any{ref("a")}},
		npCall{fn: "nan_to_num", args: []any{ref("a32")}},
		npCall{fn: "nan_to_num", args: []any{ref("i")}},
		npCall{fn: "nan_to_num", args: []any{ref("a")}, kw: kw("nan", -1.0, "posinf", 9, "neginf", -9.5)},
		npCall{fn: "round", args: []any{ref("b"), 1}},
		npCall{fn: "round", args: []any{ref("b32"), 2}},
		npCall{fn: "round", args: []any{ref("n")}},
		npCall{fn: "round", args: []any{ref("i"), -1}},
		npCall{fn: "round", args: []any{obj.List{0.5, 1.5, 2.5, -0.5, 1234.5678}, -2}},
	)
	checkNumpyCalls(t, cases)
}

// TestNumpyFloat16Refused: numpy gives float16 for float functions of bools; gokist has
// no float16 and says so rather than giving another dtype.
func TestNumpyFloat16Refused(t *testing.T) {
	in := map[string]any{"m": (*numpy.NDArray)(npInputs()["m"])}
	for _, c := range []npCall{{fn: "sqrt", args: []any{ref("m")}}, {fn: "arctan2", args: []any{ref("m"), ref("m")}}, {fn: "round", args: []any{ref("m")}}} {
		_, err := callNumpy(testEnv(), numpy.Module(), c, in)
		wantErr(t, c.python(), err, obj.TypeError, "float16", "astype('float32')")
	}
}

func TestNumpyReductionsMatchNumpy(t *testing.T) {
	var cases []npCall
	approx := map[string]bool{"sum": true, "mean": true, "std": true, "var": true, "nansum": true, "nanmean": true, "nanstd": true, "nanvar": true}
	axes := []any{nil, 0, -1, obj.Tuple{0, 1}, obj.Tuple{}}
	for _, name := range numpy.ReductionNames() {
		base, _ := numpy.CutNan(name)
		for _, x := range []ref{"a", "a32", "b32", "c", "i", "m", "e"} {
			for _, ax := range axes {
				if (base == "argmin" || base == "argmax") && ax != nil && ax != 0 && ax != -1 {
					continue
				}
				cases = append(cases, npCall{fn: name, args: []any{x}, kw: kw("axis", ax), approx: approx[name]})
			}
			cases = append(cases, npCall{fn: name, args: []any{x}, kw: kw("axis", 0, "keepdims", true), approx: approx[name]})
		}
		cases = append(cases, npCall{fn: name, args: []any{ref("c")}, kw: kw("keepdims", true), approx: approx[name]})
		if base == name { // numpy's arrays have no nan methods (gokist's have: checked below)
			cases = append(cases,
				npCall{fn: "." + name, args: []any{ref("c"), 1}, approx: approx[name]},
				npCall{fn: "." + name, args: []any{ref("b32")}, kw: kw("axis", -1, "keepdims", true), approx: approx[name]})
		}
		if base != "argmin" && base != "argmax" {
			cases = append(cases, npCall{fn: name, args: []any{ref("c")}, kw: kw("axis", obj.Tuple{0, 2}, "keepdims", true), approx: approx[name]})
		}
	}
	for _, name := range []string{"std", "var", "nanstd", "nanvar"} {
		cases = append(cases,
			npCall{fn: name, args: []any{ref("c")}, kw: kw("ddof", 1), approx: true},
			npCall{fn: name, args: []any{ref("b32")}, kw: kw("axis", 0, "ddof", 1), approx: true},
			npCall{fn: name, args: []any{ref("a")}, kw: kw("axis", 1, "ddof", 1), approx: true},
			npCall{fn: name, args: []any{ref("b")}, kw: kw("axis", 0, "ddof", 3)},
			npCall{fn: name, args: []any{ref("b")}, kw: kw("ddof", 1, "dtype", numpy.DType{DType: lazy.Float32}), approx: true},
			npCall{fn: name, args: []any{ref("i")}, kw: kw("axis", 1, "dtype", numpy.DType{DType: lazy.Float64})},
		)
		if name == "std" || name == "var" {
			cases = append(cases, npCall{fn: "." + name, args: []any{ref("c")}, kw: kw("axis", obj.Tuple{1, 2}, "ddof", 2), approx: true})
		}
	}
	for _, x := range []ref{"a", "i", "m", "e", "c"} {
		cases = append(cases,
			npCall{fn: "count_nonzero", args: []any{x}},
			npCall{fn: "count_nonzero", args: []any{x}, kw: kw("axis", 0)},
			npCall{fn: "count_nonzero", args: []any{x}, kw: kw("axis", -1, "keepdims", true)})
	}
	cases = append(cases,
		npCall{fn: "sum", args: []any{ref("c")}, kw: kw("axis", 3)},
		npCall{fn: "sum", args: []any{ref("c")}, kw: kw("axis", obj.Tuple{0, 0})},
		npCall{fn: "unravel_index", args: []any{7, obj.Tuple{3, 4}}},
		npCall{fn: "unravel_index", args: []any{ref("idx"), obj.Tuple{3, 4}}},
		npCall{fn: "unravel_index", args: []any{12, obj.Tuple{3, 4}}},
		npCall{fn: "unravel_index", args: []any{ref("r"), obj.Tuple{3, 4}}},
		npCall{fn: "sum", args: []any{obj.List{1, 2, 3}}},
		npCall{fn: "sum", args: []any{ref("b32")}, kw: kw("axis", 1, "dtype", numpy.DType{DType: lazy.Float64})},
		npCall{fn: "nanmean", args: []any{ref("a32")}, kw: kw("dtype", numpy.DType{DType: lazy.Float64})},
		npCall{fn: "sum", args: []any{ref("m")}, kw: kw("dtype", numpy.DType{DType: lazy.Float32})},
		npCall{fn: "mean", args: []any{ref("i")}, kw: kw("dtype", "float32"), approx: true},
		npCall{fn: "mean", args: []any{2.5}},
	)
	checkNumpyCalls(t, cases)
}

// TestNumpyLazyOnDataset: numpy's functions of a dataset's lazy array build a graph and
// read no file (no compute reports progress) until compute(); computed, they agree with
// numpy on the files as astropy reads them, and with the same functions applied to the
// computed array.
func TestNumpyLazyOnDataset(t *testing.T) {
	d, mask, first := ref("d"), ref("(d > 1.5)"), ref("d[:, :1]")
	approx := true
	cases := []npCall{
		{fn: "sqrt", args: []any{d}}, {fn: "log10", args: []any{d}, approx: approx}, {fn: "sin", args: []any{d}, approx: approx},
		{fn: "isnan", args: []any{d}}, {fn: "sign", args: []any{d}}, {fn: "floor", args: []any{d}},
		{fn: "arctan2", args: []any{d, 0.5}, approx: approx}, {fn: "hypot", args: []any{d, first}, approx: approx},
		{fn: "power", args: []any{d, 2}, approx: approx}, {fn: "maximum", args: []any{d, first}},
		{fn: "where", args: []any{mask, d, 0}}, {fn: "clip", args: []any{d, 1.2, 1.8}},
		{fn: "nan_to_num", args: []any{d}, kw: kw("nan", -1.0)}, {fn: "round", args: []any{d, 2}},
		{fn: "sum", args: []any{d}, approx: approx}, {fn: "nanmean", args: []any{d}, kw: kw("axis", obj.Tuple{0, 2}), approx: approx},
		{fn: "sum", args: []any{d}, kw: kw("axis", -1, "keepdims", true), approx: approx},
		{fn: "std", args: []any{d}, kw: kw("axis", 0, "ddof", 1), approx: approx},
		{fn: "nanmax", args: []any{d}, kw: kw("axis", 1)}, {fn: "argmax", args: []any{d}, kw: kw("axis", 1)},
		{fn: "nanargmin", args: []any{d}}, {fn: "count_nonzero", args: []any{mask}, kw: kw("axis", obj.Tuple{1, 3})},
		{fn: "any", args: []any{mask}, kw: kw("axis", 0)}, {fn: "all", args: []any{mask}},
		{fn: "transpose", args: []any{d, obj.Tuple{1, 0, 3, 2}}}, {fn: ".T", args: []any{d}},
		{fn: "moveaxis", args: []any{d, 0, -1}}, {fn: "expand_dims", args: []any{d, 1}},
		{fn: "squeeze", args: []any{first}}, {fn: "reshape", args: []any{first, obj.Tuple{2, 8, 13}}},
		{fn: ".sum", args: []any{d}, kw: kw("axis", obj.Tuple{0, 3}, "keepdims", true), approx: approx},
		{fn: "nanmean", args: []any{ref("np.transpose(d)")}, kw: kw("axis", 0), approx: approx},
	}
	// These compute what they need (after a memory check) and give computed results.
	whole := []npCall{
		{fn: "median", args: []any{d}, kw: kw("axis", obj.Tuple{1, 3})}, {fn: "percentile", args: []any{d, obj.List{5, 50, 95}}, kw: kw("axis", 2)},
		{fn: "quantile", args: []any{first, 0.3}}, {fn: "cumsum", args: []any{d}, kw: kw("axis", 1)}, {fn: "cumsum", args: []any{first}},
	}
	exprs := map[string]string{}
	for i, c := range cases {
		exprs[strconv.Itoa(i)] = c.python()
	}
	for i, c := range whole {
		exprs["w"+strconv.Itoa(i)] = c.python()
	}
	dir := t.TempDir() + "/ds"
	var want map[string]pyResult
	runPython(t, writeDatasetPy, map[string]any{"dtype": "float32", "compress": true, "shape": []int{2, 5, 8, 13}, "seed": 3,
		"dir": dir, "cases": exprs}, &want)
	out := &collect{}
	env := &obj.Env{Ctx: t.Context(), Out: out, Services: map[string]any{"client": distributed.NewClient(2, 1, 1<<30)}}
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	isLazy := map[string]any{"d": ds.Data()}
	h := &harness{t: t, env: env}
	isLazy["(d > 1.5)"] = h.op(isLazy["d"], ">", 1.5)
	isLazy["d[:, :1]"] = h.idx(isLazy["d"], obj.Tuple{obj.Slice{}, obj.Slice{Stop: ip(1)}})
	mod := numpy.Module()
	tr, _ := callNumpy(env, mod, npCall{fn: "transpose", args: []any{d}}, isLazy)
	isLazy["np.transpose(d)"] = tr
	eager := map[string]any{}
	for k, v := range isLazy {
		eager[k] = h.compute(v)
	}
	out.progress = nil
	results := make([]any, len(cases))
	for i, c := range cases {
		if results[i], err = callNumpy(env, mod, c, isLazy); err != nil {
			t.Fatalf("%s: %v", c.python(), err)
		}
		if _, ok := results[i].(*numpy.LazyArray); !ok {
			t.Errorf("%s of a lazy array is %T, want a lazy array", c.python(), results[i])
		}
	}
	if len(out.progress) != 0 {
		t.Fatalf("building the lazy calls read files: %+v", out.progress)
	}
	for i, c := range cases {
		out.progress = nil
		got := h.compute(results[i])
		if len(out.progress) == 0 || out.progress[len(out.progress)-1].Bytes == 0 {
			t.Errorf("%s: compute() read no file", c.python())
		}
		checkAgainst(t, c.python(), got, want[strconv.Itoa(i)], !c.approx)
		direct, err := callNumpy(env, mod, c, eager)
		if err != nil {
			t.Fatalf("%s on the computed array: %v", c.python(), err)
		}
		g, _ := encodeGo(got)
		e, _ := encodeGo(direct)
		if d := compareEncoded(g, e, c.approx); d != "" {
			t.Errorf("%s: lazy and computed differ: %s", c.python(), d)
		}
	}
	for i, c := range whole {
		out.progress = nil
		got, err := callNumpy(env, mod, c, isLazy)
		if err != nil {
			t.Fatalf("%s: %v", c.python(), err)
		}
		if len(out.progress) == 0 {
			t.Errorf("%s: read no file", c.python())
		}
		checkAgainst(t, c.python(), got, want["w"+strconv.Itoa(i)], true)
		direct, _ := callNumpy(env, mod, c, eager)
		g, _ := encodeGo(got)
		e, _ := encodeGo(direct)
		if d := compareEncoded(g, e, false); d != "" {
			t.Errorf("%s: lazy and computed differ: %s", c.python(), d)
		}
	}
	// np.asarray of a dataset or its lazy array computes it, as numpy's of a dask array.
	for _, v := range []any{ds, isLazy["d"]} {
		got, err := callNumpy(env, mod, npCall{fn: "asarray", args: []any{ref("v")}}, map[string]any{"v": v})
		if err != nil {
			t.Fatal(err)
		}
		g, _ := encodeGo(got)
		e, _ := encodeGo(eager["d"])
		if d := compareEncoded(g, e, false); d != "" {
			t.Errorf("np.asarray(%T): %s", v, d)
		}
	}
	// What a lazy array cannot do without its values says to compute first.
	_, err = callNumpy(env, mod, npCall{fn: "reshape", args: []any{d, obj.Tuple{10, -1}}}, isLazy)
	wantErr(t, "lazy reshape", err, obj.ValueError, "reshape of a lazy array from (2, 5, 8, 13) to (10, 104)", ".compute()")
	_, err = isLazy["d"].(*numpy.LazyArray).GetItem(env, isLazy["(d > 1.5)"])
	wantErr(t, "lazy mask", err, obj.IndexError, "computed arrays only", "x.compute()", "np.where(mask, x, np.nan)")
	_, err = isLazy["d"].(*numpy.LazyArray).GetItem(env, obj.List{0, 1})
	wantErr(t, "lazy integer list", err, obj.IndexError, "computed arrays only")
	_, err = callNumpy(env, mod, npCall{fn: "stack", args: []any{obj.List{d, d}}}, isLazy)
	wantErr(t, "lazy stack", err, obj.TypeError, "numpy.stack() of a lazy array", ".compute()")
	// Over the memory limit: a MemoryError before any file is read.
	env.Services["client"] = distributed.NewClient(1, 1, 4096)
	out.progress = nil
	_, err = callNumpy(env, mod, npCall{fn: "median", args: []any{d}, kw: kw("axis", 0)}, isLazy)
	wantErr(t, "median over the memory limit", err, "MemoryError", "memory limit")
	if len(out.progress) != 0 {
		t.Errorf("median over the memory limit read files first: %+v", out.progress)
	}
}

func TestNumpyIndexingMatchesNumpy(t *testing.T) {
	at := func(x ref, key any) npCall { return npCall{fn: "[]", args: []any{x, key}} }
	all := obj.Slice{}
	cases := []npCall{
		at("a", obj.Tuple{all, nil}), at("a", obj.Tuple{nil, obj.Ellipsis, nil}), at("c", obj.Tuple{1, nil, obj.Slice{Start: ip(1)}}),
		at("c", obj.Tuple{obj.Ellipsis, 2, nil}), at("r", nil), at("c", obj.Tuple{nil, 0, nil, all, 3}),
		at("a", ref("a > 0")), at("a32", ref("a32 < 1")), at("c", ref("c[:, :, 0] > 0")), at("c", ref("c[:, 0, 0] > 0")),
		at("i", ref("m")), at("e", ref("e > 0")), at("b", ref("b[0] > 0")),
		at("c", obj.List{2, 0, -1}), at("b32", ref("idx % 3")), at("c", ref("np.array([[0, 1], [2, 2]])")), at("r", obj.List{}),
		at("c", obj.List{3}), at("c", obj.List{-4}), at("b", obj.List{true, false, true}), at("b", obj.List{true, false}),
		at("b", ref("r")),
	}
	// The masks and index arrays above, built as numpy does, by name.
	in := npInputs()
	env := testEnv()
	extra := map[string]any{}
	h := &harness{t: t, env: env}
	extra["a > 0"] = h.op((*numpy.NDArray)(in["a"]), ">", 0)
	extra["a32 < 1"] = h.op((*numpy.NDArray)(in["a32"]), "<", 1)
	extra["c[:, :, 0] > 0"] = h.op(h.idx((*numpy.NDArray)(in["c"]), obj.Tuple{all, all, 0}), ">", 0)
	extra["c[:, 0, 0] > 0"] = h.op(h.idx((*numpy.NDArray)(in["c"]), obj.Tuple{all, 0, 0}), ">", 0)
	extra["e > 0"] = h.op((*numpy.NDArray)(in["e"]), ">", 0)
	extra["b[0] > 0"] = h.op(h.idx((*numpy.NDArray)(in["b"]), 0), ">", 0)
	extra["b > 0"] = h.op((*numpy.NDArray)(in["b"]), ">", 0)
	extra["idx % 3"] = h.op((*numpy.NDArray)(in["idx"]), "%", 3)
	extra["np.array([[0, 1], [2, 2]])"] = (*numpy.NDArray)(lazy.NewArray([]float64{0, 1, 2, 2}, []int{2, 2}, lazy.Int64))
	checkNumpyCallsWith(t, cases, extra)
}

func TestNumpyCreationAndShapeMatchNumpy(t *testing.T) {
	cases := []npCall{
		{fn: "arange", args: []any{5}}, {fn: "arange", args: []any{1, 2, 0.3}}, {fn: "arange", args: []any{0.5, 3}},
		{fn: "arange", args: []any{10, 2, -3}}, {fn: "arange", args: []any{3}, kw: kw("dtype", numpy.DType{DType: lazy.Float32})}, {fn: "arange", args: []any{0, 1, 0}},
		{fn: "linspace", args: []any{0, 1, 5}}, {fn: "linspace", args: []any{2, 3, 4}, kw: kw("endpoint", false)},
		{fn: "linspace", args: []any{0, 1, 1}}, {fn: "linspace", args: []any{-1.5, 7}}, {fn: "linspace", args: []any{0, 1, 0}},
		{fn: "linspace", args: []any{1, 1, 3}}, {fn: "linspace", args: []any{0, 10, 4}, kw: kw("dtype", numpy.DType{DType: lazy.Float32})},
		{fn: "zeros", args: []any{obj.Tuple{2, 3}}}, {fn: "ones", args: []any{3}, kw: kw("dtype", numpy.DType{DType: lazy.Int64})}, {fn: "empty", args: []any{obj.Tuple{0, 2}}},
		{fn: "zeros", args: []any{-1}}, {fn: "full", args: []any{obj.Tuple{2, 2}, 7}}, {fn: "full", args: []any{2, 1.5}},
		{fn: "full", args: []any{2, true}}, {fn: "full", args: []any{3, 2.5}, kw: kw("dtype", numpy.DType{DType: lazy.Float32})},
		{fn: "zeros_like", args: []any{ref("a32")}}, {fn: "ones_like", args: []any{ref("i")}}, {fn: "ones_like", args: []any{ref("m")}, kw: kw("dtype", numpy.DType{DType: lazy.Float64})},
		{fn: "array", args: []any{obj.List{obj.List{1, 2}, obj.List{3, 4}}}}, {fn: "array", args: []any{obj.List{1, 2.5}}},
		{fn: "array", args: []any{obj.List{true, false}}}, {fn: "array", args: []any{obj.List{true, 2}}}, {fn: "array", args: []any{obj.List{}}},
		{fn: "array", args: []any{obj.List{obj.List{1, 2}, obj.List{3}}}}, {fn: "array", args: []any{obj.List{obj.List{1, 2}, 3}}},
		{fn: "array", args: []any{obj.List{1, obj.List{2, 3}}}}, {fn: "array", args: []any{obj.Tuple{1, 2}}, kw: kw("dtype", numpy.DType{DType: lazy.Float32})},
		{fn: "array", args: []any{obj.List{float32(1.5), float32(2)}}}, {fn: "array", args: []any{obj.List{float32(1.5), 2}}},
		{fn: "array", args: []any{5}}, {fn: "array", args: []any{2.5}, kw: kw("dtype", numpy.DType{DType: lazy.Int64})}, {fn: "asarray", args: []any{ref("b32")}},
		{fn: "array", args: []any{obj.List{ref("r"), ref("u")}}},
		{fn: "stack", args: []any{obj.List{ref("r"), ref("u")}}}, {fn: "stack", args: []any{obj.List{ref("a"), ref("i")}}, kw: kw("axis", 1)},
		{fn: "stack", args: []any{obj.List{ref("a"), ref("a32")}}, kw: kw("axis", -1)}, {fn: "stack", args: []any{obj.List{ref("a"), ref("r")}}},
		{fn: "stack", args: []any{obj.List{ref("r")}}, kw: kw("axis", 2)}, {fn: "stack", args: []any{obj.List{}}},
		{fn: "concatenate", args: []any{obj.List{ref("a"), ref("i")}}}, {fn: "concatenate", args: []any{obj.List{ref("a"), ref("m")}}, kw: kw("axis", 1)},
		{fn: "concatenate", args: []any{obj.List{ref("a"), ref("b")}}}, {fn: "concatenate", args: []any{obj.List{ref("a"), ref("r")}}},
		{fn: "concatenate", args: []any{obj.List{ref("a32"), ref("b32")}}, kw: kw("axis", nil)},
		{fn: "meshgrid", args: []any{ref("r"), ref("idx")}}, {fn: "meshgrid", args: []any{ref("r"), ref("idx")}, kw: kw("indexing", "ij")},
		{fn: "meshgrid", args: []any{ref("r"), ref("idx"), ref("u")}}, {fn: "meshgrid", args: []any{ref("r")}},
		{fn: "transpose", args: []any{ref("c")}}, {fn: "transpose", args: []any{ref("c"), obj.Tuple{1, 0, 2}}}, {fn: "transpose", args: []any{ref("c"), obj.Tuple{1, 0}}},
		{fn: ".T", args: []any{ref("a32")}}, {fn: ".transpose", args: []any{ref("c"), 2, 0, 1}},
		{fn: "reshape", args: []any{ref("b"), obj.Tuple{4, 3}}}, {fn: "reshape", args: []any{ref("b"), obj.Tuple{-1, 2}}}, {fn: "reshape", args: []any{ref("b"), 5}},
		{fn: "reshape", args: []any{ref("b"), obj.Tuple{-1, 5}}}, {fn: ".reshape", args: []any{ref("c"), 12, -1}}, {fn: ".reshape", args: []any{ref("c"), obj.Tuple{60}}},
		{fn: "squeeze", args: []any{ref("s1")}}, {fn: "squeeze", args: []any{ref("s1")}, kw: kw("axis", 2)}, {fn: "squeeze", args: []any{ref("s1")}, kw: kw("axis", 1)},
		{fn: ".squeeze", args: []any{ref("s1")}}, {fn: "expand_dims", args: []any{ref("r"), 0}}, {fn: "expand_dims", args: []any{ref("a"), obj.Tuple{0, 3}}},
		{fn: "expand_dims", args: []any{ref("a"), -1}}, {fn: "expand_dims", args: []any{ref("a"), 4}},
		{fn: "moveaxis", args: []any{ref("c"), 0, -1}}, {fn: "moveaxis", args: []any{ref("c"), obj.Tuple{0, 1}, obj.Tuple{2, 0}}}, {fn: "moveaxis", args: []any{ref("c"), 3, 0}},
		{fn: "ravel", args: []any{ref("a")}}, {fn: ".ravel", args: []any{ref("c")}}, {fn: ".flatten", args: []any{ref("m")}},
		{fn: "float32", args: []any{1.1}}, {fn: "float64", args: []any{ref("a32")}}, {fn: "int64", args: []any{-2.7}}, {fn: "bool_", args: []any{ref("r")}},
		{fn: "float32", args: []any{}}, {fn: "int64", args: []any{math.Inf(1)}},
	}
	checkNumpyCalls(t, cases)
}

// overrider is a test-only value that takes over some numpy functions, as astropy's
// Quantity does through obj.UfuncOverrider, and is an obj.ArrayLike for the rest.
type overrider struct {
	takes map[string]bool
	calls []string
}

func (o *overrider) ArrayUfunc(env *obj.Env, name string, args []any, kwargs map[string]any) (any, bool, error) {
	o.calls = append(o.calls, name)
	if !o.takes[name] {
		return nil, false, nil
	}
	if name == "log" {
		return nil, true, obj.Errorf("UnitTypeError", "Can only apply 'log' function to dimensionless quantities")
	}
	return fmt.Sprintf("%s by the overrider with %d args and %d keywords", name, len(args), len(kwargs)), true, nil
}
func (o *overrider) ArrayShape() []int            { return []int{2} }
func (o *overrider) Float64s() ([]float64, error) { return []float64{4, 9}, nil }

func TestNumpyOffersCallsToUfuncOverriders(t *testing.T) {
	env := testEnv()
	mod := numpy.Module()
	call := func(name string, args obj.Args) (any, error) {
		f, _ := mod.Type().Member(name).Get(env, mod)
		return f.(*obj.Func).Call(env, args)
	}
	q := &overrider{takes: map[string]bool{"sqrt": true, "stack": true, "where": true, "log": true, "meshgrid": true, "float32": true}}
	for _, c := range []struct {
		name string
		args obj.Args
		want string
	}{
		{"sqrt", obj.Args{Pos: []any{q}}, "sqrt by the overrider with 1 args and 0 keywords"},
		{"stack", obj.Args{Pos: []any{obj.List{2.0, q}}}, "stack by the overrider with 1 args and 0 keywords"},
		{"where", obj.Args{Pos: []any{true, 1.0}, Kw: map[string]any{"y": q}}, "where by the overrider with 2 args and 1 keywords"},
		{"meshgrid", obj.Args{Pos: []any{obj.List{1, 2}, q}}, "meshgrid by the overrider with 2 args and 0 keywords"},
		{"float32", obj.Args{Pos: []any{q}}, "float32 by the overrider with 1 args and 0 keywords"},
	} {
		got, err := call(c.name, c.args)
		if err != nil || got != c.want {
			t.Errorf("np.%s: %v, %v; want %q", c.name, got, err, c.want)
		}
	}
	if _, err := call("log", obj.Args{Pos: []any{q}}); err == nil || err.(*obj.Error).Class != "UnitTypeError" {
		t.Errorf("np.log: the overrider's error is lost: %v", err)
	}
	// Declined: numpy's own dispatch runs, taking the value as an obj.ArrayLike.
	got, err := call("mean", obj.Args{Pos: []any{q}})
	if err != nil || got != 6.5 {
		t.Errorf("np.mean of a declining overrider: %v, %v; want 6.5 from its values", got, err)
	}
	if !slices.Equal(q.calls, []string{"sqrt", "stack", "where", "meshgrid", "float32", "log", "mean"}) {
		t.Errorf("calls offered: %v", q.calls)
	}
}

// TestRebinTakesNumpyFunctions: ds.rebin(..., operation=np.sum) and the DKIST examples'
// function=np.sum give what the operation's name gives (which TestAgainstNumpy compares
// with numpy's reshape-and-reduce).
func TestRebinTakesNumpyFunctions(t *testing.T) {
	dir := writeSmall(t, []int{2, 3, 4, 6})
	h := &harness{t: t, env: testEnv()}
	ds, err := LoadDatasetEnv(h.env, dir)
	if err != nil {
		t.Fatal(err)
	}
	mod := numpy.Module()
	np := func(name string) any { f, _ := mod.Type().Member(name).Get(h.env, mod); return f }
	bins := obj.Tuple{1, 3, 2, 2}
	for _, c := range []struct {
		name string
		kw   map[string]any
	}{
		{"sum", kw("operation", np("sum"))}, {"sum", kw("function", np("sum"))},
		{"max", kw("function", np("max"))}, {"mean", kw("operation", np("mean"))}, {"min", kw("function", "min")},
	} {
		c.kw["bin_shape"] = bins
		got := h.compute(h.get(h.kw(ds, "rebin", c.kw), "data")).(*numpy.NDArray)
		want := h.compute(h.get(rebinned(t, ds, c.name, bins...), "data")).(*numpy.NDArray)
		if !slices.Equal(got.Dims, want.Dims) || !slices.Equal(got.Array().Floats(), want.Array().Floats()) {
			t.Errorf("rebin(%v): %v, want %v (operation=%q)", c.kw, got.Array().Floats(), want.Array().Floats(), c.name)
		}
	}
	_, err = callMemberErr(h.env, ds, "rebin", obj.Args{Pos: []any{bins}, Kw: kw("operation", np("sum"), "function", np("sum"))})
	wantErr(t, "both", err, obj.TypeError, "both operation= and function=")
	_, err = callMemberErr(h.env, ds, "rebin", obj.Args{Pos: []any{bins}, Kw: kw("function", np("nansum"))})
	wantErr(t, "nansum", err, obj.ValueError, "'nansum' is not one of mean, sum, min, max, median")
}

// callMemberErr calls a method of v and returns its error instead of failing.
func callMemberErr(env *obj.Env, v any, name string, args obj.Args) (any, error) {
	return v.(obj.Object).Type().Member(name).Call(env, v, args)
}

func TestNumpyOrderStatisticsMatchNumpy(t *testing.T) {
	var cases []npCall
	for _, x := range []ref{"a", "a32", "b", "b32", "c", "i", "e", "n"} {
		for _, ax := range []any{nil, 0, -1, obj.Tuple{0, 1}} {
			cases = append(cases,
				npCall{fn: "median", args: []any{x}, kw: kw("axis", ax)},
				npCall{fn: "percentile", args: []any{x, 30}, kw: kw("axis", ax)},
				npCall{fn: "quantile", args: []any{x, obj.List{0.0, 0.25, 0.5, 0.9, 1.0}}, kw: kw("axis", ax)},
			)
		}
		cases = append(cases,
			npCall{fn: "median", args: []any{x}, kw: kw("axis", 0, "keepdims", true)},
			npCall{fn: "percentile", args: []any{x, obj.List{12.5, 99}}, kw: kw("axis", -1, "keepdims", true)},
			npCall{fn: "cumsum", args: []any{x}}, npCall{fn: "cumsum", args: []any{x}, kw: kw("axis", 0)}, npCall{fn: "cumsum", args: []any{x}, kw: kw("axis", -1)},
		)
	}
	cases = append(cases,
		npCall{fn: "percentile", args: []any{ref("b"), 101}}, npCall{fn: "quantile", args: []any{ref("b"), -0.1}},
		npCall{fn: ".cumsum", args: []any{ref("c")}, kw: kw("axis", 1)}, npCall{fn: ".cumsum", args: []any{ref("a32")}},
		npCall{fn: ".clip", args: []any{ref("a"), -1, 1}}, npCall{fn: ".clip", args: []any{ref("i")}, kw: kw("max", 2)},
		npCall{fn: ".round", args: []any{ref("b"), 1}}, npCall{fn: ".round", args: []any{ref("n")}},
		npCall{fn: "cumsum", args: []any{ref("m")}, kw: kw("axis", 1)}, npCall{fn: "cumsum", args: []any{ref("b")}, kw: kw("axis", 2)},
		npCall{fn: "histogram", args: []any{ref("b")}}, npCall{fn: "histogram", args: []any{ref("b32")}, kw: kw("bins", 7)},
		npCall{fn: "histogram", args: []any{ref("c")}, kw: kw("bins", 13, "range", obj.Tuple{-2, 2.5})},
		npCall{fn: "histogram", args: []any{ref("i")}, kw: kw("bins", 4)}, npCall{fn: "histogram", args: []any{ref("m")}},
		npCall{fn: "histogram", args: []any{ref("c")}, kw: kw("bins", obj.List{-3, -1, 0, 0.5, 3})},
		npCall{fn: "histogram", args: []any{ref("c")}, kw: kw("bins", 5, "density", true), approx: true},
		npCall{fn: "histogram", args: []any{ref("a")}}, npCall{fn: "histogram", args: []any{ref("a")}, kw: kw("range", obj.Tuple{0, 2})},
		npCall{fn: "histogram", args: []any{ref("e")}}, npCall{fn: "histogram", args: []any{obj.List{2.5, 2.5}}},
		npCall{fn: "histogram", args: []any{ref("b")}, kw: kw("bins", 0)}, npCall{fn: "histogram", args: []any{ref("b")}, kw: kw("range", obj.Tuple{2, 1})},
		npCall{fn: "histogram", args: []any{ref("b")}, kw: kw("bins", obj.List{1, 0})},
	)
	checkNumpyCalls(t, cases)
}

// TestSelectNthAgreesWithSort: the selection behind median and quantiles puts at k what
// a sort does, for sizes around its cut-over, many duplicates and sorted inputs.
func TestSelectNthAgreesWithSort(t *testing.T) {
	for n := 0; n < 300; n += 7 {
		for _, mod := range []int{3, 1000} {
			row := make([]float64, n)
			for i := range row {
				row[i] = float64((i*7919 + n) % mod)
			}
			for _, in := range [][]float64{row, slices.Sorted(slices.Values(row))} {
				sorted := slices.Sorted(slices.Values(in))
				for _, k := range []int{0, n / 3, n / 2, n - 1} {
					if k < 0 || k >= n {
						continue
					}
					s, _ := numpy.OrderedRow(in, k, k+1)
					if s[k] != sorted[k] || k+1 < n && s[k+1] != sorted[k+1] {
						t.Fatalf("n=%d mod=%d k=%d: %v, %v; sorted %v, %v", n, mod, k, s[k], s[k+1], sorted[k], sorted[k+1])
					}
				}
			}
		}
	}
}

// TestContiguousBoxAgreesWithRows: a block is reduced in place exactly when its rows are
// one consecutive run of the array's values, starting where the first row does.
func TestContiguousBoxAgreesWithRows(t *testing.T) {
	shape := []int{3, 4, 5}
	for l0 := range 3 {
		for h0 := l0; h0 <= 3; h0++ {
			for l1 := range 4 {
				for h1 := l1; h1 <= 4; h1 += 1 {
					for _, x := range [][2]int{{0, 5}, {1, 5}, {0, 3}, {2, 3}} {
						lo, hi := []int{l0, l1, x[0]}, []int{h0, h1, x[1]}
						next, first, consecutive := -1, -1, true
						lazy.ForEachBoxRow(shape, lo, hi, func(off, k, n int) {
							if first < 0 {
								first = off
							} else if off != next {
								consecutive = false
							}
							next = off + n
						})
						off, ok := lazy.ContiguousBox(shape, lo, hi)
						if lazy.BoxSize(lo, hi) > 0 && (ok != consecutive || ok && off != first) {
							t.Errorf("block %v-%v: contiguous %v at %d; rows consecutive %v from %d", lo, hi, ok, off, consecutive, first)
						}
					}
				}
			}
		}
	}
}
