package plot

import (
	"errors"
	"fmt"
	"math"
	goruntime "runtime"
	"slices"
	"strings"
	"sync"
	"weak"

	"gokist/obj"
	"gokist/runtime/plot/colors"
	"gokist/runtime/plot/draw"
	"gokist/runtime/plot/rcparams"
	"gokist/runtime/plot/worldgrid"
)

// ServiceName is the key under which a session registers its *Pyplot in obj.Env.Services
// (lang binds the same value to the name `plt`), so that runtime's .plot() methods draw
// on the session's figures.
const ServiceName = "plot"

// FromEnv returns the session's Pyplot from env, or a RuntimeError when none is
// registered.
func FromEnv(env *obj.Env) (*Pyplot, error) {
	if p, ok := env.Service(ServiceName).(*Pyplot); ok && p != nil {
		return p, nil
	}
	return nil, obj.Errorf(obj.RuntimeError, "plotting is not available: the session has no %q service", ServiceName)
}

// PlotHandle is implemented by figures and axes: a cell whose final value is a plot
// handle shows no execute_result, because the figure itself is displayed.
type PlotHandle interface {
	IsPlotHandle() bool
}

// Pyplot is one session's matplotlib.pyplot state (bound as `plt`): the current figure
// and the figures created or drawn on during the running cell, which FlushCell shows and
// closes at the end of the cell, as matplotlib's inline backend does.
type Pyplot struct {
	mu      sync.Mutex
	current *draw.Figure
	touched []*draw.Figure
	nextNum int
	// open holds the figures made here and not closed with plt.close, weakly: a figure
	// no name refers to any more is gone, as matplotlib's would be once closed. They are
	// what plt.close('all') releases and what the open-figures warning counts.
	open []weak.Pointer[draw.Figure]
	// openWarned is set once the warning was given, until the count drops below the
	// limit again; pendingWarning holds its text until a cell output takes it.
	openWarned     bool
	pendingWarning string
	// rc is the session's matplotlib.rcParams.
	rc *rcparams.RCParams
}

// RCValue is rcParams[key] (nil when unset), for the figures this session owns.
func (p *Pyplot) RCValue(key string) any { return p.RC().Value(key) }

// RC returns the session's rcParams.
func (p *Pyplot) RC() *rcparams.RCParams {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rc == nil {
		p.rc = rcparams.New()
	}
	return p.rc
}

// defaultFigure is rcParams' figure size and dpi.
func (p *Pyplot) defaultFigure() (w, h, dpi float64) {
	r := p.RC()
	size, _ := r.Value("figure.figsize").(obj.List)
	w, h = draw.DefaultWidth, draw.DefaultHeight
	if len(size) == 2 {
		w, _ = obj.Float(size[0])
		h, _ = obj.Float(size[1])
	}
	dpi, _ = obj.Float(r.Value("figure.dpi"))
	return w, h, dpi
}

// openFiguresWarning is matplotlib 3.6's RuntimeWarning text for MaxOpenWarning.
var openFiguresWarning = fmt.Sprintf("More than %d figures have been opened. Figures created through the pyplot interface (`matplotlib.pyplot.figure`) are retained until explicitly closed and may consume too much memory. (To control this warning, see the rcParam `figure.max_open_warning`). Consider using `matplotlib.pyplot.close()`.", rcparams.MaxOpenWarning)

// liveFigures drops the figures collected since and returns the others; p.mu held.
func (p *Pyplot) liveFigures() []*draw.Figure {
	var live []*draw.Figure
	kept := p.open[:0]
	for _, w := range p.open {
		if f := w.Value(); f != nil {
			live = append(live, f)
			kept = append(kept, w)
		}
	}
	clear(p.open[len(kept):])
	p.open = kept
	return live
}

// register adds a new figure to the open ones, noting the matplotlib warning when
// MaxOpenWarning are open already; p.mu held.
func (p *Pyplot) register(f *draw.Figure) {
	n := len(p.liveFigures())
	if n >= rcparams.MaxOpenWarning && !p.openWarned {
		// Figures no name refers to may not have been collected yet: count again after a
		// collection (a rare event: once per MaxOpenWarning figures at most).
		p.mu.Unlock()
		goruntime.GC()
		p.mu.Lock()
		n = len(p.liveFigures())
	}
	switch {
	case n < rcparams.MaxOpenWarning:
		p.openWarned = false
	case !p.openWarned:
		p.openWarned = true
		p.pendingWarning = "RuntimeWarning: " + openFiguresWarning + "\n"
	}
	p.open = append(p.open, weak.Make(f))
}

// TakeWarning returns the warning noted since the last call ("" if none), for the cell's
// stderr.
func (p *Pyplot) TakeWarning() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	w := p.pendingWarning
	p.pendingWarning = ""
	return w
}

// emitWarning writes a pending warning to out's stderr.
func (p *Pyplot) emitWarning(out obj.Output) {
	if w := p.TakeWarning(); w != "" && out != nil {
		out.Stream("stderr", w)
	}
}

// NewPyplot returns an empty pyplot state.
func NewPyplot() *Pyplot { return &Pyplot{} }

// Type implements obj.Object.
func (p *Pyplot) Type() *obj.Type { return pyplotType }

// String is the module's repr.
func (p *Pyplot) String() string { return "<module 'matplotlib.pyplot' (gokist)>" }

// MimeBundle implements obj.MimeBundler.
func (p *Pyplot) MimeBundle() map[string]any { return map[string]any{"text/plain": p.String()} }

// touch records f as drawn on in this cell and makes it current.
func (p *Pyplot) touch(f *draw.Figure) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.current = f
	if !slices.Contains(p.touched, f) {
		p.touched = append(p.touched, f)
	}
}

// TouchDrawn records that something was drawn on f: it is shown at the end of the cell
// even if a later call on it fails.
func (p *Pyplot) TouchDrawn(f *draw.Figure) {
	p.mu.Lock()
	f.Unused = false
	p.mu.Unlock()
	p.touch(f)
}

// DiscardUnused closes f when pyplot made it implicitly and nothing was drawn on it.
func (p *Pyplot) DiscardUnused(f *draw.Figure) {
	p.mu.Lock()
	unused := f.Unused
	p.mu.Unlock()
	if unused {
		p.Close(f)
	}
}

// keep marks an implicitly made figure as wanted (plt.gca() or plt.gcf() called by the
// user), as matplotlib shows such an empty figure.
func (p *Pyplot) keep(f *draw.Figure) {
	p.mu.Lock()
	f.Unused = false
	p.mu.Unlock()
}

// NewFigure creates a figure (width×height inches, rows×cols axes) owned by p, current
// and shown at the end of the cell, at rcParams' dpi.
func (p *Pyplot) NewFigure(width, height float64, rows, cols int) (*draw.Figure, error) {
	_, _, dpi := p.defaultFigure()
	return p.NewFigureDPI(width, height, dpi, rows, cols)
}

// NewFigureDPI is NewFigure at dpi dots per inch.
func (p *Pyplot) NewFigureDPI(width, height, dpi float64, rows, cols int) (*draw.Figure, error) {
	f, err := draw.NewFigureDPI(width, height, dpi, rows, cols)
	if err != nil {
		return nil, err
	}
	if fs, ok := obj.Float(p.RC().Value("font.size")); ok {
		f.FontSize = fs
		f.SuptitleSize = draw.TitleFontSize * fs / 10
	}
	if on, _ := p.RC().Value("axes.grid").(bool); on {
		for _, a := range f.Axes() {
			a.GridX, a.GridY = true, true
		}
	}
	p.mu.Lock()
	p.nextNum++
	f.Num = p.nextNum
	f.Owner = p
	p.register(f)
	p.mu.Unlock()
	p.touch(f)
	return f, nil
}

// GCF returns the current figure, creating a default one when there is none (after a
// flush there is none, so each cell's first plot starts a new figure). A figure made
// here is closed again when the first call drawing on it fails (see Axes.Line).
func (p *Pyplot) GCF() *draw.Figure {
	p.mu.Lock()
	f := p.current
	p.mu.Unlock()
	if f != nil {
		return f
	}
	w, h, dpi := p.defaultFigure()
	f, err := p.NewFigureDPI(w, h, dpi, 1, 1)
	if err != nil { // rcParams hold checked values; fall back to matplotlib's defaults
		f, _ = p.NewFigureDPI(draw.DefaultWidth, draw.DefaultHeight, draw.DPI, 1, 1)
	}
	p.mu.Lock()
	f.Unused = true
	p.mu.Unlock()
	return f
}

// GCA returns the current axes of the current figure (creating the figure if needed).
func (p *Pyplot) GCA() *draw.Axes {
	f := p.GCF()
	a := f.CurrentAxes()
	p.touch(f)
	return a
}

// DrawOnGCA runs draw on the current axes. When draw fails and the figure was created
// for this call, the figure is closed again, so a rejected plt.plot(...) does not leave
// an empty figure in the cell's output.
func (p *Pyplot) DrawOnGCA(draw func(*draw.Axes) error) (*draw.Axes, error) {
	p.mu.Lock()
	hadFigure := p.current != nil
	p.mu.Unlock()
	ax := p.GCA()
	if err := draw(ax); err != nil {
		if !hadFigure {
			p.Close(nil)
		}
		return nil, err
	}
	return ax, nil
}

// onGCA runs fn on the current axes; when fn fails on a figure made for this call, the
// figure is closed again (see Axes.rejected).
func (p *Pyplot) onGCA(fn func(*draw.Axes) error) error {
	a := p.GCA()
	if err := fn(a); err != nil {
		return a.Rejected(err)
	}
	return nil
}

// Close forgets a figure (nil: the current one) so that it is not shown at the end of
// the cell; handles to its axes stay usable and re-open it when drawn on.
func (p *Pyplot) Close(f *draw.Figure) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if f == nil {
		f = p.current
	}
	if f == nil {
		return
	}
	p.touched = slices.DeleteFunc(p.touched, func(x *draw.Figure) bool { return x == f })
	if p.current == f {
		p.current = nil
	}
}

// CloseAndRelease is plt.close(fig): the figure is closed and its drawn data (image
// pixels, line points) released, so that a figure still kept under a name no longer
// holds megabytes; it stays usable, empty, for new drawing.
func (p *Pyplot) CloseAndRelease(f *draw.Figure) {
	p.mu.Lock()
	if f == nil {
		f = p.current
	}
	p.mu.Unlock()
	if f == nil {
		return
	}
	p.Close(f)
	p.mu.Lock()
	p.open = slices.DeleteFunc(p.open, func(w weak.Pointer[draw.Figure]) bool { return w.Value() == f })
	p.mu.Unlock()
	f.Release()
}

// CloseAll forgets every open figure and releases their drawn data (plt.close('all')),
// also of figures shown in earlier cells and kept under a name.
func (p *Pyplot) CloseAll() {
	p.mu.Lock()
	figs := p.liveFigures()
	p.touched, p.current, p.open, p.openWarned = nil, nil, nil, false
	p.mu.Unlock()
	for _, f := range figs {
		f.Release()
	}
}

// OpenFigures returns the figures that the next FlushCell will show, in order.
func (p *Pyplot) OpenFigures() []*draw.Figure {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.touched)
}

// FlushCell shows each figure created or drawn on during the cell once, as a display_data
// bundle with image/png (and text/html with a slider for 3-D data), then closes them so
// that the next plot starts a new figure. Render errors are joined and returned after the
// other figures were shown.
func (p *Pyplot) FlushCell(out obj.Output) error {
	p.emitWarning(out)
	p.mu.Lock()
	figs := p.touched
	p.touched, p.current = nil, nil
	p.mu.Unlock()
	var errs []error
	for _, f := range figs {
		bundle, meta, err := f.DisplayBundle()
		if err != nil {
			errs = append(errs, err)
		}
		if bundle != nil && out != nil {
			out.Display(bundle, meta, "", false)
		}
	}
	return errors.Join(errs...)
}

// AxesGrid is the 2-D array of axes that subplots(nrows, ncols) returns when both are
// above one: index it as ax[i, j] or ax[i][j]; ax.flat lists all axes.
type AxesGrid struct {
	rows, cols int
	axes       []*draw.Axes
}

// Type implements obj.Object.
func (g *AxesGrid) Type() *obj.Type { return axesGridType }

// IsPlotHandle marks the grid as a plot handle.
func (g *AxesGrid) IsPlotHandle() bool { return true }

// Len is the number of rows, as numpy's len of a 2-D array.
func (g *AxesGrid) Len() int { return g.rows }

// String renders like numpy's object array of axes, briefly.
func (g *AxesGrid) String() string {
	return fmt.Sprintf("array of %dx%d Axes", g.rows, g.cols)
}

// MimeBundle implements obj.MimeBundler.
func (g *AxesGrid) MimeBundle() map[string]any { return map[string]any{"text/plain": g.String()} }

// GetItem implements obj.Indexer as numpy's 2-D object array: ax[i, j] one axes, ax[i]
// row i, and slices (ax[:, 0] a column, ax[0, 1:] part of a row, ax[::-1] rows
// reversed) as 1-D arrays (tuples) or 2-D grids.
func (g *AxesGrid) GetItem(env *obj.Env, key any) (any, error) {
	k, ok := key.(obj.Tuple)
	if !ok {
		k = obj.Tuple{key}
	}
	if len(k) > 2 {
		return nil, obj.Errorf(obj.IndexError, "too many indices for array: array is 2-dimensional, but %d were indexed", len(k))
	}
	if len(k) == 1 {
		k = append(k, obj.Slice{})
	}
	rows, rowScalar, err := gridIndex(k[0], g.rows, 0)
	if err != nil {
		return nil, err
	}
	cols, colScalar, err := gridIndex(k[1], g.cols, 1)
	if err != nil {
		return nil, err
	}
	var picked []*draw.Axes
	for _, r := range rows {
		for _, c := range cols {
			picked = append(picked, g.axes[r*g.cols+c])
		}
	}
	switch {
	case rowScalar && colScalar:
		return picked[0], nil
	case rowScalar || colScalar:
		t := make(obj.Tuple, len(picked))
		for i, a := range picked {
			t[i] = a
		}
		return t, nil
	}
	return &AxesGrid{rows: len(rows), cols: len(cols), axes: picked}, nil
}

// gridIndex resolves one index of the axes array: an integer (scalar) or a slice.
func gridIndex(v any, n, axis int) ([]int, bool, error) {
	switch x := v.(type) {
	case int:
		i := x
		if i < 0 {
			i += n
		}
		if i < 0 || i >= n {
			return nil, false, obj.Errorf(obj.IndexError, "index %d is out of bounds for axis %d with size %d", x, axis, n)
		}
		return []int{i}, true, nil
	case obj.Slice:
		step := 1
		if x.Step != nil {
			step = *x.Step
		}
		if step == 0 {
			return nil, false, obj.Errorf(obj.ValueError, "slice step cannot be zero")
		}
		start, stop := 0, n
		if step < 0 {
			start, stop = n-1, -1
		}
		clampIdx := func(p *int, def int) int {
			if p == nil {
				return def
			}
			i := *p
			if i < 0 {
				i += n
			}
			if step > 0 {
				return max(0, min(i, n))
			}
			return max(-1, min(i, n-1))
		}
		start, stop = clampIdx(x.Start, start), clampIdx(x.Stop, stop)
		var out []int
		for i := start; (step > 0 && i < stop) || (step < 0 && i > stop); i += step {
			out = append(out, i)
		}
		return out, false, nil
	}
	return nil, false, obj.Errorf(obj.IndexError, "only integers and slices (`:`) are valid indices of the axes array, not %s", obj.TypeName(v))
}

// Subplots creates a figure with a rows×cols grid and returns it with its axes: one
// Axes, a Tuple of Axes for a single row or column, or an *AxesGrid.
func (p *Pyplot) Subplots(rows, cols int, width, height float64) (*draw.Figure, any, error) {
	f, err := p.NewFigure(width, height, rows, cols)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case rows == 1 && cols == 1:
		return f, f.Axes()[0], nil
	case rows == 1 || cols == 1:
		t := make(obj.Tuple, len(f.Axes()))
		for i, a := range f.Axes() {
			t[i] = a
		}
		return f, t, nil
	}
	return f, &AxesGrid{rows: rows, cols: cols, axes: f.Axes()}, nil
}

// floatArg reads a number argument.
func floatArg(fn, name string, v any) (float64, error) {
	if f, ok := obj.Float(v); ok {
		return f, nil
	}
	if d, ok := v.(Float64Data); ok {
		vals, _, err := d.Float64s(nil)
		if err == nil && len(vals) == 1 {
			return vals[0], nil
		}
	}
	return math.NaN(), obj.Errorf(obj.TypeError, "%s(): %s must be a number, not %s", fn, name, obj.TypeName(v))
}

// stringArg reads a string argument; numbers and booleans are formatted as Python's
// str() would (label=5 gives '5', label=5.0 gives '5.0'), as matplotlib does.
func stringArg(fn, name string, v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case int, int64, float64, float32, bool:
		return draw.PyStr(x), nil
	}
	return "", obj.Errorf(obj.TypeError, "%s(): %s must be a string, not %s", fn, name, obj.TypeName(v))
}

// textArg reads a text argument (a title, axis label or legend label): anything
// matplotlib turns into text with str(), here numbers, booleans, None, and lists and
// tuples of those and strings.
func textArg(fn, name string, v any) (string, error) {
	if v == nil {
		return "", nil // matplotlib's Text.set_text(None) clears the text
	}
	if s, ok := draw.PyStrOK(v); ok {
		return s, nil
	}
	return "", obj.Errorf(obj.TypeError, "%s(): %s must be a string, not %s", fn, name, obj.TypeName(v))
}

// strOnlyArg reads an argument that must be a str, as for file names and formats, where a
// number turned into text would silently name the wrong file.
func strOnlyArg(fn, name string, v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	return "", obj.Errorf(obj.TypeError, "%s(): %s must be a str, not %s", fn, name, obj.TypeName(v))
}

// pairArg reads a 2-tuple or 2-list of numbers such as figsize=(8, 4) or xlim((0, 1)).
func pairArg(fn, name string, v any) (float64, float64, error) {
	var items []any
	switch x := v.(type) {
	case obj.Tuple:
		items = x
	case obj.List:
		items = x
	}
	if len(items) != 2 {
		return 0, 0, obj.Errorf(obj.TypeError, "%s(): %s must be a pair of numbers such as (6.4, 4.8), not %s", fn, name, obj.TypeName(v))
	}
	a, err := floatArg(fn, name, items[0])
	if err != nil {
		return 0, 0, err
	}
	b, err := floatArg(fn, name, items[1])
	return a, b, err
}

// kwargs checks and reads keyword arguments of variadic members (plot, imshow).
type kwargs struct {
	fn    string
	kw    map[string]any
	valid []string
	axes  *draw.Axes // the axes drawn on, for defaults that depend on the figure (text size)
}

func newKwargs(fn string, kw map[string]any, valid ...string) (*kwargs, error) {
	for k := range kw {
		if !slices.Contains(valid, k) {
			e := obj.Errorf(obj.TypeError, "%s() got an unexpected keyword argument '%s'", fn, k)
			if s := obj.Closest(k, valid); s != "" {
				e.Hint = fmt.Sprintf("did you mean `%s`?", s)
			}
			return nil, e
		}
	}
	return &kwargs{fn: fn, kw: kw, valid: valid}, nil
}

// get returns the first given of the names (aliases such as "linestyle", "ls"); a None
// value counts as absent.
func (k *kwargs) get(names ...string) any {
	for _, n := range names {
		if v, ok := k.kw[n]; ok && v != nil {
			return v
		}
	}
	return nil
}

func (k *kwargs) str(names ...string) (string, error) {
	v := k.get(names...)
	if v == nil {
		return "", nil
	}
	return stringArg(k.fn, names[0], v)
}

func (k *kwargs) float(names ...string) (*float64, error) {
	v := k.get(names...)
	if v == nil {
		return nil, nil
	}
	f, err := floatArg(k.fn, names[0], v)
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// colorString normalises a colour argument (name or RGB tuple) to a string ParseColor
// reads back.
func colorString(v any) (string, error) {
	if s, ok := v.(string); ok {
		_, err := colors.ParseColor(s)
		return s, err
	}
	c, err := colors.ParseColor(v)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("#%02x%02x%02x%02x", c.R, c.G, c.B, c.A), nil
}

// lineKeywords are the keywords plot() accepts.
var lineKeywords = []string{"color", "c", "linestyle", "ls", "marker", "linewidth", "lw", "markersize", "ms", "label"}

// styleFromKwargs builds a LineStyle from a fmt spec and keyword arguments (keywords win).
func styleFromKwargs(k *kwargs, spec draw.FormatSpec) (draw.LineStyle, error) {
	st := draw.LineStyle{Color: spec.Color, LineStyle: spec.LineStyle, Marker: spec.Marker}
	if v := k.get("color", "c"); v != nil {
		c, err := colorString(v)
		if err != nil {
			return st, err
		}
		st.Color = c
	}
	var err error
	if v := k.get("linestyle", "ls"); v != nil {
		if st.LineStyle, err = stringArg(k.fn, "linestyle", v); err != nil {
			return st, err
		}
	}
	if v := k.get("marker"); v != nil {
		if st.Marker, err = stringArg(k.fn, "marker", v); err != nil {
			return st, err
		}
	}
	// LineStyle's zero width and size mean the defaults; matplotlib's lw=0 and ms=0 draw
	// no line and no markers.
	if f, err := k.float("linewidth", "lw"); err != nil {
		return st, err
	} else if f != nil {
		st.LineWidth = *f
		if *f == 0 {
			st.LineStyle = "None"
		}
	}
	if f, err := k.float("markersize", "ms"); err != nil {
		return st, err
	} else if f != nil {
		st.MarkerSize = *f
		if *f == 0 {
			st.Marker = ""
		}
	}
	if v := k.get("label"); v != nil {
		if st.Label, err = textArg(k.fn, "label", v); err != nil {
			return st, err
		}
	}
	return st, nil
}

// PlotArgs draws plot(...) arguments on ax: `y`, `x, y`, each optionally followed by a
// fmt string, repeated (`x1, y1, 'r', x2, y2, 'g--'`), with line keywords. A 2-D y draws
// one line per column, as matplotlib does. Every group is checked (styles and shapes
// before any data is computed) before anything is drawn, so a failing call adds nothing.
func PlotArgs(a *draw.Axes, env *obj.Env, args obj.Args) error {
	err := plotArgs(a, env, args)
	if err != nil {
		return a.Rejected(err)
	}
	return nil
}

// plotGroup is one `[x], y, [fmt]` group of plot() arguments with its style.
type plotGroup struct {
	data  []any
	style draw.LineStyle
}

func plotArgs(a *draw.Axes, env *obj.Env, args obj.Args) error {
	const fn = "plot"
	k, err := newKwargs(fn, args.Kw, lineKeywords...)
	if err != nil {
		return err
	}
	pos := args.Pos
	if len(pos) == 0 {
		return obj.Errorf(obj.TypeError, "plot() needs data: plot(y), plot(x, y) or plot(x, y, fmt)")
	}
	// First pass: split the groups, check styles and shapes; nothing is computed.
	var groups []plotGroup
	for len(pos) > 0 {
		var data []any
		for len(pos) > 0 && len(data) < 2 {
			if _, isStr := pos[0].(string); isStr {
				break
			}
			data, pos = append(data, pos[0]), pos[1:]
		}
		if len(data) == 0 {
			return obj.Errorf(obj.TypeError, "plot(): the format string %v must follow the data it styles", pos[0])
		}
		spec := draw.FormatSpec{}
		if len(pos) > 0 {
			if s, isStr := pos[0].(string); isStr {
				if spec, err = draw.ParseFormat(s); err != nil {
					return err
				}
				pos = pos[1:]
			}
		}
		style, err := styleFromKwargs(k, spec)
		if err != nil {
			return err
		}
		if err := draw.CheckLineStyle(style); err != nil {
			return err
		}
		if err := checkMaxDims("plot() y", data[len(data)-1], 2, "select a spectrum first, e.g. plt.plot(ds[0, 0, :, 1000].data), or use ds[0].plot() for an image"); err != nil {
			return err
		}
		if len(data) == 2 {
			if err := checkMaxDims("plot() x", data[0], 1, "x is one coordinate per point"); err != nil {
				return err
			}
		}
		groups = append(groups, plotGroup{data: data, style: style})
	}
	// Second pass: compute the data and prepare every series.
	var series []*draw.LineSeries
	for _, g := range groups {
		data := g.data
		y, yshape, err := ToFloat64s(env, "plot() y", data[len(data)-1])
		if err != nil {
			return err
		}
		var x []float64
		if len(data) == 2 {
			var xshape []int
			if x, xshape, err = ToFloat64s(env, "plot() x", data[0]); err != nil {
				return err
			}
			if len(xshape) > 1 {
				return obj.Errorf(obj.ValueError, "plot(): x must be 1-D, got shape %s", shapeText(xshape))
			}
		}
		switch len(yshape) {
		case 0, 1:
			s, err := draw.PrepareLine(x, y, g.style)
			if err != nil {
				return err
			}
			series = append(series, s)
		case 2:
			n, m := yshape[0], yshape[1]
			for j := range m {
				col := make([]float64, n)
				for i := range n {
					col[i] = y[i*m+j]
				}
				s, err := draw.PrepareLine(x, col, g.style)
				if err != nil {
					return err
				}
				series = append(series, s)
			}
		default:
			return obj.Errorf(obj.ValueError, "plot(): y must be 1-D or 2-D, got shape %s", shapeText(yshape))
		}
	}
	a.AddLines(series...)
	unitLabels(a, env, groups[len(groups)-1].data)
	return nil
}

// unitLabels labels the x and y axes with the units of a plotted (x, y) pair of
// Quantities under quantity_support, when the axis has no label yet, as astropy does.
func unitLabels(a *draw.Axes, env *obj.Env, data []any) {
	if len(data) == 0 {
		return
	}
	if u := quantityUnit(env, data[len(data)-1]); u != "" && a.Ylabel == "" {
		a.Ylabel = u
	}
	if len(data) == 2 {
		if u := quantityUnit(env, data[0]); u != "" && a.Xlabel == "" {
			a.Xlabel = u
		}
	}
}

// ImshowArgs draws imshow(X, cmap=None, vmin=None, vmax=None, origin='upper',
// aspect='equal') on ax. 3-D and higher data shows the last two axes at index 0 of the
// others, with an HTML slider over the first other axis.
func ImshowArgs(a *draw.Axes, env *obj.Env, args obj.Args) error {
	if err := imshowArgs(a, env, args); err != nil {
		return a.Rejected(err)
	}
	return nil
}

func imshowArgs(a *draw.Axes, env *obj.Env, args obj.Args) error {
	const fn = "imshow"
	k, err := newKwargs(fn, args.Kw, "X", "cmap", "norm", "vmin", "vmax", "origin", "aspect", "interpolation", "extent", "alpha", "label", "zorder", "resample", "filternorm")
	if err != nil {
		return err
	}
	var x any
	switch {
	case len(args.Pos) == 1:
		x = args.Pos[0]
	case len(args.Pos) == 0 && k.get("X") != nil:
		x = k.get("X")
	default:
		return obj.Errorf(obj.TypeError, "imshow() takes one data argument, got %d", len(args.Pos))
	}
	if s, ok := x.(shaped); ok && len(s.Shape()) < 2 {
		return obj.Errorf(obj.ValueError, "imshow(): an image needs 2-D data, got shape %s; use plt.plot() for 1-D data", shapeText(s.Shape()))
	}
	var opts draw.ImageOptions
	if opts.Cmap, err = k.str("cmap"); err != nil {
		return err
	}
	if opts.Cmap == "" && a.Fig != nil && a.Fig.Owner != nil {
		opts.Cmap, _ = a.Fig.Owner.RCValue("image.cmap").(string)
	}
	if opts.Vmin, err = k.float("vmin"); err != nil {
		return err
	}
	if opts.Vmax, err = k.float("vmax"); err != nil {
		return err
	}
	if opts.Norm, err = colors.NormArg(fn, k.get("norm")); err != nil {
		return err
	}
	if opts.Origin, err = k.str("origin"); err != nil {
		return err
	}
	if opts.Aspect, err = k.str("aspect"); err != nil {
		return err
	}
	if opts.Aspect == "" {
		opts.Aspect = "equal"
	}
	if f, ok := obj.Float(k.get("aspect")); ok {
		// A number is the height/width of one data unit; gokist draws 1 ("equal") or fills.
		if f != 1 {
			return obj.Errorf(obj.ValueError, "imshow(): gokist draws aspect='equal' (1), 'auto' or 1, got %s", draw.PyStr(k.get("aspect")))
		}
		opts.Aspect = "equal"
	}
	if opts.Interpolation, err = k.str("interpolation"); err != nil {
		return err
	}
	if v := k.get("extent"); v != nil {
		e, _, err := ToFloat64s(env, "imshow() extent", v)
		if err != nil {
			return err
		}
		if len(e) != 4 {
			return obj.Errorf(obj.ValueError, "extent must be a sequence of 4 numbers (left, right, bottom, top), got %d", len(e))
		}
		opts.Extent = &[4]float64{e[0], e[1], e[2], e[3]}
	}
	// Check the options before computing any data.
	if err := draw.CheckImageOptions(opts); err != nil {
		return err
	}
	var vals []float64
	var shape []int
	if f, ok := x.(FrameData); ok && len(f.Shape()) > 2 {
		// Lazy N-d data: compute frame 0 now and the slider's frames when shown.
		shape = f.Shape()
		if vals, err = f.Frame(env, 0); err != nil {
			return err
		}
		if shape[0] > 1 {
			opts.Slider = &draw.Slider{Label: "axis 0", Count: shape[0],
				Frame: func(i int) ([]float64, error) { return f.Frame(env, i) }}
		}
		shape = shape[len(shape)-2:]
	} else if vals, shape, err = ToFloat64s(env, "imshow() data", x); err != nil {
		return err
	}
	if a.Projection != nil && len(shape) == 2 {
		if err := worldOptions(a, &opts, shape[0], shape[1]); err != nil {
			return err
		}
	}
	return ImageND(a, vals, shape, opts, nil)
}

// worldOptions labels an image of rows×cols drawn on axes with a WCS projection in
// its world coordinates; a WCS of another dimensionality is WCSAxes' error.
func worldOptions(a *draw.Axes, opts *draw.ImageOptions, rows, cols int) error {
	if d := a.Projection.PlotDims(); d != 2 {
		return obj.Errorf(obj.ValueError, "The WCS has %d pixel axes but the image 2: slice the dataset to 2-D first (e.g. ds[0, :, :, 0].wcs) or use ds.plot(plot_axes=...)", d)
	}
	if g, xl, yl := worldgrid.CelestialGrid(a.Projection); g != nil {
		opts.WorldGrid, opts.XLabel, opts.YLabel = g, xl, yl
		return nil
	}
	if l, w, f, c, ok := a.Projection.PlotAxis(1, cols); ok {
		opts.XLabel, opts.XWorld, opts.XFormat, opts.XCategory = l, w, f, c
	}
	if l, w, f, c, ok := a.Projection.PlotAxis(0, rows); ok {
		opts.YLabel, opts.YWorld, opts.YFormat, opts.YCategory = l, w, f, c
	}
	return nil
}

// ImageND draws N-d data (N ≥ 2) on ax: the last two axes as an image at index 0 of the
// others and, for N ≥ 3, a Slider over the first other axis (sliderLabel names it; ""
// gives "axis 0"). 1-D data or an empty shape is a ValueError.
func ImageND(ax *draw.Axes, vals []float64, shape []int, opts draw.ImageOptions, sliderLabel func(i int) string) error {
	if len(shape) < 2 {
		return obj.Errorf(obj.ValueError, "an image needs 2-D data, got shape %s", shapeText(shape))
	}
	rows, cols := shape[len(shape)-2], shape[len(shape)-1]
	frame := rows * cols
	if frame == 0 || len(vals) == 0 {
		return obj.Errorf(obj.ValueError, "nothing to plot: the data is empty (shape %v)", shape)
	}
	if len(shape) > 2 && opts.Slider == nil && shape[0] > 1 {
		// Frames along axis 0 at index 0 of the axes in between.
		stride := len(vals) / shape[0]
		n := shape[0]
		opts.Slider = &draw.Slider{
			Label: "axis 0",
			Count: n,
			Frame: func(i int) ([]float64, error) {
				return vals[i*stride : i*stride+frame], nil
			},
			FrameLabel: sliderLabel,
		}
	}
	return ax.Image(vals[:frame], rows, cols, opts)
}

// legendArgs handles legend(labels=None, loc='best', fontsize=None, ...) for an axes;
// ncol, frameon and title are accepted as matplotlib's and drawn as one framed column.
func legendArgs(a *draw.Axes, args obj.Args) error {
	vals, err := args.Bind("legend", []obj.Param{{Name: "labels", Default: "None"}, {Name: "loc", Default: "'best'"}, {Name: "fontsize", Default: "None"},
		{Name: "ncol", Default: "1"}, {Name: "frameon", Default: "None"}, {Name: "title", Default: "None"}, {Name: "ncols", Default: "1"}})
	if err != nil {
		return err
	}
	if vals[0] != nil {
		var items []any
		switch l := vals[0].(type) {
		case obj.List:
			items = l
		case obj.Tuple:
			items = l
		default:
			return obj.Errorf(obj.TypeError, "legend(): labels must be a list of strings, not %s", obj.TypeName(vals[0]))
		}
		for i, it := range items {
			if i >= len(a.Lines) {
				break
			}
			s, err := textArg("legend", "labels", it)
			if err != nil {
				return err
			}
			a.Lines[i].Label = s
		}
	}
	loc := ""
	if vals[1] != nil {
		if loc, err = stringArg("legend", "loc", vals[1]); err != nil {
			return err
		}
	}
	if vals[2] != nil {
		size, err := fontSizeArg("legend", vals[2], a.FontSize(draw.TickFontSize))
		if err != nil {
			return err
		}
		a.LegendSize = size
	}
	look, err := legendLook(vals[3], vals[6], vals[4], vals[5])
	if err != nil {
		return err
	}
	a.LegendLook = look
	return a.SetLegend(true, loc)
}

// legendLook reads legend's ncol (or ncols), frameon and title.
func legendLook(ncol, ncols, frameon, title any) (draw.LegendLook, error) {
	var look draw.LegendLook
	for _, v := range []any{ncols, ncol} {
		if v == nil {
			continue
		}
		n, ok := v.(int)
		if !ok {
			return look, obj.Errorf(obj.TypeError, "legend(): ncol must be an int, not %s", obj.TypeName(v))
		}
		if n < 1 {
			return look, obj.Errorf(obj.ValueError, "legend(): ncol must be at least 1, got %d", n)
		}
		look.Cols = max(look.Cols, n)
	}
	look.Cols = max(look.Cols, 1)
	switch f := frameon.(type) {
	case nil:
	case bool:
		look.NoFrame = !f
	default:
		return look, obj.Errorf(obj.TypeError, "legend(): frameon must be True or False, not %s", obj.TypeName(frameon))
	}
	if title != nil {
		t, err := textArg("legend", "title", title)
		if err != nil {
			return look, err
		}
		look.Title = t
	}
	return look, nil
}

// fontSizeArg reads a font size: points, or matplotlib's names relative to medium.
func fontSizeArg(fn string, v any, medium float64) (float64, error) {
	scale := map[string]float64{"xx-small": 0.579, "x-small": 0.694, "small": 0.833, "medium": 1, "large": 1.2, "x-large": 1.44, "xx-large": 1.728, "larger": 1.2, "smaller": 0.833}
	if s, ok := v.(string); ok {
		f, known := scale[s]
		if !known {
			return 0, obj.Errorf(obj.ValueError, "%s is not a valid font size. Valid font sizes are xx-small, x-small, small, medium, large, x-large, xx-large, larger, smaller, None", draw.PyQuote(s))
		}
		return f * medium, nil
	}
	f, err := floatArg(fn, "fontsize", v)
	if err != nil {
		return 0, err
	}
	if !(f > 0) || f > 200 {
		return 0, obj.Errorf(obj.ValueError, "%s(): fontsize must be a positive number of points (at most 200), got %s", fn, draw.PyStr(v))
	}
	return f, nil
}

// limitArgs handles xlim/ylim style calls: (), (lo, hi), ((lo, hi)), left=/right= or
// bottom=/top=; it returns the limits after the call as a tuple.
func limitArgs(fn string, args obj.Args, names [2]string, get func() (float64, float64), set func(lo, hi float64) error) (any, error) {
	vals, err := args.Bind(fn, []obj.Param{{Name: names[0], Default: "None"}, {Name: names[1], Default: "None"}})
	if err != nil {
		return nil, err
	}
	if vals[0] == nil && vals[1] == nil {
		lo, hi := get()
		return obj.Tuple{lo, hi}, nil
	}
	lo, hi := get()
	if vals[1] == nil {
		switch vals[0].(type) {
		case obj.Tuple, obj.List:
			if lo, hi, err = pairArg(fn, names[0], vals[0]); err != nil {
				return nil, err
			}
			vals[0] = nil
		}
	}
	if vals[0] != nil {
		if lo, err = floatArg(fn, names[0], vals[0]); err != nil {
			return nil, err
		}
	}
	if vals[1] != nil {
		if hi, err = floatArg(fn, names[1], vals[1]); err != nil {
			return nil, err
		}
	}
	if err := set(lo, hi); err != nil {
		return nil, err
	}
	return obj.Tuple{lo, hi}, nil
}

// gridArgs handles grid(visible=None, which='major', axis='both'); without visible it
// toggles, as matplotlib does.
func gridArgs(a *draw.Axes, args obj.Args) error {
	vals, err := args.Bind("grid", []obj.Param{{Name: "visible", Default: "None"}, {Name: "which", Default: "'major'"}, {Name: "axis", Default: "'both'"}})
	if err != nil {
		return err
	}
	axis := "both"
	if vals[2] != nil {
		if axis, err = stringArg("grid", "axis", vals[2]); err != nil {
			return err
		}
	}
	var on bool
	switch v := vals[0].(type) {
	case nil:
		x, y := a.GridOn()
		on = !(x || y)
	case bool:
		on = v
	default:
		return obj.Errorf(obj.TypeError, "grid(): visible must be True or False, not %s", obj.TypeName(v))
	}
	return a.SetGrid(on, axis)
}

// colorbarArgs handles colorbar(mappable=None, cax=None, ax=None, label=”) with the
// current axes' image as the default: mappable is what imshow, scatter (with c=),
// pcolormesh or contourf returned; ax (or the mappable's axes) is where the bar goes.
func colorbarArgs(p *Pyplot, args obj.Args) error {
	vals, err := args.Bind("colorbar", []obj.Param{{Name: "mappable", Default: "None"}, {Name: "cax", Default: "None"}, {Name: "ax", Default: "None"},
		{Name: "label", Default: "''"}, {Name: "orientation", Default: "None"}, {Name: "shrink", Default: "None"}, {Name: "pad", Default: "None"},
		{Name: "fraction", Default: "None"}, {Name: "aspect", Default: "None"}, {Name: "extend", Default: "None"}})
	if err != nil {
		return err
	}
	if vals[1] != nil {
		return obj.Errorf(obj.ValueError, "colorbar(): gokist places the colour bar beside its axes itself; leave cax out and give ax= instead")
	}
	if v := vals[4]; v != nil && v != "vertical" {
		return obj.Errorf(obj.ValueError, "colorbar(): gokist draws vertical colour bars only, got orientation=%s", draw.PyStr(v))
	}
	var a *draw.Axes
	var m draw.Mappable
	switch x := vals[0].(type) {
	case nil:
	case *draw.Axes:
		a = x
	case *Artist:
		if x.m == nil {
			return obj.Errorf(obj.AttributeError, "'%s' object has no attribute 'get_array'", strings.TrimPrefix(x.kind, "lines.")).
				WithHint("a colour bar needs a mappable: what imshow, pcolormesh, contourf or scatter(..., c=values) returned")
		}
		a, m = x.ax, x.m
	default:
		return obj.Errorf(obj.TypeError, "colorbar(): expected a mappable (what imshow, scatter, pcolormesh or contourf returned), not %s", obj.TypeName(x))
	}
	switch x := vals[2].(type) {
	case nil:
	case *draw.Axes:
		a = x
	case obj.List, obj.Tuple:
		// ax=[ax1, ax2]: the bar goes beside the last.
		items := toItems(x)
		if len(items) > 0 {
			if last, ok := items[len(items)-1].(*draw.Axes); ok {
				a = last
			}
		}
	default:
		return obj.Errorf(obj.TypeError, "colorbar(): ax must be an Axes, not %s", obj.TypeName(x))
	}
	if a == nil {
		if p == nil {
			return obj.Errorf(obj.TypeError, "colorbar() needs the image: colorbar(im) or colorbar(ax=ax)")
		}
		a = p.GCA()
	}
	label := ""
	if vals[3] != nil {
		if label, err = textArg("colorbar", "label", vals[3]); err != nil {
			return err
		}
	}
	spec := &draw.ColorbarSpec{M: m, Label: label}
	var pad float64
	for i, f := range []*float64{&spec.Shrink, &pad, &spec.Fraction, &spec.Aspect} {
		name := []string{"shrink", "pad", "fraction", "aspect"}[i]
		if v := vals[5+i]; v != nil {
			x, ok := obj.Float(v)
			if !ok || !draw.IsFinite(x) || (name != "pad" && x <= 0) {
				what := "a positive number"
				if name == "pad" {
					what = "a finite number (a fraction of the axes' width)"
				}
				return obj.Errorf(obj.ValueError, "colorbar(): %s must be %s, got %s", name, what, draw.PyStr(v))
			}
			*f = x
			if name == "pad" {
				spec.Pad = &pad
			}
		}
	}
	if spec.M == nil {
		if err := a.Colorbar(label); err != nil {
			return err
		}
		spec.M = a.Cbar.M
	}
	a.Cbar = spec
	a.Touch()
	return nil
}

func toItems(v any) []any {
	switch x := v.(type) {
	case obj.List:
		return x
	case obj.Tuple:
		return x
	}
	return nil
}
