package fits

import (
	"math"
	"slices"
)

// Quantisation of floating-point tiles to integers before RICE_1 compression (FITS 4.0
// §10.2, NO_DITHER), computed the way cfitsio's fits_quantize_float/_double do it, so the
// ZSCALE and ZZERO of a tile are those that astropy or fpack would choose: the tile's
// noise is the smallest non-zero of three median-absolute-difference estimates (2nd, 3rd
// and 5th order), the step ZSCALE is noise / NOISEBIT, and ZZERO is the tile minimum
// rounded to a multiple of the step. Arithmetic on pixel values happens in the pixel
// type, as in C; explicit conversions keep the compiler from fusing operations.

// quantizeReservedValues is cfitsio's N_RESERVED_VALUES: integers kept free at the
// bottom of the range for null markers.
const quantizeReservedValues = 10

// tileNoise holds the statistics cfitsio's FnNoise5 computes for a tile.
type tileNoise[F float32 | float64] struct {
	minValue, maxValue     F
	noise2, noise3, noise5 float64
}

// lowerMedian returns the ((n-1)/2)-th smallest value, as cfitsio's quick_select does,
// in linear expected time by Hoare partitioning with a median-of-three pivot; values is
// reordered.
func lowerMedian[F float32 | float64](values []F) F {
	low, high := 0, len(values)-1
	median := (low + high) / 2
	for {
		if high <= low {
			return values[median]
		}
		if high == low+1 {
			if values[low] > values[high] {
				values[low], values[high] = values[high], values[low]
			}
			return values[median]
		}
		middle := (low + high) / 2
		if values[middle] > values[high] {
			values[middle], values[high] = values[high], values[middle]
		}
		if values[low] > values[high] {
			values[low], values[high] = values[high], values[low]
		}
		if values[middle] > values[low] {
			values[middle], values[low] = values[low], values[middle]
		}
		// values[low] now holds the median of the three: the pivot.
		values[middle], values[low+1] = values[low+1], values[middle]
		ll, hh := low+1, high
		for {
			for ll++; values[low] > values[ll]; ll++ {
			}
			for hh--; values[hh] > values[low]; hh-- {
			}
			if hh < ll {
				break
			}
			values[ll], values[hh] = values[hh], values[ll]
		}
		values[low], values[hh] = values[hh], values[low]
		if hh <= median {
			low = ll
		}
		if hh >= median {
			high = hh - 1
		}
	}
}

// lowerMedianAbs returns the ((n-1)/2)-th smallest of values, which are absolute
// differences (non-negative, not NaN); values is reordered. For float32 it selects by
// radix on the IEEE bits, whose order is the numeric order of non-negative floats: three
// histogram passes without data-dependent branches, several times faster than
// partitioning on noisy data, where every other comparison is mispredicted.
func lowerMedianAbs[F float32 | float64](values []F) F {
	v32, ok := any(values).([]float32)
	if !ok {
		return lowerMedian(values)
	}
	k := (len(values) - 1) / 2
	var hist [2048]int32
	for _, shift := range [...]uint{21, 10, 0} {
		if len(v32) <= 48 {
			slices.Sort(v32)
			return F(v32[k])
		}
		clear(hist[:])
		for _, v := range v32 {
			hist[(math.Float32bits(v)>>shift)&0x7ff]++
		}
		bucket, below := 0, 0
		for ; below+int(hist[bucket]) <= k; bucket++ {
			below += int(hist[bucket])
		}
		k -= below
		kept := 0
		for _, v := range v32 {
			if (math.Float32bits(v)>>shift)&0x7ff == uint32(bucket) {
				v32[kept] = v
				kept++
			}
		}
		v32 = v32[:kept]
	}
	return F(v32[k]) // all 32 bits fixed: the survivors are equal
}

// middleMedian returns the mean of the two middle values of sorted values.
func middleMedian(values []float64) float64 {
	slices.Sort(values)
	n := len(values)
	return (values[(n-1)/2] + values[n/2]) / 2
}

// tileQuantizer quantises tiles, reusing its buffers from one tile to the next.
type tileQuantizer[F float32 | float64] struct {
	buf2, buf3, buf5    []F
	rows2, rows3, rows5 []float64
}

// grow returns b with length n, reallocating only when its capacity is too small.
func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}

// estimateTileNoise returns the MAD noise estimates of a tile of ny rows of nx pixels
// (no null pixels: the caller sends tiles with NaN or Inf to the lossless fallback).
func (q *tileQuantizer[F]) estimateTileNoise(data []F, nx, ny int) tileNoise[F] {
	if nx < 9 {
		nx, ny = nx*ny, 1
	}
	st := tileNoise[F]{minValue: data[0], maxValue: data[0]}
	for _, v := range data[:nx*ny] {
		st.minValue = min(st.minValue, v)
		st.maxValue = max(st.maxValue, v)
	}
	if nx < 9 {
		return st // too few pixels for the estimators: all noise values 0
	}
	// Fixed buffers as in cfitsio: the 2nd-order median is taken over as many entries
	// as there are 3rd-order differences, which can reach stale entries (zero or from
	// an earlier row) when a row has runs of three equal pixels; copying that keeps our
	// scales equal to astropy's.
	q.buf2, q.buf3, q.buf5 = grow(q.buf2, nx), grow(q.buf3, nx), grow(q.buf5, nx)
	clear(q.buf2)
	buf2, buf3, buf5 := q.buf2, q.buf3, q.buf5
	rows2, rows3, rows5 := q.rows2[:0], q.rows3[:0], q.rows5[:0]
	defer func() { q.rows2, q.rows3, q.rows5 = rows2, rows3, rows5 }()
	for row := range ny {
		p := data[row*nx : (row+1)*nx]
		n2, n := 0, 0
		for i := 8; i < nx; i++ {
			v1, v3, v4, v5, v6, v7, v9 := p[i-8], p[i-6], p[i-5], p[i-4], p[i-3], p[i-2], p[i]
			if !(v5 == v6 && v6 == v7) {
				buf2[n2] = F(math.Abs(float64(F(v5 - v7))))
				n2++
			}
			if !(v3 == v4 && v4 == v5 && v5 == v6 && v6 == v7) {
				d3 := F(F(F(2*v5)-v3) - v7)
				d5 := F(F(F(F(F(6*v5)-F(4*v3))-F(4*v7))+v1) + v9)
				buf3[n] = F(math.Abs(float64(d3)))
				buf5[n] = F(math.Abs(float64(d5)))
				n++
			}
		}
		switch {
		case n == 0:
			continue // a constant row tells nothing about the noise
		case n == 1:
			if n2 == 1 {
				rows2 = append(rows2, float64(buf2[0]))
			}
			rows3 = append(rows3, float64(buf3[0]))
			rows5 = append(rows5, float64(buf5[0]))
		default:
			if n2 > 1 {
				rows2 = append(rows2, float64(lowerMedianAbs(buf2[:n])))
			}
			rows3 = append(rows3, float64(lowerMedianAbs(buf3[:n])))
			rows5 = append(rows5, float64(lowerMedianAbs(buf5[:n])))
		}
	}
	var x2, x3, x5 float64
	if len(rows3) > 0 {
		x3, x5 = middleMedian(rows3), middleMedian(rows5)
	}
	if len(rows2) > 0 {
		x2 = middleMedian(rows2)
	}
	st.noise2 = 1.0483579 * x2
	st.noise3 = 0.6052697 * x3
	st.noise5 = 0.1772048 * x5
	return st
}

// roundNearest rounds half away from zero, as cfitsio's NINT.
func roundNearest(x float64) int32 {
	if x >= 0 {
		return int32(x + 0.5)
	}
	return int32(x - 0.5)
}

// quantizeTile quantises a tile of ny rows of nx pixels with NO_DITHER and quantisation
// level noiseBits (NOISEBIT), writing the integers to out. It returns the step (ZSCALE)
// and offset (ZZERO), with value ≈ out*scale + zero, or ok=false when the tile cannot
// be quantised (constant, too small, non-finite, or a range too wide for int32); such a
// tile goes to the lossless GZIP_COMPRESSED_DATA column instead.
func quantizeTile[F float32 | float64](data []F, nx, ny int, noiseBits float32, out []int32) (scale, zero float64, ok bool) {
	var q tileQuantizer[F]
	return q.quantize(data, nx, ny, noiseBits, out)
}

// quantize is quantizeTile with the quantiser's buffers.
func (q *tileQuantizer[F]) quantize(data []F, nx, ny int, noiseBits float32, out []int32) (scale, zero float64, ok bool) {
	n := nx * ny
	if n <= 1 || len(data) < n || len(out) < n {
		return 0, 0, false
	}
	for _, v := range data[:n] {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return 0, 0, false
		}
	}
	st := q.estimateTileNoise(data, nx, ny)
	stdev := st.noise3
	if st.noise2 != 0 && st.noise2 < stdev {
		stdev = st.noise2
	}
	if st.noise5 != 0 && st.noise5 < stdev {
		stdev = st.noise5
	}
	delta := stdev / float64(noiseBits)
	if noiseBits == 0 {
		delta = stdev / 4
	}
	if delta == 0 {
		return 0, 0, false
	}
	span := float64(F(st.maxValue-st.minValue)) / delta
	if span > 2*2147483647.0-quantizeReservedValues {
		return 0, 0, false
	}
	if span < 2147483647.0-quantizeReservedValues {
		// Zero at the minimum, moved to a multiple of the step so that repeated
		// compressions choose the same scaling.
		zero = float64(int64(float64(st.minValue)/delta+0.5)) * delta
	} else {
		zero = (float64(st.minValue) + float64(st.maxValue)) / 2
	}
	for i, v := range data[:n] {
		out[i] = roundNearest((float64(v) - zero) / delta)
	}
	return delta, zero, true
}
