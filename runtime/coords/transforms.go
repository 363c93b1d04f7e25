package coords

import (
	"math"

	"gokist/obj"
	atime "gokist/runtime/astropy/time"
)

// The transform graph of sunpy 4.1, through Heliographic Stonyhurst: HPC → HCC → HGS
// (via the observer), HGC ↔ HGS (L0 with light travel time), ICRS ↔ HCRS ↔ HGS (the
// Sun's spin axis and the Sun-Earth vector), and HGS at one obstime ↔ another through
// ICRS.

// toHGS gives the positions in HGS at obstime at (the coordinate's own when nil), in
// metres, and the unit their distances print in.
func (c *coord) toHGS(at *atime.Time) ([]vec, string, error) {
	own := c.frame.obstime
	if c.frame.kind == icrs {
		own = at
	}
	vs, unit, err := c.toLocalHGS(own)
	if err != nil || at == nil || own == nil || sameTime(own, at) {
		return vs, unit, err
	}
	from, err := frame{obstime: own}.ephem()
	if err != nil {
		return nil, "", err
	}
	to, err := frame{obstime: at}.ephem()
	if err != nil {
		return nil, "", err
	}
	back, fwd := from.hcrsToHGS().transpose(), to.hcrsToHGS()
	out := make([]vec, len(vs))
	for i, v := range vs {
		out[i] = fwd.apply(back.apply(v).add(from.sun).sub(to.sun))
	}
	return out, unit, nil
}

// toLocalHGS transforms to HGS at the coordinate's obstime (at, for ICRS).
func (c *coord) toLocalHGS(at *atime.Time) ([]vec, string, error) {
	f := c.frame
	switch f.kind {
	case hgs, hgc:
		c3 := c.make3D(0, 0, "")
		vs := c3.cartesian()
		if f.kind == hgs {
			return vs, c3.distUnit, nil
		}
		m, err := f.hgcMatrix()
		if err != nil {
			return nil, "", err
		}
		return applyAll(m.transpose(), vs), c3.distUnit, nil
	case hcc:
		lon, lat, _, _, err := f.observerHGS()
		if err != nil {
			return nil, "", err
		}
		return applyAll(hccToHGS(lon, lat), c.xyz), c.distUnit, nil
	case hpc:
		lon, lat, d, unit, err := f.observerHGS()
		if err != nil {
			return nil, "", err
		}
		c3 := c.make3D(d, f.rsun, unit)
		vs := c3.cartesian()
		m := hccToHGS(lon, lat)
		out := make([]vec, len(vs))
		for i, v := range vs {
			out[i] = m.apply(hpcToHCC(v, d))
		}
		return out, c3.distUnit, nil
	case icrs:
		if !c.is3D() {
			return nil, "", obj.Errorf("UnitsError", "The input ICRS coordinates do not have length units. This probably means you created coordinates with lat/lon but no distance.  Heliocentric<->ICRS transforms cannot function in this case because there is an origin shift.")
		}
		e, err := frame{kind: hgs, obstime: at}.ephem()
		if err != nil {
			return nil, "", err
		}
		m := e.hcrsToHGS()
		vs := c.cartesian()
		out := make([]vec, len(vs))
		for i, v := range vs {
			out[i] = m.apply(v.sub(e.sun))
		}
		return out, c.distUnit, nil
	}
	panic("coords: unknown frame kind")
}

// hgcMatrix is the HGS → HGC rotation for the frame's obstime and observer.
func (f frame) hgcMatrix() (mat, error) {
	if err := f.checkObserver(); err != nil {
		return mat{}, err
	}
	jd1, jd2, sc, err := f.timeOf("HeliographicCarrington")
	if err != nil {
		return mat{}, err
	}
	_, _, r, _, err := f.observerHGS()
	if err != nil {
		return mat{}, err
	}
	e, err := f.ephem()
	if err != nil {
		return mat{}, err
	}
	m, err := e.hgsToHGC(jd1, jd2, sc, r)
	if err != nil {
		return mat{}, obj.Errorf("ValueError", "%v", err)
	}
	return m, nil
}

func applyAll(m mat, vs []vec) []vec {
	out := make([]vec, len(vs))
	for i, v := range vs {
		out[i] = m.apply(v)
	}
	return out
}

// fromHGS makes a coordinate of frame f from HGS positions at f's obstime.
func fromHGS(vs []vec, unit string, f frame, shape []int, sky bool) (*coord, error) {
	switch f.kind {
	case hgs:
		return withVectors(f, vs, shape, unit, sky), nil
	case hgc:
		m, err := f.hgcMatrix()
		if err != nil {
			return nil, err
		}
		return withVectors(f, applyAll(m, vs), shape, unit, sky), nil
	case hcc, hpc:
		if f.observer == nil && f.observerStr == "" {
			// sunpy goes HGS → HCC → HPC, and the Heliocentric frame is checked first.
			return nil, convertError("This transformation cannot be performed because the Heliocentric frame has observer=None.")
		}
		lon, lat, d, _, err := f.observerHGS()
		if err != nil {
			return nil, err
		}
		h := applyAll(hccToHGS(lon, lat).transpose(), vs)
		if f.kind == hcc {
			return withVectors(f, h, shape, unit, sky), nil
		}
		for i := range h {
			h[i] = hccToHPC(h[i], d)
		}
		return withVectors(f, h, shape, unit, sky), nil
	case icrs:
		e, err := frame{kind: hgs, obstime: f.obstime}.ephem()
		if err != nil {
			return nil, err
		}
		m := e.hcrsToHGS().transpose()
		out := make([]vec, len(vs))
		for i, v := range vs {
			out[i] = m.apply(v).add(e.sun)
		}
		f.obstime = nil
		return withVectors(f, out, shape, unit, sky), nil
	}
	panic("coords: unknown frame kind")
}

// transformTo is SkyCoord.transform_to / frame.transform_to: attributes the target
// leaves unset come from c (as a SkyCoord merges its frame attributes).
func (c *coord) transformTo(f frame, sky bool) (*coord, error) {
	if c.noData {
		return nil, obj.Errorf("ValueError", "Cannot transform a frame with no data")
	}
	if f.obstime == nil {
		f.obstime = c.frame.obstime
		if f.obstime == nil && c.sky {
			f.obstime = c.skyObstime
		}
	}
	keep := c.frame.observer
	if keep == nil && c.sky {
		keep = c.skyObserver
	}
	if f.observer == nil && f.observerStr == "" && (f.kind == hpc || f.kind == hcc || f.kind == hgc) {
		f.observer = keep
	}
	if f.observerStr != "" && f.obstime != nil {
		// The target's observer='earth' resolves at the obstime it takes from c.
		name := f.observerStr
		f.observerStr = ""
		if err := f.setObserver(name); err != nil {
			return nil, err
		}
	}
	if timeCount(f.obstime) > 1 || timeCount(c.frame.obstime) > 1 {
		return c.transformEach(f, sky, keep)
	}
	if f.kind == c.frame.kind && sameTime(f.obstime, c.frame.obstime) && sameObserver(f.observer, c.frame.observer) {
		out := *c
		out.frame, out.sky, out.name = f, sky, ""
		return &out, nil
	}
	at := f.obstime
	out, err := c.transformData(f, sky)
	if err == nil && sky {
		if out.frame.observer == nil {
			out.skyObserver = keep
		}
		if out.frame.obstime == nil {
			out.skyObstime = at
		}
	}
	return out, err
}

// transformData moves the data to frame f through HGS.
func (c *coord) transformData(f frame, sky bool) (*coord, error) {
	// sunpy's hgs_to_hgc (unlike hgc_to_hgs) does not make_3d.
	if !c.is3D() && c.frame.kind == hgs && f.kind == hgc && sameTime(c.frame.obstime, f.obstime) {
		return c.rotate2D(f, sky)
	}
	if f.kind == icrs {
		// ICRS has no obstime: the HCRS between takes the source's.
		f.obstime = c.frame.obstime
		if f.obstime == nil && c.sky {
			f.obstime = c.skyObstime
		}
	}
	vs, unit, err := c.toHGS(f.obstime)
	if err != nil {
		return nil, err
	}
	return fromHGS(vs, unit, f, c.shape, sky)
}

// sameObserver is sunpy's _observers_are_equal, by position.
func sameObserver(a, b *coord) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a == b {
		return true
	}
	if !sameTime(a.frame.obstime, b.frame.obstime) || a.size() != b.size() || a.is3D() != b.is3D() {
		return false
	}
	av, bv := a.cartesian(), b.cartesian()
	for i := range av {
		if av[i] != bv[i] {
			return false
		}
	}
	return true
}

// make3D is sunpy's make_3d: an HPC coordinate's distance to the near solar surface
// (observer at observerRadius metres, printing in unit), or an HGS/HGC coordinate's
// radius rsun (printing in km). 3-D coordinates are returned as they are.
func (c *coord) make3D(observerRadius, rsun float64, unit string) *coord {
	if c.is3D() {
		return c
	}
	out := *c
	out.dist = make([]float64, len(c.lon))
	if c.frame.kind == hpc {
		for i := range out.dist {
			out.dist[i] = hpcDistance(c.lonRad(i), c.latRad(i), observerRadius, rsun)
		}
		out.distUnit = unit
		return &out
	}
	for i := range out.dist {
		out.dist[i] = c.frame.rsun
	}
	out.distUnit = "km"
	return &out
}

// separation is astropy's angular_separation (Vincenty) of two coordinates' directions,
// in radians.
func separation(lon1, lat1, lon2, lat2 float64) float64 {
	sdlon, cdlon := math.Sin(lon2-lon1), math.Cos(lon2-lon1)
	slat1, slat2, clat1, clat2 := math.Sin(lat1), math.Sin(lat2), math.Cos(lat1), math.Cos(lat2)
	num1 := clat2 * sdlon
	num2 := clat1*slat2 - slat1*clat2*cdlon
	den := slat1*slat2 + clat1*clat2*cdlon
	return math.Atan2(math.Hypot(num1, num2), den)
}

// rotate2D is sunpy's HGS ↔ HGC for a coordinate without distances: the rotation of
// the directions, which stay 2-D.
func (c *coord) rotate2D(f frame, sky bool) (*coord, error) {
	vs := c.cartesian()
	if c.frame.kind == hgc {
		m, err := c.frame.hgcMatrix()
		if err != nil {
			return nil, err
		}
		vs = applyAll(m.transpose(), vs)
	}
	if f.kind == hgc {
		m, err := f.hgcMatrix()
		if err != nil {
			return nil, err
		}
		vs = applyAll(m, vs)
	}
	out := withVectors(f, vs, c.shape, "", sky)
	out.dist = nil
	return out, nil
}

// timeCount is the number of times in an obstime (0 for None).
func timeCount(t *atime.Time) int {
	if t == nil {
		return 0
	}
	jd1, _, _, _, _ := atime.TimeParts(t)
	return len(jd1)
}

// timeAt is time i of an obstime (the one time of a scalar).
func timeAt(t *atime.Time, i int) *atime.Time {
	if t == nil {
		return nil
	}
	jd1, jd2, _, scale, _ := atime.TimeParts(t)
	if len(jd1) == 1 {
		i = 0
	}
	return atime.TimeLike(t, jd1[i:i+1], jd2[i:i+1], nil, scale)
}

// element is position i of c with its frame's obstime and observer at i.
func (c *coord) element(i int) *coord {
	out := *c
	out.shape = nil
	out.frame = c.frame.at(i)
	out.lon, out.lat, out.dist, out.xyz = pick(c.lon, []int{i}), pick(c.lat, []int{i}), pick(c.dist, []int{i}), nil
	if c.xyz != nil {
		out.xyz = []vec{c.xyz[i]}
	}
	return &out
}

// at is the frame at position i of an array obstime (and observer).
func (f frame) at(i int) frame {
	g := f
	g.obstime = timeAt(f.obstime, i)
	if f.observer != nil && f.observer.size() > 1 {
		g.observer = f.observer.element(i)
		g.observer.name = f.observer.name
	}
	return g
}

// transformEach transforms position by position when an obstime is an array (one
// time per position, as astropy broadcasts them), then gathers the positions into a
// coordinate of the target frame with its array obstime and observer.
func (c *coord) transformEach(f frame, sky bool, keep *coord) (*coord, error) {
	n := c.size()
	for _, t := range []*atime.Time{f.obstime, c.frame.obstime} {
		if k := timeCount(t); k > 1 && k != n {
			return nil, obj.Errorf(obj.ValueError, "shape mismatch: %d times for %d positions", k, n)
		}
	}
	if f.observerStr != "" {
		return nil, f.checkObserver()
	}
	out := &coord{frame: f, shape: c.shape, sky: sky}
	for i := range n {
		ci := c.element(i)
		ri, err := ci.transformTo(f.at(i), sky)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			out.distUnit = ri.distUnit
		}
		out.lon, out.lat = append(out.lon, ri.lon...), append(out.lat, ri.lat...)
		if ri.dist != nil {
			out.dist = append(out.dist, ri.dist...)
		}
		out.xyz = append(out.xyz, ri.xyz...)
	}
	if f.kind == icrs {
		out.frame.obstime = nil
		if sky {
			out.skyObstime = f.obstime
		}
	}
	if o := out.frame.observer; o != nil && o.size() > 1 && o.name != "" {
		// sunpy prints an array observer a transform carries in full, not by name.
		named := *o
		named.name = ""
		out.frame.observer = &named
	}
	if sky && out.frame.observer == nil {
		out.skyObserver = keep
	}
	return out, nil
}
