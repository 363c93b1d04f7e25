package runtime

import (
	"fmt"
	"gokist/runtime/memlimit"
	"html"
	"math"
	"strings"

	"gokist/runtime/lazy"

	"gokist/obj"
	"gokist/runtime/dkistnet"
)

// attr makes a read-only attribute member.
func attr(name, doc string, get func(env *obj.Env, recv any) (any, error)) *obj.Member {
	return &obj.Member{Name: name, Signature: name, Doc: doc, Get: get}
}

// method makes a method member whose arguments are bound to params.
func method(name, sig, doc string, params []obj.Param, call func(env *obj.Env, recv any, vals []any) (any, error)) *obj.Member {
	return &obj.Member{Name: name, Signature: sig, Doc: doc, Params: params,
		Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
			vals, err := args.Bind(name, params)
			if err != nil {
				return nil, err
			}
			return call(env, recv, vals)
		}}
}

// shapeTuple renders a shape as a Python tuple value.
func shapeTuple(shape []int) obj.Tuple {
	t := make(obj.Tuple, len(shape))
	for i, n := range shape {
		t[i] = n
	}
	return t
}

// reductionDocs explain each reduction in help().
var reductionDocs = map[string]string{
	"sum":    "Sum of the values over the given axes (accumulated in float64).",
	"mean":   "Arithmetic mean over the given axes (accumulated in float64).",
	"min":    "Minimum over the given axes; NaN if any value is NaN.",
	"max":    "Maximum over the given axes; NaN if any value is NaN.",
	"std":    "Standard deviation (ddof=0) over the given axes.",
	"var":    "Variance (ddof=0) over the given axes.",
	"argmin": "Index of the minimum: the flat index for axis=None, else the position along axis.",
	"argmax": "Index of the maximum: the flat index for axis=None, else the position along axis.",
}

// arrayMembers builds the members LazyArray and Array share. nodeOfRecv gives the
// receiver's graph; finish turns a new graph into the method's result (lazy for
// LazyArray, computed for Array).
func arrayMembers(nodeOfRecv func(any) lazy.Node, finish func(env *obj.Env, n lazy.Node) (any, error), isLazy bool) []*obj.Member {
	when := "computed at once"
	if isLazy {
		when = "lazy: call .compute() to get the values"
	}
	ms := append(reductionMembers(nodeOfRecv, finish, when), shapeMembers(nodeOfRecv, finish, isLazy)...)
	ms = append(ms, elementwiseMembers(func(recv any) any { return recv })...)
	for _, fn := range []string{"sqrt", "log", "abs"} {
		ms = append(ms, method(fn, fn+"()", "Elementwise "+fn+" (numpy."+fn+"); the result is "+when+".", nil,
			func(env *obj.Env, recv any, v []any) (any, error) {
				n, err := lazy.UnaryOp(fn, nodeOfRecv(recv))
				if err != nil {
					return nil, err
				}
				return finish(env, n)
			}))
	}
	ms = append(ms,
		attr("shape", "The array's shape, a tuple in numpy axis order.", func(env *obj.Env, recv any) (any, error) {
			return shapeTuple(nodeOfRecv(recv).Shape()), nil
		}),
		attr("dtype", "The element type, as numpy's dtype: dtype('float32'), equal to 'float32'.", func(env *obj.Env, recv any) (any, error) {
			return NumpyDType{nodeOfRecv(recv).DType()}, nil
		}),
		attr("ndim", "The number of axes.", func(env *obj.Env, recv any) (any, error) {
			return len(nodeOfRecv(recv).Shape()), nil
		}),
		attr("size", "The number of elements.", func(env *obj.Env, recv any) (any, error) {
			return lazy.Product(nodeOfRecv(recv).Shape()), nil
		}),
		attr("nbytes", "The number of bytes the values take at this dtype.", func(env *obj.Env, recv any) (any, error) {
			n := nodeOfRecv(recv)
			return lazy.Product(n.Shape()) * n.DType().ItemSize(), nil
		}),
		method("astype", "astype(dtype)", "Convert the elements to dtype ('float32', 'float64', 'int64', 'bool'); the result is "+when+".",
			[]obj.Param{{Name: "dtype"}},
			func(env *obj.Env, recv any, v []any) (any, error) {
				dt, err := parseDType(v[0])
				if err != nil {
					return nil, err
				}
				return finish(env, lazy.AstypeNode(nodeOfRecv(recv), dt))
			}),
	)
	return ms
}

var lazyArrayType = &obj.Type{
	Name: "LazyArray",
	Doc: "A lazy N-d array (like a dask array): indexing, arithmetic, rebinning and reductions build a graph; " +
		"compute() runs it in parallel over the files, reading only what the selection needs.",
}

var arrayType = &obj.Type{
	Name: "Array",
	Doc:  "An in-memory N-d array (like a numpy ndarray), the result of compute().",
}

func init() {
	lazyNode := func(recv any) lazy.Node { return recv.(*LazyArray).n }
	lazyArrayType.Members = append(arrayMembers(lazyNode, func(env *obj.Env, n lazy.Node) (any, error) {
		return &LazyArray{n}, nil
	}, true),
		ArrayPlotMember,
		method("compute", "compute()", "Run the graph on the session's workers and return an in-memory Array, or a number for a full reduction.",
			nil, func(env *obj.Env, recv any, v []any) (any, error) { return recv.(*LazyArray).Compute(env) }),
		attr("chunks", "The chunk sizes along each axis, a tuple of tuples as dask gives them (one chunk per file along file-spanning axes).",
			func(env *obj.Env, recv any) (any, error) { return chunksTuple(lazyNode(recv)), nil }),
		attr("chunksize", "The largest chunk's shape.", func(env *obj.Env, recv any) (any, error) {
			return shapeTuple(chunkSize(lazyNode(recv))), nil
		}),
		attr("npartitions", "The number of chunks.", func(env *obj.Env, recv any) (any, error) {
			return chunkCount(lazyNode(recv)), nil
		}),
	)
	arrNode := func(recv any) lazy.Node { return &lazy.ArrayNode{A: (*lazy.Array)(recv.(*ndarray))} }
	arrayType.Members = append(arrayMembers(arrNode, func(env *obj.Env, n lazy.Node) (any, error) {
		a, err := computeNode(env, n)
		if err != nil {
			return nil, err
		}
		return scalarOrSelf(a), nil
	}, false),
		ArrayPlotMember,
		method("compute", "compute()", "Return the array itself (it is already in memory).", nil,
			func(env *obj.Env, recv any, v []any) (any, error) { return recv, nil }),
		method("tolist", "tolist()", "The values as nested Python lists.", nil,
			func(env *obj.Env, recv any, v []any) (any, error) { return toList((*lazy.Array)(recv.(*ndarray))), nil }),
		method("item", "item()", "The single value of a one-element array as a Python number.", nil,
			func(env *obj.Env, recv any, v []any) (any, error) {
				a := recv.(*ndarray)
				if a.arr().Size() != 1 {
					return nil, obj.Errorf(obj.ValueError, "can only convert an array of size 1 to a Python scalar, not size %d", a.arr().Size())
				}
				return pythonValue(a.arr().At(0), a.DT), nil
			}),
		arrayToScalar("__float__", "float"), arrayToScalar("__int__", "int"),
	)
	initDatasetType()
	initClientType()
	initTaskStreamType()
}

// chunksTuple gives dask's chunks: per axis, the sizes between the node's cuts.
func chunksTuple(n lazy.Node) obj.Tuple {
	shape := n.Shape()
	cuts := n.Cuts()
	out := make(obj.Tuple, len(shape))
	for i, s := range shape {
		var sizes obj.Tuple
		prev := 0
		if i < len(cuts) {
			for _, c := range cuts[i] {
				sizes = append(sizes, c-prev)
				prev = c
			}
		}
		sizes = append(sizes, s-prev)
		out[i] = sizes
	}
	return out
}

// chunkCount is the number of chunks, as dask's npartitions: the product of the chunk
// counts along each axis of .chunks (the executor may split a chunk into several tasks
// to bound their memory; those are not chunks).
func chunkCount(n lazy.Node) int {
	count := 1
	for _, sizes := range chunksTuple(n) {
		count *= len(sizes.(obj.Tuple))
	}
	if lazy.Product(n.Shape()) == 0 {
		return 0
	}
	return count
}

// chunkSize gives the largest chunk along each axis.
func chunkSize(n lazy.Node) []int {
	shape := n.Shape()
	cuts := n.Cuts()
	out := make([]int, len(shape))
	for i, s := range shape {
		prev, m := 0, 0
		if i < len(cuts) {
			for _, c := range cuts[i] {
				m = max(m, c-prev)
				prev = c
			}
		}
		out[i] = max(m, s-prev)
	}
	return out
}

// graphName describes the last operation of a graph, as dask names its arrays.
func graphName(n lazy.Node) string { return n.Name() }

// String renders the lazy array as dask does: name, shape, dtype, chunk shape.
func (l *LazyArray) String() string {
	n := l.n
	return fmt.Sprintf("LazyArray<%s, shape=%s, dtype=%s, chunksize=%s, chunks=%d, nbytes=%s>",
		graphName(n), lazy.ShapeString(n.Shape()), n.DType(), lazy.ShapeString(chunkSize(n)),
		chunkCount(n), memlimit.HumanBytes(int64(lazy.Product(n.Shape())*n.DType().ItemSize())))
}

// html renders the dask-like table of array and chunk sizes.
func (l *LazyArray) html() string {
	n := l.n
	cs := chunkSize(n)
	item := n.DType().ItemSize()
	nchunks := chunkCount(n)
	var b strings.Builder
	b.WriteString("<table><tr><th></th><th>Array</th><th>Chunk</th></tr>")
	fmt.Fprintf(&b, "<tr><th>Bytes</th><td>%s</td><td>%s</td></tr>", memlimit.HumanBytes(int64(lazy.Product(n.Shape())*item)), memlimit.HumanBytes(int64(lazy.Product(cs)*item)))
	fmt.Fprintf(&b, "<tr><th>Shape</th><td>%s</td><td>%s</td></tr>", lazy.ShapeString(n.Shape()), lazy.ShapeString(cs))
	fmt.Fprintf(&b, "<tr><th>Count</th><td colspan=\"2\">%d chunks, graph ending in %s</td></tr>", nchunks, html.EscapeString(n.Name()))
	fmt.Fprintf(&b, "<tr><th>Type</th><td colspan=\"2\">%s</td></tr>", n.DType())
	b.WriteString("</table>")
	return b.String()
}

// MimeBundle shows the lazy array's shape, dtype, chunks and bytes.
func (l *LazyArray) MimeBundle() map[string]any {
	return map[string]any{"text/plain": l.String(), "text/html": l.html()}
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
		attr("data", "The data: a LazyArray (an in-memory Array after compute()).", func(env *obj.Env, recv any) (any, error) {
			return ds(recv).Data(), nil
		}),
		{Name: "_data", Signature: "_data", Doc: "The underlying data; assign a computed Array of the same shape to replace the values (`rebinned._data = rebinned.data.compute()`).",
			Get: func(env *obj.Env, recv any) (any, error) { return ds(recv).Data(), nil },
			Set: func(env *obj.Env, recv any, value any) error {
				d := ds(recv)
				var n lazy.Node
				switch v := value.(type) {
				case *ndarray:
					n = &lazy.ArrayNode{A: (*lazy.Array)(v)}
				case *LazyArray:
					n = v.n
				default:
					return obj.Errorf(obj.TypeError, "_data must be an Array (from compute()) or a LazyArray, not %s", obj.TypeName(value))
				}
				if !lazy.SameShape(n.Shape(), d.Node.Shape()) {
					return obj.Errorf(obj.ValueError, "_data must keep the dataset's shape %s, not %s", lazy.ShapeString(d.Node.Shape()), lazy.ShapeString(n.Shape()))
				}
				d.Node = n
				return nil
			}},
		attr("wcs", "The world coordinate system: ds.wcs.pixel_to_world(*pixel) / world_to_pixel(*world), pixel arguments in WCS order (reverse of array order).",
			func(env *obj.Env, recv any) (any, error) { return ds(recv).WCS() }),
		attr("shape", "The array's shape, numpy axis order (for VISP: stokes, raster, wavelength, slit).", func(env *obj.Env, recv any) (any, error) {
			return shapeTuple(ds(recv).Node.Shape()), nil
		}),
		attr("dimensions", "The array's shape in pixels, the same tuple as shape (ndcube before 2.3 gave it as a Quantity in pix; ndcube 2.3 deprecates it for shape).", func(env *obj.Env, recv any) (any, error) {
			return shapeTuple(ds(recv).Node.Shape()), nil
		}),
		attr("dtype", "The element type of the data, as numpy's dtype: dtype('float32'), equal to 'float32'.", func(env *obj.Env, recv any) (any, error) { return NumpyDType{ds(recv).Node.DType()}, nil }),
		unitMember,
		attr("ndim", "The number of array axes.", func(env *obj.Env, recv any) (any, error) { return len(ds(recv).Node.Shape()), nil }),
		attr("array_axis_names", "The names of the array axes (numpy order), from DPNAMEn.", func(env *obj.Env, recv any) (any, error) {
			out := make(obj.Tuple, len(ds(recv).AxisNames))
			for i, n := range ds(recv).AxisNames {
				out[i] = n
			}
			return out, nil
		}),
		attr("array_axis_physical_types", "The physical types that vary along each array axis (numpy order): a list with one tuple per array axis of the world axes' physical types correlated with it, as ndcube's array_axis_physical_types (e.g. ('em.wl',) for a wavelength axis).",
			func(env *obj.Env, recv any) (any, error) {
				types := ds(recv).ArrayAxisPhysicalTypes()
				out := make(obj.List, len(types))
				for i, t := range types {
					out[i] = t
				}
				return out, nil
			}),
		attr("files", "The dataset's files: basepath, filenames (grid order; '' where missing).", func(env *obj.Env, recv any) (any, error) {
			return &fileList{ds(recv)}, nil
		}),
		attr("headers", "The FITS headers of the present files as a Table (astropy's, as dkist's): one row per file, one column per keyword; headers['KEY'] is a Column, headers[i] a Row, headers[a:b] a Table; read from the files when first asked for.", func(env *obj.Env, recv any) (any, error) {
			return ds(recv).headers(), nil
		}),
		attr("meta", "Metadata: meta['headers'], meta['inventory'].", func(env *obj.Env, recv any) (any, error) {
			d := ds(recv)
			return &mapping{name: "meta", keys: []string{"headers", "inventory"}, vals: []any{d.headers(), inventoryOf(d)}}, nil
		}),
		attr("inventory", "The dataset's inventory record (from the headers: datasetId, instrumentName, ...).", func(env *obj.Env, recv any) (any, error) {
			return inventoryOf(ds(recv)), nil
		}),
		method("rebin", "rebin(bin_shape, operation='mean')",
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
		attr("global_coords", "The world coordinates that integer indexing fixed (ndcube's global coordinates): ds[0].global_coords['stokes'].",
			func(env *obj.Env, recv any) (any, error) { return globalCoordsOf(ds(recv)) }),
		method("squeeze", "squeeze()", "The dataset without its axes of length 1 (ndcube's squeeze): ds[0] on each of them.", nil,
			func(env *obj.Env, recv any, v []any) (any, error) { return ds(recv).Squeeze(env) }),
		method("compute", "compute()", "Read the data and return an in-memory Dataset with the same WCS.", nil,
			func(env *obj.Env, recv any, v []any) (any, error) {
				computed, err := ds(recv).Compute(runIn(env))
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
		attr("basepath", "The directory holding the files.", func(env *obj.Env, recv any) (any, error) { return recv.(*fileList).d.Info.Dir, nil }),
		attr("filenames", "The file names in grid order ('' where missing).", func(env *obj.Env, recv any) (any, error) {
			return recv.(*fileList).d.fileNameList(), nil
		}),
		fileDownload("quality_report", "quality report PDF", dkistnet.QualityReport),
		fileDownload("preview_movie", "preview movie", dkistnet.PreviewMovie),
		attr("shape", "The shape of the file grid.", func(env *obj.Env, recv any) (any, error) {
			if g := recv.(*fileList).d.Grid; g != nil {
				return shapeTuple(g.GridShape), nil
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

// arrayToScalar is float(a) / int(a) of a one-element array, as numpy 1.24 allows
// (math.sqrt(np.array(4.0)) too); larger arrays are numpy's TypeError.
func arrayToScalar(name, conv string) *obj.Member {
	return method(name, name+"()", conv+"(a) of a one-element array.", nil,
		func(env *obj.Env, recv any, v []any) (any, error) {
			a := recv.(*ndarray).arr()
			if a.Size() != 1 {
				return nil, obj.Errorf(obj.TypeError, "only size-1 arrays can be converted to Python scalars")
			}
			x := a.At(0)
			if conv == "int" {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					return nil, obj.Errorf(obj.ValueError, "cannot convert float %s to integer", map[bool]string{true: "NaN", false: "infinity"}[math.IsNaN(x)])
				}
				return int(x), nil
			}
			return x, nil
		})
}
