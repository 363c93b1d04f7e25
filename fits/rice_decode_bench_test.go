package fits

import (
	"math"
	"math/rand/v2"
	"testing"
)

// riceBenchTiles returns DKIST-like quantised rows (NOISEBIT 16: the noise spans about 16
// quantisation steps, so differences take about 7 bits) and their RICE_1 encodings.
func riceBenchTiles(rows, width int) ([][]int32, [][]byte) {
	rng := rand.New(rand.NewPCG(3, 5))
	pix := make([][]int32, rows)
	enc := make([][]byte, rows)
	for r := range rows {
		p := make([]int32, width)
		for x := range p {
			smooth := 3000/1.5 + 800/1.5*math.Sin(float64(x)/90)*math.Cos(float64(r)/70)
			p[x] = int32(math.Round(smooth*16/16.7 + rng.NormFloat64()*16))
		}
		pix[r] = p
		enc[r] = riceEncode32(nil, p, 32)
	}
	return pix, enc
}

// BenchmarkRiceDecodeTile decodes DKIST-like 2555-pixel RICE_1 row tiles on one core,
// into int32 and, dequantised on the fly, into float32. MB/s count decoded 4-byte pixels.
func BenchmarkRiceDecodeTile(b *testing.B) {
	const rows, width = 64, 2555
	_, enc := riceBenchTiles(rows, width)
	b.Run("int32", func(b *testing.B) {
		dst := make([]int32, width)
		b.SetBytes(4 * rows * width)
		for b.Loop() {
			for _, src := range enc {
				if err := riceDecode(src, dst, 32, 4); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("float32_dequantised", func(b *testing.B) {
		dst := make([]float32, width)
		m := pixelMap{scale: 1.5625, zero: 3001.25, blank: quantNullValue, hasBlank: true, round32: true}
		b.SetBytes(4 * rows * width)
		for b.Loop() {
			for _, src := range enc {
				if err := riceDecode32To(src, dst, 32, &m); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
