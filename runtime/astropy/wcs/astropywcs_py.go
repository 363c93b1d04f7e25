package wcs

// The Python face of astropy.wcs: the module, WCS's members (APE 14's low- and
// high-level API, wcs.wcs's arrays), its repr and the high-level world objects.

import (
	"fmt"
	aunits "gokist/runtime/astropy/units"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"math"
	"strings"

	"gokist/obj"
	"gokist/pyfmt"
	"gokist/runtime/units"
	"gokist/runtime/wcs"
)

func init() {
	obj.RegisterModule("astropy.wcs", func(obj.ModuleScope) (any, error) {
		return obj.NewModule("astropy.wcs", "World coordinate systems (astropy.wcs): WCS(header) from a FITS header, a dict or header text.", map[string]any{
			"WCS": wcsClass{},
		}), nil
	})
}

// wcsClass is astropy.wcs.WCS, the class: calling it builds a WCS from a header.
type wcsClass struct{}

var wcsClassType = &obj.Type{Name: "type", Doc: "WCS(header): the world coordinate system of a FITS header (a fits.Header, a dict of keywords or header text), as astropy.wcs.WCS: pixel_to_world, world_to_pixel, the *_values forms, world_axis_units, wcs.wcs.crval, slicing, sub, celestial, spectral."}

func (wcsClass) Type() *obj.Type { return wcsClassType }

func (wcsClass) MimeBundle() map[string]any {
	return map[string]any{"text/plain": "<class 'astropy.wcs.wcs.WCS'>"}
}

// Call is WCS(header).
func (wcsClass) Call(_ *obj.Env, a obj.Args) (any, error) {
	vals, err := a.Bind("WCS", []obj.Param{{Name: "header", Default: "None"}})
	if err != nil {
		return nil, err
	}
	h, err := wcsHeaderArg(vals[0])
	if err != nil {
		return nil, err
	}
	return NewHeaderWCS(h)
}

// Type is WCS's member table.
func (w *HeaderWCS) Type() *obj.Type { return headerWCSType }

// MimeBundle is astropy's repr.
func (w *HeaderWCS) MimeBundle() map[string]any { return map[string]any{"text/plain": w.String()} }

// hasCD reports whether the header gives a CD matrix (wcs.wcs.cd, not pc).
func (w *HeaderWCS) hasCD() bool {
	_, ok := headerNumber(w.hdr, "CD1_1")
	return ok
}

// String is astropy's WCS.__repr__: "WCS Keywords", the axis count, then CTYPE, CRVAL,
// CRPIX, the PC (or CD) rows, CDELT and NAXIS, values as numpy's repr.
func (w *HeaderWCS) String() string {
	n := w.fw.NAxis
	row := func(vals []string) string {
		var b strings.Builder
		b.WriteString(" : ")
		for _, v := range vals {
			b.WriteString(v + "  ")
		}
		return b.String()
	}
	floats := func(xs []float64) []string {
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i] = pyfmt.Float(x)
		}
		return out
	}
	ctypes := make([]string, n)
	for i, c := range w.fw.CType {
		ctypes[i] = pyfmt.Quote(c)
	}
	lines := []string{"WCS Keywords\n", fmt.Sprintf("Number of WCS axes: %d", n),
		"CTYPE" + row(ctypes), "CRVAL" + row(floats(w.fw.CRVal)), "CRPIX" + row(floats(w.fw.CRPix))}
	name := "PC"
	if w.hasCD() {
		name = "CD"
	}
	for i := range n {
		var s strings.Builder
		for j := range n {
			fmt.Fprintf(&s, "%s%d_%d ", name, i+1, j+1)
		}
		lines = append(lines, s.String()+row(floats(w.fw.PC[i])))
	}
	if name == "PC" {
		lines = append(lines, "CDELT"+row(floats(w.fw.CDelt)))
	}
	shape := w.shape
	if shape == nil {
		shape = make([]int, n)
	}
	parts := make([]string, len(shape))
	for i, s := range shape {
		parts[i] = fmt.Sprint(s)
	}
	lines = append(lines, "NAXIS : "+strings.Join(parts, "  "))
	return strings.Join(lines, "\n")
}

// correlation is astropy's axis_correlation_matrix: world i depends on pixel j where
// the linear matrix is non-zero, and the two celestial axes share their pixels.
func (w *HeaderWCS) correlation() [][]bool {
	n := w.fw.NAxis
	m := make([][]bool, n)
	for i := range n {
		m[i] = make([]bool, n)
		for j := range n {
			m[i][j] = w.fw.PC[i][j] != 0
		}
	}
	if lon, lat := w.fw.Celestial(); lon >= 0 {
		for j := range n {
			m[lon][j] = m[lon][j] || m[lat][j]
			m[lat][j] = m[lon][j]
		}
	}
	return m
}

func boolMatrix(m [][]bool) *numpy.NDArray {
	var data []float64
	for _, r := range m {
		for _, v := range r {
			data = append(data, lazy.B2f(v))
		}
	}
	return (*numpy.NDArray)(lazy.NewArray(data, []int{len(m), len(m)}, lazy.Bool))
}

func wcsStrings(s []string) obj.List {
	out := make(obj.List, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// physicalTypes are astropy's world_axis_physical_types.
func (w *HeaderWCS) physicalTypes() []string {
	out := make([]string, w.fw.NAxis)
	for i := range out {
		out[i] = w.fw.PhysicalType(i)
	}
	return out
}

// valuesMethod makes pixel_to_world_values and its kin: inputs read, reversed for array
// indices, evaluated, and (for the *_array_index form) rounded.
func valuesMethod(name, doc string, reverse bool, dt lazy.DType, eval func(w *HeaderWCS, in [][]float64) [][]float64) *obj.Member {
	return &obj.Member{Name: name, Signature: name + "(*args)", Doc: doc,
		Call: func(_ *obj.Env, r any, a obj.Args) (any, error) {
			w := r.(*HeaderWCS)
			if len(a.Kw) > 0 {
				for k := range a.Kw {
					return nil, obj.Errorf(obj.TypeError, "%s() got an unexpected keyword argument '%s'", name, k)
				}
			}
			in, shape, _, err := wcsInputs(name, w.fw.NAxis, a.Pos)
			if err != nil {
				return nil, err
			}
			if reverse {
				slicesReverse(in)
			}
			return wcsOutputs(eval(w, in), shape, dt), nil
		}}
}

func slicesReverse(in [][]float64) {
	for i, j := 0, len(in)-1; i < j; i, j = i+1, j-1 {
		in[i], in[j] = in[j], in[i]
	}
}

var headerWCSType = &obj.Type{Name: "WCS", Doc: "astropy.wcs.WCS of one FITS header. Pixel arguments are 0-based and in FITS axis order (the reverse of numpy's)."}

func init() {
	headerWCSType.Members = []*obj.Member{
		valuesMethod("pixel_to_world_values", "World values (celestial axes in degrees, spectral ones in SI) at 0-based pixels given in FITS axis order.", false, lazy.Float64,
			(*HeaderWCS).pixelToWorld),
		valuesMethod("array_index_to_world_values", "pixel_to_world_values with the pixels in numpy's order.", true, lazy.Float64,
			(*HeaderWCS).pixelToWorld),
		valuesMethod("world_to_pixel_values", "0-based pixels (FITS axis order) of world values in the axes' units.", false, lazy.Float64,
			(*HeaderWCS).worldToPixel),
		valuesMethod("world_to_array_index_values", "The array index (numpy order, nearest pixel) of world values.", false, lazy.Int64,
			func(w *HeaderWCS, in [][]float64) [][]float64 {
				out := w.worldToPixel(in)
				for _, v := range out {
					for k, x := range v {
						v[k] = math.Floor(x + 0.5)
						if math.IsNaN(x) {
							v[k] = math.MinInt64 // numpy's int of nan
						}
					}
				}
				slicesReverse(out)
				return out
			}),
		{Name: "pixel_to_world", Signature: "pixel_to_world(*pixel)", Doc: "High-level world objects at 0-based pixels (FITS order): a SkyCoord for a helioprojective pair (when astropy.coordinates is linked in), a SpectralCoord, Quantities for the other axes.",
			Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
				return r.(*HeaderWCS).highLevel(env, "pixel_to_world", a, false)
			}},
		{Name: "array_index_to_world", Signature: "array_index_to_world(*index)", Doc: "pixel_to_world with the index in numpy's order.",
			Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
				return r.(*HeaderWCS).highLevel(env, "array_index_to_world", a, true)
			}},
		{Name: "world_to_pixel", Signature: "world_to_pixel(*world)", Doc: "0-based pixels (FITS order) of world objects: Quantities or SpectralCoords (or numbers in the axes' units), one per world axis.",
			Call: func(env *obj.Env, r any, a obj.Args) (any, error) { return r.(*HeaderWCS).worldToPixelHigh(env, a) }},
		obj.Attr("naxis", "The number of WCS axes.", func(_ *obj.Env, r any) (any, error) { return r.(*HeaderWCS).fw.NAxis, nil }),
		obj.Attr("pixel_n_dim", "The number of pixel axes.", func(_ *obj.Env, r any) (any, error) { return r.(*HeaderWCS).fw.NAxis, nil }),
		obj.Attr("world_n_dim", "The number of world axes.", func(_ *obj.Env, r any) (any, error) { return r.(*HeaderWCS).fw.NAxis, nil }),
		obj.Attr("pixel_shape", "NAXISi in FITS order, or None when the header has none.", func(_ *obj.Env, r any) (any, error) {
			if s := r.(*HeaderWCS).shape; s != nil {
				return obj.ShapeTuple(s), nil
			}
			return nil, nil
		}),

		obj.Attr("array_shape", "pixel_shape in numpy's order.", func(_ *obj.Env, r any) (any, error) {
			s := r.(*HeaderWCS).shape
			if s == nil {
				return nil, nil
			}
			rev := append([]int(nil), s...)
			for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
				rev[i], rev[j] = rev[j], rev[i]
			}
			return obj.ShapeTuple(rev), nil
		}),

		obj.Attr("world_axis_units", "The world axes' units as wcslib holds them (deg, m, Hz, ...).", func(_ *obj.Env, r any) (any, error) { return wcsStrings(r.(*HeaderWCS).units), nil }),
		obj.Attr("world_axis_physical_types", "The world axes' IVOA UCD physical types.", func(_ *obj.Env, r any) (any, error) { return wcsStrings(r.(*HeaderWCS).physicalTypes()), nil }),
		obj.Attr("world_axis_names", "CNAMEi of each axis ('' when absent).", func(_ *obj.Env, r any) (any, error) { return wcsStrings(r.(*HeaderWCS).names), nil }),
		obj.Attr("pixel_axis_names", "Names of the pixel axes ('' each: a FITS header has none).", func(_ *obj.Env, r any) (any, error) {
			return wcsStrings(make([]string, r.(*HeaderWCS).fw.NAxis)), nil
		}),

		obj.Attr("axis_correlation_matrix", "Which world axes (rows) depend on which pixel axes (columns).", func(_ *obj.Env, r any) (any, error) {
			return boolMatrix(r.(*HeaderWCS).correlation()), nil
		}),

		obj.Attr("wcs", "The Wcsprm: ctype, crval, cdelt, crpix, pc (or cd), cunit, cname as arrays and lists.", func(_ *obj.Env, r any) (any, error) {
			return &wcsprm{r.(*HeaderWCS)}, nil
		}),

		obj.Attr("celestial", "The WCS of the celestial axes alone (wcs.sub([WCSSUB_CELESTIAL])).", func(_ *obj.Env, r any) (any, error) {
			return r.(*HeaderWCS).subOfKind(isCelestialCType)
		}),

		obj.Attr("spectral", "The WCS of the spectral axis alone (wcs.sub([WCSSUB_SPECTRAL])).", func(_ *obj.Env, r any) (any, error) {
			return r.(*HeaderWCS).subOfKind(isSpectralCType)
		}),

		obj.Attr("has_celestial", "Whether the WCS has a celestial pair.", func(_ *obj.Env, r any) (any, error) {
			lon, _ := r.(*HeaderWCS).fw.Celestial()
			return lon >= 0, nil
		}),
	}
}

// wcsprm is WCS.wcs: the header's WCS keywords as wcslib holds them.
type wcsprm struct{ w *HeaderWCS }

var wcsprmType = &obj.Type{Name: "Wcsprm", Doc: "wcslib's parameters of a WCS: ctype, cunit, cname (lists), crval, cdelt, crpix (arrays), pc or cd (matrix), naxis."}

func (p *wcsprm) Type() *obj.Type { return wcsprmType }

func (p *wcsprm) MimeBundle() map[string]any {
	return map[string]any{"text/plain": fmt.Sprintf("<Wcsprm of %d axes: ctype %s>", p.w.fw.NAxis, pyListRepr(p.w.fw.CType))}
}

func pyListRepr(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = pyfmt.Quote(v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func vector(xs []float64) *numpy.NDArray {
	return (*numpy.NDArray)(lazy.NewArray(append([]float64(nil), xs...), []int{len(xs)}, lazy.Float64))
}

func matrix(rows [][]float64) *numpy.NDArray {
	var data []float64
	for _, r := range rows {
		data = append(data, r...)
	}
	return (*numpy.NDArray)(lazy.NewArray(data, []int{len(rows), len(rows)}, lazy.Float64))
}

func init() {
	get := func(name, doc string, f func(w *HeaderWCS) (any, error)) *obj.Member {
		return obj.Attr(name, doc, func(_ *obj.Env, r any) (any, error) { return f(r.(*wcsprm).w) })
	}
	wcsprmType.Members = []*obj.Member{
		obj.Method("set", "set()", "Recompute the derived parameters (wcslib's wcsset). gokist's parameters are never stale, so it only returns None.", nil,
			func(*obj.Env, any, []any) (any, error) { return nil, nil }),

		get("naxis", "The number of axes.", func(w *HeaderWCS) (any, error) { return w.fw.NAxis, nil }),
		get("ctype", "CTYPEi.", func(w *HeaderWCS) (any, error) { return wcsStrings(w.fw.CType), nil }),
		get("cunit", "CUNITi as wcslib holds them (celestial in deg, spectral in SI).", func(w *HeaderWCS) (any, error) { return wcsStrings(w.units), nil }),
		get("cname", "CNAMEi.", func(w *HeaderWCS) (any, error) { return wcsStrings(w.names), nil }),
		get("crval", "CRVALi in cunit.", func(w *HeaderWCS) (any, error) { return vector(w.fw.CRVal), nil }),
		get("crpix", "CRPIXi (1-based, as in the header).", func(w *HeaderWCS) (any, error) { return vector(w.fw.CRPix), nil }),
		get("cdelt", "CDELTi (1 with a CD matrix).", func(w *HeaderWCS) (any, error) { return vector(w.fw.CDelt), nil }),
		get("pc", "The PCi_j matrix.", func(w *HeaderWCS) (any, error) {
			if w.hasCD() {
				return nil, obj.Errorf(obj.AttributeError, "No pc is present.")
			}
			return matrix(w.fw.PC), nil
		}),
		get("cd", "The CDi_j matrix.", func(w *HeaderWCS) (any, error) {
			if !w.hasCD() {
				return nil, obj.Errorf(obj.AttributeError, "No cd is present.")
			}
			return matrix(w.fw.PC), nil
		}),
	}
}

// highLevel is pixel_to_world / array_index_to_world: the values, then one object per
// world component in world order (the celestial pair once, where its first axis is).
func (w *HeaderWCS) highLevel(env *obj.Env, name string, a obj.Args, reverse bool) (any, error) {
	if len(a.Kw) > 0 {
		for k := range a.Kw {
			return nil, obj.Errorf(obj.TypeError, "%s() got an unexpected keyword argument '%s'", name, k)
		}
	}
	in, shape, _, err := wcsInputs(name, w.fw.NAxis, a.Pos)
	if err != nil {
		return nil, err
	}
	if reverse {
		slicesReverse(in)
	}
	out := w.pixelToWorld(in)
	lon, lat := w.fw.Celestial()
	var objs obj.List
	sky := false // the celestial pair became one SkyCoord
	if lon >= 0 {
		v, ok, err := w.skyCoord(env, out[lon], out[lat], shape)
		if err != nil {
			return nil, err
		}
		if ok {
			sky = true
			objs = append(objs, v)
		}
	}
	for i := range out {
		if sky && (i == lon || i == lat) {
			continue
		}
		v, err := w.axisObject(env, i, out[i], shape)
		if err != nil {
			return nil, err
		}
		objs = append(objs, v)
	}
	if len(objs) == 1 {
		return objs[0], nil
	}
	return objs, nil
}

// valueAt is a scalar for a 0-d shape, else an array.
func valueAt(v []float64, shape []int) any {
	if len(shape) == 0 {
		return v[0]
	}
	return (*numpy.NDArray)(lazy.NewArray(v, shape, lazy.Float64))
}

// wcsQuantity builds an astropy.units Quantity of v in unit.
func wcsQuantity(env *obj.Env, v []float64, shape []int, unit string) (any, error) {
	u, err := units.Parse(unit)
	if err != nil {
		return nil, obj.Errorf(obj.ValueError, "unit %q: %v", unit, err)
	}
	return aunits.NewQuantity(env, valueAt(v, shape), u)
}

// skyCoord is the SkyCoord of a helioprojective pair when a coordinates package
// registered one (obj.MakeSkyCoord); ok is false otherwise, and for other frames, and
// the caller gives each angle as a Quantity in degrees in world-axis order (astropy's
// world values with their units).
func (w *HeaderWCS) skyCoord(env *obj.Env, lonV, latV []float64, shape []int) (any, bool, error) {
	lon, _ := w.fw.Celestial()
	if !strings.HasPrefix(w.fw.CType[lon], "HPLN") {
		return nil, false, nil
	}
	hp := obj.Helioprojective{Shape: shape, Tx: timesEach(lonV, 3600), Ty: timesEach(latV, 3600)}
	// sunpy's frame mapping takes DATE-OBS only (not DATE-AVG).
	hp.Obstime, _ = w.hdr.String("DATE-OBS")
	hp.Obstime = strings.TrimSpace(hp.Obstime)
	lo, ok1 := headerNumber(w.hdr, "HGLN_OBS")
	la, ok2 := headerNumber(w.hdr, "HGLT_OBS")
	d, ok3 := headerNumber(w.hdr, "DSUN_OBS")
	if ok1 && ok2 && ok3 {
		hp.ObserverLon, hp.ObserverLat, hp.ObserverRadius, hp.HasObserver = lo, la, d, true
	}
	if r, ok := headerNumber(w.hdr, "RSUN_REF"); ok {
		hp.Rsun = r
	}
	return obj.MakeSkyCoord(env, hp)
}

func timesEach(v []float64, f float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x * f
	}
	return out
}

// axisObject is the high-level object of one non-celestial world axis: a SpectralCoord
// for a spectral axis, a Time for a time axis, else a Quantity in the axis unit
// (STOKES too: astropy 5.2 has no
// StokesCoord and gives a dimensionless Quantity).
func (w *HeaderWCS) axisObject(env *obj.Env, i int, v []float64, shape []int) (any, error) {
	ct := w.fw.CType[i]
	if scale := w.timeScaleOf(i); scale != "" {
		return w.timeObject(env, scale, v, shape)
	}
	switch {
	case isSpectralCType(ct) && len(shape) == 0:
		return &wcs.SpectralCoord{Value: v[0], Unit: w.units[i]}, nil
	}
	return wcsQuantity(env, v, shape, w.units[i])
}

func isCelestialCType(ct string) bool {
	return strings.HasPrefix(ct, "HPLN") || strings.HasPrefix(ct, "HPLT") || strings.HasPrefix(ct, "RA--") ||
		strings.HasPrefix(ct, "DEC-") || strings.HasPrefix(ct, "GLON") || strings.HasPrefix(ct, "GLAT") ||
		strings.HasPrefix(ct, "ELON") || strings.HasPrefix(ct, "ELAT") || strings.HasPrefix(ct, "HGLN") ||
		strings.HasPrefix(ct, "HGLT") || strings.HasPrefix(ct, "CRLN") || strings.HasPrefix(ct, "CRLT") ||
		strings.HasPrefix(ct, "SLON") || strings.HasPrefix(ct, "SLAT")
}

func isSpectralCType(ct string) bool {
	switch ctypeRoot(ct) {
	case "WAVE", "AWAV", "FREQ", "ENER", "WAVN", "VRAD", "VOPT", "VELO", "ZOPT", "BETA":
		return true
	}
	return false
}

func ctypeRoot(ct string) string {
	if len(ct) > 4 {
		return ct[:4]
	}
	return ct
}
