package numpy

import (
	"encoding/json"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
	"gokist/runtime/lazy"
)

// np.finfo of a computed array takes the array's dtype: a cell's array (an ndarray over
// the core's Array) answers DType() as the Array did. (numpy 1.x itself refuses an array
// there, "data type <class 'numpy.object_'> not inexact"; gokist has accepted one since
// np.finfo came, and this keeps it so; the eps is numpy's for the array's dtype.)
func TestFinfoOfAComputedArray(t *testing.T) {
	env := testEnv()
	f := Module().Type().Member("finfo")
	if f == nil {
		t.Fatal("numpy has no finfo")
	}
	fn, err := f.Get(env, Module())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		dt lazy.DType
		py string
	}{{lazy.Float32, "float32"}, {lazy.Float64, "float64"}} {
		x := (*NDArray)(lazy.NewArray([]float64{1.5, 2}, []int{2}, c.dt))
		fi, err := fn.(*obj.Func).Call(env, obj.Args{Pos: []any{x}})
		if err != nil {
			t.Fatalf("np.finfo of a %s array: %v", c.py, err)
		}
		eps, err := fi.(obj.Object).Type().Member("eps").Get(env, fi)
		if err != nil {
			t.Fatal(err)
		}
		ref := pyref.Eval(t, "import numpy as np", "float(np.finfo(np."+c.py+").eps)")
		var want float64
		if err := json.Unmarshal(ref.Value, &want); err != nil || ref.Type != "" {
			t.Fatalf("numpy's eps: %s %s %v", ref.Value, ref.Message, err)
		}
		var got float64
		switch x := eps.(type) {
		case float64:
			got = x
		case float32:
			got = float64(x)
		}
		if got != want {
			t.Errorf("np.finfo(%s array).eps = %v, numpy says %v", c.py, eps, want)
		}
	}
}
