package mesh

import (
	"math"

	"gonum.org/v1/plot/plotter"

	"gokist/obj"
)

// Grid is gridded data as contour reads its ([X, Y,] Z) arguments: Z row-major with
// Rows×Cols values, and the cell centres XC, YC along each axis.
type Grid struct {
	Z          []float64
	Rows, Cols int
	XC, YC     []float64
}

// IndexCentres are the cell centres 0..n-1 of an axis given by no coordinates.
func IndexCentres(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(i)
	}
	return out
}

// CentresOf are the centres of the cells between consecutive edges.
func CentresOf(edges []float64) []float64 {
	out := make([]float64, len(edges)-1)
	for i := range out {
		out[i] = (edges[i] + edges[i+1]) / 2
	}
	return out
}

// EdgesOf are cell edges around centres: midpoints inside, half a step beyond the ends
// (matplotlib's shading='nearest').
func EdgesOf(c []float64) []float64 {
	n := len(c)
	out := make([]float64, n+1)
	if n == 1 {
		out[0], out[1] = c[0]-0.5, c[0]+0.5
		return out
	}
	for i := 1; i < n; i++ {
		out[i] = (c[i-1] + c[i]) / 2
	}
	out[0] = c[0] - (c[1]-c[0])/2
	out[n] = c[n-1] + (c[n-1]-c[n-2])/2
	return out
}

// Uniform reports whether edges are evenly spaced (within rounding).
func Uniform(e []float64) bool {
	d := (e[len(e)-1] - e[0]) / float64(len(e)-1)
	for i := 1; i < len(e); i++ {
		if math.Abs(e[i]-e[i-1]-d) > 1e-6*math.Abs(d) {
			return false
		}
	}
	return d != 0
}

// Meshgrid is numpy's meshgrid(xe, ye) flattened: len(ye) rows of len(xe) vertices.
func Meshgrid(xe, ye []float64) (x, y []float64) {
	for _, yv := range ye {
		for _, xv := range xe {
			x, y = append(x, xv), append(y, yv)
		}
	}
	return x, y
}

// Rectilinear reports whether a 2-D X has equal rows (alongCols) or Y equal columns.
func Rectilinear(v []float64, shape []int, alongCols bool) bool {
	r, c := shape[0], shape[1]
	for i := range r {
		for j := range c {
			if (alongCols && v[i*c+j] != v[j]) || (!alongCols && v[i*c+j] != v[i*c]) {
				return false
			}
		}
	}
	return true
}

// InterpGrid turns a rows×cols grid of cell centres into (rows+1)×(cols+1) corners:
// midpoints between neighbours, and half a step beyond the ends, along columns and then
// along rows (matplotlib's _interp_grid, for shading="nearest").
func InterpGrid(v []float64, rows, cols int) []float64 {
	wide := make([]float64, rows*(cols+1))
	for i := range rows {
		row := v[i*cols : (i+1)*cols]
		copy(wide[i*(cols+1):], EdgesOf(row))
	}
	out := make([]float64, (rows+1)*(cols+1))
	col := make([]float64, rows)
	for j := range cols + 1 {
		for i := range rows {
			col[i] = wide[i*(cols+1)+j]
		}
		for i, e := range EdgesOf(col) {
			out[i*(cols+1)+j] = e
		}
	}
	return out
}

// EdgeIndices are the cell edges 0..n of an axis of n cells given by no coordinates.
func EdgeIndices(n int) []float64 {
	out := make([]float64, n+1)
	for i := range out {
		out[i] = float64(i)
	}
	return out
}

// maxNLocator is matplotlib's MaxNLocator(nbins, min_n_ticks=1).tick_values(lo, hi)
// with its default steps [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]: the smallest step of at
// least (hi-lo)/nbins, ticks from the multiple at or below lo to the one at or above hi.
func maxNLocator(lo, hi float64, nbins int) []float64 {
	if !(hi > lo) {
		return []float64{lo}
	}
	raw := (hi - lo) / float64(nbins)
	scale := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * scale
	for _, s := range []float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if s*scale >= raw*(1-1e-12) {
			step = s * scale
			break
		}
	}
	best := math.Floor(lo/step) * step
	low := math.Floor((lo-best)/step + 1e-10)
	high := math.Ceil((hi-best)/step - 1e-10)
	var out []float64
	for k := low; k <= high; k++ {
		out = append(out, k*step+best)
	}
	return out
}

// BandValue is the midpoint of the band holding v (NaN outside the levels).
func BandValue(v float64, levels []float64) float64 {
	if math.IsNaN(v) || v < levels[0] || v > levels[len(levels)-1] {
		return math.NaN()
	}
	for i := 1; i < len(levels); i++ {
		if v <= levels[i] {
			return (levels[i-1] + levels[i]) / 2
		}
	}
	return math.NaN()
}

// Bilinear interpolates a row-major grid at fractional (row, col).
func Bilinear(z []float64, cols int, r, c float64) float64 {
	rows := len(z) / cols
	r0, c0 := min(int(r), rows-2), min(int(c), cols-2)
	fr, fc := r-float64(r0), c-float64(c0)
	v00, v01 := z[r0*cols+c0], z[r0*cols+c0+1]
	v10, v11 := z[(r0+1)*cols+c0], z[(r0+1)*cols+c0+1]
	return (1-fr)*((1-fc)*v00+fc*v01) + fr*((1-fc)*v10+fc*v11)
}

// MarchingSquares returns the segments of the level line through each grid cell.
func MarchingSquares(g Grid, level float64) [][2]plotter.XY {
	var out [][2]plotter.XY
	z := g.Z
	at := func(r, c int) float64 { return z[r*g.Cols+c] }
	interp := func(r0, c0, r1, c1 int) plotter.XY {
		v0, v1 := at(r0, c0), at(r1, c1)
		t := 0.5
		if v1 != v0 {
			t = (level - v0) / (v1 - v0)
		}
		return plotter.XY{X: g.XC[c0] + t*(g.XC[c1]-g.XC[c0]), Y: g.YC[r0] + t*(g.YC[r1]-g.YC[r0])}
	}
	for r := 0; r < g.Rows-1; r++ {
		for c := 0; c < g.Cols-1; c++ {
			v := [4]float64{at(r, c), at(r, c+1), at(r+1, c+1), at(r+1, c)}
			if math.IsNaN(v[0] + v[1] + v[2] + v[3]) {
				continue
			}
			// Edges: 0 bottom (r,c)-(r,c+1), 1 right, 2 top (r+1,c)-(r+1,c+1), 3 left.
			var pts []plotter.XY
			corners := [4][2]int{{r, c}, {r, c + 1}, {r + 1, c + 1}, {r + 1, c}}
			for e := range 4 {
				a, b := corners[e], corners[(e+1)%4]
				va, vb := v[e], v[(e+1)%4]
				if (va < level) != (vb < level) {
					pts = append(pts, interp(a[0], a[1], b[0], b[1]))
				}
			}
			switch len(pts) {
			case 2:
				out = append(out, [2]plotter.XY{pts[0], pts[1]})
			case 4:
				out = append(out, [2]plotter.XY{pts[0], pts[1]}, [2]plotter.XY{pts[2], pts[3]})
			}
		}
	}
	return out
}

// AutoLevels are n+1 contour levels over the data range [lo, hi] as matplotlib's
// _autolev picks them; line contours (not filled) keep only those strictly inside.
func AutoLevels(lo, hi float64, n int, filled bool) ([]float64, error) {
	// MaxNLocator(n+1) with the edges included, as matplotlib's _autolev.
	levels := maxNLocator(lo, hi, n+1)
	// Trim to one level at or below the data and one at or above it, as _autolev.
	i0, i1 := 0, len(levels)
	for i, l := range levels {
		if l < lo {
			i0 = i
		}
	}
	for i := len(levels) - 1; i >= 0; i-- {
		if levels[i] > hi {
			i1 = i + 1
		}
	}
	levels = levels[i0:i1]
	if !filled {
		// Line contours drop the levels not strictly inside the data.
		var in []float64
		for _, l := range levels {
			if l > lo && l < hi {
				in = append(in, l)
			}
		}
		levels = in
		if len(levels) == 0 {
			return nil, obj.Errorf(obj.ValueError, "No contour levels were found within the data range.")
		}
	}
	return levels, nil
}
