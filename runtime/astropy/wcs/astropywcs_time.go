package wcs

// A time axis of astropy.wcs.WCS as astropy 5.2 makes its high-level object: the
// reference time from MJDREF (or MJDREFI + MJDREFF, or DATEREF) in the axis's scale
// (TIMESYS for CTYPE 'TIME', else the CTYPE: 'UTC', 'TAI', 'TT'), plus the world value
// as seconds — astropy takes it as seconds whatever CUNIT says, and so does gokist, to
// give the same Time.

import (
	atime "gokist/runtime/astropy/time"
	"math"
	"strings"

	"gokist/obj"
	"gokist/runtime/wcs"
)

// timeScaleOf is astropy's scale of time axis i, or "" when the axis is no time axis.
func (w *HeaderWCS) timeScaleOf(i int) string {
	ct := strings.ToLower(strings.TrimSpace(w.fw.CType[i]))
	switch ct {
	case "time":
		if s, ok := w.hdr.String("TIMESYS"); ok && strings.TrimSpace(s) != "" {
			return strings.ToLower(strings.TrimSpace(s))
		}
		return "utc"
	case "utc", "tai", "tt", "tdb", "tcb", "tcg", "ut1":
		return ct
	}
	return ""
}

// mjdRef is the header's reference time as two MJD parts (0 when it gives none).
func (w *HeaderWCS) mjdRef() (float64, float64, error) {
	if v, ok := headerNumber(w.hdr, "MJDREF"); ok {
		return v, 0, nil
	}
	i, okI := headerNumber(w.hdr, "MJDREFI")
	f, okF := headerNumber(w.hdr, "MJDREFF")
	if okI || okF {
		return i, f, nil
	}
	if s, ok := w.hdr.String("DATEREF"); ok && strings.TrimSpace(s) != "" {
		t, err := wcs.ParseISOTime(s)
		if err != nil {
			return 0, 0, obj.Errorf(obj.ValueError, "DATEREF = '%s': %v", s, err)
		}
		days := float64(t.Unix())/86400 + 40587 // MJD of the Unix epoch
		whole := math.Floor(days)
		frac := (float64(t.Unix()%86400) + float64(t.Nanosecond())/1e9) / 86400
		if frac < 0 {
			frac++
		}
		return whole, frac, nil
	}
	return 0, 0, nil
}

// timeObject is the Time of time axis values v (seconds after the reference time).
func (w *HeaderWCS) timeObject(env *obj.Env, scale string, v []float64, shape []int) (any, error) {
	r1, r2, err := w.mjdRef()
	if err != nil {
		return nil, err
	}
	ref, err := atime.NewFromArgs(env, obj.Args{Pos: []any{r1, r2}, Kw: map[string]any{"format": "mjd", "scale": scale}})
	if err != nil {
		return nil, err
	}
	d, err := atime.NewDeltaFromArgs(env, obj.Args{Pos: []any{valueAt(v, shape)}, Kw: map[string]any{"format": "sec"}})
	if err != nil {
		return nil, err
	}
	return ref.(*atime.Time).AddDelta(env, d.(*atime.TimeDelta), 1)
}

// timeOffset is world_to_pixel's reading of a Time on time axis i: (time − reference)
// in seconds, as astropy's offset_from_time_and_reference.
func (w *HeaderWCS) timeOffset(env *obj.Env, t *atime.Time, scale string) (any, error) {
	r1, r2, err := w.mjdRef()
	if err != nil {
		return nil, err
	}
	ref, err := atime.NewFromArgs(env, obj.Args{Pos: []any{r1, r2}, Kw: map[string]any{"format": "mjd", "scale": scale}})
	if err != nil {
		return nil, err
	}
	d, err := t.Sub(env, ref.(*atime.Time))
	if err != nil {
		return nil, err
	}
	return d.ValueIn("sec"), nil
}
