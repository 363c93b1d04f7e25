package dkist

import (
	"context"
	"errors"
	"fmt"
	"gokist/runtime/lazy"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"sort"
	"strings"

	"gokist/fits"
	"gokist/obj"
	"gokist/runtime/wcs"
)

// ListDirectory and OpenFITS are how the loader reaches the file system; tests replace
// them to stand in for what a root test run cannot make (a permission error) or wait for
// (a read that blocks on a stalled mount).
var (
	ListDirectory = os.ReadDir
	OpenFITS      = fits.Open
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
			return nil, lazy.PermissionDenied(dir, "cannot reach the dataset directory", err)
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
	list := ListDirectory // read here: the goroutine may outlive the load
	entries, err := interruptibly(ctx, "listing the dataset directory "+dir, func() ([]os.DirEntry, error) { return list(dir) })
	if err != nil {
		if isInterrupted(err) {
			return nil, err
		}
		if errors.Is(err, fs.ErrPermission) {
			return nil, lazy.PermissionDenied(dir, "cannot list the dataset directory", err)
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
	restoreGC := lazy.TightenGC()
	headers, err := scanHeaders(ctx, fitsPaths)
	restoreGC()
	if err != nil {
		return nil, err
	}
	ds, err := interruptibly(ctx, "building the dataset", func() (*Dataset, error) { return assemble(dir, asdfPath, fm, headers) })
	if asdfProblem != nil {
		if err != nil && !isInterrupted(err) {
			return nil, obj.Errorf(obj.ValueError, "%v; the ASDF index, which would give the full layout, cannot be read: %v", ErrorText(err), ErrorText(asdfProblem))
		}
		if err == nil {
			ds.Info.AsdfProblem = asdfProblem
		}
	}
	if err == nil && heapAllocated()-allocatedBefore > loadGarbageToRelease {
		// The scan's garbage (every file's parsed header) is dead now; hand its pages
		// back to the OS at once rather than keeping them as the kernel's resident size.
		debug.FreeOSMemory()
	}
	return ds, err
}

// ErrorText is an error's message without its class.
func ErrorText(err error) string {
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

// assemble places the files on the dataset grid and builds the Dataset.
func assemble(dir, asdfPath string, fm *fileManager, headers []*fileHeader) (*Dataset, error) {
	g := &lazy.FileGrid{Dir: dir}
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
			if !lazy.SameShape(h.shape, first.shape) {
				return nil, obj.Errorf(obj.ValueError, "%s does not agree with %s: image shape %s, not %s", filepath.Base(h.path), filepath.Base(first.path), lazy.ShapeString(h.shape), lazy.ShapeString(first.shape))
			}
			if h.bitpix != first.bitpix {
				return nil, obj.Errorf(obj.ValueError, "%s does not agree with %s: BITPIX = %d, not %d", filepath.Base(h.path), filepath.Base(first.path), h.bitpix, first.bitpix)
			}
		}
		g.FileShape = first.shape
		g.Bitpix = first.bitpix
		g.DType = dtypeOfBitpix(first.bitpix)
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
		if first != nil && !lazy.SameShape(trimOnes(fm.shape), trimOnes(first.shape)) {
			return nil, obj.Errorf(obj.ValueError, "the ASDF index %s says files have shape %s but %s has %s", filepath.Base(asdfPath), lazy.ShapeString(fm.shape), filepath.Base(first.path), lazy.ShapeString(first.shape))
		}
		if first == nil {
			g.FileShape = fm.shape
			g.DType = lazy.Float64
			if fm.datatype == "float32" {
				g.DType = lazy.Float32
			}
			g.Bitpix = -g.DType.ItemSize() * 8
		}
		if keys != nil && len(fm.gridShape) > keys.deaxes {
			return nil, obj.Errorf(obj.ValueError, "the ASDF index %s lists its files nested %d deep (fileuris of shape %s), but the dataset has %d axes across files (DEAXES = %d in %s)",
				filepath.Base(asdfPath), len(fm.gridShape), lazy.ShapeString(fm.gridShape), keys.deaxes, keys.deaxes, filepath.Base(first.path)).
				WithHint("the ASDF index belongs to another dataset or is damaged: move it away to load the files by their DINDEX keys")
		}
		g.GridShape = fm.gridShape
		byName := map[string]string{}
		for _, h := range headers {
			byName[filepath.Base(h.path)] = h.path
		}
		g.Files = make([]string, len(fm.uris))
		g.Names = fm.uris
		for i, u := range fm.uris {
			if p, ok := byName[filepath.Base(u)]; ok {
				g.Files[i] = p
			} else {
				g.Missing++
			}
		}
	} else {
		if err := placeByDINDEX(g, keys, headers); err != nil {
			return nil, err
		}
	}
	for fax, n := range g.FileShape {
		if n != 1 {
			g.InFile = append(g.InFile, fax)
		}
	}
	if err := checkDataSize(g, asdfPath, first); err != nil {
		return nil, err
	}
	keepLayouts(g, headers)
	ds, err := newLoadedDataset(g, keys, headers, asdfPath)
	if err == nil && fm != nil && fm.inventory != nil {
		if m, ok := yamlValue(fm.inventory, 0).(*Record); ok {
			ds.Info.Inventory = m
		}
	}
	return ds, err
}

// newLoadedDataset builds the Dataset of a placed grid: names, units, WCS.
func newLoadedDataset(g *lazy.FileGrid, keys *datasetKeys, headers []*fileHeader, asdfPath string) (*Dataset, error) {
	shape := g.Shape()
	ds := &Dataset{
		Node: &lazy.SourceNode{Src: g, Sel: lazy.IdentitySelection(shape)},
		Grid: g,
		Info: &DatasetInfo{Dir: g.Dir, asdf: asdfPath, NFiles: len(g.Files), Missing: g.Missing},
		View: wholeGrid(g),
	}
	byPath := map[string]*fileHeader{}
	for _, h := range headers {
		byPath[h.path] = h
	}
	for _, p := range g.Files {
		if byPath[p] != nil {
			ds.Info.Files = append(ds.Info.Files, p)
		}
	}
	if len(ds.Info.Files) > 0 {
		// The scan kept the header of the first file by name; the dataset's first file
		// is the first on the grid, which is read again when they differ.
		firstHdr := headers[0].header
		if p := ds.Info.Files[0]; p != headers[0].path || firstHdr == nil {
			h, err := readImageHeader(p)
			if err != nil {
				return nil, err
			}
			firstHdr = h
		}
		ds.Info.FirstHeader = firstHdr
		ds.Info.Instrument, _ = firstHdr.String("INSTRUME")
		ds.Info.DatasetID, _ = firstHdr.String("DSETID")
	}
	names, axes, length1 := pixelAxes(g, keys)
	ds.AxisNames = names
	if keys != nil {
		ds.Info.worldNames, ds.Info.worldUnits, ds.Info.worldTypes = keys.wname, keys.unit, keys.dtype
	}
	// The ASDF index's gwcs is what the Python dkist package evaluates, so it wins when
	// it is present and every transform in it is one wcs knows; otherwise the WCS comes
	// from the files' own headers.
	if asdfPath != "" {
		w, err := wcs.FromASDF(asdfPath, shape, names)
		if err == nil {
			ds.WorldCoords = w
			return ds, nil
		}
		ds.WorldCoordsErr = fmt.Errorf("%s: %w", filepath.Base(asdfPath), err)
		ds.Info.GwcsProblem = ds.WorldCoordsErr
	}
	if len(headers) == 0 {
		ds.WorldCoordsErr = fmt.Errorf("no FITS files are present to read the WCS from")
		return ds, nil
	}
	layout := wcs.Layout{Shape: shape, Axes: axes, SpanShape: g.GridShape, PixelNames: names, InFileLength1: length1}
	if keys != nil {
		layout.WorldNames, layout.WorldUnits, layout.WorldTypes = keys.wname, keys.unit, keys.dtype
	}
	ds.WorldCoords, ds.WorldCoordsErr = headersWCS(g, layout, headers, byPath)
	return ds, nil
}

// pixelAxes names the array axes (grid axes, then in-file axes, from DPNAMEn; dimN
// where a name is missing) and says where each comes from: which grid axis it spans,
// or which FITS axis of the files it is; length1 holds the files' FITS axes of length 1.
func pixelAxes(g *lazy.FileGrid, keys *datasetKeys) (names []string, axes []wcs.AxisSource, length1 map[int]bool) {
	n := len(g.GridShape) + len(g.InFile)
	names = make([]string, n)
	axes = make([]wcs.AxisSource, n)
	nf := len(g.FileShape)
	for i := range g.GridShape {
		axes[i] = wcs.AxisSource{Spanning: i}
		if keys != nil {
			names[i] = keys.pname[keys.dnaxis-1-i]
		}
	}
	length1 = map[int]bool{}
	for fax, n := range g.FileShape {
		if n == 1 {
			length1[nf-fax] = true
		}
	}
	for j, fax := range g.InFile {
		i := len(g.GridShape) + j
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
	return names, axes, length1
}

// headersWCS builds the WCS from the files' own headers, placed on the grid by layout;
// a missing file borrows the nearest present file's header. A file whose WCS cannot be
// read is the error, naming it and how its CTYPEs differ from the other files'.
func headersWCS(g *lazy.FileGrid, layout wcs.Layout, headers []*fileHeader, byPath map[string]*fileHeader) (*wcs.WCS, error) {
	infos := make([]wcs.FileInfo, len(g.Files))
	present := make([]bool, len(g.Files))
	for i, p := range g.Files {
		if h := byPath[p]; h != nil {
			if h.wcsErr != nil {
				return nil, fmt.Errorf("%s: %w%s", filepath.Base(p), h.wcsErr, ctypeDifference(h, headers))
			}
			infos[i], present[i] = h.wcs, true
		}
	}
	for i, from := range nearestPresent(len(infos), func(i int) bool { return present[i] }) {
		if from >= 0 && from != i {
			infos[i] = infos[from]
		}
	}
	gst := lazy.StridesOf(g.GridShape)
	layout.File = func(span []int) wcs.FileInfo {
		flat := 0
		for i, s := range span {
			flat += s * gst[i]
		}
		return infos[flat]
	}
	w, err := wcs.New(layout)
	if err != nil {
		return nil, err
	}
	return w, nil
}

// keepLayouts records in g the image layouts of the scanned files the grid uses.
func keepLayouts(g *lazy.FileGrid, headers []*fileHeader) {
	g.Layouts = make(map[string]*fits.ImageLayout, len(headers))
	for _, h := range headers {
		if h.layout != nil {
			g.Layouts[h.path] = h.layout
		}
	}
}
