// Package fitswcs owns one FITS file's world coordinate system as its header states it
// (FITS WCS Papers I–III): CRPIX, CRVAL, CDELT, PCi_j or CDi_j, CUNIT, LONPOLE; the TAN
// and CAR projections for a celestial pair; linear spectral and other axes. ParseFile
// reads a header through HeaderReader (which *fits.Header satisfies); FileWCS converts
// pixels to world values and back (PixelToWorld, WorldToPixel, and PixelToWorldInto
// without allocating for the dataset WCS's loops). ParseFileInfo adds what a DKIST
// dataset keeps of each file (DATE-AVG, STOKES), and WCSLibUnit the units wcslib, so
// astropy.wcs, reports.
//
// It knows nothing of datasets: package wcs combines many files' FileWCS into one
// dataset WCS, and the astropy.wcs face wraps one FileWCS.
package fitswcs
