package plot

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"

	"gokist/obj"
	"gokist/pyfmt"
	"gokist/runtime/plot/axis"
	"gokist/runtime/plot/colors"
	"gokist/runtime/plot/draw"
)

// The Python face of the artists: Axes methods that pyplot also offers on the current
// axes (axvline, scatter, hist, ...). Each decodes its arguments, checks them all before
// drawing, and adds nothing when it fails.

// axesMethod is an Axes method that plt offers too, drawing on the current axes.
type axesMethod struct {
	name, sig, doc string
	call           func(env *obj.Env, a *draw.Axes, args obj.Args) (any, error)
}

var axesMethods = []axesMethod{
	{"axvline", "axvline(x=0, ymin=0, ymax=1, **kwargs)", "A vertical line at data x across the axes (ymin, ymax as fractions of the height), e.g. a line's rest wavelength.", axvline},
	{"axhline", "axhline(y=0, xmin=0, xmax=1, **kwargs)", "A horizontal line at data y across the axes (xmin, xmax as fractions of the width).", axhline},
	{"axvspan", "axvspan(xmin, xmax, ymin=0, ymax=1, **kwargs)", "A vertical band from data xmin to xmax (color, alpha, label).", axvspan},
	{"axhspan", "axhspan(ymin, ymax, xmin=0, xmax=1, **kwargs)", "A horizontal band from data ymin to ymax (color, alpha, label).", axhspan},
	{"scatter", "scatter(x, y, s=None, c=None, marker='o', cmap=None, norm=None, vmin=None, vmax=None, alpha=None, label=None)", "Markers at (x, y): s is the marker area in points², c a colour or values mapped through cmap (then fig.colorbar(sc) shows them).", scatterCall},
	{"fill_between", "fill_between(x, y1, y2=0, where=None, color=None, alpha=None, label=None, step=None)", "Fill the area between y1 and y2 (where True).", fillBetween},
	{"bar", "bar(x, height, width=0.8, bottom=0, align='center', color=None, edgecolor=None, linewidth=0, label=None, alpha=None)", "Bars of the given heights centred on x (align='edge': starting at x).", barCall(false)},
	{"barh", "barh(y, width, height=0.8, left=0, align='center', color=None, edgecolor=None, linewidth=0, label=None, alpha=None)", "Horizontal bars.", barCall(true)},
	{"hist", "hist(x, bins=10, range=None, density=False, weights=None, histtype='bar', color=None, alpha=None, label=None, edgecolor=None, linewidth=None)", "Histogram of x: returns (n, bins, patches) as matplotlib; histtype 'bar', 'step' or 'stepfilled'.", histCall},
	{"step", "step(x, y, [fmt], where='pre', **kwargs)", "A step line: where 'pre' (y[i] from x[i-1] to x[i]), 'post' or 'mid'.", stepCall},
	{"errorbar", "errorbar(x, y, yerr=None, xerr=None, fmt='', ecolor=None, elinewidth=None, capsize=0, label=None, **kwargs)", "A line (fmt, as plot) with error bars; yerr/xerr a number, an array or a (lower, upper) pair.", errorbarCall},
	{"text", "text(x, y, s, fontsize=None, color='k', ha='left', va='baseline', transform=None)", "Text at data (x, y), or at axes fractions with transform=ax.transAxes.", textCall},
	{"annotate", "annotate(text, xy, xytext=None, arrowprops=None, fontsize=None, color='k', ha='left', va='baseline')", "Text at xytext (default xy) with an arrow to xy when arrowprops is given.", annotateCall},
	{"semilogy", "semilogy(*args, **kwargs)", "plot() with a log y axis.", logPlot(false, true)},
	{"semilogx", "semilogx(*args, **kwargs)", "plot() with a log x axis.", logPlot(true, false)},
	{"loglog", "loglog(*args, **kwargs)", "plot() with log x and y axes.", logPlot(true, true)},
	{"pcolormesh", "pcolormesh([X, Y,] C, cmap=None, norm=None, vmin=None, vmax=None, shading='auto')", "C as coloured cells on the rectilinear grid X, Y (cell edges or centres).", pcolormeshCall},
	{"contour", "contour([X, Y,] Z, levels=None, colors=None, cmap=None, linewidths=None)", "Contour lines of Z at levels (a number of levels or their values).", contourCall(false)},
	{"contourf", "contourf([X, Y,] Z, levels=None, cmap=None, norm=None, vmin=None, vmax=None)", "Filled contours of Z between levels.", contourCall(true)},
}

// methodMembers makes the Axes members of axesMethods.
func methodMembers() []*obj.Member {
	out := make([]*obj.Member, len(axesMethods))
	for i, m := range axesMethods {
		out[i] = &obj.Member{Name: m.name, Signature: m.sig, Doc: m.doc,
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				a := recv.(*draw.Axes)
				v, err := m.call(env, a, args)
				if err != nil {
					return nil, a.Rejected(err)
				}
				return v, nil
			}}
	}
	return out
}

// pyplotMethodMembers makes the plt members of axesMethods, on the current axes.
func pyplotMethodMembers() []*obj.Member {
	out := make([]*obj.Member, len(axesMethods))
	for i, m := range axesMethods {
		out[i] = &obj.Member{Name: m.name, Signature: m.sig, Doc: m.doc + " Draws on the current axes.",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				var v any
				_, err := recv.(*Pyplot).DrawOnGCA(func(a *draw.Axes) (err error) {
					v, err = m.call(env, a, args)
					return err
				})
				return v, err
			}}
	}
	return out
}

// Artist is the handle a drawing call returns (matplotlib's Line2D, PathCollection,
// BarContainer, ...): a plot handle that colorbar() takes when it is a mappable.
type Artist struct {
	kind string
	ax   *draw.Axes
	ar   draw.Artist   // nil for images
	m    draw.Mappable // what a colour bar of it shows; nil when it is not a mappable
}

var artistType = &obj.Type{Name: "Artist", Doc: "What a drawing call made (a line, collection, patch or text); pass a scatter's to colorbar()."}

// Type implements obj.Object.
func (h *Artist) Type() *obj.Type { return artistType }

// IsPlotHandle marks an artist as a plot handle.
func (h *Artist) IsPlotHandle() bool { return true }

// String is a matplotlib-like repr, e.g. "<matplotlib.collections.PathCollection object>".
func (h *Artist) String() string { return "<matplotlib." + h.kind + " object>" }

// MimeBundle implements obj.MimeBundler.
func (h *Artist) MimeBundle() map[string]any { return map[string]any{"text/plain": h.String()} }

// Transform is ax.transAxes: text() placed with it takes axes fractions.
type Transform struct{ ax *draw.Axes }

var transformType = &obj.Type{Name: "Transform", Doc: "ax.transAxes: coordinates as fractions of the axes (0, 0 bottom left; 1, 1 top right)."}

// Type implements obj.Object.
func (t *Transform) Type() *obj.Type { return transformType }

// String is the repr.
func (t *Transform) String() string { return "<matplotlib.transforms.BboxTransformTo object>" }

// kwStyle reads the common style keywords of patches and lines: color, alpha, label,
// linestyle, linewidth, edgecolor.
type kwStyle struct {
	color, edge     *color.NRGBA
	alpha           float64
	label           string
	dash            draw.DashKind
	width           *float64
	hasDash         bool
	facecolorForBar bool
}

func readStyle(k *kwargs) (kwStyle, error) {
	st := kwStyle{alpha: 1}
	if v := k.get("color", "c", "facecolor", "fc"); v != nil {
		c, err := colors.ParseColor(v)
		if err != nil {
			return st, err
		}
		st.color = &c
	}
	if v := k.get("edgecolor", "ec"); v != nil {
		c, err := colors.ParseColor(v)
		if err != nil {
			return st, err
		}
		st.edge = &c
	}
	if f, err := k.float("alpha"); err != nil {
		return st, err
	} else if f != nil {
		if *f < 0 || *f > 1 {
			return st, obj.Errorf(obj.ValueError, "alpha (%s) is outside 0-1 range", draw.PyStr(k.get("alpha")))
		}
		st.alpha = *f
	}
	if v := k.get("label"); v != nil {
		s, err := textArg(k.fn, "label", v)
		if err != nil {
			return st, err
		}
		st.label = s
	}
	if s, err := k.str("linestyle", "ls"); err != nil {
		return st, err
	} else if s != "" {
		d, err := draw.ParseLineStyle(s)
		if err != nil {
			return st, err
		}
		st.dash, st.hasDash = d, true
	}
	if f, err := k.float("linewidth", "lw"); err != nil {
		return st, err
	} else if f != nil {
		if err := draw.CheckPoints("linewidth", *f, draw.MaxLineWidth, 1.5); err != nil {
			return st, err
		}
		st.width = f
	}
	return st, nil
}

// withAlpha scales a colour's opacity.
func withAlpha(c color.NRGBA, alpha float64) color.NRGBA {
	c.A = uint8(math.Round(float64(c.A) * alpha))
	return c
}

var styleKeywords = []string{"color", "c", "facecolor", "fc", "edgecolor", "ec", "alpha", "label", "linestyle", "ls", "linewidth", "lw", "zorder"}

func withStyle(names ...string) []string { return append(names, styleKeywords...) }

// bind reads named parameters (positional or keyword) out of args, leaving the other
// keywords for newKwargs; it is Args.Bind for functions with **kwargs.
func bind(fn string, args obj.Args, params []obj.Param, extra []string) ([]any, *kwargs, error) {
	names := make([]string, len(params))
	for i, p := range params {
		names[i] = p.Name
	}
	k, err := newKwargs(fn, args.Kw, append(names, extra...)...)
	if err != nil {
		return nil, nil, err
	}
	own := obj.Args{Pos: args.Pos, Kw: map[string]any{}}
	rest := map[string]any{}
	for key, v := range args.Kw {
		if contains(names, key) {
			own.Kw[key] = v
		} else {
			rest[key] = v
		}
	}
	vals, err := own.Bind(fn, params)
	if err != nil {
		return nil, nil, err
	}
	k.kw = rest
	return vals, k, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fracArg reads an axes fraction (ymin=0, ymax=1 of axvline).
func fracArg(fn, name string, v any, def float64) (float64, error) {
	if v == nil {
		return def, nil
	}
	return floatArg(fn, name, v)
}

func refLineCall(fn string, vertical bool) func(env *obj.Env, a *draw.Axes, args obj.Args) (any, error) {
	pos, from, to := "x", "ymin", "ymax"
	if !vertical {
		pos, from, to = "y", "xmin", "xmax"
	}
	return func(env *obj.Env, a *draw.Axes, args obj.Args) (any, error) {
		vals, k, err := bind(fn, args, []obj.Param{{Name: pos, Default: "0"}, {Name: from, Default: "0"}, {Name: to, Default: "1"}}, lineKeywords)
		if err != nil {
			return nil, err
		}
		at, err := fracArg(fn, pos, vals[0], 0)
		if err != nil {
			return nil, err
		}
		f0, err := fracArg(fn, from, vals[1], 0)
		if err != nil {
			return nil, err
		}
		f1, err := fracArg(fn, to, vals[2], 1)
		if err != nil {
			return nil, err
		}
		style, err := styleFromKwargs(k, draw.FormatSpec{})
		if err != nil {
			return nil, err
		}
		if style.Color == "" {
			style.Color = "C0" // rcParams['lines.color'], not the cycle, as matplotlib
		}
		s, err := draw.PrepareLine([]float64{at}, []float64{0}, style)
		if err != nil {
			return nil, err
		}
		if s.Width == 0 {
			s.Width, _ = a.LineDefaults()
		}
		if !draw.IsFinite(at) {
			return nil, obj.Errorf(obj.ValueError, "%s(): %s must be a finite number, got %s", fn, pos, pyfmt.Float(at))
		}
		ar := &draw.RefLine{Vertical: vertical, At: at, From: f0, To: f1, Style: s}
		a.AddArtist(ar)
		return &Artist{kind: "lines.Line2D", ax: a, ar: ar}, nil
	}
}

var (
	axvline = refLineCall("axvline", true)
	axhline = refLineCall("axhline", false)
	axvspan = spanCall("axvspan", true)
	axhspan = spanCall("axhspan", false)
)

func spanCall(fn string, vertical bool) func(env *obj.Env, a *draw.Axes, args obj.Args) (any, error) {
	names := [4]string{"xmin", "xmax", "ymin", "ymax"}
	if !vertical {
		names = [4]string{"ymin", "ymax", "xmin", "xmax"}
	}
	return func(env *obj.Env, a *draw.Axes, args obj.Args) (any, error) {
		vals, k, err := bind(fn, args, []obj.Param{{Name: names[0]}, {Name: names[1]}, {Name: names[2], Default: "0"}, {Name: names[3], Default: "1"}}, styleKeywords)
		if err != nil {
			return nil, err
		}
		var v [4]float64
		for i, def := range []float64{0, 0, 0, 1} {
			if v[i], err = fracArg(fn, names[i], vals[i], def); err != nil {
				return nil, err
			}
		}
		st, err := readStyle(k)
		if err != nil {
			return nil, err
		}
		ps := draw.PatchStyle{Face: colors.ColorCycle[0], Label: st.label} // rcParams['patch.facecolor'] is C0
		if st.color != nil {
			ps.Face = *st.color
		}
		ps.Face = withAlpha(ps.Face, st.alpha)
		if st.edge != nil {
			ps.Edge, ps.EdgeWidth = withAlpha(*st.edge, st.alpha), 1
		}
		ar := &draw.SpanPatch{Vertical: vertical, V0: v[0], V1: v[1], From: v[2], To: v[3], Style: ps}
		a.AddArtist(ar)
		return &Artist{kind: "patches.Polygon", ax: a, ar: ar}, nil
	}
}

// floats reads a data argument as float64 values and shape.
func floats(env *obj.Env, fn, name string, v any) ([]float64, []int, error) {
	return ToFloat64s(env, fn+"() "+name, v)
}

// broadcast1 gives n values from a scalar or n values, else matplotlib's shape error.
func broadcast1(fn, name string, vals []float64, n int) ([]float64, error) {
	switch len(vals) {
	case n:
		return vals, nil
	case 1:
		out := make([]float64, n)
		for i := range out {
			out[i] = vals[0]
		}
		return out, nil
	}
	return nil, obj.Errorf(obj.ValueError, "%s(): %s has %d values, which does not match the %d of x; shape mismatch: objects cannot be broadcast to a single shape", fn, name, len(vals), n)
}

func scatterCall(env *obj.Env, a *draw.Axes, args obj.Args) (any, error) {
	const fn = "scatter"
	vals, k, err := bind(fn, args, []obj.Param{{Name: "x"}, {Name: "y"}, {Name: "s", Default: "None"}, {Name: "c", Default: "None"},
		{Name: "marker", Default: "'o'"}, {Name: "cmap", Default: "None"}, {Name: "norm", Default: "None"}, {Name: "vmin", Default: "None"},
		{Name: "vmax", Default: "None"}, {Name: "alpha", Default: "None"}}, []string{"label", "color", "edgecolors", "edgecolor", "linewidths", "zorder", "facecolor"})
	if err != nil {
		return nil, err
	}
	if vals[0] == nil || vals[1] == nil {
		return nil, obj.Errorf(obj.TypeError, "scatter() missing 2 required positional arguments: 'x' and 'y'")
	}
	marker := "o"
	if vals[4] != nil {
		if marker, err = stringArg(fn, "marker", vals[4]); err != nil {
			return nil, err
		}
		if err := draw.CheckMarker(marker); err != nil {
			return nil, err
		}
	}
	cmapName, err := optString(fn, "cmap", vals[5])
	if err != nil {
		return nil, err
	}
	cm, err := colors.LookupColormap(cmapName)
	if err != nil {
		return nil, err
	}
	norm, err := colors.NormArg(fn, vals[6])
	if err != nil {
		return nil, err
	}
	vmin, err := optFloatArg(fn, "vmin", vals[7])
	if err != nil {
		return nil, err
	}
	vmax, err := optFloatArg(fn, "vmax", vals[8])
	if err != nil {
		return nil, err
	}
	if norm != nil && (vmin != nil || vmax != nil) {
		return nil, obj.Errorf(obj.ValueError, "Passing a Normalize instance simultaneously with vmin/vmax is not supported.  Please pass vmin/vmax directly to the norm when creating it.")
	}
	alpha := 1.0
	if f, err := optFloatArg(fn, "alpha", vals[9]); err != nil {
		return nil, err
	} else if f != nil {
		alpha = *f
	}
	label := ""
	if v := k.get("label"); v != nil {
		if label, err = textArg(fn, "label", v); err != nil {
			return nil, err
		}
	}
	x, _, err := floats(env, fn, "x", vals[0])
	if err != nil {
		return nil, err
	}
	y, _, err := floats(env, fn, "y", vals[1])
	if err != nil {
		return nil, err
	}
	if len(x) != len(y) {
		return nil, obj.Errorf(obj.ValueError, "x and y must be the same size")
	}
	sa := &draw.ScatterArtist{X: x, Y: y, Sizes: []float64{36}, Cmap: cm, Alpha: alpha, Marker: marker, Label: label}
	unitLabels(a, env, vals[:2])
	if vals[2] != nil {
		s, _, err := floats(env, fn, "s", vals[2])
		if err != nil {
			return nil, err
		}
		if sa.Sizes, err = broadcast1(fn, "s", s, len(x)); err != nil {
			return nil, err
		}
	}
	c := vals[3]
	if c == nil {
		c = k.get("color", "facecolor")
	}
	if err := setColors(sa, env, a, c, norm, vmin, vmax); err != nil {
		return nil, err
	}
	a.AddArtist(sa)
	h := &Artist{kind: "collections.PathCollection", ax: a, ar: sa}
	if sa.Values != nil {
		h.m = sa
	}
	return h, nil
}

// setColors decodes scatter's c: none (the next patch colour), one colour, a list of
// colours, or values (as many as points) mapped through the colour map.
func setColors(s *draw.ScatterArtist, env *obj.Env, a *draw.Axes, c any, norm *colors.Norm, vmin, vmax *float64) error {
	if c == nil {
		s.Colors = []color.NRGBA{a.NextPatchColor()}
		return nil
	}
	// Numbers, one per point, are values to map even when there are 3 or 4 of them
	// (which would also read as an RGB(A) colour), as matplotlib decides.
	if _, isStr := c.(string); !isStr {
		if v, _, err := ToFloat64s(env, "scatter() c", c); err == nil && len(v) == len(s.X) {
			return mapValues(s, v, norm, vmin, vmax)
		}
	}
	if col, err := colors.ParseColor(c); err == nil {
		s.Colors = []color.NRGBA{col}
		return nil
	}
	if l, ok := c.(obj.List); ok && len(l) > 0 {
		if _, isStr := l[0].(string); isStr {
			for _, it := range l {
				col, err := colors.ParseColor(it)
				if err != nil {
					return err
				}
				s.Colors = append(s.Colors, col)
			}
			if len(s.Colors) != len(s.X) && len(s.Colors) != 1 {
				return obj.Errorf(obj.ValueError, "'c' argument has %d elements, which is inconsistent with 'x' and 'y' with size %d.", len(s.Colors), len(s.X))
			}
			return nil
		}
	}
	v, _, err := ToFloat64s(env, "scatter() c", c)
	if err != nil {
		return obj.Errorf(obj.ValueError, "'c' argument must be a color, a sequence of colors, or a sequence of numbers, not %s", obj.TypeName(c))
	}
	if len(v) != len(s.X) {
		return obj.Errorf(obj.ValueError, "'c' argument has %d elements, which is inconsistent with 'x' and 'y' with size %d.", len(v), len(s.X))
	}
	return mapValues(s, v, norm, vmin, vmax)
}

// mapValues colours the points by values through the colour map and norm.
func mapValues(s *draw.ScatterArtist, v []float64, norm *colors.Norm, vmin, vmax *float64) error {
	var err error
	s.Values = v
	if _, _, ok := colors.FiniteRange(v); !ok {
		s.Scale = colors.LinearScaler(0, 1)
		return nil
	}
	s.Scale, err = colors.ResolveNorm(norm, vmin, vmax, v)
	return err
}

func optString(fn, name string, v any) (string, error) {
	if v == nil {
		return "", nil
	}
	return stringArg(fn, name, v)
}

func optFloatArg(fn, name string, v any) (*float64, error) {
	if v == nil {
		return nil, nil
	}
	f, err := floatArg(fn, name, v)
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// patchStyleOf resolves a patch style from keywords with def as the default face.
func patchStyleOf(st kwStyle, def color.NRGBA) draw.PatchStyle {
	ps := draw.PatchStyle{Face: def, Label: st.label, Dash: st.dash}
	if st.color != nil {
		ps.Face = *st.color
	}
	ps.Face = withAlpha(ps.Face, st.alpha)
	if st.edge != nil {
		ps.Edge = withAlpha(*st.edge, st.alpha)
		ps.EdgeWidth = 1
	}
	if st.width != nil {
		ps.EdgeWidth = *st.width
	}
	return ps
}

func fillBetween(env *obj.Env, a *draw.Axes, args obj.Args) (any, error) {
	const fn = "fill_between"
	vals, k, err := bind(fn, args, []obj.Param{{Name: "x"}, {Name: "y1"}, {Name: "y2", Default: "0"}, {Name: "where", Default: "None"},
		{Name: "interpolate", Default: "False"}, {Name: "step", Default: "None"}}, styleKeywords)
	if err != nil {
		return nil, err
	}
	if vals[0] == nil || vals[1] == nil {
		return nil, obj.Errorf(obj.TypeError, "fill_between() missing required arguments 'x' and 'y1'")
	}
	st, err := readStyle(k)
	if err != nil {
		return nil, err
	}
	x, _, err := floats(env, fn, "x", vals[0])
	if err != nil {
		return nil, err
	}
	y1, _, err := floats(env, fn, "y1", vals[1])
	if err != nil {
		return nil, err
	}
	y2 := []float64{0}
	if vals[2] != nil {
		if y2, _, err = floats(env, fn, "y2", vals[2]); err != nil {
			return nil, err
		}
	}
	if y1, err = broadcast1(fn, "y1", y1, len(x)); err != nil {
		return nil, err
	}
	if y2, err = broadcast1(fn, "y2", y2, len(x)); err != nil {
		return nil, err
	}
	where := make([]bool, len(x))
	for i := range where {
		where[i] = true
	}
	if vals[3] != nil {
		w, _, err := floats(env, fn, "where", vals[3])
		if err != nil {
			return nil, err
		}
		if len(w) != len(x) {
			return nil, obj.Errorf(obj.ValueError, "where size (%d) does not match x size (%d)", len(w), len(x))
		}
		for i := range w {
			where[i] = w[i] != 0
		}
	}
	g := &draw.Polygons{Style: patchStyleOf(st, colors.ColorCycle[a.PatchCycle%len(colors.ColorCycle)])}
	if st.edge == nil {
		g.Style.Edge, g.Style.EdgeWidth = g.Style.Face, 1 // edgecolor 'face', as matplotlib's collection
	}
	for i := 0; i < len(x); {
		if !where[i] || !draw.IsFinite(x[i]) || !draw.IsFinite(y1[i]) || !draw.IsFinite(y2[i]) {
			i++
			continue
		}
		j := i
		for j < len(x) && where[j] && draw.IsFinite(x[j]) && draw.IsFinite(y1[j]) && draw.IsFinite(y2[j]) {
			j++
		}
		var poly []plotter.XY
		for m := i; m < j; m++ {
			poly = append(poly, plotter.XY{X: x[m], Y: y1[m]})
		}
		for m := j - 1; m >= i; m-- {
			poly = append(poly, plotter.XY{X: x[m], Y: y2[m]})
		}
		g.Polys = append(g.Polys, poly)
		i = j
	}
	a.NextPatchColor()
	a.AddArtist(g)
	return &Artist{kind: "collections.PolyCollection", ax: a, ar: g}, nil
}

func barCall(horizontal bool) func(env *obj.Env, a *draw.Axes, args obj.Args) (any, error) {
	fn, names := "bar", [4]string{"x", "height", "width", "bottom"}
	if horizontal {
		fn, names = "barh", [4]string{"y", "width", "height", "left"}
	}
	return func(env *obj.Env, a *draw.Axes, args obj.Args) (any, error) {
		vals, k, err := bind(fn, args, []obj.Param{{Name: names[0]}, {Name: names[1]}, {Name: names[2], Default: "0.8"}, {Name: names[3], Default: "None"},
			{Name: "align", Default: "'center'"}}, withStyle("tick_label"))
		if err != nil {
			return nil, err
		}
		if vals[0] == nil || vals[1] == nil {
			return nil, obj.Errorf(obj.TypeError, "%s() missing required arguments '%s' and '%s'", fn, names[0], names[1])
		}
		st, err := readStyle(k)
		if err != nil {
			return nil, err
		}
		align := "center"
		if vals[4] != nil {
			if align, err = stringArg(fn, "align", vals[4]); err != nil {
				return nil, err
			}
			if align != "center" && align != "edge" {
				return nil, obj.Errorf(obj.ValueError, "%s is not a valid value for align; supported values are 'center', 'edge'", draw.PyQuote(align))
			}
		}
		pos, _, err := floats(env, fn, names[0], vals[0])
		if err != nil {
			return nil, err
		}
		n := len(pos)
		get := func(i int, def float64) ([]float64, error) {
			if vals[i] == nil {
				return broadcast1(fn, names[i], []float64{def}, n)
			}
			v, _, err := floats(env, fn, names[i], vals[i])
			if err != nil {
				return nil, err
			}
			return broadcast1(fn, names[i], v, n)
		}
		size, err := get(1, 0)
		if err != nil {
			return nil, err
		}
		thick, err := get(2, 0.8)
		if err != nil {
			return nil, err
		}
		base, err := get(3, 0)
		if err != nil {
			return nil, err
		}
		g := &draw.Polygons{Style: patchStyleOf(st, a.NextPatchColor())}
		for i := range pos {
			lo := pos[i] - thick[i]/2
			if align == "edge" {
				lo = pos[i]
			}
			hi := lo + thick[i]
			b, t := base[i], base[i]+size[i]
			rect := []plotter.XY{{X: lo, Y: b}, {X: hi, Y: b}, {X: hi, Y: t}, {X: lo, Y: t}}
			if horizontal {
				rect = []plotter.XY{{X: b, Y: lo}, {X: b, Y: hi}, {X: t, Y: hi}, {X: t, Y: lo}}
				g.StickyX = append(g.StickyX, b)
			} else {
				g.StickyY = append(g.StickyY, b)
			}
			g.Polys = append(g.Polys, rect)
		}
		a.AddArtist(g)
		return &Artist{kind: "container.BarContainer", ax: a, ar: g}, nil
	}
}

// histogram counts values into bins as numpy.histogram: bins of [e_i, e_{i+1}), the last
// one closed; NaNs are left out.
func histogram(data, weights, edges []float64) []float64 {
	n := make([]float64, len(edges)-1)
	lo, hi := edges[0], edges[len(edges)-1]
	for i, v := range data {
		if !(v >= lo && v <= hi) {
			continue
		}
		// Binary search for the bin: the last edge <= v.
		a, b := 0, len(edges)-1
		for b-a > 1 {
			m := (a + b) / 2
			if edges[m] <= v {
				a = m
			} else {
				b = m
			}
		}
		w := 1.0
		if weights != nil {
			w = weights[i]
		}
		n[a] += w
	}
	return n
}

func histCall(env *obj.Env, a *draw.Axes, args obj.Args) (any, error) {
	const fn = "hist"
	vals, k, err := bind(fn, args, []obj.Param{{Name: "x"}, {Name: "bins", Default: "10"}, {Name: "range", Default: "None"}, {Name: "density", Default: "False"},
		{Name: "weights", Default: "None"}, {Name: "cumulative", Default: "False"}, {Name: "bottom", Default: "None"}, {Name: "histtype", Default: "'bar'"}}, withStyle("rwidth", "log", "orientation", "align"))
	if err != nil {
		return nil, err
	}
	if vals[0] == nil {
		return nil, obj.Errorf(obj.TypeError, "hist() missing 1 required positional argument: 'x'")
	}
	st, err := readStyle(k)
	if err != nil {
		return nil, err
	}
	histtype := "bar"
	if vals[7] != nil {
		if histtype, err = stringArg(fn, "histtype", vals[7]); err != nil {
			return nil, err
		}
	}
	switch histtype {
	case "bar", "barstacked", "step", "stepfilled":
	default:
		return nil, obj.Errorf(obj.ValueError, "%s is not a valid value for histtype; supported values are 'bar', 'barstacked', 'step', 'stepfilled'", draw.PyQuote(histtype))
	}
	data, _, err := floats(env, fn, "x", vals[0])
	if err != nil {
		return nil, err
	}
	var weights []float64
	if vals[4] != nil {
		if weights, _, err = floats(env, fn, "weights", vals[4]); err != nil {
			return nil, err
		}
		if len(weights) != len(data) {
			return nil, obj.Errorf(obj.ValueError, "weights should have the same shape as x")
		}
	}
	edges, err := histEdges(env, data, vals[1], vals[2])
	if err != nil {
		return nil, err
	}
	n := histogram(data, weights, edges)
	if vals[5] == true {
		for i := 1; i < len(n); i++ {
			n[i] += n[i-1]
		}
	}
	if vals[3] == true {
		total := 0.0
		for _, c := range n {
			total += c
		}
		if vals[5] == true {
			total = n[len(n)-1]
		}
		for i := range n {
			if vals[5] == true {
				n[i] /= total
			} else {
				n[i] /= total * (edges[i+1] - edges[i])
			}
		}
	}
	face := a.NextPatchColor()
	g := &draw.Polygons{Style: patchStyleOf(st, face), StickyY: []float64{0}}
	switch histtype {
	case "step", "stepfilled":
		var outline []plotter.XY
		for i := range n {
			outline = append(outline, plotter.XY{X: edges[i], Y: n[i]}, plotter.XY{X: edges[i+1], Y: n[i]})
		}
		if histtype == "step" {
			g.Open = true
			outline = append([]plotter.XY{{X: edges[0], Y: 0}}, append(outline, plotter.XY{X: edges[len(edges)-1], Y: 0})...)
			g.Style.Edge, g.Style.EdgeWidth = g.Style.Face, 1.5
			g.Style.Face = color.NRGBA{}
			if st.width != nil {
				g.Style.EdgeWidth = *st.width
			}
		} else {
			outline = append(outline, plotter.XY{X: edges[len(edges)-1], Y: 0}, plotter.XY{X: edges[0], Y: 0})
		}
		g.Polys = [][]plotter.XY{outline}
	default:
		for i := range n {
			g.Polys = append(g.Polys, []plotter.XY{{X: edges[i], Y: 0}, {X: edges[i+1], Y: 0}, {X: edges[i+1], Y: n[i]}, {X: edges[i], Y: n[i]}})
		}
	}
	a.AddArtist(g)
	nl, bl := make(obj.List, len(n)), make(obj.List, len(edges))
	for i, v := range n {
		nl[i] = v
	}
	for i, v := range edges {
		bl[i] = v
	}
	return obj.Tuple{nl, bl, &Artist{kind: "container.BarContainer", ax: a, ar: g}}, nil
}

// histEdges are the bin edges of hist: bins equal bins over range (default the data's
// finite range, widened by 0.5 each side when it is one value), or given edges.
func histEdges(env *obj.Env, data []float64, bins, rng any) ([]float64, error) {
	if bins != nil {
		if _, isInt := bins.(int); !isInt {
			e, _, err := ToFloat64s(env, "hist() bins", bins)
			if err != nil {
				return nil, err
			}
			if len(e) < 2 {
				return nil, obj.Errorf(obj.ValueError, "`bins` must have at least 2 edges, got %d", len(e))
			}
			for i := 1; i < len(e); i++ {
				if !(e[i] > e[i-1]) {
					return nil, obj.Errorf(obj.ValueError, "`bins` must increase monotonically, when an array")
				}
			}
			return e, nil
		}
	}
	nb := 10
	if b, ok := bins.(int); ok {
		nb = b
	}
	if nb < 1 {
		return nil, obj.Errorf(obj.ValueError, "`bins` must be positive, when an integer")
	}
	lo, hi, ok := colors.FiniteRange(data)
	if rng != nil {
		var err error
		if lo, hi, err = pairArg("hist", "range", rng); err != nil {
			return nil, err
		}
		if lo > hi {
			return nil, obj.Errorf(obj.ValueError, "max must be larger than min in range parameter.")
		}
	} else if !ok {
		lo, hi = 0, 1
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	edges := make([]float64, nb+1)
	for i := range edges {
		edges[i] = lo + (hi-lo)*float64(i)/float64(nb)
	}
	edges[nb] = hi
	return edges, nil
}

func stepCall(env *obj.Env, a *draw.Axes, args obj.Args) (any, error) {
	where := "pre"
	kw := map[string]any{}
	for key, v := range args.Kw {
		if key == "where" {
			s, err := stringArg("step", "where", v)
			if err != nil {
				return nil, err
			}
			where = s
			continue
		}
		kw[key] = v
	}
	if where != "pre" && where != "post" && where != "mid" {
		return nil, obj.Errorf(obj.ValueError, "%s is not a valid value for where; supported values are 'pre', 'post', 'mid'", draw.PyQuote(where))
	}
	before := len(a.Lines)
	if err := plotArgs(a, env, obj.Args{Pos: args.Pos, Kw: kw}); err != nil {
		return nil, err
	}
	for _, l := range a.Lines[before:] {
		l.X, l.Y = stepPoints(l.X, l.Y, where)
	}
	return a, nil
}

// stepPoints are the vertices of a step line, as matplotlib's pts_to_prestep,
// pts_to_poststep and pts_to_midstep.
func stepPoints(x, y []float64, where string) ([]float64, []float64) {
	n := len(x)
	if n < 2 {
		return x, y
	}
	var sx, sy []float64
	switch where {
	case "pre":
		sx, sy = []float64{x[0]}, []float64{y[0]}
		for i := 1; i < n; i++ {
			sx = append(sx, x[i-1], x[i])
			sy = append(sy, y[i], y[i])
		}
	case "post":
		sx, sy = []float64{x[0]}, []float64{y[0]}
		for i := 1; i < n; i++ {
			sx = append(sx, x[i], x[i])
			sy = append(sy, y[i-1], y[i])
		}
	default:
		sx, sy = []float64{x[0]}, []float64{y[0]}
		for i := 1; i < n; i++ {
			m := (x[i-1] + x[i]) / 2
			sx = append(sx, m, m)
			sy = append(sy, y[i-1], y[i])
		}
		sx, sy = append(sx, x[n-1]), append(sy, y[n-1])
	}
	return sx, sy
}

func logPlot(logX, logY bool) func(env *obj.Env, a *draw.Axes, args obj.Args) (any, error) {
	return func(env *obj.Env, a *draw.Axes, args obj.Args) (any, error) {
		if err := plotArgs(a, env, args); err != nil {
			return nil, err
		}
		if logX {
			a.Xscale = axis.Scale{Kind: axis.LogScale}
		}
		if logY {
			a.Yscale = axis.Scale{Kind: axis.LogScale}
		}
		return a, nil
	}
}

// errSpans reads an error argument: a number, n values (symmetric) or 2×n (lower,
// upper), as matplotlib's errorbar; negative errors are its ValueError.
func errSpans(env *obj.Env, name string, v any, n int) (lower, upper []float64, err error) {
	if v == nil {
		return nil, nil, nil
	}
	vals, shape, err := ToFloat64s(env, "errorbar() "+name, v)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case len(shape) == 0 || len(vals) == 1:
		lower, _ = broadcast1("errorbar", name, vals[:1], n)
		upper = lower
	case len(shape) == 1 && shape[0] == n:
		lower, upper = vals, vals
	case len(shape) == 2 && shape[0] == 2 && shape[1] == n:
		lower, upper = vals[:n], vals[n:]
	default:
		return nil, nil, obj.Errorf(obj.ValueError, "'%s' (shape: %s) must be a scalar or a 1D or (2, n) array-like whose shape matches 'y' (shape: (%d,))", name, shapeText(shape), n)
	}
	for i := range lower {
		if lower[i] < 0 || upper[i] < 0 {
			return nil, nil, obj.Errorf(obj.ValueError, "'%s' must not contain negative values", name)
		}
	}
	return lower, upper, nil
}

func errorbarCall(env *obj.Env, a *draw.Axes, args obj.Args) (any, error) {
	const fn = "errorbar"
	vals, k, err := bind(fn, args, []obj.Param{{Name: "x"}, {Name: "y"}, {Name: "yerr", Default: "None"}, {Name: "xerr", Default: "None"},
		{Name: "fmt", Default: "''"}, {Name: "ecolor", Default: "None"}, {Name: "elinewidth", Default: "None"}, {Name: "capsize", Default: "None"}}, lineKeywords)
	if err != nil {
		return nil, err
	}
	if vals[0] == nil || vals[1] == nil {
		return nil, obj.Errorf(obj.TypeError, "errorbar() missing required arguments 'x' and 'y'")
	}
	fmtStr := ""
	if vals[4] != nil {
		if fmtStr, err = stringArg(fn, "fmt", vals[4]); err != nil {
			return nil, err
		}
	}
	x, _, err := floats(env, fn, "x", vals[0])
	if err != nil {
		return nil, err
	}
	y, _, err := floats(env, fn, "y", vals[1])
	if err != nil {
		return nil, err
	}
	if len(x) != len(y) {
		return nil, obj.Errorf(obj.ValueError, "'x' and 'y' must have the same size")
	}
	ylo, yhi, err := errSpans(env, "yerr", vals[2], len(y))
	if err != nil {
		return nil, err
	}
	xlo, xhi, err := errSpans(env, "xerr", vals[3], len(x))
	if err != nil {
		return nil, err
	}
	var spec draw.FormatSpec
	if fmtStr != "none" && fmtStr != "" {
		if spec, err = draw.ParseFormat(fmtStr); err != nil {
			return nil, err
		}
	}
	style, err := styleFromKwargs(k, spec)
	if err != nil {
		return nil, err
	}
	if fmtStr == "none" {
		style.LineStyle, style.Marker = "None", ""
	}
	s, err := draw.PrepareLine(x, y, style)
	if err != nil {
		return nil, err
	}
	seg := &draw.CollectionSegments{}
	if f, err := optFloatArg(fn, "elinewidth", vals[6]); err != nil {
		return nil, err
	} else if f != nil {
		seg.Width = *f
	}
	if f, err := optFloatArg(fn, "capsize", vals[7]); err != nil {
		return nil, err
	} else if f != nil {
		seg.Capsize = *f / 2
	}
	var ecolor *color.NRGBA
	if vals[5] != nil {
		c, err := colors.ParseColor(vals[5])
		if err != nil {
			return nil, err
		}
		ecolor = &c
	}
	for i := range x {
		if ylo != nil {
			seg.Segs = append(seg.Segs, [2]plotter.XY{{X: x[i], Y: y[i] - ylo[i]}, {X: x[i], Y: y[i] + yhi[i]}})
		}
		if xlo != nil {
			seg.Segs = append(seg.Segs, [2]plotter.XY{{X: x[i] - xlo[i], Y: y[i]}, {X: x[i] + xhi[i], Y: y[i]}})
		}
	}
	a.AddLines(s)
	if seg.Width == 0 {
		seg.Width = s.Width
	}
	seg.Color = s.Color
	if ecolor != nil {
		seg.Color = *ecolor
	}
	a.AddArtist(seg)
	return &Artist{kind: "container.ErrorbarContainer", ax: a, ar: seg}, nil
}

// textOptions reads text()'s and annotate()'s style keywords.
func textOptions(fn string, k *kwargs, t *draw.TextArtist) error {
	t.Size, t.Color, t.Ha, t.Va = draw.LabelFontSize, color.NRGBA{0, 0, 0, 255}, "left", "baseline"
	if a := k.axes; a != nil {
		t.Size = a.FontSize(draw.LabelFontSize)
	}
	if f, err := k.float("fontsize", "size"); err != nil {
		return err
	} else if f != nil {
		if !(*f > 0) || *f > 200 {
			return obj.Errorf(obj.ValueError, "%s(): fontsize must be a positive number of points (at most 200), got %s", fn, pyfmt.Float(*f))
		}
		t.Size = *f
	}
	if v := k.get("color", "c"); v != nil {
		c, err := colors.ParseColor(v)
		if err != nil {
			return err
		}
		t.Color = c
	}
	for _, al := range []struct {
		names []string
		dst   *string
		valid []string
	}{{[]string{"ha", "horizontalalignment"}, &t.Ha, []string{"left", "center", "right"}},
		{[]string{"va", "verticalalignment"}, &t.Va, []string{"bottom", "baseline", "center", "center_baseline", "top"}}} {
		s, err := k.str(al.names...)
		if err != nil {
			return err
		}
		if s == "" {
			continue
		}
		if !contains(al.valid, s) {
			return obj.Errorf(obj.ValueError, "%s is not a valid value for %s; supported values are %s", draw.PyQuote(s), al.names[1], quoteList(al.valid))
		}
		*al.dst = s
	}
	return nil
}

func quoteList(v []string) string {
	out := ""
	for i, s := range v {
		if i > 0 {
			out += ", "
		}
		out += draw.PyQuote(s)
	}
	return out
}

var textKeywords = []string{"fontsize", "size", "color", "c", "ha", "horizontalalignment", "va", "verticalalignment", "transform", "zorder", "fontweight", "rotation"}

func textCall(env *obj.Env, a *draw.Axes, args obj.Args) (any, error) {
	const fn = "text"
	vals, k, err := bind(fn, args, []obj.Param{{Name: "x"}, {Name: "y"}, {Name: "s"}}, textKeywords)
	if err != nil {
		return nil, err
	}
	if vals[0] == nil || vals[1] == nil || vals[2] == nil {
		return nil, obj.Errorf(obj.TypeError, "text() missing required arguments: 'x', 'y' and 's'")
	}
	t := &draw.TextArtist{}
	if t.X, err = floatArg(fn, "x", vals[0]); err != nil {
		return nil, err
	}
	if t.Y, err = floatArg(fn, "y", vals[1]); err != nil {
		return nil, err
	}
	if t.S, err = textArg(fn, "s", vals[2]); err != nil {
		return nil, err
	}
	k.axes = a
	if err := textOptions(fn, k, t); err != nil {
		return nil, err
	}
	if tr := k.get("transform"); tr != nil {
		if _, ok := tr.(*Transform); !ok {
			return nil, obj.Errorf(obj.TypeError, "text(): transform must be ax.transAxes or None, not %s", obj.TypeName(tr))
		}
		t.AxesCoords = true
	}
	a.AddArtist(t)
	return &Artist{kind: "text.Text", ax: a, ar: t}, nil
}

func annotateCall(env *obj.Env, a *draw.Axes, args obj.Args) (any, error) {
	const fn = "annotate"
	vals, k, err := bind(fn, args, []obj.Param{{Name: "text"}, {Name: "xy"}, {Name: "xytext", Default: "None"}, {Name: "xycoords", Default: "'data'"},
		{Name: "textcoords", Default: "None"}, {Name: "arrowprops", Default: "None"}}, textKeywords)
	if err != nil {
		return nil, err
	}
	if vals[0] == nil || vals[1] == nil {
		return nil, obj.Errorf(obj.TypeError, "annotate() missing 2 required positional arguments: 'text' and 'xy'")
	}
	for i, name := range []string{"xycoords", "textcoords"} {
		if v := vals[3+i]; v != nil && v != "data" {
			return nil, obj.Errorf(obj.ValueError, "annotate(): %s=%s is not supported by gokist; give coordinates in data units ('data')", name, draw.PyStr(v))
		}
	}
	t := &draw.TextArtist{}
	if t.S, err = textArg(fn, "text", vals[0]); err != nil {
		return nil, err
	}
	xy := [2]float64{}
	if xy[0], xy[1], err = pairArg(fn, "xy", vals[1]); err != nil {
		return nil, err
	}
	t.X, t.Y = xy[0], xy[1]
	if vals[2] != nil {
		if t.X, t.Y, err = pairArg(fn, "xytext", vals[2]); err != nil {
			return nil, err
		}
	}
	k.axes = a
	if err := textOptions(fn, k, t); err != nil {
		return nil, err
	}
	if vals[5] != nil {
		props, ok := vals[5].(map[string]any)
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "annotate(): arrowprops must be a dict, not %s", obj.TypeName(vals[5]))
		}
		t.ArrowColor = color.NRGBA{0, 0, 0, 255}
		for _, key := range []string{"color", "facecolor", "fc"} {
			if c, ok := props[key]; ok {
				col, err := colors.ParseColor(c)
				if err != nil {
					return nil, err
				}
				t.ArrowColor = col
				break
			}
		}
		t.ArrowTo = &plotter.XY{X: xy[0], Y: xy[1]}
	}
	a.AddArtist(t)
	return &Artist{kind: "text.Annotation", ax: a, ar: t}, nil
}

// setScale is set_xscale/set_yscale(value, linthresh=2).
func setScale(fn string, a *draw.Axes, args obj.Args, dst *axis.Scale) error {
	vals, err := args.Bind(fn, []obj.Param{{Name: "value"}, {Name: "linthresh", Default: "2"}, {Name: "base", Default: "10"}})
	if err != nil {
		return err
	}
	name, err := strOnlyArg(fn, "value", vals[0])
	if err != nil {
		return err
	}
	lt := 2.0
	if vals[1] != nil {
		if lt, err = floatArg(fn, "linthresh", vals[1]); err != nil {
			return err
		}
	}
	if vals[2] != nil {
		if b, err := floatArg(fn, "base", vals[2]); err != nil {
			return err
		} else if b != 10 {
			return obj.Errorf(obj.ValueError, "%s(): gokist draws log scales in base 10, got base=%s", fn, pyfmt.Float(b))
		}
	}
	s, err := axis.ParseScale(fn, name, lt)
	if err != nil {
		return err
	}
	*dst = s
	a.Touch()
	return nil
}

// scaleMembers are set_xscale, set_yscale, get_xscale, get_yscale and transAxes.
func scaleMembers() []*obj.Member {
	ax := func(recv any) *draw.Axes { return recv.(*draw.Axes) }
	return []*obj.Member{
		{Name: "set_xscale", Signature: "set_xscale(value, linthresh=2)", Doc: "The x axis scale: 'linear', 'log' or 'symlog' (linear within ±linthresh).",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return nil, setScale("set_xscale", ax(recv), args, &ax(recv).Xscale)
			}},
		{Name: "set_yscale", Signature: "set_yscale(value, linthresh=2)", Doc: "The y axis scale: 'linear', 'log' or 'symlog' (linear within ±linthresh).",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return nil, setScale("set_yscale", ax(recv), args, &ax(recv).Yscale)
			}},
		axesGetter("get_xscale", "The x axis scale's name.", func(a *draw.Axes) any { return a.Xscale.Name() }),
		axesGetter("get_yscale", "The y axis scale's name.", func(a *draw.Axes) any { return a.Yscale.Name() }),
		{Name: "get_xticks", Signature: "get_xticks()", Doc: "The x positions of the labelled ticks (in data coordinates) as drawn.",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return drawnTicks(ax(recv), args, "get_xticks", true)
			}},
		{Name: "get_yticks", Signature: "get_yticks()", Doc: "The y positions of the labelled ticks (in data coordinates) as drawn.",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return drawnTicks(ax(recv), args, "get_yticks", false)
			}},
		{Name: "get_xticklabels", Signature: "get_xticklabels()", Doc: "The x tick labels as drawn (strings; matplotlib gives Text objects).",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return drawnTickLabels(ax(recv), args, "get_xticklabels", true)
			}},
		{Name: "get_yticklabels", Signature: "get_yticklabels()", Doc: "The y tick labels as drawn (strings; matplotlib gives Text objects).",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return drawnTickLabels(ax(recv), args, "get_yticklabels", false)
			}},
		{Name: "transAxes", Doc: "Axes coordinates for text(..., transform=ax.transAxes): (0, 0) bottom left, (1, 1) top right.",
			Get: func(env *obj.Env, recv any) (any, error) { return &Transform{ax: ax(recv)}, nil }},
	}
}

// pyplotScaleMembers are plt.xscale and plt.yscale.
func pyplotScaleMembers() []*obj.Member {
	mk := func(name string, y bool) *obj.Member {
		return &obj.Member{Name: name, Signature: name + "(value, linthresh=2)", Doc: "The scale of the current axes: 'linear', 'log' or 'symlog'.",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return nil, recv.(*Pyplot).onGCA(func(a *draw.Axes) error {
					if y {
						return setScale(name, a, args, &a.Yscale)
					}
					return setScale(name, a, args, &a.Xscale)
				})
			}}
	}
	return []*obj.Member{mk("xscale", false), mk("yscale", true)}
}

// drawnTicks renders the figure and returns the major tick positions of one axis in data
// coordinates (for an image with world coordinates: the pixel positions of the world
// ticks).
func drawnTicks(a *draw.Axes, args obj.Args, fn string, x bool) (any, error) {
	if _, err := args.Bind(fn, nil); err != nil {
		return nil, err
	}
	if _, err := a.Fig.Render(); err != nil {
		return nil, err
	}
	c := a.Coords()
	rec, inv := a.YTicks.Values, c.InvY
	if x {
		rec, inv = a.XTicks.Values, c.InvX
	}
	out := make(obj.List, len(rec))
	for i, v := range rec {
		w := inv(v)
		if w == 0 {
			w = 0 // no -0.0 from a flipped axis
		}
		out[i] = w
	}
	return out, nil
}

// drawnTickLabels renders the figure and returns one axis' major tick labels.
func drawnTickLabels(a *draw.Axes, args obj.Args, fn string, x bool) (any, error) {
	if _, err := args.Bind(fn, nil); err != nil {
		return nil, err
	}
	if _, err := a.Fig.Render(); err != nil {
		return nil, err
	}
	xs, ys := a.TickLabels()
	src := ys
	if x {
		src = xs
	}
	out := make(obj.List, len(src))
	for i, s := range src {
		out[i] = s
	}
	return out, nil
}
