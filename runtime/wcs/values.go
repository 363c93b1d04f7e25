package wcs

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"time"

	"gokist/obj"
	"gokist/runtime/wcs/wcsunit"
)

// formatNumber prints a float64 the way numpy prints an array element with its default
// print options (precision 8, trailing zeros trimmed, "500." for whole numbers, scientific
// notation below 1e-4 or from 1e8 on), which is how astropy shows quantities.
func formatNumber(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	// numpy prints the shortest digits that identify the number, capped at 8 after the
	// point (then trimmed of trailing zeros).
	a := math.Abs(v)
	if a != 0 && (a < 1e-4 || a >= 1e8) {
		s := strconv.FormatFloat(v, 'e', -1, 64)
		mant, _, _ := strings.Cut(s, "e")
		if _, frac, ok := strings.Cut(mant, "."); ok && len(frac) > 8 {
			s = strconv.FormatFloat(v, 'e', 8, 64)
		}
		mant, exp, _ := strings.Cut(s, "e")
		if strings.Contains(mant, ".") {
			mant = strings.TrimRight(mant, "0")
		} else {
			mant += "."
		}
		return mant + "e" + exp
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if _, frac, ok := strings.Cut(s, "."); ok && len(frac) > 8 {
		s = strconv.FormatFloat(v, 'f', 8, 64)
	}
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
	} else {
		s += "."
	}
	return s
}

func plain(text string) map[string]any {
	return map[string]any{"text/plain": text, "text/html": "<pre>" + html.EscapeString(text) + "</pre>"}
}

// unitArg reads the unit argument of .to(unit): a unit name or a unit object.
func unitArg(fn string, args obj.Args) (string, error) {
	vals, err := args.Bind(fn, []obj.Param{{Name: "unit"}})
	if err != nil {
		return "", err
	}
	return unitName(fn, vals[0])
}

// Quantity is a number with a unit (astropy.units.Quantity).
type Quantity struct {
	Value float64
	Unit  string
}

// To converts the quantity to another unit of the same dimension.
func (q *Quantity) To(unit string) (*Quantity, error) {
	v, err := convertTo(q.Value, q.Unit, unit)
	if err != nil {
		return nil, err
	}
	return &Quantity{Value: v, Unit: wcsunit.Canonical(unit)}, nil
}

// String renders like astropy: "198.42 arcsec".
func (q *Quantity) String() string {
	if q.Unit == "" {
		return formatNumber(q.Value)
	}
	return formatNumber(q.Value) + " " + q.Unit
}

// MimeBundle renders `<Quantity 198.42 arcsec>`.
func (q *Quantity) MimeBundle() map[string]any { return plain("<Quantity " + q.String() + ">") }

var quantityType = &obj.Type{
	Name: "Quantity",
	Doc:  "A number with a unit. `.value` is the number, `.unit` the unit name, `.to(unit)` converts.",
	Members: []*obj.Member{
		{Name: "value", Signature: "value", Doc: "The number, in `unit`.",
			Get: func(_ *obj.Env, r any) (any, error) { return r.(*Quantity).Value, nil }},
		{Name: "unit", Signature: "unit", Doc: "The unit, e.g. Unit(\"arcsec\").",
			Get: func(_ *obj.Env, r any) (any, error) { return obj.UnitOf(r.(*Quantity).Unit), nil }},
		{Name: "to", Signature: "to(unit)", Doc: "The same quantity in another unit of the same kind, e.g. `q.to(\"deg\")`.",
			Params: []obj.Param{{Name: "unit"}},
			Call: func(_ *obj.Env, r any, a obj.Args) (any, error) {
				u, err := unitArg("to", a)
				if err != nil {
					return nil, err
				}
				return r.(*Quantity).To(u)
			}},
	},
}

// Type is the Quantity member table.
func (q *Quantity) Type() *obj.Type { return quantityType }

// SpectralCoord is a spectral world value (astropy.coordinates.SpectralCoord).
type SpectralCoord struct {
	Value float64
	Unit  string
	// DopplerRest and DopplerConvention are the Doppler settings a velocity
	// conversion used (doppler.go); nil and "" when unset.
	DopplerRest       *Quantity
	DopplerConvention string
}

// To converts to another spectral unit with astropy's spectral equivalency: wavelength,
// frequency (Hz), photon energy (eV, J) and wavenumber (1 / m, 1 / cm) all convert.
func (s *SpectralCoord) To(unit string) (*SpectralCoord, error) {
	v, err := wcsunit.ConvertSpectral(s.Value, s.Unit, unit)
	if err != nil {
		return nil, err
	}
	return &SpectralCoord{Value: v, Unit: wcsunit.Canonical(unit)}, nil
}

// MimeBundle renders `<SpectralCoord 630.2494 nm>`.
func (s *SpectralCoord) MimeBundle() map[string]any {
	return plain(s.dopplerRepr())
}

var spectralCoordType = &obj.Type{
	Name: "SpectralCoord",
	Doc:  "A spectral coordinate (wavelength). `.value`, `.unit`, `.to(unit)` as for a Quantity.",
	Members: []*obj.Member{
		{Name: "value", Signature: "value", Doc: "The number, in `unit`.",
			Get: func(_ *obj.Env, r any) (any, error) { return r.(*SpectralCoord).Value, nil }},
		{Name: "unit", Signature: "unit", Doc: "The unit, e.g. Unit(\"nm\").",
			Get: func(_ *obj.Env, r any) (any, error) { return obj.UnitOf(r.(*SpectralCoord).Unit), nil }},
		{Name: "to", Signature: "to(unit, doppler_rest=None, doppler_convention=None)", Doc: "The same spectral coordinate in another unit, e.g. `wl.to(u.AA)` or `wl.to(\"Angstrom\")`; wavelength, frequency (`\"Hz\"`), energy (`\"eV\"`, `\"J\"`) and wavenumber (`\"1/cm\"`) convert into each other as astropy's spectral equivalency does, and to velocities with `wl.to(u.km / u.s, doppler_rest=630.25 * u.nm, doppler_convention=\"optical\")` (or \"radio\", \"relativistic\").",
			Params: []obj.Param{{Name: "unit"}, {Name: "doppler_rest", Default: "None"}, {Name: "doppler_convention", Default: "None"}},
			Call:   func(_ *obj.Env, r any, a obj.Args) (any, error) { return spectralTo(r, a) }},
		{Name: "quantity", Signature: "quantity", Doc: "The value as a plain Quantity.",
			Get: func(_ *obj.Env, r any) (any, error) {
				s := r.(*SpectralCoord)
				return &Quantity{Value: s.Value, Unit: s.Unit}, nil
			}},
	},
}

// Type is the SpectralCoord member table.
func (s *SpectralCoord) Type() *obj.Type { return spectralCoordType }

// SkyCoord is a celestial world value (astropy.coordinates.SkyCoord): for DKIST data a
// helioprojective (Tx, Ty) at an observation time.
type SkyCoord struct {
	Lon, Lat float64 // in Unit
	Unit     string
	Frame    string // "helioprojective", "icrs", ...
	Obstime  time.Time
	RsunKm   float64
}

// componentNames gives the frame's names for longitude and latitude.
func (s *SkyCoord) componentNames() (string, string) {
	if s.Frame == "helioprojective" {
		return "Tx", "Ty"
	}
	return "ra", "dec"
}

// MimeBundle renders like astropy/sunpy:
// `<SkyCoord (Helioprojective: obstime=…, rsun=695700.0 km, observer=None): (Tx, Ty) in arcsec\n    (198.42, -397.64)>`.
func (s *SkyCoord) MimeBundle() map[string]any {
	ln, lt := s.componentNames()
	var frame string
	if s.Frame == "helioprojective" {
		obstime := "None"
		if !s.Obstime.IsZero() {
			obstime = isot(s.Obstime)
		}
		frame = fmt.Sprintf("Helioprojective: obstime=%s, rsun=%s km, observer=None", obstime, strconv.FormatFloat(s.RsunKm, 'f', -1, 64)+dotZero(s.RsunKm))
	} else {
		frame = strings.ToUpper(s.Frame)
	}
	return plain(fmt.Sprintf("<SkyCoord (%s): (%s, %s) in %s\n    (%s, %s)>", frame, ln, lt, s.Unit, formatNumber(s.Lon), formatNumber(s.Lat)))
}

func dotZero(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e16 {
		return ".0"
	}
	return ""
}

func skyComponent(name string, lat bool) *obj.Member {
	return &obj.Member{Name: name, Signature: name, Doc: "The " + name + " component as a Quantity.",
		Get: func(_ *obj.Env, r any) (any, error) {
			s := r.(*SkyCoord)
			ln, lt := s.componentNames()
			want := ln
			v := s.Lon
			if lat {
				want, v = lt, s.Lat
			}
			if want != name {
				return nil, obj.Errorf(obj.AttributeError, "'SkyCoord' in frame %s has no component %q (it has %s, %s)", s.Frame, name, ln, lt)
			}
			return &Quantity{Value: v, Unit: s.Unit}, nil
		}}
}

var skyCoordType = &obj.Type{
	Name: "SkyCoord",
	Doc:  "A position on the sky. Helioprojective coordinates have `.Tx` and `.Ty` (arcsec) and `.obstime`.",
	Members: []*obj.Member{
		skyComponent("Tx", false),
		skyComponent("Ty", true),
		skyComponent("ra", false),
		skyComponent("dec", true),
		{Name: "obstime", Signature: "obstime", Doc: "The observation time of the frame.",
			Get: func(_ *obj.Env, r any) (any, error) {
				s := r.(*SkyCoord)
				if s.Obstime.IsZero() {
					return nil, nil
				}
				return &Time{T: s.Obstime}, nil
			}},
		{Name: "frame", Signature: "frame", Doc: "The name of the coordinate frame, e.g. 'helioprojective'.",
			Get: func(_ *obj.Env, r any) (any, error) { return r.(*SkyCoord).Frame, nil }},
	},
}

// Type is the SkyCoord member table.
func (s *SkyCoord) Type() *obj.Type { return skyCoordType }

// Time is a UTC instant (astropy.time.Time, format isot).
type Time struct {
	T time.Time
}

// isot formats like astropy's isot with precision 3: 2044-03-15T08:22:54.721.
func isot(t time.Time) string {
	return t.UTC().Round(time.Millisecond).Format("2006-01-02T15:04:05.000")
}

// MimeBundle renders `<Time object: scale='utc' format='isot' value=2044-03-15T08:22:54.721>`.
func (t *Time) MimeBundle() map[string]any {
	return plain("<Time object: scale='utc' format='isot' value=" + isot(t.T) + ">")
}

// dayAndFraction gives the UTC MJD day number and the fraction of the day in [0, 1),
// the fraction computed from the seconds of the day as ERFA's dtf2d does when astropy
// parses an isot string.
func (t *Time) dayAndFraction() (day, frac float64) {
	u := t.T.UTC()
	secs := u.Unix()
	d, rem := secs/86400, secs%86400
	if rem < 0 {
		d, rem = d-1, rem+86400
	}
	h, m := rem/3600, rem%3600/60
	sec := float64(rem%60) + float64(u.Nanosecond())/1e9
	return float64(d + unixEpochMJD), (60*float64(60*h+m) + sec) / 86400
}

// mjd gives the modified Julian date as astropy's Time.mjd does: an integer day plus a
// fraction in [-0.5, 0.5], added only at the end. A single float of nanoseconds since
// 1970 divided by 86400e9 loses about 20 µs (and overflows past 2262).
func (t *Time) mjd() float64 {
	day, frac := t.dayAndFraction()
	if frac >= 0.5 {
		day, frac = day+1, frac-1 // exact: frac ∈ [0.5, 1)
	}
	return day + frac
}

// julianDate gives the (UTC) Julian date as astropy's Time.jd does: astropy holds
// jd1 = MJD day + 2400001 (an integer) and jd2 = fraction − 0.5.
func (t *Time) julianDate() float64 {
	day, frac := t.dayAndFraction()
	return (day + 2400001) + (frac - 0.5)
}

// unix gives seconds since 1970-01-01T00:00:00 UTC, leap seconds not counted (astropy's
// format 'unix').
func (t *Time) unix() float64 {
	return float64(t.T.Unix()) + float64(t.T.Nanosecond())/1e9
}

var timeType = &obj.Type{
	Name: "Time",
	Doc:  "A UTC time. `.value` and `.isot` give it as an ISO 8601 string; `.mjd`, `.jd`, `.unix` as numbers.",
	Members: []*obj.Member{
		{Name: "value", Signature: "value", Doc: "The time as an ISO 8601 string (format isot).",
			Get: func(_ *obj.Env, r any) (any, error) { return isot(r.(*Time).T), nil }},
		{Name: "isot", Signature: "isot", Doc: "The time as an ISO 8601 string, e.g. '2044-03-15T08:22:54.721'.",
			Get: func(_ *obj.Env, r any) (any, error) { return isot(r.(*Time).T), nil }},
		{Name: "jd", Signature: "jd", Doc: "The Julian date.",
			Get: func(_ *obj.Env, r any) (any, error) { return r.(*Time).julianDate(), nil }},
		{Name: "mjd", Signature: "mjd", Doc: "The modified Julian date.",
			Get: func(_ *obj.Env, r any) (any, error) { return r.(*Time).mjd(), nil }},
		{Name: "unix", Signature: "unix", Doc: "Seconds since 1970-01-01T00:00:00 UTC.",
			Get: func(_ *obj.Env, r any) (any, error) { return r.(*Time).unix(), nil }},
		{Name: "scale", Signature: "scale", Doc: "The time scale: 'utc'.",
			Get: func(_ *obj.Env, r any) (any, error) { return "utc", nil }},
	},
}

// Type is the Time member table.
func (t *Time) Type() *obj.Type { return timeType }

// StokesCoord is a Stokes parameter (astropy.coordinates.StokesCoord), held as its FITS
// number (I=1, Q=2, U=3, V=4).
type StokesCoord struct {
	Value float64
}

// Symbol gives "I", "Q", "U", "V" (or "?" when the value is not a known Stokes number).
func (s *StokesCoord) Symbol() string { return stokesSymbol(s.Value) }

// MimeBundle renders `<StokesCoord 'I'>`.
func (s *StokesCoord) MimeBundle() map[string]any { return plain("<StokesCoord '" + s.Symbol() + "'>") }

var stokesCoordType = &obj.Type{
	Name: "StokesCoord",
	Doc:  "A Stokes parameter. `.symbol` is 'I', 'Q', 'U' or 'V'; `.value` its FITS number (I=1 … V=4).",
	Members: []*obj.Member{
		{Name: "symbol", Signature: "symbol", Doc: "The parameter's name: 'I', 'Q', 'U' or 'V'.",
			Get: func(_ *obj.Env, r any) (any, error) { return r.(*StokesCoord).Symbol(), nil }},
		{Name: "value", Signature: "value", Doc: "The FITS Stokes number (I=1, Q=2, U=3, V=4).",
			Get: func(_ *obj.Env, r any) (any, error) { return r.(*StokesCoord).Value, nil }},
	},
}

// Type is the StokesCoord member table.
func (s *StokesCoord) Type() *obj.Type { return stokesCoordType }
