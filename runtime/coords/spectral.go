package coords

import (
	"gokist/runtime/numpy"
	"math"
	"strings"

	"gokist/obj"
	"gokist/pyfmt"
	atime "gokist/runtime/astropy/time"
	"gokist/runtime/astrotime"
	"gokist/runtime/units"
	"gokist/runtime/wcs"
)

// SpectralCoord with an observer and a target (astropy 5.2): each is taken at rest in
// its own frame (astropy's NoVelocityWarning), and the radial velocity is the
// line-of-sight difference of their ICRS velocities, which astropy's transforms give by
// symmetric finite differences of one second in obstime; gokist differentiates the same
// chain the same way. Without observer and target a SpectralCoord is the WCS's value.

const finiteDifferenceSeconds = 1.0

// spectralCoord is a SpectralCoord with an observer and a target.
type spectralCoord struct {
	value            float64
	unit             string
	observer, target *coord // frames (not SkyCoords), at rest in their frames
	// observerVel and targetVel are ICRS velocities (m/s) given by
	// with_radial_velocity_shift; nil means at rest in the frame.
	observerVel, targetVel *vec
}

var spectralCoordType = &obj.Type{Name: "SpectralCoord", Doc: "A spectral coordinate with an observer and a target (astropy.coordinates.SpectralCoord)."}

func (s *spectralCoord) Type() *obj.Type { return spectralCoordType }

func init() {
	get := func(name, doc string, f func(env *obj.Env, s *spectralCoord) (any, error)) *obj.Member {
		return &obj.Member{Name: name, Doc: doc, Get: func(env *obj.Env, r any) (any, error) { return f(env, r.(*spectralCoord)) }}
	}
	spectralCoordType.Members = []*obj.Member{
		get("value", "The number, in unit.", func(_ *obj.Env, s *spectralCoord) (any, error) { return s.value, nil }),
		get("unit", "The unit.", func(_ *obj.Env, s *spectralCoord) (any, error) { return obj.UnitOf(s.unit), nil }),
		get("quantity", "The value as a Quantity.", func(env *obj.Env, s *spectralCoord) (any, error) {
			return quantityOf(env, "", []float64{s.value}, nil, s.unit)
		}),
		get("observer", "The observer's frame.", func(_ *obj.Env, s *spectralCoord) (any, error) { return s.observer, nil }),
		get("target", "The target's frame.", func(_ *obj.Env, s *spectralCoord) (any, error) { return s.target, nil }),
		get("radial_velocity", "The target's velocity away from the observer (km / s).", func(env *obj.Env, s *spectralCoord) (any, error) {
			rv, err := s.radialVelocity()
			if err != nil {
				return nil, err
			}
			return quantityOf(env, "", []float64{rv / 1000}, nil, "km / s")
		}),
		get("redshift", "The relativistic redshift of the radial velocity.", func(env *obj.Env, s *spectralCoord) (any, error) {
			rv, err := s.radialVelocity()
			if err != nil {
				return nil, err
			}
			return quantityOf(env, "", []float64{redshiftOf(rv)}, nil, "")
		}),
		{Name: "with_radial_velocity_shift", Signature: "with_radial_velocity_shift(target_shift=None, observer_shift=None)",
			Doc:    "The spectral coordinate with the target (and observer) moving along the line of sight by the given velocities (km / s), Doppler-shifted as astropy does.",
			Params: []obj.Param{{Name: "target_shift", Default: "None"}, {Name: "observer_shift", Default: "None"}},
			Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
				v, err := a.Bind("with_radial_velocity_shift", []obj.Param{{Name: "target_shift", Default: "None"}, {Name: "observer_shift", Default: "None"}})
				if err != nil {
					return nil, err
				}
				return r.(*spectralCoord).withShift(v[0], v[1])
			}},
	}
}

// redshiftOf is astropy's _velocity_to_redshift (relativistic).
func redshiftOf(v float64) float64 {
	beta := v / cLight
	return math.Sqrt((1+beta)/(1-beta)) - 1
}

// newSpectralCoord is SpectralCoord(value, unit=None, observer=None, target=None).
func newSpectralCoord(env *obj.Env, args obj.Args) (any, error) {
	params := []obj.Param{{Name: "value"}, {Name: "unit", Default: "None"}, {Name: "observer", Default: "None"}, {Name: "target", Default: "None"}}
	v, err := args.Bind("SpectralCoord", params)
	if err != nil {
		return nil, err
	}
	q, ok := v[0].(obj.QuantityValue)
	if !ok {
		return nil, obj.Errorf("UnitTypeError", "SpectralCoord instances require units equivalent to '(Unit(\"Hz\"), Unit(\"m\"), Unit(\"J\"), Unit(\"1 / m\"), Unit(\"km / s\"))', but no unit was given.")
	}
	val, unit := q.QuantityParts()
	x, ok := val.(float64)
	if !ok {
		return nil, obj.Errorf("NotImplementedError", "gokist's SpectralCoord takes one value, not %s", obj.TypeName(val))
	}
	if v[1] != nil {
		return nil, obj.Errorf("NotImplementedError", "give SpectralCoord a Quantity (586.3*u.nm) rather than unit=")
	}
	if v[2] == nil && v[3] == nil {
		return &wcs.SpectralCoord{Value: x, Unit: unit}, nil
	}
	s := &spectralCoord{value: x, unit: unit}
	if s.observer, err = atRest(env, v[2], "observer"); err != nil {
		return nil, err
	}
	if s.target, err = atRest(env, v[3], "target"); err != nil {
		return nil, err
	}
	if s.observer == nil || s.target == nil {
		return nil, obj.Errorf("NotImplementedError", "gokist's SpectralCoord needs both an observer and a target, or neither")
	}
	return s, nil
}

// atRest is astropy's _validate_coordinate for a coordinate without velocities: the
// frame, warned about and taken at rest; a 2-D one at astropy's arbitrary 1e6 kpc.
func atRest(env *obj.Env, v any, label string) (*coord, error) {
	if v == nil {
		return nil, nil
	}
	c, ok := v.(*coord)
	if !ok || c.noData || c.size() != 1 {
		return nil, obj.Errorf(obj.TypeError, "%s must be a SkyCoord or coordinate frame with data, not %s", label, obj.TypeName(v))
	}
	warnAstropy(env, "NoVelocityWarning: No velocity defined on frame, assuming (0., 0., 0.) km / s.")
	out := *c
	out.sky, out.name = false, ""
	if !out.is3D() {
		warnAstropy(env, "NoDistanceWarning: Distance on coordinate object is dimensionless, an arbitrary distance value of 1000000.0 kpc will be set instead.")
		out.dist, out.distUnit = []float64{1e6 * metresIn("kpc")}, "kpc"
	}
	return &out, nil
}

// warnAstropy writes a warning as astropy's logger shows it.
func warnAstropy(env *obj.Env, msg string) {
	if env != nil && env.Out != nil {
		env.Out.Stream("stderr", "WARNING: "+msg+" [astropy.coordinates.spectral_coordinate]\n")
	}
}

// icrsPosVel is the ICRS position (metres) and velocity (m/s) of a coordinate at rest in
// its frame: the velocity by symmetric finite differences in obstime, as astropy's
// FunctionTransformWithFiniteDifference.
func icrsPosVel(c *coord) (pos, vel vec, err error) {
	at := func(shift float64) (vec, error) {
		s := *c
		if shift != 0 {
			t, err := shiftTime(c.frame.obstime, shift)
			if err != nil {
				return vec{}, err
			}
			s.frame.obstime = t
		}
		out, err := s.transformTo(frame{kind: icrs}, false)
		if err != nil {
			return vec{}, err
		}
		return out.cartesian()[0], nil
	}
	if pos, err = at(0); err != nil {
		return
	}
	fwd, err := at(finiteDifferenceSeconds / 2)
	if err != nil {
		return
	}
	back, err := at(-finiteDifferenceSeconds / 2)
	if err != nil {
		return
	}
	return pos, fwd.sub(back).scale(1 / finiteDifferenceSeconds), nil
}

// shiftTime is t + seconds (TimeDelta arithmetic on the two-part date).
func shiftTime(t *atime.Time, seconds float64) (*atime.Time, error) {
	if t == nil {
		return nil, convertError("the frame needs an obstime to have a velocity")
	}
	jd1, jd2, shape, scale, _ := atime.TimeParts(t)
	// astropy adds a TimeDelta to a UTC time in TAI, so a day with a leap second
	// has its 86401 seconds.
	work := scale
	if scale == astrotime.UTC || scale == astrotime.UT1 {
		work = astrotime.TAI
	}
	a, b, _, err := astrotime.Convert(jd1, jd2, scale, work)
	if err != nil {
		return nil, obj.Errorf(obj.ValueError, "%v", err)
	}
	for i := range a {
		a[i], b[i] = astrotime.DayFrac(a[i], b[i]+seconds/astrotime.DaySec, 0, 0)
	}
	if a, b, _, err = astrotime.Convert(a, b, work, scale); err != nil {
		return nil, obj.Errorf(obj.ValueError, "%v", err)
	}
	return atime.TimeLike(t, a, b, shape, scale), nil
}

// radialVelocity is astropy's _calculate_radial_velocity in m/s.
func (s *spectralCoord) radialVelocity() (float64, error) {
	op, ov, tp, tv, err := s.icrs()
	if err != nil {
		return 0, err
	}
	return lineOfSight(op, tp).dot(tv.sub(ov)), nil
}

// icrs is the observer's and the target's ICRS positions and velocities.
func (s *spectralCoord) icrs() (op, ov, tp, tv vec, err error) {
	if op, ov, err = icrsPosVel(s.observer); err != nil {
		return
	}
	if tp, tv, err = icrsPosVel(s.target); err != nil {
		return
	}
	if s.observerVel != nil {
		ov = *s.observerVel
	}
	if s.targetVel != nil {
		tv = *s.targetVel
	}
	return
}

// lineOfSight is astropy's _normalized_position_vector.
func lineOfSight(from, to vec) vec {
	d := to.sub(from)
	n := d.norm()
	if n == 0 {
		n = 1
	}
	return d.scale(1 / n)
}

// speedArg is a velocity argument in m/s (a Quantity of speed; None is 0).
func speedArg(v any, name string) (float64, error) {
	if v == nil {
		return 0, nil
	}
	q, ok := v.(obj.QuantityValue)
	if !ok {
		return 0, obj.Errorf("UnitTypeError", "%s must be a velocity (a Quantity in km / s), not %s", name, obj.TypeName(v))
	}
	val, unit := q.QuantityParts()
	x, ok := val.(float64)
	u, err := units.Parse(unit)
	if err != nil || !ok {
		return 0, obj.Errorf(obj.TypeError, "%s must be one velocity", name)
	}
	f, err := u.ScaleTo(units.MustUnit("m").Div(units.MustUnit("s")))
	if err != nil {
		return 0, obj.Errorf("UnitConversionError", "'%s' (%s) and 'km / s' (speed/velocity) are not convertible", unit, u.PhysicalType())
	}
	return x * f, nil
}

// withShift is with_radial_velocity_shift: both move along the line of sight, and the
// value is Doppler-shifted by the change of radial velocity.
func (s *spectralCoord) withShift(targetShift, observerShift any) (any, error) {
	ts, err := speedArg(targetShift, "target_shift")
	if err != nil {
		return nil, err
	}
	os, err := speedArg(observerShift, "observer_shift")
	if err != nil {
		return nil, err
	}
	op, ov, tp, tv, err := s.icrs()
	if err != nil {
		return nil, err
	}
	hat := lineOfSight(op, tp)
	nt, no := tv.add(hat.scale(ts)), ov.add(hat.scale(os))
	before := hat.dot(tv.sub(ov))
	after := hat.dot(nt.sub(no))
	value, err := dopplerShift(s.value, s.unit, after-before)
	if err != nil {
		return nil, err
	}
	return &spectralCoord{value: value, unit: s.unit, observer: s.observer, target: s.target, observerVel: &no, targetVel: &nt}, nil
}

// dopplerShift is astropy's _apply_relativistic_doppler_shift for wavelengths,
// frequencies, energies and wavenumbers.
func dopplerShift(value float64, unit string, v float64) (float64, error) {
	beta := v / cLight
	factor := math.Sqrt((1 + beta) / (1 - beta))
	u, err := units.Parse(unit)
	if err != nil {
		return 0, err
	}
	switch {
	case u.Equivalent(units.MustUnit("m")):
		return value * factor, nil
	case u.Equivalent(units.MustUnit("Hz")), u.Equivalent(units.MustUnit("J")), u.Equivalent(units.Scalar(1).Div(units.MustUnit("m"))):
		return value / factor, nil
	}
	return 0, obj.Errorf("NotImplementedError", "gokist Doppler-shifts wavelengths, frequencies, energies and wavenumbers, not '%s'", unit)
}

// String is astropy's repr.
func (s *spectralCoord) String() string {
	items := []string{"<SpectralCoord ",
		"    observer: " + strings.TrimLeft(indent(s.observer.reprMoving(s.observerVel), 14), " "),
		"    target: " + strings.TrimLeft(indent(s.target.reprMoving(s.targetVel), 12), " "),
		"    observer to target (computed from above):"}
	rv, err := s.radialVelocity()
	if err != nil {
		items = append(items, "      radial_velocity=Undefined", "      redshift=Undefined")
	} else {
		items = append(items, "      radial_velocity="+pyfmt.Float(rv/1000)+" km / s", "      redshift="+pyfmt.Float(redshiftOf(rv)))
	}
	items[1] = "   (" + strings.TrimLeft(items[1], " ")
	items[len(items)-1] += ")"
	items = append(items, "  "+numpy.FloatFormat([]float64{s.value})(s.value)+unitSuffix(s.unit))
	return strings.Join(items, "\n") + ">"
}

func unitSuffix(u string) string {
	if u == "" {
		return ""
	}
	return " " + u
}

// MimeBundle shows the repr.
func (s *spectralCoord) MimeBundle() map[string]any { return map[string]any{"text/plain": s.String()} }

// indent is Python's textwrap.indent of every non-blank line.
func indent(text string, n int) string {
	lines := strings.Split(text, "\n")
	pad := strings.Repeat(" ", n)
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}

// reprMoving is the frame's repr with its velocity (zero, or an ICRS velocity taken into
// the frame), as astropy prints a coordinate with differentials.
func (c *coord) reprMoving(icrsVel *vec) string {
	d := vec{}
	if icrsVel != nil {
		var err error
		if d, err = c.frameVelocity(*icrsVel); err != nil {
			return c.String()
		}
	}
	words := make([]string, 3)
	for k := range 3 {
		words[k] = numpy.FloatFormat([]float64{d[k]})(d[k])
	}
	names := kinds[c.frame.kind].comps
	diff := "\n (d_" + names[0] + ", d_" + names[1] + ", d_" + names[2] + ") in (arcsec / s, arcsec / s, km / s)\n"
	if c.xyz != nil {
		diff = "\n (d_x, d_y, d_z) in km / s\n"
	}
	return strings.TrimSuffix(c.String(), ">") + diff + reprPrefix + "(" + strings.Join(words, ", ") + ")>"
}

// frameVelocity takes an ICRS velocity (m/s) into the frame by symmetric finite
// differences (obstime and position moving together), as spherical differentials in
// arcsec / s and km / s (Cartesian km / s in Heliocentric).
func (c *coord) frameVelocity(v vec) (vec, error) {
	icrsPos, err := c.transformTo(frame{kind: icrs}, false)
	if err != nil {
		return vec{}, err
	}
	p0 := icrsPos.cartesian()[0]
	at := func(tau float64) (vec, error) {
		t, err := shiftTime(c.frame.obstime, tau)
		if err != nil {
			return vec{}, err
		}
		f := c.frame
		f.obstime = t
		moved := &coord{frame: frame{kind: icrs, obstime: t}, xyz: nil, distUnit: "m"}
		p := p0.add(v.scale(tau))
		lon, lat, d := cartesianToSpherical(p)
		moved.lon, moved.lat, moved.dist = []float64{lon / deg}, []float64{lat / deg}, []float64{d}
		out, err := moved.transformTo(f, false)
		if err != nil {
			return vec{}, err
		}
		return out.cartesian()[0], nil
	}
	fwd, err := at(finiteDifferenceSeconds / 2)
	if err != nil {
		return vec{}, err
	}
	back, err := at(-finiteDifferenceSeconds / 2)
	if err != nil {
		return vec{}, err
	}
	vel := fwd.sub(back).scale(1 / finiteDifferenceSeconds)
	if c.xyz != nil {
		return vel.scale(1e-3), nil
	}
	pos := c.cartesian()[0]
	lon, lat, r := cartesianToSpherical(pos)
	eLon := vec{-math.Sin(lon), math.Cos(lon), 0}
	eLat := vec{-math.Sin(lat) * math.Cos(lon), -math.Sin(lat) * math.Sin(lon), math.Cos(lat)}
	eR := vec{math.Cos(lat) * math.Cos(lon), math.Cos(lat) * math.Sin(lon), math.Sin(lat)}
	toArcsec := 648000 / math.Pi
	return vec{vel.dot(eLon) / (r * math.Cos(lat)) * toArcsec, vel.dot(eLat) / r * toArcsec, vel.dot(eR) / 1000}, nil
}
