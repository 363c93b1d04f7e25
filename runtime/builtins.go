package runtime

import (
	"gokist/obj"
	"gokist/runtime/distributed"
	"gokist/runtime/dkistnet"
)

// Builtins returns the names the runtime binds in every session's global scope, such as
// Dataset, dkist and Client, each an obj.Object or *obj.Func.
func Builtins() map[string]any {
	dsClass := &datasetClass{}
	return map[string]any{
		"Dataset": dsClass,
		"dkist":   obj.NewModule("dkist", "The dkist package's entry points for loading DKIST datasets.", map[string]any{"Dataset": dsClass, "load_dataset": loadDatasetFunc("load_dataset"), "net": dkistnet.Module(), "data": dkistDataModule()}),
		"Client":  distributed.NewClientFunc(),
		// LocalCluster is bound here and in dask.distributed, beside Client.
		"LocalCluster": distributed.NewLocalClusterFunc(),
	}
}

// loadDatasetFunc is dkist.load_dataset / Dataset.from_directory.
func loadDatasetFunc(name string) *obj.Func {
	params := []obj.Param{{Name: "directory"}}
	return &obj.Func{
		Name: name, Signature: name + "(directory)", Params: params,
		Doc: "Load a DKIST dataset from a directory of FITS files (and its ASDF index, if present), or from the ASDF file itself; a list of them gives a list of datasets (one item: the dataset). Only the headers are read; `~` expands to the home directory.",
		Call: func(env *obj.Env, args obj.Args) (any, error) {
			v, err := args.Bind(name, params)
			if err != nil {
				return nil, err
			}
			var items []any
			switch x := v[0].(type) {
			case string:
				return loadAnyDataset(env, x)
			case obj.List:
				items = x
			case obj.Tuple:
				items = x
			default:
				return nil, obj.Errorf(obj.TypeError, "%s(): the directory must be a string (or a list of them), not %s", name, obj.TypeName(v[0]))
			}
			// dkist's load_dataset of a list: one dataset per item, the dataset itself
			// when there is one.
			out := make(obj.List, len(items))
			for i, it := range items {
				dir, ok := it.(string)
				if !ok {
					return nil, obj.Errorf(obj.TypeError, "%s(): item %d of the list must be a directory string, not %s", name, i, obj.TypeName(it))
				}
				ds, err := loadAnyDataset(env, dir)
				if err != nil {
					return nil, err
				}
				out[i] = ds
			}
			if len(out) == 1 {
				return out[0], nil
			}
			return out, nil
		},
	}
}

// datasetClass is the `Dataset` name: a type-like value with from_directory.
type datasetClass struct{}

var datasetClassType = &obj.Type{
	Name:      "type",
	Doc:       datasetType.Doc,
	Signature: "Dataset.from_directory(directory)",
}

func init() {
	f := loadDatasetFunc("from_directory")
	datasetClassType.Members = []*obj.Member{{
		Name: "from_directory", Signature: f.Signature, Doc: f.Doc, Params: f.Params,
		Call: func(env *obj.Env, recv any, args obj.Args) (any, error) { return f.Call(env, args) },
	}}
}

// Type returns the member table of the Dataset class.
func (c *datasetClass) Type() *obj.Type { return datasetClassType }

// MimeBundle shows the class as Python does.
func (c *datasetClass) MimeBundle() map[string]any {
	return map[string]any{"text/plain": "<class 'dkist.dataset.dataset.Dataset'>"}
}

// The dkist module is importable as the name the session binds at start; sessions
// built without the runtime's names get one made of the Dataset and load_dataset they
// bind.
func init() {
	obj.RegisterModule("dkist", func(s obj.ModuleScope) (any, error) {
		if v, ok := s.Initial("dkist"); ok {
			return v, nil
		}
		attrs := map[string]any{}
		for _, name := range []string{"Dataset", "load_dataset"} {
			if v, ok := s.Initial(name); ok {
				attrs[name] = v
			}
		}
		return obj.NewModule("dkist", "DKIST datasets.", attrs), nil
	})
}
