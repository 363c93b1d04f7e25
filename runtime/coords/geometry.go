package coords

import (
	"math"

	"gokist/runtime/astrotime"
)

// The geometry of sunpy 4.1's transform graph (sunpy/coordinates/transformations.py,
// sun.py, ephemeris.py) on astropy 5.2's builtin ephemeris, in metres and radians.

type vec [3]float64
type mat [3]vec

const (
	au        = 1.495978707e11 // metres (IAU 2012)
	cLight    = 299792458.0    // m/s
	rsunSunpy = 6.957e8        // sunpy's constants.radius (IAU 2015 nominal), metres
	deg       = math.Pi / 180
	// sunpy's constants: the Sun's north pole in ICRS (alpha_0, delta_0), the prime
	// meridian at J2000 (W_0), the sidereal rotation rate per day, the first Carrington
	// rotation (JD, TT).
	alpha0        = 286.13
	delta0        = 63.87
	w0            = 84.176
	siderealRate  = 14.1844
	firstCarrJDTT = 2398167.4
)

func (a vec) dot(b vec) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func (a vec) cross(b vec) vec {
	return vec{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}
func (a vec) norm() float64       { return math.Sqrt(a.dot(a)) }
func (a vec) sub(b vec) vec       { return vec{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func (a vec) add(b vec) vec       { return vec{a[0] + b[0], a[1] + b[1], a[2] + b[2]} }
func (a vec) scale(f float64) vec { return vec{a[0] * f, a[1] * f, a[2] * f} }

// apply is m·v as ERFA's rxp (astropy's transform) sums it, from +0.
func (m mat) apply(v vec) vec {
	var out vec
	for j := range 3 {
		w := 0.0
		for i := range 3 {
			w += m[j][i] * v[i]
		}
		out[j] = w
	}
	return out
}

// mul is m·n.
func (m mat) mul(n mat) mat {
	var r mat
	for i := range 3 {
		for j := range 3 {
			r[i][j] = m[i][0]*n[0][j] + m[i][1]*n[1][j] + m[i][2]*n[2][j]
		}
	}
	return r
}

func (m mat) transpose() mat {
	var r mat
	for i := range 3 {
		for j := range 3 {
			r[i][j] = m[j][i]
		}
	}
	return r
}

// rotationAbout is astropy's rotation_matrix(angle, 'x'|'y'|'z') for axis 0, 1, 2.
func rotationAbout(angle float64, axis int) mat {
	s, c := math.Sin(angle), math.Cos(angle)
	a1, a2 := (axis+1)%3, (axis+2)%3
	var r mat
	r[axis][axis] = 1
	r[a1][a1], r[a1][a2], r[a2][a1], r[a2][a2] = c, s, -s, c
	return r
}

// rotationAboutVector is astropy's rotation_matrix(angle, axis) for a vector axis.
func rotationAboutVector(angle float64, axis vec) mat {
	s, c := math.Sin(angle), math.Cos(angle)
	axis = axis.scale(1 / math.Sqrt(axis[0]*axis[0]+axis[1]*axis[1]+axis[2]*axis[2]))
	var r mat
	for i := range 3 {
		for j := range 3 {
			r[i][j] = axis[i] * axis[j] * (1 - c)
		}
	}
	for i := range 3 {
		r[i][i] += c
		a1, a2 := (i+1)%3, (i+2)%3
		r[a1][a2] += axis[i] * s
		r[a2][a1] -= axis[i] * s
	}
	return r
}

// reprsToReprs is sunpy's _rotation_matrix_reprs_to_reprs: the direct rotation taking
// the direction of a to that of b.
func reprsToReprs(a, b vec) mat {
	axis := a.cross(b)
	angle := -math.Acos(a.dot(b) / (a.norm() * b.norm()))
	return rotationAboutVector(angle, axis)
}

// sphericalToCartesian is astropy's SphericalRepresentation.to_cartesian.
func sphericalToCartesian(lon, lat, d float64) vec {
	return vec{d * math.Cos(lat) * math.Cos(lon), d * math.Cos(lat) * math.Sin(lon), d * math.Sin(lat)}
}

// cartesianToSpherical is astropy's SphericalRepresentation.from_cartesian.
func cartesianToSpherical(v vec) (lon, lat, d float64) {
	s := math.Hypot(v[0], v[1])
	return math.Atan2(v[1], v[0]), math.Atan2(v[2], s), math.Hypot(s, v[2])
}

// sunDetilt is sunpy's _SUN_DETILT_MATRIX: HCRS rotated so that the Sun's spin axis is Z.
var sunDetilt = reprsToReprs(sphericalToCartesian(alpha0*deg, delta0*deg, 1), vec{0, 0, 1})

// ephemeris is Earth's and the Sun's barycentric position (metres) at one UTC time, as
// astropy's get_body_barycentric with the builtin ephemeris gives them.
type ephemeris struct {
	earth, sun vec
}

// ephemerisAt evaluates ERFA's epv00 at the TDB of a two-part date in scale.
func ephemerisAt(jd1, jd2 float64, scale astrotime.Scale) (ephemeris, error) {
	t1, t2, _, err := astrotime.ToTDB([]float64{jd1}, []float64{jd2}, scale)
	if err != nil {
		return ephemeris{}, err
	}
	h, b, _ := astrotime.Epv00(t1[0], t2[0])
	var e ephemeris
	for i := range 3 {
		e.earth[i] = b.P[i] * au
		// erfa.pvmpv(earth_bary, earth_helio), as astropy takes the Sun's position.
		e.sun[i] = (b.P[i] - h.P[i]) * au
	}
	return e, nil
}

// hcrsToHGS is the rotation of sunpy's _affine_params_hcrs_to_hgs at one time.
func (e ephemeris) hcrsToHGS() mat {
	sunEarth := e.earth.sub(e.sun)
	d := sunDetilt.apply(sunEarth)
	rot := reprsToReprs(vec{d[0], d[1], 0}, vec{1, 0, 0})
	return rot.mul(sunDetilt)
}

// earthHGS is sunpy's get_earth: Earth's HGS position with longitude exactly 0.
func (e ephemeris) earthHGS() (lat, radius float64) {
	_, lat, radius = cartesianToSpherical(e.hcrsToHGS().apply(e.earth.sub(e.sun)))
	return lat, radius
}

// earthDistance is sunpy.coordinates.sun.earth_distance in metres.
func (e ephemeris) earthDistance() float64 { return e.earth.sub(e.sun).norm() }

// detiltLon is sunpy's _detilt_lon of an HCRS position: its longitude about the Sun's
// spin axis, in radians.
func detiltLon(hcrs vec) float64 {
	lon, _, _ := cartesianToSpherical(sunDetilt.apply(hcrs))
	return lon
}

// dlonMeridian is sunpy's _DLON_MERIDIAN in degrees: the de-tilted longitude of the
// Sun's prime meridian at J2000.
var dlonMeridian = wrapDeg(detiltLon(sphericalToCartesian((alpha0+90)*deg, 0, 1))/deg+w0, 360)

// wrapDeg is astropy's Longitude wrapping of degrees into [wrap-360, wrap).
func wrapDeg(d, wrap float64) float64 {
	w := math.Mod(d-wrap, 360)
	if w < 0 {
		w += 360
	}
	return w + wrap - 360
}

// l0 is sunpy.coordinates.sun.L0 (light travel time to the nearest point of the
// surface, no aberration) in degrees, at the UTC (or other scale) time jd1+jd2.
func (e ephemeris) l0(jd1, jd2 float64, scale astrotime.Scale) (float64, error) {
	lat, radius := e.earthHGS()
	m := e.hcrsToHGS()
	earthHCRS := m.transpose().apply(sphericalToCartesian(0, lat, radius))
	dlonEarth := detiltLon(earthHCRS) / deg
	distance := radius - rsunSunpy
	days, err := daysSinceJ2000TT(jd1, jd2, scale)
	if err != nil {
		return 0, err
	}
	days -= distance / cLight / astrotime.DaySec
	meridian := wrapDeg(dlonMeridian+days*siderealRate, 360)
	return wrapDeg(dlonEarth-meridian, 360), nil
}

// daysSinceJ2000TT is (t - Time('J2000.0', scale='tt')) in days.
func daysSinceJ2000TT(jd1, jd2 float64, scale astrotime.Scale) (float64, error) {
	a, b, _, err := astrotime.Convert([]float64{jd1}, []float64{jd2}, scale, astrotime.TT)
	if err != nil {
		return 0, err
	}
	return (a[0] - 2451545.0) + b[0], nil
}

// hgsToHGC is sunpy's _rotation_matrix_hgs_to_hgc for an observer at observerRadius
// metres from the Sun.
func (e ephemeris) hgsToHGC(jd1, jd2 float64, scale astrotime.Scale, observerRadius float64) (mat, error) {
	l0, err := e.l0(jd1, jd2, scale)
	if err != nil {
		return mat{}, err
	}
	deltaDays := (observerRadius - e.earthDistance()) / cLight / astrotime.DaySec
	return rotationAbout(-(l0+deltaDays*siderealRate)*deg, 2), nil
}

// hccToHGS is sunpy's _rotation_matrix_hcc_to_hgs for an observer at lon, lat (radians).
func hccToHGS(lon, lat float64) mat {
	axes := mat{{0, 0, 1}, {1, 0, 0}, {0, 1, 0}}
	return rotationAbout(-lon, 2).mul(rotationAbout(lat, 1)).mul(axes)
}

// hpcDistance is sunpy's Helioprojective.make_3d: the distance from an observer at
// observerRadius to the near surface of a Sun of radius rsun along Tx, Ty (radians);
// NaN off the disk.
func hpcDistance(tx, ty, observerRadius, rsun float64) float64 {
	alpha := math.Acos(math.Cos(ty) * math.Cos(tx))
	c := observerRadius*observerRadius - rsun*rsun
	b := -2 * observerRadius * math.Cos(alpha)
	return (-b - math.Sqrt(b*b-4*c)) / 2
}

// hpcToHCC is the axis permutation and origin shift of sunpy's hpc_to_hcc.
func hpcToHCC(p vec, observerRadius float64) vec {
	return vec{p[1], p[2], -p[0] + observerRadius}
}

// hccToHPC is the origin shift and axis permutation of sunpy's hcc_to_hpc.
func hccToHPC(h vec, observerRadius float64) vec {
	s := vec{h[0], h[1], h[2] - observerRadius}
	return vec{-s[2], s[0], s[1]}
}
