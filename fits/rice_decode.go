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
				if diff&1 == 0 {
					diff >>= 1
				} else {
					diff = ^(diff >> 1)
				}
				last = (last + diff) & mask
				dst[i] = signExtend(last)
			}
		case code-1 > fsMax:
			return fmt.Errorf("RICE_1 split level %d exceeds the maximum %d", code-1, fsMax)
		default:
			fs := uint(code - 1)
			if bytePix == 4 {
				// The hot path of DKIST files: inline refill and unary decoding.
				if err := riceBlock32(&r, dst[i:end], fs, &last); err != nil {
					return err
				}
				i = end
				continue
			}
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
				if diff&1 == 0 {
					diff >>= 1
				} else {
					diff = ^(diff >> 1)
				}
				last = (last + diff) & mask
				dst[i] = signExtend(last)
			}
		}
	}
	return nil
}

// riceBlock32 decodes one block of split level fs for 4-byte pixels.
func riceBlock32(r *riceReader, dst []int32, fs uint, lastp *uint32) error {
	last := *lastp
	for i := range dst {
		if r.n < 57 {
			r.refill()
		}
		lz := uint(bits.LeadingZeros64(r.buf))
		var diff uint32
		if lz+1+fs <= r.n {
			b := r.buf << (lz + 1)
			low := b >> (64 - fs)
			if fs == 0 {
				low = 0
			}
			r.buf = b << fs
			r.n -= lz + 1 + fs
			diff = uint32(uint64(lz)<<fs | low)
		} else {
			top, err := r.zeros()
			if err != nil {
				return err
			}
			low, err := r.read(fs)
			if err != nil {
				return err
			}
			diff = uint32(top<<fs | low)
		}
		if diff&1 == 0 {
			diff >>= 1
		} else {
			diff = ^(diff >> 1)
		}
		last += diff
		dst[i] = int32(last)
	}
	*lastp = last
	return nil
}
