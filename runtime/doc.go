// Package runtime is the dkist face of gokist's data model: the names the cell language
// binds for DKIST data (Dataset, dkist, Client, load_dataset), their member tables,
// argument decoding, reprs and plot glue, over the lazy-array core in runtime/lazy. The
// faces of the other Python modules are packages of their own, registered from their
// init (runtime/faces.go links them all): numpy and its ndarray in runtime/numpy (array
// printing in runtime/numpy/arrayprint), astropy.units in runtime/astropy/units,
// astropy.time in runtime/astropy/time, astropy.io.fits in runtime/astropy/iofits,
// astropy.wcs in runtime/astropy/wcs. Plots live in runtime/plot, coordinates in
// runtime/wcs, units in runtime/units, the value protocol shared with lang in obj,
// Python's number formats in pyfmt, the synthetic dataset in runtime/sample, the DKIST
// dataset layer in runtime/dkist.
//
// # Layers
//
// Calls go Python face → DKIST dataset → lazy core (runtime/lazy) → fits; the core
// imports only obj, fits and runtime/sched, takes a context and a Reporter where the
// face has a cell's obj.Env (runtime/numpy's compute_env.go: RunIn, ComputeNode, over
// the session's client, which runtime/distributed gives it through numpy.SessionClient), and
// carries no Python methods: the faces give its values their Python types,
// numpy.NDArray for a lazy.Array (the same memory, so a cell sees one object per
// array), numpy.DType for a lazy.DType, and Client, which embeds the core's
// lazy.Client and attaches its cluster, live dashboard and record of computed arrays
// through lazy.Attachments.
//
//   - Python face (the only layer that knows Python values): the dkist face's member
//     tables and argument decoding (types.go, dataset_py.go, builtins.go, plotting.go,
//     sampledata_py.go: dkist.data.sample; dataset_ops.go, dataset_crop.go: arithmetic,
//     squeeze, crop; headers_table.go: ds.headers as a runtime/table Table; ds.unit in
//     dataset_unit.go), reprs (dataset_repr.go), ds.files' downloads (files_download.go
//     over runtime/dkistnet, dkist.net); the session's Client, LocalCluster, dashboard
//     hookup and task stream in runtime/distributed (dask.distributed's face); the Python
//     modules' faces in the packages named above (each one's doc.go says what it owns). A
//     Dataset is numpy's numpy.ArrayHolder (np.sum(ds)).
//   - DKIST dataset: package runtime/dkist (its doc.go says what it owns and how a
//     load flows: ASDF index → file grid → lazy source → Dataset with its WCS), Go
//     values only: the loader, the ASDF index's file_manager and inventory (a
//     dkist.Record), the views' frames, headers and files, Dataset itself and its WCS
//     binding, VBI's TiledDataset. The face's Dataset embeds the layer's
//     (*dkist.Dataset) and adds the member table, reprs and plots (dataset_py.go
//     datasetFace; a cell holds the *Dataset, so ds2 = ds; ds2 is ds); its
//     TiledDataset holds the tiles' faces, made once (tiled_py.go tiledFace); mapping.go
//     shows a Record as a dict, headers_table.go the header columns as a Table. Still
//     in the face, as they build Python values: ndcube's axis_world_coords
//     (wcs_axiscoords.go) and global_coords (dataset_globalcoords.go). The file grid
//     and its reads are the core's (lazy.FileGrid, lazy.SourceNode): the executor
//     evaluates and the cluster wire sends them.
//   - Lazy-array core: package runtime/lazy (its doc.go says what it owns and how a
//     compute flows through it).
//
// # How a compute flows
//
// Indexing, arithmetic, reductions and rebin build a graph of nodes and read nothing:
// `ds[0, 520:720].data.sum(axis=(0, 2))` is a reduce node over an index-composed
// lazy.SourceNode. compute() runs the graph in passes (runtime/lazy/compute.go):
//
//  1. materialize: every reduction below the root (a barrier: it needs all of its input
//     before any output) is computed first into an in-memory array, bottom-up, so that
//     what remains is blockwise. Walks go through Node.Inputs and WithInputs; a node
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
