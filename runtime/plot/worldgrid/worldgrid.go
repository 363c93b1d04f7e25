package worldgrid

import (
	"math"
	"strconv"
	"strings"
)

// CoordKind is how a world-grid coordinate is ranged and written.
type CoordKind int

// The kinds of world-grid coordinates.
const (
	ScalarCoord CoordKind = iota // a number in its unit, no widening
	LonCoord                     // a longitude in arcsec, widened by a tenth each side
	LatCoord                     // a latitude in arcsec, widened and kept within ±90°
)

// Grid maps an image's pixels to two coupled world coordinates.
type Grid struct {
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
	rangeSamples = 50
	edgeSamples  = 1000
	gridSamples  = 64 // per side of the grid the grid lines are traced through
)

// at is coordinate c at pixel (x, y), NaN where the WCS has no value.
func (g *Grid) at(c int, x, y float64) float64 {
	a, b := g.World(x, y)
	if c == 0 {
		return a
	}
	return b
}

// coordRange is coordinate c's range over the view, widened
// as WCSAxes widens longitudes and latitudes.
func (g *Grid) coordRange(c int, v View) (lo, hi float64) {
	x0, x1, y0, y1 := v.box()
	lo, hi = math.Inf(1), math.Inf(-1)
	for i := 0; i <= rangeSamples; i++ {
		y := y0 + (y1-y0)*float64(i)/rangeSamples
		for j := 0; j <= rangeSamples; j++ {
			v := g.at(c, x0+(x1-x0)*float64(j)/rangeSamples, y)
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
func (g *Grid) edgeCrossings(c int, vals []float64, ax, ay, bx, by float64) (pos []float64, which []int) {
	n := edgeSamples
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

// View is the part of the image shown, in pixels: (X0, Y0) is its bottom-left corner as
// drawn (X0 > X1 on an inverted axis).
type View struct{ X0, X1, Y0, Y1 float64 }

// box is the view's extent, lowest first.
func (v View) box() (x0, x1, y0, y1 float64) {
	return math.Min(v.X0, v.X1), math.Max(v.X0, v.X1), math.Min(v.Y0, v.Y1), math.Max(v.Y0, v.Y1)
}

// EdgeTicks are the ticks of the bottom edge's coordinate along it (left: of the other
// coordinate along the left edge): positions in pixels along the edge, and labels.
func (g *Grid) EdgeTicks(v View, left bool) (pos []float64, labels []string) {
	coord := g.Bottom
	if left {
		coord = 1 - g.Bottom
	}
	lo, hi := g.coordRange(coord, v)
	vals, texts := coordTicks(g.Kind[coord], lo, hi)
	var fr []float64
	var which []int
	from, to := v.X0, v.X1
	if left {
		fr, which = g.edgeCrossings(coord, vals, v.X0, v.Y0, v.X0, v.Y1)
		from, to = v.Y0, v.Y1
	} else {
		fr, which = g.edgeCrossings(coord, vals, v.X0, v.Y0, v.X1, v.Y0)
	}
	for i, f := range fr {
		pos = append(pos, from+f*(to-from))
		labels = append(labels, texts[which[i]])
	}
	return pos, labels
}

// Lines are the grid lines over the view: for each coordinate, the curves along which
// it takes its tick values, as segments (x0, y0, x1, y1) in pixels, traced by marching
// squares through a grid of samples.
func (g *Grid) Lines(v View) [][4]float64 {
	n := gridSamples
	xs := func(j float64) float64 { return v.X0 + (v.X1-v.X0)*j/float64(n) }
	ys := func(i float64) float64 { return v.Y0 + (v.Y1-v.Y0)*i/float64(n) }
	var out [][4]float64
	for coord := 0; coord < 2; coord++ {
		field := make([]float64, (n+1)*(n+1))
		for i := 0; i <= n; i++ {
			for j := 0; j <= n; j++ {
				field[i*(n+1)+j] = g.at(coord, xs(float64(j)), ys(float64(i)))
			}
		}
		lo, hi := g.coordRange(coord, v)
		vals, _ := coordTicks(g.Kind[coord], lo, hi)
		for _, val := range vals {
			for _, seg := range isoSegments(field, n+1, n+1, val) {
				out = append(out, [4]float64{xs(seg[0]), ys(seg[1]), xs(seg[2]), ys(seg[3])})
			}
		}
	}
	return out
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

// CelestialProjection is a projection whose two plotted axes may both map to a
// helioprojective longitude and latitude (runtime/wcs's *WCS under a rotated PC matrix).
type CelestialProjection interface {
	PlotCelestial() (world func(x, y float64) (float64, float64), lat [2]bool, names [2]string, bottom int, ok bool)
}

// CelestialGrid is the world grid of an image drawn with projection p (pixel x along
// columns) and its x and y axis labels (the world axis names, without unit: the tick
// labels carry ″), or nil when p is not a coupled celestial pair.
func CelestialGrid(p any) (g *Grid, xLabel, yLabel string) {
	cp, ok := p.(CelestialProjection)
	if !ok {
		return nil, "", ""
	}
	world, lat, names, bottom, ok := cp.PlotCelestial()
	if !ok {
		return nil, "", ""
	}
	g = &Grid{World: world, Bottom: bottom}
	for i := range lat {
		g.Kind[i] = LonCoord
		if lat[i] {
			g.Kind[i] = LatCoord
		}
	}
	return g, names[bottom], names[1-bottom]
}
