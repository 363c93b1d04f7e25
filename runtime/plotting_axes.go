package runtime

import (
	"fmt"
	"gokist/runtime/numpy"

	"gokist/obj"
	"gokist/runtime/plot/draw"
	"gokist/runtime/plot/worldgrid"
	"gokist/runtime/wcs"
)

// ds.plot(plot_axes=[...]) as ndcube's: one entry per array axis (array order, an
// Ellipsis standing for as many None as needed): 'x' and 'y' are the plotted axes, an
// integer fixes that axis at that index, None fixes it at 0 and adds a slider over the
// first such axis. And world-coordinate labelling of special axes: a Stokes axis is
// ticked I Q U V, a time axis with times of day, as astropy's WCSAxes does.

// axisRole is one plot_axes entry: 'x', 'y', a fixed index, or a slider (None).
type axisRole struct {
	role  string // "x", "y", "fixed", "slider"
	index int
}

// decodePlotAxes reads plot_axes for ndim array axes, with ndcube's checks.
func decodePlotAxes(v any, ndim int) ([]axisRole, error) {
	var items []any
	switch x := v.(type) {
	case obj.List:
		items = x
	case obj.Tuple:
		items = x
	case string:
		items = []any{x}
	default:
		return nil, obj.Errorf(obj.TypeError, "plot(): plot_axes must be a list such as [None, 'y', 'x'], not %s", obj.TypeName(v))
	}
	// Expand one Ellipsis into Nones, as ndcube's _expand_ellipsis.
	var expanded []any
	seen := false
	for _, it := range items {
		if _, ok := it.(obj.EllipsisType); ok {
			if seen {
				return nil, obj.Errorf(obj.IndexError, "Only single ellipsis ('...') is permitted.")
			}
			seen = true
			for range ndim - (len(items) - 1) {
				expanded = append(expanded, nil)
			}
			continue
		}
		expanded = append(expanded, it)
	}
	if len(expanded) != ndim {
		return nil, obj.Errorf(obj.ValueError, "plot(): plot_axes has %d entries, but the data has %d array axes; give one per axis (array order), e.g. %s", len(expanded), ndim, examplePlotAxes(ndim))
	}
	roles := make([]axisRole, ndim)
	counts := map[string]int{}
	for i, it := range expanded {
		switch x := it.(type) {
		case nil:
			roles[i] = axisRole{role: "slider"}
		case string:
			if x != "x" && x != "y" {
				return nil, obj.Errorf(obj.ValueError, "plot(): plot_axes entries are 'x', 'y', None or an index, got %q at position %d", x, i)
			}
			roles[i] = axisRole{role: x}
			counts[x]++
		case int:
			roles[i] = axisRole{role: "fixed", index: x}
		default:
			return nil, obj.Errorf(obj.TypeError, "plot(): plot_axes entries are 'x', 'y', None or an index, not %s at position %d", obj.TypeName(it), i)
		}
	}
	if counts["x"] != 1 {
		return nil, obj.Errorf(obj.ValueError, "'x' must be in plot_axes.").WithHint("exactly one entry is 'x', e.g. %s", examplePlotAxes(ndim))
	}
	if counts["y"] > 1 {
		return nil, obj.Errorf(obj.ValueError, "plot(): plot_axes names 'y' %d times; one axis is y", counts["y"])
	}
	return roles, nil
}

func examplePlotAxes(ndim int) string {
	parts := make([]string, ndim)
	for i := range parts {
		parts[i] = "None"
	}
	if ndim >= 1 {
		parts[ndim-1] = "'x'"
	}
	if ndim >= 2 {
		parts[ndim-2] = "'y'"
	}
	return "[" + joinComma(parts) + "]"
}

func joinComma(p []string) string {
	out := ""
	for i, s := range p {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}

// selectAxes is the source at the roles' fixed indices (sliders at sliderAt), keeping
// the x and y axes, with its WCS and names sliced to match.
func (s plotSource) selectAxes(roles []axisRole, sliderAt int) (plotSource, error) {
	shape := s.node.Shape()
	key := make(obj.Tuple, len(shape))
	items := make([]wcs.Item, len(shape))
	var names []string
	for i, r := range roles {
		switch r.role {
		case "x", "y":
			key[i] = obj.Slice{}
			items[i] = wcs.Item{Start: 0, Step: 1, Len: shape[i]}
			if i < len(s.names) {
				names = append(names, s.names[i])
			}
		default:
			idx := r.index
			if r.role == "slider" {
				idx = sliderAt
			}
			if idx < 0 {
				idx += shape[i]
			}
			if idx < 0 || idx >= shape[i] {
				return s, obj.Errorf(obj.IndexError, "plot(): plot_axes index %d is out of bounds for axis %d with size %d", r.index, i, shape[i])
			}
			key[i] = idx
			items[i] = wcs.Item{Index: idx, Drop: true}
		}
	}
	n, err := numpy.IndexNodeOf(s.node, key, nil)
	if err != nil {
		return s, err
	}
	view := plotSource{node: n, names: names, bunit: s.bunit}
	if s.wcs != nil {
		if w, err := s.wcs.Slice(items); err == nil {
			view.wcs = w
		}
	}
	return view, nil
}

// plotWithAxes draws ds.plot(plot_axes=...): a line along 'x', or an image of 'y'
// against 'x' (transposed when x comes first in array order), with a slider over the
// first None axis.
func (s plotSource) plotWithAxes(env *obj.Env, args plotArgs, spec any) (any, error) {
	shape := s.node.Shape()
	roles, err := decodePlotAxes(spec, len(shape))
	if err != nil {
		return nil, err
	}
	view, err := s.selectAxes(roles, 0)
	if err != nil {
		return nil, err
	}
	xAxis, yAxis, slider := -1, -1, -1
	for i, r := range roles {
		switch {
		case r.role == "x":
			xAxis = i
		case r.role == "y":
			yAxis = i
		case r.role == "slider" && slider < 0 && shape[i] > 1:
			slider = i
		}
	}
	if yAxis < 0 {
		if len(args.imageGiven) > 0 {
			return nil, obj.Errorf(obj.TypeError, "plot(): %s applies to images; plot_axes has no 'y'", args.imageGiven[0])
		}
		if args.lineErr != nil {
			return nil, args.lineErr
		}
		return view.plotLine(env, args)
	}
	if len(args.lineGiven) > 0 {
		return nil, obj.Errorf(obj.TypeError, "plot(): %s applies to lines; plot_axes has 'x' and 'y'", args.lineGiven[0])
	}
	if args.imageErr != nil {
		return nil, args.imageErr
	}
	transpose := xAxis < yAxis
	if slider >= 0 {
		label := fmt.Sprintf("axis %d", slider)
		if slider < len(s.names) && s.names[slider] != "" {
			label = s.names[slider]
		}
		args.image.Slider = &draw.Slider{Label: label, Count: shape[slider], Frame: func(i int) ([]float64, error) {
			v, err := s.selectAxes(roles, i)
			if err != nil {
				return nil, err
			}
			a, err := numpy.ComputeForPlot(env, v.node)
			if err != nil {
				return nil, err
			}
			return orient(a.Floats(), v.node.Shape(), transpose), nil
		}}
		if name, vals := s.worldAxis(slider, shape[slider]); vals != nil {
			format := s.worldFormat(slider)
			args.image.Slider.FrameLabel = func(i int) string { return fmt.Sprintf("%s = %s", name, format(vals[i])) }
		}
	}
	return view.drawImage(env, args, transpose)
}

// orient lays a 2-D frame out as rows×cols for the image: as it is, or transposed.
func orient(vals []float64, shape []int, transpose bool) []float64 {
	if !transpose {
		return vals
	}
	r, c := shape[0], shape[1]
	out := make([]float64, len(vals))
	for i := range r {
		for j := range c {
			out[j*r+i] = vals[i*c+j]
		}
	}
	return out
}

// drawImage draws a 2-D source as an image with world ticks and a colour bar;
// transpose puts array axis 0 along x.
func (s plotSource) drawImage(env *obj.Env, args plotArgs, transpose bool) (any, error) {
	opts := args.image
	if err := draw.CheckImageOptions(opts); err != nil {
		return nil, err
	}
	a, err := numpy.ComputeForPlot(env, s.node)
	if err != nil {
		return nil, err
	}
	shape := s.node.Shape()
	rowAxis, colAxis := 0, 1
	if transpose {
		rowAxis, colAxis = 1, 0
	}
	rows, cols := shape[rowAxis], shape[colAxis]
	ax, err := axesArg(env, args.axes)
	if err != nil {
		return nil, err
	}
	s.labelImageAxes(&opts, rowAxis, colAxis, rows, cols)
	if err := ax.Image(orient(a.Floats(), shape, transpose), rows, cols, opts); err != nil {
		return nil, err
	}
	if err := ax.Colorbar(s.dataLabel()); err != nil {
		return nil, err
	}
	return ax, nil
}

// labelImageAxes sets an image's axis labels and world ticks from the source's WCS:
// rowAxis along y, colAxis along x.
func (s plotSource) labelImageAxes(opts *draw.ImageOptions, rowAxis, colAxis, rows, cols int) {
	if s.wcs != nil && rowAxis == 0 && colAxis == 1 {
		if g, xl, yl := worldgrid.CelestialGrid(s.wcs); g != nil {
			opts.WorldGrid, opts.XLabel, opts.YLabel = g, xl, yl
			return
		}
	}
	opts.XLabel, opts.XWorld = s.worldAxis(colAxis, cols)
	if opts.XWorld == nil {
		opts.XLabel = s.pixelLabel(colAxis)
	} else {
		opts.XFormat, opts.XCategory = s.tickFormat(colAxis)
		opts.XLabel = s.axisTitle(colAxis, opts.XLabel)
	}
	opts.YLabel, opts.YWorld = s.worldAxis(rowAxis, rows)
	if opts.YWorld == nil {
		opts.YLabel = s.pixelLabel(rowAxis)
	} else {
		opts.YFormat, opts.YCategory = s.tickFormat(rowAxis)
		opts.YLabel = s.axisTitle(rowAxis, opts.YLabel)
	}
}

// tickFormat is how ticks along an array axis write world values: Stokes symbols on
// every pixel, times of day, or plain numbers (nil).
func (s plotSource) tickFormat(axis int) (func(float64) string, bool) {
	if s.wcs == nil {
		return nil, false
	}
	kind, format := s.wcs.ArrayAxisLabel(axis)
	return format, kind == wcs.StokesAxis
}

// worldFormat writes one world value of an array axis as its ticks do.
func (s plotSource) worldFormat(axis int) func(float64) string {
	if f, _ := s.tickFormat(axis); f != nil {
		return f
	}
	return func(v float64) string { return fmt.Sprintf("%.6g", v) }
}

// axisTitle is the axis label for a world axis: a time axis names its date and UTC
// ("time (UTC, 2022-06-02)"), a Stokes axis drops its empty unit.
func (s plotSource) axisTitle(axis int, label string) string {
	if s.wcs == nil {
		return label
	}
	switch kind, _ := s.wcs.ArrayAxisLabel(axis); kind {
	case wcs.TimeAxis:
		return "time (UTC, " + s.wcs.ReferenceDate() + ")"
	case wcs.StokesAxis:
		return "stokes"
	}
	return label
}
