package draw

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"git.sr.ht/~sbinet/gg"
	xdraw "golang.org/x/image/draw"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"gokist/obj"
	"gokist/runtime/plot/axis"
	"gokist/runtime/plot/colors"
	"gokist/runtime/plot/pngenc"
)

// Text sizes in points, as matplotlib's defaults (font.size 10, axes.titlesize large).
const (
	TickFontSize  = 10
	LabelFontSize = 10
	TitleFontSize = 12
)

var (
	sansFont     = font.Font{Typeface: "Liberation", Variant: "Sans"}
	plainHandler = text.Plain{Fonts: font.DefaultCache}
	latexHandler = text.Latex{Fonts: font.DefaultCache, DPI: DPI}
	frameColor   = color.Black
	gridColor    = color.NRGBA{0xb0, 0xb0, 0xb0, 0xff}
)

// textStyle is a sans-serif style of size pt; text holding `$…$` goes through gonum's
// LaTeX handler, as matplotlib's mathtext would.
func textStyle(pt float64, s string) text.Style {
	var h text.Handler = plainHandler
	if isMath(s) {
		h = latexHandler
	}
	return text.Style{Color: color.Black, Font: font.From(sansFont, vg.Points(pt)), Handler: h}
}

// minTitleFontSize is the smallest size fitTitle shrinks a title to before wrapping it.
const minTitleFontSize = 7

// fitTitle makes a title fit the width of its axes cell, as small slider frames need
// ("raster position 34: helioprojective longitude = …" is wider than half a figure): the
// title size shrinks from titleFontSize down to minTitleFontSize, and a title still too
// wide is broken into lines at spaces (after a ": " first). Nothing is cut off. Math
// titles are left as they are (their lines cannot be broken safely).
func fitTitle(title string, width vg.Length, size float64) (string, text.Style) {
	st := textStyle(size, title)
	if title == "" || isMath(title) || width <= 0 {
		return title, st
	}
	for pt := size; pt >= minTitleFontSize; pt-- {
		st = textStyle(pt, title)
		if st.Width(title) <= width {
			return title, st
		}
	}
	var lines []string
	for _, part := range strings.SplitAfter(title, ": ") {
		line := ""
		for _, word := range strings.Fields(part) {
			switch {
			case line == "":
				line = word
			case st.Width(line+" "+word) <= width:
				line += " " + word
			default:
				lines = append(lines, line)
				line = word
			}
		}
		if line != "" {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n"), st
}

// isMath reports whether s has a `$…$` pair (an escaped `\$` does not count), which
// matplotlib renders as mathtext.
func isMath(s string) bool {
	return strings.Count(strings.ReplaceAll(s, `\$`, ""), "$") >= 2
}

// recoverRender turns a panic inside gonum/plot into an error: a ValueError when the
// figure has `$…$` text (gonum's LaTeX handler panics on what it cannot parse), a
// RuntimeError otherwise.
func recoverRender(err *error, hasMath bool) {
	r := recover()
	if r == nil {
		return
	}
	msg := fmt.Sprint(r)
	if hasMath || strings.Contains(msg, "math expression") {
		*err = obj.Errorf(obj.ValueError, "cannot draw the label text: %s", msg).
			WithHint("text between $ signs is read as LaTeX math; write \\$ for a literal dollar sign")
		return
	}
	*err = obj.Errorf(obj.RuntimeError, "rendering the figure failed: %s", msg)
}

// Render draws the figure into an RGBA image of PixelSize.
func (f *Figure) Render() (*image.RGBA, error) { return f.RenderAt(f.Dpi) }

// RenderAt draws the figure at dpi dots per inch (savefig(dpi=...)): the figure's size
// in inches times dpi, lines and text scaled with it. A picture above MaxFigurePixels is
// a ValueError.
func (f *Figure) RenderAt(dpi float64) (*image.RGBA, error) {
	if err := CheckFigureSize(f.width, f.height, dpi); err != nil {
		return nil, err
	}
	w, h := pixelsAt(f.width, dpi), pixelsAt(f.height, dpi)
	return f.renderInto(image.NewRGBA(image.Rect(0, 0, w, h)), dpi)
}

// renderInto draws the figure at dpi on img (of the figure's size at dpi); the canvas
// paints its background first, so img may hold an earlier picture.
func (f *Figure) renderInto(img *image.RGBA, dpi float64) (*image.RGBA, error) {
	h := img.Bounds().Dy()
	ctx := gg.NewContextForRGBA(img)
	ctx.SetLineCapButt()
	ctx.InvertY()
	// Images arrive already reduced to about the screen size, so nearest-neighbour keeps
	// their pixels crisp when enlarged, as matplotlib does.
	ctx.SetInterpolator(xdraw.NearestNeighbor)
	var err error
	func() {
		defer recoverRender(&err, f.hasMath())
		c := vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(int(math.Round(dpi))))
		f.drawOn(draw.New(c), float64(h), dpi, func(r *vg.Rectangle) {
			if r == nil {
				ctx.ResetClip()
				return
			}
			ctx.ClearPath()
			ctx.DrawRectangle(toPx(r.Min.X, dpi), toPx(r.Min.Y, dpi), toPx(r.Max.X-r.Min.X, dpi), toPx(r.Max.Y-r.Min.Y, dpi))
			ctx.Clip()
		})
	}()
	if err != nil {
		return nil, err
	}
	return img, nil
}

// PNG renders the figure and encodes it as PNG (fast compression). The picture is
// drawn on a pooled buffer: a new megabyte per figure cost page faults and collections.
func (f *Figure) PNG() ([]byte, error) { return f.pngAt(f.Dpi, false) }

// pngAt renders the figure at dpi on a pooled picture and encodes it; tight crops it to
// what is drawn plus 0.1 inch.
func (f *Figure) pngAt(dpi float64, tight bool) ([]byte, error) {
	if err := CheckFigureSize(f.width, f.height, dpi); err != nil {
		return nil, err
	}
	r := image.Rect(0, 0, pixelsAt(f.width, dpi), pixelsAt(f.height, dpi))
	buf, _ := pictures.Get().(*image.RGBA)
	if buf == nil || buf.Bounds() != r {
		buf = image.NewRGBA(r)
	}
	defer pictures.Put(buf)
	img, err := f.renderInto(buf, dpi)
	if err != nil {
		return nil, err
	}
	if tight {
		return EncodePNG(cropToInk(img, int(math.Round(0.1*dpi))))
	}
	return EncodePNG(img)
}

// pictures holds a rendered picture between figures of the same size.
var pictures sync.Pool

// EncodePNG encodes img as PNG for display (package pngenc: fast, not small).
func EncodePNG(img image.Image) ([]byte, error) { return pngenc.Encode(img) }

// SVG renders the figure as an SVG document.
func (f *Figure) SVG() (out []byte, err error) {
	defer recoverRender(&err, f.hasMath())
	_, h := f.PixelSize()
	c := vgsvg.New(vg.Length(f.width)*vg.Inch, vg.Length(f.height)*vg.Inch)
	f.drawOn(draw.New(c), float64(h), f.Dpi, nil)
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("writing SVG: %w", err)
	}
	return buf.Bytes(), nil
}

// PDF renders the figure as a PDF document of its size in inches.
func (f *Figure) PDF() (out []byte, err error) {
	defer recoverRender(&err, f.hasMath())
	_, h := f.PixelSize()
	c := vgpdf.New(vg.Length(f.width)*vg.Inch, vg.Length(f.height)*vg.Inch)
	c.EmbedFonts(true)
	f.drawOn(draw.New(c), float64(h), f.Dpi, nil)
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("writing PDF: %w", err)
	}
	return buf.Bytes(), nil
}

// Save writes the figure to path as PNG, SVG or PDF, chosen by the extension, at the
// figure's dpi; "~" expands to the home directory.
func (f *Figure) Save(path string) error { return f.SaveAs(path, "", 0, false) }

// SaveAs writes the figure to path in format ("png", "svg" or "pdf"; "" takes the
// extension), a PNG at dpi dots per inch (0: the figure's); tight crops a PNG to what is
// drawn plus 0.1 inch, as bbox_inches="tight" (SVG and PDF keep the figure's size).
func (f *Figure) SaveAs(path, format string, dpi float64, tight bool) error {
	path = obj.ExpandHome(path)
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	}
	if dpi == 0 {
		dpi = f.Dpi
	}
	var data []byte
	var err error
	switch format {
	case "png":
		data, err = f.pngAt(dpi, tight)
	case "svg":
		data, err = f.SVG()
	case "pdf":
		data, err = f.PDF()
	default:
		return obj.Errorf(obj.ValueError, "Format %s is not supported (supported formats: pdf, png, svg)", PyQuote(format)).
			WithHint("saving %s: give a .png, .svg or .pdf file name, or format=", path)
	}
	if err != nil {
		return err
	}
	if err := writeRegular(path, data); err != nil {
		var oe *obj.Error
		if errors.As(err, &oe) {
			return oe
		}
		if os.IsNotExist(err) {
			return &obj.Error{Class: obj.FileNotFoundError, Msg: fmt.Sprintf("cannot save the figure to %s: %v", path, err), Err: err}
		}
		if os.IsPermission(err) {
			return &obj.Error{Class: obj.PermissionError, Msg: fmt.Sprintf("cannot save the figure to %s: permission denied", path), Err: err,
				Hint: "save it under a directory you may write to, e.g. ~/figure.png"}
		}
		return &obj.Error{Class: obj.RuntimeError, Msg: fmt.Sprintf("cannot save the figure to %s: %v", path, err), Err: err}
	}
	return nil
}

// writeRegular writes data to path, refusing to write through a symbolic link (a
// figure name must not overwrite the file a link points to) or into anything but a
// regular file (a named pipe would block the cell, a device would take the bytes).
// O_NOFOLLOW and O_NONBLOCK make the open itself refuse a link and not wait on a pipe
// even if the path changed since it was looked at; the file is truncated only once it
// is known to be a regular one.
func writeRegular(path string, data []byte) error {
	if st, err := os.Lstat(path); err == nil {
		if err := checkRegularTarget(path, st.Mode()); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o644)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return checkRegularTarget(path, fs.ModeSymlink)
		}
		if errors.Is(err, syscall.ENXIO) || errors.Is(err, syscall.EISDIR) {
			if st, serr := os.Lstat(path); serr == nil {
				return checkRegularTarget(path, st.Mode())
			}
		}
		return err
	}
	st, err := f.Stat()
	if err == nil {
		err = checkRegularTarget(path, st.Mode())
	}
	if err == nil {
		err = f.Truncate(0)
	}
	if err == nil {
		_, err = f.Write(data)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// checkRegularTarget is the error for saving a figure onto what is not a regular file.
func checkRegularTarget(path string, m fs.FileMode) error {
	switch {
	case m.IsRegular():
		return nil
	case m&fs.ModeSymlink != 0:
		return obj.Errorf("OSError", "cannot save the figure to %s: it is a symbolic link, and a figure is not written through one", path).
			WithHint("give the path of the file itself, or remove the link first")
	case m.IsDir():
		return obj.Errorf("IsADirectoryError", "cannot save the figure to %s: it is a directory", path).
			WithHint("give a file name, e.g. %s", filepath.Join(path, "figure.png"))
	}
	kind := "a special file"
	switch {
	case m&fs.ModeNamedPipe != 0:
		kind = "a named pipe"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	case m&fs.ModeDevice != 0:
		kind = "a device"
	}
	return obj.Errorf("OSError", "cannot save the figure to %s: it is %s, not a regular file", path, kind)
}

// hasMath reports whether any text of the figure goes through the LaTeX handler.
func (f *Figure) hasMath() bool {
	for _, a := range f.axes {
		texts := []string{a.title, a.Xlabel, a.Ylabel}
		if a.Cbar != nil {
			texts = append(texts, a.Cbar.Label)
		}
		for _, l := range a.Lines {
			texts = append(texts, l.Label)
		}
		for _, ar := range a.Artists {
			texts = append(texts, ar.texts()...)
		}
		for _, s := range texts {
			if isMath(s) {
				return true
			}
		}
	}
	return false
}

// clipFunc limits drawing to a rectangle of the canvas (in points), or lifts the limit
// when given nil. gonum's canvases have no clipping, so the PNG renderer passes one that
// sets the clip mask of its gg context; the SVG renderer has none (nil), and there lines
// are cut by gonum and markers and images by the plotters themselves.
type clipFunc func(r *vg.Rectangle)

// drawOn lays the axes out on a grid and draws each one; heightPx is the canvas height in
// device pixels, for the pixel boxes reported back; clip, when not nil, confines each
// axes' data to its data area as matplotlib's clipping does.
func (f *Figure) drawOn(dc draw.Canvas, heightPx, dpi float64, clip clipFunc) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	pad := vg.Length(0.08) * vg.Inch
	tiles := draw.Tiles{Rows: f.rows, Cols: f.cols, PadTop: pad, PadBottom: pad, PadLeft: pad, PadRight: 2 * pad,
		PadX: 3 * pad, PadY: 3 * pad}
	for _, a := range f.axes {
		var box *vg.Rectangle
		if !f.Tight {
			b := f.subplotBox(dc, a)
			box = &b
		}
		cell := tiles.At(dc, a.Col, a.Row)
		if g := a.grid; g != nil {
			t := tiles
			t.Rows, t.Cols = g.rows, g.cols
			cell = t.At(dc, g.col, g.row)
		}
		a.draw(cell, box, heightPx, dpi, clip)
	}
	f.drawSuptitle(dc)
}

// Matplotlib's default subplot parameters (rcParams["figure.subplot.*"]): the axes grid
// fills these fractions of the figure, with wspace and hspace between cells as
// fractions of the mean cell width and height.
const (
	subplotLeft, subplotRight    = 0.125, 0.9
	subplotBottom, subplotTop    = 0.11, 0.88
	subplotWSpace, subplotHSpace = 0.2, 0.2
)

// subplotBox is where matplotlib puts the data area of a in its grid (figure
// coordinates of the canvas, y up), as GridSpec does with the default subplot
// parameters.
func (f *Figure) subplotBox(dc draw.Canvas, a *Axes) vg.Rectangle {
	rows, cols, row, col := f.rows, f.cols, a.Row, a.Col
	if a.grid != nil {
		rows, cols, row, col = a.grid.rows, a.grid.cols, a.grid.row, a.grid.col
	}
	W, H := dc.Max.X-dc.Min.X, dc.Max.Y-dc.Min.Y
	totalW, totalH := (subplotRight-subplotLeft)*W, (subplotTop-subplotBottom)*H
	w := totalW / vg.Length(float64(cols)+subplotWSpace*float64(cols-1))
	h := totalH / vg.Length(float64(rows)+subplotHSpace*float64(rows-1))
	x0 := dc.Min.X + subplotLeft*W + vg.Length(col)*w*(1+subplotWSpace)
	y1 := dc.Min.Y + subplotTop*H - vg.Length(row)*h*(1+subplotHSpace)
	return vg.Rectangle{Min: vg.Point{X: x0, Y: y1 - h}, Max: vg.Point{X: x0 + w, Y: y1}}
}

// canvasFor is the canvas whose data area, as p lays it out, is the rectangle da: da
// widened by the space p's tick labels, axis labels and title take. An axis label longer
// than its axis overhangs it, as matplotlib's does, instead of narrowing the other way
// (gonum pads both ends of an axis to fit its centred label).
func canvasFor(dc draw.Canvas, p *gplot.Plot, da vg.Rectangle) draw.Canvas {
	c := dc
	c.Rectangle = da
	xLabel, yLabel := p.X.Label.Text, p.Y.Label.Text
	p.X.Label.Text = ""
	alongX := p.DataCanvas(c) // left and right: what the y axis takes
	p.X.Label.Text, p.Y.Label.Text = xLabel, ""
	alongY := p.DataCanvas(c) // bottom and top: what the x axis and the title take
	p.Y.Label.Text = yLabel
	c.Rectangle = vg.Rectangle{
		Min: vg.Point{X: da.Min.X - (alongX.Min.X - da.Min.X), Y: da.Min.Y - (alongY.Min.Y - da.Min.Y)},
		Max: vg.Point{X: da.Max.X + (da.Max.X - alongX.Max.X), Y: da.Max.Y + (da.Max.Y - alongY.Max.Y)},
	}
	return c
}

// toPx converts a vg length (points) to device pixels at dpi.
func toPx(l vg.Length, dpi float64) float64 { return float64(l) / float64(vg.Inch) * dpi }

// draw renders the axes into its cell; clip, when not nil, confines the data to the data
// area.
func (a *Axes) draw(cell draw.Canvas, box *vg.Rectangle, heightPx, dpi float64, clip clipFunc) {
	r := a.ranges()
	cs := a.Coords()
	p := a.newPlot(cell)
	// Set here for the layout (equalAspect), and again after the plotters are added:
	// gonum's Plot.Add widens the axes to each plotter's data range, which would undo
	// limits narrower than the data.
	setRanges := func() { p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = r.x0, r.x1, r.y0, r.y1 }
	setRanges()
	a.setTickers(p, r, cs.FlipX, cs.FlipY)
	main, cb := a.place(cell, p, box, r, cs.FlipX, cs.FlipY)

	frame := &framePlotter{clip: clip}
	if clip != nil {
		p.Add(clipStart{clip})
	}
	a.addGridAndImages(p, r, cs, dpi)
	legend := a.addLines(p, cs, clip != nil)
	legend = append(legend, a.addArtists(p, cs, clip != nil)...)
	p.Add(frame)
	setRanges()
	p.Draw(main)

	a.recordPlacement(frame, heightPx, dpi)
	a.drawDecorations(frame, p, legend, cs, cb)
}

// newPlot is a gonum plot styled as matplotlib's axes: frame and tick lines, fonts,
// title and axis labels, with a twin's shared axis hidden (it draws its own axis).
func (a *Axes) newPlot(cell draw.Canvas) *gplot.Plot {
	p := gplot.New()
	p.BackgroundColor = nil
	p.Title.Text, p.Title.TextStyle = fitTitle(a.title, cell.Rectangle.Size().X, a.FontSize(TitleFontSize))
	p.Title.TextStyle.XAlign, p.Title.TextStyle.YAlign = draw.XCenter, draw.YTop
	p.Title.Padding = vg.Points(6)
	for _, ax := range []*gplot.Axis{&p.X, &p.Y} {
		ax.Padding = 0
		ax.LineStyle = draw.LineStyle{Color: frameColor, Width: vg.Points(0.8)}
		ax.Tick.LineStyle = draw.LineStyle{Color: frameColor, Width: vg.Points(0.8)}
		ax.Tick.Length = vg.Points(3.5)
		ax.Tick.Label.Font = font.From(sansFont, vg.Points(a.FontSize(TickFontSize)))
		ax.Tick.Label.Handler = plainHandler
		ax.Label.Padding = vg.Points(4)
	}
	p.X.Label.Text, p.Y.Label.Text = a.Xlabel, a.Ylabel
	if a.rightY {
		// A twin draws its y axis on the right itself (drawOuterAxis), and no x axis.
		p.Y.Label.Text = ""
		p.Y.Tick.Label.Color = color.Transparent
		p.Y.Tick.LineStyle.Color = color.Transparent
		p.X.Label.Text = ""
		p.X.Tick.Label.Color = color.Transparent
	}
	if a.topX {
		// A twiny draws its x axis on the top itself (drawOuterAxis), and no y axis.
		p.X.Label.Text = ""
		p.X.Tick.Label.Color = color.Transparent
		p.X.Tick.LineStyle.Color = color.Transparent
		p.Y.Label.Text = ""
		p.Y.Tick.Label.Color = color.Transparent
	}
	for _, ax := range []*gplot.Axis{&p.X, &p.Y} {
		st := textStyle(a.FontSize(LabelFontSize), ax.Label.Text)
		ax.Label.TextStyle.Font, ax.Label.TextStyle.Handler = st.Font, st.Handler
	}
	return p
}

// setTickers chooses each axis' ticker: the scale's, the x value format's, or world
// coordinates (a world grid's, or an image's world arrays or tick functions) when the
// first image has them.
func (a *Axes) setTickers(p *gplot.Plot, r axisRanges, flipX, flip bool) {
	// Tick labelling: world coordinates for the first image when it has them.
	p.X.Tick.Marker = scaleTicker(a.Xscale, flipX, &a.XTicks)
	p.Y.Tick.Marker = scaleTicker(a.Yscale, flip, &a.YTicks)
	if a.xFormat != nil && a.Xscale.Kind == axis.LinearScale {
		p.X.Tick.Marker = axis.ValueTicker{Format: a.xFormat, Category: a.xCategory, N: 5, Negate: flipX, Rec: &a.XTicks}
	}
	if len(a.Images) > 0 && a.Images[0].opts.WorldGrid != nil {
		p.X.Tick.Marker, p.Y.Tick.Marker = worldGridTickers(a.Images[0].opts.WorldGrid, r, flipX, flip, &a.XTicks, &a.YTicks)
	} else if len(a.Images) > 0 {
		o := a.Images[0].opts
		switch {
		case len(o.XWorld) > 0:
			p.X.Tick.Marker = axis.WorldTicker{World: o.XWorld, N: 5, Negate: flipX, Rec: &a.XTicks, Format: o.XFormat, Category: o.XCategory}
		case o.XTicks != nil:
			p.X.Tick.Marker = axis.FuncTicker{Label: o.XTicks, N: 5, Negate: flipX, Rec: &a.XTicks}
		}
		switch {
		case len(o.YWorld) > 0:
			p.Y.Tick.Marker = axis.WorldTicker{World: o.YWorld, N: 6, Negate: flip, Rec: &a.YTicks, Format: o.YFormat, Category: o.YCategory}
		case o.YTicks != nil:
			p.Y.Tick.Marker = axis.FuncTicker{Label: o.YTicks, N: 6, Negate: flip, Rec: &a.YTicks}
		}
	}
}

// place lays the axes out in its cell: where matplotlib would put it in the figure's
// box when there is one, else in the cell with room for a colour bar and an equal
// aspect; it returns the canvas to draw on and the colour bar's layout (nil without).
func (a *Axes) place(cell draw.Canvas, p *gplot.Plot, box *vg.Rectangle, r axisRanges, flipX, flip bool) (draw.Canvas, *colorbarLayout) {
	main := cell
	var cb *colorbarLayout
	if box != nil {
		var da vg.Rectangle
		da, cb = a.placeAsMatplotlib(cell, p, *box, r)
		a.setTickCounts(p, da, flipX, flip)
		main = canvasFor(cell, p, da)
	} else {
		if a.Cbar != nil {
			cb = a.layoutColorbar(cell, 6)
			main = draw.Crop(cell, 0, -cb.reserved, 0, 0)
		}
		if a.aspectEqual && len(a.Images) > 0 {
			main = equalAspect(p, main, r)
		}
		a.setTickCounts(p, p.DataCanvas(main).Rectangle, flipX, flip)
	}
	return main, cb
}

// addGridAndImages adds the grid lines (a world grid over the images, as WCSAxes
// draws it; a plain grid under them) and the images.
func (a *Axes) addGridAndImages(p *gplot.Plot, r axisRanges, cs axis.Coords, dpi float64) {
	flipX, flip := cs.FlipX, cs.FlipY
	wg := a.worldGrid()
	if wg == nil && (a.GridX || a.GridY) {
		g := plotter.NewGrid()
		g.Vertical = draw.LineStyle{Color: gridColor, Width: vg.Points(0.8)}
		g.Horizontal = g.Vertical
		if !a.GridX {
			g.Vertical.Color = nil
		}
		if !a.GridY {
			g.Horizontal.Color = nil
		}
		p.Add(g)
	}
	for _, im := range a.Images {
		p.Add(&imageLayer{s: im, c: cs, dpi: dpi})
	}
	if wg != nil && (a.GridX || a.GridY) {
		// WCSAxes draws its world grid over the image.
		p.Add(worldGridLines{g: wg, r: r, flipX: flipX, flipY: flip, style: draw.LineStyle{Color: gridColor, Width: vg.Points(0.8)}})
	}
}

// addLines adds each line series' segments and markers, returning their legend entries.
func (a *Axes) addLines(p *gplot.Plot, cs axis.Coords, clipped bool) []legendEntry {
	var legend []legendEntry
	for _, l := range a.Lines {
		ls := draw.LineStyle{Color: l.Color, Width: vg.Points(l.Width)}
		for _, d := range l.dash.dashes(l.Width) {
			ls.Dashes = append(ls.Dashes, vg.Points(d))
		}
		if l.dash != NoLine {
			for _, seg := range Segments(l.X, l.Y, cs) {
				if len(seg) < 2 {
					continue
				}
				line := &plotter.Line{XYs: seg, LineStyle: ls}
				p.Add(line)
			}
		}
		gs := draw.GlyphStyle{Color: l.Color, Radius: vg.Points(l.markerSiz / 2), Shape: glyphFor(l.marker)}
		if l.marker != "" {
			if l.marker == "." {
				gs.Radius /= 2
			}
			if l.marker == "," {
				gs.Radius = vg.Points(0.4)
			}
			var pts plotter.XYs
			for i := range l.X {
				if IsFinite(l.X[i]) && IsFinite(l.Y[i]) {
					if q := cs.XY(l.X[i], l.Y[i]); IsFinite(q.X) && IsFinite(q.Y) {
						pts = append(pts, q)
					}
				}
			}
			p.Add(markers{s: &plotter.Scatter{XYs: pts, GlyphStyle: gs}, clipped: clipped})
		}
		if l.Label != "" && !strings.HasPrefix(l.Label, "_") {
			legend = append(legend, legendEntry{label: l.Label, line: ls, drawLine: l.dash != NoLine, glyph: gs, drawGlyph: l.marker != ""})
		}
	}
	return legend
}

// addArtists adds the other artists (patches, collections, texts), returning their
// legend entries.
func (a *Axes) addArtists(p *gplot.Plot, cs axis.Coords, clipped bool) []legendEntry {
	var legend []legendEntry
	for _, ar := range a.Artists {
		p.Add(artistPlotter{ar: ar, c: cs, clipped: clipped})
		if e, ok := ar.legend(); ok {
			legend = append(legend, e)
		}
	}
	return legend
}

// recordPlacement keeps where the data went, in device pixels: the data area's box and
// the data-to-pixel mapping (for DataToPixel and the tests).
func (a *Axes) recordPlacement(frame *framePlotter, heightPx, dpi float64) {
	da := frame.canvas
	a.box = image.Rect(int(math.Round(toPx(da.Min.X, dpi))), int(math.Round(heightPx-toPx(da.Max.Y, dpi))),
		int(math.Round(toPx(da.Max.X, dpi))), int(math.Round(heightPx-toPx(da.Min.Y, dpi))))
	trX, trY := frame.trX, frame.trY
	a.toPixel = func(x, y float64) (float64, float64) {
		return toPx(trX(x), dpi), heightPx - toPx(trY(y), dpi)
	}
}

// drawDecorations draws what goes around and over the data area once it is placed: a
// twin's own axis, the legend and the colour bar.
func (a *Axes) drawDecorations(frame *framePlotter, p *gplot.Plot, legend []legendEntry, cs axis.Coords, cb *colorbarLayout) {
	da := frame.canvas
	trX, trY := frame.trX, frame.trY
	if a.rightY {
		a.drawOuterAxis(da, p, false)
	}
	if a.topX {
		a.drawOuterAxis(da, p, true)
	}
	show := len(legend) > 0
	if a.legend != nil {
		show = show && *a.legend
	}
	if show {
		size := a.FontSize(TickFontSize)
		if a.LegendSize > 0 {
			size = a.LegendSize
		}
		drawLegend(da, legend, a.legendLoc, a.LegendLook, size, a.linePoints(trX, trY, cs))
	}
	if cb != nil {
		a.drawColorbar(da, cb)
	}
}

// placeAsMatplotlib gives the canvas that puts the data area where matplotlib's layout
// does: the subplot box, narrowed for a colour bar as Figure.colorbar's make_axes does
// (the axes keep 80% of the width, the bar starts at 85% and is a twentieth of the
// height wide), then shrunk about its centre to square data units for aspect "equal".
func (a *Axes) placeAsMatplotlib(cell draw.Canvas, p *gplot.Plot, box vg.Rectangle, r axisRanges) (vg.Rectangle, *colorbarLayout) {
	var cb *colorbarLayout
	da := box
	if a.Cbar != nil {
		// make_axes: the parent keeps 1 - fraction - pad of the width; the bar's region
		// is the last fraction, the bar shrink of the height (centred) and aspect times
		// longer than wide, at the region's left.
		fraction, pad, shrink, aspect := a.Cbar.geometry()
		w, h := box.Max.X-box.Min.X, box.Max.Y-box.Min.Y
		bh := vg.Length(shrink) * h
		cb = a.layoutColorbar(cell, tickCount(bh, 2, a.FontSize(TickFontSize)))
		x0, y0 := box.Min.X+vg.Length(1-fraction)*w, box.Min.Y+(h-bh)/2
		cb.fixed = &vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x0 + min(vg.Length(fraction)*w, bh/vg.Length(aspect)), Y: y0 + bh}}
		da.Max.X = box.Min.X + vg.Length(1-fraction-pad)*w
	}
	if a.aspectEqual && len(a.Images) > 0 {
		w, h := float64(da.Max.X-da.Min.X), float64(da.Max.Y-da.Min.Y)
		dx, dy := r.x1-r.x0, r.y1-r.y0
		if w > 0 && h > 0 && dx > 0 && dy > 0 {
			if want := h * dx / dy; want < w {
				cut := vg.Length(w-want) / 2
				da.Min.X, da.Max.X = da.Min.X+cut, da.Max.X-cut
			} else {
				cut := vg.Length(h-w*dy/dx) / 2
				da.Min.Y, da.Max.Y = da.Min.Y+cut, da.Max.Y-cut
			}
		}
	}
	return da, cb
}

// tickCount is matplotlib's number of tick intervals for an axis of length points:
// MaxNLocator("auto") takes the axis' tick space (its length over 3 label heights for
// x, 2 for y, labels of 10 points) and at most 9.
func tickCount(length vg.Length, perLabel, fontSize float64) int {
	return max(1, min(int(math.Floor(float64(length)/(fontSize*perLabel))), 9))
}

// setTickCounts sizes the linear tickers for the data area da, as matplotlib's
// tick space does.
func (a *Axes) setTickCounts(p *gplot.Plot, da vg.Rectangle, flipX, flipY bool) {
	if t, ok := p.X.Tick.Marker.(axis.LinearTicker); ok {
		t.N = tickCount(da.Max.X-da.Min.X, 3, a.FontSize(TickFontSize))
		p.X.Tick.Marker = t
	}
	if t, ok := p.Y.Tick.Marker.(axis.LinearTicker); ok {
		t.N = tickCount(da.Max.Y-da.Min.Y, 2, a.FontSize(TickFontSize))
		p.Y.Tick.Marker = t
	}
	if t, ok := p.X.Tick.Marker.(axis.LogTicker); ok {
		t.NumTicks = max(2, tickCount(da.Max.X-da.Min.X, 3, a.FontSize(TickFontSize)))
		p.X.Tick.Marker = t
	}
	if t, ok := p.Y.Tick.Marker.(axis.LogTicker); ok {
		t.NumTicks = max(2, tickCount(da.Max.Y-da.Min.Y, 2, a.FontSize(TickFontSize)))
		p.Y.Tick.Marker = t
	}
}

// equalAspect shrinks the canvas so that one data unit has the same length on both axes
// (square image pixels), keeping the result centred in the cell.
func equalAspect(p *gplot.Plot, c draw.Canvas, r axisRanges) draw.Canvas {
	da := p.DataCanvas(c)
	w, h := float64(da.Max.X-da.Min.X), float64(da.Max.Y-da.Min.Y)
	dx, dy := r.x1-r.x0, r.y1-r.y0
	if w <= 0 || h <= 0 || dx <= 0 || dy <= 0 {
		return c
	}
	if want := h * dx / dy; want < w {
		cut := vg.Length(w - want)
		return draw.Crop(c, cut/2, -cut/2, 0, 0)
	}
	want := w * dy / dx
	cut := vg.Length(h - want)
	return draw.Crop(c, 0, 0, cut/2, -cut/2)
}

// markers draws a scatter's glyphs. It hides the scatter's glyph boxes from gonum, which
// would otherwise shrink the data area to fit glyphs at the limits; matplotlib clips
// markers at the axes instead. When the canvas clips (clipped), every glyph reaching into
// the data area is drawn and the clip cuts it, as matplotlib; otherwise only glyphs whose
// centre lies inside are drawn.
type markers struct {
	s       *plotter.Scatter
	clipped bool
}

// Plot implements plot.Plotter.
func (m markers) Plot(c draw.Canvas, p *gplot.Plot) {
	if !m.clipped {
		m.s.Plot(c, p)
		return
	}
	trX, trY := p.Transforms(&c)
	r := m.s.GlyphStyle.Radius
	for _, q := range m.s.XYs {
		pt := vg.Point{X: trX(q.X), Y: trY(q.Y)}
		if pt.X >= c.Min.X-r && pt.X <= c.Max.X+r && pt.Y >= c.Min.Y-r && pt.Y <= c.Max.Y+r {
			c.DrawGlyphNoClip(m.s.GlyphStyle, pt)
		}
	}
}

// segments splits a line at NaN or infinite points, so that they show as gaps; the points
// are in render coordinates.
func Segments(x, y []float64, cs axis.Coords) []plotter.XYs {
	var out []plotter.XYs
	var cur plotter.XYs
	for i := range x {
		q := cs.XY(x[i], y[i])
		if !IsFinite(q.X) || !IsFinite(q.Y) {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, q)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// clipStart is the first plotter of an axes: it confines what the plotters after it draw
// to the data area. The framePlotter, the last one, lifts the limit.
type clipStart struct{ clip clipFunc }

// Plot implements plot.Plotter.
func (cs clipStart) Plot(c draw.Canvas, p *gplot.Plot) {
	r := c.Rectangle
	cs.clip(&r)
}

// framePlotter draws the axes frame (all four spines, as matplotlib) on top of the data
// and remembers the data area and transforms of the render. It lifts the data clipping
// first, so that the frame, legend and colour bar are drawn whole.
type framePlotter struct {
	canvas   draw.Canvas
	trX, trY func(float64) vg.Length
	clip     clipFunc
}

// Plot implements plot.Plotter.
func (fp *framePlotter) Plot(c draw.Canvas, p *gplot.Plot) {
	if fp.clip != nil {
		fp.clip(nil)
	}
	fp.canvas = c
	fp.trX, fp.trY = detachedTransforms(c, p)
	c.SetLineStyle(draw.LineStyle{Color: frameColor, Width: vg.Points(0.8)})
	c.Stroke(c.Rectangle.Path())
}

// detachedTransforms are p.Transforms(&c) without their references to the canvas and
// the plot: the axes keep them after a render (Axes.toPixel), and gonum's would keep the
// rendered picture's pixels and every series' data alive with them, megabytes per
// figure for as long as a name refers to it.
func detachedTransforms(c draw.Canvas, p *gplot.Plot) (x, y func(float64) vg.Length) {
	r := c.Rectangle
	xs, xmin, xmax := p.X.Scale, p.X.Min, p.X.Max
	ys, ymin, ymax := p.Y.Scale, p.Y.Min, p.Y.Max
	x = func(v float64) vg.Length { return vg.Length(xs.Normalize(xmin, xmax, v))*(r.Max.X-r.Min.X) + r.Min.X }
	y = func(v float64) vg.Length { return vg.Length(ys.Normalize(ymin, ymax, v))*(r.Max.Y-r.Min.Y) + r.Min.Y }
	return x, y
}

// imageLayer draws one image series: the part inside the axes limits, reduced to about
// the on-screen size by averaging, coloured through the LUT and handed to plotter.Image.
// Row r and column c of the data are centred on y = r and x = c, as in matplotlib.
type imageLayer struct {
	s   *imageSeries
	c   axis.Coords
	dpi float64
}

// Plot implements plot.Plotter. The drawn picture covers exactly the visible part of the
// image: a limit through the middle of a pixel cuts that pixel, as matplotlib's clipping
// does, since gonum's canvases cannot clip images themselves. The image's extent maps
// data coordinates onto pixel coordinates (column c and row r centred on c and r).
func (l *imageLayer) Plot(c draw.Canvas, p *gplot.Plot) {
	s := l.s
	left, right, edge0, edgeN := s.pixelEdges()
	colOf := func(x float64) float64 { return -0.5 + (x-left)/(right-left)*float64(s.cols) }
	rowOf := func(y float64) float64 { return -0.5 + (y-edge0)/(edgeN-edge0)*float64(s.rows) }
	xOf := func(col float64) float64 { return left + (col+0.5)/float64(s.cols)*(right-left) }
	yOf := func(row float64) float64 { return edge0 + (row+0.5)/float64(s.rows)*(edgeN-edge0) }
	// The axes window in pixel coordinates, increasing, cut to the image.
	wx0, wx1 := colOf(l.c.InvX(p.X.Min)), colOf(l.c.InvX(p.X.Max))
	wy0, wy1 := rowOf(l.c.InvY(p.Y.Min)), rowOf(l.c.InvY(p.Y.Max))
	// Whether columns run rightwards and rows upwards on screen.
	colsRight := wx1 > wx0
	rowsUp := wy1 > wy0
	xa, xb := math.Max(math.Min(wx0, wx1), -0.5), math.Min(math.Max(wx0, wx1), float64(s.cols)-0.5)
	ya, yb := math.Max(math.Min(wy0, wy1), -0.5), math.Min(math.Max(wy0, wy1), float64(s.rows)-0.5)
	if !(xb > xa) || !(yb > ya) {
		return
	}
	c0 := clampInt(int(math.Floor(xa+0.5)), 0, s.cols)
	c1 := clampInt(int(math.Ceil(xb+0.5)), 0, s.cols)
	r0 := clampInt(int(math.Floor(ya+0.5)), 0, s.rows)
	r1 := clampInt(int(math.Ceil(yb+0.5)), 0, s.rows)
	if c1 <= c0 || r1 <= r0 {
		return
	}
	// On-screen size of the visible window, in device pixels.
	wpx := toPx(c.Max.X-c.Min.X, l.dpi) * (xb - xa) / math.Abs(wx1-wx0)
	hpx := toPx(c.Max.Y-c.Min.Y, l.dpi) * (yb - ya) / math.Abs(wy1-wy0)
	// Cells of the reduced block along an axis: the n source pixels, or about the
	// block's on-screen size when that is well below n.
	scale := func(n int, window, px float64) int {
		blockPx := px * float64(n) / window
		if float64(n) > 1.5*blockPx {
			return max(1, int(math.Ceil(blockPx)))
		}
		return n
	}
	outC := scale(c1-c0, xb-xa, wpx)
	outR := scale(r1-r0, yb-ya, hpx)
	block := reduce(s.data, s.cols, r0, r1, c0, c1, outR, outC)

	// Lay the block out as it appears on screen (top row first, leftmost column first),
	// cut to the window. Where the window has whole pixels and the axes run the usual
	// way, that is the block itself; otherwise each screen pixel takes its nearest cell.
	cols := samplePositions(xa, xb, float64(c0)-0.5, float64(c1)-0.5, outC, wpx, !colsRight)
	rows := samplePositions(ya, yb, float64(r0)-0.5, float64(r1)-0.5, outR, hpx, rowsUp)
	data := make([]float64, len(rows)*len(cols))
	for i, br := range rows {
		src := block[br*outC : (br+1)*outC]
		dst := data[i*len(cols) : (i+1)*len(cols)]
		for j, bc := range cols {
			dst[j] = src[bc]
		}
	}
	img := s.cmap.ColorizeNorm(data, len(rows), len(cols), s.scale, false)
	q0, q1 := l.c.XY(xOf(xa), yOf(ya)), l.c.XY(xOf(xb), yOf(yb))
	plotter.NewImage(img, math.Min(q0.X, q1.X), math.Min(q0.Y, q1.Y), math.Max(q0.X, q1.X), math.Max(q0.Y, q1.Y)).Plot(c, p)
}

// samplePositions picks, for each screen pixel across the window [lo, hi] (in order of
// increasing data value, or decreasing when reverse), the cell of a block of n equal cells
// spanning [blo, bhi] under its centre. When the window is the block it is each cell
// once; otherwise the window is sampled at max(n, ceil(px)) points, px being its size
// on screen, so that a pixel cut by a limit shows only its visible part.
func samplePositions(lo, hi, blo, bhi float64, n int, px float64, reverse bool) []int {
	k := n
	if lo != blo || hi != bhi {
		k = max(n, int(math.Ceil(px)))
	}
	idx := make([]int, k)
	for j := range idx {
		v := lo + (float64(j)+0.5)*(hi-lo)/float64(k)
		idx[j] = clampInt(int(math.Floor((v-blo)/(bhi-blo)*float64(n))), 0, n-1)
	}
	if reverse {
		for i, j := 0, len(idx)-1; i < j; i, j = i+1, j-1 {
			idx[i], idx[j] = idx[j], idx[i]
		}
	}
	return idx
}

func clampInt(v, lo, hi int) int { return max(lo, min(v, hi)) }

// reduce averages the block [r0,r1)×[c0,c1) of a row-major array with cols columns onto
// an outR×outC grid, ignoring NaNs (a cell with no finite value stays NaN). When the
// output has the block's size it is a plain copy.
func reduce(data []float64, cols, r0, r1, c0, c1, outR, outC int) []float64 {
	nr, nc := r1-r0, c1-c0
	out := make([]float64, outR*outC)
	if outR == nr && outC == nc {
		for r := range nr {
			copy(out[r*nc:(r+1)*nc], data[(r0+r)*cols+c0:(r0+r)*cols+c1])
		}
		return out
	}
	colTo := make([]int32, nc)
	for c := range nc {
		colTo[c] = int32(c * outC / nc)
	}
	sum := make([]float64, outC)
	cnt := make([]int32, outC)
	flush := func(tr int) {
		row := out[tr*outC : (tr+1)*outC]
		for j := range row {
			if cnt[j] > 0 {
				row[j] = sum[j] / float64(cnt[j])
			} else {
				row[j] = math.NaN()
			}
			sum[j], cnt[j] = 0, 0
		}
	}
	cur := 0
	for r := range nr {
		tr := r * outR / nr
		if tr != cur {
			flush(cur)
			cur = tr
		}
		src := data[(r0+r)*cols+c0 : (r0+r)*cols+c1]
		for c, v := range src {
			if v == v && !math.IsInf(v, 0) {
				j := colTo[c]
				sum[j] += v
				cnt[j]++
			}
		}
	}
	flush(cur)
	return out
}

// legendEntry is one row of a legend: a label and the line and marker that stand for it.
type legendEntry struct {
	label     string
	line      draw.LineStyle
	drawLine  bool
	glyph     draw.GlyphStyle
	drawGlyph bool
	// patch rows (bars, spans, filled areas) show a filled box
	patch      bool
	face, edge color.NRGBA
}

// linePoints samples the drawn lines' points in canvas coordinates (at most about 500
// per line), for placing the legend where it hides the least data.
func (a *Axes) linePoints(trX, trY func(float64) vg.Length, cs axis.Coords) []vg.Point {
	var pts []vg.Point
	for _, l := range a.Lines {
		step := max(1, len(l.X)/500)
		for i := 0; i < len(l.X); i += step {
			if q := cs.XY(l.X[i], l.Y[i]); IsFinite(q.X) && IsFinite(q.Y) {
				pts = append(pts, vg.Point{X: trX(q.X), Y: trY(q.Y)})
			}
		}
	}
	for _, ar := range a.Artists {
		for _, q := range ar.points(cs) {
			pts = append(pts, vg.Point{X: trX(q.X), Y: trY(q.Y)})
		}
	}
	return pts
}

// legendLocs are the places "best" tries, in matplotlib's order of preference.
var legendLocs = []string{"upper right", "upper left", "lower left", "lower right", "center right", "center left", "lower center", "upper center", "center"}

// legendBox places a legend box of size w×h inside the data area at loc.
func legendBox(da draw.Canvas, loc string, w, h, inset vg.Length) vg.Rectangle {
	var x0, y1 vg.Length
	switch {
	case strings.Contains(loc, "left"):
		x0 = da.Min.X + inset
	case loc == "upper center" || loc == "lower center" || loc == "center":
		x0 = (da.Min.X+da.Max.X)/2 - w/2
	default:
		x0 = da.Max.X - inset - w
	}
	switch {
	case strings.HasPrefix(loc, "lower"):
		y1 = da.Min.Y + inset + h
	case loc == "right" || strings.HasPrefix(loc, "center"):
		y1 = (da.Min.Y+da.Max.Y)/2 + h/2
	default:
		y1 = da.Max.Y - inset
	}
	return vg.Rectangle{Min: vg.Point{X: x0, Y: y1 - h}, Max: vg.Point{X: x0 + w, Y: y1}}
}

// drawLegend draws a framed legend inside the data area at loc; "best" (or "") picks the
// place covering the fewest of the lines' points, as matplotlib does. Sizes are
// matplotlib's in font sizes: borderpad 0.4, handlelength 2, handletextpad 0.8,
// labelspacing 0.5, columnspacing 2; with ncol the entries fill columns in turn, the
// first n % ncol columns one longer (np.array_split), and a title sits above them.
func drawLegend(da draw.Canvas, entries []legendEntry, loc string, look LegendLook, size float64, points []vg.Point) {
	fs := vg.Points(size)
	pad, handle, gap, rowH, colSp := 0.4*fs, 2*fs, 0.8*fs, 1.4*fs, 2*fs
	columns := splitColumns(len(entries), look.Cols)
	var styles []text.Style
	colW := make([]vg.Length, len(columns))
	for c, col := range columns {
		for _, i := range col {
			st := textStyle(size, entries[i].label)
			st.YAlign = draw.YCenter
			styles = append(styles, st)
			colW[c] = max(colW[c], handle+gap+st.Width(entries[i].label))
		}
	}
	boxW := pad + pad + vg.Length(len(columns)-1)*colSp
	for _, w := range colW {
		boxW += w
	}
	boxH := pad + vg.Length(len(columns[0]))*rowH + pad - 0.4*fs
	titleSty := textStyle(size, look.Title)
	if look.Title != "" {
		boxW = max(boxW, pad+titleSty.Width(look.Title)+pad)
		boxH += rowH
	}
	inset := 0.5 * fs
	if loc == "" || loc == "best" {
		loc = bestLegendLoc(da, boxW, boxH, inset, points)
	}
	box := legendBox(da, loc, boxW, boxH, inset)
	if !look.NoFrame {
		da.SetColor(color.NRGBA{255, 255, 255, 204})
		da.Fill(box.Path())
		da.SetLineStyle(draw.LineStyle{Color: color.NRGBA{0xcc, 0xcc, 0xcc, 0xff}, Width: vg.Points(0.8)})
		da.Stroke(box.Path())
	}
	top := box.Max.Y - pad - 0.5*fs
	if look.Title != "" {
		titleSty.XAlign, titleSty.YAlign = draw.XCenter, draw.YCenter
		da.FillText(titleSty, vg.Point{X: (box.Min.X + box.Max.X) / 2, Y: top}, look.Title)
		top -= rowH
	}
	x0, k := box.Min.X+pad, 0
	for c, col := range columns {
		y := top
		for _, i := range col {
			drawLegendEntry(&da, entries[i], styles[k], x0, y, fs)
			k++
			y -= rowH
		}
		x0 += colW[c] + colSp
	}
}

// splitColumns is np.array_split of n entries into ncol columns (empty ones dropped).
func splitColumns(n, ncol int) [][]int {
	ncol = max(1, min(ncol, n))
	var out [][]int
	i := 0
	for c := range ncol {
		m := n / ncol
		if c < n%ncol {
			m++
		}
		col := make([]int, m)
		for j := range col {
			col[j] = i
			i++
		}
		out = append(out, col)
	}
	return out
}

// bestLegendLoc is the place among legendLocs whose box covers the fewest points.
func bestLegendLoc(da draw.Canvas, w, h, inset vg.Length, points []vg.Point) string {
	best, loc := -1, legendLocs[0]
	for _, l := range legendLocs {
		r := legendBox(da, l, w, h, inset)
		n := 0
		for _, p := range points {
			if p.X >= r.Min.X && p.X <= r.Max.X && p.Y >= r.Min.Y && p.Y <= r.Max.Y {
				n++
			}
		}
		if best < 0 || n < best {
			best, loc = n, l
		}
		if n == 0 {
			break
		}
	}
	return loc
}

// drawLegendEntry draws one legend row: its handle from x and its label, centred on y.
func drawLegendEntry(da *draw.Canvas, e legendEntry, st text.Style, x, y, fs vg.Length) {
	handle, gap := 2*fs, 0.8*fs
	if e.patch {
		box := vg.Rectangle{Min: vg.Point{X: x, Y: y - 0.35*fs}, Max: vg.Point{X: x + handle, Y: y + 0.35*fs}}
		fillStroke(da, box.Path(), PatchStyle{Face: e.face, Edge: e.edge, EdgeWidth: 0.8})
	}
	if e.drawLine {
		da.StrokeLine2(e.line, x, y, x+handle, y)
	}
	if e.drawGlyph {
		da.DrawGlyphNoClip(e.glyph, vg.Point{X: x + handle/2, Y: y})
	}
	da.FillText(st, vg.Point{X: x + handle + gap, Y: y}, e.label)
}

// colorbarLayout is the space a colour bar takes to the right of its axes.
type colorbarLayout struct {
	reserved, pad, width vg.Length
	ticks                []float64
	labels               []string
	fixed                *vg.Rectangle // the bar's place in matplotlib's layout, when set
}

func (a *Axes) layoutColorbar(cell draw.Canvas, nTicks int) *colorbarLayout {
	_, sc := a.Cbar.M.Mapping()
	cellW := cell.Max.X - cell.Min.X
	l := &colorbarLayout{pad: 0.03 * cellW, width: 0.04 * cellW}
	l.ticks, l.labels = colorbarTicks(sc, nTicks)
	labelsW := maxLabelWidth(l.labels, a.FontSize(TickFontSize))
	l.reserved = l.pad + l.width + vg.Points(3.5+3.5) + labelsW + vg.Points(4)
	if a.Cbar.Label != "" {
		l.reserved += vg.Points(a.FontSize(LabelFontSize)*1.4 + 2)
	}
	return l
}

// drawColorbar draws the colour bar beside the data area da.
func (a *Axes) drawColorbar(da draw.Canvas, l *colorbarLayout) {
	cmap, sc := a.Cbar.M.Mapping()
	rect := vg.Rectangle{Min: vg.Point{X: da.Max.X + l.pad, Y: da.Min.Y}, Max: vg.Point{X: da.Max.X + l.pad + l.width, Y: da.Max.Y}}
	if l.fixed != nil {
		rect = *l.fixed
	}
	n := len(cmap.LUT)
	strip := image.NewRGBA(image.Rect(0, 0, 1, n))
	for i := range n {
		e := cmap.LUT[n-1-i]
		strip.Pix[4*i], strip.Pix[4*i+1], strip.Pix[4*i+2], strip.Pix[4*i+3] = e[0], e[1], e[2], 255
	}
	da.DrawImage(rect, strip)
	da.SetLineStyle(draw.LineStyle{Color: frameColor, Width: vg.Points(0.8)})
	da.Stroke(rect.Path())
	h := rect.Max.Y - rect.Min.Y
	tickSty := draw.LineStyle{Color: frameColor, Width: vg.Points(0.8)}
	var shown []gplot.Tick
	for i, v := range l.ticks {
		y := rect.Min.Y + h/2
		if sc.Vmax > sc.Vmin {
			y = rect.Min.Y + vg.Length(sc.Norm(v))*h
		}
		da.StrokeLine2(tickSty, rect.Max.X, y, rect.Max.X+vg.Points(3.5), y)
		st := textStyle(a.FontSize(TickFontSize), l.labels[i])
		st.XAlign, st.YAlign = draw.XLeft, draw.YCenter
		da.FillText(st, vg.Point{X: rect.Max.X + vg.Points(7), Y: y}, l.labels[i])
		shown = append(shown, gplot.Tick{Value: v, Label: l.labels[i]})
	}
	a.cbTicks.Record(shown)
	if a.Cbar.Label != "" {
		ls := textStyle(a.FontSize(LabelFontSize), a.Cbar.Label)
		ls.Rotation = math.Pi / 2
		ls.XAlign, ls.YAlign = draw.XCenter, draw.YBottom
		labelsW := maxLabelWidth(l.labels, a.FontSize(TickFontSize))
		x := rect.Max.X + vg.Points(7+4) + labelsW + vg.Points(a.FontSize(LabelFontSize)*1.2)
		da.FillText(ls, vg.Point{X: x, Y: (rect.Min.Y + rect.Max.Y) / 2}, a.Cbar.Label)
	}
}

// maxLabelWidth is the width of the widest tick label.
func maxLabelWidth(labels []string, size float64) vg.Length {
	w := vg.Length(0)
	for _, s := range labels {
		w = max(w, textStyle(size, s).Width(s))
	}
	return w
}

// colorbarTicks are the colour bar's ticks for a resolved norm: decades labelled 10^k for
// a LogNorm (as matplotlib's LogLocator and LogFormatterSciNotation), round values
// otherwise.
func colorbarTicks(sc colors.Scaler, n int) ([]float64, []string) {
	if !(sc.Vmax > sc.Vmin) {
		return []float64{sc.Vmin}, axis.FormatTicks([]float64{sc.Vmin}, 0)
	}
	if sc.Kind == colors.LogNorm {
		var vals []float64
		var labels []string
		for k := math.Ceil(math.Log10(sc.Vmin) - 1e-9); k <= math.Floor(math.Log10(sc.Vmax)+1e-9); k++ {
			vals = append(vals, math.Pow(10, k))
			labels = append(labels, axis.PowerOfTen(int(k)))
		}
		if len(vals) >= 2 {
			return vals, labels
		}
	}
	vals, step := axis.NiceTicks(sc.Vmin, sc.Vmax, n)
	return vals, axis.FormatTicks(vals, step)
}

// fontSize scales one of matplotlib's default text sizes (for font.size 10) by the
// figure's rcParams["font.size"], as matplotlib's relative sizes ("medium", "large") do.
func (a *Axes) FontSize(base float64) float64 {
	if a.Fig == nil || a.Fig.FontSize == 0 {
		return base
	}
	return base * a.Fig.FontSize / 10
}

// cropToInk is img cut to the bounding box of its non-white pixels widened by pad pixels
// (matplotlib's bbox_inches="tight" with pad_inches=0.1); a blank picture is kept whole.
func cropToInk(img *image.RGBA, pad int) image.Image {
	b := img.Bounds()
	x0, y0, x1, y1 := b.Max.X, b.Max.Y, b.Min.X, b.Min.Y
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[(y-b.Min.Y)*img.Stride:]
		for x := b.Min.X; x < b.Max.X; x++ {
			p := row[4*(x-b.Min.X):]
			if p[3] != 0 && (p[0] != 255 || p[1] != 255 || p[2] != 255) {
				x0, y0 = min(x0, x), min(y0, y)
				x1, y1 = max(x1, x+1), max(y1, y+1)
			}
		}
	}
	if x0 >= x1 || y0 >= y1 {
		return img
	}
	r := image.Rect(x0-pad, y0-pad, x1+pad, y1+pad).Intersect(b)
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := range r.Dy() {
		copy(out.Pix[y*out.Stride:y*out.Stride+4*r.Dx()], img.Pix[(r.Min.Y-b.Min.Y+y)*img.Stride+4*(r.Min.X-b.Min.X):])
	}
	return out
}
