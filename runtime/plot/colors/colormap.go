package colors

import (
	"encoding/hex"
	"image"
	"math"
	"sort"
	"strings"
	"sync"

	"gokist/obj"
	"gokist/pyfmt"
)

// Colormap is a lookup table of N opaque RGB entries (cmap.N in matplotlib: 256 for the
// continuous maps, 8 to 20 for the qualitative ones, 510 for twilight): a normalised
// value t in [0, 1] takes entry int(t·N), clipped to the ends, as matplotlib's
// Colormap.__call__ does.
type Colormap struct {
	Name string
	LUT  [][3]uint8
}

// colormapTable is one generated colour map (colormaps_gen.go): its name, its number of
// entries and the entries as hex RGB.
type colormapTable struct {
	name string
	n    int
	hex  string
}

var (
	colormapsOnce   sync.Once
	colormapByName  map[string]*colormapTable
	colormapsSorted []string // the names as matplotlib's error lists them
)

func indexColormaps() {
	colormapByName = make(map[string]*colormapTable, len(colormapTables))
	for i := range colormapTables {
		t := &colormapTables[i]
		colormapByName[t.name] = t
		colormapsSorted = append(colormapsSorted, t.name)
	}
	sort.Strings(colormapsSorted)
}

// ColormapNames lists every colour map name in the order plt.colormaps() gives them
// (matplotlib's registration order, the reversed "_r" maps after the others).
func ColormapNames() []string {
	names := make([]string, len(colormapTables))
	for i, t := range colormapTables {
		names[i] = t.name
	}
	return names
}

// LookupColormap returns the colour map called name: any of matplotlib 3.6's, reversed
// ones with "_r"; "" means viridis, matplotlib's default. An unknown name is
// matplotlib's ValueError, listing the valid names.
func LookupColormap(name string) (*Colormap, error) {
	colormapsOnce.Do(indexColormaps)
	if name == "" {
		name = "viridis"
	}
	t, ok := colormapByName[name]
	if !ok {
		quoted := make([]string, len(colormapsSorted))
		for i, n := range colormapsSorted {
			quoted[i] = "'" + n + "'"
		}
		e := obj.Errorf(obj.ValueError, "%s is not a valid value for cmap; supported values are %s", pyfmt.Quote(name), strings.Join(quoted, ", "))
		if best := obj.Closest(name, colormapsSorted); best != "" {
			e.Hint = "did you mean '" + best + "'?"
		}
		return nil, e
	}
	raw, err := hex.DecodeString(t.hex)
	if err != nil || len(raw) != 3*t.n {
		return nil, obj.Errorf(obj.RuntimeError, "colour map %s: corrupt generated table", name)
	}
	lut := make([][3]uint8, t.n)
	for i := range lut {
		lut[i] = [3]uint8{raw[3*i], raw[3*i+1], raw[3*i+2]}
	}
	return &Colormap{Name: name, LUT: lut}, nil
}

// IsColormap reports whether name is a known colour map.
func IsColormap(name string) bool {
	colormapsOnce.Do(indexColormaps)
	_, ok := colormapByName[name]
	return ok
}

// index maps a normalised value to its LUT entry as matplotlib does: int(t·N), values
// below 0 taking the first entry (the "under" colour) and from 1 up the last ("over").
func (cm *Colormap) Index(t float64) int {
	n := len(cm.LUT)
	if !(t > 0) {
		return 0
	}
	i := int(t * float64(n))
	if i >= n {
		return n - 1
	}
	return i
}

// Colorize colours rows×cols row-major data (row 0 first) into an RGBA image through the
// map with a linear scaling of [vmin, vmax], with data row 0 at the image's bottom when
// originLower (so that it is drawn at the bottom of the axes) and at the top otherwise.
// NaN and ±Inf become transparent.
func (cm *Colormap) Colorize(data []float64, rows, cols int, vmin, vmax float64, originLower bool) *image.RGBA {
	return cm.ColorizeNorm(data, rows, cols, LinearScaler(vmin, vmax), originLower)
}

// colorizeNorm is Colorize through a resolved norm; values the norm masks (NaN, ±Inf,
// and non-positive values under a LogNorm) are transparent.
func (cm *Colormap) ColorizeNorm(data []float64, rows, cols int, sc Scaler, originLower bool) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, cols, rows))
	for r := 0; r < rows; r++ {
		ir := r
		if originLower {
			ir = rows - 1 - r
		}
		src := data[r*cols : (r+1)*cols]
		dst := img.Pix[ir*img.Stride : ir*img.Stride+4*cols]
		for c, v := range src {
			t := sc.Norm(v)
			if math.IsNaN(t) {
				continue // zero RGBA is transparent
			}
			e := cm.LUT[cm.Index(t)]
			d := dst[4*c : 4*c+4 : 4*c+4]
			d[0], d[1], d[2], d[3] = e[0], e[1], e[2], 255
		}
	}
	return img
}

// finiteRange returns the smallest and largest finite values, and false when there are
// none.
func FiniteRange(data []float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range data {
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	if math.IsInf(lo, 1) || math.IsInf(lo, -1) || math.IsInf(hi, 1) || math.IsInf(hi, -1) {
		// Recompute skipping infinities; rare, so the slow path is fine.
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, v := range data {
			if math.IsInf(v, 0) || math.IsNaN(v) {
				continue
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if math.IsInf(lo, 0) || math.IsNaN(lo) {
			return 0, 0, false
		}
	}
	return lo, hi, lo <= hi
}
