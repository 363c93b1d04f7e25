package runtime

import (
	"path/filepath"
	"slices"
	"sync"

	"gokist/runtime/lazy"

	"gokist/fits"
	"gokist/obj"
	"gokist/runtime/wcs"
)

// Dataset is a DKIST dataset: a lazy N-d array over the files of a directory, its WCS,
// and metadata (headers, inventory). Indexing, rebinning and arithmetic on its data are
// lazy; compute() reads the files.
type Dataset struct {
	node       lazy.Node
	grid       *lazy.FileGrid
	info       *datasetInfo
	pixelNames []string // array order
	wcs        *wcs.WCS
	wcsErr     error
	// view is the part of the file grid this dataset covers (the whole grid for the
	// loaded dataset); grid and info describe those files only, as dkist slices its
	// FileManager and headers with the data.
	view *fileView
}

// datasetInfo is what every view of one loaded dataset shares.
type datasetInfo struct {
	dir, asdf             string
	instrument, datasetID string
	nFiles, missing       int
	// firstHeader is the full header of the first present file on the grid; the other
	// files' headers are not kept (thousands of ~30 KB headers would dominate the
	// kernel's memory): ds.headers reads them again on demand (see headers_table.go).
	firstHeader                        *fits.Header
	files                              []string      // the present files, grid order
	columns                            headerColumns // values of header keywords across files, read on demand
	worldNames, worldUnits, worldTypes []string      // DWNAMEn, DUNITn, DTYPEn
	asdfProblem                        error         // why the directory's ASDF index was not used, if so
	gwcsProblem                        error         // why the ASDF index's gwcs was not used, if so
	inventory                          *Record       // the ASDF index's inventory record, nil without one
	// headersView is the face's ds.headers (a Table over columns), made on first use
	// and shared by the datasets sharing this info, so that sorting it lasts.
	headersView FaceCache
}

// FaceCache holds a value the Python face derives from the dataset layer's data once
// (the headers table), made on first use; the layer itself never looks inside.
type FaceCache struct {
	once  sync.Once
	value any
}

// Get returns the cached value, making it with make on first use.
func (c *FaceCache) Get(make func() any) any {
	c.once.Do(func() { c.value = make() })
	return c.value
}

// Shape returns the dataset's array shape (numpy order).
func (d *Dataset) Shape() []int { return slices.Clone(d.node.Shape()) }

// PixelNames names the array axes (numpy order).
func (d *Dataset) PixelNames() []string { return slices.Clone(d.pixelNames) }

// WCS returns the dataset's world coordinates (nil with the reason when unavailable).
func (d *Dataset) WCS() (*wcs.WCS, error) {
	if d.wcs == nil {
		if d.wcsErr != nil {
			return nil, obj.Errorf(obj.ValueError, "this dataset has no WCS: %v", d.wcsErr)
		}
		return nil, obj.Errorf(obj.ValueError, "this dataset has no WCS")
	}
	return d.wcs, nil
}

// with returns a copy of the dataset with another node, WCS and names, covering the
// files of view (nil: the same files as d).
func (d *Dataset) with(n lazy.Node, w *wcs.WCS, werr error, names []string, view *fileView) *Dataset {
	out := &Dataset{node: n, grid: d.grid, info: d.info, pixelNames: names, wcs: w, wcsErr: werr, view: d.view}
	if view != nil && d.view != nil {
		out.view = view
		if !view.isWhole() || !d.view.isWhole() {
			out.grid = view.viewGrid()
			out.info = view.viewInfo(d.info, out.grid)
		}
	}
	return out
}

// frameCount is the number of files the view covers, as dkist's repr counts them after
// slicing.
func (d *Dataset) frameCount() int {
	if d.view != nil {
		return d.view.frameCount()
	}
	return d.info.nFiles
}

// keepInMemory computes n at once, in run, when the dataset's data are in memory, so that
// a slice or rebin of a computed dataset is in memory too (no files are read).
func (d *Dataset) keepInMemory(run *lazy.Run, n lazy.Node) (lazy.Node, error) {
	if _, inMemory := d.node.(*lazy.ArrayNode); !inMemory {
		return n, nil
	}
	if _, already := n.(*lazy.ArrayNode); already {
		return n, nil
	}
	a, err := lazy.ComputeRun(run, n)
	if err != nil {
		return nil, err
	}
	return &lazy.ArrayNode{A: a}, nil
}

// Compute reads the data in run and returns an in-memory Dataset with the same WCS and
// files.
func (d *Dataset) Compute(run *lazy.Run) (*Dataset, error) {
	a, err := lazy.ComputeRun(run, d.node)
	if err != nil {
		return nil, err
	}
	return d.with(&lazy.ArrayNode{A: a}, d.wcs, d.wcsErr, d.pixelNames, nil), nil
}

// fileNames lists the dataset's file names in grid order ("" where missing).
func (d *Dataset) fileNames() []string {
	if d.grid == nil {
		return nil
	}
	out := make([]string, len(d.grid.Files))
	for i, p := range d.grid.Files {
		switch {
		case p != "":
			out[i] = filepath.Base(p)
		case d.grid.Names != nil:
			out[i] = d.grid.Names[i]
		default:
			out[i] = ""
		}
	}
	return out
}
