package colors

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"
	"strings"

	"gokist/obj"
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
		x, ok := obj.Float(v)
		if !ok || x < 0 || x > 1 || math.IsNaN(x) {
			return color.NRGBA{}, obj.Errorf(obj.ValueError, "color tuple entries must be numbers in [0, 1], got %v", v)
		}
		f[i] = x
	}
	b := func(x float64) uint8 { return uint8(math.Round(x * 255)) }
	return color.NRGBA{b(f[0]), b(f[1]), b(f[2]), b(f[3])}, nil
}
