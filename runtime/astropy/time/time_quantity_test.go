package time

import (
	"errors"
	"gokist/pyfmt"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
)

// testQuantity stands in for the units package's Quantity: any value implementing
// obj.QuantityValue.
type testQuantity struct {
	value any
	unit  string
}

func (q testQuantity) QuantityParts() (any, string) { return q.value, q.unit }

// testUnit stands in for the units package's Unit: anything with UnitString.
type testUnit string

func (u testUnit) UnitString() string { return string(u) }

// TestTimeWithQuantities checks Time and TimeDelta arithmetic with values carrying
// units (through obj.QuantityValue) and to_value with unit objects (through
// UnitStringer) against astropy's Quantities.
func TestTimeWithQuantities(t *testing.T) {
	pyref.Require(t, "astropy")
	env := &obj.Env{Out: obj.Discard{}}
	mustTime := func(args ...any) *Time {
		v, err := NewFromArgs(env, obj.Args{Pos: args})
		if err != nil {
			t.Fatal(err)
		}
		return v.(*Time)
	}
	t0 := mustTime("2016-12-31T23:59:59")
	ts := mustTime(obj.List{"2023-05-21T04:00:00", "2023-05-21T04:00:03.25", "2023-05-21T04:01:00"})
	op := func(a obj.Operand, op string, b any) func() (any, error) {
		return func() (any, error) {
			r, ok, err := a.BinaryOp(env, op, b, false)
			if !ok && err == nil {
				return nil, errors.New("not handled")
			}
			return r, err
		}
	}
	delta := func() *TimeDelta {
		r, _, err := ts.BinaryOp(env, "-", ts.Items()[0], false)
		if err != nil {
			t.Fatal(err)
		}
		return r.(*TimeDelta)
	}
	cases := []struct {
		py  string
		run func() (any, error)
	}{
		{"Time('2016-12-31T23:59:59') + 5 * u.s", op(t0, "+", testQuantity{5, "s"})},
		{"Time('2016-12-31T23:59:59') + 1.5 * u.s", op(t0, "+", testQuantity{1.5, "s"})},
		{"Time('2016-12-31T23:59:59') - 1.5 * u.h", op(t0, "-", testQuantity{1.5, "h"})},
		{"Time('2016-12-31T23:59:59') + [1, 2, 3] * u.min", op(t0, "+", testQuantity{obj.List{1, 2, 3}, "min"})},
		{"Time('2016-12-31T23:59:59') + 250 * u.ms", op(t0, "+", testQuantity{250, "ms"})},
		{"Time('2016-12-31T23:59:59') + 2 * u.d", op(t0, "+", testQuantity{2, "d"})},
		{"Time('2016-12-31T23:59:59') + 5 * u.m", op(t0, "+", testQuantity{5, "m"})},
		{"ts = Time(['2023-05-21T04:00:00', '2023-05-21T04:00:03.25', '2023-05-21T04:01:00']); (ts - ts[0]).to_value(u.s)",
			func() (any, error) { return delta().ToValue(obj.Args{Pos: []any{testUnit("s")}}) }},
		{"ts = Time(['2023-05-21T04:00:00', '2023-05-21T04:00:03.25', '2023-05-21T04:01:00']); (ts - ts[0]).to_value(u.min)",
			func() (any, error) { return delta().ToValue(obj.Args{Pos: []any{testUnit("min")}}) }},
		{"ts = Time(['2023-05-21T04:00:00', '2023-05-21T04:00:03.25', '2023-05-21T04:01:00']); (ts - ts[0]).to_value(u.m)",
			func() (any, error) { return delta().ToValue(obj.Args{Pos: []any{testUnit("m")}}) }},
		{"TimeDelta(5 * u.s)", func() (any, error) { return NewDeltaFromArgs(env, obj.Args{Pos: []any{testQuantity{5, "s"}}}) }},
		{"TimeDelta(36 * u.h, format='sec')", func() (any, error) {
			return NewDeltaFromArgs(env, obj.Args{Pos: []any{testQuantity{36, "h"}}, Kw: map[string]any{"format": "sec"}})
		}},
		{"TimeDelta(5 * u.s) + 1 * u.min", func() (any, error) {
			d, _ := NewDeltaFromArgs(env, obj.Args{Pos: []any{testQuantity{5, "s"}}})
			return op(d.(*TimeDelta), "+", testQuantity{1, "min"})()
		}},
	}
	py := make([]string, len(cases))
	for i, c := range cases {
		py[i] = c.py
	}
	ref := pyref.Batch(t, astropyPrelude, py)
	for i, c := range cases {
		want := ref[i].Repr
		if ref[i].Type != "" {
			want = ref[i].Err()
		}
		v, err := c.run()
		got := ""
		var e *obj.Error
		switch {
		case errors.As(err, &e):
			got = e.Class + ": " + e.Msg
		case err != nil:
			got = err.Error()
		default:
			got = timeReprOf(v)
		}
		if got != want {
			t.Errorf("%s\n got %s\nwant %s", c.py, got, want)
		}
	}
}

const astropyPrelude = `
from astropy.utils import iers
iers.conf.auto_download = False
from astropy.time import Time, TimeDelta
import astropy.units as u
`

// timeReprOf is the repr of a value the Time face returns.
func timeReprOf(v any) string {
	switch x := v.(type) {
	case float64:
		return pyfmt.Float(x)
	case string:
		return pyfmt.Quote(x)
	case interface{ String() string }:
		return x.String()
	}
	return "?"
}
