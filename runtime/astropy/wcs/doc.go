// Package wcs is the Python face of astropy.wcs over gokist's transforms in runtime/wcs
// (imported here under its own name wcs; importers of this package call it awcs):
// WCS(header) of one FITS header (astropywcs.go: the header forms a cell has, units
// normalised as wcslib's wcsset does), its members and reprs (astropywcs_py.go), world
// and pixel values (astropywcs_values.go), time axes (astropywcs_time.go), slicing
// (astropywcs_slice.go, astropywcs_sliced.go) and sub/celestial/spectral
// (astropywcs_sub.go).
//
// # How it plugs in
//
// astropywcs_py.go registers astropy.wcs with obj.RegisterModule from init; package
// runtime imports this package for it (runtime/faces.go), so importing gokist/runtime
// registers it with every other module. Headers come from runtime/astropy/iofits,
// times from runtime/astropy/time, Quantities from runtime/astropy/units; SkyCoord
// results go through obj's SkyCoord maker when a coordinates package is linked.
package wcs
