package arrayprint

import (
	"gokist/runtime/lazy"
	"strconv"
	"testing"

	"gokist/internal/pyref"
)

// TestScientificArraysRoundToEightDigits checks arrays printed in scientific notation
// whose values need more than 8 digits: numpy rounds each to 8 and drops the zeros that
// leaves (6.123234e-17, as np.cos of 90° prints), it does not pad to 8 digits.
func TestScientificArraysRoundToEightDigits(t *testing.T) {
	cases := [][]float64{
		{1, 6.123233995736766e-17, -1},
		{1e-5, 0.123456789123},
		{3.0000000001e10, 1},
		{1.5e-7, 2.25e-7},
	}
	py := make([]string, len(cases))
	for i, c := range cases {
		py[i] = "np.array(" + floatList(c) + ")"
	}
	want := pyref.Batch(t, "import numpy as np\n", py)
	for i, c := range cases {
		if got := FormatArray(lazy.NewArray(c, []int{len(c)}, lazy.Float64)); got != want[i].Repr {
			t.Errorf("%s\n got %s\nwant %s", py[i], got, want[i].Repr)
		}
	}
}

func floatList(xs []float64) string {
	s := "["
	for i, x := range xs {
		if i > 0 {
			s += ", "
		}
		s += strconv.FormatFloat(x, 'g', -1, 64)
	}
	return s + "]"
}
