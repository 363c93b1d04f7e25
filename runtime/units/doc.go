// Package units owns physical units as astropy 5.2 has them, in plain Go (no Python
// values): the registry of named units with prefixes (tables_gen.go, generated from
// astropy itself by gen_tables.py), unit algebra (products, quotients, rational
// powers, scales), decomposition into irreducible units and astropy's composition
// into a unit system (Unit.SI, Unit.CGS), conversion factors with astropy's
// UnitConversionError messages and physical types, the parser of astropy's generic unit
// strings ("km / s", "km/s", "erg s-1 cm-2", "m**2", "10**-7 J"), the generic format
// they print in, the equivalencies spectral and doppler_optical/radio/relativistic,
// and the constants of astropy.constants (CODATA 2018, IAU 2015).
//
// The Python face (Quantity, the astropy.units and astropy.constants modules) lives in
// package runtime and builds on this one; errors here are *Error values carrying the
// Python class astropy raises (UnitConversionError, UnitsError, UnitTypeError,
// ValueError), which the face turns into the cell's error.
package units
