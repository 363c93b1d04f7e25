package units

// This file is the Python face of astropy's Quantity: a number or an array (in memory
// or lazy, ds.data * u.ct) with a unit from runtime/units. It holds the value kinds,
// conversion (to, to_value, decompose, si, cgs, with equivalencies) and arithmetic by
// astropy's rules; reprs are in quantity_repr.go, numpy functions in
// quantity_ufunc.go, the modules in quantity_modules.go.

import (
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"math"

	"gokist/obj"
	"gokist/runtime/units"
)

// Quantity is astropy's Quantity. val is a float64 or float32 scalar, an *Array of a
// float dtype, or a *LazyArray; astropy makes integer and bool values float64.
type Quantity struct {
	val  any
	unit units.Unit
}

// NewQuantity makes a Quantity of a value (a number, a list, an array, a lazy array)
// and a unit.
func NewQuantity(env *obj.Env, value any, unit units.Unit) (*Quantity, error) {
	q := &Quantity{val: value, unit: unit}
	if err := q.normalize(env); err != nil {
		return nil, err
	}
	return q, nil
}

// Value gives the number or array without its unit.
func (q *Quantity) Value() any { return q.val }

// Unit gives the unit.
func (q *Quantity) Unit() units.Unit { return q.unit }

// QuantityParts gives the value and the unit as astropy's to_string() writes it
// (obj.QuantityValue).
func (q *Quantity) QuantityParts() (any, string) { return q.val, q.unit.String() }

// normalize turns q.val into one of the value kinds Quantity holds.
func (q *Quantity) normalize(env *obj.Env) error {
	v, err := quantityValue(env, q.val)
	if err != nil {
		return err
	}
	q.val = v
	return nil
}

// quantityValue converts a value to one a Quantity holds: numbers become float64
// (np.float32 stays float32), sequences and array-likes become float64 Arrays,
// integer and bool arrays become float64, as astropy's Quantity does.
func quantityValue(env *obj.Env, v any) (any, error) {
	switch x := v.(type) {
	case float64, float32:
		return x, nil
	case int:
		return float64(x), nil
	case bool:
		return lazy.B2f(x), nil
	case numpy.Bool:
		return lazy.B2f(bool(x)), nil
	case *numpy.NDArray:
		if x.DT < lazy.Float32 {
			return numpy.PyArray(numpy.ComputeNode(env, lazy.AstypeNode(&lazy.ArrayNode{A: (*lazy.Array)(x)}, lazy.Float64)))
		}
		return x, nil
	case *numpy.LazyArray:
		if x.DType() < lazy.Float32 {
			return &numpy.LazyArray{Node: lazy.AstypeNode(x.Node, lazy.Float64)}, nil
		}
		return x, nil
	case numpy.ArrayHolder:
		return quantityValue(env, x.Data())
	case obj.List, *obj.List, obj.Tuple, obj.Sequence:
		return numpy.PyArray(arrayFromSequence(v))
	case obj.ArrayLike:
		data, err := x.Float64s()
		if err != nil {
			return nil, err
		}
		return (*numpy.NDArray)(lazy.NewArray(data, x.ArrayShape(), lazy.Float64)), nil
	}
	return nil, notNumeric(v)
}

// notNumeric is astropy's error for a value a Quantity cannot hold.
func notNumeric(v any) *obj.Error {
	return obj.Errorf(obj.TypeError, "The value must be a valid Python or Numpy numeric type.").WithHint("got %s", obj.TypeName(v))
}

// arrayFromSequence makes a float64 Array of nested lists or tuples of numbers, with
// numpy's error for ragged ones.
func arrayFromSequence(v any) (*lazy.Array, error) {
	var shape []int
	var data []float64
	var walk func(v any, depth int) error
	walk = func(v any, depth int) error {
		items, isSeq := seqItems(v)
		if depth == len(shape) && isSeq && len(data) == 0 {
			shape = append(shape, len(items))
		}
		if isSeq != (depth < len(shape)) || isSeq && items != nil && len(items) != shape[depth] {
			return obj.Errorf(obj.ValueError, "setting an array element with a sequence. The requested array has an inhomogeneous shape after %d dimensions. The detected shape was %s + inhomogeneous part.", depth, numpy.TupleString(intsAny(shape[:depth])))
		}
		if !isSeq {
			f, ok := toFloat(v)
			if !ok {
				return notNumeric(v)
			}
			data = append(data, f)
			return nil
		}
		for _, it := range items {
			if err := walk(it, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(v, 0); err != nil {
		return nil, err
	}
	return lazy.NewArray(data, shape, lazy.Float64), nil
}

func intsAny(xs []int) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func seqItems(v any) ([]any, bool) {
	switch x := v.(type) {
	case obj.List:
		return x, true
	case *obj.List:
		return *x, true
	case obj.Tuple:
		return x, true
	case obj.Sequence:
		return x.Items(), true
	}
	return nil, false
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case bool:
		return lazy.B2f(x), true
	case numpy.Bool:
		return lazy.B2f(bool(x)), true
	}
	return 0, false
}

// numOp computes a op b for the values quantities hold: Go arithmetic for float64
// scalars, numpy's float32 scalar rules, and the arrays' own operators otherwise.
func numOp(env *obj.Env, op string, a, b any) (any, error) {
	x, aOK := plainFloat(a)
	y, bOK := plainFloat(b)
	if aOK && bOK {
		fn, ok := lazy.BinaryFuncs[op]
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "unsupported operand type(s) for %s", op)
		}
		r := fn(x, y)
		if lazy.IsComparison(op) {
			return numpy.Bool(r != 0), nil
		}
		return r, nil
	}
	if r, handled, err := numpy.ScalarBinaryOp(op, a, b); handled {
		return r, err
	}
	if o, ok := a.(obj.Operand); ok {
		if r, handled, err := o.BinaryOp(env, op, b, false); handled {
			return r, err
		}
	}
	if o, ok := b.(obj.Operand); ok {
		if r, handled, err := o.BinaryOp(env, op, a, true); handled {
			return r, err
		}
	}
	if x32, ok := a.(float32); ok {
		return numOp(env, op, float64(x32), b)
	}
	if y32, ok := b.(float32); ok {
		return numOp(env, op, a, float64(y32))
	}
	return nil, obj.Errorf(obj.TypeError, "unsupported operand type(s) for %s: '%s' and '%s'", op, obj.TypeName(a), obj.TypeName(b))
}

// plainFloat gives a Python int or float (not an np.float32) as float64.
func plainFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	}
	return 0, false
}

// scaled multiplies a value by a conversion scale (a copy when the scale is 1).
func scaled(env *obj.Env, v any, scale float64) (any, error) {
	if scale == 1 {
		return v, nil
	}
	return numOp(env, "*", v, scale)
}

// mapValue applies f elementwise: at once to numbers and in-memory arrays, lazily to
// lazy arrays; the dtype stays float32 for float32 values.
func mapValue(env *obj.Env, v any, name string, f func(float64) float64) (any, error) {
	switch x := v.(type) {
	case float64:
		return f(x), nil
	case float32:
		return float32(f(float64(x))), nil
	case *numpy.NDArray:
		return numpy.PyArray(numpy.ComputeNode(env, &lazy.UnaryNode{Op: name, In: &lazy.ArrayNode{A: (*lazy.Array)(x)}, Dt: floatDType(x.DT), Fn: f}))
	case *numpy.LazyArray:
		return &numpy.LazyArray{Node: &lazy.UnaryNode{Op: name, In: x.Node, Dt: floatDType(x.DType()), Fn: f}}, nil
	}
	return nil, obj.Errorf(obj.TypeError, "%s: unsupported value %s", name, obj.TypeName(v))
}

func floatDType(dt lazy.DType) lazy.DType {
	if dt < lazy.Float32 {
		return lazy.Float64
	}
	return dt
}

// equivalenciesOf reads an equivalencies argument: None or [], an equivalency
// (u.spectral()), or a list of them.
func equivalenciesOf(v any) ([]units.Pair, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case *Equivalency:
		return x.E.Pairs, nil
	case obj.List, *obj.List, obj.Tuple:
		items, _ := seqItems(x)
		var out []units.Pair
		for _, it := range items {
			e, ok := it.(*Equivalency)
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "equivalencies must be a list of equivalencies such as u.spectral(), not containing %s", obj.TypeName(it))
			}
			out = append(out, e.E.Pairs...)
		}
		return out, nil
	}
	return nil, obj.Errorf(obj.TypeError, "equivalencies must be an equivalency such as u.spectral() or a list of them, not %s", obj.TypeName(v))
}

// convert gives q in another unit (a unit object or string), through equivalencies
// when given, as Quantity.to does.
func (q *Quantity) To(env *obj.Env, unitArg, eqArg any) (*Quantity, error) {
	to, err := unitOf("to", unitArg)
	if err != nil {
		return nil, err
	}
	if _, err := q.unit.ScaleTo(to); err == nil { // astropy reads equivalencies only when it needs them
		return q.convertTo(env, to, nil)
	}
	eqs, err := equivalenciesOf(eqArg)
	if err != nil {
		return nil, err
	}
	return q.convertTo(env, to, eqs)
}

func (q *Quantity) convertTo(env *obj.Env, to units.Unit, eqs []units.Pair) (*Quantity, error) {
	if s, err := q.unit.ScaleTo(to); err == nil {
		v, err := scaled(env, q.val, s)
		return &Quantity{val: v, unit: to}, err
	}
	conv, err := q.unit.ConverterTo(to, eqs)
	if err != nil {
		return nil, conversionHint(PythonError(err), q.unit, to, eqs)
	}
	v, err := mapValue(env, q.val, "to", conv)
	return &Quantity{val: v, unit: to}, err
}

// decomposeBy gives q in the unit f gives for its unit, the scale moved into the value,
// as Quantity.decompose, .si and .cgs do.
func (q *Quantity) decomposeBy(env *obj.Env, f func(units.Unit) (units.Unit, error)) (*Quantity, error) {
	u, err := f(q.unit)
	if err != nil {
		return nil, PythonError(err)
	}
	v, err := scaled(env, q.val, u.Scale)
	if err != nil {
		return nil, err
	}
	return &Quantity{val: v, unit: u.Div(units.Scalar(u.Scale))}, nil
}

// ufuncNames are the names astropy's errors give the arithmetic operators.
var ufuncNames = map[string]string{
	"+": "add", "-": "subtract", "<": "less", "<=": "less_equal", ">": "greater",
	">=": "greater_equal", "==": "equal", "!=": "not_equal", "%": "remainder", "//": "floor_divide",
}

// BinaryOp implements astropy's arithmetic: * and / combine units; + - and
// comparisons convert the right operand to the left's unit (plain numbers only with
// dimensionless quantities); ** takes a plain exponent.
func (q *Quantity) BinaryOp(env *obj.Env, op string, other any, reflected bool) (any, bool, error) {
	if _, ok := other.(*UnitValue); ok && op != "*" && op != "/" {
		return nil, false, nil
	}
	o, isQ, err := asQuantity(env, other)
	if err != nil {
		return nil, false, nil
	}
	a, b := q, o
	if reflected {
		a, b = o, q
	}
	switch op {
	case "*", "/":
		v, err := numOp(env, op, a.val, b.val)
		if err != nil {
			return nil, true, err
		}
		u := a.unit.Mul(b.unit)
		if op == "/" {
			u = a.unit.Div(b.unit)
		}
		return &Quantity{val: v, unit: u}, true, nil
	case "**":
		r, err := q.power(env, other, reflected)
		return r, true, err
	}
	name, known := ufuncNames[op]
	if !known {
		return nil, false, nil
	}
	av, bv, u, err := sameUnit(env, name, a, b, isQ)
	if err != nil {
		if op == "==" || op == "!=" { // astropy: unequal rather than an error
			return op == "!=", true, nil
		}
		return nil, true, err
	}
	v, err := numOp(env, op, av, bv)
	if err != nil || lazy.IsComparison(op) {
		return v, true, err
	}
	if op == "//" {
		return &Quantity{val: v, unit: units.Dimensionless}, true, nil
	}
	return &Quantity{val: v, unit: u}, true, nil
}

// asQuantity gives a Quantity of another operand: a Quantity, a value with a unit, a
// unit (1 unit), or a plain number or array (dimensionless); isQ says whether it had a
// unit.
func asQuantity(env *obj.Env, v any) (*Quantity, bool, error) {
	switch x := v.(type) {
	case *Quantity:
		return x, true, nil
	case *Constant:
		return &x.Quantity, true, x.usable()
	case *UnitValue:
		return &Quantity{val: 1.0, unit: x.U}, true, nil
	case obj.QuantityValue:
		val, unit := x.QuantityParts()
		u, err := units.Parse(unit)
		if err != nil {
			return nil, false, PythonError(err)
		}
		q, err := NewQuantity(env, val, u)
		return q, true, err
	}
	if _, isStr := v.(string); isStr {
		return nil, false, obj.Errorf(obj.TypeError, "str")
	}
	val, err := quantityValue(env, v)
	if err != nil {
		return nil, false, err
	}
	return &Quantity{val: val, unit: units.Dimensionless}, false, nil
}

// sameUnit gives a's and b's values in one unit for a ufunc that needs equal units,
// with astropy's errors: incompatible dimensions, or a plain number with a quantity
// that has a unit (allowed when the number is 0, inf or nan). Both are quantities when
// bothQ; otherwise one of them is a plain value (dimensionless unscaled).
func sameUnit(env *obj.Env, name string, a, b *Quantity, bothQ bool) (av, bv any, u units.Unit, err error) {
	if bothQ {
		s, err := b.unit.ScaleTo(a.unit)
		if err != nil {
			return nil, nil, u, obj.Errorf(units.UnitConversionError, "Can only apply '%s' function to quantities with compatible dimensions", name)
		}
		bv, err = scaled(env, b.val, s)
		return a.val, bv, a.unit, err
	}
	plain, withUnit := a, b
	if !a.unit.IsUnscaledDimensionless() {
		plain, withUnit = b, a
	}
	if s, err := withUnit.unit.ScaleTo(units.Dimensionless); err == nil {
		v, err := scaled(env, withUnit.val, s)
		if withUnit == a {
			return v, b.val, units.Dimensionless, err
		}
		return a.val, v, units.Dimensionless, err
	}
	if f, ok := plain.val.(float64); ok && (f == 0 || math.IsInf(f, 0) || math.IsNaN(f)) {
		return a.val, b.val, withUnit.unit, nil
	}
	return nil, nil, u, obj.Errorf(units.UnitConversionError, "Can only apply '%s' function to dimensionless quantities when other argument is not a quantity (unless the latter is all zero/infinity/nan).", name)
}

// power is q ** p (p a plain number or a dimensionless quantity) or, reflected,
// p ** q for a dimensionless q.
func (q *Quantity) power(env *obj.Env, other any, reflected bool) (*Quantity, error) {
	if reflected {
		d, err := q.convertTo(env, units.Dimensionless, nil)
		if err != nil {
			return nil, obj.Errorf(units.UnitTypeError, "Can only raise something to a dimensionless quantity")
		}
		v, err := numOp(env, "**", other, d.val)
		return &Quantity{val: v, unit: units.Dimensionless}, err
	}
	p := other
	if o, ok := other.(*Quantity); ok {
		d, err := o.convertTo(env, units.Dimensionless, nil)
		if err != nil {
			return nil, obj.Errorf(units.UnitTypeError, "Can only raise something to a dimensionless quantity")
		}
		p = d.val
	}
	r, err := powerOf(p)
	if err != nil {
		return nil, err
	}
	v, err := numOp(env, "**", q.val, p)
	return &Quantity{val: v, unit: q.unit.Pow(r)}, err
}

// UnaryOp implements -q, +q and abs(q), keeping the unit.
func (q *Quantity) UnaryOp(env *obj.Env, op string) (any, error) {
	switch v := q.val.(type) {
	case float64:
		return &Quantity{val: lazy.UnaryFuncs[op](v), unit: q.unit}, nil
	case float32:
		return &Quantity{val: float32(lazy.UnaryFuncs[op](float64(v))), unit: q.unit}, nil
	case obj.UnaryOperand:
		r, err := v.UnaryOp(env, op)
		if err != nil {
			return nil, err
		}
		return &Quantity{val: r, unit: q.unit}, nil
	}
	return nil, obj.Errorf(obj.TypeError, "bad operand type for unary %s: 'Quantity'", op)
}

// conversionHint adds the equivalency that would convert between spectral kinds or
// to velocities, when none was given that does.
func conversionHint(err error, from, to units.Unit, eqs []units.Pair) error {
	e, ok := err.(*obj.Error)
	if !ok {
		return err
	}
	spectral := units.Spectral().Pairs
	_, viaSpectral := from.ConverterTo(to, spectral)
	kms := units.MustUnit("km").Div(units.MustUnit("s"))
	_, fromSpectral := from.ConverterTo(units.MustUnit("Hz"), spectral)
	_, toSpectral := to.ConverterTo(units.MustUnit("Hz"), spectral)
	switch {
	case viaSpectral == nil:
		e.Hint = "wavelength, frequency, energy and wavenumber convert with equivalencies=u.spectral()"
	case fromSpectral == nil && to.Equivalent(kms) || toSpectral == nil && from.Equivalent(kms):
		e.Hint = "velocities convert with a Doppler equivalency, e.g. equivalencies=u.doppler_optical(630.25 * u.nm)"
	}
	return e
}
