package runtime

import (
	"gokist/runtime/distributed"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gokist/obj"
)

func TestBuiltins(t *testing.T) {
	env := testEnv()
	b := Builtins()
	h := &harness{t: t, env: env}
	load := h.get(b["dkist"], "load_dataset").(*obj.Func)
	ds, err := load.Call(env, obj.Args{Pos: []any{"../../shared/data/dkist-small-visp"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := h.get(ds, "shape"); !slices.Equal(got.(obj.Tuple), obj.Tuple{3, 10, 25}) {
		t.Errorf("shape %v", got)
	}
	// Dataset.from_directory with ~ expansion.
	home := t.TempDir()
	t.Setenv("HOME", home)
	abs, err := filepath.Abs("../../shared/data/dkist-small-visp")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(abs, filepath.Join(home, "visp")); err != nil {
		t.Fatal(err)
	}
	ds2 := callMember(t, env, b["Dataset"], "from_directory", obj.Args{Pos: []any{"~/visp"}})
	if h.get(ds2, "ndim") != 3 {
		t.Errorf("ndim %v", h.get(ds2, "ndim"))
	}
	// Client registers itself as the session's executor.
	c, err := b["Client"].(*obj.Func).Call(env, obj.Args{Kw: map[string]any{"n_workers": 3, "memory_limit": "2GB"}})
	if err != nil {
		t.Fatal(err)
	}
	if env.Service("client") != c || c.(*distributed.Client).NWorkers != 3 || c.(*distributed.Client).MemoryLimit != 3*2e9 { // memory_limit is per worker, as in dask
		t.Errorf("client %+v not registered", c)
	}
	// _data assignment replaces the values with a computed array of the same shape.
	r := h.call(ds, "rebin", obj.Tuple{1, 2, 5})
	computed := h.call(h.get(r, "data"), "compute")
	if err := datasetType.Member("_data").Set(env, r, computed); err != nil {
		t.Fatal(err)
	}
	if h.get(r, "data") != computed {
		t.Error("_data assignment did not replace the data")
	}
	if err := datasetType.Member("_data").Set(env, r, (*numpy.NDArray)(&lazy.Array{Values: []float64{1}, Dims: []int{1}})); err == nil {
		t.Error("_data of another shape accepted")
	}
	for _, typ := range []*obj.Type{datasetType, numpy.LazyArrayType, numpy.ArrayType, distributed.ClientType} {
		for _, m := range typ.Members {
			if m.Signature == "" || m.Doc == "" {
				t.Errorf("%s.%s lacks a signature or doc", typ.Name, m.Name)
			}
		}
	}
}
