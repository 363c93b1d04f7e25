package wcs

// This file holds APE 14's array-index forms of the high-level API: array_index_to_world
// and world_to_array_index, the pixel forms with the axes in array (numpy) order.

import (
	"math"

	"gokist/obj"
)

// ArrayIndexToWorld is PixelToWorld of an index given in array order.
func (w *WCS) ArrayIndexToWorld(index ...float64) (obj.Tuple, error) {
	pixel := make([]float64, len(index))
	for i, v := range index {
		pixel[len(index)-1-i] = v
	}
	return w.PixelToWorld(pixel...)
}

// WorldToArrayIndex is WorldToPixel in array order, each position rounded to the nearest
// pixel as astropy does (floor(p + 0.5), so halves go up); a position that is not
// finite is an error naming its axis.
func (w *WCS) WorldToArrayIndex(world ...any) ([]int, error) {
	pix, err := w.WorldToPixel(world...)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(pix))
	for i, v := range pix {
		f := v.(float64)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, obj.Errorf(obj.ValueError, "world_to_array_index(): pixel axis %d (%s) has no position for these world values", i, w.PixelAxisNames()[i])
		}
		out[len(pix)-1-i] = int(math.Floor(f + 0.5))
	}
	return out, nil
}
