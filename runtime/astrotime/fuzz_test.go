package astrotime

import (
	"math"
	"testing"
)

// FuzzParseStrings feeds any text to the iso, isot and fits parsers and any two
// doubles to the conversions: nothing panics, and a time that parses without a
// warning formats and converts to TAI and back to within a microsecond (ERFA iterates TAI to UTC; before 1972 its drift leaves nanoseconds).
func FuzzParseStrings(f *testing.F) {
	for _, s := range []string{"2023-05-21T04:00:00", "2016-12-31 23:59:60.5", "1965-06-01", "2023-13-01T00:00", "+12345-01-01T00:00:00", "2023-05-21T04:00:00.", "9999-12-31T23:59:59.9999999", "0000-01-01", "2023-5-1 1:2:3.25Z", ""} {
		f.Add(s, 2460000.5, 0.25)
	}
	f.Fuzz(func(t *testing.T, s string, a, b float64) {
		for _, format := range StringFormats {
			jd1, jd2, w, err := ParseStrings([]string{s}, format, UTC)
			if err != nil {
				continue
			}
			cal, _, err := ToCalendar(jd1, jd2, UTC, 9)
			if err != nil || w != "" {
				continue
			}
			back, _, _, err := ParseStrings([]string{cal[0].Format("isot", 9)}, "isot", UTC)
			if err == nil && math.Abs((back[0]-jd1[0])+0) > 1 {
				t.Errorf("%q (%s) formats as %s, which parses a day away", s, format, cal[0].Format("isot", 9))
			}
			t1, t2, _, err := Convert(jd1, jd2, UTC, TAI)
			if err != nil {
				continue
			}
			u1, u2, _, err := Convert(t1, t2, TAI, UTC)
			if err == nil && math.Abs((u1[0]-jd1[0])+(u2[0]-jd2[0]))*DaySec > 1e-6 && cal[0].Second < 60 {
				t.Errorf("%q: UTC→TAI→UTC moves it by %g s", s, ((u1[0]-jd1[0])+(u2[0]-jd2[0]))*DaySec)
			}
		}
		for _, scale := range []Scale{UTC, TAI, TT} {
			ToCalendar([]float64{a}, []float64{b}, scale, 3)
			Convert([]float64{a}, []float64{b}, scale, UTC)
		}
		DayFrac(a, b, 0, 0)
		FromNumeric([]float64{a, b}, "unix")
	})
}
