package runtime

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"strings"

	"gokist/fits"
	"gokist/obj"
)

// fileGrid is where a dataset's values live: a grid of files (numpy order of the
// file-spanning axes), each holding an image of fileShape (numpy order, length-1 axes
// included) of which the axes in inFile are the dataset's in-file axes.
type fileGrid struct {
	dir       string
	gridShape []int    // spanning axes, numpy order
	files     []string // row-major over gridShape; "" where the file is missing
	names     []string // the file names the ASDF index lists (nil without one)
	fileShape []int    // the image shape in each file, numpy order
	inFile    []int    // file numpy axes kept as dataset axes, in order
	dtype     DType
	bitpix    int
	missing   int // files listed (in the ASDF) but absent
	// layouts holds what the loader's header scan found of each file (data offset, shape,
	// tile table), so that chunk tasks open files without parsing their headers again.
	// Filled once at load, read-only afterwards.
	layouts map[string]*fits.ImageLayout
}

// shape is the dataset's array shape: the grid axes, then the kept in-file axes.
func (g *fileGrid) shape() []int {
	out := append([]int{}, g.gridShape...)
	for _, ax := range g.inFile {
		out = append(out, g.fileShape[ax])
	}
	return out
}

// chunkShape is the shape of one file's part of the array.
func (g *fileGrid) chunkShape() []int {
	out := make([]int, len(g.gridShape))
	for i := range out {
		out[i] = 1
	}
	for _, ax := range g.inFile {
		out = append(out, g.fileShape[ax])
	}
	return out
}

// sourceNode reads a selection of a dataset's files.
type sourceNode struct {
	src *fileGrid
	sel selection // over src.shape()
}

func (n *sourceNode) shape() []int   { return n.sel.outShape() }
func (n *sourceNode) dtype() DType   { return n.src.dtype }
func (n *sourceNode) name() string   { return "read" }
func (n *sourceNode) inputs() []node { return nil }
func (n *sourceNode) withInputs(ins []node) node {
	mustInputs(n, ins)
	return n
}

// cuts puts a boundary between every pair of files: along each kept grid axis every
// index is its own file.
func (n *sourceNode) cuts() [][]int {
	var out [][]int
	ng := len(n.src.gridShape)
	for ax, p := range n.sel {
		if p.drop {
			continue
		}
		var cs []int
		if ax < ng {
			for j := 1; j < p.n; j++ {
				cs = append(cs, j)
			}
		}
		out = append(out, cs)
	}
	return out
}

func (n *sourceNode) eval(r *run, lo, hi []int, dst []float64) error {
	return evalSource(n, r, lo, hi, dst)
}

// can32 reports whether the dataset's values are float32, which eval32 then gives
// exactly with half the bytes of float64.
func (n *sourceNode) can32() bool { return n.src.dtype == Float32 }

func (n *sourceNode) eval32(r *run, lo, hi []int, dst []float32) error {
	return evalSource(n, r, lo, hi, dst)
}

// evalSource reads the block [lo, hi) of the selection into dst. Each file of the block
// is read as one box; where the selection steps through the file (step other than 1),
// the box is read into scratch and the selected elements gathered from it.
func evalSource[T float32 | float64](n *sourceNode, r *run, lo, hi []int, dst []T) error {
	g := n.src
	ng := len(g.gridShape)
	nf := len(g.fileShape)
	// Per axis, the block's picks as first position, step and count; over the file axes,
	// the bounding box they cover.
	first := make([]int, len(n.sel))
	step := make([]int, len(n.sel))
	count := make([]int, len(n.sel))
	start := make([]int, nf)
	stop := make([]int, nf)
	for i := range nf {
		start[i], stop[i] = 0, 1
	}
	direct := true
	k := 0
	for ax, p := range n.sel {
		if p.drop {
			first[ax], step[ax], count[ax] = p.start, 0, 1
		} else {
			first[ax], step[ax], count[ax] = p.position(lo[k]), p.step, hi[k]-lo[k]
			k++
		}
		if ax >= ng {
			fax := g.inFile[ax-ng]
			a, b := first[ax], first[ax]+(count[ax]-1)*step[ax]
			start[fax], stop[fax] = min(a, b), max(a, b)+1
			direct = direct && (count[ax] <= 1 || step[ax] == 1)
		}
	}
	per := 1
	for ax := ng; ax < len(n.sel); ax++ {
		per *= count[ax]
	}
	// The gather offsets within the box, per in-file axis, when the read is not direct.
	var offs [][]int
	boxN := 0
	if !direct {
		boxShape := subtract(stop, start)
		bst := stridesOf(boxShape)
		boxN = product(boxShape)
		offs = make([][]int, len(g.inFile))
		for j, fax := range g.inFile {
			ax := ng + j
			o := make([]int, count[ax])
			for i := range o {
				o[i] = (first[ax] + i*step[ax] - start[fax]) * bst[fax]
			}
			offs[j] = o
		}
	}
	// Visit every file of the block in row-major order of the grid axes.
	gst := stridesOf(g.gridShape)
	c := make([]int, ng)
	out := 0
	for {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		fi := 0
		for i := range ng {
			fi += (first[i] + c[i]*step[i]) * gst[i]
		}
		part := dst[out : out+per]
		if direct {
			if err := readRegion(r, g, g.files[fi], start, stop, part); err != nil {
				return err
			}
		} else {
			buf := bufferOf[T](r, boxN)
			err := readRegion(r, g, g.files[fi], start, stop, buf)
			if err == nil && len(offs) > 0 {
				gatherOffsets(buf, 0, offs, part)
			} else if err == nil {
				part[0] = buf[0]
			}
			releaseOf(r, buf)
			if err != nil {
				return err
			}
		}
		out += per
		if !advance(c, nil, count) {
			return nil
		}
	}
}

// readRegion decodes the box [start, stop) of one file into dst, through the client's
// chunk cache; a missing file gives NaN.
func readRegion[T float32 | float64](r *run, g *fileGrid, path string, start, stop []int, dst []T) error {
	if path == "" {
		for i := range dst {
			dst[i] = T(math.NaN())
		}
		if r.missing.Add(1) == 1 {
			warnMissingOnce(r, g)
		}
		return nil
	}
	var cache *chunkCache
	if r.cached {
		cache = r.client.chunkCache()
	}
	var key string
	if cache != nil {
		key = fmt.Sprint(path, start, stop)
		if e, ok := cache.get(key); ok {
			copyEntry(e, dst)
			return nil
		}
	}
	im, err := r.client.openImage(path, g.layouts[path])
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			// The file was on the grid because the load found it: its going away since
			// is an error, not NaNs (only files absent at load, which the ASDF lists and
			// the load warned about, compute as NaN).
			return goneError(path, err)
		}
		return fitsError(path, err)
	}
	defer im.Close()
	if !sameShape(im.Shape, g.fileShape) {
		return obj.Errorf(obj.FITSError, "%s: image shape %s differs from the dataset's file shape %s", path, shapeString(im.Shape), shapeString(g.fileShape))
	}
	if err := readImageRegion(im, start, stop, dst); err != nil {
		return fitsError(path, err)
	}
	r.bytes.Add(int64(len(dst)) * int64(max(1, abs(g.bitpix)/8)))
	if cache != nil {
		cache.put(key, dst, g.dtype == Float32 && g.bitpix == -32)
	}
	return nil
}

// readImageRegion decodes a box of an image into float64 or float32 values.
func readImageRegion[T float32 | float64](im *fits.Image, start, stop []int, dst []T) error {
	switch d := any(dst).(type) {
	case []float32:
		return im.ReadRegion32(start, stop, d)
	case []float64:
		return im.ReadRegion(start, stop, d)
	}
	return nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// PermissionError is the class of an error reading a file or directory the user may not
// read, as Python names it.
const PermissionError = obj.PermissionError

// fitsError wraps a reader error as a FITSError naming the file; a file that does not
// exist is a FileNotFoundError and one that may not be read a PermissionError.
func fitsError(path string, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return permissionError(path, "cannot read the file", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, path) {
		msg = path + ": " + msg
	}
	if errors.Is(err, fs.ErrNotExist) {
		return &obj.Error{Class: obj.FileNotFoundError, Msg: msg, Err: err}
	}
	return &obj.Error{Class: obj.FITSError, Msg: msg, Err: err}
}

// goneError is the FileNotFoundError of a file the load found that no longer exists.
func goneError(path string, err error) error {
	return (&obj.Error{Class: obj.FileNotFoundError, Err: err,
		Msg: fmt.Sprintf("%s: the file was there when the dataset was loaded but is gone now", path)}).
		WithHint("restore the file (or download it again), or load the dataset again without it")
}

// permissionError is a PermissionError naming path and what could not be done to it.
func permissionError(path, doing string, err error) error {
	return (&obj.Error{Class: PermissionError, Err: err, Msg: fmt.Sprintf("%s: %s: permission denied", path, doing)}).
		WithHint("check the permissions of the path (ls -l), or run as a user who may read it")
}

// warnMissingOnce tells the cell, once per compute, that it read files the dataset lacks
// (listed in its ASDF index but absent at load) and filled their values with NaN.
func warnMissingOnce(r *run, g *fileGrid) {
	if r.report.Warn == nil {
		return
	}
	r.report.Warn(fmt.Sprintf("warning: this computation touches files missing from %s (%d of the dataset's %d files are missing); their values are NaN\n",
		g.dir, g.missing, len(g.files)))
}

// fileExists reports whether path is an existing regular file.
func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}
