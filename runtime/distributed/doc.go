// Package distributed is dask.distributed's face in gokist: the session's Client (the
// executor a cell computes through, a "client" session service: workers, memory limit,
// chunk cache and the lazy core's configuration, client.go), a dask cluster it may run
// on instead (Client("tcp://…") and LocalCluster, client_cluster.go and localcluster.go,
// over runtime/cluster), its live dashboard (client_dashboard.go: package dashboard
// registers itself through RegisterDashboard, so neither imports the other), the task
// stream of the last compute (taskstream.go) and the record of computed arrays the
// dashboard's memory page shows (arrays_live.go).
//
// numpy's computes reach the session's client through numpy.SessionClient, which this
// package sets (ClientOf); the dkist face (package runtime) binds Client and
// LocalCluster as dask.distributed's names.
package distributed
