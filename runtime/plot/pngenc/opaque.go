package pngenc

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/adler32"
	"hash/crc32"
	"image"
	"sync"
)

// encodeOpaquePNG writes an opaque RGBA picture as an 8-bit RGB PNG whose rows all use
// the Up filter (each byte minus the one above it). A plot's rows mostly repeat the row
// above, so Up turns them into runs of zeros that deflate quickly and small; image/png
// instead tries all five filters on every row, which took a quarter of a line plot's
// rendering. The two halves of the rows are deflated at once, as pigz does: the first
// ends with a sync flush (byte-aligned, not final) so that the second continues the
// stream. The pixels are the same as image/png's; only the file's bytes differ.
func encodeOpaquePNG(img *image.RGBA) ([]byte, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	st := pngStates.Get().(*pngState)
	defer pngStates.Put(st)
	rowLen := 1 + 3*w
	if cap(st.raw) < h*rowLen {
		st.raw = make([]byte, h*rowLen)
	}
	raw := st.raw[:h*rowLen]
	bounds := [3]int{0, h / 2, h} // the rows of each part
	var errs [2]error
	var sums [2]uint32
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			part := raw[bounds[i]*rowLen : bounds[i+1]*rowLen]
			filterUp(part, img, w, bounds[i], bounds[i+1])
			sums[i] = adler32.Checksum(part)
			errs[i] = st.deflate(i, part, i == 1)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("encoding PNG: %w", err)
		}
	}

	var out bytes.Buffer
	out.Grow(st.z[0].Len() + st.z[1].Len() + 64)
	out.WriteString("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 2 // 8 bits per sample, truecolour
	writeChunk(&out, "IHDR", ihdr[:])
	// The zlib stream: header (deflate, 32K window, fastest), the two parts, Adler-32.
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], adler32Combine(sums[0], sums[1], len(raw)-bounds[1]*rowLen))
	writeChunk(&out, "IDAT", []byte{0x78, 0x01}, st.z[0].Bytes(), st.z[1].Bytes(), sum[:])
	writeChunk(&out, "IEND")
	return out.Bytes(), nil
}

// pngState is one encoder's reusable buffers: the filtered rows and each part's
// compressor and output.
type pngState struct {
	raw []byte // the scanlines
	fw  [2]*flate.Writer
	z   [2]bytes.Buffer
}

var pngStates = sync.Pool{New: func() any { return &pngState{} }}

// filterUp writes rows y0 to y1 of the picture as PNG scanlines into raw: filter byte
// 2 (Up), then each RGB byte minus the one above it (the row above the first is zero).
func filterUp(raw []byte, img *image.RGBA, w, y0, y1 int) {
	rowLen := 1 + 3*w
	for y := y0; y < y1; y++ {
		src := img.Pix[y*img.Stride : y*img.Stride+4*w]
		dst := raw[(y-y0)*rowLen : (y-y0+1)*rowLen]
		dst[0] = 2
		dst = dst[1:]
		if y == 0 {
			for x, j := 0, 0; x < len(src); x, j = x+4, j+3 {
				dst[j], dst[j+1], dst[j+2] = src[x], src[x+1], src[x+2]
			}
			continue
		}
		up := img.Pix[(y-1)*img.Stride : (y-1)*img.Stride+4*w]
		up = up[:len(src)]
		for x, j := 0, 0; x+3 < len(src) && j+2 < len(dst); x, j = x+4, j+3 {
			dst[j], dst[j+1], dst[j+2] = src[x]-up[x], src[x+1]-up[x+1], src[x+2]-up[x+2]
		}
	}
}

// adler32Combine is the Adler-32 of A followed by B from theirs and B's length (zlib's
// adler32_combine).
func adler32Combine(a, b uint32, lenB int) uint32 {
	const base = 65521
	rem := uint32(lenB % base)
	sum1 := a & 0xffff
	sum2 := (rem * sum1) % base
	sum1 += (b & 0xffff) + base - 1
	sum2 += (a >> 16) + (b >> 16) + base - rem
	if sum1 >= base {
		sum1 -= base
	}
	if sum1 >= base {
		sum1 -= base
	}
	if sum2 >= base<<1 {
		sum2 -= base << 1
	}
	if sum2 >= base {
		sum2 -= base
	}
	return sum1 | sum2<<16
}

// deflate compresses part i of the scanlines into st.z[i]: closed (final block) for the
// last part, flushed (byte-aligned, more to come) for the others.
func (st *pngState) deflate(i int, data []byte, last bool) error {
	st.z[i].Reset()
	if st.fw[i] == nil {
		fw, err := flate.NewWriter(&st.z[i], flate.BestSpeed)
		if err != nil {
			return err
		}
		st.fw[i] = fw
	} else {
		st.fw[i].Reset(&st.z[i])
	}
	if _, err := st.fw[i].Write(data); err != nil {
		return err
	}
	if last {
		return st.fw[i].Close()
	}
	return st.fw[i].Flush()
}

// writeChunk writes one PNG chunk: length, type, the data (in pieces) and the CRC of
// type and data.
func writeChunk(out *bytes.Buffer, typ string, data ...[]byte) {
	n := 0
	for _, d := range data {
		n += len(d)
	}
	var word [4]byte
	binary.BigEndian.PutUint32(word[:], uint32(n))
	out.Write(word[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	out.WriteString(typ)
	for _, d := range data {
		crc.Write(d)
		out.Write(d)
	}
	binary.BigEndian.PutUint32(word[:], crc.Sum32())
	out.Write(word[:])
}
