package draw

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
	"sync"

	"gokist/obj"
	"gokist/pyfmt"
	"gokist/runtime/plot/axis"
	"gokist/runtime/plot/colors"
	"gokist/runtime/plot/worldgrid"
)

// DPI is the resolution of every rendered figure, as matplotlib's default figure.dpi.
const DPI = 100

// Default figure size in inches (matplotlib's rcParams["figure.figsize"]).
const (
	DefaultWidth  = 6.4
	DefaultHeight = 4.8
)

// Owner is the session that made a figure (the Python face's pyplot state): told when
// something is drawn on the figure and when a failed call may leave it unused, and asked
// for rcParams.
type Owner interface {
	// TouchDrawn records that something was drawn on f, so it is shown at the end of the cell.
	TouchDrawn(f *Figure)
	// DiscardUnused closes f when it was made implicitly and nothing was drawn on it.
	DiscardUnused(f *Figure)
	// RCValue is rcParams[key], nil when unset.
	RCValue(key string) any
}

// Figure is one figure: a size in inches (rendered at DPI) holding a grid of Axes.
type Figure struct {
	Mu            sync.Mutex
	width, height float64
	Dpi           float64 // dots per inch of the inline picture and of savefig's default
	rows, cols    int
	axes          []*Axes
	current       int // index of the current axes (gca)
	Num           int // figure number within its Pyplot, for repr and close
	Owner         Owner
	// tight lays the axes out to fill the figure (layout="tight" or "constrained",
	// plt.tight_layout()) instead of at matplotlib's default subplot parameters.
	Tight bool
	// fontSize is rcParams["font.size"] when the figure was made (0: matplotlib's 10).
	FontSize float64
	// suptitle is the figure's title (fig.suptitle), drawn at suptitleSize points.
	Suptitle     string
	SuptitleSize float64
	// unused is set while a figure pyplot made implicitly (gca/gcf with no current
	// figure) has nothing drawn on it; guarded by owner.mu.
	Unused bool
}

// MaxFigurePixels caps the rendered size of a figure (width × height pixels at DPI):
// 25 megapixels, e.g. 50×50 inches. matplotlib has no cap, but a 100×100-inch figure
// renders a 10000×10000 image that takes most of a gigabyte in the kernel.
const MaxFigurePixels = 25_000_000

// MaxFigureInches caps each side of a figure, so that a long thin figure stays drawable.
const MaxFigureInches = 100

// NewFigure makes a figure of width×height inches with a rows×cols grid of axes. Sizes
// that are not finite and positive, that render below one pixel or above MaxFigureInches
// per side, or above MaxFigurePixels in all, and grids of no cell are a ValueError.
func NewFigure(width, height float64, rows, cols int) (*Figure, error) {
	return NewFigureDPI(width, height, DPI, rows, cols)
}

// NewFigureDPI is NewFigure at dpi dots per inch (matplotlib's figure(dpi=...)).
func NewFigureDPI(width, height, dpi float64, rows, cols int) (*Figure, error) {
	if !(dpi > 0) || math.IsInf(dpi, 0) {
		return nil, obj.Errorf(obj.ValueError, "dpi must be a positive finite number, got %s", pyfmt.Float(dpi))
	}
	if err := CheckFigureSize(width, height, dpi); err != nil {
		return nil, err
	}
	if rows < 1 || cols < 1 || rows*cols > 100 {
		return nil, obj.Errorf(obj.ValueError, "subplot grid must have 1 to 100 cells, got %d x %d", rows, cols)
	}
	f := &Figure{width: width, height: height, Dpi: dpi, rows: rows, cols: cols, SuptitleSize: TitleFontSize}
	for r := range rows {
		for c := range cols {
			f.axes = append(f.axes, &Axes{Fig: f, Row: r, Col: c})
		}
	}
	return f, nil
}

// checkFigureSize rejects figure sizes that cannot render or would take too much memory,
// naming the size asked for, the limit and the fix.
func CheckFigureSize(width, height, dpi float64) error {
	if !(width > 0 && height > 0) || math.IsInf(width, 0) || math.IsInf(height, 0) {
		return obj.Errorf(obj.ValueError, "figure size must be positive and finite, got figsize=(%s, %s)", pyfmt.Float(width), pyfmt.Float(height))
	}
	if width > MaxFigureInches || height > MaxFigureInches {
		return obj.Errorf(obj.ValueError, "figsize=(%s, %s) is too large: each side may be at most %d inches (%d pixels at %d dpi); use a smaller figsize such as (12, 8)",
			pyfmt.Float(width), pyfmt.Float(height), MaxFigureInches, MaxFigureInches*DPI, DPI)
	}
	w, h := pixelsAt(width, dpi), pixelsAt(height, dpi)
	if w < 1 || h < 1 {
		return obj.Errorf(obj.ValueError, "figsize=(%s, %s) renders as %d×%d pixels at %s dpi: each side needs at least %g inch", pyfmt.Float(width), pyfmt.Float(height), w, h, pyfmt.Float(dpi), 0.5/dpi)
	}
	if w*h > MaxFigurePixels {
		return obj.Errorf(obj.ValueError, "figsize=(%s, %s) inches renders %d×%d pixels (%.1f megapixels) at %s dpi, above gokist's cap of %d megapixels (e.g. 50×50 inches at 100 dpi) that keeps the kernel's memory bounded; use a smaller figsize such as (12, 8) (the default is (%g, %g)) or a lower dpi",
			pyfmt.Float(width), pyfmt.Float(height), w, h, float64(w*h)/1e6, pyfmt.Float(dpi), MaxFigurePixels/1_000_000, DefaultWidth, DefaultHeight)
	}
	return nil
}

// pixelsAt is the rendered length in pixels of a length in inches at dpi.
func pixelsAt(inches, dpi float64) int { return int(inches*dpi + 0.5) }

// DPI returns the figure's dots per inch.
func (f *Figure) DPI() float64 { return f.Dpi }

// Size returns the figure size in inches.
func (f *Figure) Size() (width, height float64) { return f.width, f.height }

// PixelSize returns the size of the rendered image in pixels.
func (f *Figure) PixelSize() (w, h int) {
	return pixelsAt(f.width, f.Dpi), pixelsAt(f.height, f.Dpi)
}

// Axes returns the figure's axes in row-major order.
func (f *Figure) Axes() []*Axes { return f.axes }

// Grid returns the number of rows and columns of axes.
func (f *Figure) Grid() (rows, cols int) { return f.rows, f.cols }

// CurrentAxes returns the figure's current axes (the last one drawn on or selected).
func (f *Figure) CurrentAxes() *Axes { return f.axes[f.current] }

// String is matplotlib's repr: "<Figure size 640x480 with 1 Axes>". A colour bar counts
// as one more Axes, as matplotlib draws it in an axes of its own.
func (f *Figure) String() string {
	w, h := f.PixelSize()
	n := len(f.axes)
	for _, a := range f.axes {
		if a.Cbar != nil {
			n++
		}
	}
	return fmt.Sprintf("<Figure size %dx%d with %d Axes>", w, h, n)
}

// touch marks the figure as drawn on during the current cell, so that it is shown at
// the end of the cell (and re-opened if an earlier cell's flush closed it).
func (f *Figure) Touch(a *Axes) {
	for i, x := range f.axes {
		if x == a {
			f.current = i
		}
	}
	if f.Owner != nil {
		f.Owner.TouchDrawn(f)
	}
}

// LineStyle describes one line series, with matplotlib's meanings; zero values mean the
// defaults (next colour of the cycle, solid, no marker, 1.5 pt wide, no label).
type LineStyle struct {
	Color      string  // colour name, hex, "C0".."C9" or grey level
	LineStyle  string  // "-", "--", "-.", ":", "solid", "dashed", "dashdot", "dotted", "None"
	Marker     string  // ".", "o", "s", "^", "x", "+", ... ("" or "None": none)
	LineWidth  float64 // points
	MarkerSize float64 // points (diameter)
	Label      string  // legend text; names starting with "_" are left out of the legend
}

// lineSeries is one resolved line: its data and drawing style.
type LineSeries struct {
	X, Y      []float64
	Color     color.NRGBA
	colorSet  bool // color was given; otherwise addLines takes the cycle's next
	dash      DashKind
	marker    string
	Width     float64
	markerSiz float64
	Label     string
}

// ImageOptions controls Axes.Image.
type ImageOptions struct {
	Cmap       string   // any matplotlib colour map name ("" is viridis)
	Vmin, Vmax *float64 // colour limits; nil means the data's finite minimum/maximum
	// Norm, when set, maps the data onto the colour map (matplotlib.colors' norms); it
	// carries its own limits, so Vmin and Vmax must then be nil.
	Norm *colors.Norm
	// Origin places data row 0 at the "upper" (default, as matplotlib) or "lower" edge.
	Origin string
	// Aspect is "auto" (fill the axes) or "equal" (square pixels; the default for
	// pyplot's imshow, as in matplotlib).
	Aspect string
	// Extent, when set, is (left, right, bottom, top): the data coordinates of the image's
	// outer edges, as matplotlib's extent=; nil puts pixel centres on integers.
	Extent *[4]float64
	// Interpolation is matplotlib's name of the resampling ("antialiased", "nearest",
	// "none", "bilinear", ...); gokist averages when reducing and shows pixels as blocks.
	Interpolation string
	// XWorld and YWorld, when set, give the world coordinate at each column and row
	// centre; tick labels then show round world values at their pixel positions.
	XWorld, YWorld []float64
	// XFormat and YFormat, when set, write the world values of XWorld and YWorld (a
	// Stokes code as "I", a time of day); with XCategory or YCategory each whole pixel
	// is ticked (a Stokes axis: I Q U V).
	XFormat, YFormat     func(world float64) string
	XCategory, YCategory bool
	// WorldGrid, when set, ticks the image where two coupled world coordinates cross its
	// edges (a rotated celestial grid), as WCSAxes does, instead of XWorld and YWorld.
	WorldGrid *worldgrid.Grid
	// XTicks and YTicks, when set (and no world array is), label pixel positions.
	XTicks, YTicks func(pixel float64) string
	// XLabel and YLabel set the axes' labels when non-empty.
	XLabel, YLabel string
	// Slider, when set, adds an HTML slider over further frames of the image (3-D data).
	Slider *Slider
}

// Slider describes the frames of 3-D or higher data shown by an HTML slider beneath the
// figure: the image drawn is one frame; the slider steps through up to MaxSliderFrames.
type Slider struct {
	Label string                         // what the slider moves along, e.g. "raster scan step"
	Count int                            // number of frames along that axis
	Frame func(i int) ([]float64, error) // data of frame i, with the image's rows×cols
	// FrameLabel, when set, names frame i next to the slider (e.g. its world value).
	FrameLabel func(i int) string
}

// imageSeries is one image drawn on an axes.
type imageSeries struct {
	data       []float64
	rows, cols int
	cmap       *colors.Colormap
	vmin, vmax float64
	scale      colors.Scaler // the norm with its limits resolved
	upper      bool
	opts       ImageOptions
}

// validInterpolation are matplotlib's interpolation names ("" is the default). gokist
// reduces large images by averaging and shows pixels as blocks whichever is named.
var validInterpolation = map[string]bool{"": true, "antialiased": true, "none": true, "nearest": true, "bilinear": true, "bicubic": true,
	"spline16": true, "spline36": true, "hanning": true, "hamming": true, "hermite": true, "kaiser": true, "quadric": true, "catrom": true,
	"gaussian": true, "bessel": true, "mitchell": true, "sinc": true, "lanczos": true, "blackman": true}

// extent is the image's (left, right, bottom, top) in data coordinates: the given
// extent, else pixel centres on integers with row 0 at the top for origin "upper".
func (im *imageSeries) extent() (left, right, bottom, top float64) {
	if e := im.opts.Extent; e != nil {
		return e[0], e[1], e[2], e[3]
	}
	w, h := float64(im.cols)-0.5, float64(im.rows)-0.5
	if im.upper {
		return -0.5, w, h, -0.5
	}
	return -0.5, w, -0.5, h
}

// pixelEdges are the data x of the left edge of column 0 and the right edge of the last,
// and the data y of the outer edge of row 0 and of the last row.
func (im *imageSeries) pixelEdges() (left, right, edge0, edgeN float64) {
	left, right, bottom, top := im.extent()
	if im.upper {
		return left, right, top, bottom
	}
	return left, right, bottom, top
}

// Axes is one plotting area of a figure: line and image series, labels, limits, grid,
// legend and colour bar.
type Axes struct {
	Fig      *Figure
	Row, Col int
	grid     *gridPos // the axes' own grid (add_subplot(r, c, i)); nil: the figure's
	twinOf   *Axes    // the axes a twinx() or twiny() twin overlays
	// projection, when set (plt.subplot(projection=ds.wcs)), labels images drawn on
	// the axes in its world coordinates, as astropy's WCSAxes does.
	Projection WorldProjection
	// xFormat writes the x values of lines whose x data are Stokes codes or times
	// (SetXValueFormat); xCategory ticks every whole value.
	xFormat   func(float64) string
	xCategory bool
	rightY    bool // the y axis is drawn on the right (twinx)
	topX      bool // the x axis is drawn on the top (twiny)

	title, Xlabel, Ylabel string
	xlim, ylim            *[2]float64
	GridX, GridY          bool  // vertical lines at x ticks, horizontal at y ticks
	legend                *bool // nil: automatic (shown when a series has a label)
	legendLoc             string
	LegendLook            LegendLook // legend(ncol=, frameon=, title=)
	LegendSize            float64    // legend(fontsize=...) in points; 0: the figure's
	Lines                 []*LineSeries
	Images                []*imageSeries
	Artists               []Artist // scatter, bars, patches, reference lines, texts
	Xscale, Yscale        axis.Scale
	shareX, shareY        *shareGroup // axes sharing x or y limits (subplots sharex/sharey)
	PatchCycle            int         // next colour for patches (bar, fill_between, hist, scatter)
	Cbar                  *ColorbarSpec
	aspectEqual           bool
	cycle                 int

	// From the last render, for callers and tests.
	XTicks, YTicks, cbTicks axis.TickRecorder
	box                     image.Rectangle
	toPixel                 func(x, y float64) (float64, float64)
}

// WorldProjection is a WCS used as an axes' projection (runtime/wcs's *WCS): per array
// axis of an image, its label, world value at each pixel, value format and whether
// every pixel is ticked.
type WorldProjection interface {
	PlotDims() int
	PlotAxis(arrayAxis, n int) (label string, world []float64, format func(float64) string, category, ok bool)
}

// gridPos is a place in a grid of rows×cols cells.
type gridPos struct{ rows, cols, row, col int }

// colorbarSpec is a requested colour bar: what it shows and its label.
type ColorbarSpec struct {
	M     Mappable
	Label string
	// Geometry as Figure.colorbar's make_axes: the bar and its pad take Fraction of the
	// parent's width (0: 0.15), Pad between them (nil: 0.05), the bar is Shrink of the
	// parent's height (0: 1) and Aspect times longer than wide (0: 20).
	Fraction, Shrink, Aspect float64
	Pad                      *float64
}

// geometry is the spec's make_axes parameters with matplotlib's defaults.
func (c *ColorbarSpec) geometry() (fraction, pad, shrink, aspect float64) {
	fraction, pad, shrink, aspect = 0.15, 0.05, 1.0, 20.0
	if c.Fraction > 0 {
		fraction = c.Fraction
	}
	if c.Pad != nil {
		pad = *c.Pad
	}
	if c.Shrink > 0 {
		shrink = c.Shrink
	}
	if c.Aspect > 0 {
		aspect = c.Aspect
	}
	return fraction, pad, shrink, aspect
}

// mappable is what a colour bar shows: an image or a scatter coloured by values.
type Mappable interface {
	// Mapping is the colour map and the value scaling of the colour bar.
	Mapping() (*colors.Colormap, colors.Scaler)
}

func (im *imageSeries) Mapping() (*colors.Colormap, colors.Scaler)  { return im.cmap, im.scale }
func (s *ScatterArtist) Mapping() (*colors.Colormap, colors.Scaler) { return s.Cmap, s.Scale }

// Figure returns the figure the axes belong to.
func (a *Axes) Figure() *Figure { return a.Fig }

// String is matplotlib's repr, e.g. "<Axes: xlabel='wavelength [nm]', ylabel='Data [ct]'>".
func (a *Axes) String() string {
	var parts []string
	if a.title != "" {
		parts = append(parts, "title={'center': "+PyQuote(a.title)+"}")
	}
	parts = append(parts, "xlabel="+PyQuote(a.Xlabel), "ylabel="+PyQuote(a.Ylabel))
	return "<Axes: " + strings.Join(parts, ", ") + ">"
}

// PyQuote is Python's repr of a string.
func PyQuote(s string) string { return pyfmt.Quote(s) }

// touch re-opens the figure for display at the end of the current cell.
func (a *Axes) Touch() { a.Fig.Touch(a) }

// SetTitle sets the axes title.
func (a *Axes) SetTitle(s string) { a.title = s; a.Touch() }

// SetXLabel sets the x-axis label.
func (a *Axes) SetXLabel(s string) { a.Xlabel = s; a.Touch() }

// SetYLabel sets the y-axis label.
func (a *Axes) SetYLabel(s string) { a.Ylabel = s; a.Touch() }

// Title returns the axes title.
func (a *Axes) Title() string { return a.title }

// XLabel returns the x-axis label.
func (a *Axes) XLabel() string { return a.Xlabel }

// YLabel returns the y-axis label.
func (a *Axes) YLabel() string { return a.Ylabel }

// SetXLim fixes the x range (left, right). left > right inverts the axis, as in
// matplotlib; equal or non-finite limits are a ValueError.
func (a *Axes) SetXLim(left, right float64) error {
	if err := checkLimits("xlim", "left", "right", left, right); err != nil {
		return a.Rejected(err)
	}
	a.xlim = &[2]float64{left, right}
	if a.shareX != nil {
		a.shareX.xlim = a.xlim
	}
	a.Touch()
	return nil
}

// SetYLim fixes the y range (bottom, top). bottom > top makes the axis run downwards, as
// imshow's default origin "upper" does (its limits are (rows-0.5, -0.5)); bottom < top on
// such an image turns it upright again, as in matplotlib.
func (a *Axes) SetYLim(bottom, top float64) error {
	if err := checkLimits("ylim", "bottom", "top", bottom, top); err != nil {
		return a.Rejected(err)
	}
	a.ylim = &[2]float64{bottom, top}
	if a.shareY != nil {
		a.shareY.ylim = a.ylim
	}
	a.Touch()
	return nil
}

// checkLimits rejects limits that cannot make an axis: NaN, infinite or equal ones
// (matplotlib widens equal limits with a warning; a clear error says more).
func checkLimits(name, lowName, highName string, lo, hi float64) error {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return obj.Errorf(obj.ValueError, "%s limits must be finite, got (%s=%g, %s=%g)", name, lowName, lo, highName, hi)
	}
	if lo == hi {
		return obj.Errorf(obj.ValueError, "%s limits must differ, got %s = %s = %g", name, lowName, highName, lo)
	}
	return nil
}

// XLim returns the x range (left, right) of the next render: the set limits or the
// automatic ones.
func (a *Axes) XLim() (left, right float64) {
	l := a.limits()
	return l.x0, l.x1
}

// YLim returns the y range (bottom, top) of the next render; bottom > top when the axis
// runs downwards (an image with origin "upper").
func (a *Axes) YLim() (bottom, top float64) {
	l := a.limits()
	return l.y0, l.y1
}

// SetXValueFormat labels the x ticks of line plots with format (a Stokes code as "I", a
// time of day); category ticks every whole x value. nil restores numbers.
func (a *Axes) SetXValueFormat(format func(float64) string, category bool) {
	a.xFormat, a.xCategory = format, category
	a.Touch()
}

// SetGrid turns grid lines on or off for axis "both" (or ""), "x" or "y".
func (a *Axes) SetGrid(on bool, axis string) error {
	switch axis {
	case "", "both":
		a.GridX, a.GridY = on, on
	case "x":
		a.GridX = on
	case "y":
		a.GridY = on
	default:
		return a.Rejected(obj.Errorf(obj.ValueError, "grid axis must be 'both', 'x' or 'y', got %q", axis))
	}
	a.Touch()
	return nil
}

// GridOn reports whether grid lines are drawn along x (vertical lines) and y.
func (a *Axes) GridOn() (x, y bool) { return a.GridX, a.GridY }

// SetLegend shows (or hides) the legend at loc: "best" and "upper right" (the default),
// "upper left", "lower left", "lower right", "upper center", "lower center".
func (a *Axes) SetLegend(on bool, loc string) error {
	switch loc {
	case "", "best", "upper right", "upper left", "lower left", "lower right", "right", "center right", "center left", "upper center", "lower center", "center":
	default:
		return a.Rejected(obj.Errorf(obj.ValueError, "%q is not a valid legend location; valid are 'best', 'upper right', 'upper left', 'lower left', 'lower right', 'right', 'center left', 'center right', 'lower center', 'upper center', 'center'", loc))
	}
	a.legend, a.legendLoc = &on, loc
	a.Touch()
	return nil
}

// LegendLook is how a legend is laid out beyond its place and font size.
type LegendLook struct {
	Cols    int    // entries in this many columns, filled column by column (0: 1)
	NoFrame bool   // frameon=False: no box behind the entries
	Title   string // drawn centred above the entries
}

// Colorbar adds a colour bar for the axes' last image; without an image it is a
// RuntimeError, as in matplotlib.
func (a *Axes) Colorbar(label string) error {
	if len(a.Images) == 0 {
		return a.Rejected(obj.Errorf(obj.RuntimeError, "no image to make a colour bar for: draw one with imshow() or .plot() of 2-D data first"))
	}
	a.Cbar = &ColorbarSpec{M: a.Images[len(a.Images)-1], Label: label}
	a.Touch()
	return nil
}

// HasColorbar reports whether a colour bar is drawn.
func (a *Axes) HasColorbar() bool { return a.Cbar != nil }

// NumLines returns the number of line series drawn on the axes.
func (a *Axes) NumLines() int { return len(a.Lines) }

// NumImages returns the number of images drawn on the axes.
func (a *Axes) NumImages() int { return len(a.Images) }

// LineLabels returns the label of each line series in drawing order.
func (a *Axes) LineLabels() []string {
	out := make([]string, len(a.Lines))
	for i, l := range a.Lines {
		out[i] = l.Label
	}
	return out
}

// LineData returns the x and y values of line series i (shared, not copied).
func (a *Axes) LineData(i int) (x, y []float64) {
	return a.Lines[i].X, a.Lines[i].Y
}

// ImageShape returns the (rows, cols) of image i.
func (a *Axes) ImageShape(i int) (rows, cols int) {
	return a.Images[i].rows, a.Images[i].cols
}

// MaxLineWidth and MaxMarkerSize cap linewidth and markersize, in points. matplotlib
// accepts any size, but wider lines and markers than these cover the whole axes and the
// renderer draws them wrongly (or, for huge markers, not in bounded time).
const (
	MaxLineWidth  = 100
	MaxMarkerSize = 100
)

// Line adds a line series. x may be nil (then the index 0..n-1 is used); otherwise it
// must have y's length. NaN in x or y breaks the line. Empty or all-NaN data, an unknown
// colour, line style or marker, or a negative, non-finite or too large (MaxLineWidth,
// MaxMarkerSize) width or marker size is a ValueError, and adds nothing.
func (a *Axes) Line(x, y []float64, style LineStyle) error {
	s, err := PrepareLine(x, y, style)
	if err != nil {
		return a.Rejected(err)
	}
	a.AddLines(s)
	return nil
}

// prepareLine checks a line series and resolves its style, without touching any axes;
// an empty colour is left to addLines, which takes the next of the colour cycle.
func PrepareLine(x, y []float64, style LineStyle) (*LineSeries, error) {
	if err := CheckLineStyle(style); err != nil {
		return nil, err
	}
	if len(y) == 0 {
		return nil, obj.Errorf(obj.ValueError, "nothing to plot: the data is empty (check the selection)")
	}
	if x == nil {
		x = make([]float64, len(y))
		for i := range x {
			x[i] = float64(i)
		}
	}
	if len(x) != len(y) {
		return nil, obj.Errorf(obj.ValueError, "x and y must have the same length, but have lengths %d and %d", len(x), len(y))
	}
	finite := false
	for i := range y {
		if IsFinite(x[i]) && IsFinite(y[i]) {
			finite = true
			break
		}
	}
	if !finite {
		return nil, obj.Errorf(obj.ValueError, "nothing to plot: all %d values are NaN or infinite", len(y))
	}
	s := &LineSeries{X: x, Y: y, Label: style.Label, marker: style.Marker, Width: style.LineWidth, markerSiz: style.MarkerSize}
	if s.marker == "None" || s.marker == "none" {
		s.marker = ""
	}
	ls := style.LineStyle
	if ls == "" {
		ls = "-" // a marker given alone still has its line, as in matplotlib
	}
	s.dash, _ = ParseLineStyle(ls) // checked by CheckLineStyle
	if style.Color != "" {
		s.Color, _ = colors.ParseColor(style.Color)
		s.colorSet = true
	}
	return s, nil
}

// lineDefaults are rcParams' lines.linewidth and lines.markersize for the axes' figure
// (matplotlib's 1.5 and 6 without a session).
func (a *Axes) LineDefaults() (width, size float64) {
	width, size = 1.5, 6
	if a.Fig != nil && a.Fig.Owner != nil {
		if v, ok := obj.Float(a.Fig.Owner.RCValue("lines.linewidth")); ok {
			width = v
		}
		if v, ok := obj.Float(a.Fig.Owner.RCValue("lines.markersize")); ok {
			size = v
		}
	}
	return width, size
}

// CheckLineStyle reports whether a LineStyle can be drawn: a known colour, line style and
// marker, and a line width and marker size from 0 (the default) to MaxLineWidth and
// MaxMarkerSize points. Callers check before computing data, so that a bad style fails
// fast and draws nothing.
func CheckLineStyle(style LineStyle) error {
	if err := CheckPoints("linewidth", style.LineWidth, MaxLineWidth, 1.5); err != nil {
		return err
	}
	if err := CheckPoints("markersize", style.MarkerSize, MaxMarkerSize, 6); err != nil {
		return err
	}
	marker := style.Marker
	if marker == "None" || marker == "none" {
		marker = ""
	}
	if err := CheckMarker(marker); err != nil {
		return err
	}
	if style.LineStyle != "" {
		if _, err := ParseLineStyle(style.LineStyle); err != nil {
			return err
		}
	}
	if style.Color != "" {
		if _, err := colors.ParseColor(style.Color); err != nil {
			return err
		}
	}
	return nil
}

// checkPoints checks a size in points: finite, not negative, at most limit.
func CheckPoints(name string, v, limit, def float64) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return obj.Errorf(obj.ValueError, "%s must be a finite number of points, got %s", name, pyfmt.Float(v))
	case v < 0:
		return obj.Errorf(obj.ValueError, "%s must not be negative, got %s points (the default is %g)", name, pyfmt.Float(v), def)
	case v > limit:
		return obj.Errorf(obj.ValueError, "%s=%s points is too large: gokist draws at most %g points (%g inches; the default is %g), as anything wider covers the whole axes",
			name, pyfmt.Float(v), limit, limit/72, def)
	}
	return nil
}

// addLines appends prepared series, giving those without a colour the next colour of
// the cycle, and shows the figure at the end of the cell.
func (a *Axes) AddLines(series ...*LineSeries) {
	lw, ms := a.LineDefaults()
	for _, s := range series {
		if s.Width == 0 {
			s.Width = lw
		}
		if s.markerSiz == 0 {
			s.markerSiz = ms
		}
		if !s.colorSet {
			s.Color = colors.ColorCycle[a.cycle%len(colors.ColorCycle)]
			a.cycle++
		}
		a.Lines = append(a.Lines, s)
	}
	a.Touch()
}

// Image adds an image of rows×cols row-major data (row 0 first), coloured through the
// colour map. It is a ValueError, and adds nothing, when the data is empty, all NaN or of
// the wrong length, when the options fail CheckImageOptions, or when vmin ends above vmax
// (one given, the other the data's), as matplotlib's "minvalue must be less than or equal
// to maxvalue".
func (a *Axes) Image(data []float64, rows, cols int, opts ImageOptions) error {
	img, err := PrepareImage(data, rows, cols, opts)
	if err != nil {
		return a.Rejected(err)
	}
	a.AddImage(img, opts)
	return nil
}

// addImage draws a prepared image: the first drawing on the axes sets the aspect; the
// options' axis labels replace the axes'.
func (a *Axes) AddImage(img *imageSeries, opts ImageOptions) {
	if len(a.Images) == 0 && len(a.Lines) == 0 && len(a.Artists) == 0 {
		a.aspectEqual = opts.Aspect == "equal"
	}
	a.Images = append(a.Images, img)
	if opts.XLabel != "" {
		a.Xlabel = opts.XLabel
	}
	if opts.YLabel != "" {
		a.Ylabel = opts.YLabel
	}
	a.Touch()
}

// prepareImage checks an image and resolves its colour limits, without touching any axes.
func PrepareImage(data []float64, rows, cols int, opts ImageOptions) (*imageSeries, error) {
	if err := CheckImageOptions(opts); err != nil {
		return nil, err
	}
	if rows <= 0 || cols <= 0 || len(data) == 0 {
		return nil, obj.Errorf(obj.ValueError, "nothing to plot: the image is empty (shape (%d, %d)); check the selection", rows, cols)
	}
	if len(data) != rows*cols {
		return nil, obj.Errorf(obj.ValueError, "image data has %d values, but the shape (%d, %d) needs %d", len(data), rows, cols, rows*cols)
	}
	cm, _ := colors.LookupColormap(opts.Cmap) // checked by CheckImageOptions
	if _, _, ok := colors.FiniteRange(data); !ok {
		return nil, obj.Errorf(obj.ValueError, "nothing to plot: all %d values of the (%d, %d) image are NaN or infinite", len(data), rows, cols)
	}
	sc, err := colors.ResolveNorm(opts.Norm, opts.Vmin, opts.Vmax, data)
	if err != nil {
		return nil, err
	}
	if opts.XWorld != nil && len(opts.XWorld) != cols {
		return nil, obj.Errorf(obj.ValueError, "XWorld has %d values for %d columns", len(opts.XWorld), cols)
	}
	if opts.YWorld != nil && len(opts.YWorld) != rows {
		return nil, obj.Errorf(obj.ValueError, "YWorld has %d values for %d rows", len(opts.YWorld), rows)
	}
	return &imageSeries{data: data, rows: rows, cols: cols, cmap: cm, vmin: sc.Vmin, vmax: sc.Vmax, scale: sc,
		upper: opts.Origin != "lower", opts: opts}, nil
}

// CheckImageOptions reports whether image options can be drawn: a known colour map,
// finite vmin and vmax with vmin <= vmax when both are given, a known origin and aspect.
// Callers check before computing data, so that a bad option fails fast and draws nothing.
func CheckImageOptions(opts ImageOptions) error {
	if _, err := colors.LookupColormap(opts.Cmap); err != nil {
		return err
	}
	for _, v := range []struct {
		name string
		val  *float64
	}{{"vmin", opts.Vmin}, {"vmax", opts.Vmax}} {
		if v.val != nil && !IsFinite(*v.val) {
			return obj.Errorf(obj.ValueError, "%s must be a finite number, got %s; leave it out (None) to use the data's range", v.name, pyfmt.Float(*v.val))
		}
	}
	if opts.Norm != nil && (opts.Vmin != nil || opts.Vmax != nil) {
		return obj.Errorf(obj.ValueError, "Passing a Normalize instance simultaneously with vmin/vmax is not supported.  Please pass vmin/vmax directly to the norm when creating it.")
	}
	if opts.Vmin != nil && opts.Vmax != nil && *opts.Vmin > *opts.Vmax {
		return obj.Errorf(obj.ValueError, "vmin must be at most vmax, got vmin=%s and vmax=%s", pyfmt.Float(*opts.Vmin), pyfmt.Float(*opts.Vmax))
	}
	switch opts.Origin {
	case "", "upper", "lower":
	default:
		return obj.Errorf(obj.ValueError, "origin must be 'upper' or 'lower', got %q", opts.Origin)
	}
	switch opts.Aspect {
	case "", "auto", "equal":
	default:
		return obj.Errorf(obj.ValueError, "aspect must be 'auto' or 'equal', got %q", opts.Aspect)
	}
	if !validInterpolation[opts.Interpolation] {
		return obj.Errorf(obj.ValueError, "Interpolation %s is not in the list of valid interpolations: antialiased, none, nearest, bilinear, bicubic, spline16, spline36, hanning, hamming, hermite, kaiser, quadric, catrom, gaussian, bessel, mitchell, sinc, lanczos, blackman", PyQuote(opts.Interpolation))
	}
	if e := opts.Extent; e != nil {
		for _, v := range e {
			if !IsFinite(v) {
				return obj.Errorf(obj.ValueError, "extent must be finite, got %v", *e)
			}
		}
		if e[0] == e[1] || e[2] == e[3] {
			return obj.Errorf(obj.ValueError, "extent (%s, %s, %s, %s) has an empty side: left must differ from right and bottom from top", pyfmt.Float(e[0]), pyfmt.Float(e[1]), pyfmt.Float(e[2]), pyfmt.Float(e[3]))
		}
	}
	return nil
}

// rejected undoes the figure a failed call made: when the axes' figure was created
// implicitly for the call (pyplot's gca with no current figure) and nothing was drawn on
// it yet, it is closed, so that the end of the cell shows no empty figure along with the
// error. It returns err.
func (a *Axes) Rejected(err error) error {
	if a.Fig != nil && a.Fig.Owner != nil {
		a.Fig.Owner.DiscardUnused(a.Fig)
	}
	return err
}

// xFlipped reports whether the x axis runs right to left (xlim with left > right).
func (a *Axes) xFlipped() bool {
	xl := a.xlimits()
	return xl != nil && xl[0] > xl[1]
}

// xlimits are the set x limits (of the shared group, when x is shared), nil for
// automatic ones.
func (a *Axes) xlimits() *[2]float64 {
	if a.shareX != nil && a.shareX.xlim != nil {
		return a.shareX.xlim
	}
	return a.xlim
}

// ylimits are the set y limits, as xlimits.
func (a *Axes) ylimits() *[2]float64 {
	if a.shareY != nil && a.shareY.ylim != nil {
		return a.shareY.ylim
	}
	return a.ylim
}

// coords are the axes' data-to-render mapping: scales and directions.
func (a *Axes) Coords() axis.Coords {
	return axis.Coords{Xs: a.Xscale, Ys: a.Yscale, FlipX: a.xFlipped(), FlipY: a.yFlipped()}
}

// yFlipped reports whether the y axis runs downwards: ylim with bottom > top, or, without
// set limits, an image with origin "upper" drawn first, as matplotlib's imshow does.
func (a *Axes) yFlipped() bool {
	if yl := a.ylimits(); yl != nil {
		return yl[0] > yl[1]
	}
	return a.yDown()
}

func IsFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// TickLabels returns the x and y tick labels handed to the renderer by the last render.
func (a *Axes) TickLabels() (x, y []string) {
	return append([]string(nil), a.XTicks.Labels...), append([]string(nil), a.YTicks.Labels...)
}

// ColorbarTickLabels returns the colour bar's tick labels from the last render.
func (a *Axes) ColorbarTickLabels() []string {
	return append([]string(nil), a.cbTicks.Labels...)
}

// PixelBox returns the data area (inside the axes frame) of the last render in image
// pixel coordinates (origin top left).
func (a *Axes) PixelBox() image.Rectangle { return a.box }

// DataToPixel maps a data point to image pixel coordinates (origin top left) using the
// last render's transform; ok is false before the first render.
func (a *Axes) DataToPixel(x, y float64) (px, py float64, ok bool) {
	if a.toPixel == nil {
		return 0, 0, false
	}
	c := a.Coords()
	px, py = a.toPixel(c.X(x), c.Y(y))
	return px, py, true
}

// axisRanges are x and y ranges: in limits() as the user sees them ((left, right),
// (bottom, top); a flipped axis has x0 > x1 or y0 > y1), in ranges() in render
// coordinates, where a flipped axis is negated so that every range increases.
type axisRanges struct{ x0, x1, y0, y1 float64 }

// limits works out the axis limits as matplotlib reports them: the set limits, else the
// data of every line, image and artist with matplotlib's 5% margins, not padded past the
// sticky edges of images (their extent) and bars (their baseline); axes shared with
// others (subplots(sharex=…)) take the union of their data.
func (a *Axes) limits() axisRanges {
	xs, ys := a.dataSpans()
	if a.shareX != nil {
		xs = a.shareX.union(a, func(o *Axes) axis.Span { x, _ := o.dataSpans(); return x })
	}
	if a.shareY != nil {
		ys = a.shareY.union(a, func(o *Axes) axis.Span { _, y := o.dataSpans(); return y })
	}
	var r axisRanges
	r.x0, r.x1, _ = axis.Autoscale(xs, a.Xscale)
	r.y0, r.y1, _ = axis.Autoscale(ys, a.Yscale)
	if a.yDown() {
		r.y0, r.y1 = r.y1, r.y0
	}
	if xl := a.xlimits(); xl != nil {
		r.x0, r.x1 = xl[0], xl[1]
	}
	if yl := a.ylimits(); yl != nil {
		r.y0, r.y1 = yl[0], yl[1]
	}
	return r
}

// dataSpans are the x and y data ranges of everything drawn, with sticky edges.
func (a *Axes) dataSpans() (xs, ys axis.Span) {
	xs, ys = axis.EmptySpan(), axis.EmptySpan()
	for _, im := range a.Images {
		x0, x1, y0, y1 := im.extent()
		xs.Add(x0)
		xs.Add(x1)
		ys.Add(y0)
		ys.Add(y1)
		xs.Sticky = append(xs.Sticky, math.Min(x0, x1), math.Max(x0, x1))
		ys.Sticky = append(ys.Sticky, math.Min(y0, y1), math.Max(y0, y1))
	}
	for _, l := range a.Lines {
		for i := range l.X {
			x, y := l.X[i], l.Y[i]
			if !IsFinite(x) || !IsFinite(y) || !IsFinite(a.Xscale.Fwd(x)) || !IsFinite(a.Yscale.Fwd(y)) {
				continue
			}
			xs.Add(x)
			ys.Add(y)
		}
	}
	for _, ar := range a.Artists {
		ar.extend(&xs, &ys, a.Xscale, a.Yscale)
	}
	return xs, ys
}

// yDown reports whether autoscaled y runs downwards: an image with origin "upper" drawn
// first, as matplotlib's imshow inverts the y axis.
func (a *Axes) yDown() bool {
	if len(a.Images) == 0 {
		return false
	}
	_, _, bottom, top := a.Images[0].extent()
	return bottom > top
}

// ranges returns the limits in render coordinates (see coords), where every range
// increases (gonum's axes only run one way).
func (a *Axes) ranges() axisRanges {
	r := a.limits()
	c := a.Coords()
	return axisRanges{c.X(r.x0), c.X(r.x1), c.Y(r.y0), c.Y(r.y1)}
}
