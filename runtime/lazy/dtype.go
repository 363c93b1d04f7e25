package lazy

import "math"

// DType is the element type of an array as numpy names it. Values are always held as
// float64 in memory; the dtype says how they round (float32 results are rounded to
// float32 after every operation, which gives numpy's float32 answers for + - * / sqrt)
// and how they print.
type DType int

// The element types gokist arrays can have.
const (
	Bool DType = iota
	Int64
	Float32
	Float64
)

// String gives numpy's name of the dtype.
func (d DType) String() string {
	switch d {
	case Bool:
		return "bool"
	case Int64:
		return "int64"
	case Float32:
		return "float32"
	}
	return "float64"
}

// itemSize is the number of bytes numpy uses per element of the dtype.
func (d DType) ItemSize() int {
	switch d {
	case Bool:
		return 1
	case Float32:
		return 4
	}
	return 8
}

// promote gives the dtype of an arithmetic result of a and b, as numpy does for arrays.
// Python scalars are handled by the caller (they do not widen float32).
func Promote(a, b DType) DType {
	if a == Float32 && b == Int64 || a == Int64 && b == Float32 {
		return Float64
	}
	return max(a, b)
}

// roundTo rounds a float64 value to what the dtype can hold.
func RoundTo(d DType, v float64) float64 {
	switch d {
	case Float32:
		return float64(float32(v))
	case Int64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return math.MinInt64
		}
		return math.Trunc(v)
	case Bool:
		if v != 0 {
			return 1
		}
		return 0
	}
	return v
}
