package fits

// RICE_1 encoding (FITS 4.0 §10.4.1), the compressor of the tile-compressed images that
// the DKIST pipeline writes. The bit stream is the one cfitsio's fits_rcomp produces, so
// a file we write is byte-for-byte what fpack or astropy would write for the same
// quantised integers: the first pixel verbatim, then per block of blockSize pixels a
// split-level code (fs+1, or 0 for an all-zero block, or fsmax+1 for raw differences)
// followed by the Rice codes of the zig-zag mapped differences between neighbours.

// riceBitWriter accumulates a most-significant-bit-first bit stream.
type riceBitWriter struct {
	buf     []byte
	pending uint64 // the low `count` bits are not yet written to buf
	count   uint
}

// write appends the low nbits (at most 32) of v.
func (w *riceBitWriter) write(v uint32, nbits uint) {
	w.pending = w.pending<<nbits | uint64(v)&(1<<nbits-1)
	w.count += nbits
	for w.count >= 8 {
		w.count -= 8
		w.buf = append(w.buf, byte(w.pending>>w.count))
	}
}

// writeUnary appends n zero bits followed by a one bit.
func (w *riceBitWriter) writeUnary(n uint32) {
	for n >= 32 {
		w.write(0, 32)
		n -= 32
	}
	w.write(1, uint(n)+1)
}

// flush pads the last partial byte with zero bits.
func (w *riceBitWriter) flush() {
	if w.count > 0 {
		w.buf = append(w.buf, byte(w.pending<<(8-w.count)))
		w.count = 0
	}
}

// Parameters of RICE_1 for 4-byte pixels (BYTEPIX 4).
const (
	riceFSBits32 = 5  // bits of the split-level code
	riceFSMax32  = 25 // split levels at or above this store raw differences
	riceBBits32  = 32 // bits of one raw difference
)

// riceEncode32 appends to dst the RICE_1 encoding of pixels with BYTEPIX 4 and the given
// block size (the ZVAL of BLOCKSIZE, 32 in DKIST files) and returns the extended slice.
func riceEncode32(dst []byte, pixels []int32, blockSize int) []byte {
	if len(pixels) == 0 {
		return dst
	}
	if blockSize <= 0 {
		blockSize = 32
	}
	w := riceBitWriter{buf: dst}
	w.write(uint32(pixels[0]), 32)
	var diffBuf [64]uint32
	diff := diffBuf[:]
	if blockSize > len(diffBuf) {
		diff = make([]uint32, blockSize)
	}
	last := pixels[0]
	for start := 0; start < len(pixels); start += blockSize {
		block := pixels[start:min(start+blockSize, len(pixels))]
		n := len(block)
		var sum float64
		for j, next := range block {
			d := next - last // wraps on overflow; the decoder wraps back the same way
			if d < 0 {
				diff[j] = ^(uint32(d) << 1)
			} else {
				diff[j] = uint32(d) << 1
			}
			sum += float64(diff[j])
			last = next
		}
		// The split level: the number of bits of half the mean mapped difference.
		mean := (sum - float64(n/2) - 1) / float64(n)
		if mean < 0 {
			mean = 0
		}
		var fs uint
		for p := uint32(mean) >> 1; p > 0; p >>= 1 {
			fs++
		}
		switch {
		case fs >= riceFSMax32:
			w.write(riceFSMax32+1, riceFSBits32)
			for _, d := range diff[:n] {
				w.write(d, riceBBits32)
			}
		case fs == 0 && sum == 0:
			w.write(0, riceFSBits32)
		default:
			w.write(uint32(fs+1), riceFSBits32)
			for _, d := range diff[:n] {
				w.writeUnary(d >> fs)
				if fs > 0 {
					w.write(d, fs)
				}
			}
		}
	}
	w.flush()
	return w.buf
}
