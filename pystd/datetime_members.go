package pystd

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gokist/obj"
	"gokist/pyfmt"
)

var (
	datetimeType  = &obj.Type{Name: "datetime.datetime", Doc: "A date and time of day (datetime.datetime), naive or in timezone.utc."}
	dateType      = &obj.Type{Name: "datetime.date", Doc: "A calendar date (datetime.date)."}
	timedeltaType = &obj.Type{Name: "datetime.timedelta", Doc: "A duration (datetime.timedelta), to the microsecond."}
)

// tzUTC is datetime.timezone.utc, the one time zone gokist's datetimes take.
type tzUTC struct{}

var tzType = &obj.Type{Name: "datetime.timezone", Doc: "A fixed offset from UTC; gokist has timezone.utc."}

func (tzUTC) Type() *obj.Type { return tzType }
func (tzUTC) String() string  { return "datetime.timezone.utc" }
func (tzUTC) Str() string     { return "UTC" }

// boundMethod builds a member whose arguments bind to params.
func boundMethod(name, sig, doc string, params []obj.Param, call func(recv any, v []any) (any, error)) *obj.Member {
	return &obj.Member{Name: name, Signature: sig, Doc: doc, Params: params, Call: func(_ *obj.Env, r any, args obj.Args) (any, error) {
		v, err := args.Bind(name, params)
		if err != nil {
			return nil, err
		}
		return call(r, v)
	}}
}

func field(name string, get func(r any) any) *obj.Member {
	return &obj.Member{Name: name, Get: func(_ *obj.Env, r any) (any, error) { return get(r), nil }}
}

func init() {
	for i, name := range []string{"year", "month", "day", "hour", "minute", "second", "microsecond"} {
		datetimeType.Members = append(datetimeType.Members, field(name, func(r any) any { return r.(Datetime).fields()[i] }))
		if i < 3 {
			dateType.Members = append(dateType.Members, field(name, func(r any) any {
				t := r.(Date).T
				return [3]int{t.Year(), int(t.Month()), t.Day()}[i]
			}))
		}
	}
	strParam := []obj.Param{{Name: "format"}}
	datetimeType.Members = append(datetimeType.Members,
		field("tzinfo", func(r any) any {
			if r.(Datetime).UTC {
				return tzUTC{}
			}
			return nil
		}),
		boundMethod("isoformat", "isoformat(sep='T')", "The ISO 8601 text.", []obj.Param{{Name: "sep", Default: "'T'"}}, func(r any, v []any) (any, error) {
			sep, ok := v[0].(string)
			if v[0] == nil {
				sep, ok = "T", true
			}
			if !ok || len([]rune(sep)) != 1 {
				return nil, obj.Errorf(obj.TypeError, "isoformat() argument 1 must be a unicode character, not %s", obj.TypeName(v[0]))
			}
			return r.(Datetime).isoformat(sep), nil
		}),
		boundMethod("strftime", "strftime(format)", "The datetime formatted with % codes.", strParam, func(r any, v []any) (any, error) {
			return strftime(r.(Datetime), v[0])
		}),
		boundMethod("date", "date()", "The calendar date.", nil, func(r any, _ []any) (any, error) {
			t := r.(Datetime).T
			return Date{T: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)}, nil
		}),
		boundMethod("timestamp", "timestamp()", "Seconds since the Epoch (a naive datetime is taken as UTC here: the kernel's clock is).", nil, func(r any, _ []any) (any, error) {
			return float64(r.(Datetime).T.UnixMicro()) / 1e6, nil
		}),
		boundMethod("weekday", "weekday()", "Monday 0 … Sunday 6.", nil, func(r any, _ []any) (any, error) { return (int(r.(Datetime).T.Weekday()) + 6) % 7, nil }),
		boundMethod("isoweekday", "isoweekday()", "Monday 1 … Sunday 7.", nil, func(r any, _ []any) (any, error) { return (int(r.(Datetime).T.Weekday())+6)%7 + 1, nil }),
		&obj.Member{Name: "replace", Signature: "replace(year=…, month=…, day=…, hour=…, minute=…, second=…, microsecond=…)", Doc: "The datetime with the given fields changed.",
			Call: func(_ *obj.Env, r any, args obj.Args) (any, error) {
				d := r.(Datetime)
				f := d.fields()
				names := []string{"year", "month", "day", "hour", "minute", "second", "microsecond"}
				if len(args.Pos) > 0 {
					return nil, obj.Errorf(obj.TypeError, "replace() takes keyword arguments in gokist")
				}
				for k, v := range args.Kw {
					i := indexOf(names, k)
					n, ok := v.(int)
					if i < 0 || !ok {
						return nil, obj.Errorf(obj.TypeError, "'%s' is an invalid keyword argument for replace()", k)
					}
					f[i] = n
				}
				return NewDatetime(f, d.UTC)
			}},
	)
	dateType.Members = append(dateType.Members,
		boundMethod("isoformat", "isoformat()", "YYYY-MM-DD.", nil, func(r any, _ []any) (any, error) { return r.(Date).Str(), nil }),
		boundMethod("strftime", "strftime(format)", "The date formatted with % codes.", strParam, func(r any, v []any) (any, error) {
			return strftime(Datetime{T: r.(Date).T}, v[0])
		}),
		boundMethod("weekday", "weekday()", "Monday 0 … Sunday 6.", nil, func(r any, _ []any) (any, error) { return (int(r.(Date).T.Weekday()) + 6) % 7, nil }),
	)
	timedeltaType.Members = []*obj.Member{
		field("days", func(r any) any { d, _, _ := r.(Timedelta).parts(); return int(d) }),
		field("seconds", func(r any) any { _, s, _ := r.(Timedelta).parts(); return int(s) }),
		field("microseconds", func(r any) any { _, _, us := r.(Timedelta).parts(); return int(us) }),
		boundMethod("total_seconds", "total_seconds()", "The duration in seconds.", nil, func(r any, _ []any) (any, error) { return r.(Timedelta).TotalSeconds(), nil }),
	}
}

func indexOf(names []string, k string) int {
	for i, n := range names {
		if n == k {
			return i
		}
	}
	return -1
}

// strftimeCodes are the % codes gokist formats, as C's strftime does in the C locale.
var strftimeCodes = map[byte]func(t time.Time, utc bool) string{
	'Y': func(t time.Time, _ bool) string { return fmt.Sprintf("%04d", t.Year()) },
	'y': func(t time.Time, _ bool) string { return fmt.Sprintf("%02d", t.Year()%100) },
	'm': func(t time.Time, _ bool) string { return fmt.Sprintf("%02d", int(t.Month())) },
	'd': func(t time.Time, _ bool) string { return fmt.Sprintf("%02d", t.Day()) },
	'H': func(t time.Time, _ bool) string { return fmt.Sprintf("%02d", t.Hour()) },
	'I': func(t time.Time, _ bool) string { return fmt.Sprintf("%02d", (t.Hour()+11)%12+1) },
	'M': func(t time.Time, _ bool) string { return fmt.Sprintf("%02d", t.Minute()) },
	'S': func(t time.Time, _ bool) string { return fmt.Sprintf("%02d", t.Second()) },
	'f': func(t time.Time, _ bool) string { return fmt.Sprintf("%06d", t.Nanosecond()/1000) },
	'j': func(t time.Time, _ bool) string { return fmt.Sprintf("%03d", t.YearDay()) },
	'p': func(t time.Time, _ bool) string { return map[bool]string{true: "PM", false: "AM"}[t.Hour() >= 12] },
	'a': func(t time.Time, _ bool) string { return t.Weekday().String()[:3] },
	'A': func(t time.Time, _ bool) string { return t.Weekday().String() },
	'b': func(t time.Time, _ bool) string { return t.Month().String()[:3] },
	'B': func(t time.Time, _ bool) string { return t.Month().String() },
	'Z': func(_ time.Time, utc bool) string { return map[bool]string{true: "UTC"}[utc] },
	'z': func(_ time.Time, utc bool) string { return map[bool]string{true: "+0000"}[utc] },
	'%': func(time.Time, bool) string { return "%" },
}

func strftime(d Datetime, format any) (any, error) {
	f, ok := format.(string)
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "strftime() argument 1 must be str, not %s", obj.TypeName(format))
	}
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 == len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		code, ok := strftimeCodes[f[i]]
		if !ok {
			return nil, obj.Errorf(obj.ValueError, "gokist's strftime has no %%%c code", f[i]).WithHint("codes: %%Y %%y %%m %%d %%H %%I %%M %%S %%f %%j %%p %%a %%A %%b %%B %%Z %%z %%%%")
		}
		b.WriteString(code(d.T, d.UTC))
	}
	return b.String(), nil
}

// strptime parses s by format's % codes (numbers, month and day names, AM/PM, Z/z).
func strptime(s, format string) (Datetime, error) {
	fail := obj.Errorf(obj.ValueError, "time data %s does not match format %s", pyfmt.Quote(s), pyfmt.Quote(format))
	f := [7]int{1900, 1, 1, 0, 0, 0, 0}
	pm, hasPM, utc := false, false, false
	pos := 0
	num := func(maxDigits int) (int, bool) {
		end := pos
		for end < len(s) && end-pos < maxDigits && s[end] >= '0' && s[end] <= '9' {
			end++
		}
		if end == pos {
			return 0, false
		}
		n, _ := strconv.Atoi(s[pos:end])
		if maxDigits == 6 { // %f: microseconds, right-padded
			n *= int(pow10(6 - (end - pos)))
		}
		pos = end
		return n, true
	}
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 == len(format) {
			if pos >= len(s) || s[pos] != format[i] {
				return Datetime{}, fail
			}
			pos++
			continue
		}
		i++
		var ok bool
		switch c := format[i]; c {
		case 'Y', 'm', 'd', 'H', 'I', 'M', 'S', 'f', 'y', 'j':
			digits := map[byte]int{'Y': 4, 'f': 6, 'j': 3}[c]
			if digits == 0 {
				digits = 2
			}
			var n int
			if n, ok = num(digits); ok {
				switch c {
				case 'Y':
					f[0] = n
				case 'y':
					f[0] = 1900 + n
					if n < 69 {
						f[0] = 2000 + n
					}
				case 'm':
					f[1] = n
				case 'd':
					f[2] = n
				case 'H', 'I':
					f[3] = n
				case 'M':
					f[4] = n
				case 'S':
					f[5] = n
				case 'f':
					f[6] = n
				case 'j':
					t := time.Date(f[0], 1, n, 0, 0, 0, 0, time.UTC)
					f[1], f[2] = int(t.Month()), t.Day()
				}
			}
		case 'b', 'B', 'a', 'A':
			ok = matchName(s, &pos, c, &f[1])
		case 'p':
			if ok = pos+2 <= len(s) && (strings.EqualFold(s[pos:pos+2], "AM") || strings.EqualFold(s[pos:pos+2], "PM")); ok {
				pm, hasPM = strings.EqualFold(s[pos:pos+2], "PM"), true
				pos += 2
			}
		case 'Z':
			if ok = strings.HasPrefix(s[pos:], "UTC"); ok {
				pos, utc = pos+3, true
			}
		case 'z':
			for _, z := range []string{"+0000", "+00:00", "Z"} {
				if strings.HasPrefix(s[pos:], z) {
					pos, utc, ok = pos+len(z), true, true
					break
				}
			}
		case '%':
			ok = pos < len(s) && s[pos] == '%'
			pos++
		}
		if !ok {
			return Datetime{}, fail
		}
	}
	if pos != len(s) {
		return Datetime{}, obj.Errorf(obj.ValueError, "unconverted data remains: %s", s[pos:])
	}
	if hasPM {
		f[3] = f[3] % 12
		if pm {
			f[3] += 12
		}
	}
	return NewDatetime(f, utc)
}

func pow10(n int) int64 {
	r := int64(1)
	for range n {
		r *= 10
	}
	return r
}

// matchName reads an English month (b, B: into month) or weekday (a, A) name.
func matchName(s string, pos *int, code byte, month *int) bool {
	for i := 1; i <= 12; i++ {
		if code == 'a' || code == 'A' {
			if i > 7 {
				break
			}
		}
		name := time.Month(i).String()
		if code == 'a' || code == 'A' {
			name = time.Weekday(i % 7).String()
		}
		for _, n := range []string{name, name[:3]} {
			if len(s)-*pos >= len(n) && strings.EqualFold(s[*pos:*pos+len(n)], n) {
				*pos += len(n)
				if code == 'b' || code == 'B' {
					*month = i
				}
				return true
			}
		}
	}
	return false
}

// fromISO is datetime.fromisoformat (Python 3.11): a date, then optionally T or a space
// and HH[:MM[:SS[.fraction]]], then optionally Z or +00:00.
func fromISO(s string) (Datetime, error) {
	bad := obj.Errorf(obj.ValueError, "Invalid isoformat string: %s", pyfmt.Quote(s))
	rest, utc := s, false
	for _, z := range []string{"Z", "+00:00", "+0000", "+00"} {
		if len(rest) > 10 && strings.HasSuffix(rest, z) {
			rest, utc = strings.TrimSuffix(rest, z), true
			break
		}
	}
	if len(rest) < 10 || rest[4] != '-' || rest[7] != '-' {
		return Datetime{}, bad
	}
	f := [7]int{}
	for i, span := range [][2]int{{0, 4}, {5, 7}, {8, 10}} {
		n, err := strconv.Atoi(rest[span[0]:span[1]])
		if err != nil {
			return Datetime{}, bad
		}
		f[i] = n
	}
	if len(rest) > 10 {
		if rest[10] != 'T' && rest[10] != ' ' {
			return Datetime{}, bad
		}
		clock, frac, hasFrac := strings.Cut(rest[11:], ".")
		parts := strings.Split(clock, ":")
		if len(parts) > 3 || clock == "" {
			return Datetime{}, bad
		}
		for i, p := range parts {
			n, err := strconv.Atoi(p)
			if err != nil || len(p) != 2 {
				return Datetime{}, bad
			}
			f[3+i] = n
		}
		if hasFrac {
			if len(frac) == 0 || len(frac) > 9 || len(parts) != 3 {
				return Datetime{}, bad
			}
			n, err := strconv.Atoi((frac + "000000")[:6])
			if err != nil {
				return Datetime{}, bad
			}
			f[6] = n
		}
	}
	return NewDatetime(f, utc)
}
