package fits

import (
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// dkistBenchScript writes a 976 x 2555 float32 image (smooth spectrum-like rows plus noise)
// as a DKIST-like RICE_1 file (empty primary, one row per tile, NO_DITHER, NOISEBIT 16)
// and as a plain twin, then prints the best of several astropy full decodes of the RICE_1
// file, in seconds.
const dkistBenchScript = `
import sys, time, warnings
import numpy as np
from astropy.io import fits
warnings.simplefilter("ignore")
d = sys.argv[1]
rng = np.random.default_rng(11)
y, x = np.mgrid[0:976, 0:2555]
img = 3000 + 800 * np.sin(x / 90.0) * np.cos(y / 70.0) - 1500 * np.exp(-((y - 500) / 6.0) ** 2)
img = (img + rng.normal(0, 25, img.shape)).astype(np.float32)
fits.HDUList([fits.PrimaryHDU(), fits.CompImageHDU(img, compression_type="RICE_1",
    quantize_method=-1, quantize_level=16.0, tile_size=[2555, 1])]).writeto(d + "/rice.fits")
fits.HDUList([fits.PrimaryHDU(img)]).writeto(d + "/plain.fits")
best = 1e9
for _ in range(3):
    t0 = time.perf_counter()
    with fits.open(d + "/rice.fits") as h:
        data = h[1].data
        data.sum()
    best = min(best, time.perf_counter() - t0)
print(best)
`

// BenchmarkDKISTRead decodes the full RICE_1 image and its plain twin and reads a
// 100 x 100 region from each. MB/s count decoded float32 bytes; x_faster_than_astropy
// compares the best RICE_1 full decode with astropy's best on the same file in the same run.
func BenchmarkDKISTRead(b *testing.B) {
	dir := b.TempDir()
	out := pyRun(b, dkistBenchScript, dir)
	astropySeconds, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		b.Fatalf("astropy timing %q: %v", out, err)
	}
	for _, name := range []string{"rice", "plain"} {
		im, err := OpenImage(filepath.Join(dir, name+".fits"))
		if err != nil {
			b.Fatal(err)
		}
		full := make([]float32, im.Size())
		b.Run(name+"_full", func(b *testing.B) {
			b.SetBytes(int64(4 * len(full)))
			// The machine is shared: compare best-of-N with astropy's best-of-3.
			best := time.Duration(math.MaxInt64)
			for b.Loop() {
				t0 := time.Now()
				if err := im.ReadRegion32([]int{0, 0}, im.Shape, full); err != nil {
					b.Fatal(err)
				}
				best = min(best, time.Since(t0))
			}
			if name == "rice" {
				b.ReportMetric(astropySeconds/best.Seconds(), "x_faster_than_astropy")
			}
		})
		region := make([]float32, 100*100)
		b.Run(name+"_region100x100", func(b *testing.B) {
			b.SetBytes(int64(4 * len(region)))
			for b.Loop() {
				if err := im.ReadRegion32([]int{400, 1200}, []int{500, 1300}, region); err != nil {
					b.Fatal(err)
				}
			}
		})
		im.Close()
	}
}
