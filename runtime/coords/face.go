package coords

import (
	"gokist/runtime/numpy"
	"strings"
	"sync"

	"gokist/obj"
	aunits "gokist/runtime/astropy/units"
	"gokist/runtime/units"
)

// The Python face: SkyCoord, sunpy's frame classes and their members.

var (
	skyCoordType = &obj.Type{Name: "SkyCoord", Doc: "A celestial or solar coordinate in a frame (astropy.coordinates.SkyCoord).", Signature: "SkyCoord(*args, frame=None, obstime=None, observer=None, rsun=None, unit=None)"}
	frameTypes   = map[kind]*obj.Type{}
)

// Type is SkyCoord's or the frame class's member table.
func (c *coord) Type() *obj.Type {
	if c.sky {
		return skyCoordType
	}
	return frameTypes[c.frame.kind]
}

// namedQuantity is an astropy Quantity subclass (Angle, Longitude, Latitude, Distance):
// a Quantity that prints its class name.
type namedQuantity struct {
	*aunits.Quantity
	class string
}

func (q namedQuantity) String() string { return aunits.NamedQuantityRepr(q.Quantity, q.class) }

var (
	namedTypesMu sync.Mutex
	namedTypes   = map[string]*obj.Type{}
)

// Type is Quantity's member table under the class name, each member called on the
// Quantity inside.
func (q namedQuantity) Type() *obj.Type {
	namedTypesMu.Lock()
	defer namedTypesMu.Unlock()
	if t, ok := namedTypes[q.class]; ok {
		return t
	}
	base := q.Quantity.Type()
	t := &obj.Type{Name: q.class, Doc: base.Doc, Signature: base.Signature}
	for _, m := range base.Members {
		w := *m
		inner := func(r any) any {
			if n, ok := r.(namedQuantity); ok {
				return n.Quantity
			}
			return r
		}
		if m.Get != nil {
			w.Get = func(env *obj.Env, r any) (any, error) { return m.Get(env, inner(r)) }
		}
		if m.Call != nil {
			w.Call = func(env *obj.Env, r any, a obj.Args) (any, error) { return m.Call(env, inner(r), a) }
		}
		if m.Set != nil {
			w.Set = func(env *obj.Env, r any, v any) error { return m.Set(env, inner(r), v) }
		}
		t.Members = append(t.Members, &w)
	}
	if q.class != "Distance" {
		for _, a := range angleAttrs {
			t.Members = append(t.Members, &obj.Member{Name: a.name, Doc: "The angle in " + a.unit + ".", Get: func(env *obj.Env, r any) (any, error) {
				out, err := r.(namedQuantity).To(env, a.unit)
				if err != nil {
					return nil, err
				}
				val, _ := out.(obj.QuantityValue).QuantityParts()
				return val, nil
			}})
		}
	}
	for _, m := range t.Members {
		if m.Name == "to" {
			call := m.Call
			m.Call = func(env *obj.Env, r any, a obj.Args) (any, error) {
				out, err := call(env, r, a)
				return keepClass(r.(namedQuantity).class, out), err
			}
		}
	}
	namedTypes[q.class] = t
	return t
}

// angleAttrs are astropy Angle's unit attributes (a.deg, a.arcsec, ...).
var angleAttrs = []struct{ name, unit string }{
	{"deg", "deg"}, {"degree", "deg"}, {"arcsec", "arcsec"}, {"arcmin", "arcmin"}, {"rad", "rad"}, {"radian", "rad"}, {"hour", "hourangle"}, {"hourangle", "hourangle"},
}

// To converts to a unit, keeping the class.
func (q namedQuantity) To(env *obj.Env, unit string) (any, error) {
	u, err := units.Parse(unit)
	if err != nil {
		return nil, err
	}
	f, err := aunits.QuantityUnit(q.Quantity).ScaleTo(u)
	if err != nil {
		return nil, err
	}
	val, _ := q.QuantityParts()
	switch x := val.(type) {
	case float64:
		return quantityOf(env, q.class, []float64{x * f}, nil, unit)
	case interface {
		Float64s(*obj.Env) ([]float64, []int, error)
	}:
		xs, shape, err := x.Float64s(env)
		if err != nil {
			return nil, err
		}
		out := make([]float64, len(xs))
		for i, v := range xs {
			out[i] = v * f
		}
		return quantityOf(env, q.class, out, shape, unit)
	}
	return nil, obj.Errorf(obj.TypeError, "cannot convert a %s", obj.TypeName(val))
}

// keepClass gives a conversion's result its class back (Longitude.to(u.deg) is a
// Longitude).
func keepClass(class string, v any) any {
	if q, ok := v.(*aunits.Quantity); ok {
		return namedQuantity{q, class}
	}
	return v
}

// BinaryOp is the Quantity's arithmetic; astropy's angle classes give an Angle when the
// result is still an angle (Longitude + Latitude is an Angle), a Quantity otherwise.
func (q namedQuantity) BinaryOp(env *obj.Env, op string, other any, reflected bool) (any, bool, error) {
	out, handled, err := q.Quantity.BinaryOp(env, op, other, reflected)
	if r, ok := out.(*aunits.Quantity); ok && q.class != "Distance" && aunits.QuantityUnit(r).Equivalent(units.MustUnit("rad")) {
		switch op {
		case "+", "-", "*", "/":
			return namedQuantity{r, "Angle"}, handled, err
		}
	}
	return out, handled, err
}
func (q namedQuantity) MimeBundle() map[string]any {
	return map[string]any{"text/plain": q.String()}
}

// quantityOf makes a (named) Quantity of values in unit, scalar when shape is nil.
func quantityOf(env *obj.Env, class string, vals []float64, shape []int, unit string) (any, error) {
	var v any = vals[0]
	if shape != nil {
		v = numpy.FloatArray(vals, shape)
	}
	u := units.Scalar(1)
	if unit != "" {
		var err error
		if u, err = units.Parse(unit); err != nil {
			return nil, err
		}
	}
	q, err := aunits.NewQuantity(env, v, u)
	if err != nil {
		return nil, err
	}
	if class == "" {
		return q, nil
	}
	return namedQuantity{q, class}, nil
}

// component is one of the coordinate's components as astropy gives it.
func (c *coord) component(env *obj.Env, k int) (any, error) {
	if c.noData {
		return nil, obj.Errorf("ValueError", "The frame object %q does not have associated data", kinds[c.frame.kind].class)
	}
	names, unitList, cols := c.columns()
	if k >= len(cols) {
		if c.frame.kind == hpc {
			// sunpy: a 2-D helioprojective coordinate's distance is its make_3d's.
			out, err := c.make3DFace()
			if err != nil {
				return nil, err
			}
			return out.component(env, k)
		}
		// astropy: a unit-spherical coordinate's distance is dimensionless 1.
		ones := make([]float64, c.size())
		for i := range ones {
			ones[i] = 1
		}
		return quantityOf(env, "", ones, c.shape, "")
	}
	_ = names
	class := ""
	switch {
	case c.xyz != nil:
	case k == 0:
		class = "Longitude"
	case k == 1:
		class = "Latitude"
	default:
		class = "Distance"
	}
	return quantityOf(env, class, cols[k], c.shape, unitList[k])
}

// make3DFace is make_3d() as a cell calls it.
func (c *coord) make3DFace() (*coord, error) {
	if c.frame.kind != hpc {
		return c.make3D(0, 0, ""), nil
	}
	_, _, d, unit, err := c.frame.observerHGS()
	if err != nil {
		return nil, err
	}
	return c.make3D(d, c.frame.rsun, unit), nil
}

func getter(name, doc string, get func(env *obj.Env, c *coord) (any, error)) *obj.Member {
	return &obj.Member{Name: name, Doc: doc, Get: func(env *obj.Env, r any) (any, error) { return get(env, r.(*coord)) }}
}

func method(name, sig, doc string, params []obj.Param, call func(env *obj.Env, c *coord, v []any) (any, error)) *obj.Member {
	return &obj.Member{Name: name, Signature: sig, Doc: doc, Params: params, Call: func(env *obj.Env, r any, args obj.Args) (any, error) {
		v, err := args.Bind(name, params)
		if err != nil {
			return nil, err
		}
		return call(env, r.(*coord), v)
	}}
}

// commonMembers are what SkyCoord and every frame answer.
func commonMembers() []*obj.Member {
	m := []*obj.Member{
		getter("obstime", "The time of the observation.", func(_ *obj.Env, c *coord) (any, error) {
			if c.frame.obstime == nil {
				return nil, nil
			}
			return c.frame.obstime, nil
		}),
		getter("observer", "The observer (HeliographicStonyhurst), or None.", func(_ *obj.Env, c *coord) (any, error) {
			if c.frame.observerStr != "" {
				return c.frame.observerStr, nil
			}
			if c.frame.observer == nil {
				return nil, nil
			}
			return c.frame.observer, nil
		}),
		getter("rsun", "The radius of the Sun's surface.", func(env *obj.Env, c *coord) (any, error) {
			return quantityOf(env, "", []float64{c.frame.rsun / 1000}, nil, "km")
		}),
		getter("name", "The frame's name in the transform graph.", func(_ *obj.Env, c *coord) (any, error) { return kinds[c.frame.kind].name, nil }),
		getter("shape", "The shape of the data.", func(_ *obj.Env, c *coord) (any, error) {
			t := obj.Tuple{}
			for _, n := range c.shape {
				t = append(t, n)
			}
			return t, nil
		}),
		getter("size", "The number of positions.", func(_ *obj.Env, c *coord) (any, error) { return c.size(), nil }),
		getter("isscalar", "Whether the coordinate is one position.", func(_ *obj.Env, c *coord) (any, error) { return c.shape == nil, nil }),
		getter("has_data", "Whether the frame has data.", func(_ *obj.Env, c *coord) (any, error) { return !c.noData, nil }),
		method("transform_to", "transform_to(frame)", "The coordinate in another frame: a frame name, a frame object or class, or a SkyCoord.", []obj.Param{{Name: "frame"}},
			func(env *obj.Env, c *coord, v []any) (any, error) {
				f, err := targetFrame(env, v[0])
				if err != nil {
					if _, ok := v[0].(string); ok {
						return nil, obj.Errorf(obj.ValueError, "Transform `frame` must be a frame name, class, or instance")
					}
					return nil, err
				}
				return c.transformTo(f, c.sky)
			}),
		method("make_3d", "make_3d()", "The coordinate with the distance to the Sun's surface (sunpy); a SkyCoord gives its frame's.", nil,
			func(_ *obj.Env, c *coord, _ []any) (any, error) {
				out, err := c.make3DFace()
				if err != nil {
					return nil, err
				}
				o := *out
				o.sky = false
				return &o, nil
			}),
		method("separation", "separation(other)", "The angle on the sky between this coordinate and another (astropy's Vincenty formula).", []obj.Param{{Name: "other"}},
			func(env *obj.Env, c *coord, v []any) (any, error) { return c.separation(env, v[0]) }),
	}
	return m
}

func init() {
	names := map[string]bool{}
	for k, info := range kinds {
		t := &obj.Type{Name: info.class, Doc: "The " + info.class + " coordinate frame.", Signature: info.class + "(*args, obstime=None, observer=None, rsun=None)"}
		t.Members = commonMembers()
		for i, comp := range info.comps {
			t.Members = append(t.Members, getter(comp, "The "+comp+" component.", func(env *obj.Env, c *coord) (any, error) { return c.component(env, i) }))
			if !names[comp] {
				names[comp] = true
				skyCoordType.Members = append(skyCoordType.Members, getter(comp, "The "+comp+" component.", func(env *obj.Env, c *coord) (any, error) {
					for j, n := range kinds[c.frame.kind].comps {
						if n == comp {
							return c.component(env, j)
						}
					}
					return nil, obj.Errorf("AttributeError", "'SkyCoord' object has no attribute '%s'", comp)
				}))
			}
		}
		frameTypes[k] = t
		skyCoordType.Members = append(skyCoordType.Members, getter(info.name, "This coordinate in the "+info.class+" frame.", func(env *obj.Env, c *coord) (any, error) {
			return c.transformTo(frame{kind: k, rsun: c.frame.rsun}, true)
		}))
	}
	skyCoordType.Members = append(skyCoordType.Members, commonMembers()...)
	skyCoordType.Members = append(skyCoordType.Members, getter("frame", "The frame object of this SkyCoord.", func(_ *obj.Env, c *coord) (any, error) {
		out := *c
		out.sky = false
		return &out, nil
	}))
}

// GetItem indexes a coordinate array along its first axis (an int or a slice).
func (c *coord) GetItem(_ *obj.Env, key any) (any, error) {
	if c.shape == nil || c.noData {
		return nil, obj.Errorf(obj.TypeError, "scalar '%s' frame object does not support indexing", kinds[c.frame.kind].class)
	}
	n, row := c.shape[0], 1
	for _, d := range c.shape[1:] {
		row *= d
	}
	var rows []int
	var shape []int
	switch k := key.(type) {
	case int:
		i := k
		if i < 0 {
			i += n
		}
		if i < 0 || i >= n {
			return nil, obj.Errorf("IndexError", "index %d is out of bounds for axis 0 with size %d", k, n)
		}
		rows = []int{i}
		if len(c.shape) > 1 {
			shape = append([]int(nil), c.shape[1:]...)
		}
	case obj.Slice:
		start, stop, step, err := k.Indices(n)
		if err != nil {
			return nil, err
		}
		for i := start; (step > 0 && i < stop) || (step < 0 && i > stop); i += step {
			rows = append(rows, i)
		}
		shape = append([]int{len(rows)}, c.shape[1:]...)
	default:
		return nil, obj.Errorf("IndexError", "gokist indexes a coordinate array by one integer or slice on its first axis, not %s", obj.TypeName(key))
	}
	var idx []int
	for _, r := range rows {
		for j := range row {
			idx = append(idx, r*row+j)
		}
	}
	out := *c
	out.shape = shape
	out.lon, out.lat, out.dist, out.xyz = pick(c.lon, idx), pick(c.lat, idx), pick(c.dist, idx), nil
	if c.xyz != nil {
		for _, i := range idx {
			out.xyz = append(out.xyz, c.xyz[i])
		}
	}
	return &out, nil
}

func pick(xs []float64, idx []int) []float64 {
	if xs == nil {
		return nil
	}
	out := make([]float64, len(idx))
	for j, i := range idx {
		out[j] = xs[i]
	}
	return out
}

// separation is SkyCoord.separation: other in this frame, then the angle between the
// directions, as an Angle in degrees.
func (c *coord) separation(env *obj.Env, other any) (any, error) {
	o, ok := other.(*coord)
	if !ok || o.noData {
		return nil, obj.Errorf(obj.TypeError, "separation takes a coordinate, not %s", obj.TypeName(other))
	}
	if o.frame.kind != c.frame.kind || !sameTime(o.frame.obstime, c.frame.obstime) || !sameObserver(o.frame.observer, c.frame.observer) {
		var err error
		if o, err = o.transformTo(c.frame, o.sky); err != nil {
			return nil, err
		}
	}
	a, b := c.directions(), o.directions()
	n := max(len(a), len(b))
	if len(a) != len(b) && len(a) != 1 && len(b) != 1 {
		return nil, obj.Errorf("ValueError", "operands could not be broadcast together with shapes (%d,) (%d,)", len(a), len(b))
	}
	out := make([]float64, n)
	for i := range out {
		p, q := a[min(i, len(a)-1)], b[min(i, len(b)-1)]
		out[i] = separation(p[0], p[1], q[0], q[1]) / deg
	}
	shape := c.shape
	if shape == nil {
		shape = o.shape
	}
	return quantityOf(env, "Angle", out, shape, "deg")
}

// directions are the positions' (lon, lat) in radians.
func (c *coord) directions() [][2]float64 {
	var out [][2]float64
	if c.xyz != nil {
		for _, v := range c.xyz {
			lon, lat, _ := cartesianToSpherical(v)
			out = append(out, [2]float64{lon, lat})
		}
		return out
	}
	for i := range c.lon {
		out = append(out, [2]float64{c.lonRad(i), c.latRad(i)})
	}
	return out
}

// lowerName is a frame name as astropy matches it.
func lowerName(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
