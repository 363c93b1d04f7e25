package time

import (
	"gokist/obj"
	"gokist/runtime/astrotime"
)

// mean is Time.mean() over all times, as astropy's: UTC times averaged in TAI, the
// sums of jd1 and jd2 (numpy's summation order) divided exactly by day_frac, the
// result back in the Time's scale and format.
func (t *Time) mean(env *obj.Env) (any, error) {
	if t.Size() == 0 {
		return nil, obj.Errorf(obj.ValueError, "Mean over zero elements is not supported as it would give an undefined time;see issue https://github.com/astropy/astropy/issues/6509")
	}
	work := t
	if t.scale == astrotime.UTC {
		var err error
		if work, err = t.toScale(env, astrotime.TAI); err != nil {
			return nil, err
		}
	}
	a, b := astrotime.DayFrac(numpySum(work.jd1), numpySum(work.jd2), 0, float64(t.Size()))
	out := work.with([]float64{a}, []float64{b}, nil)
	if t.scale == astrotime.UTC {
		return out.toScale(env, astrotime.UTC)
	}
	return out, nil
}

// numpySum adds float64s in the order numpy's add.reduce does on a contiguous array:
// pairwise (blocks of eight partial sums up to 128 elements, halves above), so that
// sums agree with numpy's to the last bit.
func numpySum(xs []float64) float64 { return pairwiseSum(xs) }

// pairwiseSum is numpy's pairwise_sum for float64.
func pairwiseSum(a []float64) float64 {
	n := len(a)
	switch {
	case n < 8:
		res := 0.0
		for _, x := range a {
			res += x
		}
		return res
	case n <= 128:
		var r [8]float64
		copy(r[:], a[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			for j := range 8 {
				r[j] += a[i+j]
			}
		}
		res := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += a[i]
		}
		return res
	}
	n2 := n / 2
	n2 -= n2 % 8
	return pairwiseSum(a[:n2]) + pairwiseSum(a[n2:])
}
