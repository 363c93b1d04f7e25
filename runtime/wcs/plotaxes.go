package wcs

import (
	"math"
	"time"
)

// Tick labelling for plots: what the world coordinate that ArrayWorld gives along an
// array axis is, so that plot axes label Stokes axes with their symbols (I Q U V) and
// time axes with times, as astropy's WCSAxes does.

// AxisKind is the kind of world coordinate a plot axis shows.
type AxisKind int

// The kinds of world coordinates labelled specially.
const (
	PlainAxis  AxisKind = iota // numbers in the axis' unit
	StokesAxis                 // FITS STOKES codes, labelled I, Q, U, V, RR, ...
	TimeAxis                   // seconds from the dataset's reference time
)

// ArrayAxisLabel says what kind of world coordinate ArrayWorld(arrayAxis, n) gives and
// how to write one of its values: a Stokes code as its symbol ("I"), a time (seconds
// from the reference time) as an ISO time of day ("17:41:04"; the date is in
// ReferenceDate), anything else as nil.
func (w *WCS) ArrayAxisLabel(arrayAxis int) (AxisKind, func(v float64) string) {
	a, ok := w.arrayWorldAxis(arrayAxis)
	if !ok {
		return PlainAxis, nil
	}
	switch a.kind {
	case kindStokes:
		return StokesAxis, func(v float64) string { return stokesSymbol(math.Round(v)) }
	case kindTime:
		ref := w.sys.refTime
		return TimeAxis, func(v float64) string {
			t := ref.Add(time.Duration(math.Round(v * float64(time.Second))))
			return t.UTC().Format("15:04:05")
		}
	}
	return PlainAxis, nil
}

// ReferenceDate is the UTC date of the reference time of time axes ("2022-06-02").
func (w *WCS) ReferenceDate() string { return w.sys.refTime.UTC().Format("2006-01-02") }

// arrayWorldAxis is the world axis ArrayWorld picks for an array axis.
func (w *WCS) arrayWorldAxis(arrayAxis int) (worldAxis, bool) {
	if arrayAxis < 0 || arrayAxis >= len(w.shape) {
		return worldAxis{}, false
	}
	base := w.viewBase[arrayAxis]
	for _, b := range w.worldKeep {
		if w.sys.world[b].home == base {
			return w.sys.world[b], true
		}
	}
	for _, b := range w.worldKeep {
		if w.sys.corr[b][base] {
			return w.sys.world[b], true
		}
	}
	return worldAxis{}, false
}

// PlotAxis describes array axis arrayAxis (of n pixels) for a plot drawn with this WCS
// as its projection (plt.subplot(projection=ds.wcs)): the axis label ("wavelength
// [nm]", "stokes", "time (UTC, 2022-06-02)"), the world value at each pixel, how to write
// a value (nil: as a number) and whether each pixel is ticked (Stokes). ok is false when
// no world coordinate varies along the axis or the WCS has another number of axes.
func (w *WCS) PlotAxis(arrayAxis, n int) (label string, world []float64, format func(float64) string, category, ok bool) {
	if arrayAxis < 0 || arrayAxis >= len(w.shape) {
		return "", nil, nil, false, false
	}
	name, unit, vals, err := w.ArrayWorld(arrayAxis, n)
	if err != nil {
		return "", nil, nil, false, false
	}
	for _, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "", nil, nil, false, false
		}
	}
	label = name
	if unit != "" {
		label += " [" + unit + "]"
	}
	kind, format := w.ArrayAxisLabel(arrayAxis)
	switch kind {
	case StokesAxis:
		label = "stokes"
	case TimeAxis:
		label = "time (UTC, " + w.ReferenceDate() + ")"
	}
	return label, vals, format, kind == StokesAxis, true
}

// PlotDims is the number of array axes the WCS describes.
func (w *WCS) PlotDims() int { return len(w.shape) }
