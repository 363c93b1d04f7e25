package fitswcs

import (
	"fmt"
	"math"

	"gokist/runtime/wcs/wcsunit"
)

// WCSLibUnit is the unit wcslib (and so astropy.wcs) gives world axis ctype after its
// wcsset: celestial axes in degrees, spectral axes (WAVE, AWAV, FREQ, ENER, WAVN, VRAD,
// VOPT, VELO, ZOPT, BETA) in SI, others in their own CUNIT; and the factor that turns a
// value in cunit into it. ok is false when cunit is not a unit that converts (a celestial
// axis in metres, say); the caller reports the header's keyword.
func WCSLibUnit(ctype, cunit string) (unit string, factor float64, ok bool) {
	p := ctypePrefix(ctype)
	var target string
	switch {
	case celestialLon[p] || celestialLat[p]:
		target = "deg"
		if cunit == "" {
			return "deg", 1, true
		}
	default:
		switch p {
		case "WAVE", "AWAV", "VRAD", "VOPT", "VELO", "ZOPT", "BETA", "FREQ", "ENER", "WAVN":
		default:
			return wcsunit.Canonical(cunit), 1, true
		}
		target = map[string]string{"WAVE": "m", "AWAV": "m", "FREQ": "Hz", "ENER": "J", "WAVN": "1 / m"}[p]
		if target == "" || cunit == "" {
			return wcsunit.Canonical(cunit), 1, true
		}
	}
	from, okf := wcsunit.Lookup(cunit)
	to, okt := wcsunit.Lookup(target)
	if !okf || !okt || from.Dim != to.Dim {
		return "", 0, false
	}
	if from.Name == to.Name {
		return to.Name, 1, true
	}
	return to.Name, from.Scale / to.Scale, true
}

// WCSLibLongitude puts a celestial longitude (degrees) into the range wcslib's sphx2s
// gives, which astropy.wcs's low-level values show: the native pole's longitude alphaP
// plus the rotation angle (−180°, 180°], then into [0°, 360°] when alphaP ≥ 0 and
// [−360°, 0°] when alphaP < 0. (The dataset WCS wraps instead as dkist does.)
func (f *FileWCS) WCSLibLongitude(lon float64) float64 {
	if math.IsNaN(lon) {
		return lon
	}
	d := math.Mod(lon-f.alphaP, 360)
	switch {
	case d > 180:
		d -= 360
	case d <= -180:
		d += 360
	}
	l := f.alphaP + d
	if f.alphaP >= 0 {
		if l < 0 {
			l += 360
		}
	} else if l > 0 {
		l -= 360
	}
	switch {
	case l > 360:
		l -= 360
	case l < -360:
		l += 360
	}
	return l
}

// PixelToWorldInto is PixelToWorld into out, without allocating (for evaluating many
// points): len(pix) and len(out) must be NAxis, and they must not alias.
func (f *FileWCS) PixelToWorldInto(pix, out []float64) error {
	if len(pix) != f.NAxis || len(out) != f.NAxis {
		return fmt.Errorf("wcs: %d pixel values and %d outputs for a %d-axis WCS", len(pix), len(out), f.NAxis)
	}
	f.pixelToWorldInto(pix, out)
	return nil
}
