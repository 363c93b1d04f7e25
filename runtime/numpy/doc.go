// Package numpy is the Python face of arrays and of the numpy module: NDArray (numpy's
// ndarray over a lazy.Array, the same memory, so a cell sees one object per array),
// LazyArray (a dask-like lazy array over a lazy.Node: ds.data), numpy's scalars (Bool,
// DType, Python's scalar rules in scalar.go), string and object arrays (strarray.go),
// their member tables (array_members.go, array_py.go, array_index.go: None, masks and
// integer arrays; array_truth.go), numpy's printing (array_format.go), the decoding of
// operands, dtypes and index keys from Python values (pyargs.go), and the numpy module
// itself (numpy.go: registration, the obj.UfuncOverrider dispatch and argument
// decoding; numpy_funcs.go, numpy_reduce.go, numpy_create.go, numpy_shape.go,
// numpy_dtype.go, numpy_order.go).
//
// # How it plugs in
//
// numpy.go registers the module with obj.RegisterModule from init, so importing the
// package (package runtime does) makes `import numpy` work in a cell. A compute started
// from a cell runs on the session's executor (compute_env.go): SessionClient, which
// the dkist face (package runtime) sets to its Client's core, gives the lazy.Client;
// unset, one default client serves every cell. Values that hold a lazy array without
// being one (the dkist Dataset: np.sum(ds)) implement ArrayHolder. The member builders
// every face uses (obj.Attr, obj.Method, obj.ShapeTuple) live in obj; package runtime
// adds the .plot member to ArrayType and LazyArrayType, and NDArray and LazyArray
// implement runtime/plot's Float64Data and FrameData (array_plotdata.go) without this
// package importing the plots.
//
// Calls go cell → member table → lazy graph (runtime/lazy) → compute on the session's
// client; the core knows no Python values, this package is where they are decoded.
package numpy
