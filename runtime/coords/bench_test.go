package coords_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"gokist/internal/pyref"
	"gokist/lang"
)

// benchGrid is a dataset-sized helioprojective grid (1000 × 100 points) and its
// transform to Stonyhurst, the work of ds.axis_world_coords → heliographic.
const benchGrid = `import numpy as np
tx, ty = np.meshgrid(np.linspace(-800, 800, 100), np.linspace(-600, 600, 1000))
c = SkyCoord(tx*u.arcsec, ty*u.arcsec, frame='helioprojective', obstime='2023-05-21T04:00:00', observer='earth')
`

const benchCell = "h = c.transform_to('heliographic_stonyhurst')"

// sunpyBenchPy times the transform in sunpy: the median of 5 runs, in seconds.
const sunpyBenchPy = `
import time, warnings
from astropy.utils import iers
iers.conf.auto_download = False
import astropy.units as u
from astropy.coordinates import SkyCoord
import sunpy.coordinates
` + benchGrid + `
ts = []
for _ in range(5):
    t = time.perf_counter(); ` + benchCell + `; ts.append(time.perf_counter() - t)
print(sorted(ts)[2])
`

// BenchmarkHPCToStonyhurst transforms 10^5 helioprojective points to Stonyhurst and
// reports the time as a ratio to sunpy's in the same run (x_sunpy_time).
func BenchmarkHPCToStonyhurst(b *testing.B) {
	pyref.Require(b, "sunpy")
	out, err := pyref.Output(nil, sunpyBenchPy)
	if err != nil {
		b.Fatalf("sunpy reference: %v", err)
	}
	ref, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		b.Fatalf("sunpy reference: %q", out)
	}
	s := lang.NewSession()
	if _, err := s.Execute(context.Background(), goPrelude+benchGrid, nil); err != nil {
		b.Fatal(err)
	}
	start, n := time.Now(), 0
	for b.Loop() {
		if _, err := s.Execute(context.Background(), benchCell, nil); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(time.Since(start).Seconds()/float64(n)/ref, "x_sunpy_time")
	b.ReportMetric(ref, "sunpy_s")
}
