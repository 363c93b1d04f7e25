package runtime

import (
	"fmt"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"gokist/runtime/plot/colors"
	"math"
	"strings"
	"sync"
	"time"

	"gokist/obj"
	"gokist/runtime/plot"
	"gokist/runtime/plot/draw"
	"gokist/runtime/wcs"
)

// Plotting glue: .plot() on Dataset, LazyArray and Array, drawn with runtime/plot on the
// session's pyplot state (obj.Env service plot.ServiceName). The member entries are
// DatasetPlotMember and ArrayPlotMember; Array and LazyArray also implement
// plot.Float64Data, so plt.plot(arr) and plt.imshow(arr) accept them.

// Float64s implements plot.Float64Data with the dataset's data (computed).
func (d *Dataset) Float64s(env *obj.Env) ([]float64, []int, error) {
	a, err := numpy.ComputeForPlot(env, d.Node)
	if err != nil {
		return nil, nil, err
	}
	return a.Floats(), a.Shape(), nil
}

// plotParams are the keyword arguments of .plot(), as ndcube's plot with matplotlib's
// line and image keywords.
var plotParams = []obj.Param{
	{Name: "axes", Default: "None"}, {Name: "linestyle", Default: "None"}, {Name: "color", Default: "None"},
	{Name: "label", Default: "None"}, {Name: "marker", Default: "None"}, {Name: "linewidth", Default: "None"},
	{Name: "cmap", Default: "None"}, {Name: "vmin", Default: "None"}, {Name: "vmax", Default: "None"},
}

const plotSignature = "plot(axes=None, linestyle='-', color=None, label=None, marker=None, linewidth=1.5, cmap='viridis', vmin=None, vmax=None)"

const plotDoc = `Plot the data and return the Axes (shown at the end of the cell).

1-D: a line against the world coordinate that varies along the axis (for VISP a spectrum
against wavelength in nm), labelled "<world axis> [<unit>]" and "Data [<BUNIT>]"; line
keywords linestyle ('-', '--', '-.', ':', 'None'), color, marker, linewidth, label.
2-D: an image with world-coordinate tick labels and a colour bar; cmap (gray, viridis,
inferno, magma), vmin, vmax.
3-D and more: the last two axes as an image at index 0 of the others, with a slider over
the first axis in HTML output.
axes=ax draws on an existing Axes (overlay), e.g. a spectrum and its rebinned twin.`

// datasetPlotParams are Dataset.plot's keywords: .plot()'s and ndcube's plot_axes.
var datasetPlotParams = append(append([]obj.Param(nil), plotParams...), obj.Param{Name: "plot_axes", Default: "None"}, obj.Param{Name: "fig", Default: "None"})

// DatasetPlotMember is the Dataset.plot method; datasetType lists it.
var DatasetPlotMember = &obj.Member{Name: "plot", Signature: strings.Replace(plotSignature, "plot(axes=None, ", "plot(axes=None, plot_axes=None, fig=None, ", 1),
	Doc:    plotDoc + "\nplot_axes (as ndcube's): one entry per array axis: 'x', 'y', None (a slider over the first) or an index, e.g. ds.plot(plot_axes=[0, None, 'x', 'y']); fig= draws in that figure (its current axes), as ndcube's animator does.",
	Params: datasetPlotParams,
	Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
		vals, err := args.Bind("plot", datasetPlotParams)
		if err != nil {
			return nil, err
		}
		d := recv.(*Dataset)
		src := plotSource{node: d.Node, wcs: d.WorldCoords, names: d.AxisNames, bunit: d.bunit()}
		pa := decodePlotArgs(vals[:len(plotParams)])
		if f := vals[len(plotParams)+1]; f != nil && pa.axes == nil { // ndcube's animator takes the figure to draw in
			fig, err := figureArg(env, f)
			if err != nil {
				return nil, err
			}
			pa.axes = fig.CurrentAxes()
		}
		if spec := vals[len(plotParams)]; spec != nil {
			if lazy.Product(d.Node.Shape()) == 0 {
				return nil, obj.Errorf(obj.ValueError, "nothing to plot: the selection is empty (shape %s)", lazy.ShapeString(d.Node.Shape()))
			}
			if pa.axes != nil {
				if _, err := axesArg(env, pa.axes); err != nil {
					return nil, err
				}
			}
			return src.plotWithAxes(env, pa, spec)
		}
		return src.plot(env, pa)
	}}

// ArrayPlotMember is the plot method of Array and LazyArray (against pixel index: they
// carry no WCS); arrayType and lazyArrayType list it.
var ArrayPlotMember = &obj.Member{Name: "plot", Signature: plotSignature, Doc: plotDoc, Params: plotParams,
	Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
		vals, err := args.Bind("plot", plotParams)
		if err != nil {
			return nil, err
		}
		var n lazy.Node
		switch x := recv.(type) {
		case *numpy.NDArray:
			n = &lazy.ArrayNode{A: (*lazy.Array)(x)}
		case *numpy.LazyArray:
			n = x.Node
		default:
			return nil, obj.Errorf(obj.TypeError, "plot() of %s is not supported", obj.TypeName(recv))
		}
		return plotSource{node: n}.plot(env, decodePlotArgs(vals))
	}}

// bunit is the data unit from the first file's BUNIT, or "".
func (d *Dataset) bunit() string {
	if d.Info == nil || d.Info.FirstHeader == nil {
		return ""
	}
	s, _ := d.Info.FirstHeader.String("BUNIT")
	return strings.TrimSpace(s)
}

// plotSource is what .plot() draws: the data graph, its WCS view (nil without one), the
// array axis names and the data unit.
type plotSource struct {
	node  lazy.Node
	wcs   *wcs.WCS
	names []string
	bunit string
}

// worldAxis gives the world coordinate along an array axis of n pixels and its label, or
// nil values when the source has no usable WCS for it.
func (s plotSource) worldAxis(axis, n int) (label string, values []float64) {
	if s.wcs == nil {
		return "", nil
	}
	name, unit, vals, err := s.wcs.ArrayWorld(axis, n)
	if err != nil || len(vals) != n {
		return "", nil
	}
	for _, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "", nil
		}
	}
	if unit != "" {
		name += " [" + unit + "]"
	}
	return name, vals
}

// pixelLabel names an array axis without world coordinates.
func (s plotSource) pixelLabel(axis int) string {
	if axis < len(s.names) && s.names[axis] != "" {
		return s.names[axis] + " [pixel]"
	}
	return fmt.Sprintf("axis %d [pixel]", axis)
}

// dataLabel is "Data [BUNIT]" (or "Data" without a unit).
func (s plotSource) dataLabel() string {
	if s.bunit == "" {
		return "Data"
	}
	return "Data [" + s.bunit + "]"
}

// plotArgs are .plot()'s keyword arguments decoded from their Python values. A
// keyword of the wrong kind for the data (cmap for a line, color for an image) is an
// error only once the data's dimensions are known, and takes precedence over a value
// that does not decode, so each group keeps its first decoding error.
type plotArgs struct {
	axes       any      // the Axes to draw on; nil: a new figure (checked by axesArg)
	lineGiven  []string // the line keywords given, in parameter order
	imageGiven []string // the image keywords given, in parameter order
	line       draw.LineStyle
	lineErr    error
	image      draw.ImageOptions
	imageErr   error
}

// decodePlotArgs decodes the values Args.Bind gave for plotParams.
func decodePlotArgs(vals []any) plotArgs {
	a := plotArgs{axes: vals[0]}
	for i, p := range plotParams[1:6] {
		if vals[1+i] != nil {
			a.lineGiven = append(a.lineGiven, p.Name)
		}
	}
	for i, p := range plotParams[6:] {
		if vals[6+i] != nil {
			a.imageGiven = append(a.imageGiven, p.Name)
		}
	}
	a.line, a.lineErr = decodeLineStyle(vals[1], vals[2], vals[3], vals[4], vals[5])
	a.image, a.imageErr = decodeImageOptions(vals[6], vals[7], vals[8])
	return a
}

// decodeLineStyle decodes the line keywords (nil: not given).
func decodeLineStyle(linestyle, color, label, marker, linewidth any) (draw.LineStyle, error) {
	var st draw.LineStyle
	var err error
	if st.LineStyle, err = plotString(linestyle, "linestyle"); err != nil {
		return st, err
	}
	if color != nil {
		if st.Color, err = colorArg(color); err != nil {
			return st, err
		}
	}
	if label != nil {
		st.Label = fmt.Sprint(label) // matplotlib takes any label, as str(label)
	}
	if st.Marker, err = plotString(marker, "marker"); err != nil {
		return st, err
	}
	lw, err := plotNumber(linewidth, "linewidth")
	if err != nil {
		return st, err
	}
	if lw != nil {
		st.LineWidth = *lw
		if *lw == 0 { // LineStyle's zero width is the default; matplotlib's lw=0 draws no line
			st.LineStyle = "None"
		}
	}
	return st, nil
}

// decodeImageOptions decodes the image keywords (nil: not given).
func decodeImageOptions(cmap, vmin, vmax any) (draw.ImageOptions, error) {
	var opts draw.ImageOptions
	var err error
	if opts.Cmap, err = plotString(cmap, "cmap"); err != nil {
		return opts, err
	}
	if opts.Vmin, err = plotNumber(vmin, "vmin"); err != nil {
		return opts, err
	}
	if opts.Vmax, err = plotNumber(vmax, "vmax"); err != nil {
		return opts, err
	}
	opts.Origin, opts.Aspect = "lower", "auto"
	return opts, nil
}

// plotString decodes a string keyword ("" when not given).
func plotString(v any, name string) (string, error) {
	if v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", obj.Errorf(obj.TypeError, "plot(): %s must be a string, not %s", name, obj.TypeName(v))
	}
	return s, nil
}

// plotNumber decodes a number keyword (nil when not given).
func plotNumber(v any, name string) (*float64, error) {
	var f float64
	switch x := v.(type) {
	case nil:
		return nil, nil
	case int:
		f = float64(x)
	case float64:
		f = x
	case float32:
		f = float64(x)
	default:
		return nil, obj.Errorf(obj.TypeError, "plot(): %s must be a number, not %s", name, obj.TypeName(v))
	}
	return &f, nil
}

// plot draws the source: a line for 1-D data, an image (with a slider over the first
// axis beyond 2-D) otherwise.
func (s plotSource) plot(env *obj.Env, args plotArgs) (any, error) {
	shape := s.node.Shape()
	if len(shape) == 0 {
		return nil, obj.Errorf(obj.ValueError, "nothing to plot: the data is a single value (a 0-d array)")
	}
	if lazy.Product(shape) == 0 {
		return nil, obj.Errorf(obj.ValueError, "nothing to plot: the selection is empty (shape %s)", lazy.ShapeString(shape))
	}
	// The axes are fetched only after the arguments are checked and the data computed,
	// so that a rejected or interrupted plot leaves no empty figure behind.
	if args.axes != nil {
		if _, err := axesArg(env, args.axes); err != nil {
			return nil, err
		}
	}
	if len(shape) == 1 {
		if len(args.imageGiven) > 0 {
			return nil, obj.Errorf(obj.TypeError, "plot(): %s applies to images (2-D data); this data is 1-D", args.imageGiven[0])
		}
		if args.lineErr != nil {
			return nil, args.lineErr
		}
		return s.plotLine(env, args)
	}
	if len(args.lineGiven) > 0 {
		return nil, obj.Errorf(obj.TypeError, "plot(): %s applies to lines (1-D data); this data is %d-D", args.lineGiven[0], len(shape))
	}
	if args.imageErr != nil {
		return nil, args.imageErr
	}
	return s.plotImage(env, args)
}

// plotLine draws 1-D data against the world coordinate that varies along it (or the
// pixel index).
func (s plotSource) plotLine(env *obj.Env, args plotArgs) (any, error) {
	// Check the style before reading any data: a bad one fails at once, drawing nothing.
	if err := draw.CheckLineStyle(args.line); err != nil {
		return nil, err
	}
	a, err := numpy.ComputeForPlot(env, s.node)
	if err != nil {
		return nil, err
	}
	ax, err := axesArg(env, args.axes)
	if err != nil {
		return nil, err
	}
	xlabel, x := s.worldAxis(0, s.node.Shape()[0])
	if x == nil {
		xlabel = s.pixelLabel(0)
	}
	if err := ax.Line(x, a.Floats(), args.line); err != nil {
		return nil, err
	}
	if x != nil || ax.XLabel() == "" {
		ax.SetXLabel(s.axisTitle(0, xlabel))
	}
	if x != nil {
		if format, category := s.tickFormat(0); format != nil {
			ax.SetXValueFormat(format, category)
		}
	}
	if s.bunit != "" || ax.YLabel() == "" {
		ax.SetYLabel(s.dataLabel())
	}
	return ax, nil
}

// plotImage draws the last two axes at index 0 of the others, with world-coordinate
// ticks and a colour bar, and a slider over the first axis for 3-D data and more.
func (s plotSource) plotImage(env *obj.Env, args plotArgs) (any, error) {
	opts := args.image
	// Check the options before reading any data.
	if err := draw.CheckImageOptions(opts); err != nil {
		return nil, err
	}
	shape := s.node.Shape()
	nd := len(shape)
	rows, cols := shape[nd-2], shape[nd-1]
	view, err := s.firstImage()
	if err != nil {
		return nil, err
	}
	a, err := numpy.ComputeForPlot(env, view.node)
	if err != nil {
		return nil, err
	}
	ax, err := axesArg(env, args.axes)
	if err != nil {
		return nil, err
	}
	view.labelImageAxes(&opts, 0, 1, rows, cols)
	if nd > 2 && shape[0] > 1 {
		opts.Slider = s.slider(env, shape)
	}
	if err := ax.Image(a.Floats(), rows, cols, opts); err != nil {
		return nil, err
	}
	if err := ax.Colorbar(s.dataLabel()); err != nil {
		return nil, err
	}
	return ax, nil
}

// firstImage is the source's last two axes at index 0 of the others (the source itself
// for 2-D data), with its WCS and axis names sliced to match.
func (s plotSource) firstImage() (plotSource, error) {
	shape := s.node.Shape()
	nd := len(shape)
	if nd <= 2 {
		return s, nil
	}
	key := make(obj.Tuple, nd)
	for i := range key {
		if i < nd-2 {
			key[i] = 0
		} else {
			key[i] = obj.Slice{}
		}
	}
	img, err := numpy.IndexNodeOf(s.node, key, nil)
	if err != nil {
		return s, err
	}
	view := plotSource{node: img, names: s.names, bunit: s.bunit}
	if s.wcs != nil {
		items := make([]wcs.Item, nd)
		for i := range items {
			if i < nd-2 {
				items[i] = wcs.Item{Index: 0, Drop: true}
			} else {
				items[i] = wcs.Item{Start: 0, Step: 1, Len: shape[i]}
			}
		}
		if w, err := s.wcs.Slice(items); err == nil {
			view.wcs = w
		}
	}
	if len(s.names) == nd {
		view.names = s.names[nd-2:]
	}
	return view, nil
}

// Frame implements plot.FrameData for plt.imshow(ds) of a 3-D or higher dataset.
func (d *Dataset) Frame(env *obj.Env, i int) ([]float64, error) { return numpy.FrameOf(env, d.Node, i) }

// slider steps through the first array axis of N-d data (N ≥ 3), each frame the last two
// axes at index 0 of the axes in between, computed when the figure is shown.
func (s plotSource) slider(env *obj.Env, shape []int) *draw.Slider {
	label := "axis 0"
	if len(s.names) > 0 && s.names[0] != "" {
		label = s.names[0]
	}
	// The frames are computed one after another when the figure is shown; their progress
	// is reported as one computation, so that a slider whose frames each take less than
	// the kernel's progress delay still shows a bar for the seconds they take together.
	frameEnv := env
	if env != nil && env.Out != nil {
		e := *env
		e.Out = &framesProgress{Output: env.Out, frames: min(shape[0], draw.MaxSliderFrames)}
		frameEnv = &e
	}
	sl := &draw.Slider{Label: label, Count: shape[0],
		Frame: func(i int) ([]float64, error) { return numpy.FrameOf(frameEnv, s.node, i) }}
	if name, vals := s.worldAxis(0, shape[0]); vals != nil {
		format := s.worldFormat(0)
		sl.FrameLabel = func(i int) string { return fmt.Sprintf("%s = %s", name, format(vals[i])) }
	}
	return sl
}

// framesProgress merges the progress reports of a slider's frame computes, which run one
// after another, into one report over all the frames.
type framesProgress struct {
	obj.Output
	frames int // frames a rendering computes

	mu    sync.Mutex
	done  int   // frames finished in this rendering
	bytes int64 // bytes read by them
	start time.Time
}

// Progress reports frame k's progress p as part of all the frames: chunks and bytes of
// the finished frames plus p's, the time since the first frame began, finished with the
// last frame (or when one stops short).
func (f *framesProgress) Progress(p obj.Progress) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done == 0 && f.start.IsZero() {
		f.start = time.Now()
	}
	q := p
	q.Label = fmt.Sprintf("%s (slider frame %d of %d)", p.Label, min(f.done+1, f.frames), f.frames)
	q.Total = p.Total * f.frames
	q.Done = f.done*p.Total + p.Done
	q.Bytes = f.bytes + p.Bytes
	q.Elapsed = time.Since(f.start)
	if p.Finished {
		if !p.Stopped {
			f.done++
			f.bytes += p.Bytes
		}
		q.Finished = p.Stopped || f.done >= f.frames
		if q.Finished { // a later rendering (savefig, show again) starts afresh
			f.done, f.bytes, f.start = 0, 0, time.Time{}
		}
	}
	f.Output.Progress(q)
}

// axesArg resolves axes=: an Axes handle to draw on, or None for the session's current
// axes.
func axesArg(env *obj.Env, v any) (*draw.Axes, error) {
	if v != nil {
		ax, ok := v.(*draw.Axes)
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "plot(): axes must be an Axes (from a previous .plot(), plt.gca() or plt.subplots()), not %s", obj.TypeName(v))
		}
		return ax, nil
	}
	p, err := plot.FromEnv(env)
	if err != nil {
		return nil, err
	}
	return p.GCA(), nil
}

// colorArg accepts a colour name or an (r, g, b[, a]) tuple, as a string plot reads.
func colorArg(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	c, err := colors.ParseColor(v)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("#%02x%02x%02x%02x", c.R, c.G, c.B, c.A), nil
}
