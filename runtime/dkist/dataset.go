package dkist

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
	Node           lazy.Node
	Grid           *lazy.FileGrid
	Info           *DatasetInfo
	AxisNames      []string // array order
	WorldCoords    *wcs.WCS
	WorldCoordsErr error
	// View is the part of the file grid this dataset covers (the whole grid for the
	// loaded dataset); grid and info describe those files only, as dkist slices its
	// FileManager and headers with the data.
	View *FileView
}

// DatasetInfo is what every view of one loaded dataset shares.
type DatasetInfo struct {
	Dir, asdf             string
	Instrument, DatasetID string
	NFiles, Missing       int
	// FirstHeader is the full header of the first present file on the grid; the other
	// files' headers are not kept (thousands of ~30 KB headers would dominate the
	// kernel's memory): ds.headers reads them again on demand (see headers_table.go).
	FirstHeader                        *fits.Header
	Files                              []string      // the present files, grid order
	Columns                            headerColumns // values of header keywords across files, read on demand
	worldNames, worldUnits, worldTypes []string      // DWNAMEn, DUNITn, DTYPEn
	AsdfProblem                        error         // why the directory's ASDF index was not used, if so
	GwcsProblem                        error         // why the ASDF index's gwcs was not used, if so
	Inventory                          *Record       // the ASDF index's inventory record, nil without one
	// HeadersView is the face's ds.headers (a Table over columns), made on first use
	// and shared by the datasets sharing this info, so that sorting it lasts.
	HeadersView FaceCache
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
func (d *Dataset) Shape() []int { return slices.Clone(d.Node.Shape()) }

// PixelNames names the array axes (numpy order).
func (d *Dataset) PixelNames() []string { return slices.Clone(d.AxisNames) }

// WCS returns the dataset's world coordinates (nil with the reason when unavailable).
func (d *Dataset) WCS() (*wcs.WCS, error) {
	if d.WorldCoords == nil {
		if d.WorldCoordsErr != nil {
			return nil, obj.Errorf(obj.ValueError, "this dataset has no WCS: %v", d.WorldCoordsErr)
		}
		return nil, obj.Errorf(obj.ValueError, "this dataset has no WCS")
	}
	return d.WorldCoords, nil
}

// With returns a copy of the dataset with another node, WCS and names, covering the
// files of view (nil: the same files as d).
func (d *Dataset) With(n lazy.Node, w *wcs.WCS, werr error, names []string, view *FileView) *Dataset {
	out := &Dataset{Node: n, Grid: d.Grid, Info: d.Info, AxisNames: names, WorldCoords: w, WorldCoordsErr: werr, View: d.View}
	if view != nil && d.View != nil {
		out.View = view
		if !view.isWhole() || !d.View.isWhole() {
			out.Grid = view.viewGrid()
			out.Info = view.viewInfo(d.Info, out.Grid)
		}
	}
	return out
}

// FrameCount is the number of files the view covers, as dkist's repr counts them after
// slicing.
func (d *Dataset) FrameCount() int {
	if d.View != nil {
		return d.View.FrameCount()
	}
	return d.Info.NFiles
}

// KeepInMemory computes n at once, in run, when the dataset's data are in memory, so that
// a slice or rebin of a computed dataset is in memory too (no files are read).
func (d *Dataset) KeepInMemory(run *lazy.Run, n lazy.Node) (lazy.Node, error) {
	if _, inMemory := d.Node.(*lazy.ArrayNode); !inMemory {
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
	a, err := lazy.ComputeRun(run, d.Node)
	if err != nil {
		return nil, err
	}
	return d.With(&lazy.ArrayNode{A: a}, d.WorldCoords, d.WorldCoordsErr, d.AxisNames, nil), nil
}

// FileNames lists the dataset's file names in grid order ("" where missing).
func (d *Dataset) FileNames() []string {
	if d.Grid == nil {
		return nil
	}
	out := make([]string, len(d.Grid.Files))
	for i, p := range d.Grid.Files {
		switch {
		case p != "":
			out[i] = filepath.Base(p)
		case d.Grid.Names != nil:
			out[i] = d.Grid.Names[i]
		default:
			out[i] = ""
		}
	}
	return out
}
