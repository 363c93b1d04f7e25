package fits

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gokist/internal/pyref"
)

func TestLowerMedianMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 1; n < 3000; n += 37 {
		for trial := range 5 {
			values := make([]float32, n)
			for i := range values {
				values[i] = float32(rng.IntN(20 + trial*50)) // many ties
			}
			sorted := slices.Clone(values)
			slices.Sort(sorted)
			abs := slices.Clone(values)
			for i := range abs {
				abs[i] = float32(math.Abs(float64(abs[i]))) * float32(math.Exp(rng.NormFloat64()*3))
			}
			sortedAbs := slices.Clone(abs)
			slices.Sort(sortedAbs)
			if got, want := lowerMedian(values), sorted[(n-1)/2]; got != want {
				t.Fatalf("n=%d: lowerMedian = %v, want %v", n, got, want)
			}
			if got, want := lowerMedianAbs(abs), sortedAbs[(n-1)/2]; got != want {
				t.Fatalf("n=%d: lowerMedianAbs = %v, want %v", n, got, want)
			}
		}
	}
}

// astropyTilesScript writes the float image in argv[1] (raw little-endian, dtype argv[2],
// shape argv[3]) as a RICE_1 image with one row per tile, NOISEBIT 16, NO_DITHER, and
// prints each tile's ZSCALE, ZZERO and compressed bytes as JSON.
const astropyTilesScript = `
import sys, json, warnings
import numpy as np
from astropy.io import fits
warnings.simplefilter("error")
shape = tuple(int(x) for x in sys.argv[3].split(","))
data = np.fromfile(sys.argv[1], dtype="<" + sys.argv[2]).reshape(shape)
tile = [shape[-1]] + [1] * (len(shape) - 1)
hdu = fits.CompImageHDU(data, compression_type="RICE_1", tile_size=tile,
                        quantize_level=16, quantize_method=-1)
path = sys.argv[1] + ".fits"
fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(path)
with fits.open(path, disable_image_compression=True) as f:
    rows = []
    for r in f[1].data:
        rows.append({"scale": float(r["ZSCALE"]), "zero": float(r["ZZERO"]),
                     "rice": [int(b) for b in r["COMPRESSED_DATA"]],
                     "gzip": len(r["GZIP_COMPRESSED_DATA"])})
print(json.dumps(rows))
`

type astropyTile struct {
	Scale float64 `json:"scale"`
	Zero  float64 `json:"zero"`
	Rice  []int   `json:"rice"`
	Gzip  int     `json:"gzip"`
}

// testImageRows makes rows of a noisy, smooth image with a few special rows: constant,
// short-range, large offset, steps.
func testImageRows(nx, ny int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 7))
	data := make([]float64, nx*ny)
	for y := range ny {
		for x := range nx {
			v := 1000 + 300*math.Sin(float64(x)/17+float64(y)) + rng.NormFloat64()*3
			switch y % 6 {
			case 1:
				v = 5 // constant row: cannot be quantised
			case 2:
				v = -2e4 + rng.NormFloat64()*1e-3
			case 3:
				v = float64(x/5) + rng.NormFloat64()*0.01 // staircase
			}
			data[y*nx+x] = v
		}
	}
	return data
}

func TestQuantizeAndRiceMatchAstropy(t *testing.T) {
	for _, dtype := range []string{"f4", "f8"} {
		t.Run(dtype, func(t *testing.T) {
			const nx, ny = 333, 12
			values := testImageRows(nx, ny, 3)
			dir := t.TempDir()
			raw := filepath.Join(dir, "image.raw")
			var buf bytes.Buffer
			f32 := make([]float32, len(values))
			for i, v := range values {
				f32[i] = float32(v)
				if dtype == "f4" {
					binary.Write(&buf, binary.LittleEndian, f32[i])
				} else {
					binary.Write(&buf, binary.LittleEndian, v)
				}
			}
			if err := os.WriteFile(raw, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			var tiles []astropyTile
			out := pyref.Run(t, astropyTilesScript, raw, dtype, "12,333")
			if err := json.Unmarshal(out, &tiles); err != nil {
				t.Fatalf("astropy output: %v\n%s", err, out)
			}
			if len(tiles) != ny {
				t.Fatalf("astropy wrote %d tiles, want %d", len(tiles), ny)
			}
			ints := make([]int32, nx)
			for y, want := range tiles {
				var scale, zero float64
				var ok bool
				if dtype == "f4" {
					scale, zero, ok = quantizeTile(f32[y*nx:(y+1)*nx], nx, 1, 16, ints)
				} else {
					scale, zero, ok = quantizeTile(values[y*nx:(y+1)*nx], nx, 1, 16, ints)
				}
				if ok != (want.Gzip == 0) {
					t.Fatalf("row %d: quantised=%v, astropy used gzip fallback=%v", y, ok, want.Gzip != 0)
				}
				if !ok {
					continue
				}
				if scale != want.Scale || zero != want.Zero {
					t.Errorf("row %d: ZSCALE, ZZERO = %v, %v; astropy %v, %v", y, scale, zero, want.Scale, want.Zero)
				}
				got := riceEncode32(nil, ints, 32)
				wantBytes := make([]byte, len(want.Rice))
				for i, b := range want.Rice {
					wantBytes[i] = byte(b)
				}
				if !bytes.Equal(got, wantBytes) {
					t.Errorf("row %d: RICE_1 bytes differ from astropy's (%d vs %d bytes)", y, len(got), len(wantBytes))
				}
			}
		})
	}
}
