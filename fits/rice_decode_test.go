package fits

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// riceTestPixels makes rows that exercise every RICE_1 block kind: constant runs (all-zero
// difference blocks), gentle noise (small split levels), rare huge outliers in quiet rows
// (unary runs longer than the 64-bit buffer), and white noise over the full int32 range
// (raw 32-bit blocks).
func riceTestPixels(rng *rand.Rand, width int) []int32 {
	p := make([]int32, width)
	kind := rng.IntN(5)
	base := rng.Int32N(1 << 20)
	for i := range p {
		switch kind {
		case 0:
			p[i] = base
		case 1:
			p[i] = base + int32(rng.NormFloat64()*16)
		case 2:
			p[i] = base + int32(rng.IntN(3)) - 1
			if rng.IntN(200) == 0 {
				p[i] += int32(rng.IntN(1 << 12))
			}
		case 3:
			p[i] = int32(rng.Uint32())
		default:
			if i/40%2 == 0 {
				p[i] = base
			} else {
				p[i] = base + int32(rng.NormFloat64()*float64(int32(1)<<rng.IntN(20)))
			}
		}
	}
	return p
}

// TestRiceDecode32Roundtrip decodes encoder output of every block kind, width and block
// size with the fast BYTEPIX 4 decoder and checks it returns the encoded pixels, and that
// the plain bit-reader decoder agrees.
func TestRiceDecode32Roundtrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	par, _ := riceParamsFor(4)
	for trial := range 400 {
		width := []int{1, 2, 7, 31, 32, 33, 100, 2555}[trial%8]
		blockSize := []int{32, 16, 1, 7}[trial/8%4]
		want := riceTestPixels(rng, width)
		src := riceEncode32(nil, want, blockSize)
		got := make([]int32, width)
		if err := riceDecode(src, got, blockSize, 4); err != nil {
			t.Fatalf("trial %d (width %d, block %d): %v", trial, width, blockSize, err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d (width %d, block %d): decoded pixels differ from the encoded ones", trial, width, blockSize)
		}
		ref := make([]int32, width)
		if err := riceDecodeBytewise(src, ref, blockSize, par); err != nil || !slices.Equal(ref, want) {
			t.Fatalf("trial %d: reference decoder disagrees (%v)", trial, err)
		}
		// A stream cut short must fail, never return garbage silently or panic.
		if len(src) > 8 {
			cut := src[:len(src)-len(src)/3-4]
			if err := riceDecode(cut, got, blockSize, 4); err == nil && !slices.Equal(got, want) {
				t.Fatalf("trial %d: a truncated stream decoded without error to other pixels", trial)
			}
		}
	}
}

// TestRiceDecode32Dequantise checks the fused NO_DITHER dequantisation against the
// formula worked out here: zero + scale·i in float64, rounded to float32 for ZBITPIX -32,
// the blank integer giving NaN.
func TestRiceDecode32Dequantise(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	q := riceTestPixels(rng, 2555)
	q[5], q[700] = quantNullValue, quantNullValue
	src := riceEncode32(nil, q, 32)
	m := pixelMap{scale: 0.37, zero: 3012.5, blank: quantNullValue, hasBlank: true, round32: true}
	got32 := make([]float32, len(q))
	if err := riceDecode32To(src, got32, 32, &m); err != nil {
		t.Fatal(err)
	}
	m.round32 = false
	got64 := make([]float64, len(q))
	if err := riceDecode32To(src, got64, 32, &m); err != nil {
		t.Fatal(err)
	}
	for i, v := range q {
		if v == quantNullValue {
			if !math.IsNaN(float64(got32[i])) || !math.IsNaN(got64[i]) {
				t.Fatalf("pixel %d: blank gave %v / %v, want NaN", i, got32[i], got64[i])
			}
			continue
		}
		x := float64(v)*0.37 + 3012.5
		if got32[i] != float32(x) || got64[i] != x {
			t.Fatalf("pixel %d (q=%d): got %v / %v, want %v", i, v, got32[i], got64[i], x)
		}
	}
}

// FuzzRiceDecode32 feeds arbitrary streams to the fast BYTEPIX 4 decoder: it must never
// panic, and whenever it and the plain bit-reader decoder both succeed they must agree.
func FuzzRiceDecode32(f *testing.F) {
	rng := rand.New(rand.NewPCG(4, 4))
	for range 4 {
		f.Add(riceEncode32(nil, riceTestPixels(rng, 100), 32), 32, 100)
	}
	f.Add([]byte{0, 0, 0, 5, 0x00}, 32, 10)
	f.Add([]byte{0x12, 0x34, 0x56, 0x78, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff}, 4, 9)
	par, _ := riceParamsFor(4)
	f.Fuzz(func(t *testing.T, src []byte, blockSize, n int) {
		n = min(max(n, 0), 1<<14)
		blockSize = min(max(blockSize, -1), 1<<10)
		got := make([]int32, n)
		err := riceDecode(src, got, blockSize, 4)
		ref := make([]int32, n)
		refErr := riceDecodeBytewise(src, ref, blockSize, par)
		if err == nil && refErr == nil && !slices.Equal(got, ref) {
			t.Fatalf("fast and reference decoders disagree")
		}
	})
}
