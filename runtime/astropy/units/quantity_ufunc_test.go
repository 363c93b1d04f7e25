package units

import (
	"context"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"math"
	"strconv"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
	"gokist/pyfmt"
	"gokist/runtime/units"
)

func mustUnit(t *testing.T, s string) units.Unit {
	t.Helper()
	u, err := units.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestQuantityArrayUfuncMatchesAstropy calls ArrayUfunc as numpy's module does and
// compares each result's repr, or error, with numpy's function on astropy's Quantity.
func TestQuantityArrayUfuncMatchesAstropy(t *testing.T) {
	env := &obj.Env{Ctx: context.Background(), Out: obj.Discard{}, Services: map[string]any{}}
	q := func(v any, unit string) *Quantity {
		r, err := NewQuantity(env, v, mustUnit(t, unit))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	arr := func(xs ...float64) *lazy.Array { return lazy.NewArray(xs, []int{len(xs)}, lazy.Float64) }
	grid := lazy.NewArray([]float64{1, 2, 3, 4, 5, 6}, []int{2, 3}, lazy.Float64)
	f32 := lazy.NewArray([]float64{1.5, 2.25, 4}, []int{3}, lazy.Float32)
	type call struct {
		py     string // the same call in Python, with numpy as np and astropy.units as u
		name   string
		args   []any
		kwargs map[string]any
	}
	calls := []call{
		{"np.sqrt(4. * u.m**2)", "sqrt", []any{q(4.0, "m2")}, nil},
		{"np.sqrt(4. * u.m)", "sqrt", []any{q(4.0, "m")}, nil},
		{"np.sqrt(np.array([1., 4., 9.]) * u.m / u.s)", "sqrt", []any{q((*numpy.NDArray)(arr(1, 4, 9)), "m / s")}, nil},
		{"np.square(3. * u.km)", "square", []any{q(3.0, "km")}, nil},
		{"np.sin(30. * u.deg)", "sin", []any{q(30.0, "deg")}, nil},
		{"np.cos(np.array([0., 90., 180.]) * u.deg)", "cos", []any{q((*numpy.NDArray)(arr(0, 90, 180)), "deg")}, nil},
		{"np.sin(3. * u.m)", "sin", []any{q(3.0, "m")}, nil},
		{"np.arcsin(0.5 * u.one)", "arcsin", []any{q(0.5, "")}, nil},
		{"np.arccos(3. * u.m)", "arccos", []any{q(3.0, "m")}, nil},
		{"np.exp(2. * u.km / u.km)", "exp", []any{q(2.0, "km / km")}, nil},
		{"np.exp(3. * u.m)", "exp", []any{q(3.0, "m")}, nil},
		{"np.log10(1000. * u.m / u.km)", "log10", []any{q(1000.0, "m / km")}, nil},
		{"np.degrees(np.pi * u.rad)", "degrees", []any{q(3.141592653589793, "rad")}, nil},
		{"np.radians(180. * u.deg)", "radians", []any{q(180.0, "deg")}, nil},
		{"np.degrees(3. * u.m)", "degrees", []any{q(3.0, "m")}, nil},
		{"np.abs(-3. * u.m)", "abs", []any{q(-3.0, "m")}, nil},
		{"np.floor(np.array([1.5, -1.5]) * u.s)", "floor", []any{q((*numpy.NDArray)(arr(1.5, -1.5)), "s")}, nil},
		{"np.round(1.2345 * u.m, 2)", "round", []any{q(1.2345, "m"), 2}, nil},
		{"np.isnan(np.array([1., np.nan]) * u.m)", "isnan", []any{q((*numpy.NDArray)(arr(1, nan())), "m")}, nil},
		{"np.sign(-3. * u.m)", "sign", []any{q(-3.0, "m")}, nil},
		{"np.sum(np.arange(1., 7.).reshape(2, 3) * u.m)", "sum", []any{q((*numpy.NDArray)(grid), "m")}, nil},
		{"np.sum(np.arange(1., 7.).reshape(2, 3) * u.m, axis=0)", "sum", []any{q((*numpy.NDArray)(grid), "m")}, map[string]any{"axis": 0}},
		{"np.mean(np.arange(1., 7.).reshape(2, 3) * u.m, axis=1)", "mean", []any{q((*numpy.NDArray)(grid), "m")}, map[string]any{"axis": 1}},
		{"np.std(np.array([1., 2.]) * u.m)", "std", []any{q((*numpy.NDArray)(arr(1, 2)), "m")}, nil},
		{"np.var(np.array([1., 2.]) * u.m)", "var", []any{q((*numpy.NDArray)(arr(1, 2)), "m")}, nil},
		{"np.max(np.array([1., 2.]) * u.m)", "max", []any{q((*numpy.NDArray)(arr(1, 2)), "m")}, nil},
		{"np.argmax(np.array([1., 3., 2.]) * u.m)", "argmax", []any{q((*numpy.NDArray)(arr(1, 3, 2)), "m")}, nil},
		{"np.nanmean(np.array([1., np.nan, 3.]) * u.m)", "nanmean", []any{q((*numpy.NDArray)(arr(1, nan(), 3)), "m")}, nil},
		{"np.sum(3. * u.m)", "sum", []any{q(3.0, "m")}, nil},
		{"np.hypot(3. * u.m, 400. * u.cm)", "hypot", []any{q(3.0, "m"), q(400.0, "cm")}, nil},
		{"np.hypot(3. * u.m, 4. * u.s)", "hypot", []any{q(3.0, "m"), q(4.0, "s")}, nil},
		{"np.arctan2(1. * u.m, 100. * u.cm)", "arctan2", []any{q(1.0, "m"), q(100.0, "cm")}, nil},
		{"np.clip(np.arange(3.) * u.m, 50 * u.cm, 1.5 * u.m)", "clip", []any{q((*numpy.NDArray)(arr(0, 1, 2)), "m"), q(50.0, "cm"), q(1.5, "m")}, nil},
		{"np.clip(np.arange(3.) * u.m, 1, 2)", "clip", []any{q((*numpy.NDArray)(arr(0, 1, 2)), "m"), 1, 2}, nil},
		{"np.where(np.array([True, False]), np.array([1., 2.]) * u.m, np.array([3., 4.]) * u.cm)", "where", []any{(*numpy.NDArray)(lazy.NewArray([]float64{1, 0}, []int{2}, lazy.Bool)), q((*numpy.NDArray)(arr(1, 2)), "m"), q((*numpy.NDArray)(arr(3, 4)), "cm")}, nil},
		{"np.where(np.array([True, False]), np.array([1., 2.]) * u.m, 3 * u.s)", "where", []any{(*numpy.NDArray)(lazy.NewArray([]float64{1, 0}, []int{2}, lazy.Bool)), q((*numpy.NDArray)(arr(1, 2)), "m"), q(3.0, "s")}, nil},
		{"np.where(np.array([True, False]), np.array([1., np.inf]) * u.m, 0)", "where", []any{(*numpy.NDArray)(lazy.NewArray([]float64{1, 0}, []int{2}, lazy.Bool)), q((*numpy.NDArray)(arr(1, math.Inf(1))), "m"), 0.0}, nil},
		{"np.where(np.array([True, False]), np.array([1., 2.]) * u.m, 5)", "where", []any{(*numpy.NDArray)(lazy.NewArray([]float64{1, 0}, []int{2}, lazy.Bool)), q((*numpy.NDArray)(arr(1, 2)), "m"), 5}, nil},
		{"np.where(np.array([True, False]), 2, np.array([1., 2.]) * u.m)", "where", []any{(*numpy.NDArray)(lazy.NewArray([]float64{1, 0}, []int{2}, lazy.Bool)), 2, q((*numpy.NDArray)(arr(1, 2)), "m")}, nil},
		{"np.where(np.array([False, True]), np.array([np.nan, 2.]) * u.m, np.array([3., 4.]) * u.km)", "where", []any{(*numpy.NDArray)(lazy.NewArray([]float64{0, 1}, []int{2}, lazy.Bool)), q((*numpy.NDArray)(arr(math.NaN(), 2)), "m"), q((*numpy.NDArray)(arr(3, 4)), "km")}, nil},
		{"np.multiply(2., 3. * u.m)", "multiply", []any{2.0, q(3.0, "m")}, nil},
		{"np.add(3. * u.m, 2. * u.cm)", "add", []any{q(3.0, "m"), q(2.0, "cm")}, nil},
		{"np.power(3. * u.m, 2)", "power", []any{q(3.0, "m"), 2}, nil},
		{"np.sqrt(np.array([1.5, 2.25, 4.], dtype=np.float32) * u.m**2)", "sqrt", []any{q((*numpy.NDArray)(f32), "m2")}, nil},
		{"np.sum(np.array([1.5, 2.25, 4.], dtype=np.float32) * u.m)", "sum", []any{q((*numpy.NDArray)(f32), "m")}, nil},
	}
	pys := make([]string, len(calls))
	for i, c := range calls {
		pys[i] = c.py
	}
	want := pyref.Batch(t, "import numpy as np\nimport astropy.units as u\n", pys)
	for i, c := range calls {
		var self *Quantity // the first Quantity argument, whose ArrayUfunc numpy calls
		for _, a := range c.args {
			if self = quantityOfArg(a); self != nil {
				break
			}
		}
		got, handled, err := self.ArrayUfunc(env, c.name, c.args, c.kwargs)
		w := want[i]
		if !handled {
			t.Errorf("%s: not handled", c.py)
			continue
		}
		if w.Type != "" {
			e, ok := err.(*obj.Error)
			if !ok || e.Class != w.Type || e.Msg != w.Message {
				t.Errorf("%s: got %v, astropy raises %s", c.py, err, w.Err())
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v, astropy gives %s", c.py, err, w.Repr)
			continue
		}
		if r := reprOf(got); r != w.Repr {
			t.Errorf("%s\n got %s\nwant %s", c.py, r, w.Repr)
		}
	}
}

func nan() float64 { return math.NaN() }

// reprOf is the repr lang would show for a runtime value.
func reprOf(v any) string {
	switch x := v.(type) {
	case obj.MimeBundler:
		s, _ := x.MimeBundle()["text/plain"].(string)
		return s
	case float64:
		return pyfmt.Float(x)
	case int:
		return strconv.Itoa(x)
	case numpy.Bool:
		if x {
			return "True"
		}
		return "False"
	}
	return obj.TypeName(v)
}

// TestConversionErrorsHintTheEquivalency checks the hint gokist adds to astropy's
// UnitConversionError where an equivalency would convert.
func TestConversionErrorsHintTheEquivalency(t *testing.T) {
	env := &obj.Env{Ctx: context.Background(), Out: obj.Discard{}}
	cases := []struct{ from, to, hint string }{
		{"nm", "Hz", "equivalencies=u.spectral()"},
		{"nm", "km / s", "doppler"},
		{"km / s", "Angstrom", "doppler"},
		{"m", "s", ""},
	}
	for _, c := range cases {
		q := &Quantity{val: 1.0, unit: mustUnit(t, c.from)}
		_, err := q.To(env, c.to, nil)
		e, ok := err.(*obj.Error)
		if !ok || e.Class != "UnitConversionError" {
			t.Errorf("%s → %s: %v", c.from, c.to, err)
			continue
		}
		if c.hint == "" && e.Hint != "" || !strings.Contains(e.Hint, c.hint) {
			t.Errorf("%s → %s: hint %q, want one naming %q", c.from, c.to, e.Hint, c.hint)
		}
	}
}
