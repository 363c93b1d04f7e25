package numpy

import (
	"gokist/runtime/lazy"

	"gokist/obj"
)

// The values of arrays as runtime/plot reads them: ndarray and LazyArray implement
// plot.Float64Data, and LazyArray plot.FrameData.

// Float64s implements plot.Float64Data: the values (shared for float64 storage, a copy
// for float32) and the shape.
func (a *NDArray) Float64s(env *obj.Env) ([]float64, []int, error) {
	return a.Array().Floats(), a.Array().Shape(), nil
}

// Float64s implements plot.Float64Data by computing the array.
func (l *LazyArray) Float64s(env *obj.Env) ([]float64, []int, error) {
	a, err := ComputeForPlot(env, l.Node)
	if err != nil {
		return nil, nil, err
	}
	return a.Floats(), a.Shape(), nil
}

// frameOf computes frame i of N-d data (N ≥ 3): the last two axes at index i of axis 0
// and index 0 of the axes in between, reading only that frame's part of the files.
func FrameOf(env *obj.Env, n lazy.Node, i int) ([]float64, error) {
	nd := len(n.Shape())
	key := make(obj.Tuple, nd)
	for k := range key {
		switch {
		case k == 0:
			key[k] = i
		case k < nd-2:
			key[k] = 0
		default:
			key[k] = obj.Slice{}
		}
	}
	sel, err := IndexNodeOf(n, key, nil)
	if err != nil {
		return nil, err
	}
	a, err := ComputeForPlot(env, sel)
	if err != nil {
		return nil, err
	}
	return a.Floats(), nil
}

// Frame implements plot.FrameData: plt.imshow of a 3-D or higher LazyArray computes the
// frames it shows, not the whole array.
func (l *LazyArray) Frame(env *obj.Env, i int) ([]float64, error) { return FrameOf(env, l.Node, i) }
