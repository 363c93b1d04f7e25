package lang

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gokist/obj"
)

// The fakes below stand in for the runtime in tests: a Dataset-like object whose member
// table records every call, with numpy indexing worked out on shapes only.

// callLog records calls on fake objects as text such as `rebin((1, 1, 1, 7))`.
type callLog struct{ calls []string }

func (l *callLog) add(format string, args ...any) {
	l.calls = append(l.calls, fmt.Sprintf(format, args...))
}

func (l *callLog) last() string {
	if len(l.calls) == 0 {
		return ""
	}
	return l.calls[len(l.calls)-1]
}

// fakeDataset is a lazy N-d dataset with a shape.
type fakeDataset struct {
	log   *callLog
	shape []int
	data  any // what `_data` holds
}

func shapeTuple(shape []int) obj.Tuple {
	t := make(obj.Tuple, len(shape))
	for i, n := range shape {
		t[i] = n
	}
	return t
}

func fmtArgs(a obj.Args) string {
	var parts []string
	for _, v := range a.Pos {
		parts = append(parts, Repr(v))
	}
	for _, k := range sortedKeys(a.Kw) {
		parts = append(parts, k+"="+Repr(a.Kw[k]))
	}
	return strings.Join(parts, ", ")
}

var fakeDatasetType = &obj.Type{Name: "Dataset", Doc: "A fake dataset.\nSecond line of the doc.", Members: []*obj.Member{
	{Name: "shape", Signature: "shape", Doc: "The array shape.", Get: func(env *obj.Env, r any) (any, error) {
		return shapeTuple(r.(*fakeDataset).shape), nil
	}},
	{Name: "data", Signature: "data", Doc: "The lazy array.", Get: func(env *obj.Env, r any) (any, error) {
		d := r.(*fakeDataset)
		return &fakeArray{log: d.log, shape: d.shape}, nil
	}},
	{Name: "wcs", Signature: "wcs", Doc: "The world coordinate system.", Get: func(env *obj.Env, r any) (any, error) {
		return &fakeWCS{log: r.(*fakeDataset).log}, nil
	}},
	{Name: "_data", Doc: "The data array; assignable.", Get: func(env *obj.Env, r any) (any, error) { return r.(*fakeDataset).data, nil },
		Set: func(env *obj.Env, r any, v any) error {
			d := r.(*fakeDataset)
			if _, ok := v.(*fakeArray); !ok {
				return obj.Errorf(obj.TypeError, "_data must be an array, not %s", obj.TypeName(v))
			}
			d.data = v
			d.log.add("set _data")
			return nil
		}},
	{Name: "rebin", Signature: "rebin(bin_shape, operation='mean')", Doc: "Rebin by whole factors per axis.\n\nbin_shape: one factor per axis.",
		Params: []obj.Param{{Name: "bin_shape"}, {Name: "operation", Default: "'mean'"}},
		Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
			d := r.(*fakeDataset)
			v, err := a.Bind("rebin", []obj.Param{{Name: "bin_shape"}, {Name: "operation", Default: "'mean'"}})
			if err != nil {
				return nil, err
			}
			d.log.add("rebin(%s)", fmtArgs(a))
			bins, ok := v[0].(obj.Tuple)
			if !ok || len(bins) != len(d.shape) {
				return nil, obj.Errorf(obj.ValueError, "bin_shape must have %d entries", len(d.shape))
			}
			out := make([]int, len(d.shape))
			for i, b := range bins {
				f := b.(int)
				if d.shape[i]%f != 0 {
					return nil, obj.Errorf(obj.ValueError, "bin shape %s does not divide shape %s", Repr(bins), Repr(shapeTuple(d.shape))).
						WithHint("crop axis %d to %d first", i, d.shape[i]/f*f)
				}
				out[i] = d.shape[i] / f
			}
			return &fakeDataset{log: d.log, shape: out}, nil
		}},
	{Name: "plot", Signature: "plot(axes=None, linestyle='-', color=None)", Doc: "Plot the dataset.",
		Params: []obj.Param{{Name: "axes", Default: "None"}, {Name: "linestyle", Default: "'-'"}, {Name: "color", Default: "None"}},
		Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
			if _, err := a.Bind("plot", []obj.Param{{Name: "axes", Default: "None"}, {Name: "linestyle", Default: "'-'"}, {Name: "color", Default: "None"}}); err != nil {
				return nil, err
			}
			if ls, ok := a.Kw["linestyle"].(string); ok && !strings.Contains("- -- : -.", ls) {
				return nil, obj.Errorf(obj.ValueError, "%s is not a valid line style", quote(ls)).WithHint("use one of '-', '--', ':', '-.'")
			}
			r.(*fakeDataset).log.add("plot(%s)", fmtArgs(a))
			return &fakeHandle{}, nil
		}},
	{Name: "compute", Signature: "compute()", Doc: "Load into memory.", Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
		d := r.(*fakeDataset)
		d.log.add("Dataset.compute()")
		return &fakeDataset{log: d.log, shape: d.shape}, nil
	}},
}}

// Type returns the fake member table.
func (d *fakeDataset) Type() *obj.Type { return fakeDatasetType }

// MimeBundle shows the shape.
func (d *fakeDataset) MimeBundle() map[string]any {
	return map[string]any{"text/plain": "<Dataset shape " + Repr(shapeTuple(d.shape)) + ">", "text/html": "<b>Dataset</b>"}
}

// indexShape applies a numpy basic index to a shape: ints drop an axis (negative counts
// from the end, out of range is an IndexError), slices keep it with numpy clamping, one
// Ellipsis stands for the axes not named.
func indexShape(shape []int, key any) ([]int, error) {
	items, ok := key.(obj.Tuple)
	if !ok {
		items = obj.Tuple{key}
	}
	ell := -1
	for i, it := range items {
		if it == obj.Ellipsis {
			if ell >= 0 {
				return nil, obj.Errorf(obj.IndexError, "an index can only have a single ellipsis ('...')")
			}
			ell = i
		}
	}
	named := len(items)
	if ell >= 0 {
		named--
	}
	if named > len(shape) {
		return nil, obj.Errorf(obj.IndexError, "too many indices for array: array is %d-dimensional, but %d were indexed", len(shape), named)
	}
	var expanded []any
	for i, it := range items {
		if i == ell {
			for range len(shape) - named {
				expanded = append(expanded, obj.Slice{})
			}
			continue
		}
		expanded = append(expanded, it)
	}
	for len(expanded) < len(shape) {
		expanded = append(expanded, obj.Slice{})
	}
	var out []int
	for ax, it := range expanded {
		n := shape[ax]
		switch x := it.(type) {
		case int:
			i := x
			if i < 0 {
				i += n
			}
			if i < 0 || i >= n {
				return nil, obj.Errorf(obj.IndexError, "index %d is out of bounds for axis %d with size %d", x, ax, n)
			}
		case obj.Slice:
			start, stop, step, err := sliceIndices(x, n)
			if err != nil {
				return nil, err
			}
			cnt := 0
			for i := start; (step > 0 && i < stop) || (step < 0 && i > stop); i += step {
				cnt++
			}
			out = append(out, cnt)
		default:
			return nil, obj.Errorf(obj.TypeError, "only integers, slices and ellipsis are valid indices, not %s", obj.TypeName(it))
		}
	}
	return out, nil
}

// GetItem indexes the fake dataset.
func (d *fakeDataset) GetItem(env *obj.Env, key any) (any, error) {
	d.log.add("getitem[%s]", Repr(key))
	s, err := indexShape(d.shape, key)
	if err != nil {
		return nil, err
	}
	return &fakeDataset{log: d.log, shape: s}, nil
}

// fakeArray is a lazy array with reductions.
type fakeArray struct {
	log      *callLog
	shape    []int
	computed bool
}

func reduceMember(name string) *obj.Member {
	return &obj.Member{Name: name, Signature: name + "(axis=None)", Doc: "Reduce with " + name + ".", Params: []obj.Param{{Name: "axis", Default: "None"}},
		Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
			x := r.(*fakeArray)
			v, err := a.Bind(name, []obj.Param{{Name: "axis", Default: "None"}})
			if err != nil {
				return nil, err
			}
			x.log.add("%s(%s)", name, fmtArgs(a))
			drop := map[int]bool{}
			switch ax := v[0].(type) {
			case nil:
				if strings.HasPrefix(name, "arg") {
					return 7, nil
				}
				return 1.5, nil
			case int:
				drop[ax] = true
			case obj.Tuple:
				for _, e := range ax {
					drop[e.(int)] = true
				}
			}
			var out []int
			for i, n := range x.shape {
				if !drop[i] {
					out = append(out, n)
				}
			}
			return &fakeArray{log: x.log, shape: out}, nil
		}}
}

var fakeArrayType = &obj.Type{Name: "LazyArray", Doc: "A fake lazy array.", Members: []*obj.Member{
	reduceMember("sum"), reduceMember("mean"), reduceMember("argmin"),
	{Name: "shape", Get: func(env *obj.Env, r any) (any, error) { return shapeTuple(r.(*fakeArray).shape), nil }},
	{Name: "compute", Signature: "compute()", Doc: "Compute the array.", Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
		x := r.(*fakeArray)
		x.log.add("compute()")
		// A long computation watches the context.
		if err := env.Context().Err(); err != nil {
			return nil, err
		}
		return &fakeArray{log: x.log, shape: x.shape, computed: true}, nil
	}},
}}

// Type returns the fake array member table.
func (x *fakeArray) Type() *obj.Type { return fakeArrayType }

// GetItem indexes the fake array.
func (x *fakeArray) GetItem(env *obj.Env, key any) (any, error) {
	x.log.add("array[%s]", Repr(key))
	s, err := indexShape(x.shape, key)
	if err != nil {
		return nil, err
	}
	return &fakeArray{log: x.log, shape: s, computed: x.computed}, nil
}

// BinaryOp supports arithmetic with numbers, recording the operator and side.
func (x *fakeArray) BinaryOp(env *obj.Env, op string, other any, reflected bool) (any, bool, error) {
	if _, _, _, ok := number(other); !ok {
		if _, ok := other.(*fakeArray); !ok {
			return nil, false, nil
		}
	}
	x.log.add("binop %s reflected=%v", op, reflected)
	return &fakeArray{log: x.log, shape: x.shape}, true, nil
}

// UnaryOp supports -x and abs(x).
func (x *fakeArray) UnaryOp(env *obj.Env, op string) (any, error) {
	x.log.add("unary %s", op)
	return &fakeArray{log: x.log, shape: x.shape}, nil
}

// String shows the shape.
func (x *fakeArray) String() string { return "array(shape=" + Repr(shapeTuple(x.shape)) + ")" }

// fakeWCS converts pixels to world values.
type fakeWCS struct{ log *callLog }

var fakeWCSType = &obj.Type{Name: "WCS", Doc: "Fake WCS.", Members: []*obj.Member{
	{Name: "pixel_to_world", Signature: "pixel_to_world(*pixel)", Doc: "World coordinates of a pixel.", Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
		r.(*fakeWCS).log.add("pixel_to_world(%s)", fmtArgs(a))
		return obj.Tuple{"sky", fmt.Sprintf("<SpectralCoord %d>", a.Pos[1].(int))}, nil
	}},
}}

// Type returns the fake WCS member table.
func (w *fakeWCS) Type() *obj.Type { return fakeWCSType }

// fakeHandle is what a plot call returns.
type fakeHandle struct{}

var fakeHandleType = &obj.Type{Name: "Line2D"}

func (*fakeHandle) Type() *obj.Type    { return fakeHandleType }
func (*fakeHandle) IsPlotHandle() bool { return true }

// fakeClass is the `Dataset` class with its from_directory constructor.
type fakeClass struct{ log *callLog }

var fakeClassType = &obj.Type{Name: "Dataset", Doc: "Datasets of DKIST FITS files.", Signature: "Dataset(...)", Members: []*obj.Member{
	{Name: "from_directory", Signature: "from_directory(directory)", Doc: "Load a dataset from a directory of FITS files.",
		Params: []obj.Param{{Name: "directory"}},
		Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
			v, err := a.Bind("from_directory", []obj.Param{{Name: "directory"}})
			if err != nil {
				return nil, err
			}
			dir, ok := v[0].(string)
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "directory must be a string, not %s", obj.TypeName(v[0]))
			}
			dir = expandHome(dir)
			r.(*fakeClass).log.add("from_directory(%s)", quote(dir))
			if _, err := os.Stat(dir); err != nil {
				return nil, &obj.Error{Class: obj.FileNotFoundError, Msg: "No such file or directory: " + quote(dir), Err: err}
			}
			if _, err := os.Stat(filepath.Join(dir, "corrupt.fits")); err == nil {
				return nil, obj.Errorf(obj.FITSError, "%s: not a FITS file (no SIMPLE card)", filepath.Join(dir, "corrupt.fits"))
			}
			return &fakeDataset{log: r.(*fakeClass).log, shape: []int{4, 80, 160, 2555}}, nil
		}},
}}

// Type returns the class member table.
func (c *fakeClass) Type() *obj.Type { return fakeClassType }

// fakeClient is what Client() returns.
type fakeClient struct{ workers int }

var fakeClientType = &obj.Type{Name: "Client", Doc: "The executor."}

func (c *fakeClient) Type() *obj.Type { return fakeClientType }
func (c *fakeClient) MimeBundle() map[string]any {
	return map[string]any{"text/plain": fmt.Sprintf("<Client: %d workers>", c.workers)}
}

// fakePyplot records figures and flushes them at the end of each cell.
type fakePyplot struct {
	log     *callLog
	flushed int
}

var fakePyplotType = &obj.Type{Name: "module", Doc: "Fake pyplot.", Members: []*obj.Member{
	{Name: "subplots", Signature: "subplots()", Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
		r.(*fakePyplot).log.add("subplots(%s)", fmtArgs(a))
		return obj.Tuple{&fakeHandle{}, &fakeHandle{}}, nil
	}},
	{Name: "figure", Signature: "figure(figsize=None)", Params: []obj.Param{{Name: "figsize", Default: "None"}}, Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
		r.(*fakePyplot).log.add("figure(%s)", fmtArgs(a))
		return &fakeHandle{}, nil
	}},
	{Name: "plot", Signature: "plot(*args, linestyle='-')", Params: []obj.Param{{Name: "linestyle", Default: "'-'"}}, Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
		r.(*fakePyplot).log.add("plt.plot(%s)", fmtArgs(a))
		return &fakeHandle{}, nil
	}},
}}

func (p *fakePyplot) Type() *obj.Type { return fakePyplotType }

// FlushCell counts the end-of-cell flushes and shows one figure.
func (p *fakePyplot) FlushCell(out obj.Output) error {
	p.flushed++
	out.Display(map[string]any{"image/png": "iVBOR", "text/plain": "<Figure>"}, nil, "", false)
	return nil
}

// fakeRuntime binds the fakes in a session as runtime.Builtins will.
func fakeRuntime(s *Session) *callLog {
	log := &callLog{}
	cls := &fakeClass{log: log}
	s.bind("Dataset", cls)
	s.bind("dkist", newModule("dkist", "DKIST datasets.", map[string]any{
		"Dataset": cls,
		"load_dataset": &obj.Func{Name: "load_dataset", Signature: "load_dataset(path)", Params: []obj.Param{{Name: "path"}},
			Call: func(env *obj.Env, a obj.Args) (any, error) {
				return fakeClassType.Member("from_directory").Call(env, cls, a)
			}},
	}))
	s.bind("Client", &obj.Func{Name: "Client", Signature: "Client(n_workers=None)", Doc: "Start the executor.",
		Params: []obj.Param{{Name: "n_workers", Default: "None"}, {Name: "memory_limit", Default: "None"}},
		Call: func(env *obj.Env, a obj.Args) (any, error) {
			v, err := a.Bind("Client", []obj.Param{{Name: "n_workers", Default: "None"}, {Name: "memory_limit", Default: "None"}})
			if err != nil {
				return nil, err
			}
			n := 2
			if v[0] != nil {
				n = v[0].(int)
			}
			log.add("Client(%s)", fmtArgs(a))
			return &fakeClient{workers: n}, nil
		}})
	s.bindPyplot(&fakePyplot{log: log})
	return log
}
