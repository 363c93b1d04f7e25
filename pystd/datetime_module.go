package pystd

import (
	"time"

	"gokist/obj"
)

// class is a type value of the datetime module: calling it constructs; its members are
// the class methods (datetime.now, date.today, …).
type class struct {
	name string
	typ  *obj.Type
	make func(args obj.Args) (any, error)
}

func (c *class) Type() *obj.Type { return c.typ }
func (c *class) String() string  { return "<class 'datetime." + c.name + "'>" }

// Call is the constructor.
func (c *class) Call(_ *obj.Env, args obj.Args) (any, error) { return c.make(args) }

// intArgs binds a constructor's integer arguments by position and keyword.
func intArgs(fn string, args obj.Args, params []obj.Param) ([]any, error) {
	v, err := args.Bind(fn, params)
	if err != nil {
		return nil, err
	}
	for i, x := range v {
		if x == nil || params[i].Name == "tzinfo" {
			continue
		}
		if _, ok := x.(int); !ok {
			return nil, obj.Errorf(obj.TypeError, "'%s' object cannot be interpreted as an integer", obj.TypeName(x))
		}
	}
	return v, nil
}

func intOr(v any, d int) int {
	if n, ok := v.(int); ok {
		return n
	}
	return d
}

var datetimeParams = []obj.Param{{Name: "year"}, {Name: "month"}, {Name: "day"}, {Name: "hour", Default: "0"}, {Name: "minute", Default: "0"},
	{Name: "second", Default: "0"}, {Name: "microsecond", Default: "0"}, {Name: "tzinfo", Default: "None"}}

// utcArg tells a tz/tzinfo argument: None (naive) or timezone.utc.
func utcArg(v any) (bool, error) {
	switch v.(type) {
	case nil:
		return false, nil
	case tzUTC:
		return true, nil
	}
	return false, obj.Errorf(obj.TypeError, "gokist's datetimes take tzinfo=None or datetime.timezone.utc, not %s", obj.TypeName(v))
}

func newDatetimeClass() *class {
	t := &obj.Type{Name: "type", Doc: datetimeType.Doc, Signature: "datetime(year, month, day, hour=0, minute=0, second=0, microsecond=0, tzinfo=None)"}
	c := &class{name: "datetime", typ: t, make: func(args obj.Args) (any, error) {
		v, err := intArgs("datetime", args, datetimeParams)
		if err != nil {
			return nil, err
		}
		utc, err := utcArg(v[7])
		if err != nil {
			return nil, err
		}
		return NewDatetime([7]int{intOr(v[0], 0), intOr(v[1], 0), intOr(v[2], 0), intOr(v[3], 0), intOr(v[4], 0), intOr(v[5], 0), intOr(v[6], 0)}, utc)
	}}
	now := func(utc bool) Datetime { return Datetime{T: time.Now().UTC().Truncate(time.Microsecond), UTC: utc} }
	t.Members = []*obj.Member{
		boundMethod("now", "now(tz=None)", "The current time (the kernel's clock is UTC).", []obj.Param{{Name: "tz", Default: "None"}}, func(_ any, v []any) (any, error) {
			utc, err := utcArg(v[0])
			return now(utc), err
		}),
		boundMethod("utcnow", "utcnow()", "The current UTC time, naive.", nil, func(any, []any) (any, error) { return now(false), nil }),
		boundMethod("fromisoformat", "fromisoformat(date_string)", "Parse ISO 8601 text.", []obj.Param{{Name: "date_string"}}, func(_ any, v []any) (any, error) {
			s, ok := v[0].(string)
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "fromisoformat: argument must be str")
			}
			return fromISO(s)
		}),
		boundMethod("strptime", "strptime(date_string, format)", "Parse text by % codes.", []obj.Param{{Name: "date_string"}, {Name: "format"}}, func(_ any, v []any) (any, error) {
			s, ok1 := v[0].(string)
			f, ok2 := v[1].(string)
			if !ok1 || !ok2 {
				return nil, obj.Errorf(obj.TypeError, "strptime() argument 1 must be str, not %s", obj.TypeName(v[0]))
			}
			return strptime(s, f)
		}),
		boundMethod("fromtimestamp", "fromtimestamp(timestamp, tz=None)", "The datetime of seconds since the Epoch (UTC).", []obj.Param{{Name: "timestamp"}, {Name: "tz", Default: "None"}}, func(_ any, v []any) (any, error) {
			x, ok := obj.Float(v[0])
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "'%s' object cannot be interpreted as an integer", obj.TypeName(v[0]))
			}
			utc, err := utcArg(v[1])
			return Datetime{T: time.UnixMicro(int64(x * 1e6)).UTC(), UTC: utc}, err
		}),
	}
	return c
}

func newDateClass() *class {
	t := &obj.Type{Name: "type", Doc: dateType.Doc, Signature: "date(year, month, day)"}
	params := datetimeParams[:3]
	return &class{name: "date", typ: t, make: func(args obj.Args) (any, error) {
		v, err := intArgs("date", args, params)
		if err != nil {
			return nil, err
		}
		y, m, d := intOr(v[0], 0), intOr(v[1], 0), intOr(v[2], 0)
		if err := checkDate(y, m, d); err != nil {
			return nil, err
		}
		return Date{T: time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)}, nil
	}}
}

var timedeltaParams = []obj.Param{{Name: "days", Default: "0"}, {Name: "seconds", Default: "0"}, {Name: "microseconds", Default: "0"},
	{Name: "milliseconds", Default: "0"}, {Name: "minutes", Default: "0"}, {Name: "hours", Default: "0"}, {Name: "weeks", Default: "0"}}

func newTimedeltaClass() *class {
	t := &obj.Type{Name: "type", Doc: timedeltaType.Doc, Signature: "timedelta(days=0, seconds=0, microseconds=0, milliseconds=0, minutes=0, hours=0, weeks=0)"}
	scale := []float64{float64(usPerDay), 1e6, 1, 1e3, 60e6, 3600e6, 7 * float64(usPerDay)}
	return &class{name: "timedelta", typ: t, make: func(args obj.Args) (any, error) {
		v, err := args.Bind("timedelta", timedeltaParams)
		if err != nil {
			return nil, err
		}
		us := 0.0
		for i, x := range v {
			if x == nil {
				continue
			}
			n, ok := obj.Float(x)
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "unsupported type for timedelta %s component: %s", timedeltaParams[i].Name, obj.TypeName(x))
			}
			us += n * scale[i]
		}
		return newTimedelta(us)
	}}
}

func init() {
	obj.RegisterModule("datetime", func(obj.ModuleScope) (any, error) {
		tz := obj.NewModule("datetime.timezone", "Fixed UTC offsets; gokist has timezone.utc.", map[string]any{"utc": tzUTC{}})
		return obj.NewModule("datetime", "Dates, times and durations (naive, or in timezone.utc).", map[string]any{
			"datetime": newDatetimeClass(), "date": newDateClass(), "timedelta": newTimedeltaClass(), "timezone": tz,
			"MINYEAR": 1, "MAXYEAR": 9999,
		}), nil
	})
}
