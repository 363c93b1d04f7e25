package runtime

// This file is the Python face of Dataset: its member-table side and the decoding of
// index keys and rebin arguments from Python values.

import (
	"context"
	"fmt"
	"gokist/runtime/dkist"

	"gokist/runtime/lazy"
	"gokist/runtime/numpy"

	"gokist/obj"
	"gokist/runtime/wcs"
)

// Dataset is the Python face of a DKIST dataset (dkist's Dataset): the dataset layer's
// dataset with its member table, reprs and plot. A cell holds the *Dataset, so that
// `ds2 = ds; ds2 is ds` is one object; each operation that makes a new dataset makes a
// new face for it (datasetFace).
type Dataset struct{ *dkist.Dataset }

// datasetFace gives a dataset of the dataset layer its Python face.
func datasetFace(d *dkist.Dataset) *Dataset {
	if d == nil {
		return nil
	}
	return &Dataset{d}
}

// Type returns the Dataset member table.
func (d *Dataset) Type() *obj.Type { return datasetType }

// ArrayAxisPhysicalTypes gives, per array axis (numpy order), the physical types of the
// world axes that vary along it, in world order: ndcube's array_axis_physical_types,
// read off the WCS's axis correlation matrix. Without a WCS every entry is empty.
func (d *Dataset) ArrayAxisPhysicalTypes() []obj.Tuple {
	nd := len(d.Node.Shape())
	out := make([]obj.Tuple, nd)
	for i := range out {
		out[i] = obj.Tuple{}
	}
	if d.WorldCoords == nil {
		return out
	}
	types := d.WorldCoords.WorldAxisPhysicalTypes()
	for w, row := range d.WorldCoords.AxisCorrelationMatrix() {
		for p, correlated := range row { // p in WCS order: array axis nd-1-p
			if correlated && p < nd {
				out[nd-1-p] = append(out[nd-1-p], types[w])
			}
		}
	}
	return out
}

// Data returns the lazy array of the dataset (an in-memory Array once computed).
func (d *Dataset) Data() any {
	if a, ok := d.Node.(*lazy.ArrayNode); ok {
		return (*numpy.NDArray)(a.A)
	}
	return &numpy.LazyArray{Node: d.Node}
}

// GetItem slices the dataset as numpy does: the data (lazily, or at once for in-memory
// data, as ndcube slices a numpy-backed cube), the WCS, and the files and headers, which
// keep only the files the selection touches, as dkist's Dataset.__getitem__ does.
func (d *Dataset) GetItem(env *obj.Env, key any) (any, error) {
	shape := d.Node.Shape()
	picks, err := numpy.PlanIndex(key, shape, d.AxisNames)
	if err != nil {
		return nil, err
	}
	n, err := numpy.IndexNodeOf(d.Node, key, d.AxisNames)
	if err != nil {
		return nil, err
	}
	warnEmptySelection(env, key, shape, d.AxisNames, picks)
	if n, err = d.KeepInMemory(numpy.RunIn(env), n); err != nil {
		return nil, err
	}
	var names []string
	items := make([]wcs.Item, len(picks))
	for i, p := range picks {
		if p.Drop {
			items[i] = wcs.Item{Index: p.Start, Drop: true}
		} else {
			items[i] = wcs.Item{Start: p.Start, Step: p.Step, Len: p.N}
			names = append(names, d.AxisNames[i])
		}
	}
	w, werr := d.WorldCoords, d.WorldCoordsErr
	if w != nil {
		if w, werr = w.Slice(items); werr != nil {
			w = nil
		}
	}
	var view *dkist.FileView
	if d.View != nil {
		view = d.View.Index(picks)
	}
	return datasetFace(d.With(n, w, werr, names, view)), nil
}

// Rebin combines bins of neighbouring pixels (ndcube's rule: one entry per array axis,
// -1 for a whole axis, each dividing its axis), lazily (at once for in-memory data),
// with the WCS resampled. The rebinned dataset covers the same files; its headers stay
// one per file (a bin's pixels come from several files, whose headers all stay).
func (d *Dataset) Rebin(binShape any, operation any) (*Dataset, error) {
	rb, err := numpy.NewRebin(d.Node, binShape, operation, d.AxisNames)
	if err != nil {
		return nil, err
	}
	n, err := d.KeepInMemory(numpy.RunIn(nil), rb)
	if err != nil {
		return nil, err
	}
	w, werr := d.WorldCoords, d.WorldCoordsErr
	if w != nil {
		if w, werr = w.Rebin(rb.Factors); werr != nil {
			w = nil
		}
	}
	out := d.With(n, w, werr, d.AxisNames, nil)
	if d.View != nil {
		out.View = d.View.Rebin(rb.Factors)
	}
	return datasetFace(out), nil
}

// fileNameList is fileNames as a Python list.
func (d *Dataset) fileNameList() obj.List {
	names := d.FileNames()
	out := make(obj.List, len(names))
	for i, n := range names {
		out[i] = n
	}
	return out
}

// LoadDatasetEnv loads a dataset under a cell's context.
func LoadDatasetEnv(env *obj.Env, dir string) (*Dataset, error) {
	ctx := context.Background()
	if env != nil {
		ctx = env.Context()
	}
	ds, err := dkist.LoadDataset(ctx, dir)
	if err != nil {
		return nil, err
	}
	if ds.Info.AsdfProblem != nil && env != nil && env.Out != nil {
		env.Out.Stream("stderr", fmt.Sprintf("warning: the dataset's ASDF index was not used, the files are placed by their FITS headers alone: %s\n", dkist.ErrorText(ds.Info.AsdfProblem)))
	}
	if ds.Info.GwcsProblem != nil && ds.WorldCoords != nil && env != nil && env.Out != nil {
		env.Out.Stream("stderr", fmt.Sprintf("warning: the world coordinates come from the FITS headers, not from the ASDF index's gwcs: %v\n", ds.Info.GwcsProblem))
	}
	if ds.Info.Missing > 0 && env != nil && env.Out != nil {
		env.Out.Stream("stderr", fmt.Sprintf("warning: %d of the dataset's %d files are missing from %s; their values compute as NaN\n",
			ds.Info.Missing, ds.Info.NFiles, ds.Info.Dir))
	}
	if ds.WorldCoords == nil && ds.WorldCoordsErr != nil && env != nil && env.Out != nil {
		// The data still loads, but with 0 world dimensions: say why now rather than
		// at the first pixel_to_world or plot.
		env.Out.Stream("stderr", fmt.Sprintf("warning: the dataset's world coordinates (WCS) could not be built, so it has 0 world dimensions: %v\n", ds.WorldCoordsErr))
	}
	return datasetFace(ds), nil
}

// Lazy returns the dataset's data as a LazyArray (wrapping in-memory data too).
func (d *Dataset) Lazy() *numpy.LazyArray { return &numpy.LazyArray{Node: d.Node} }
