package runtime

import (
	"context"
	"fmt"
	"gokist/runtime/distributed"
	"gokist/runtime/lazy"
	"gokist/runtime/memlimit"
	"gokist/runtime/numpy"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gokist/internal/dasktest"
	"gokist/obj"
	"gokist/runtime/cluster"
)

// The cluster tests start a real dask scheduler and two workers (Debian's
// python3-distributed) once per test, and compute the same graphs in process and on the
// cluster: the results must be the same bits, and the scheduler and the task stream
// must show that the workers ran the tasks. The workers run this test binary (TestMain
// serves ServeTask when TaskEnv is set), shipped to them by the cluster's plugin.

// clusterDataset writes a small RICE-compressed float32 VISP-like dataset and gives its
// directory, loaded, and numpy's reference values of cases over its data d.
func clusterDataset(t *testing.T, cases map[string]string) (*Dataset, map[string]pyResult) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ds")
	var ref map[string]pyResult
	runPython(t, writeDatasetPy, map[string]any{"dir": dir, "dtype": "float32", "compress": true,
		"shape": []int{2, 6, 12, 40}, "nans": [][]int{{1, 2, 3, 4}}, "cases": cases}, &ref)
	ds, err := LoadDatasetEnv(testEnv(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return ds, ref
}

// connectTestCluster connects a client to dc whose plan cuts each file into several
// tasks, as plan does for large files.
func connectTestCluster(t *testing.T, dc *dasktest.Cluster) *distributed.Client {
	t.Helper()
	c, err := distributed.ConnectClient(dc.Address, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseCluster)
	c.Plan.MaxBlockElems = 200
	return c
}

func clusterEnv(c *distributed.Client) *obj.Env {
	return &obj.Env{Ctx: context.Background(), Out: obj.Discard{}, Services: map[string]any{"client": c}}
}

// sameBits compares two arrays bit for bit (NaNs included): got, on the cluster or
// another executor, with want, in process.
func sameBits(t *testing.T, what string, got, want *lazy.Array) {
	t.Helper()
	if !slices.Equal(got.Dims, want.Dims) || got.DT != want.DT {
		t.Errorf("%s: %v %v, against %v %v", what, got.Dims, got.DT, want.Dims, want.DT)
		return
	}
	g, w := got.Floats(), want.Floats()
	for i := range w {
		if math.Float64bits(g[i]) != math.Float64bits(w[i]) {
			t.Errorf("%s: element %d is %v (%#x), against %v (%#x)", what, i, g[i], math.Float64bits(g[i]), w[i], math.Float64bits(w[i]))
			return
		}
	}
}

// closeTo checks an array against numpy's values within a relative tolerance.
func closeTo(t *testing.T, what string, got *lazy.Array, ref pyResult, rel float64) {
	t.Helper()
	vals := got.Floats()
	if len(vals) != len(ref.Values) {
		t.Errorf("%s: %d values, numpy has %d", what, len(vals), len(ref.Values))
		return
	}
	for i, r := range ref.Values {
		if r == nil {
			if !math.IsNaN(vals[i]) {
				t.Errorf("%s[%d] = %v, numpy nan", what, i, vals[i])
			}
			continue
		}
		if math.Abs(vals[i]-*r) > rel*math.Abs(*r)+1e-12 {
			t.Errorf("%s[%d] = %v, numpy %v", what, i, vals[i], *r)
			return
		}
	}
}

func TestClusterComputesTheSameBitsOnTheWorkers(t *testing.T) {
	t.Setenv(cluster.PythonEnv, dasktest.Python)
	cases := map[string]string{
		"nansum": "np.nansum(d.astype(np.float64))", "nanmean_02": "np.nanmean(d.astype(np.float64), axis=(0, 2))",
		"min": "np.nanmin(d, axis=3)", "max": "np.nanmax(d)", "std": "np.nanstd(d.astype(np.float64))",
		"rebin": "d[0].astype(np.float64).reshape(6, 6, 2, 5, 8).mean(axis=(2, 4))",
	}
	ds, ref := clusterDataset(t, cases)
	dc := dasktest.Start(t, 2, 4*time.Minute)
	remote := connectTestCluster(t, dc)
	local := distributed.NewClient(2, 1, 0)
	local.Plan.MaxBlockElems = 200
	data := lazy.Lazy{N: ds.Node}
	graphs := []struct {
		name string
		l    lazy.Lazy
	}{
		{"nansum", data.Reduce(lazy.Sum, []int{0, 1, 2, 3}, true)},
		{"nanmean_02", data.Reduce(lazy.Mean, []int{0, 2}, true)},
		{"min", data.Reduce(lazy.Min, []int{3}, true)},
		{"max", data.Reduce(lazy.Max, []int{0, 1, 2, 3}, true)},
		{"std", data.Reduce(lazy.Std, []int{0, 1, 2, 3}, true)},
		{"rebin", data.Index([]lazy.Pick{lazy.At(0), lazy.Span(0, 6), lazy.Span(0, 12), lazy.Span(0, 40)}).Rebin([]int{1, 2, 8}, lazy.RebinMean)},
		{"sum of a sum", data.Reduce(lazy.Sum, []int{3}, false).Reduce(lazy.Sum, []int{0, 1, 2}, true)},
	}
	ctx := context.Background()
	tasks := 0
	hosts := map[string]bool{}
	for _, g := range graphs {
		want, err := g.l.Compute(ctx, local.Client)
		if err != nil {
			t.Fatalf("%s in process: %v", g.name, err)
		}
		got, err := g.l.Compute(ctx, remote.Client)
		if err != nil {
			t.Fatalf("%s on the cluster: %v", g.name, err)
		}
		sameBits(t, g.name, got, want)
		if r, ok := ref[g.name]; ok {
			closeTo(t, g.name, got, r, 1e-5)
		}
		tasks += checkRanOnWorkers(t, g.name, remote, dc)
		for _, r := range remote.Tasks() {
			hosts[r.Host] = true
		}
	}
	if len(hosts) != 2 {
		t.Errorf("tasks ran on %v, want both workers", hosts)
	}
	// A plot's data: an image of the dataset, through the plots' compute.
	img := datasetAt(t, testEnv(), ds, obj.Tuple{0, 2})
	want, _, err := img.Float64s(clusterEnv(local))
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := img.Float64s(clusterEnv(remote))
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "image", lazy.NewArray(got, []int{len(got)}, lazy.Float64), lazy.NewArray(want, []int{len(want)}, lazy.Float64))
	tasks += checkRanOnWorkers(t, "image", remote, dc)
	// The scheduler's own count of gokist tasks its workers finished.
	done := 0
	for prefix, n := range dc.FinishedByPrefix(t) {
		if strings.HasPrefix(prefix, "gokist-") {
			done += n
		}
	}
	if done != tasks {
		t.Errorf("the scheduler counts %d gokist tasks finished, the task streams %d", done, tasks)
	}
}

// Reductions with outputs of 65536 elements or more (mean(axis=0) of a cube, whose
// blocks fold straight into the total in process) give the same bits on the cluster,
// whose tasks send partials the kernel merges in block order.
func TestClusterLargeOutputReductionsSameBits(t *testing.T) {
	t.Setenv(cluster.PythonEnv, dasktest.Python)
	ds, ref := largeOutputDataset(t)
	dc := dasktest.Start(t, 2, 4*time.Minute)
	remote, err := distributed.ConnectClient(dc.Address, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(remote.CloseCluster)
	local := distributed.NewClient(2, 1, 0)
	ctx := context.Background()
	for _, c := range largeOutputCases {
		l := lazy.Lazy{N: ds.Node}.Reduce(c.op, c.axes, c.nan)
		want, err := l.Compute(ctx, local.Client)
		if err != nil {
			t.Fatalf("%s in process: %v", c.name, err)
		}
		got, err := l.Compute(ctx, remote.Client)
		if err != nil {
			t.Fatalf("%s on the cluster: %v", c.name, err)
		}
		sameBits(t, c.name+" on the cluster against in process", got, want)
		closeTo(t, c.name, got, ref[c.name], 1e-5)
		checkRanOnWorkers(t, c.name, remote, dc)
	}
}

// checkRanOnWorkers checks that every task of the client's last compute ran on one of
// dc's worker processes (address and pid), and gives their number.
func checkRanOnWorkers(t *testing.T, what string, c *distributed.Client, dc *dasktest.Cluster) int {
	t.Helper()
	pids := map[string]int{}
	for _, w := range dc.Workers {
		pids[w.Address] = w.Proc.Pid()
	}
	recs := c.Tasks()
	if len(recs) == 0 {
		t.Errorf("%s: no task in the task stream", what)
	}
	for _, r := range recs {
		if pid, ok := pids[r.Host]; !ok || pid != r.Pid || r.End < r.Start {
			t.Errorf("%s: task %q ran on %q pid %d (%v…%v), not on a worker of %v", what, r.Label, r.Host, r.Pid, r.Start, r.End, pids)
			break
		}
	}
	return len(recs)
}

// TestClusterFaults: a worker killed mid-compute (dask reruns its tasks on the other
// and the result is exact), a corrupt file (the in-process error, naming the file),
// interrupt (Interrupted, the cluster's futures cancelled, the next compute runs), and
// the scheduler gone (an error naming its address; the in-process client still works).
func TestClusterFaults(t *testing.T) {
	t.Setenv(cluster.PythonEnv, dasktest.Python)
	ds, _ := clusterDataset(t, map[string]string{})
	dc := dasktest.Start(t, 2, 4*time.Minute)
	remote := connectTestCluster(t, dc)
	remote.Plan.MaxBlockElems = 200 // 3 tasks per file
	local := distributed.NewClient(2, 1, 0)
	local.Plan.MaxBlockElems = 200
	ctx := context.Background()
	sum := lazy.Lazy{N: ds.Node}.Reduce(lazy.Sum, []int{0, 1, 2, 3}, true)
	want, err := sum.Compute(ctx, local.Client)
	if err != nil {
		t.Fatal(err)
	}

	phase := time.Now()
	logPhase := func(what string) {
		t.Logf("%s: %v", what, time.Since(phase).Round(time.Millisecond))
		phase = time.Now()
	}
	// Kill a worker once the compute is under way.
	victim := dc.Workers[1]
	var started int
	env := clusterEnv(remote)
	env.Out = progressFunc(func(p obj.Progress) {
		if started == 0 && p.Done >= 3 {
			started = p.Done
			victim.Proc.Stop()
		}
	})
	got, err := numpy.ComputeNode(env, sum.N)
	if err != nil {
		t.Fatalf("with a worker killed after %d tasks: %v", started, err)
	}
	if started == 0 {
		t.Fatal("the worker was never killed")
	}
	sameBits(t, "sum with a worker killed", got, want)
	logPhase("worker killed")

	// A corrupt file: the error the in-process run raises, naming the file.
	bad := ds.Node.(*lazy.SourceNode).Src.Files[9] // stokes 1: the graphs below read stokes 0 only
	if err := os.WriteFile(bad, []byte("SIMPLE  =                    T / not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errLocal := sum.Compute(ctx, local.Client)
	_, errRemote := sum.Compute(ctx, remote.Client)
	wantErr(t, "corrupt file on the cluster", errRemote, obj.FITSError, bad)
	if errLocal == nil || errRemote == nil || errLocal.Error() != errRemote.Error() {
		t.Errorf("corrupt file: %v on the cluster, %v in process", errRemote, errLocal)
	}

	logPhase("corrupt file")
	// Interrupt: cancel after the first tasks; the next compute works.
	ok := lazy.Lazy{N: ds.Node}.Index([]lazy.Pick{lazy.At(0), lazy.Span(0, 6), lazy.Span(0, 12), lazy.Span(0, 40)}).Reduce(lazy.Max, []int{0, 1, 2}, false)
	cctx, cancel := context.WithCancel(ctx)
	ienv := &obj.Env{Ctx: cctx, Services: map[string]any{"client": remote}, Out: progressFunc(func(p obj.Progress) {
		if p.Done >= 1 {
			cancel()
		}
	})}
	t0 := time.Now()
	_, err = numpy.ComputeNode(ienv, sum.N)
	wantErr(t, "interrupted", err, obj.Interrupted, "interrupted")
	if d := time.Since(t0); d > 30*time.Second {
		t.Errorf("the interrupt took %v", d)
	}
	if _, err := ok.Compute(ctx, remote.Client); err != nil {
		t.Fatalf("after the interrupt: %v", err)
	}

	logPhase("interrupt")
	// The scheduler gone.
	dc.Scheduler.Stop()
	_, err = ok.Compute(ctx, remote.Client)
	wantErr(t, "scheduler stopped", err, "OSError", dc.Address)
	logPhase("scheduler stopped")
	if _, err := ok.Compute(ctx, local.Client); err != nil {
		t.Errorf("in process after the scheduler stopped: %v", err)
	}
	remote.CloseCluster()
	logPhase("close")
}

// progressOut is an obj.Output that hands progress reports to a function.
type progressOut struct {
	obj.Discard
	f func(obj.Progress)
}

func (o progressOut) Progress(p obj.Progress) { o.f(p) }

func progressFunc(f func(obj.Progress)) obj.Output { return progressOut{f: f} }

// TestLocalClusterStartsWorkerProcesses: LocalCluster(n_workers=2) starts a real dask
// scheduler and two worker processes; Client(cluster) computes on them (the task
// stream's pids are the workers'), bitwise as in process; the reprs show the cluster as
// dask's do; cluster.close() ends the processes.
func TestLocalClusterStartsWorkerProcesses(t *testing.T) {
	t.Setenv(cluster.PythonEnv, dasktest.Python)
	ds, _ := clusterDataset(t, map[string]string{})
	env := testEnv()
	v, err := distributed.NewLocalClusterFunc().Call(env, obj.Args{Kw: map[string]any{"n_workers": 2, "threads_per_worker": 1, "processes": true}})
	if err != nil {
		t.Fatal(err)
	}
	lc := v.(*distributed.LocalCluster)
	defer lc.Close()
	cv, err := distributed.NewClientFunc().Call(env, obj.Args{Pos: []any{lc}})
	if err != nil {
		t.Fatal(err)
	}
	c := cv.(*distributed.Client)
	if distributed.ClientOf(env) != c {
		t.Error("Client(cluster) is not the session's client")
	}
	info := lc.Connection().LastInfo()
	if len(info.Workers) != 2 || !strings.HasPrefix(lc.Address, "tcp://127.0.0.1:") {
		t.Fatalf("cluster %+v", info)
	}
	wantRepr := fmt.Sprintf("<Client: '%s' processes=2 threads=2, memory=%s>", lc.Address, memlimit.HumanBytes(info.Memory()))
	if got := c.String(); got != wantRepr {
		t.Errorf("repr %q, want %q", got, wantRepr)
	}
	if got := lc.String(); !strings.HasPrefix(got, "LocalCluster('"+lc.Address+"', workers=2, threads=2") {
		t.Errorf("LocalCluster repr %q", got)
	}
	pids := map[int]bool{}
	for _, w := range info.Workers {
		pids[w.Pid] = true
		if !processAlive(w.Pid) {
			t.Errorf("worker %s: no process %d", w.Address, w.Pid)
		}
	}
	sum := lazy.Lazy{N: ds.Node}.Reduce(lazy.Mean, []int{1, 3}, true)
	got, err := numpy.ComputeNode(env, sum.N)
	if err != nil {
		t.Fatal(err)
	}
	want, err := sum.Compute(context.Background(), distributed.NewClient(2, 1, 0).Client)
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "mean on a LocalCluster", got, want)
	for _, r := range c.Tasks() {
		if !pids[r.Pid] {
			t.Fatalf("task %q ran in process %d, not a worker of %v", r.Label, r.Pid, pids)
		}
	}
	// client.close() leaves the cluster to cluster.close(), which ends its processes.
	c.CloseCluster()
	if !processAlive(info.Workers[0].Pid) {
		t.Error("client.close() stopped the LocalCluster's workers")
	}
	lc.Close()
	deadline := time.Now().Add(30 * time.Second)
	for pid := range pids {
		for processAlive(pid) && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		if processAlive(pid) {
			t.Errorf("worker process %d still runs after cluster.close()", pid)
		}
	}
	if _, err := distributed.NewClientFunc().Call(env, obj.Args{Pos: []any{lc}}); err == nil {
		t.Error("Client(closed cluster) worked")
	}
}

// processAlive reports whether a process (not a zombie) has the id pid.
func processAlive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndex(s, ")")
	return i > 0 && i+2 < len(s) && s[i+2] != 'Z'
}
