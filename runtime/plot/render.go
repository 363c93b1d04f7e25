package plot

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"git.sr.ht/~sbinet/gg"
	xdraw "golang.org/x/image/draw"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"gokist/runtime/obj"
)

// Text sizes in points, as matplotlib's defaults (font.size 10, axes.titlesize large).
const (
	tickFontSize  = 10
	labelFontSize = 10
	titleFontSize = 12
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
func fitTitle(title string, width vg.Length) (string, text.Style) {
	st := textStyle(titleFontSize, title)
	if title == "" || isMath(title) || width <= 0 {
		return title, st
	}
	for pt := float64(titleFontSize); pt >= minTitleFontSize; pt-- {
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
func (f *Figure) Render() (*image.RGBA, error) {
	w, h := f.PixelSize()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	ctx := gg.NewContextForRGBA(img)
	ctx.SetLineCapButt()
	ctx.InvertY()
	// Images arrive already reduced to about the screen size, so nearest-neighbour keeps
	// their pixels crisp when enlarged, as matplotlib does.
	ctx.SetInterpolator(xdraw.NearestNeighbor)
	var err error
	func() {
		defer recoverRender(&err, f.hasMath())
		c := vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(DPI))
		f.drawOn(draw.New(c), float64(h))
	}()
	if err != nil {
		return nil, err
	}
	return img, nil
}

// PNG renders the figure and encodes it as PNG (fast compression).
func (f *Figure) PNG() ([]byte, error) {
	img, err := f.Render()
	if err != nil {
		return nil, err
	}
	return EncodePNG(img)
}

// EncodePNG encodes img as PNG with the fastest compression, which matters more than
// size for inline display.
func EncodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: pngBuffers}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// pngBufferPool reuses the PNG encoder's compressor and row buffers between figures,
// which saves about a megabyte of allocation per image.
type pngBufferPool struct{ p sync.Pool }

// Get implements png.EncoderBufferPool.
func (b *pngBufferPool) Get() *png.EncoderBuffer {
	e, _ := b.p.Get().(*png.EncoderBuffer)
	return e
}

// Put implements png.EncoderBufferPool.
func (b *pngBufferPool) Put(e *png.EncoderBuffer) { b.p.Put(e) }

var pngBuffers = &pngBufferPool{}

// SVG renders the figure as an SVG document.
func (f *Figure) SVG() (out []byte, err error) {
	defer recoverRender(&err, f.hasMath())
	_, h := f.PixelSize()
	c := vgsvg.New(vg.Length(f.width)*vg.Inch, vg.Length(f.height)*vg.Inch)
	f.drawOn(draw.New(c), float64(h))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("writing SVG: %w", err)
	}
	return buf.Bytes(), nil
}

// Save writes the figure to path as PNG or SVG, chosen by the extension; "~" expands to
// the home directory.
func (f *Figure) Save(path string) error {
	if strings.HasPrefix(path, "~/") || path == "~" {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, path[1:])
		}
	}
	var data []byte
	var err error
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".png":
		data, err = f.PNG()
	case ".svg":
		data, err = f.SVG()
	default:
		return obj.Errorf(obj.ValueError, "cannot save %q: format %q is not supported; use a .png or .svg file name", path, strings.TrimPrefix(ext, "."))
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		if os.IsNotExist(err) {
			return &obj.Error{Class: obj.FileNotFoundError, Msg: fmt.Sprintf("cannot save the figure to %s: %v", path, err), Err: err}
		}
		return &obj.Error{Class: obj.RuntimeError, Msg: fmt.Sprintf("cannot save the figure to %s: %v", path, err), Err: err}
	}
	return nil
}

// hasMath reports whether any text of the figure goes through the LaTeX handler.
func (f *Figure) hasMath() bool {
	for _, a := range f.axes {
		texts := []string{a.title, a.xlabel, a.ylabel}
		if a.colorbar != nil {
			texts = append(texts, a.colorbar.label)
		}
		for _, l := range a.lines {
			texts = append(texts, l.label)
		}
		for _, s := range texts {
			if isMath(s) {
				return true
			}
		}
	}
	return false
}

// drawOn lays the axes out on a grid and draws each one; heightPx is the canvas height in
// device pixels, for the pixel boxes reported back.
func (f *Figure) drawOn(dc draw.Canvas, heightPx float64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	pad := vg.Length(0.08) * vg.Inch
	tiles := draw.Tiles{Rows: f.rows, Cols: f.cols, PadTop: pad, PadBottom: pad, PadLeft: pad, PadRight: 2 * pad,
		PadX: 3 * pad, PadY: 3 * pad}
	for _, a := range f.axes {
		a.draw(tiles.At(dc, a.col, a.row), heightPx)
	}
}

// toPx converts a vg length (points) to device pixels at DPI.
func toPx(l vg.Length) float64 { return float64(l) / float64(vg.Inch) * DPI }

// draw renders the axes into its cell.
func (a *Axes) draw(cell draw.Canvas, heightPx float64) {
	r := a.ranges()
	flip := a.yFlipped()
	p := gplot.New()
	p.BackgroundColor = nil
	p.Title.Text, p.Title.TextStyle = fitTitle(a.title, cell.Rectangle.Size().X)
	p.Title.TextStyle.XAlign, p.Title.TextStyle.YAlign = draw.XCenter, draw.YTop
	p.Title.Padding = vg.Points(6)
	for _, ax := range []*gplot.Axis{&p.X, &p.Y} {
		ax.Padding = 0
		ax.LineStyle = draw.LineStyle{Color: frameColor, Width: vg.Points(0.8)}
		ax.Tick.LineStyle = draw.LineStyle{Color: frameColor, Width: vg.Points(0.8)}
		ax.Tick.Length = vg.Points(3.5)
		ax.Tick.Label.Font = font.From(sansFont, tickFontSize)
		ax.Tick.Label.Handler = plainHandler
		ax.Label.Padding = vg.Points(4)
	}
	p.X.Label.Text, p.Y.Label.Text = a.xlabel, a.ylabel
	for _, ax := range []*gplot.Axis{&p.X, &p.Y} {
		st := textStyle(labelFontSize, ax.Label.Text)
		ax.Label.TextStyle.Font, ax.Label.TextStyle.Handler = st.Font, st.Handler
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = r.x0, r.x1, r.y0, r.y1

	// Tick labelling: world coordinates for the first image when it has them.
	p.X.Tick.Marker = linearTicker{n: 6, rec: &a.xTicks}
	p.Y.Tick.Marker = linearTicker{n: 6, negate: flip, rec: &a.yTicks}
	if len(a.images) > 0 {
		o := a.images[0].opts
		switch {
		case len(o.XWorld) > 0:
			p.X.Tick.Marker = worldTicker{world: o.XWorld, n: 5, rec: &a.xTicks}
		case o.XTicks != nil:
			p.X.Tick.Marker = funcTicker{label: o.XTicks, n: 5, rec: &a.xTicks}
		}
		switch {
		case len(o.YWorld) > 0:
			p.Y.Tick.Marker = worldTicker{world: o.YWorld, n: 6, negate: flip, rec: &a.yTicks}
		case o.YTicks != nil:
			p.Y.Tick.Marker = funcTicker{label: o.YTicks, n: 6, negate: flip, rec: &a.yTicks}
		}
	}

	main := cell
	var cb *colorbarLayout
	if a.colorbar != nil {
		cb = a.layoutColorbar(cell)
		main = draw.Crop(cell, 0, -cb.reserved, 0, 0)
	}
	if a.aspectEqual && len(a.images) > 0 {
		main = equalAspect(p, main, r)
	}

	frame := &framePlotter{}
	if a.gridX || a.gridY {
		g := plotter.NewGrid()
		g.Vertical = draw.LineStyle{Color: gridColor, Width: vg.Points(0.8)}
		g.Horizontal = g.Vertical
		if !a.gridX {
			g.Vertical.Color = nil
		}
		if !a.gridY {
			g.Horizontal.Color = nil
		}
		p.Add(g)
	}
	for _, im := range a.images {
		p.Add(&imageLayer{s: im, flip: flip})
	}
	var legend []legendEntry
	for _, l := range a.lines {
		ls := draw.LineStyle{Color: l.color, Width: vg.Points(l.width)}
		for _, d := range l.dash.dashes(l.width) {
			ls.Dashes = append(ls.Dashes, vg.Points(d))
		}
		if l.dash != NoLine {
			for _, seg := range segments(l.x, l.y, flip) {
				if len(seg) < 2 {
					continue
				}
				line := &plotter.Line{XYs: seg, LineStyle: ls}
				p.Add(line)
			}
		}
		gs := draw.GlyphStyle{Color: l.color, Radius: vg.Points(l.markerSiz / 2), Shape: glyphFor(l.marker)}
		if l.marker != "" {
			if l.marker == "." {
				gs.Radius /= 2
			}
			if l.marker == "," {
				gs.Radius = vg.Points(0.4)
			}
			var pts plotter.XYs
			for i := range l.x {
				if isFinite(l.x[i]) && isFinite(l.y[i]) {
					y := l.y[i]
					if flip {
						y = -y
					}
					pts = append(pts, plotter.XY{X: l.x[i], Y: y})
				}
			}
			p.Add(&plotter.Scatter{XYs: pts, GlyphStyle: gs})
		}
		if l.label != "" && !strings.HasPrefix(l.label, "_") {
			legend = append(legend, legendEntry{label: l.label, line: ls, drawLine: l.dash != NoLine, glyph: gs, drawGlyph: l.marker != ""})
		}
	}
	p.Add(frame)
	p.Draw(main)

	// Report back where the data went, in device pixels.
	da := frame.canvas
	a.box = image.Rect(int(math.Round(toPx(da.Min.X))), int(math.Round(heightPx-toPx(da.Max.Y))),
		int(math.Round(toPx(da.Max.X))), int(math.Round(heightPx-toPx(da.Min.Y))))
	trX, trY := frame.trX, frame.trY
	a.toPixel = func(x, y float64) (float64, float64) {
		return toPx(trX(x)), heightPx - toPx(trY(y))
	}

	show := len(legend) > 0
	if a.legend != nil {
		show = show && *a.legend
	}
	if show {
		drawLegend(da, legend, a.legendLoc, a.linePoints(trX, trY, flip))
	}
	if cb != nil {
		a.drawColorbar(da, cb)
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

// segments splits a line at NaN or infinite points, so that they show as gaps.
func segments(x, y []float64, flip bool) []plotter.XYs {
	var out []plotter.XYs
	var cur plotter.XYs
	for i := range x {
		if !isFinite(x[i]) || !isFinite(y[i]) {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		yy := y[i]
		if flip {
			yy = -yy
		}
		cur = append(cur, plotter.XY{X: x[i], Y: yy})
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// framePlotter draws the axes frame (all four spines, as matplotlib) on top of the data
// and remembers the data area and transforms of the render.
type framePlotter struct {
	canvas   draw.Canvas
	trX, trY func(float64) vg.Length
}

// Plot implements plot.Plotter.
func (fp *framePlotter) Plot(c draw.Canvas, p *gplot.Plot) {
	fp.canvas = c
	fp.trX, fp.trY = p.Transforms(&c)
	c.SetLineStyle(draw.LineStyle{Color: frameColor, Width: vg.Points(0.8)})
	c.Stroke(c.Rectangle.Path())
}

// imageLayer draws one image series: reduced to about the on-screen size by averaging,
// coloured through the LUT, and handed to plotter.Image.
type imageLayer struct {
	s    *imageSeries
	flip bool
}

// Plot implements plot.Plotter.
func (l *imageLayer) Plot(c draw.Canvas, p *gplot.Plot) {
	s := l.s
	// Visible part of the image, in whole source pixels.
	c0 := clampInt(int(math.Floor(p.X.Min+0.5)), 0, s.cols)
	c1 := clampInt(int(math.Ceil(p.X.Max+0.5)), 0, s.cols)
	ylo, yhi := p.Y.Min, p.Y.Max
	if l.flip {
		ylo, yhi = -yhi, -ylo
	}
	r0 := clampInt(int(math.Floor(ylo+0.5)), 0, s.rows)
	r1 := clampInt(int(math.Ceil(yhi+0.5)), 0, s.rows)
	if c1 <= c0 || r1 <= r0 {
		return
	}
	// On-screen size of the visible part, in device pixels.
	wpx := toPx(c.Max.X-c.Min.X) * float64(c1-c0) / (p.X.Max - p.X.Min)
	hpx := toPx(c.Max.Y-c.Min.Y) * float64(r1-r0) / (p.Y.Max - p.Y.Min)
	outC, outR := c1-c0, r1-r0
	if float64(outC) > 1.5*wpx {
		outC = max(1, int(math.Ceil(wpx)))
	}
	if float64(outR) > 1.5*hpx {
		outR = max(1, int(math.Ceil(hpx)))
	}
	data := reduce(s.data, s.cols, r0, r1, c0, c1, outR, outC)
	img := s.cmap.Colorize(data, outR, outC, s.vmin, s.vmax, !s.upper)
	x0, x1 := float64(c0)-0.5, float64(c1)-0.5
	y0, y1 := float64(r0)-0.5, float64(r1)-0.5
	if l.flip {
		y0, y1 = -y1, -y0
	}
	plotter.NewImage(img, x0, y0, x1, y1).Plot(c, p)
}

// DataRange implements plot.DataRanger (the axes set explicit ranges anyway).
func (l *imageLayer) DataRange() (xmin, xmax, ymin, ymax float64) {
	if l.flip {
		return -0.5, float64(l.s.cols) - 0.5, -(float64(l.s.rows) - 0.5), 0.5
	}
	return -0.5, float64(l.s.cols) - 0.5, -0.5, float64(l.s.rows) - 0.5
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
}

// linePoints samples the drawn lines' points in canvas coordinates (at most about 500
// per line), for placing the legend where it hides the least data.
func (a *Axes) linePoints(trX, trY func(float64) vg.Length, flip bool) []vg.Point {
	var pts []vg.Point
	for _, l := range a.lines {
		step := max(1, len(l.x)/500)
		for i := 0; i < len(l.x); i += step {
			if isFinite(l.x[i]) && isFinite(l.y[i]) {
				y := l.y[i]
				if flip {
					y = -y
				}
				pts = append(pts, vg.Point{X: trX(l.x[i]), Y: trY(y)})
			}
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
// place covering the fewest of the lines' points, as matplotlib does.
func drawLegend(da draw.Canvas, entries []legendEntry, loc string, points []vg.Point) {
	fs := vg.Points(tickFontSize)
	var styles []text.Style
	textW := vg.Length(0)
	for _, e := range entries {
		st := textStyle(tickFontSize, e.label)
		st.YAlign = draw.YCenter
		styles = append(styles, st)
		textW = max(textW, st.Width(e.label))
	}
	pad, handle, gap, rowH := 0.4*fs, 2*fs, 0.8*fs, 1.4*fs
	boxW := pad + handle + gap + textW + pad
	boxH := pad + vg.Length(len(entries))*rowH + pad - 0.4*fs
	inset := 0.5 * fs
	if loc == "" || loc == "best" {
		best := -1
		for _, l := range legendLocs {
			r := legendBox(da, l, boxW, boxH, inset)
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
	}
	box := legendBox(da, loc, boxW, boxH, inset)
	x0, y1 := box.Min.X, box.Max.Y
	da.SetColor(color.NRGBA{255, 255, 255, 204})
	da.Fill(box.Path())
	da.SetLineStyle(draw.LineStyle{Color: color.NRGBA{0xcc, 0xcc, 0xcc, 0xff}, Width: vg.Points(0.8)})
	da.Stroke(box.Path())
	y := y1 - pad - 0.5*fs
	for i, e := range entries {
		if e.drawLine {
			da.StrokeLine2(e.line, x0+pad, y, x0+pad+handle, y)
		}
		if e.drawGlyph {
			da.DrawGlyphNoClip(e.glyph, vg.Point{X: x0 + pad + handle/2, Y: y})
		}
		da.FillText(styles[i], vg.Point{X: x0 + pad + handle + gap, Y: y}, e.label)
		y -= rowH
	}
}

// colorbarLayout is the space a colour bar takes to the right of its axes.
type colorbarLayout struct {
	reserved, pad, width vg.Length
	ticks                []float64
	labels               []string
}

func (a *Axes) layoutColorbar(cell draw.Canvas) *colorbarLayout {
	im := a.images[len(a.images)-1]
	cellW := cell.Max.X - cell.Min.X
	l := &colorbarLayout{pad: 0.03 * cellW, width: 0.04 * cellW}
	if im.vmax > im.vmin {
		var step float64
		l.ticks, step = niceTicks(im.vmin, im.vmax, 6)
		l.labels = formatTicks(l.ticks, step)
	} else {
		l.ticks = []float64{im.vmin}
		l.labels = formatTicks(l.ticks, 0)
	}
	st := textStyle(tickFontSize, "")
	labelsW := vg.Length(0)
	for _, s := range l.labels {
		labelsW = max(labelsW, st.Width(s))
	}
	l.reserved = l.pad + l.width + vg.Points(3.5+3.5) + labelsW + vg.Points(4)
	if a.colorbar.label != "" {
		l.reserved += vg.Points(labelFontSize*1.4 + 2)
	}
	return l
}

// drawColorbar draws the colour bar beside the data area da.
func (a *Axes) drawColorbar(da draw.Canvas, l *colorbarLayout) {
	im := a.images[len(a.images)-1]
	rect := vg.Rectangle{Min: vg.Point{X: da.Max.X + l.pad, Y: da.Min.Y}, Max: vg.Point{X: da.Max.X + l.pad + l.width, Y: da.Max.Y}}
	strip := image.NewRGBA(image.Rect(0, 0, 1, 256))
	for i := range 256 {
		e := im.cmap.LUT[255-i]
		strip.Pix[4*i], strip.Pix[4*i+1], strip.Pix[4*i+2], strip.Pix[4*i+3] = e[0], e[1], e[2], 255
	}
	da.DrawImage(rect, strip)
	da.SetLineStyle(draw.LineStyle{Color: frameColor, Width: vg.Points(0.8)})
	da.Stroke(rect.Path())
	st := textStyle(tickFontSize, "")
	st.XAlign, st.YAlign = draw.XLeft, draw.YCenter
	h := rect.Max.Y - rect.Min.Y
	tickSty := draw.LineStyle{Color: frameColor, Width: vg.Points(0.8)}
	var shown []gplot.Tick
	for i, v := range l.ticks {
		y := rect.Min.Y + h/2
		if im.vmax > im.vmin {
			y = rect.Min.Y + vg.Length((v-im.vmin)/(im.vmax-im.vmin))*h
		}
		da.StrokeLine2(tickSty, rect.Max.X, y, rect.Max.X+vg.Points(3.5), y)
		da.FillText(st, vg.Point{X: rect.Max.X + vg.Points(7), Y: y}, l.labels[i])
		shown = append(shown, gplot.Tick{Value: v, Label: l.labels[i]})
	}
	a.cbTicks.record(shown)
	if a.colorbar.label != "" {
		ls := textStyle(labelFontSize, a.colorbar.label)
		ls.Rotation = math.Pi / 2
		ls.XAlign, ls.YAlign = draw.XCenter, draw.YBottom
		labelsW := vg.Length(0)
		for _, s := range l.labels {
			labelsW = max(labelsW, st.Width(s))
		}
		x := rect.Max.X + vg.Points(7+4) + labelsW + vg.Points(labelFontSize*1.2)
		da.FillText(ls, vg.Point{X: x, Y: (rect.Min.Y + rect.Max.Y) / 2}, a.colorbar.label)
	}
}
