// Package lazy is gokist's lazy-array core: typed Go values only, no Python. It owns the
// in-memory Array (shape, dtype, float64 or float32 values), the dtypes and numpy's
// promotion rules (dtype.go), the graph of lazy operations (Node: node.go, the shape and
// np.where nodes in array_nodes.go, the walks in graph.go), the typed API over it (Lazy:
// Index, Reduce, Rebin, Compute in lazy.go), numpy basic indexing (index.go), reductions
// as typed operations carrying their chunk, combine and finish steps (reduce.go,
// reduceops.go), rebin (rebin.go), the leaf that reads a grid of FITS files (source.go:
// FileGrid, SourceNode), and the executor: its configuration (Client, executor.go),
// planning (plan.go), scheduling over runtime/sched (scheduler.go, scheduler_monitor.go),
// the compute passes (compute.go), the chunk cache (cache.go), memory checks (mem.go,
// against the limits runtime/memlimit reads of the client's Machine) and the seam a
// cluster plugs into (remote.go: Remote, ComputeBlock, RemotePass; runtime/lazy/wire
// implements it for dask).
//
// Layers: the Python face (package runtime) decodes a cell's values and builds graphs
// here; the DKIST dataset builds FileGrids from a directory's files; this package
// imports only obj (errors of Python's classes, obj.Progress), fits, runtime/sched and
// runtime/memlimit (what the machine, its cgroup and the kernel's share allow).
// What a session attaches to a compute, a cluster, a live dashboard, a record of the
// arrays computed, comes in through the Attachments interface; progress and warnings go
// out through a Reporter; a context stops it.
//
// # How a compute flows
//
// Indexing, arithmetic, reductions and rebin build a graph of nodes and read nothing.
// Compute runs the graph in passes (compute.go):
//
//  1. materialize: every reduction below the root (a barrier: it needs all of its input
//     before any output) is computed first into an in-memory array, bottom-up, so that
//     what remains is blockwise. Walks go through Node.Inputs and WithInputs; a node
//     kind a walk does not know panics and becomes an internal error naming it.
//  2. plan: the output (or the reduction's input) is cut into task blocks along the
//     nodes' preferred cuts (one file per chunk), then into pieces of at most
//     PlanConfig.MaxBlockElems elements and of a few rows of a file (plan.go).
//  3. schedule: the client's Executor runs one task per block (scheduler.go; the local
//     pool is runtime/sched.Local), reporting progress every 100 ms, recording the task
//     stream and telling the attached monitor, when there is one, of the pass and each
//     task (scheduler_monitor.go). On a dask cluster (Attachments.RemoteExecutor) the
//     pass goes to the Remote (runtime/lazy/wire): it travels as data through
//     runtime/cluster, workers compute its blocks with ComputeBlock, and the kernel
//     merges the results in block order.
//  4. evaluate: a task asks the root node for its block; each node pulls the matching
//     blocks of its inputs (index → elementwise → rebin fuse into one pass over each
//     chunk, reading each byte once), float32 all the way where the data is float32,
//     down to the SourceNode, which reads only the rows or tiles of the files the block
//     touches.
//  5. reduce: a reduction folds each block with its operation's chunk step into partial
//     state, merges partials with the combine step in block order (the same bits on
//     every run and on a cluster) and turns the total into values with the finish step.
//
// Before a pass allocates its output, the memory it needs is checked against the
// client's memory limit and the memory free on its Machine (mem.go): an over-limit
// compute is a MemoryError before anything is allocated. While computes run, GOGC is lowered so the
// decoding garbage does not double the peak.
package lazy
