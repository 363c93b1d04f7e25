package wcs

import (
	"math"
	"strconv"
	"time"

	"gokist/obj"
)

// A time world value is a UTC instant computed as astropy does for a gwcs temporal frame
// (reference Time + seconds): the offset is added on the TAI scale, so that leap seconds
// count, and the result is turned back into UTC. A time.Duration only spans ±292 years
// and saturates silently, so offsets are added as whole seconds plus a fraction.

// taiUTCStep is one row of ERFA's eraDat table: from the UTC date (year, month) on,
// TAI−UTC = offset + (MJD − driftMJD) × rate seconds (rate is zero from 1972).
type taiUTCStep struct {
	year, month    int
	offset         float64
	driftMJD, rate float64
}

// taiUTCTable is ERFA's (and so astropy's) built-in TAI−UTC table, 1960 to the leap
// second of 2017-01-01.
var taiUTCTable = []taiUTCStep{
	{1960, 1, 1.4178180, 37300, 0.0012960},
	{1961, 1, 1.4228180, 37300, 0.0012960},
	{1961, 8, 1.3728180, 37300, 0.0012960},
	{1962, 1, 1.8458580, 37665, 0.0011232},
	{1963, 11, 1.9458580, 37665, 0.0011232},
	{1964, 1, 3.2401300, 38761, 0.0012960},
	{1964, 4, 3.3401300, 38761, 0.0012960},
	{1964, 9, 3.4401300, 38761, 0.0012960},
	{1965, 1, 3.5401300, 38761, 0.0012960},
	{1965, 3, 3.6401300, 38761, 0.0012960},
	{1965, 7, 3.7401300, 38761, 0.0012960},
	{1965, 9, 3.8401300, 38761, 0.0012960},
	{1966, 1, 4.3131700, 39126, 0.0025920},
	{1968, 2, 4.2131700, 39126, 0.0025920},
	{1972, 1, 10, 0, 0}, {1972, 7, 11, 0, 0}, {1973, 1, 12, 0, 0}, {1974, 1, 13, 0, 0},
	{1975, 1, 14, 0, 0}, {1976, 1, 15, 0, 0}, {1977, 1, 16, 0, 0}, {1978, 1, 17, 0, 0},
	{1979, 1, 18, 0, 0}, {1980, 1, 19, 0, 0}, {1981, 7, 20, 0, 0}, {1982, 7, 21, 0, 0},
	{1983, 7, 22, 0, 0}, {1985, 7, 23, 0, 0}, {1988, 1, 24, 0, 0}, {1990, 1, 25, 0, 0},
	{1991, 1, 26, 0, 0}, {1992, 7, 27, 0, 0}, {1993, 7, 28, 0, 0}, {1994, 1, 29, 0, 0},
	{1996, 1, 30, 0, 0}, {1997, 7, 31, 0, 0}, {1999, 1, 32, 0, 0}, {2006, 1, 33, 0, 0},
	{2009, 1, 34, 0, 0}, {2012, 7, 35, 0, 0}, {2015, 7, 36, 0, 0}, {2017, 1, 37, 0, 0},
}

// unixEpochMJD is the MJD of 1970-01-01T00:00:00.
const unixEpochMJD = 40587

// taiMinusUTC gives TAI−UTC in seconds at UTC instant t, as eraDat does (0 before 1960).
func taiMinusUTC(t time.Time) float64 {
	t = t.UTC()
	y, m := t.Year(), int(t.Month())
	for i := len(taiUTCTable) - 1; i >= 0; i-- {
		s := taiUTCTable[i]
		if y > s.year || (y == s.year && m >= s.month) {
			if s.rate == 0 {
				return s.offset
			}
			// eraUtctai stretches the day by the drift, so TAI−UTC follows the
			// fractional MJD.
			mjd := (float64(t.Unix())+float64(t.Nanosecond())/1e9)/86400 + unixEpochMJD
			return s.offset + (mjd-s.driftMJD)*s.rate
		}
	}
	return 0
}

// Astropy (ERFA) can hold UTC dates from -4799-01-01 (eraCal2jd's first year) until TAI
// reaches JD 1e9 + 0.5 (2733194-11-27T00:00:00 TAI, eraJd2cal's last day).
var (
	earliestTime = time.Date(-4799, 1, 1, 0, 0, 0, 0, time.UTC)
	latestTAI    = time.Date(2733194, 11, 27, 0, 0, 0, 0, time.UTC)
)

// maxOffsetSeconds bounds offsets before any integer conversion: beyond it the date is
// outside astropy's range from any reference, and float64 seconds still fit an int64.
const maxOffsetSeconds = 1e15

// addFloatSeconds adds s seconds to t (|s| ≤ maxOffsetSeconds) without time.Duration's
// ±292-year limit: whole seconds as an integer, the fraction rounded to nanoseconds.
func addFloatSeconds(t time.Time, s float64) time.Time {
	whole := math.Floor(s)
	ns := int64(math.Round((s - whole) * 1e9))
	return time.Unix(t.Unix()+int64(whole), int64(t.Nanosecond())+ns).UTC()
}

// errTimeOutOfRange says why a time world value cannot be made.
type errTimeOutOfRange struct{ seconds float64 }

func (e errTimeOutOfRange) Error() string {
	if math.IsNaN(e.seconds) || math.IsInf(e.seconds, 0) {
		return "the time offset is " + formatNumber(e.seconds) + " s, which is not a time"
	}
	return "the time offset " + formatArg(e.seconds) + " s is outside the dates astropy.time can represent (-4799-01-01 to 2733194-11-26)"
}

// timeAfter gives the UTC instant s seconds (TAI seconds, so leap seconds count) after
// ref, as astropy's `Time + s * u.s` does, or an errTimeOutOfRange when astropy could not
// represent it (astropy raises ErfaError there; a NaN or infinite offset is a TypeError
// in astropy).
func timeAfter(ref time.Time, s float64) (time.Time, error) {
	if math.IsNaN(s) || math.IsInf(s, 0) || math.Abs(s) > maxOffsetSeconds {
		return time.Time{}, errTimeOutOfRange{s}
	}
	tai := addFloatSeconds(ref, s+taiMinusUTC(ref)) // TAI, written on the UTC grid
	if !tai.Before(latestTAI) {
		return time.Time{}, errTimeOutOfRange{s}
	}
	utc := addFloatSeconds(tai, -taiMinusUTC(tai))
	utc = addFloatSeconds(tai, -taiMinusUTC(utc))
	if utc.Before(earliestTime) {
		return time.Time{}, errTimeOutOfRange{s}
	}
	return utc, nil
}

// secondsAfter is the inverse of timeAfter: the TAI seconds from ref to t.
func secondsAfter(ref, t time.Time) float64 {
	whole := float64(t.Unix() - ref.Unix())
	frac := float64(t.Nanosecond()-ref.Nanosecond()) / 1e9
	return whole + frac + (taiMinusUTC(t) - taiMinusUTC(ref))
}

// timeValueError turns a time that cannot be made into a ValueError naming the world
// axis and the pixel.
func timeValueError(axis int, name string, pixel []float64, err error) error {
	return obj.Errorf(obj.ValueError, "pixel_to_world(%s): world axis %d (%s): %v", joinNumbers(pixel), axis, name, err)
}

// joinNumbers writes pixel values as the call's arguments: "0, 0, 1e+15".
func joinNumbers(v []float64) string {
	out := ""
	for i, x := range v {
		if i > 0 {
			out += ", "
		}
		out += formatArg(x)
	}
	return out
}

// formatArg prints a pixel value compactly: 0, 2.5, 1e+15, inf, nan.
func formatArg(x float64) string {
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}
