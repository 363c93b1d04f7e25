// Package wcs owns gokist's dataset world coordinates: the dataset WCS that combines the
// files of a DKIST dataset (in-file axes from each file's header, file-spanning axes
// interpolated between files, time from DATE-AVG, Stokes from STOKES) or comes from the
// gwcs of its ASDF index, the views that slicing and rebinning make, their numerical
// inverse, and the high-level world values (SkyCoord, SpectralCoord, Time, StokesCoord,
// Quantity) with their members and reprs.
//
// Below it, each package with one job, imports pointing down:
//
//	fitswcs    one FITS file's WCS from its header (FileWCS; aliased here for Layout)
//	gwcs       a gwcs's transform models and frames
//	asdf       the ASDF file reader gwcs reads from
//	wcsunit    the closed unit table of world axes, shared by all of them
//	internal/wcsmath, internal/wcstest   shared numerics; the tests' headers and astropy
//
// Data flow: the loader builds one FileWCS per file header (ParseFile, ParseFileInfo) and
// the dataset WCS from them (New, dataset.go), or from a gwcs (FromASDF, fromgwcs.go);
// both make a system (base array pixel → world values) behind views. Indexing and
// rebinning a Dataset make views (Slice, Rebin) without evaluating anything;
// pixel_to_world and world_to_pixel (invert.go) evaluate a view's system at the pixels
// asked for, turning values into high-level world values (values.go) only at the end.
package wcs
