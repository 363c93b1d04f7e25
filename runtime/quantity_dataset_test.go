package runtime

import (
	"context"
	"testing"

	"gokist/obj"
	aunits "gokist/runtime/astropy/units"
	"gokist/runtime/numpy"
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

// TestQuantityUfuncsStayLazy checks that numpy functions of a lazy Quantity build a
// lazy result (the compute happens later, at compute()).
func TestQuantityUfuncsStayLazy(t *testing.T) {
	env := &obj.Env{Ctx: context.Background(), Out: obj.Discard{}, Services: map[string]any{}}
	ds, err := LoadDatasetEnv(env, "../../shared/data/dkist-small-visp")
	if err != nil {
		t.Fatal(err)
	}
	q, err := aunits.NewQuantity(env, ds.Data(), mustUnit(t, "ct"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"sqrt", "sum", "nanmean", "abs", "isnan", "exp"} {
		arg := any(q)
		if name == "exp" {
			if arg, err = aunits.NewQuantity(env, q.Value(), units.Dimensionless); err != nil {
				t.Fatal(err)
			}
		}
		r, handled, err := arg.(*aunits.Quantity).ArrayUfunc(env, name, []any{arg}, nil)
		if !handled || err != nil {
			t.Fatalf("%s: handled %v, %v", name, handled, err)
		}
		v := r
		if rq, ok := r.(*aunits.Quantity); ok {
			v = rq.Value()
		}
		if _, isLazy := v.(*numpy.LazyArray); !isLazy {
			t.Errorf("np.%s of a lazy Quantity gave %T, want a lazy value", name, v)
		}
	}
}
