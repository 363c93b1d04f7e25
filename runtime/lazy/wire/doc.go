// Package wire is how a lazy compute's passes travel to a dask cluster's workers and
// come back (runtime/cluster carries the bytes). A closure cannot travel, so a pass is
// described as data: the graph below the pass's root, node by node (wire.go: Graph,
// encoded once per pass; a node kind the encoder does not know is an error naming it),
// and each task's consecutive blocks (Task).
//
// On a worker, ServeTask (task.go) decodes the pass, checks every field, and computes
// each block with the same code the kernel's in-process executor runs
// (lazy.ComputeBlock), sending back the values or the reduction's partial (Result).
// In the kernel, Cluster (pass.go) is the lazy.Remote a session's client computes
// through when it is attached to a cluster: it groups the blocks into tasks (a chunk's
// worth each), hands them to a sched.Remote, keeps progress and the task stream through
// a lazy.RemotePass and merges the partials in block order (partialMerger), so that the
// cluster gives the same bits as the kernel.
//
// It imports runtime/lazy; lazy does not import it (the face attaches it: wire.On).
package wire
