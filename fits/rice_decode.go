package fits

import (
	"encoding/binary"
	"errors"
	"fmt"
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
	if blockSize <= 0 {
		return fmt.Errorf("RICE_1 BLOCKSIZE = %d is not positive", blockSize)
	}
	if len(dst) == 0 {
		return nil
	}
	if len(src) < bytePix {
		return errRiceShort
	}
	if bytePix == 4 {
		return riceDecode32(src, dst, blockSize)
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

// riceDecode32 is riceDecode for BYTEPIX 4, the DKIST case, with the bit buffer kept in
// locals so that the per-pixel path is a refill check, a leading-zero count and two shifts.
func riceDecode32(src []byte, dst []int32, blockSize int) error {
	const fsBits, fsMax = 5, 25
	last := binary.BigEndian.Uint32(src)
	p := 4
	var buf uint64 // valid bits at the top
	var n uint     // number of valid bits in buf
	for i := 0; i < len(dst); {
		if n < 57 {
			if p+8 <= len(src) {
				buf |= binary.BigEndian.Uint64(src[p:]) >> n
				k := (63 - n) >> 3
				p += int(k)
				n += k * 8
			} else {
				buf, n, p = riceRefillTail(src, buf, n, p)
			}
		}
		if n < fsBits {
			return errRiceShort
		}
		code := uint(buf >> (64 - fsBits))
		buf <<= fsBits
		n -= fsBits
		end := min(i+blockSize, len(dst))
		switch {
		case code == 0:
			for ; i < end; i++ {
				dst[i] = int32(last)
			}
			continue
		case code > fsMax+1:
			return fmt.Errorf("RICE_1 split level %d exceeds the maximum %d", code-1, fsMax)
		case code == fsMax+1:
			for ; i < end; i++ {
				if n < 32 {
					buf, n, p = riceRefillTail(src, buf, n, p)
					if n < 32 {
						return errRiceShort
					}
				}
				diff := uint32(buf >> 32)
				buf <<= 32
				n -= 32
				diff = diff>>1 ^ -(diff & 1) // undo the sign folding without a branch
				last += diff
				dst[i] = int32(last)
			}
			continue
		}
		fs := code - 1
		out := dst[i:end]
		for j := range out {
			if n < 57 {
				if p+8 <= len(src) {
					buf |= binary.BigEndian.Uint64(src[p:]) >> n
					k := (63 - n) >> 3
					p += int(k)
					n += k * 8
				} else {
					buf, n, p = riceRefillTail(src, buf, n, p)
				}
			}
			lz := uint(bits.LeadingZeros64(buf))
			var diff uint32
			if lz+1+fs <= n {
				b := buf << (lz + 1)
				diff = uint32(lz<<fs | uint(b>>(64-fs)))
				buf = b << fs
				n -= lz + 1 + fs
			} else {
				// A run of zeros longer than the buffer, or the end of the stream.
				var z uint
				for {
					if n == 0 {
						buf, n, p = riceRefillTail(src, buf, n, p)
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
					buf <<= n
					n = 0
					if z > 1<<32 {
						return fmt.Errorf("RICE_1 unary code longer than any 32-bit difference")
					}
				}
				if n < fs {
					buf, n, p = riceRefillTail(src, buf, n, p)
					if n < fs {
						return errRiceShort
					}
				}
				diff = uint32(z<<fs | uint(buf>>(64-fs)))
				buf <<= fs
				n -= fs
			}
			diff = diff>>1 ^ -(diff & 1) // undo the sign folding without a branch
			last += diff
			out[j] = int32(last)
		}
		i = end
	}
	return nil
}

// riceRefillTail tops up the bit buffer byte by byte (used near the end of the stream).
func riceRefillTail(src []byte, buf uint64, n uint, p int) (uint64, uint, int) {
	for n <= 56 && p < len(src) {
		buf |= uint64(src[p]) << (56 - n)
		p++
		n += 8
	}
	return buf, n, p
}
