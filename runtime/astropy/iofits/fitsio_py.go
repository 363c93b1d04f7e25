package iofits

import (
	"errors"
	"fmt"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"io/fs"
	"os"
	"strings"

	"gokist/fits"
	"gokist/obj"
)

// HDUList is what astropy.io.fits.open returns, read-only: the file's HDUs, indexed by
// number or EXTNAME, with info(), and closed by close() or at the end of a with block.
type HDUList struct {
	path string
	file *fits.File
	hdus []*FITSHDU
}

// FITSHDU is one HDU of an HDUList: its header and, on demand, its image data.
type FITSHDU struct {
	list   *HDUList
	raw    *fits.HDU
	class  string // PrimaryHDU, ImageHDU, CompImageHDU, BinTableHDU, TableHDU
	header *FITSHeader
	data   any // the loaded data (an *Array or nil), once loaded
	loaded bool
}

// osError is Python's error for a file that cannot be read.
func osError(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return &obj.Error{Class: obj.FileNotFoundError, Msg: fmt.Sprintf("[Errno 2] No such file or directory: '%s'", path), Err: err}
	}
	if errors.Is(err, fs.ErrPermission) {
		return &obj.Error{Class: obj.PermissionError, Msg: fmt.Sprintf("[Errno 13] Permission denied: '%s'", path), Err: err}
	}
	return &obj.Error{Class: obj.FITSError, Msg: err.Error(), Err: err}
}

// openHDUList is fits.open(path): every header scanned, no data read.
func openHDUList(path string) (*HDUList, error) {
	path = obj.ExpandHome(path)
	f, err := fits.Open(path)
	if err != nil {
		return nil, osError(path, err)
	}
	l := &HDUList{path: path, file: f}
	raw, err := os.Open(path)
	if err != nil {
		f.Close()
		return nil, osError(path, err)
	}
	defer raw.Close()
	for _, h := range f.HDUs() {
		hdu, err := l.newHDU(raw, h)
		if err != nil {
			f.Close()
			return nil, err
		}
		l.hdus = append(l.hdus, hdu)
	}
	return l, nil
}

// newHDU classifies an HDU as astropy does and builds its header: the card images as
// the file holds them, or for a compressed image the image's own header.
func (l *HDUList) newHDU(raw *os.File, h *fits.HDU) (*FITSHDU, error) {
	hdu := &FITSHDU{list: l, raw: h}
	xt, _ := h.Header.String("XTENSION")
	zimage, _ := h.Header.Bool("ZIMAGE")
	switch {
	case h.Index == 0:
		hdu.class = "PrimaryHDU"
	case xt == "BINTABLE" && zimage:
		hdu.class = "CompImageHDU"
	case xt == "BINTABLE":
		hdu.class = "BinTableHDU"
	case xt == "TABLE":
		hdu.class = "TableHDU"
	default:
		hdu.class = "ImageHDU"
	}
	b := make([]byte, h.DataOffset-h.HeaderOffset)
	if _, err := raw.ReadAt(b, h.HeaderOffset); err != nil {
		return nil, osError(l.path, err)
	}
	imgs := splitCards(b)
	if hdu.class == "CompImageHDU" {
		im, err := l.file.ImageAt(h.Index)
		if err != nil {
			return nil, hduError(err)
		}
		hdu.header = newFITSHeader(compressedHeader(im.Header, h.Header, groupCards(imgs, h.Header.Len())))
		return hdu, nil
	}
	if len(imgs)-continueCards(imgs) != h.Header.Len() {
		imgs = nil
	}
	hdu.header = newFITSHeader(h.Header, imgs)
	return hdu, nil
}

// compressedHeader is astropy's view of a compressed image's header: the image's
// keywords, XTENSION, PCOUNT and GCOUNT commented as the table's ZTENSION, ZPCOUNT and
// ZGCOUNT cards are (or where the table has none of those, as its own cards are), and
// CHECKSUM and DATASUM (which fits puts last, from ZHECKSUM and ZDATASUM) where the
// table's own CHECKSUM and DATASUM cards stand among the image's cards. Cards taken
// from the table keep its card images (tableImages, one group of lines per card, or
// nil); the others are formatted. It returns the header and its 80-column lines.
func compressedHeader(img, table *fits.Header, tableImages [][]string) (*fits.Header, []string) {
	out := fits.NewHeader()
	var lines []string
	add := func(c fits.Card, image []string) {
		out.Append(c)
		if image == nil {
			image = encodeCard(c)
		}
		lines = append(lines, image...)
	}
	cards := img.Cards()
	k := 0
	for ; k < len(cards) && structuralKey(cards[k].Key); k++ {
		c := cards[k]
		if z := map[string]string{"XTENSION": "ZTENSION", "PCOUNT": "ZPCOUNT", "GCOUNT": "ZGCOUNT"}[c.Key]; z != "" {
			if zc, ok := table.Get(z); ok {
				c.Comment = zc.Comment
			} else if tc, ok := table.Comment(c.Key); ok {
				c.Comment = tc
			}
		}
		add(c, nil)
	}
	placed := map[string]bool{}
	for i, tc := range table.Cards() {
		var image []string
		if tableImages != nil {
			image = tableImages[i]
		}
		switch {
		case k < len(cards) && tc.Key == cards[k].Key && tc.Value == cards[k].Value && tc.Comment == cards[k].Comment:
			add(cards[k], image)
			k++
		case tc.Key == "CHECKSUM" || tc.Key == "DATASUM":
			if zc, ok := table.Get("Z" + map[string]string{"CHECKSUM": "HECKSUM", "DATASUM": "DATASUM"}[tc.Key]); ok && zc.Value != tc.Value {
				tc.Value, image = zc.Value, nil
			}
			add(tc, image)
			placed[tc.Key] = true
		}
	}
	for ; k < len(cards); k++ {
		if !placed[cards[k].Key] {
			add(cards[k], nil)
		}
	}
	return out, lines
}

// encodeCard formats one card as fits writes it: its 80-column lines.
func encodeCard(c fits.Card) []string {
	h := fits.NewHeader()
	h.Append(c)
	b, err := h.Encode()
	if err != nil {
		return []string{fmt.Sprintf("%-80.80s", c.Key)}
	}
	return splitCards(b)
}

// groupCards groups card images into logical cards (an image and the CONTINUE images
// after it), or nil when they do not match the n cards parsed from them.
func groupCards(images []string, n int) [][]string {
	var out [][]string
	for _, img := range images {
		if strings.HasPrefix(img, "CONTINUE") && len(out) > 0 {
			out[len(out)-1] = append(out[len(out)-1], img)
			continue
		}
		out = append(out, []string{img})
	}
	if len(out) != n {
		return nil
	}
	return out
}

// structuralKey tells the keywords that open an image extension's header.
func structuralKey(key string) bool {
	switch key {
	case "XTENSION", "BITPIX", "NAXIS", "PCOUNT", "GCOUNT":
		return true
	}
	return strings.HasPrefix(key, "NAXIS") && len(key) > 5 && strings.Trim(key[5:], "0123456789") == ""
}

// hduError gives the fits package's errors Python's class.
func hduError(err error) error {
	var e *obj.Error
	if errors.As(err, &e) {
		return err
	}
	return &obj.Error{Class: obj.FITSError, Msg: err.Error(), Err: err}
}

// name is the HDU's EXTNAME, or astropy's default for its class.
func (h *FITSHDU) Name() string {
	if n, ok := h.raw.Header.String("EXTNAME"); ok {
		return strings.TrimRight(n, " ")
	}
	switch h.class {
	case "PrimaryHDU":
		return "PRIMARY"
	case "CompImageHDU":
		return "COMPRESSED_IMAGE"
	}
	return ""
}

// ver is EXTVER, 1 by default.
func (h *FITSHDU) ver() int {
	if v, ok := h.raw.Header.Int("EXTVER"); ok {
		return int(v)
	}
	return 1
}

// isImage tells the HDUs whose data is an image.
func (h *FITSHDU) isImage() bool {
	return h.class == "PrimaryHDU" || h.class == "ImageHDU" || h.class == "CompImageHDU"
}

// shape is the image's shape in numpy order (empty for no data).
func (h *FITSHDU) Shape() []int {
	hd := h.header.Header
	n, _ := hd.Int("NAXIS")
	out := make([]int, 0, n)
	for i := n; i >= 1; i-- {
		v, _ := hd.Int(fmt.Sprintf("NAXIS%d", i))
		out = append(out, int(v))
	}
	return out
}

// bitpixDType is astropy's BITPIX2DTYPE.
var bitpixDType = map[int64]string{8: "uint8", 16: "int16", 32: "int32", 64: "int64", -32: "float32", -64: "float64"}

// loadData reads the image (decompressed, scaled, blanks as NaN) as an Array, or None
// for an HDU without data.
func (h *FITSHDU) loadData(env *obj.Env) (any, error) {
	if h.loaded {
		return h.data, nil
	}
	if !h.isImage() {
		return nil, obj.Errorf("NotImplementedError", "gokist reads image HDUs only; HDU %d of %s is a %s (a table)", h.raw.Index, h.list.path, h.class)
	}
	shape := h.Shape()
	if len(shape) == 0 || lazy.Product(shape) == 0 || h.class != "CompImageHDU" && h.raw.DataSize == 0 {
		h.loaded = true
		return nil, nil
	}
	if err := checkFITSMemory(env, lazy.Product(shape)); err != nil {
		return nil, err
	}
	im, err := h.list.file.ImageAt(h.raw.Index)
	if err != nil {
		return nil, hduError(err)
	}
	vals, err := im.Read()
	if err != nil {
		return nil, hduError(err)
	}
	h.data, h.loaded = (*numpy.NDArray)(lazy.NewArray(vals, im.Shape, imageDType(im))), true
	return h.data, nil
}

// checkFITSMemory refuses an image larger than the memory the kernel may use.
func checkFITSMemory(env *obj.Env, n int) error {
	const limit = 1 << 31 // elements; 16 GiB as float64
	if n > limit {
		return obj.Errorf("MemoryError", "the image has %d elements, more than gokist loads at once (%d)", n, limit)
	}
	return nil
}

// imageDType is the dtype astropy gives an image's data: float32/float64 as stored,
// scaled integers as floats, plain integers as int64 (gokist's one integer dtype).
func imageDType(im *fits.Image) lazy.DType {
	switch {
	case im.Bitpix == -32:
		return lazy.Float32
	case im.Bitpix == -64:
		return lazy.Float64
	case im.BScale != 1 || im.BZero != 0:
		if im.Bitpix == 8 || im.Bitpix == 16 {
			return lazy.Float32
		}
		return lazy.Float64
	}
	return lazy.Int64
}

// info is HDUList.info(): astropy's table of the HDUs.
func (l *HDUList) info() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Filename: %s\nNo.    Name      Ver    Type      Cards   Dimensions   Format\n", l.path)
	for i, h := range l.hdus {
		dims, format := h.summary()
		fmt.Fprintf(&b, "%3d  %-10s  %3d %-11s  %5d   %s   %s   \n", i, h.Name(), h.ver(), h.class, h.header.Header.Len(), dims, format)
	}
	return b.String()
}

// summary is the Dimensions and Format columns of info() for the HDU, as astropy's
// _summary gives them: the shape in FITS order and the dtype for images (with the
// dtype scaled integers become), rows, columns and TFORMs for tables.
func (h *FITSHDU) summary() (dims, format string) {
	hd := h.header.Header
	if !h.isImage() {
		rows, _ := hd.Int("NAXIS2")
		cols, _ := hd.Int("TFIELDS")
		forms := make([]string, cols)
		for i := range forms {
			forms[i], _ = hd.String(fmt.Sprintf("TFORM%d", i+1))
			forms[i] = strings.TrimSpace(forms[i])
		}
		return fmt.Sprintf("%dR x %dC", rows, cols), "[" + strings.Join(forms, ", ") + "]"
	}
	dims = numpy.TupleString(obj.ShapeTuple(reversed(h.Shape())))
	if s := h.Shape(); len(s) > 0 && lazy.Product(s) > 0 {
		bp, _ := hd.Int("BITPIX")
		format = bitpixDType[bp]
		bs, hasScale := hd.Float("BSCALE")
		bz, hasZero := hd.Float("BZERO")
		if h.class != "CompImageHDU" && bp > 0 && (hasScale && bs != 1 || hasZero && bz != 0) {
			format += " (rescales to " + map[bool]string{true: "float32", false: "float64"}[bp <= 16] + ")"
		}
	}
	if h.loaded && h.data != nil {
		format = h.data.(*numpy.NDArray).Array().DType().String()
	}
	return dims, format
}

// reversed is a shape in FITS order.
func reversed(s []int) []int {
	out := make([]int, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

// index resolves an HDU key: a number (negative from the end), an EXTNAME
// (case-insensitive), or (EXTNAME, EXTVER).
func (l *HDUList) index(key any) (int, error) {
	switch k := key.(type) {
	case int:
		i := k
		if i < 0 {
			i += len(l.hdus)
		}
		if i < 0 || i >= len(l.hdus) {
			return 0, obj.Errorf(obj.IndexError, "list index out of range")
		}
		return i, nil
	case string:
		return l.byName(k, 0)
	case obj.Tuple:
		if len(k) == 2 {
			name, ok1 := k[0].(string)
			ver, ok2 := k[1].(int)
			if ok1 && ok2 {
				return l.byName(name, ver)
			}
		}
	}
	return 0, obj.Errorf(obj.TypeError, "HDUList indices must be an int, an EXTNAME or (EXTNAME, EXTVER), not %s", obj.TypeName(key))
}

// byName finds the first HDU of a name (and version, when ver > 0).
func (l *HDUList) byName(name string, ver int) (int, error) {
	var names []string
	for i, h := range l.hdus {
		if strings.EqualFold(h.Name(), strings.TrimSpace(name)) && (ver == 0 || h.ver() == ver) {
			return i, nil
		}
		names = append(names, h.Name())
	}
	key := "'" + name + "'"
	if ver > 0 {
		key = fmt.Sprintf("('%s', %d)", name, ver)
	}
	e := obj.Errorf("KeyError", "\"Extension %s not found.\"", key)
	if c := obj.Closest(strings.ToUpper(name), names); c != "" {
		e.Hint = fmt.Sprintf("did you mean `%s`?", c)
	}
	return 0, e
}

// GetItem is hdul[key].
func (l *HDUList) GetItem(_ *obj.Env, key any) (any, error) {
	if s, ok := key.(obj.Slice); ok {
		start, stop, step, err := s.Indices(len(l.hdus))
		if err != nil {
			return nil, err
		}
		out := &HDUList{path: l.path, file: l.file}
		for i := start; step > 0 && i < stop || step < 0 && i > stop; i += step {
			out.hdus = append(out.hdus, l.hdus[i])
		}
		return out, nil
	}
	i, err := l.index(key)
	if err != nil {
		return nil, err
	}
	return l.hdus[i], nil
}

// Items lists the HDUs, for loops.
func (l *HDUList) Items() []any {
	out := make([]any, len(l.hdus))
	for i, h := range l.hdus {
		out[i] = h
	}
	return out
}

// String is astropy's repr: the list of HDU objects (without their addresses).
func (l *HDUList) String() string {
	parts := make([]string, len(l.hdus))
	for i, h := range l.hdus {
		parts[i] = h.String()
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// MimeBundle shows the repr.
func (l *HDUList) MimeBundle() map[string]any { return map[string]any{"text/plain": l.String()} }

// Enter is `with fits.open(p) as hdul:`.
func (l *HDUList) Enter(*obj.Env) (any, error) { return l, nil }

// Exit closes the file at the end of the with block.
func (l *HDUList) Exit(_ *obj.Env, _ error) error { return l.close() }

// close closes the file; loaded data stay usable, as astropy's do.
func (l *HDUList) close() error {
	if err := l.file.Close(); err != nil {
		return hduError(err)
	}
	return nil
}

// Type is HDUList's member table.
func (l *HDUList) Type() *obj.Type { return hduListType }

// String is the HDU's repr, with astropy's class path.
func (h *FITSHDU) String() string {
	mod := map[string]string{"PrimaryHDU": "image", "ImageHDU": "image", "CompImageHDU": "compressed", "BinTableHDU": "table", "TableHDU": "table"}[h.class]
	return fmt.Sprintf("<astropy.io.fits.hdu.%s.%s object>", mod, h.class)
}

// MimeBundle shows the repr.
func (h *FITSHDU) MimeBundle() map[string]any { return map[string]any{"text/plain": h.String()} }

// Type is the HDU's member table.
func (h *FITSHDU) Type() *obj.Type { return fitsHDUType }
