package coords

import (
	"math"

	"gokist/obj"
	atime "gokist/runtime/astropy/time"
	"gokist/runtime/astrotime"
)

// kind is a coordinate frame of sunpy's (and astropy's ICRS).
type kind int

const (
	hpc kind = iota
	hgs
	hgc
	hcc
	icrs
)

// frameInfo is what a kind of frame prints and keeps.
type frameInfo struct {
	class, name string
	comps       [3]string // component names as the frame calls them
	angleUnit   string    // "" for Cartesian frames
	toRad       float64   // angleUnit to radians (astropy's scale)
	fromRad     float64   // radians to angleUnit
	wrap        float64   // longitude wrap angle in degrees
	attrs       []string  // frame attributes in astropy's order
}

var kinds = map[kind]frameInfo{
	hpc:  {"Helioprojective", "helioprojective", [3]string{"Tx", "Ty", "distance"}, "arcsec", math.Pi / 648000, 648000 / math.Pi, 180, []string{"obstime", "rsun", "observer"}},
	hgs:  {"HeliographicStonyhurst", "heliographic_stonyhurst", [3]string{"lon", "lat", "radius"}, "deg", math.Pi / 180, 180 / math.Pi, 180, []string{"obstime", "rsun"}},
	hgc:  {"HeliographicCarrington", "heliographic_carrington", [3]string{"lon", "lat", "radius"}, "deg", math.Pi / 180, 180 / math.Pi, 360, []string{"obstime", "rsun", "observer"}},
	hcc:  {"Heliocentric", "heliocentric", [3]string{"x", "y", "z"}, "", 0, 0, 0, []string{"obstime", "observer"}},
	icrs: {"ICRS", "icrs", [3]string{"ra", "dec", "distance"}, "deg", math.Pi / 180, 180 / math.Pi, 360, nil},
}

// kindNamed finds a frame by the name astropy's transform graph gives it.
func kindNamed(name string) (kind, bool) {
	for k, info := range kinds {
		if info.name == name {
			return k, true
		}
	}
	return 0, false
}

// frame is a coordinate frame: its kind and attributes.
type frame struct {
	kind     kind
	obstime  *atime.Time // nil is None
	observer *coord      // an HGS coordinate, nil is None
	// observerStr is an observer named before an obstime resolves it ("earth").
	observerStr string
	rsun        float64 // metres
}

// coord is a frame with data: n positions, spherical (lon, lat in the frame's angle
// unit as astropy keeps them, dist in
// metres, 2-D when dist is nil) or, in Heliocentric, Cartesian (metres). distUnit is how
// distances print ("AU", "km", ...). name is set on get_earth's observer ("earth").
type coord struct {
	frame    frame
	shape    []int // nil for one position
	lon, lat []float64
	dist     []float64
	xyz      []vec
	distUnit string
	name     string
	sky      bool // a SkyCoord rather than a frame object
	// skyObserver is the observer a SkyCoord keeps for later transforms when its frame
	// has none (astropy keeps a SkyCoord's frame attributes across transforms).
	skyObserver *coord
	skyObstime  *atime.Time
	noData      bool // a frame without data
}

func (c *coord) size() int {
	if c.xyz != nil {
		return len(c.xyz)
	}
	return len(c.lon)
}

func (c *coord) is3D() bool { return c.xyz != nil || c.dist != nil }

// cartesian is the data as Cartesian vectors in metres (unit vectors when 2-D).
func (c *coord) cartesian() []vec {
	if c.xyz != nil {
		return c.xyz
	}
	out := make([]vec, len(c.lon))
	for i := range out {
		d := 1.0
		if c.dist != nil {
			d = c.dist[i]
		}
		out[i] = sphericalToCartesian(c.lonRad(i), c.latRad(i), d)
	}
	return out
}

// withVectors makes a coordinate of frame f from Cartesian vectors in metres.
func withVectors(f frame, vs []vec, shape []int, distUnit string, sky bool) *coord {
	c := &coord{frame: f, shape: shape, distUnit: distUnit, sky: sky}
	if f.kind == hcc {
		c.xyz = vs
		return c
	}
	c.lon, c.lat, c.dist = make([]float64, len(vs)), make([]float64, len(vs)), make([]float64, len(vs))
	fromRad := kinds[f.kind].fromRad
	for i, v := range vs {
		lon, lat, d := cartesianToSpherical(v)
		c.lon[i], c.lat[i], c.dist[i] = lon*fromRad, lat*fromRad, d
	}
	return c
}

// convertError is astropy's ConvertError.
func convertError(format string, args ...any) error {
	return obj.Errorf("ConvertError", format, args...)
}

// timeOf is the frame's obstime as one two-part date, or a ConvertError.
func (f frame) timeOf(what string) (jd1, jd2 float64, scale astrotime.Scale, err error) {
	if f.obstime == nil {
		return 0, 0, "", convertError("To perform this transformation, the %s frame needs a specified `obstime`.", what)
	}
	a, b, _, sc, _ := atime.TimeParts(f.obstime)
	if len(a) != 1 {
		return 0, 0, "", obj.Errorf("NotImplementedError", "gokist's coordinate frames take one obstime, not an array of %d times", len(a))
	}
	return a[0], b[0], sc, nil
}

// ephem is the builtin ephemeris at the frame's obstime.
func (f frame) ephem() (ephemeris, error) {
	jd1, jd2, sc, err := f.timeOf(kinds[f.kind].class)
	if err != nil {
		return ephemeris{}, err
	}
	e, err := ephemerisAt(jd1, jd2, sc)
	if err != nil {
		return ephemeris{}, obj.Errorf("ValueError", "%v", err)
	}
	return e, nil
}

// checkObserver is sunpy's _check_observer_defined.
func (f frame) checkObserver() error {
	if f.observerStr != "" {
		return convertError("This transformation cannot be performed because the %s frame needs a specified obstime to fully resolve observer='%s'.", kinds[f.kind].class, f.observerStr)
	}
	if f.observer == nil {
		return convertError("This transformation cannot be performed because the %s frame has observer=None.", kinds[f.kind].class)
	}
	return nil
}

// sameTime tells whether two obstimes are the same instant (both None counts).
func sameTime(a, b *atime.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	a1, a2, _, as, _ := atime.TimeParts(a)
	b1, b2, _, bs, _ := atime.TimeParts(b)
	if as != bs {
		x1, x2, _, err := astrotime.Convert(b1, b2, bs, as)
		if err != nil {
			return false
		}
		b1, b2 = x1, x2
	}
	if len(a1) != len(b1) {
		return false
	}
	for i := range a1 {
		if (a1[i]-b1[i])+(a2[i]-b2[i]) != 0 {
			return false
		}
	}
	return true
}

// observerHGS is the frame's observer in HGS at the frame's obstime: lon, lat
// (radians) and radius (metres), and the unit its radius prints in.
func (f frame) observerHGS() (lon, lat, radius float64, unit string, err error) {
	if err := f.checkObserver(); err != nil {
		return 0, 0, 0, "", err
	}
	o := f.observer
	if !sameTime(o.frame.obstime, f.obstime) && f.obstime != nil {
		vs, _, err := o.toHGS(f.obstime)
		if err != nil {
			return 0, 0, 0, "", err
		}
		o = withVectors(frame{kind: hgs, obstime: f.obstime, rsun: o.frame.rsun}, vs, nil, o.distUnit, false)
	}
	if o.dist == nil {
		return 0, 0, 0, "", obj.Errorf("ValueError", "the observer needs a radius (a 3-D HeliographicStonyhurst coordinate)")
	}
	return o.lonRad(0), o.latRad(0), o.dist[0], o.distUnit, nil
}

// lonRad and latRad are position i's longitude and latitude in radians.
func (c *coord) lonRad(i int) float64 { return c.lon[i] * kinds[c.frame.kind].toRad }
func (c *coord) latRad(i int) float64 { return c.lat[i] * kinds[c.frame.kind].toRad }
