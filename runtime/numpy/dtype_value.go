package numpy

import (
	"fmt"
	"gokist/runtime/lazy"

	"gokist/obj"
)

// NumpyDType is a DType as a cell sees it, the value of x.dtype, as numpy's dtype
// objects: it prints as dtype('float32'), its str() is the name, it equals its name
// (x.dtype == 'float32'), and astype() takes it.
type DType struct{ lazy.DType }

// pyDType gives a dtype to a cell: the NumpyDType of dt, or err.
func pyDType(dt lazy.DType, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return DType{dt}, nil
}

var dtypeType = &obj.Type{Name: "dtype", Doc: "An array's element type, as numpy's dtype: .name, .itemsize, .kind; equal to its name ('float32')."}

func init() {
	d := func(recv any) lazy.DType { return recv.(DType).DType }
	dtypeType.Members = []*obj.Member{
		obj.Attr("name", "The dtype's name, e.g. 'float32'.", func(env *obj.Env, recv any) (any, error) { return d(recv).String(), nil }),
		obj.Attr("itemsize", "Bytes per element.", func(env *obj.Env, recv any) (any, error) { return d(recv).ItemSize(), nil }),
		obj.Attr("kind", "numpy's kind code: 'b' bool, 'i' signed int, 'f' float.", func(env *obj.Env, recv any) (any, error) {
			return map[lazy.DType]string{lazy.Bool: "b", lazy.Int64: "i", lazy.Float32: "f", lazy.Float64: "f"}[d(recv)], nil
		}),
	}
}

// Type returns the dtype member table.
func (d DType) Type() *obj.Type { return dtypeType }

// MimeBundle shows the dtype as numpy's repr does.
func (d DType) MimeBundle() map[string]any {
	return map[string]any{"text/plain": fmt.Sprintf("dtype('%s')", d)}
}

// Str is the dtype's name, as str(np.dtype('float32')).
func (d DType) Str() string { return d.String() }

// BinaryOp implements == and != with another dtype or with a name numpy understands
// ('float32', 'f4', 'float'), as numpy compares dtypes.
func (d DType) BinaryOp(env *obj.Env, op string, other any, reflected bool) (any, bool, error) {
	if op != "==" && op != "!=" {
		return nil, false, nil
	}
	var same bool
	switch o := other.(type) {
	case DType:
		same = o == d
	case string, *obj.Func: // 'float32', or the builtins float, int and bool
		od, err := ParseDType(o)
		same = err == nil && od == d.DType
	default:
		return nil, false, nil
	}
	return same == (op == "=="), true, nil
}
