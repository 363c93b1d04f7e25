// Package wcsunit owns the closed table of units a world axis of gokist's WCS takes
// (lengths, angles, times, frequencies, energies, wavenumbers; FITS, astropy and everyday
// spellings of each) and the conversions between them: Factor within one dimension,
// ConvertSpectral across astropy's spectral equivalency, ParseCompound for the per-pixel
// units of gwcs model parameters. Canonical gives the spelling astropy prints, which the
// world values' reprs show.
//
// The table is closed on purpose: an error converting between units lists the units of
// the same dimension (the ones a world axis accepts), which a general unit algebra
// (runtime/units) could not enumerate. The FITS-header WCS, the gwcs reader
// and the dataset WCS all read units through it.
package wcsunit
