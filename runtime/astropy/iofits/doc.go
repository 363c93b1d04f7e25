// Package iofits is the Python face of astropy.io.fits over gokist's FITS reader (fits/):
// fits.open and getdata/getheader/getval (fits_module.go), HDUList and the HDUs with
// their lazily read data (fitsio_py.go), and Header and its cards (fitsheader_py.go;
// FITSHeader also serves dkist.data.sample's VISP_HEADER and astropy.wcs's
// WCS(header)).
//
// # How it plugs in
//
// fits_module.go registers astropy.io.fits and astropy.io with obj.RegisterModule from
// init; package runtime imports this package, so importing gokist/runtime registers
// them with every other module. Image data reach cells as runtime/numpy's NDArray.
package iofits
