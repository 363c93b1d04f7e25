package numpy

// numpy's scalar types and dtype helpers: np.float32(x) and its relatives (callables
// that are also dtype arguments), np.dtype, np.finfo.

import (
	"fmt"
	"gokist/runtime/lazy"
	"math"

	"gokist/obj"
)

// scalarTypeFunc is np.float32 and its relatives: called on a number it gives numpy's
// scalar of that type; on an array, the array converted (astype); as an argument it
// names the dtype (parseDType reads its name).
func scalarTypeFunc(name string, dt lazy.DType) *obj.Func {
	f := &obj.Func{Name: name, Signature: "numpy." + name + "(x=0)", Doc: fmt.Sprintf("numpy's %s scalar type: %s(x) converts a number or an array; as dtype= it names dtype('%s').", name, name, dt)}
	f.Call = func(env *obj.Env, args obj.Args) (any, error) {
		if r, handled, err := overrideCall(env, name, args); handled || err != nil {
			return r, err
		}
		v, err := args.Bind(name, []obj.Param{{Name: "x", Default: "0"}})
		if err != nil {
			return nil, err
		}
		x := v[0]
		if x == nil && len(args.Pos)+len(args.Kw) == 0 {
			x = 0
		}
		if s, ok := x.(string); ok {
			return nil, obj.Errorf(obj.ValueError, "could not convert string to %s: '%s'", map[bool]string{true: "float", false: "int"}[dt >= lazy.Float32], s).
				WithHint("convert with float(...) or int(...) first")
		}
		n, isLazy, err := operand(name, x)
		if err != nil {
			return nil, err
		}
		if dt == lazy.Int64 && n.DType() >= lazy.Float32 {
			if c, ok := n.(*lazy.ConstNode); ok && math.IsNaN(c.V) {
				return nil, obj.Errorf(obj.ValueError, "cannot convert float NaN to integer")
			} else if ok && math.IsInf(c.V, 0) {
				return nil, obj.Errorf("OverflowError", "cannot convert float infinity to integer")
			}
		}
		return finishNode(env, lazy.AstypeNode(n, dt), isLazy)
	}
	return f
}

// finfo is np.finfo(dtype): the limits of a float type.
type finfo struct{ dt lazy.DType }

var finfoType = &obj.Type{Name: "finfo", Doc: "Machine limits of a float type: eps, max, min, tiny, resolution, bits, dtype."}

func init() {
	fi := func(recv any) finfo { return recv.(finfo) }
	val := func(name, doc string, get func(dt lazy.DType) float64) *obj.Member {
		return obj.Attr(name, doc, func(env *obj.Env, recv any) (any, error) {
			dt := fi(recv).dt
			return scalarValue(get(dt), dt), nil
		})

	}
	pick := func(f32, f64 float64) func(lazy.DType) float64 {
		return func(dt lazy.DType) float64 {
			if dt == lazy.Float32 {
				return f32
			}
			return f64
		}
	}
	finfoType.Members = []*obj.Member{
		val("eps", "The difference between 1.0 and the next larger value.", pick(0x1p-23, 0x1p-52)),
		val("max", "The largest finite value.", pick(math.MaxFloat32, math.MaxFloat64)),
		val("min", "The most negative finite value.", pick(-math.MaxFloat32, -math.MaxFloat64)),
		val("tiny", "The smallest positive normal value.", pick(0x1p-126, 0x1p-1022)),
		val("smallest_normal", "The smallest positive normal value.", pick(0x1p-126, 0x1p-1022)),
		val("resolution", "10 to the power of minus the decimal digits of precision.", pick(1e-6, 1e-15)),
		obj.Attr("bits", "The number of bits of the type.", func(env *obj.Env, recv any) (any, error) { return 8 * fi(recv).dt.ItemSize(), nil }),
		obj.Attr("precision", "The approximate number of decimal digits of precision.", func(env *obj.Env, recv any) (any, error) {
			return map[lazy.DType]int{lazy.Float32: 6, lazy.Float64: 15}[fi(recv).dt], nil
		}),

		obj.Attr("dtype", "The float type.", func(env *obj.Env, recv any) (any, error) { return DType{fi(recv).dt}, nil }),
	}
}

// Type returns finfo's member table.
func (f finfo) Type() *obj.Type { return finfoType }

// MimeBundle shows finfo as numpy's repr.
func (f finfo) MimeBundle() map[string]any {
	s := "finfo(resolution=1e-15, min=-1.7976931348623157e+308, max=1.7976931348623157e+308, dtype=float64)"
	if f.dt == lazy.Float32 {
		s = "finfo(resolution=1e-06, min=-3.4028235e+38, max=3.4028235e+38, dtype=float32)"
	}
	return map[string]any{"text/plain": s}
}

// dtypeFuncs are np.dtype and np.finfo.
func dtypeFuncs() []*obj.Func {
	return []*obj.Func{
		npFunc("dtype", "dtype(obj)", "The dtype a name or scalar type names: np.dtype('float32').", []obj.Param{{Name: "obj"}},
			func(env *obj.Env, v []any) (any, error) { return pyDType(ParseDType(v[0])) }),
		npFunc("finfo", "finfo(dtype)", "Machine limits of a float type: eps, max, min, tiny, resolution.", []obj.Param{{Name: "dtype"}},
			func(env *obj.Env, v []any) (any, error) {
				if a, ok := v[0].(interface{ DType() lazy.DType }); ok {
					v[0] = DType{a.DType()}
				}
				if _, ok := v[0].(float64); ok {
					v[0] = DType{lazy.Float64} // np.finfo(1.0), as numpy takes a float
				}
				dt, err := ParseDType(v[0])
				if err != nil {
					return nil, err
				}
				if dt < lazy.Float32 {
					return nil, obj.Errorf(obj.ValueError, "data type <class 'numpy.%s'> not inexact", map[lazy.DType]string{lazy.Bool: "bool_", lazy.Int64: "int64"}[dt])
				}
				return finfo{dt}, nil
			}),
	}
}
