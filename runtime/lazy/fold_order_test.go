package lazy

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"gokist/internal/pyref"
)

// Blocks whose output boxes meet fold in block order; boxes that do not tile make one
// group.
func TestFoldOrderGroupsBlocksByOutputBox(t *testing.T) {
	blocks := []Block{
		{[]int{0, 0, 0}, []int{1, 2, 4}}, {[]int{0, 2, 0}, []int{1, 4, 4}},
		{[]int{1, 0, 0}, []int{2, 2, 4}}, {[]int{1, 2, 0}, []int{2, 4, 4}},
	}
	f := newFoldOrder(blocks, []int{0})
	if f.group[0] != f.group[2] || f.group[1] != f.group[3] || f.group[0] == f.group[1] || f.turn[2] != 1 || f.turn[3] != 1 {
		t.Errorf("groups %v, turns %v: want blocks 0, 2 and 1, 3 together, in order", f.group, f.turn)
	}
	ragged := append(blocks[:2:2], Block{[]int{1, 0, 0}, []int{2, 3, 4}})
	f = newFoldOrder(ragged, []int{0})
	if f.group[0] != 0 || f.group[1] != 0 || f.group[2] != 0 || f.turn[2] != 2 {
		t.Errorf("overlapping boxes: groups %v, turns %v, want one group in block order", f.group, f.turn)
	}
}

// largeOutputPy writes a float64 dataset of (4, 3, 64, 1024) with astropy, one (64, 1024)
// file per position of the first two axes, with two NaNs, and gives numpy's values of
// the cases of TestLargeOutputReductionsFoldInBlockOrder on what astropy reads back.
const largeOutputPy = `
import json, sys, os
import numpy as np
from astropy.io import fits
cfg = json.load(sys.stdin)
S, R, W, X = 4, 3, 64, 1024
rng = np.random.default_rng(7)
full = 1.0 + rng.random((S, R, W, X))
full[1, 0, 3, 4] = full[2, 1, 63, 1000] = np.nan
for s in range(S):
    for r in range(R):
        fits.PrimaryHDU(full[s, r]).writeto(os.path.join(cfg["dir"], "f%d_%d.fits" % (s, r)))
d = np.empty((S, R, W, X))
for s in range(S):
    for r in range(R):
        with fits.open(os.path.join(cfg["dir"], "f%d_%d.fits" % (s, r))) as hl:
            d[s, r] = hl[0].data
res = {"mean0": np.mean(d, axis=0), "nansum01": np.nansum(d, axis=(0, 1)),
       "nanstd0": np.nanstd(d, axis=0), "nanmax0": np.nanmax(d, axis=0)}
json.dump({k: [None if x != x else x for x in v.ravel().tolist()] for k, v in res.items()}, sys.stdout)
`

// In process, a reduction with a large output (at least 65536 elements, keeping the big
// axes of a cube as mean(axis=0) does) gives the same bits with 1, 2 and 4 workers (its
// fold order is the plan's block order, not the workers' timing: float64 sums round, so
// an order that varied would show in the last bits), and numpy's values within 1e-5.
func TestLargeOutputReductionsFoldInBlockOrder(t *testing.T) {
	dir := t.TempDir()
	var ref map[string][]*float64
	pyref.RunJSON(t, largeOutputPy, map[string]string{"dir": dir}, &ref)
	g := &FileGrid{Dir: dir, GridShape: []int{4, 3}, FileShape: []int{64, 1024}, InFile: []int{0, 1}, DType: Float64, Bitpix: -64}
	for s := range 4 {
		for r := range 3 {
			g.Files = append(g.Files, filepath.Join(dir, fmt.Sprintf("f%d_%d.fits", s, r)))
		}
	}
	src := Lazy{&SourceNode{Src: g, Sel: IdentitySelection(g.Shape())}}
	cases := []struct {
		name string
		axes []int
		op   *ReduceOp
		nan  bool
	}{
		{"mean0", []int{0}, Mean, false},
		{"nansum01", []int{0, 1}, Sum, true},
		{"nanstd0", []int{0}, Std, true},
		{"nanmax0", []int{0}, Max, true},
	}
	for _, c := range cases {
		l := src.Reduce(c.op, c.axes, c.nan)
		var first *Array
		for _, workers := range []int{1, 2, 4} {
			got, err := l.Compute(context.Background(), NewClient(workers, 1, 0))
			if err != nil {
				t.Fatalf("%s with %d workers: %v", c.name, workers, err)
			}
			if got.Size() < 1<<16 {
				t.Fatalf("%s: %d output elements, the test needs at least 65536", c.name, got.Size())
			}
			if first == nil {
				first = got
				closeToNumpy(t, c.name, got, ref[c.name], 1e-5)
				continue
			}
			if g, w := got.Floats(), first.Floats(); !slices.EqualFunc(g, w, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }) {
				t.Errorf("%s with %d workers: not the same bits as with 1", c.name, workers)
			}
		}
	}
}

// closeToNumpy checks an array against numpy's values (NaN as nil) within a relative
// tolerance.
func closeToNumpy(t *testing.T, what string, got *Array, ref []*float64, rel float64) {
	t.Helper()
	vals := got.Floats()
	if len(vals) != len(ref) {
		t.Fatalf("%s: %d values, numpy has %d", what, len(vals), len(ref))
	}
	for i, r := range ref {
		if r == nil && !math.IsNaN(vals[i]) || r != nil && math.Abs(vals[i]-*r) > rel*math.Abs(*r)+1e-12 {
			t.Fatalf("%s[%d] = %v, numpy %v", what, i, vals[i], r)
		}
	}
}
