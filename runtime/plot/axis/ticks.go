package axis

import (
	"math"
	"strconv"
	"strings"

	gplot "gonum.org/v1/plot"
)

// NiceTicks returns round tick values inside [lo, hi], about n intervals apart, choosing
// the step from 1, 2, 2.5, 5 × 10^k as matplotlib's MaxNLocator does.
func NiceTicks(lo, hi float64, n int) (vals []float64, step float64) {
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

// FormatTicks formats tick values with as many decimals as the step needs, switching to
// exponent notation for very large or very small magnitudes.
func FormatTicks(vals []float64, step float64) []string {
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

// TickRecorder keeps the labels a ticker handed to the renderer, so that callers and
// tests can see what an axis showed.
type TickRecorder struct {
	Labels []string
	Values []float64 // the labelled (major) ticks in render coordinates
}

func (r *TickRecorder) Record(ts []gplot.Tick) []gplot.Tick {
	if r != nil {
		r.Labels, r.Values = r.Labels[:0], r.Values[:0]
		for _, t := range ts {
			if t.Label != "" {
				r.Labels = append(r.Labels, t.Label)
				r.Values = append(r.Values, t.Value)
			}
		}
	}
	return ts
}

// LinearTicker labels a plain numeric axis with round values. When negate is set the axis
// holds -v (an inverted axis: images with row 0 at the top, reversed limits) and labels
// show v.
type LinearTicker struct {
	N      int
	Negate bool
	Rec    *TickRecorder
}

// Ticks implements plot.Ticker.
func (t LinearTicker) Ticks(lo, hi float64) []gplot.Tick {
	if t.Negate {
		lo, hi = -hi, -lo
	}
	vals, step := NiceTicks(lo, hi, t.N)
	labels := FormatTicks(vals, step)
	ts := make([]gplot.Tick, len(vals))
	for i, v := range vals {
		if t.Negate {
			v = -v
		}
		ts[i] = gplot.Tick{Value: v, Label: labels[i]}
	}
	return t.Rec.Record(ts)
}

// WorldTicker labels a pixel axis of an image in world units: world[i] is the world
// coordinate at pixel i. It picks round world values and places them at the pixel where
// the world coordinate takes that value, as astropy's WCSAxes does. Without a monotonic
// world coordinate it labels round pixel positions with the world value there.
type WorldTicker struct {
	World  []float64
	N      int
	Negate bool
	Rec    *TickRecorder
	// format, when set, writes a world value (a Stokes code as "I", seconds as a time);
	// with category every whole pixel is ticked and labelled, as a Stokes axis is.
	Format   func(world float64) string
	Category bool
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

// PixelAt inverts worldAt on a strictly monotonic world array.
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
func (t WorldTicker) Ticks(lo, hi float64) []gplot.Tick {
	if t.Negate {
		lo, hi = -hi, -lo
	}
	var ts []gplot.Tick
	sign := 1.0
	if t.Negate {
		sign = -1
	}
	if t.Category && t.Format != nil {
		for p := math.Ceil(lo - 1e-9); p <= hi+1e-9; p++ {
			if i := int(p); i >= 0 && i < len(t.World) {
				ts = append(ts, gplot.Tick{Value: sign * p, Label: t.Format(t.World[i])})
			}
		}
		return t.Rec.Record(ts)
	}
	if strictlyMonotonic(t.World) {
		wlo, whi := worldAt(t.World, lo), worldAt(t.World, hi)
		if wlo > whi {
			wlo, whi = whi, wlo
		}
		vals, step := NiceTicks(wlo, whi, t.N)
		labels := FormatTicks(vals, step)
		if t.Format != nil {
			for i, w := range vals {
				labels[i] = t.Format(w)
			}
		}
		for i, w := range vals {
			p := PixelAt(t.World, w)
			if p >= lo-1e-9 && p <= hi+1e-9 {
				ts = append(ts, gplot.Tick{Value: sign * p, Label: labels[i]})
			}
		}
	} else if len(t.World) > 0 {
		pix, _ := NiceTicks(lo, hi, t.N)
		ws := make([]float64, len(pix))
		for i, p := range pix {
			ws[i] = worldAt(t.World, p)
		}
		spread := 0.0
		for _, w := range ws {
			spread = math.Max(spread, math.Abs(w-ws[0]))
		}
		labels := FormatTicks(ws, significantStep(spread))
		for i, p := range pix {
			ts = append(ts, gplot.Tick{Value: sign * p, Label: labels[i]})
		}
	}
	return t.Rec.Record(ts)
}

// significantStep gives a step whose decimals show differences of size spread.
func significantStep(spread float64) float64 {
	if spread <= 0 || math.IsNaN(spread) {
		return 0.001
	}
	return math.Pow(10, math.Floor(math.Log10(spread))-1)
}

// FuncTicker labels round pixel positions with a caller's function of the pixel.
type FuncTicker struct {
	Label  func(pixel float64) string
	N      int
	Negate bool
	Rec    *TickRecorder
}

// Ticks implements plot.Ticker.
func (t FuncTicker) Ticks(lo, hi float64) []gplot.Tick {
	sign := 1.0
	if t.Negate {
		lo, hi, sign = -hi, -lo, -1
	}
	pix, _ := NiceTicks(lo, hi, t.N)
	ts := make([]gplot.Tick, len(pix))
	for i, p := range pix {
		ts[i] = gplot.Tick{Value: sign * p, Label: t.Label(p)}
	}
	return t.Rec.Record(ts)
}

// ValueTicker labels a line plot's x axis whose data are world values of a special kind
// (Stokes codes, seconds of time): round values written by format, or with category
// every whole value.
type ValueTicker struct {
	Format   func(float64) string
	Category bool
	N        int
	Negate   bool
	Rec      *TickRecorder
}

// Ticks implements plot.Ticker.
func (t ValueTicker) Ticks(lo, hi float64) []gplot.Tick {
	sign := 1.0
	if t.Negate {
		lo, hi, sign = -hi, -lo, -1
	}
	var vals []float64
	if t.Category {
		for v := math.Ceil(lo - 1e-9); v <= hi+1e-9; v++ {
			vals = append(vals, v)
		}
	} else {
		vals, _ = NiceTicks(lo, hi, t.N)
	}
	ts := make([]gplot.Tick, len(vals))
	for i, v := range vals {
		ts[i] = gplot.Tick{Value: sign * v, Label: t.Format(v)}
	}
	return t.Rec.Record(ts)
}
