// Package memlimit owns what a kernel may use of the machine it runs on: the memory
// (the machine's, from /proc/meminfo; the memory cgroup's limit, v1 or v2, of the
// process's cgroup and its ancestors; GOKIST_MEMORY_LIMIT; the address-space and data
// ulimits) and the CPUs (the cgroup's CPU quota, GOKIST_WORKERS), and byte sizes as dask
// writes and reads them ("4GB", "15.62 MiB"). It knows nothing of arrays: the lazy core
// (runtime/lazy) sizes its client and checks each compute against it, the Python face
// parses Client(memory_limit=…) with it, and cmd/gokist applies the limits to the Go
// runtime at a kernel's start.
//
// A System is the machine the limits are read from: the zero System is this one (files
// under "/", the process's own ulimits); tests give a System over a fake /proc and
// /sys/fs/cgroup tree instead of changing package state. The package-level functions
// (TotalMemory, DefaultWorkers, ApplyKernelLimits) read this machine.
package memlimit
