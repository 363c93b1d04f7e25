// Package pyfmt owns Python's text forms of numbers: repr of floats (Float, and numpy's
// repr of np.float32 in Float32), and format(value, spec) by the format-spec
// mini-language for int, float, bool and str (Format). Python 3.11 is the reference.
//
// It imports nothing of gokist but obj (for the error classes), so that every
// package — lang, runtime, runtime/wcs, runtime/plot — can use it.
package pyfmt
