package draw

import (
	"image/color"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"gokist/obj"
	"gokist/runtime/plot/axis"
	"gokist/runtime/plot/colors"
)

// QuadMesh is pcolormesh on a grid that an image cannot show: uneven cell edges or a
// curvilinear grid (2-D X and Y). Cell (i, j) is the quadrilateral with corners (i, j),
// (i, j+1), (i+1, j+1), (i+1, j) of the vertex grid X, Y ((Rows+1)×(Cols+1), row-major),
// filled with the colour of its value, as matplotlib's QuadMesh.
type QuadMesh struct {
	X, Y       []float64
	Z          []float64 // Rows×Cols, row-major; NaN cells are not drawn
	Rows, Cols int
	cmap       *colors.Colormap
	scale      colors.Scaler
	alpha      float64
}

// NewQuadMesh maps z through the image options' colour map and norm (vmin, vmax).
func NewQuadMesh(x, y, z []float64, rows, cols int, opts ImageOptions, alpha float64) (*QuadMesh, error) {
	if err := CheckImageOptions(opts); err != nil {
		return nil, err
	}
	n := (rows + 1) * (cols + 1)
	if len(x) != n || len(y) != n || len(z) != rows*cols {
		return nil, obj.Errorf(obj.ValueError, "pcolormesh(): a %d×%d mesh needs %d vertices, got X %d and Y %d", rows, cols, n, len(x), len(y))
	}
	if _, _, ok := colors.FiniteRange(z); !ok {
		return nil, obj.Errorf(obj.ValueError, "nothing to plot: all %d values of the mesh are NaN or infinite", len(z))
	}
	cm, _ := colors.LookupColormap(opts.Cmap)
	sc, err := colors.ResolveNorm(opts.Norm, opts.Vmin, opts.Vmax, z)
	if err != nil {
		return nil, err
	}
	return &QuadMesh{X: x, Y: y, Z: z, Rows: rows, Cols: cols, cmap: cm, scale: sc, alpha: alpha}, nil
}

// Mapping implements Mappable: a colour bar of the mesh.
func (m *QuadMesh) Mapping() (*colors.Colormap, colors.Scaler) { return m.cmap, m.scale }

// corners are cell (i, j)'s four vertices.
func (m *QuadMesh) corners(i, j int) [4]plotter.XY {
	w := m.Cols + 1
	at := func(r, c int) plotter.XY { return plotter.XY{X: m.X[r*w+c], Y: m.Y[r*w+c]} }
	return [4]plotter.XY{at(i, j), at(i, j+1), at(i+1, j+1), at(i+1, j)}
}

// extend autoscales to the vertices, sticky at their extremes (matplotlib's QuadMesh
// has sticky edges at its data limits, so the axes end where the mesh does).
func (m *QuadMesh) extend(xs, ys *axis.Span, sx, sy axis.Scale) {
	lox, hix, loy, hiy := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for k := range m.X {
		x, y := m.X[k], m.Y[k]
		if IsFinite(sx.Fwd(x)) && IsFinite(sy.Fwd(y)) {
			xs.Add(x)
			ys.Add(y)
			lox, hix, loy, hiy = math.Min(lox, x), math.Max(hix, x), math.Min(loy, y), math.Max(hiy, y)
		}
	}
	if lox <= hix {
		xs.Sticky = append(xs.Sticky, lox, hix)
		ys.Sticky = append(ys.Sticky, loy, hiy)
	}
}

func (m *QuadMesh) draw(c draw.Canvas, p *gplot.Plot, cs axis.Coords) {
	trX, trY := p.Transforms(&c)
	for i := 0; i < m.Rows; i++ {
		for j := 0; j < m.Cols; j++ {
			t := m.scale.Norm(m.Z[i*m.Cols+j])
			if math.IsNaN(t) {
				continue
			}
			e := m.cmap.LUT[m.cmap.Index(t)]
			col := color.NRGBA{e[0], e[1], e[2], uint8(math.Round(255 * m.alpha))}
			var path vg.Path
			ok := true
			for k, q := range m.corners(i, j) {
				r := cs.XY(q.X, q.Y)
				if !IsFinite(r.X) || !IsFinite(r.Y) {
					ok = false
					break
				}
				pt := vg.Point{X: trX(r.X), Y: trY(r.Y)}
				if k == 0 {
					path.Move(pt)
				} else {
					path.Line(pt)
				}
			}
			if !ok {
				continue
			}
			path.Close()
			c.SetColor(col)
			c.Fill(path)
			// A hairline of the same colour closes the seams antialiasing leaves
			// between neighbouring cells, as Agg's snapping does for matplotlib.
			c.SetLineStyle(draw.LineStyle{Color: col, Width: vg.Points(0.25)})
			c.Stroke(path)
		}
	}
}

func (m *QuadMesh) legend() (legendEntry, bool) { return legendEntry{}, false }

func (m *QuadMesh) points(cs axis.Coords) []plotter.XY {
	out := make([]plotter.XY, 0, len(m.X))
	for k := range m.X {
		out = append(out, cs.XY(m.X[k], m.Y[k]))
	}
	return out
}

func (m *QuadMesh) texts() []string { return nil }
