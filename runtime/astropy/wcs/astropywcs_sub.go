package wcs

// astropy.wcs.WCS: world_to_pixel from high-level objects, sub-WCSs (celestial,
// spectral) and slicing with slices (WCS.slice), all as new headers through
// NewHeaderWCS so that the one transformation serves them.

import (
	"fmt"
	atime "gokist/runtime/astropy/time"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"slices"

	"gokist/fits"
	"gokist/obj"
	"gokist/runtime/units"
	"gokist/runtime/wcs"
)

// worldToPixelHigh is world_to_pixel: one object per world component (a SkyCoord or two
// angles for the celestial pair, then SpectralCoords, Quantities, StokesCoords or
// numbers), converted to the axes' units, then world_to_pixel_values.
func (w *HeaderWCS) worldToPixelHigh(env *obj.Env, a obj.Args) (any, error) {
	for k := range a.Kw {
		return nil, obj.Errorf(obj.TypeError, "world_to_pixel() got an unexpected keyword argument '%s'", k)
	}
	lon, lat := w.fw.Celestial()
	var flat []any
	for _, v := range a.Pos {
		if parts, ok := skyCoordParts(env, v, w.fw.CType[max(lon, 0)]); ok && lon >= 0 {
			if lat < lon {
				parts[0], parts[1] = parts[1], parts[0]
			}
			flat = append(flat, parts[0], parts[1])
			continue
		}
		flat = append(flat, v)
	}
	if len(flat) != w.fw.NAxis {
		return nil, obj.Errorf(obj.ValueError, "Number of world inputs (%d) does not match expected (%d)", len(a.Pos), w.fw.NAxis)
	}
	for i, v := range flat {
		if t, ok := v.(*atime.Time); ok {
			scale := w.timeScaleOf(i)
			if scale == "" {
				return nil, obj.Errorf(obj.TypeError, "world_to_pixel(): world axis %d (CTYPE%d = '%s') is not a time axis, but got a Time", i, i+1, w.fw.CType[i])
			}
			x, err := w.timeOffset(env, t, scale)
			if err != nil {
				return nil, err
			}
			flat[i] = x
			continue
		}
		x, err := worldNumber(v, w.units[i], i)
		if err != nil {
			return nil, err
		}
		flat[i] = x
	}
	in, shape, _, err := wcsInputs("world_to_pixel", w.fw.NAxis, flat)
	if err != nil {
		return nil, err
	}
	return wcsOutputs(w.worldToPixel(in), shape, lazy.Float64), nil
}

// skyCoordParts reads a SkyCoord's two angles through its members (Tx/Ty for
// helioprojective, lon/lat, ra/dec), whichever package built it.
func skyCoordParts(env *obj.Env, v any, ctype string) ([2]any, bool) {
	o, ok := v.(obj.Object)
	if !ok || o.Type().Name != "SkyCoord" {
		return [2]any{}, false
	}
	pairs := [][2]string{{"Tx", "Ty"}, {"ra", "dec"}, {"lon", "lat"}}
	if ctypeRoot(ctype) == "HGLN" || ctypeRoot(ctype) == "CRLN" {
		pairs = pairs[2:]
	}
	for _, p := range pairs {
		m1, m2 := o.Type().Member(p[0]), o.Type().Member(p[1])
		if m1 == nil || m2 == nil || m1.Get == nil || m2.Get == nil {
			continue
		}
		a, err1 := m1.Get(env, v)
		b, err2 := m2.Get(env, v)
		if err1 == nil && err2 == nil {
			return [2]any{a, b}, true
		}
	}
	return [2]any{}, false
}

// worldNumber converts one world value to a number (or array) in unit: Quantities and
// SpectralCoords convert (spectral ones through astropy's spectral equivalency), a
// StokesCoord is its number, plain numbers are taken as already in unit.
func worldNumber(v any, unit string, axis int) (any, error) {
	switch x := v.(type) {
	case *wcs.SpectralCoord:
		s, err := x.To(unit)
		if err != nil {
			return nil, err
		}
		return s.Value, nil
	case *wcs.StokesCoord:
		return x.Value, nil
	}
	q, ok := v.(obj.QuantityValue)
	if !ok {
		return v, nil
	}
	val, from := q.QuantityParts()
	fu, err := units.Parse(from)
	if err != nil {
		return nil, obj.Errorf(obj.ValueError, "world axis %d: unit %q: %v", axis, from, err)
	}
	tu, err := units.Parse(unit)
	if err != nil {
		return nil, obj.Errorf(obj.ValueError, "world axis %d: unit %q: %v", axis, unit, err)
	}
	conv, err := fu.ConverterTo(tu, units.Spectral().Pairs)
	if err != nil {
		return nil, obj.Errorf("UnitConversionError", "world axis %d: %v", axis, err)
	}
	arr, err := numpy.AsArray("world_to_pixel", val)
	if err != nil {
		return nil, err
	}
	vals := arr.Floats()
	out := make([]float64, len(vals))
	for i, x := range vals {
		out[i] = conv(x)
	}
	return (*numpy.NDArray)(lazy.NewArray(out, arr.Dims, lazy.Float64)), nil
}

// subHeader is a header of the given axes (0-based, in the new order) of w, with the
// values as wcslib holds them; edit may change each new axis's CRPIX, CDELT and NAXIS.
func (w *HeaderWCS) subHeader(axes []int) *fits.Header {
	h := fits.NewHeader()
	h.Set("WCSAXES", len(axes), "")
	if w.shape != nil {
		h.Set("NAXIS", len(axes), "")
	}
	cd := w.hasCD()
	for k, i := range axes {
		n := k + 1
		h.Set(fmt.Sprintf("CTYPE%d", n), w.fw.CType[i], "")
		if w.units[i] != "" {
			h.Set(fmt.Sprintf("CUNIT%d", n), w.units[i], "")
		}
		if w.names[i] != "" {
			h.Set(fmt.Sprintf("CNAME%d", n), w.names[i], "")
		}
		h.Set(fmt.Sprintf("CRVAL%d", n), w.fw.CRVal[i], "")
		h.Set(fmt.Sprintf("CRPIX%d", n), w.fw.CRPix[i], "")
		if !cd {
			h.Set(fmt.Sprintf("CDELT%d", n), w.fw.CDelt[i], "")
		}
		if w.shape != nil {
			h.Set(fmt.Sprintf("NAXIS%d", n), w.shape[i], "")
		}
		root := "PC"
		if cd {
			root = "CD"
		}
		for l, j := range axes {
			h.Set(fmt.Sprintf("%s%d_%d", root, n, l+1), w.fw.PC[i][j], "")
		}
	}
	for _, key := range []string{"LONPOLE", "DATE-OBS", "HGLN_OBS", "HGLT_OBS", "DSUN_OBS", "RSUN_REF"} {
		if c, ok := w.hdr.Get(key); ok {
			h.Set(key, c.Value, "")
		}
	}
	return h
}

// subOfKind is wcs.sub of the axes whose CTYPE is of a kind (celestial, spectral).
func (w *HeaderWCS) subOfKind(kind func(string) bool) (any, error) {
	var axes []int
	for i, ct := range w.fw.CType {
		if kind(ct) {
			axes = append(axes, i)
		}
	}
	if len(axes) == 0 {
		// astropy gives a WCS of no axes; gokist cannot make one and says so.
		return nil, obj.Errorf(obj.ValueError, "the WCS has no such axes (CTYPE %s)", pyListRepr(w.fw.CType))
	}
	return NewHeaderWCS(w.subHeader(axes))
}

// wcsSubError is wcslib's error for an axis selection that cuts through the linear
// matrix, as astropy 5.2 (Debian's wcslib) words it.
func wcsSubError() error {
	return obj.Errorf("NonseparableSubimageCoordinateSystemError", "ERROR 13 in wcssub() at line 943 of file wcs.c:\nNon-zero off-diagonal matrix elements excluded from the subimage.\n")
}

// subAxes is wcs.sub(axes) with axes 0-based: refused when a kept axis mixes with a
// dropped one in the linear matrix.
func (w *HeaderWCS) subAxes(axes []int) (any, error) {
	kept := make([]bool, w.fw.NAxis)
	for _, a := range axes {
		kept[a] = true
	}
	for i := range w.fw.NAxis {
		for j := range w.fw.NAxis {
			if kept[i] != kept[j] && w.fw.PC[i][j] != 0 {
				return nil, wcsSubError()
			}
		}
	}
	return NewHeaderWCS(w.subHeader(axes))
}

// subArg reads sub()'s axes: 1-based axis numbers, or the names 'longitude',
// 'latitude', 'cubeface', 'spectral', 'stokes', 'celestial'.
func (w *HeaderWCS) subArg(v any) ([]int, error) {
	items, ok := v.(obj.List)
	if !ok {
		if t, isTuple := v.(obj.Tuple); isTuple {
			items = obj.List(t)
		} else if n, isInt := v.(int); isInt {
			items = obj.List{}
			for i := 1; i <= n && i <= w.fw.NAxis; i++ {
				items = append(items, i)
			}
		} else {
			return nil, obj.Errorf(obj.TypeError, "axes must be an int or a sequence")
		}
	}
	lon, lat := w.fw.Celestial()
	var out []int
	for _, it := range items {
		switch x := it.(type) {
		case int:
			if x < 1 || x > w.fw.NAxis {
				return nil, obj.Errorf("InvalidSubimageSpecificationError", "ERROR 12 in wcssub() at line 901 of file wcs.c:\nInvalid subimage specification.\n")
			}
			out = append(out, x-1)
		case string:
			for i, ct := range w.fw.CType {
				pick := false
				switch x {
				case "longitude":
					pick = i == lon
				case "latitude":
					pick = i == lat
				case "celestial":
					pick = i == lon || i == lat
				case "spectral":
					pick = isSpectralCType(ct)
				case "stokes":
					pick = ctypeRoot(ct) == "STOK"
				case "cubeface":
				default:
					return nil, obj.Errorf(obj.ValueError, "string values for axis sequence must be one of 'latitude', 'longitude', 'cubeface', 'spectral', 'stokes', or 'celestial'")
				}
				if pick && !slices.Contains(out, i) {
					out = append(out, i)
				}
			}
		default:
			return nil, obj.Errorf(obj.TypeError, "axes must be a sequence of ints or strings, not %s", obj.TypeName(it))
		}
	}
	if len(out) == 0 {
		return nil, obj.Errorf(obj.ValueError, "the selection %s leaves no axes (gokist has no WCS of no axes)", obj.TypeName(v))
	}
	return out, nil
}

func init() {
	headerWCSType.Members = append(headerWCSType.Members,
		obj.Method("sub", "sub(axes)", "The WCS of some axes: 1-based axis numbers in the new order, or names ('celestial', 'spectral', 'longitude', 'latitude', 'stokes').",
			[]obj.Param{{Name: "axes"}}, func(_ *obj.Env, r any, v []any) (any, error) {
				w := r.(*HeaderWCS)
				axes, err := w.subArg(v[0])
				if err != nil {
					return nil, err
				}
				return w.subAxes(axes)
			}),

		obj.Method("dropaxis", "dropaxis(dropax)", "The WCS without axis dropax (0-based, FITS order).",
			[]obj.Param{{Name: "dropax"}}, func(_ *obj.Env, r any, v []any) (any, error) {
				w := r.(*HeaderWCS)
				d, ok := v[0].(int)
				if !ok {
					return nil, obj.Errorf(obj.TypeError, "'%s' object cannot be interpreted as an integer", obj.TypeName(v[0]))
				}
				if d < 0 {
					d += w.fw.NAxis
				}
				if d < 0 || d >= w.fw.NAxis {
					return nil, obj.Errorf(obj.IndexError, "pop index out of range")
				}
				var axes []int
				for i := range w.fw.NAxis {
					if i != d {
						axes = append(axes, i)
					}
				}
				return w.subAxes(axes)
			}),

		obj.Method("swapaxes", "swapaxes(ax0, ax1)", "The WCS with axes ax0 and ax1 (0-based, FITS order) exchanged.",
			[]obj.Param{{Name: "ax0"}, {Name: "ax1"}}, func(_ *obj.Env, r any, v []any) (any, error) {
				w := r.(*HeaderWCS)
				axes := make([]int, w.fw.NAxis)
				for i := range axes {
					axes[i] = i
				}
				a, ok1 := v[0].(int)
				b, ok2 := v[1].(int)
				if !ok1 || !ok2 || a < 0 || b < 0 || a >= len(axes) || b >= len(axes) {
					return nil, obj.Errorf(obj.IndexError, "list index out of range")
				}
				axes[a], axes[b] = axes[b], axes[a]
				return NewHeaderWCS(w.subHeader(axes))
			}),
	)
}
