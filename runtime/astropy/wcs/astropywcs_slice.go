package wcs

// WCS.__getitem__ with slices: astropy's WCS.slice, numpy order — each slice moves
// CRPIX by its start, a step scales CDELT and places CRPIX at the new pixel centres, and
// NAXIS becomes the slice's length. An integer (dropping an axis) makes astropy's
// SlicedFITSWCS (astropywcs_sliced.go).

import (
	"fmt"

	"gokist/obj"
)

// GetItem is wcs[view].
func (w *HeaderWCS) GetItem(_ *obj.Env, key any) (any, error) {
	view, ok := key.(obj.Tuple)
	if !ok {
		view = obj.Tuple{key}
	}
	n := w.fw.NAxis
	if expanded, had := expandEllipsis(view, n); had {
		return w.newSliced(expanded) // astropy: anything but slices makes a SlicedFITSWCS
	}
	if len(view) > n {
		return nil, obj.Errorf(obj.ValueError, "Must have # of slices <= # of WCS axes")
	}
	for _, v := range view {
		if _, ok := v.(obj.Slice); !ok {
			return w.newSliced(view) // an index drops an axis: astropy's SlicedFITSWCS
		}
	}
	axes := make([]int, n)
	for i := range axes {
		axes[i] = i
	}
	h := w.subHeader(axes)
	for i, v := range view {
		if err := w.sliceAxis(h, n-1-i, v.(obj.Slice)); err != nil {
			return nil, err
		}
	}
	return NewHeaderWCS(h)
}

// sliceAxis applies one slice to FITS axis k (0-based) of the header h.
func (w *HeaderWCS) sliceAxis(h interface {
	Set(key string, value any, comment string)
}, k int, s obj.Slice) error {
	if s.Step != nil && *s.Step < 0 {
		return obj.Errorf("NotImplementedError", "Reversing an axis is not implemented.")
	}
	if s.Step != nil && s.Start == nil {
		zero := 0
		s.Start = &zero
	}
	crpix, cdelt := w.fw.CRPix[k], w.fw.CDelt[k]
	if s.Start != nil {
		start := float64(*s.Start)
		if s.Step != nil && *s.Step != 1 {
			step := float64(*s.Step)
			h.Set(fmt.Sprintf("CRPIX%d", k+1), (crpix-start-1.0)/step+0.5+1.0/step/2.0, "")
			h.Set(fmt.Sprintf("CDELT%d", k+1), cdelt*step, "")
		} else {
			h.Set(fmt.Sprintf("CRPIX%d", k+1), crpix-start, "")
		}
	}
	size := 0
	if w.shape != nil {
		size = w.shape[k]
	}
	start, stop, step, err := s.Indices(size)
	if err != nil {
		return err
	}
	count := 0
	if stop > start {
		count = (stop - start + step - 1) / step
	}
	h.Set("NAXIS", w.fw.NAxis, "")
	h.Set(fmt.Sprintf("NAXIS%d", k+1), count, "")
	return nil
}

// expandEllipsis replaces one `...` in view by as many full slices as it stands for.
func expandEllipsis(view obj.Tuple, n int) (obj.Tuple, bool) {
	for i, v := range view {
		if _, ok := v.(obj.EllipsisType); ok {
			out := append(obj.Tuple{}, view[:i]...)
			for range max(0, n-len(view)+1) {
				out = append(out, obj.Slice{})
			}
			return append(out, view[i+1:]...), true
		}
	}
	return view, false
}
