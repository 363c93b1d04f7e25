package obj

import "sync"

// Helioprojective is what a dataset knows of its celestial axes, handed to the
// coordinates package (astropy.coordinates + sunpy.coordinates) to build the SkyCoord a
// notebook gets from ds.axis_world_coords or wcs.pixel_to_world: the dataset layer must
// not import the coordinates package (it is built separately), so the two meet here.
type Helioprojective struct {
	Tx, Ty  []float64 // arcsec, C order over Shape
	Shape   []int     // numpy's order; nil or empty for a scalar coordinate
	Obstime string    // ISO 8601 (DATE-AVG), "" when unknown
	// The observer in heliographic Stonyhurst (HGLN_OBS, HGLT_OBS in degrees, DSUN_OBS in
	// metres); HasObserver false means "earth" at Obstime.
	ObserverLon, ObserverLat, ObserverRadius float64
	HasObserver                              bool
	Rsun                                     float64 // metres; 0 means sunpy's default
}

// SkyCoordMaker builds a SkyCoord in the helioprojective frame from h.
type SkyCoordMaker func(env *Env, h Helioprojective) (any, error)

var skyCoord struct {
	sync.RWMutex
	maker SkyCoordMaker
}

// RegisterSkyCoord is called from the coordinates package's init.
func RegisterSkyCoord(m SkyCoordMaker) {
	skyCoord.Lock()
	defer skyCoord.Unlock()
	skyCoord.maker = m
}

// MakeSkyCoord builds a helioprojective SkyCoord; ok is false when no coordinates
// package is linked in (callers then return their plain-number fallback).
func MakeSkyCoord(env *Env, h Helioprojective) (v any, ok bool, err error) {
	skyCoord.RLock()
	m := skyCoord.maker
	skyCoord.RUnlock()
	if m == nil {
		return nil, false, nil
	}
	v, err = m(env, h)
	return v, true, err
}

// RegisteredSkyCoord is the maker registered now (nil for none), for tests that check
// the path without one and put it back.
func RegisteredSkyCoord() SkyCoordMaker {
	skyCoord.RLock()
	defer skyCoord.RUnlock()
	return skyCoord.maker
}
