package time

import (
	"fmt"
	aunits "gokist/runtime/astropy/units"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"gokist/runtime/units"
	"slices"

	"gokist/obj"
	"gokist/runtime/astrotime"
)

// TimeDelta is astropy.time.TimeDelta: one or more time differences as two-part day
// counts, in a scale (tai, tt, ut1) or none, shown as days (jd) or seconds (sec).
type TimeDelta struct {
	jd1, jd2 []float64
	shape    []int
	scale    astrotime.Scale // "" is astropy's None
	format   string
}

// UnitStringer is a unit object (astropy.units' Unit): its name as astropy writes it
// in to_string() ("s", "min", "d"). Time arithmetic and TimeDelta.to_value take unit
// objects through it, so that the units package's type need only implement it.
type UnitStringer interface {
	UnitString() string
}

var timeDeltaFormats = []string{"sec", "jd", "datetime"}

// timeUnitSeconds is the length in seconds of astropy's time units, by to_string name.
var timeUnitSeconds = map[string]float64{
	"s": 1, "ms": 1e-3, "us": 1e-6, "ns": 1e-9, "ps": 1e-12, "ks": 1e3, "Ms": 1e6,
	"min": 60, "h": 3600, "d": 86400, "wk": 604800, "fortnight": 1209600,
	"yr": 31557600, "a": 31557600, "kyr": 31557600e3, "Myr": 31557600e6, "Gyr": 31557600e9,
}

// unitNames are alternative spellings astropy's Unit() parses into the units above.
var unitNames = map[string]string{"second": "s", "day": "d", "hour": "h", "hr": "h", "minute": "min", "week": "wk", "year": "yr", "sec": "s"}

// timeUnit decodes a unit given as a string or a unit object; ok=false when it is not
// one of the time units.
func timeUnit(v any) (name string, seconds float64, ok bool) {
	switch x := v.(type) {
	case string:
		name = x
	case UnitStringer:
		name = x.UnitString()
	default:
		return "", 0, false
	}
	if n, alias := unitNames[name]; alias {
		name = n
	}
	s, ok := timeUnitSeconds[name]
	return name, s, ok
}

// quantityDays is astropy's quantity_day_frac: a time quantity's values as exact
// two-part day counts.
func quantityDays(vals []float64, seconds float64) (d1, d2 []float64) {
	d1, d2 = make([]float64, len(vals)), make([]float64, len(vals))
	factor := seconds / astrotime.DaySec
	for i, v := range vals {
		switch {
		case factor == 1:
			d1[i], d2[i] = astrotime.DayFrac(v, 0, 0, 0)
		case factor > 1:
			d1[i], d2[i] = astrotime.DayFrac(v, 0, factor, 0)
		default:
			d1[i], d2[i] = astrotime.DayFrac(v, 0, 0, astrotime.DaySec/seconds)
		}
	}
	return d1, d2
}

// deltaFromQuantity makes a TimeDelta of a value with a unit (obj.QuantityValue), or
// ok=false when v has none.
func deltaFromQuantity(v any) (*TimeDelta, bool, error) {
	q, isQ := v.(obj.QuantityValue)
	if !isQ {
		return nil, false, nil
	}
	val, unit := q.QuantityParts()
	_, secs, ok := timeUnit(unit)
	if !ok {
		return nil, true, obj.Errorf("UnitConversionError", "only quantities with time units can be used to instantiate Time instances.")
	}
	in, err := decodeTimeInput(val)
	if err != nil || len(in.nums) == 0 {
		return nil, true, obj.Errorf(obj.TypeError, "a time quantity must hold numbers")
	}
	d1, d2 := quantityDays(in.nums, secs)
	return &TimeDelta{jd1: d1, jd2: d2, shape: in.shape, format: "jd"}, true, nil
}

var timeDeltaParams = []obj.Param{{Name: "val"}, {Name: "val2", Default: "None"}, {Name: "format", Default: "None"}, {Name: "scale", Default: "None"}}

// newTimeDelta is TimeDelta(val, val2=None, format=None, scale=None).
func NewDeltaFromArgs(env *obj.Env, args obj.Args) (any, error) {
	v, err := args.Bind("TimeDelta", timeDeltaParams)
	if err != nil {
		return nil, err
	}
	format, scale, err := optStrings(v[2], "format", v[3], "scale")
	if err != nil {
		return nil, err
	}
	if format != "" && !slices.Contains(timeDeltaFormats, format) {
		return nil, obj.Errorf(obj.ValueError, "Format '%s' is not one of the allowed formats %s", format, pyStrList([]string{"datetime", "jd", "sec"}))
	}
	if format == "datetime" {
		return nil, obj.Errorf("NotImplementedError", "gokist's TimeDelta does not implement format 'datetime'; it has 'jd' and 'sec'")
	}
	var sc astrotime.Scale
	if scale != "" {
		if !slices.Contains([]string{"tai", "tt", "ut1"}, scale) {
			return nil, obj.Errorf("ScaleValueError", "Scale '%s' is not in the allowed scales ['local', 'tai', 'tcb', 'tcg', 'tdb', 'tt', 'ut1']", scale)
		}
		sc = astrotime.Scale(scale)
	}
	if d, isQ, err := deltaFromQuantity(v[0]); isQ {
		if err != nil {
			return nil, err
		}
		d.scale = sc
		if format != "" {
			d.format = format
		}
		return d, nil
	}
	if d, ok := v[0].(*TimeDelta); ok {
		c := d.with(slices.Clone(d.jd1), slices.Clone(d.jd2), d.shape)
		if format != "" {
			c.format = format
		}
		if sc != "" {
			c.scale = sc
		}
		return c, nil
	}
	in, err := decodeTimeInput(v[0])
	if err != nil {
		return nil, err
	}
	if len(in.nums) == 0 {
		return nil, obj.Errorf(obj.ValueError, "Input values did not match any of the formats where the format keyword is optional ['sec', 'jd']")
	}
	if v[1] != nil {
		if err := addVal2(&in, v[1]); err != nil {
			return nil, err
		}
	}
	if format == "" {
		format = "jd"
		const msg = "Numerical value without unit or explicit format passed to TimeDelta, assuming days"
		if err := obj.Warn(env, "TimeDeltaMissingUnitWarning", msg, "WARNING: TimeDeltaMissingUnitWarning: "+msg+" [astropy.time.core]\n"); err != nil {
			return nil, err
		}
	}
	if err := checkFinite(format, in.nums); err != nil {
		return nil, err
	}
	secs := astrotime.DaySec
	if format == "sec" {
		secs = 1
	}
	d1, d2 := quantityDays(in.nums, secs)
	return &TimeDelta{jd1: d1, jd2: d2, shape: in.shape, scale: sc, format: format}, nil
}

func (d *TimeDelta) with(jd1, jd2 []float64, shape []int) *TimeDelta {
	return &TimeDelta{jd1: jd1, jd2: jd2, shape: slices.Clone(shape), scale: d.scale, format: d.format}
}

// values gives the deltas in days (jd) or seconds (sec), as astropy computes them.
func (d *TimeDelta) values(format string) []float64 {
	factor := 1.0
	if format == "sec" {
		factor = 1.0 / (1.0 / astrotime.DaySec)
	}
	out := make([]float64, len(d.jd1))
	for i := range out {
		out[i] = d.jd1[i]*factor + d.jd2[i]*factor
	}
	return out
}

// valueIn is the value in a format, a float or an array.
func (d *TimeDelta) ValueIn(format string) any {
	v := d.values(format)
	if d.shape == nil {
		return v[0]
	}
	return (*numpy.NDArray)(lazy.NewArray(v, d.shape, lazy.Float64))
}

// toUnit is to_value(unit): the days as a Quantity in days converted to unit.
func (d *TimeDelta) toUnit(seconds float64) any {
	scale := astrotime.DaySec / seconds
	out := make([]float64, len(d.jd1))
	for i := range out {
		out[i] = (d.jd1[i] + d.jd2[i]) * scale
	}
	if d.shape == nil {
		return out[0]
	}
	return (*numpy.NDArray)(lazy.NewArray(out, d.shape, lazy.Float64))
}

// toValue is TimeDelta.to_value(format_or_unit).
func (d *TimeDelta) ToValue(args obj.Args) (any, error) {
	if len(args.Pos) == 0 && len(args.Kw) == 0 {
		return nil, obj.Errorf(obj.TypeError, "to_value() missing required format or unit argument")
	}
	var arg any
	if len(args.Pos) > 0 {
		arg = args.Pos[0]
	} else if f, ok := args.Kw["format"]; ok {
		arg = f
	}
	if s, ok := arg.(string); ok && slices.Contains(timeDeltaFormats, s) {
		if s == "datetime" {
			return nil, obj.Errorf("NotImplementedError", "gokist's TimeDelta does not implement format 'datetime'; it has 'jd' and 'sec'")
		}
		return d.ValueIn(s), nil
	}
	if _, secs, ok := timeUnit(arg); ok {
		return d.toUnit(secs), nil
	}
	if _, ok := arg.(string); ok {
		return nil, obj.Errorf(obj.ValueError, "first argument is not one of the known formats (%s) and failed to parse as a unit.", pyStrList(timeDeltaFormats))
	}
	name := strOf(arg)
	if u, ok := arg.(UnitStringer); ok {
		name = u.UnitString()
	}
	if pt, ok := physicalTypes[name]; ok {
		name += "' (" + pt + ")"
	} else {
		name += "'"
	}
	return nil, obj.Errorf("UnitConversionError", "'d' (time) and '%s are not convertible", name)
}

// physicalTypes names the physical type of common units, for conversion errors.
var physicalTypes = map[string]string{
	"m": "length", "km": "length", "cm": "length", "mm": "length", "nm": "length", "Angstrom": "length", "AU": "length",
	"deg": "angle", "arcsec": "angle", "arcmin": "angle", "rad": "angle", "kg": "mass", "g": "mass", "K": "temperature",
	"Hz": "frequency", "m / s": "speed", "km / s": "speed", "J": "energy/torque/work", "W": "power/radiant flux", "": "dimensionless",
}

// String is astropy's repr.
func (d *TimeDelta) String() string {
	sc := "None"
	if d.scale != "" {
		sc = string(d.scale)
	}
	return fmt.Sprintf("<TimeDelta object: scale='%s' format='%s' value=%s>", sc, d.format, d.Str())
}

// Str is the value.
func (d *TimeDelta) Str() string { return strOf(d.ValueIn(d.format)) }

// MimeBundle shows the repr.
func (d *TimeDelta) MimeBundle() map[string]any { return map[string]any{"text/plain": d.String()} }

// Type is TimeDelta's member table.
func (d *TimeDelta) Type() *obj.Type { return timeDeltaType }

// GetItem indexes the deltas along the first axis.
func (d *TimeDelta) GetItem(_ *obj.Env, key any) (any, error) {
	if d.shape == nil {
		return nil, obj.Errorf(obj.TypeError, "scalar 'TimeDelta' object is not subscriptable.")
	}
	offs, shape, err := numpy.IndexFirstAxis(len(d.jd1), d.shape, key)
	if err != nil {
		return nil, err
	}
	a, b := make([]float64, len(offs)), make([]float64, len(offs))
	for i, k := range offs {
		a[i], b[i] = d.jd1[k], d.jd2[k]
	}
	return d.with(a, b, shape), nil
}

var timeDeltaType = &obj.Type{
	Name:      "TimeDelta",
	Doc:       "A time difference or an array of them (astropy.time.TimeDelta), in days (format 'jd') or seconds ('sec').",
	Signature: "TimeDelta(val, val2=None, format=None, scale=None)",
}

func init() {
	get := func(name, doc string, f func(d *TimeDelta) any) *obj.Member {
		return &obj.Member{Name: name, Doc: doc, Get: func(_ *obj.Env, r any) (any, error) { return f(r.(*TimeDelta)), nil }}
	}
	timeDeltaType.Members = []*obj.Member{
		get("jd", "The deltas in days.", func(d *TimeDelta) any { return d.ValueIn("jd") }),
		get("sec", "The deltas in seconds.", func(d *TimeDelta) any { return d.ValueIn("sec") }),
		get("value", "The deltas in the format.", func(d *TimeDelta) any { return d.ValueIn(d.format) }),
		get("format", "The format: 'jd' or 'sec'.", func(d *TimeDelta) any { return d.format }),
		get("scale", "The scale, or None.", func(d *TimeDelta) any {
			if d.scale == "" {
				return nil
			}
			return string(d.scale)
		}),
		get("shape", "The array shape.", func(d *TimeDelta) any { return obj.ShapeTuple(d.shape) }),
		get("jd1", "The integer-day part.", func(d *TimeDelta) any { return (&Time{Shape: d.shape}).part(d.jd1) }),
		get("jd2", "The fraction-of-day part.", func(d *TimeDelta) any { return (&Time{Shape: d.shape}).part(d.jd2) }),
		{Name: "to", Signature: "to(unit, equivalencies=[])", Doc: "The deltas as a Quantity in a time unit (u.s, u.min, 'h', ...), as astropy's TimeDelta.to.",
			Call: func(env *obj.Env, r any, args obj.Args) (any, error) { return r.(*TimeDelta).to(env, args) }},
		{Name: "to_value", Signature: "to_value(format_or_unit)", Doc: "The deltas in a format ('jd', 'sec') or a time unit (u.s, 'min', ...).",
			Call: func(_ *obj.Env, r any, args obj.Args) (any, error) { return r.(*TimeDelta).ToValue(args) }},
		{Name: "__len__", Call: func(_ *obj.Env, r any, _ obj.Args) (any, error) {
			d := r.(*TimeDelta)
			if d.shape == nil {
				return nil, obj.Errorf(obj.TypeError, "Scalar 'TimeDelta' object has no len()")
			}
			return d.shape[0], nil
		}},
	}
}

// to is TimeDelta.to(unit): as astropy, the deltas in days as a Quantity, converted.
func (d *TimeDelta) to(env *obj.Env, args obj.Args) (any, error) {
	v, err := args.Bind("to", []obj.Param{{Name: "unit"}, {Name: "equivalencies", Default: "[]"}})
	if err != nil {
		return nil, err
	}
	q, err := aunits.NewQuantity(env, d.quantityValue(), units.MustUnit("d"))
	if err != nil {
		return nil, err
	}
	return q.To(env, v[0], v[1])
}

// quantityValue is the deltas in days: a number, or an in-memory array of them.
func (d *TimeDelta) quantityValue() any {
	days := d.values("jd")
	if d.shape == nil {
		return days[0]
	}
	return (*numpy.NDArray)(lazy.NewArray(days, append([]int(nil), d.shape...), lazy.Float64))
}
