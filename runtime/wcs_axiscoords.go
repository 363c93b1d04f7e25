package runtime

// This file is ds.axis_world_coords and ds.axis_world_coords_values as ndcube 2.0.3
// gives them: the world coordinates of every pixel along the array axes each world axis
// depends on, as high-level objects (a SkyCoord for the celestial pair, built by the
// coordinates package through obj.MakeSkyCoord; a Time; Quantities for the others) or
// as a CoordValues named tuple of Quantities.
//
// (The file's name sorts after types.go, whose init sets the Dataset's member table
// that this file's init extends.)

import (
	"fmt"
	atime "gokist/runtime/astropy/time"
	aunits "gokist/runtime/astropy/units"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"slices"
	"strings"

	"gokist/obj"
	"gokist/runtime/units"
	"gokist/runtime/wcs"
)

// maxAxisCoordPoints bounds the pixels one group of coupled world axes is evaluated at
// (a full VISP raster's celestial pair is 730 × 2555 ≈ 1.9 M).
const maxAxisCoordPoints = 8 << 20

var axisWorldParams = []obj.Param{{Name: "*axes"}, {Name: "pixel_corners", Default: "False"}, {Name: "wcs", Default: "None"}}

func init() {
	datasetType.Members = append(datasetType.Members,
		&obj.Member{Name: "axis_world_coords", Signature: "axis_world_coords(*axes, pixel_corners=False, wcs=None)",
			Doc: "The world coordinates of every pixel, as ndcube's: a tuple of high-level objects in world order (the celestial pair as one SkyCoord, " +
				"time as a Time, the others as Quantities), each over the array axes it depends on. axes (array indices or physical-type " +
				"substrings such as 'em.wl', 'time', 'lon') select the objects; pixel_corners=True gives the corners (one more per axis).",
			Params: axisWorldParams,
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return axisWorldCoords(env, recv.(*Dataset), args, true)
			}},
		&obj.Member{Name: "axis_world_coords_values", Signature: "axis_world_coords_values(*axes, pixel_corners=False, wcs=None)",
			Doc: "The world coordinates of every pixel as plain Quantities, one per world axis, in a CoordValues named tuple (fields named " +
				"by physical type, last world axis first, as ndcube 2.0.3's); a time axis is in seconds from the WCS's reference time.",
			Params: axisWorldParams,
			Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
				return axisWorldCoords(env, recv.(*Dataset), args, false)
			}},
	)
}

// axisWorldCoords is both methods; highLevel chooses axis_world_coords.
func axisWorldCoords(env *obj.Env, d *Dataset, args obj.Args, highLevel bool) (any, error) {
	name := "axis_world_coords"
	if !highLevel {
		name += "_values"
	}
	corners := false
	w, err := d.WCS()
	if err != nil {
		return nil, err
	}
	for k, v := range args.Kw {
		switch k {
		case "pixel_corners":
			b, ok := v.(bool)
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "%s(): pixel_corners must be True or False, not %s", name, obj.TypeName(v))
			}
			corners = b
		case "wcs":
			if v != nil && v != any(w) {
				return nil, obj.Errorf("NotImplementedError", "%s(): wcs= takes only the dataset's own WCS (ds.wcs) here; extra coordinates are not supported", name)
			}
		default:
			return nil, obj.Errorf(obj.TypeError, "%s() got an unexpected keyword argument '%s'", name, k)
		}
	}
	coords, err := w.AxisCoordsValues(corners, maxAxisCoordPoints)
	if err != nil {
		return nil, err
	}
	worlds, err := selectWorldAxes(w, args.Pos, name)
	if err != nil {
		return nil, err
	}
	if !highLevel {
		return coordValues(env, coords, worlds)
	}
	var out obj.Tuple
	for _, group := range w.WorldObjects() {
		if !slices.ContainsFunc(group, func(i int) bool { return worlds[i] }) {
			continue
		}
		v, err := highLevelCoord(env, w, coords, group)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// selectWorldAxes is which world axes the axes arguments ask for (all without any): an
// array axis gives the world axes that depend on it, a string the world axes whose
// physical type contains it.
func selectWorldAxes(w *wcs.WCS, axes []any, name string) (map[int]bool, error) {
	corr := w.AxisCorrelationMatrix()
	types := w.WorldAxisPhysicalTypes()
	n := w.PixelNDim()
	out := map[int]bool{}
	for i := range types {
		out[i] = len(axes) == 0
	}
	for _, a := range axes {
		switch x := a.(type) {
		case int:
			ax := x
			if ax < 0 {
				ax += n
			}
			if ax < 0 || ax >= n {
				return nil, obj.Errorf(obj.IndexError, "%s(): array axis %d is out of range for %d axes", name, x, n)
			}
			for i := range types {
				if corr[i][n-1-ax] {
					out[i] = true
				}
			}
		case string:
			found := false
			for i, t := range types {
				if strings.Contains(t, x) {
					out[i], found = true, true
				}
			}
			if !found {
				return nil, obj.Errorf(obj.ValueError, "%s(): '%s' is not one of this dataset's world axis physical types %s", name, x, plainRepr(stringList(types)))
			}
		default:
			return nil, obj.Errorf(obj.TypeError, "%s(): axes are array axis numbers or physical-type strings, not %s", name, obj.TypeName(a))
		}
	}
	return out, nil
}

func stringList(s []string) obj.List {
	out := make(obj.List, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// axisQuantity is one world axis's values as a Quantity array over its own axes.
func axisQuantity(env *obj.Env, c wcs.AxisCoords) (*aunits.Quantity, error) {
	u, err := units.Parse(c.Unit)
	if err != nil {
		return nil, obj.Errorf(obj.ValueError, "world axis %d (%s): unit %q: %v", c.World, c.Name, c.Unit, err)
	}
	return aunits.NewQuantity(env, (*numpy.NDArray)(lazy.NewArray(slices.Clone(c.Values), slices.Clone(c.Shape), lazy.Float64)), u)
}

// highLevelCoord is one high-level object: a SkyCoord (or, with no coordinates package
// linked in, a (longitude, latitude) tuple of Quantities), a Time, Stokes symbols (as
// ndcube 2.0.3 gives them: an array of 'I', 'Q', …), or a Quantity (ndcube's
// SpectralCoord is a Quantity subclass).
func highLevelCoord(env *obj.Env, w *wcs.WCS, coords []wcs.AxisCoords, group []int) (any, error) {
	c := coords[group[0]]
	if len(group) == 2 {
		lon, lat := broadcastPair(coords[group[0]], coords[group[1]])
		frame, obstime, rsunKm := w.CelestialFrame()
		if frame == "helioprojective" {
			h := obj.Helioprojective{Tx: lon.Values, Ty: lat.Values, Shape: lon.Shape, Rsun: rsunKm * 1000}
			if !obstime.IsZero() {
				h.Obstime = obstime.UTC().Format("2006-01-02T15:04:05.000")
			}
			if v, ok, err := obj.MakeSkyCoord(env, h); ok || err != nil {
				return v, err
			}
		}
		qlon, err := axisQuantity(env, lon)
		if err != nil {
			return nil, err
		}
		qlat, err := axisQuantity(env, lat)
		if err != nil {
			return nil, err
		}
		return obj.Tuple{qlon, qlat}, nil
	}
	if c.Kind == "time" {
		strs := make([]string, len(c.Times))
		for i, t := range c.Times {
			strs[i] = t.UTC().Format("2006-01-02T15:04:05.000000000")
		}
		shape := slices.Clone(c.Shape)
		if len(shape) == 0 {
			shape = nil
		}
		return atime.NewTimeFromStrings(strs, shape, "isot", "utc")
	}
	if c.Kind == "stokes" {
		symbols := make([]string, len(c.Values))
		for i, v := range c.Values {
			symbols[i] = (&wcs.StokesCoord{Value: v}).Symbol()
		}
		return numpy.NewStrArray(symbols, slices.Clone(c.Shape)), nil
	}
	return axisQuantity(env, c)
}

// broadcastPair evaluates both celestial components over the union of their array axes
// (a SkyCoord's components share one shape).
func broadcastPair(a, b wcs.AxisCoords) (wcs.AxisCoords, wcs.AxisCoords) {
	if slices.Equal(a.Axes, b.Axes) {
		return a, b
	}
	axes := slices.Clone(a.Axes)
	for _, x := range b.Axes {
		if !slices.Contains(axes, x) {
			axes = append(axes, x)
		}
	}
	slices.Sort(axes)
	lengths := map[int]int{}
	for _, c := range []wcs.AxisCoords{a, b} {
		for i, x := range c.Axes {
			lengths[x] = c.Shape[i]
		}
	}
	var shape []int
	for _, x := range axes {
		shape = append(shape, lengths[x])
	}
	spread := func(c wcs.AxisCoords) wcs.AxisCoords {
		out := c
		out.Axes, out.Shape = axes, shape
		total := 1
		for _, s := range shape {
			total *= s
		}
		out.Values = make([]float64, total)
		for k := range total {
			rest, src, stride := k, 0, 1
			idx := make([]int, len(axes))
			for j := len(axes) - 1; j >= 0; j-- {
				idx[j] = rest % shape[j]
				rest /= shape[j]
			}
			for j := len(c.Axes) - 1; j >= 0; j-- {
				src += idx[slices.Index(axes, c.Axes[j])] * stride
				stride *= c.Shape[j]
			}
			out.Values[k] = c.Values[src]
		}
		return out
	}
	return spread(a), spread(b)
}

// coordValues is ndcube 2.0.3's CoordValues named tuple: one Quantity per selected world
// axis, last world axis first, named by physical type (':' and '.' as '_').
func coordValues(env *obj.Env, coords []wcs.AxisCoords, worlds map[int]bool) (any, error) {
	t := &namedTuple{name: "CoordValues"}
	for i := len(coords) - 1; i >= 0; i-- {
		if !worlds[i] {
			continue
		}
		q, err := axisQuantity(env, coords[i])
		if err != nil {
			return nil, err
		}
		t.fields = append(t.fields, strings.NewReplacer(":", "_", ".", "_").Replace(coords[i].PhysicalType))
		t.values = append(t.values, q)
	}
	t.typ = &obj.Type{Name: t.name, Doc: "A named tuple: t.field or t[i]."}
	for i, f := range t.fields {
		t.typ.Members = append(t.typ.Members, obj.Attr(f, "The "+f+" coordinates.", func(env *obj.Env, recv any) (any, error) { return recv.(*namedTuple).values[i], nil }))
	}
	return t, nil
}

// namedTuple is a collections.namedtuple value: fields by name, items by index.
type namedTuple struct {
	name   string
	fields []string
	values []any
	typ    *obj.Type
}

// Type returns the tuple's own member table (its fields).
func (t *namedTuple) Type() *obj.Type { return t.typ }

// Items are the values, for len() and iteration.
func (t *namedTuple) Items() []any { return t.values }

// GetItem is t[i].
func (t *namedTuple) GetItem(env *obj.Env, key any) (any, error) {
	i, ok := key.(int)
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "tuple indices must be integers, not %s", obj.TypeName(key))
	}
	if i < 0 {
		i += len(t.values)
	}
	if i < 0 || i >= len(t.values) {
		return nil, obj.Errorf(obj.IndexError, "tuple index out of range")
	}
	return t.values[i], nil
}

// MimeBundle is the namedtuple's repr: Name(field=value, ...).
func (t *namedTuple) MimeBundle() map[string]any {
	parts := make([]string, len(t.fields))
	for i, f := range t.fields {
		text := fmt.Sprint(t.values[i])
		if m, ok := t.values[i].(obj.MimeBundler); ok {
			text, _ = m.MimeBundle()["text/plain"].(string)
		}
		parts[i] = f + "=" + text
	}
	return map[string]any{"text/plain": t.name + "(" + strings.Join(parts, ", ") + ")"}
}
