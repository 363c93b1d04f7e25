package fits

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// WriteOptions selects how WriteImage lays out an image.
type WriteOptions struct {
	// Compress writes the DKIST Level-1 layout: an empty primary HDU followed by a
	// BINTABLE holding the image RICE_1 tile-compressed, one image row per tile, floats
	// quantised with NO_DITHER. Without it the image is the primary HDU's data.
	Compress bool
	// NoiseBit is the quantisation level (NOISEBIT): the quantisation step of a tile is
	// its estimated noise divided by NoiseBit. Zero means 16, DKIST's value.
	NoiseBit int
}

// DefaultNoiseBit is the quantisation level of DKIST Level-1 files.
const DefaultNoiseBit = 16

// riceBlockSize is the BLOCKSIZE of the RICE_1 tiles we write, as fpack and astropy use.
const riceBlockSize = 32

// WriteImage writes a FITS file holding one image of the given shape (numpy order: the
// last axis is NAXIS1) whose pixels are data, a []float32 or []float64 in row-major
// order. hdr holds the image's own keywords (WCS, BUNIT, dataset keys ...); WriteImage
// adds the structural ones (SIMPLE/XTENSION, BITPIX, NAXISn, the table and compression
// keywords) and drops any structural keyword hdr carries, as well as CHECKSUM and
// DATASUM, which would no longer match. hdr is not modified and may be nil.
func WriteImage(w io.Writer, hdr *Header, shape []int, data any, opt WriteOptions) error {
	if hdr == nil {
		hdr = NewHeader()
	}
	n := 1
	if len(shape) == 0 || len(shape) > 999 {
		return fmt.Errorf("fits: write image: shape %v must have 1 to 999 axes", shape)
	}
	for i, d := range shape {
		if d <= 0 {
			return fmt.Errorf("fits: write image: axis %d of shape %v is %d, not positive", i, shape, d)
		}
		n *= d
	}
	var bitpix int
	switch v := data.(type) {
	case []float32:
		bitpix = -32
		if len(v) != n {
			return fmt.Errorf("fits: write image: shape %v needs %d pixels, data has %d", shape, n, len(v))
		}
	case []float64:
		bitpix = -64
		if len(v) != n {
			return fmt.Errorf("fits: write image: shape %v needs %d pixels, data has %d", shape, n, len(v))
		}
	default:
		return fmt.Errorf("fits: write image: data of type %T is not []float32 or []float64", data)
	}
	for _, c := range hdr.Cards() {
		switch c.Key {
		case "BSCALE", "BZERO", "BLANK":
			return fmt.Errorf("fits: write image: keyword %s would rescale float pixels; remove it from the header", c.Key)
		}
	}
	noiseBit := opt.NoiseBit
	if noiseBit == 0 {
		noiseBit = DefaultNoiseBit
	}
	if noiseBit < 0 {
		return fmt.Errorf("fits: write image: NoiseBit %d is negative", noiseBit)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var err error
	if opt.Compress {
		switch v := data.(type) {
		case []float32:
			err = writeCompressed(bw, hdr, shape, v, bitpix, noiseBit)
		case []float64:
			err = writeCompressed(bw, hdr, shape, v, bitpix, noiseBit)
		}
	} else {
		err = writePlain(bw, hdr, shape, data, bitpix)
	}
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("fits: write image: %w", err)
	}
	return nil
}

// isStructuralKey reports keywords that describe the layout of an HDU rather than the
// image, which the writer sets itself.
func isStructuralKey(key string) bool {
	switch key {
	case "SIMPLE", "XTENSION", "BITPIX", "NAXIS", "EXTEND", "PCOUNT", "GCOUNT", "TFIELDS",
		"THEAP", "GROUPS", "END", "CHECKSUM", "DATASUM", "ZIMAGE", "ZSIMPLE", "ZTENSION",
		"ZBITPIX", "ZNAXIS", "ZPCOUNT", "ZGCOUNT", "ZCMPTYPE", "ZQUANTIZ", "ZDITHER0",
		"ZEXTEND", "ZBLOCKED", "ZHECKSUM", "ZDATASUM", "ZBLANK", "ZSCALE", "ZZERO":
		return true
	}
	for _, prefix := range []string{"NAXIS", "ZNAXIS", "ZTILE", "ZNAME", "ZVAL", "TTYPE", "TFORM", "TUNIT", "TDIM", "TSCAL", "TZERO", "TNULL", "TDISP"} {
		if rest, ok := strings.CutPrefix(key, prefix); ok && rest != "" {
			if _, err := strconv.Atoi(rest); err == nil {
				return true
			}
		}
	}
	return false
}

// appendImageCards appends hdr's non-structural cards to out.
func appendImageCards(out, hdr *Header) {
	for _, c := range hdr.Cards() {
		if !isStructuralKey(c.Key) {
			out.Append(c)
		}
	}
}

// setAxes sets prefix+"1".. from shape in FITS order (NAXIS1 is the last numpy axis).
func setAxes(h *Header, prefix string, shape []int, comment string) {
	for i := range shape {
		h.Set(prefix+strconv.Itoa(i+1), shape[len(shape)-1-i], comment)
	}
}

// writeHeader encodes h and writes it.
func writeHeader(w io.Writer, h *Header, what string) error {
	b, err := h.Encode()
	if err != nil {
		return fmt.Errorf("fits: write image: %s header: %w", what, err)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("fits: write image: %s header: %w", what, err)
	}
	return nil
}

// writePadding writes zero bytes to complete the 2880-byte block after n data bytes.
func writePadding(w io.Writer, n int64) error {
	if rem := n % BlockLen; rem != 0 {
		if _, err := w.Write(make([]byte, BlockLen-rem)); err != nil {
			return fmt.Errorf("fits: write image: padding: %w", err)
		}
	}
	return nil
}

// writePlain writes the image as the primary HDU's data, big-endian IEEE floats.
func writePlain(w io.Writer, hdr *Header, shape []int, data any, bitpix int) error {
	h := NewHeader()
	h.Set("SIMPLE", true, "conforms to FITS standard")
	h.Set("BITPIX", bitpix, "array data type")
	h.Set("NAXIS", len(shape), "number of array dimensions")
	setAxes(h, "NAXIS", shape, "")
	h.Set("EXTEND", true, "")
	appendImageCards(h, hdr)
	if err := writeHeader(w, h, "primary"); err != nil {
		return err
	}
	buf := make([]byte, 0, 1<<16)
	var written int64
	flush := func() error {
		if _, err := w.Write(buf); err != nil {
			return fmt.Errorf("fits: write image: data: %w", err)
		}
		written += int64(len(buf))
		buf = buf[:0]
		return nil
	}
	switch v := data.(type) {
	case []float32:
		for _, x := range v {
			buf = binary.BigEndian.AppendUint32(buf, math.Float32bits(x))
			if len(buf) == cap(buf) {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	case []float64:
		for _, x := range v {
			buf = binary.BigEndian.AppendUint64(buf, math.Float64bits(x))
			if len(buf) == cap(buf) {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	return writePadding(w, written)
}

// compressedTile is one row of the compressed-image table.
type compressedTile struct {
	rice, gzip  []byte // exactly one is non-empty
	scale, zero float64
}

// gzipTile compresses the big-endian bytes of a tile that cannot be quantised; the
// reader restores the floats losslessly from the GZIP_COMPRESSED_DATA column.
func gzipTile[F float32 | float64](tile []F) ([]byte, error) {
	raw := make([]byte, 0, len(tile)*8)
	for _, x := range tile {
		switch v := any(x).(type) {
		case float32:
			raw = binary.BigEndian.AppendUint32(raw, math.Float32bits(v))
		case float64:
			raw = binary.BigEndian.AppendUint64(raw, math.Float64bits(v))
		}
	}
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.DefaultCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeCompressed writes an empty primary HDU and the image as a RICE_1 tile-compressed
// BINTABLE, one tile per image row, as the DKIST pipeline (through astropy) does.
func writeCompressed[F float32 | float64](w io.Writer, hdr *Header, shape []int, data []F, bitpix, noiseBit int) error {
	nx := shape[len(shape)-1]
	rows := len(data) / nx
	tiles := make([]compressedTile, rows)
	ints := make([]int32, nx)
	heap := make([]byte, 0, len(data))
	var maxRice, maxGzip int
	var quantizer tileQuantizer[F]
	for r := range rows {
		tile := data[r*nx : (r+1)*nx]
		t := &tiles[r]
		scale, zero, ok := quantizer.quantize(tile, nx, 1, float32(noiseBit), ints)
		start := len(heap)
		if ok {
			heap = riceEncode32(heap, ints, riceBlockSize)
			t.rice = heap[start:len(heap):len(heap)]
			t.scale, t.zero = scale, zero
			maxRice = max(maxRice, len(t.rice))
		} else {
			z, err := gzipTile(tile)
			if err != nil {
				return fmt.Errorf("fits: write image: gzip of tile %d: %w", r+1, err)
			}
			heap = append(heap, z...)
			t.gzip = heap[start:len(heap):len(heap)]
			maxGzip = max(maxGzip, len(t.gzip))
		}
		if len(heap) > math.MaxInt32 {
			return fmt.Errorf("fits: write image: compressed heap exceeds 2 GiB at tile %d; 1P descriptors cannot address it", r+1)
		}
	}

	primary := NewHeader()
	primary.Set("SIMPLE", true, "conforms to FITS standard")
	primary.Set("BITPIX", 8, "array data type")
	primary.Set("NAXIS", 0, "number of array dimensions")
	primary.Set("EXTEND", true, "")
	if err := writeHeader(w, primary, "primary"); err != nil {
		return err
	}

	const rowBytes = 32 // two 1PB descriptors (2 x int32 each) and two doubles
	h := NewHeader()
	h.Set("XTENSION", "BINTABLE", "binary table extension")
	h.Set("BITPIX", 8, "array data type")
	h.Set("NAXIS", 2, "number of array dimensions")
	h.Set("NAXIS1", rowBytes, "width of table in bytes")
	h.Set("NAXIS2", rows, "number of rows in table")
	h.Set("PCOUNT", len(heap), "number of group parameters")
	h.Set("GCOUNT", 1, "number of groups")
	h.Set("TFIELDS", 4, "number of fields in each row")
	h.Set("TTYPE1", "COMPRESSED_DATA", "label for field 1")
	h.Set("TFORM1", fmt.Sprintf("1PB(%d)", maxRice), "data format of field: variable length array")
	h.Set("TTYPE2", "GZIP_COMPRESSED_DATA", "label for field 2")
	h.Set("TFORM2", fmt.Sprintf("1PB(%d)", maxGzip), "data format of field: variable length array")
	h.Set("TTYPE3", "ZSCALE", "label for field 3")
	h.Set("TFORM3", "1D", "data format of field: 8-byte DOUBLE")
	h.Set("TTYPE4", "ZZERO", "label for field 4")
	h.Set("TFORM4", "1D", "data format of field: 8-byte DOUBLE")
	h.Set("ZIMAGE", true, "extension contains compressed image")
	h.Set("ZTENSION", "IMAGE", "")
	h.Set("ZBITPIX", bitpix, "data type of original image")
	h.Set("ZNAXIS", len(shape), "dimension of original image")
	setAxes(h, "ZNAXIS", shape, "length of original image axis")
	h.Set("ZPCOUNT", 0, "")
	h.Set("ZGCOUNT", 1, "")
	tile := make([]int, len(shape))
	for i := range tile {
		tile[i] = 1
	}
	tile[len(tile)-1] = nx
	setAxes(h, "ZTILE", tile, "size of tiles to be compressed")
	h.Set("ZCMPTYPE", "RICE_1", "compression algorithm")
	h.Set("ZNAME1", "BLOCKSIZE", "compression block size")
	h.Set("ZVAL1", riceBlockSize, "pixels per block")
	h.Set("ZNAME2", "BYTEPIX", "bytes per pixel (1, 2, 4, or 8)")
	h.Set("ZVAL2", 4, "bytes per pixel (1, 2, 4, or 8)")
	h.Set("ZNAME3", "NOISEBIT", "floating point quantization level")
	h.Set("ZVAL3", noiseBit, "floating point quantization level")
	h.Set("ZQUANTIZ", "NO_DITHER", "No dithering during quantization")
	appendImageCards(h, hdr)
	if err := writeHeader(w, h, "compressed image"); err != nil {
		return err
	}

	table := make([]byte, 0, rows*rowBytes)
	var offset int
	for _, t := range tiles {
		for _, col := range [][]byte{t.rice, t.gzip} {
			if len(col) == 0 {
				table = binary.BigEndian.AppendUint32(table, 0)
				table = binary.BigEndian.AppendUint32(table, 0)
				continue
			}
			table = binary.BigEndian.AppendUint32(table, uint32(len(col)))
			table = binary.BigEndian.AppendUint32(table, uint32(offset))
			offset += len(col)
		}
		table = binary.BigEndian.AppendUint64(table, math.Float64bits(t.scale))
		table = binary.BigEndian.AppendUint64(table, math.Float64bits(t.zero))
	}
	if _, err := w.Write(table); err != nil {
		return fmt.Errorf("fits: write image: table: %w", err)
	}
	if _, err := w.Write(heap); err != nil {
		return fmt.Errorf("fits: write image: heap: %w", err)
	}
	return writePadding(w, int64(len(table)+len(heap)))
}
