package draw

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"
	"strings"

	"gokist/obj"
	"gokist/pyfmt"
)

// ColorCycle is matplotlib's default property cycle (the "tab10" palette): the n-th line
// drawn on an axes without an explicit colour gets ColorCycle[n % 10].
var ColorCycle = []color.NRGBA{
	{0x1f, 0x77, 0xb4, 0xff}, // tab:blue
	{0xff, 0x7f, 0x0e, 0xff}, // tab:orange
	{0x2c, 0xa0, 0x2c, 0xff}, // tab:green
	{0xd6, 0x27, 0x28, 0xff}, // tab:red
	{0x94, 0x67, 0xbd, 0xff}, // tab:purple
	{0x8c, 0x56, 0x4b, 0xff}, // tab:brown
	{0xe3, 0x77, 0xc2, 0xff}, // tab:pink
	{0x7f, 0x7f, 0x7f, 0xff}, // tab:gray
	{0xbc, 0xbd, 0x22, 0xff}, // tab:olive
	{0x17, 0xbe, 0xcf, 0xff}, // tab:cyan
}

// namedColors are the colour names accepted besides hex strings, "C0".."C9" and grey
// levels: matplotlib's one-letter base colours, the tab10 names and common CSS names.
var namedColors = map[string]color.NRGBA{
	"b": {0, 0, 255, 255}, "g": {0, 128, 0, 255}, "r": {255, 0, 0, 255},
	"c": {0, 191, 191, 255}, "m": {191, 0, 191, 255}, "y": {191, 191, 0, 255},
	"k": {0, 0, 0, 255}, "w": {255, 255, 255, 255},
	"black": {0, 0, 0, 255}, "white": {255, 255, 255, 255},
	"red": {255, 0, 0, 255}, "green": {0, 128, 0, 255}, "blue": {0, 0, 255, 255},
	"cyan": {0, 255, 255, 255}, "magenta": {255, 0, 255, 255}, "yellow": {255, 255, 0, 255},
	"gray": {128, 128, 128, 255}, "grey": {128, 128, 128, 255},
	"lightgray": {211, 211, 211, 255}, "lightgrey": {211, 211, 211, 255},
	"darkgray": {169, 169, 169, 255}, "darkgrey": {169, 169, 169, 255},
	"orange": {255, 165, 0, 255}, "purple": {128, 0, 128, 255}, "brown": {165, 42, 42, 255},
	"pink": {255, 192, 203, 255}, "olive": {128, 128, 0, 255}, "navy": {0, 0, 128, 255},
	"teal": {0, 128, 128, 255}, "maroon": {128, 0, 0, 255}, "gold": {255, 215, 0, 255},
	"lime": {0, 255, 0, 255}, "indigo": {75, 0, 130, 255}, "violet": {238, 130, 238, 255},
	"darkblue": {0, 0, 139, 255}, "darkred": {139, 0, 0, 255}, "darkgreen": {0, 100, 0, 255},
	"lightblue": {173, 216, 230, 255}, "skyblue": {135, 206, 235, 255},
	"crimson": {220, 20, 60, 255}, "salmon": {250, 128, 114, 255}, "tomato": {255, 99, 71, 255},
	"steelblue": {70, 130, 180, 255}, "royalblue": {65, 105, 225, 255},
	"tab:blue": ColorCycle[0], "tab:orange": ColorCycle[1], "tab:green": ColorCycle[2],
	"tab:red": ColorCycle[3], "tab:purple": ColorCycle[4], "tab:brown": ColorCycle[5],
	"tab:pink": ColorCycle[6], "tab:gray": ColorCycle[7], "tab:grey": ColorCycle[7],
	"tab:olive": ColorCycle[8], "tab:cyan": ColorCycle[9],
}

// ParseColor reads a matplotlib colour: a name ("red", "k", "tab:orange"), "C0".."C9",
// a hex string "#rgb", "#rrggbb" or "#rrggbbaa", a grey level as a string ("0.5"), or an
// RGB(A) tuple of floats in [0, 1]. An unknown colour is a ValueError.
func ParseColor(v any) (color.NRGBA, error) {
	switch c := v.(type) {
	case string:
		return parseColorString(c)
	case obj.Tuple:
		return parseColorTuple([]any(c))
	case obj.List:
		return parseColorTuple([]any(c))
	case color.NRGBA:
		return c, nil
	}
	return color.NRGBA{}, obj.Errorf(obj.TypeError, "color must be a string or an (r, g, b) tuple, not %s", obj.TypeName(v))
}

func parseColorString(s string) (color.NRGBA, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	if c, ok := namedColors[name]; ok {
		return c, nil
	}
	if len(name) == 2 && name[0] == 'c' && name[1] >= '0' && name[1] <= '9' {
		return ColorCycle[name[1]-'0'], nil
	}
	if strings.HasPrefix(name, "#") {
		hex := name[1:]
		if len(hex) == 3 {
			hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
		}
		if len(hex) == 6 {
			hex += "ff"
		}
		if len(hex) == 8 {
			if n, err := strconv.ParseUint(hex, 16, 32); err == nil {
				return color.NRGBA{uint8(n >> 24), uint8(n >> 16), uint8(n >> 8), uint8(n)}, nil
			}
		}
	}
	if f, err := strconv.ParseFloat(name, 64); err == nil && f >= 0 && f <= 1 {
		g := uint8(math.Round(f * 255))
		return color.NRGBA{g, g, g, 255}, nil
	}
	names := make([]string, 0, len(namedColors))
	for n := range namedColors {
		if len(n) > 1 {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	e := obj.Errorf(obj.ValueError, "%q is not a valid color value; use a name (%s), 'C0'..'C9', a hex string such as '#1f77b4', a grey level such as '0.5', or an (r, g, b) tuple", s, strings.Join(names, ", "))
	if best := obj.Closest(name, names); best != "" {
		e.Hint = fmt.Sprintf("did you mean '%s'?", best)
	}
	return color.NRGBA{}, e
}

func parseColorTuple(t []any) (color.NRGBA, error) {
	if len(t) != 3 && len(t) != 4 {
		return color.NRGBA{}, obj.Errorf(obj.ValueError, "a color tuple has 3 or 4 numbers in [0, 1], got %d values", len(t))
	}
	var f [4]float64
	f[3] = 1
	for i, v := range t {
		x, ok := ToFloat(v)
		if !ok || x < 0 || x > 1 || math.IsNaN(x) {
			return color.NRGBA{}, obj.Errorf(obj.ValueError, "color tuple entries must be numbers in [0, 1], got %v", v)
		}
		f[i] = x
	}
	b := func(x float64) uint8 { return uint8(math.Round(x * 255)) }
	return color.NRGBA{b(f[0]), b(f[1]), b(f[2]), b(f[3])}, nil
}

// toFloat converts a numeric boundary value (int, float64, bool) to float64.
func ToFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int64:
		return float64(x), true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// DashKind is a line style: solid, dashed, dash-dot, dotted or none.
type DashKind int

// The line styles matplotlib knows by name.
const (
	Solid DashKind = iota
	Dashed
	DashDot
	Dotted
	NoLine
)

// lineStyleNames maps every accepted spelling to its style, in the order shown in errors.
var lineStyleNames = []struct {
	name string
	kind DashKind
}{
	{"-", Solid}, {"solid", Solid}, {"--", Dashed}, {"dashed", Dashed},
	{"-.", DashDot}, {"dashdot", DashDot}, {":", Dotted}, {"dotted", Dotted},
	{"None", NoLine}, {"none", NoLine}, {" ", NoLine}, {"", NoLine},
}

// ParseLineStyle reads a matplotlib line style name or short form; an unknown one is a
// ValueError that lists the valid ones.
func ParseLineStyle(s string) (DashKind, error) {
	for _, n := range lineStyleNames {
		if n.name == s {
			return n.kind, nil
		}
	}
	return 0, obj.Errorf(obj.ValueError, "%q is not a valid line style; valid line styles are '-', '--', '-.', ':', 'solid', 'dashed', 'dashdot', 'dotted', 'None'", s)
}

// dashes gives the dash pattern of a style for a line of width w, as matplotlib scales
// its patterns (in units of the line width).
func (k DashKind) dashes(w float64) []float64 {
	var p []float64
	switch k {
	case Dashed:
		p = []float64{3.7, 1.6}
	case DashDot:
		p = []float64{6.4, 1.6, 1, 1.6}
	case Dotted:
		p = []float64{1, 1.65}
	default:
		return nil
	}
	for i := range p {
		p[i] *= w
	}
	return p
}

// markerNames are the marker codes accepted, in the order shown in errors.
const markerNames = ". , o v ^ < > s D d + x * None"

// validMarker reports whether m is a supported marker code ("" and "None" mean none).
func validMarker(m string) bool {
	if m == "" || m == "None" || m == "none" {
		return true
	}
	return len(m) == 1 && strings.Contains(markerNames, m) && m != " "
}

// CheckMarker returns a ValueError listing the valid markers when m is unknown.
func CheckMarker(m string) error {
	if validMarker(m) {
		return nil
	}
	return obj.Errorf(obj.ValueError, "%q is not a valid marker; valid markers are %s", m, strings.Join(strings.Fields(markerNames), " "))
}

// FormatSpec is a parsed matplotlib format string such as "r--" or "o:k".
type FormatSpec struct {
	Color     string // "" when the string names no colour
	LineStyle string // "" when the string names no line style
	Marker    string // "" when the string names no marker
}

// ParseFormat reads a matplotlib fmt string: optional marker, line style and colour in any
// order ("r--", "o-", "k:", "C1.-"). When a marker is given without a line style, no line
// is drawn, as in matplotlib.
func ParseFormat(f string) (FormatSpec, error) {
	var spec FormatSpec
	bad := func(why string) (FormatSpec, error) {
		return FormatSpec{}, obj.Errorf(obj.ValueError, "%q is not a valid format string (%s); it combines a colour letter (b g r c m y k w, or C0..C9), a line style (- -- -. :) and a marker (%s)", f, why, markerNames)
	}
	for i := 0; i < len(f); {
		rest := f[i:]
		switch {
		case strings.HasPrefix(rest, "--") || strings.HasPrefix(rest, "-."):
			if spec.LineStyle != "" {
				return bad("two line styles")
			}
			spec.LineStyle, i = rest[:2], i+2
		case rest[0] == '-' || rest[0] == ':':
			if spec.LineStyle != "" {
				return bad("two line styles")
			}
			spec.LineStyle, i = rest[:1], i+1
		case rest[0] == 'C' && len(rest) > 1 && rest[1] >= '0' && rest[1] <= '9':
			if spec.Color != "" {
				return bad("two colours")
			}
			spec.Color, i = rest[:2], i+2
		case strings.ContainsRune("bgrcmykw", rune(rest[0])):
			if spec.Color != "" {
				return bad("two colours")
			}
			spec.Color, i = rest[:1], i+1
		case rest[0] != ' ' && strings.ContainsRune(markerNames, rune(rest[0])) && rest[0] != 'N':
			if spec.Marker != "" {
				return bad("two markers")
			}
			spec.Marker, i = rest[:1], i+1
		default:
			return bad(fmt.Sprintf("unrecognised character %q", rest[0]))
		}
	}
	if spec.Marker != "" && spec.LineStyle == "" {
		spec.LineStyle = "None"
	}
	return spec, nil
}

// pyStr is Python's str() of a value pyStrOK knows, else Go's formatting.
func PyStr(v any) string {
	if s, ok := PyStrOK(v); ok {
		return s
	}
	return fmt.Sprint(v)
}

// pyStrOK is Python's str() of strings, numbers, booleans, None and lists and tuples of
// them; ok is false for other values.
func PyStrOK(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "None", true
	case string:
		return x, true
	case bool:
		if x {
			return "True", true
		}
		return "False", true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		return pyfmt.Float(x), true
	case float32:
		return pyfmt.Float(float64(x)), true
	case obj.List, obj.Tuple:
		var items []any
		open, close := "[", "]"
		if t, isTuple := x.(obj.Tuple); isTuple {
			items, open, close = t, "(", ")"
			if len(t) == 1 {
				close = ",)"
			}
		} else {
			items = x.(obj.List)
		}
		parts := make([]string, len(items))
		for i, it := range items {
			s, ok := PyStrOK(it)
			if !ok {
				return "", false
			}
			if _, isStr := it.(string); isStr {
				s = PyQuote(s)
			}
			parts[i] = s
		}
		return open + strings.Join(parts, ", ") + close, true
	}
	return "", false
}
