package time

import (
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"slices"
	"sort"

	"gokist/obj"
	"gokist/runtime/astrotime"
)

var timeType = &obj.Type{
	Name:      "Time",
	Doc:       "A time or an array of times (astropy.time.Time): scales utc, tai, tt (ut1 as utc, offline); formats iso, isot, fits, jd, mjd, unix, datetime.",
	Signature: "Time(val, val2=None, format=None, scale=None, precision=None)",
}

// timeGetter is a read-only attribute of a Time.
func timeGetter(name, doc string, get func(env *obj.Env, t *Time) (any, error)) *obj.Member {
	return &obj.Member{Name: name, Doc: doc, Get: func(env *obj.Env, r any) (any, error) { return get(env, r.(*Time)) }}
}

// timeMethod is a method of a Time.
func timeMethod(name, sig, doc string, params []obj.Param, call func(env *obj.Env, t *Time, v []any) (any, error)) *obj.Member {
	return &obj.Member{Name: name, Signature: sig, Doc: doc, Params: params, Call: func(env *obj.Env, r any, args obj.Args) (any, error) {
		v, err := args.Bind(name, params)
		if err != nil {
			return nil, err
		}
		return call(env, r.(*Time), v)
	}}
}

func init() {
	var m []*obj.Member
	for _, f := range []string{"iso", "isot", "fits", "jd", "mjd", "unix", "datetime"} {
		m = append(m, timeGetter(f, "The times in format '"+f+"'.", func(env *obj.Env, t *Time) (any, error) { return t.ValueIn(env, f) }))
	}
	for _, s := range []astrotime.Scale{astrotime.UTC, astrotime.TAI, astrotime.TT, astrotime.UT1} {
		m = append(m, timeGetter(string(s), "The times in scale '"+string(s)+"'.", func(env *obj.Env, t *Time) (any, error) { return t.toScale(env, s) }))
	}
	m = append(m,
		timeGetter("value", "The times in the Time's format.", func(env *obj.Env, t *Time) (any, error) { return t.ValueIn(env, t.format) }),
		timeGetter("jd1", "The first (integer-day) part of the two-part JD.", func(_ *obj.Env, t *Time) (any, error) { return t.part(t.jd1), nil }),
		timeGetter("jd2", "The second (fraction) part of the two-part JD.", func(_ *obj.Env, t *Time) (any, error) { return t.part(t.jd2), nil }),
		timeGetter("shape", "The array shape.", func(_ *obj.Env, t *Time) (any, error) { return obj.ShapeTuple(t.Shape), nil }),
		timeGetter("ndim", "The number of axes.", func(_ *obj.Env, t *Time) (any, error) { return len(t.Shape), nil }),
		timeGetter("size", "The number of times.", func(_ *obj.Env, t *Time) (any, error) { return t.Size(), nil }),
		timeGetter("isscalar", "Whether this is a single time.", func(_ *obj.Env, t *Time) (any, error) { return t.Shape == nil, nil }),
		&obj.Member{Name: "scale", Doc: "The time scale.", Get: func(_ *obj.Env, r any) (any, error) { return string(r.(*Time).scale), nil }},
		&obj.Member{Name: "format", Doc: "The format the Time shows itself in; settable.",
			Get: func(_ *obj.Env, r any) (any, error) { return r.(*Time).format, nil },
			Set: func(_ *obj.Env, r any, v any) error { return r.(*Time).setFormat(v) }},
		&obj.Member{Name: "precision", Doc: "Decimals of the second in string formats (0-9); settable.",
			Get: func(_ *obj.Env, r any) (any, error) { return r.(*Time).precision, nil },
			Set: func(_ *obj.Env, r any, v any) error {
				p, ok := v.(int)
				if !ok || p < 0 || p > 9 {
					return obj.Errorf(obj.ValueError, "precision attribute must be an int between 0 and 9")
				}
				r.(*Time).precision = p
				return nil
			}},
		timeMethod("to_value", "to_value(format, subfmt='*')", "The times in a format.", []obj.Param{{Name: "format"}, {Name: "subfmt", Default: "'*'"}},
			func(env *obj.Env, t *Time, v []any) (any, error) {
				f, ok := v[0].(string)
				if !ok || !slices.Contains(timeFormatsOrder, f) {
					return nil, obj.Errorf(obj.ValueError, "format must be one of %s", pyStrList(timeFormatsOrder))
				}
				if err := checkFormat(f, timeFormatsOrder, timeFormatsOrder, timeImplemented); err != nil {
					return nil, err
				}
				return t.ValueIn(env, f)
			}),
		timeMethod("copy", "copy(format=None)", "A copy, optionally in another format.", []obj.Param{{Name: "format", Default: "None"}},
			func(_ *obj.Env, t *Time, v []any) (any, error) {
				c := t.with(slices.Clone(t.jd1), slices.Clone(t.jd2), slices.Clone(t.Shape))
				if v[0] != nil {
					if err := c.setFormat(v[0]); err != nil {
						return nil, err
					}
				}
				return c, nil
			}),
		timeMethod("argsort", "argsort(axis=-1)", "The indices that sort the times.", []obj.Param{{Name: "axis", Default: "-1"}},
			func(_ *obj.Env, t *Time, _ []any) (any, error) {
				idx, err := t.order()
				if err != nil {
					return nil, err
				}
				f := make([]float64, len(idx))
				for i, k := range idx {
					f[i] = float64(k)
				}
				return (*numpy.NDArray)(lazy.NewArray(f, t.Shape, lazy.Int64)), nil
			}),
		timeMethod("sort", "sort(axis=-1)", "A copy with the times sorted.", []obj.Param{{Name: "axis", Default: "-1"}},
			func(_ *obj.Env, t *Time, _ []any) (any, error) {
				idx, err := t.order()
				if err != nil {
					return nil, err
				}
				return t.pick(idx, t.Shape), nil
			}),
		timeMethod("strftime", "strftime(format_spec)", "The times as strings in a time.strftime format (%f: the fraction of the second at the Time's precision).",
			[]obj.Param{{Name: "format_spec"}}, func(env *obj.Env, t *Time, v []any) (any, error) {
				spec, ok := v[0].(string)
				if !ok {
					return nil, obj.Errorf(obj.TypeError, "strftime() argument 1 must be str, not %s", obj.TypeName(v[0]))
				}
				return t.strftime(env, spec)
			}),
		timeMethod("to_datetime", "to_datetime()", "The times as Python datetimes (UTC).", nil,
			func(env *obj.Env, t *Time, _ []any) (any, error) { return t.datetimes(env) }),
		timeMethod("mean", "mean()", "The mean time (UTC averaged in TAI, with astropy's two-double precision).", nil,
			func(env *obj.Env, t *Time, _ []any) (any, error) { return t.mean(env) }),
		timeMethod("min", "min()", "The earliest time.", nil, func(_ *obj.Env, t *Time, _ []any) (any, error) { return t.extreme(false) }),
		timeMethod("max", "max()", "The latest time.", nil, func(_ *obj.Env, t *Time, _ []any) (any, error) { return t.extreme(true) }),
		&obj.Member{Name: "__len__", Call: func(_ *obj.Env, r any, _ obj.Args) (any, error) {
			t := r.(*Time)
			if t.Shape == nil {
				return nil, obj.Errorf(obj.TypeError, "Scalar 'Time' object has no len()")
			}
			return t.Shape[0], nil
		}},
	)
	timeType.Members = m
}

// part gives jd1 or jd2 as a float or an array.
func (t *Time) part(p []float64) any {
	if t.Shape == nil {
		return p[0]
	}
	return (*numpy.NDArray)(lazy.NewArray(slices.Clone(p), t.Shape, lazy.Float64))
}

// setFormat changes the format the Time shows itself in.
func (t *Time) setFormat(v any) error {
	f, ok := v.(string)
	if !ok {
		return obj.Errorf(obj.TypeError, "format must be a string, not %s", obj.TypeName(v))
	}
	if err := checkFormat(f, timeFormatsSorted, timeFormatsSorted, timeImplemented); err != nil {
		return err
	}
	t.format = f
	return nil
}

// order sorts the flat times of a 1-d Time (a stable sort, as numpy's on (jd1, jd2)).
func (t *Time) order() ([]int, error) {
	if len(t.Shape) != 1 {
		return nil, obj.Errorf(obj.ValueError, "gokist sorts one-dimensional Times only (this one has shape %s)", numpy.TupleString(anySlice(t.Shape)))
	}
	idx := make([]int, t.Size())
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		i, j := idx[a], idx[b]
		return (t.jd1[i]-t.jd1[j])+(t.jd2[i]-t.jd2[j]) < 0
	})
	return idx, nil
}

// anySlice converts ints to boundary values, for tupleString.
func anySlice(xs []int) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// pick gathers times by flat index.
func (t *Time) pick(idx []int, shape []int) *Time {
	a, b := make([]float64, len(idx)), make([]float64, len(idx))
	for i, k := range idx {
		a[i], b[i] = t.jd1[k], t.jd2[k]
	}
	return t.with(a, b, shape)
}

// extreme is the earliest or latest time.
func (t *Time) extreme(latest bool) (any, error) {
	if t.Size() == 0 {
		return nil, obj.Errorf(obj.ValueError, "attempt to get argmin of an empty sequence")
	}
	best := 0
	for i := range t.jd1 {
		d := (t.jd1[i] - t.jd1[best]) + (t.jd2[i] - t.jd2[best])
		if latest && d > 0 || !latest && d < 0 {
			best = i
		}
	}
	return t.pick([]int{best}, nil), nil
}
