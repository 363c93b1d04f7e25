package runtime

// This file is the Python face of Dataset: its member-table side and the decoding of
// index keys and rebin arguments from Python values.

import (
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"path/filepath"

	"gokist/obj"
	"gokist/runtime/wcs"
)

// Type returns the Dataset member table.
func (d *Dataset) Type() *obj.Type { return datasetType }

// ArrayAxisPhysicalTypes gives, per array axis (numpy order), the physical types of the
// world axes that vary along it, in world order: ndcube's array_axis_physical_types,
// read off the WCS's axis correlation matrix. Without a WCS every entry is empty.
func (d *Dataset) ArrayAxisPhysicalTypes() []obj.Tuple {
	nd := len(d.node.Shape())
	out := make([]obj.Tuple, nd)
	for i := range out {
		out[i] = obj.Tuple{}
	}
	if d.wcs == nil {
		return out
	}
	types := d.wcs.WorldAxisPhysicalTypes()
	for w, row := range d.wcs.AxisCorrelationMatrix() {
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
	if a, ok := d.node.(*lazy.ArrayNode); ok {
		return (*numpy.NDArray)(a.A)
	}
	return &numpy.LazyArray{Node: d.node}
}

// GetItem slices the dataset as numpy does: the data (lazily, or at once for in-memory
// data, as ndcube slices a numpy-backed cube), the WCS, and the files and headers, which
// keep only the files the selection touches, as dkist's Dataset.__getitem__ does.
func (d *Dataset) GetItem(env *obj.Env, key any) (any, error) {
	shape := d.node.Shape()
	picks, err := numpy.PlanIndex(key, shape, d.pixelNames)
	if err != nil {
		return nil, err
	}
	n, err := numpy.IndexNodeOf(d.node, key, d.pixelNames)
	if err != nil {
		return nil, err
	}
	warnEmptySelection(env, key, shape, d.pixelNames, picks)
	if n, err = d.keepInMemory(env, n); err != nil {
		return nil, err
	}
	var names []string
	items := make([]wcs.Item, len(picks))
	for i, p := range picks {
		if p.Drop {
			items[i] = wcs.Item{Index: p.Start, Drop: true}
		} else {
			items[i] = wcs.Item{Start: p.Start, Step: p.Step, Len: p.N}
			names = append(names, d.pixelNames[i])
		}
	}
	w, werr := d.wcs, d.wcsErr
	if w != nil {
		if w, werr = w.Slice(items); werr != nil {
			w = nil
		}
	}
	var view *fileView
	if d.view != nil {
		view = d.view.index(picks)
	}
	return d.with(n, w, werr, names, view), nil
}

// Rebin combines bins of neighbouring pixels (ndcube's rule: one entry per array axis,
// -1 for a whole axis, each dividing its axis), lazily (at once for in-memory data),
// with the WCS resampled. The rebinned dataset covers the same files; its headers stay
// one per file (a bin's pixels come from several files, whose headers all stay).
func (d *Dataset) Rebin(binShape any, operation any) (*Dataset, error) {
	rb, err := numpy.NewRebin(d.node, binShape, operation, d.pixelNames)
	if err != nil {
		return nil, err
	}
	n, err := d.keepInMemory(nil, rb)
	if err != nil {
		return nil, err
	}
	w, werr := d.wcs, d.wcsErr
	if w != nil {
		if w, werr = w.Rebin(rb.Factors); werr != nil {
			w = nil
		}
	}
	out := d.with(n, w, werr, d.pixelNames, nil)
	if d.view != nil {
		out.view = d.view.rebin(rb.Factors)
	}
	return out, nil
}

// fileNames lists the dataset's file names in grid order ("" where missing).
func (d *Dataset) fileNames() obj.List {
	if d.grid == nil {
		return nil
	}
	out := make(obj.List, len(d.grid.Files))
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
