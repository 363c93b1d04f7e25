package astrotime

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// StringFormats are the string formats gokist parses, in the order astropy tries them
// when no format is given.
var StringFormats = []string{"iso", "isot", "fits"}

// NumericFormats are the numeric formats gokist knows.
var NumericFormats = []string{"jd", "mjd", "unix"}

// ParseError is a string a format does not parse (Python's ValueError).
type ParseError struct{ Msg string }

func (e *ParseError) Error() string { return e.Msg }

// fields are the calendar fields of one parsed time.
type fields struct {
	y, mo, d, h, mi int
	sec             float64
}

// delimiter of the date and the time in the fixed-width form of a format.
func delimiter(format string) byte {
	if format == "iso" {
		return ' '
	}
	return 'T'
}

// parseFast is astropy's fixed-width C parser for iso and isot: YYYY-MM-DD, then
// optionally the delimiter and HH:MM, optionally :SS, optionally a fraction.
func parseFast(s, format string) (fields, bool) {
	var f fields
	num := func(i, n int) (int, bool) {
		if i+n > len(s) {
			return 0, false
		}
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = 10*v + int(c-'0')
		}
		return v, true
	}
	for _, c := range []byte(s) {
		if c > 127 {
			return f, false
		}
	}
	var ok bool
	if f.y, ok = num(0, 4); !ok || len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return f, false
	}
	if f.mo, ok = num(5, 2); !ok {
		return f, false
	}
	if f.d, ok = num(8, 2); !ok {
		return f, false
	}
	if len(s) == 10 {
		return f, true
	}
	if len(s) < 16 || s[10] != delimiter(format) || s[13] != ':' {
		return f, false
	}
	if f.h, ok = num(11, 2); !ok {
		return f, false
	}
	if f.mi, ok = num(14, 2); !ok {
		return f, false
	}
	if len(s) == 16 {
		return f, true
	}
	if len(s) < 19 || s[16] != ':' {
		return f, false
	}
	sec, ok := num(17, 2)
	if !ok {
		return f, false
	}
	f.sec = float64(sec)
	if len(s) == 19 {
		return f, true
	}
	if s[19] != '.' {
		return f, false
	}
	frac := s[19:]
	for _, c := range []byte(frac[1:]) {
		if c < '0' || c > '9' {
			return f, false
		}
	}
	v, err := strconv.ParseFloat("0"+frac, 64)
	if err != nil {
		return f, false
	}
	f.sec += v
	return f, true
}

// Python's time.strptime patterns for the directives astropy's iso formats use.
const (
	pyY = `(\d\d\d\d)`
	pym = `(1[0-2]|0[1-9]|[1-9])`
	pyd = `(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])`
	pyH = `(2[0-3]|[0-1]\d|\d)`
	pyM = `([0-5]\d|\d)`
	pyS = `(6[0-1]|[0-5]\d|\d)`
)

// strptimeForms are each format's sub-formats as Python's strptime regexes (full
// match, case-insensitive), date_hms first; the bool says whether it has seconds.
var strptimeForms = map[string][]struct {
	re     *regexp.Regexp
	hasSec bool
}{}

func init() {
	for _, f := range []string{"iso", "isot"} {
		d := string(delimiter(f))
		date := pyY + "-" + pym + "-" + pyd
		for _, p := range []struct {
			pat    string
			hasSec bool
		}{{date + d + pyH + ":" + pyM + ":" + pyS, true}, {date + d + pyH + ":" + pyM, false}, {date, false}} {
			strptimeForms[f] = append(strptimeForms[f], struct {
				re     *regexp.Regexp
				hasSec bool
			}{regexp.MustCompile(`(?i)^` + p.pat + `$`), p.hasSec})
		}
	}
}

// fitsForms are astropy's TimeFITS regexes, whole-string, seconds with their fraction.
var fitsForms = []*regexp.Regexp{
	regexp.MustCompile(`^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d(?:\.\d*)?)$`),
	regexp.MustCompile(`^(\d{4})-(\d\d)-(\d\d)$`),
	regexp.MustCompile(`^([+-]\d{5})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d(?:\.\d*)?)$`),
	regexp.MustCompile(`^([+-]\d{5})-(\d\d)-(\d\d)$`),
}

// parseFITS is TimeFITS.parse_string.
func parseFITS(s string) (fields, error) {
	for _, re := range fitsForms {
		m := re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		var f fields
		ints := []*int{&f.y, &f.mo, &f.d, &f.h, &f.mi}
		for i := 1; i < len(m) && i <= 5; i++ {
			*ints[i-1], _ = strconv.Atoi(strings.TrimPrefix(m[i], "+"))
		}
		if len(m) == 7 {
			f.sec, _ = strconv.ParseFloat(m[6], 64)
		}
		if f.mo == 0 && len(m) == 4 {
			f.mo = 1
		}
		return f, nil
	}
	return fields{}, &ParseError{Msg: fmt.Sprintf("Time %s does not match fits format", s)}
}

// parsePython is astropy's Python parser: the fraction after the last "." is split
// off, each sub-format tried, and the date checked as strptime checks it.
func parsePython(s, format string, scale Scale) (fields, error) {
	var f fields
	if format == "fits" {
		return parseFITS(s)
	}
	fail := &ParseError{Msg: fmt.Sprintf("Time %s does not match %s format", s, format)}
	if strings.HasSuffix(s, "Z") {
		if scale != UTC {
			return f, &ParseError{Msg: "Time input terminating in 'Z' must have scale='UTC'"}
		}
		s = s[:len(s)-1]
	}
	body, frac, hasFrac := s, 0.0, false
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		v, err := strconv.ParseFloat(s[i:], 64)
		if err != nil {
			return f, &ParseError{Msg: fmt.Sprintf("could not convert string to float: '%s'", s[i:])}
		}
		body, frac, hasFrac = s[:i], v, true
	}
	for _, form := range strptimeForms[format] {
		m := form.re.FindStringSubmatch(body)
		if m == nil || hasFrac && !form.hasSec {
			continue
		}
		vals := [6]int{0, 1, 1, 0, 0, 0}
		for i := 1; i < len(m); i++ {
			v, _ := strconv.ParseFloat(strings.TrimSpace(m[i]), 64)
			vals[i-1] = int(v)
		}
		if !validDate(vals[0], vals[1], vals[2]) {
			continue // strptime's "day is out of range for month"
		}
		f = fields{vals[0], vals[1], vals[2], vals[3], vals[4], float64(vals[5])}
		if hasFrac {
			f.sec += frac
		}
		return f, nil
	}
	return f, fail
}

func validDate(y, m, d int) bool {
	_, _, st := cal2jd(y, m, d)
	return st == 0
}

// ParseStrings is Time(strings, format=format, scale=scale) for a string format: each
// string parsed (astropy's fast parser first, for all, else its Python parser), then
// ERFA's dtf2d and day_frac. warning is dtf2d's ErfaWarning, if any.
func ParseStrings(strs []string, format string, scale Scale) (jd1, jd2 []float64, warning string, err error) {
	all := make([]fields, len(strs))
	fast := format != "fits"
	for i, s := range strs {
		if !fast {
			break
		}
		all[i], fast = parseFast(s, format)
	}
	if !fast {
		for i, s := range strs {
			if all[i], err = parsePython(s, format, scale); err != nil {
				return nil, nil, "", err
			}
		}
	}
	jd1, jd2 = make([]float64, len(strs)), make([]float64, len(strs))
	codes := make([]Status, len(strs))
	up := strings.ToUpper(string(scale))
	for i, f := range all {
		jd1[i], jd2[i], codes[i] = dtf2d(up, f.y, f.mo, f.d, f.h, f.mi, f.sec)
	}
	if warning, err = checkStatus("dtf2d", codes); err != nil {
		return nil, nil, "", err
	}
	for i := range jd1 {
		jd1[i], jd2[i] = DayFrac(jd1[i], jd2[i], 0, 0)
	}
	return jd1, jd2, warning, nil
}

// Calendar is one time's calendar date and time of day rounded to a precision: Frac
// counts units of 10^-precision s.
type Calendar struct {
	Year, Month, Day, Hour, Minute, Second, Frac int
}

// ToCalendar is ERFA's d2dtf over times in scale, with precision decimals of the
// second; warning is its ErfaWarning, if any.
func ToCalendar(jd1, jd2 []float64, scale Scale, precision int) ([]Calendar, string, error) {
	out := make([]Calendar, len(jd1))
	codes := make([]Status, len(jd1))
	up := strings.ToUpper(string(scale))
	for i := range jd1 {
		y, m, d, hmsf, st := d2dtf(up, precision, jd1[i], jd2[i])
		out[i], codes[i] = Calendar{y, m, d, hmsf[0], hmsf[1], hmsf[2], hmsf[3]}, st
	}
	w, err := checkStatus("d2dtf", codes)
	return out, w, err
}

// Format writes a calendar time in a string format with precision decimals, as
// astropy's str_fmt does.
func (c Calendar) Format(format string, precision int) string {
	sep := "T"
	if format == "iso" {
		sep = " "
	}
	year := strconv.Itoa(c.Year)
	if format == "fits" {
		year = fmt.Sprintf("%04d", c.Year)
	}
	s := fmt.Sprintf("%s-%02d-%02d%s%02d:%02d:%02d", year, c.Month, c.Day, sep, c.Hour, c.Minute, c.Second)
	if precision > 0 {
		s += fmt.Sprintf(".%0*d", precision, c.Frac)
	}
	return s
}

// unixEpoch is Time("1970-01-01 00:00:00", scale="utc") as astropy holds it.
var unixEpoch = func() [2]float64 {
	d1, d2, _ := dtf2d("UTC", 1970, 1, 1, 0, 0, 0)
	a, b := DayFrac(d1, d2, 0, 0)
	return [2]float64{a, b}
}()

// FromNumeric is Time(values, format=format) for jd, mjd and unix (unix in UTC; the
// caller converts for another scale).
func FromNumeric(vals []float64, format string) (jd1, jd2 []float64) {
	jd1, jd2 = make([]float64, len(vals)), make([]float64, len(vals))
	for i, v := range vals {
		switch format {
		case "jd":
			jd1[i], jd2[i] = DayFrac(v, 0, 0, 0)
		case "mjd":
			a, b := DayFrac(v, 0, 0, 0)
			jd1[i], jd2[i] = DayFrac(a+DJM0, b, 0, 0)
		case "unix":
			day, frac := DayFrac(v, 0, 0, 1.0/(1.0/DaySec))
			a, b := unixEpoch[0]+day, unixEpoch[1]+frac
			extra := math.RoundToEven(b)
			jd1[i], jd2[i] = a+extra, b-extra
		}
	}
	return jd1, jd2
}

// ToNumeric is the value of times in a numeric format, as astropy computes it (unix
// from UTC times).
func ToNumeric(jd1, jd2 []float64, format string) []float64 {
	out := make([]float64, len(jd1))
	for i := range jd1 {
		switch format {
		case "jd":
			out[i] = jd1[i] + jd2[i]
		case "mjd":
			out[i] = (jd1[i] - DJM0) + jd2[i]
		case "unix":
			out[i] = (jd1[i]-unixEpoch[0])*DaySec + (jd2[i]-unixEpoch[1])*DaySec
		}
	}
	return out
}
