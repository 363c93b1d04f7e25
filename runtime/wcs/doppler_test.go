package wcs

import (
	"fmt"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
)

// unitObj and quantityObj stand for astropy.units' unit objects and Quantities, which
// the runtime's Python face provides through obj.UnitValuer and obj.QuantityValue.
type unitObj string

func (u unitObj) UnitString() string { return string(u) }

type quantityObj struct {
	v    float64
	unit string
}

func (q quantityObj) QuantityParts() (any, string) { return q.v, q.unit }

// TestSpectralCoordDopplerMatchesAstropy converts spectral coordinates to and from
// velocities as astropy's SpectralCoord.to does, with unit objects and strings, and
// compares reprs and errors.
func TestSpectralCoordDopplerMatchesAstropy(t *testing.T) {
	type step struct {
		unit       string
		rest       *quantityObj
		convention any
	}
	rest := &quantityObj{630.25, "nm"}
	restHz := &quantityObj{475.66, "THz"}
	cases := []struct {
		v     float64
		unit  string
		steps []step
	}{
		{630.26, "nm", []step{{"km / s", rest, "optical"}}},
		{630.26, "nm", []step{{"km / s", rest, "radio"}}},
		{630.26, "nm", []step{{"km / s", rest, "relativistic"}}},
		{630.26, "nm", []step{{"m / s", restHz, "optical"}}},
		{6302.4, "Angstrom", []step{{"km / s", rest, "relativistic"}}},
		{630.26, "nm", []step{{"km / s", rest, "optical"}, {"nm", nil, nil}}},
		{630.26, "nm", []step{{"km / s", rest, "optical"}, {"m / s", nil, nil}}},
		{630.26, "nm", []step{{"km / s", rest, "optical"}, {"THz", nil, nil}}},
		{630.26, "nm", []step{{"THz", nil, nil}}},
		{630.26, "nm", []step{{"km / s", nil, nil}}},
		{630.26, "nm", []step{{"km / s", rest, nil}}},
		{630.26, "nm", []step{{"km / s", nil, "optical"}}},
		{630.26, "nm", []step{{"km / s", rest, "foo"}}},
		{630.26, "nm", []step{{"km / s", rest, "optical"}, {"km / s", restHz, "radio"}}},
		{630.26, "nm", []step{{"km / s", rest, "optical"}, {"km / h", nil, nil}}},
		{3, "km / s", []step{{"m / s", nil, nil}}},
		{3, "km / s", []step{{"m / s", nil, "radio"}}},
		{3, "km / s", []step{{"m / s", rest, nil}}},
	}
	var py []string
	for _, c := range cases {
		code := fmt.Sprintf("SpectralCoord(%v * u.Unit(%q))", c.v, c.unit)
		for _, s := range c.steps {
			args := fmt.Sprintf("u.Unit(%q)", s.unit)
			if s.rest != nil {
				args += fmt.Sprintf(", doppler_rest=%v * u.Unit(%q)", s.rest.v, s.rest.unit)
			}
			if s.convention != nil {
				args += fmt.Sprintf(", doppler_convention=%q", s.convention)
			}
			code += ".to(" + args + ")"
		}
		py = append(py, code)
	}
	want := pyref.Batch(t, "import astropy.units as u\nfrom astropy.coordinates import SpectralCoord\n", py)
	for i, c := range cases {
		var v any = &SpectralCoord{Value: c.v, Unit: c.unit}
		var err error
		for _, s := range c.steps {
			args := obj.Args{Pos: []any{unitObj(s.unit)}, Kw: map[string]any{}}
			if s.rest != nil {
				args.Kw["doppler_rest"] = *s.rest
			}
			if s.convention != nil {
				args.Kw["doppler_convention"] = s.convention
			}
			if v, err = spectralTo(v, args); err != nil {
				break
			}
		}
		w := want[i]
		if w.Type != "" {
			e, ok := err.(*obj.Error)
			if !ok || e.Class != w.Type || e.Msg != w.Message {
				t.Errorf("%s: got %v, astropy raises %s", py[i], err, w.Err())
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v, astropy gives %s", py[i], err, w.Repr)
			continue
		}
		if got := v.(*SpectralCoord).MimeBundle()["text/plain"]; got != w.Repr {
			t.Errorf("%s\n got %q\nwant %q", py[i], got, w.Repr)
		}
	}
}
