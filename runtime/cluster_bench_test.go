package runtime

import (
	"context"
	"encoding/json"
	"gokist/runtime/distributed"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"path/filepath"
	"testing"
	"time"

	"gokist/internal/dasktest"
	"gokist/internal/testproc"
	"gokist/obj"
	"gokist/runtime/cluster"
)

// daskClusterRefPy times dask's own graph for the same reduction (numpy chunks from
// astropy reads, one per file, as dkist builds its arrays) on the same cluster: the
// median of three computes, in seconds.
const daskClusterRefPy = `
import sys, os, glob, json, time
import numpy as np
import dask, dask.array as da
from astropy.io import fits
from distributed import Client
addr, d, op = sys.argv[1], sys.argv[2], sys.argv[3]
client = Client(addr, timeout=30)
files = sorted(glob.glob(os.path.join(d, "*.fits")))
shape = fits.getdata(files[0], 1).shape
dtype = np.float32
def load(f):
    return fits.getdata(f, 1)
arr = da.stack([da.from_delayed(dask.delayed(load)(f), shape, dtype) for f in files])[:, 0]
R, W, X = arr.shape
if op == "sum":
    x = arr.astype(np.float64).sum()
elif op == "spectrum":
    x = arr.astype(np.float64).sum(axis=(0, 2))
elif op == "rebin":
    x = arr.reshape(R, W // 4, 4, X // 5, 5).mean(axis=(2, 4))
times = []
for _ in range(3):
    t = time.perf_counter()
    x.compute()
    times.append(time.perf_counter() - t)
client.close()
print(json.dumps(sorted(times)[1]))
`

// BenchmarkCluster measures, on one two-worker local dask cluster (one thread each):
// gokist's cluster path against its in-process executor (2 workers), per task and in
// total, with the workers' long-lived task servers and (the metrics ending in
// "-process-per-task") with a process per task as before them; gokist's tasks against
// dask's own numpy tasks for the same reductions; and how long an interrupt takes to
// stop a cluster compute. Run it alone, e.g.
// go test ./runtime -run '^$' -bench BenchmarkCluster -benchtime 1x.
func BenchmarkCluster(b *testing.B) {
	b.Setenv(cluster.PythonEnv, dasktest.Python)
	dir := filepath.Join(b.TempDir(), "ds")
	R, W, X := 40, 100, 500
	runPython(b, writeDatasetPy, map[string]any{"dir": dir, "dtype": "float32", "compress": true, "shape": []int{1, R, W, X}}, nil)
	ds, err := LoadDatasetEnv(testEnv(), dir)
	if err != nil {
		b.Fatal(err)
	}
	dc := dasktest.Start(b, 2, 20*time.Minute)
	remote, err := distributed.ConnectClient(dc.Address, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer remote.CloseCluster()
	conn, err := cluster.Connect(dc.Address, "", cluster.Options{ProcessPerTask: true})
	if err != nil {
		b.Fatal(err)
	}
	perTask := distributed.NewClusterClient(conn, true)
	defer perTask.CloseCluster()
	local := distributed.NewClient(2, 1, 0)
	I := lazy.Lazy{N: ds.Node}.Index([]lazy.Pick{lazy.At(0), lazy.Span(0, R), lazy.Span(0, W), lazy.Span(0, X)})
	ops := []struct {
		name string
		l    lazy.Lazy
	}{
		{"sum", I.Reduce(lazy.Sum, []int{0, 1, 2}, false)},
		{"spectrum", I.Reduce(lazy.Sum, []int{0, 2}, false)},
		{"rebin", I.Rebin([]int{1, 4, 5}, lazy.RebinMean).Reduce(lazy.Mean, []int{0}, false)},
	}
	for _, op := range ops {
		b.Run(op.name, func(b *testing.B) {
			var inProc, onCluster, onClusterPerTask []float64
			tasks := 0
			for range b.N {
				inProc = append(inProc, timeCompute(b, op.l, local))
				onCluster = append(onCluster, timeCompute(b, op.l, remote))
				onClusterPerTask = append(onClusterPerTask, timeCompute(b, op.l, perTask))
				tasks = len(remote.Tasks())
			}
			out := testproc.Run(b, testproc.Cmd{Name: dasktest.Python, Timeout: 10 * time.Minute,
				Args: []string{"-c", daskClusterRefPy, dc.Address, dir, op.name}})
			var dask float64
			if err := json.Unmarshal(out, &dask); err != nil {
				b.Fatalf("dask reference %q: %v", out, err)
			}
			c, p := medianOf(onCluster), medianOf(inProc)
			b.ReportMetric(c/p, "cluster/in-process")
			b.ReportMetric(c/dask, "gokist/dask-on-cluster")
			b.ReportMetric(1000*(c-p)/float64(max(1, tasks)), "overhead-ms/task")
			b.ReportMetric(float64(tasks), "cluster-tasks")
			c1 := medianOf(onClusterPerTask)
			b.ReportMetric(c1/p, "cluster/in-process-process-per-task")
			b.ReportMetric(c1/dask, "gokist/dask-on-cluster-process-per-task")
			b.ReportMetric(1000*(c1-p)/float64(max(1, tasks)), "overhead-ms/task-process-per-task")
		})
	}
	b.Run("interrupt", func(b *testing.B) {
		var lat []float64
		for range b.N {
			ctx, cancel := context.WithCancel(context.Background())
			var cancelled time.Time
			env := &obj.Env{Ctx: ctx, Services: map[string]any{"client": remote}, Out: progressFunc(func(p obj.Progress) {
				if p.Done >= 1 && cancelled.IsZero() {
					cancelled = time.Now()
					cancel()
				}
			})}
			_, err := numpy.ComputeNode(env, ops[0].l.N)
			if cancelled.IsZero() {
				b.Fatalf("the compute ended (%v) before it could be interrupted", err)
			}
			lat = append(lat, time.Since(cancelled).Seconds())
			cancel()
		}
		b.ReportMetric(1000*medianOf(lat), "interrupt-ms")
	})
}

// timeCompute is the seconds one compute of l on c takes.
func timeCompute(b *testing.B, l lazy.Lazy, c *distributed.Client) float64 {
	t := time.Now()
	if _, err := l.Compute(context.Background(), c.Client); err != nil {
		b.Fatal(err)
	}
	return time.Since(t).Seconds()
}
