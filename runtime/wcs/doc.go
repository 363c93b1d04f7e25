// Package wcs owns gokist's world coordinates: one FITS file's WCS (FITS WCS Papers I–III:
// CRPIX, CRVAL, CDELT, PCi_j or CDi_j, CUNIT, the TAN projection for celestial pairs,
// linear spectral and other axes), the dataset WCS that combines the files of a DKIST
// dataset (in-file axes from each file's header, file-spanning axes interpolated between
// files, time from DATE-AVG, Stokes from STOKES), a gwcs evaluator for DKIST ASDF indexes,
// the views that slicing and rebinning make, and the high-level world values (SkyCoord,
// SpectralCoord, Time, StokesCoord, Quantity) with their members and reprs.
//
// Data flow: the loader builds one FileWCS per file header (ParseFile, ParseFileInfo) and the dataset
// WCS from them (New, or FromASDF with a gwcs transform tree); indexing and rebinning a
// Dataset make views (Slice, Rebin) without evaluating anything; pixel_to_world and
// world_to_pixel evaluate a view's system at the pixels asked for, turning values into
// high-level world values (values.go) only at the end.
package wcs
