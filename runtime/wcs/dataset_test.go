package wcs

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"gokist/obj"
	"gokist/runtime/wcs/internal/wcstest"
)

const (
	gridStokes = 4
	gridRaster = 5
	gridWave   = 16
	gridSlit   = 20
)

var gridT0 = time.Date(2022, 10, 24, 19, 47, 33, 351000000, time.UTC)

// gridHeader is the header of the file at (stokes s, raster step r): the raster step is
// placed by CRPIX3 = -r, DATE-AVG advances 3 s per step, STOKES names the parameter.
func gridHeader(s, r int) wcstest.Header {
	return wcstest.VISPLike(gridSlit, gridWave).
		Set("CRPIX3", float64(-r)).
		Set("DATE-AVG", gridT0.Add(time.Duration(r)*3*time.Second).Format("2006-01-02T15:04:05.000000")).
		Set("STOKES", string("IQUV"[s]))
}

func gridLayout(t testing.TB) Layout {
	t.Helper()
	infos := make([][]FileInfo, gridStokes)
	for s := range infos {
		infos[s] = make([]FileInfo, gridRaster)
		for r := range infos[s] {
			fi, err := ParseFileInfo(gridHeader(s, r))
			if err != nil {
				t.Fatal(err)
			}
			infos[s][r] = fi
		}
	}
	return Layout{
		Shape:         []int{gridStokes, gridRaster, gridWave, gridSlit},
		Axes:          []AxisSource{{0, 0}, {0, 1}, {2, -1}, {1, -1}},
		SpanShape:     []int{gridStokes, gridRaster},
		File:          func(span []int) FileInfo { return infos[span[0]][span[1]] },
		PixelNames:    []string{"polarization state", "raster scan step number", "dispersion axis", "spatial along slit"},
		WorldNames:    []string{"helioprojective latitude", "wavelength", "helioprojective longitude", "polarization state"},
		WorldUnits:    []string{"arcsec", "nm", "arcsec", ""},
		WorldTypes:    []string{"SPATIAL", "SPECTRAL", "SPATIAL", "STOKES"},
		InFileLength1: map[int]bool{3: true},
	}
}

// gridCase is one evaluation: a view, a pixel in the view (WCS order), and the base array
// pixel (numpy order) it stands for, worked out by hand from the slice/rebin rules.
type gridCase struct {
	name string
	view *WCS
	pix  []float64
	base [4]float64
}

func TestDatasetWCSAgainstAstropy(t *testing.T) {
	w, err := New(gridLayout(t))
	if err != nil {
		t.Fatal(err)
	}
	wantNames := []string{"helioprojective latitude", "wavelength", "helioprojective longitude", "time", "polarization state"}
	if got := w.WorldAxisNames(); !reflect.DeepEqual(got, wantNames) {
		t.Fatalf("world axis names %q", got)
	}
	if got := w.WorldAxisUnits(); !reflect.DeepEqual(got, []string{"arcsec", "nm", "arcsec", "s", ""}) {
		t.Errorf("world axis units %q", got)
	}
	if got := w.WorldAxisPhysicalTypes(); !reflect.DeepEqual(got, []string{"custom:pos.helioprojective.lat", "em.wl", "custom:pos.helioprojective.lon", "time", "phys.polarization.stokes"}) {
		t.Errorf("physical types %q", got)
	}
	if got := w.PixelAxisNames(); !reflect.DeepEqual(got, []string{"spatial along slit", "dispersion axis", "raster scan step number", "polarization state"}) {
		t.Errorf("pixel axis names %q", got)
	}
	T, F := true, false
	wantCorr := [][]bool{{T, F, T, F}, {F, T, F, F}, {T, F, T, F}, {F, F, T, F}, {F, F, F, T}}
	if got := w.AxisCorrelationMatrix(); !reflect.DeepEqual(got, wantCorr) {
		t.Errorf("correlation matrix %v", got)
	}

	var cases []gridCase
	add := func(name string, v *WCS, pix []float64, base [4]float64) {
		cases = append(cases, gridCase{name, v, pix, base})
	}
	// Corners and centre of the full grid, and fractional raster positions.
	for mask := 0; mask < 16; mask++ {
		var b [4]float64
		for k, n := range []int{gridStokes, gridRaster, gridWave, gridSlit} {
			if mask&(1<<k) != 0 {
				b[k] = float64(n - 1)
			}
		}
		add("corner", w, []float64{b[3], b[2], b[1], b[0]}, b)
	}
	add("centre", w, []float64{9.5, 7.5, 2, 1.5}, [4]float64{1.5, 2, 7.5, 9.5})
	add("fractional raster", w, []float64{3, 4, 1.25, 2}, [4]float64{2, 1.25, 4, 3})
	add("fractional raster 2", w, []float64{17.2, 11, 3.5, 0}, [4]float64{0, 3.5, 11, 17.2})
	add("extrapolated raster", w, []float64{1, 1, -0.5, 0}, [4]float64{0, -0.5, 1, 1})

	// ds[1, 1:5:2, 15::-3, 7]: a 2-D view (raster, wavelength).
	v1, err := w.Slice([]Item{{Index: 1, Drop: true}, {Start: 1, Step: 2, Len: 2}, {Start: 15, Step: -3, Len: 6}, {Index: 7, Drop: true}})
	if err != nil {
		t.Fatal(err)
	}
	if got := v1.WorldAxisNames(); !reflect.DeepEqual(got, wantNames[:4]) {
		t.Errorf("sliced world axes %q", got)
	}
	if got := v1.AxisCorrelationMatrix(); !reflect.DeepEqual(got, [][]bool{{F, T}, {T, F}, {F, T}, {F, T}}) {
		t.Errorf("sliced correlation %v", got)
	}
	for _, p := range [][2]float64{{0, 0}, {5, 1}, {2.5, 0.5}, {5, 0}} { // (wavelength, raster) WCS order
		add("sliced", v1, p[:], [4]float64{1, 1 + 2*p[1], 15 - 3*p[0], 7})
	}
	// v1[1, 1:4]: only the wavelength axis remains, so only the wavelength world axis.
	v2, err := v1.Slice([]Item{{Index: 1, Drop: true}, {Start: 1, Step: 1, Len: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if got := v2.WorldAxisNames(); !reflect.DeepEqual(got, []string{"wavelength"}) {
		t.Errorf("twice-sliced world axes %q", got)
	}
	for _, p := range []float64{0, 2, 1.5} {
		add("sliced twice", v2, []float64{p}, [4]float64{1, 3, 15 - 3*(1+p), 7})
	}
	// rebin (1, 5, 4, 5): new p ↔ old (p+0.5)·f − 0.5.
	r1, err := w.Rebin([]int{1, 5, 4, 5})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r1.Shape(), []int{4, 1, 4, 4}) {
		t.Errorf("rebinned shape %v", r1.Shape())
	}
	for _, p := range [][4]float64{{0, 0, 0, 0}, {3, 0, 3, 3}, {2, 0, 1.5, 2}} { // array order
		add("rebinned", r1, []float64{p[3], p[2], p[1], p[0]},
			[4]float64{p[0], (p[1]+0.5)*5 - 0.5, (p[2]+0.5)*4 - 0.5, (p[3]+0.5)*5 - 0.5})
	}
	// ds[:, 1:5, ::2].rebin((1, 2, 1, 2)): slice then rebin, raster lands between files.
	s3, err := w.Slice([]Item{{Start: 0, Step: 1, Len: 4}, {Start: 1, Step: 1, Len: 4}, {Start: 0, Step: 2, Len: 8}, {Start: 0, Step: 1, Len: 20}})
	if err != nil {
		t.Fatal(err)
	}
	r3, err := s3.Rebin([]int{1, 2, 1, 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][4]float64{{0, 0, 0, 0}, {3, 1, 7, 9}, {1, 1, 3, 4}} {
		add("sliced+rebinned", r3, []float64{p[3], p[2], p[1], p[0]},
			[4]float64{p[0], 1 + (p[1]+0.5)*2 - 0.5, 2 * p[2], (p[3]+0.5)*2 - 0.5})
	}

	// Ask astropy for every raster file at every in-file pixel the cases need.
	var inFile [][]float64
	index := map[[2]float64]int{}
	for _, c := range cases {
		k := [2]float64{c.base[3], c.base[2]}
		if _, ok := index[k]; !ok {
			index[k] = len(inFile)
			inFile = append(inFile, []float64{c.base[3], c.base[2], 0})
		}
	}
	jobs := make([]wcstest.AstropyJob, gridRaster)
	for r := range jobs {
		jobs[r] = wcstest.AstropyJob{Header: wcstest.HeaderPairs(gridHeader(0, r)), Pix: inFile}
	}
	ref := wcstest.AstropyWorld(t, jobs)
	expect := func(b [4]float64) map[string]float64 {
		// Linear interpolation between the raster files around b[1] (extrapolating past
		// the ends), the way the design asks; Stokes numbers interpolate likewise.
		lo := math.Max(0, math.Min(gridRaster-2, math.Floor(b[1])))
		frac := b[1] - lo
		i := index[[2]float64{b[3], b[2]}]
		a, c := ref[int(lo)][i], ref[int(lo)+1][i]
		mix := func(k int) float64 { return (1-frac)*a[k] + frac*c[k] }
		return map[string]float64{
			wantNames[0]: mix(0), wantNames[1]: mix(1), wantNames[2]: mix(2),
			"time": 3 * b[1], "polarization state": b[0] + 1,
		}
	}
	for _, c := range cases {
		got, err := c.view.PixelToWorldValues(c.pix...)
		if err != nil {
			t.Fatalf("%s %v: %v", c.name, c.pix, err)
		}
		want := expect(c.base)
		for i, name := range c.view.WorldAxisNames() {
			period := 0.0
			if strings.HasSuffix(name, "longitude") {
				period = 360 * 3600
			}
			if !wcstest.CloseTo(got[i], want[name], 1e-9, period) {
				t.Errorf("%s pixel %v (base %v): %s = %.15g, want %.15g", c.name, c.pix, c.base, name, got[i], want[name])
			}
		}
		// Round trip through the numerical inverse.
		back, err := c.view.WorldToPixelValues(got)
		if err != nil {
			t.Fatal(err)
		}
		for i := range back {
			if math.Abs(back[i]-c.pix[i]) > 1e-6 {
				t.Errorf("%s: world_to_pixel(pixel_to_world(%v)) = %v", c.name, c.pix, back)
				break
			}
		}
	}
}

func TestDatasetHighLevel(t *testing.T) {
	w, err := New(gridLayout(t))
	if err != nil {
		t.Fatal(err)
	}
	vals, err := w.PixelToWorld(3, 2, 4, 1) // slit 3, wavelength 2, raster 4, stokes Q
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) != 4 {
		t.Fatalf("%d high-level values: %v", len(vals), vals)
	}
	sky, ok1 := vals[0].(*SkyCoord)
	spec, ok2 := vals[1].(*SpectralCoord)
	tm, ok3 := vals[2].(*Time)
	st, ok4 := vals[3].(*StokesCoord)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		t.Fatalf("types %T %T %T %T", vals[0], vals[1], vals[2], vals[3])
	}
	ref := wcstest.AstropyWorld(t, []wcstest.AstropyJob{{Header: wcstest.HeaderPairs(gridHeader(1, 4)), Pix: [][]float64{{3, 2, 0}}}})[0][0]
	if !wcstest.CloseTo(sky.Lon, ref[2], 1e-9, 360*3600) || !wcstest.CloseTo(sky.Lat, ref[0], 1e-9, 0) || sky.Unit != "arcsec" || sky.Frame != "helioprojective" {
		t.Errorf("SkyCoord %+v, astropy (Tx, Ty) = (%v, %v)", sky, ref[2], ref[0])
	}
	if !wcstest.CloseTo(spec.Value, ref[1], 1e-9, 0) || spec.Unit != "nm" {
		t.Errorf("SpectralCoord %+v, astropy %v nm", spec, ref[1])
	}
	if want := gridT0.Add(12 * time.Second); !tm.T.Equal(want) {
		t.Errorf("Time %v, want %v", tm.T, want)
	}
	if st.Symbol() != "Q" {
		t.Errorf("Stokes %v", st.Value)
	}
	if got := tm.MimeBundle()["text/plain"]; got != "<Time object: scale='utc' format='isot' value=2022-10-24T19:47:45.351>" {
		t.Errorf("Time repr %q", got)
	}
	if got := st.MimeBundle()["text/plain"]; got != "<StokesCoord 'Q'>" {
		t.Errorf("Stokes repr %q", got)
	}
	wantSky := fmt.Sprintf("<SkyCoord (Helioprojective: obstime=2022-10-24T19:47:33.351, rsun=695700.0 km, observer=None): (Tx, Ty) in arcsec\n    (%s, %s)>", formatNumber(sky.Lon), formatNumber(sky.Lat))
	if got := sky.MimeBundle()["text/plain"]; got != wantSky {
		t.Errorf("SkyCoord repr %q", got)
	}
	// world_to_pixel takes the high-level values back.
	pix, err := w.WorldToPixel(vals...)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{3, 2, 4, 1} {
		if math.Abs(pix[i].(float64)-want) > 1e-6 {
			t.Errorf("world_to_pixel = %v", pix)
			break
		}
	}
	// ... and plain numbers, and a wavelength in another unit, and a Stokes symbol.
	pix, err = w.WorldToPixel(sky, &Quantity{Value: spec.Value * 10, Unit: "Angstrom"}, tm, "Q")
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(pix[1].(float64)-2) > 1e-6 || math.Abs(pix[3].(float64)-1) > 1e-6 {
		t.Errorf("world_to_pixel with Angstrom and 'Q' = %v", pix)
	}
	if _, err := w.WorldToPixel(sky, spec); err == nil {
		t.Error("world_to_pixel with too few values accepted")
	}
	if _, err := w.WorldToPixel(sky, sky, tm, "Q"); err == nil {
		t.Error("world_to_pixel with a SkyCoord for the wavelength accepted")
	}
	if _, err := w.PixelToWorld(1, 2); err == nil {
		t.Error("pixel_to_world with 2 of 4 pixel values accepted")
	}
	// A value of the wrong type names the argument's position, the world axis and what the
	// axis takes. World order is (Ty, wavelength, Tx, time, stokes): the SkyCoord fills
	// world axes 0 and 2, so the wavelength is argument 2 but world axis 1, the time
	// argument 3 but world axis 3.
	wrongType := []struct {
		world []any
		want  string
	}{
		{[]any{sky, nil, tm, "Q"}, "world_to_pixel(): argument 2 (world axis 1, wavelength) must be a number, Quantity or SpectralCoord, not NoneType"},
		{[]any{sky, tm, tm, "Q"}, "world_to_pixel(): argument 2 (world axis 1, wavelength) must be a number, Quantity or SpectralCoord, not Time"},
		{[]any{sky, spec, obj.Tuple{1}, "Q"}, "world_to_pixel(): argument 3 (world axis 3, time) must be a number of seconds, Quantity, Time or ISO time string, not tuple"},
		{[]any{sky, spec, tm, obj.List{}}, "world_to_pixel(): argument 4 (world axis 4, polarization state) must be a number, StokesCoord or Stokes name ('I', 'Q', 'U', 'V'), not list"},
	}
	for _, c := range wrongType {
		_, err := w.WorldToPixel(c.world...)
		var oe *obj.Error
		if !errors.As(err, &oe) || oe.Class != obj.TypeError || oe.Msg != c.want {
			t.Errorf("world_to_pixel(%v): error %v (%T)\nwant TypeError %q", c.world, err, err, c.want)
		}
	}
	if _, err := w.WorldToPixel(sky, &Quantity{Value: 1, Unit: "s"}, tm, "Q"); err == nil || !strings.Contains(err.Error(), "argument 2 (world axis 1, wavelength)") {
		t.Errorf("world_to_pixel with seconds for the wavelength: %v", err)
	}
}

func TestArrayWorld(t *testing.T) {
	w, err := New(gridLayout(t))
	if err != nil {
		t.Fatal(err)
	}
	name, unit, vals, err := w.ArrayWorld(2, gridWave)
	if err != nil {
		t.Fatal(err)
	}
	if name != "wavelength" || unit != "nm" || len(vals) != gridWave {
		t.Fatalf("ArrayWorld(2) = %q %q %d values", name, unit, len(vals))
	}
	// AWAV is linear: CRVAL2 + CDELT2·(p + 1 − CRPIX2).
	for p, v := range vals {
		want := 630.2051 + 0.00162511509639976*(float64(p)+1+23)
		if !wcstest.CloseTo(v, want, 1e-12, 0) {
			t.Errorf("wavelength at %d = %.15g, want %.15g", p, v, want)
		}
	}
	name, unit, vals, err = w.ArrayWorld(1, gridRaster)
	if err != nil || name != "helioprojective longitude" || unit != "arcsec" || len(vals) != gridRaster {
		t.Fatalf("ArrayWorld(1) = %q %q %v %v", name, unit, vals, err)
	}
	if _, _, _, err := w.ArrayWorld(4, 3); err == nil {
		t.Error("ArrayWorld of axis 4 of 4 accepted")
	}
}

func TestNewErrors(t *testing.T) {
	good := gridLayout(t)
	bad := func(f func(l *Layout)) Layout {
		l := good
		l.Axes = append([]AxisSource(nil), good.Axes...)
		f(&l)
		return l
	}
	for name, l := range map[string]Layout{
		"no axes":            bad(func(l *Layout) { l.Shape = nil }),
		"axes mismatch":      bad(func(l *Layout) { l.Axes = l.Axes[:3] }),
		"bad spanning index": bad(func(l *Layout) { l.Axes[0].Spanning = 5 }),
		"no file func":       bad(func(l *Layout) { l.File = nil }),
		"no world for axis":  bad(func(l *Layout) { l.WorldTypes = []string{"SPATIAL", "SPECTRAL", "SPATIAL", "SPATIAL"} }),
	} {
		if _, err := New(l); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// A file with a STOKES that is not a Stokes parameter fails when evaluated.
	l := good
	files := l.File
	l.File = func(span []int) FileInfo {
		fi := files(span)
		if span[0] == 2 {
			fi.Stokes = "Z"
		}
		return fi
	}
	w, err := New(l)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.PixelToWorld(0, 0, 0, 2); err == nil || !strings.Contains(err.Error(), "STOKES") {
		t.Errorf("bad STOKES: %v", err)
	}
}
