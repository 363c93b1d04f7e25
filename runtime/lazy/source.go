package lazy

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
type FileGrid struct {
	Dir       string
	GridShape []int    // spanning axes, numpy order
	Files     []string // row-major over gridShape; "" where the file is missing
	Names     []string // the file names the ASDF index lists (nil without one)
	FileShape []int    // the image shape in each file, numpy order
	InFile    []int    // file numpy axes kept as dataset axes, in order
	DType     DType
	Bitpix    int
	Missing   int // files listed (in the ASDF) but absent
	// layouts holds what the loader's header scan found of each file (data offset, shape,
	// tile table), so that chunk tasks open files without parsing their headers again.
	// Filled once at load, read-only afterwards.
	Layouts map[string]*fits.ImageLayout
}

// shape is the dataset's array shape: the grid axes, then the kept in-file axes.
func (g *FileGrid) Shape() []int {
	out := append([]int{}, g.GridShape...)
	for _, ax := range g.InFile {
		out = append(out, g.FileShape[ax])
	}
	return out
}

// chunkShape is the shape of one file's part of the array.
func (g *FileGrid) chunkShape() []int {
	out := make([]int, len(g.GridShape))
	for i := range out {
		out[i] = 1
	}
	for _, ax := range g.InFile {
		out = append(out, g.FileShape[ax])
	}
	return out
}

// sourceNode reads a selection of a dataset's files.
type SourceNode struct {
	Src *FileGrid
	Sel Selection // over src.shape()
}

func (n *SourceNode) Shape() []int   { return n.Sel.outShape() }
func (n *SourceNode) DType() DType   { return n.Src.DType }
func (n *SourceNode) Name() string   { return "read" }
func (n *SourceNode) Inputs() []Node { return nil }
func (n *SourceNode) WithInputs(ins []Node) Node {
	mustInputs(n, ins)
	return n
}

// cuts puts a boundary between every pair of files: along each kept grid axis every
// index is its own file.
func (n *SourceNode) Cuts() [][]int {
	var out [][]int
	ng := len(n.Src.GridShape)
	for ax, p := range n.Sel {
		if p.Drop {
			continue
		}
		var cs []int
		if ax < ng {
			for j := 1; j < p.N; j++ {
				cs = append(cs, j)
			}
		}
		out = append(out, cs)
	}
	return out
}

func (n *SourceNode) Eval(r *Run, lo, hi []int, dst []float64) error {
	return evalSource(n, r, lo, hi, dst)
}

// can32 reports whether the dataset's values are float32, which eval32 then gives
// exactly with half the bytes of float64.
func (n *SourceNode) can32() bool { return n.Src.DType == Float32 }

func (n *SourceNode) eval32(r *Run, lo, hi []int, dst []float32) error {
	return evalSource(n, r, lo, hi, dst)
}

// evalSource reads the block [lo, hi) of the selection into dst. Each file of the block
// is read as one box; where the selection steps through the file (step other than 1),
// the box is read into scratch and the selected elements gathered from it.
func evalSource[T float32 | float64](n *SourceNode, r *Run, lo, hi []int, dst []T) error {
	g := n.Src
	ng := len(g.GridShape)
	nf := len(g.FileShape)
	// Per axis, the block's picks as first position, step and count; over the file axes,
	// the bounding box they cover.
	first := make([]int, len(n.Sel))
	step := make([]int, len(n.Sel))
	count := make([]int, len(n.Sel))
	start := make([]int, nf)
	stop := make([]int, nf)
	for i := range nf {
		start[i], stop[i] = 0, 1
	}
	direct := true
	k := 0
	for ax, p := range n.Sel {
		if p.Drop {
			first[ax], step[ax], count[ax] = p.Start, 0, 1
		} else {
			first[ax], step[ax], count[ax] = p.Position(lo[k]), p.Step, hi[k]-lo[k]
			k++
		}
		if ax >= ng {
			fax := g.InFile[ax-ng]
			a, b := first[ax], first[ax]+(count[ax]-1)*step[ax]
			start[fax], stop[fax] = min(a, b), max(a, b)+1
			direct = direct && (count[ax] <= 1 || step[ax] == 1)
		}
	}
	per := 1
	for ax := ng; ax < len(n.Sel); ax++ {
		per *= count[ax]
	}
	// The gather offsets within the box, per in-file axis, when the read is not direct.
	var offs [][]int
	boxN := 0
	if !direct {
		boxShape := subtract(stop, start)
		bst := StridesOf(boxShape)
		boxN = Product(boxShape)
		offs = make([][]int, len(g.InFile))
		for j, fax := range g.InFile {
			ax := ng + j
			o := make([]int, count[ax])
			for i := range o {
				o[i] = (first[ax] + i*step[ax] - start[fax]) * bst[fax]
			}
			offs[j] = o
		}
	}
	// Visit every file of the block in row-major order of the grid axes.
	gst := StridesOf(g.GridShape)
	c := make([]int, ng)
	out := 0
	for {
		if err := r.Ctx.Err(); err != nil {
			return err
		}
		fi := 0
		for i := range ng {
			fi += (first[i] + c[i]*step[i]) * gst[i]
		}
		part := dst[out : out+per]
		if direct {
			if err := readRegion(r, g, g.Files[fi], start, stop, part); err != nil {
				return err
			}
		} else {
			buf := bufferOf[T](r, boxN)
			err := readRegion(r, g, g.Files[fi], start, stop, buf)
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
func readRegion[T float32 | float64](r *Run, g *FileGrid, path string, start, stop []int, dst []T) error {
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
	if r.Cached {
		cache = r.Client.ChunkCache()
	}
	var key string
	if cache != nil {
		key = fmt.Sprint(path, start, stop)
		if e, ok := cache.get(key); ok {
			copyEntry(e, dst)
			return nil
		}
	}
	im, err := r.Client.openImage(path, g.Layouts[path])
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			// The file was on the grid because the load found it: its going away since
			// is an error, not NaNs (only files absent at load, which the ASDF lists and
			// the load warned about, compute as NaN).
			return GoneError(path, err)
		}
		return FitsError(path, err)
	}
	defer im.Close()
	if !SameShape(im.Shape, g.FileShape) {
		return obj.Errorf(obj.FITSError, "%s: image shape %s differs from the dataset's file shape %s", path, ShapeString(im.Shape), ShapeString(g.FileShape))
	}
	if err := readImageRegion(im, start, stop, dst); err != nil {
		return FitsError(path, err)
	}
	r.Bytes.Add(int64(len(dst)) * int64(max(1, Abs(g.Bitpix)/8)))
	if cache != nil {
		cache.put(key, dst, g.DType == Float32 && g.Bitpix == -32)
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

func Abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func SameShape(a, b []int) bool {
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
func FitsError(path string, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return PermissionDenied(path, "cannot read the file", err)
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
func GoneError(path string, err error) error {
	return (&obj.Error{Class: obj.FileNotFoundError, Err: err,
		Msg: fmt.Sprintf("%s: the file was there when the dataset was loaded but is gone now", path)}).
		WithHint("restore the file (or download it again), or load the dataset again without it")
}

// permissionError is a PermissionError naming path and what could not be done to it.
func PermissionDenied(path, doing string, err error) error {
	return (&obj.Error{Class: PermissionError, Err: err, Msg: fmt.Sprintf("%s: %s: permission denied", path, doing)}).
		WithHint("check the permissions of the path (ls -l), or run as a user who may read it")
}

// warnMissingOnce tells the cell, once per compute, that it read files the dataset lacks
// (listed in its ASDF index but absent at load) and filled their values with NaN.
func warnMissingOnce(r *Run, g *FileGrid) {
	if r.report.Warn == nil {
		return
	}
	r.report.Warn(fmt.Sprintf("warning: this computation touches files missing from %s (%d of the dataset's %d files are missing); their values are NaN\n",
		g.Dir, g.Missing, len(g.Files)))
}

// fileExists reports whether path is an existing regular file.
func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}
