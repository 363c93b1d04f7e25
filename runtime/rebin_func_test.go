package runtime

import (
	"context"
	"testing"

	"gokist/obj"
)

// TestRebinTakesNumpyFunctions checks that rebin's operation may be a numpy function
// (np.sum, as the DKIST examples pass it, also as function=) and gives what its name
// gives.
func TestRebinTakesNumpyFunctions(t *testing.T) {
	env := &obj.Env{Ctx: context.Background(), Out: obj.Discard{}, Services: map[string]any{}}
	ds, err := LoadDatasetEnv(env, "../../shared/data/dkist-small-visp")
	if err != nil {
		t.Fatal(err)
	}
	// npSum stands in for the numpy module's np.sum: a function value named "sum".
	npSum := &obj.Func{Name: "sum", Call: func(*obj.Env, obj.Args) (any, error) { return nil, nil }}
	rebin := func(kw map[string]any) string {
		t.Helper()
		r, err := datasetType.Member("rebin").Call(env, ds, obj.Args{Pos: []any{obj.Tuple{1, 5, 5}}, Kw: kw})
		if err != nil {
			t.Fatalf("rebin(%v): %v", kw, err)
		}
		v, err := r.(*Dataset).Data().(*LazyArray).Compute(env)
		if err != nil {
			t.Fatal(err)
		}
		return v.(*Array).String()
	}
	byName := rebin(map[string]any{"operation": "sum"})
	if got := rebin(map[string]any{"operation": npSum}); got != byName {
		t.Errorf("operation=np.sum gives\n%s\nwant (operation='sum')\n%s", got, byName)
	}
	if got := rebin(map[string]any{"function": npSum}); got != byName {
		t.Errorf("function=np.sum gives\n%s\nwant\n%s", got, byName)
	}
	if got := rebin(nil); got == byName {
		t.Errorf("the default operation (mean) gives the sums")
	}
}
