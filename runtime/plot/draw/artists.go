package draw

import (
	"image/color"
	"math"
	"strings"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"gokist/runtime/plot/axis"
	"gokist/runtime/plot/colors"
)

// artist is one drawn element besides lines and images: reference lines and spans,
// patches (bars, filled areas), scatter collections, error bars and texts. Each says what
// it adds to autoscaling, draws itself in render coordinates, and may have a legend row.
type Artist interface {
	// extend adds the artist's data (and sticky edges) to the axes' x and y spans; values
	// the scales cannot show are left out.
	extend(xs, ys *axis.Span, sx, sy axis.Scale)
	// draw draws on the data area c of p, with cs mapping data to render coordinates.
	draw(c draw.Canvas, p *gplot.Plot, cs axis.Coords)
	// legend is the artist's legend row, if it has a label.
	legend() (legendEntry, bool)
	// points samples where the artist lies (render coordinates), for legend "best".
	points(cs axis.Coords) []plotter.XY
	// texts are the strings it draws, for the LaTeX check.
	texts() []string
}

// artistPlotter adapts an artist to gonum's Plotter.
type artistPlotter struct {
	ar      Artist
	c       axis.Coords
	clipped bool
}

// Plot implements plot.Plotter.
func (ap artistPlotter) Plot(c draw.Canvas, p *gplot.Plot) { ap.ar.draw(c, p, ap.c) }

// addArtist draws a on the axes and shows the figure at the end of the cell.
func (a *Axes) AddArtist(ar Artist) {
	a.Artists = append(a.Artists, ar)
	a.Touch()
}

// nextPatchColor is the next colour of the axes' patch cycle (bar, fill_between, hist,
// scatter without c=), which matplotlib keeps apart from the lines' cycle.
func (a *Axes) NextPatchColor() color.NRGBA {
	c := colors.ColorCycle[a.PatchCycle%len(colors.ColorCycle)]
	a.PatchCycle++
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
type RefLine struct {
	Vertical bool
	At       float64
	From, To float64
	Style    *LineSeries
}

func (r *RefLine) extend(xs, ys *axis.Span, sx, sy axis.Scale) {
	if r.Vertical && IsFinite(sx.Fwd(r.At)) {
		xs.Add(r.At)
	} else if !r.Vertical && IsFinite(sy.Fwd(r.At)) {
		ys.Add(r.At)
	}
}

func (r *RefLine) draw(c draw.Canvas, p *gplot.Plot, cs axis.Coords) {
	ls := lineStyleOf(r.Style.Color, r.Style.Width, r.Style.dash)
	if r.Style.dash == NoLine {
		return
	}
	if r.Vertical {
		x := toCanvas(c, p, plotter.XY{X: cs.X(r.At)}).X
		y0 := c.Min.Y + vg.Length(r.From)*(c.Max.Y-c.Min.Y)
		y1 := c.Min.Y + vg.Length(r.To)*(c.Max.Y-c.Min.Y)
		if x >= c.Min.X && x <= c.Max.X {
			c.StrokeLine2(ls, x, y0, x, y1)
		}
		return
	}
	y := toCanvas(c, p, plotter.XY{Y: cs.Y(r.At)}).Y
	x0 := c.Min.X + vg.Length(r.From)*(c.Max.X-c.Min.X)
	x1 := c.Min.X + vg.Length(r.To)*(c.Max.X-c.Min.X)
	if y >= c.Min.Y && y <= c.Max.Y {
		c.StrokeLine2(ls, x0, y, x1, y)
	}
}

func (r *RefLine) legend() (legendEntry, bool) {
	return legendEntry{label: r.Style.Label, line: lineStyleOf(r.Style.Color, r.Style.Width, r.Style.dash), drawLine: true}, labelled(r.Style.Label)
}

func (r *RefLine) points(cs axis.Coords) []plotter.XY { return nil }
func (r *RefLine) texts() []string                    { return []string{r.Style.Label} }

// patchStyle is how a patch is filled and outlined.
type PatchStyle struct {
	Face      color.NRGBA // zero alpha: not filled
	Edge      color.NRGBA // zero alpha: no outline
	EdgeWidth float64     // points
	Dash      DashKind
	Label     string
}

func (s PatchStyle) legendEntry() (legendEntry, bool) {
	e := legendEntry{label: s.Label, patch: true, face: s.Face, edge: s.Edge}
	return e, labelled(s.Label)
}

// spanPatch is axvspan/axhspan: a band between two data positions across a fraction of
// the axes.
type SpanPatch struct {
	Vertical bool
	V0, V1   float64
	From, To float64
	Style    PatchStyle
}

func (s *SpanPatch) extend(xs, ys *axis.Span, sx, sy axis.Scale) {
	for _, v := range []float64{s.V0, s.V1} {
		if s.Vertical && IsFinite(sx.Fwd(v)) {
			xs.Add(v)
		} else if !s.Vertical && IsFinite(sy.Fwd(v)) {
			ys.Add(v)
		}
	}
}

func (s *SpanPatch) draw(c draw.Canvas, p *gplot.Plot, cs axis.Coords) {
	var r vg.Rectangle
	if s.Vertical {
		a, b := toCanvas(c, p, plotter.XY{X: cs.X(s.V0)}).X, toCanvas(c, p, plotter.XY{X: cs.X(s.V1)}).X
		r.Min.X, r.Max.X = max(min(a, b), c.Min.X), min(max(a, b), c.Max.X)
		r.Min.Y = c.Min.Y + vg.Length(s.From)*(c.Max.Y-c.Min.Y)
		r.Max.Y = c.Min.Y + vg.Length(s.To)*(c.Max.Y-c.Min.Y)
	} else {
		a, b := toCanvas(c, p, plotter.XY{Y: cs.Y(s.V0)}).Y, toCanvas(c, p, plotter.XY{Y: cs.Y(s.V1)}).Y
		r.Min.Y, r.Max.Y = max(min(a, b), c.Min.Y), min(max(a, b), c.Max.Y)
		r.Min.X = c.Min.X + vg.Length(s.From)*(c.Max.X-c.Min.X)
		r.Max.X = c.Min.X + vg.Length(s.To)*(c.Max.X-c.Min.X)
	}
	if r.Max.X <= r.Min.X || r.Max.Y <= r.Min.Y {
		return
	}
	fillStroke(&c, r.Path(), s.Style)
}

// fillStroke fills and outlines a path with a patch style.
func fillStroke(c *draw.Canvas, path vg.Path, st PatchStyle) {
	if st.Face.A > 0 {
		c.SetColor(st.Face)
		c.Fill(path)
	}
	if st.Edge.A > 0 && st.EdgeWidth > 0 && st.Dash != NoLine {
		c.SetLineStyle(lineStyleOf(st.Edge, st.EdgeWidth, st.Dash))
		c.Stroke(path)
	}
}

func (s *SpanPatch) legend() (legendEntry, bool)        { return s.Style.legendEntry() }
func (s *SpanPatch) points(cs axis.Coords) []plotter.XY { return nil }
func (s *SpanPatch) texts() []string                    { return []string{s.Style.Label} }

// polygons are patches in data coordinates: bars, histogram bars and steps, the areas
// of fill_between. stickyX and stickyY are the edges autoscaling does not pad past (a
// bar's baseline).
type Polygons struct {
	Polys            [][]plotter.XY // each closed
	Style            PatchStyle
	StickyX, StickyY []float64
	Open             bool // stroke without closing (histtype="step")
}

func (g *Polygons) extend(xs, ys *axis.Span, sx, sy axis.Scale) {
	for _, poly := range g.Polys {
		for _, q := range poly {
			if IsFinite(sx.Fwd(q.X)) && IsFinite(sy.Fwd(q.Y)) {
				xs.Add(q.X)
				ys.Add(q.Y)
			}
		}
	}
	xs.Sticky = append(xs.Sticky, g.StickyX...)
	ys.Sticky = append(ys.Sticky, g.StickyY...)
}

func (g *Polygons) draw(c draw.Canvas, p *gplot.Plot, cs axis.Coords) {
	trX, trY := p.Transforms(&c)
	for _, poly := range g.Polys {
		var path vg.Path
		n := 0
		for _, q := range poly {
			r := cs.XY(q.X, q.Y)
			if !IsFinite(r.X) || !IsFinite(r.Y) {
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
		if g.Open {
			if g.Style.Edge.A > 0 {
				c.SetLineStyle(lineStyleOf(g.Style.Edge, g.Style.EdgeWidth, g.Style.Dash))
				c.Stroke(path)
			}
			continue
		}
		path.Close()
		fillStroke(&c, path, g.Style)
	}
}

func (g *Polygons) legend() (legendEntry, bool) {
	e, ok := g.Style.legendEntry()
	if g.Open {
		e = legendEntry{label: g.Style.Label, line: lineStyleOf(g.Style.Edge, g.Style.EdgeWidth, g.Style.Dash), drawLine: true}
	}
	return e, ok
}

func (g *Polygons) points(cs axis.Coords) []plotter.XY {
	var out []plotter.XY
	for _, poly := range g.Polys {
		for _, q := range poly {
			out = append(out, cs.XY(q.X, q.Y))
		}
	}
	return out
}

func (g *Polygons) texts() []string { return []string{g.Style.Label} }

// collectionSegments are error bars: line segments in data coordinates with caps.
type CollectionSegments struct {
	Segs    [][2]plotter.XY
	Color   color.NRGBA
	Width   float64
	Capsize float64 // points; caps are perpendicular to each segment
}

func (s *CollectionSegments) extend(xs, ys *axis.Span, sx, sy axis.Scale) {
	for _, seg := range s.Segs {
		for _, q := range seg {
			if IsFinite(sx.Fwd(q.X)) && IsFinite(sy.Fwd(q.Y)) {
				xs.Add(q.X)
				ys.Add(q.Y)
			}
		}
	}
}

func (s *CollectionSegments) draw(c draw.Canvas, p *gplot.Plot, cs axis.Coords) {
	ls := lineStyleOf(s.Color, s.Width, Solid)
	trX, trY := p.Transforms(&c)
	cp := vg.Points(s.Capsize)
	for _, seg := range s.Segs {
		a, b := cs.XY(seg[0].X, seg[0].Y), cs.XY(seg[1].X, seg[1].Y)
		if !IsFinite(a.X) || !IsFinite(a.Y) || !IsFinite(b.X) || !IsFinite(b.Y) {
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

func (s *CollectionSegments) legend() (legendEntry, bool) { return legendEntry{}, false }
func (s *CollectionSegments) points(cs axis.Coords) []plotter.XY {
	var out []plotter.XY
	for _, seg := range s.Segs {
		out = append(out, cs.XY(seg[0].X, seg[0].Y), cs.XY(seg[1].X, seg[1].Y))
	}
	return out
}
func (s *CollectionSegments) texts() []string { return nil }

// scatterArtist is scatter(): markers with a size (points², as matplotlib's s) and a
// colour each, the colours either given or mapped from values through a colour map
// (then it is a mappable: a colour bar can show it).
type ScatterArtist struct {
	X, Y   []float64
	Sizes  []float64 // one or one per point
	Colors []color.NRGBA
	Values []float64 // c= values, when mapped
	Cmap   *colors.Colormap
	Scale  colors.Scaler
	Alpha  float64
	Marker string
	edge   color.NRGBA
	Label  string
}

func (s *ScatterArtist) extend(xs, ys *axis.Span, sx, sy axis.Scale) {
	for i := range s.X {
		if IsFinite(s.X[i]) && IsFinite(s.Y[i]) && IsFinite(sx.Fwd(s.X[i])) && IsFinite(sy.Fwd(s.Y[i])) {
			xs.Add(s.X[i])
			ys.Add(s.Y[i])
		}
	}
}

// colorAt is point i's fill colour; ok is false for a masked value.
func (s *ScatterArtist) colorAt(i int) (color.NRGBA, bool) {
	var col color.NRGBA
	if s.Values != nil {
		t := s.Scale.Norm(s.Values[i])
		if math.IsNaN(t) {
			return col, false
		}
		e := s.Cmap.LUT[s.Cmap.Index(t)]
		col = color.NRGBA{e[0], e[1], e[2], 255}
	} else {
		col = s.Colors[i%len(s.Colors)]
	}
	col.A = uint8(math.Round(float64(col.A) * s.Alpha))
	return col, true
}

func (s *ScatterArtist) draw(c draw.Canvas, p *gplot.Plot, cs axis.Coords) {
	trX, trY := p.Transforms(&c)
	shape := glyphFor(s.Marker)
	for i := range s.X {
		q := cs.XY(s.X[i], s.Y[i])
		if !IsFinite(q.X) || !IsFinite(q.Y) {
			continue
		}
		col, ok := s.colorAt(i)
		if !ok {
			continue
		}
		r := vg.Points(math.Sqrt(s.Sizes[i%len(s.Sizes)]) / 2)
		pt := vg.Point{X: trX(q.X), Y: trY(q.Y)}
		if pt.X < c.Min.X-r || pt.X > c.Max.X+r || pt.Y < c.Min.Y-r || pt.Y > c.Max.Y+r {
			continue
		}
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: col, Radius: r, Shape: shape}, pt)
	}
}

func (s *ScatterArtist) legend() (legendEntry, bool) {
	col, _ := s.colorAt(0)
	if s.Values != nil {
		col = color.NRGBA{s.Cmap.LUT[0][0], s.Cmap.LUT[0][1], s.Cmap.LUT[0][2], 255}
	}
	return legendEntry{label: s.Label, glyph: draw.GlyphStyle{Color: col, Radius: vg.Points(3), Shape: glyphFor(s.Marker)}, drawGlyph: true}, labelled(s.Label)
}

func (s *ScatterArtist) points(cs axis.Coords) []plotter.XY {
	out := make([]plotter.XY, 0, len(s.X))
	for i := range s.X {
		out = append(out, cs.XY(s.X[i], s.Y[i]))
	}
	return out
}

func (s *ScatterArtist) texts() []string { return []string{s.Label} }

// textArtist is text() and annotate(): a string at a point in data coordinates (or in
// axes fractions for transform=ax.transAxes), with an optional arrow to another point.
type TextArtist struct {
	X, Y       float64
	AxesCoords bool
	S          string
	Size       float64 // points
	Color      color.NRGBA
	Ha, Va     string
	ArrowTo    *plotter.XY // annotate's xy, in data coordinates
	ArrowColor color.NRGBA
}

func (t *TextArtist) extend(xs, ys *axis.Span, sx, sy axis.Scale) {} // texts do not autoscale, as in matplotlib

func (t *TextArtist) at(c draw.Canvas, p *gplot.Plot, cs axis.Coords) (vg.Point, bool) {
	if t.AxesCoords {
		return vg.Point{X: c.Min.X + vg.Length(t.X)*(c.Max.X-c.Min.X), Y: c.Min.Y + vg.Length(t.Y)*(c.Max.Y-c.Min.Y)}, true
	}
	q := cs.XY(t.X, t.Y)
	if !IsFinite(q.X) || !IsFinite(q.Y) {
		return vg.Point{}, false
	}
	return toCanvas(c, p, q), true
}

func (t *TextArtist) draw(c draw.Canvas, p *gplot.Plot, cs axis.Coords) {
	pt, ok := t.at(c, p, cs)
	if !ok {
		return
	}
	if t.ArrowTo != nil {
		q := cs.XY(t.ArrowTo.X, t.ArrowTo.Y)
		if IsFinite(q.X) && IsFinite(q.Y) {
			drawArrow(c, pt, toCanvas(c, p, q), t.ArrowColor)
		}
	}
	st := textStyle(t.Size, t.S)
	st.Color = t.Color
	st.XAlign = map[string]draw.XAlignment{"left": draw.XLeft, "center": draw.XCenter, "right": draw.XRight}[t.Ha]
	st.YAlign = map[string]draw.YAlignment{"bottom": draw.YBottom, "center": draw.YCenter, "top": draw.YTop, "baseline": draw.YBottom, "center_baseline": draw.YCenter}[t.Va]
	c.FillText(st, pt, t.S)
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

func (t *TextArtist) legend() (legendEntry, bool)        { return legendEntry{}, false }
func (t *TextArtist) points(cs axis.Coords) []plotter.XY { return nil }
func (t *TextArtist) texts() []string                    { return []string{t.S} }

// scaleTicker is the tick marker of an axis scale.
func scaleTicker(s axis.Scale, negate bool, rec *axis.TickRecorder) gplot.Ticker {
	switch s.Kind {
	case axis.LogScale:
		return axis.LogTicker{Negate: negate, Rec: rec}
	case axis.SymlogScale:
		return axis.SymlogTicker{Scale: s, Negate: negate, Rec: rec}
	}
	return axis.LinearTicker{N: 6, Negate: negate, Rec: rec}
}

// shareGroup is a set of axes sharing x or y limits (subplots(sharex=True)): their
// autoscaled limits cover all their data, and limits set on one hold for all.
type shareGroup struct {
	members    []*Axes
	xlim, ylim *[2]float64
}

// union is the union of the members' spans along the shared axis.
func (g *shareGroup) union(self *Axes, of func(*Axes) axis.Span) axis.Span {
	out := axis.EmptySpan()
	for _, m := range g.members {
		s := of(m)
		if !s.Empty() {
			out.Add(s.Lo)
			out.Add(s.Hi)
		}
		out.Sticky = append(out.Sticky, s.Sticky...)
	}
	return out
}
