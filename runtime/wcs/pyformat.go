package wcs

import (
	"gokist/obj"
	"gokist/pyfmt"
)

// Python's str() and format() of the astropy-like values. astropy's Quantity.__str__ is
// str(numpy.float64) + " " + unit, and Quantity.__format__ formats the number with the
// spec (as Python formats a float) and appends the unit; Time and SkyCoord take only an
// empty spec. lang reaches these through the Str and FormatSpec methods.

// quantityFormat is astropy's Quantity.__format__: str() for an empty spec, otherwise
// the number formatted by spec followed by the unit.
func quantityFormat(v float64, unit, spec string) (string, error) {
	if spec == "" {
		return quantityStr(v, unit), nil
	}
	s, err := pyfmt.Format(v, spec)
	if err != nil {
		return "", err
	}
	if unit == "" {
		return s, nil
	}
	return s + " " + unit, nil
}

// quantityStr is astropy's Quantity.__str__: "630.07065 nm", "5.0" when dimensionless.
func quantityStr(v float64, unit string) string {
	if unit == "" {
		return pyfmt.Float(v)
	}
	return pyfmt.Float(v) + " " + unit
}

// emptySpecOnly is object.__format__, which astropy's Time and SkyCoord inherit: the
// empty spec gives str(), any other is a TypeError.
func emptySpecOnly(typeName, str, spec string) (string, error) {
	if spec != "" {
		return "", obj.Errorf(obj.TypeError, "unsupported format string passed to %s.__format__", typeName)
	}
	return str, nil
}

// Str is Python's str(q): "-400.3 arcsec".
func (q *Quantity) Str() string { return quantityStr(q.Value, q.Unit) }

// FormatSpec is Python's format(q, spec): f"{q:.2f}" gives "-400.30 arcsec".
func (q *Quantity) FormatSpec(spec string) (string, error) {
	return quantityFormat(q.Value, q.Unit, spec)
}

// Str is Python's str(s): "630.07065 nm".
func (s *SpectralCoord) Str() string { return quantityStr(s.Value, s.Unit) }

// FormatSpec is Python's format(s, spec): f"{s:.2f}" gives "630.07 nm".
func (s *SpectralCoord) FormatSpec(spec string) (string, error) {
	return quantityFormat(s.Value, s.Unit, spec)
}

// Str is Python's str(t): the isot value, "2022-10-24T19:00:01.200".
func (t *Time) Str() string { return isot(t.T) }

// FormatSpec is Python's format(t, spec): only the empty spec, as in astropy 5.2.
func (t *Time) FormatSpec(spec string) (string, error) {
	return emptySpecOnly("Time", t.Str(), spec)
}

// Str is Python's str(s): the same text as its repr, as astropy's SkyCoord.
func (s *SkyCoord) Str() string { return s.MimeBundle()["text/plain"].(string) }

// FormatSpec is Python's format(s, spec): only the empty spec, as in astropy.
func (s *SkyCoord) FormatSpec(spec string) (string, error) {
	return emptySpecOnly("SkyCoord", s.Str(), spec)
}

// Str is Python's str(s): the same text as its repr.
func (s *StokesCoord) Str() string { return s.MimeBundle()["text/plain"].(string) }

// FormatSpec is Python's format(s, spec): only the empty spec.
func (s *StokesCoord) FormatSpec(spec string) (string, error) {
	return emptySpecOnly("StokesCoord", s.Str(), spec)
}

// The value types give lang their str and format through obj's interfaces.
var (
	_ obj.Strer         = (*Quantity)(nil)
	_ obj.SpecFormatter = (*Quantity)(nil)
	_ obj.Strer         = (*SpectralCoord)(nil)
	_ obj.SpecFormatter = (*SpectralCoord)(nil)
	_ obj.Strer         = (*Time)(nil)
	_ obj.SpecFormatter = (*Time)(nil)
	_ obj.Strer         = (*SkyCoord)(nil)
	_ obj.SpecFormatter = (*SkyCoord)(nil)
	_ obj.Strer         = (*StokesCoord)(nil)
	_ obj.SpecFormatter = (*StokesCoord)(nil)
)
