package wcs

import (
	"fmt"
	"math"
	"reflect"
	"testing"

	"gokist/runtime/wcs/internal/wcstest"
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

// smallVISPLayout builds the loader's layout for the three small-visp FITS files (read
// with the test-only header reader): DNAXIS 3, DAAXES 2, the raster spanning the files.
func smallVISPLayout(t *testing.T) (Layout, []string) {
	var infos []FileInfo
	var paths []string
	for i := 0; i < 3; i++ {
		path := fmt.Sprintf("%s/%d.fits", smallVISP, i)
		h := wcstest.ReadFITSHeader(t, path)
		if d, _ := h.Int("DINDEX3"); d != int64(i) {
			t.Fatalf("%s: DINDEX3 = %d", path, d)
		}
		fi, err := ParseFileInfo(h)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		infos = append(infos, fi)
		paths = append(paths, path)
	}
	h0 := wcstest.ReadFITSHeader(t, paths[0])
	var names, units, types []string
	for d := 1; d <= 3; d++ {
		n, _ := h0.String(fmt.Sprintf("DWNAME%d", d))
		u, _ := h0.String(fmt.Sprintf("DUNIT%d", d))
		ty, _ := h0.String(fmt.Sprintf("DTYPE%d", d))
		names, units, types = append(names, n), append(units, u), append(types, ty)
	}
	return Layout{
		Shape:         []int{3, 10, 25},
		Axes:          []AxisSource{{0, 0}, {2, -1}, {1, -1}},
		SpanShape:     []int{3},
		File:          func(span []int) FileInfo { return infos[span[0]] },
		PixelNames:    []string{"raster position", "slit position", "wavelength"},
		WorldNames:    names,
		WorldUnits:    units,
		WorldTypes:    types,
		InFileLength1: map[int]bool{3: true},
	}, paths
}

func TestSmallVISPFromHeaders(t *testing.T) {
	l, paths := smallVISPLayout(t)
	w, err := New(l)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.WorldAxisNames(); !reflect.DeepEqual(got, []string{"wavelength", "helioprojective latitude", "helioprojective longitude", "time"}) {
		t.Errorf("world axis names %q", got)
	}
	pix := [][]float64{{0, 0, 0}, {24, 9, 0}, {12, 4.5, 0}}
	var jobs []wcstest.AstropyJob
	for _, p := range paths {
		jobs = append(jobs, wcstest.AstropyJob{FITS: p, Pix: pix})
	}
	ref := wcstest.AstropyWorld(t, jobs) // in CUNIT: m, deg, deg
	for r := 0; r < 3; r++ {
		for i, p := range pix {
			got, err := w.PixelToWorldValues(p[0], p[1], float64(r))
			if err != nil {
				t.Fatal(err)
			}
			want := []float64{ref[r][i][0] * 1e9, ref[r][i][1] * 3600, ref[r][i][2] * 3600, 10 * float64(r)}
			for k := range want {
				if !wcstest.CloseTo(got[k], want[k], 1e-9, []float64{0, 0, 360 * 3600, 0}[k]) {
					t.Errorf("file %d pixel %v world %d: %.15g, astropy %.15g", r, p, k, got[k], want[k])
				}
			}
		}
	}
	vals, err := w.PixelToWorld(0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := isot(vals[2].(*Time).T); got != "2044-03-15T08:22:54.721" {
		t.Errorf("time %s", got)
	}
}

// TestFromASDFByHand checks the small-visp gwcs away from the origin against the chain
// worked out by hand: wavelength 5e-7 m + 1e-11 m·x0; (x, y) = (x1, x2 − 0.5)·1.6666666666667e-5°
// through the gnomonic projection at (0, 0): Tx = atan(x), Ty = asin(y/√(1+x²+y²));
// time 10.000000000003162 s·x2 from 2044-03-15T08:22:54.721.
func TestFromASDFByHand(t *testing.T) {
	w, err := FromASDF(smallVISP+"/test_visp.asdf", []int{3, 10, 25}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.PixelAxisNames(); !reflect.DeepEqual(got, []string{"wavelength", "slit position", "raster position"}) {
		t.Errorf("pixel names from the gwcs input frame: %q", got)
	}
	const s = 1.6666666666667e-05 * math.Pi / 180
	for _, p := range [][3]float64{{24, 9, 2}, {3.5, 7.25, 1.5}, {0, 9, 0}} {
		got, err := w.PixelToWorldValues(p[0], p[1], p[2])
		if err != nil {
			t.Fatal(err)
		}
		x, y := p[1]*s, (p[2]-0.5)*s
		want := []float64{
			(5.0e-07 + 9.99999999999999e-12*p[0]) * 1e9,
			math.Atan(x) * 180 / math.Pi * 3600,
			math.Asin(y/math.Sqrt(1+x*x+y*y)) * 180 / math.Pi * 3600,
			10.000000000003162 * p[2],
		}
		for k := range want {
			if !wcstest.CloseTo(got[k], want[k], 1e-9, 0) {
				t.Errorf("pixel %v world %d: %.15g, want %.15g", p, k, got[k], want[k])
			}
		}
		back, err := w.WorldToPixelValues(got)
		if err != nil {
			t.Fatal(err)
		}
		for k := range back {
			if math.Abs(back[k]-p[k]) > 1e-6 {
				t.Errorf("round trip of %v: %v", p, back)
				break
			}
		}
	}
	// Slicing a gwcs view: ds[1, :, 10] keeps the slit axis, hence the celestial pair.
	v, err := w.Slice([]Item{{Index: 1, Drop: true}, {Start: 0, Step: 1, Len: 10}, {Index: 10, Drop: true}})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.WorldAxisNames(); !reflect.DeepEqual(got, []string{"helioprojective latitude", "helioprojective longitude"}) {
		t.Errorf("sliced world axes %q", got)
	}
	vals, err := v.PixelToWorld(4)
	if err != nil {
		t.Fatal(err)
	}
	sky := vals[0].(*SkyCoord)
	if want := math.Atan(4*s) * 180 / math.Pi * 3600; !wcstest.CloseTo(sky.Lon, want, 1e-9, 0) {
		t.Errorf("Tx %v, want %v", sky.Lon, want)
	}
}

func TestFromASDFErrors(t *testing.T) {
	if _, err := FromASDF(smallVISP+"/0.fits", []int{3, 10, 25}, nil); err == nil {
		t.Error("a FITS file read as ASDF")
	}
	if _, err := FromASDF(smallVISP+"/test_visp.asdf", []int{10, 25}, nil); err == nil {
		t.Error("2 array axes for a 3-input gwcs accepted")
	}
	if _, err := FromASDF(smallVISP+"/missing.asdf", []int{3, 10, 25}, nil); err == nil {
		t.Error("missing file accepted")
	}
}
