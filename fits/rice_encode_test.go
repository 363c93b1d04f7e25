package fits

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// riceRoundTrip encodes pixels and decodes them with the RICE_1 decoder.
func riceRoundTrip(t testing.TB, pixels []int32, blockSize int) {
	t.Helper()
	enc := riceEncode32(nil, pixels, blockSize)
	got := make([]int32, len(pixels))
	if err := riceDecode(enc, got, blockSize, 4); err != nil {
		t.Fatalf("decoding %d pixels (block %d): %v", len(pixels), blockSize, err)
	}
	for i := range pixels {
		if got[i] != pixels[i] {
			t.Fatalf("pixel %d of %d (block %d): decoded %d, encoded %d", i, len(pixels), blockSize, got[i], pixels[i])
		}
	}
}

func TestRiceEncodeRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	cases := map[string][]int32{
		"single":   {7},
		"zeros":    make([]int32, 100),
		"extremes": {math.MaxInt32, math.MinInt32, 0, -1, math.MaxInt32, 1, math.MinInt32},
	}
	// Gaussian noise of each spread, from quieter than one bit to near the int32 range,
	// each under its own name so every spread runs.
	for _, spread := range []float64{0.3, 3, 300, 3e5, 3e8} {
		p := make([]int32, 1000)
		for i := range p {
			p[i] = int32(1000 + rng.NormFloat64()*spread)
		}
		cases[fmt.Sprintf("normal_spread_%g", spread)] = p
	}
	// One outlier in a quiet block makes long unary codes.
	outlier := make([]int32, 64)
	outlier[40] = 1 << 20
	cases["outlier"] = outlier
	if len(cases) != 9 {
		t.Fatalf("%d cases, want 9: a case name collided", len(cases))
	}
	for name, p := range cases {
		t.Run(name, func(t *testing.T) {
			for _, block := range []int{16, 32, 7} {
				riceRoundTrip(t, p, block)
			}
		})
	}
}

// FuzzRiceEncode checks that any pixels survive encoding and decoding.
func FuzzRiceEncode(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 255, 255, 255, 255, 0, 0, 0, 0}, uint8(32))
	f.Add([]byte{127, 255, 255, 255, 128, 0, 0, 0}, uint8(16))
	f.Add(make([]byte, 400), uint8(32))
	f.Fuzz(func(t *testing.T, raw []byte, block uint8) {
		pixels := make([]int32, len(raw)/4)
		for i := range pixels {
			pixels[i] = int32(binary.BigEndian.Uint32(raw[4*i:]))
		}
		riceRoundTrip(t, pixels, int(block%64)+1)
	})
}
