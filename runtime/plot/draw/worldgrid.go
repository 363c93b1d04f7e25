package draw

import (
	"math"
	"strconv"
	"strings"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// World grids: an image whose two pixel axes map jointly to two world coordinates (a
// celestial pair under a rotated PC matrix: each coordinate varies along both axes) is
// ticked as astropy's WCSAxes does, not axis by axis. For each coordinate WCSAxes
//  1. finds its range over the view from a 51×51 grid of samples, widened by a tenth on
//     each side for longitudes and latitudes (coordinate_range.find_coordinate_range);
//  2. picks a spacing from a fifth of that range (select_step_scalar: 1, 2 or 5 × 10ⁿ,
//     arcsec for helioprojective angles) and the multiples of it inside the range;
//  3. ticks the frame where the coordinate takes those values, interpolating between
//     1000 samples along each edge (CoordinateHelper._compute_ticks);
//  4. labels them on one edge: the coordinate of the bottom edge and the one of the left
//     edge are chosen from the WCS's axis correlations (wcsapi.transform_coord_meta_from_wcs).
// Grid lines (ax.grid) are the curves of constant value, traced through a sampled grid.

// CoordKind is how a world-grid coordinate is ranged and written.
type CoordKind int

// The kinds of world-grid coordinates.
const (
	ScalarCoord CoordKind = iota // a number in its unit, no widening
	LonCoord                     // a longitude in arcsec, widened by a tenth each side
	LatCoord                     // a latitude in arcsec, widened and kept within ±90°
)

// WorldGrid maps an image's pixels to two coupled world coordinates.
type WorldGrid struct {
	// World gives the two coordinates at pixel (x, y): x the column, y the row, pixel
	// centres on integers.
	World func(x, y float64) (float64, float64)
	// Kind of each coordinate; angles are in arcsec and labelled with ″ (as `0.6"`).
	Kind [2]CoordKind
	// Bottom is the coordinate ticked and labelled along the bottom edge; the other is
	// ticked along the left edge.
	Bottom int
}

// Frame samples: WCSAxes's conf.coordinate_range_samples and conf.frame_boundary_samples.
const (
	worldRangeSamples = 50
	worldEdgeSamples  = 1000
	worldGridSamples  = 64 // per side of the grid the grid lines are traced through
)

// at is coordinate c at pixel (x, y), NaN where the WCS has no value.
func (g *WorldGrid) at(c int, x, y float64) float64 {
	a, b := g.World(x, y)
	if c == 0 {
		return a
	}
	return b
}

// coordRange is coordinate c's range over the pixel box [x0, x1]×[y0, y1], widened
// as WCSAxes widens longitudes and latitudes.
func (g *WorldGrid) coordRange(c int, x0, x1, y0, y1 float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for i := 0; i <= worldRangeSamples; i++ {
		y := y0 + (y1-y0)*float64(i)/worldRangeSamples
		for j := 0; j <= worldRangeSamples; j++ {
			v := g.at(c, x0+(x1-x0)*float64(j)/worldRangeSamples, y)
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if lo > hi || g.Kind[c] == ScalarCoord {
		return lo, hi
	}
	const deg = 3600.0 // arcsec
	w := 0.1 * (hi - lo)
	switch {
	case g.Kind[c] == LatCoord:
		return math.Max(-90*deg, lo-w), math.Min(90*deg, hi+w)
	case lo < 0:
		return math.Max(-180*deg, lo-w), math.Min(180*deg, hi+w)
	default:
		return math.Max(0, lo-w), math.Min(360*deg, hi+w)
	}
}

// selectStepScalar is WCSAxes's utils.select_step_scalar: the one of 1, 2, 5, 10 × 10ⁿ
// nearest dv in log scale.
func selectStepScalar(dv float64) float64 {
	l := math.Log10(dv)
	base := math.Floor(l)
	frac := l - base
	best := 0.0
	for _, s := range []float64{0, math.Log10(2), math.Log10(5), 1} {
		if math.Abs(frac-s) < math.Abs(frac-best) {
			best = s
		}
	}
	return math.Pow(10, base+best)
}

// coordTicks are the tick values of a coordinate with range [lo, hi] (five ticks'
// worth, as WCSAxes's default number=5) and their labels.
func coordTicks(kind CoordKind, lo, hi float64) (vals []float64, labels []string) {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return nil, nil
	}
	step := selectStepScalar((hi - lo) / 5)
	prec := decimals(step)
	for i := math.Ceil(lo / step); i <= math.Floor(hi/step); i++ {
		v := i * step
		vals = append(vals, v)
		s := strconv.FormatFloat(v+0, 'f', prec, 64)
		if strings.Trim(s, "-0.") == "" {
			s = strings.TrimPrefix(s, "-")
		}
		if kind != ScalarCoord {
			s += `"`
		}
		labels = append(labels, s)
	}
	return vals, labels
}

// decimals is the number of decimals WCSAxes writes for a spacing: those of
// f"{spacing:.10f}" without trailing zeros.
func decimals(step float64) int {
	s := strconv.FormatFloat(step, 'f', 10, 64)
	s = strings.TrimRight(s, "0")
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// edgeCrossings are the positions along the edge from (ax, ay) to (bx, by), as the
// fraction of the way, where coordinate c takes one of vals, with the index of the value.
func (g *WorldGrid) edgeCrossings(c int, vals []float64, ax, ay, bx, by float64) (pos []float64, which []int) {
	n := worldEdgeSamples
	w := make([]float64, n)
	for i := range w {
		t := float64(i) / float64(n-1)
		w[i] = g.at(c, ax+t*(bx-ax), ay+t*(by-ay))
	}
	for k, v := range vals {
		for i := 0; i+1 < n; i++ {
			w1, w2 := w[i], w[i+1]
			if !(v == w1 || (v-w1)*(v-w2) < 0 || (i+1 == n-1 && v == w2)) || w1 == w2 {
				continue
			}
			pos = append(pos, (float64(i)+(v-w1)/(w2-w1))/float64(n-1))
			which = append(which, k)
		}
	}
	return pos, which
}

// worldGridTicker ticks one axis of a world-grid image: where its coordinate crosses
// the axis' edge (the bottom edge for x, the left edge for y). Positions are render
// coordinates; sign is -1 on an inverted axis. The box is the view in pixels.
type worldGridTicker struct {
	g                *WorldGrid
	coord            int
	vertical         bool
	sign             float64
	x0, x1, y0, y1   float64 // the view in pixels: x0, y0 at the bottom-left corner
	rec              *tickRecorder
	valueLo, valueHi float64 // the coordinate's range over the view
}

// Ticks implements plot.Ticker.
func (t worldGridTicker) Ticks(lo, hi float64) []gplot.Tick {
	vals, labels := coordTicks(t.g.Kind[t.coord], t.valueLo, t.valueHi)
	var pos []float64
	var which []int
	var from, to float64
	if t.vertical {
		pos, which = t.g.edgeCrossings(t.coord, vals, t.x0, t.y0, t.x0, t.y1)
		from, to = t.y0, t.y1
	} else {
		pos, which = t.g.edgeCrossings(t.coord, vals, t.x0, t.y0, t.x1, t.y0)
		from, to = t.x0, t.x1
	}
	var ts []gplot.Tick
	for i, f := range pos {
		ts = append(ts, gplot.Tick{Value: t.sign * (from + f*(to-from)), Label: labels[which[i]]})
	}
	return t.rec.record(ts)
}

// worldGridTickers are the x and y tickers of axes whose first image has a world grid,
// for the view r (render coordinates, negated on flipped axes).
func worldGridTickers(g *WorldGrid, r axisRanges, flipX, flipY bool, xrec, yrec *tickRecorder) (x, y gplot.Ticker) {
	x0, x1, y0, y1, sx, sy := pixelView(r, flipX, flipY)
	mk := func(coord int, vertical bool, sign float64, rec *tickRecorder) worldGridTicker {
		lo, hi := g.coordRange(coord, math.Min(x0, x1), math.Max(x0, x1), math.Min(y0, y1), math.Max(y0, y1))
		return worldGridTicker{g: g, coord: coord, vertical: vertical, sign: sign, x0: x0, x1: x1, y0: y0, y1: y1, rec: rec, valueLo: lo, valueHi: hi}
	}
	return mk(g.Bottom, false, sx, xrec), mk(1-g.Bottom, true, sy, yrec)
}

// pixelView is the view r in pixels, (x0, y0) being its bottom-left corner as drawn,
// and the signs from pixels to render coordinates.
func pixelView(r axisRanges, flipX, flipY bool) (x0, x1, y0, y1, sx, sy float64) {
	sx, sy = 1.0, 1.0
	x0, x1, y0, y1 = r.x0, r.x1, r.y0, r.y1
	if flipX {
		sx, x0, x1 = -1, -r.x0, -r.x1
	}
	if flipY {
		sy, y0, y1 = -1, -r.y0, -r.y1
	}
	return x0, x1, y0, y1, sx, sy
}

// worldGridLines draws the curves along which each coordinate takes its tick values
// (ax.grid with a world grid), traced by marching squares through a sampled grid.
type worldGridLines struct {
	g     *WorldGrid
	r     axisRanges
	flipX bool
	flipY bool
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (l worldGridLines) Plot(c draw.Canvas, p *gplot.Plot) {
	x0, x1, y0, y1, sx, sy := pixelView(l.r, l.flipX, l.flipY)
	n := worldGridSamples
	xs := func(j float64) float64 { return x0 + (x1-x0)*j/float64(n) }
	ys := func(i float64) float64 { return y0 + (y1-y0)*i/float64(n) }
	trX, trY := p.Transforms(&c)
	for coord := 0; coord < 2; coord++ {
		field := make([]float64, (n+1)*(n+1))
		for i := 0; i <= n; i++ {
			for j := 0; j <= n; j++ {
				field[i*(n+1)+j] = l.g.at(coord, xs(float64(j)), ys(float64(i)))
			}
		}
		lo, hi := l.g.coordRange(coord, math.Min(x0, x1), math.Max(x0, x1), math.Min(y0, y1), math.Max(y0, y1))
		vals, _ := coordTicks(l.g.Kind[coord], lo, hi)
		for _, v := range vals {
			for _, seg := range isoSegments(field, n+1, n+1, v) {
				a := vg.Point{X: trX(sx * xs(seg[0])), Y: trY(sy * ys(seg[1]))}
				b := vg.Point{X: trX(sx * xs(seg[2])), Y: trY(sy * ys(seg[3]))}
				c.StrokeLine2(l.style, a.X, a.Y, b.X, b.Y)
			}
		}
	}
}

// isoSegments are the pieces of the curve field = v through a rows×cols grid of
// samples, each as (col, row) of its two ends in fractional grid units.
func isoSegments(field []float64, rows, cols int, v float64) [][4]float64 {
	var out [][4]float64
	edge := func(r0, c0, r1, c1 int) (float64, float64, bool) {
		a, b := field[r0*cols+c0], field[r1*cols+c1]
		if math.IsNaN(a) || math.IsNaN(b) || (a < v) == (b < v) {
			return 0, 0, false
		}
		t := (v - a) / (b - a)
		return float64(c0) + t*float64(c1-c0), float64(r0) + t*float64(r1-r0), true
	}
	for r := 0; r+1 < rows; r++ {
		for c := 0; c+1 < cols; c++ {
			var pts [][2]float64
			for _, e := range [4][4]int{{r, c, r, c + 1}, {r, c + 1, r + 1, c + 1}, {r + 1, c + 1, r + 1, c}, {r + 1, c, r, c}} {
				if x, y, ok := edge(e[0], e[1], e[2], e[3]); ok {
					pts = append(pts, [2]float64{x, y})
				}
			}
			for k := 0; k+1 < len(pts); k += 2 {
				out = append(out, [4]float64{pts[k][0], pts[k][1], pts[k+1][0], pts[k+1][1]})
			}
		}
	}
	return out
}

// worldGrid is the world grid of the axes' first image, if it has one.
func (a *Axes) worldGrid() *WorldGrid {
	if len(a.Images) == 0 {
		return nil
	}
	return a.Images[0].opts.WorldGrid
}

// CelestialProjection is a projection whose two plotted axes may both map to a
// helioprojective longitude and latitude (runtime/wcs's *WCS under a rotated PC matrix).
type CelestialProjection interface {
	PlotCelestial() (world func(x, y float64) (float64, float64), lat [2]bool, names [2]string, bottom int, ok bool)
}

// CelestialGrid is the world grid of an image drawn with projection p (pixel x along
// columns) and its x and y axis labels (the world axis names, without unit: the tick
// labels carry ″), or nil when p is not a coupled celestial pair.
func CelestialGrid(p any) (g *WorldGrid, xLabel, yLabel string) {
	cp, ok := p.(CelestialProjection)
	if !ok {
		return nil, "", ""
	}
	world, lat, names, bottom, ok := cp.PlotCelestial()
	if !ok {
		return nil, "", ""
	}
	g = &WorldGrid{World: world, Bottom: bottom}
	for i := range lat {
		g.Kind[i] = LonCoord
		if lat[i] {
			g.Kind[i] = LatCoord
		}
	}
	return g, names[bottom], names[1-bottom]
}
