package fits

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"
)

// FuzzParseHeader feeds header blocks and text headers to the card parser: no panics, and a
// parsed header encodes to blocks that parse back to the same number of cards.
func FuzzParseHeader(f *testing.F) {
	f.Add([]byte(pad80("SIMPLE  =                    T") + pad80("END")))
	f.Add([]byte(pad80("KEY     = 'a long string &'") + pad80("CONTINUE  'continued' / c") + pad80("END")))
	f.Add([]byte(pad80("HIERARCH ESO DET DIT = 1.5 / x") + pad80("V       = (1.0, 2.0)") + pad80("END")))
	f.Fuzz(func(t *testing.T, data []byte) {
		block := data
		if n := len(block) % BlockLen; n != 0 {
			block = append(append([]byte(nil), block...), bytes.Repeat([]byte(" "), BlockLen-n)...)
		}
		if h, err := ParseHeaderBytes(block); err == nil {
			enc, err := h.Encode()
			if err != nil {
				return // values such as non-ASCII-free but unencodable keys are reported, not panicked on
			}
			h2, err := ParseHeaderBytes(enc)
			if err != nil {
				t.Fatalf("encoded header does not parse: %v", err)
			}
			if h2.Len() != h.Len() {
				t.Fatalf("round trip: %d cards, want %d", h2.Len(), h.Len())
			}
		}
		ParseHeaderText(strings.NewReader(string(data)))
	})
}

// FuzzRiceDecode decodes arbitrary streams: errors, never panics.
func FuzzRiceDecode(f *testing.F) {
	f.Add([]byte{0, 0, 0, 5, 0x00}, 32, 4, 10)
	f.Add([]byte{0x12, 0x34, 0xff, 0xff, 0xff, 0xff, 0xff}, 16, 2, 40)
	f.Fuzz(func(t *testing.T, data []byte, blockSize, bytePix, n int) {
		n = min(max(n, 0), 1<<14)
		blockSize = min(max(blockSize, -1), 1<<10)
		dst := make([]int32, n)
		riceDecode(data, dst, blockSize, []int{1, 2, 4, 3}[(bytePix%4+4)%4])
	})
}

// FuzzGzipTile runs the GZIP_1/GZIP_2 tile path: gunzip, then byte unshuffling.
func FuzzGzipTile(f *testing.F) {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte{0, 1, 0, 2, 0, 3, 0, 4})
	w.Close()
	f.Add(b.Bytes(), 4)
	f.Add(b.Bytes()[:10], 2)
	f.Fuzz(func(t *testing.T, data []byte, npix int) {
		var s tileScratch
		out, err := s.gunzip(data, -1)
		if err != nil || npix <= 0 || len(out)%npix != 0 {
			return
		}
		if width := len(out) / npix; width <= 8 {
			s.unshuffle(out, width)
		}
	})
}

// FuzzOpenImage opens arbitrary bytes as a FITS file and reads the image and a corner:
// every failure is a *fits.Error.
func FuzzOpenImage(f *testing.F) {
	f.Add([]byte("SIMPLE  =                    T"))
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(err error) {
			var fe *Error
			if err != nil && !errors.As(err, &fe) {
				t.Fatalf("error %T %v is not a *fits.Error", err, err)
			}
		}
		file, err := NewFile("fuzz.fits", bytes.NewReader(data), int64(len(data)))
		check(err)
		if err != nil {
			return
		}
		im, err := file.Image()
		check(err)
		if err != nil || im.Size() > 1<<20 {
			return
		}
		_, err = im.Read()
		check(err)
		start := make([]int, len(im.Shape))
		stop := make([]int, len(im.Shape))
		n := 1
		for i, s := range im.Shape {
			stop[i] = min(s, 2)
			n *= stop[i]
		}
		check(im.ReadRegion32(start, stop, make([]float32, n)))
	})
}
