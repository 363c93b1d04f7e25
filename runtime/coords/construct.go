package coords

import (
	"gokist/obj"
	atime "gokist/runtime/astropy/time"
	aunits "gokist/runtime/astropy/units"
	"gokist/runtime/units"
)

// Building coordinates from a cell's arguments: SkyCoord(...), frames.Helioprojective(...),
// the frame a transform_to names, and the observer a frame takes.

// frameClass is a frame class (sunpy.coordinates.frames.Helioprojective, ICRS): calling
// it makes a frame, with data when given components.
type frameClass struct{ kind kind }

var frameClassType = &obj.Type{Name: "type", Doc: "A coordinate frame class."}

func (c frameClass) Type() *obj.Type { return frameClassType }

func (c frameClass) path() string {
	if c.kind == icrs {
		return "astropy.coordinates.builtin_frames.icrs.ICRS"
	}
	return "sunpy.coordinates.frames." + kinds[c.kind].class
}

func (c frameClass) String() string { return "<class '" + c.path() + "'>" }
func (c frameClass) MimeBundle() map[string]any {
	return map[string]any{"text/plain": c.String()}
}

// Call makes a frame of the class.
func (c frameClass) Call(env *obj.Env, args obj.Args) (any, error) {
	return newCoord(env, c.kind, args, false)
}

// newSkyCoord is SkyCoord(*args, frame=..., **attrs).
func newSkyCoord(env *obj.Env, args obj.Args) (any, error) {
	if len(args.Pos) == 1 {
		if c, ok := args.Pos[0].(*coord); ok && !c.noData {
			out := *c
			out.sky, out.name = true, ""
			return &out, nil
		}
	}
	k := icrs
	kw := map[string]any{}
	for n, v := range args.Kw {
		kw[n] = v
	}
	if fv, ok := kw["frame"]; ok {
		delete(kw, "frame")
		f, err := targetFrame(env, fv)
		if err != nil {
			return nil, err
		}
		k = f.kind
		// A frame object's attributes are the defaults of the keywords.
		if fc, ok := fv.(*coord); ok {
			setDefault(kw, "obstime", fc.frame.obstime)
			if fc.frame.observer != nil {
				setDefault(kw, "observer", fc.frame.observer)
			}
		}
	}
	return newCoord(env, k, obj.Args{Pos: args.Pos, Kw: kw}, true)
}

func setDefault(kw map[string]any, name string, v any) {
	if _, ok := kw[name]; !ok && v != nil {
		if t, ok := v.(*atime.Time); ok && t == nil {
			return
		}
		kw[name] = v
	}
}

// newCoord builds a frame of kind k from components (positional or by name) and frame
// attributes.
func newCoord(env *obj.Env, k kind, args obj.Args, sky bool) (*coord, error) {
	info := kinds[k]
	f := frame{kind: k, rsun: rsunSunpy}
	comps := append([]any(nil), args.Pos...)
	var unit any
	for name, v := range args.Kw {
		switch name {
		case "obstime", "observer", "rsun":
		case "unit":
			unit = v
		case "representation_type":
		default:
			idx := -1
			for i, c := range info.comps {
				if c == name {
					idx = i
				}
			}
			if idx < 0 {
				return nil, obj.Errorf(obj.TypeError, "%s got unexpected keyword argument '%s'", coordName(k, sky), name)
			}
			for len(comps) <= idx {
				comps = append(comps, nil)
			}
			comps[idx] = v
		}
	}
	if err := f.setAttrs(env, args.Kw); err != nil {
		return nil, err
	}
	if len(comps) == 0 {
		if sky {
			return nil, obj.Errorf(obj.ValueError, "Cannot create a SkyCoord without data")
		}
		return &coord{frame: f, noData: true}, nil
	}
	c, err := coordData(k, comps, unit)
	if err != nil {
		return nil, err
	}
	c.frame, c.sky = f, sky
	return c, nil
}

func coordName(k kind, sky bool) string {
	if sky {
		return "SkyCoord"
	}
	return kinds[k].class
}

// setAttrs takes obstime, rsun and observer from keywords.
func (f *frame) setAttrs(env *obj.Env, kw map[string]any) error {
	if v, ok := kw["obstime"]; ok && v != nil {
		t, err := atime.ParseTime(env, v)
		if err != nil {
			return err
		}
		f.obstime = t
	}
	if v, ok := kw["rsun"]; ok && v != nil {
		r, _, _, err := quantityValues(v, "m", "rsun")
		if err != nil || len(r) != 1 {
			return obj.Errorf(obj.TypeError, "rsun must be one length (a Quantity), not %s", obj.TypeName(v))
		}
		f.rsun = r[0]
	}
	if v, ok := kw["observer"]; ok && v != nil {
		return f.setObserver(v)
	}
	return nil
}

// setObserver is sunpy's ObserverCoordinateAttribute: a body name ("earth", resolved
// once there is an obstime) or a coordinate, kept in HGS.
func (f *frame) setObserver(v any) error {
	switch x := v.(type) {
	case string:
		if lowerName(x) != "earth" {
			return obj.Errorf(obj.ValueError, "gokist's observer may be 'earth' or a coordinate, not '%s'", x)
		}
		if f.obstime == nil {
			f.observerStr = "earth"
			return nil
		}
		e, err := earthCoord(f.obstime)
		if err != nil {
			return err
		}
		e.sky, e.name = false, "earth"
		f.observer = e
		return nil
	case *coord:
		if x.noData || x.size() != 1 {
			return obj.Errorf(obj.ValueError, "the observer must be one coordinate with data")
		}
		o := x
		if x.frame.kind != hgs {
			var err error
			if o, err = x.transformTo(frame{kind: hgs, obstime: x.frame.obstime, rsun: x.frame.rsun}, false); err != nil {
				return err
			}
		}
		out := *o
		out.sky = false
		f.observer = &out
		return nil
	}
	return obj.Errorf(obj.ValueError, "Cannot parse coordinates from first argument").WithHint("observer is 'earth' or a coordinate, not %s", obj.TypeName(v))
}

// targetFrame is the frame transform_to or frame= names.
func targetFrame(env *obj.Env, v any) (frame, error) {
	switch x := v.(type) {
	case string:
		k, ok := kindNamed(lowerName(x))
		if !ok {
			return frame{}, obj.Errorf(obj.ValueError, "Coordinate frame name \"%s\" is not a known coordinate frame", x).WithHint("gokist has the frames 'helioprojective', 'heliographic_stonyhurst', 'heliographic_carrington', 'heliocentric' and 'icrs'")
		}
		return frame{kind: k, rsun: rsunSunpy}, nil
	case frameClass:
		return frame{kind: x.kind, rsun: rsunSunpy}, nil
	case *coord:
		return x.frame, nil
	}
	return frame{}, obj.Errorf(obj.ValueError, "Cannot transform to a %s: give a frame name, class or object, or a SkyCoord", obj.TypeName(v))
}

// coordData makes the data of a kind-k coordinate from its components.
func coordData(k kind, comps []any, unit any) (*coord, error) {
	info := kinds[k]
	if len(comps) < 2 || len(comps) > 3 || (info.angleUnit == "" && len(comps) != 3) {
		return nil, obj.Errorf(obj.TypeError, "%s takes %s components, got %d", info.class, componentCount(k), len(comps))
	}
	units := unitList(unit, len(comps))
	c := &coord{}
	vals := make([][]float64, len(comps))
	var shape []int
	for i, v := range comps {
		want := "m"
		if info.angleUnit != "" && i < 2 {
			want = info.angleUnit
		}
		if v == nil {
			return nil, obj.Errorf(obj.TypeError, "%s is missing the component '%s'", info.class, info.comps[i])
		}
		if units[i] != "" {
			if q, err := aunits.ParseUnitValue(v, units[i]); err == nil {
				v = q
			}
		}
		xs, sh, u, err := quantityValues(v, want, componentClass(k, i))
		if err != nil {
			return nil, err
		}
		if i > 0 && len(xs) != len(vals[0]) {
			return nil, obj.Errorf(obj.ValueError, "Input parameters %s and %s cannot be broadcast", info.comps[0], info.comps[i])
		}
		vals[i], shape = xs, sh
		if want == "m" {
			c.distUnit = u
		}
	}
	c.shape = shape
	if info.angleUnit == "" {
		for i := range vals[0] {
			c.xyz = append(c.xyz, vec{vals[0][i], vals[1][i], vals[2][i]})
		}
		return c, nil
	}
	c.lon, c.lat = vals[0], vals[1]
	if len(vals) == 3 {
		c.dist = vals[2]
	}
	return c, nil
}

func componentCount(k kind) string {
	if kinds[k].angleUnit == "" {
		return "3"
	}
	return "2 or 3"
}

func componentClass(k kind, i int) string {
	switch {
	case kinds[k].angleUnit == "":
		return "Quantity"
	case i == 0:
		return "Longitude"
	case i == 1:
		return "Latitude"
	}
	return "Distance"
}

// unitList spreads unit= (one unit or one per component) over n components.
func unitList(unit any, n int) []string {
	out := make([]string, n)
	switch u := unit.(type) {
	case string:
		for i := range out {
			out[i] = u
		}
	case obj.Tuple:
		for i := range min(n, len(u)) {
			out[i], _ = u[i].(string)
		}
	}
	return out
}

// quantityValues takes a Quantity's values in the SI unit want ("rad" or "m"), its
// shape (nil for a scalar) and its unit as astropy writes it.
func quantityValues(v any, want, class string) ([]float64, []int, string, error) {
	q, ok := v.(obj.QuantityValue)
	if !ok {
		return nil, nil, "", obj.Errorf("UnitTypeError", "%s instances require units equivalent to '%s', but no unit was given.", class, siName(want))
	}
	val, us := q.QuantityParts()
	u, err := units.Parse(us)
	if err != nil {
		return nil, nil, "", err
	}
	f, err := u.ScaleTo(units.MustUnit(want))
	if err != nil {
		if us == "" {
			return nil, nil, "", obj.Errorf("UnitTypeError", "%s instances require units equivalent to '%s', but no unit was given.", class, siName(want))
		}
		return nil, nil, "", obj.Errorf("UnitTypeError", "%s instances require units equivalent to '%s', so cannot set it to '%s'.", class, siName(want), us)
	}
	var xs []float64
	var shape []int
	switch x := val.(type) {
	case float64:
		xs = []float64{x}
	case int:
		xs = []float64{float64(x)}
	case interface {
		Float64s(*obj.Env) ([]float64, []int, error)
	}:
		if xs, shape, err = x.Float64s(nil); err != nil {
			return nil, nil, "", err
		}
		if len(shape) == 0 {
			shape = nil
		}
	default:
		return nil, nil, "", obj.Errorf(obj.TypeError, "a %s's value must be numbers, not %s", class, obj.TypeName(val))
	}
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x * f
	}
	return out, shape, us, nil
}

// siName is the SI unit astropy names in its UnitTypeError for a kind of quantity.
func siName(unit string) string {
	if unit == "m" {
		return "m"
	}
	return "rad"
}
