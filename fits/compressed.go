package fits

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Quantisation methods of floating-point tiles (ZQUANTIZ).
const (
	quantNone = iota
	quantNoDither
	quantDither1
	quantDither2
)

// Reserved quantised values (FITS 4.0 §10.5): a blank pixel, and an exact zero under
// SUBTRACTIVE_DITHER_2.
const (
	quantNullValue = -2147483647
	quantZeroValue = -2147483646
)

// maxTilePixels bounds one tile's pixel count (DKIST tiles hold one 2555-pixel row), so a
// corrupt header cannot demand an enormous scratch buffer.
const maxTilePixels = 1 << 27

// column locates one field of the compressed table's rows.
type column struct {
	present bool
	name    string
	offset  int  // byte offset in the row
	typ     byte // element type: B, I, J, K, E, D, …
	desc    byte // 'P' or 'Q' for variable-length arrays, 0 otherwise
	repeat  int
}

// tiledImage describes a tile-compressed image (FITS 4.0 §10) stored in a BINTABLE.
type tiledImage struct {
	cmp       string
	zbitpix   int
	tile      []int // tile shape, numpy order
	ntiles    []int // tiles along each axis, numpy order
	blockSize int
	bytePix   int
	quantize  int
	zdither0  int64

	rows, rowLen     int
	tableOff         int64
	heapOff, heapLen int64

	data, gzipData, rawData, zscale, zzero, zblank column
	zscaleKW, zzeroKW                              float64
	hasZscaleKW, hasZzeroKW                        bool
	zblankKW                                       int64
	hasZblankKW                                    bool

	tableOnce sync.Once
	table     []byte
	tableErr  error
}

var tformRE = regexp.MustCompile(`^\s*(\d*)([LXBIJKAEDCMPQ])([LXBIJKAEDCM]?)(\(\s*\d*\s*\))?\s*$`)

func typeSize(t byte) int {
	switch t {
	case 'L', 'B', 'A':
		return 1
	case 'I':
		return 2
	case 'J', 'E':
		return 4
	case 'K', 'D', 'C':
		return 8
	case 'M':
		return 16
	}
	return 0
}

// compressedImage reads the header of a tile-compressed image HDU (FITS 4.0 §10): the
// compression (ZCMPTYPE, ZBITPIX), the tiling, the compression parameters, the
// quantisation, the binary table's columns and its heap. It reads no tile; an error
// names the HDU and the keyword that is wrong.
func (f *File) compressedImage(hdu *HDU) (*Image, error) {
	h := hdu.Header
	fail := func(err error) (*Image, error) {
		return nil, newError(f.path, hdu.Index, nil, "compressed image: %v", err)
	}
	ti := &tiledImage{}
	if err := ti.readCompression(h); err != nil {
		return fail(err)
	}
	shape, err := shapeOf(h, "ZNAXIS")
	if err != nil {
		return fail(err)
	}
	ntiles, err := ti.readTiling(h, shape)
	if err != nil {
		return fail(err)
	}
	ti.readParameters(h)
	if err := ti.readQuantization(h); err != nil {
		return fail(err)
	}
	if err := ti.readColumns(h, ntiles); err != nil {
		return fail(err)
	}
	if err := ti.locateHeap(h, hdu); err != nil {
		return fail(err)
	}
	imh := imageHeaderOf(h, shape)
	im := &Image{Path: f.path, HDU: hdu.Index, Header: imh, Shape: shape, Bitpix: ti.zbitpix,
		Compressed: true, Compression: ti.cmp, file: f, dataOffset: hdu.DataOffset, tiles: ti}
	im.BScale, im.BZero, im.Blank, im.HasBlank = readScaling(imh, ti.zbitpix)
	return im, nil
}

// readCompression reads the compression algorithm (ZCMPTYPE) and the image's pixel type
// (ZBITPIX).
func (ti *tiledImage) readCompression(h *Header) error {
	ti.cmp, _ = h.String("ZCMPTYPE")
	switch ti.cmp {
	case "RICE_1", "RICE_ONE", "GZIP_1", "GZIP_2", "NOCOMPRESS":
	case "":
		return fmt.Errorf("missing ZCMPTYPE")
	default:
		return fmt.Errorf("ZCMPTYPE = '%s' is not supported (RICE_1, GZIP_1, GZIP_2, NOCOMPRESS are)", ti.cmp)
	}
	zb, ok := h.Int("ZBITPIX")
	if !ok {
		return fmt.Errorf("missing ZBITPIX")
	}
	ti.zbitpix = int(zb)
	switch ti.zbitpix {
	case 8, 16, 32, 64, -32, -64:
	default:
		return fmt.Errorf("ZBITPIX = %d is not one of 8, 16, 32, 64, -32, -64", ti.zbitpix)
	}
	return nil
}

// readTiling reads the tile shape (ZTILEn; by default whole rows) of an image of the
// given shape and returns the number of tiles.
func (ti *tiledImage) readTiling(h *Header, shape []int) (int, error) {
	nd := len(shape)
	if nd == 0 {
		return 0, fmt.Errorf("ZNAXIS = 0")
	}
	ti.tile = make([]int, nd)
	ti.ntiles = make([]int, nd)
	ntiles := 1
	for k := 1; k <= nd; k++ {
		ax := nd - k
		t, ok := h.Int(fmt.Sprintf("ZTILE%d", k))
		if !ok {
			// Default tiling: whole rows.
			t = 1
			if k == 1 {
				t = int64(shape[ax])
			}
		}
		if t <= 0 {
			return 0, fmt.Errorf("ZTILE%d = %d is not positive", k, t)
		}
		ti.tile[ax] = int(min(t, int64(max(shape[ax], 1))))
		ti.ntiles[ax] = (shape[ax] + ti.tile[ax] - 1) / ti.tile[ax]
		ntiles *= ti.ntiles[ax]
	}
	tilePix := 1
	for _, t := range ti.tile {
		tilePix *= t
	}
	if tilePix > maxTilePixels {
		return 0, fmt.Errorf("tiles of %d pixels exceed the %d this reader accepts", tilePix, maxTilePixels)
	}
	return ntiles, nil
}

// readParameters reads the compression parameters ZNAMEi/ZVALi (Rice's BLOCKSIZE and
// BYTEPIX).
func (ti *tiledImage) readParameters(h *Header) {
	ti.blockSize, ti.bytePix = 32, 4
	switch ti.zbitpix {
	case 8:
		ti.bytePix = 1
	case 16:
		ti.bytePix = 2
	}
	for i := 1; ; i++ {
		name, ok := h.String(fmt.Sprintf("ZNAME%d", i))
		if !ok {
			break
		}
		v, _ := h.Int(fmt.Sprintf("ZVAL%d", i))
		switch strings.ToUpper(name) {
		case "BLOCKSIZE":
			ti.blockSize = int(v)
		case "BYTEPIX":
			ti.bytePix = int(v)
		}
	}
}

// readQuantization reads how floating-point tiles were quantised (ZQUANTIZ) and the
// dither seed (ZDITHER0).
func (ti *tiledImage) readQuantization(h *Header) error {
	q, hasQ := h.String("ZQUANTIZ")
	switch strings.ToUpper(q) {
	case "NO_DITHER":
		ti.quantize = quantNoDither
	case "SUBTRACTIVE_DITHER_1":
		ti.quantize = quantDither1
	case "SUBTRACTIVE_DITHER_2":
		ti.quantize = quantDither2
	case "NONE":
		ti.quantize = quantNone
	default:
		if hasQ {
			return fmt.Errorf("ZQUANTIZ = '%s' is not a known method", q)
		}
		ti.quantize = quantNoDither // the standard's default for quantised floats
	}
	ti.zdither0 = 1
	if v, ok := h.Int("ZDITHER0"); ok {
		ti.zdither0 = v
	}
	if ti.quantize >= quantDither1 && (ti.zdither0 < 1 || ti.zdither0 > 10000) {
		return fmt.Errorf("ZDITHER0 = %d is outside 1..10000", ti.zdither0)
	}
	return nil
}

// readColumns reads the binary table's layout (one row per tile, NAXIS1 bytes each):
// where each of the columns the tiles need lies in a row, then checks their formats.
func (ti *tiledImage) readColumns(h *Header, ntiles int) error {
	rowLen, _ := h.Int("NAXIS1")
	rows, _ := h.Int("NAXIS2")
	if rows != int64(ntiles) {
		return fmt.Errorf("table has %d rows but the tiling gives %d tiles", rows, ntiles)
	}
	ti.rows, ti.rowLen = int(rows), int(rowLen)
	tfields, _ := h.Int("TFIELDS")
	off := 0
	for i := 1; i <= int(tfields); i++ {
		c, width, err := readColumn(h, i, off)
		if err != nil {
			return err
		}
		off += width
		ti.setColumn(c)
	}
	if off != ti.rowLen {
		return fmt.Errorf("TFORMn columns total %d bytes but NAXIS1 = %d", off, ti.rowLen)
	}
	return ti.checkColumns()
}

// readColumn reads column i (TTYPEi, TFORMi) starting off bytes into a row, and its width
// in bytes.
func readColumn(h *Header, i, off int) (column, int, error) {
	form, _ := h.String(fmt.Sprintf("TFORM%d", i))
	name, _ := h.String(fmt.Sprintf("TTYPE%d", i))
	m := tformRE.FindStringSubmatch(form)
	if m == nil {
		return column{}, 0, fmt.Errorf("TFORM%d = '%s' is not a valid binary-table format", i, form)
	}
	repeat := 1
	if m[1] != "" {
		var err error
		repeat, err = strconv.Atoi(m[1])
		if err != nil || repeat > 1<<30 {
			return column{}, 0, fmt.Errorf("TFORM%d = '%s' has an invalid repeat count", i, form)
		}
	}
	c := column{present: true, name: name, offset: off, repeat: repeat}
	width := 0
	switch m[2][0] {
	case 'P', 'Q':
		c.desc = m[2][0]
		if m[3] == "" {
			return column{}, 0, fmt.Errorf("TFORM%d = '%s' has no element type", i, form)
		}
		c.typ = m[3][0]
		width = 8 * min(repeat, 1)
		if c.desc == 'Q' {
			width *= 2
		}
	case 'X':
		c.typ = 'X'
		width = (repeat + 7) / 8
	default:
		c.typ = m[2][0]
		width = repeat * typeSize(c.typ)
	}
	return c, width, nil
}

// setColumn keeps c when it is one of the columns tiles are read from (by its TTYPE).
func (ti *tiledImage) setColumn(c column) {
	switch strings.ToUpper(c.name) {
	case "COMPRESSED_DATA":
		ti.data = c
	case "GZIP_COMPRESSED_DATA":
		ti.gzipData = c
	case "UNCOMPRESSED_DATA":
		ti.rawData = c
	case "ZSCALE":
		ti.zscale = c
	case "ZZERO":
		ti.zzero = c
	case "ZBLANK":
		ti.zblank = c
	}
}

// checkColumns checks that the tiles' data are variable-length arrays of numbers and
// their scaling columns plain numbers.
func (ti *tiledImage) checkColumns() error {
	if !ti.data.present || ti.data.desc == 0 {
		return fmt.Errorf("no COMPRESSED_DATA variable-length column")
	}
	for _, c := range []column{ti.data, ti.gzipData, ti.rawData} {
		if c.present && (c.desc == 0 || typeSize(c.typ) == 0) {
			return fmt.Errorf("column %s is not a variable-length array of numbers", c.name)
		}
	}
	for _, c := range []column{ti.zscale, ti.zzero, ti.zblank} {
		if c.present && (c.desc != 0 || (c.typ != 'D' && c.typ != 'E' && c.typ != 'J' && c.typ != 'K' && c.typ != 'I')) {
			return fmt.Errorf("column %s has unsupported format %c", c.name, c.typ)
		}
	}
	return nil
}

// locateHeap reads the image-wide scaling keywords and where the table and its heap
// (THEAP) lie in the file.
func (ti *tiledImage) locateHeap(h *Header, hdu *HDU) error {
	ti.zscaleKW, ti.hasZscaleKW = h.Float("ZSCALE")
	ti.zzeroKW, ti.hasZzeroKW = h.Float("ZZERO")
	ti.zblankKW, ti.hasZblankKW = h.Int("ZBLANK")
	tableLen := int64(ti.rows) * int64(ti.rowLen)
	theap := tableLen
	if v, ok := h.Int("THEAP"); ok {
		theap = v
	}
	if theap < tableLen || theap > hdu.DataSize {
		return fmt.Errorf("THEAP = %d is outside the data unit of %d bytes", theap, hdu.DataSize)
	}
	ti.tableOff = hdu.DataOffset
	ti.heapOff = hdu.DataOffset + theap
	ti.heapLen = hdu.DataSize - theap
	return nil
}

var tableKeyRE = regexp.MustCompile(`^(NAXIS|ZNAXIS|ZTILE|ZNAME|ZVAL|TTYPE|TFORM|TUNIT|TNULL|TSCAL|TZERO|TDISP|TDIM)\d+$`)

var tableKeys = map[string]bool{
	"XTENSION": true, "BITPIX": true, "NAXIS": true, "PCOUNT": true, "GCOUNT": true,
	"TFIELDS": true, "THEAP": true, "ZIMAGE": true, "ZCMPTYPE": true, "ZBITPIX": true,
	"ZNAXIS": true, "ZQUANTIZ": true, "ZSIMPLE": true, "ZTENSION": true,
	"ZEXTEND": true, "ZBLOCKED": true, "ZPCOUNT": true, "ZGCOUNT": true, "ZHECKSUM": true,
	"ZDATASUM": true, "ZMASKCMP": true, "ZSCALE": true, "ZZERO": true, "ZBLANK": true,
	"CHECKSUM": true, "DATASUM": true, "SIMPLE": true, "EXTEND": true,
}

// imageHeaderOf rebuilds the header of the compressed image from the table header:
// Z-prefixed structural keywords become the image's own and table keywords are dropped.
func imageHeaderOf(t *Header, shape []int) *Header {
	// The image header holds about the table's cards; sizing it once up front keeps a
	// scan of thousands of compressed files from growing a card slice and an index map
	// card by card for each of them (most of a load's garbage, before this).
	h := &Header{cards: make([]Card, 0, t.Len()+len(shape)+8)}
	comment := func(key string) string { c, _ := t.Comment(key); return c }
	if s, ok := t.Bool("ZSIMPLE"); ok {
		h.appendUnindexed(Card{Key: "SIMPLE", Value: s, Comment: comment("ZSIMPLE")})
	} else {
		x, ok := t.String("ZTENSION")
		if !ok {
			x = "IMAGE"
		}
		h.appendUnindexed(Card{Key: "XTENSION", Value: x, Comment: comment("ZTENSION")})
	}
	zb, _ := t.Int("ZBITPIX")
	h.appendUnindexed(Card{Key: "BITPIX", Value: zb, Comment: comment("ZBITPIX")})
	h.appendUnindexed(Card{Key: "NAXIS", Value: int64(len(shape)), Comment: comment("ZNAXIS")})
	for k := 1; k <= len(shape); k++ {
		key := fmt.Sprintf("ZNAXIS%d", k)
		h.appendUnindexed(Card{Key: fmt.Sprintf("NAXIS%d", k), Value: int64(shape[len(shape)-k]), Comment: comment(key)})
	}
	if _, ok := t.Bool("ZSIMPLE"); ok {
		if e, ok := t.Bool("ZEXTEND"); ok {
			h.appendUnindexed(Card{Key: "EXTEND", Value: e, Comment: comment("ZEXTEND")})
		}
	} else {
		pc, ok := t.Int("ZPCOUNT")
		if !ok {
			pc = 0
		}
		gc, ok := t.Int("ZGCOUNT")
		if !ok {
			gc = 1
		}
		h.appendUnindexed(Card{Key: "PCOUNT", Value: pc, Comment: comment("ZPCOUNT")})
		h.appendUnindexed(Card{Key: "GCOUNT", Value: gc, Comment: comment("ZGCOUNT")})
	}
	for _, c := range t.Cards() {
		if tableKeys[c.Key] || tableKeyRE.MatchString(c.Key) {
			continue
		}
		if v, ok := c.Value.(string); ok && c.Key == "EXTNAME" && v == "COMPRESSED_IMAGE" {
			continue // astropy's default table name, not the image's
		}
		h.appendUnindexed(c)
	}
	if v, ok := t.Get("ZHECKSUM"); ok {
		h.appendUnindexed(Card{Key: "CHECKSUM", Value: v.Value, Comment: v.Comment})
	}
	if v, ok := t.Get("ZDATASUM"); ok {
		h.appendUnindexed(Card{Key: "DATASUM", Value: v.Value, Comment: v.Comment})
	}
	h.reindex()
	return h
}

// loadTable reads the table rows (descriptors and per-tile scale columns) once.
func (ti *tiledImage) loadTable(im *Image) ([]byte, error) {
	ti.tableOnce.Do(func() {
		b := make([]byte, ti.rows*ti.rowLen)
		ti.tableErr = im.file.readAt(im.HDU, b, ti.tableOff, "compressed table")
		ti.table = b
	})
	return ti.table, ti.tableErr
}

// descriptor returns the element count and heap offset of a variable-length cell.
func descriptor(row []byte, c column) (n, off int64) {
	b := row[c.offset:]
	if c.desc == 'Q' {
		return int64(binary.BigEndian.Uint64(b)), int64(binary.BigEndian.Uint64(b[8:]))
	}
	return int64(int32(binary.BigEndian.Uint32(b))), int64(int32(binary.BigEndian.Uint32(b[4:])))
}

func cellFloat(row []byte, c column) float64 {
	b := row[c.offset:]
	switch c.typ {
	case 'D':
		return math.Float64frombits(binary.BigEndian.Uint64(b))
	case 'E':
		return float64(math.Float32frombits(binary.BigEndian.Uint32(b)))
	case 'I':
		return float64(int16(binary.BigEndian.Uint16(b)))
	case 'J':
		return float64(int32(binary.BigEndian.Uint32(b)))
	case 'K':
		return float64(int64(binary.BigEndian.Uint64(b)))
	}
	return 0
}

// tileScratch holds per-worker buffers reused across tiles.
type tileScratch struct {
	raw    []byte
	ints   []int32
	bytes  []byte
	window []byte // backing store of heap
	heap   heapWindow
	gz     *gzip.Reader
}

// rawTile is what a tile decompresses to before conversion to physical values.
type rawTile struct {
	ints      []int32 // integer pixels (integer images, or quantised floats)
	raw       []byte  // big-endian pixels when not integers-in-ints
	rawBitpix int     // BITPIX of raw
	quantised bool
	scale     float64
	zero      float64
	blank     int64
	hasBlank  bool
}

func (ti *tiledImage) tileError(im *Image, tile int, format string, args ...any) error {
	return newError(im.Path, im.HDU, nil, "tile %d (table row %d): %s", tile, tile+1, fmt.Sprintf(format, args...))
}

// heapWindow holds one read of a stretch of the heap, from file offset base, shared by a
// run of adjacent tiles so that they cost one ReadAt instead of one each.
type heapWindow struct {
	base int64
	data []byte
}

// tileColumn picks the column holding the tile in row: COMPRESSED_DATA, or when that cell
// is empty the GZIP_COMPRESSED_DATA or UNCOMPRESSED_DATA fallback; it returns the column
// and the cell's heap offset and byte length, checked against the heap.
func (ti *tiledImage) tileColumn(im *Image, tile int, row []byte) (col column, off, nbytes int64, err error) {
	col = ti.data
	n, off := descriptor(row, col)
	if n == 0 && ti.gzipData.present {
		col = ti.gzipData
		n, off = descriptor(row, col)
	}
	if n == 0 && ti.rawData.present {
		col = ti.rawData
		n, off = descriptor(row, col)
	}
	es := int64(typeSize(col.typ))
	if n < 0 || off < 0 || n > ti.heapLen || off+n*es > ti.heapLen {
		return col, 0, 0, ti.tileError(im, tile, "descriptor of %s (%d elements at heap offset %d) points past the heap of %d bytes", col.name, n, off, ti.heapLen)
	}
	return col, off, n * es, nil
}

// readHeap reads heap bytes of tiles first..last; the message naming them is only built
// when the read fails, as a per-tile fmt.Sprintf would cost more than the read.
func readHeap(im *Image, p []byte, off int64, first, last int) error {
	if n, err := im.file.r.ReadAt(p, off); n == len(p) && (err == nil || errors.Is(err, io.EOF)) {
		return nil
	}
	what := fmt.Sprintf("heap of tile %d", first)
	if last != first {
		what = fmt.Sprintf("heap of tiles %d to %d", first, last)
	}
	return im.file.readAt(im.HDU, p, off, what)
}

// tileBytes returns the heap bytes of the tile's cell: a slice of the window when it holds
// them, otherwise read into the scratch buffer.
func (ti *tiledImage) tileBytes(im *Image, tile int, off, nbytes int64, s *tileScratch, w *heapWindow) ([]byte, error) {
	at := ti.heapOff + off
	if w != nil && at >= w.base && at+nbytes <= w.base+int64(len(w.data)) {
		return w.data[at-w.base : at-w.base+nbytes], nil
	}
	nb := int(nbytes)
	if cap(s.raw) < nb {
		s.raw = make([]byte, nb)
	}
	src := s.raw[:nb]
	if err := readHeap(im, src, at, tile, tile); err != nil {
		return nil, err
	}
	return src, nil
}

// tileScaling fills the tile's blank, and for quantised tiles its ZSCALE and ZZERO, from
// the row's columns or the header keywords.
func (ti *tiledImage) tileScaling(im *Image, row []byte, col column) rawTile {
	rt := rawTile{}
	if ti.zblank.present {
		rt.blank, rt.hasBlank = int64(cellFloat(row, ti.zblank)), true
	} else if ti.hasZblankKW {
		rt.blank, rt.hasBlank = ti.zblankKW, true
	} else if im.HasBlank {
		rt.blank, rt.hasBlank = im.Blank, true
	}
	hasScale := ti.zscale.present || ti.hasZscaleKW
	if ti.zbitpix < 0 && hasScale && col.name == ti.data.name {
		rt.quantised = true
		rt.scale, rt.zero = ti.zscaleKW, ti.zzeroKW
		if ti.zscale.present {
			rt.scale = cellFloat(row, ti.zscale)
		}
		if ti.zzero.present {
			rt.zero = cellFloat(row, ti.zzero)
		}
	}
	return rt
}

// decodeTile decodes tile (holding len(dst) pixels) into dst as physical values. RICE_1
// tiles of 4-byte pixels that need no per-pixel dither (NO_DITHER floats, integer images)
// are decoded and mapped in one pass; every other tile is decompressed to integers or
// bytes first and then converted.
func decodeTile[T float](ti *tiledImage, im *Image, tile int, dst []T, s *tileScratch, w *heapWindow) error {
	if m, src, ok, err := ti.fusedRice(im, tile, s, w); err != nil {
		return err
	} else if ok {
		if err := riceDecode32To(src, dst, ti.blockSize, &m); err != nil {
			return ti.tileError(im, tile, "%v", err)
		}
		return nil
	}
	npix := len(dst)
	rt, err := ti.decompressTile(im, tile, npix, s, w)
	if err != nil {
		return err
	}
	if rt.ints == nil && len(rt.raw) < npix*elemSize(rt.rawBitpix) {
		return ti.tileError(im, tile, "decompressed data too short")
	}
	toPhysical(ti, im, tile, rt, dst)
	return nil
}

// fusedRice reports whether the tile can take the one-pass RICE_1 path and, if so, returns
// its compressed bytes and the map from decoded integers to physical values (the same
// arithmetic toPhysical and unquantize apply).
func (ti *tiledImage) fusedRice(im *Image, tile int, s *tileScratch, w *heapWindow) (pixelMap, []byte, bool, error) {
	if (ti.cmp != "RICE_1" && ti.cmp != "RICE_ONE") || ti.bytePix != 4 || (ti.zbitpix != 32 && ti.zbitpix > 0) {
		return pixelMap{}, nil, false, nil
	}
	table, err := ti.loadTable(im)
	if err != nil {
		return pixelMap{}, nil, false, err
	}
	row := table[tile*ti.rowLen : (tile+1)*ti.rowLen]
	col, off, nbytes, err := ti.tileColumn(im, tile, row)
	if err != nil || col.name != ti.data.name {
		return pixelMap{}, nil, false, err
	}
	rt := ti.tileScaling(im, row, col)
	var m pixelMap
	switch {
	case rt.quantised:
		if ti.quantize != quantNoDither && ti.quantize != quantNone {
			return pixelMap{}, nil, false, nil
		}
		if im.BScale != 1 || im.BZero != 0 {
			return pixelMap{}, nil, false, nil
		}
		blank := int64(quantNullValue)
		if rt.hasBlank {
			blank = rt.blank
		}
		m = pixelMap{scale: rt.scale, zero: rt.zero, round32: ti.zbitpix == -32}
		m.blank, m.hasBlank = int32(blank), blank == int64(int32(blank))
	case ti.zbitpix == 32:
		m = pixelMap{scale: im.BScale, zero: im.BZero}
		m.blank, m.hasBlank = int32(rt.blank), rt.hasBlank && rt.blank == int64(int32(rt.blank))
		m.identity = m.scale == 1 && m.zero == 0 && !rt.hasBlank
	default:
		return pixelMap{}, nil, false, nil // unquantised floats in RICE_1: not valid
	}
	src, err := ti.tileBytes(im, tile, off, nbytes, s, w)
	if err != nil {
		return pixelMap{}, nil, false, err
	}
	return m, src, true, nil
}

// decompressTile reads and decompresses tile (0-based row) holding npix pixels.
func (ti *tiledImage) decompressTile(im *Image, tile, npix int, s *tileScratch, w *heapWindow) (rawTile, error) {
	table, err := ti.loadTable(im)
	if err != nil {
		return rawTile{}, err
	}
	row := table[tile*ti.rowLen : (tile+1)*ti.rowLen]
	col, off, nbytes, err := ti.tileColumn(im, tile, row)
	if err != nil {
		return rawTile{}, err
	}
	n := nbytes / int64(typeSize(col.typ))
	src, err := ti.tileBytes(im, tile, off, nbytes, s, w)
	if err != nil {
		return rawTile{}, err
	}
	rt := ti.tileScaling(im, row, col)
	ensureInts := func() []int32 {
		if cap(s.ints) < npix {
			s.ints = make([]int32, npix)
		}
		return s.ints[:npix]
	}
	switch {
	case col.name != ti.data.name:
		// Fallback columns: the tile's pixels in the image's own type, gzipped or raw.
		if col.name == ti.gzipData.name {
			b, err := s.gunzip(src, npix*elemSize(ti.zbitpix))
			if err != nil {
				return rawTile{}, ti.tileError(im, tile, "%s: %v", col.name, err)
			}
			src = b
		} else if col.typ != 'B' {
			if int64(npix) != n {
				return rawTile{}, ti.tileError(im, tile, "%s holds %d values, tile has %d", col.name, n, npix)
			}
			return rawTile{raw: src, rawBitpix: bitpixOfType(col.typ), blank: rt.blank, hasBlank: rt.hasBlank}, nil
		}
		if len(src) != npix*elemSize(ti.zbitpix) {
			return rawTile{}, ti.tileError(im, tile, "%s holds %d bytes, tile needs %d", col.name, len(src), npix*elemSize(ti.zbitpix))
		}
		rt.raw, rt.rawBitpix = src, ti.zbitpix
		return rt, nil
	case ti.cmp == "RICE_1" || ti.cmp == "RICE_ONE":
		ints := ensureInts()
		if err := riceDecode(src, ints, ti.blockSize, ti.bytePix); err != nil {
			return rawTile{}, ti.tileError(im, tile, "%v", err)
		}
		rt.ints = ints
		return rt, nil
	case ti.cmp == "GZIP_1" || ti.cmp == "GZIP_2":
		b, err := s.gunzip(src, -1)
		if err != nil {
			return rawTile{}, ti.tileError(im, tile, "%s: %v", ti.cmp, err)
		}
		if npix == 0 || len(b)%npix != 0 {
			return rawTile{}, ti.tileError(im, tile, "%s gives %d bytes, not a whole number of bytes for %d pixels", ti.cmp, len(b), npix)
		}
		width := len(b) / npix
		if ti.cmp == "GZIP_2" {
			b = s.unshuffle(b, width)
		}
		return ti.widthTile(im, tile, rt, b, width)
	case ti.cmp == "NOCOMPRESS":
		if col.typ == 'B' {
			if npix == 0 || len(src)%npix != 0 {
				return rawTile{}, ti.tileError(im, tile, "NOCOMPRESS data of %d bytes is not a whole number of bytes for %d pixels", len(src), npix)
			}
			return ti.widthTile(im, tile, rt, src, len(src)/npix)
		}
		if int64(npix) != n {
			return rawTile{}, ti.tileError(im, tile, "NOCOMPRESS data holds %d values, tile has %d", n, npix)
		}
		return ti.widthTile(im, tile, rt, src, typeSize(col.typ))
	}
	return rawTile{}, ti.tileError(im, tile, "unsupported compression %s", ti.cmp)
}

func bitpixOfType(t byte) int {
	switch t {
	case 'B':
		return 8
	case 'I':
		return 16
	case 'J':
		return 32
	case 'K':
		return 64
	case 'E':
		return -32
	case 'D':
		return -64
	}
	return 0
}

// widthTile interprets decompressed big-endian bytes of the given pixel width.
func (ti *tiledImage) widthTile(im *Image, tile int, rt rawTile, b []byte, width int) (rawTile, error) {
	switch {
	case rt.quantised:
		if width != 4 && width != 2 && width != 1 {
			return rawTile{}, ti.tileError(im, tile, "quantised pixels of %d bytes", width)
		}
		rt.raw, rt.rawBitpix = b, 8*width
	case ti.zbitpix < 0:
		if width != 4 && width != 8 {
			return rawTile{}, ti.tileError(im, tile, "floating-point pixels of %d bytes", width)
		}
		rt.raw, rt.rawBitpix = b, -8*width
	default:
		if width != 1 && width != 2 && width != 4 && width != 8 {
			return rawTile{}, ti.tileError(im, tile, "integer pixels of %d bytes", width)
		}
		rt.raw, rt.rawBitpix = b, 8*width
	}
	return rt, nil
}

// gunzip decompresses a gzip stream; want ≥ 0 is the exact expected length.
func (s *tileScratch) gunzip(src []byte, want int) ([]byte, error) {
	br := bytes.NewReader(src)
	var err error
	if s.gz == nil {
		s.gz, err = gzip.NewReader(br)
	} else {
		err = s.gz.Reset(br)
	}
	if err != nil {
		return nil, err
	}
	s.gz.Multistream(false)
	out := s.bytes[:0]
	if want >= 0 && cap(out) < want {
		out = make([]byte, 0, want)
	}
	buf := bytes.NewBuffer(out)
	if _, err := io.Copy(buf, s.gz); err != nil {
		return nil, err
	}
	out = buf.Bytes()
	s.bytes = out
	if want >= 0 && len(out) != want {
		return nil, fmt.Errorf("decompressed to %d bytes, want %d", len(out), want)
	}
	return out, nil
}

// unshuffle undoes GZIP_2's byte shuffle: all most significant bytes first, then the next.
func (s *tileScratch) unshuffle(b []byte, width int) []byte {
	if width == 1 {
		return b
	}
	out := make([]byte, len(b))
	n := len(b) / width
	for k := range width {
		plane := b[k*n : (k+1)*n]
		for i, v := range plane {
			out[i*width+k] = v
		}
	}
	return out
}

// randomValues is the FITS 4.0 §10.5 sequence of 10000 uniform numbers in (0, 1) used for
// subtractive dithering (Park & Miller's minimal standard generator, stored as float32).
var randomValues = func() [10000]float32 {
	var r [10000]float32
	const a, m = 16807.0, 2147483647.0
	seed := 1.0
	for i := range r {
		t := a * seed
		seed = t - m*float64(int64(t/m))
		r[i] = float32(seed / m)
	}
	return r
}()

// toPhysical converts a decompressed tile into dst (len npix) with unquantisation,
// blanks as NaN and the image's BSCALE/BZERO.
func toPhysical[T float](ti *tiledImage, im *Image, tile int, rt rawTile, dst []T) {
	sc := scaling{scale: im.BScale, zero: im.BZero}
	if rt.quantised {
		ints := rt.ints
		if ints == nil {
			ints = make([]int32, len(dst))
			decodeInts(ints, rt.raw, rt.rawBitpix)
		}
		unquantize(ti, tile, ints, rt, dst)
		if !sc.identity() {
			for i, v := range dst {
				dst[i] = T(float64(v)*sc.scale + sc.zero)
			}
		}
		return
	}
	sc.blank, sc.hasBlank = rt.blank, rt.hasBlank
	if rt.rawBitpix < 0 {
		sc.hasBlank = false
	}
	if rt.ints != nil {
		nan := T(math.NaN())
		if sc.identity() {
			for i, v := range rt.ints {
				dst[i] = T(v)
			}
			return
		}
		for i, v := range rt.ints {
			if sc.hasBlank && int64(v) == sc.blank {
				dst[i] = nan
			} else {
				dst[i] = T(float64(v)*sc.scale + sc.zero)
			}
		}
		return
	}
	decodeBigEndian(dst, rt.raw, rt.rawBitpix, sc)
}

// decodeInts widens big-endian integers (8 unsigned, 16 and 32 signed) to int32.
func decodeInts(dst []int32, b []byte, bitpix int) {
	switch bitpix {
	case 8:
		for i := range dst {
			dst[i] = int32(b[i])
		}
	case 16:
		for i := range dst {
			dst[i] = int32(int16(binary.BigEndian.Uint16(b[2*i:])))
		}
	default:
		for i := range dst {
			dst[i] = int32(binary.BigEndian.Uint32(b[4*i:]))
		}
	}
}

// unquantize restores floats from quantised integers as cfitsio does: the value is computed
// in float64 and, for ZBITPIX -32, rounded to float32 like astropy's result.
func unquantize[T float](ti *tiledImage, tile int, q []int32, rt rawTile, dst []T) {
	nan := T(math.NaN())
	single := ti.zbitpix == -32
	scale, zero := rt.scale, rt.zero
	blank := int64(quantNullValue)
	if rt.hasBlank {
		blank = rt.blank
	}
	if ti.quantize == quantNoDither || ti.quantize == quantNone {
		for i, v := range q {
			if int64(v) == blank {
				dst[i] = nan
				continue
			}
			x := float64(v)*scale + zero
			if single {
				dst[i] = T(float32(x))
			} else {
				dst[i] = T(x)
			}
		}
		return
	}
	iseed := int((int64(tile) + ti.zdither0 - 1) % 10000)
	next := int(randomValues[iseed] * 500)
	for i, v := range q {
		switch {
		case int64(v) == blank:
			dst[i] = nan
		case ti.quantize == quantDither2 && v == quantZeroValue:
			dst[i] = 0
		default:
			x := (float64(v)-float64(randomValues[next])+0.5)*scale + zero
			if single {
				dst[i] = T(float32(x))
			} else {
				dst[i] = T(x)
			}
		}
		next++
		if next == 10000 {
			iseed++
			if iseed == 10000 {
				iseed = 0
			}
			next = int(randomValues[iseed] * 500)
		}
	}
}

// Coalesced heap reads: a worker reads the heap bytes of a run of adjacent tiles with one
// ReadAt when they lie close together, at most maxHeapWindow bytes, and wasting at most
// heapWindowSlack bytes of gaps.
const (
	maxHeapWindow   = 4 << 20
	heapWindowSlack = 64 << 10
)

// readTiledRegion decompresses the tiles the box touches, in parallel when there are
// several, and copies their intersection with the box into dst. Workers take runs of
// consecutive tiles and read each run's heap bytes at once.
func readTiledRegion[T float](im *Image, start, stop []int, dst []T) error {
	ti := im.tiles
	nd := len(im.Shape)
	t0 := make([]int, nd)
	t1 := make([]int, nd)
	count := 1
	for i := range nd {
		t0[i] = start[i] / ti.tile[i]
		t1[i] = (stop[i]-1)/ti.tile[i] + 1
		count *= t1[i] - t0[i]
	}
	if _, err := ti.loadTable(im); err != nil {
		return err
	}
	workers := min(runtime.GOMAXPROCS(0), count, 8)
	// Runs small enough that every worker gets many (on a shared machine a worker's thread
	// can be descheduled while it holds a run, and the others should not then sit idle at
	// the end), large enough that one read serves a few dozen kilobytes of heap.
	run := min(max(count/(workers*32), 1), 64)
	var nextRun atomic.Int64
	var firstErr error
	var errOnce sync.Once
	var failed atomic.Bool
	work := func() {
		s := scratchPool.Get().(*tileScratch)
		defer scratchPool.Put(s)
		var buf []T
		tidx := make([]int, nd)
		tiles := make([]int, 0, run)
		for !failed.Load() {
			k0 := int(nextRun.Add(1)-1) * run
			if k0 >= count {
				return
			}
			tiles = tiles[:0]
			for k := k0; k < min(k0+run, count); k++ {
				// k → tile coordinates in C order over the touched range → table row.
				rem := k
				tile, mul := 0, 1
				for i := nd - 1; i >= 0; i-- {
					span := t1[i] - t0[i]
					tidx[i] = t0[i] + rem%span
					rem /= span
					tile += tidx[i] * mul
					mul *= ti.ntiles[i]
				}
				tiles = append(tiles, tile)
			}
			w, err := ti.readHeapWindow(im, tiles, s)
			if err == nil {
				for _, tile := range tiles {
					if err = readOneTile(im, tile, start, stop, dst, s, &buf, w); err != nil {
						break
					}
				}
			}
			if err != nil {
				errOnce.Do(func() { firstErr = err })
				failed.Store(true)
				return
			}
		}
	}
	if workers <= 1 {
		work()
		return firstErr
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() { defer wg.Done(); work() }()
	}
	wg.Wait()
	return firstErr
}

// scratchPool recycles the per-worker tile buffers across reads.
var scratchPool = sync.Pool{New: func() any { return new(tileScratch) }}

// readHeapWindow reads the heap bytes of the tiles with one ReadAt when they lie close
// together; it returns nil (each tile then reads its own bytes) when they do not, or when
// a descriptor is bad, which the tile's own read reports.
func (ti *tiledImage) readHeapWindow(im *Image, tiles []int, s *tileScratch) (*heapWindow, error) {
	if len(tiles) < 2 {
		return nil, nil
	}
	lo, hi, total := int64(math.MaxInt64), int64(0), int64(0)
	for _, tile := range tiles {
		row := ti.table[tile*ti.rowLen : (tile+1)*ti.rowLen]
		_, off, nbytes, err := ti.tileColumn(im, tile, row)
		if err != nil {
			return nil, nil
		}
		lo, hi, total = min(lo, off), max(hi, off+nbytes), total+nbytes
	}
	if hi <= lo || hi-lo > maxHeapWindow || hi-lo > total+heapWindowSlack {
		return nil, nil
	}
	n := int(hi - lo)
	if cap(s.window) < n {
		s.window = make([]byte, n)
	}
	s.heap = heapWindow{base: ti.heapOff + lo, data: s.window[:n]}
	if err := readHeap(im, s.heap.data, s.heap.base, tiles[0], tiles[len(tiles)-1]); err != nil {
		return nil, err
	}
	return &s.heap, nil
}

// readOneTile decodes one tile (a table row) and stores its intersection with the box
// [start, stop) in dst: straight into dst when the tile is a contiguous run of it (as
// DKIST's row tiles are in a full read), through the buffer buf otherwise.
func readOneTile[T float](im *Image, tile int, start, stop []int, dst []T, s *tileScratch, buf *[]T, w *heapWindow) error {
	ti := im.tiles
	nd := len(im.Shape)
	npix := 1
	var org, ext, tix [16]int
	orgs, exts, tidx := org[:nd:nd], ext[:nd:nd], tix[:nd:nd]
	if nd > 16 {
		orgs, exts, tidx = make([]int, nd), make([]int, nd), make([]int, nd)
	}
	rem := tile
	for i := nd - 1; i >= 0; i-- {
		tidx[i] = rem % ti.ntiles[i]
		rem /= ti.ntiles[i]
	}
	for i := range nd {
		o := tidx[i] * ti.tile[i]
		e := min(ti.tile[i], im.Shape[i]-o)
		orgs[i], exts[i] = o, e
		npix *= e
	}
	var loArr, hiArr [16]int
	lo, hi := loArr[:nd:nd], hiArr[:nd:nd]
	if nd > 16 {
		lo, hi = make([]int, nd), make([]int, nd)
	}
	inside := true
	for i := range nd {
		lo[i] = max(start[i], orgs[i])
		hi[i] = min(stop[i], orgs[i]+exts[i])
		inside = inside && lo[i] == orgs[i] && hi[i] == orgs[i]+exts[i]
	}
	// A tile that lies inside the box and is contiguous in dst (extent 1 on the leading
	// axes, the box's full width on the trailing ones, as DKIST's row tiles are) is
	// converted straight into dst.
	if inside {
		k := 0
		for k < nd-1 && exts[k] == 1 {
			k++
		}
		contiguous := true
		for i := k + 1; i < nd; i++ {
			contiguous = contiguous && exts[i] == stop[i]-start[i]
		}
		if contiguous {
			do, ds := 0, 1
			for i := nd - 1; i >= 0; i-- {
				do += (orgs[i] - start[i]) * ds
				ds *= stop[i] - start[i]
			}
			return decodeTile(ti, im, tile, dst[do:do+npix], s, w)
		}
	}
	if cap(*buf) < npix {
		*buf = make([]T, npix)
	}
	tb := (*buf)[:npix]
	if err := decodeTile(ti, im, tile, tb, s, w); err != nil {
		return err
	}
	// Copy the intersection of tile and box.
	// Strides of the tile buffer and of dst.
	tstr := make([]int, nd)
	dstr := make([]int, nd)
	ts, ds := 1, 1
	for i := nd - 1; i >= 0; i-- {
		tstr[i], dstr[i] = ts, ds
		ts *= exts[i]
		ds *= stop[i] - start[i]
	}
	run := hi[nd-1] - lo[nd-1]
	idx := make([]int, nd)
	copy(idx, lo)
	for {
		to, do := 0, 0
		for i := range nd {
			to += (idx[i] - orgs[i]) * tstr[i]
			do += (idx[i] - start[i]) * dstr[i]
		}
		copy(dst[do:do+run], tb[to:to+run])
		i := nd - 2
		for ; i >= 0; i-- {
			idx[i]++
			if idx[i] < hi[i] {
				break
			}
			idx[i] = lo[i]
		}
		if i < 0 {
			return nil
		}
	}
}
