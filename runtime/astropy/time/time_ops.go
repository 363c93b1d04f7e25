package time

import (
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"math"
	"slices"

	"gokist/obj"
	"gokist/runtime/astrotime"
)

// deltaScales are the scales a TimeDelta may have (astropy's TIME_DELTA_SCALES that
// gokist knows): a Time in one of them subtracts in its own scale, a UTC Time in TAI.
var deltaScales = []astrotime.Scale{astrotime.TAI, astrotime.TT, astrotime.UT1}

// broadcast pairs two operands' element counts and shapes: equal shapes, or one
// single value against many. It returns the result's shape and size.
func broadcast(an int, ashape []int, bn int, bshape []int) ([]int, int, error) {
	switch {
	case slices.Equal(ashape, bshape):
		return ashape, an, nil
	case an == 1 && ashape == nil:
		return bshape, bn, nil
	case bn == 1 && bshape == nil:
		return ashape, an, nil
	}
	return nil, 0, obj.Errorf(obj.ValueError, "operands could not be broadcast together with shapes %s %s", numpy.TupleString(anySlice(ashape)), numpy.TupleString(anySlice(bshape)))
}

// at gives element i of a broadcast operand.
func at(xs []float64, i int) float64 {
	if len(xs) == 1 {
		return xs[0]
	}
	return xs[i]
}

// asDelta gives a TimeDelta for a TimeDelta, a time Quantity, or a number of days
// (with astropy's warning that it assumed days); ok=false otherwise.
func asDelta(env *obj.Env, v any) (*TimeDelta, bool, error) {
	switch x := v.(type) {
	case *TimeDelta:
		return x, true, nil
	case int, float64:
		d, err := NewDeltaFromArgs(env, obj.Args{Pos: []any{x}})
		if err != nil {
			return nil, true, err
		}
		return d.(*TimeDelta), true, nil
	}
	return deltaFromQuantity(v)
}

// BinaryOp is Time's arithmetic and comparisons, as astropy's __sub__, __add__ and
// _time_comparison.
func (t *Time) BinaryOp(env *obj.Env, op string, other any, reflected bool) (any, bool, error) {
	switch op {
	case "-":
		if reflected {
			return nil, false, nil
		}
		if o, ok := other.(*Time); ok {
			r, err := t.Sub(env, o)
			return r, true, err
		}
		d, ok, err := asDelta(env, other)
		if !ok || err != nil {
			return nil, ok, quantityRefused(err, "subtract", other)
		}
		r, err := t.AddDelta(env, d, -1)
		return r, true, err
	case "+":
		if _, ok := other.(*Time); ok {
			return nil, true, obj.Errorf("OperandTypeError", "Unsupported operand type(s) for +: 'Time' and 'Time'")
		}
		d, ok, err := asDelta(env, other)
		if !ok || err != nil {
			return nil, ok, quantityRefused(err, "add", other)
		}
		r, err := t.AddDelta(env, d, 1)
		return r, true, err
	case "<", "<=", ">", ">=", "==", "!=":
		o, ok := other.(*Time)
		if !ok {
			if op == "==" || op == "!=" {
				return op == "!=", true, nil
			}
			return nil, false, nil
		}
		if reflected {
			op = flipComparison(op)
		}
		r, err := t.compare(env, op, o)
		return r, true, err
	}
	return nil, false, nil
}

// quantityRefused is astropy's error for Time ± a Quantity that is not a time: the
// Quantity's ufunc refuses the Time.
func quantityRefused(err error, ufunc string, other any) error {
	if e, ok := err.(*obj.Error); ok && e.Class == "UnitConversionError" {
		return obj.Errorf(obj.TypeError, "Unsupported operand type(s) for ufunc %s: 'Time,%s'", ufunc, quantityTypeName(other))
	}
	return err
}

// quantityTypeName is the Python type name of a value with a unit ("Quantity" for the
// units package's).
func quantityTypeName(v any) string {
	if o, ok := v.(obj.Object); ok {
		return o.Type().Name
	}
	return "Quantity"
}

// flipComparison is the comparison seen from the other operand.
func flipComparison(op string) string {
	return map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}[op]
}

// compare compares two Times in the scale of the first, elementwise.
func (t *Time) compare(env *obj.Env, op string, o *Time) (any, error) {
	o, err := o.toScale(env, t.scale)
	if err != nil {
		return nil, err
	}
	return compareDays(op, t.jd1, t.jd2, t.Shape, o.jd1, o.jd2, o.Shape)
}

// compareDays compares two-part day counts elementwise, as astropy does: the sign of
// (a1 - b1) + (a2 - b2).
func compareDays(op string, a1, a2 []float64, ashape []int, b1, b2 []float64, bshape []int) (any, error) {
	shape, n, err := broadcast(len(a1), ashape, len(b1), bshape)
	if err != nil {
		return nil, err
	}
	out := make([]float64, n)
	for i := range out {
		d := (at(a1, i) - at(b1, i)) + (at(a2, i) - at(b2, i))
		var r bool
		switch op {
		case "<":
			r = d < 0
		case "<=":
			r = d <= 0
		case ">":
			r = d > 0
		case ">=":
			r = d >= 0
		case "==":
			r = d == 0
		case "!=":
			r = d != 0
		}
		if r {
			out[i] = 1
		}
	}
	if shape == nil {
		return numpy.Bool(out[0] != 0), nil
	}
	return (*numpy.NDArray)(lazy.NewArray(out, shape, lazy.Bool)), nil
}

// minusTime is t - o: a TimeDelta in t's scale when that is a delta scale, else TAI.
func (t *Time) Sub(env *obj.Env, o *Time) (*TimeDelta, error) {
	self := t
	if !slices.Contains(deltaScales, t.scale) {
		var err error
		if self, err = t.toScale(env, astrotime.TAI); err != nil {
			return nil, err
		}
	}
	o, err := o.toScale(env, self.scale)
	if err != nil {
		return nil, err
	}
	shape, n, err := broadcast(self.Size(), self.Shape, o.Size(), o.Shape)
	if err != nil {
		return nil, err
	}
	a, b := make([]float64, n), make([]float64, n)
	for i := range a {
		a[i], b[i] = astrotime.DayFrac(at(self.jd1, i)-at(o.jd1, i), at(self.jd2, i)-at(o.jd2, i), 0, 0)
	}
	return &TimeDelta{jd1: a, jd2: b, shape: shape, scale: self.scale, format: "jd"}, nil
}

// addDelta is t + sign*d, computed in t's scale when a delta may have it, else in the
// delta's scale (TAI when it has none), and returned in t's scale.
func (t *Time) AddDelta(env *obj.Env, d *TimeDelta, sign float64) (*Time, error) {
	work := t
	if !slices.Contains(deltaScales, t.scale) {
		sc := d.scale
		if sc == "" {
			sc = astrotime.TAI
		}
		var err error
		if work, err = t.toScale(env, sc); err != nil {
			return nil, err
		}
	}
	shape, n, err := broadcast(work.Size(), work.Shape, len(d.jd1), d.shape)
	if err != nil {
		return nil, err
	}
	a, b := make([]float64, n), make([]float64, n)
	for i := range a {
		a[i], b[i] = astrotime.DayFrac(at(work.jd1, i)+sign*at(d.jd1, i), at(work.jd2, i)+sign*at(d.jd2, i), 0, 0)
	}
	out := work.with(a, b, shape)
	return out.toScale(env, t.scale)
}

// BinaryOp is TimeDelta's arithmetic: with TimeDeltas and time Quantities, with Times
// (delta + time), scaling by numbers, and comparisons.
func (d *TimeDelta) BinaryOp(env *obj.Env, op string, other any, reflected bool) (any, bool, error) {
	if t, ok := other.(*Time); ok {
		if op == "+" {
			r, err := t.AddDelta(env, d, 1)
			return r, true, err
		}
		return nil, false, nil
	}
	switch op {
	case "+", "-":
		o, ok, err := asDelta(env, other)
		if !ok || err != nil {
			return nil, ok, err
		}
		sign := 1.0
		if op == "-" {
			sign = -1
		}
		a, b := d, o
		if reflected {
			a, b = o, d
		}
		r, err := a.combine(b, sign)
		return r, true, err
	case "*", "/":
		f, ok := other.(float64)
		if i, isInt := other.(int); isInt {
			f, ok = float64(i), true
		}
		if !ok || op == "/" && reflected {
			return nil, false, nil
		}
		r, err := d.scaled(f, op == "/")
		return r, true, err
	case "<", "<=", ">", ">=", "==", "!=":
		o, ok, err := asDelta(env, other)
		if !ok || err != nil {
			return nil, ok, err
		}
		if reflected {
			op = flipComparison(op)
		}
		r, err := compareDays(op, d.jd1, d.jd2, d.shape, o.jd1, o.jd2, o.shape)
		return r, true, err
	}
	return nil, false, nil
}

// combine is d + sign*o, in d's scale.
func (d *TimeDelta) combine(o *TimeDelta, sign float64) (*TimeDelta, error) {
	shape, n, err := broadcast(len(d.jd1), d.shape, len(o.jd1), o.shape)
	if err != nil {
		return nil, err
	}
	a, b := make([]float64, n), make([]float64, n)
	for i := range a {
		a[i], b[i] = astrotime.DayFrac(at(d.jd1, i)+sign*at(o.jd1, i), at(d.jd2, i)+sign*at(o.jd2, i), 0, 0)
	}
	out := d.with(a, b, shape)
	if out.scale == "" {
		out.scale = o.scale
	}
	return out, nil
}

// scaled is d*f or d/f, as astropy's TimeDelta.__mul__ and __truediv__ (day_frac with
// a factor or divisor).
func (d *TimeDelta) scaled(f float64, divide bool) (*TimeDelta, error) {
	if divide && f == 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, formatClassError("jd", obj.Errorf(obj.TypeError, "Input values for jd class must be finite doubles"))
	}
	a, b := make([]float64, len(d.jd1)), make([]float64, len(d.jd1))
	for i := range a {
		if divide {
			a[i], b[i] = astrotime.DayFrac(d.jd1[i], d.jd2[i], 0, f)
		} else {
			a[i], b[i] = astrotime.DayFrac(d.jd1[i], d.jd2[i], f, 0)
		}
	}
	return d.with(a, b, d.shape), nil
}

// UnaryOp is -d, +d and abs(d).
func (d *TimeDelta) UnaryOp(_ *obj.Env, op string) (any, error) {
	a, b := slices.Clone(d.jd1), slices.Clone(d.jd2)
	for i := range a {
		if op == "-" || op == "abs" && a[i]+b[i] < 0 {
			a[i], b[i] = -a[i], -b[i]
		}
	}
	return d.with(a, b, d.shape), nil
}
