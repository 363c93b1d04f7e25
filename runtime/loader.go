package runtime

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"gopkg.in/yaml.v3"

	"gokist/fits"
	"gokist/runtime/obj"
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

// listDirectory and openFITS are how the loader reaches the file system; tests replace
// them to stand in for what a root test run cannot make (a permission error) or wait for
// (a read that blocks on a stalled mount).
var (
	listDirectory = os.ReadDir
	openFITS      = fits.Open
)

// LoadDataset reads a DKIST dataset directory: every FITS header (in parallel, no data),
// placed by the SPEC-214 keys, checked to agree; where the directory holds an ASDF
// index its file_manager gives the full file grid, so missing files compute as NaN.
func LoadDataset(ctx context.Context, dir string) (*Dataset, error) {
	dir = obj.ExpandHome(dir)
	st, err := interruptibly(ctx, "looking up "+dir, func() (fs.FileInfo, error) { return os.Stat(dir) })
	if err != nil {
		if isInterrupted(err) {
			return nil, err
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil, obj.Errorf(obj.FileNotFoundError, "no such directory: '%s'", dir)
		}
		if errors.Is(err, fs.ErrPermission) {
			return nil, permissionError(dir, "cannot reach the dataset directory", err)
		}
		return nil, &obj.Error{Class: obj.FileNotFoundError, Msg: err.Error(), Err: err}
	}
	var asdfPath string
	if !st.IsDir() {
		if isASDF(dir) {
			asdfPath, dir = dir, filepath.Dir(dir)
		} else {
			return nil, obj.Errorf(obj.ValueError, "'%s' is a file, not a dataset directory", dir).WithHint("give the directory that holds the dataset's FITS files")
		}
	}
	list := listDirectory // read here: the goroutine may outlive the load
	entries, err := interruptibly(ctx, "listing the dataset directory "+dir, func() ([]os.DirEntry, error) { return list(dir) })
	if err != nil {
		if isInterrupted(err) {
			return nil, err
		}
		if errors.Is(err, fs.ErrPermission) {
			return nil, permissionError(dir, "cannot list the dataset directory", err)
		}
		return nil, &obj.Error{Class: obj.FileNotFoundError, Msg: err.Error(), Err: err}
	}
	var fitsPaths []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			continue
		}
		low := strings.ToLower(name)
		switch {
		case strings.HasSuffix(low, ".fits") || strings.HasSuffix(low, ".fts") || strings.HasSuffix(low, ".fit"):
			fitsPaths = append(fitsPaths, filepath.Join(dir, name))
		case asdfPath == "" && isASDF(low):
			asdfPath = filepath.Join(dir, name)
		}
	}
	sort.Strings(fitsPaths)
	if len(entries) == 0 {
		return nil, obj.Errorf(obj.FileNotFoundError, "the directory '%s' is empty: no FITS files and no ASDF index", dir)
	}
	if len(fitsPaths) == 0 && asdfPath == "" {
		return nil, obj.Errorf(obj.FileNotFoundError, "no FITS files (*.fits) or ASDF index (*.asdf) in '%s'", dir).
			WithHint("download the dataset's files first, or give the directory that holds them")
	}
	var fm *fileManager
	var asdfProblem error // why an ASDF index present could not be used
	if asdfPath != "" {
		fm, err = interruptibly(ctx, "reading the ASDF index "+asdfPath, func() (*fileManager, error) { return readFileManager(ctx, asdfPath) })
		if err != nil && (isInterrupted(err) || len(fitsPaths) == 0) {
			return nil, err
		}
		if err != nil {
			// The FITS headers may suffice to place the files (as the dkist package's
			// loader can): try them, and say why the index was not used.
			asdfProblem, asdfPath = err, ""
		}
	}
	allocatedBefore := heapAllocated()
	// The scan's live heap is small (one header per worker) but it makes a lot of
	// garbage; with the default GOGC the heap doubles before each collection and the load
	// sets the process's peak memory. Collect as often as a compute does.
	restoreGC := tightenGC()
	headers, err := scanHeaders(ctx, fitsPaths)
	restoreGC()
	if err != nil {
		return nil, err
	}
	ds, err := interruptibly(ctx, "building the dataset", func() (*Dataset, error) { return assemble(dir, asdfPath, fm, headers) })
	if asdfProblem != nil {
		if err != nil && !isInterrupted(err) {
			return nil, obj.Errorf(obj.ValueError, "%v; the ASDF index, which would give the full layout, cannot be read: %v", errorText(err), errorText(asdfProblem))
		}
		if err == nil {
			ds.info.asdfProblem = asdfProblem
		}
	}
	if err == nil && heapAllocated()-allocatedBefore > loadGarbageToRelease {
		// The scan's garbage (every file's parsed header) is dead now; hand its pages
		// back to the OS at once rather than keeping them as the kernel's resident size.
		debug.FreeOSMemory()
	}
	return ds, err
}

// errorText is an error's message without its class.
func errorText(err error) string {
	var oe *obj.Error
	if errors.As(err, &oe) {
		return oe.Msg
	}
	return err.Error()
}

// loadGarbageToRelease is how much a load must have allocated before it returns the
// freed memory to the OS (a forced GC, worth it only after a big scan).
const loadGarbageToRelease = 64 << 20

// heapAllocated is the total of bytes the Go heap has allocated so far.
func heapAllocated() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

func isASDF(name string) bool {
	low := strings.ToLower(name)
	return strings.HasSuffix(low, ".asdf") || strings.HasSuffix(low, ".asdf.gz")
}

// interruptibly runs fn, but returns Interrupted as soon as ctx is cancelled even if fn
// is blocked in a system call (a stalled network or FUSE mount can block an open or a
// read for ever): the cell returns and fn's goroutine is left to finish on its own.
func interruptibly[T any](ctx context.Context, doing string, fn func() (T, error)) (T, error) {
	var zero T
	fn = withoutPanic(doing, fn)
	if ctx.Done() == nil {
		return fn()
	}
	if ctx.Err() != nil {
		return zero, loadInterrupted(doing)
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1) // buffered: an abandoned fn can still send and exit
	go func() {
		v, err := fn()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		return zero, loadInterrupted(doing)
	}
}

// withoutPanic wraps fn so that a panic in it (a bug met by a file nobody foresaw)
// becomes an error naming what was being done, instead of ending the kernel: fn may run
// on a goroutine of its own, where a panic cannot be recovered by the cell.
func withoutPanic[T any](doing string, fn func() (T, error)) func() (T, error) {
	return func() (v T, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = obj.Errorf(obj.ValueError, "internal error while %s: %v", doing, r).
					WithHint("the file may be damaged; please report this with the file")
			}
		}()
		return fn()
	}
}

// loadInterrupted is the error of a load stopped by the kernel's interrupt.
func loadInterrupted(doing string) error {
	return obj.Errorf(obj.Interrupted, "loading interrupted while %s", doing)
}

// isInterrupted reports whether err is an Interrupted error.
func isInterrupted(err error) bool {
	var oe *obj.Error
	return errors.As(err, &oe) && oe.Class == obj.Interrupted
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
	open := openFITS // read here: workers may outlive the scan
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
		return nil, fitsError(path, err)
	}
	defer f.Close()
	im, err := f.Image()
	if err != nil {
		return nil, fitsError(path, err)
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
	f, err := openFITS(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, goneError(path, err)
		}
		return nil, fitsError(path, err)
	}
	defer f.Close()
	im, err := f.Image()
	if err != nil {
		return nil, fitsError(path, err)
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
func dtypeOfBitpix(bitpix int) DType {
	switch bitpix {
	case -64, 32, 64:
		return Float64
	}
	return Float32
}

// assemble places the files on the dataset grid and builds the Dataset.
func assemble(dir, asdfPath string, fm *fileManager, headers []*fileHeader) (*Dataset, error) {
	g := &fileGrid{dir: dir}
	var keys *datasetKeys
	var first *fileHeader
	if err := checkOneDataset(headers); err != nil {
		return nil, err
	}
	if len(headers) > 0 {
		first = headers[0]
		if keys = first.keys; first.keysErr != nil {
			return nil, first.keysErr
		}
		for _, h := range headers[1:] {
			k := h.keys
			if h.keysErr != nil {
				return nil, h.keysErr
			}
			if d := keys.disagreement(k); d != "" {
				return nil, obj.Errorf(obj.ValueError, "%s does not agree with %s: %s", filepath.Base(h.path), filepath.Base(first.path), d)
			}
			if !sameShape(h.shape, first.shape) {
				return nil, obj.Errorf(obj.ValueError, "%s does not agree with %s: image shape %s, not %s", filepath.Base(h.path), filepath.Base(first.path), shapeString(h.shape), shapeString(first.shape))
			}
			if h.bitpix != first.bitpix {
				return nil, obj.Errorf(obj.ValueError, "%s does not agree with %s: BITPIX = %d, not %d", filepath.Base(h.path), filepath.Base(first.path), h.bitpix, first.bitpix)
			}
		}
		g.fileShape = first.shape
		g.bitpix = first.bitpix
		g.dtype = dtypeOfBitpix(first.bitpix)
		// File FITS axes beyond DAAXES must be length 1 (they are dropped).
		nf := len(first.shape)
		for fitsAx := keys.daaxes + 1; fitsAx <= nf; fitsAx++ {
			if first.shape[nf-fitsAx] != 1 {
				return nil, obj.Errorf(obj.ValueError, "%s: file axis NAXIS%d = %d but DAAXES = %d says only %d axes are in the file", filepath.Base(first.path), fitsAx, first.shape[nf-fitsAx], keys.daaxes, keys.daaxes)
			}
		}
		for fitsAx := 1; fitsAx <= min(keys.daaxes, nf); fitsAx++ {
			if n := first.shape[nf-fitsAx]; n != keys.dnaxisN[fitsAx-1] {
				return nil, obj.Errorf(obj.ValueError, "%s: NAXIS%d = %d differs from DNAXIS%d = %d", filepath.Base(first.path), fitsAx, n, fitsAx, keys.dnaxisN[fitsAx-1])
			}
		}
	}
	if fm != nil {
		if first != nil && !sameShape(trimOnes(fm.shape), trimOnes(first.shape)) {
			return nil, obj.Errorf(obj.ValueError, "the ASDF index %s says files have shape %s but %s has %s", filepath.Base(asdfPath), shapeString(fm.shape), filepath.Base(first.path), shapeString(first.shape))
		}
		if first == nil {
			g.fileShape = fm.shape
			g.dtype = Float64
			if fm.datatype == "float32" {
				g.dtype = Float32
			}
			g.bitpix = -g.dtype.itemSize() * 8
		}
		if keys != nil && len(fm.gridShape) > keys.deaxes {
			return nil, obj.Errorf(obj.ValueError, "the ASDF index %s lists its files nested %d deep (fileuris of shape %s), but the dataset has %d axes across files (DEAXES = %d in %s)",
				filepath.Base(asdfPath), len(fm.gridShape), shapeString(fm.gridShape), keys.deaxes, keys.deaxes, filepath.Base(first.path)).
				WithHint("the ASDF index belongs to another dataset or is damaged: move it away to load the files by their DINDEX keys")
		}
		g.gridShape = fm.gridShape
		byName := map[string]string{}
		for _, h := range headers {
			byName[filepath.Base(h.path)] = h.path
		}
		g.files = make([]string, len(fm.uris))
		g.names = fm.uris
		for i, u := range fm.uris {
			if p, ok := byName[filepath.Base(u)]; ok {
				g.files[i] = p
			} else {
				g.missing++
			}
		}
	} else {
		if err := placeByDINDEX(g, keys, headers); err != nil {
			return nil, err
		}
	}
	for fax, n := range g.fileShape {
		if n != 1 {
			g.inFile = append(g.inFile, fax)
		}
	}
	if err := checkDataSize(g, asdfPath, first); err != nil {
		return nil, err
	}
	g.keepLayouts(headers)
	return newLoadedDataset(g, keys, headers, asdfPath)
}

// checkDataSize makes sure the dataset's size, in elements and in bytes, can be counted:
// its shape comes from headers or an ASDF index, and a later product over it must not
// wrap around to a small or negative size.
func checkDataSize(g *fileGrid, asdfPath string, first *fileHeader) error {
	n, ok := checkedProduct(g.shape())
	if ok {
		_, ok = checkedProduct([]int{n, g.dtype.itemSize()})
	}
	if ok {
		return nil
	}
	from := "the ASDF index " + filepath.Base(asdfPath)
	if first != nil && asdfPath == "" {
		from = filepath.Base(first.path) + "'s DNAXISn keys"
	}
	return obj.Errorf(obj.ValueError, "the dataset's shape %s (from %s) holds more elements than can be counted", shapeString(g.shape()), from)
}

func trimOnes(s []int) []int {
	var out []int
	for _, n := range s {
		if n != 1 {
			out = append(out, n)
		}
	}
	return out
}

// placeByDINDEX puts each file on the grid by its DINDEXk keys (any base: the smallest
// value of each key is position 0), rejecting duplicates and holes.
func placeByDINDEX(g *fileGrid, keys *datasetKeys, headers []*fileHeader) error {
	ne := keys.deaxes
	// Grid axes in numpy order: dataset FITS axes DNAXIS … DAAXES+1.
	g.gridShape = make([]int, ne)
	for i := range ne {
		g.gridShape[i] = keys.dnaxisN[keys.dnaxis-1-i]
	}
	mins := make([]int, ne)
	maxs := make([]int, ne)
	minAt := make([]*fileHeader, ne) // the files holding the smallest and largest DINDEX
	maxAt := make([]*fileHeader, ne)
	raw := make([][]int, len(headers))
	for fi, h := range headers {
		raw[fi] = make([]int, ne)
		for i := range ne {
			d := keys.dnaxis - i
			dv := h.dindex[d-1]
			if dv.bad != "" {
				return obj.Errorf(obj.FITSError, "%s HDU %d: DINDEX%d = %s is not an integer", filepath.Base(h.path), h.hdu, d, dv.bad)
			}
			if !dv.ok {
				return obj.Errorf(obj.FITSError, "%s: missing the SPEC-214 key DINDEX%d that places it along dataset axis %d", filepath.Base(h.path), d, d)
			}
			// DINDEX is 1-based in real data and 0-based in some simulated data, never
			// negative: a negative one is that file's fault, whatever the others hold.
			if dv.v < 0 {
				return obj.Errorf(obj.ValueError, "%s HDU %d: DINDEX%d = %d is negative (DINDEX%d counts the file's position along dataset axis %d from 1, or from 0)", filepath.Base(h.path), h.hdu, d, dv.v, d, d)
			}
			raw[fi][i] = dv.v
			if fi == 0 || dv.v < mins[i] {
				mins[i], minAt[i] = dv.v, h
			}
			if fi == 0 || dv.v > maxs[i] {
				maxs[i], maxAt[i] = dv.v, h
			}
		}
	}
	for i := range ne {
		if maxs[i]-mins[i] >= g.gridShape[i] {
			d := keys.dnaxis - i
			return obj.Errorf(obj.ValueError, "DINDEX%d ranges from %d (%s) to %d (%s): %d positions, more than the dataset axis of DNAXIS%d = %d",
				d, mins[i], filepath.Base(minAt[i].path), maxs[i], filepath.Base(maxAt[i].path), maxs[i]-mins[i]+1, d, g.gridShape[i]).
				WithHint("one of the two files is misplaced or belongs to another dataset")
		}
	}
	// The grid's size comes from the headers (DNAXISn): place the files by position
	// first and allocate the grid only once the files are known to fill it, so that
	// an absurd DNAXISn is an error, not an allocation of its size.
	total, ok := checkedProduct(g.gridShape)
	if !ok {
		return obj.Errorf(obj.ValueError, "%s: the dataset grid %s of DNAXIS%d … DNAXIS%d has more positions than can be counted",
			filepath.Base(headers[0].path), shapeString(g.gridShape), keys.daaxes+1, keys.dnaxis).
			WithHint("the file's DNAXISn keys are wrong")
	}
	placed := make(map[int]string, len(headers))
	st := stridesOf(g.gridShape)
	for fi, h := range headers {
		flat := 0
		h.index = make([]int, ne)
		for i := range ne {
			p := raw[fi][i] - mins[i]
			if p >= g.gridShape[i] {
				d := keys.dnaxis - i
				return obj.Errorf(obj.ValueError, "%s: DINDEX%d = %d is outside the dataset axis of DNAXIS%d = %d (smallest DINDEX%d is %d)", filepath.Base(h.path), d, raw[fi][i], d, g.gridShape[i], d, mins[i])
			}
			h.index[i] = p
			flat += p * st[i]
		}
		if prev, dup := placed[flat]; dup {
			return obj.Errorf(obj.ValueError, "duplicate DINDEX: %s and %s are both at %s", filepath.Base(prev), filepath.Base(h.path), dindexString(keys, raw[fi]))
		}
		placed[flat] = h.path
	}
	if nHoles := total - len(placed); nHoles > 0 {
		// The first holes lie among the first len(placed)+5 positions.
		var holes []string
		for flat := 0; flat < total && len(holes) < 5; flat++ {
			if _, ok := placed[flat]; !ok {
				pos := unflatten(flat, g.gridShape)
				for i := range pos {
					pos[i] += mins[i]
				}
				holes = append(holes, dindexString(keys, pos))
			}
		}
		return obj.Errorf(obj.ValueError, "%d of %d files of the dataset grid %s are missing (no file at %s) and there is no ASDF index to give the full layout",
			nHoles, total, shapeString(g.gridShape), strings.Join(holes, "; ")).
			WithHint("download the missing files, or put the dataset's ASDF file in the directory so missing files compute as NaN")
	}
	g.files = make([]string, total)
	for flat, p := range placed {
		g.files[flat] = p
	}
	return nil
}

// checkedProduct is the product of shape, ok false when a length is negative or the
// product overflows an int (shapes read from headers or an ASDF can be anything).
func checkedProduct(shape []int) (int, bool) {
	n := 1
	for _, s := range shape {
		if s < 0 {
			return 0, false
		}
		if s != 0 && n > math.MaxInt/s {
			return 0, false
		}
		n *= s
	}
	return n, true
}

func dindexString(keys *datasetKeys, pos []int) string {
	parts := make([]string, len(pos))
	for i, p := range pos {
		parts[i] = fmt.Sprintf("DINDEX%d=%d", keys.dnaxis-i, p)
	}
	return strings.Join(parts, ", ")
}

func unflatten(flat int, shape []int) []int {
	out := make([]int, len(shape))
	for i := len(shape) - 1; i >= 0; i-- {
		out[i] = flat % shape[i]
		flat /= shape[i]
	}
	return out
}

// fileManager is the part of a DKIST ASDF index that lays out the files.
type fileManager struct {
	uris      []string // row-major over gridShape
	gridShape []int
	shape     []int // each file's array shape, numpy order
	target    int
	datatype  string
}

var fileManagerLine = regexp.MustCompile(`(?m)^( *)data: *!<asdf://dkist\.nso\.edu/tags/file_manager[^>]*> *$`)

// readFileManager reads dataset.data (the file_manager) of a DKIST ASDF file. It parses
// only that block of the YAML tree when it can find it, since real indexes also hold
// tens of MB of header tables.
func readFileManager(ctx context.Context, path string) (*fileManager, error) {
	text, err := readASDFTree(ctx, path)
	if err != nil {
		return nil, err
	}
	var block *yaml.Node
	if loc := fileManagerLine.FindSubmatchIndex(text); loc != nil {
		indent := loc[3] - loc[2]
		rest := text[loc[1]:]
		var lines [][]byte
		for _, line := range bytes.SplitAfter(rest, []byte("\n")) {
			trimmed := bytes.TrimLeft(line, " ")
			if len(bytes.TrimSpace(line)) > 0 && len(line)-len(trimmed) <= indent {
				break
			}
			lines = append(lines, line[min(indent, len(line)-len(trimmed)):])
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(bytes.Join(lines, nil), &doc); err != nil {
			return nil, obj.Errorf(obj.ValueError, "%s: cannot read the file_manager block: %v", path, err)
		}
		if len(doc.Content) > 0 {
			block = doc.Content[0]
		}
	} else {
		var doc yaml.Node
		if err := yaml.Unmarshal(text, &doc); err != nil {
			return nil, obj.Errorf(obj.ValueError, "%s: not a readable ASDF (YAML) file: %v", path, err)
		}
		block = mapGet(mapGet(docRoot(&doc), "dataset"), "data")
	}
	if block == nil || block.Kind != yaml.MappingNode {
		return nil, obj.Errorf(obj.ValueError, "%s: no dataset.data file_manager in this ASDF file", path)
	}
	fm := &fileManager{}
	uris := mapGet(block, "fileuris")
	if uris == nil {
		return nil, obj.Errorf(obj.ValueError, "%s: the file_manager has no fileuris", path)
	}
	fm.gridShape, err = nestedShape(uris)
	if err != nil {
		return nil, obj.Errorf(obj.ValueError, "%s: fileuris: %v", path, err)
	}
	flattenStrings(uris, &fm.uris)
	if n := mapGet(block, "shape"); n != nil {
		if err := n.Decode(&fm.shape); err != nil {
			return nil, obj.Errorf(obj.ValueError, "%s: file_manager shape: %v", path, err)
		}
	}
	if n := mapGet(block, "target"); n != nil {
		_ = n.Decode(&fm.target)
	}
	if n := mapGet(block, "datatype"); n != nil {
		_ = n.Decode(&fm.datatype)
	}
	if len(fm.shape) == 0 || len(fm.uris) == 0 {
		return nil, obj.Errorf(obj.ValueError, "%s: the file_manager lists no files or no file shape", path)
	}
	if n, ok := checkedProduct(fm.shape); !ok || n == 0 {
		return nil, obj.Errorf(obj.ValueError, "%s: the file_manager's file shape %s is not a usable array shape", path, shapeString(fm.shape))
	}
	if n, ok := checkedProduct(fm.gridShape); !ok || n != len(fm.uris) {
		return nil, obj.Errorf(obj.ValueError, "%s: the file_manager's fileuris of shape %s list %d files", path, shapeString(fm.gridShape), len(fm.uris))
	}
	return fm, nil
}

// maxASDFTree is the most bytes of an ASDF index's YAML tree the loader reads (after
// decompression): a real index's tree is a few MB (10^6 files would list ~50 MB of
// names), and a small .asdf.gz could otherwise inflate to fill the memory.
var maxASDFTree int64 = 256 << 20

// readASDFTree reads the YAML tree of an ASDF file (gzip-compressed when its name ends in
// .gz), up to the document end marker or the first binary block, refusing what is not a
// regular file (opening a named pipe would block for ever), stopping at maxASDFTree bytes
// and when ctx is cancelled.
func readASDFTree(ctx context.Context, path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err == nil && !st.Mode().IsRegular() {
		return nil, obj.Errorf(obj.ValueError, "%s: the ASDF index is not a regular file (%s)", path, fileKindOf(st.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return nil, permissionError(path, "cannot read the dataset's ASDF index", err)
		}
		return nil, &obj.Error{Class: obj.FileNotFoundError, Msg: err.Error(), Err: err}
	}
	defer f.Close()
	var r io.Reader = &contextReader{ctx: ctx, r: f}
	compressed := strings.HasSuffix(strings.ToLower(path), ".gz")
	if compressed {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, readASDFError(ctx, path, "not a gzip file", err)
		}
		defer zr.Close()
		r = zr
	}
	var text []byte
	buf := make([]byte, 1<<20)
	for {
		n, err := r.Read(buf)
		from := max(0, len(text)-len("\n...\n"))
		text = append(text, buf[:n]...)
		if end := yamlEnd(text[from:]); end >= 0 {
			return text[:from+end], nil
		}
		if int64(len(text)) > maxASDFTree {
			what := "its YAML tree is"
			if compressed {
				what = "it decompresses to"
			}
			return nil, obj.Errorf(obj.ValueError, "%s: %s more than %s, the most the loader reads of an ASDF index", path, what, humanBytes(maxASDFTree)).
				WithHint("the file is damaged or not a DKIST ASDF index; move it away to load the FITS files by their DINDEX keys")
		}
		if err == io.EOF {
			return text, nil
		}
		if err != nil {
			return nil, readASDFError(ctx, path, "cannot read", err)
		}
	}
}

// yamlEnd finds where an ASDF file's YAML tree ends in text (after the newline of the
// document end marker, or at the first binary block), or -1.
func yamlEnd(text []byte) int {
	end := -1
	if i := bytes.Index(text, []byte("\n...\n")); i >= 0 {
		end = i + 1
	}
	if i := bytes.Index(text, []byte("\xd3BLK")); i >= 0 && (end < 0 || i < end) {
		end = i
	}
	return end
}

// readASDFError is the error of a failed read of an ASDF index: Interrupted when ctx was
// cancelled, else what went wrong.
func readASDFError(ctx context.Context, path, what string, err error) error {
	if ctx.Err() != nil {
		return loadInterrupted("reading the ASDF index " + path)
	}
	return obj.Errorf(obj.ValueError, "%s: %s: %v", path, what, err)
}

// contextReader stops reading once ctx is cancelled, so that an interrupted load does
// not leave a goroutine inflating a file behind.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// fileKindOf names the kind of a file that is not a regular one.
func fileKindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}

func docRoot(doc *yaml.Node) *yaml.Node {
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		return doc.Content[0]
	}
	return doc
}

// mapGet finds key in a YAML mapping node.
func mapGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.DocumentNode {
		n = docRoot(n)
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// nestedShape gives the shape of a nested YAML sequence (a scalar has shape ()).
func nestedShape(n *yaml.Node) ([]int, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, nil
	}
	if len(n.Content) == 0 {
		return []int{0}, nil
	}
	inner, err := nestedShape(n.Content[0])
	if err != nil {
		return nil, err
	}
	for _, c := range n.Content[1:] {
		s, err := nestedShape(c)
		if err != nil {
			return nil, err
		}
		if !sameShape(s, inner) {
			return nil, fmt.Errorf("ragged nested list: %s and %s", shapeString(inner), shapeString(s))
		}
	}
	return append([]int{len(n.Content)}, inner...), nil
}

func flattenStrings(n *yaml.Node, out *[]string) {
	if n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			flattenStrings(c, out)
		}
		return
	}
	*out = append(*out, n.Value)
}

// newLoadedDataset builds the Dataset of a placed grid: names, units, WCS.
func newLoadedDataset(g *fileGrid, keys *datasetKeys, headers []*fileHeader, asdfPath string) (*Dataset, error) {
	shape := g.shape()
	ds := &Dataset{
		node: &sourceNode{src: g, sel: identitySelection(shape)},
		grid: g,
		info: &datasetInfo{dir: g.dir, asdf: asdfPath, nFiles: len(g.files), missing: g.missing},
		view: wholeGrid(g),
	}
	byPath := map[string]*fileHeader{}
	for _, h := range headers {
		byPath[h.path] = h
	}
	for _, p := range g.files {
		if byPath[p] != nil {
			ds.info.files = append(ds.info.files, p)
		}
	}
	if len(ds.info.files) > 0 {
		// The scan kept the header of the first file by name; the dataset's first file
		// is the first on the grid, which is read again when they differ.
		firstHdr := headers[0].header
		if p := ds.info.files[0]; p != headers[0].path || firstHdr == nil {
			h, err := readImageHeader(p)
			if err != nil {
				return nil, err
			}
			firstHdr = h
		}
		ds.info.firstHeader = firstHdr
		ds.info.instrument, _ = firstHdr.String("INSTRUME")
		ds.info.datasetID, _ = firstHdr.String("DSETID")
	}
	// Pixel names: grid axes, then in-file axes, from DPNAMEn.
	names := make([]string, len(shape))
	axes := make([]wcs.AxisSource, len(shape))
	nf := len(g.fileShape)
	for i := range g.gridShape {
		axes[i] = wcs.AxisSource{Spanning: i}
		if keys != nil {
			names[i] = keys.pname[keys.dnaxis-1-i]
		}
	}
	length1 := map[int]bool{}
	for fax, n := range g.fileShape {
		if n == 1 {
			length1[nf-fax] = true
		}
	}
	for j, fax := range g.inFile {
		i := len(g.gridShape) + j
		fitsAx := nf - fax
		axes[i] = wcs.AxisSource{InFile: fitsAx, Spanning: -1}
		if keys != nil && fitsAx <= len(keys.pname) {
			names[i] = keys.pname[fitsAx-1]
		}
	}
	for i := range names {
		if names[i] == "" {
			names[i] = fmt.Sprintf("dim%d", i)
		}
	}
	ds.pixelNames = names
	if keys != nil {
		ds.info.worldNames, ds.info.worldUnits, ds.info.worldTypes = keys.wname, keys.unit, keys.dtype
	}
	// The ASDF index's gwcs is what the Python dkist package evaluates, so it wins when
	// it is present and every transform in it is one wcs knows; otherwise the WCS comes
	// from the files' own headers.
	if asdfPath != "" {
		w, err := wcs.FromASDF(asdfPath, shape, names)
		if err == nil {
			ds.wcs = w
			return ds, nil
		}
		ds.wcsErr = fmt.Errorf("%s: %w", filepath.Base(asdfPath), err)
	}
	if len(headers) > 0 {
		ds.wcsErr = nil
		infos := make([]wcs.FileInfo, len(g.files))
		present := make([]bool, len(g.files))
		for i, p := range g.files {
			if h := byPath[p]; h != nil {
				if h.wcsErr != nil {
					ds.wcsErr = fmt.Errorf("%s: %w%s", filepath.Base(p), h.wcsErr, ctypeDifference(h, headers))
					break
				}
				infos[i], present[i] = h.wcs, true
			}
		}
		if ds.wcsErr == nil {
			// A missing file borrows the nearest present file's header.
			for i, from := range nearestPresent(len(infos), func(i int) bool { return present[i] }) {
				if from >= 0 && from != i {
					infos[i] = infos[from]
				}
			}
			gst := stridesOf(g.gridShape)
			layout := wcs.Layout{
				Shape: shape, Axes: axes, SpanShape: g.gridShape,
				File: func(span []int) wcs.FileInfo {
					flat := 0
					for i, s := range span {
						flat += s * gst[i]
					}
					return infos[flat]
				},
				PixelNames: names, InFileLength1: length1,
			}
			if keys != nil {
				layout.WorldNames, layout.WorldUnits, layout.WorldTypes = keys.wname, keys.unit, keys.dtype
			}
			w, err := wcs.New(layout)
			if err != nil {
				ds.wcsErr = err
			} else {
				ds.wcs = w
			}
		}
	} else {
		ds.wcsErr = fmt.Errorf("no FITS files are present to read the WCS from")
	}
	return ds, nil
}

// nearestPresent gives, for each of n files in grid order, the nearest file for which
// present is true (the earlier one of two as near), or -1 when none is. present is asked
// once per file: a partial download of an index listing 10^6 files with few present would
// take minutes with a search outwards from each missing file.
func nearestPresent(n int, present func(int) bool) []int {
	out := make([]int, n)
	last := -1 // the nearest present file at or before i
	for i := range out {
		if present(i) {
			last = i
		}
		out[i] = last
	}
	next := -1 // the nearest present file at or after i
	for i := n - 1; i >= 0; i-- {
		if out[i] == i {
			next = i
			continue
		}
		if next >= 0 && (out[i] < 0 || next-i < i-out[i]) {
			out[i] = next
		}
	}
	return out
}
