package numpy

// numpy's functions that need all of their input at once: median, percentile,
// quantile (order statistics), histogram and cumsum. A lazy input is computed first,
// after a memory check for the input and the working copy these functions sort or
// scan; the result is computed, not lazy.

import (
	"gokist/runtime/lazy"
	"math"
	"slices"

	"gokist/obj"
	"gokist/pyfmt"
)

// wholeArray is v in memory for fn: a lazy value is computed after checking that it
// and a working copy fit (perElement bytes each, on top of the values).
func wholeArray(env *obj.Env, fn string, v any) (*lazy.Array, error) {
	n, isLazy, err := operand(fn, v)
	if err != nil {
		return nil, err
	}
	if isLazy {
		if err := lazy.CheckFits(coreClient(env), n.Shape(), n.DType(), 8+8); err != nil {
			return nil, err
		}
	}
	return ComputeNode(env, n)
}

// rowsOver arranges a's values so that the axes reduced over are last, as rows of
// inner values: it gives the rows and the shape of the result without those axes (or
// with them as 1 for keepdims).
func rowsOver(a *lazy.Array, fn string, axis, keepdims any) (rows [][]float64, outShape []int, err error) {
	axes, all, err := normalizeAxes(fn, axis, len(a.Dims))
	if err != nil {
		return nil, nil, err
	}
	var keep, perm []int
	for i := range a.Dims {
		if !slices.Contains(axes, i) {
			keep = append(keep, i)
			perm = append(perm, i)
		}
	}
	perm = append(perm, axes...)
	t := a
	if !slices.IsSorted(perm) {
		t = transposed(a, perm)
	}
	inner := 1
	for _, ax := range axes {
		inner *= a.Dims[ax]
	}
	vals := t.Floats()
	for o := range lazy.Product(shapeOf(a.Dims, keep)) {
		rows = append(rows, vals[o*inner:(o+1)*inner])
	}
	outShape = shapeOf(a.Dims, keep)
	if keepdims != nil && truthy(keepdims) {
		outShape = slices.Clone(a.Dims)
		for i := range outShape {
			if all || slices.Contains(axes, i) {
				outShape[i] = 1
			}
		}
	}
	return rows, outShape, nil
}

// shapeOf is the entries of shape at axes.
func shapeOf(shape, axes []int) []int {
	out := make([]int, len(axes))
	for i, ax := range axes {
		out[i] = shape[ax]
	}
	return out
}

// orderedRow is a copy of row in which the positions ks (ascending) hold the values a
// sort would put there, found by selection rather than a full sort, and whether row
// holds a NaN (numpy's order statistics are then NaN).
func OrderedRow(row []float64, ks ...int) ([]float64, bool) {
	if slices.ContainsFunc(row, math.IsNaN) {
		return nil, true
	}
	s := slices.Clone(row)
	lo := 0
	for _, k := range ks {
		if k >= lo && k < len(s) {
			selectNth(s[lo:], k-lo)
			lo = k + 1
		}
	}
	return s, false
}

// selectNth reorders s so that s[k] is the value a sort would put there, smaller or
// equal values before it and larger or equal after (Hoare's selection; a sort after
// too many rounds keeps the worst case at n log n).
func selectNth(s []float64, k int) {
	for rounds := 0; len(s) > 16; rounds++ {
		if rounds > 64 {
			slices.Sort(s)
			return
		}
		p := medianOf3(s[0], s[len(s)/2], s[len(s)-1])
		i, j := 0, len(s)-1
		for i <= j {
			for s[i] < p {
				i++
			}
			for s[j] > p {
				j--
			}
			if i <= j {
				s[i], s[j] = s[j], s[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			s = s[:j+1]
		case k >= i:
			s, k = s[i:], k-i
		default:
			return // s[k] lies between the parts and equals the pivot
		}
	}
	slices.Sort(s)
}

// medianOf3 is the middle one of three values.
func medianOf3(a, b, c float64) float64 {
	return max(min(a, b), min(max(a, b), c))
}

// sortedMedian is numpy's median of a sorted row: the middle value, or the mean of the two
// middle ones; NaN for no values.
func sortedMedian(s []float64, hasNaN bool, dt lazy.DType) float64 {
	n := len(s)
	switch {
	case n == 0 || hasNaN:
		return math.NaN()
	case n%2 == 1:
		return s[n/2]
	}
	return lazy.RoundTo(dt, (s[n/2-1]+s[n/2])/2)
}

// quantileOf is numpy's default ('linear') quantile q in [0, 1] of a sorted row, as
// numpy 1.24 computes it: the virtual index (n-1)·q, the difference of the neighbours
// in the array's precision (dt), and a lerp from the nearer end.
func quantileOf(s []float64, hasNaN bool, q float64, dt lazy.DType) float64 {
	n := len(s)
	if hasNaN {
		return math.NaN()
	}
	virtual := float64(n-1) * q
	prev := math.Floor(virtual)
	gamma := virtual - prev
	lo, hi := int(prev), int(prev)+1
	switch {
	case virtual >= float64(n-1):
		lo, hi = n-1, n-1
	case virtual < 0:
		lo, hi = 0, 0
	}
	a, b := s[lo], s[hi]
	diff := lazy.RoundTo(dt, b-a)
	if gamma >= 0.5 {
		return b - diff*(1-gamma)
	}
	return a + diff*gamma
}

// orderPositions are the sorted positions of a row of n values that the median (qs
// nil) or the quantiles qs (of scale) read.
func orderPositions(n int, qs *lazy.Array, scale float64) []int {
	if qs == nil {
		return []int{(n - 1) / 2, n / 2}
	}
	var ks []int
	for _, q := range qs.Floats() {
		v := math.Floor(float64(n-1) * q / scale)
		ks = append(ks, int(v), int(v)+1)
	}
	slices.Sort(ks)
	return slices.Compact(ks)
}

// orderFuncs are median, percentile, quantile, histogram and cumsum.
func orderFuncs() []*obj.Func {
	stat := func(name, sig, doc string, scale float64) *obj.Func {
		params := []obj.Param{{Name: "a"}, {Name: "q"}, {Name: "axis", Default: "None"}, {Name: "keepdims", Default: "False"}}
		if name == "median" {
			params = slices.Delete(params, 1, 2)
		}
		return npFunc(name, sig, doc+" A lazy array is computed first (after a memory check).", params, func(env *obj.Env, v []any) (any, error) {
			if name == "median" {
				v = slices.Insert(v, 1, any(nil))
			}
			return orderStatistic(env, name, v[0], v[1], v[2], v[3], scale)
		})
	}
	return []*obj.Func{
		stat("median", "median(a, axis=None, keepdims=False)", "The median over axis (NaN where a value is NaN).", 0),
		stat("percentile", "percentile(a, q, axis=None, keepdims=False)", "The q-th percentiles (0 to 100, a number or a list) over axis, by linear interpolation.", 100),
		stat("quantile", "quantile(a, q, axis=None, keepdims=False)", "The q-th quantiles (0 to 1, a number or a list) over axis, by linear interpolation.", 1),
		npFunc("histogram", "histogram(a, bins=10, range=None, density=False)", "Counts of a's values in bins equal-width bins over range (a's minimum to maximum by default) or between the edges bins lists; returns (hist, bin_edges). A lazy array is computed first (after a memory check).",
			[]obj.Param{{Name: "a"}, {Name: "bins", Default: "10"}, {Name: "range", Default: "None"}, {Name: "density", Default: "False"}}, histogram),
		npFunc("cumsum", "cumsum(a, axis=None)", "Cumulative sums along axis (of the flattened array for None), summed in order in the array's precision. A lazy array is computed first (after a memory check).",
			[]obj.Param{{Name: "a"}, {Name: "axis", Default: "None"}}, cumsum),
	}
}

// orderStatistic is median (scale 0), percentile (q in 0…100) or quantile (q in 0…1).
func orderStatistic(env *obj.Env, fn string, av, qv, axis, keepdims any, scale float64) (any, error) {
	a, err := wholeArray(env, fn, av)
	if err != nil {
		return nil, err
	}
	var qs *lazy.Array
	if scale != 0 {
		if qs, err = AsArray(fn, qv); err != nil {
			return nil, err
		}
		for _, q := range qs.Floats() {
			if !(q >= 0 && q <= scale) {
				return nil, obj.Errorf(obj.ValueError, "%s must be in the range [0, %g]", map[float64]string{100: "Percentiles", 1: "Quantiles"}[scale], scale)
			}
		}
	}
	rows, outShape, err := rowsOver(a, fn, axis, keepdims)
	if err != nil {
		return nil, err
	}
	if qs != nil && len(rows) > 0 && len(rows[0]) == 0 {
		return nil, obj.Errorf(obj.IndexError, "cannot do a non-empty take from an empty axes.")
	}
	dt := lazy.Float64
	if scale == 0 && a.DT == lazy.Float32 {
		dt = lazy.Float32
	}
	// numpy gives a single NaN quantile in the array's float dtype.
	if qs != nil && len(qs.Dims) == 0 && len(outShape) == 0 && a.DT == lazy.Float32 && len(rows) == 1 && slices.ContainsFunc(rows[0], math.IsNaN) {
		dt = lazy.Float32
	}
	nq := 1
	if qs != nil {
		nq = qs.Size()
		outShape = append(slices.Clone(qs.Dims), outShape...)
	}
	vals := make([]float64, nq*len(rows))
	for r, row := range rows {
		s, hasNaN := OrderedRow(row, orderPositions(len(row), qs, scale)...)
		if qs == nil {
			vals[r] = sortedMedian(s, hasNaN, dt)
			continue
		}
		for k := range nq {
			vals[k*len(rows)+r] = quantileOf(s, hasNaN, qs.At(k)/scale, a.DT)
		}
	}
	return ScalarOrSelf(lazy.NewArray(vals, outShape, dt)), nil
}

// cumsum is np.cumsum: int64 for ints and bools, float32 summed in float32 as numpy.
func cumsum(env *obj.Env, v []any) (any, error) {
	a, err := wholeArray(env, "cumsum", v[0])
	if err != nil {
		return nil, err
	}
	axis := 0
	if v[1] == nil {
		a = withShape(a, []int{a.Size()})
	} else if axis, err = axisArg(v[1], len(a.Dims)); err != nil {
		return nil, err
	}
	dt := a.DT
	if dt == lazy.Bool {
		dt = lazy.Int64
	}
	st := lazy.StridesOf(a.Dims)
	vals := slices.Clone(a.Floats())
	for k := range vals {
		if k/st[axis]%a.Dims[axis] > 0 {
			vals[k] = lazy.RoundTo(dt, vals[k-st[axis]]+vals[k])
		}
	}
	return (*NDArray)(lazy.NewArray(vals, a.Dims, dt)), nil
}

// histogram is np.histogram: (hist, bin_edges) with numpy's binning, the last bin
// closed on the right.
func histogram(env *obj.Env, v []any) (any, error) {
	a, err := wholeArray(env, "histogram", v[0])
	if err != nil {
		return nil, err
	}
	vals := a.Floats()
	edges, uniform, err := histogramEdges(a, vals, v[1], v[2])
	if err != nil {
		return nil, err
	}
	nb := edges.Size() - 1
	counts := make([]float64, nb)
	e := edges.Floats()
	for _, x := range vals {
		if !(x >= e[0] && x <= e[nb]) {
			continue
		}
		var i int
		if uniform {
			i = min(int((x-e[0])*(float64(nb)/(e[nb]-e[0]))), nb-1)
			// numpy corrects the computed bin against the edges themselves.
			if x < e[i] {
				i--
			} else if i != nb-1 && x >= e[i+1] {
				i++
			}
		} else {
			i = min(sortSearchRight(e, x)-1, nb-1)
		}
		counts[i]++
	}
	hist := lazy.NewArray(counts, []int{nb}, lazy.Int64)
	if v[3] != nil && truthy(v[3]) {
		total := float64(a.Size())
		dens := make([]float64, nb)
		for i := range dens {
			dens[i] = counts[i] / total / (e[i+1] - e[i])
		}
		hist = lazy.NewArray(dens, []int{nb}, lazy.Float64)
	}
	return obj.Tuple{(*NDArray)(hist), (*NDArray)(edges)}, nil
}

// sortSearchRight is numpy's searchsorted(e, x, side='right').
func sortSearchRight(e []float64, x float64) int {
	i, _ := slices.BinarySearchFunc(e, x, func(a, b float64) int {
		if a <= b {
			return -1
		}
		return 1
	})
	return i
}

// histogramEdges gives the bin edges: bins equal-width bins over range (a's minimum to
// maximum, widened by 0.5 each way when they are equal), in a's float dtype, or the
// edges bins lists.
func histogramEdges(a *lazy.Array, vals []float64, bins, rng any) (*lazy.Array, bool, error) {
	if items, ok := SequenceItems(bins); ok {
		e, err := AsArray("histogram", obj.List(items))
		if err != nil {
			return nil, false, err
		}
		ev := e.Floats()
		if len(ev) < 2 || !slices.IsSorted(ev) {
			return nil, false, obj.Errorf(obj.ValueError, "`bins` must increase monotonically, when an array")
		}
		return lazy.NewArray(ev, []int{len(ev)}, lazy.Float64), false, nil
	}
	nb, ok := bins.(int)
	if !ok {
		return nil, false, obj.Errorf(obj.TypeError, "`bins` must be an integer, a string, or an array")
	}
	if nb < 1 {
		return nil, false, obj.Errorf(obj.ValueError, "`bins` must be positive, when an integer")
	}
	var lo, hi float64
	if rng != nil {
		r, _ := SequenceItems(rng)
		if len(r) != 2 {
			return nil, false, obj.Errorf(obj.ValueError, "range must be a (min, max) pair")
		}
		lo, _, _ = numberOf(r[0])
		hi, _, _ = numberOf(r[1])
		if lo > hi {
			return nil, false, obj.Errorf(obj.ValueError, "max must be larger than min in range parameter.")
		}
		if math.IsInf(lo, 0) || math.IsInf(hi, 0) || math.IsNaN(lo) || math.IsNaN(hi) {
			return nil, false, obj.Errorf(obj.ValueError, "supplied range of [%s, %s] is not finite", pyfmt.Float(lo), pyfmt.Float(hi))
		}
	} else if len(vals) == 0 {
		lo, hi = 0, 1 // numpy's range for no values
	} else {
		lo, hi = slices.Min(vals), slices.Max(vals)
		if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			lo, hi = minMaxNaN(vals)
			return nil, false, obj.Errorf(obj.ValueError, "autodetected range of [%s, %s] is not finite", pyfmt.Float(lo), pyfmt.Float(hi))
		}
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	dt := lazy.Float64
	if a.DT == lazy.Float32 {
		dt = lazy.Float32
	}
	e := make([]float64, nb+1)
	step := (hi - lo) / float64(nb)
	for i := range e {
		e[i] = lazy.RoundTo(dt, float64(i)*step+lo)
	}
	e[nb] = lazy.RoundTo(dt, hi)
	return lazy.NewArray(e, []int{nb + 1}, dt), true, nil
}

// minMaxNaN is a.min() and a.max() as numpy gives them: NaN if any value is NaN.
func minMaxNaN(vals []float64) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range vals {
		if math.IsNaN(x) {
			return x, x
		}
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi
}
