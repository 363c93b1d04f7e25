package units

// This file is the Python face of astropy's unit objects (u.m, u.km / u.s,
// u.Unit("erg s-1 cm-2")) over runtime/units: their member table, arithmetic (units
// compose with units; numbers and arrays times a unit make a Quantity), reprs, and the
// decoding of unit arguments (a unit object or a string) shared by Quantity's methods.

import (
	"errors"
	"gokist/pyfmt"
	"slices"
	"strconv"
	"strings"

	"gokist/obj"
	"gokist/runtime/units"
)

// UnitValue is a unit object: astropy's Unit, CompositeUnit or a named unit.
type UnitValue struct {
	U units.Unit
}

// UnitString is the unit as astropy's to_string() writes it, for obj.UnitValuer.
func (u *UnitValue) UnitString() string { return u.U.String() }

// String is astropy's repr: Unit("km / s").
func (u *UnitValue) String() string { return u.U.Repr() }

// Str is str(unit): "km / s".
func (u *UnitValue) Str() string { return u.U.String() }

// MimeBundle shows the unit as astropy's repr.
func (u *UnitValue) MimeBundle() map[string]any { return map[string]any{"text/plain": u.U.Repr()} }

// Type returns the member table of units.
func (u *UnitValue) Type() *obj.Type { return unitType }

// unitsErr turns a units error into the cell's error of the same Python class.
func PythonError(err error) error {
	var e *units.Error
	if errors.As(err, &e) {
		return &obj.Error{Class: e.Class, Msg: e.Msg}
	}
	return err
}

// unitOf reads a unit argument: a unit object, a string astropy parses, a Quantity
// (its unit times its value, as Unit(q) does for scalars) or None (dimensionless).
func unitOf(fn string, v any) (units.Unit, error) {
	switch x := v.(type) {
	case *UnitValue:
		return x.U, nil
	case string:
		u, err := units.Parse(x)
		return u, PythonError(err)
	case nil:
		return units.Dimensionless, nil
	case obj.UnitValuer:
		u, err := units.Parse(x.UnitString())
		return u, PythonError(err)
	}
	return units.Unit{}, obj.Errorf(obj.TypeError, "%s: %s cannot be converted to a Unit", fn, obj.TypeName(v))
}

// BinaryOp composes units (u.km / u.s, u.m ** 2, u.m * u.s), compares them (==, !=),
// and makes Quantities from numbers and arrays (10 * u.m, ds.data * u.ct).
func (u *UnitValue) BinaryOp(env *obj.Env, op string, other any, reflected bool) (any, bool, error) {
	if o, ok := other.(*UnitValue); ok {
		a, b := u.U, o.U
		if reflected {
			a, b = b, a
		}
		switch op {
		case "*":
			return &UnitValue{a.Mul(b)}, true, nil
		case "/":
			return &UnitValue{a.Div(b)}, true, nil
		case "==", "!=":
			eq := a.Equivalent(b)
			if eq {
				s, _ := a.ScaleTo(b)
				eq = s == 1
			}
			return eq == (op == "=="), true, nil
		}
		return nil, false, nil
	}
	if op == "**" && !reflected {
		p, err := powerOf(other)
		if err != nil {
			return nil, true, err
		}
		return &UnitValue{u.U.Pow(p)}, true, nil
	}
	if op == "==" || op == "!=" {
		if s, ok := other.(string); ok {
			v, err := units.Parse(s)
			eq := err == nil && v.Equal(u.U)
			return eq == (op == "=="), true, nil
		}
		return op == "!=", true, nil
	}
	if op != "*" && op != "/" {
		return nil, false, nil
	}
	if q, ok := other.(*Quantity); ok { // a unit with a Quantity: the Quantity's rules
		return q.BinaryOp(env, op, u, !reflected)
	}
	if k, ok := other.(*Constant); ok {
		return k.BinaryOp(env, op, u, !reflected)
	}
	val, err := quantityValue(env, other)
	if e, ok := err.(*obj.Error); ok && e.Class == obj.ValueError {
		return nil, true, err // a ragged list: numpy's error
	} else if err != nil {
		return nil, false, nil
	}
	if !reflected { // unit * 10, unit / 10: astropy gives 10 unit, (1/10) unit
		if op == "/" {
			v, err := numOp(env, "/", 1.0, val)
			if err != nil {
				return nil, true, err
			}
			return &Quantity{val: v, unit: u.U}, true, nil
		}
		return &Quantity{val: val, unit: u.U}, true, nil
	}
	if op == "/" {
		return &Quantity{val: val, unit: units.Dimensionless.Div(u.U)}, true, nil
	}
	return &Quantity{val: val, unit: u.U}, true, nil
}

// UnaryOp is -unit: the Quantity -1 unit, as astropy gives.
func (u *UnitValue) UnaryOp(_ *obj.Env, op string) (any, error) {
	if op == "-" {
		return &Quantity{val: -1.0, unit: u.U}, nil
	}
	return nil, obj.Errorf(obj.TypeError, "bad operand type for unary %s: 'Unit'", op)
}

// powerOf reads an exponent of a unit: an int, a float that is a simple fraction.
func powerOf(v any) (units.Rat, error) {
	var f float64
	switch x := v.(type) {
	case int:
		return units.R(x, 1), nil
	case float64:
		f = x
	case float32:
		f = float64(x)
	case string:
		g, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return units.Rat{}, obj.Errorf(obj.ValueError, "could not convert string to float: %s", pyfmt.Quote(x))
		}
		f = g
	default:
		return units.Rat{}, obj.Errorf(obj.TypeError, "unsupported operand type(s) for ** or pow(): 'Unit' and '%s'", obj.TypeName(v))
	}
	r, ok := units.RatOf(f)
	if !ok {
		return units.Rat{}, obj.Errorf(obj.ValueError, "the power %v of a unit must be a simple fraction such as 0.5 or 1/3", f)
	}
	return r, nil
}

var unitType = &obj.Type{
	Name: "Unit",
	Doc:  "A physical unit (astropy.units): compose with * / **, convert with .to(other), make a Quantity with 10 * u.m.",
}

func init() {
	get := func(r any) units.Unit { return r.(*UnitValue).U }
	unitType.Members = []*obj.Member{
		obj.Method("to_string", "to_string()", "The unit in astropy's generic format, e.g. 'km / s'.", nil,
			func(_ *obj.Env, r any, _ []any) (any, error) { return get(r).String(), nil }),

		obj.Method("decompose", "decompose()", "The unit in irreducible units (m, kg, s, A, K, mol, cd, rad, ...).", nil,
			func(_ *obj.Env, r any, _ []any) (any, error) { return &UnitValue{get(r).Decompose()}, nil }),

		obj.Method("to", "to(other, value=1.0, equivalencies=[])", "Convert value (default 1) from this unit to other.",
			[]obj.Param{{Name: "other"}, {Name: "value", Default: "1.0"}, {Name: "equivalencies", Default: "[]"}},
			func(env *obj.Env, r any, v []any) (any, error) {
				val := v[1]
				if val == nil {
					val = 1.0
				}
				q := &Quantity{val: val, unit: get(r)}
				if err := q.normalize(env); err != nil {
					return nil, err
				}
				out, err := q.To(env, v[0], v[2])
				if err != nil {
					return nil, err
				}
				return out.val, nil
			}),

		obj.Method("is_equivalent", "is_equivalent(other, equivalencies=[])", "Whether values in this unit convert to other.",
			[]obj.Param{{Name: "other"}, {Name: "equivalencies", Default: "[]"}},
			func(env *obj.Env, r any, v []any) (any, error) {
				o, err := unitOf("is_equivalent", v[0])
				if err != nil {
					return nil, err
				}
				eqs, err := equivalenciesOf(v[1])
				if err != nil {
					return nil, err
				}
				_, err = get(r).ConverterTo(o, eqs)
				return err == nil, nil
			}),

		obj.Attr("physical_type", "The physical type, e.g. 'length', 'speed/velocity'.", func(_ *obj.Env, r any) (any, error) {
			return physicalType(get(r).PhysicalType()), nil
		}),

		obj.Attr("scale", "The scale factor of a composite unit.", func(_ *obj.Env, r any) (any, error) { return get(r).Scale, nil }),
		obj.Attr("si", "The unit in SI units.", func(_ *obj.Env, r any) (any, error) {
			u, err := get(r).SI()
			return &UnitValue{u}, PythonError(err)
		}),

		obj.Attr("cgs", "The unit in CGS units.", func(_ *obj.Env, r any) (any, error) {
			u, err := get(r).CGS()
			return &UnitValue{u}, PythonError(err)
		}),

		obj.Attr("bases", "The units this unit is composed of.", func(_ *obj.Env, r any) (any, error) {
			out := obj.List{}
			for _, t := range get(r).Terms {
				out = append(out, &UnitValue{units.Of(t.Base)})
			}
			return out, nil
		}),

		obj.Attr("powers", "The powers of the bases.", func(_ *obj.Env, r any) (any, error) {
			out := obj.List{}
			for _, t := range get(r).Terms {
				if t.Pow.D == 1 {
					out = append(out, t.Pow.N)
				} else {
					out = append(out, t.Pow.Float())
				}
			}
			return out, nil
		}),

		obj.Attr("name", "The unit's name (named units only).", func(_ *obj.Env, r any) (any, error) {
			if n, ok := get(r).Named(); ok {
				return n.Name, nil
			}
			return nil, obj.Errorf(obj.AttributeError, "Can not get names from unnamed units. Perhaps you meant to_string()?")
		}),
	}
}

// physicalType is astropy's PhysicalType value: str "speed/velocity", repr
// PhysicalType({'speed', 'velocity'}); it equals its name as a string.
type physicalType string

var physicalTypeType = &obj.Type{Name: "PhysicalType", Doc: "The physical type of a unit, e.g. 'length'."}

func (p physicalType) Type() *obj.Type { return physicalTypeType }

// Str is the names joined by "/".
func (p physicalType) Str() string { return string(p) }

// MimeBundle shows astropy's repr.
func (p physicalType) MimeBundle() map[string]any {
	names := strings.Split(string(p), "/")
	if len(names) == 1 {
		return map[string]any{"text/plain": "PhysicalType('" + names[0] + "')"}
	}
	for i, n := range names {
		names[i] = "'" + n + "'"
	}
	return map[string]any{"text/plain": "PhysicalType({" + strings.Join(names, ", ") + "})"}
}

// BinaryOp compares with names: u.m.physical_type == 'length'.
func (p physicalType) BinaryOp(_ *obj.Env, op string, other any, _ bool) (any, bool, error) {
	if op != "==" && op != "!=" {
		return nil, false, nil
	}
	var eq bool
	switch o := other.(type) {
	case physicalType:
		eq = o == p
	case string:
		eq = slices.Contains(strings.Split(string(p), "/"), o) || o == string(p)
	}
	return eq == (op == "=="), true, nil
}
