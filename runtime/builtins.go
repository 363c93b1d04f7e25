// Package runtime owns gokist's lazy data model: Dataset, LazyArray and Array, the
// parallel chunk executor and its Client, rebinning, and the names the cell language
// binds (Dataset, dkist, Client). Plots live in runtime/plot, coordinates in runtime/wcs,
// the value protocol shared with lang in runtime/obj.
package runtime

import (
	"gokist/runtime/obj"
)

// Builtins returns the names the runtime binds in every session's global scope, such as
// Dataset, dkist and Client, each an obj.Object or *obj.Func.
func Builtins() map[string]any {
	dsClass := &datasetClass{}
	return map[string]any{
		"Dataset": dsClass,
		"dkist":   newModule("dkist", "The dkist package's entry points for loading DKIST datasets.", map[string]any{"Dataset": dsClass, "load_dataset": loadDatasetFunc("load_dataset"), "net": newModule("dkist.net", "Searching and downloading DKIST data (not available in gokist; the module exists so imports work).", nil)}),
		"Client":  newClientFunc(),
	}
}

// loadDatasetFunc is dkist.load_dataset / Dataset.from_directory.
func loadDatasetFunc(name string) *obj.Func {
	params := []obj.Param{{Name: "directory"}}
	return &obj.Func{
		Name: name, Signature: name + "(directory)", Params: params,
		Doc: "Load a DKIST dataset from a directory of FITS files (and its ASDF index, if present). Only the headers are read; `~` expands to the home directory.",
		Call: func(env *obj.Env, args obj.Args) (any, error) {
			v, err := args.Bind(name, params)
			if err != nil {
				return nil, err
			}
			dir, ok := v[0].(string)
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "%s(): the directory must be a string, not %s", name, obj.TypeName(v[0]))
			}
			return LoadDatasetEnv(env, dir)
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

// module is a namespace of values (dkist, dkist.net).
type module struct {
	name string
	typ  *obj.Type
}

func newModule(name, doc string, members map[string]any) *module {
	t := &obj.Type{Name: "module", Doc: doc}
	for k, v := range members {
		v := v
		t.Members = append(t.Members, &obj.Member{Name: k, Signature: name + "." + k, Doc: docOf(v),
			Get: func(env *obj.Env, recv any) (any, error) { return v, nil }})
	}
	return &module{name: name, typ: t}
}

func docOf(v any) string {
	switch x := v.(type) {
	case *obj.Func:
		return x.Doc
	case obj.Object:
		return x.Type().Doc
	}
	return ""
}

// Type returns the module's member table.
func (m *module) Type() *obj.Type { return m.typ }

// MimeBundle shows the module as Python does.
func (m *module) MimeBundle() map[string]any {
	return map[string]any{"text/plain": "<module '" + m.name + "'>"}
}
