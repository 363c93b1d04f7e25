package runtime

import (
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

// largeOutputDataset writes the dataset of largeOutputCases and numpy's values of them,
// for the cluster's test (TestClusterLargeOutputReductionsSameBits); the in-process fold
// order is tested beside the core (runtime/lazy: TestLargeOutputReductionsFoldInBlockOrder).
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
