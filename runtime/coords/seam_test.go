package coords_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
)

// The observer of the VISP sample's helioprojective frame (its ASDF's gwcs: an HGS
// Cartesian position in metres) and the frame's obstime.
const (
	vispX, vispY, vispZ = 148205494531.65842, 5033312.785758972, 13211920350.888763
	vispObstime         = "2022-10-24T19:15:37.808"
)

// TestMakeSkyCoordMatchesSunpyForTheVISPObserver builds helioprojective SkyCoords
// through obj.MakeSkyCoord (what ds.axis_world_coords and wcs.pixel_to_world call) with
// the VISP sample's observer, and with the Earth, and compares their reprs and a
// transform with sunpy's.
func TestMakeSkyCoordMatchesSunpyForTheVISPObserver(t *testing.T) {
	pyref.Require(t, "sunpy")
	// The dataset side hands the observer as lon, lat, radius: astropy's from_cartesian.
	s := math.Hypot(vispX, vispY)
	lon, lat, r := math.Atan2(vispY, vispX)*180/math.Pi, math.Atan2(vispZ, s)*180/math.Pi, math.Hypot(s, vispZ)
	hs := []obj.Helioprojective{
		{Tx: []float64{-397.6359192006049}, Ty: []float64{198.4197498042653}, Obstime: vispObstime, ObserverLon: lon, ObserverLat: lat, ObserverRadius: r, HasObserver: true},
		{Tx: []float64{-397.6359192006049, -380.25, -1000}, Ty: []float64{198.4197498042653, 210.5, 0}, Shape: []int{3}, Obstime: vispObstime, ObserverLon: lon, ObserverLat: lat, ObserverRadius: r, HasObserver: true},
		{Tx: []float64{10}, Ty: []float64{20}, Obstime: "2023-05-21T04:00:00"},
	}
	observer := fmt.Sprintf("frames.HeliographicStonyhurst(CartesianRepresentation(%.17g, %.17g, %.17g, unit=u.m), obstime=%q)", vispX, vispY, vispZ, vispObstime)
	py := []string{
		fmt.Sprintf("SkyCoord(-397.6359192006049*u.arcsec, 198.4197498042653*u.arcsec, frame='helioprojective', obstime=%q, observer=%s)", vispObstime, observer),
		fmt.Sprintf("SkyCoord([-397.6359192006049, -380.25, -1000]*u.arcsec, [198.4197498042653, 210.5, 0]*u.arcsec, frame='helioprojective', obstime=%q, observer=%s)", vispObstime, observer),
		"SkyCoord(10*u.arcsec, 20*u.arcsec, frame='helioprojective', obstime='2023-05-21T04:00:00', observer='earth')",
	}
	for _, p := range py[:2] {
		py = append(py, p+".transform_to('heliographic_stonyhurst')")
	}
	want := pyref.Batch(t, "from astropy.coordinates import CartesianRepresentation\n"+prelude, py)
	env := &obj.Env{}
	var got []string
	for _, h := range hs {
		v, ok, err := obj.MakeSkyCoord(env, h)
		if !ok || err != nil {
			t.Fatalf("MakeSkyCoord: linked %v, %v", ok, err)
		}
		got = append(got, v.(obj.MimeBundler).MimeBundle()["text/plain"].(string))
	}
	for i := range 2 {
		v, _, _ := obj.MakeSkyCoord(env, hs[i])
		m := v.(obj.Object).Type().Member("transform_to")
		out, err := m.Call(env, v, obj.Args{Pos: []any{"heliographic_stonyhurst"}})
		if err != nil {
			t.Fatalf("transform_to: %v", err)
		}
		got = append(got, out.(obj.MimeBundler).MimeBundle()["text/plain"].(string))
	}
	for i := range py {
		if want[i].Type != "" {
			t.Fatalf("%s: %s", py[i], want[i].Err())
		}
		if got[i] != want[i].Repr {
			t.Errorf("%s\n got %s\nwant %s", py[i], got[i], want[i].Repr)
		}
	}
}

// TestMakeSkyCoordRefusesMismatchedValues: the dataset side handing Tx and Ty that do
// not fill the shape is a ValueError, not an index panic.
func TestMakeSkyCoordRefusesMismatchedValues(t *testing.T) {
	for _, h := range []obj.Helioprojective{
		{Tx: []float64{1, 2}, Ty: []float64{1}, Shape: []int{2}},
		{Tx: []float64{1, 2}, Ty: []float64{1, 2}},
		{Tx: []float64{1, 2, 3}, Ty: []float64{1, 2, 3}, Shape: []int{2, 2}},
	} {
		_, ok, err := obj.MakeSkyCoord(&obj.Env{}, h)
		var e *obj.Error
		if !ok || !errors.As(err, &e) || e.Class != obj.ValueError {
			t.Errorf("%+v: linked %v, error %v; want a ValueError", h, ok, err)
		}
	}
}
