package plot

import (
	"fmt"
	"strings"

	"gokist/obj"
)

// Float64Data is implemented by array values that plots accept (runtime's Array and
// LazyArray): the values as float64 in row-major (C) order and the shape. A lazy value
// computes here, honouring env's context.
type Float64Data interface {
	Float64s(env *obj.Env) (values []float64, shape []int, err error)
}

// ToFloat64s converts a data argument to float64 values and a shape: a Float64Data, a
// number (shape ()), or a list or tuple of numbers, possibly nested to any depth with
// equal lengths (a list of rows is 2-D). Anything else is a TypeError naming what.
func ToFloat64s(env *obj.Env, what string, v any) ([]float64, []int, error) {
	if q, ok := v.(obj.QuantityValue); ok {
		// A Quantity plots its value; quantitySupport labels the axis with the unit.
		val, _ := q.QuantityParts()
		if val != v {
			return ToFloat64s(env, what, val)
		}
	}
	switch x := v.(type) {
	case Float64Data:
		vals, shape, err := x.Float64s(env)
		if err != nil {
			return nil, nil, err
		}
		n := 1
		for _, s := range shape {
			n *= s
		}
		if n != len(vals) {
			return nil, nil, obj.Errorf(obj.RuntimeError, "%s: %d values for shape %v", what, len(vals), shape)
		}
		return vals, shape, nil
	case obj.List:
		return nestedFloats(env, what, []any(x))
	case obj.Tuple:
		return nestedFloats(env, what, []any(x))
	case []float64:
		return x, []int{len(x)}, nil
	case obj.Sequence:
		return nestedFloats(env, what, x.Items())
	case obj.ArrayLike:
		vals, err := x.Float64s()
		if err != nil {
			return nil, nil, err
		}
		shape := x.ArrayShape()
		n := 1
		for _, s := range shape {
			n *= s
		}
		if n != len(vals) {
			return nil, nil, obj.Errorf(obj.RuntimeError, "%s: %d values for shape %v", what, len(vals), shape)
		}
		return vals, shape, nil
	}
	if f, ok := obj.Float(v); ok {
		return []float64{f}, []int{}, nil
	}
	return nil, nil, obj.Errorf(obj.TypeError, "%s must be an array or a list of numbers, not %s", what, obj.TypeName(v))
}

// FrameData is implemented by lazy N-d data (runtime's LazyArray and Dataset) that can
// compute one image frame at a time: Frame(env, i) gives the last two axes at index i of
// axis 0 and index 0 of the axes in between, as rows×cols values. imshow of 3-D and
// higher data then computes only the frames it draws (frame 0 and the slider's frames),
// never the whole array.
type FrameData interface {
	Shape() []int
	Frame(env *obj.Env, i int) ([]float64, error)
}

// shaped is implemented by array values that know their shape without computing
// (runtime's Array, LazyArray and Dataset).
type shaped interface {
	Shape() []int
}

// checkMaxDims rejects, before anything is computed, an array value with more than
// maxDims axes, so that plt.plot(ds) on a 4-D dataset fails at once instead of reading
// the whole dataset first.
func checkMaxDims(what string, v any, maxDims int, hint string) error {
	s, ok := v.(shaped)
	if !ok {
		return nil
	}
	shape := s.Shape()
	if len(shape) <= maxDims {
		return nil
	}
	return obj.Errorf(obj.ValueError, "%s must be at most %d-D, got shape %s; %s", what, maxDims, shapeText(shape), hint)
}

// shapeText formats a shape as Python does: (4, 40), (5,), ().
func shapeText(shape []int) string {
	parts := make([]string, len(shape))
	for i, n := range shape {
		parts[i] = fmt.Sprint(n)
	}
	if len(parts) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func nestedFloats(env *obj.Env, what string, items []any) ([]float64, []int, error) {
	if len(items) == 0 {
		return nil, []int{0}, nil
	}
	var out []float64
	var inner []int
	for i, it := range items {
		switch it.(type) {
		case obj.List, obj.Tuple, obj.Sequence, Float64Data:
			vals, shape, err := ToFloat64s(env, what, it)
			if err != nil {
				return nil, nil, err
			}
			if i == 0 {
				inner = shape
			} else if fmt.Sprint(shape) != fmt.Sprint(inner) {
				return nil, nil, obj.Errorf(obj.ValueError, "%s: setting an array element with a sequence; the nested lists have shapes %v and %v (inhomogeneous)", what, inner, shape)
			}
			out = append(out, vals...)
		default:
			f, ok := obj.Float(it)
			if !ok {
				return nil, nil, obj.Errorf(obj.TypeError, "%s must hold numbers, found %s at index %d", what, obj.TypeName(it), i)
			}
			if i > 0 && len(inner) > 0 {
				return nil, nil, obj.Errorf(obj.ValueError, "%s: mixes numbers and sequences (inhomogeneous shape)", what)
			}
			inner = []int{}
			out = append(out, f)
		}
	}
	return out, append([]int{len(items)}, inner...), nil
}

// QuantitySupportService is the obj.Env service that is true while astropy's
// quantity_support() is on (the units engineer's flag): plotted Quantities then label
// their axes with their unit, as astropy's MplQuantityConverter does.
const QuantitySupportService = "quantity_support"

// quantityUnit is the unit a plotted value carries, when quantity_support is on and the
// value is a Quantity ("" otherwise).
func quantityUnit(env *obj.Env, v any) string {
	if on, _ := env.Service(QuantitySupportService).(bool); !on {
		return ""
	}
	if q, ok := v.(obj.QuantityValue); ok {
		_, unit := q.QuantityParts()
		return unit
	}
	return ""
}
