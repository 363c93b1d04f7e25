// Package coords is astropy.coordinates and sunpy.coordinates for cells: SkyCoord, the
// solar frames (Helioprojective, HeliographicStonyhurst, HeliographicCarrington,
// Heliocentric) and ICRS, their transforms as sunpy 4.1's graph does them, get_earth,
// get_body_heliographic_stonyhurst and sunpy.coordinates.sun, on Earth's position from
// ERFA's epv00 (astropy's builtin ephemeris, runtime/astrotime), and SpectralCoord with
// an observer and a target (radial velocity, with_radial_velocity_shift).
//
// It registers its modules and obj.RegisterSkyCoord (the dataset's helioprojective
// SkyCoords) from init; lang links it in with a blank import. It owns the geometry
// (geometry.go), the frames and transforms (frames.go, transforms.go), the reprs
// (repr.go), the Python face (face.go, construct.go, module.go) and SpectralCoord
// (spectral.go). Positions are kept as astropy keeps them: angles in the frame's unit,
// distances in metres printed in the unit the transforms carry (AU, km, m). It reads
// times, Quantities and numpy's printing through the faces that own them
// (runtime/astropy/time, runtime/astropy/units, runtime/numpy: each one's coords.go),
// not through the dkist face in runtime.
package coords
