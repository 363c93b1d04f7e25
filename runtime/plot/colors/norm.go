package colors

import (
	"fmt"
	"math"

	"gokist/obj"
	"gokist/pyfmt"
)

// NormKind is which of matplotlib.colors' normalisations a Norm is.
type NormKind int

// The norms of matplotlib.colors that gokist draws with.
const (
	LinearNorm   NormKind = iota // Normalize: (v - vmin) / (vmax - vmin)
	LogNorm                      // LogNorm: the same on log10(v); v <= 0 is masked
	CenteredNorm                 // CenteredNorm: vcenter ± halfrange onto [0, 1]
	TwoSlopeNorm                 // TwoSlopeNorm: [vmin, vcenter, vmax] onto [0, 0.5, 1]
)

var NormClassNames = map[NormKind]string{LinearNorm: "Normalize", LogNorm: "LogNorm", CenteredNorm: "CenteredNorm", TwoSlopeNorm: "TwoSlopeNorm"}

// Norm is a matplotlib.colors norm as a cell makes it (Normalize(vmin, vmax),
// LogNorm(...), CenteredNorm(vcenter, halfrange), TwoSlopeNorm(vcenter, vmin, vmax)):
// limits left out (nil) are taken from the data of the image drawn with it.
type Norm struct {
	Kind       NormKind
	Vmin, Vmax *float64
	Vcenter    float64
	Halfrange  *float64
	Clip       bool
}

// Type implements obj.Object.
func (n *Norm) Type() *obj.Type { return normType }

// String is matplotlib's default object repr, naming the class.
func (n *Norm) String() string {
	return fmt.Sprintf("<matplotlib.colors.%s object>", NormClassNames[n.Kind])
}

// MimeBundle implements obj.MimeBundler.
func (n *Norm) MimeBundle() map[string]any { return map[string]any{"text/plain": n.String()} }

var normType = &obj.Type{Name: "Normalize", Doc: "A matplotlib.colors norm: maps data values onto [0, 1] before the colour map.",
	Members: []*obj.Member{
		{Name: "vmin", Doc: "The lower limit (None until the norm has seen data).", Get: func(env *obj.Env, recv any) (any, error) { return optFloat(recv.(*Norm).Vmin), nil }},
		{Name: "vmax", Doc: "The upper limit (None until the norm has seen data).", Get: func(env *obj.Env, recv any) (any, error) { return optFloat(recv.(*Norm).Vmax), nil }},
	}}

func optFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// Scaler is a norm resolved against an image's data: every limit known.
type Scaler struct {
	Kind                NormKind
	Vmin, vcenter, Vmax float64
	clip                bool
}

func LinearScaler(vmin, vmax float64) Scaler { return Scaler{Kind: LinearNorm, Vmin: vmin, Vmax: vmax} }

// norm maps v onto [0, 1] (values beyond the limits fall outside it); NaN means masked
// (drawn transparent).
func (s Scaler) Norm(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return math.NaN()
	}
	if s.clip {
		v = math.Max(s.Vmin, math.Min(s.Vmax, v))
	}
	switch s.Kind {
	case LogNorm:
		if v <= 0 {
			return math.NaN()
		}
		lo, hi := math.Log10(s.Vmin), math.Log10(s.Vmax)
		if hi == lo {
			return 0
		}
		return (math.Log10(v) - lo) / (hi - lo)
	case TwoSlopeNorm:
		if v < s.vcenter {
			if s.vcenter == s.Vmin {
				return 0.5
			}
			return 0.5 * (v - s.Vmin) / (s.vcenter - s.Vmin)
		}
		if s.Vmax == s.vcenter {
			return 0.5
		}
		return 0.5 + 0.5*(v-s.vcenter)/(s.Vmax-s.vcenter)
	}
	if s.Vmax == s.Vmin {
		return 0
	}
	return (v - s.Vmin) / (s.Vmax - s.Vmin)
}

// inverse maps a normalised t back to a data value (for colour bar ticks).
func (s Scaler) inverse(t float64) float64 {
	switch s.Kind {
	case LogNorm:
		lo, hi := math.Log10(s.Vmin), math.Log10(s.Vmax)
		return math.Pow(10, lo+t*(hi-lo))
	case TwoSlopeNorm:
		if t < 0.5 {
			return s.Vmin + 2*t*(s.vcenter-s.Vmin)
		}
		return s.vcenter + 2*(t-0.5)*(s.Vmax-s.vcenter)
	}
	return s.Vmin + t*(s.Vmax-s.Vmin)
}

// resolveNorm fixes a norm's limits for data whose finite range is [lo, hi] (positive
// range [plo, phi] for a LogNorm), as each norm's autoscale_None does; limits given as
// vmin/vmax keywords (with no norm) make a linear norm. Limits in the wrong order are
// matplotlib's ValueErrors.
func ResolveNorm(n *Norm, vmin, vmax *float64, data []float64) (Scaler, error) {
	if n == nil {
		n = &Norm{Kind: LinearNorm, Vmin: vmin, Vmax: vmax}
	}
	lo, hi, _ := FiniteRange(data)
	pick := func(p *float64, d float64) float64 {
		if p != nil {
			return *p
		}
		return d
	}
	s := Scaler{Kind: n.Kind, clip: n.Clip}
	switch n.Kind {
	case LogNorm:
		plo, phi := positiveRange(data)
		s.Vmin, s.Vmax = pick(n.Vmin, plo), pick(n.Vmax, phi)
		if !(s.Vmin > 0) || !(s.Vmax > 0) || math.IsInf(s.Vmin, 0) {
			return s, obj.Errorf(obj.ValueError, "Invalid vmin or vmax: a LogNorm needs positive limits, got vmin=%s, vmax=%s (the data has no positive values, or a given limit is not positive)", pyfmt.Float(s.Vmin), pyfmt.Float(s.Vmax))
		}
	case CenteredNorm:
		s.Kind = LinearNorm
		h := math.Max(n.Vcenter-lo, hi-n.Vcenter)
		if n.Halfrange != nil {
			h = *n.Halfrange
		}
		s.Vmin, s.Vmax = n.Vcenter-h, n.Vcenter+h
	case TwoSlopeNorm:
		s.vcenter = n.Vcenter
		s.Vmin, s.Vmax = pick(n.Vmin, lo), pick(n.Vmax, hi)
		if n.Vmin == nil && s.Vmin > s.vcenter {
			s.Vmin = s.vcenter
		}
		if n.Vmax == nil && s.Vmax < s.vcenter {
			s.Vmax = s.vcenter
		}
		if !(s.Vmin <= s.vcenter && s.vcenter <= s.Vmax) {
			return s, obj.Errorf(obj.ValueError, "vmin, vcenter, vmax must increase monotonically, got %s, %s, %s", pyfmt.Float(s.Vmin), pyfmt.Float(s.vcenter), pyfmt.Float(s.Vmax))
		}
	default:
		s.Vmin, s.Vmax = pick(n.Vmin, lo), pick(n.Vmax, hi)
	}
	if s.Vmin > s.Vmax {
		from := func(p *float64, data string) string {
			if p != nil {
				return "given"
			}
			return data
		}
		return s, obj.Errorf(obj.ValueError, "vmin must be at most vmax (matplotlib: minvalue must be less than or equal to maxvalue), got vmin=%s (%s) and vmax=%s (%s); give vmin <= vmax",
			pyfmt.Float(s.Vmin), from(n.Vmin, "the data's minimum"), pyfmt.Float(s.Vmax), from(n.Vmax, "the data's maximum"))
	}
	return s, nil
}

// positiveRange is the smallest and largest finite positive values (NaN without any).
func positiveRange(data []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range data {
		if v > 0 && !math.IsInf(v, 0) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if math.IsInf(lo, 1) {
		return math.NaN(), math.NaN()
	}
	return lo, hi
}

// normArg reads a norm= argument: None or a matplotlib.colors norm; matplotlib 3.6 also
// takes a scale name ("log", "linear").
func NormArg(fn string, v any) (*Norm, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case *Norm:
		return x, nil
	case string:
		switch x {
		case "linear":
			return &Norm{Kind: LinearNorm}, nil
		case "log":
			return &Norm{Kind: LogNorm}, nil
		}
		return nil, obj.Errorf(obj.ValueError, "Invalid norm str name; the following values are supported: 'linear', 'log' (got %s)", pyfmt.Quote(x))
	}
	return nil, obj.Errorf(obj.ValueError, "Invalid norm str name; the following values are supported: 'linear', 'log'").
		WithHint("%s(): norm must be a matplotlib.colors norm such as LogNorm() or a name, not %s", fn, obj.TypeName(v))
}
