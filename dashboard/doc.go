// Package dashboard owns gokist's live dashboard, as dask's: an HTTP server in the kernel
// that shows a client's computes while they run. Pages: status (a task stream with one
// row per worker thread and a bar per task coloured by operation, and a progress bar per
// running pass with tasks done / total, bytes read, elapsed and estimated time), workers
// (tasks per second, how busy, CPU and memory per worker) and memory (the session's
// limit, the chunk cache, the process). Browsers get live updates as server-sent events.
//
// Feeding: the runtime tells the dashboard of every pass and task through
// runtime/sched.Monitor (the hub, hub.go), which only counts and keeps a ring of recent
// tasks under one short lock. Each event stream samples the hub on its own goroutine a
// few times a second, so a slow or vanished browser costs the compute nothing: it holds
// no lock while it writes, and a write that stalls past a deadline drops the stream.
//
// Security: the server listens on 127.0.0.1 on a free port unless Client(dashboard_address=)
// says otherwise, and every request must carry the session's random token (in the link's
// query, then a cookie), as Jupyter's servers do, on any address: on a shared machine
// other users reach 127.0.0.1 too. All assets are embedded (go:embed); the pages load
// nothing from elsewhere. Unknown paths are 404, other methods 405, and the number of
// event streams and connections is bounded.
//
// The package registers itself with the runtime (distributed.RegisterDashboard) from its
// init, so the runtime never imports it; the command imports it for that effect.
package dashboard
