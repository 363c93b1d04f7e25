package lazy

import (
	"fmt"
	"math"
	"slices"

	"gokist/obj"
)

// Array is an in-memory N-d array, the result of compute(): row-major values with a
// numpy shape and dtype. float32 arrays hold float32 values (half the memory of
// float64, as numpy); every other dtype holds float64 values that the dtype rounds. It
// has the same methods as LazyArray, computed at once.
type Array struct {
	Values   []float64 // the values, unless dt is Float32
	Values32 []float32 // the values when dt is Float32
	Dims     []int
	DT       DType
}

// NewArray makes an Array of shape from row-major values (converted to float32 storage
// when dt is Float32); it panics if they disagree (a programming error, not a user one).
func NewArray(data []float64, shape []int, dt DType) *Array {
	if len(data) != Product(shape) {
		panic(fmt.Sprintf("NewArray: %d values for shape %v", len(data), shape))
	}
	if dt == Float32 {
		return &Array{Values32: toFloat32(data), Dims: slices.Clone(shape), DT: dt}
	}
	return &Array{Values: data, Dims: slices.Clone(shape), DT: dt}
}

// toFloat32 converts values to a new float32 slice.
func toFloat32(xs []float64) []float32 {
	out := make([]float32, len(xs))
	for i, x := range xs {
		out[i] = float32(x)
	}
	return out
}

// Data returns the row-major values as float64: shared for float64 storage, a new copy
// for a float32 array.
func (a *Array) Data() []float64 { return a.Floats() }

// float64s gives the values as float64 (shared unless the array holds float32).
func (a *Array) Floats() []float64 {
	if a.DT != Float32 {
		return a.Values
	}
	out := make([]float64, len(a.Values32))
	for i, x := range a.Values32 {
		out[i] = float64(x)
	}
	return out
}

// size is the number of elements.
func (a *Array) Size() int {
	if a.DT == Float32 {
		return len(a.Values32)
	}
	return len(a.Values)
}

// at gives element i (row-major) as float64.
func (a *Array) At(i int) float64 {
	if a.DT == Float32 {
		return float64(a.Values32[i])
	}
	return a.Values[i]
}

// nbytes is the memory the values take.
func (a *Array) Nbytes() int64 {
	return int64(len(a.Values))*8 + int64(len(a.Values32))*4
}

// Shape returns the numpy shape.
func (a *Array) Shape() []int { return slices.Clone(a.Dims) }

// DType returns the element type.
func (a *Array) DType() DType { return a.DT }

// resultDType gives the dtype of a op b as numpy does, where Python numbers (constNode)
// do not widen an array's float dtype when their value fits it.
func resultDType(op string, a, b Node) DType {
	if IsComparison(op) {
		return Bool
	}
	da, db := a.DType(), b.DType()
	ca, aConst := a.(*ConstNode)
	cb, bConst := b.(*ConstNode)
	var dt DType
	switch {
	case aConst && !bConst:
		dt = withScalar(db, ca)
	case bConst && !aConst:
		dt = withScalar(da, cb)
	default:
		dt = Promote(da, db)
	}
	if FloatBinary[op] && dt < Float32 {
		dt = Float64
	}
	// numpy promotes bools to int8 for these (we hold ints as int64: same values).
	if (op == "-" || op == "**" || op == "//" || op == "%") && dt == Bool {
		dt = Int64
	}
	return dt
}

// withScalar gives the dtype of an array of dtype arr combined with the Python scalar c,
// by numpy 1.24's value-based casting: a scalar of a higher kind (a float with an int
// array, an int with a bool array) gives its own default dtype; a scalar of the same or
// a lower kind than a float32 array keeps it float32 when its value fits the smallest
// dtype numpy finds for it (np.min_scalar_type): ints in int16/uint16 range, floats
// strictly within ±3.4e38 or not finite. Larger ones make the result float64.
func withScalar(arr DType, c *ConstNode) DType {
	if arr == Float32 && c.Dt >= Int64 && !fitsFloat32Casting(c) {
		return Float64
	}
	switch {
	case c.Dt <= arr:
		return arr
	case arr == Float32:
		return Float32
	}
	return c.Dt
}

// fitsFloat32Casting reports whether numpy's min_scalar_type of the Python number c
// combines with float32 to float32.
func fitsFloat32Casting(c *ConstNode) bool {
	v := c.V
	if c.Dt == Int64 {
		return v >= math.MinInt16 && v <= math.MaxUint16
	}
	return math.IsNaN(v) || math.IsInf(v, 0) || v > -3.4e38 && v < 3.4e38
}

// newBinary builds a op b; handled is false for an operator it does not know.
func NewBinary(op string, a, b Node) (_ Node, handled bool, _ error) {
	fn, known := BinaryFuncs[op]
	if !known {
		return nil, false, nil
	}
	if ufunc, bitwise := bitwiseUfuncs[op]; bitwise && (a.DType() >= Float32 || b.DType() >= Float32) {
		return nil, true, unsupportedUfunc(ufunc)
	}
	if op == "-" && a.DType() == Bool && b.DType() == Bool {
		return nil, true, obj.Errorf(obj.TypeError, "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.")
	}
	shape, err := BroadcastShapes(a.Shape(), b.Shape())
	if err != nil {
		return nil, true, obj.Errorf(obj.ValueError, "%s", err.Error())
	}
	// numpy casts a Python number to the array's float32 before operating (value-based
	// casting): `x == 0.9560502` compares float32 with float32(0.9560502), and
	// `x * 1e-5` multiplies by float32(1e-5). Done in float64, the comparison would
	// fail for a value copied from the printed array and products would differ by an ulp.
	if resultDType("+", a, b) == Float32 {
		a, b = float32Scalar(a), float32Scalar(b)
	}
	dt := resultDType(op, a, b)
	if f32, ok := BinaryFuncs32[op]; ok && dt == Float32 {
		fn = f32
	}
	if dt == Int64 {
		switch op {
		case "//", "%":
			fn = intFloorDivmod[op]
		case "**":
			if negativeExponent(b) {
				return nil, true, obj.Errorf(obj.ValueError, "Integers to negative integer powers are not allowed.").
					WithHint("make one side a float, e.g. x.astype('float64') ** y")
			}
		}
	}
	return &BinaryNode{Op: op, A: a, B: b, Out: shape, Dt: dt, Fn: fn}, true, nil
}

// negativeExponent reports whether an int exponent has a negative value: numpy refuses
// integers to negative integer powers. A lazy exponent's values are not known before
// compute; a number's or a computed array's are.
func negativeExponent(b Node) bool {
	switch x := b.(type) {
	case *ConstNode:
		return x.V < 0 && x.Dt <= Int64
	case *ArrayNode:
		if x.A.DT > Int64 {
			return false
		}
		return slices.ContainsFunc(x.A.Values, func(v float64) bool { return v < 0 })
	}
	return false
}

// float32Scalar gives a Python number (constNode) rounded to float32, keeping its kind;
// other nodes are returned as they are.
func float32Scalar(n Node) Node {
	if c, ok := n.(*ConstNode); ok {
		return &ConstNode{V: float64(float32(c.V)), Dt: c.Dt}
	}
	return n
}

// unsupportedUfunc is numpy's error for a ufunc given dtypes it has no loop for, such as
// a bitwise operator on floats.
func unsupportedUfunc(ufunc string) *obj.Error {
	return obj.Errorf(obj.TypeError, "ufunc '%s' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''", ufunc)
}

// unaryFuncs are the elementwise functions of one value.
var UnaryFuncs = map[string]func(float64) float64{
	"-":     func(x float64) float64 { return -x },
	"+":     func(x float64) float64 { return x },
	"abs":   math.Abs,
	"sqrt":  math.Sqrt,
	"log":   math.Log,
	"log10": math.Log10,
	"exp":   math.Exp,
	// "~" is numpy's invert: bitwise not of int64 values; unaryOp gives bools their
	// logical not instead.
	"~": func(x float64) float64 { return float64(^int64(x)) },
}

// unaryOp builds op(self).
func UnaryOp(op string, self Node) (Node, error) {
	fn, ok := UnaryFuncs[op]
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "bad operand type for unary %s: array", op)
	}
	dt := self.DType()
	switch op {
	case "sqrt", "log", "log10", "exp":
		if dt < Float32 {
			dt = Float64
		}
	case "-":
		if dt == Bool {
			return nil, obj.Errorf(obj.TypeError, "the numpy boolean negative, the `-` operator, is not supported").WithHint("use `~` or logical_not")
		}
	case "~":
		if dt >= Float32 {
			return nil, unsupportedUfunc("invert").WithHint("`~` inverts bool masks and integers; for floats use `-x` or compare, e.g. `~(x > 0)`")
		}
		if dt == Bool {
			fn = func(x float64) float64 { return 1 - x }
		}
	}
	return &UnaryNode{Op: op, In: self, Dt: dt, Fn: fn}, nil
}

// astypeNode converts a node to dtype dt.
func AstypeNode(in Node, dt DType) Node {
	return &UnaryNode{Op: "astype", In: in, Dt: dt, Fn: func(x float64) float64 { return x }}
}
