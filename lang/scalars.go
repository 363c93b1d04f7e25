package lang

import (
	"gokist/obj"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
)

// numberType gives numbers the methods numpy's scalars have and notebooks call: a
// reduction's result (`t.item()`, `x.dtype`) is a numpy scalar in Python, which gokist
// holds as a Go float32, float64, int or NumpyBool. Python's own float and int have no
// item(); offering it on them too costs nothing and keeps numpy's code running.
var numberType = &obj.Type{Name: "number", Doc: "A number (numpy's scalars: np.float32, np.float64, np.int64, np.bool_).", Members: []*obj.Member{
	{Name: "item", Signature: "item()", Doc: "The number as a Python float, int or bool, as numpy's scalar.item().",
		Call: func(_ *obj.Env, recv any, _ obj.Args) (any, error) {
			switch x := recv.(type) {
			case float32:
				return float64(x), nil
			case numpy.Bool:
				return bool(x), nil
			}
			return recv, nil
		}},
	{Name: "dtype", Doc: "The scalar's numpy dtype.", Get: func(_ *obj.Env, recv any) (any, error) {
		switch recv.(type) {
		case float32:
			return numpy.DType{DType: lazy.Float32}, nil
		case float64:
			return numpy.DType{DType: lazy.Float64}, nil
		case int:
			return numpy.DType{DType: lazy.Int64}, nil
		}
		return numpy.DType{DType: lazy.Bool}, nil
	}},
}}
