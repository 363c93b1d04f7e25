package lang

import (
	"regexp"
	"strings"
	"testing"

	"gokist/internal/dasktest"
	"gokist/runtime/cluster"
)

// TestLocalClusterFromACell runs the tutorial's dask cells against a real LocalCluster
// started from a cell: the Client's repr names the cluster as dask's does, the sum of
// the real dkist test files is numpy's and bitwise the in-kernel one (a float's repr
// round-trips), the task stream shows the cluster's workers, and after client.close()
// and cluster.close() Client() computes in the kernel again.
func TestLocalClusterFromACell(t *testing.T) {
	t.Setenv(cluster.PythonEnv, dasktest.Python)
	ref := numpyReference(t)
	s := NewSession()
	out := &recorder{}
	run(t, s, out, "import dkist\nfrom dask.distributed import Client, LocalCluster")
	run(t, s, out, "ds = dkist.Dataset.from_directory('"+smallVISP+"')")
	inKernel := run(t, s, out, "ds.data.sum().compute()")
	run(t, s, out, "cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True)\nclient = Client(cluster)")
	defer run(t, s, out, "cluster.close()")
	repr := run(t, s, out, "client")
	if !regexp.MustCompile(`^<Client: 'tcp://127\.0\.0\.1:\d+' processes=2 threads=2, memory=[\d.]+ [KMGT]?i?B>$`).MatchString(repr) {
		t.Errorf("repr(client) = %q", repr)
	}
	onCluster := run(t, s, out, "ds.data.sum().compute()")
	if onCluster != inKernel || !near(resultFloat(t, s, out, "ds.data.sum().compute()"), ref["total"].(float64)) {
		t.Errorf("sum on the cluster %s, in the kernel %s, numpy %v", onCluster, inKernel, ref["total"])
	}
	// Every task ran on one of the cluster's workers, named by its address.
	workers := run(t, s, out, "sorted(set(w for w, _, _, _ in client.task_stream.tasks))")
	if !regexp.MustCompile(`^\['tcp://127\.0\.0\.1:\d+'(, 'tcp://127\.0\.0\.1:\d+')?\]$`).MatchString(workers) {
		t.Errorf("the task stream's workers are %s, want the cluster's addresses", workers)
	}
	run(t, s, out, "client.close()\ncluster.close()")
	run(t, s, out, "client = Client()")
	if got := run(t, s, out, "ds.data.sum().compute()"); got != inKernel {
		t.Errorf("back in the kernel: %s, before %s", got, inKernel)
	}
	if got := run(t, s, out, "client"); strings.Contains(got, "tcp://") {
		t.Errorf("Client() after the cluster: %s", got)
	}
}
