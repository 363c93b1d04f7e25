package wcs

import (
	"errors"
	"fmt"
	"time"

	"gokist/obj"
	"gokist/runtime/wcs/fitswcs"
	"gokist/runtime/wcs/wcsunit"
)

// axisMap places one base array axis in a view: base pixel = a + b·p where p is the
// view's pixel on array axis view, or the constant a when the axis was dropped (view -1).
type axisMap struct {
	view int
	a, b float64
}

// WCS is a dataset's world coordinate system as seen through any number of slices and
// rebins: an immutable view over a shared unsliced system. Pixel arguments are in WCS
// order (the reverse of the array's numpy order), as astropy's APE 14 API has them.
type WCS struct {
	sys   *system
	shape []int     // view array shape, numpy order
	maps  []axisMap // per base array axis
	// viewBase[j] is the base array axis behind view axis j.
	viewBase []int
	// worldKeep lists the base world axes still correlated with a view pixel axis.
	worldKeep []int
}

// Item selects along one array axis in Slice: Drop keeps pixel Index only and removes
// the axis; otherwise the axis keeps Len pixels Start, Start+Step, ...
type Item struct {
	Index            int
	Drop             bool
	Start, Step, Len int
}

func newView(sys *system) *WCS {
	w := &WCS{sys: sys, shape: append([]int(nil), sys.shape...)}
	w.maps = make([]axisMap, len(sys.shape))
	for k := range w.maps {
		w.maps[k] = axisMap{view: k, a: 0, b: 1}
	}
	w.finish()
	return w
}

// finish derives viewBase and worldKeep from maps.
func (w *WCS) finish() {
	w.viewBase = make([]int, len(w.shape))
	for k, m := range w.maps {
		if m.view >= 0 {
			w.viewBase[m.view] = k
		}
	}
	keep := make([]bool, len(w.sys.world))
	for i := range w.sys.world {
		for _, k := range w.viewBase {
			if w.sys.corr[i][k] {
				keep[i] = true
			}
		}
	}
	for i, a := range w.sys.world {
		if a.partner >= 0 && keep[a.partner] {
			keep[i] = true
		}
	}
	w.worldKeep = w.worldKeep[:0]
	for i, k := range keep {
		if k {
			w.worldKeep = append(w.worldKeep, i)
		}
	}
}

// Shape is the view's array shape (numpy order).
func (w *WCS) Shape() []int { return append([]int(nil), w.shape...) }

// PixelNDim is the number of pixel (array) axes.
func (w *WCS) PixelNDim() int { return len(w.shape) }

// WorldNDim is the number of world axes left in this view.
func (w *WCS) WorldNDim() int { return len(w.worldKeep) }

// Slice applies one Item per current array axis (the caller has expanded `...`, filled
// missing trailing axes, and normalised negative indices and slice bounds) and returns
// the new view. Slices compose: slicing a sliced WCS maps through both.
func (w *WCS) Slice(items []Item) (*WCS, error) {
	if len(items) != len(w.shape) {
		return nil, obj.Errorf(obj.IndexError, "wcs: %d index items for %d array axes", len(items), len(w.shape))
	}
	newIndex := make([]int, len(items))
	var shape []int
	for j, it := range items {
		if it.Drop {
			if it.Index < 0 || it.Index >= w.shape[j] {
				return nil, obj.Errorf(obj.IndexError, "wcs: index %d is out of bounds for axis %d with size %d", it.Index, j, w.shape[j])
			}
			newIndex[j] = -1
			continue
		}
		if it.Len < 0 || (it.Step == 0 && it.Len > 1) {
			return nil, obj.Errorf(obj.ValueError, "wcs: axis %d: slice of %d pixels with step %d", j, it.Len, it.Step)
		}
		newIndex[j] = len(shape)
		shape = append(shape, it.Len)
	}
	out := &WCS{sys: w.sys, shape: shape, maps: make([]axisMap, len(w.maps))}
	for k, m := range w.maps {
		if m.view < 0 {
			out.maps[k] = m
			continue
		}
		it := items[m.view]
		if it.Drop {
			out.maps[k] = axisMap{view: -1, a: m.a + m.b*float64(it.Index)}
			continue
		}
		out.maps[k] = axisMap{view: newIndex[m.view], a: m.a + m.b*float64(it.Start), b: m.b * float64(it.Step)}
	}
	out.finish()
	return out, nil
}

// Rebin returns the view of the array rebinned by factors (one per array axis, each
// dividing its axis): new pixel p covers old pixels p·f … p·f+f−1, so its world
// coordinate is the old one at (p+0.5)·f−0.5.
func (w *WCS) Rebin(factors []int) (*WCS, error) {
	if len(factors) != len(w.shape) {
		return nil, obj.Errorf(obj.ValueError, "wcs: %d rebin factors for %d array axes", len(factors), len(w.shape))
	}
	shape := make([]int, len(w.shape))
	for j, f := range factors {
		if f < 1 || w.shape[j]%f != 0 {
			return nil, obj.Errorf(obj.ValueError, "wcs: rebin factor %d does not divide axis %d of length %d", f, j, w.shape[j])
		}
		shape[j] = w.shape[j] / f
	}
	out := &WCS{sys: w.sys, shape: shape, maps: make([]axisMap, len(w.maps))}
	for k, m := range w.maps {
		if m.view < 0 {
			out.maps[k] = m
			continue
		}
		f := float64(factors[m.view])
		out.maps[k] = axisMap{view: m.view, a: m.a + m.b*(0.5*f-0.5), b: m.b * f}
	}
	out.finish()
	return out, nil
}

// basePixel maps view pixels (WCS order) to base array pixels.
func (w *WCS) basePixel(pixel []float64, q []float64) {
	nv := len(w.shape)
	for k, m := range w.maps {
		if m.view < 0 {
			q[k] = m.a
		} else {
			q[k] = m.a + m.b*pixel[nv-1-m.view]
		}
	}
}

// lowLevel evaluates the kept world values (low level: numbers in the world units;
// time in seconds from the reference time; Stokes as FITS numbers) at view pixels
// given in WCS order, writing into out (len WorldNDim).
func (w *WCS) lowLevel(pixel, out []float64, sc *scratch) error {
	w.basePixel(pixel, sc.q)
	if err := w.sys.eval(sc.q, sc.world, sc); err != nil {
		return err
	}
	for i, b := range w.worldKeep {
		out[i] = sc.world[b]
	}
	return nil
}

// PixelToWorldValues is the low-level form of PixelToWorld: pixel in WCS order, one float
// per kept world axis (units of WorldAxisUnits; time in seconds from ReferenceTime;
// Stokes as FITS numbers, I=1 … V=4).
func (w *WCS) PixelToWorldValues(pixel ...float64) ([]float64, error) {
	if len(pixel) != len(w.shape) {
		return nil, obj.Errorf(obj.TypeError, "pixel_to_world() takes %d pixel values (one per pixel axis), got %d", len(w.shape), len(pixel))
	}
	sc := w.sys.getScratch()
	defer w.sys.putScratch(sc)
	out := make([]float64, len(w.worldKeep))
	if err := w.lowLevel(pixel, out, sc); err != nil {
		return nil, err
	}
	return out, nil
}

// PixelToWorld converts pixel coordinates (WCS order, one per pixel axis) into high-level
// world values in world order: a celestial pair becomes one SkyCoord (where its first
// component is), a spectral axis a SpectralCoord, time a Time, Stokes a StokesCoord, any
// other axis a Quantity.
func (w *WCS) PixelToWorld(pixel ...float64) (obj.Tuple, error) {
	vals, err := w.PixelToWorldValues(pixel...)
	if err != nil {
		return nil, err
	}
	return w.highLevel(vals, pixel)
}

// highLevel groups low-level values of the kept world axes into objects; pixel is where
// they were evaluated, for errors.
func (w *WCS) highLevel(vals, pixel []float64) (obj.Tuple, error) {
	var out obj.Tuple
	pos := make(map[int]int, len(w.worldKeep)) // base world axis → index in vals
	for i, b := range w.worldKeep {
		pos[b] = i
	}
	for i, b := range w.worldKeep {
		a := w.sys.world[b]
		switch a.kind {
		case kindCelestialLon, kindCelestialLat:
			if p, ok := pos[a.partner]; ok && p < i {
				continue // already placed with its partner
			}
			lonB, latB := b, a.partner
			if a.kind == kindCelestialLat {
				lonB, latB = a.partner, b
			}
			out = append(out, w.skyCoord(vals[pos[lonB]], vals[pos[latB]], w.sys.world[lonB]))
		case kindSpectral:
			out = append(out, &SpectralCoord{Value: vals[i], Unit: a.unit})
		case kindTime:
			t, err := timeAfter(w.sys.refTime, vals[i])
			if err != nil {
				return nil, timeValueError(i, a.name, pixel, err)
			}
			out = append(out, &Time{T: t})
		case kindStokes:
			out = append(out, &StokesCoord{Value: vals[i]})
		default:
			out = append(out, &Quantity{Value: vals[i], Unit: a.unit})
		}
	}
	return out, nil
}

func (w *WCS) skyCoord(lon, lat float64, lonAxis worldAxis) *SkyCoord {
	sc := &SkyCoord{Lon: lon, Lat: lat, Unit: lonAxis.unit, Frame: lonAxis.frame}
	if sc.Frame == "helioprojective" {
		sc.Obstime = w.sys.obstime
		sc.RsunKm = w.sys.rsunKm
	}
	return sc
}

// WorldToPixel converts world values (world order: a SkyCoord stands for both of its
// components; Quantities, SpectralCoords, Times, StokesCoords or plain numbers in the axis
// unit for the others) into pixel coordinates in WCS order, as floats. The inverse is
// numerical (Gauss–Newton on the forward transform), so it serves sliced, rebinned and
// file-spanning views alike.
func (w *WCS) WorldToPixel(world ...any) (obj.Tuple, error) {
	target, err := w.lowLevelWorld(world)
	if err != nil {
		return nil, err
	}
	pix, err := w.WorldToPixelValues(target)
	if err != nil {
		return nil, err
	}
	out := make(obj.Tuple, len(pix))
	for i, p := range pix {
		out[i] = p
	}
	return out, nil
}

// lowLevelWorld turns high-level world arguments into one number per kept world axis.
func (w *WCS) lowLevelWorld(world []any) ([]float64, error) {
	nk := len(w.worldKeep)
	target := make([]float64, nk)
	filled := make([]bool, nk)
	pos := make(map[int]int, nk)
	for i, b := range w.worldKeep {
		pos[b] = i
	}
	arg := 0
	next := func(i int) (any, error) {
		if arg >= len(world) {
			return nil, obj.Errorf(obj.TypeError, "world_to_pixel() needs a value for world axis %d (%s); got %d values", i, w.sys.world[w.worldKeep[i]].name, len(world))
		}
		v := world[arg]
		arg++
		return v, nil
	}
	for i, b := range w.worldKeep {
		if filled[i] {
			continue
		}
		a := w.sys.world[b]
		v, err := next(i)
		if err != nil {
			return nil, err
		}
		if sky, ok := v.(*SkyCoord); ok {
			if a.partner < 0 {
				return nil, obj.Errorf(obj.TypeError, "world_to_pixel(): a SkyCoord was given for world axis %d (%s), which is not celestial", i, a.name)
			}
			lonB, latB := b, a.partner
			if a.kind == kindCelestialLat {
				lonB, latB = a.partner, b
			}
			lonU := w.sys.world[lonB].unit
			f, err := wcsunit.Factor(sky.Unit, lonU)
			if err != nil {
				return nil, err
			}
			target[pos[lonB]], filled[pos[lonB]] = sky.Lon*f, true
			target[pos[latB]], filled[pos[latB]] = sky.Lat*f, true
			continue
		}
		x, err := w.axisValue(a, v)
		if errors.Is(err, errWrongWorldType) {
			return nil, obj.Errorf(obj.TypeError, "world_to_pixel(): argument %d (world axis %d, %s) must be %s, not %s", arg, i, a.name, acceptedWorldTypes(a.kind), obj.TypeName(v))
		}
		if err != nil {
			return nil, fmt.Errorf("world_to_pixel(): argument %d (world axis %d, %s): %w", arg, i, a.name, err)
		}
		target[i], filled[i] = x, true
	}
	if arg != len(world) {
		return nil, obj.Errorf(obj.TypeError, "world_to_pixel() takes %d world values, got %d", arg, len(world))
	}
	return target, nil
}

// axisValue converts one world argument into a number in the axis's low-level unit.
func (w *WCS) axisValue(a worldAxis, v any) (float64, error) {
	switch x := v.(type) {
	case int:
		return float64(x), nil
	case float64:
		return x, nil
	case *Quantity:
		return convertTo(x.Value, x.Unit, a.unit)
	case *SpectralCoord:
		if a.kind == kindSpectral {
			// astropy's high-level API converts with the spectral equivalency, so a
			// frequency finds its pixel on a wavelength axis.
			return wcsunit.ConvertSpectral(x.Value, x.Unit, a.unit)
		}
		return convertTo(x.Value, x.Unit, a.unit)
	case *Time:
		if a.kind != kindTime {
			break
		}
		return secondsAfter(w.sys.refTime, x.T), nil
	case *StokesCoord:
		return x.Value, nil
	case string:
		if a.kind == kindStokes {
			if n, ok := stokesNumbers[x]; ok {
				return n, nil
			}
			return 0, obj.Errorf(obj.ValueError, "unknown Stokes parameter %q (expected I, Q, U or V)", x)
		}
		if a.kind == kindTime {
			t, err := fitswcs.ParseISOTime(x)
			if err != nil {
				return 0, obj.Errorf(obj.ValueError, "%v", err)
			}
			return secondsAfter(w.sys.refTime, t), nil
		}
	}
	return 0, errWrongWorldType
}

// errWrongWorldType is axisValue's report of a value of no type the axis takes; the caller
// knows the argument's position and words the TypeError.
var errWrongWorldType = errors.New("wrong type for the world axis")

// acceptedWorldTypes names what axisValue takes for an axis of the kind, for error text.
func acceptedWorldTypes(kind worldKind) string {
	switch kind {
	case kindSpectral:
		return "a number, Quantity or SpectralCoord"
	case kindCelestialLon, kindCelestialLat:
		return "a number, Quantity or SkyCoord"
	case kindTime:
		return "a number of seconds, Quantity, Time or ISO time string"
	case kindStokes:
		return "a number, StokesCoord or Stokes name ('I', 'Q', 'U', 'V')"
	}
	return "a number or Quantity"
}

func convertTo(v float64, from, to string) (float64, error) {
	if from == to {
		return v, nil
	}
	f, err := wcsunit.Factor(from, to)
	if err != nil {
		return 0, err
	}
	return v * f, nil
}

// ArrayWorld gives the world coordinate that varies along one array axis (numpy order
// of this view) at pixels 0 … n−1, all other axes at pixel 0: its name, unit and values
// (time in seconds from ReferenceTime, Stokes as FITS numbers). It picks the world axis
// whose own dataset axis that is, else the first world axis correlated with it. For plot
// axes and tick labels; one scratch buffer serves the whole loop.
func (w *WCS) ArrayWorld(arrayAxis int, n int) (name, unit string, values []float64, err error) {
	if arrayAxis < 0 || arrayAxis >= len(w.shape) {
		return "", "", nil, obj.Errorf(obj.IndexError, "wcs: array axis %d is out of range for %d axes", arrayAxis, len(w.shape))
	}
	base := w.viewBase[arrayAxis]
	pick := -1
	for i, b := range w.worldKeep {
		if w.sys.world[b].home == base {
			pick = i
			break
		}
	}
	if pick < 0 {
		for i, b := range w.worldKeep {
			if w.sys.corr[b][base] {
				pick = i
				break
			}
		}
	}
	if pick < 0 {
		return "", "", nil, fmt.Errorf("wcs: no world axis varies along array axis %d (%s)", arrayAxis, w.sys.pixelNames[base])
	}
	a := w.sys.world[w.worldKeep[pick]]
	sc := w.sys.getScratch()
	defer w.sys.putScratch(sc)
	nv := len(w.shape)
	pix := make([]float64, nv)
	vals := make([]float64, len(w.worldKeep))
	values = make([]float64, n)
	for i := 0; i < n; i++ {
		pix[nv-1-arrayAxis] = float64(i)
		if err := w.lowLevel(pix, vals, sc); err != nil {
			return "", "", nil, err
		}
		values[i] = vals[pick]
	}
	return a.name, a.unit, values, nil
}

// PixelAxisNames names the view's pixel axes in WCS order (the reverse of array order),
// as astropy's pixel_axis_names.
func (w *WCS) PixelAxisNames() []string {
	out := make([]string, len(w.shape))
	for j, b := range w.viewBase {
		out[len(w.shape)-1-j] = w.sys.pixelNames[b]
	}
	return out
}

// ArrayAxisNames names the view's pixel axes in array (numpy) order.
func (w *WCS) ArrayAxisNames() []string {
	out := make([]string, len(w.shape))
	for j, b := range w.viewBase {
		out[j] = w.sys.pixelNames[b]
	}
	return out
}

// WorldAxisNames names the kept world axes in world order.
func (w *WCS) WorldAxisNames() []string {
	return w.worldField(func(a worldAxis) string { return a.name })
}

// WorldAxisPhysicalTypes gives the kept world axes' physical types (IVOA UCD1+ or custom:).
func (w *WCS) WorldAxisPhysicalTypes() []string {
	return w.worldField(func(a worldAxis) string { return a.ptype })
}

// WorldAxisUnits gives the kept world axes' units ("" for Stokes).
func (w *WCS) WorldAxisUnits() []string {
	return w.worldField(func(a worldAxis) string { return a.unit })
}

func (w *WCS) worldField(f func(worldAxis) string) []string {
	out := make([]string, len(w.worldKeep))
	for i, b := range w.worldKeep {
		out[i] = f(w.sys.world[b])
	}
	return out
}

// AxisCorrelationMatrix says which world axes (rows, world order) depend on which pixel
// axes (columns, WCS order), as astropy's axis_correlation_matrix.
func (w *WCS) AxisCorrelationMatrix() [][]bool {
	nv := len(w.shape)
	out := make([][]bool, len(w.worldKeep))
	for i, b := range w.worldKeep {
		out[i] = make([]bool, nv)
		for j, k := range w.viewBase {
			out[i][nv-1-j] = w.sys.corr[b][k]
		}
	}
	return out
}

// ReferenceTime is the zero of the low-level time axis (the first file's DATE-AVG, or the
// gwcs temporal frame's reference time).
func (w *WCS) ReferenceTime() time.Time { return w.sys.refTime }
