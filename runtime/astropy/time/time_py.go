package time

import (
	"fmt"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"slices"
	"strings"

	"gokist/obj"
	"gokist/pyfmt"
	"gokist/pystd"
	"gokist/runtime/astrotime"
)

// Time is astropy.time.Time: one time or an array of times, each a two-part Julian date
// (astrotime keeps the arithmetic) in one scale, shown in a format with a precision.
type Time struct {
	jd1, jd2  []float64
	Shape     []int // nil for a single time
	scale     astrotime.Scale
	format    string
	precision int
}

// timeFormats are astropy 5.2's Time formats (sorted, as its errors list them) and the
// order to_value's error lists them in; gokist implements timeImplemented of them.
var (
	timeFormatsSorted = []string{"byear", "byear_str", "cxcsec", "datetime", "datetime64", "decimalyear", "fits", "gps", "iso", "isot", "jd", "jyear", "jyear_str", "mjd", "plot_date", "stardate", "unix", "unix_tai", "yday", "ymdhms"}
	timeFormatsOrder  = []string{"jd", "mjd", "decimalyear", "unix", "unix_tai", "cxcsec", "gps", "plot_date", "stardate", "datetime", "ymdhms", "iso", "isot", "yday", "datetime64", "fits", "byear", "jyear", "byear_str", "jyear_str"}
	timeImplemented   = []string{"jd", "mjd", "unix", "datetime", "iso", "isot", "fits"}
	astropyScales     = []string{"local", "tai", "tcb", "tcg", "tdb", "tt", "ut1", "utc"}
)

// isStringFormat tells the formats whose values are strings.
func isStringFormat(f string) bool { return f == "iso" || f == "isot" || f == "fits" }

// checkFormat refuses a format astropy does not know (its ValueError) or gokist does not
// implement (a NotImplementedError naming those it does).
func checkFormat(format string, known, sorted []string, implemented []string) error {
	if !slices.Contains(known, format) {
		return obj.Errorf(obj.ValueError, "Format '%s' is not one of the allowed formats %s", format, pyStrList(sorted))
	}
	if !slices.Contains(implemented, format) {
		return obj.Errorf("NotImplementedError", "gokist's Time does not implement format '%s'; it has %s", format, pyStrList(implemented))
	}
	return nil
}

// checkScale refuses a scale astropy does not know or gokist cannot convert.
func checkScale(scale string) (astrotime.Scale, error) {
	if !slices.Contains(astropyScales, scale) {
		return "", obj.Errorf("ScaleValueError", "Scale '%s' is not in the allowed scales %s", scale, pyStrList(astropyScales))
	}
	if !astrotime.ValidScale(scale) {
		return "", obj.Errorf("NotImplementedError", "gokist's Time does not implement scale '%s'; it has 'utc', 'tai', 'tt' and 'ut1' (as UTC)", scale)
	}
	return astrotime.Scale(scale), nil
}

// pyStrList renders strings as a Python list repr.
func pyStrList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = "'" + s + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// size is the number of times.
func (t *Time) Size() int { return len(t.jd1) }

// with makes a Time like t (scale, format, precision) holding other values and shape.
func (t *Time) with(jd1, jd2 []float64, shape []int) *Time {
	return &Time{jd1: jd1, jd2: jd2, Shape: shape, scale: t.scale, format: t.format, precision: t.precision}
}

// toScale converts t to another scale, warning through env as astropy would.
func (t *Time) toScale(env *obj.Env, scale astrotime.Scale) (*Time, error) {
	a, b, warnings, err := astrotime.Convert(t.jd1, t.jd2, t.scale, scale)
	if err != nil {
		return nil, erfaError(err)
	}
	if err := warn(env, warnings...); err != nil {
		return nil, err
	}
	out := t.with(a, b, t.Shape)
	out.scale = scale
	return out, nil
}

// warn issues astropy's warnings through the session's warning filters; the error is a
// warning a filter turned into an exception.
func warn(env *obj.Env, msgs ...string) error {
	for _, m := range msgs {
		if m == "" {
			continue
		}
		class := "ErfaWarning"
		if m == astrotime.UT1Warning {
			class = "IERSDegradedAccuracyWarning"
		}
		if err := obj.Warn(env, class, m, "WARNING: "+class+": "+m+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// erfaError gives astrotime's errors their Python classes.
func erfaError(err error) error {
	switch e := err.(type) {
	case *astrotime.ErfaError:
		return &obj.Error{Class: "ErfaError", Msg: e.Msg, Err: err}
	case *astrotime.ParseError:
		return &obj.Error{Class: obj.ValueError, Msg: e.Msg, Err: err}
	}
	return err
}

// valueIn gives the times in a format: strings for iso/isot/fits, numbers for
// jd/mjd/unix, datetime objects; a scalar for a single time, else an array.
func (t *Time) ValueIn(env *obj.Env, format string) (any, error) {
	switch {
	case isStringFormat(format):
		cal, w, err := astrotime.ToCalendar(t.jd1, t.jd2, t.scale, t.precision)
		if err != nil {
			return nil, erfaError(err)
		}
		if err := warn(env, w); err != nil {
			return nil, err
		}
		strs := make([]string, len(cal))
		for i, c := range cal {
			strs[i] = c.Format(format, t.precision)
		}
		if t.Shape == nil {
			return strs[0], nil
		}
		return numpy.NewStrArray(strs, t.Shape), nil
	case format == "datetime":
		return t.datetimes(env)
	}
	src := t
	if format == "unix" && t.scale != astrotime.UTC {
		var err error
		if src, err = t.toScale(nil, astrotime.UTC); err != nil {
			return nil, err
		}
	}
	vals := astrotime.ToNumeric(src.jd1, src.jd2, format)
	if t.Shape == nil {
		return vals[0], nil
	}
	return (*numpy.NDArray)(lazy.NewArray(vals, t.Shape, lazy.Float64)), nil
}

// valueText is str() of the value in the Time's format, as astropy's repr shows it.
func (t *Time) valueText(env *obj.Env) string {
	v, err := t.ValueIn(env, t.format)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return strOf(v)
}

// strOf is str() of a value the Time face returns.
func strOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return pyfmt.Float(x)
	case obj.Strer:
		return x.Str()
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// String is astropy's repr.
func (t *Time) String() string {
	return fmt.Sprintf("<Time object: scale='%s' format='%s' value=%s>", t.scale, t.format, t.valueText(nil))
}

// Str is astropy's str: the value.
func (t *Time) Str() string { return t.valueText(nil) }

// MimeBundle shows the repr.
func (t *Time) MimeBundle() map[string]any { return map[string]any{"text/plain": t.String()} }

// Type is Time's member table.
func (t *Time) Type() *obj.Type { return timeType }

// GetItem indexes the times along the first axis.
func (t *Time) GetItem(_ *obj.Env, key any) (any, error) {
	if t.Shape == nil {
		return nil, obj.Errorf(obj.TypeError, "scalar 'Time' object is not subscriptable.")
	}
	offs, shape, err := numpy.IndexFirstAxis(t.Size(), t.Shape, key)
	if err != nil {
		return nil, err
	}
	a, b := make([]float64, len(offs)), make([]float64, len(offs))
	for i, k := range offs {
		a[i], b[i] = t.jd1[k], t.jd2[k]
	}
	return t.with(a, b, shape), nil
}

// Items lists the first axis, for loops, list() and sorted().
func (t *Time) Items() []any {
	if t.Shape == nil {
		return nil
	}
	out := make([]any, t.Shape[0])
	for i := range out {
		out[i], _ = t.GetItem(nil, i)
	}
	return out
}

// datetimes is Time.datetime: astropy's TimeDatetime.to_value (calendar at microsecond
// precision; a leap second is a ValueError): a datetime, or numpy's object array of them.
func (t *Time) datetimes(env *obj.Env) (any, error) {
	cal, w, err := astrotime.ToCalendar(t.jd1, t.jd2, t.scale, 6)
	if err != nil {
		return nil, erfaError(err)
	}
	if err := warn(env, w); err != nil {
		return nil, err
	}
	out := make([]fmt.Stringer, len(cal))
	for i, c := range cal {
		if c.Second >= 60 {
			return nil, obj.Errorf(obj.ValueError, "Time (array(%d, dtype=int32), array(%d, dtype=int32), array(%d, dtype=int32), array(%d, dtype=int32), array(%d, dtype=int32), array(%d, dtype=int32), array(%d, dtype=int32)) is within a leap second but datetime does not support leap seconds",
				c.Year, c.Month, c.Day, c.Hour, c.Minute, c.Second, c.Frac)
		}
		d, err := pystd.NewDatetime([7]int{c.Year, c.Month, c.Day, c.Hour, c.Minute, c.Second, c.Frac}, false)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	if t.Shape == nil {
		return out[0], nil
	}
	return numpy.NewObjArray(out, t.Shape), nil
}
