package pystd

import (
	"fmt"
	"math"
	"strings"
	"time"

	"gokist/obj"
)

// Python's datetime module: naive datetimes (and ones in timezone.utc), dates and
// timedeltas with CPython's arithmetic, ranges, reprs and errors. A datetime is held
// as a Go time in UTC at microsecond precision, as Python's has.

// Datetime is datetime.datetime.
type Datetime struct {
	T   time.Time // wall clock, in UTC
	UTC bool      // aware, in timezone.utc (naive otherwise)
}

// Date is datetime.date.
type Date struct{ T time.Time }

// Timedelta is datetime.timedelta, in microseconds (its days, seconds, microseconds are
// derived, normalised as CPython normalises them).
type Timedelta struct{ US int64 }

const (
	usPerSecond = int64(1_000_000)
	usPerDay    = 86_400 * usPerSecond
	maxDays     = 999_999_999
)

// NewDatetime is datetime(year, month, day, hour, minute, second, microsecond) with
// CPython's range checks.
func NewDatetime(f [7]int, utc bool) (Datetime, error) {
	if err := checkDate(f[0], f[1], f[2]); err != nil {
		return Datetime{}, err
	}
	for i, lim := range []struct {
		name string
		max  int
	}{{"hour", 23}, {"minute", 59}, {"second", 59}, {"microsecond", 999999}} {
		if f[3+i] < 0 || f[3+i] > lim.max {
			return Datetime{}, obj.Errorf(obj.ValueError, "%s must be in 0..%d", lim.name, lim.max)
		}
	}
	return Datetime{T: time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], f[6]*1000, time.UTC), UTC: utc}, nil
}

func checkDate(y, m, d int) error {
	switch {
	case y < 1 || y > 9999:
		return obj.Errorf(obj.ValueError, "year %d is out of range", y)
	case m < 1 || m > 12:
		return obj.Errorf(obj.ValueError, "month must be in 1..12")
	case d < 1 || d > daysIn(y, m):
		return obj.Errorf(obj.ValueError, "day is out of range for month")
	}
	return nil
}

func daysIn(y, m int) int { return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() }

func (d Datetime) fields() [7]int {
	t := d.T
	return [7]int{t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond() / 1000}
}

// Fields are year, month, day, hour, minute, second, microsecond.
func (d Datetime) Fields() [7]int { return d.fields() }

func (d Datetime) Type() *obj.Type { return datetimeType }

// String is repr(d): trailing zero seconds and microseconds left out.
func (d Datetime) String() string {
	f := d.fields()
	n := 7
	for n > 5 && f[n-1] == 0 {
		n--
	}
	parts := make([]string, n)
	for i := range n {
		parts[i] = fmt.Sprint(f[i])
	}
	s := "datetime.datetime(" + strings.Join(parts, ", ")
	if d.UTC {
		s += ", tzinfo=datetime.timezone.utc"
	}
	return s + ")"
}

// Str is str(d): isoformat with a space.
func (d Datetime) Str() string { return d.isoformat(" ") }

func (d Datetime) isoformat(sep string) string {
	f := d.fields()
	s := fmt.Sprintf("%04d-%02d-%02d%s%02d:%02d:%02d", f[0], f[1], f[2], sep, f[3], f[4], f[5])
	if f[6] != 0 {
		s += fmt.Sprintf(".%06d", f[6])
	}
	if d.UTC {
		s += "+00:00"
	}
	return s
}

func (d Datetime) MimeBundle() map[string]any { return map[string]any{"text/plain": d.String()} }

// BinaryOp is datetime ± timedelta, datetime − datetime and comparisons.
func (d Datetime) BinaryOp(_ *obj.Env, op string, other any, reflected bool) (any, bool, error) {
	switch o := other.(type) {
	case Timedelta:
		switch {
		case op == "+" || op == "-" && !reflected:
			us := o.US
			if op == "-" {
				us = -us
			}
			t := d.T.Add(time.Duration(us) * time.Microsecond)
			if t.Year() < 1 || t.Year() > 9999 || math.Abs(float64(us)) > float64(maxDays)*float64(usPerDay) {
				return nil, true, obj.Errorf("OverflowError", "date value out of range")
			}
			return Datetime{T: t, UTC: d.UTC}, true, nil
		}
	case Datetime:
		if o.UTC != d.UTC {
			if op == "==" || op == "!=" {
				return op == "!=", true, nil
			}
			return nil, true, obj.Errorf(obj.TypeError, "can't %s offset-naive and offset-aware datetimes", map[bool]string{true: "subtract", false: "compare"}[op == "-"])
		}
		a, b := d.T, o.T
		if reflected {
			a, b = b, a
		}
		if op == "-" {
			return Timedelta{US: a.Sub(b).Microseconds()}, true, nil
		}
		return compare(op, a.Compare(b))
	}
	if op == "==" || op == "!=" {
		return op == "!=", true, nil
	}
	return nil, false, nil
}

// compare turns a three-way comparison into op's bool.
func compare(op string, c int) (any, bool, error) {
	switch op {
	case "<":
		return c < 0, true, nil
	case "<=":
		return c <= 0, true, nil
	case ">":
		return c > 0, true, nil
	case ">=":
		return c >= 0, true, nil
	case "==":
		return c == 0, true, nil
	case "!=":
		return c != 0, true, nil
	}
	return nil, false, nil
}

func (d Date) Type() *obj.Type { return dateType }
func (d Date) String() string {
	return fmt.Sprintf("datetime.date(%d, %d, %d)", d.T.Year(), int(d.T.Month()), d.T.Day())
}
func (d Date) Str() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.T.Year(), int(d.T.Month()), d.T.Day())
}
func (d Date) MimeBundle() map[string]any { return map[string]any{"text/plain": d.String()} }

// BinaryOp is date ± timedelta (whole days), date − date and comparisons.
func (d Date) BinaryOp(_ *obj.Env, op string, other any, reflected bool) (any, bool, error) {
	switch o := other.(type) {
	case Timedelta:
		if op == "+" || op == "-" && !reflected {
			days := o.days()
			if op == "-" {
				days = -days // date - td is date + timedelta(-td.days), as CPython has it
			}
			t := d.T.AddDate(0, 0, int(days))
			if t.Year() < 1 || t.Year() > 9999 {
				return nil, true, obj.Errorf("OverflowError", "date value out of range")
			}
			return Date{T: t}, true, nil
		}
	case Date:
		a, b := d.T, o.T
		if reflected {
			a, b = b, a
		}
		if op == "-" {
			return Timedelta{US: a.Sub(b).Microseconds()}, true, nil
		}
		return compare(op, a.Compare(b))
	}
	if op == "==" || op == "!=" {
		return op == "!=", true, nil
	}
	return nil, false, nil
}

// days, seconds, micros are the normalised parts: 0 <= seconds < 86400, 0 <= micros < 1e6.
func (t Timedelta) days() int64 {
	d := t.US / usPerDay
	if t.US%usPerDay < 0 {
		d--
	}
	return d
}

func (t Timedelta) parts() (days, secs, micros int64) {
	days = t.days()
	rest := t.US - days*usPerDay
	return days, rest / usPerSecond, rest % usPerSecond
}

func (t Timedelta) Type() *obj.Type { return timedeltaType }

// String is repr(t): the non-zero normalised parts by keyword.
func (t Timedelta) String() string {
	d, s, us := t.parts()
	var parts []string
	for _, p := range []struct {
		name string
		v    int64
	}{{"days", d}, {"seconds", s}, {"microseconds", us}} {
		if p.v != 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", p.name, p.v))
		}
	}
	if len(parts) == 0 {
		return "datetime.timedelta(0)"
	}
	return "datetime.timedelta(" + strings.Join(parts, ", ") + ")"
}

// Str is str(t): "[D day[s], ]H:MM:SS[.UUUUUU]".
func (t Timedelta) Str() string {
	d, s, us := t.parts()
	out := fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	if us != 0 {
		out += fmt.Sprintf(".%06d", us)
	}
	if d != 0 {
		plural := "s"
		if d == 1 || d == -1 {
			plural = ""
		}
		out = fmt.Sprintf("%d day%s, %s", d, plural, out)
	}
	return out
}

func (t Timedelta) MimeBundle() map[string]any { return map[string]any{"text/plain": t.String()} }

// newTimedelta checks CPython's range (|days| ≤ 999999999).
func newTimedelta(us float64) (Timedelta, error) {
	if math.IsNaN(us) {
		return Timedelta{}, obj.Errorf(obj.ValueError, "cannot convert float NaN to integer")
	}
	r := math.RoundToEven(us)
	if math.Abs(r) >= float64(maxDays+1)*float64(usPerDay) {
		return Timedelta{}, obj.Errorf("OverflowError", "days=%d; must have magnitude <= %d", int64(r/float64(usPerDay)), maxDays)
	}
	return Timedelta{US: int64(r)}, nil
}

// BinaryOp is timedelta arithmetic: ± timedelta, × and ÷ by numbers, ÷ and // by a
// timedelta, comparisons.
func (t Timedelta) BinaryOp(env *obj.Env, op string, other any, reflected bool) (any, bool, error) {
	if o, ok := other.(Timedelta); ok {
		a, b := t.US, o.US
		if reflected {
			a, b = b, a
		}
		switch op {
		case "+", "-":
			if op == "-" {
				b = -b
			}
			r, err := newTimedelta(float64(a) + float64(b))
			return r, true, err
		case "/":
			if b == 0 {
				return nil, true, obj.Errorf(obj.ZeroDivisionError, "division by zero")
			}
			return float64(a) / float64(b), true, nil
		case "//":
			if b == 0 {
				return nil, true, obj.Errorf(obj.ZeroDivisionError, "integer division or modulo by zero")
			}
			q := a / b
			if (a%b != 0) && ((a < 0) != (b < 0)) {
				q--
			}
			return int(q), true, nil
		}
		return compare(op, cmpInt(a, b))
	}
	if x, ok := obj.Float(other); ok {
		_, isInt := other.(int)
		switch {
		case op == "*":
			r, err := newTimedelta(float64(t.US) * x)
			return r, true, err
		case op == "/" && !reflected:
			if x == 0 {
				return nil, true, obj.Errorf(obj.ZeroDivisionError, "division by zero")
			}
			r, err := newTimedelta(float64(t.US) / x)
			return r, true, err
		case op == "//" && !reflected && isInt:
			if x == 0 {
				return nil, true, obj.Errorf(obj.ZeroDivisionError, "integer division or modulo by zero")
			}
			r, err := newTimedelta(math.Floor(float64(t.US) / x))
			return r, true, err
		}
	}
	if op == "==" || op == "!=" {
		return op == "!=", true, nil
	}
	return nil, false, nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// UnaryOp is -t, +t and abs(t).
func (t Timedelta) UnaryOp(_ *obj.Env, op string) (any, error) {
	switch op {
	case "-":
		return Timedelta{US: -t.US}, nil
	case "abs":
		if t.US < 0 {
			return Timedelta{US: -t.US}, nil
		}
	}
	return t, nil
}

// TotalSeconds is timedelta.total_seconds().
func (t Timedelta) TotalSeconds() float64 { return float64(t.US) / 1e6 }

// ISOT is the wall-clock time as astropy's isot text (no offset).
func (d Datetime) ISOT() string { return Datetime{T: d.T}.isoformat("T") }
