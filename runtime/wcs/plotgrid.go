package wcs

import (
	"math"
	"strings"
)

// PlotCelestial describes a 2-D WCS (pixel x, y) whose helioprojective longitude and
// latitude both vary along both pixel axes (a rotated PC matrix), for plots that draw
// its world grid as astropy's WCSAxes does: world gives the pair (in world order, in
// arcsec, wrapped to ±180°) at a pixel, lat says which of the two is the latitude,
// names are their world axis names, and bottom is the one WCSAxes labels on the bottom
// edge (the other on the left), from the axis correlations as
// wcsapi.transform_coord_meta_from_wcs assigns edges. ok is false for any other WCS,
// which is ticked axis by axis.
func (w *WCS) PlotCelestial() (world func(x, y float64) (float64, float64), lat [2]bool, names [2]string, bottom int, ok bool) {
	if len(w.shape) != 2 {
		return nil, lat, names, 0, false
	}
	types, units, all := w.WorldAxisPhysicalTypes(), w.WorldAxisUnits(), w.WorldAxisNames()
	corr := w.AxisCorrelationMatrix()
	pair := []int{}
	for i, t := range types {
		if strings.HasSuffix(t, "pos.helioprojective.lon") || strings.HasSuffix(t, "pos.helioprojective.lat") {
			pair = append(pair, i)
		}
	}
	if len(pair) != 2 {
		return nil, lat, names, 0, false
	}
	scale := [2]float64{}
	for k, i := range pair {
		if !corr[i][0] || !corr[i][1] {
			return nil, lat, names, 0, false
		}
		switch units[i] {
		case "arcsec":
			scale[k] = 1
		case "deg":
			scale[k] = 3600
		default:
			return nil, lat, names, 0, false
		}
		lat[k] = strings.HasSuffix(types[i], ".lat")
		names[k] = all[i]
	}
	// WCSAxes: the bottom edge takes the first world axis correlated with pixel x.
	first := -1
	for i := range corr {
		if corr[i][0] {
			first = i
			break
		}
	}
	switch first {
	case pair[0]:
		bottom = 0
	case pair[1]:
		bottom = 1
	default:
		return nil, lat, names, 0, false
	}
	// The left edge takes the next world axis correlated with pixel y.
	for i := range corr {
		if i != first && corr[i][1] {
			if i != pair[1-bottom] {
				return nil, lat, names, 0, false
			}
			break
		}
	}
	world = func(x, y float64) (float64, float64) {
		v, err := w.PixelToWorldValues(x, y)
		if err != nil {
			return math.NaN(), math.NaN()
		}
		return wrapArcsec(v[pair[0]] * scale[0]), wrapArcsec(v[pair[1]] * scale[1])
	}
	return world, lat, names, bottom, true
}

// wrapArcsec wraps an angle in arcsec to [-180°, 180°).
func wrapArcsec(v float64) float64 {
	const turn = 360 * 3600.0
	return v - turn*math.Floor((v+turn/2)/turn)
}
