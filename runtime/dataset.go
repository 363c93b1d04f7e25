package runtime

import (
	"context"
	"fmt"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"slices"
	"sync"

	"gokist/fits"
	"gokist/obj"
	"gokist/runtime/table"
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
	inventory                          *mapping      // the ASDF index's inventory record, nil without one
	headersOnce                        sync.Once     // makes headersTable on first use
	headersTable                       *table.Table  // ds.headers
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

// Lazy returns the dataset's data as a LazyArray (wrapping in-memory data too).
func (d *Dataset) Lazy() *numpy.LazyArray { return &numpy.LazyArray{Node: d.node} }

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

// keepInMemory computes n at once when the dataset's data are in memory, so that a
// slice or rebin of a computed dataset is in memory too (no files are read).
func (d *Dataset) keepInMemory(env *obj.Env, n lazy.Node) (lazy.Node, error) {
	if _, inMemory := d.node.(*lazy.ArrayNode); !inMemory {
		return n, nil
	}
	if _, already := n.(*lazy.ArrayNode); already {
		return n, nil
	}
	a, err := numpy.ComputeNode(env, n)
	if err != nil {
		return nil, err
	}
	return &lazy.ArrayNode{A: a}, nil
}

// Compute reads the data and returns an in-memory Dataset with the same WCS and files.
func (d *Dataset) Compute(env *obj.Env) (*Dataset, error) {
	a, err := numpy.ComputeNode(env, d.node)
	if err != nil {
		return nil, err
	}
	return d.with(&lazy.ArrayNode{A: a}, d.wcs, d.wcsErr, d.pixelNames, nil), nil
}

// LoadDatasetEnv loads a dataset under a cell's context.
func LoadDatasetEnv(env *obj.Env, dir string) (*Dataset, error) {
	ctx := context.Background()
	if env != nil {
		ctx = env.Context()
	}
	ds, err := LoadDataset(ctx, dir)
	if err != nil {
		return nil, err
	}
	if ds.info.asdfProblem != nil && env != nil && env.Out != nil {
		env.Out.Stream("stderr", fmt.Sprintf("warning: the dataset's ASDF index was not used, the files are placed by their FITS headers alone: %s\n", errorText(ds.info.asdfProblem)))
	}
	if ds.info.gwcsProblem != nil && ds.wcs != nil && env != nil && env.Out != nil {
		env.Out.Stream("stderr", fmt.Sprintf("warning: the world coordinates come from the FITS headers, not from the ASDF index's gwcs: %v\n", ds.info.gwcsProblem))
	}
	if ds.info.missing > 0 && env != nil && env.Out != nil {
		env.Out.Stream("stderr", fmt.Sprintf("warning: %d of the dataset's %d files are missing from %s; their values compute as NaN\n",
			ds.info.missing, ds.info.nFiles, ds.info.dir))
	}
	if ds.wcs == nil && ds.wcsErr != nil && env != nil && env.Out != nil {
		// The data still loads, but with 0 world dimensions: say why now rather than
		// at the first pixel_to_world or plot.
		env.Out.Stream("stderr", fmt.Sprintf("warning: the dataset's world coordinates (WCS) could not be built, so it has 0 world dimensions: %v\n", ds.wcsErr))
	}
	return ds, nil
}

// ---- reprs ----
