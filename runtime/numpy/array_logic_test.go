package numpy

import (
	"encoding/json"
	"errors"
	"fmt"
	"gokist/runtime/lazy"
	"math"
	"slices"
	"strconv"
	"testing"

	"gokist/obj"
)

// logicPrelude defines, in numpy, the operands the elementwise tests use; logicOperands
// builds the same values in Go.
const logicPrelude = `
b = np.array([[True, False, True], [False, False, True]])
c = np.array([True, True, False])
i = np.array([[3, -4, 0], [7, 12, -1]], dtype=np.int64)
j = np.array([5, 1, -8], dtype=np.int64)
f = np.array([[1.5, np.nan, 0.0], [3.25, 0.5, -1.0]])
x = np.array([0.9560502, 0.9618288, 0.96536493], dtype=np.float32)
y = np.array([[0.9560502, 1e-3, 17.25], [-2.5, 16777217, 0.1]], dtype=np.float32)
`

// logicOperands gives the operands of logicPrelude as in-memory Arrays, or as LazyArrays
// over them.
func logicOperands(isLazy bool) map[string]any {
	arrays := map[string]*lazy.Array{
		"b": lazy.NewArray([]float64{1, 0, 1, 0, 0, 1}, []int{2, 3}, lazy.Bool),
		"c": lazy.NewArray([]float64{1, 1, 0}, []int{3}, lazy.Bool),
		"i": lazy.NewArray([]float64{3, -4, 0, 7, 12, -1}, []int{2, 3}, lazy.Int64),
		"j": lazy.NewArray([]float64{5, 1, -8}, []int{3}, lazy.Int64),
		"f": lazy.NewArray([]float64{1.5, math.NaN(), 0, 3.25, 0.5, -1}, []int{2, 3}, lazy.Float64),
		"x": lazy.NewArray([]float64{0.9560502, 0.9618288, 0.96536493}, []int{3}, lazy.Float32),
		"y": lazy.NewArray([]float64{0.9560502, 1e-3, 17.25, -2.5, 16777217, 0.1}, []int{2, 3}, lazy.Float32),
	}
	out := map[string]any{}
	for k, a := range arrays {
		if isLazy {
			out[k] = &LazyArray{Node: &lazy.ArrayNode{A: a}}
		} else {
			out[k] = (*NDArray)(a)
		}
	}
	return out
}

// logicEval applies operators and methods as the cell language does, keeping the first
// error so that a case is one expression.
type logicEval struct {
	env *obj.Env
	v   map[string]any
	err error
}

func (e *logicEval) bin(a any, op string, b any) any {
	if e.err != nil {
		return nil
	}
	if o, ok := a.(obj.Operand); ok {
		r, handled, err := o.BinaryOp(e.env, op, b, false)
		if err != nil || handled {
			e.err = err
			return r
		}
	}
	if o, ok := b.(obj.Operand); ok {
		r, handled, err := o.BinaryOp(e.env, op, a, true)
		if err != nil || handled {
			e.err = err
			return r
		}
	}
	e.err = fmt.Errorf("%s not handled for %s and %s", op, obj.TypeName(a), obj.TypeName(b))
	return nil
}

func (e *logicEval) un(op string, a any) any {
	if e.err != nil {
		return nil
	}
	r, err := a.(obj.UnaryOperand).UnaryOp(e.env, op)
	e.err = err
	return r
}

func (e *logicEval) call(v any, name string, pos ...any) any {
	if e.err != nil {
		return nil
	}
	r, err := v.(obj.Object).Type().Member(name).Call(e.env, v, obj.Args{Pos: pos})
	e.err = err
	return r
}

func (e *logicEval) kw(v any, name string, kw map[string]any) any {
	if e.err != nil {
		return nil
	}
	r, err := v.(obj.Object).Type().Member(name).Call(e.env, v, obj.Args{Kw: kw})
	e.err = err
	return r
}

func (e *logicEval) idx(v any, key any) any {
	if e.err != nil {
		return nil
	}
	r, err := v.(obj.Indexer).GetItem(e.env, key)
	e.err = err
	return r
}

// truth is bool(v) through the interface lang's truthiness calls.
func (e *logicEval) truth(v any) any {
	if e.err != nil {
		return nil
	}
	r, err := v.(interface{ Truth() (bool, error) }).Truth()
	e.err = err
	return r
}

// logicCase is one expression, in numpy and through gokist's operators.
type logicCase struct {
	name, py string
	run      func(e *logicEval) any
}

// numpyOutcome is what numpy gave for a case: a value (as numpy's dtype, shape and the
// values widened to float64) or an exception.
type numpyOutcome struct {
	Shape  []int       `json:"shape"`
	Values []jsonFloat `json:"values"`
	DType  string      `json:"dtype"`
	Error  string      `json:"error"`
	Msg    string      `json:"msg"`
}

// jsonFloat is a float64 that JSON carries as a number, or as the string "nan", "inf"
// or "-inf", which JSON numbers cannot hold.
type jsonFloat float64

// UnmarshalJSON reads a number or a non-finite value's name.
func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		v, err := strconv.ParseFloat(s, 64)
		*f = jsonFloat(v)
		return err
	}
	var v float64
	err := json.Unmarshal(b, &v)
	*f = jsonFloat(v)
	return err
}

// evalNumpyCases evaluates each case's expression after prelude with numpy 1.24.
func evalNumpyCases(t *testing.T, prelude string, cases []logicCase) map[string]numpyOutcome {
	t.Helper()
	exprs := map[string]string{}
	for _, c := range cases {
		exprs[c.name] = c.py
	}
	script := `
import json, sys, warnings
import numpy as np
warnings.simplefilter("ignore")
` + prelude + `
out = {}
for name, expr in json.load(sys.stdin).items():
    try:
        v = np.asarray(eval(expr))
    except Exception as e:
        out[name] = {"error": type(e).__name__, "msg": str(e)}
        continue
    vals = [x if np.isfinite(x) else repr(x) for x in v.astype(np.float64).ravel().tolist()]
    out[name] = {"shape": list(v.shape), "values": vals, "dtype": str(v.dtype)}
json.dump(out, sys.stdout)
`
	var want map[string]numpyOutcome
	runPython(t, script, exprs, &want)
	return want
}

// outcomeOf describes a gokist result as numpy's asarray would: a computed array, or a
// scalar as a 0-d one.
func outcomeOf(env *obj.Env, v any, err error) (numpyOutcome, error) {
	if err != nil {
		var oe *obj.Error
		if !errors.As(err, &oe) {
			return numpyOutcome{}, err
		}
		return numpyOutcome{Error: oe.Class, Msg: oe.Msg}, nil
	}
	if l, ok := v.(*LazyArray); ok {
		c, err := l.Compute(env)
		if err != nil {
			return numpyOutcome{}, err
		}
		v = c
	}
	one := func(x float64, dt string) numpyOutcome {
		return numpyOutcome{Shape: []int{}, Values: []jsonFloat{jsonFloat(x)}, DType: dt}
	}
	switch x := v.(type) {
	case *NDArray:
		o := numpyOutcome{Shape: x.Array().Shape(), DType: x.DT.String()}
		for _, f := range x.Array().Floats() {
			o.Values = append(o.Values, jsonFloat(f))
		}
		return o, nil
	case bool: // bool(x)
		return one(lazy.B2f(x), "bool"), nil
	case Bool:
		return one(lazy.B2f(bool(x)), "bool"), nil
	case int:
		return one(float64(x), "int64"), nil
	case float32:
		return one(float64(x), "float32"), nil
	case float64:
		return one(x, "float64"), nil
	}
	return numpyOutcome{}, fmt.Errorf("unexpected result %T", v)
}

// checkOutcome compares a gokist outcome with numpy's: the same exception class and
// message, or the same dtype, shape and values (exactly: these operations are exact or
// correctly rounded in both).
func checkOutcome(t *testing.T, label string, got, want numpyOutcome) {
	t.Helper()
	if want.Error != "" || got.Error != "" {
		if got.Error != want.Error || got.Msg != want.Msg {
			t.Errorf("%s: got error %s: %q, numpy %s: %q", label, got.Error, got.Msg, want.Error, want.Msg)
		}
		return
	}
	if got.DType != want.DType || !slices.Equal(got.Shape, want.Shape) {
		t.Errorf("%s: got %s %v, numpy %s %v", label, got.DType, got.Shape, want.DType, want.Shape)
		return
	}
	for k := range want.Values {
		g, w := got.Values[k], want.Values[k]
		if g != w && !(g != g && w != w) {
			t.Errorf("%s: element %d: got %v, numpy %v", label, k, g, w)
		}
	}
}

// runLogicCases checks every case against numpy on in-memory and on lazy operands.
func runLogicCases(t *testing.T, cases []logicCase) {
	t.Helper()
	runLogicCasesWith(t, logicPrelude, cases)
}

// runLogicCasesWith is runLogicCases with numpy's operands and settings from prelude.
func runLogicCasesWith(t *testing.T, prelude string, cases []logicCase) {
	t.Helper()
	want := evalNumpyCases(t, prelude, cases)
	env := testEnv()
	for _, isLazy := range []bool{false, true} {
		for _, c := range cases {
			e := &logicEval{env: env, v: logicOperands(isLazy)}
			v := c.run(e)
			got, err := outcomeOf(env, v, e.err)
			label := fmt.Sprintf("%s (lazy=%v)", c.py, isLazy)
			if err != nil {
				t.Errorf("%s: %v", label, err)
				continue
			}
			checkOutcome(t, label, got, want[c.name])
		}
	}
}

// TestBitwiseOperatorsLikeNumpy checks &, |, ^ and ~ on bool and int arrays, with
// broadcasting, Python scalars on either side and numpy's dtype results and errors.
func TestBitwiseOperatorsLikeNumpy(t *testing.T) {
	bin := func(a, op, b string) logicCase {
		return logicCase{a + op + b, a + " " + op + " " + b, func(e *logicEval) any {
			operand := func(s string) any {
				switch s {
				case "True":
					return true
				case "False":
					return false
				case "1":
					return 1
				case "6":
					return 6
				case "1.5":
					return 1.5
				}
				return e.v[s]
			}
			return e.bin(operand(a), op, operand(b))
		}}
	}
	var cases []logicCase
	for _, op := range []string{"&", "|", "^"} {
		cases = append(cases,
			bin("b", op, "c"), bin("c", op, "b"), bin("i", op, "j"), bin("b", op, "i"), bin("j", op, "c"),
			bin("b", op, "True"), bin("False", op, "b"), bin("b", op, "1"), bin("6", op, "i"), bin("i", op, "True"),
			bin("f", op, "b"), bin("b", op, "1.5"), bin("x", op, "c"), bin("i", op, "f"))
	}
	// numpy refuses bool - bool and points to ^.
	cases = append(cases, bin("b", "-", "c"), bin("b", "-", "True"), bin("True", "-", "b"), bin("b", "-", "1"))
	for _, v := range []string{"b", "c", "i", "f", "x"} {
		cases = append(cases, logicCase{"inv" + v, "~" + v, func(e *logicEval) any { return e.un("~", e.v[v]) }})
	}
	cases = append(cases,
		logicCase{"mask_and", "(x > 0.96) & (x < 0.965)", func(e *logicEval) any {
			return e.bin(e.bin(e.v["x"], ">", 0.96), "&", e.bin(e.v["x"], "<", 0.965))
		}},
		logicCase{"mask_or_not", "~(f > 0) | (i < 0)", func(e *logicEval) any {
			return e.bin(e.un("~", e.bin(e.v["f"], ">", 0)), "|", e.bin(e.v["i"], "<", 0))
		}},
		logicCase{"mask_count", "((i > 0) ^ b).sum()", func(e *logicEval) any {
			return e.call(e.bin(e.bin(e.v["i"], ">", 0), "^", e.v["b"]), "sum")
		}},
	)
	runLogicCases(t, cases)
}

// TestAnyAllLikeNumpy checks any() and all() with every axis form, on bools, ints and
// floats with NaN (true, as in numpy).
func TestAnyAllLikeNumpy(t *testing.T) {
	var cases []logicCase
	for _, v := range []string{"b", "i", "f", "c"} {
		for _, op := range []string{"any", "all"} {
			cases = append(cases, logicCase{v + op, v + "." + op + "()", func(e *logicEval) any { return e.call(e.v[v], op) }})
			if v == "c" {
				continue
			}
			for _, ax := range []any{0, -1, obj.Tuple{0, 1}} {
				py := fmt.Sprint(ax)
				if tup, ok := ax.(obj.Tuple); ok {
					py = fmt.Sprintf("(%v, %v)", tup[0], tup[1])
				}
				cases = append(cases, logicCase{v + op + py, v + "." + op + "(axis=" + py + ")", func(e *logicEval) any {
					return e.kw(e.v[v], op, map[string]any{"axis": ax})
				}})
			}
		}
	}
	cases = append(cases,
		logicCase{"empty_any", "f[:, :0].any(axis=1)", func(e *logicEval) any {
			return e.kw(e.idx(e.v["f"], obj.Tuple{sl(nil, nil, nil), sl(nil, ip(0), nil)}), "any", map[string]any{"axis": 1})
		}},
		logicCase{"empty_all", "f[:, :0].all(axis=1)", func(e *logicEval) any {
			return e.kw(e.idx(e.v["f"], obj.Tuple{sl(nil, nil, nil), sl(nil, ip(0), nil)}), "all", map[string]any{"axis": 1})
		}},
		logicCase{"any_axis_bad", "b.any(axis=2)", func(e *logicEval) any { return e.call(e.v["b"], "any", 2) }},
	)
	runLogicCases(t, cases)
}

// TestArrayTruthLikeNumpy checks bool(array): one element gives its truth, more than one
// is numpy's ValueError, none is False.
func TestArrayTruthLikeNumpy(t *testing.T) {
	cases := []logicCase{
		{"many", "bool(b)", func(e *logicEval) any { return e.truth(e.v["b"]) }},
		{"mask", "bool(x > 0.96)", func(e *logicEval) any { return e.truth(e.bin(e.v["x"], ">", 0.96)) }},
		{"one_true", "bool(i[1:, 2:])", func(e *logicEval) any {
			return e.truth(e.idx(e.v["i"], obj.Tuple{sl(ip(1), nil, nil), sl(ip(2), nil, nil)}))
		}},
		{"one_false", "bool(b[1:, :1])", func(e *logicEval) any {
			return e.truth(e.idx(e.v["b"], obj.Tuple{sl(ip(1), nil, nil), sl(nil, ip(1), nil)}))
		}},
		{"one_nan", "bool(f[0, 1:2])", func(e *logicEval) any {
			return e.truth(e.idx(e.v["f"], obj.Tuple{0, sl(ip(1), ip(2), nil)}))
		}},
		{"one_zero", "bool(f[0, 2:])", func(e *logicEval) any {
			return e.truth(e.idx(e.v["f"], obj.Tuple{0, sl(ip(2), nil, nil)}))
		}},
		{"empty", "bool(c[:0])", func(e *logicEval) any { return e.truth(e.idx(e.v["c"], sl(nil, ip(0), nil))) }},
	}
	want := evalNumpyCases(t, logicPrelude, cases)
	env := testEnv()
	for _, c := range cases {
		e := &logicEval{env: env, v: logicOperands(false)}
		got, err := outcomeOf(env, c.run(e), e.err)
		if err != nil {
			t.Fatalf("%s: %v", c.py, err)
		}
		checkOutcome(t, c.py, got, want[c.name])
	}
	// Lazy arrays: more than one element is the same ValueError; one element must be
	// computed first (the truth test cannot run an interruptible compute).
	isLazy := logicOperands(true)
	e := &logicEval{env: env, v: isLazy}
	e.truth(isLazy["b"])
	got, _ := outcomeOf(env, nil, e.err)
	checkOutcome(t, "lazy bool(b)", got, want["many"])
	e = &logicEval{env: env, v: isLazy}
	e.truth(e.call(isLazy["f"], "sum"))
	var oe *obj.Error
	if !errors.As(e.err, &oe) || oe.Class != obj.ValueError || oe.Hint == "" {
		t.Errorf("lazy one-element truth: %v, want a ValueError with a hint to compute", e.err)
	}
}
