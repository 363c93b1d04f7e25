package runtime

import (
	"context"
	"fmt"
	"gokist/runtime/lazy"
	"testing"
)

// largeOutputCases are reductions whose outputs have at least 65536 elements (those that
// keep the big axes of a cube, as mean(axis=0) does), on a float64 dataset of
// (4, 3, 64, 1024): float64 sums round, so a fold order that varied with timing or the
// number of workers would show in the last bits.
var largeOutputCases = []struct {
	name, py string
	axes     []int
	op       *lazy.ReduceOp
	nan      bool
}{
	{"mean0", "np.mean(d, axis=0)", []int{0}, lazy.Mean, false},
	{"nansum01", "np.nansum(d, axis=(0, 1))", []int{0, 1}, lazy.Sum, true},
	{"nanstd0", "np.nanstd(d, axis=0)", []int{0}, lazy.Std, true},
	{"nanmax0", "np.nanmax(d, axis=0)", []int{0}, lazy.Max, true},
}

// largeOutputDataset writes the dataset of largeOutputCases and numpy's values of them.
func largeOutputDataset(t *testing.T) (*Dataset, map[string]pyResult) {
	t.Helper()
	cases := map[string]string{}
	for _, c := range largeOutputCases {
		cases[c.name] = c.py
	}
	dir := t.TempDir() + "/ds"
	var ref map[string]pyResult
	runPython(t, writeDatasetPy, map[string]any{"dir": dir, "dtype": "float64", "compress": false, "seed": 7,
		"shape": []int{4, 3, 64, 1024}, "nans": [][]int{{1, 0, 3, 4}, {2, 1, 63, 1000}}, "cases": cases}, &ref)
	ds, err := LoadDatasetEnv(testEnv(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return ds, ref
}

// In process, a reduction with a large output gives the same bits with 1, 2 and 4
// workers (its fold order is the plan's block order, not the workers' timing), and
// numpy's values within 1e-5.
func TestLargeOutputReductionsFoldInBlockOrder(t *testing.T) {
	ds, ref := largeOutputDataset(t)
	ctx := context.Background()
	for _, c := range largeOutputCases {
		l := lazy.Lazy{N: ds.Node}.Reduce(c.op, c.axes, c.nan)
		var first *lazy.Array
		for _, workers := range []int{1, 2, 4} {
			got, err := l.Compute(ctx, NewClient(workers, 1, 0).Client)
			if err != nil {
				t.Fatalf("%s with %d workers: %v", c.name, workers, err)
			}
			if got.Size() < 1<<16 {
				t.Fatalf("%s: %d output elements, the test needs at least 65536", c.name, got.Size())
			}
			if first == nil {
				first = got
				closeTo(t, c.name, got, ref[c.name], 1e-5)
				continue
			}
			sameBits(t, fmt.Sprintf("%s with %d workers against 1", c.name, workers), got, first)
		}
	}
}
