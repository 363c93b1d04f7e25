package draw

import (
	"math"
	"strconv"
	"strings"

	gplot "gonum.org/v1/plot"
)

// niceTicks returns round tick values inside [lo, hi], about n intervals apart, choosing
// the step from 1, 2, 2.5, 5 × 10^k as matplotlib's MaxNLocator does.
func niceTicks(lo, hi float64, n int) (vals []float64, step float64) {
	if !(hi > lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return []float64{lo}, 0
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step = 10 * mag
	for _, s := range []float64{1, 2, 2.5, 5, 10} {
		if s*mag >= raw*(1-1e-9) {
			step = s * mag
			break
		}
	}
	first := math.Ceil(lo/step - 1e-9)
	for k := first; k*step <= hi+step*1e-9; k++ {
		v := k * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		vals = append(vals, v)
		if len(vals) > 100 {
			break
		}
	}
	return vals, step
}

// formatTicks formats tick values with as many decimals as the step needs, switching to
// exponent notation for very large or very small magnitudes.
func formatTicks(vals []float64, step float64) []string {
	out := make([]string, len(vals))
	maxAbs := 0.0
	for _, v := range vals {
		maxAbs = math.Max(maxAbs, math.Abs(v))
	}
	if maxAbs >= 1e6 || (maxAbs > 0 && maxAbs < 1e-3) {
		for i, v := range vals {
			out[i] = strings.Replace(strconv.FormatFloat(v, 'g', 4, 64), "e+0", "e", 1)
		}
		return out
	}
	decimals := 0
	if step > 0 {
		for decimals < 10 {
			scaled := step * math.Pow(10, float64(decimals))
			if math.Abs(scaled-math.Round(scaled)) < 1e-6*scaled {
				break
			}
			decimals++
		}
	}
	for i, v := range vals {
		out[i] = strconv.FormatFloat(v, 'f', decimals, 64)
		if f, _ := strconv.ParseFloat(out[i], 64); f == 0 {
			out[i] = strings.TrimPrefix(out[i], "-") // no "-0.0"
		}
	}
	return out
}

// tickRecorder keeps the labels a ticker handed to the renderer, so that callers and
// tests can see what an axis showed.
type tickRecorder struct {
	labels []string
	Values []float64 // the labelled (major) ticks in render coordinates
}

func (r *tickRecorder) record(ts []gplot.Tick) []gplot.Tick {
	if r != nil {
		r.labels, r.Values = r.labels[:0], r.Values[:0]
		for _, t := range ts {
			if t.Label != "" {
				r.labels = append(r.labels, t.Label)
				r.Values = append(r.Values, t.Value)
			}
		}
	}
	return ts
}

// linearTicker labels a plain numeric axis with round values. When negate is set the axis
// holds -v (an inverted axis: images with row 0 at the top, reversed limits) and labels
// show v.
type linearTicker struct {
	n      int
	negate bool
	rec    *tickRecorder
}

// Ticks implements plot.Ticker.
func (t linearTicker) Ticks(lo, hi float64) []gplot.Tick {
	if t.negate {
		lo, hi = -hi, -lo
	}
	vals, step := niceTicks(lo, hi, t.n)
	labels := formatTicks(vals, step)
	ts := make([]gplot.Tick, len(vals))
	for i, v := range vals {
		if t.negate {
			v = -v
		}
		ts[i] = gplot.Tick{Value: v, Label: labels[i]}
	}
	return t.rec.record(ts)
}

// worldTicker labels a pixel axis of an image in world units: world[i] is the world
// coordinate at pixel i. It picks round world values and places them at the pixel where
// the world coordinate takes that value, as astropy's WCSAxes does. Without a monotonic
// world coordinate it labels round pixel positions with the world value there.
type worldTicker struct {
	world  []float64
	n      int
	negate bool
	rec    *tickRecorder
	// format, when set, writes a world value (a Stokes code as "I", seconds as a time);
	// with category every whole pixel is ticked and labelled, as a Stokes axis is.
	format   func(world float64) string
	category bool
}

// worldAt interpolates the world coordinate at fractional pixel p, extrapolating
// linearly beyond the ends.
func worldAt(world []float64, p float64) float64 {
	n := len(world)
	if n == 1 {
		return world[0]
	}
	i := int(math.Floor(p))
	i = max(0, min(i, n-2))
	return world[i] + (p-float64(i))*(world[i+1]-world[i])
}

// pixelAt inverts worldAt on a strictly monotonic world array.
func PixelAt(world []float64, w float64) float64 {
	n := len(world)
	inc := world[n-1] > world[0]
	// Binary search for the segment holding w.
	lo, hi := 0, n-1
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if (world[mid] <= w) == inc {
			lo = mid
		} else {
			hi = mid
		}
	}
	return float64(lo) + (w-world[lo])/(world[lo+1]-world[lo])
}

func strictlyMonotonic(w []float64) bool {
	if len(w) < 2 {
		return false
	}
	inc := w[1] > w[0]
	for i := 1; i < len(w); i++ {
		d := w[i] - w[i-1]
		if math.IsNaN(d) || d == 0 || (d > 0) != inc {
			return false
		}
	}
	return true
}

// Ticks implements plot.Ticker.
func (t worldTicker) Ticks(lo, hi float64) []gplot.Tick {
	if t.negate {
		lo, hi = -hi, -lo
	}
	var ts []gplot.Tick
	sign := 1.0
	if t.negate {
		sign = -1
	}
	if t.category && t.format != nil {
		for p := math.Ceil(lo - 1e-9); p <= hi+1e-9; p++ {
			if i := int(p); i >= 0 && i < len(t.world) {
				ts = append(ts, gplot.Tick{Value: sign * p, Label: t.format(t.world[i])})
			}
		}
		return t.rec.record(ts)
	}
	if strictlyMonotonic(t.world) {
		wlo, whi := worldAt(t.world, lo), worldAt(t.world, hi)
		if wlo > whi {
			wlo, whi = whi, wlo
		}
		vals, step := niceTicks(wlo, whi, t.n)
		labels := formatTicks(vals, step)
		if t.format != nil {
			for i, w := range vals {
				labels[i] = t.format(w)
			}
		}
		for i, w := range vals {
			p := PixelAt(t.world, w)
			if p >= lo-1e-9 && p <= hi+1e-9 {
				ts = append(ts, gplot.Tick{Value: sign * p, Label: labels[i]})
			}
		}
	} else if len(t.world) > 0 {
		pix, _ := niceTicks(lo, hi, t.n)
		ws := make([]float64, len(pix))
		for i, p := range pix {
			ws[i] = worldAt(t.world, p)
		}
		spread := 0.0
		for _, w := range ws {
			spread = math.Max(spread, math.Abs(w-ws[0]))
		}
		labels := formatTicks(ws, significantStep(spread))
		for i, p := range pix {
			ts = append(ts, gplot.Tick{Value: sign * p, Label: labels[i]})
		}
	}
	return t.rec.record(ts)
}

// significantStep gives a step whose decimals show differences of size spread.
func significantStep(spread float64) float64 {
	if spread <= 0 || math.IsNaN(spread) {
		return 0.001
	}
	return math.Pow(10, math.Floor(math.Log10(spread))-1)
}

// funcTicker labels round pixel positions with a caller's function of the pixel.
type funcTicker struct {
	label  func(pixel float64) string
	n      int
	negate bool
	rec    *tickRecorder
}

// Ticks implements plot.Ticker.
func (t funcTicker) Ticks(lo, hi float64) []gplot.Tick {
	sign := 1.0
	if t.negate {
		lo, hi, sign = -hi, -lo, -1
	}
	pix, _ := niceTicks(lo, hi, t.n)
	ts := make([]gplot.Tick, len(pix))
	for i, p := range pix {
		ts[i] = gplot.Tick{Value: sign * p, Label: t.label(p)}
	}
	return t.rec.record(ts)
}

// valueTicker labels a line plot's x axis whose data are world values of a special kind
// (Stokes codes, seconds of time): round values written by format, or with category
// every whole value.
type valueTicker struct {
	format   func(float64) string
	category bool
	n        int
	negate   bool
	rec      *tickRecorder
}

// Ticks implements plot.Ticker.
func (t valueTicker) Ticks(lo, hi float64) []gplot.Tick {
	sign := 1.0
	if t.negate {
		lo, hi, sign = -hi, -lo, -1
	}
	var vals []float64
	if t.category {
		for v := math.Ceil(lo - 1e-9); v <= hi+1e-9; v++ {
			vals = append(vals, v)
		}
	} else {
		vals, _ = niceTicks(lo, hi, t.n)
	}
	ts := make([]gplot.Tick, len(vals))
	for i, v := range vals {
		ts[i] = gplot.Tick{Value: sign * v, Label: t.format(v)}
	}
	return t.rec.record(ts)
}
