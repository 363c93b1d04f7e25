package fits

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"sync"
)

// Image is the image held by one HDU: a primary array, an IMAGE extension, or a
// tile-compressed image in a BINTABLE with ZIMAGE = T. Reads decode into float64 or
// float32 with BSCALE/BZERO applied and blanks as NaN. An Image is safe for concurrent use.
type Image struct {
	Path string
	HDU  int
	// Header holds the image's keywords. For a compressed image these are the keywords of
	// the image itself (ZBITPIX → BITPIX, ZNAXISn → NAXISn, table keywords removed), as
	// astropy presents them.
	Header *Header
	// Shape is in numpy order: NAXISn, …, NAXIS1.
	Shape []int
	// Bitpix is the stored pixel type (ZBITPIX for compressed images).
	Bitpix int
	// Compressed images report their ZCMPTYPE in Compression ("RICE_1", "GZIP_1", …).
	Compressed  bool
	Compression string
	// BScale and BZero map stored values v to physical values BScale*v + BZero; Blank is
	// the stored integer that marks undefined pixels when HasBlank.
	BScale, BZero float64
	Blank         int64
	HasBlank      bool

	file       *File
	ownsFile   bool
	dataOffset int64
	tiles      *tiledImage
}

// Image returns the first HDU holding an image: a primary array with NAXIS > 0, an IMAGE
// extension, or a BINTABLE with ZIMAGE = T.
func (f *File) Image() (*Image, error) {
	for _, hdu := range f.hdus {
		h := hdu.Header
		if z, ok := h.Bool("ZIMAGE"); ok && z {
			if x, _ := h.String("XTENSION"); x == "BINTABLE" {
				return f.compressedImage(hdu)
			}
		}
		xt, isExt := h.String("XTENSION")
		if hdu.Index > 0 && (!isExt || xt != "IMAGE") {
			continue
		}
		if n, _ := h.Int("NAXIS"); n > 0 && hdu.DataSize > 0 {
			return f.plainImage(hdu)
		}
	}
	msg := "no HDU holds an image (primary array, IMAGE extension or compressed BINTABLE)"
	if len(f.hdus) == 1 {
		if ext, _ := f.hdus[0].Header.Bool("EXTEND"); ext {
			// DKIST files keep their image in HDU 1; a download cut after the primary HDU
			// is the common way to get here.
			msg = fmt.Sprintf("the file ends after its primary HDU (%d bytes), which holds no image and announces extensions (EXTEND = T): the file looks truncated; download it again", f.size)
		}
	}
	return nil, newError(f.path, -1, nil, "%s", msg)
}

// ImageAt returns the image held by HDU index.
func (f *File) ImageAt(index int) (*Image, error) {
	if index < 0 || index >= len(f.hdus) {
		return nil, newError(f.path, index, nil, "no such HDU: the file has %d", len(f.hdus))
	}
	hdu := f.hdus[index]
	if z, ok := hdu.Header.Bool("ZIMAGE"); ok && z {
		return f.compressedImage(hdu)
	}
	return f.plainImage(hdu)
}

// OpenImage opens a file and returns its first image; closing the image closes the file.
func OpenImage(path string) (*Image, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	im, err := f.Image()
	if err != nil {
		f.Close()
		return nil, err
	}
	im.ownsFile = true
	return im, nil
}

// Close closes the file when the image was opened with OpenImage.
func (im *Image) Close() error {
	if im.ownsFile {
		return im.file.Close()
	}
	return nil
}

// Size is the number of pixels.
func (im *Image) Size() int {
	n := 1
	for _, s := range im.Shape {
		n *= s
	}
	return n
}

func (im *Image) errorf(format string, args ...any) error {
	return newError(im.Path, im.HDU, nil, format, args...)
}

// scaling reads BSCALE, BZERO and BLANK (BLANK only for integer data).
func readScaling(h *Header, bitpix int) (scale, zero float64, blank int64, hasBlank bool) {
	scale, zero = 1, 0
	if v, ok := h.Float("BSCALE"); ok {
		scale = v
	}
	if v, ok := h.Float("BZERO"); ok {
		zero = v
	}
	if bitpix > 0 {
		blank, hasBlank = h.Int("BLANK")
	}
	return
}

func shapeOf(h *Header, prefix string) ([]int, error) {
	n, ok := h.Int(prefix)
	if !ok || n < 0 || n > 999 {
		return nil, fmt.Errorf("missing or invalid %s", prefix)
	}
	shape := make([]int, n)
	total := int64(1)
	for i := 1; i <= int(n); i++ {
		v, ok := h.Int(fmt.Sprintf("%s%d", prefix, i))
		if !ok || v < 0 || v > 1<<40 {
			return nil, fmt.Errorf("missing or invalid %s%d", prefix, i)
		}
		shape[int(n)-i] = int(v)
		if v > 0 && total > maxPixels/v {
			return nil, fmt.Errorf("%s1..%s%d give more than %d pixels", prefix, prefix, n, int64(maxPixels))
		}
		total *= v
	}
	return shape, nil
}

func (f *File) plainImage(hdu *HDU) (*Image, error) {
	h := hdu.Header
	shape, err := shapeOf(h, "NAXIS")
	if err != nil {
		return nil, newError(f.path, hdu.Index, nil, "%v", err)
	}
	if len(shape) == 0 {
		return nil, newError(f.path, hdu.Index, nil, "HDU has no image (NAXIS = 0)")
	}
	if g, _ := h.Bool("GROUPS"); g {
		return nil, newError(f.path, hdu.Index, nil, "random-groups data are not an image")
	}
	bitpix, _ := h.Int("BITPIX")
	im := &Image{Path: f.path, HDU: hdu.Index, Header: h, Shape: shape, Bitpix: int(bitpix),
		file: f, dataOffset: hdu.DataOffset}
	im.BScale, im.BZero, im.Blank, im.HasBlank = readScaling(h, im.Bitpix)
	if int64(im.Size())*int64(elemSize(im.Bitpix)) > hdu.DataSize {
		return nil, newError(f.path, hdu.Index, nil, "data unit of %d bytes is smaller than the image", hdu.DataSize)
	}
	return im, nil
}

func elemSize(bitpix int) int {
	if bitpix < 0 {
		return -bitpix / 8
	}
	return bitpix / 8
}

// Read decodes the whole image into a new float64 slice in C order.
func (im *Image) Read() ([]float64, error) {
	dst := make([]float64, im.Size())
	start := make([]int, len(im.Shape))
	return dst, im.ReadRegion(start, im.Shape, dst)
}

// Read32 decodes the whole image into a new float32 slice in C order.
func (im *Image) Read32() ([]float32, error) {
	dst := make([]float32, im.Size())
	start := make([]int, len(im.Shape))
	return dst, im.ReadRegion32(start, im.Shape, dst)
}

// ReadRegion decodes the box [start, stop) (numpy axis order, half-open) into dst in C
// order; len(dst) must be the box's pixel count. A plain image reads only the byte runs the
// box covers; a compressed image decompresses only the tiles it touches.
func (im *Image) ReadRegion(start, stop []int, dst []float64) error {
	return readRegion(im, start, stop, dst)
}

// ReadRegion32 is ReadRegion into float32.
func (im *Image) ReadRegion32(start, stop []int, dst []float32) error {
	return readRegion(im, start, stop, dst)
}

// maxPixels bounds the pixel count of an image, so that a corrupt header cannot make
// pixel counts overflow.
const maxPixels = 1 << 46

type float interface{ ~float32 | ~float64 }

func (im *Image) checkRegion(start, stop []int, n int) error {
	if len(start) != len(im.Shape) || len(stop) != len(im.Shape) {
		return im.errorf("region has %d/%d axes, image has %d", len(start), len(stop), len(im.Shape))
	}
	want := 1
	for i := range im.Shape {
		if start[i] < 0 || stop[i] < start[i] || stop[i] > im.Shape[i] {
			return im.errorf("region axis %d: [%d, %d) is outside [0, %d)", i, start[i], stop[i], im.Shape[i])
		}
		want *= stop[i] - start[i]
	}
	if n != want {
		return im.errorf("destination holds %d values, region has %d", n, want)
	}
	return nil
}

func readRegion[T float](im *Image, start, stop []int, dst []T) error {
	if err := im.checkRegion(start, stop, len(dst)); err != nil {
		return err
	}
	if len(dst) == 0 {
		return nil
	}
	if im.tiles != nil {
		return readTiledRegion(im, start, stop, dst)
	}
	return readPlainRegion(im, start, stop, dst)
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1<<20); return &b }}

// plainChunk bounds the bytes read per ReadAt so that the scratch buffer stays small.
const plainChunk = 1 << 20

func readPlainRegion[T float](im *Image, start, stop []int, dst []T) error {
	nd := len(im.Shape)
	es := elemSize(im.Bitpix)
	strides := make([]int64, nd)
	s := int64(es)
	for i := nd - 1; i >= 0; i-- {
		strides[i] = s
		s *= int64(im.Shape[i])
	}
	// Trailing axes the box covers fully merge with the first partial one into one
	// contiguous run; the axes before it are iterated.
	run := 1
	k := nd - 1
	for ; k >= 0; k-- {
		run *= stop[k] - start[k]
		if start[k] != 0 || stop[k] != im.Shape[k] {
			break
		}
	}
	outer := max(k, 0)
	base := im.dataOffset
	for i := range nd {
		base += int64(start[i]) * strides[i]
	}
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	idx := make([]int, outer)
	copy(idx, start[:outer])
	sc := scaling{scale: im.BScale, zero: im.BZero, blank: im.Blank, hasBlank: im.HasBlank}
	for pos := 0; pos < len(dst); pos += run {
		off := base
		for i := range outer {
			off += int64(idx[i]-start[i]) * strides[i]
		}
		// Read the run in bounded chunks.
		for done := 0; done < run; {
			n := min(run-done, plainChunk/es)
			need := n * es
			if cap(*bp) < need {
				*bp = make([]byte, need)
			}
			buf := (*bp)[:need]
			if err := im.file.readAt(im.HDU, buf, off+int64(done*es), "data"); err != nil {
				return err
			}
			decodeBigEndian(dst[pos+done:pos+done+n], buf, im.Bitpix, sc)
			done += n
		}
		for i := outer - 1; i >= 0; i-- {
			idx[i]++
			if idx[i] < stop[i] {
				break
			}
			idx[i] = start[i]
		}
	}
	return nil
}

// scaling maps stored values to physical ones; blank applies to integer data only.
type scaling struct {
	scale, zero float64
	blank       int64
	hasBlank    bool
}

func (s scaling) identity() bool { return s.scale == 1 && s.zero == 0 && !s.hasBlank }

// scaledInt is the physical value BSCALE·v + BZERO of a stored integer, or NaN for the
// BLANK value.
func scaledInt[T float](v int64, sc scaling) T {
	if sc.hasBlank && v == sc.blank {
		return T(math.NaN())
	}
	return T(float64(v)*sc.scale + sc.zero)
}

// decodeBigEndian converts big-endian pixels of the given BITPIX into dst.
func decodeBigEndian[T float](dst []T, src []byte, bitpix int, sc scaling) {
	n := len(dst)
	id := sc.identity()
	switch bitpix {
	case 8:
		src = src[:n]
		if id {
			for i, v := range src {
				dst[i] = T(v)
			}
			return
		}
		for i, v := range src {
			dst[i] = scaledInt[T](int64(v), sc)
		}
	case 16:
		src = src[:2*n]
		if id {
			for i := range dst {
				dst[i] = T(int16(binary.BigEndian.Uint16(src[2*i:])))
			}
			return
		}
		for i := range dst {
			dst[i] = scaledInt[T](int64(int16(binary.BigEndian.Uint16(src[2*i:]))), sc)
		}
	case 32:
		src = src[:4*n]
		if id {
			for i := range dst {
				dst[i] = T(int32(binary.BigEndian.Uint32(src[4*i:])))
			}
			return
		}
		for i := range dst {
			dst[i] = scaledInt[T](int64(int32(binary.BigEndian.Uint32(src[4*i:]))), sc)
		}
	case 64:
		src = src[:8*n]
		if id {
			for i := range dst {
				dst[i] = T(int64(binary.BigEndian.Uint64(src[8*i:])))
			}
			return
		}
		for i := range dst {
			dst[i] = scaledInt[T](int64(binary.BigEndian.Uint64(src[8*i:])), sc)
		}
	case -32:
		src = src[:4*n]
		if id {
			for i := range dst {
				dst[i] = T(math.Float32frombits(binary.BigEndian.Uint32(src[4*i:])))
			}
			return
		}
		for i := range dst {
			dst[i] = T(float64(math.Float32frombits(binary.BigEndian.Uint32(src[4*i:])))*sc.scale + sc.zero)
		}
	case -64:
		src = src[:8*n]
		if id {
			for i := range dst {
				dst[i] = T(math.Float64frombits(binary.BigEndian.Uint64(src[8*i:])))
			}
			return
		}
		for i := range dst {
			dst[i] = T(math.Float64frombits(binary.BigEndian.Uint64(src[8*i:]))*sc.scale + sc.zero)
		}
	}
}

// String names the image for messages: "path HDU 1 (RICE_1 BITPIX -32 976x2555)".
func (im *Image) String() string {
	dims := make([]string, len(im.Shape))
	for i, s := range im.Shape {
		dims[i] = fmt.Sprint(s)
	}
	kind := "plain"
	if im.Compressed {
		kind = im.Compression
	}
	return fmt.Sprintf("%s HDU %d (%s BITPIX %d %s)", im.Path, im.HDU, kind, im.Bitpix, strings.Join(dims, "x"))
}
