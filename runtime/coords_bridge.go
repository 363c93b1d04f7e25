package runtime

import (
	"gokist/obj"
	"gokist/runtime/astrotime"
	"gokist/runtime/lazy"
	"gokist/runtime/units"
)

// What runtime/coords (astropy.coordinates + sunpy.coordinates) takes from the Python
// face: Time's two-part dates, Quantity's repr and numpy's float format. The runtime
// does not import runtime/coords; it is linked in beside it.

// NumpyFloatFormat is numpy's format of float64 values printed together (one column of a
// structured array, as astropy prints a coordinate's components).
func NumpyFloatFormat(vals []float64) func(float64) string {
	return valueFormatter(lazy.NewArray(vals, []int{len(vals)}, lazy.Float64), false)
}

// TimeParts gives a Time's two-part Julian dates, shape and scale; ok is false for
// anything else.
func TimeParts(v any) (jd1, jd2 []float64, shape []int, scale astrotime.Scale, ok bool) {
	t, ok := v.(*Time)
	if !ok {
		return nil, nil, nil, "", false
	}
	return t.jd1, t.jd2, t.shape, t.scale, true
}

// TimeLike makes a Time in t's format and precision from other two-part dates.
func TimeLike(t any, jd1, jd2 []float64, shape []int, scale astrotime.Scale) *Time {
	base := t.(*Time)
	return &Time{jd1: jd1, jd2: jd2, shape: shape, scale: scale, format: base.format, precision: base.precision}
}

// ParseTime is sunpy's parse_time for what a frame's obstime takes: a Time (kept) or
// an ISO string (scale utc), which sunpy's strptime path gives in format isot.
func ParseTime(env *obj.Env, v any) (*Time, error) {
	switch x := v.(type) {
	case *Time:
		return x, nil
	case string:
		t, err := NewTimeFromStrings([]string{x}, nil, "", "")
		if err == nil && t.format == "iso" {
			t.format = "isot"
		}
		return t, err
	case obj.List:
		strs := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, obj.Errorf(obj.ValueError, "'%s' is not a time gokist can parse: give a Time or ISO 8601 strings", obj.TypeName(e))
			}
			strs[i] = s
		}
		t, err := NewTimeFromStrings(strs, []int{len(strs)}, "", "")
		if err == nil && t.format == "iso" {
			t.format = "isot"
		}
		return t, err
	}
	return nil, obj.Errorf(obj.ValueError, "'%s' is not a time gokist can parse: give a Time or an ISO 8601 string", obj.TypeName(v))
}

// NamedQuantityRepr is a Quantity's repr under another class name, as astropy prints
// its Angle, Longitude, Latitude and Distance ("<Longitude 10. arcsec>").
func NamedQuantityRepr(q *Quantity, class string) string {
	prefix := "<" + class + " "
	return prefix + valueRepr(q.val, len(prefix)) + q.unitSuffix() + ">"
}

// QuantityUnit is a Quantity's unit.
func QuantityUnit(q *Quantity) units.Unit { return q.unit }

// ParseUnitValue is value * Unit(unit): a plain number or list given with unit= (as
// SkyCoord(10, 20, unit="deg")); values that already carry a unit are refused.
func ParseUnitValue(v any, unit string) (any, error) {
	if _, ok := v.(obj.QuantityValue); ok {
		return nil, obj.Errorf(obj.ValueError, "the value already has a unit")
	}
	u, err := units.Parse(unit)
	if err != nil {
		return nil, err
	}
	return NewQuantity(nil, v, u)
}

// NumpyWordsRepr is numpy's array2string (separator ", ", 75 columns, summarised past
// 1000 elements) of an array of shape, after a prefix of prefixLen columns, whose
// element i prints as the word that words makes: words receives the C-order indices
// numpy shows (all of them, or the edges of a summarised array), by which numpy sizes
// its columns, and returns the formatter of one element.
func NumpyWordsRepr(shape []int, prefixLen int, words func(shown []int) func(i int) string) string {
	n := 1
	for _, d := range shape {
		n *= d
	}
	idx := make([]float64, n)
	for i := range idx {
		idx[i] = float64(i)
	}
	a := lazy.NewArray(idx, shape, lazy.Float64)
	summarise := n > printThreshold
	var shown []int
	if summarise {
		for _, v := range shownValues(a) {
			shown = append(shown, int(v))
		}
	} else {
		shown = make([]int, n)
		for i := range shown {
			shown[i] = i
		}
	}
	w := words(shown)
	return formatElements(a, func(v float64) string { return w(int(v)) }, summarise, ", ", prefixLen, printLineWidth)
}

// FloatArray is a cell's float64 ndarray of vals in shape (the coordinates package's
// values and Quantities' arrays).
func FloatArray(vals []float64, shape []int) any {
	return (*ndarray)(lazy.NewArray(vals, shape, lazy.Float64))
}
