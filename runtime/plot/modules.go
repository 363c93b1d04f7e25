package plot

import (
	"gokist/obj"
	"gokist/runtime/plot/colors"
	"gokist/runtime/plot/rcparams"
)

// The matplotlib modules a cell imports: matplotlib.pyplot is the session's Pyplot (the
// value bound to `plt` at session start), matplotlib.colors the norms and colour map
// lookups, matplotlib the package holding both.
func init() {
	obj.RegisterModule("matplotlib.pyplot", func(s obj.ModuleScope) (any, error) {
		if v, ok := s.Initial("plt"); ok {
			return v, nil
		}
		return nil, &obj.Error{Class: "ModuleNotFoundError", Msg: "No module named 'matplotlib.pyplot'", Hint: "plotting is not linked into this gokist build"}
	})
	obj.RegisterModule("matplotlib.colors", func(s obj.ModuleScope) (any, error) { return colorsModule, nil })
	obj.RegisterModule("matplotlib", func(s obj.ModuleScope) (any, error) {
		p, err := s.Import("matplotlib.pyplot")
		if err != nil {
			return nil, err
		}
		attrs := map[string]any{"pyplot": p, "colors": colorsModule}
		if pp, ok := p.(*Pyplot); ok {
			attrs["rcParams"] = pp.RC()
			attrs["rc_context"] = rcparams.ContextFunc(pp.RC())
		}
		return obj.NewModule("matplotlib", "Plotting: matplotlib's names, drawn by gokist (pyplot, colors, rcParams, rc_context).", attrs), nil
	})
}

// colorsModule is matplotlib.colors: the norms and the colour map names.
var colorsModule = obj.NewModule("matplotlib.colors", "Colour norms and colour maps, as matplotlib.colors.", map[string]any{
	"Normalize": normConstructor("Normalize", colors.LinearNorm, "Normalize(vmin=None, vmax=None, clip=False)",
		"Map [vmin, vmax] linearly onto [0, 1]; limits left out are the data's.",
		[]obj.Param{{Name: "vmin", Default: "None"}, {Name: "vmax", Default: "None"}, {Name: "clip", Default: "False"}}),
	"LogNorm": normConstructor("LogNorm", colors.LogNorm, "LogNorm(vmin=None, vmax=None, clip=False)",
		"Map [vmin, vmax] onto [0, 1] on a log scale; values <= 0 are masked (transparent).",
		[]obj.Param{{Name: "vmin", Default: "None"}, {Name: "vmax", Default: "None"}, {Name: "clip", Default: "False"}}),
	"CenteredNorm": normConstructor("CenteredNorm", colors.CenteredNorm, "CenteredNorm(vcenter=0, halfrange=None, clip=False)",
		"Map vcenter ± halfrange onto [0, 1] (halfrange: the data's largest distance from vcenter); for diverging maps such as Stokes Q, U, V in RdBu_r.",
		[]obj.Param{{Name: "vcenter", Default: "0"}, {Name: "halfrange", Default: "None"}, {Name: "clip", Default: "False"}}),
	"TwoSlopeNorm": normConstructor("TwoSlopeNorm", colors.TwoSlopeNorm, "TwoSlopeNorm(vcenter, vmin=None, vmax=None)",
		"Map [vmin, vcenter] onto [0, 0.5] and [vcenter, vmax] onto [0.5, 1].",
		[]obj.Param{{Name: "vcenter"}, {Name: "vmin", Default: "None"}, {Name: "vmax", Default: "None"}}),
	"is_color_like": &obj.Func{Name: "is_color_like", Signature: "is_color_like(c)", Doc: "Whether c is a colour matplotlib understands.",
		Params: []obj.Param{{Name: "c"}},
		Call: func(env *obj.Env, args obj.Args) (any, error) {
			vals, err := args.Bind("is_color_like", []obj.Param{{Name: "c"}})
			if err != nil {
				return nil, err
			}
			_, err = colors.ParseColor(vals[0])
			return err == nil, nil
		}},
})

// normConstructor makes the class-like constructor of one norm kind.
func normConstructor(name string, kind colors.NormKind, sig, doc string, params []obj.Param) *obj.Func {
	return &obj.Func{Name: name, Signature: sig, Doc: doc, Params: params,
		Call: func(env *obj.Env, args obj.Args) (any, error) {
			vals, err := args.Bind(name, params)
			if err != nil {
				return nil, err
			}
			return newNorm(name, kind, params, vals)
		}}
}

// newNorm checks a norm's arguments as matplotlib's constructors do.
func newNorm(name string, kind colors.NormKind, params []obj.Param, vals []any) (*colors.Norm, error) {
	n := &colors.Norm{Kind: kind}
	num := func(i int) (*float64, error) {
		if vals[i] == nil {
			return nil, nil
		}
		f, err := floatArg(name, params[i].Name, vals[i])
		if err != nil {
			return nil, err
		}
		return &f, nil
	}
	var err error
	switch kind {
	case colors.LinearNorm, colors.LogNorm:
		if n.Vmin, err = num(0); err != nil {
			return nil, err
		}
		if n.Vmax, err = num(1); err != nil {
			return nil, err
		}
		n.Clip = vals[2] == true
	case colors.CenteredNorm:
		if c, err := num(0); err != nil {
			return nil, err
		} else if c != nil {
			n.Vcenter = *c
		}
		if n.Halfrange, err = num(1); err != nil {
			return nil, err
		}
		n.Clip = vals[2] == true
	case colors.TwoSlopeNorm:
		c, err := num(0)
		if err != nil {
			return nil, err
		}
		if c == nil {
			return nil, obj.Errorf(obj.TypeError, "TwoSlopeNorm() missing 1 required positional argument: 'vcenter'")
		}
		n.Vcenter = *c
		if n.Vmin, err = num(1); err != nil {
			return nil, err
		}
		if n.Vmax, err = num(2); err != nil {
			return nil, err
		}
		if (n.Vmin != nil && n.Vcenter <= *n.Vmin) || (n.Vmax != nil && n.Vcenter >= *n.Vmax) {
			return nil, obj.Errorf(obj.ValueError, "vmin, vcenter, and vmax must be in ascending order")
		}
	}
	return n, nil
}
