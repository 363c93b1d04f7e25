package plot

import (
	"encoding/json"
	"fmt"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
	"gokist/runtime/plot/draw"
)

// The axes array of subplots(3, 2) indexes as numpy's 2-D array does: the same cells,
// in the same shape, for integers, negative indices and slices.
func TestAxesGridIndexesLikeNumpy(t *testing.T) {
	ip := func(i int) *int { return &i }
	keys := []struct {
		py  string
		key any
	}{
		{"[1, 0]", obj.Tuple{1, 0}},
		{"[-1, -1]", obj.Tuple{-1, -1}},
		{"[1]", 1},
		{"[:, 0]", obj.Tuple{obj.Slice{}, 0}},
		{"[0, 1:]", obj.Tuple{0, obj.Slice{Start: ip(1)}}},
		{"[::-1]", obj.Slice{Step: ip(-1)}},
		{"[1:, :]", obj.Tuple{obj.Slice{Start: ip(1)}, obj.Slice{}}},
		{"[-2:, ::-1]", obj.Tuple{obj.Slice{Start: ip(-2)}, obj.Slice{Step: ip(-1)}}},
	}
	var code []string
	for _, k := range keys {
		code = append(code, fmt.Sprintf("a = np.arange(6).reshape(3, 2)%s\n[list(np.shape(a)), np.ravel(a).tolist()]", k.py))
	}
	res := pyref.Batch(t, "import numpy as np\n", code)
	f, _ := draw.NewFigure(draw.DefaultWidth, draw.DefaultHeight, 3, 2)
	g := &AxesGrid{rows: 3, cols: 2, axes: f.Axes()}
	index := func(a *draw.Axes) int { return a.Row*2 + a.Col }
	for i, k := range keys {
		var want []json.RawMessage
		if err := json.Unmarshal(res[i].Value, &want); err != nil {
			t.Fatalf("%s: %v %s", k.py, err, res[i].Err())
		}
		var shape, cells []int
		json.Unmarshal(want[0], &shape)
		json.Unmarshal(want[1], &cells)
		v, err := g.GetItem(nil, k.key)
		if err != nil {
			t.Fatalf("%s: %v", k.py, err)
		}
		var gotShape, gotCells []int
		switch x := v.(type) {
		case *draw.Axes:
			gotCells = []int{index(x)}
		case obj.Tuple:
			gotShape = []int{len(x)}
			for _, a := range x {
				gotCells = append(gotCells, index(a.(*draw.Axes)))
			}
		case *AxesGrid:
			gotShape = []int{x.rows, x.cols}
			for _, a := range x.axes {
				gotCells = append(gotCells, index(a))
			}
		}
		if fmt.Sprint(gotShape) != fmt.Sprint(shape) && !(len(shape) == 0 && gotShape == nil) || fmt.Sprint(gotCells) != fmt.Sprint(cells) {
			t.Errorf("ax%s: shape %v cells %v, numpy %v %v", k.py, gotShape, gotCells, shape, cells)
		}
	}
}
