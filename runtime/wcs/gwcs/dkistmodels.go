package gwcs

import (
	"fmt"
	"math"
	"sort"

	"gokist/runtime/wcs/asdf"
	"gokist/runtime/wcs/internal/wcsmath"
	"gopkg.in/yaml.v3"
)

// coupledModel is dkist's CoupledCompoundModel: left takes the first left.NIn() inputs,
// right the last right.NIn(), overlapping by shared; outputs are left's then right's.
type coupledModel struct {
	left, right Model
	shared      int
}

func (m *coupledModel) NIn() int  { return m.left.NIn() + m.right.NIn() - m.shared }
func (m *coupledModel) NOut() int { return m.left.NOut() + m.right.NOut() }
func (m *coupledModel) Eval(in, out []float64) {
	nl := m.left.NIn()
	m.left.Eval(in[:nl], out[:m.left.NOut()])
	m.right.Eval(in[nl-m.shared:nl-m.shared+m.right.NIn()], out[m.left.NOut():])
}

// varyingCelestialModel is dkist's VaryingCelestialTransform: a FITS-like celestial
// transform (shift by −crpix, scale by cdelt, PC matrix, TAN, rotation to CRVAL with
// lon_pole) whose PC matrix and CRVAL come from tables indexed by round(z); NaN outside
// the tables.
type varyingCelestialModel struct {
	crpix, cdelt [2]float64 // pixels; degrees per pixel
	pc           []float64  // table of 2×2 matrices
	crval        []float64  // table of (lon, lat) in degrees
	lonPole      float64
	rot          []rotateModel // one per table entry, precomputed
	buf          [2]float64
}

func (m *varyingCelestialModel) NIn() int  { return 3 }
func (m *varyingCelestialModel) NOut() int { return 2 }
func (m *varyingCelestialModel) Eval(in, out []float64) {
	k := math.RoundToEven(in[2]) // numpy's round
	if !(k >= 0 && k < float64(len(m.rot))) {
		out[0], out[1] = math.NaN(), math.NaN()
		return
	}
	i := int(k)
	x := (in[0] - m.crpix[0]) * m.cdelt[0]
	y := (in[1] - m.crpix[1]) * m.cdelt[1]
	pc := m.pc[4*i : 4*i+4]
	m.buf[0], m.buf[1] = pc[0]*x+pc[1]*y, pc[2]*x+pc[3]*y
	var native [2]float64
	gnomonicModel{}.Eval(m.buf[:], native[:])
	m.rot[i].Eval(native[:], out)
}

func (b *transformBuilder) varyingCelestial(n *yaml.Node) (Model, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("varying_celestial_transform (line %d): %s", n.Line, fmt.Sprintf(format, args...))
	}
	if p := asdf.MapGet(n, "projection"); p == nil || asdf.TagName(p) != "transform/gnomonic" {
		return nil, fail("only the gnomonic (TAN) projection is supported")
	}
	m := &varyingCelestialModel{lonPole: 180}
	for key, dst := range map[string]*[2]float64{"crpix": &m.crpix, "cdelt": &m.cdelt} {
		v, _, hu, err := b.f.Quantity(asdf.MapGet(n, key))
		if err != nil || len(v) != 2 {
			return nil, fail("%s must be two numbers (%v)", key, err)
		}
		b.hasUnits = b.hasUnits || hu
		dst[0], dst[1] = v[0], v[1]
	}
	if asdf.MapGet(n, "lon_pole") != nil {
		v, err := b.scalarParam(n, "lon_pole")
		if err != nil {
			return nil, err
		}
		m.lonPole = v
	}
	crval, cshape, _, err := b.f.Quantity(asdf.MapGet(n, "crval_table"))
	if err != nil {
		return nil, fail("crval_table: %v", err)
	}
	// The PC table's numbers multiply the intermediate coordinates as they are.
	pc, pshape, err := b.f.Numbers(valueNode(asdf.MapGet(n, "pc_table")))
	if err != nil {
		return nil, fail("pc_table: %v", err)
	}
	if len(cshape) == 1 && len(crval) == 2 {
		cshape = []int{1, 2}
	}
	if len(pshape) == 2 && len(pc) == 4 {
		pshape = []int{1, 2, 2}
	}
	if len(cshape) != 2 || cshape[1] != 2 || len(pshape) != 3 || pshape[1] != 2 || pshape[2] != 2 {
		return nil, fail("tables of shape %v (crval) and %v (pc) are not 1-D tables of pairs and 2×2 matrices", cshape, pshape)
	}
	nt := max(cshape[0], pshape[0])
	if (cshape[0] != nt && cshape[0] != 1) || (pshape[0] != nt && pshape[0] != 1) {
		return nil, fail("crval table of %d and pc table of %d entries", cshape[0], pshape[0])
	}
	m.crval = make([]float64, 2*nt)
	m.pc = make([]float64, 4*nt)
	m.rot = make([]rotateModel, nt)
	for i := 0; i < nt; i++ {
		ci, pi := min(i, cshape[0]-1), min(i, pshape[0]-1)
		copy(m.crval[2*i:], crval[2*ci:2*ci+2])
		copy(m.pc[4*i:], pc[4*pi:4*pi+4])
		r := rotateModel{alphaP: m.crval[2*i], phiP: m.lonPole}
		r.sinDP, r.cosDP = wcsmath.SinCosD(m.crval[2*i+1])
		m.rot[i] = r
	}
	return m, nil
}

// valueNode gives a quantity's value node, or the node itself when it is not a quantity.
func valueNode(n *yaml.Node) *yaml.Node {
	if v := asdf.MapGet(n, "value"); v != nil && asdf.MapGet(n, "unit") != nil {
		return v
	}
	return n
}

// tabularModel is a 1-D astropy Tabular1D: linear or nearest interpolation in a lookup
// table over sorted points; fill (NaN by default) outside them.
type tabularModel struct {
	points, values []float64
	nearest        bool
	fill           float64
}

func (m *tabularModel) NIn() int  { return 1 }
func (m *tabularModel) NOut() int { return 1 }
func (m *tabularModel) Eval(in, out []float64) {
	x := in[0]
	p := m.points
	n := len(p)
	if !(x >= p[0] && x <= p[n-1]) {
		out[0] = m.fill
		return
	}
	i := sort.SearchFloat64s(p, x) // first point ≥ x
	if i < n && p[i] == x {
		out[0] = m.values[i]
		return
	}
	lo, hi := i-1, i
	if m.nearest {
		// scipy's nearest rounds halfway cases down.
		if x-p[lo] <= p[hi]-x {
			out[0] = m.values[lo]
		} else {
			out[0] = m.values[hi]
		}
		return
	}
	t := (x - p[lo]) / (p[hi] - p[lo])
	out[0] = m.values[lo] + t*(m.values[hi]-m.values[lo])
}

func (b *transformBuilder) tabular(n *yaml.Node) (Model, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("tabular (line %d): %s", n.Line, fmt.Sprintf(format, args...))
	}
	pts := asdf.MapGet(n, "points")
	if pts == nil || pts.Kind != yaml.SequenceNode || len(pts.Content) != 1 {
		return nil, fail("only 1-D lookup tables are supported")
	}
	points, _, _, err := b.f.Quantity(pts.Content[0])
	if err != nil {
		return nil, fail("points: %v", err)
	}
	values, shape, hu, err := b.f.Quantity(asdf.MapGet(n, "lookup_table"))
	if err != nil {
		return nil, fail("lookup_table: %v", err)
	}
	b.hasUnits = b.hasUnits || hu
	if len(shape) > 1 || len(values) != len(points) || len(points) < 1 {
		return nil, fail("lookup table of shape %v for %d points", shape, len(points))
	}
	for i := 1; i < len(points); i++ {
		if !(points[i] > points[i-1]) {
			return nil, fail("points are not strictly increasing")
		}
	}
	m := &tabularModel{points: points, values: values, fill: math.NaN()}
	if v := asdf.MapGet(n, "method"); v != nil {
		switch v.Value {
		case "linear":
		case "nearest":
			m.nearest = true
		default:
			return nil, fail("method %q is not supported", v.Value)
		}
	}
	if v := asdf.MapGet(n, "fill_value"); v != nil {
		var f float64
		if err := v.Decode(&f); err == nil {
			m.fill = f
		}
	}
	return m, nil
}
