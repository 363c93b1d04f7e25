package wcs

import (
	"time"

	"gokist/runtime/wcs/fitswcs"
)

// The FITS-header WCS of one file lives in package fitswcs. A dataset's Layout hands New
// one FileInfo per file, so these names are part of this package's API too: the loader
// and the astropy.wcs face reach them here, and they are the same types and functions.
type (
	// FileWCS is one FITS file's world coordinate system (fitswcs.FileWCS).
	FileWCS = fitswcs.FileWCS
	// FileInfo is what a dataset WCS needs of one file (fitswcs.FileInfo).
	FileInfo = fitswcs.FileInfo
	// HeaderReader reads the header keywords a FileWCS is parsed from.
	HeaderReader = fitswcs.HeaderReader
)

// ParseFile reads one file's WCS from its header (fitswcs.ParseFile).
func ParseFile(h HeaderReader) (*FileWCS, error) { return fitswcs.ParseFile(h) }

// ParseFileInfo reads one file's WCS, DATE-AVG and STOKES (fitswcs.ParseFileInfo).
func ParseFileInfo(h HeaderReader) (FileInfo, error) { return fitswcs.ParseFileInfo(h) }

// ParseISOTime reads a FITS date-time value as UTC (fitswcs.ParseISOTime).
func ParseISOTime(s string) (time.Time, error) { return fitswcs.ParseISOTime(s) }

// WCSLibUnit gives the unit wcslib converts an axis of CTYPE ctype and CUNIT cunit to,
// and the factor (fitswcs.WCSLibUnit).
func WCSLibUnit(ctype, cunit string) (unit string, factor float64, ok bool) {
	return fitswcs.WCSLibUnit(ctype, cunit)
}
