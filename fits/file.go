package fits

import (
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"strings"
	"time"
)

// Error is a failure tied to a FITS file and, when known, one of its HDUs (HDU < 0 when
// the failure concerns the file as a whole). Its text reads like
// "path: HDU 1: truncated data: need 9600 bytes at offset 5760, file has 7000".
type Error struct {
	Path string
	HDU  int
	Msg  string
	Err  error
}

// Error formats the path, the HDU, what is wrong and the underlying cause.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	if e.HDU >= 0 {
		fmt.Fprintf(&b, ": HDU %d", e.HDU)
	}
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

func newError(path string, hdu int, err error, format string, args ...any) *Error {
	return &Error{Path: path, HDU: hdu, Msg: fmt.Sprintf(format, args...), Err: err}
}

// HDU is one header-data unit found by the header scan: its parsed header and where its
// header and data lie in the file. DataSize excludes the padding to 2880 bytes.
type HDU struct {
	Index        int
	Header       *Header
	HeaderOffset int64
	DataOffset   int64
	DataSize     int64
}

// File is an open FITS file whose headers have been scanned. Data are read on demand
// through ReadAt, so a File is safe for concurrent readers.
type File struct {
	path string
	r    io.ReaderAt
	c    io.Closer
	size int64
	hdus []*HDU
	// modTime is the file's modification time when opened by path (zero otherwise), so
	// that a layout taken from it can tell whether the file changed since.
	modTime time.Time
}

// openStat opens path and stats it, so a reader knows the file's size and modification
// time; on error nothing is left open.
func openStat(path string) (*os.File, os.FileInfo, error) {
	// Stat before opening: opening a named pipe blocks until something writes to it, which
	// would hang a dataset load on a stray FIFO called *.fits.
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return nil, nil, newError(path, -1, nil, "not a regular file (%s)", FileKind(st.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, newError(path, -1, err, "cannot open")
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, newError(path, -1, err, "cannot stat")
	}
	return f, st, nil
}

// FileKind names the kind of a file that is not a regular one, for errors that refuse it.
func FileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}

// Open opens a FITS file and scans the header of every HDU, reading 2880-byte blocks with
// ReadAt and skipping the data units.
func Open(path string) (*File, error) {
	f, st, err := openStat(path)
	if err != nil {
		return nil, err
	}
	ff, err := NewFile(path, f, st.Size())
	if err != nil {
		f.Close()
		return nil, err
	}
	ff.c = f
	ff.modTime = st.ModTime()
	return ff, nil
}

// NewFile scans the HDUs of FITS bytes available through r (size bytes long); path names
// the source in errors. Close does not close r.
func NewFile(path string, r io.ReaderAt, size int64) (*File, error) {
	f := &File{path: path, r: r, size: size}
	if err := f.scan(); err != nil {
		return nil, err
	}
	return f, nil
}

// Path is the file's path as given to Open.
func (f *File) Path() string { return f.path }

// Size is the file's length in bytes.
func (f *File) Size() int64 { return f.size }

// HDUs returns the HDUs in file order.
func (f *File) HDUs() []*HDU { return f.hdus }

// Close closes the underlying file.
func (f *File) Close() error {
	if f.c == nil {
		return nil
	}
	c := f.c
	f.c = nil
	return c.Close()
}

// readAt reads file bytes; it reports a short file as an *Error naming the HDU.
func (f *File) readAt(hdu int, p []byte, off int64, what string) error {
	n, err := f.r.ReadAt(p, off)
	if n == len(p) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		return newError(f.path, hdu, nil, "truncated %s: need %d bytes at offset %d, file has %d", what, len(p), off, f.size)
	}
	return newError(f.path, hdu, err, "reading %s: %d bytes at offset %d", what, len(p), off)
}

func (f *File) scan() error {
	block := make([]byte, BlockLen)
	var off int64
	for index := 0; off < f.size; index++ {
		if index > 0 {
			// After the last HDU some writers leave zero padding or junk; astropy ignores
			// it with a warning. A truncated extension header is still an error.
			n, _ := f.r.ReadAt(block[:8], off)
			if n < 8 || string(block[:8]) != "XTENSION" {
				break
			}
		}
		hdu, next, err := f.scanHDU(index, off, block)
		if err != nil {
			return err
		}
		f.hdus = append(f.hdus, hdu)
		off = next
	}
	if len(f.hdus) == 0 {
		return newError(f.path, -1, nil, "not a FITS file: empty")
	}
	return nil
}

func (f *File) scanHDU(index int, off int64, block []byte) (*HDU, int64, error) {
	p := newCardParser()
	start := off
	for {
		if off+BlockLen > f.size {
			if index == 0 && off == 0 {
				n, _ := f.r.ReadAt(block, 0)
				if n < 9 || string(block[:9]) != "SIMPLE  =" {
					return nil, 0, newError(f.path, -1, nil, "not a FITS file: it does not begin with SIMPLE = T")
				}
			}
			return nil, 0, newError(f.path, index, nil, "header has no END card: file ends at offset %d before a full 2880-byte header block", f.size)
		}
		if err := f.readAt(index, block, off, "header"); err != nil {
			return nil, 0, err
		}
		if off == start {
			if index == 0 && string(block[:9]) != "SIMPLE  =" {
				return nil, 0, newError(f.path, -1, nil, "not a FITS file: it does not begin with SIMPLE = T")
			}
		}
		off += BlockLen
		end, err := parseHeaderBlock(p, block)
		if err != nil {
			return nil, 0, newError(f.path, index, err, "header at offset %d", off-BlockLen)
		}
		if end {
			break
		}
	}
	h := p.header()
	size, err := dataSize(h, index == 0)
	if err != nil {
		return nil, 0, newError(f.path, index, nil, "%v", err)
	}
	hdu := &HDU{Index: index, Header: h, HeaderOffset: start, DataOffset: off, DataSize: size}
	if off+size > f.size || off+size < off {
		return nil, 0, newError(f.path, index, nil, "truncated data: need %d bytes at offset %d, file has %d", size, off, f.size)
	}
	padded := (size + BlockLen - 1) / BlockLen * BlockLen
	return hdu, off + padded, nil
}

// dataSize is the byte length of the data unit described by the mandatory keywords:
// |BITPIX|/8 × GCOUNT × (PCOUNT + NAXIS1 × … × NAXISn), NAXIS1 excluded for random groups.
func dataSize(h *Header, primary bool) (int64, error) {
	if primary {
		if v, ok := h.Bool("SIMPLE"); !ok || !v {
			return 0, fmt.Errorf("primary header does not begin with SIMPLE = T")
		}
	} else if _, ok := h.String("XTENSION"); !ok {
		return 0, fmt.Errorf("extension header has no XTENSION string")
	}
	bitpix, ok := h.Int("BITPIX")
	if !ok {
		return 0, fmt.Errorf("missing or non-integer BITPIX")
	}
	switch bitpix {
	case 8, 16, 32, 64, -32, -64:
	default:
		return 0, fmt.Errorf("BITPIX = %d is not one of 8, 16, 32, 64, -32, -64", bitpix)
	}
	naxis, ok := h.Int("NAXIS")
	if !ok || naxis < 0 || naxis > 999 {
		return 0, fmt.Errorf("missing or invalid NAXIS")
	}
	if naxis == 0 {
		return 0, nil
	}
	groups, _ := h.Bool("GROUPS")
	count := uint64(1)
	for i := 1; i <= int(naxis); i++ {
		n, ok := h.Int(fmt.Sprintf("NAXIS%d", i))
		if !ok || n < 0 {
			return 0, fmt.Errorf("missing or invalid NAXIS%d", i)
		}
		if i == 1 && n == 0 && groups {
			continue
		}
		hi, lo := bits.Mul64(count, uint64(n))
		if hi != 0 || lo > 1<<50 {
			return 0, fmt.Errorf("data size from NAXISn is too large")
		}
		count = lo
	}
	pcount, _ := h.Int("PCOUNT")
	gcount, ok := h.Int("GCOUNT")
	if !ok {
		gcount = 1
	}
	if pcount < 0 || pcount > 1<<50 || gcount < 0 || gcount > 1<<20 {
		return 0, fmt.Errorf("invalid PCOUNT %d or GCOUNT %d", pcount, gcount)
	}
	elem := uint64(bitpix)
	if bitpix < 0 {
		elem = uint64(-bitpix)
	}
	elem /= 8
	hi1, groupsBytes := bits.Mul64(elem, uint64(pcount)+count)
	hi2, total := bits.Mul64(groupsBytes, uint64(gcount))
	if hi1 != 0 || hi2 != 0 || total > 1<<52 {
		return 0, fmt.Errorf("data size from NAXISn is too large")
	}
	return int64(total), nil
}
