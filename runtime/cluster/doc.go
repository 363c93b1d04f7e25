// Package cluster runs gokist's chunk tasks on a dask.distributed cluster: a scheduler
// at an address, one named by a scheduler file, or a LocalCluster it starts. It
// implements runtime/sched.Remote and knows nothing of arrays or files: a pass is a
// shared description and one description per task, as bytes; results come back as
// bytes, and the runtime merges them in a fixed order.
//
// # Design
//
// dask.distributed is the engine beyond one machine: its scheduler, work stealing,
// retries when a worker dies and its cluster managers (LocalCluster, dask-jobqueue,
// dask-gateway) are used through its public Python API (Client, scatter, submit,
// as_completed, cancel, register_worker_plugin), which is stable across versions. The
// kernel therefore runs one `python3` bridge process per cluster client (bridge.py,
// embedded, run with -c), speaking length-prefixed JSON headers and binary frames over
// its stdin and stdout. Reimplementing dask's scheduler protocol in Go would tie gokist
// to msgpack message shapes that change between releases, and would lose the cluster
// managers; one bridge per client costs one Python process in the kernel, only when a
// cluster is used: the in-process default needs nothing of Python.
//
// A task on a worker runs in the gokist binary itself (`gokist task`, or any binary
// whose main serves runtime.ServeTask when GOKIST_CLUSTER_TASK=1, as the test binaries
// do) on the pass and block, so the decoding and reduction code is the very code the kernel
// runs in process: results are bitwise equal. The kernel ships its own executable to
// every worker once, through a worker plugin keyed by the binary's sha256 (present and
// future workers get it; nothing is installed by hand, and workers of another gokist
// version never run the wrong code). A worker needs the same OS and architecture as the
// kernel, and reads the dataset's files by the kernel's paths: workers need the data on
// a shared filesystem, or a copy at the same path.
//
// The plugin also keeps the task servers: a worker runs its tasks in long-lived gokist
// processes (`gokist task` told ServeMagic first), one per task running at once, fed
// pass-and-task frames over a pipe, each answered with a result frame. A process start
// per task cost 67–102 ms; a pipe round trip costs well under a millisecond. A server
// keeps no state between tasks (each builds its graph from the task's description), so
// reusing one changes no result. A server that dies is replaced and its task tried once
// more on the new one (a second death is the task's error); servers end with the
// worker (its plugin's teardown closes their pipes, and a killed worker's pipes close
// with it), and a plugin replaced by a reconnecting kernel ends its idle servers at
// once and its busy ones when their task returns. The runtime gives a task a chunk's
// worth of blocks (a file's rows, which the in-process pool takes as several small
// tasks) and merges each block's partial separately, so grouping changes nothing in the
// results. The per-task cost is measured by the runtime's BenchmarkCluster.
//
// Interrupting a compute cancels its futures; a task already running finishes its
// chunk on its worker (dask cannot stop a running task) and its result is dropped.
package cluster
