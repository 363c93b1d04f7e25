package wcs

// This file gives the world coordinates a view no longer has axes for (astropy's
// SlicedLowLevelWCS.dropped_world_dimensions, which ndcube shows as global_coords): a
// world axis dropped by integer indexing keeps one value, that of the pixels the
// indexing fixed.

import "gokist/obj"

// Dropped is one dropped world coordinate: its name (a celestial pair is named by its
// frame, as ndcube's global coords are), the physical types of its axes and its
// high-level value.
type Dropped struct {
	Name  string
	Types []string
	Value any
}

// DroppedWorld lists the world coordinates the view dropped, in world order, evaluated
// at the view's pixel 0 (their values do not depend on the view's pixels).
func (w *WCS) DroppedWorld() ([]Dropped, error) {
	kept := make(map[int]bool, len(w.worldKeep))
	for _, b := range w.worldKeep {
		kept[b] = true
	}
	sc := w.sys.getScratch()
	defer w.sys.putScratch(sc)
	w.basePixel(make([]float64, len(w.shape)), sc.q)
	if err := w.sys.eval(sc.q, sc.world, sc); err != nil {
		return nil, err
	}
	var out []Dropped
	done := map[int]bool{}
	for b, a := range w.sys.world {
		if kept[b] || done[b] {
			continue
		}
		d := Dropped{Name: a.name, Types: []string{a.ptype}}
		v := sc.world[b]
		switch a.kind {
		case kindCelestialLon, kindCelestialLat:
			lonB, latB := b, a.partner
			if a.kind == kindCelestialLat {
				lonB, latB = a.partner, b
			}
			done[a.partner] = true
			d.Name = w.sys.world[lonB].frame
			d.Types = []string{w.sys.world[lonB].ptype, w.sys.world[latB].ptype}
			d.Value = w.skyCoord(sc.world[lonB], sc.world[latB], w.sys.world[lonB])
		case kindSpectral:
			d.Value = &SpectralCoord{Value: v, Unit: a.unit}
		case kindTime:
			t, err := timeAfter(w.sys.refTime, v)
			if err != nil {
				return nil, obj.Errorf(obj.ValueError, "the dropped time axis has no valid time: %v", err)
			}
			d.Value = &Time{T: t}
		case kindStokes:
			d.Value = &StokesCoord{Value: v}
		default:
			d.Value = &Quantity{Value: v, Unit: a.unit}
		}
		out = append(out, d)
	}
	return out, nil
}
