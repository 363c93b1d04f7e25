package wcs

import (
	"strconv"
	"strings"
	"testing"

	"gokist/runtime/wcs/internal/wcstest"
)

// vispTutorialLayout is a real-VISP-sized layout (4 × 1000 files of 976 × 2555) whose
// files all carry VISP_HEADER.hdr, stepped in raster by CRPIX3.
// vispHeaderPath is a real VISP file header (text cards).
const vispHeaderPath = "../../../shared/data/dkist-headers/VISP_HEADER.hdr"

func vispTutorialLayout(t testing.TB) Layout {
	h := wcstest.ReadTextHeader(t, vispHeaderPath)
	infos := make([]FileInfo, 1000)
	for r := range infos {
		fi, err := ParseFileInfo(h.Set("CRPIX3", 538.5172545826539-float64(r)).Set("STOKES", "I"))
		if err != nil {
			t.Fatal(err)
		}
		infos[r] = fi
	}
	return Layout{
		Shape:      []int{4, 1000, 976, 2555},
		Axes:       []AxisSource{{0, 0}, {0, 1}, {2, -1}, {1, -1}},
		SpanShape:  []int{4, 1000},
		File:       func(span []int) FileInfo { return infos[span[1]] },
		PixelNames: []string{"polarization state", "raster scan step number", "dispersion axis", "spatial along slit"},
		WorldNames: []string{"helioprojective latitude", "wavelength", "helioprojective longitude", "polarization state"},
		WorldUnits: []string{"arcsec", "nm", "arcsec", ""},
		WorldTypes: []string{"SPATIAL", "SPECTRAL", "SPATIAL", "STOKES"},
	}
}

func TestPixelToWorldDoesNotAllocatePerPoint(t *testing.T) {
	w, err := New(vispTutorialLayout(t))
	if err != nil {
		t.Fatal(err)
	}
	small := testing.AllocsPerRun(5, func() { _, _, _, _ = w.ArrayWorld(3, 10) })
	large := testing.AllocsPerRun(5, func() { _, _, _, _ = w.ArrayWorld(3, 2555) })
	if large > small {
		t.Errorf("ArrayWorld allocates per point: %v allocations for 10 points, %v for 2555", small, large)
	}
}

// BenchmarkArrayWorldSlit evaluates the world coordinates along a full VISP slit (2555
// points, the x axis of a slit plot) and compares with astropy.wcs on the same header:
// all_pix2world (vectorised, low level) and pixel_to_world (high level, as ndcube uses).
// astropySlitTimes caches the Python timings across the benchmark's b.N rounds.
var astropySlitTimes string

func BenchmarkArrayWorldSlit(b *testing.B) {
	w, err := New(vispTutorialLayout(b))
	if err != nil {
		b.Fatal(err)
	}
	if astropySlitTimes == "" {
		wcstest.RunPython(b, `
import sys, json, time, warnings
warnings.simplefilter('ignore')
import numpy as np
from astropy.io import fits
from astropy.wcs import WCS
from astropy.utils import iers
iers.conf.auto_download = False
h = fits.Header.fromfile(json.load(sys.stdin), sep='\n', endcard=False, padding=False)
w = WCS(h)
x = np.arange(2555.0); z = np.zeros(2555)
def best(f):
    r = []
    for _ in range(5):
        t = time.perf_counter(); f(); r.append(time.perf_counter() - t)
    return min(r)
lo = best(lambda: w.all_pix2world(x, z, z, 0))
hi = best(lambda: w.pixel_to_world(x, z, z))
print(json.dumps("%r %r" % (lo, hi)))
`, vispHeaderPath, &astropySlitTimes)
	}
	f := strings.Fields(astropySlitTimes)
	lo, _ := strconv.ParseFloat(f[0], 64)
	hi, _ := strconv.ParseFloat(f[1], 64)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, _, err := w.ArrayWorld(3, 2555); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	per := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(lo/per, "x_faster_than_astropy_all_pix2world")
	b.ReportMetric(hi/per, "x_faster_than_astropy_pixel_to_world")
}

// BenchmarkWorldToPixel times the numerical inverse at one point of the VISP layout.
func BenchmarkWorldToPixel(b *testing.B) {
	w, err := New(vispTutorialLayout(b))
	if err != nil {
		b.Fatal(err)
	}
	world, err := w.PixelToWorldValues(1000.3, 500.2, 400.7, 2)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := w.WorldToPixelValues(world); err != nil {
			b.Fatal(err)
		}
	}
}
