package dkist

// This file is the loader's header scan: each file's header read once (in parallel,
// no data), its SPEC-214 dataset keys and DINDEX placement read out, and the files
// checked to belong to one dataset.

import (
	"context"
	"errors"
	"fmt"
	"gokist/runtime/lazy"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"gokist/fits"
	"gokist/obj"
	"gokist/runtime/wcs"
)

// fileHeader is what the loader keeps of one FITS file after the header-only scan. The
// full header is not kept (a DKIST header is ~30 KB parsed, and datasets have thousands of
// files): the scan reads out the SPEC-214 keys, the DINDEX placement and the WCS, and keeps
// the header itself only for the file that gets scanned first (header is nil otherwise).
type fileHeader struct {
	path   string
	hdu    int // the HDU that holds the image
	header *fits.Header
	shape  []int // numpy order
	bitpix int
	index  []int // grid position (numpy order of the spanning axes), after normalising
	layout *fits.ImageLayout

	keys    *datasetKeys // nil with keysErr set when the SPEC-214 keys are missing or bad
	keysErr error
	dindex  []dindexValue // DINDEXd for d = 1 … DNAXIS
	// identity holds the keys that say which dataset the file belongs to (DSETID,
	// INSTRUME), "" where the file lacks one; every file of a directory must agree.
	identity [len(identityKeys)]string
	wcs      wcs.FileInfo // the file's WCS, DATE-AVG and STOKES; wcsErr when unreadable
	wcsErr   error
	// ctypes are the file's CTYPEn values (index 0 = axis 1), kept so that a WCS that
	// cannot be built can name the key in which the failing file differs from the others.
	ctypes []string
}

// dindexValue is one DINDEXd key of a file (ok false when the file lacks it or it is not
// an integer; then bad holds the value as the header has it).
type dindexValue struct {
	v   int
	ok  bool
	bad string
}

// cardValueText renders a header value as FITS writes it: strings quoted.
func cardValueText(v any) string {
	if s, ok := v.(string); ok {
		return "'" + strings.TrimRight(s, " ") + "'"
	}
	return fmt.Sprint(v)
}

// scanHeaders reads the image header of every file with a few goroutines. The workers
// stop taking files when ctx is cancelled, and the scan returns Interrupted at once even
// when a worker is stuck in an open or read that does not return.
func scanHeaders(ctx context.Context, paths []string) ([]*fileHeader, error) {
	out := make([]*fileHeader, len(paths))
	errs := make([]error, len(paths))
	var next sync.Mutex
	i := 0
	var scanned atomic.Int64
	open := OpenFITS // read here: workers may outlive the scan
	var wg sync.WaitGroup
	for range min(8, max(1, len(paths))) {
		wg.Go(func() {
			for {
				next.Lock()
				k := i
				i++
				next.Unlock()
				if k >= len(paths) || ctx.Err() != nil {
					return
				}
				out[k], errs[k] = withoutPanic("reading the FITS header of "+paths[k], func() (*fileHeader, error) {
					return scanHeader(open, paths[k], k == 0)
				})()
				scanned.Add(1)
			}
		})
	}
	finished := make(chan struct{})
	go func() {
		wg.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-ctx.Done():
	}
	if ctx.Err() != nil {
		return nil, loadInterrupted(fmt.Sprintf("reading the FITS headers (%d of %d files read)", scanned.Load(), len(paths)))
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scanHeader reads one file's image header (opened with open) and extracts what the
// dataset needs of it; the header itself is kept only when keepHeader is set.
func scanHeader(open func(string) (*fits.File, error), path string, keepHeader bool) (*fileHeader, error) {
	f, err := open(path)
	if err != nil {
		return nil, lazy.FitsError(path, err)
	}
	defer f.Close()
	im, err := f.Image()
	if err != nil {
		return nil, lazy.FitsError(path, err)
	}
	h := &fileHeader{path: path, hdu: im.HDU, header: im.Header, shape: slices.Clone(im.Shape), bitpix: im.Bitpix, layout: im.Layout()}
	h.keys, h.keysErr = readKeys(h)
	if h.keys != nil {
		h.dindex = make([]dindexValue, h.keys.dnaxis)
		for d := range h.dindex {
			key := fmt.Sprintf("DINDEX%d", d+1)
			v, ok := im.Header.Int(key)
			h.dindex[d] = dindexValue{v: int(v), ok: ok}
			if c, present := im.Header.Get(key); present && !ok {
				h.dindex[d].bad = cardValueText(c.Value)
			}
		}
	}
	if n, ok := im.Header.Int("NAXIS"); ok && n > 0 && n <= 999 {
		h.ctypes = make([]string, n)
		for i := range h.ctypes {
			h.ctypes[i], _ = im.Header.String(fmt.Sprintf("CTYPE%d", i+1))
			h.ctypes[i] = strings.TrimSpace(h.ctypes[i])
		}
	}
	for i, key := range identityKeys {
		h.identity[i], _ = im.Header.String(key)
		h.identity[i] = strings.TrimSpace(h.identity[i])
	}
	h.wcs, h.wcsErr = wcs.ParseFileInfo(im.Header)
	if h.wcsErr != nil {
		h.wcsErr = fmt.Errorf("HDU %d: %w", h.hdu, h.wcsErr)
	}
	if !keepHeader {
		h.header = nil
	}
	return h, nil
}

// readImageHeader reads the image header of one file of the dataset again (a header-only
// scan); the load found the file, so one that does not exist now is gone since.
func readImageHeader(path string) (*fits.Header, error) {
	f, err := OpenFITS(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, lazy.GoneError(path, err)
		}
		return nil, lazy.FitsError(path, err)
	}
	defer f.Close()
	im, err := f.Image()
	if err != nil {
		return nil, lazy.FitsError(path, err)
	}
	return im.Header, nil
}

// identityKeys are the header keys that name the dataset a file belongs to.
var identityKeys = [...]string{"DSETID", "INSTRUME"}

// checkOneDataset makes sure every file belongs to the same dataset: for each identity
// key the value most files have wins, and the first file with another value is named
// (a directory that mixes two datasets would otherwise compute over both).
func checkOneDataset(headers []*fileHeader) error {
	for i, key := range identityKeys {
		counts := map[string]int{}
		for _, h := range headers {
			if v := h.identity[i]; v != "" {
				counts[v]++
			}
		}
		if len(counts) < 2 {
			continue
		}
		majority := ""
		for v, n := range counts {
			if n > counts[majority] || (n == counts[majority] && v < majority) {
				majority = v
			}
		}
		for _, h := range headers {
			v := h.identity[i]
			if v == "" || v == majority {
				continue
			}
			return obj.Errorf(obj.ValueError, "%s: %s = '%s', but %d of the other %d files have %s = '%s': the file belongs to another dataset (the directory mixes two datasets)",
				filepath.Base(h.path), key, v, counts[majority], len(headers)-1, key, majority).
				WithHint("move the files of the other dataset to their own directory and load each directory on its own")
		}
	}
	return nil
}

// ctypeDifference names the CTYPEn keys in which h differs from what most files have,
// as " (CTYPE1 = 'FOO-BAR' where the other files have 'HPLT-TAN')", or "": the WCS
// reader reports the axis it could not pair, which need not be the broken one.
func ctypeDifference(h *fileHeader, headers []*fileHeader) string {
	var diffs []string
	for ax, v := range h.ctypes {
		counts := map[string]int{}
		for _, o := range headers {
			if o != h && ax < len(o.ctypes) {
				counts[o.ctypes[ax]]++
			}
		}
		majority, n := "", 0
		for c, k := range counts {
			if k > n || (k == n && c < majority) {
				majority, n = c, k
			}
		}
		if n > 0 && majority != v {
			diffs = append(diffs, fmt.Sprintf("CTYPE%d = '%s' where the other files have '%s'", ax+1, v, majority))
		}
	}
	if len(diffs) == 0 {
		return ""
	}
	return " (" + strings.Join(diffs, "; ") + ")"
}

// datasetKeys are the SPEC-214 dataset keys of one file.
type datasetKeys struct {
	dnaxis, daaxes, deaxes    int
	dnaxisN                   []int // per dataset FITS axis (index 0 = axis 1)
	dtype, pname, wname, unit []string
}

func readKeys(h *fileHeader) (*datasetKeys, error) {
	hd := h.header
	name := filepath.Base(h.path)
	geti := func(key string) (int, error) {
		v, ok := hd.Int(key)
		if !ok {
			if c, present := hd.Get(key); present {
				return 0, obj.Errorf(obj.FITSError, "%s HDU %d: %s = %s is not an integer", name, h.hdu, key, cardValueText(c.Value))
			}
			return 0, obj.Errorf(obj.FITSError, "%s: missing the SPEC-214 key %s: not a DKIST dataset file", name, key)
		}
		return int(v), nil
	}
	k := &datasetKeys{}
	var err error
	if k.dnaxis, err = geti("DNAXIS"); err != nil {
		return nil, err
	}
	if k.dnaxis < 1 || k.dnaxis > 16 {
		return nil, obj.Errorf(obj.FITSError, "%s: DNAXIS = %d is not a valid number of dataset axes", name, k.dnaxis)
	}
	if k.daaxes, err = geti("DAAXES"); err != nil {
		return nil, err
	}
	k.deaxes = k.dnaxis - k.daaxes
	if v, ok := hd.Int("DEAXES"); ok {
		k.deaxes = int(v)
	}
	if k.daaxes < 0 || k.deaxes < 0 || k.daaxes+k.deaxes != k.dnaxis {
		return nil, obj.Errorf(obj.FITSError, "%s: DAAXES = %d and DEAXES = %d do not add up to DNAXIS = %d", name, k.daaxes, k.deaxes, k.dnaxis)
	}
	for d := 1; d <= k.dnaxis; d++ {
		n, err := geti(fmt.Sprintf("DNAXIS%d", d))
		if err != nil {
			return nil, err
		}
		if n < 1 {
			return nil, obj.Errorf(obj.FITSError, "%s: DNAXIS%d = %d is not a valid axis length (at least 1)", name, d, n)
		}
		k.dnaxisN = append(k.dnaxisN, n)
		str := func(key string) string {
			s, _ := hd.String(fmt.Sprintf("%s%d", key, d))
			return strings.TrimSpace(s)
		}
		k.dtype = append(k.dtype, str("DTYPE"))
		k.pname = append(k.pname, str("DPNAME"))
		k.wname = append(k.wname, str("DWNAME"))
		k.unit = append(k.unit, str("DUNIT"))
	}
	return k, nil
}

// disagreement names the first key where b differs from a.
func (a *datasetKeys) disagreement(b *datasetKeys) string {
	if a.dnaxis != b.dnaxis {
		return fmt.Sprintf("DNAXIS = %d, not %d", b.dnaxis, a.dnaxis)
	}
	if a.daaxes != b.daaxes {
		return fmt.Sprintf("DAAXES = %d, not %d", b.daaxes, a.daaxes)
	}
	if a.deaxes != b.deaxes {
		return fmt.Sprintf("DEAXES = %d, not %d", b.deaxes, a.deaxes)
	}
	for d := range a.dnaxisN {
		if a.dnaxisN[d] != b.dnaxisN[d] {
			return fmt.Sprintf("DNAXIS%d = %d, not %d", d+1, b.dnaxisN[d], a.dnaxisN[d])
		}
		if a.dtype[d] != b.dtype[d] {
			return fmt.Sprintf("DTYPE%d = '%s', not '%s'", d+1, b.dtype[d], a.dtype[d])
		}
	}
	return ""
}

// dtypeOfBitpix gives the dtype astropy reads a BITPIX as (integers scaled to float).
func dtypeOfBitpix(bitpix int) lazy.DType {
	switch bitpix {
	case -64, 32, 64:
		return lazy.Float64
	}
	return lazy.Float32
}
