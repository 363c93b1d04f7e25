// Package wcsmath holds the small numeric helpers the FITS-header WCS, the gwcs models
// and the dataset WCS's inverse share: a dense matrix inverse and degree trigonometry.
package wcsmath

import (
	"fmt"
	"math"
)

// Invert inverts the n×n row-major matrix a by Gauss–Jordan elimination with
// partial pivoting.
func Invert(a []float64, n int) ([]float64, error) {
	w := make([]float64, n*2*n)
	for i := 0; i < n; i++ {
		copy(w[i*2*n:], a[i*n:i*n+n])
		w[i*2*n+n+i] = 1
	}
	for c := 0; c < n; c++ {
		p, best := -1, 0.0
		for r := c; r < n; r++ {
			if v := math.Abs(w[r*2*n+c]); v > best {
				p, best = r, v
			}
		}
		if p < 0 || best < 1e-300 {
			return nil, fmt.Errorf("column %d has no pivot", c+1)
		}
		if p != c {
			for k := 0; k < 2*n; k++ {
				w[p*2*n+k], w[c*2*n+k] = w[c*2*n+k], w[p*2*n+k]
			}
		}
		d := w[c*2*n+c]
		for k := 0; k < 2*n; k++ {
			w[c*2*n+k] /= d
		}
		for r := 0; r < n; r++ {
			if r == c {
				continue
			}
			if fct := w[r*2*n+c]; fct != 0 {
				for k := 0; k < 2*n; k++ {
					w[r*2*n+k] -= fct * w[c*2*n+k]
				}
			}
		}
	}
	out := make([]float64, n*n)
	for i := 0; i < n; i++ {
		copy(out[i*n:i*n+n], w[i*2*n+n:i*2*n+2*n])
	}
	return out, nil
}

// SinCosD gives the sine and cosine of an angle in degrees.
func SinCosD(deg float64) (float64, float64) {
	return math.Sincos(deg * math.Pi / 180)
}

// R2D turns radians into degrees.
const R2D = 180 / math.Pi
