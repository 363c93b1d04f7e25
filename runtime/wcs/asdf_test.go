package wcs

import (
	"math"
	"reflect"
	"testing"
)

const smallVISP = "../../../shared/data/dkist-small-visp"

func TestFromASDFSmallVISP(t *testing.T) {
	w, err := FromASDF(smallVISP+"/test_visp.asdf", []int{3, 10, 25}, []string{"raster position", "slit position", "wavelength"})
	if err != nil {
		t.Fatal(err)
	}
	if got := w.WorldAxisNames(); !reflect.DeepEqual(got, []string{"wavelength", "helioprojective latitude", "helioprojective longitude", "time"}) {
		t.Errorf("world axis names %q", got)
	}
	if got := w.PixelAxisNames(); !reflect.DeepEqual(got, []string{"wavelength", "slit position", "raster position"}) {
		t.Errorf("pixel axis names %q", got)
	}
	vals, err := w.PixelToWorld(0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) != 3 {
		t.Fatalf("values %v", vals)
	}
	spec := vals[0].(*SpectralCoord)
	sky := vals[1].(*SkyCoord)
	tm := vals[2].(*Time)
	// README: 500 nm, (Tx, Ty) = (0, -0.03) arcsec, 2044-03-15T08:22:54.721.
	if math.Abs(spec.Value-500) > 1e-9 || spec.Unit != "nm" {
		t.Errorf("wavelength %+v", spec)
	}
	if math.Abs(sky.Lon) > 1e-9 || math.Abs(sky.Lat-(-0.03)) > 1e-6 || sky.Unit != "arcsec" {
		t.Errorf("sky %+v", sky)
	}
	if got := isot(tm.T); got != "2044-03-15T08:22:54.721" {
		t.Errorf("time %s", got)
	}
	t.Log(spec.MimeBundle()["text/plain"], sky.MimeBundle()["text/plain"], tm.MimeBundle()["text/plain"])
	t.Log(w.String())
}
