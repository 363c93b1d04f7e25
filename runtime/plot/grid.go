package plot

import (
	"image/color"
	"math"

	"gokist/obj"
	"gokist/runtime/plot/colors"
	"gokist/runtime/plot/draw"
	"gokist/runtime/plot/mesh"
)

// pcolormesh, contour and contourf: 2-D data on a grid given by X and Y (1-D cell edges
// or centres; 2-D grids must be rectilinear) or by the indices.

// gridArgsOf reads ([X, Y,] Z): X and Y of cols and rows values (centres), or of cols+1
// and rows+1 (edges, for pcolormesh), 1-D or rectilinear 2-D.
func gridArgsOf(env *obj.Env, fn string, pos []any, edgesOK bool) (mesh.Grid, []float64, []float64, error) {
	var g mesh.Grid
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
	g.Z, g.Rows, g.Cols = z, shape[0], shape[1]
	if xArg == nil {
		g.XC, g.YC = mesh.IndexCentres(g.Cols), mesh.IndexCentres(g.Rows)
		return g, nil, nil, nil
	}
	xs, err := gridAxis(env, fn, "X", xArg, g.Cols, g.Rows, true)
	if err != nil {
		return g, nil, nil, err
	}
	ys, err := gridAxis(env, fn, "Y", yArg, g.Rows, g.Cols, false)
	if err != nil {
		return g, nil, nil, err
	}
	var xe, ye []float64
	switch {
	case len(xs) == g.Cols && len(ys) == g.Rows:
		g.XC, g.YC = xs, ys
	case edgesOK && len(xs) == g.Cols+1 && len(ys) == g.Rows+1:
		xe, ye = xs, ys
		g.XC, g.YC = mesh.CentresOf(xs), mesh.CentresOf(ys)
	default:
		return g, nil, nil, obj.Errorf(obj.TypeError, "Dimensions of C (%d, %d) are incompatible with X (%d) and/or Y (%d); see help(%s)", g.Rows, g.Cols, len(xs), len(ys), fn)
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
		nx, ny := len(g.XC), len(g.YC)
		if xe != nil {
			nx, ny = len(xe), len(ye)
		}
		return nil, obj.Errorf(obj.TypeError, "Dimensions of C (%d, %d) are incompatible with X (%d) and/or Y (%d); see help(%s)", g.Rows, g.Cols, nx, ny, fn)
	}
	if xe == nil {
		if len(args.Pos) == 1 {
			xe, ye = mesh.EdgeIndices(g.Cols), mesh.EdgeIndices(g.Rows)
		} else {
			xe, ye = mesh.EdgesOf(g.XC), mesh.EdgesOf(g.YC)
		}
	}
	if mesh.Uniform(xe) && mesh.Uniform(ye) && alpha == 1 {
		opts.Extent = &[4]float64{xe[0], xe[len(xe)-1], ye[0], ye[len(ye)-1]}
		im, err := draw.PrepareImage(g.Z, g.Rows, g.Cols, opts)
		if err != nil {
			return nil, err
		}
		a.AddImage(im, opts)
		return &Artist{kind: "collections.QuadMesh", ax: a, m: im}, nil
	}
	// Uneven edges: each cell is its own rectangle.
	x, y := mesh.Meshgrid(xe, ye)
	return addMesh(a, x, y, g.Z, g.Rows, g.Cols, opts, alpha)
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
	if len(xs) != 2 || len(ys) != 2 || (mesh.Rectilinear(x, xs, true) && mesh.Rectilinear(y, ys, false)) {
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
		x, y = mesh.InterpGrid(x, rows, cols), mesh.InterpGrid(y, rows, cols)
	default:
		return nil, nil, nil, 0, 0, false, obj.Errorf(obj.TypeError, "Dimensions of C (%d, %d) are incompatible with X (%d) and/or Y (%d); see help(%s)", rows, cols, xs[1], ys[0], fn)
	}
	return x, y, z, rows, cols, true, nil
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
	return mesh.AutoLevels(lo, hi, n, filled)
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
		if g.Rows < 2 || g.Cols < 2 {
			return nil, obj.Errorf(obj.TypeError, "Input z must be at least a (2, 2) shaped array, but has shape (%d, %d)", g.Rows, g.Cols)
		}
		lo, hi, ok := colors.FiniteRange(g.Z)
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
func contourFilled(a *draw.Axes, g mesh.Grid, levels []float64, opts draw.ImageOptions) (any, error) {
	const res = 400
	outC, outR := max(g.Cols, min(res, g.Cols*8)), max(g.Rows, min(res, g.Rows*8))
	band := make([]float64, outR*outC)
	// The image spans the grid's centres: bands exist between the data points only.
	x0, x1, y0, y1 := g.XC[0], g.XC[g.Cols-1], g.YC[0], g.YC[g.Rows-1]
	for r := range outR {
		fy := (float64(r) + 0.5) / float64(outR) * float64(g.Rows-1)
		for c := range outC {
			fx := (float64(c) + 0.5) / float64(outC) * float64(g.Cols-1)
			v := mesh.Bilinear(g.Z, g.Cols, fy, fx)
			band[r*outC+c] = mesh.BandValue(v, levels)
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

// contourLines draws each level's iso-line by marching squares, coloured through the
// colour map over the levels (or colors=).
func contourLines(a *draw.Axes, g mesh.Grid, levels []float64, opts draw.ImageOptions, k *kwargs) (any, error) {
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
		seg := &draw.CollectionSegments{Color: col, Width: width, Segs: mesh.MarchingSquares(g, lv)}
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
