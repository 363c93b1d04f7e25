package wcs

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"gokist/runtime/wcs/fitswcs"
	"gokist/runtime/wcs/gwcs"
	"gokist/runtime/wcs/wcsunit"
)

// AxisSource says where one dataset array axis (numpy order) comes from.
type AxisSource struct {
	InFile   int // FITS axis number in the file (1-based), 0 if the axis spans files
	Spanning int // index into the spanning-index vector (Layout.SpanShape), -1 if in-file
}

// Layout describes how a DKIST dataset's files make up its array: what the runtime's
// loader knows after reading the headers (SPEC-214 keys), and what New needs.
type Layout struct {
	Shape     []int                             // dataset array shape, numpy order, e.g. VISP (stokes, raster, wavelength, slit)
	Axes      []AxisSource                      // per array axis
	SpanShape []int                             // shape of the file grid (numpy order of the spanning axes)
	File      func(span []int) fitswcs.FileInfo // the file at that grid position; New calls it once per position
	// PixelNames per array axis (from DPNAMEn), numpy order.
	PixelNames []string
	// WorldNames, WorldUnits and WorldTypes come from DWNAMEn, DUNITn and DTYPEn, in
	// dataset FITS-axis order (DTYPE: SPATIAL, SPECTRAL, TEMPORAL, STOKES). Empty entries
	// fall back to the file's CTYPE/CUNIT.
	WorldNames, WorldUnits, WorldTypes []string
	// InFileLength1 marks the FITS axes of the file image that have length 1 and are
	// dropped from the array (their pixel is 0).
	InFileLength1 map[int]bool
}

// worldKind says how a world axis is grouped into a high-level value.
type worldKind int

const (
	kindScalar worldKind = iota
	kindCelestialLon
	kindCelestialLat
	kindSpectral
	kindTime
	kindStokes
)

// worldAxis describes one world axis of the unsliced system.
type worldAxis struct {
	name, unit, ptype string
	kind              worldKind
	partner           int     // the other celestial component, -1 otherwise
	period            float64 // wrap period in unit (celestial longitude), 0 if none
	home              int     // base array axis this world axis belongs to, -1 if none
	frame             string  // celestial frame name: "helioprojective", "icrs", ...
}

// system is an unsliced coordinate system: base array pixels → low-level world values.
type system struct {
	shape      []int // base array shape, numpy order
	pixelNames []string
	world      []worldAxis
	corr       [][]bool // [world][base array axis]
	refTime    time.Time
	obstime    time.Time
	rsunKm     float64
	// eval computes every world value (base world order) at base array pixel q.
	eval func(q, out []float64, sc *scratch) error
	pool sync.Pool // of *scratch
	// newScratch allocates the buffers that eval needs.
	newScratch func() *scratch
	describe   string // the source, for reprs: "FITS headers" or "gwcs"
}

// scratch holds the buffers one evaluation needs, so that loops do not allocate.
type scratch struct {
	q, world       []float64
	span, lo       []int
	frac           []float64
	fracAxes       []int
	filePix, fileW []float64
	gw             gwcs.Model // this scratch's own copy of the gwcs transform tree
	in             []float64  // gwcs inputs (WCS order)
	corner         []float64  // world values at the corners of a file-grid cell
}

func (s *system) getScratch() *scratch {
	if v := s.pool.Get(); v != nil {
		return v.(*scratch)
	}
	sc := s.newScratch()
	sc.q = make([]float64, len(s.shape))
	sc.world = make([]float64, len(s.world))
	return sc
}

func (s *system) putScratch(sc *scratch) { s.pool.Put(sc) }

// stokesNumbers maps Stokes symbols to the FITS STOKES axis values (FITS 4.0 Table 29).
var stokesNumbers = map[string]float64{
	"I": 1, "Q": 2, "U": 3, "V": 4,
	"RR": -1, "LL": -2, "RL": -3, "LR": -4,
	"XX": -5, "YY": -6, "XY": -7, "YX": -8,
}

// stokesSymbol gives the symbol of a FITS Stokes number, or "?" when it has none.
func stokesSymbol(v float64) string {
	for k, n := range stokesNumbers {
		if n == v {
			return k
		}
	}
	return "?"
}

// lerp interpolates (or, for f outside [0, 1], extrapolates) from lo at f = 0 to hi at
// f = 1; equal ends give that value for any f, infinite and NaN included.
func lerp(lo, hi, f float64) float64 {
	if lo == hi {
		return lo
	}
	return lo + f*(hi-lo)
}

// maxGridFiles bounds the number of files a dataset's grid may have.
const maxGridFiles = 1 << 24

// headerSource says where one world axis of a header-built dataset gets its value.
type headerSource struct {
	fileAxis int     // 0-based axis of the file WCS, or -1
	factor   float64 // CUNIT → world unit
	kind     worldKind
}

// New builds the dataset WCS from a loader's layout: in-file axes from each file's own
// FITS WCS, file-spanning axes evaluated from the file at the grid position (its header
// places it) and interpolated linearly between neighbouring files, time from DATE-AVG,
// Stokes from STOKES. World axes follow the dataset FITS-axis order; when no axis is
// TEMPORAL, a time world axis follows the last non-Stokes spanning axis (as dkist's VISP
// datasets have: lat, wavelength, lon, time, stokes).
func New(l Layout) (*WCS, error) {
	if err := checkLayout(l); err != nil {
		return nil, err
	}
	first := l.File(make([]int, len(l.SpanShape)))
	if first.WCS == nil {
		return nil, fmt.Errorf("wcs: the first file has no WCS")
	}
	fw := first.WCS
	n := len(l.Shape)
	axes, srcs, timeAxis, err := headerWorldAxes(l, fw)
	if err != nil {
		return nil, err
	}
	if err := pairCelestial(axes, fw); err != nil {
		return nil, err
	}
	timeCorr := timeCorrelated(l, srcs)
	if timeAxis < 0 && len(timeCorr) > 0 {
		axes, srcs, timeAxis = insertTimeAxis(axes, srcs, n-timeCorr[len(timeCorr)-1])
	}
	if timeAxis >= 0 && first.DateAvg.IsZero() {
		return nil, fmt.Errorf("wcs: the first file has no DATE-AVG or DATE-BEG for the time axis")
	}
	g, err := newFileGridEval(l, fw, srcs, first.DateAvg)
	if err != nil {
		return nil, err
	}
	sys := &system{
		shape:      append([]int(nil), l.Shape...),
		pixelNames: make([]string, n),
		world:      axes,
		corr:       correlations(axes, srcs, fw, n, timeCorr),
		refTime:    first.DateAvg,
		obstime:    first.DateAvg,
		rsunKm:     695700,
		describe:   "FITS headers",
		newScratch: g.newScratch,
		eval:       g.eval,
	}
	for k := range sys.pixelNames {
		sys.pixelNames[k] = listEntry(l.PixelNames, k)
		if sys.pixelNames[k] == "" {
			sys.pixelNames[k] = fmt.Sprintf("dim%d", k)
		}
	}
	return newView(sys), nil
}

// checkLayout checks that a layout describes every array axis and its file grid.
func checkLayout(l Layout) error {
	n := len(l.Shape)
	if n == 0 {
		return fmt.Errorf("wcs: dataset has no axes")
	}
	if len(l.Axes) != n {
		return fmt.Errorf("wcs: layout has %d axis sources for %d array axes", len(l.Axes), n)
	}
	if l.File == nil {
		return fmt.Errorf("wcs: layout has no File function")
	}
	for k, a := range l.Axes {
		if a.InFile == 0 && (a.Spanning < 0 || a.Spanning >= len(l.SpanShape)) {
			return fmt.Errorf("wcs: array axis %d: spanning index %d is out of range 0..%d", k, a.Spanning, len(l.SpanShape)-1)
		}
		if l.Shape[k] < 1 {
			return fmt.Errorf("wcs: array axis %d has length %d", k, l.Shape[k])
		}
	}
	return nil
}

// listEntry is list[i] trimmed, or "" past its end.
func listEntry(list []string, i int) string {
	if i < len(list) {
		return strings.TrimSpace(list[i])
	}
	return ""
}

// headerWorldAxes makes one world axis per dataset FITS axis d (1-based; array axis
// n-d), in that order, and says where each takes its values: the first file's WCS
// axis d, the file's STOKES, or its DATE-AVG (a TEMPORAL axis, whose index it returns,
// -1 without one).
func headerWorldAxes(l Layout, fw *fitswcs.FileWCS) (axes []worldAxis, srcs []headerSource, timeAxis int, err error) {
	n := len(l.Shape)
	timeAxis = -1
	for d := 1; d <= n; d++ {
		dtype := strings.ToUpper(listEntry(l.WorldTypes, d-1))
		wa := worldAxis{name: listEntry(l.WorldNames, d-1), partner: -1, home: n - d}
		unit := listEntry(l.WorldUnits, d-1)
		src := headerSource{fileAxis: -1}
		switch {
		case d <= fw.NAxis && fw.CType[d-1] != "":
			if unit, err = fileWorldAxis(fw, d, dtype, unit, &wa, &src); err != nil {
				return nil, nil, -1, err
			}
		case dtype == "STOKES":
			src.kind = kindStokes
			wa.kind, wa.ptype, unit = kindStokes, "phys.polarization.stokes", ""
			if wa.name == "" {
				wa.name = "stokes"
			}
		case dtype == "TEMPORAL":
			src.kind = kindTime
			wa.kind, wa.ptype, unit = kindTime, "time", "s"
			if wa.name == "" {
				wa.name = "time"
			}
			timeAxis = len(axes)
		default:
			return nil, nil, -1, fmt.Errorf("wcs: dataset axis %d (%s, DTYPE %q) has no world coordinate in the file header", d, listEntry(l.PixelNames, n-d), dtype)
		}
		wa.unit = unit
		axes = append(axes, wa)
		srcs = append(srcs, src)
	}
	return axes, srcs, timeAxis, nil
}

// fileWorldAxis fills in the world axis of dataset FITS axis d from the file WCS's axis
// d: its physical type, kind and name, and the factor from CUNIT to the dataset's unit
// (DUNIT, or CUNIT without one), which it returns in canonical form.
func fileWorldAxis(fw *fitswcs.FileWCS, d int, dtype, unit string, wa *worldAxis, src *headerSource) (string, error) {
	i := d - 1
	src.fileAxis = i
	wa.ptype = fw.PhysicalType(i)
	if wa.name == "" {
		wa.name = fw.CType[i]
	}
	cu := fw.CUnit[i]
	if unit == "" {
		unit = cu
	}
	unit = wcsunit.Canonical(unit)
	src.factor = 1
	if cu != unit {
		f, err := wcsunit.Factor(cu, unit)
		if err != nil {
			return "", fmt.Errorf("wcs: dataset axis %d: CUNIT%d %q vs DUNIT%d %q: %w", d, d, cu, d, unit, err)
		}
		src.factor = f
	}
	lon, lat := fw.Celestial()
	switch {
	case i == lon:
		wa.kind = kindCelestialLon
		if fw.WrapsLongitude() {
			wa.frame = "helioprojective"
		} else {
			wa.frame = "icrs"
		}
		if ud, ok := wcsunit.Lookup(unit); ok {
			wa.period = 360 / ud.Scale
		}
	case i == lat:
		wa.kind = kindCelestialLat
	case wa.ptype == "em.wl" || wa.ptype == "em.freq" || dtype == "SPECTRAL":
		wa.kind = kindSpectral
	case wa.ptype == "phys.polarization.stokes" || dtype == "STOKES":
		wa.kind = kindStokes
	default:
		wa.kind = kindScalar
	}
	src.kind = wa.kind
	return unit, nil
}

// pairCelestial makes the longitude and latitude axes each other's partners (sharing
// the longitude's frame); a dataset with only one of them is an error.
func pairCelestial(axes []worldAxis, fw *fitswcs.FileWCS) error {
	lonW, latW := -1, -1
	for i, a := range axes {
		switch a.kind {
		case kindCelestialLon:
			lonW = i
		case kindCelestialLat:
			latW = i
		}
	}
	if (lonW >= 0) != (latW >= 0) {
		lon, lat := fw.Celestial()
		return fmt.Errorf("wcs: the dataset has only one axis of the file's celestial pair (CTYPE %q)", fw.CType[max(lon, lat)])
	}
	if lonW >= 0 {
		axes[lonW].partner, axes[latW].partner = latW, lonW
		axes[latW].frame = axes[lonW].frame
	}
	return nil
}

// timeCorrelated lists the array axes a time from DATE-AVG varies along: the
// file-spanning axes other than Stokes and a TEMPORAL one, in dataset FITS-axis order.
func timeCorrelated(l Layout, srcs []headerSource) []int {
	n := len(l.Shape)
	var out []int
	for d := 1; d <= n; d++ {
		if l.Axes[n-d].InFile == 0 && srcs[d-1].kind != kindStokes && srcs[d-1].kind != kindTime {
			out = append(out, n-d)
		}
	}
	return out
}

// insertTimeAxis adds a time world axis from DATE-AVG at world position pos (after the
// last non-Stokes spanning axis), shifting the partners behind it.
func insertTimeAxis(axes []worldAxis, srcs []headerSource, pos int) ([]worldAxis, []headerSource, int) {
	wa := worldAxis{name: "time", unit: "s", ptype: "time", kind: kindTime, partner: -1, home: -1}
	axes = append(axes[:pos], append([]worldAxis{wa}, axes[pos:]...)...)
	srcs = append(srcs[:pos], append([]headerSource{{fileAxis: -1, kind: kindTime}}, srcs[pos:]...)...)
	for i := range axes {
		if axes[i].partner >= pos {
			axes[i].partner++
		}
	}
	return axes, srcs, pos
}

// correlations is the world × array axis correlation matrix: a file world axis with the
// array axes of the file axes its PC row touches (a celestial pair shares both rows);
// time from DATE-AVG with timeCorr; Stokes and TEMPORAL axes with their own axis.
func correlations(axes []worldAxis, srcs []headerSource, fw *fitswcs.FileWCS, n int, timeCorr []int) [][]bool {
	corr := make([][]bool, len(axes))
	for w := range axes {
		corr[w] = make([]bool, n)
		src := srcs[w]
		switch {
		case src.fileAxis >= 0:
			rows := []int{src.fileAxis}
			if axes[w].partner >= 0 {
				lon, lat := fw.Celestial()
				rows = []int{lon, lat}
			}
			for _, i := range rows {
				for j := 0; j < fw.NAxis; j++ {
					if fw.PC[i][j] != 0 && j+1 <= n {
						corr[w][n-(j+1)] = true
					}
				}
			}
		case src.kind == kindTime && axes[w].home < 0:
			for _, k := range timeCorr {
				corr[w][k] = true
			}
		default:
			corr[w][axes[w].home] = true
		}
	}
	return corr
}

// fileGridEval evaluates the world coordinates of a dataset over a grid of files: the
// file axes from each file's own WCS, the spanning axes interpolated between the files
// at neighbouring grid positions.
type fileGridEval struct {
	files       []fitswcs.FileInfo // every grid position's file, row-major over spanShape
	spanShape   []int
	spanAxis    []int // the array axis of each spanning index
	filePixFrom []int // the array axis feeding each file pixel axis, -1: pixel 0
	srcs        []headerSource
	nf          int       // the file WCS's axes
	ref         time.Time // time zero of a time axis
}

// newFileGridEval takes every file's info once (so that evaluation is an index into a
// slice whatever the loader's File function costs) and maps array axes to file pixel
// axes and grid indices.
func newFileGridEval(l Layout, fw *fitswcs.FileWCS, srcs []headerSource, ref time.Time) (*fileGridEval, error) {
	g := &fileGridEval{spanShape: append([]int(nil), l.SpanShape...), srcs: srcs, nf: fw.NAxis, ref: ref}
	g.filePixFrom = make([]int, fw.NAxis)
	for j := range g.filePixFrom {
		g.filePixFrom[j] = -1
	}
	g.spanAxis = make([]int, len(l.SpanShape))
	for k, a := range l.Axes {
		switch {
		case a.InFile > fw.NAxis:
			return nil, fmt.Errorf("wcs: array axis %d is file axis %d but the file WCS has %d axes", k, a.InFile, fw.NAxis)
		case a.InFile > 0:
			g.filePixFrom[a.InFile-1] = k
		case a.InFile == 0:
			g.spanAxis[a.Spanning] = k
		}
	}
	total := 1
	for _, n := range g.spanShape {
		if n < 1 || total > maxGridFiles/n {
			return nil, fmt.Errorf("wcs: file grid %v is empty or too large", g.spanShape)
		}
		total *= n
	}
	g.files = make([]fitswcs.FileInfo, total)
	pos := make([]int, len(g.spanShape))
	for i := range g.files {
		rem := i
		for s := len(g.spanShape) - 1; s >= 0; s-- {
			pos[s] = rem % g.spanShape[s]
			rem /= g.spanShape[s]
		}
		g.files[i] = l.File(pos)
	}
	return g, nil
}

func (g *fileGridEval) newScratch() *scratch {
	ns := len(g.spanShape)
	return &scratch{
		span: make([]int, ns), lo: make([]int, ns),
		frac: make([]float64, ns), fracAxes: make([]int, 0, ns),
		filePix: make([]float64, g.nf), fileW: make([]float64, g.nf),
	}
}

// eval gives the world values out at the array pixel q.
func (g *fileGridEval) eval(q, out []float64, sc *scratch) error {
	g.locate(q, sc)
	// The world values at the 2^k corners of the cell, then multilinear interpolation as
	// nested lerps lo + f·(hi − lo): exact where neighbouring files agree (wavelength
	// across Stokes files stays put at any pixel), and without the cancellation of
	// summing weighted corners when the pixel is far outside the grid.
	corners := 1 << len(sc.fracAxes)
	nOut := len(out)
	if cap(sc.corner) < corners*nOut {
		sc.corner = make([]float64, corners*nOut)
	}
	vals := sc.corner[:corners*nOut]
	for c := 0; c < corners; c++ {
		if err := g.corner(c, sc, vals[c*nOut:(c+1)*nOut]); err != nil {
			return err
		}
	}
	// Corner bit b is fracAxes[b]: fold bit 0 first, so that pair (2c, 2c+1) lands in c.
	for b, m := 0, corners; m > 1; b, m = b+1, m/2 {
		f := sc.frac[sc.fracAxes[b]]
		for c := 0; c < m/2; c++ {
			lo, hi, dst := vals[2*c*nOut:], vals[(2*c+1)*nOut:], vals[c*nOut:]
			for w := 0; w < nOut; w++ {
				dst[w] = lerp(lo[w], hi[w], f)
			}
		}
	}
	copy(out, vals[:nOut])
	return nil
}

// locate finds the grid cell of the array pixel q: per spanning index its lower grid
// position and the fraction towards the next (the axes with a fraction in fracAxes),
// and the file pixel the in-file axes give.
func (g *fileGridEval) locate(q []float64, sc *scratch) {
	sc.fracAxes = sc.fracAxes[:0]
	for s, k := range g.spanAxis {
		size := g.spanShape[s]
		v := q[k]
		if size == 1 {
			sc.lo[s], sc.frac[s] = 0, 0
			continue
		}
		if math.IsNaN(v) {
			// Values that change between files become NaN, constant ones stay.
			sc.lo[s], sc.frac[s] = 0, v
			sc.fracAxes = append(sc.fracAxes, s)
			continue
		}
		lo := math.Floor(v)
		lo = math.Max(0, math.Min(float64(size-2), lo))
		sc.lo[s], sc.frac[s] = int(lo), v-lo
		if sc.frac[s] == 1 {
			sc.lo[s], sc.frac[s] = sc.lo[s]+1, 0
		}
		if sc.frac[s] != 0 {
			sc.fracAxes = append(sc.fracAxes, s)
		}
	}
	for j, k := range g.filePixFrom {
		if k >= 0 {
			sc.filePix[j] = q[k]
		} else {
			sc.filePix[j] = 0
		}
	}
}

// corner writes the world values at corner c of the cell (bit b of c: the upper grid
// position along fracAxes[b]) from that corner's file.
func (g *fileGridEval) corner(c int, sc *scratch, dst []float64) error {
	copy(sc.span, sc.lo)
	for b, s := range sc.fracAxes {
		if c&(1<<b) != 0 {
			sc.span[s]++
		}
	}
	flat := 0
	for s, v := range sc.span {
		flat = flat*g.spanShape[s] + v
	}
	fi := &g.files[flat]
	if fi.WCS == nil || fi.WCS.NAxis != g.nf {
		return fmt.Errorf("wcs: the file at grid position %v has no WCS with %d axes", sc.span, g.nf)
	}
	if err := fi.WCS.PixelToWorldInto(sc.filePix, sc.fileW); err != nil {
		return err
	}
	for w, src := range g.srcs {
		switch {
		case src.fileAxis >= 0:
			dst[w] = sc.fileW[src.fileAxis] * src.factor
		case src.kind == kindTime:
			if fi.DateAvg.IsZero() {
				return fmt.Errorf("wcs: the file at grid position %v has no DATE-AVG or DATE-BEG", sc.span)
			}
			dst[w] = secondsAfter(g.ref, fi.DateAvg)
		case src.kind == kindStokes:
			num, ok := stokesNumbers[fi.Stokes]
			if !ok {
				return fmt.Errorf("wcs: the file at grid position %v has STOKES = %q, not one of I Q U V", sc.span, fi.Stokes)
			}
			dst[w] = num
		default:
			dst[w] = 0
		}
	}
	return nil
}
