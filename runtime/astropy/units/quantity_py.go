package units

// The member tables of Quantity, Constant and Equivalency, as astropy names them.

import (
	"gokist/obj"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"gokist/runtime/units"
)

// Type returns the Quantity member table.
func (q *Quantity) Type() *obj.Type { return quantityType }

var quantityType = &obj.Type{
	Name:      "Quantity",
	Signature: "Quantity(value, unit=None)",
	Doc:       "A number or array with a unit (astropy.units.Quantity): 10 * u.m, ds.data * u.ct. Arithmetic follows astropy's unit rules; .to(unit) converts.",
}

// quantityOf gives the Quantity of a receiver (a Quantity or a constant).
func quantityOf(r any) *Quantity {
	if k, ok := r.(*Constant); ok {
		return &k.Quantity
	}
	return r.(*Quantity)
}

func quantityMembers() []*obj.Member {
	eqParam := obj.Param{Name: "equivalencies", Default: "[]"}
	ms := []*obj.Member{
		obj.Attr("value", "The number or array without its unit.", func(_ *obj.Env, r any) (any, error) {
			return quantityOf(r).pyValue(), nil
		}),

		obj.Attr("unit", "The unit, a unit object.", func(_ *obj.Env, r any) (any, error) {
			return &UnitValue{quantityOf(r).unit}, nil
		}),

		obj.Method("to", "to(unit, equivalencies=[])", "The quantity in another unit (a unit object or a string such as 'km / s'); equivalencies such as u.spectral() convert between kinds.",
			[]obj.Param{{Name: "unit"}, eqParam},
			func(env *obj.Env, r any, v []any) (any, error) { return quantityOf(r).To(env, v[0], v[1]) }),

		obj.Method("to_value", "to_value(unit=None, equivalencies=[])", "The value in another unit, without the unit (the value itself when unit is None).",
			[]obj.Param{{Name: "unit", Default: "None"}, eqParam},
			func(env *obj.Env, r any, v []any) (any, error) {
				q := quantityOf(r)
				if v[0] == nil {
					return q.pyValue(), nil
				}
				out, err := q.To(env, v[0], v[1])
				if err != nil {
					return nil, err
				}
				return out.pyValue(), nil
			}),

		obj.Method("decompose", "decompose()", "The quantity in irreducible units (m, kg, s, ...), the scale moved into the value.", nil,
			func(env *obj.Env, r any, _ []any) (any, error) {
				return quantityOf(r).decomposeBy(env, func(u units.Unit) (units.Unit, error) { return u.Decompose(), nil })
			}),

		obj.Attr("si", "The quantity in SI units.", func(env *obj.Env, r any) (any, error) {
			return quantityOf(r).decomposeBy(env, units.Unit.SI)
		}),

		obj.Attr("cgs", "The quantity in CGS units.", func(env *obj.Env, r any) (any, error) {
			return quantityOf(r).decomposeBy(env, units.Unit.CGS)
		}),

		obj.Attr("isscalar", "Whether the value is a single number.", func(_ *obj.Env, r any) (any, error) {
			return quantityOf(r).isScalar(), nil
		}),

		obj.Attr("shape", "The shape of the value.", func(_ *obj.Env, r any) (any, error) { return obj.ShapeTuple(valueShape(quantityOf(r).val)), nil }),
		obj.Attr("ndim", "The number of axes of the value.", func(_ *obj.Env, r any) (any, error) { return len(valueShape(quantityOf(r).val)), nil }),
		obj.Attr("size", "The number of elements.", func(_ *obj.Env, r any) (any, error) { return lazy.Product(valueShape(quantityOf(r).val)), nil }),
		obj.Attr("dtype", "The element type.", func(_ *obj.Env, r any) (any, error) { return numpy.DType{DType: valueDType(quantityOf(r).val)}, nil }),
		obj.Method("__float__", "__float__()", "float(q) of a dimensionless scalar quantity.", nil,
			func(env *obj.Env, r any, _ []any) (any, error) { return quantityOf(r).pyScalar(env) }),

		obj.Method("__int__", "__int__()", "int(q) of a dimensionless scalar quantity.", nil,
			func(env *obj.Env, r any, _ []any) (any, error) {
				f, err := quantityOf(r).pyScalar(env)
				if err != nil {
					return nil, err
				}
				return int(f), nil
			}),

		obj.Method("__len__", "__len__()", "The length of the first axis.", nil,
			func(_ *obj.Env, r any, _ []any) (any, error) { return quantityOf(r).Len() }),

		obj.Method("compute", "compute()", "Compute a lazy quantity (ds.data * u.ct) into an in-memory one.", nil,
			func(env *obj.Env, r any, _ []any) (any, error) {
				q := quantityOf(r)
				l, ok := q.val.(*numpy.LazyArray)
				if !ok {
					return q, nil
				}
				v, err := l.Compute(env)
				if err != nil {
					return nil, err
				}
				return NewQuantity(env, v, q.unit)
			}),
	}
	for _, name := range quantityShapeMethods {
		ms = append(ms, &obj.Member{Name: name, Signature: name + "(...)",
			Doc: "The array's " + name + ", keeping the unit.",
			Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
				return quantityOf(r).forward(env, name, &a)
			}})
	}
	ms = append(ms, obj.Attr("T", "The transposed array, keeping the unit.", func(env *obj.Env, r any) (any, error) {
		return quantityOf(r).forward(env, "T", nil)
	}))
	for _, name := range quantityMethodUfuncs {
		ms = append(ms, &obj.Member{Name: name, Signature: name + "(axis=None)",
			Doc:    "numpy's " + name + " with astropy's unit rules.",
			Params: []obj.Param{{Name: "axis", Default: "None"}},
			Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
				res, _, err := quantityOf(r).ArrayUfunc(env, name, append([]any{r}, a.Pos...), a.Kw)
				return res, err
			}})
	}
	return ms
}

// quantityShapeMethods are the array methods a Quantity passes to its value, keeping
// the unit.
var quantityShapeMethods = []string{"reshape", "transpose", "squeeze", "ravel", "flatten", "copy", "item", "astype"}

// forward calls the value's own member (a method with args, an attribute when args is
// nil) and gives the result this quantity's unit; a scalar value has only item, copy
// and astype.
func (q *Quantity) forward(env *obj.Env, name string, args *obj.Args) (any, error) {
	switch v := q.val.(type) {
	case float64, float32:
		switch name {
		case "item", "copy":
			return &Quantity{val: v, unit: q.unit}, nil
		case "astype":
			return makeQuantity(env, q, nil, args.Pos[0])
		}
		return nil, obj.Errorf(obj.AttributeError, "'Quantity' object with a scalar value has no attribute '%s'", name)
	case obj.Object:
		m := v.Type().Member(name)
		if m == nil {
			return nil, obj.Errorf(obj.AttributeError, "'%s' object has no attribute '%s'", v.Type().Name, name)
		}
		var r any
		var err error
		switch {
		case args != nil && m.Call != nil:
			r, err = m.Call(env, v, *args)
		case args == nil && m.Get != nil:
			r, err = m.Get(env, v)
		default:
			return nil, obj.Errorf(obj.TypeError, "'%s' of a Quantity's value cannot be used this way", name)
		}
		if err != nil {
			return nil, err
		}
		return NewQuantity(env, r, q.unit)
	}
	return nil, obj.Errorf(obj.AttributeError, "'Quantity' object has no attribute '%s'", name)
}

// quantityMethodUfuncs are the numpy functions Quantity also has as methods.
var quantityMethodUfuncs = []string{"sum", "mean", "std", "var", "min", "max", "argmin", "argmax", "nansum", "nanmean", "nanstd", "nanmin", "nanmax"}

// pyScalar is the value of a dimensionless scalar quantity as a Python float, with
// astropy's error for others.
func (q *Quantity) pyScalar(env *obj.Env) (float64, error) {
	d, err := q.convertTo(env, units.Dimensionless, nil)
	f, ok := 0.0, false
	if err == nil {
		f, ok = toFloat(d.val)
	}
	if !ok {
		return 0, obj.Errorf(obj.TypeError, "only dimensionless scalar quantities can be converted to Python scalars")
	}
	return f, nil
}

// pyValue is the value as Python sees .value: a float, or the array.
func (q *Quantity) pyValue() any { return q.val }

func valueShape(v any) []int {
	switch x := v.(type) {
	case *numpy.NDArray:
		return x.Array().Shape()
	case *numpy.LazyArray:
		return x.Shape()
	}
	return nil
}

func valueDType(v any) lazy.DType {
	switch x := v.(type) {
	case *numpy.NDArray:
		return x.DT
	case *numpy.LazyArray:
		return x.DType()
	case float32:
		return lazy.Float32
	}
	return lazy.Float64
}

// GetItem indexes an array quantity; the result keeps the unit.
func (q *Quantity) GetItem(env *obj.Env, key any) (any, error) {
	ix, ok := q.val.(obj.Indexer)
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "'Quantity' object with a scalar value does not support indexing")
	}
	v, err := ix.GetItem(env, key)
	if err != nil {
		return nil, err
	}
	return NewQuantity(env, v, q.unit)
}

// Len is the length of the first axis, with astropy's error for scalars.
func (q *Quantity) Len() (int, error) {
	s := valueShape(q.val)
	if len(s) == 0 {
		return 0, obj.Errorf(obj.TypeError, "'Quantity' object with a scalar value has no len()")
	}
	return s[0], nil
}

// Equivalency is a list of equivalence pairs as a value (u.spectral()).
type Equivalency struct {
	E units.Equivalency
}

// BinaryOp joins equivalencies with +, as astropy's Equivalency lists add.
func (e *Equivalency) BinaryOp(_ *obj.Env, op string, other any, reflected bool) (any, bool, error) {
	o, ok := other.(*Equivalency)
	if !ok || op != "+" {
		return nil, false, nil
	}
	a, b := e.E, o.E
	if reflected {
		a, b = b, a
	}
	return &Equivalency{units.Equivalency{Name: a.Name + " + " + b.Name, Pairs: append(append([]units.Pair{}, a.Pairs...), b.Pairs...)}}, true, nil
}

var equivalencyType = &obj.Type{Name: "Equivalency", Doc: "Equivalence pairs for unit conversions between kinds (astropy's Equivalency), for .to(unit, equivalencies=...)."}

// Type returns the member table of equivalencies.
func (e *Equivalency) Type() *obj.Type { return equivalencyType }

// MimeBundle shows the equivalency by name.
func (e *Equivalency) MimeBundle() map[string]any {
	return map[string]any{"text/plain": "<Equivalency " + e.E.Name + ">"}
}

// Constant is a constant of astropy.constants: a Quantity with a name, an
// uncertainty and a reference, printed as astropy prints it.
type Constant struct {
	Quantity
	def *units.Constant
}

// newConstant makes the value of a constant of the table.
func newConstant(k *units.Constant) *Constant {
	u, err := units.Parse(k.Unit)
	if err != nil {
		panic("runtime: constant " + k.Name + " has unit " + k.Unit + ": " + err.Error())
	}
	return &Constant{Quantity: Quantity{val: k.Value, unit: u}, def: k}
}

// usable is astropy's refusal to combine e, whose unit differs between unit systems,
// without naming the system.
func (k *Constant) usable() error {
	if k.def.Name == "e" {
		return obj.Errorf(obj.TypeError, "Constant 'e' does not have physically compatible units across all systems of units and cannot be combined with other values without specifying a system (eg. e.emu)")
	}
	return nil
}

// Type returns the member table of constants.
func (k *Constant) Type() *obj.Type { return constantType }

// String is astropy's repr of the constant.
func (k *Constant) String() string { return k.def.Repr }

// Str is astropy's str of the constant.
func (k *Constant) Str() string { return k.def.Str }

// MimeBundle shows astropy's repr.
func (k *Constant) MimeBundle() map[string]any { return map[string]any{"text/plain": k.def.Repr} }

// BinaryOp is Quantity arithmetic, refused for e.
func (k *Constant) BinaryOp(env *obj.Env, op string, other any, reflected bool) (any, bool, error) {
	if err := k.usable(); err != nil {
		return nil, true, err
	}
	q := k.Quantity
	return q.BinaryOp(env, op, other, reflected)
}

var constantType = &obj.Type{Name: "Constant", Doc: "A physical constant of astropy.constants (CODATA 2018, IAU 2015): a Quantity with a name, uncertainty and reference."}

func init() {
	quantityType.Members = quantityMembers()
	text := func(name, doc string, f func(*units.Constant) any) *obj.Member {
		return obj.Attr(name, doc, func(_ *obj.Env, r any) (any, error) { return f(r.(*Constant).def), nil })
	}
	constantType.Members = append(quantityMembers(),
		text("name", "The constant's name.", func(k *units.Constant) any { return k.FullName }),
		text("abbrev", "The constant's symbol.", func(k *units.Constant) any { return k.Abbrev }),
		text("uncertainty", "The standard uncertainty, in the constant's unit.", func(k *units.Constant) any { return k.Uncertainty }),
		text("reference", "Where the value comes from.", func(k *units.Constant) any { return k.Reference }),
		text("system", "The unit system of the value.", func(k *units.Constant) any {
			if k.System == "" {
				return nil
			}
			return k.System
		}),
	)
}
