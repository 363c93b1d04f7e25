package numpy

import "gokist/runtime/numpy/arrayprint"
import "gokist/runtime/lazy"

// What runtime/coords (astropy.coordinates + sunpy.coordinates) takes from numpy's face:
// its float format and array printing, and float arrays as cells see them.

// FloatFormat is numpy's format of float64 values printed together (one column of a
// structured array, as astropy prints a coordinate's components).
func FloatFormat(vals []float64) func(float64) string {
	return arrayprint.ValueFormatter(lazy.NewArray(vals, []int{len(vals)}, lazy.Float64), false)
}

// WordsRepr is numpy's array2string (separator ", ", 75 columns, summarised past
// 1000 elements) of an array of shape, after a prefix of prefixLen columns, whose
// element i prints as the word that words makes: words receives the C-order indices
// numpy shows (all of them, or the edges of a summarised array), by which numpy sizes
// its columns, and returns the formatter of one element.
func WordsRepr(shape []int, prefixLen int, words func(shown []int) func(i int) string) string {
	n := 1
	for _, d := range shape {
		n *= d
	}
	idx := make([]float64, n)
	for i := range idx {
		idx[i] = float64(i)
	}
	a := lazy.NewArray(idx, shape, lazy.Float64)
	summarise := n > arrayprint.PrintThreshold
	var shown []int
	if summarise {
		for _, v := range arrayprint.ShownValues(a) {
			shown = append(shown, int(v))
		}
	} else {
		shown = make([]int, n)
		for i := range shown {
			shown[i] = i
		}
	}
	w := words(shown)
	return arrayprint.FormatElements(a, func(v float64) string { return w(int(v)) }, summarise, ", ", prefixLen, arrayprint.PrintLineWidth)
}

// FloatArray is a cell's float64 ndarray of vals in shape (the coordinates package's
// values and Quantities' arrays).
func FloatArray(vals []float64, shape []int) any {
	return (*NDArray)(lazy.NewArray(vals, shape, lazy.Float64))
}
