// Package runtime owns gokist's lazy data model: Dataset, LazyArray and Array, the
// parallel chunk executor and its Client, rebinning, and the names the cell language
// binds (Dataset, dkist, Client). Plots live in runtime/plot, coordinates in runtime/wcs,
// units in runtime/units, the value protocol shared with lang in obj, Python's number
// formats in pyfmt, the synthetic dataset in runtime/sample.
//
// # Layers
//
// The package holds three layers, which the "layers" issue moves into packages of their
// own. The files keep to one layer each and calls point down, except where the move
// still has work to do: Array and DType carry their Python methods (a method must live
// in its type's package, so the face will need wrapper types), the dataset layer takes
// the session's obj.Env for its warnings, binaryOp (array.go) decodes its Python
// operand, and errors everywhere are obj.Errors of Python's classes.
//
//   - Python face (the only layer that knows Python values): member tables and
//     argument decoding (types.go, array_py.go, dataset_py.go, pyargs.go, client.go,
//     client_dashboard.go, builtins.go, plotting.go, dtype_value.go, npbool.go,
//     array_truth.go, sampledata_py.go: dkist.data.sample; dataset_ops.go,
//     dataset_crop.go: arithmetic, squeeze, crop; headers_table.go: ds.headers as a
//     runtime/table Table), the numpy module (numpy.go: registration, the
//     obj.UfuncOverrider dispatch and argument decoding; numpy_funcs.go, numpy_reduce.go,
//     numpy_create.go, numpy_shape.go, numpy_dtype.go, numpy_order.go), astropy's units,
//     Quantity and constants over runtime/units (quantity*.go; ds.unit in
//     dataset_unit.go), astropy.time (time_*.go, timedelta_py.go) and astropy.io.fits
//     (fits*_py.go), reprs (array_format.go, dataset_repr.go, taskstream.go,
//     quantity_repr.go), Python scalar rules (scalar.go).
//   - DKIST dataset: the loader (loader.go: LoadDataset and assembly; the header scan
//     and SPEC-214 keys in loader_headers.go, placement on the file grid in
//     loader_grid.go, the ASDF index's file_manager in asdfindex.go), the file grid and
//     its reads (source.go), the views' frames, headers and files (frames.go), Dataset
//     itself and its WCS binding (dataset.go).
//   - Lazy-array core: the in-memory Array (array.go), the graph (node.go, graph.go),
//     its typed API (lazy.go: Lazy with Index, Reduce, Rebin, Compute), elementwise
//     operations and their dtypes (array.go, dtype.go), numpy basic indexing
//     (index.go; None, masks and integer arrays in array_index.go), the shape and
//     np.where nodes (array_nodes.go), reductions (reduce.go, reduceops.go), rebin (rebin.go), and the
//     executor: planning (plan.go), scheduling (scheduler.go over runtime/sched's
//     Executor interface and Local pool), the compute passes (compute.go), its configuration (executor.go:
//     Client), the chunk cache (cache.go) and memory checks (mem.go). On a dask
//     cluster (a Client given an address, a scheduler file or a LocalCluster:
//     client_cluster.go, localcluster.go) a pass travels as data (cluster_wire.go) to
//     runtime/cluster, workers run its blocks with ServeTask (cluster_task.go), and the
//     kernel merges the results in block order (cluster_pass.go).
//
// # How a compute flows
//
// Indexing, arithmetic, reductions and rebin build a graph of nodes and read nothing:
// `ds[0, 520:720].data.sum(axis=(0, 2))` is a reduceNode over an indexNode-composed
// sourceNode. compute() runs the graph in passes (compute.go):
//
//  1. materialize: every reduction below the root (a barrier: it needs all of its input
//     before any output) is computed first into an in-memory array, bottom-up, so that
//     what remains is blockwise. Walks go through node.inputs and withInputs; a node
//     kind a walk does not know panics and becomes an internal error naming it.
//  2. plan: the output (or the reduction's input) is cut into task blocks along the
//     nodes' preferred cuts (one file per chunk), then into pieces of at most
//     PlanConfig.MaxBlockElems elements and of a few rows of a file (plan.go).
//  3. schedule: the client's Executor runs one task per block (scheduler.go; the
//     local pool, runtime/sched.Local: one goroutine per worker thread, tasks taken in
//     order, the first error or an interrupt stops the rest, nothing outlives the
//     pass), reporting progress every 100 ms, recording the task stream, and telling
//     the client's live dashboard, when one runs, of the pass and each task
//     (scheduler_monitor.go, runtime/sched.Monitor; package dashboard serves it and
//     registers itself through RegisterDashboard, so the runtime does not import it).
//  4. evaluate: a task asks the root node for its block; each node pulls the matching
//     blocks of its inputs (index → elementwise → rebin fuse into one pass over each
//     chunk, reading each byte once), float32 all the way where the data is float32,
//     down to the sourceNode, which reads only the rows or tiles of the files the block
//     touches.
//  5. reduce: a reduction folds each block with its operation's chunk step into one
//     total, in block order wherever blocks' output boxes meet (fold_order.go: a block
//     one position deep on the reduced axes straight into the total, others through a
//     partial merged with the combine step), so the bits are the same on every run,
//     with any number of workers and on a dask cluster, whose partials the kernel
//     merges in block order; the finish step turns the total into values
//     (reduceops.go).
//
// Before a pass allocates its output, the memory it needs is checked against the
// client's memory limit and the memory free (mem.go): an over-limit compute is a
// MemoryError before anything is allocated. While computes run, GOGC is lowered so the
// decoding garbage does not double the peak. Plots read through the chunk cache so that
// redrawing the same slice reads nothing; compute() streams and keeps nothing.
package runtime
