package wcs

import (
	"math"
	"reflect"
	"testing"

	"gokist/runtime/wcs/asdf"
	"gokist/runtime/wcs/internal/wcstest"
)

const croppableVISP = "../../../shared/data/dkist-headers/croppable_visp.asdf.gz"

// TestCroppableVISPGWCS evaluates the gwcs of a real VISP dataset's ASDF index (dkist's
// varying celestial transform, coupled compound model and lookup tables): names and
// units from its frames, the linear spectral axis by hand, Stokes and time from their
// tables, and the celestial pair against astropy.wcs built from the table row that the
// raster index selects.
func TestCroppableVISPGWCS(t *testing.T) {
	shape := []int{4, 688, 976, 2555}
	w, err := FromASDF(croppableVISP, shape, nil)
	if err != nil {
		t.Fatal(err)
	}
	// gwcs's StokesFrame names its axis "stokes" (its frame is "polarization state").
	if got := w.WorldAxisNames(); !reflect.DeepEqual(got, []string{"helioprojective longitude", "wavelength", "helioprojective latitude", "time", "stokes"}) {
		t.Errorf("world names %q", got)
	}
	if got := w.WorldAxisPhysicalTypes(); !reflect.DeepEqual(got, []string{"custom:pos.helioprojective.lon", "em.wl", "custom:pos.helioprojective.lat", "time", "phys.polarization.stokes"}) {
		t.Errorf("physical types %q", got)
	}
	if got := w.WorldAxisUnits(); !reflect.DeepEqual(got, []string{"arcsec", "nm", "arcsec", "s", ""}) {
		t.Errorf("world units %q", got)
	}
	if got := w.PixelAxisNames(); !reflect.DeepEqual(got, []string{"spatial along slit", "dispersion axis", "raster scan step number", "polarization state"}) {
		t.Errorf("pixel names %q", got)
	}
	T, F := true, false
	if got := w.AxisCorrelationMatrix(); !reflect.DeepEqual(got, [][]bool{{T, F, T, F}, {F, T, F, F}, {T, F, T, F}, {F, F, T, F}, {F, F, F, T}}) {
		t.Errorf("correlation %v", got)
	}
	// The tables, read straight from the tree.
	f, err := asdf.Read(croppableVISP)
	if err != nil {
		t.Fatal(err)
	}
	vct := asdf.FindTag(f.Root(), "varying_celestial_transform", 0)
	crpix, _, _, _ := f.Quantity(asdf.MapGet(vct, "crpix"))
	cdelt, _, _, _ := f.Quantity(asdf.MapGet(vct, "cdelt"))       // deg/pixel
	crval, _, _, _ := f.Quantity(asdf.MapGet(vct, "crval_table")) // deg
	pc, _, _ := f.Numbers(asdf.MapGet(asdf.MapGet(vct, "pc_table"), "value"))
	if len(crval) != 2*688 || len(pc) != 4*688 {
		t.Fatalf("tables of %d and %d numbers", len(crval), len(pc))
	}
	pts := [][4]float64{{0, 0, 0, 0}, {2554, 975, 687, 3}, {1200.5, 480, 300, 1}, {17, 3, 299.6, 2}}
	var jobs []wcstest.AstropyJob
	for _, p := range pts {
		z := int(math.RoundToEven(p[2]))
		h := wcstest.Header{
			{"NAXIS", int64(2)}, {"CTYPE1", "HPLN-TAN"}, {"CTYPE2", "HPLT-TAN"}, {"CUNIT1", "deg"}, {"CUNIT2", "deg"},
			{"CRPIX1", crpix[0] + 1}, {"CRPIX2", crpix[1] + 1},
			{"CRVAL1", crval[2*z]}, {"CRVAL2", crval[2*z+1]},
			// dkist scales by cdelt before the PC matrix: CD_ij = PC_ij·CDELT_j.
			{"CD1_1", pc[4*z] * cdelt[0]}, {"CD1_2", pc[4*z+1] * cdelt[1]},
			{"CD2_1", pc[4*z+2] * cdelt[0]}, {"CD2_2", pc[4*z+3] * cdelt[1]}, {"LONPOLE", 180.0},
		}
		// The varying transform's x is the raster pixel and y the slit pixel.
		jobs = append(jobs, wcstest.AstropyJob{Header: wcstest.HeaderPairs(h), Pix: [][]float64{{p[2], p[0]}}})
	}
	ref := wcstest.AstropyWorld(t, jobs)
	for i, p := range pts {
		got, err := w.PixelToWorldValues(p[0], p[1], p[2], p[3])
		if err != nil {
			t.Fatal(err)
		}
		lon, lat := ref[i][0][0]*3600, ref[i][0][1]*3600
		if !wcstest.CloseTo(got[0], lon, 1e-9, 360*3600) || !wcstest.CloseTo(got[2], lat, 1e-9, 0) {
			t.Errorf("pixel %v: (Tx, Ty) = (%.12g, %.12g), astropy (%.12g, %.12g)", p, got[0], got[2], lon, lat)
		}
		if want := 630.2424776472172 + 0.00162511509639976*p[1]; !wcstest.CloseTo(got[1], want, 1e-12, 0) {
			t.Errorf("pixel %v: wavelength %.15g, want %.15g", p, got[1], want)
		}
		if want := float64(1 + int(math.Round(p[3]))); got[4] != want {
			t.Errorf("pixel %v: Stokes %v, want %v", p, got[4], want)
		}
		back, err := w.WorldToPixelValues(got)
		if err != nil {
			t.Fatal(err)
		}
		for k := range back {
			if k == 2 && p[2] != math.Round(p[2]) {
				continue // between raster steps the celestial pair is the rounded step's
			}
			if math.Abs(back[k]-p[k]) > 1e-5 {
				t.Errorf("round trip of %v: %v", p, back)
				break
			}
		}
	}
	// Time: the lookup table at whole raster steps, linear between them.
	a, _ := w.PixelToWorldValues(0, 0, 10, 0)
	b, _ := w.PixelToWorldValues(0, 0, 11, 0)
	m, _ := w.PixelToWorldValues(0, 0, 10.25, 0)
	if !(b[3] > a[3]) || !wcstest.CloseTo(m[3], 0.75*a[3]+0.25*b[3], 1e-12, 0) {
		t.Errorf("time at raster 10, 10.25, 11: %v %v %v", a[3], m[3], b[3])
	}
	vals, err := w.PixelToWorld(0, 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) != 4 {
		t.Fatalf("high-level values %v", vals)
	}
	if s, ok := vals[3].(*StokesCoord); !ok || s.Symbol() != "I" {
		t.Errorf("Stokes %v", vals[3])
	}
	if sc, ok := vals[0].(*SkyCoord); !ok || isot(sc.Obstime) != "2022-10-24T19:15:37.808" {
		t.Errorf("SkyCoord %+v", vals[0])
	}
}
