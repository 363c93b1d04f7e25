package wire

import (
	"testing"

	"gokist/runtime/lazy"
)

// TestPartialMergerMergesInBlockOrder: partials handed over in any order are merged in
// block order, so a sum rounds the same whichever worker finishes first (in process or
// on a cluster). The values make the order visible: 1e16 + 1 + 1 - 1e16 is 0 in order
// and 2 when the ones are added together first.
func TestPartialMergerMergesInBlockOrder(t *testing.T) {
	vals := []float64{1e16, 1, 1, -1e16}
	partial := func(v float64) PartialBox {
		a := lazy.NewAccumulator(lazy.Sum, 1)
		a.S[0], a.N[0] = v, 1
		return PartialBox{acc: a}
	}
	for _, order := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 2, 0, 3}, {2, 0, 3, 1}} {
		m := NewPartialMerger(lazy.Sum, nil)
		for _, i := range order {
			m.Add(i, partial(vals[i]))
		}
		if got := m.Total.S[0]; got != 0 || len(m.Pending) != 0 {
			t.Errorf("partials added in order %v: total %v with %d pending, want 0 (1e16 + 1 + 1 - 1e16 in block order)", order, got, len(m.Pending))
		}
	}
}
