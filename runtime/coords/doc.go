// Package coords is astropy.coordinates and sunpy.coordinates for cells: SkyCoord, the
// solar frames (Helioprojective, HeliographicStonyhurst, HeliographicCarrington,
// Heliocentric) and ICRS, their transforms as sunpy 4.1's graph does them, get_earth,
// get_body_heliographic_stonyhurst and sunpy.coordinates.sun, on Earth's position from
// ERFA's epv00 (astropy's builtin ephemeris, runtime/astrotime). It registers its
// modules and obj.RegisterSkyCoord (the dataset's helioprojective SkyCoords) from init;
// lang links it in. It owns the geometry (geometry.go), the frames and transforms
// (frames.go, transforms.go), the reprs (repr.go) and the Python face (face.go,
// construct.go, module.go).
package coords
