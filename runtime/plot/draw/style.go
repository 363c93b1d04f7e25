package draw

import (
	"fmt"
	"strconv"
	"strings"

	"gokist/obj"
	"gokist/pyfmt"
)

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
