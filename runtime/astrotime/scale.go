package astrotime

import "fmt"

// Scale is a time scale as astropy names it.
type Scale string

// The scales gokist converts between. UT1 needs Earth-rotation tables that an offline
// kernel does not have; it is taken as UTC (see UT1Warning).
const (
	UTC Scale = "utc"
	TAI Scale = "tai"
	TT  Scale = "tt"
	UT1 Scale = "ut1"
)

// Scales lists the scales a Time may have, sorted as astropy's error messages list them.
var Scales = []Scale{TAI, TT, UT1, UTC}

// UT1Warning is what converting to or from UT1 warns (as astropy's
// IERSDegradedAccuracyWarning when its tables do not cover a time): an offline kernel
// has no Earth-rotation table, so UT1 is UTC, which can be off by up to 0.9 s.
const UT1Warning = "gokist has no IERS Earth-rotation table (offline), so UT1 is taken as UTC; accuracy is degraded by up to 0.9 s."

// ValidScale tells whether s is a scale gokist knows.
func ValidScale(s string) bool {
	for _, k := range Scales {
		if string(k) == s {
			return true
		}
	}
	return false
}

// hop is one ERFA conversion between neighbouring scales.
type hop struct {
	name string
	conv func(a, b float64) (float64, float64, Status)
}

var hops = map[[2]Scale]hop{
	{UTC, TAI}: {"utctai", utcTAI},
	{TAI, UTC}: {"taiutc", taiUTC},
	{TAI, TT}:  {"taitt", func(a, b float64) (float64, float64, Status) { x, y := taiTT(a, b); return x, y, 0 }},
	{TT, TAI}:  {"tttai", func(a, b float64) (float64, float64, Status) { x, y := ttTAI(a, b); return x, y, 0 }},
}

// path is the chain of scales astropy goes through from one scale to another (UT1
// stands for UTC).
func path(from, to Scale) []Scale {
	if from == UT1 {
		from = UTC
	}
	if to == UT1 {
		to = UTC
	}
	order := map[Scale]int{UTC: 0, TAI: 1, TT: 2}
	var out []Scale
	step := 1
	if order[to] < order[from] {
		step = -1
	}
	chain := []Scale{UTC, TAI, TT}
	for i := order[from]; ; i += step {
		out = append(out, chain[i])
		if i == order[to] {
			return out
		}
	}
}

// Convert converts times from one scale to another as astropy's _set_scale does: each
// ERFA hop on the unnormalised pair, then day_frac. It returns the ErfaWarning
// messages of the hops, or the first hop's ErfaError.
func Convert(jd1, jd2 []float64, from, to Scale) (o1, o2 []float64, warnings []string, err error) {
	if !ValidScale(string(from)) || !ValidScale(string(to)) {
		return nil, nil, nil, fmt.Errorf("unknown scale %q or %q", from, to)
	}
	o1, o2 = append([]float64(nil), jd1...), append([]float64(nil), jd2...)
	if from == to {
		return o1, o2, nil, nil
	}
	if from == UT1 || to == UT1 {
		warnings = append(warnings, UT1Warning)
	}
	w, err := applyHops(o1, o2, path(from, to))
	if err != nil {
		return nil, nil, nil, err
	}
	warnings = append(warnings, w...)
	for k := range o1 {
		o1[k], o2[k] = DayFrac(o1[k], o2[k], 0, 0)
	}
	return o1, o2, warnings, nil
}

// applyHops converts o1, o2 in place along chain, each ERFA hop on the unnormalised
// pair as astropy does, returning the hops' ErfaWarning messages or the first ErfaError.
func applyHops(o1, o2 []float64, chain []Scale) (warnings []string, err error) {
	codes := make([]Status, len(o1))
	for i := 0; i+1 < len(chain); i++ {
		h := hops[[2]Scale{chain[i], chain[i+1]}]
		for k := range o1 {
			o1[k], o2[k], codes[k] = h.conv(o1[k], o2[k])
		}
		w, err := checkStatus(h.name, codes)
		if err != nil {
			return nil, err
		}
		if w != "" {
			warnings = append(warnings, w)
		}
	}
	return warnings, nil
}
