package coords

import (
	"gokist/runtime/numpy"
	"math"
	"strconv"
	"strings"

	"gokist/obj"
	atime "gokist/runtime/astropy/time"
)

// The modules: astropy.coordinates, sunpy.coordinates (+ .frames, .sun, .ephemeris) and
// sunpy, and the dataset's seam (obj.RegisterSkyCoord).

// earthCoord is sunpy's get_earth: a SkyCoord in HGS, longitude 0, radius in AU; for
// an array of times, an array of positions with that obstime (which gokist's
// transforms do not take: they need one obstime).
func earthCoord(t *atime.Time) (*coord, error) {
	f := frame{kind: hgs, obstime: t, rsun: rsunSunpy}
	jd1, jd2, shape, scale, _ := atime.TimeParts(t)
	c := &coord{frame: f, shape: shape, distUnit: "AU", sky: true}
	for i := range jd1 {
		e, err := frame{kind: hgs, obstime: atime.TimeLike(t, jd1[i:i+1], jd2[i:i+1], nil, scale)}.ephem()
		if err != nil {
			return nil, err
		}
		lat, r := e.earthHGS()
		c.lon, c.lat, c.dist = append(c.lon, 0), append(c.lat, lat/deg), append(c.dist, r)
	}
	return c, nil
}

// bodyHGS is sunpy's get_body_heliographic_stonyhurst for the Earth and the Sun: ICRS
// → HCRS → HGS of the body's barycentric position, at the time its light left it for
// the observer when there is one (sunpy's iteration to 1e-8 s).
func bodyHGS(env *obj.Env, t *atime.Time, body string, observer *coord) (*coord, error) {
	f := frame{kind: hgs, obstime: t, rsun: rsunSunpy}
	e, err := f.ephem()
	if err != nil {
		return nil, err
	}
	name := strings.ToLower(body)
	if name != "earth" && name != "sun" {
		return nil, obj.Errorf("KeyError", "'%s'", body).WithHint("gokist's builtin ephemeris has the bodies 'earth' and 'sun'")
	}
	at := func(x ephemeris) vec {
		if name == "earth" {
			return x.earth
		}
		return x.sun
	}
	pos := at(e)
	if observer != nil {
		if pos, err = emittedPosition(env, t, observer, at); err != nil {
			return nil, err
		}
	}
	v := e.hcrsToHGS().apply(pos.sub(e.sun))
	return withVectors(f, []vec{v}, nil, "AU", false), nil
}

// emittedPosition is the body's barycentric position when the light the observer sees
// at t left it, as sunpy iterates it, with sunpy's INFO message.
func emittedPosition(env *obj.Env, t *atime.Time, observer *coord, at func(ephemeris) vec) (vec, error) {
	o, err := observer.transformTo(frame{kind: icrs}, false)
	if err != nil {
		return vec{}, err
	}
	if !o.is3D() {
		return vec{}, obj.Errorf("ValueError", "the observer needs a distance")
	}
	op := o.cartesian()[0]
	ltt, delta := 0.0, 1.0
	var pos vec
	for k := 0; math.Abs(delta) > 1e-8 && k < 50; k++ {
		emitted, err := shiftTime(t, -ltt)
		if err != nil {
			return vec{}, err
		}
		x, err := frame{kind: hgs, obstime: emitted}.ephem()
		if err != nil {
			return vec{}, err
		}
		pos = at(x)
		d := pos.sub(op).norm() / cLight
		delta, ltt = ltt-d, d
	}
	if env != nil && env.Out != nil {
		env.Out.Stream("stderr", "INFO: Apparent body location accounts for "+strconv.FormatFloat(ltt, 'f', 2, 64)+" seconds of light travel time [sunpy.coordinates.ephemeris]\n")
	}
	return pos, nil
}

// timeArg is sunpy's parse_time of a function's time argument.
func timeArg(env *obj.Env, v any) (*atime.Time, error) {
	if v == nil {
		return nil, obj.Errorf("NotImplementedError", "gokist needs the time: give a Time or an ISO string ('now' is not supported)")
	}
	return atime.ParseTime(env, v)
}

func fn(name, sig, doc string, params []obj.Param, call func(env *obj.Env, v []any) (any, error)) *obj.Func {
	return &obj.Func{Name: name, Signature: sig, Doc: doc, Params: params, Call: func(env *obj.Env, args obj.Args) (any, error) {
		v, err := args.Bind(name, params)
		if err != nil {
			return nil, err
		}
		return call(env, v)
	}}
}

var (
	getEarth = fn("get_earth", "get_earth(time='now')", "The Earth's position in Heliographic Stonyhurst at a time (a SkyCoord).", []obj.Param{{Name: "time", Default: "'now'"}},
		func(env *obj.Env, v []any) (any, error) {
			t, err := timeArg(env, v[0])
			if err != nil {
				return nil, err
			}
			return earthCoord(t)
		})
	getBody = fn("get_body_heliographic_stonyhurst", "get_body_heliographic_stonyhurst(body, time='now', observer=None)", "A body's position in Heliographic Stonyhurst ('earth' or 'sun', astropy's builtin ephemeris).", []obj.Param{{Name: "body"}, {Name: "time", Default: "'now'"}, {Name: "observer", Default: "None"}},
		func(env *obj.Env, v []any) (any, error) {
			body, ok := v[0].(string)
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "body must be a name, not %s", obj.TypeName(v[0]))
			}
			var observer *coord
			if v[2] != nil {
				o, ok := v[2].(*coord)
				if !ok || o.noData || o.size() != 1 {
					return nil, obj.Errorf(obj.ValueError, "Cannot parse coordinates from first argument").WithHint("observer is one coordinate, not %s", obj.TypeName(v[2]))
				}
				observer = o
			}
			t, err := timeArg(env, v[1])
			if err != nil {
				return nil, err
			}
			return bodyHGS(env, t, body, observer)
		})
)

// sunFunc is a sunpy.coordinates.sun function of a time or an array of times.
func sunFunc(name, doc string, call func(env *obj.Env, t *atime.Time, e ephemeris) (any, error)) *obj.Func {
	return fn(name, name+"(time='now')", doc, []obj.Param{{Name: "time", Default: "'now'"}}, func(env *obj.Env, v []any) (any, error) {
		t, err := timeArg(env, v[0])
		if err != nil {
			return nil, err
		}
		jd1, jd2, shape, scale, _ := atime.TimeParts(t)
		if shape == nil {
			e, err := frame{kind: hgs, obstime: t}.ephem()
			if err != nil {
				return nil, err
			}
			return call(env, t, e)
		}
		// Each time on its own, gathered into one array of the same class and unit.
		results := make([]any, len(jd1))
		for i := range jd1 {
			ti := atime.TimeLike(t, jd1[i:i+1], jd2[i:i+1], nil, scale)
			e, err := frame{kind: hgs, obstime: ti}.ephem()
			if err != nil {
				return nil, err
			}
			if results[i], err = call(env, ti, e); err != nil {
				return nil, err
			}
		}
		return gather(env, results, shape)
	})
}

// gather makes one array of per-time results: floats into an array, (named)
// Quantities into one of the same class and unit.
func gather(env *obj.Env, results []any, shape []int) (any, error) {
	vals := make([]float64, len(results))
	class, unit := "", ""
	for i, r := range results {
		switch x := r.(type) {
		case float64:
			vals[i] = x
		case namedQuantity:
			v, u := x.QuantityParts()
			vals[i], _ = v.(float64)
			class, unit = x.class, u
		default:
			return nil, obj.Errorf(obj.TypeError, "cannot gather %s", obj.TypeName(r))
		}
	}
	if class == "" {
		return numpy.FloatArray(vals, shape), nil
	}
	return quantityOf(env, class, vals, shape, unit)
}

// l0Of is L0 at a frame's single obstime.
func l0Of(t *atime.Time, e ephemeris) (float64, error) {
	jd1, jd2, sc, err := frame{obstime: t}.timeOf("HeliographicCarrington")
	if err != nil {
		return 0, err
	}
	return e.l0(jd1, jd2, sc)
}

func sunModule() *obj.Module {
	return obj.NewModule("sunpy.coordinates.sun", "Solar ephemeris (sunpy.coordinates.sun).", map[string]any{
		"angular_radius": sunFunc("angular_radius", "The Sun's angular radius seen from the Earth (an Angle in arcsec).", func(env *obj.Env, _ *atime.Time, e ephemeris) (any, error) {
			return quantityOf(env, "Angle", []float64{math.Asin(rsunSunpy/e.earthDistance()) / deg * 3600}, nil, "arcsec")
		}),
		"earth_distance": sunFunc("earth_distance", "The Sun-Earth distance (AU).", func(env *obj.Env, _ *atime.Time, e ephemeris) (any, error) {
			return quantityOf(env, "Distance", []float64{e.earthDistance() / au}, nil, "AU")
		}),
		"B0": sunFunc("B0", "The heliographic latitude of the Earth (a Latitude in deg).", func(env *obj.Env, _ *atime.Time, e ephemeris) (any, error) {
			lat, _ := e.earthHGS()
			return quantityOf(env, "Latitude", []float64{lat / deg}, nil, "deg")
		}),
		"L0": sunFunc("L0", "The Carrington longitude of the disk centre seen from the Earth (a Longitude in deg).", func(env *obj.Env, t *atime.Time, e ephemeris) (any, error) {
			l, err := l0Of(t, e)
			if err != nil {
				return nil, err
			}
			return quantityOf(env, "Longitude", []float64{l}, nil, "deg")
		}),
		"carrington_rotation_number": sunFunc("carrington_rotation_number", "The Carrington rotation number, with the fraction of the rotation.", func(env *obj.Env, t *atime.Time, e ephemeris) (any, error) {
			return carringtonRotation(t, e)
		}),
	})
}

// carringtonRotation is sunpy's carrington_rotation_number.
func carringtonRotation(t *atime.Time, e ephemeris) (any, error) {
	jd1, jd2, sc, err := frame{obstime: t}.timeOf("")
	if err != nil {
		return nil, err
	}
	days, err := daysSinceJ2000TT(jd1, jd2, sc)
	if err != nil {
		return nil, err
	}
	synodic := 1 / (siderealRate/360 - 1/365.25)
	estimate := ((days+2451545.0)-firstCarrJDTT)/synodic + 1
	whole := math.Floor(estimate)
	frac := estimate - whole
	l0, err := e.l0(jd1, jd2, sc)
	if err != nil {
		return nil, err
	}
	actual := 1 - l0/360
	return whole + actual + math.RoundToEven(frac-actual), nil
}

func frameClasses() map[string]any {
	return map[string]any{
		"Helioprojective":        frameClass{hpc},
		"HeliographicStonyhurst": frameClass{hgs},
		"HeliographicCarrington": frameClass{hgc},
		"Heliocentric":           frameClass{hcc},
	}
}

// skyCoordClass is astropy.coordinates.SkyCoord.
type skyCoordClass struct{}

// skyCoordClassType is the class's own table: the instance members take a coordinate.
var skyCoordClassType = &obj.Type{Name: "type", Doc: skyCoordType.Doc, Signature: skyCoordType.Signature}

func (skyCoordClass) Type() *obj.Type { return skyCoordClassType }
func (skyCoordClass) String() string  { return "<class 'astropy.coordinates.sky_coordinate.SkyCoord'>" }
func (c skyCoordClass) MimeBundle() map[string]any {
	return map[string]any{"text/plain": c.String()}
}
func (skyCoordClass) Call(env *obj.Env, args obj.Args) (any, error) { return newSkyCoord(env, args) }

func init() {
	obj.RegisterModule("astropy.coordinates", func(s obj.ModuleScope) (any, error) {
		attrs := map[string]any{
			"SkyCoord": skyCoordClass{},
			"ICRS":     frameClass{icrs},
			"SpectralCoord": &obj.Func{Name: "SpectralCoord", Signature: "SpectralCoord(value, unit=None, observer=None, target=None)", Doc: "A spectral coordinate, with the observer and target whose radial velocity it carries.",
				Call: newSpectralCoord},
		}
		if v, ok := s.Initial("ConvertError"); ok {
			attrs["ConvertError"] = v
		}
		return obj.NewModule("astropy.coordinates", "Celestial coordinates (astropy.coordinates): SkyCoord, ICRS, SpectralCoord.", attrs), nil
	})
	obj.RegisterModule("sunpy.coordinates.frames", func(obj.ModuleScope) (any, error) {
		return obj.NewModule("sunpy.coordinates.frames", "sunpy's solar coordinate frames.", frameClasses()), nil
	})
	obj.RegisterModule("sunpy.coordinates.sun", func(obj.ModuleScope) (any, error) { return sunModule(), nil })
	obj.RegisterModule("sunpy.coordinates.ephemeris", func(obj.ModuleScope) (any, error) {
		return obj.NewModule("sunpy.coordinates.ephemeris", "Positions of the Earth and the Sun.", map[string]any{"get_earth": getEarth, "get_body_heliographic_stonyhurst": getBody}), nil
	})
	obj.RegisterModule("sunpy.coordinates", func(s obj.ModuleScope) (any, error) {
		attrs := frameClasses()
		attrs["get_earth"], attrs["get_body_heliographic_stonyhurst"] = getEarth, getBody
		for _, sub := range []string{"frames", "sun", "ephemeris"} {
			m, err := s.Import("sunpy.coordinates." + sub)
			if err != nil {
				return nil, err
			}
			attrs[sub] = m
		}
		return obj.NewModule("sunpy.coordinates", "Solar coordinate frames and ephemeris (sunpy.coordinates).", attrs), nil
	})
	obj.RegisterModule("sunpy", func(s obj.ModuleScope) (any, error) {
		c, err := s.Import("sunpy.coordinates")
		if err != nil {
			return nil, err
		}
		return obj.NewModule("sunpy", "sunpy: solar physics in Python (its coordinates).", map[string]any{"coordinates": c}), nil
	})
	obj.RegisterSkyCoord(makeSkyCoord)
}

// makeSkyCoord is the dataset's seam: a helioprojective SkyCoord of a dataset's
// celestial axes, the observer from HGLN_OBS, HGLT_OBS and DSUN_OBS (or the Earth).
func makeSkyCoord(env *obj.Env, h obj.Helioprojective) (any, error) {
	f := frame{kind: hpc, rsun: rsunSunpy}
	if h.Rsun > 0 {
		f.rsun = h.Rsun
	}
	if h.Obstime != "" {
		t, err := atime.ParseTime(env, h.Obstime)
		if err != nil {
			return nil, err
		}
		f.obstime = t
	}
	if h.HasObserver {
		f.observer = &coord{frame: frame{kind: hgs, obstime: f.obstime, rsun: f.rsun}, lon: []float64{h.ObserverLon}, lat: []float64{h.ObserverLat}, dist: []float64{h.ObserverRadius}, distUnit: "m"}
	} else if err := f.setObserver("earth"); err != nil {
		return nil, err
	}
	c := &coord{frame: f, sky: true}
	n := 1
	if len(h.Shape) > 0 {
		c.shape = append([]int(nil), h.Shape...)
		for _, d := range h.Shape {
			n *= d
		}
	}
	if len(h.Tx) != n || len(h.Ty) != n {
		return nil, obj.Errorf(obj.ValueError, "a helioprojective coordinate of shape %v needs %d Tx and Ty values, not %d and %d", h.Shape, n, len(h.Tx), len(h.Ty))
	}
	for i := range h.Tx {
		c.lon = append(c.lon, h.Tx[i])
		c.lat = append(c.lat, h.Ty[i])
	}
	return c, nil
}
