package time

import (
	"gokist/obj"
	"gokist/runtime/astrotime"
)

// What runtime/coords (astropy.coordinates + sunpy.coordinates) takes from Time: its
// two-part dates, and sunpy's parse_time for a frame's obstime.

// TimeParts gives a Time's two-part Julian dates, shape and scale; ok is false for
// anything else.
func TimeParts(v any) (jd1, jd2 []float64, shape []int, scale astrotime.Scale, ok bool) {
	t, ok := v.(*Time)
	if !ok {
		return nil, nil, nil, "", false
	}
	return t.jd1, t.jd2, t.Shape, t.scale, true
}

// TimeLike makes a Time in t's format and precision from other two-part dates.
func TimeLike(t any, jd1, jd2 []float64, shape []int, scale astrotime.Scale) *Time {
	base := t.(*Time)
	return &Time{jd1: jd1, jd2: jd2, Shape: shape, scale: scale, format: base.format, precision: base.precision}
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
