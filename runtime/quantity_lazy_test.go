package runtime_test

import (
	"context"
	"testing"

	"gokist/lang"
	"gokist/obj"
)

// progressCount counts the compute progress reports a cell makes: a cell that reads no
// file reports none.
type progressCount struct {
	obj.Discard
	n int
}

func (p *progressCount) Progress(obj.Progress) { p.n++ }

// TestLazyQuantitiesReadNothingAndMatchEager builds quantities of the dataset's values
// lazily (unit algebra, conversion, reductions, numpy functions through ArrayUfunc),
// checks that no compute runs until compute(), and that the computed values equal the
// same steps on the computed data.
func TestLazyQuantitiesReadNothingAndMatchEager(t *testing.T) {
	s := lang.NewSession()
	run := func(code string) (string, int) {
		t.Helper()
		out := &progressCount{}
		res, err := s.Execute(context.Background(), code, out)
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		text, _ := res["text/plain"].(string)
		return text, out.n
	}
	run("import astropy.units as u\nds = dkist.load_dataset('../../shared/data/dkist-small-visp')\nd = ds.data.compute()")
	pairs := [][2]string{
		{"(ds.data * ds.unit / (2 * u.s)).to(u.ct / u.min)", "(d * ds.unit / (2 * u.s)).to(u.ct / u.min)"},
		{"(ds.data * u.ct).mean(axis=0)", "(d * u.ct).mean(axis=0)"},
		{"(ds.data * u.ct).std(axis=(0, 2))", "(d * u.ct).std(axis=(0, 2))"},
		{"(ds.data * u.ct).var()", "(d * u.ct).var()"},
		{"ds.data * (2 * u.ct / u.s)", "d * (2 * u.ct / u.s)"},
		{"(3 * u.s) * ds.data", "(3 * u.s) * d"},
		{"ds * u.ct", "d * u.ct"},
		{"ds.data[0] / (ds.data[1] * u.s)", "d[0] / (d[1] * u.s)"},
		{"((ds.data * u.ct)[0, 1:3] + 5 * u.ct).to(u.ct)", "((d * u.ct)[0, 1:3] + 5 * u.ct).to(u.ct)"},
	}
	for _, p := range pairs {
		if _, n := run("lazy = " + p[0]); n != 0 {
			t.Errorf("%s computed (%d progress reports) before compute()", p[0], n)
		}
		isLazy, n := run("lazy.compute()")
		if n == 0 {
			t.Errorf("%s.compute() reported no progress", p[0])
		}
		if eager, _ := run(p[1]); isLazy != eager {
			t.Errorf("%s\n lazy  %s\n eager %s", p[0], isLazy, eager)
		}
	}
}
