package units

// Quantity's text as astropy 5.2 prints it: repr "<Quantity 10. m>" and
// "<Quantity [1., 2.] m / s>" (numpy's array2string with the prefix's indent), str
// "10.0 m" and "[1. 2.] m".

import (
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"gokist/runtime/numpy/arrayprint"
	"html"

	"gokist/obj"
	"gokist/pyfmt"
)

var _ obj.Strer = (*Quantity)(nil)

// unitSuffix is astropy's _unitstr: " " and the unit, or nothing when dimensionless.
func (q *Quantity) unitSuffix() string {
	if s := q.unit.String(); s != "" {
		return " " + s
	}
	return ""
}

// String is astropy's repr.
func (q *Quantity) String() string {
	const prefix = "<Quantity "
	return prefix + valueRepr(q.val, len(prefix)) + q.unitSuffix() + ">"
}

// valueRepr is numpy's array2string of a quantity's value with separator ", " and an
// indent of prefixLen on continuation lines.
func valueRepr(v any, prefixLen int) string {
	switch x := v.(type) {
	case float64:
		a := lazy.NewArray([]float64{x}, nil, lazy.Float64)
		return arrayprint.ValueFormatter(a, false)(x)
	case float32:
		a := lazy.NewArray([]float64{float64(x)}, nil, lazy.Float32)
		return arrayprint.ValueFormatter(a, false)(float64(x))
	case *numpy.NDArray:
		if x.Array().Size() == 0 {
			return "[]"
		}
		summarise := x.Array().Size() > arrayprint.PrintThreshold
		fmtv := arrayprint.ValueFormatter((*lazy.Array)(x), summarise)
		if len(x.Dims) == 0 {
			return fmtv(x.Array().At(0))
		}
		return arrayprint.FormatElements((*lazy.Array)(x), fmtv, summarise, ", ", prefixLen, arrayprint.PrintLineWidth)
	case *numpy.LazyArray:
		return x.String()
	}
	return obj.TypeName(v)
}

// Str is astropy's str: the value as f"{value}" writes it, then the unit.
func (q *Quantity) Str() string {
	var s string
	switch x := q.val.(type) {
	case float64:
		s = pyfmt.Float(x)
	case float32:
		// astropy formats the value with f"{value}", and np.float32's __format__
		// goes through Python's float: 1.100000023841858.
		s = pyfmt.Float(float64(x))
	case *numpy.NDArray:
		s = arrayprint.FormatArrayStr((*lazy.Array)(x))
	case *numpy.LazyArray:
		s = x.String()
	}
	return s + q.unitSuffix()
}

// MimeBundle shows the repr, and astropy's LaTeX-free HTML of it.
func (q *Quantity) MimeBundle() map[string]any {
	r := q.String()
	return map[string]any{"text/plain": r, "text/html": "<pre>" + html.EscapeString(r) + "</pre>"}
}

// FormatSpec formats the value with the spec and appends the unit, as astropy's
// Quantity.__format__ does for scalars.
func (q *Quantity) FormatSpec(spec string) (string, error) {
	if spec == "" {
		return q.Str(), nil
	}
	var v any
	switch x := q.val.(type) {
	case float64:
		v = x
	case float32:
		v = float64(x)
	default:
		return "", obj.Errorf(obj.TypeError, "unsupported format string passed to Quantity.__format__")
	}
	s, err := pyfmt.Format(v, spec)
	if err != nil {
		return "", err
	}
	return s + q.unitSuffix(), nil
}

// isScalar reports whether the value is a number.
func (q *Quantity) isScalar() bool {
	switch x := q.val.(type) {
	case float64, float32:
		return true
	case *numpy.NDArray:
		return len(x.Dims) == 0
	}
	return false
}
