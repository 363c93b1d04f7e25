package wcs

// The array side of astropy.wcs.WCS: pixel and world arguments as numbers, lists or
// arrays of one shape, evaluated point by point through runtime/wcs's FileWCS, returned
// as numpy returns them (0-d arrays for scalars).

import (
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"math"
	"slices"

	"gokist/obj"
)

// wcsInputs reads n coordinate arguments (numbers, lists or arrays) of one shape; scalar
// is true when every argument was a number.
func wcsInputs(fn string, n int, args []any) (vals [][]float64, shape []int, scalar bool, err error) {
	if err := checkInputCount(fn, n, args); err != nil {
		return nil, nil, false, err
	}
	scalar = true
	for i, a := range args {
		arr, err := numpy.AsArray(fn, a)
		if err != nil {
			return nil, nil, false, obj.Errorf(obj.TypeError, "%s(): argument %d must be a number or an array of numbers, not %s", fn, i+1, obj.TypeName(a))
		}
		if len(arr.Dims) > 0 {
			scalar = false
		}
		if i == 0 {
			shape = arr.Dims
		} else if !slices.Equal(shape, arr.Dims) {
			if arr.Size() != 1 && lazy.Product(shape) != 1 {
				return nil, nil, false, obj.Errorf(obj.ValueError, "Coordinate arrays are not broadcastable to each other")
			}
			if len(arr.Dims) > len(shape) {
				shape = arr.Dims
			}
		}
		vals = append(vals, arr.Floats())
	}
	size := lazy.Product(shape)
	for i, v := range vals {
		if len(v) == 1 && size != 1 {
			vals[i] = slices.Repeat(v, size)
		}
	}
	return vals, shape, scalar, nil
}

// checkInputCount refuses a number of coordinate arguments other than n with
// astropy's messages (a single argument is astropy's (N, n) array form, which gokist
// does not take).
func checkInputCount(fn string, n int, args []any) error {
	if len(args) == n {
		return nil
	}
	if len(args) == 1 {
		if arr, err := numpy.AsArray(fn, args[0]); err == nil && len(arr.Dims) == 2 {
			return obj.Errorf("NotImplementedError", "%s(): gokist takes one argument per axis, not the (N, %d) array form; pass the %d columns separately", fn, n, n)
		}
		if fn == "world_to_pixel_values" {
			return obj.Errorf(obj.ValueError, "When providing two arguments, the array must be of shape (N, %d)", n)
		}
		return obj.Errorf(obj.ValueError, "Wrong number of dimensions in input array.  Expected 2.")
	}
	return obj.Errorf(obj.TypeError, "WCS projection has %d dimensions, so expected 2 (an Nx%d array and the origin argument) or %d arguments (the position in each dimension, and the origin argument). Instead, %d arguments were given.", n, n, n+1, len(args)+1)
}

// evalPoints applies f to every point of the inputs (one slice per axis) and returns one
// output slice per axis; a point f refuses becomes NaN, as wcslib's invalid points.
func evalPoints(in [][]float64, f func([]float64) ([]float64, error)) [][]float64 {
	n := len(in)
	size := 0
	if n > 0 {
		size = len(in[0])
	}
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, size)
	}
	p := make([]float64, n)
	for k := range size {
		for i := range n {
			p[i] = in[i][k]
		}
		r, err := f(p)
		for i := range n {
			if err != nil {
				out[i][k] = math.NaN()
			} else {
				out[i][k] = r[i]
			}
		}
	}
	return out
}

// wcsOutputs returns one array per axis (0-d for scalar input), a tuple of them, or the
// array alone for one axis, as astropy's *_values methods do.
func wcsOutputs(out [][]float64, shape []int, dt lazy.DType) any {
	arrs := make(obj.Tuple, len(out))
	for i, v := range out {
		arrs[i] = (*numpy.NDArray)(lazy.NewArray(v, shape, dt))
	}
	if len(arrs) == 1 {
		return arrs[0]
	}
	return arrs
}

// pixelToWorld evaluates pixel coordinates (FITS order, 0-based) into world values, the
// celestial longitude in wcslib's range.
func (w *HeaderWCS) pixelToWorld(in [][]float64) [][]float64 {
	buf := make([]float64, w.fw.NAxis)
	out := evalPoints(in, func(p []float64) ([]float64, error) {
		return buf, w.fw.PixelToWorldInto(p, buf)
	})
	if lon, _ := w.fw.Celestial(); lon >= 0 {
		for i, v := range out[lon] {
			out[lon][i] = w.fw.WCSLibLongitude(v)
		}
	}
	return out
}

// worldToPixel is pixelToWorld's inverse.
func (w *HeaderWCS) worldToPixel(in [][]float64) [][]float64 {
	return evalPoints(in, w.fw.WorldToPixel)
}
