package time

import (
	"cmp"
	"fmt"
	"gokist/runtime/numpy"
	"math"
	"slices"
	"strings"

	"gokist/obj"
	"gokist/pyfmt"
	"gokist/pystd"
	"gokist/runtime/astrotime"
)

// timeInput is the decoded first argument of Time(...): strings or numbers with a
// shape (nil for one value), or Times.
type timeInput struct {
	dts   []string // datetime.datetime values, as isot text
	strs  []string
	nums  []float64
	times []*Time
	shape []int
}

// decodeTimeInput decodes a string, a number, nested lists or tuples of them, an
// array, or Times.
func decodeTimeInput(v any) (timeInput, error) {
	var in timeInput
	switch x := v.(type) {
	case string:
		in.strs = []string{x}
		return in, nil
	case int:
		in.nums = []float64{float64(x)}
		return in, nil
	case float64:
		in.nums = []float64{x}
		return in, nil
	case *Time:
		in.times = []*Time{x}
		return in, nil
	case pystd.Datetime:
		in.dts = []string{x.ISOT()}
		return in, nil
	case *numpy.StrArray:
		in.strs, in.shape = slices.Clone(x.Data), slices.Clone(x.Shape)
		if len(in.shape) == 0 {
			in.shape = nil
		}
		return in, nil
	case *numpy.NDArray:
		in.nums, in.shape = slices.Clone(x.Array().Floats()), x.Array().Shape()
		if len(in.shape) == 0 {
			in.shape = nil
		}
		return in, nil
	case obj.ArrayLike:
		vals, err := x.Float64s()
		if err != nil {
			return in, err
		}
		in.nums, in.shape = vals, x.ArrayShape()
		return in, nil
	case obj.List, obj.Tuple, []any:
		return decodeNested(x)
	}
	return in, obj.Errorf(obj.TypeError, "Time() cannot take a %s: give strings, numbers (with format=), lists or arrays of them, or Times", obj.TypeName(v))
}

// decodeNested flattens nested lists of one kind of element, checking they are
// rectangular.
func decodeNested(v any) (timeInput, error) {
	var in timeInput
	var shape []int
	var walk func(v any, depth int) error
	walk = func(v any, depth int) error {
		var items []any
		switch x := v.(type) {
		case obj.List:
			items = x
		case obj.Tuple:
			items = x
		case []any:
			items = x
		default:
			if depth != len(shape) {
				return numpy.Inhomogeneous(min(depth, len(shape)), shape)
			}
			switch e := v.(type) {
			case string:
				in.strs = append(in.strs, e)
			case int:
				in.nums = append(in.nums, float64(e))
			case float64:
				in.nums = append(in.nums, e)
			case *Time:
				in.times = append(in.times, e)
			case pystd.Datetime:
				in.dts = append(in.dts, e.ISOT())
			default:
				return obj.Errorf(obj.TypeError, "Time() cannot take a list holding a %s", obj.TypeName(v))
			}
			return nil
		}
		if depth == len(shape) && len(in.strs)+len(in.nums)+len(in.times)+len(in.dts) == 0 {
			shape = append(shape, len(items))
		} else if depth >= len(shape) || shape[depth] != len(items) {
			return numpy.Inhomogeneous(min(depth, len(shape)), shape)
		}
		for _, e := range items {
			if err := walk(e, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(v, 0); err != nil {
		return in, err
	}
	kinds := 0
	for _, n := range []int{len(in.strs), len(in.nums), len(in.times), len(in.dts)} {
		if n > 0 {
			kinds++
		}
	}
	if kinds > 1 {
		return in, obj.Errorf(obj.TypeError, "Time() cannot take a list that mixes strings, numbers and Times")
	}
	in.shape = shape
	return in, nil
}

// timeParams are the parameters of Time(...) gokist takes.
var timeParams = []obj.Param{{Name: "val"}, {Name: "val2", Default: "None"}, {Name: "format", Default: "None"}, {Name: "scale", Default: "None"}, {Name: "precision", Default: "None"}}

// newTime is Time(val, val2=None, format=None, scale=None, precision=None).
func NewFromArgs(env *obj.Env, args obj.Args) (any, error) {
	v, err := args.Bind("Time", timeParams)
	if err != nil {
		return nil, err
	}
	format, scale, err := optStrings(v[2], "format", v[3], "scale")
	if err != nil {
		return nil, err
	}
	precision := 3
	if v[4] != nil {
		p, ok := v[4].(int)
		if !ok || p < 0 || p > 9 {
			return nil, obj.Errorf(obj.ValueError, "precision attribute must be an int between 0 and 9")
		}
		precision = p
	}
	if format != "" {
		if err := checkFormat(format, timeFormatsSorted, timeFormatsSorted, timeImplemented); err != nil {
			return nil, err
		}
	}
	var sc astrotime.Scale
	if scale != "" {
		if sc, err = checkScale(scale); err != nil {
			return nil, err
		}
	}
	in, err := decodeTimeInput(v[0])
	if err != nil {
		return nil, err
	}
	if v[1] != nil {
		if err := addVal2(&in, v[1]); err != nil {
			return nil, err
		}
	}
	t, err := buildTime(env, in, format, sc)
	if err != nil {
		return nil, err
	}
	t.precision = precision
	return t, nil
}

// optStrings decodes two optional string keywords.
func optStrings(a any, an string, b any, bn string) (string, string, error) {
	out := [2]string{}
	for i, p := range []struct {
		v    any
		name string
	}{{a, an}, {b, bn}} {
		if p.v == nil {
			continue
		}
		s, ok := p.v.(string)
		if !ok {
			return "", "", obj.Errorf(obj.TypeError, "%s must be a string, not %s", p.name, obj.TypeName(p.v))
		}
		out[i] = s
	}
	return out[0], out[1], nil
}

// addVal2 adds val2 to numeric values (astropy keeps val+val2 exactly).
func addVal2(in *timeInput, v2 any) error {
	in2, err := decodeTimeInput(v2)
	if err != nil {
		return err
	}
	if len(in.nums) == 0 || len(in2.nums) == 0 || len(in2.nums) != len(in.nums) && len(in2.nums) != 1 {
		return obj.Errorf(obj.ValueError, "val2 must be numbers matching val")
	}
	for i := range in.nums {
		in.nums[i] += in2.nums[min(i, len(in2.nums)-1)]
	}
	return nil
}

// buildTime makes the Time of decoded input in format (guessed when "") and scale
// (astropy's default for the format when "").
func buildTime(env *obj.Env, in timeInput, format string, scale astrotime.Scale) (*Time, error) {
	switch {
	case len(in.dts) > 0:
		return fromDatetimes(env, in, format, scale)
	case len(in.times) > 0:
		return fromTimes(env, in, format, scale)
	case len(in.strs) > 0:
		return fromStrings(env, in, format, scale)
	case len(in.nums) > 0:
		if format == "" {
			return nil, obj.Errorf(obj.ValueError, "No time format was given, and the input is not unique")
		}
		if isStringFormat(format) || format == "datetime" {
			return nil, formatClassError(format, obj.Errorf(obj.TypeError, "Input values for %s class must be %s", format, map[bool]string{true: "strings", false: "datetime objects"}[format != "datetime"]))
		}
		if scale == "" {
			scale = astrotime.UTC
		}
		if err := checkFinite(format, in.nums); err != nil {
			return nil, err
		}
		jd1, jd2 := astrotime.FromNumeric(in.nums, format)
		t := &Time{jd1: jd1, jd2: jd2, Shape: in.shape, scale: astrotime.UTC, format: format, precision: 3}
		if format != "unix" {
			t.scale = scale
			return t, nil
		}
		return t.toScale(env, scale)
	}
	return nil, obj.Errorf(obj.ValueError, "No time format was given, and the input is not unique")
}

// checkFinite refuses NaN and infinite numbers as astropy's numeric formats do.
func checkFinite(format string, vals []float64) error {
	for _, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return formatClassError(format, obj.Errorf(obj.TypeError, "Input values for %s class must be finite doubles", format))
		}
	}
	return nil
}

// formatClassError is astropy's error for input a given format refuses.
func formatClassError(format string, err *obj.Error) error {
	return obj.Errorf(obj.ValueError, "Input values did not match the format class %s:\n%s: %s", format, err.Class, err.Msg)
}

// fromStrings parses strings in format, or guesses it as astropy does (iso, isot,
// fits in turn; if none matches, every format's complaint in astropy's words).
func fromStrings(env *obj.Env, in timeInput, format string, scale astrotime.Scale) (*Time, error) {
	if scale == "" {
		scale = astrotime.UTC
	}
	if format != "" {
		if !isStringFormat(format) {
			return nil, formatClassError(format, stringsRefused(format))
		}
		t, err := parseTimes(env, in, format, scale)
		if e, ok := err.(*obj.Error); ok && !isWarning(e) {
			return nil, formatClassError(format, e)
		}
		return t, err
	}
	problems := map[string]string{}
	for _, f := range astrotime.StringFormats {
		t, err := parseTimes(env, in, f, scale)
		if err == nil {
			return t, nil
		}
		e, ok := err.(*obj.Error)
		if !ok || isWarning(e) { // a warning a filter made an error is not a format's complaint: astropy lets it through
			return nil, err
		}
		problems[f] = e.Class + "(" + pyQuote(e.Msg) + ")"
	}
	yday := problems["iso"]
	if !strings.HasPrefix(yday, "ValueError(\"Time input terminating in 'Z'") {
		yday = ""
	}
	return nil, obj.Errorf(obj.ValueError, "Input values did not match any of the formats where the format keyword is optional: %s", guessProblems(in.strs[0], problems, yday))
}

// stringsRefused is the TypeError of a numeric format given strings.
func stringsRefused(format string) *obj.Error {
	return obj.Errorf(obj.ValueError, "Input values for %s class must be finite doubles", format)
}

// guessProblems is astropy's dict of every optional format's complaint, for a string
// input; gokist parses iso, isot and fits and words the others as astropy does (yday,
// when given, is its complaint about a trailing Z, which it shares with iso).
func guessProblems(first string, parsed map[string]string, yday string) string {
	noMatch := func(f string) string {
		return "ValueError(" + pyQuote(fmt.Sprintf("Time %s does not match %s format", first, f)) + ")"
	}
	entries := []string{
		"'datetime': TypeError('Input values for datetime class must be datetime objects')",
		"'ymdhms': ValueError('input must be dict or table-like')",
		"'iso': " + parsed["iso"],
		"'isot': " + parsed["isot"],
		"'yday': " + cmp.Or(yday, noMatch("yday")),
		"'datetime64': TypeError('Input values for datetime64 class must be datetime64 objects')",
		"'fits': " + parsed["fits"],
		"'byear_str': " + noMatch("byear_str"),
		"'jyear_str': " + noMatch("jyear_str"),
		"'astropy_time': TypeError('Input values for astropy_time class must all be the same astropy Time type.')",
	}
	return "{" + strings.Join(entries, ", ") + "}"
}

// pyQuote is Python's repr of a string.
func pyQuote(s string) string { return pyfmt.Quote(s) }

// parseTimes parses strings in a string format.
func parseTimes(env *obj.Env, in timeInput, format string, scale astrotime.Scale) (*Time, error) {
	jd1, jd2, w, err := astrotime.ParseStrings(in.strs, format, scale)
	if err != nil {
		return nil, erfaError(err)
	}
	if err := warn(env, w); err != nil {
		return nil, err
	}
	return &Time{jd1: jd1, jd2: jd2, Shape: in.shape, scale: scale, format: format, precision: 3}, nil
}

// fromTimes is Time(t) or Time([t1, t2, ...]): copies in the first one's scale (or the
// scale given), format and precision.
func fromTimes(env *obj.Env, in timeInput, format string, scale astrotime.Scale) (*Time, error) {
	first := in.times[0]
	if scale == "" {
		scale = first.scale
	}
	var jd1, jd2 []float64
	for _, t := range in.times {
		c, err := t.toScale(env, scale)
		if err != nil {
			return nil, err
		}
		jd1, jd2 = append(jd1, c.jd1...), append(jd2, c.jd2...)
	}
	shape := in.shape
	if len(in.times) == 1 {
		shape = slices.Clone(first.Shape)
	} else if first.Shape != nil {
		shape = append(slices.Clone(in.shape), first.Shape...)
	}
	if format == "" {
		format = first.format
	}
	return &Time{jd1: jd1, jd2: jd2, Shape: shape, scale: scale, format: format, precision: first.precision}, nil
}

// NewTimeFromStrings is Time(strings, format=format, scale=scale) for the runtime's own
// values (a dataset's DATE-AVG axis): shape nil for one string, else the strings'
// shape in numpy order; format "" guesses as astropy does, scale "" is UTC.
func NewTimeFromStrings(strs []string, shape []int, format, scale string) (*Time, error) {
	sc := astrotime.UTC
	if scale != "" {
		var err error
		if sc, err = checkScale(scale); err != nil {
			return nil, err
		}
	}
	return fromStrings(nil, timeInput{strs: strs, shape: shape}, format, sc)
}

// isWarning tells a warning raised by the "error" filter action (ErfaWarning, …) from
// the exceptions astropy's format guessing collects.
func isWarning(e *obj.Error) bool { return strings.HasSuffix(e.Class, "Warning") }

// fromDatetimes is Time of datetime.datetime values: format datetime, their wall clock
// read in scale (UTC by default), as astropy's TimeDatetime does.
func fromDatetimes(env *obj.Env, in timeInput, format string, scale astrotime.Scale) (*Time, error) {
	if format != "" && format != "datetime" {
		msg := "Input values for " + format + " class must be strings"
		if !isStringFormat(format) {
			msg = "Input values for " + format + " class must be finite doubles"
		}
		return nil, formatClassError(format, obj.Errorf(obj.TypeError, "%s", msg))
	}
	t, err := fromStrings(env, timeInput{strs: in.dts, shape: in.shape}, "isot", scale)
	if err != nil {
		return nil, err
	}
	t.format = "datetime"
	return t, nil
}
