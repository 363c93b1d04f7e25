package draw

import (
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"

	"gokist/runtime/plot/axis"
	"gokist/runtime/plot/worldgrid"
)

// An image with a world grid (ImageOptions.WorldGrid: a rotated celestial pair) is ticked
// where its coordinates cross the bottom and left edges and, with ax.grid, draws the
// curves of constant world value, as astropy's WCSAxes does; package worldgrid computes
// both, this file hands them to gonum.

// worldGridTicker ticks one axis of a world-grid image: the bottom edge's coordinate for
// x, the other along the left edge for y. Positions are render coordinates; sign is -1
// on an inverted axis.
type worldGridTicker struct {
	g    *worldgrid.Grid
	view worldgrid.View
	left bool
	sign float64
	rec  *axis.TickRecorder
}

// Ticks implements plot.Ticker.
func (t worldGridTicker) Ticks(lo, hi float64) []gplot.Tick {
	pos, labels := t.g.EdgeTicks(t.view, t.left)
	ts := make([]gplot.Tick, len(pos))
	for i, p := range pos {
		ts[i] = gplot.Tick{Value: t.sign * p, Label: labels[i]}
	}
	return t.rec.Record(ts)
}

// worldGridTickers are the x and y tickers of axes whose first image has a world grid,
// for the view r (render coordinates, negated on flipped axes).
func worldGridTickers(g *worldgrid.Grid, r axisRanges, flipX, flipY bool, xrec, yrec *axis.TickRecorder) (x, y gplot.Ticker) {
	v, sx, sy := pixelView(r, flipX, flipY)
	return worldGridTicker{g: g, view: v, sign: sx, rec: xrec}, worldGridTicker{g: g, view: v, left: true, sign: sy, rec: yrec}
}

// pixelView is the view r in pixels and the signs from pixels to render coordinates.
func pixelView(r axisRanges, flipX, flipY bool) (v worldgrid.View, sx, sy float64) {
	v, sx, sy = worldgrid.View{X0: r.x0, X1: r.x1, Y0: r.y0, Y1: r.y1}, 1, 1
	if flipX {
		sx, v.X0, v.X1 = -1, -r.x0, -r.x1
	}
	if flipY {
		sy, v.Y0, v.Y1 = -1, -r.y0, -r.y1
	}
	return v, sx, sy
}

// worldGridLines strokes the world grid's lines (ax.grid with a world grid).
type worldGridLines struct {
	g            *worldgrid.Grid
	r            axisRanges
	flipX, flipY bool
	style        draw.LineStyle
}

// Plot implements plot.Plotter.
func (l worldGridLines) Plot(c draw.Canvas, p *gplot.Plot) {
	v, sx, sy := pixelView(l.r, l.flipX, l.flipY)
	trX, trY := p.Transforms(&c)
	for _, s := range l.g.Lines(v) {
		c.StrokeLine2(l.style, trX(sx*s[0]), trY(sy*s[1]), trX(sx*s[2]), trY(sy*s[3]))
	}
}

// worldGrid is the world grid of the axes' first image, if it has one.
func (a *Axes) worldGrid() *worldgrid.Grid {
	if len(a.Images) == 0 {
		return nil
	}
	return a.Images[0].opts.WorldGrid
}
