package wcs

// This file evaluates a view's world axes over whole array axes, as ndcube's
// axis_world_coords and axis_world_coords_values do: each world axis at every pixel of
// the array axes it depends on (and only those), and which world axes form one
// high-level object.

import (
	"fmt"
	"slices"
	"time"

	"gokist/obj"
)

// AxisCoords is one kept world axis evaluated over the array axes it depends on.
type AxisCoords struct {
	World                    int // index in world order
	Name, Unit, PhysicalType string
	// Kind is "lon", "lat", "spectral", "time", "stokes" or "other".
	Kind string
	// Axes are the array axes (numpy order, ascending) it depends on; Shape their lengths
	// (one more each for pixel corners).
	Axes, Shape []int
	// Values are C order over Shape, in Unit (a time axis: seconds after the reference
	// time); Times holds a time axis's UTC instants.
	Values []float64
	Times  []time.Time
}

// AxisCoordsValues evaluates every kept world axis; with corners, at the pixel corners
// (-0.5, 0.5, … n-0.5) instead of the centres. maxPoints bounds the pixels evaluated
// for one group of coupled axes.
func (w *WCS) AxisCoordsValues(corners bool, maxPoints int) ([]AxisCoords, error) {
	corr := w.AxisCorrelationMatrix()
	n := len(w.shape)
	names, units, types := w.WorldAxisNames(), w.WorldAxisUnits(), w.WorldAxisPhysicalTypes()
	out := make([]AxisCoords, len(w.worldKeep))
	done := map[string][][]float64{} // dependent axes → world values per point
	for i, b := range w.worldKeep {
		a := w.sys.world[b]
		c := AxisCoords{World: i, Name: names[i], Unit: units[i], PhysicalType: types[i], Kind: kindName(a.kind)}
		for p := n - 1; p >= 0; p-- {
			if corr[i][p] {
				c.Axes = append(c.Axes, n-1-p)
			}
		}
		for _, ax := range c.Axes {
			c.Shape = append(c.Shape, w.shape[ax]+boolInt(corners))
		}
		key := fmt.Sprint(c.Axes)
		points, ok := done[key]
		if !ok {
			var err error
			if points, err = w.evaluateOver(c.Axes, c.Shape, corners, maxPoints); err != nil {
				return nil, err
			}
			done[key] = points
		}
		c.Values = make([]float64, len(points))
		for k, v := range points {
			c.Values[k] = v[i]
		}
		if a.kind == kindTime {
			c.Times = make([]time.Time, len(c.Values))
			for k, s := range c.Values {
				t, err := timeAfter(w.sys.refTime, s)
				if err != nil {
					return nil, timeValueError(i, a.name, nil, err)
				}
				c.Times[k] = t
			}
		}
		out[i] = c
	}
	return out, nil
}

// evaluateOver gives the world values at every pixel of the array axes (C order over
// shape), the other axes at pixel 0.
func (w *WCS) evaluateOver(axes, shape []int, corners bool, maxPoints int) ([][]float64, error) {
	total := 1
	for _, s := range shape {
		total *= s
		if total > maxPoints {
			return nil, obj.Errorf("MemoryError", "axis_world_coords: the world axes over array axes %v (shape %v) need more than %d points", axes, shape, maxPoints).
				WithHint("slice the dataset first, or ask for the axes you need: ds[0].axis_world_coords('time')")
		}
	}
	n := len(w.shape)
	pixel := make([]float64, n)
	idx := make([]int, len(axes))
	out := make([][]float64, total)
	offset := 0.0
	if corners {
		offset = -0.5
	}
	for k := range total {
		rest := k
		for j := len(axes) - 1; j >= 0; j-- {
			idx[j] = rest % shape[j]
			rest /= shape[j]
		}
		clear(pixel)
		for j, ax := range axes {
			pixel[n-1-ax] = float64(idx[j]) + offset
		}
		v, err := w.PixelToWorldValues(pixel...)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

// WorldObjects groups the kept world axes (world order) into high-level objects, in the
// order of each object's first axis: a celestial pair is one object (longitude first).
func (w *WCS) WorldObjects() [][]int {
	pos := map[int]int{}
	for i, b := range w.worldKeep {
		pos[b] = i
	}
	var out [][]int
	placed := map[int]bool{}
	for i, b := range w.worldKeep {
		if placed[i] {
			continue
		}
		a := w.sys.world[b]
		g := []int{i}
		if p, ok := pos[a.partner]; ok && (a.kind == kindCelestialLon || a.kind == kindCelestialLat) {
			g = append(g, p)
			if a.kind == kindCelestialLat {
				slices.Reverse(g)
			}
			placed[p] = true
		}
		out = append(out, g)
	}
	return out
}

// CelestialFrame is the celestial axes' frame, observation time and solar radius (km).
func (w *WCS) CelestialFrame() (frame string, obstime time.Time, rsunKm float64) {
	for _, b := range w.worldKeep {
		if a := w.sys.world[b]; a.kind == kindCelestialLon {
			return a.frame, w.sys.obstime, w.sys.rsunKm
		}
	}
	return "", time.Time{}, 0
}

func kindName(k worldKind) string {
	switch k {
	case kindCelestialLon:
		return "lon"
	case kindCelestialLat:
		return "lat"
	case kindSpectral:
		return "spectral"
	case kindTime:
		return "time"
	case kindStokes:
		return "stokes"
	}
	return "other"
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
