// Package astrotime owns time scales and time formats as astropy.time keeps them: a time
// is a two-part Julian date (jd1 the integer day, jd2 the fraction in -0.5 … 0.5, as
// astropy's day_frac leaves them) in one scale (utc, tai, tt; ut1 only as a label), and
// converts between scales, calendar dates, ISO strings, JD, MJD and Unix time with the
// same double-double arithmetic as astropy and the same ERFA routines (erfa.go, a port
// of the routines astropy calls, BSD-3 licensed: see the notice there), so that values
// agree with astropy to the last bit where astropy's own arithmetic does.
//
// UTC follows ERFA's quasi-JD convention: a UTC day lasts 86400 quasi-seconds however
// many SI seconds it has, and a leap-second day maps its 86401 SI seconds onto it, so
// 2016-12-31T23:59:60.5 has its own JD. The table of leap seconds (leapseconds.go) is
// generated from pyerfa's by gen_leapseconds.py; dates before 1972 use ERFA's drift
// rates.
//
// The package is pure Go and knows nothing of Python values; runtime's time_py.go is
// the astropy.time face on it.
package astrotime

//go:generate sh -c "/usr/bin/python3 gen_leapseconds.py > leapseconds.go"
