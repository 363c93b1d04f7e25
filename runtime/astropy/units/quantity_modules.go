package units

// The modules astropy.units, astropy.constants and astropy.visualization, and their
// parent astropy, registered from init as every runtime module is.

import (
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"strconv"
	"strings"
	"sync"

	"gokist/obj"
	"gokist/runtime/units"
)

func init() {
	obj.RegisterUnitMaker(func(s string) (any, error) {
		u, err := units.Parse(s)
		if err != nil {
			return nil, err
		}
		return &UnitValue{u}, nil
	})
	obj.RegisterQuantityMaker(func(value any, unit string) (any, error) {
		u, err := units.Parse(unit)
		if err != nil {
			return nil, err
		}
		return NewQuantity(nil, value, u)
	})
	obj.RegisterModule("astropy.units", func(s obj.ModuleScope) (any, error) { return unitsModule(s), nil })
	obj.RegisterModule("astropy.constants", func(obj.ModuleScope) (any, error) { return constantsModule(), nil })
	obj.RegisterModule("astropy.visualization", func(obj.ModuleScope) (any, error) { return visualizationModule(), nil })
	obj.RegisterModule("astropy", func(s obj.ModuleScope) (any, error) {
		attrs := map[string]any{}
		for _, sub := range obj.ModulePaths() {
			name, ok := strings.CutPrefix(sub, "astropy.")
			if !ok || strings.Contains(name, ".") {
				continue
			}
			v, err := s.Import(sub)
			if err != nil {
				return nil, err
			}
			attrs[name] = v
		}
		return obj.NewModule("astropy", "Astronomy in Python: units, constants and visualization helpers.", attrs), nil
	})
}

var (
	unitAttrsOnce sync.Once
	unitAttrs     map[string]any // the unit names and functions, shared by every session
)

// unitsModule is astropy.units: every unit of the registry by each of its names,
// Quantity, Unit, the equivalencies, and the session's unit error classes.
func unitsModule(s obj.ModuleScope) *obj.Module {
	unitAttrsOnce.Do(func() {
		unitAttrs = map[string]any{}
		for _, name := range units.AllNames() {
			n, _ := units.Lookup(name)
			unitAttrs[name] = &UnitValue{units.Of(n)}
		}
		unitAttrs["dimensionless_unscaled"] = &UnitValue{units.Dimensionless}
		unitAttrs["one"] = &UnitValue{units.Dimensionless}
		unitAttrs["Quantity"] = quantityFunc
		unitAttrs["Unit"] = unitFunc
		unitAttrs["spectral"] = &obj.Func{Name: "spectral", Signature: "spectral()",
			Doc: "Equivalence pairs between wavelength, frequency, energy and wavenumber, for .to(unit, equivalencies=u.spectral()).",
			Call: func(_ *obj.Env, args obj.Args) (any, error) {
				if _, err := args.Bind("spectral", nil); err != nil {
					return nil, err
				}
				return &Equivalency{units.Spectral()}, nil
			}}
		for _, conv := range units.DopplerConventions {
			unitAttrs["doppler_"+conv] = dopplerFunc(conv)
		}
	})
	attrs := make(map[string]any, len(unitAttrs)+3)
	for k, v := range unitAttrs {
		attrs[k] = v
	}
	for _, cls := range []string{"UnitsError", "UnitConversionError", "UnitTypeError"} {
		if v, ok := s.Initial(cls); ok {
			attrs[cls] = v
		}
	}
	return obj.NewModule("astropy.units", "Physical units and quantities, as astropy.units: u.m, u.km / u.s, u.Unit('erg s-1 cm-2'), 10 * u.m, u.spectral().", attrs)
}

// dopplerFunc is u.doppler_<convention>(rest).
func dopplerFunc(conv string) *obj.Func {
	name := "doppler_" + conv
	params := []obj.Param{{Name: "rest"}}
	return &obj.Func{Name: name, Signature: name + "(rest)", Params: params,
		Doc: "Equivalence pairs between velocity (km / s) and frequency, wavelength or energy about the rest value, by the " + conv + " convention.",
		Call: func(env *obj.Env, args obj.Args) (any, error) {
			v, err := args.Bind(name, params)
			if err != nil {
				return nil, err
			}
			return dopplerOf(env, conv, v[0])
		}}
}

// dopplerOf makes the Doppler equivalency of a rest value (a scalar Quantity).
func dopplerOf(env *obj.Env, conv string, rest any) (*Equivalency, error) {
	q, isQ, err := asQuantity(env, rest)
	if err != nil || !isQ {
		return nil, obj.Errorf(units.UnitsError, "The 'rest' value must be a spectral equivalent (frequency, wavelength, or energy).")
	}
	r, ok := toFloat(q.val)
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "the rest value of a Doppler equivalency must be a scalar Quantity")
	}
	e, err := units.Doppler(conv, r, q.unit)
	if err != nil {
		return nil, PythonError(err)
	}
	return &Equivalency{e}, nil
}

var quantityParams = []obj.Param{{Name: "value"}, {Name: "unit", Default: "None"}, {Name: "dtype", Default: "None"}}

// quantityFunc is u.Quantity(value, unit=None, dtype=None).
var quantityFunc = &obj.Func{Name: "Quantity", Signature: "Quantity(value, unit=None, dtype=None)", Params: quantityParams,
	Doc: "A number or array with a unit; value may be a Quantity (converted to unit) or a string such as '3 km'.",
	Call: func(env *obj.Env, args obj.Args) (any, error) {
		v, err := args.Bind("Quantity", quantityParams)
		if err != nil {
			return nil, err
		}
		return makeQuantity(env, v[0], v[1], v[2])
	}}

func makeQuantity(env *obj.Env, value, unitArg, dtype any) (any, error) {
	if s, ok := value.(string); ok {
		num, rest := splitNumber(s)
		f, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return nil, obj.Errorf(obj.TypeError, "Cannot parse \"%s\" as a Quantity. It does not start with a number.", s)
		}
		u, err := units.Parse(strings.TrimSpace(rest))
		if err != nil {
			return nil, PythonError(err)
		}
		value = &Quantity{val: f, unit: u}
	}
	var q *Quantity
	if x, isQ, err := asQuantity(env, value); err != nil {
		return nil, err
	} else if isQ && unitArg != nil {
		if q, err = x.To(env, unitArg, nil); err != nil {
			return nil, err
		}
	} else {
		u := x.unit
		if unitArg != nil {
			if u, err = unitOf("Quantity", unitArg); err != nil {
				return nil, err
			}
		}
		q = &Quantity{val: x.val, unit: u}
	}
	if dtype != nil {
		dt, err := numpy.ParseDType(dtype)
		if err != nil {
			return nil, err
		}
		if dt == lazy.Float32 {
			v, err := mapValue(env, q.val, "astype", func(x float64) float64 { return float64(float32(x)) })
			if err != nil {
				return nil, err
			}
			if f, ok := v.(float64); ok {
				v = float32(f)
			}
			if a, ok := v.(*numpy.NDArray); ok {
				v, err = numpy.PyArray(numpy.ComputeNode(env, lazy.AstypeNode(&lazy.ArrayNode{A: (*lazy.Array)(a)}, lazy.Float32)))
				if err != nil {
					return nil, err
				}
			}
			q = &Quantity{val: v, unit: q.unit}
		}
	}
	return q, nil
}

// splitNumber splits "3.5e2 km / s" into its leading number and the rest.
func splitNumber(s string) (string, string) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && strings.IndexByte("+-.0123456789eE", s[i]) >= 0 {
		if (s[i] == 'e' || s[i] == 'E') && (i+1 >= len(s) || strings.IndexByte("+-0123456789", s[i+1]) < 0) {
			break
		}
		i++
	}
	return s[:i], s[i:]
}

var unitParams = []obj.Param{{Name: "s"}}

// unitFunc is u.Unit(s): a string in astropy's generic format, a unit, or a number.
var unitFunc = &obj.Func{Name: "Unit", Signature: "Unit(s)", Params: unitParams,
	Doc: "A unit from a string such as 'km / s' or 'erg s-1 cm-2', or a number (a dimensionless scale).",
	Call: func(env *obj.Env, args obj.Args) (any, error) {
		v, err := args.Bind("Unit", unitParams)
		if err != nil {
			return nil, err
		}
		if f, ok := toFloat(v[0]); ok {
			if _, isBool := v[0].(bool); !isBool {
				return &UnitValue{units.Scalar(f)}, nil
			}
		}
		if q, ok := v[0].(*Quantity); ok {
			f, ok := toFloat(q.val)
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "only dimensionless scalar quantities can be converted to Python scalars")
			}
			return &UnitValue{units.Scalar(f).Mul(q.unit)}, nil
		}
		u, err := unitOf("Unit", v[0])
		if err != nil {
			return nil, err
		}
		return &UnitValue{u}, nil
	}}

var (
	constantsOnce sync.Once
	constantsMod  *obj.Module
)

// constantsModule is astropy.constants.
func constantsModule() *obj.Module {
	constantsOnce.Do(func() {
		attrs := map[string]any{}
		for _, k := range units.Constants() {
			attrs[k.Name] = newConstant(k)
		}
		constantsMod = obj.NewModule("astropy.constants", "Physical and astronomical constants as astropy 5.2 has them (CODATA 2018, IAU 2015): c, h, k_B, G, M_sun, R_sun, au, ...", attrs)
	})
	return constantsMod
}

// QuantitySupportService is the session flag that plots read to label axes with the
// units of the Quantities they draw: a bool in obj.Env.Services.
const QuantitySupportService = "quantity_support"

// quantitySupport is what quantity_support() returns: calling it turns the support on;
// as a context manager it also turns it back off at the end of the block.
type quantitySupport struct{ before any }

var quantitySupportType = &obj.Type{Name: "MplQuantityConverter", Doc: "Quantity support for plots; a context manager."}

func (q *quantitySupport) Type() *obj.Type { return quantitySupportType }

// Enter keeps the support on for the block.
func (q *quantitySupport) Enter(env *obj.Env) (any, error) {
	setService(env, QuantitySupportService, true)
	return q, nil
}

// Exit restores the state before quantity_support() was called.
func (q *quantitySupport) Exit(env *obj.Env, _ error) error {
	b, _ := q.before.(bool)
	setService(env, QuantitySupportService, b)
	return nil
}

func setService(env *obj.Env, name string, v any) {
	if env != nil && env.Services != nil {
		env.Services[name] = v
	}
}

func visualizationModule() *obj.Module {
	return obj.NewModule("astropy.visualization", "Plotting helpers: quantity_support() labels plot axes with the units of Quantities.", map[string]any{
		"quantity_support": &obj.Func{Name: "quantity_support", Signature: "quantity_support()",
			Doc: "Label plot axes with the units of the Quantities plotted (and convert them to the axis unit). Works as a call and as a context manager: `with quantity_support(): ...`.",
			Call: func(env *obj.Env, args obj.Args) (any, error) {
				if _, err := args.Bind("quantity_support", nil); err != nil {
					return nil, err
				}
				before, _ := env.Service(QuantitySupportService).(bool)
				setService(env, QuantitySupportService, true)
				return &quantitySupport{before: before}, nil
			}},
	})
}
