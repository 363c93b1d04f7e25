package fits

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// errRiceShort reports a Rice stream that ends before all pixels are decoded.
var errRiceShort = errors.New("RICE_1 stream ends before the tile's pixels are decoded")

// riceReader is an MSB-first bit reader over a Rice stream: buf holds n valid bits at its
// top. Reads past the end of src report errRiceShort instead of panicking.
type riceReader struct {
	src []byte
	p   int
	buf uint64
	n   uint
}

// refill tops buf up to at least 57 valid bits while bytes remain.
func (r *riceReader) refill() {
	if r.p+8 <= len(r.src) {
		v := binary.BigEndian.Uint64(r.src[r.p:])
		r.buf |= v >> r.n
		k := (63 - r.n) >> 3
		r.p += int(k)
		r.n += k * 8
		return
	}
	for r.n <= 56 && r.p < len(r.src) {
		r.buf |= uint64(r.src[r.p]) << (56 - r.n)
		r.p++
		r.n += 8
	}
}

// read returns the next k bits (k ≤ 32).
func (r *riceReader) read(k uint) (uint64, error) {
	if r.n < k {
		r.refill()
		if r.n < k {
			return 0, errRiceShort
		}
	}
	v := r.buf >> (64 - k)
	if k == 0 {
		v = 0
	}
	r.buf <<= k
	r.n -= k
	return v, nil
}

// zeros consumes a unary code (zeros ended by a one bit) and returns the count of zeros.
func (r *riceReader) zeros() (uint64, error) {
	var z uint64
	for {
		if r.n == 0 {
			r.refill()
			if r.n == 0 {
				return 0, errRiceShort
			}
		}
		lz := uint(bits.LeadingZeros64(r.buf))
		if lz < r.n {
			r.buf <<= lz + 1
			r.n -= lz + 1
			return z + uint64(lz), nil
		}
		z += uint64(r.n)
		r.buf <<= r.n
		r.n = 0
	}
}

// riceParams are the code parameters for one pixel width (BYTEPIX).
type riceParams struct {
	fsBits, fsMax, bBits uint
}

func riceParamsFor(bytePix int) (riceParams, error) {
	switch bytePix {
	case 1:
		return riceParams{3, 6, 8}, nil
	case 2:
		return riceParams{4, 14, 16}, nil
	case 4:
		return riceParams{5, 25, 32}, nil
	}
	return riceParams{}, fmt.Errorf("RICE_1 BYTEPIX = %d is not 1, 2 or 4", bytePix)
}

// riceDecode decodes a RICE_1 stream (FITS 4.0 §10.4.1, cfitsio's fits_rdecomp) of
// len(dst) pixels of bytePix bytes each, with the given block size, into dst. BYTEPIX 4
// pixels are int32, 2 are int16 and 1 are unsigned bytes, as the encoder stored them.
func riceDecode(src []byte, dst []int32, blockSize, bytePix int) error {
	par, err := riceParamsFor(bytePix)
	if err != nil {
		return err
	}
	if bytePix == 4 {
		return riceDecode32To(src, dst, blockSize, &pixelMap{identity: true})
	}
	return riceDecodeBytewise(src, dst, blockSize, par)
}

// riceDecodeBytewise is the plain bit-reader decoder for any BYTEPIX: the one used for
// BYTEPIX 1 and 2, and the reference the fast BYTEPIX 4 decoder is tested against.
func riceDecodeBytewise(src []byte, dst []int32, blockSize int, par riceParams) error {
	bytePix := int(par.bBits / 8)
	if blockSize <= 0 {
		return fmt.Errorf("RICE_1 BLOCKSIZE = %d is not positive", blockSize)
	}
	if len(dst) == 0 {
		return nil
	}
	if len(src) < bytePix {
		return errRiceShort
	}
	mask := uint32(1)<<(8*uint(bytePix)) - 1
	if bytePix == 4 {
		mask = ^uint32(0)
	}
	var last uint32
	for i := range bytePix {
		last = last<<8 | uint32(src[i])
	}
	r := riceReader{src: src[bytePix:]}
	signExtend := func(v uint32) int32 {
		switch bytePix {
		case 1:
			return int32(uint8(v))
		case 2:
			return int32(int16(uint16(v)))
		}
		return int32(v)
	}
	fsMax := uint64(par.fsMax)
	for i := 0; i < len(dst); {
		code, err := r.read(par.fsBits)
		if err != nil {
			return err
		}
		end := min(i+blockSize, len(dst))
		switch {
		case code == 0:
			// Low entropy: every difference in the block is zero.
			v := signExtend(last)
			for ; i < end; i++ {
				dst[i] = v
			}
		case code-1 == fsMax:
			// High entropy: differences stored raw with bBits bits each.
			for ; i < end; i++ {
				d, err := r.read(par.bBits)
				if err != nil {
					return err
				}
				diff := uint32(d)
				diff = diff>>1 ^ -(diff & 1) // undo the sign folding without a branch
				last = (last + diff) & mask
				dst[i] = signExtend(last)
			}
		case code-1 > fsMax:
			return fmt.Errorf("RICE_1 split level %d exceeds the maximum %d", code-1, fsMax)
		default:
			fs := uint(code - 1)
			for ; i < end; i++ {
				top, err := r.zeros()
				if err != nil {
					return err
				}
				low, err := r.read(fs)
				if err != nil {
					return err
				}
				diff := uint32(top<<fs | low)
				diff = diff>>1 ^ -(diff & 1) // undo the sign folding without a branch
				last = (last + diff) & mask
				dst[i] = signExtend(last)
			}
		}
	}
	return nil
}

// pixelMap turns the integers a tile decodes to into the values stored in the
// destination: integers as they are (identity), or quantised floats restored as
// zero + scale·i (FITS 4.0 §10.5, NO_DITHER), computed in float64 as cfitsio does and,
// for ZBITPIX -32, rounded to float32 (round32) like astropy's result; blank marks the
// integer that stands for an undefined pixel (NaN).
type pixelMap struct {
	identity    bool
	scale, zero float64
	blank       int32
	hasBlank    bool
	round32     bool
}

// mapPixel applies a pixelMap, passed as its fields, to one decoded integer; blank is
// widened to int64 so that "no blank" is a value no int32 equals. Fields rather than the
// struct, so that the decoder keeps them in registers instead of copying the struct (or
// reloading it after every store) per pixel.
func mapPixel[T ~int32 | ~float32 | ~float64](v int32, identity bool, scale, zero float64, blank int64, round32 bool) T {
	if identity {
		return T(v)
	}
	if int64(v) == blank {
		nan := math.NaN()
		return T(nan)
	}
	x := float64(v)*scale + zero
	if round32 {
		return T(float32(x))
	}
	return T(x)
}

// riceDecode32To decodes a BYTEPIX 4 RICE_1 stream, the DKIST case, into dst, mapping
// each pixel through mp as it is decoded, so that a quantised float tile needs no integer
// scratch and no second pass. The 64-bit bit buffer holds n valid bits at its top; while
// 8 bytes of input remain it is topped up with one unaligned 8-byte load, and a pixel
// costs a leading-zero count and two shifts.
func riceDecode32To[T ~int32 | ~float32 | ~float64](src []byte, dst []T, blockSize int, mp *pixelMap) error {
	const fsBits, fsMax = 5, 25
	identity, scale, zero, round32 := mp.identity, mp.scale, mp.zero, mp.round32
	blank := int64(mp.blank)
	if !mp.hasBlank {
		blank = math.MaxInt64 // no int32 equals it
	}
	if blockSize <= 0 {
		return fmt.Errorf("RICE_1 BLOCKSIZE = %d is not positive", blockSize)
	}
	if len(dst) == 0 {
		return nil
	}
	if len(src) < 4 {
		return errRiceShort
	}
	last := binary.BigEndian.Uint32(src)
	p := 4
	// Invariant: n ≤ 63, and the bits of buf below the top n are zero or already the
	// stream's next bits, so OR-ing in a fresh load at bit n is exact.
	var buf uint64
	var n uint
	for i := 0; i < len(dst); {
		buf, n, p = riceRefill(src, buf, n, p)
		if n < fsBits {
			return errRiceShort
		}
		code := uint(buf >> (64 - fsBits))
		buf <<= fsBits
		n -= fsBits
		end := min(i+blockSize, len(dst))
		out := dst[i:end]
		i = end
		switch {
		case code == 0:
			// Low entropy: every difference in the block is zero.
			v := mapPixel[T](int32(last), identity, scale, zero, blank, round32)
			for j := range out {
				out[j] = v
			}
			continue
		case code > fsMax+1:
			return fmt.Errorf("RICE_1 split level %d exceeds the maximum %d", code-1, fsMax)
		case code == fsMax+1:
			// High entropy: differences stored raw in 32 bits each.
			for j := range out {
				if n < 32 {
					buf, n, p = riceRefill(src, buf, n, p)
					if n < 32 {
						return errRiceShort
					}
				}
				diff := uint32(buf >> 32)
				buf <<= 32
				n -= 32
				last += diff>>1 ^ -(diff & 1) // undo the sign folding without a branch
				out[j] = mapPixel[T](int32(last), identity, scale, zero, blank, round32)
			}
			continue
		}
		fs := code - 1
		one := uint(1) << fs // the unary code's terminating one bit, seen above the fs low bits
		j := 0
		for j < len(out) {
			if n < 32 {
				if p+8 > len(src) {
					break
				}
				buf |= binary.BigEndian.Uint64(src[p:]) >> n
				p += int((63 - n) >> 3)
				n |= 56
			}
			lz := uint(bits.LeadingZeros64(buf))
			s := lz + 1 + fs
			if s > n {
				break // a unary run longer than the buffer: the careful loop below
			}
			// The code's s bits, read as a number, are one<<fs | low (the leading zeros
			// add nothing), so diff = lz<<fs + low. lz·one rather than lz<<fs, and the one
			// shift: amd64 has a single shift-count register, and the multiply is off the
			// bit buffer's dependency chain.
			diff := uint32(lz*one + uint(buf>>((64-s)&63)) - one)
			buf <<= s & 63
			n -= s
			last += diff>>1 ^ -(diff & 1)
			out[j] = mapPixel[T](int32(last), identity, scale, zero, blank, round32)
			j++
		}
		// The end of the stream, or long unary runs: refill byte by byte and count zeros
		// across refills.
		for ; j < len(out); j++ {
			var z uint
			for {
				if n == 0 {
					buf, n, p = riceRefill(src, buf, n, p)
					if n == 0 {
						return errRiceShort
					}
				}
				lz := uint(bits.LeadingZeros64(buf))
				if lz < n {
					buf <<= lz + 1
					n -= lz + 1
					z += lz
					break
				}
				z += n
				buf <<= n & 63
				n = 0
				if z > 1<<32 {
					return fmt.Errorf("RICE_1 unary code longer than any 32-bit difference")
				}
			}
			if n < fs {
				buf, n, p = riceRefill(src, buf, n, p)
				if n < fs {
					return errRiceShort
				}
			}
			diff := uint32(z<<fs | uint((buf>>1)>>((63-fs)&63)))
			buf <<= fs
			n -= fs
			last += diff>>1 ^ -(diff & 1)
			out[j] = mapPixel[T](int32(last), identity, scale, zero, blank, round32)
		}
	}
	return nil
}

// riceRefill tops the bit buffer up to at least 56 valid bits while input remains: with
// one 8-byte load when 8 bytes remain, byte by byte near the end.
func riceRefill(src []byte, buf uint64, n uint, p int) (uint64, uint, int) {
	if p+8 <= len(src) {
		buf |= binary.BigEndian.Uint64(src[p:]) >> n
		return buf, n | 56, p + int((63-n)>>3)
	}
	for n <= 55 && p < len(src) {
		buf |= uint64(src[p]) << (56 - n)
		p++
		n += 8
	}
	return buf, n, p
}
