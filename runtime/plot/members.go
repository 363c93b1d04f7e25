package plot

import (
	"path/filepath"
	"strings"

	"gokist/obj"
	"gokist/runtime/plot/colors"
	"gokist/runtime/plot/draw"
	"gokist/runtime/plot/rcparams"
)

// Member tables of plt, Figure, Axes and the axes grid. Adding a method is one entry.

var (
	pyplotType   *obj.Type
	figureType   *obj.Type
	axesType     *obj.Type
	axesGridType *obj.Type
)

func init() {
	pyplotType = &obj.Type{Name: "module", Doc: pyplotDoc, Members: append(append(pyplotMembers(), pyplotMethodMembers()...), pyplotScaleMembers()...)}
	figureType = &obj.Type{Name: "Figure", Doc: "A figure: a size in inches (rendered at 100 dpi) and a grid of Axes. It is shown at the end of the cell that drew on it.", Members: figureMembers()}
	axesType = &obj.Type{Name: "Axes", Doc: "One plotting area of a figure: lines, images, labels, limits, legend, grid. Drawing on it again in a later cell shows its figure again.", Members: append(append(axesMembers(), methodMembers()...), scaleMembers()...)}
	axesGridType = &obj.Type{Name: "ndarray", Doc: "The 2-D array of Axes returned by subplots(nrows, ncols): ax[i, j], ax[i][j], ax.flat.", Members: gridMembers()}
	draw.FigureType, draw.AxesType = figureType, axesType
}

const pyplotDoc = `matplotlib.pyplot for gokist: matplotlib 3.6's names and look, drawn with gonum/plot and shown inline as PNG at the end of each cell.

  fig, ax = plt.subplots(nrows, ncols, figsize=(w, h), sharex=True, layout="constrained")
  plt.figure(figsize=(w, h), dpi=100) / fig.add_subplot(2, 1, 1) / plt.subplot(221)
  plt.plot(x, y, 'k--', label='...') / scatter(x, y, c=t, s=20, cmap='RdBu_r')
  errorbar / fill_between / hist / bar / step / axvline / axhline / axvspan / axhspan
  imshow(data, cmap=, norm=LogNorm(), origin=, aspect=, extent=) / pcolormesh (also uneven
    and curvilinear X, Y) / contour(f)
  text / annotate / legend(loc=, fontsize=, ncol=, frameon=, title=) / grid / xlabel / ylabel / title / suptitle
  semilogy / semilogx / loglog / ax.set_yscale('log' | 'symlog') / ax.twinx() / ax.twiny()
  fig.colorbar(mappable, ax=ax, label='...', shrink=, pad=, fraction=)  plt.colormaps()  plt.rcParams  plt.rc_context
  plt.subplot(projection=ds.wcs)  world-coordinate axes (Stokes I Q U V, wavelength, time;
    a rotated lon/lat pair ticked where its grid crosses the edges, ax.grid draws the grid)
  plt.savefig('figure.png', dpi=150)  PNG, SVG or PDF by extension or format=
  plt.show()                          show the figures now`

var plotParams = []obj.Param{{Name: "color", Default: "None"}, {Name: "linestyle", Default: "'-'"}, {Name: "marker", Default: "None"},
	{Name: "linewidth", Default: "1.5"}, {Name: "markersize", Default: "6"}, {Name: "label", Default: "None"}}

var imshowParams = []obj.Param{{Name: "X"}, {Name: "cmap", Default: "'viridis'"}, {Name: "vmin", Default: "None"}, {Name: "vmax", Default: "None"},
	{Name: "origin", Default: "'upper'"}, {Name: "aspect", Default: "'equal'"}}

const plotDoc = `Plot y against x (or against the index) as a line.

fmt is matplotlib's short style string: a colour letter (b g r c m y k w or C0..C9), a line
style (- -- -. :) and a marker (. o s ^ v < > D d + x *), e.g. 'r--' or 'ko'. Keywords:
color, linestyle/ls, marker, linewidth/lw, markersize/ms, label (shown in the legend).
NaN values leave gaps. Returns the Axes.`

const imshowDoc = `Show 2-D data as an image through a colour map (any of matplotlib's: plt.colormaps();
add '_r' to reverse). vmin/vmax fix the colour limits (default: the data's range), or
norm= a matplotlib.colors norm (LogNorm, CenteredNorm, TwoSlopeNorm, Normalize); NaN is
transparent. 3-D data shows index 0 of the first axis, with a slider over it in HTML
output. Returns the Axes (pass it to colorbar()).`

func pyplotMembers() []*obj.Member {
	plt := func(recv any) *Pyplot { return recv.(*Pyplot) }
	return []*obj.Member{
		{Name: "figure", Signature: "figure(num=None, figsize=None, dpi=None, layout=None)", Doc: "Create a new figure and make it current. figsize is in inches (default rcParams['figure.figsize'], 6.4×4.8), dpi its resolution (default 100); layout='constrained' or 'tight' fills the figure. At most 100 inches a side and 25 megapixels, to keep the kernel's memory bounded.",
			Params: figureParams,
			Call:   func(env *obj.Env, recv any, args obj.Args) (any, error) { return figureCall(env, plt(recv), args) }},
		{Name: "plot", Signature: "plot([x], y, [fmt], *, color=None, linestyle='-', marker=None, linewidth=1.5, label=None)", Doc: plotDoc, Params: plotParams,
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return plt(recv).DrawOnGCA(func(ax *draw.Axes) error { return PlotArgs(ax, env, args) })
			}},
		{Name: "imshow", Signature: "imshow(X, cmap='viridis', vmin=None, vmax=None, origin='upper', aspect='equal')", Doc: imshowDoc, Params: imshowParams,
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return plt(recv).DrawOnGCA(func(ax *draw.Axes) error { return ImshowArgs(ax, env, args) })
			}},
		textMember("xlabel", "xlabel(xlabel)", "Set the x-axis label of the current axes.", func(p *Pyplot, s string) { p.GCA().SetXLabel(s) }),
		textMember("ylabel", "ylabel(ylabel)", "Set the y-axis label of the current axes.", func(p *Pyplot, s string) { p.GCA().SetYLabel(s) }),
		textMember("title", "title(label)", "Set the title of the current axes.", func(p *Pyplot, s string) { p.GCA().SetTitle(s) }),
		{Name: "legend", Signature: "legend(labels=None, loc='best', fontsize=None, ncol=1, frameon=None, title=None)", Doc: "Show the legend of the current axes (labels, if given, name the lines in order); fontsize in points or 'small', 'large', ....",
			Params: []obj.Param{{Name: "labels", Default: "None"}, {Name: "loc", Default: "'best'"}},
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return nil, plt(recv).onGCA(func(a *draw.Axes) error { return legendArgs(a, args) })
			}},
		{Name: "xlim", Signature: "xlim(left=None, right=None)", Doc: "Get or set the x limits of the current axes; returns (left, right).",
			Params: []obj.Param{{Name: "left", Default: "None"}, {Name: "right", Default: "None"}},
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				var lim any
				err := plt(recv).onGCA(func(a *draw.Axes) (err error) {
					lim, err = limitArgs("xlim", args, [2]string{"left", "right"}, a.XLim, a.SetXLim)
					return err
				})
				return lim, err
			}},
		{Name: "ylim", Signature: "ylim(bottom=None, top=None)", Doc: "Get or set the y limits of the current axes; returns (bottom, top).",
			Params: []obj.Param{{Name: "bottom", Default: "None"}, {Name: "top", Default: "None"}},
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				var lim any
				err := plt(recv).onGCA(func(a *draw.Axes) (err error) {
					lim, err = limitArgs("ylim", args, [2]string{"bottom", "top"}, a.YLim, a.SetYLim)
					return err
				})
				return lim, err
			}},
		{Name: "colorbar", Signature: "colorbar(mappable=None, cax=None, ax=None, label='', shrink=1.0, pad=0.05, fraction=0.15, aspect=20)", Doc: "Add a colour bar for mappable (what imshow, pcolormesh, contourf or scatter with c= returned) or the current axes' image, beside ax (default: the mappable's axes).",
			Params: colorbarParams,
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return nil, colorbarArgs(plt(recv), args)
			}},
		{Name: "grid", Signature: "grid(visible=None, which='major', axis='both')", Doc: "Turn the grid of the current axes on or off (toggle without arguments).",
			Params: []obj.Param{{Name: "visible", Default: "None"}, {Name: "which", Default: "'major'"}, {Name: "axis", Default: "'both'"}},
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return nil, plt(recv).onGCA(func(a *draw.Axes) error { return gridArgs(a, args) })
			}},
		{Name: "subplots", Signature: "subplots(nrows=1, ncols=1, *, sharex=False, sharey=False, squeeze=True, subplot_kw=None, figsize=None, dpi=None, layout=None)", Doc: "Create a figure with a grid of axes; returns (fig, ax) where ax is one Axes, a 1-D array of Axes (one row or column) or a 2-D array ax[i, j], as numpy's (squeeze=False: always 2-D). sharex/sharey ('all', 'row', 'col' or True) share limits.",
			Params: subplotsParams,
			Call:   func(env *obj.Env, recv any, args obj.Args) (any, error) { return subplotsCall(env, plt(recv), args) }},
		{Name: "subplot", Signature: "subplot(nrows, ncols, index, projection=None)", Doc: "The axes at index (from 1) of an nrows×ncols grid of the current figure, made if needed (subplot(221) is subplot(2, 2, 1)); it becomes current.",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				p := plt(recv)
				f := p.GCF()
				a, err := addSubplotCall(f, "subplot", args)
				if err != nil {
					p.DiscardUnused(f) // a figure made for this failed call is not shown
					return nil, err
				}
				p.keep(f)
				return a, nil
			}},
		{Name: "suptitle", Signature: "suptitle(t, fontsize=None)", Doc: "The current figure's title, centred above its axes.",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return nil, suptitleCall(plt(recv).GCF(), args)
			}},
		{Name: "tight_layout", Signature: "tight_layout()", Doc: "Lay the current figure's axes out to fill it, with room for their labels.",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				f := plt(recv).GCF()
				f.Tight = true
				f.Touch(f.CurrentAxes())
				return nil, nil
			}},
		{Name: "rcParams", Doc: "matplotlib.rcParams: defaults of new figures and artists.",
			Get: func(env *obj.Env, recv any) (any, error) { return plt(recv).RC(), nil }},
		{Name: "rc_context", Signature: "rc_context(rc=None)", Doc: "with plt.rc_context({'figure.dpi': 150}): parameters that hold for the block only.",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return rcparams.NewContext(plt(recv).RC(), args)
			}},
		{Name: "rc", Signature: "rc(group, **kwargs)", Doc: "Set parameters of a group: rc('lines', linewidth=2) sets rcParams['lines.linewidth'].",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return nil, rcparams.SetGroup(plt(recv).RC(), args)
			}},
		{Name: "savefig", Signature: "savefig(fname, dpi=None, format=None, bbox_inches=None)", Doc: "Save the current figure as PNG or SVG (by the file extension or format). Figures are always rendered at 100 dpi.",
			Params: savefigParams,
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return nil, savefigArgs(plt(recv).GCF(), args)
			}},
		{Name: "show", Signature: "show(close=None, block=None)", Doc: "Show the figures drawn so far now (otherwise they are shown at the end of the cell) and close them. close and block are accepted and ignored, as by matplotlib's inline backend.",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				if _, err := args.Bind("show", []obj.Param{{Name: "close", Default: "None"}, {Name: "block", Default: "None"}}); err != nil {
					return nil, err
				}
				var out obj.Output
				if env != nil {
					out = env.Out
				}
				return nil, plt(recv).FlushCell(out)
			}},
		{Name: "gca", Signature: "gca()", Doc: "The current axes (of the current figure, created if needed).",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				if _, err := args.Bind("gca", nil); err != nil {
					return nil, err
				}
				a := plt(recv).GCA()
				plt(recv).keep(a.Fig)
				return a, nil
			}},
		{Name: "gcf", Signature: "gcf()", Doc: "The current figure (created if needed).",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				if _, err := args.Bind("gcf", nil); err != nil {
					return nil, err
				}
				f := plt(recv).GCF()
				plt(recv).keep(f)
				return f, nil
			}},
		{Name: "colormaps", Signature: "colormaps()", Doc: "The names of every colour map (matplotlib 3.6's, with the reversed '_r' ones).",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				if _, err := args.Bind("colormaps", nil); err != nil {
					return nil, err
				}
				names := colors.ColormapNames()
				out := make(obj.List, len(names))
				for i, n := range names {
					out[i] = n
				}
				return out, nil
			}},
		{Name: "close", Signature: "close(fig=None)", Doc: "Close the current figure, a given one, or all with close('all'): closed figures are not shown at the end of the cell, and their drawn data is released (a figure kept under a name is left empty).",
			Params: []obj.Param{{Name: "fig", Default: "None"}},
			Call:   func(env *obj.Env, recv any, args obj.Args) (any, error) { return nil, closeCall(plt(recv), args) }},
	}
}

var figureParams = []obj.Param{{Name: "num", Default: "None"}, {Name: "figsize", Default: "None"}, {Name: "dpi", Default: "None"}, {Name: "facecolor", Default: "None"},
	{Name: "edgecolor", Default: "None"}, {Name: "frameon", Default: "True"}, {Name: "clear", Default: "False"}, {Name: "layout", Default: "None"}, {Name: "tight_layout", Default: "None"}, {Name: "constrained_layout", Default: "None"}}

// figureSize reads figsize, dpi and the layout keywords, with rcParams' defaults.
func figureSize(fn string, p *Pyplot, figsize, dpiArg, layout, tightKw, constrainedKw any) (w, h, dpi float64, tight bool, err error) {
	w, h, dpi = p.defaultFigure()
	if figsize != nil {
		if w, h, err = pairArg(fn, "figsize", figsize); err != nil {
			return
		}
	}
	if dpiArg != nil {
		if dpi, err = floatArg(fn, "dpi", dpiArg); err != nil {
			return
		}
	}
	if tight, err = draw.LayoutMode(layout); err != nil {
		return
	}
	tight = tight || tightKw == true || constrainedKw == true
	return
}

// figureCall is plt.figure(num, figsize, dpi, layout, ...).
func figureCall(env *obj.Env, p *Pyplot, args obj.Args) (any, error) {
	vals, err := args.Bind("figure", figureParams)
	if err != nil {
		return nil, err
	}
	w, h, dpi, tight, err := figureSize("figure", p, vals[1], vals[2], vals[7], vals[8], vals[9])
	if err != nil {
		return nil, err
	}
	f, err := p.NewFigureDPI(w, h, dpi, 1, 1)
	if err != nil {
		return nil, err
	}
	f.Tight = tight
	if env != nil {
		p.emitWarning(env.Out)
	}
	return f, nil
}

var subplotsParams = []obj.Param{{Name: "nrows", Default: "1"}, {Name: "ncols", Default: "1"}, {Name: "sharex", Default: "False"}, {Name: "sharey", Default: "False"},
	{Name: "squeeze", Default: "True"}, {Name: "subplot_kw", Default: "None"}, {Name: "gridspec_kw", Default: "None"}, {Name: "figsize", Default: "None"},
	{Name: "dpi", Default: "None"}, {Name: "layout", Default: "None"}, {Name: "tight_layout", Default: "None"}, {Name: "constrained_layout", Default: "None"}}

// subplotsCall is plt.subplots(nrows, ncols, sharex, sharey, squeeze, subplot_kw,
// figsize, dpi, layout): a figure with a grid of axes.
func subplotsCall(env *obj.Env, p *Pyplot, args obj.Args) (any, error) {
	vals, err := args.Bind("subplots", subplotsParams)
	if err != nil {
		return nil, err
	}
	n := [2]int{1, 1}
	for i, v := range vals[:2] {
		if v == nil {
			continue
		}
		x, ok := v.(int)
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "subplots(): %s must be an integer, not %s", []string{"nrows", "ncols"}[i], obj.TypeName(v))
		}
		n[i] = x
	}
	shx, err := draw.ShareMode("subplots", "sharex", vals[2])
	if err != nil {
		return nil, err
	}
	shy, err := draw.ShareMode("subplots", "sharey", vals[3])
	if err != nil {
		return nil, err
	}
	if err := checkSubplotKw(vals[5]); err != nil {
		return nil, err
	}
	w, h, dpi, tight, err := figureSize("subplots", p, vals[7], vals[8], vals[9], vals[10], vals[11])
	if err != nil {
		return nil, err
	}
	f, err := p.NewFigureDPI(w, h, dpi, n[0], n[1])
	if env != nil {
		p.emitWarning(env.Out)
	}
	if err != nil {
		return nil, err
	}
	f.Tight = tight
	if kw, ok := vals[5].(map[string]any); ok {
		if wp, ok := kw["projection"].(draw.WorldProjection); ok {
			for _, a := range f.Axes() {
				a.Projection = wp
			}
		}
	}
	draw.ShareAxes(f.Axes(), n[0], n[1], shx, true)
	draw.ShareAxes(f.Axes(), n[0], n[1], shy, false)
	return obj.Tuple{f, axesArray(f, n[0], n[1], vals[4] != false)}, nil
}

// axesArray is subplots' ax: with squeeze one Axes, a 1-D array for one row or column,
// else (and always without squeeze) the 2-D array.
func axesArray(f *draw.Figure, rows, cols int, squeeze bool) any {
	switch {
	case squeeze && rows == 1 && cols == 1:
		return f.Axes()[0]
	case squeeze && (rows == 1 || cols == 1):
		t := make(obj.Tuple, len(f.Axes()))
		for i, a := range f.Axes() {
			t[i] = a
		}
		return t
	}
	return &AxesGrid{rows: rows, cols: cols, axes: f.Axes()}
}

// checkSubplotKw accepts subplot_kw's keys gokist honours: projection None or
// 'rectilinear'.
func checkSubplotKw(v any) error {
	if v == nil {
		return nil
	}
	d, ok := v.(map[string]any)
	if !ok {
		return obj.Errorf(obj.TypeError, "subplots(): subplot_kw must be a dict, not %s", obj.TypeName(v))
	}
	for k, x := range d {
		switch k {
		case "projection":
			if _, isWCS := x.(draw.WorldProjection); x != nil && x != "rectilinear" && !isWCS {
				return obj.Errorf(obj.ValueError, "projection=%s is not drawn by gokist: give None, 'rectilinear' or a dataset's WCS (ds.wcs)", draw.PyStr(x))
			}
		case "facecolor", "xlabel", "ylabel", "title", "aspect":
		default:
			return obj.Errorf(obj.TypeError, "subplots(): subplot_kw has an unexpected keyword '%s'", k)
		}
	}
	return nil
}

// addSubplotCall is fig.add_subplot(...) and plt.subplot(...).
func addSubplotCall(f *draw.Figure, fn string, args obj.Args) (any, error) {
	for k, v := range args.Kw {
		if k != "projection" && k != "label" {
			return nil, obj.Errorf(obj.TypeError, "%s() got an unexpected keyword argument '%s'", fn, k)
		}
		if k == "projection" {
			if err := checkSubplotKw(map[string]any{"projection": v}); err != nil {
				return nil, err
			}
		}
	}
	r, c, i, err := draw.SubplotSpec(fn, args.Pos)
	if err != nil {
		return nil, err
	}
	a, err := f.AddSubplot(r, c, i)
	if err != nil {
		return nil, err
	}
	if wp, ok := args.Kw["projection"].(draw.WorldProjection); ok {
		a.Projection = wp
	}
	return a, nil
}

// suptitleCall is fig.suptitle(t, fontsize=None).
func suptitleCall(f *draw.Figure, args obj.Args) error {
	vals, err := args.Bind("suptitle", []obj.Param{{Name: "t"}, {Name: "fontsize", Default: "None"}, {Name: "x", Default: "None"}, {Name: "y", Default: "None"}})
	if err != nil {
		return err
	}
	t, err := textArg("suptitle", "t", vals[0])
	if err != nil {
		return err
	}
	if vals[1] != nil {
		size, err := floatArg("suptitle", "fontsize", vals[1])
		if err != nil {
			return err
		}
		if !(size > 0) || size > 200 {
			return obj.Errorf(obj.ValueError, "suptitle(): fontsize must be a positive number of points (at most 200), got %s", draw.PyStr(vals[1]))
		}
		f.SuptitleSize = size
	}
	f.Suptitle = t
	f.Touch(f.CurrentAxes())
	return nil
}

// closeCall is plt.close(fig): the current figure, a given one, or all.
func closeCall(p *Pyplot, args obj.Args) error {
	vals, err := args.Bind("close", []obj.Param{{Name: "fig", Default: "None"}})
	if err != nil {
		return err
	}
	switch v := vals[0].(type) {
	case nil:
		p.CloseAndRelease(nil)
	case string:
		if v != "all" {
			return obj.Errorf(obj.ValueError, "close(): the only string accepted is 'all', got %q", v)
		}
		p.CloseAll()
	case *draw.Figure:
		p.CloseAndRelease(v)
	case *draw.Axes:
		p.CloseAndRelease(v.Fig)
	default:
		return obj.Errorf(obj.TypeError, "close(): expected a Figure or 'all', not %s", obj.TypeName(v))
	}
	return nil
}

// textMember makes a plt member that sets one text of the current axes.
func textMember(name, sig, doc string, set func(p *Pyplot, s string)) *obj.Member {
	param := strings.TrimSuffix(strings.TrimPrefix(sig, name+"("), ")")
	return textSetter(name, param, doc, func(recv any, s string) { set(recv.(*Pyplot), s) })
}

// textSetter makes a member name(param, fontsize=None, loc=None) that passes its one
// string argument to set; fontsize and loc are accepted as matplotlib's are, and ignored.
func textSetter(name, param, doc string, set func(recv any, s string)) *obj.Member {
	return &obj.Member{Name: name, Signature: name + "(" + param + ")", Doc: doc, Params: []obj.Param{{Name: param}},
		Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
			vals, err := args.Bind(name, []obj.Param{{Name: param}, {Name: "fontsize", Default: "None"}, {Name: "loc", Default: "None"}})
			if err != nil {
				return nil, err
			}
			s, err := textArg(name, param, vals[0])
			if err != nil {
				return nil, err
			}
			set(recv, s)
			return nil, nil
		}}
}

var colorbarParams = []obj.Param{{Name: "mappable", Default: "None"}, {Name: "cax", Default: "None"}, {Name: "ax", Default: "None"}, {Name: "label", Default: "''"}}

var savefigParams = []obj.Param{{Name: "fname"}, {Name: "dpi", Default: "None"}, {Name: "format", Default: "None"}, {Name: "bbox_inches", Default: "None"}}

// savefigArgs handles savefig(fname, dpi=None, format=None, bbox_inches=None): the
// format from format= or the file's extension (png, svg, pdf; a name without one gets
// format's, else .png, as matplotlib's savefig.format); dpi a number or 'figure'
// (default: rcParams['savefig.dpi']); bbox_inches=None or 'tight' (a PNG is cropped to
// what is drawn plus 0.1 inch, as matplotlib's; SVG and PDF keep the figure's size).
func savefigArgs(f *draw.Figure, args obj.Args) error {
	vals, err := args.Bind("savefig", savefigParams)
	if err != nil {
		return err
	}
	path, err := strOnlyArg("savefig", "fname", vals[0])
	if err != nil {
		return err
	}
	if err := checkDPI(vals[1]); err != nil {
		return err
	}
	dpi := 0.0
	if d, ok := obj.Float(vals[1]); ok {
		dpi = d
	} else if vals[1] == nil && f.Owner != nil {
		if d, ok := obj.Float(f.Owner.RCValue("savefig.dpi")); ok {
			dpi = d
		}
	}
	if v := vals[3]; v != nil && v != "tight" {
		return obj.Errorf(obj.ValueError, "savefig(): bbox_inches must be None or 'tight', got %s", draw.PyStr(v))
	}
	format := ""
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if vals[2] != nil {
		if format, err = strOnlyArg("savefig", "format", vals[2]); err != nil {
			return err
		}
		format = strings.ToLower(format)
		if ext == "" {
			path += "." + format
		}
	} else if ext == "" {
		path += ".png"
	}
	return f.SaveAs(path, format, dpi, vals[3] == "tight")
}

// axesText makes an Axes member that sets one text.
func axesText(name, param, doc string, set func(a *draw.Axes, s string)) *obj.Member {
	return textSetter(name, param, doc, func(recv any, s string) { set(recv.(*draw.Axes), s) })
}

// axesGetter makes a no-argument Axes method returning a value.
func axesGetter(name, doc string, get func(a *draw.Axes) any) *obj.Member {
	return &obj.Member{Name: name, Signature: name + "()", Doc: doc,
		Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
			if _, err := args.Bind(name, nil); err != nil {
				return nil, err
			}
			return get(recv.(*draw.Axes)), nil
		}}
}

func axesMembers() []*obj.Member {
	ax := func(recv any) *draw.Axes { return recv.(*draw.Axes) }
	return []*obj.Member{
		{Name: "plot", Signature: "plot([x], y, [fmt], *, color=None, linestyle='-', marker=None, linewidth=1.5, label=None)", Doc: plotDoc, Params: plotParams,
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return recv, PlotArgs(ax(recv), env, args)
			}},
		{Name: "imshow", Signature: "imshow(X, cmap='viridis', vmin=None, vmax=None, origin='upper', aspect='equal')", Doc: imshowDoc, Params: imshowParams,
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return recv, ImshowArgs(ax(recv), env, args)
			}},
		axesText("set_xlabel", "xlabel", "Set the x-axis label.", (*draw.Axes).SetXLabel),
		axesText("set_ylabel", "ylabel", "Set the y-axis label.", (*draw.Axes).SetYLabel),
		axesText("set_title", "label", "Set the axes title.", (*draw.Axes).SetTitle),
		axesGetter("get_xlabel", "The x-axis label.", func(a *draw.Axes) any { return a.Xlabel }),
		axesGetter("get_ylabel", "The y-axis label.", func(a *draw.Axes) any { return a.Ylabel }),
		axesGetter("get_title", "The axes title.", func(a *draw.Axes) any { return a.Title() }),
		axesGetter("get_xlim", "The x limits (left, right).", func(a *draw.Axes) any { lo, hi := a.XLim(); return obj.Tuple{lo, hi} }),
		axesGetter("get_ylim", "The y limits (bottom, top).", func(a *draw.Axes) any { lo, hi := a.YLim(); return obj.Tuple{lo, hi} }),
		{Name: "legend", Signature: "legend(labels=None, loc='best', fontsize=None, ncol=1, frameon=None, title=None)", Doc: "Show the legend (labels, if given, name the lines in order); fontsize in points or 'small', 'large', ....",
			Params: []obj.Param{{Name: "labels", Default: "None"}, {Name: "loc", Default: "'best'"}},
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return nil, legendArgs(ax(recv), args)
			}},
		{Name: "set_xlim", Signature: "set_xlim(left=None, right=None)", Doc: "Set the x limits; returns (left, right).",
			Params: []obj.Param{{Name: "left", Default: "None"}, {Name: "right", Default: "None"}},
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				a := ax(recv)
				return limitArgs("set_xlim", args, [2]string{"left", "right"}, a.XLim, a.SetXLim)
			}},
		{Name: "set_ylim", Signature: "set_ylim(bottom=None, top=None)", Doc: "Set the y limits; returns (bottom, top).",
			Params: []obj.Param{{Name: "bottom", Default: "None"}, {Name: "top", Default: "None"}},
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				a := ax(recv)
				return limitArgs("set_ylim", args, [2]string{"bottom", "top"}, a.YLim, a.SetYLim)
			}},
		{Name: "grid", Signature: "grid(visible=None, which='major', axis='both')", Doc: "Turn the grid on or off (toggle without arguments).",
			Params: []obj.Param{{Name: "visible", Default: "None"}, {Name: "which", Default: "'major'"}, {Name: "axis", Default: "'both'"}},
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return nil, gridArgs(ax(recv), args)
			}},
		{Name: "figure", Doc: "The Figure holding these axes.",
			Get: func(env *obj.Env, recv any) (any, error) { return ax(recv).Fig, nil }},
		{Name: "twinx", Signature: "twinx()", Doc: "Axes over these sharing the x axis, with their own y axis on the right (a second quantity against the same wavelengths).",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				if _, err := args.Bind("twinx", nil); err != nil {
					return nil, err
				}
				return ax(recv).Twinx(), nil
			}},
		{Name: "twiny", Signature: "twiny()", Doc: "Axes over these sharing the y axis, with their own x axis on the top (e.g. Doppler velocity above the wavelengths).",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				if _, err := args.Bind("twiny", nil); err != nil {
					return nil, err
				}
				return ax(recv).Twiny(), nil
			}},
	}
}

func figureMembers() []*obj.Member {
	fig := func(recv any) *draw.Figure { return recv.(*draw.Figure) }
	return []*obj.Member{
		{Name: "savefig", Signature: "savefig(fname, dpi=None, format=None, bbox_inches=None)", Doc: "Save the figure as PNG or SVG (by the file extension or format), at 100 dpi.",
			Params: savefigParams,
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return nil, savefigArgs(fig(recv), args)
			}},
		{Name: "gca", Signature: "gca()", Doc: "The figure's current axes.",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				if _, err := args.Bind("gca", nil); err != nil {
					return nil, err
				}
				f := fig(recv)
				a := f.CurrentAxes()
				f.Touch(a)
				return a, nil
			}},
		{Name: "colorbar", Signature: "colorbar(mappable=None, cax=None, ax=None, label='', shrink=1.0, pad=0.05, fraction=0.15, aspect=20)", Doc: "Add a colour bar for mappable (what imshow, pcolormesh, contourf or scatter with c= returned) beside ax (default: the mappable's axes).",
			Params: colorbarParams,
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				f := fig(recv)
				if len(args.Pos) == 0 && args.Kw["mappable"] == nil && args.Kw["ax"] == nil {
					args.Kw = mergeKw(args.Kw, "ax", f.CurrentAxes())
				}
				return nil, colorbarArgs(nil, args)
			}},
		{Name: "add_subplot", Signature: "add_subplot(nrows, ncols, index)", Doc: "The axes at index (from 1) of an nrows×ncols grid (add_subplot(111) for one), made if needed.",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return addSubplotCall(fig(recv), "add_subplot", args)
			}},
		{Name: "suptitle", Signature: "suptitle(t, fontsize=None)", Doc: "The figure's title, centred above its axes.",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) { return nil, suptitleCall(fig(recv), args) }},
		{Name: "tight_layout", Signature: "tight_layout()", Doc: "Lay the axes out to fill the figure, with room for their labels.",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				fig(recv).Tight = true
				return nil, nil
			}},
		{Name: "dpi", Doc: "The figure's dots per inch.", Get: func(env *obj.Env, recv any) (any, error) { return fig(recv).Dpi, nil }},
		{Name: "get_size_inches", Signature: "get_size_inches()", Doc: "(width, height) in inches.",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				w, h := fig(recv).Size()
				return obj.List{w, h}, nil
			}},
		{Name: "axes", Doc: "The figure's axes as a list.",
			Get: func(env *obj.Env, recv any) (any, error) {
				f := fig(recv)
				out := make(obj.List, len(f.Axes()))
				for i, a := range f.Axes() {
					out[i] = a
				}
				return out, nil
			}},
	}
}

func mergeKw(kw map[string]any, k string, v any) map[string]any {
	out := map[string]any{k: v}
	for key, val := range kw {
		out[key] = val
	}
	return out
}

func gridMembers() []*obj.Member {
	flat := func(recv any) any {
		g := recv.(*AxesGrid)
		out := make(obj.Tuple, len(g.axes))
		for i, a := range g.axes {
			out[i] = a
		}
		return out
	}
	return []*obj.Member{
		{Name: "flat", Doc: "All axes in row-major order.", Get: func(env *obj.Env, recv any) (any, error) { return flat(recv), nil }},
		{Name: "ravel", Signature: "ravel()", Doc: "All axes in row-major order.",
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) { return flat(recv), nil }},
		{Name: "shape", Doc: "(nrows, ncols).", Get: func(env *obj.Env, recv any) (any, error) {
			g := recv.(*AxesGrid)
			return obj.Tuple{g.rows, g.cols}, nil
		}},
	}
}

// checkDPI checks savefig's dpi as matplotlib does: None, 'figure' or a positive
// finite number.
func checkDPI(v any) error {
	if v == nil || v == "figure" {
		return nil
	}
	d, ok := obj.Float(v)
	if !ok {
		return obj.Errorf(obj.TypeError, "savefig(): dpi must be a number or 'figure', not %s", obj.TypeName(v))
	}
	if !draw.IsFinite(d) || d <= 0 {
		return obj.Errorf(obj.ValueError, "savefig(): dpi must be a positive number, got %s", draw.PyStr(v))
	}
	return nil
}
