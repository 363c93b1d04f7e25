package plot

import (
	"strings"
	"testing"

	"gokist/obj"
)

// lazyFake stands for a lazy array: it knows its shape and counts how often it was asked
// to compute.
type lazyFake struct {
	shape    []int
	computed int
}

func (l *lazyFake) Shape() []int { return l.shape }

func (l *lazyFake) Float64s(env *obj.Env) ([]float64, []int, error) {
	l.computed++
	n := 1
	for _, s := range l.shape {
		n *= s
	}
	return make([]float64, n), l.shape, nil
}

// plt.plot of 4-D data (matplotlib: "x and y can be no greater than 2D") and plt.imshow
// of 1-D data must fail before computing anything, name the shape as Python does, and
// leave no empty figure to be shown at the end of the cell.
func TestRejectedPlotComputesNothingAndShowsNothing(t *testing.T) {
	plt := NewPyplot()
	out := &recorder{}
	env := &obj.Env{Out: out, Services: map[string]any{ServiceName: plt}}
	cases := []struct {
		member string
		pos    []any
		want   string
	}{
		{"plot", []any{&lazyFake{shape: []int{4, 40, 160, 2555}}}, "(4, 40, 160, 2555)"},
		{"plot", []any{&lazyFake{shape: []int{3, 3}}, &lazyFake{shape: []int{3}}}, "(3, 3)"},
		{"imshow", []any{&lazyFake{shape: []int{2555}}}, "(2555,)"},
	}
	for _, c := range cases {
		_, err := callErr(env, plt, c.member, c.pos, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming shape %s", c.member, err, c.want)
		}
		for _, p := range c.pos {
			if n := p.(*lazyFake).computed; n != 0 {
				t.Errorf("%s: data computed %d times before the shape was rejected", c.member, n)
			}
		}
		if err := plt.FlushCell(out); err != nil {
			t.Fatal(err)
		}
		if len(out.bundles) != 0 {
			t.Fatalf("%s: a rejected call showed %d figures", c.member, len(out.bundles))
		}
	}
	// A figure made earlier in the cell stays when a later call on it fails.
	call(t, env, plt, "plot", []any{obj.List{1, 2, 3}}, nil)
	if _, err := callErr(env, plt, "plot", []any{&lazyFake{shape: []int{2, 2, 2}}}, nil); err == nil {
		t.Fatal("3-D plot accepted")
	}
	if err := plt.FlushCell(out); err != nil || len(out.bundles) != 1 {
		t.Fatalf("the earlier figure was not shown once (%d) or failed: %v", len(out.bundles), err)
	}
}
