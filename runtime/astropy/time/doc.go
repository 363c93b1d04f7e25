// Package time is the Python face of astropy.time over the plain-Go time library
// runtime/astrotime (scales, formats, ERFA's routines): Time and TimeDelta (time_py.go,
// timedelta_py.go), their construction from Python values (time_new.go), members
// (time_members.go), arithmetic and comparisons (time_ops.go), mean (time_mean.go),
// strftime (time_strftime.go) and the astropy.time module (time_module.go). Importers
// call it atime: its name is Python's module's, as the standard library's time is Go's.
//
// # How it plugs in
//
// time_module.go registers astropy.time with obj.RegisterModule from init; package
// runtime imports this package, so importing gokist/runtime registers it with every
// other module. Time values read Quantities through obj.QuantityValue (5 * u.s) and give
// arrays as runtime/numpy's NDArray, StrArray and ObjArray. coords.go is what
// runtime/coords (astropy.coordinates, sunpy.coordinates) reads a Time through:
// TimeParts, TimeLike and ParseTime, sunpy's parse_time.
package time
