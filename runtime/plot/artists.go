package plot

import (
	"image/color"
	"math"
	"strings"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// artist is one drawn element besides lines and images: reference lines and spans,
// patches (bars, filled areas), scatter collections, error bars and texts. Each says what
// it adds to autoscaling, draws itself in render coordinates, and may have a legend row.
type artist interface {
	// extend adds the artist's data (and sticky edges) to the axes' x and y spans; values
	// the scales cannot show are left out.
	extend(xs, ys *span, sx, sy axisScale)
	// draw draws on the data area c of p, with cs mapping data to render coordinates.
	draw(c draw.Canvas, p *gplot.Plot, cs coords)
	// legend is the artist's legend row, if it has a label.
	legend() (legendEntry, bool)
	// points samples where the artist lies (render coordinates), for legend "best".
	points(cs coords) []plotter.XY
	// texts are the strings it draws, for the LaTeX check.
	texts() []string
}

// artistPlotter adapts an artist to gonum's Plotter.
type artistPlotter struct {
	ar      artist
	c       coords
	clipped bool
}

// Plot implements plot.Plotter.
func (ap artistPlotter) Plot(c draw.Canvas, p *gplot.Plot) { ap.ar.draw(c, p, ap.c) }

// addArtist draws a on the axes and shows the figure at the end of the cell.
func (a *Axes) addArtist(ar artist) {
	a.artists = append(a.artists, ar)
	a.touch()
}

// nextPatchColor is the next colour of the axes' patch cycle (bar, fill_between, hist,
// scatter without c=), which matplotlib keeps apart from the lines' cycle.
func (a *Axes) nextPatchColor() color.NRGBA {
	c := ColorCycle[a.patchCycle%len(ColorCycle)]
	a.patchCycle++
	return c
}

// labelled reports whether a label shows in the legend (not empty, not "_…").
func labelled(s string) bool { return s != "" && !strings.HasPrefix(s, "_") }

// toCanvas maps a render point to the canvas.
func toCanvas(c draw.Canvas, p *gplot.Plot, q plotter.XY) vg.Point {
	trX, trY := p.Transforms(&c)
	return vg.Point{X: trX(q.X), Y: trY(q.Y)}
}

// lineStyleOf is the gonum line style of a colour, width (points) and dash kind.
func lineStyleOf(col color.Color, width float64, dash DashKind) draw.LineStyle {
	ls := draw.LineStyle{Color: col, Width: vg.Points(width)}
	for _, d := range dash.dashes(width) {
		ls.Dashes = append(ls.Dashes, vg.Points(d))
	}
	return ls
}

// refLine is axvline/axhline: a line at a data position across a fraction of the axes
// (from, to in [0, 1] of the other axis).
type refLine struct {
	vertical bool
	at       float64
	from, to float64
	style    *lineSeries
}

func (r *refLine) extend(xs, ys *span, sx, sy axisScale) {
	if r.vertical && isFinite(sx.fwd(r.at)) {
		xs.add(r.at)
	} else if !r.vertical && isFinite(sy.fwd(r.at)) {
		ys.add(r.at)
	}
}

func (r *refLine) draw(c draw.Canvas, p *gplot.Plot, cs coords) {
	ls := lineStyleOf(r.style.color, r.style.width, r.style.dash)
	if r.style.dash == NoLine {
		return
	}
	if r.vertical {
		x := toCanvas(c, p, plotter.XY{X: cs.x(r.at)}).X
		y0 := c.Min.Y + vg.Length(r.from)*(c.Max.Y-c.Min.Y)
		y1 := c.Min.Y + vg.Length(r.to)*(c.Max.Y-c.Min.Y)
		if x >= c.Min.X && x <= c.Max.X {
			c.StrokeLine2(ls, x, y0, x, y1)
		}
		return
	}
	y := toCanvas(c, p, plotter.XY{Y: cs.y(r.at)}).Y
	x0 := c.Min.X + vg.Length(r.from)*(c.Max.X-c.Min.X)
	x1 := c.Min.X + vg.Length(r.to)*(c.Max.X-c.Min.X)
	if y >= c.Min.Y && y <= c.Max.Y {
		c.StrokeLine2(ls, x0, y, x1, y)
	}
}

func (r *refLine) legend() (legendEntry, bool) {
	return legendEntry{label: r.style.label, line: lineStyleOf(r.style.color, r.style.width, r.style.dash), drawLine: true}, labelled(r.style.label)
}

func (r *refLine) points(cs coords) []plotter.XY { return nil }
func (r *refLine) texts() []string               { return []string{r.style.label} }

// patchStyle is how a patch is filled and outlined.
type patchStyle struct {
	face      color.NRGBA // zero alpha: not filled
	edge      color.NRGBA // zero alpha: no outline
	edgeWidth float64     // points
	dash      DashKind
	label     string
}

func (s patchStyle) legendEntry() (legendEntry, bool) {
	e := legendEntry{label: s.label, patch: true, face: s.face, edge: s.edge}
	return e, labelled(s.label)
}

// spanPatch is axvspan/axhspan: a band between two data positions across a fraction of
// the axes.
type spanPatch struct {
	vertical bool
	v0, v1   float64
	from, to float64
	style    patchStyle
}

func (s *spanPatch) extend(xs, ys *span, sx, sy axisScale) {
	for _, v := range []float64{s.v0, s.v1} {
		if s.vertical && isFinite(sx.fwd(v)) {
			xs.add(v)
		} else if !s.vertical && isFinite(sy.fwd(v)) {
			ys.add(v)
		}
	}
}

func (s *spanPatch) draw(c draw.Canvas, p *gplot.Plot, cs coords) {
	var r vg.Rectangle
	if s.vertical {
		a, b := toCanvas(c, p, plotter.XY{X: cs.x(s.v0)}).X, toCanvas(c, p, plotter.XY{X: cs.x(s.v1)}).X
		r.Min.X, r.Max.X = max(min(a, b), c.Min.X), min(max(a, b), c.Max.X)
		r.Min.Y = c.Min.Y + vg.Length(s.from)*(c.Max.Y-c.Min.Y)
		r.Max.Y = c.Min.Y + vg.Length(s.to)*(c.Max.Y-c.Min.Y)
	} else {
		a, b := toCanvas(c, p, plotter.XY{Y: cs.y(s.v0)}).Y, toCanvas(c, p, plotter.XY{Y: cs.y(s.v1)}).Y
		r.Min.Y, r.Max.Y = max(min(a, b), c.Min.Y), min(max(a, b), c.Max.Y)
		r.Min.X = c.Min.X + vg.Length(s.from)*(c.Max.X-c.Min.X)
		r.Max.X = c.Min.X + vg.Length(s.to)*(c.Max.X-c.Min.X)
	}
	if r.Max.X <= r.Min.X || r.Max.Y <= r.Min.Y {
		return
	}
	fillStroke(&c, r.Path(), s.style)
}

// fillStroke fills and outlines a path with a patch style.
func fillStroke(c *draw.Canvas, path vg.Path, st patchStyle) {
	if st.face.A > 0 {
		c.SetColor(st.face)
		c.Fill(path)
	}
	if st.edge.A > 0 && st.edgeWidth > 0 && st.dash != NoLine {
		c.SetLineStyle(lineStyleOf(st.edge, st.edgeWidth, st.dash))
		c.Stroke(path)
	}
}

func (s *spanPatch) legend() (legendEntry, bool)   { return s.style.legendEntry() }
func (s *spanPatch) points(cs coords) []plotter.XY { return nil }
func (s *spanPatch) texts() []string               { return []string{s.style.label} }

// polygons are patches in data coordinates: bars, histogram bars and steps, the areas
// of fill_between. stickyX and stickyY are the edges autoscaling does not pad past (a
// bar's baseline).
type polygons struct {
	polys            [][]plotter.XY // each closed
	style            patchStyle
	stickyX, stickyY []float64
	open             bool // stroke without closing (histtype="step")
}

func (g *polygons) extend(xs, ys *span, sx, sy axisScale) {
	for _, poly := range g.polys {
		for _, q := range poly {
			if isFinite(sx.fwd(q.X)) && isFinite(sy.fwd(q.Y)) {
				xs.add(q.X)
				ys.add(q.Y)
			}
		}
	}
	xs.sticky = append(xs.sticky, g.stickyX...)
	ys.sticky = append(ys.sticky, g.stickyY...)
}

func (g *polygons) draw(c draw.Canvas, p *gplot.Plot, cs coords) {
	trX, trY := p.Transforms(&c)
	for _, poly := range g.polys {
		var path vg.Path
		n := 0
		for _, q := range poly {
			r := cs.xy(q.X, q.Y)
			if !isFinite(r.X) || !isFinite(r.Y) {
				continue
			}
			pt := vg.Point{X: trX(r.X), Y: trY(r.Y)}
			if n == 0 {
				path.Move(pt)
			} else {
				path.Line(pt)
			}
			n++
		}
		if n < 2 {
			continue
		}
		if g.open {
			if g.style.edge.A > 0 {
				c.SetLineStyle(lineStyleOf(g.style.edge, g.style.edgeWidth, g.style.dash))
				c.Stroke(path)
			}
			continue
		}
		path.Close()
		fillStroke(&c, path, g.style)
	}
}

func (g *polygons) legend() (legendEntry, bool) {
	e, ok := g.style.legendEntry()
	if g.open {
		e = legendEntry{label: g.style.label, line: lineStyleOf(g.style.edge, g.style.edgeWidth, g.style.dash), drawLine: true}
	}
	return e, ok
}

func (g *polygons) points(cs coords) []plotter.XY {
	var out []plotter.XY
	for _, poly := range g.polys {
		for _, q := range poly {
			out = append(out, cs.xy(q.X, q.Y))
		}
	}
	return out
}

func (g *polygons) texts() []string { return []string{g.style.label} }

// collectionSegments are error bars: line segments in data coordinates with caps.
type collectionSegments struct {
	segs    [][2]plotter.XY
	color   color.NRGBA
	width   float64
	capsize float64 // points; caps are perpendicular to each segment
}

func (s *collectionSegments) extend(xs, ys *span, sx, sy axisScale) {
	for _, seg := range s.segs {
		for _, q := range seg {
			if isFinite(sx.fwd(q.X)) && isFinite(sy.fwd(q.Y)) {
				xs.add(q.X)
				ys.add(q.Y)
			}
		}
	}
}

func (s *collectionSegments) draw(c draw.Canvas, p *gplot.Plot, cs coords) {
	ls := lineStyleOf(s.color, s.width, Solid)
	trX, trY := p.Transforms(&c)
	cp := vg.Points(s.capsize)
	for _, seg := range s.segs {
		a, b := cs.xy(seg[0].X, seg[0].Y), cs.xy(seg[1].X, seg[1].Y)
		if !isFinite(a.X) || !isFinite(a.Y) || !isFinite(b.X) || !isFinite(b.Y) {
			continue
		}
		pa, pb := vg.Point{X: trX(a.X), Y: trY(a.Y)}, vg.Point{X: trX(b.X), Y: trY(b.Y)}
		c.StrokeLine2(ls, pa.X, pa.Y, pb.X, pb.Y)
		if cp > 0 {
			for _, e := range []vg.Point{pa, pb} {
				if pa.X == pb.X {
					c.StrokeLine2(ls, e.X-cp, e.Y, e.X+cp, e.Y)
				} else {
					c.StrokeLine2(ls, e.X, e.Y-cp, e.X, e.Y+cp)
				}
			}
		}
	}
}

func (s *collectionSegments) legend() (legendEntry, bool) { return legendEntry{}, false }
func (s *collectionSegments) points(cs coords) []plotter.XY {
	var out []plotter.XY
	for _, seg := range s.segs {
		out = append(out, cs.xy(seg[0].X, seg[0].Y), cs.xy(seg[1].X, seg[1].Y))
	}
	return out
}
func (s *collectionSegments) texts() []string { return nil }

// scatterArtist is scatter(): markers with a size (points², as matplotlib's s) and a
// colour each, the colours either given or mapped from values through a colour map
// (then it is a mappable: a colour bar can show it).
type scatterArtist struct {
	x, y   []float64
	sizes  []float64 // one or one per point
	colors []color.NRGBA
	values []float64 // c= values, when mapped
	cmap   *Colormap
	scale  scaler
	alpha  float64
	marker string
	edge   color.NRGBA
	label  string
}

func (s *scatterArtist) extend(xs, ys *span, sx, sy axisScale) {
	for i := range s.x {
		if isFinite(s.x[i]) && isFinite(s.y[i]) && isFinite(sx.fwd(s.x[i])) && isFinite(sy.fwd(s.y[i])) {
			xs.add(s.x[i])
			ys.add(s.y[i])
		}
	}
}

// colorAt is point i's fill colour; ok is false for a masked value.
func (s *scatterArtist) colorAt(i int) (color.NRGBA, bool) {
	var col color.NRGBA
	if s.values != nil {
		t := s.scale.norm(s.values[i])
		if math.IsNaN(t) {
			return col, false
		}
		e := s.cmap.LUT[s.cmap.index(t)]
		col = color.NRGBA{e[0], e[1], e[2], 255}
	} else {
		col = s.colors[i%len(s.colors)]
	}
	col.A = uint8(math.Round(float64(col.A) * s.alpha))
	return col, true
}

func (s *scatterArtist) draw(c draw.Canvas, p *gplot.Plot, cs coords) {
	trX, trY := p.Transforms(&c)
	shape := glyphFor(s.marker)
	for i := range s.x {
		q := cs.xy(s.x[i], s.y[i])
		if !isFinite(q.X) || !isFinite(q.Y) {
			continue
		}
		col, ok := s.colorAt(i)
		if !ok {
			continue
		}
		r := vg.Points(math.Sqrt(s.sizes[i%len(s.sizes)]) / 2)
		pt := vg.Point{X: trX(q.X), Y: trY(q.Y)}
		if pt.X < c.Min.X-r || pt.X > c.Max.X+r || pt.Y < c.Min.Y-r || pt.Y > c.Max.Y+r {
			continue
		}
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: col, Radius: r, Shape: shape}, pt)
	}
}

func (s *scatterArtist) legend() (legendEntry, bool) {
	col, _ := s.colorAt(0)
	if s.values != nil {
		col = color.NRGBA{s.cmap.LUT[0][0], s.cmap.LUT[0][1], s.cmap.LUT[0][2], 255}
	}
	return legendEntry{label: s.label, glyph: draw.GlyphStyle{Color: col, Radius: vg.Points(3), Shape: glyphFor(s.marker)}, drawGlyph: true}, labelled(s.label)
}

func (s *scatterArtist) points(cs coords) []plotter.XY {
	out := make([]plotter.XY, 0, len(s.x))
	for i := range s.x {
		out = append(out, cs.xy(s.x[i], s.y[i]))
	}
	return out
}

func (s *scatterArtist) texts() []string { return []string{s.label} }

// textArtist is text() and annotate(): a string at a point in data coordinates (or in
// axes fractions for transform=ax.transAxes), with an optional arrow to another point.
type textArtist struct {
	x, y       float64
	axesCoords bool
	s          string
	size       float64 // points
	color      color.NRGBA
	ha, va     string
	arrowTo    *plotter.XY // annotate's xy, in data coordinates
	arrowColor color.NRGBA
}

func (t *textArtist) extend(xs, ys *span, sx, sy axisScale) {} // texts do not autoscale, as in matplotlib

func (t *textArtist) at(c draw.Canvas, p *gplot.Plot, cs coords) (vg.Point, bool) {
	if t.axesCoords {
		return vg.Point{X: c.Min.X + vg.Length(t.x)*(c.Max.X-c.Min.X), Y: c.Min.Y + vg.Length(t.y)*(c.Max.Y-c.Min.Y)}, true
	}
	q := cs.xy(t.x, t.y)
	if !isFinite(q.X) || !isFinite(q.Y) {
		return vg.Point{}, false
	}
	return toCanvas(c, p, q), true
}

func (t *textArtist) draw(c draw.Canvas, p *gplot.Plot, cs coords) {
	pt, ok := t.at(c, p, cs)
	if !ok {
		return
	}
	if t.arrowTo != nil {
		q := cs.xy(t.arrowTo.X, t.arrowTo.Y)
		if isFinite(q.X) && isFinite(q.Y) {
			drawArrow(c, pt, toCanvas(c, p, q), t.arrowColor)
		}
	}
	st := textStyle(t.size, t.s)
	st.Color = t.color
	st.XAlign = map[string]draw.XAlignment{"left": draw.XLeft, "center": draw.XCenter, "right": draw.XRight}[t.ha]
	st.YAlign = map[string]draw.YAlignment{"bottom": draw.YBottom, "center": draw.YCenter, "top": draw.YTop, "baseline": draw.YBottom, "center_baseline": draw.YCenter}[t.va]
	c.FillText(st, pt, t.s)
}

// drawArrow draws annotate's arrow from the text at from to the point to: a line and a
// filled head.
func drawArrow(c draw.Canvas, from, to vg.Point, col color.NRGBA) {
	dx, dy := float64(to.X-from.X), float64(to.Y-from.Y)
	n := math.Hypot(dx, dy)
	if n < 1 {
		return
	}
	ux, uy := dx/n, dy/n
	head := 8.0
	base := vg.Point{X: to.X - vg.Length(ux*head), Y: to.Y - vg.Length(uy*head)}
	c.StrokeLine2(draw.LineStyle{Color: col, Width: vg.Points(1)}, from.X, from.Y, base.X, base.Y)
	var path vg.Path
	path.Move(to)
	path.Line(vg.Point{X: base.X - vg.Length(uy*head/3), Y: base.Y + vg.Length(ux*head/3)})
	path.Line(vg.Point{X: base.X + vg.Length(uy*head/3), Y: base.Y - vg.Length(ux*head/3)})
	path.Close()
	c.SetColor(col)
	c.Fill(path)
}

func (t *textArtist) legend() (legendEntry, bool)   { return legendEntry{}, false }
func (t *textArtist) points(cs coords) []plotter.XY { return nil }
func (t *textArtist) texts() []string               { return []string{t.s} }

// scaleTicker is the tick marker of an axis scale.
func scaleTicker(s axisScale, negate bool, rec *tickRecorder) gplot.Ticker {
	switch s.kind {
	case logScale:
		return logTicker{negate: negate, rec: rec}
	case symlogScale:
		return symlogTicker{s: s, negate: negate, rec: rec}
	}
	return linearTicker{n: 6, negate: negate, rec: rec}
}

// shareGroup is a set of axes sharing x or y limits (subplots(sharex=True)): their
// autoscaled limits cover all their data, and limits set on one hold for all.
type shareGroup struct {
	members    []*Axes
	xlim, ylim *[2]float64
}

// union is the union of the members' spans along the shared axis.
func (g *shareGroup) union(self *Axes, of func(*Axes) span) span {
	out := emptySpan()
	for _, m := range g.members {
		s := of(m)
		if !s.empty() {
			out.add(s.lo)
			out.add(s.hi)
		}
		out.sticky = append(out.sticky, s.sticky...)
	}
	return out
}
