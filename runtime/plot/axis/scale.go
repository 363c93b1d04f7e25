package axis

import (
	"math"
	"strconv"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"gokist/obj"
	"gokist/pyfmt"
)

// ScaleKind is an axis scale: matplotlib's "linear", "log" or "symlog".
type ScaleKind int

const (
	LinearScale ScaleKind = iota
	LogScale
	SymlogScale
)

// Scale maps data values onto the axis' linear render coordinate: log10 for "log";
// for "symlog" linear within ±linthresh and logarithmic beyond, as matplotlib's
// SymmetricalLogTransform with base 10 and linscale 1.
type Scale struct {
	Kind      ScaleKind
	linthresh float64
}

// ParseScale reads set_xscale/set_yscale's value.
func ParseScale(fn, name string, linthresh float64) (Scale, error) {
	switch name {
	case "linear":
		return Scale{}, nil
	case "log":
		return Scale{Kind: LogScale}, nil
	case "symlog":
		if !(linthresh > 0) || math.IsInf(linthresh, 0) {
			return Scale{}, obj.Errorf(obj.ValueError, "'linthresh' must be positive")
		}
		return Scale{Kind: SymlogScale, linthresh: linthresh}, nil
	}
	return Scale{}, obj.Errorf(obj.ValueError, "%s is not a valid value for scale; supported values are 'linear', 'log', 'symlog', 'asinh', 'logit', 'function', 'functionlog'", pyfmt.Quote(name)).
		WithHint("gokist draws 'linear', 'log' and 'symlog'")
}

// Name is matplotlib's name of the scale.
func (s Scale) Name() string {
	return [...]string{"linear", "log", "symlog"}[s.Kind]
}

// symlogK is symlog's linear-part factor linscale / (1 - 1/base) with linscale 1, base 10.
const symlogK = 1 / (1 - 1.0/10)

// Fwd is the render coordinate of v (NaN where the scale has none: v <= 0 on a log axis).
func (s Scale) Fwd(v float64) float64 {
	switch s.Kind {
	case LogScale:
		if v <= 0 {
			return math.NaN()
		}
		return math.Log10(v)
	case SymlogScale:
		a := math.Abs(v)
		if a <= s.linthresh {
			return v * symlogK
		}
		return math.Copysign(s.linthresh*(symlogK+math.Log10(a/s.linthresh)), v)
	}
	return v
}

// inv is the data value at render coordinate u.
func (s Scale) inv(u float64) float64 {
	switch s.Kind {
	case LogScale:
		return math.Pow(10, u)
	case SymlogScale:
		a := math.Abs(u)
		if a <= s.linthresh*symlogK {
			return u / symlogK
		}
		return math.Copysign(s.linthresh*math.Pow(10, a/s.linthresh-symlogK), u)
	}
	return u
}

// Coords maps data points to render coordinates: each axis through its scale, and
// negated when it runs backwards (gonum's axes only increase).
type Coords struct {
	Xs, Ys       Scale
	FlipX, FlipY bool
}

// X is the render coordinate of data x.
func (c Coords) X(v float64) float64 {
	v = c.Xs.Fwd(v)
	if c.FlipX {
		return -v
	}
	return v
}

// Y is the render coordinate of data y.
func (c Coords) Y(v float64) float64 {
	v = c.Ys.Fwd(v)
	if c.FlipY {
		return -v
	}
	return v
}

// XY is the render point of data (x, y).
func (c Coords) XY(x, y float64) plotter.XY { return plotter.XY{X: c.X(x), Y: c.Y(y)} }

// InvX is the data x at render coordinate u.
func (c Coords) InvX(u float64) float64 {
	if c.FlipX {
		u = -u
	}
	return c.Xs.inv(u)
}

// InvY is the data y at render coordinate u.
func (c Coords) InvY(u float64) float64 {
	if c.FlipY {
		u = -u
	}
	return c.Ys.inv(u)
}

// LogTicker labels a log axis at the decades ($10^{k}$, as matplotlib's
// LogFormatterSciNotation) with unlabelled minor ticks at 2..9 × 10^k; across less than
// two decades it labels round values instead. The axis holds log10 values (negated
// when the axis runs backwards).
type LogTicker struct {
	NumTicks int // at most this many labelled decades (0: 9), as LogLocator's numticks
	Negate   bool
	Rec      *TickRecorder
}

// Ticks implements plot.Ticker.
func (t LogTicker) Ticks(lo, hi float64) []gplot.Tick {
	sign := 1.0
	if t.Negate {
		lo, hi, sign = -hi, -lo, -1
	}
	var ts []gplot.Tick
	k0, k1 := math.Ceil(lo-1e-9), math.Floor(hi+1e-9)
	if k1-k0 >= 1 {
		// matplotlib 3.6's LogLocator labels every stride-th decade, counted from
		// floor(lo) - stride.
		numticks := t.NumTicks
		if numticks < 2 {
			numticks = 9
		}
		stride := int(k1-k0+1)/numticks + 1
		first := math.Floor(lo) - float64(stride)
		for k := math.Floor(lo); k <= k1; k++ {
			if k >= k0 && int(k-first)%stride == 0 {
				ts = append(ts, gplot.Tick{Value: sign * k, Label: PowerOfTen(int(k))})
			}
			if stride == 1 && k1-k0 < 8 {
				for m := 2.0; m < 10; m++ {
					if u := k + math.Log10(m); u >= lo && u <= hi {
						ts = append(ts, gplot.Tick{Value: sign * u})
					}
				}
			}
		}
		return t.Rec.Record(ts)
	}
	vals, step := NiceTicks(math.Pow(10, lo), math.Pow(10, hi), 5)
	labels := FormatTicks(vals, step)
	for i, v := range vals {
		if v > 0 {
			ts = append(ts, gplot.Tick{Value: sign * math.Log10(v), Label: labels[i]})
		}
	}
	return t.Rec.Record(ts)
}

// SymlogTicker labels a symlog axis at 0 and ±10^k, as matplotlib's SymmetricalLogLocator.
type SymlogTicker struct {
	Scale  Scale
	Negate bool
	Rec    *TickRecorder
}

// Ticks implements plot.Ticker.
func (t SymlogTicker) Ticks(lo, hi float64) []gplot.Tick {
	sign := 1.0
	if t.Negate {
		lo, hi, sign = -hi, -lo, -1
	}
	vlo, vhi := t.Scale.inv(lo), t.Scale.inv(hi)
	var vals []float64
	top := math.Max(math.Abs(vlo), math.Abs(vhi))
	for k := math.Floor(math.Log10(t.Scale.linthresh)); math.Pow(10, k) <= top*(1+1e-9); k++ {
		p := math.Pow(10, k)
		vals = append(vals, -p, p)
	}
	vals = append(vals, 0)
	var ts []gplot.Tick
	for _, v := range sortedFloats(vals) {
		if v >= vlo*(1+1e-9)-1e-300 && v <= vhi*(1+1e-9)+1e-300 || v == 0 && vlo <= 0 && vhi >= 0 {
			label := "0"
			if v != 0 {
				label = PowerOfTen(int(math.Round(math.Log10(math.Abs(v)))))
				if v < 0 {
					label = "−" + label
				}
			}
			ts = append(ts, gplot.Tick{Value: sign * t.Scale.Fwd(v), Label: label})
		}
	}
	return t.Rec.Record(ts)
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

// Span is a data range along one axis with the sticky edges matplotlib's autoscaling
// does not pad past (an image's extent, a bar's baseline).
type Span struct {
	Lo, Hi float64
	Sticky []float64
}

func EmptySpan() Span { return Span{Lo: math.Inf(1), Hi: math.Inf(-1)} }

func (s *Span) Add(v float64) {
	if finite(v) {
		s.Lo, s.Hi = math.Min(s.Lo, v), math.Max(s.Hi, v)
	}
}

func (s Span) Empty() bool { return s.Lo > s.Hi }

// Autoscale is matplotlib's autoscale_view for one axis: the data span padded by 5% on
// each side in the scale's coordinates, never past a sticky edge at or beyond the data,
// and widened around a single value (as nonsingular). Values the scale cannot show
// (non-positive on a log axis) are left out by the callers' fwd.
func Autoscale(s Span, sc Scale) (float64, float64, bool) {
	if s.Empty() {
		return 0, 1, false
	}
	lo, hi := sc.Fwd(s.Lo), sc.Fwd(s.Hi)
	if !finite(lo) || !finite(hi) {
		return 0, 1, false
	}
	if lo == hi {
		if sc.Kind == LogScale {
			return sc.inv(lo - 1), sc.inv(hi + 1), true
		}
		d := math.Max(math.Abs(s.Lo)*0.1, 1)
		return s.Lo - d/2, s.Hi + d/2, true
	}
	d := hi - lo
	x0, x1 := sc.inv(lo-0.05*d), sc.inv(hi+0.05*d)
	lowBound, highBound := math.Inf(-1), math.Inf(1)
	tol := 1e-9 * math.Max(1, math.Abs(s.Hi-s.Lo))
	for _, st := range s.Sticky {
		if st <= s.Lo+tol {
			lowBound = math.Max(lowBound, st)
		}
		if st >= s.Hi-tol {
			highBound = math.Min(highBound, st)
		}
	}
	return math.Max(x0, lowBound), math.Min(x1, highBound), true
}

// PowerOfTen is 10^k written with superscript digits ("10⁻²"), as matplotlib's
// LogFormatterSciNotation shows a decade.
func PowerOfTen(k int) string {
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

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
