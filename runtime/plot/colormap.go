package plot

import (
	"image"
	"math"
	"strings"

	"gokist/obj"
)

// Colormap is a 256-entry lookup table from normalised data (0 → first entry, 1 → last)
// to opaque RGB.
type Colormap struct {
	Name string
	LUT  [256][3]uint8
}

// colormapNames lists the supported colour maps in the order shown in errors.
var colormapNames = []string{"gray", "viridis", "inferno", "magma", "gray_r", "viridis_r", "inferno_r", "magma_r"}

// LookupColormap returns the colour map called name (gray, viridis, inferno, magma, each
// also reversed with an "_r" suffix; "grey" is accepted for "gray"); "" means viridis,
// matplotlib's default. An unknown name is a ValueError that lists the valid ones.
func LookupColormap(name string) (*Colormap, error) {
	base, reversed := strings.CutSuffix(name, "_r")
	var lut [256][3]uint8
	switch base {
	case "", "viridis":
		lut = viridisLUT
	case "inferno":
		lut = infernoLUT
	case "magma":
		lut = magmaLUT
	case "gray", "grey", "Greys_r":
		for i := range lut {
			lut[i] = [3]uint8{uint8(i), uint8(i), uint8(i)}
		}
	default:
		e := obj.Errorf(obj.ValueError, "%q is not a valid colormap name; supported values are %s", name, strings.Join(colormapNames, ", "))
		if best := obj.Closest(name, colormapNames); best != "" {
			e.Hint = "did you mean '" + best + "'?"
		}
		return nil, e
	}
	if reversed {
		for i, j := 0, 255; i < j; i, j = i+1, j-1 {
			lut[i], lut[j] = lut[j], lut[i]
		}
	}
	if name == "" {
		name = "viridis"
	}
	return &Colormap{Name: name, LUT: lut}, nil
}

// lutIndex maps a value to its LUT entry the way matplotlib's Normalize + Colormap do:
// (v-vmin)/(vmax-vmin) scaled to 256 bins, clipped to the ends.
func lutIndex(v, vmin, scale float64) uint8 {
	t := (v - vmin) * scale
	switch {
	case t <= 0 || t != t:
		return 0
	case t >= 255:
		return 255
	}
	return uint8(t)
}

// Colorize colours rows×cols row-major data (row 0 first) into an RGBA image through the
// map, with data row 0 at the image's bottom when originLower (so that it is drawn at the
// bottom of the axes) and at the top otherwise. NaN and ±Inf become transparent.
func (cm *Colormap) Colorize(data []float64, rows, cols int, vmin, vmax float64, originLower bool) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, cols, rows))
	scale := 0.0
	if vmax > vmin {
		scale = 256 / (vmax - vmin)
	}
	for r := 0; r < rows; r++ {
		ir := r
		if originLower {
			ir = rows - 1 - r
		}
		src := data[r*cols : (r+1)*cols]
		dst := img.Pix[ir*img.Stride : ir*img.Stride+4*cols]
		for c, v := range src {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue // zero RGBA is transparent
			}
			e := cm.LUT[lutIndex(v, vmin, scale)]
			d := dst[4*c : 4*c+4 : 4*c+4]
			d[0], d[1], d[2], d[3] = e[0], e[1], e[2], 255
		}
	}
	return img
}

// finiteRange returns the smallest and largest finite values, and false when there are
// none.
func finiteRange(data []float64) (lo, hi float64, ok bool) {
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
