package obj

import (
	"encoding/json"
	"fmt"
	"testing"

	"gokist/internal/pyref"
)

// Slice.Indices agrees with CPython's slice.indices on every combination of start,
// stop and step from a grid around the bounds, for several lengths.
func TestSliceIndicesLikePython(t *testing.T) {
	bounds := []*int{nil}
	for _, v := range []int{-9, -5, -4, -1, 0, 1, 3, 4, 5, 9} {
		bounds = append(bounds, &v)
	}
	steps := []*int{nil}
	for _, v := range []int{-3, -1, 1, 2} {
		steps = append(steps, &v)
	}
	var cases [][4]any
	var slices []Slice
	for _, n := range []int{0, 1, 4, 5} {
		for _, a := range bounds {
			for _, b := range bounds {
				for _, c := range steps {
					cases = append(cases, [4]any{a, b, c, n})
					slices = append(slices, Slice{Start: a, Stop: b, Step: c})
				}
			}
		}
	}
	in, _ := json.Marshal(cases)
	out := pyref.RunInput(t, in, "import json, sys\nprint(json.dumps([list(slice(a, b, c).indices(n)) for a, b, c, n in json.load(sys.stdin)]))")
	var want [][3]int
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, s := range slices {
		start, stop, step, err := s.Indices(cases[i][3].(int))
		if err != nil || [3]int{start, stop, step} != want[i] {
			t.Errorf("slice(%s).indices(%d) = %v %v, Python %v", s, cases[i][3], [3]int{start, stop, step}, err, want[i])
		}
	}
	if _, _, _, err := (Slice{Step: new(int)}).Indices(3); fmt.Sprint(err) != "ValueError: slice step cannot be zero" {
		t.Errorf("zero step: %v", err)
	}
}
