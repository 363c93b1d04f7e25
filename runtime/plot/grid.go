package plot

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"

	"gokist/obj"
	"gokist/runtime/plot/colors"
	"gokist/runtime/plot/draw"
)

// pcolormesh, contour and contourf: 2-D data on a grid given by X and Y (1-D cell edges
// or centres; 2-D grids must be rectilinear) or by the indices.

// gridArgs are the decoded ([X, Y,] Z) arguments: Z row-major with rows×cols values,
// and the cell centres xc, yc along each axis.
type gridData struct {
	z          []float64
	rows, cols int
	xc, yc     []float64
}

// gridArgsOf reads ([X, Y,] Z): X and Y of cols and rows values (centres), or of cols+1
// and rows+1 (edges, for pcolormesh), 1-D or rectilinear 2-D.
func gridArgsOf(env *obj.Env, fn string, pos []any, edgesOK bool) (gridData, []float64, []float64, error) {
	var g gridData
	var zArg, xArg, yArg any
	switch len(pos) {
	case 1:
		zArg = pos[0]
	case 3:
		xArg, yArg, zArg = pos[0], pos[1], pos[2]
	default:
		return g, nil, nil, obj.Errorf(obj.TypeError, "%s() takes 1 or 3 positional arguments ([X, Y,] C) but %d were given", fn, len(pos))
	}
	z, shape, err := ToFloat64s(env, fn+"() data", zArg)
	if err != nil {
		return g, nil, nil, err
	}
	if len(shape) != 2 || shape[0] < 1 || shape[1] < 1 {
		return g, nil, nil, obj.Errorf(obj.TypeError, "Input z must be 2D, not %dD", len(shape))
	}
	g.z, g.rows, g.cols = z, shape[0], shape[1]
	if xArg == nil {
		g.xc, g.yc = indexCentres(g.cols), indexCentres(g.rows)
		return g, nil, nil, nil
	}
	xs, err := gridAxis(env, fn, "X", xArg, g.cols, g.rows, true)
	if err != nil {
		return g, nil, nil, err
	}
	ys, err := gridAxis(env, fn, "Y", yArg, g.rows, g.cols, false)
	if err != nil {
		return g, nil, nil, err
	}
	var xe, ye []float64
	switch {
	case len(xs) == g.cols && len(ys) == g.rows:
		g.xc, g.yc = xs, ys
	case edgesOK && len(xs) == g.cols+1 && len(ys) == g.rows+1:
		xe, ye = xs, ys
		g.xc, g.yc = centresOf(xs), centresOf(ys)
	default:
		return g, nil, nil, obj.Errorf(obj.TypeError, "Dimensions of C (%d, %d) are incompatible with X (%d) and/or Y (%d); see help(%s)", g.rows, g.cols, len(xs), len(ys), fn)
	}
	return g, xe, ye, nil
}

// gridAxis reads X (along columns) or Y (along rows): 1-D, or 2-D with every row (X) or
// column (Y) the same.
func gridAxis(env *obj.Env, fn, name string, v any, n, other int, alongCols bool) ([]float64, error) {
	vals, shape, err := ToFloat64s(env, fn+"() "+name, v)
	if err != nil {
		return nil, err
	}
	switch len(shape) {
	case 1:
		return vals, nil
	case 2:
		r, c := shape[0], shape[1]
		if alongCols {
			for i := 1; i < r; i++ {
				for j := range c {
					if vals[i*c+j] != vals[j] {
						return nil, obj.Errorf(obj.ValueError, "%s(): gokist draws rectilinear grids only; the rows of %s differ", fn, name)
					}
				}
			}
			return vals[:c], nil
		}
		out := make([]float64, r)
		for i := range r {
			out[i] = vals[i*c]
			for j := range c {
				if vals[i*c+j] != out[i] {
					return nil, obj.Errorf(obj.ValueError, "%s(): gokist draws rectilinear grids only; the columns of %s differ", fn, name)
				}
			}
		}
		return out, nil
	}
	return nil, obj.Errorf(obj.TypeError, "%s(): %s must be 1-D or 2-D, got shape %s", fn, name, shapeText(shape))
}

func indexCentres(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(i)
	}
	return out
}

func centresOf(edges []float64) []float64 {
	out := make([]float64, len(edges)-1)
	for i := range out {
		out[i] = (edges[i] + edges[i+1]) / 2
	}
	return out
}

// edgesOf are cell edges around centres: midpoints inside, half a step beyond the ends
// (matplotlib's shading='nearest').
func edgesOf(c []float64) []float64 {
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

// uniform reports whether edges are evenly spaced (within rounding).
func uniform(e []float64) bool {
	d := (e[len(e)-1] - e[0]) / float64(len(e)-1)
	for i := 1; i < len(e); i++ {
		if math.Abs(e[i]-e[i-1]-d) > 1e-6*math.Abs(d) {
			return false
		}
	}
	return d != 0
}

// colorKeywords reads cmap, norm, vmin and vmax into image options.
func colorKeywords(fn string, k *kwargs) (draw.ImageOptions, error) {
	var opts draw.ImageOptions
	var err error
	if opts.Cmap, err = k.str("cmap"); err != nil {
		return opts, err
	}
	if opts.Vmin, err = k.float("vmin"); err != nil {
		return opts, err
	}
	if opts.Vmax, err = k.float("vmax"); err != nil {
		return opts, err
	}
	if opts.Norm, err = colors.NormArg(fn, k.get("norm")); err != nil {
		return opts, err
	}
	opts.Origin, opts.Aspect = "lower", "auto"
	return opts, draw.CheckImageOptions(opts)
}

func pcolormeshCall(env *obj.Env, a *draw.Axes, args obj.Args) (any, error) {
	const fn = "pcolormesh"
	k, err := newKwargs(fn, args.Kw, "cmap", "norm", "vmin", "vmax", "shading", "alpha", "edgecolors", "linewidth", "rasterized", "zorder", "label")
	if err != nil {
		return nil, err
	}
	opts, err := colorKeywords(fn, k)
	if err != nil {
		return nil, err
	}
	alpha := 1.0
	if v, err := k.float("alpha"); err != nil {
		return nil, err
	} else if v != nil {
		alpha = math.Max(0, math.Min(1, *v))
	}
	shading, err := shadingArg(k)
	if err != nil {
		return nil, err
	}
	if x, y, z, rows, cols, ok, err := curvilinearArgs(env, fn, args.Pos, shading); err != nil {
		return nil, err
	} else if ok {
		return addMesh(a, x, y, z, rows, cols, opts, alpha)
	}
	g, xe, ye, err := gridArgsOf(env, fn, args.Pos, true)
	if err != nil {
		return nil, err
	}
	if len(args.Pos) == 3 && ((shading == "flat" && xe == nil) || (shading == "nearest" && xe != nil)) {
		nx, ny := len(g.xc), len(g.yc)
		if xe != nil {
			nx, ny = len(xe), len(ye)
		}
		return nil, obj.Errorf(obj.TypeError, "Dimensions of C (%d, %d) are incompatible with X (%d) and/or Y (%d); see help(%s)", g.rows, g.cols, nx, ny, fn)
	}
	if xe == nil {
		if len(args.Pos) == 1 {
			xe, ye = edgeIndices(g.cols), edgeIndices(g.rows)
		} else {
			xe, ye = edgesOf(g.xc), edgesOf(g.yc)
		}
	}
	if uniform(xe) && uniform(ye) && alpha == 1 {
		opts.Extent = &[4]float64{xe[0], xe[len(xe)-1], ye[0], ye[len(ye)-1]}
		im, err := draw.PrepareImage(g.z, g.rows, g.cols, opts)
		if err != nil {
			return nil, err
		}
		a.AddImage(im, opts)
		return &Artist{kind: "collections.QuadMesh", ax: a, m: im}, nil
	}
	// Uneven edges: each cell is its own rectangle.
	x, y := meshgrid(xe, ye)
	return addMesh(a, x, y, g.z, g.rows, g.cols, opts, alpha)
}

// shadingArg reads pcolormesh's shading: "auto" (or unset: vertices or centres by the
// shapes), "flat" (X and Y are the cells' corners) or "nearest" (their centres);
// "gouraud" interpolates colours, which gokist does not draw; other values are "auto",
// as matplotlib takes them (with a warning).
func shadingArg(k *kwargs) (string, error) {
	sh, err := k.str("shading")
	if err != nil {
		return "", err
	}
	switch sh {
	case "", "auto", "flat", "nearest":
		return sh, nil
	case "gouraud":
		return "", obj.Errorf(obj.ValueError, "pcolormesh(): shading='gouraud' is not drawn by gokist; use 'auto', 'flat' or 'nearest'")
	}
	return "auto", nil
}

// addMesh draws a QuadMesh of rows×cols cells on vertices x, y.
func addMesh(a *draw.Axes, x, y, z []float64, rows, cols int, opts draw.ImageOptions, alpha float64) (any, error) {
	m, err := draw.NewQuadMesh(x, y, z, rows, cols, opts, alpha)
	if err != nil {
		return nil, err
	}
	a.AddArtist(m)
	return &Artist{kind: "collections.QuadMesh", ax: a, m: m}, nil
}

// meshgrid is numpy's meshgrid(xe, ye) flattened: len(ye) rows of len(xe) vertices.
func meshgrid(xe, ye []float64) (x, y []float64) {
	for _, yv := range ye {
		for _, xv := range xe {
			x, y = append(x, xv), append(y, yv)
		}
	}
	return x, y
}

// curvilinearArgs reads (X, Y, C) when X and Y are 2-D and not rectilinear (a rotated
// or curved grid): the vertices, given directly ((rows+1)×(cols+1), shading "flat") or
// as cell centres of C's shape (shading "nearest", corners midway between centres and
// extrapolated at the ends, as matplotlib's _interp_grid). ok is false for other
// arguments, which gridArgsOf reads.
func curvilinearArgs(env *obj.Env, fn string, pos []any, shading string) (x, y, z []float64, rows, cols int, ok bool, err error) {
	if len(pos) != 3 {
		return nil, nil, nil, 0, 0, false, nil
	}
	x, xs, err := ToFloat64s(env, fn+"() X", pos[0])
	if err != nil {
		return nil, nil, nil, 0, 0, false, err
	}
	y, ys, err := ToFloat64s(env, fn+"() Y", pos[1])
	if err != nil {
		return nil, nil, nil, 0, 0, false, err
	}
	if len(xs) != 2 || len(ys) != 2 || (rectilinear(x, xs, true) && rectilinear(y, ys, false)) {
		return nil, nil, nil, 0, 0, false, nil
	}
	z, zs, err := ToFloat64s(env, fn+"() data", pos[2])
	if err != nil {
		return nil, nil, nil, 0, 0, false, err
	}
	if len(zs) != 2 {
		return nil, nil, nil, 0, 0, false, obj.Errorf(obj.TypeError, "Input z must be 2D, not %dD", len(zs))
	}
	rows, cols = zs[0], zs[1]
	if xs[0] != ys[0] || xs[1] != ys[1] {
		return nil, nil, nil, 0, 0, false, obj.Errorf(obj.TypeError, "Incompatible X, Y inputs to %s; see help(%s)", fn, fn)
	}
	switch {
	case xs[0] == rows+1 && xs[1] == cols+1 && shading != "nearest":
	case xs[0] == rows && xs[1] == cols && shading != "flat":
		x, y = interpGrid(x, rows, cols), interpGrid(y, rows, cols)
	default:
		return nil, nil, nil, 0, 0, false, obj.Errorf(obj.TypeError, "Dimensions of C (%d, %d) are incompatible with X (%d) and/or Y (%d); see help(%s)", rows, cols, xs[1], ys[0], fn)
	}
	return x, y, z, rows, cols, true, nil
}

// rectilinear reports whether a 2-D X has equal rows (alongCols) or Y equal columns.
func rectilinear(v []float64, shape []int, alongCols bool) bool {
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

// interpGrid turns a rows×cols grid of cell centres into (rows+1)×(cols+1) corners:
// midpoints between neighbours, and half a step beyond the ends, along columns and then
// along rows (matplotlib's _interp_grid, for shading="nearest").
func interpGrid(v []float64, rows, cols int) []float64 {
	wide := make([]float64, rows*(cols+1))
	for i := range rows {
		row := v[i*cols : (i+1)*cols]
		copy(wide[i*(cols+1):], edgesOf(row))
	}
	out := make([]float64, (rows+1)*(cols+1))
	col := make([]float64, rows)
	for j := range cols + 1 {
		for i := range rows {
			col[i] = wide[i*(cols+1)+j]
		}
		for i, e := range edgesOf(col) {
			out[i*(cols+1)+j] = e
		}
	}
	return out
}

func edgeIndices(n int) []float64 {
	out := make([]float64, n+1)
	for i := range out {
		out[i] = float64(i)
	}
	return out
}

// contourLevels picks levels as matplotlib's MaxNLocator(levels+1) over the data range,
// or takes the given values.
func contourLevels(env *obj.Env, v any, lo, hi float64, filled bool) ([]float64, error) {
	n := 7
	switch x := v.(type) {
	case nil:
	case int:
		n = x
		if n < 1 {
			return nil, obj.Errorf(obj.ValueError, "levels must be a positive number, got %d", n)
		}
	default:
		levels, _, err := ToFloat64s(env, "contour() levels", v)
		if err != nil {
			return nil, err
		}
		for i := 1; i < len(levels); i++ {
			if !(levels[i] > levels[i-1]) {
				return nil, obj.Errorf(obj.ValueError, "Contour levels must be increasing")
			}
		}
		if filled && len(levels) < 2 {
			return nil, obj.Errorf(obj.ValueError, "Filled contours require at least 2 levels.")
		}
		return levels, nil
	}
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

func contourCall(filled bool) func(env *obj.Env, a *draw.Axes, args obj.Args) (any, error) {
	fn := "contour"
	if filled {
		fn = "contourf"
	}
	return func(env *obj.Env, a *draw.Axes, args obj.Args) (any, error) {
		pos := args.Pos
		kw := args.Kw
		if len(pos) == 2 || len(pos) == 4 { // contour(Z, levels) / contour(X, Y, Z, levels)
			kw = mergeKw(kw, "levels", pos[len(pos)-1])
			pos = pos[:len(pos)-1]
		}
		k, err := newKwargs(fn, kw, "levels", "colors", "cmap", "norm", "vmin", "vmax", "linewidths", "linestyles", "alpha", "extend", "zorder", "origin")
		if err != nil {
			return nil, err
		}
		opts, err := colorKeywords(fn, k)
		if err != nil {
			return nil, err
		}
		g, _, _, err := gridArgsOf(env, fn, pos, false)
		if err != nil {
			return nil, err
		}
		if g.rows < 2 || g.cols < 2 {
			return nil, obj.Errorf(obj.TypeError, "Input z must be at least a (2, 2) shaped array, but has shape (%d, %d)", g.rows, g.cols)
		}
		lo, hi, ok := colors.FiniteRange(g.z)
		if !ok {
			return nil, obj.Errorf(obj.ValueError, "nothing to plot: every value of Z is NaN or infinite")
		}
		levels, err := contourLevels(env, k.get("levels"), lo, hi, filled)
		if err != nil {
			return nil, err
		}
		if filled {
			return contourFilled(a, g, levels, opts)
		}
		return contourLines(a, g, levels, opts, k)
	}
}

// contourFilled draws the bands between levels as an image of Z resampled bilinearly to
// about screen resolution, each pixel coloured by its band (the band's midpoint through
// the colour map over the levels' range, as matplotlib's contourf).
func contourFilled(a *draw.Axes, g gridData, levels []float64, opts draw.ImageOptions) (any, error) {
	const res = 400
	outC, outR := max(g.cols, min(res, g.cols*8)), max(g.rows, min(res, g.rows*8))
	band := make([]float64, outR*outC)
	// The image spans the grid's centres: bands exist between the data points only.
	x0, x1, y0, y1 := g.xc[0], g.xc[g.cols-1], g.yc[0], g.yc[g.rows-1]
	for r := range outR {
		fy := (float64(r) + 0.5) / float64(outR) * float64(g.rows-1)
		for c := range outC {
			fx := (float64(c) + 0.5) / float64(outC) * float64(g.cols-1)
			v := bilinear(g.z, g.cols, fy, fx)
			band[r*outC+c] = bandValue(v, levels)
		}
	}
	if opts.Vmin == nil && opts.Norm == nil {
		opts.Vmin = &levels[0]
	}
	if opts.Vmax == nil && opts.Norm == nil {
		opts.Vmax = &levels[len(levels)-1]
	}
	opts.Extent = &[4]float64{x0, x1, y0, y1}
	im, err := draw.PrepareImage(band, outR, outC, opts)
	if err != nil {
		return nil, err
	}
	a.AddImage(im, opts)
	return &Artist{kind: "contour.QuadContourSet", ax: a, m: im}, nil
}

// bandValue is the midpoint of the band holding v (NaN outside the levels).
func bandValue(v float64, levels []float64) float64 {
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

// bilinear interpolates a row-major grid at fractional (row, col).
func bilinear(z []float64, cols int, r, c float64) float64 {
	rows := len(z) / cols
	r0, c0 := min(int(r), rows-2), min(int(c), cols-2)
	fr, fc := r-float64(r0), c-float64(c0)
	v00, v01 := z[r0*cols+c0], z[r0*cols+c0+1]
	v10, v11 := z[(r0+1)*cols+c0], z[(r0+1)*cols+c0+1]
	return (1-fr)*((1-fc)*v00+fc*v01) + fr*((1-fc)*v10+fc*v11)
}

// contourLines draws each level's iso-line by marching squares, coloured through the
// colour map over the levels (or colors=).
func contourLines(a *draw.Axes, g gridData, levels []float64, opts draw.ImageOptions, k *kwargs) (any, error) {
	var fixed *color.NRGBA
	if v := k.get("colors"); v != nil {
		c, err := colors.ParseColor(v)
		if err != nil {
			return nil, err
		}
		fixed = &c
	}
	width := 1.5
	if f, err := k.float("linewidths"); err != nil {
		return nil, err
	} else if f != nil {
		width = *f
	}
	cm, _ := colors.LookupColormap(opts.Cmap)
	sc, err := colors.ResolveNorm(opts.Norm, opts.Vmin, opts.Vmax, levels)
	if err != nil {
		return nil, err
	}
	set := &contourSet{cmap: cm, scale: sc}
	for _, lv := range levels {
		col := color.NRGBA{0, 0, 0, 255}
		if fixed != nil {
			col = *fixed
		} else {
			e := cm.LUT[cm.Index(sc.Norm(lv))]
			col = color.NRGBA{e[0], e[1], e[2], 255}
		}
		seg := &draw.CollectionSegments{Color: col, Width: width, Segs: marchingSquares(g, lv)}
		a.Artists = append(a.Artists, seg)
	}
	a.Touch()
	return &Artist{kind: "contour.QuadContourSet", ax: a, m: set}, nil
}

// contourSet is a line contour's colour mapping, for colorbar().
type contourSet struct {
	cmap  *colors.Colormap
	scale colors.Scaler
}

func (s *contourSet) Mapping() (*colors.Colormap, colors.Scaler) { return s.cmap, s.scale }

// marchingSquares returns the segments of the level line through each grid cell.
func marchingSquares(g gridData, level float64) [][2]plotter.XY {
	var out [][2]plotter.XY
	z := g.z
	at := func(r, c int) float64 { return z[r*g.cols+c] }
	interp := func(r0, c0, r1, c1 int) plotter.XY {
		v0, v1 := at(r0, c0), at(r1, c1)
		t := 0.5
		if v1 != v0 {
			t = (level - v0) / (v1 - v0)
		}
		return plotter.XY{X: g.xc[c0] + t*(g.xc[c1]-g.xc[c0]), Y: g.yc[r0] + t*(g.yc[r1]-g.yc[r0])}
	}
	for r := 0; r < g.rows-1; r++ {
		for c := 0; c < g.cols-1; c++ {
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
