package draw

import (
	"math"
	"strconv"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"gokist/obj"
)

// scaleKind is an axis scale: matplotlib's "linear", "log" or "symlog".
type scaleKind int

const (
	linearScale scaleKind = iota
	LogScale
	symlogScale
)

// axisScale maps data values onto the axis' linear render coordinate: log10 for "log";
// for "symlog" linear within ±linthresh and logarithmic beyond, as matplotlib's
// SymmetricalLogTransform with base 10 and linscale 1.
type AxisScale struct {
	Kind      scaleKind
	linthresh float64
}

// parseScale reads set_xscale/set_yscale's value.
func ParseScale(fn, name string, linthresh float64) (AxisScale, error) {
	switch name {
	case "linear":
		return AxisScale{}, nil
	case "log":
		return AxisScale{Kind: LogScale}, nil
	case "symlog":
		if !(linthresh > 0) || math.IsInf(linthresh, 0) {
			return AxisScale{}, obj.Errorf(obj.ValueError, "'linthresh' must be positive")
		}
		return AxisScale{Kind: symlogScale, linthresh: linthresh}, nil
	}
	return AxisScale{}, obj.Errorf(obj.ValueError, "%s is not a valid value for scale; supported values are 'linear', 'log', 'symlog', 'asinh', 'logit', 'function', 'functionlog'", PyQuote(name)).
		WithHint("gokist draws 'linear', 'log' and 'symlog'")
}

// name is matplotlib's name of the scale.
func (s AxisScale) Name() string {
	return [...]string{"linear", "log", "symlog"}[s.Kind]
}

// symlogK is symlog's linear-part factor linscale / (1 - 1/base) with linscale 1, base 10.
const symlogK = 1 / (1 - 1.0/10)

// fwd is the render coordinate of v (NaN where the scale has none: v <= 0 on a log axis).
func (s AxisScale) fwd(v float64) float64 {
	switch s.Kind {
	case LogScale:
		if v <= 0 {
			return math.NaN()
		}
		return math.Log10(v)
	case symlogScale:
		a := math.Abs(v)
		if a <= s.linthresh {
			return v * symlogK
		}
		return math.Copysign(s.linthresh*(symlogK+math.Log10(a/s.linthresh)), v)
	}
	return v
}

// inv is the data value at render coordinate u.
func (s AxisScale) inv(u float64) float64 {
	switch s.Kind {
	case LogScale:
		return math.Pow(10, u)
	case symlogScale:
		a := math.Abs(u)
		if a <= s.linthresh*symlogK {
			return u / symlogK
		}
		return math.Copysign(s.linthresh*math.Pow(10, a/s.linthresh-symlogK), u)
	}
	return u
}

// coords maps data points to render coordinates: each axis through its scale, and
// negated when it runs backwards (gonum's axes only increase).
type Coords struct {
	xs, ys       AxisScale
	flipX, flipY bool
}

// x is the render coordinate of data x.
func (c Coords) x(v float64) float64 {
	v = c.xs.fwd(v)
	if c.flipX {
		return -v
	}
	return v
}

// y is the render coordinate of data y.
func (c Coords) y(v float64) float64 {
	v = c.ys.fwd(v)
	if c.flipY {
		return -v
	}
	return v
}

// xy is the render point of data (x, y).
func (c Coords) xy(x, y float64) plotter.XY { return plotter.XY{X: c.x(x), Y: c.y(y)} }

// invX is the data x at render coordinate u.
func (c Coords) InvX(u float64) float64 {
	if c.flipX {
		u = -u
	}
	return c.xs.inv(u)
}

// invY is the data y at render coordinate u.
func (c Coords) InvY(u float64) float64 {
	if c.flipY {
		u = -u
	}
	return c.ys.inv(u)
}

// logTicker labels a log axis at the decades ($10^{k}$, as matplotlib's
// LogFormatterSciNotation) with unlabelled minor ticks at 2..9 × 10^k; across less than
// two decades it labels round values instead. The axis holds log10 values (negated
// when the axis runs backwards).
type logTicker struct {
	numticks int // at most this many labelled decades (0: 9), as LogLocator's numticks
	negate   bool
	rec      *tickRecorder
}

// Ticks implements plot.Ticker.
func (t logTicker) Ticks(lo, hi float64) []gplot.Tick {
	sign := 1.0
	if t.negate {
		lo, hi, sign = -hi, -lo, -1
	}
	var ts []gplot.Tick
	k0, k1 := math.Ceil(lo-1e-9), math.Floor(hi+1e-9)
	if k1-k0 >= 1 {
		// matplotlib 3.6's LogLocator labels every stride-th decade, counted from
		// floor(lo) - stride.
		numticks := t.numticks
		if numticks < 2 {
			numticks = 9
		}
		stride := int(k1-k0+1)/numticks + 1
		first := math.Floor(lo) - float64(stride)
		for k := math.Floor(lo); k <= k1; k++ {
			if k >= k0 && int(k-first)%stride == 0 {
				ts = append(ts, gplot.Tick{Value: sign * k, Label: powerOfTen(int(k))})
			}
			if stride == 1 && k1-k0 < 8 {
				for m := 2.0; m < 10; m++ {
					if u := k + math.Log10(m); u >= lo && u <= hi {
						ts = append(ts, gplot.Tick{Value: sign * u})
					}
				}
			}
		}
		return t.rec.record(ts)
	}
	vals, step := niceTicks(math.Pow(10, lo), math.Pow(10, hi), 5)
	labels := formatTicks(vals, step)
	for i, v := range vals {
		if v > 0 {
			ts = append(ts, gplot.Tick{Value: sign * math.Log10(v), Label: labels[i]})
		}
	}
	return t.rec.record(ts)
}

// symlogTicker labels a symlog axis at 0 and ±10^k, as matplotlib's SymmetricalLogLocator.
type symlogTicker struct {
	s      AxisScale
	negate bool
	rec    *tickRecorder
}

// Ticks implements plot.Ticker.
func (t symlogTicker) Ticks(lo, hi float64) []gplot.Tick {
	sign := 1.0
	if t.negate {
		lo, hi, sign = -hi, -lo, -1
	}
	vlo, vhi := t.s.inv(lo), t.s.inv(hi)
	var vals []float64
	top := math.Max(math.Abs(vlo), math.Abs(vhi))
	for k := math.Floor(math.Log10(t.s.linthresh)); math.Pow(10, k) <= top*(1+1e-9); k++ {
		p := math.Pow(10, k)
		vals = append(vals, -p, p)
	}
	vals = append(vals, 0)
	var ts []gplot.Tick
	for _, v := range sortedFloats(vals) {
		if v >= vlo*(1+1e-9)-1e-300 && v <= vhi*(1+1e-9)+1e-300 || v == 0 && vlo <= 0 && vhi >= 0 {
			label := "0"
			if v != 0 {
				label = powerOfTen(int(math.Round(math.Log10(math.Abs(v)))))
				if v < 0 {
					label = "−" + label
				}
			}
			ts = append(ts, gplot.Tick{Value: sign * t.s.fwd(v), Label: label})
		}
	}
	return t.rec.record(ts)
}

func sortedFloats(v []float64) []float64 {
	out := append([]float64(nil), v...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// span is a data range along one axis with the sticky edges matplotlib's autoscaling
// does not pad past (an image's extent, a bar's baseline).
type span struct {
	lo, hi float64
	sticky []float64
}

func emptySpan() span { return span{lo: math.Inf(1), hi: math.Inf(-1)} }

func (s *span) add(v float64) {
	if IsFinite(v) {
		s.lo, s.hi = math.Min(s.lo, v), math.Max(s.hi, v)
	}
}

func (s span) empty() bool { return s.lo > s.hi }

// autoscale is matplotlib's autoscale_view for one axis: the data span padded by 5% on
// each side in the scale's coordinates, never past a sticky edge at or beyond the data,
// and widened around a single value (as nonsingular). Values the scale cannot show
// (non-positive on a log axis) are left out by the callers' fwd.
func autoscale(s span, sc AxisScale) (float64, float64, bool) {
	if s.empty() {
		return 0, 1, false
	}
	lo, hi := sc.fwd(s.lo), sc.fwd(s.hi)
	if !IsFinite(lo) || !IsFinite(hi) {
		return 0, 1, false
	}
	if lo == hi {
		if sc.Kind == LogScale {
			return sc.inv(lo - 1), sc.inv(hi + 1), true
		}
		d := math.Max(math.Abs(s.lo)*0.1, 1)
		return s.lo - d/2, s.hi + d/2, true
	}
	d := hi - lo
	x0, x1 := sc.inv(lo-0.05*d), sc.inv(hi+0.05*d)
	lowBound, highBound := math.Inf(-1), math.Inf(1)
	tol := 1e-9 * math.Max(1, math.Abs(s.hi-s.lo))
	for _, st := range s.sticky {
		if st <= s.lo+tol {
			lowBound = math.Max(lowBound, st)
		}
		if st >= s.hi-tol {
			highBound = math.Min(highBound, st)
		}
	}
	return math.Max(x0, lowBound), math.Min(x1, highBound), true
}

// powerOfTen is 10^k written with superscript digits ("10⁻²"), as matplotlib's
// LogFormatterSciNotation shows a decade.
func powerOfTen(k int) string {
	sup := []rune("⁰¹²³⁴⁵⁶⁷⁸⁹")
	out := "10"
	if k < 0 {
		out += "⁻"
		k = -k
	}
	for _, d := range strconv.Itoa(k) {
		out += string(sup[d-'0'])
	}
	return out
}
