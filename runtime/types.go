package runtime

import (
	"fmt"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"

	"gokist/obj"
	"gokist/runtime/dkistnet"
)

func init() {
	numpy.LazyArrayType.Members = append(numpy.LazyArrayType.Members, ArrayPlotMember)
	numpy.ArrayType.Members = append(numpy.ArrayType.Members, ArrayPlotMember)
	initDatasetType()
}

// ---- Dataset ----

var datasetType = &obj.Type{
	Name:      "Dataset",
	Doc:       "A DKIST dataset: a lazy array over the FITS files of a directory, with its WCS and metadata. Index it like numpy (metadata only), rebin it, reduce ds.data, compute().",
	Signature: "Dataset.from_directory(directory)",
}

func initDatasetType() {
	ds := func(recv any) *Dataset { return recv.(*Dataset) }
	datasetType.Members = []*obj.Member{
		DatasetPlotMember,
		obj.Attr("data", "The data: a LazyArray (an in-memory Array after compute()).", func(env *obj.Env, recv any) (any, error) {
			return ds(recv).Data(), nil
		}),

		{Name: "_data", Signature: "_data", Doc: "The underlying data; assign a computed Array of the same shape to replace the values (`rebinned._data = rebinned.data.compute()`).",
			Get: func(env *obj.Env, recv any) (any, error) { return ds(recv).Data(), nil },
			Set: func(env *obj.Env, recv any, value any) error {
				d := ds(recv)
				var n lazy.Node
				switch v := value.(type) {
				case *numpy.NDArray:
					n = &lazy.ArrayNode{A: (*lazy.Array)(v)}
				case *numpy.LazyArray:
					n = v.Node
				default:
					return obj.Errorf(obj.TypeError, "_data must be an Array (from compute()) or a LazyArray, not %s", obj.TypeName(value))
				}
				if !lazy.SameShape(n.Shape(), d.Node.Shape()) {
					return obj.Errorf(obj.ValueError, "_data must keep the dataset's shape %s, not %s", lazy.ShapeString(d.Node.Shape()), lazy.ShapeString(n.Shape()))
				}
				d.Node = n
				return nil
			}},
		obj.Attr("wcs", "The world coordinate system: ds.wcs.pixel_to_world(*pixel) / world_to_pixel(*world), pixel arguments in WCS order (reverse of array order).",
			func(env *obj.Env, recv any) (any, error) { return ds(recv).WCS() }),

		obj.Attr("shape", "The array's shape, numpy axis order (for VISP: stokes, raster, wavelength, slit).", func(env *obj.Env, recv any) (any, error) {
			return obj.ShapeTuple(ds(recv).Node.Shape()), nil
		}),

		obj.Attr("dimensions", "The array's shape in pixels, the same tuple as shape (ndcube before 2.3 gave it as a Quantity in pix; ndcube 2.3 deprecates it for shape).", func(env *obj.Env, recv any) (any, error) {
			return obj.ShapeTuple(ds(recv).Node.Shape()), nil
		}),

		obj.Attr("dtype", "The element type of the data, as numpy's dtype: dtype('float32'), equal to 'float32'.", func(env *obj.Env, recv any) (any, error) { return numpy.DType{DType: ds(recv).Node.DType()}, nil }),
		unitMember,
		obj.Attr("ndim", "The number of array axes.", func(env *obj.Env, recv any) (any, error) { return len(ds(recv).Node.Shape()), nil }),
		obj.Attr("array_axis_names", "The names of the array axes (numpy order), from DPNAMEn.", func(env *obj.Env, recv any) (any, error) {
			out := make(obj.Tuple, len(ds(recv).AxisNames))
			for i, n := range ds(recv).AxisNames {
				out[i] = n
			}
			return out, nil
		}),

		obj.Attr("array_axis_physical_types", "The physical types that vary along each array axis (numpy order): a list with one tuple per array axis of the world axes' physical types correlated with it, as ndcube's array_axis_physical_types (e.g. ('em.wl',) for a wavelength axis).",
			func(env *obj.Env, recv any) (any, error) {
				types := ds(recv).ArrayAxisPhysicalTypes()
				out := make(obj.List, len(types))
				for i, t := range types {
					out[i] = t
				}
				return out, nil
			}),

		obj.Attr("files", "The dataset's files: basepath, filenames (grid order; '' where missing).", func(env *obj.Env, recv any) (any, error) {
			return &fileList{ds(recv)}, nil
		}),

		obj.Attr("headers", "The FITS headers of the present files as a Table (astropy's, as dkist's): one row per file, one column per keyword; headers['KEY'] is a Column, headers[i] a Row, headers[a:b] a Table; read from the files when first asked for.", func(env *obj.Env, recv any) (any, error) {
			return ds(recv).headers(), nil
		}),

		obj.Attr("meta", "Metadata: meta['headers'], meta['inventory'].", func(env *obj.Env, recv any) (any, error) {
			d := ds(recv)
			return &mapping{name: "meta", keys: []string{"headers", "inventory"}, vals: []any{d.headers(), inventoryOf(d)}}, nil
		}),

		obj.Attr("inventory", "The dataset's inventory record (from the headers: datasetId, instrumentName, ...).", func(env *obj.Env, recv any) (any, error) {
			return inventoryOf(ds(recv)), nil
		}),

		obj.Method("rebin", "rebin(bin_shape, operation='mean')",
			"Combine bins of neighbouring pixels, lazily (ndcube's rebin). bin_shape has one entry per array axis; -1 bins a whole axis; each entry must divide its axis. operation: np.mean, np.sum, np.min, np.max or np.median, or their names as strings; function= is another name for it. The WCS is resampled: new pixel p has the world coordinate of old pixel (p+0.5)·f−0.5.",
			[]obj.Param{{Name: "bin_shape"}, {Name: "operation", Default: "'mean'"}, {Name: "function", Default: "None"}},
			func(env *obj.Env, recv any, v []any) (any, error) {
				if v[1] != nil && v[2] != nil {
					return nil, obj.Errorf(obj.TypeError, "rebin() got both operation= and function=").WithHint("give one of them: they are the same argument")
				}
				if v[2] != nil {
					v[1] = v[2]
				}
				return ds(recv).Rebin(v[0], v[1])
			}),

		{Name: "crop", Signature: "crop(*points)",
			Doc: "The smallest slice of the dataset that holds every point (ndcube's crop): each point is a tuple of world objects in world order, as ds.wcs.pixel_to_world returns them; an axis the points fix to one index is dropped.",
			Call: func(env *obj.Env, recv any, a obj.Args) (any, error) {
				for k := range a.Kw {
					return nil, obj.Errorf(obj.TypeError, "crop() got an unexpected keyword argument '%s'", k)
				}
				return ds(recv).Crop(env, a.Pos)
			}},
		obj.Attr("global_coords", "The world coordinates that integer indexing fixed (ndcube's global coordinates): ds[0].global_coords['stokes'].",
			func(env *obj.Env, recv any) (any, error) { return globalCoordsOf(ds(recv)) }),

		obj.Method("squeeze", "squeeze()", "The dataset without its axes of length 1 (ndcube's squeeze): ds[0] on each of them.", nil,
			func(env *obj.Env, recv any, v []any) (any, error) { return ds(recv).Squeeze(env) }),

		obj.Method("compute", "compute()", "Read the data and return an in-memory Dataset with the same WCS.", nil,
			func(env *obj.Env, recv any, v []any) (any, error) {
				computed, err := ds(recv).Compute(numpy.RunIn(env))
				if err != nil {
					return nil, err
				}
				return datasetFace(computed), nil
			}),
	}
}

// inventoryOf gives the dataset's inventory record: the ASDF index's, else a small one
// derived from the first header.
func inventoryOf(d *Dataset) *mapping {
	if d.Info.Inventory != nil {
		return recordValue(d.Info.Inventory)
	}
	m := &mapping{name: "inventory"}
	add := func(k string, v any) { m.keys, m.vals = append(m.keys, k), append(m.vals, v) }
	add("datasetId", d.Info.DatasetID)
	add("instrumentName", d.Info.Instrument)
	add("frameCount", d.Info.NFiles)
	if h := d.Info.FirstHeader; h != nil {
		for _, kv := range [][2]string{{"startTime", "DATE-BEG"}, {"proposalId", "PROP_ID"}, {"experimentId", "EXPER_ID"}, {"wavelength", "LINEWAV"}} {
			if s, ok := h.String(kv[1]); ok {
				add(kv[0], s)
			} else if f, ok := h.Float(kv[1]); ok {
				add(kv[0], f)
			}
		}
	}
	return m
}

// fileList describes a dataset's files (dkist's FileManager).
type fileList struct{ d *Dataset }

var fileListType = &obj.Type{Name: "FileManager", Doc: "The files of a dataset: basepath, filenames, shape."}

func init() {
	fileListType.Members = []*obj.Member{
		obj.Attr("basepath", "The directory holding the files.", func(env *obj.Env, recv any) (any, error) { return recv.(*fileList).d.Info.Dir, nil }),
		obj.Attr("filenames", "The file names in grid order ('' where missing).", func(env *obj.Env, recv any) (any, error) {
			return recv.(*fileList).d.fileNameList(), nil
		}),

		fileDownload("quality_report", "quality report PDF", dkistnet.QualityReport),
		fileDownload("preview_movie", "preview movie", dkistnet.PreviewMovie),
		obj.Attr("shape", "The shape of the file grid.", func(env *obj.Env, recv any) (any, error) {
			if g := recv.(*fileList).d.Grid; g != nil {
				return obj.ShapeTuple(g.GridShape), nil
			}
			return obj.Tuple{}, nil
		}),
	}
}

// Type returns the FileManager member table.
func (f *fileList) Type() *obj.Type { return fileListType }

// MimeBundle describes the files.
func (f *fileList) MimeBundle() map[string]any {
	g := f.d.Grid
	if g == nil {
		return map[string]any{"text/plain": "FileManager with no files"}
	}
	// dkist's repr: the object's default repr, then the summary.
	s := fmt.Sprintf("<dkist.io.file_manager.FileManager object at %p>\nFileManager containing %d files with each array having shape %s", f.d, len(g.Files), lazy.ShapeString(g.FileShape))
	if g.Missing > 0 {
		s += fmt.Sprintf(" (%d missing)", g.Missing)
	}
	return map[string]any{"text/plain": s}
}
