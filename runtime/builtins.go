// Package runtime owns gokist's lazy data model: Dataset, LazyArray and Array, the
// parallel chunk executor and its Client, rebinning, and the names the cell language
// binds (Dataset, dkist, Client). Plots live in runtime/plot, coordinates in runtime/wcs,
// the value protocol shared with lang in runtime/obj.
package runtime

// Builtins returns the names the runtime binds in every session's global scope, such as
// Dataset, dkist and Client, each an obj.Object or *obj.Func.
func Builtins() map[string]any {
	return map[string]any{}
}
