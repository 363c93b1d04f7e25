package runtime

import (
	"context"
	"fmt"
	"gokist/runtime/distributed"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"gokist/runtime/dkist/dkisttest"

	"gokist/obj"
)

func TestIndexAndRebinErrors(t *testing.T) {
	env := testEnv()
	ds, err := LoadDatasetEnv(env, "../../shared/data/dkist-small-visp")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ds.GetItem(env, obj.Tuple{0, 10, 0})
	wantErr(t, "out of range", err, obj.IndexError, "index 10", "axis 1", "slit position", "size 10")
	_, err = ds.GetItem(env, -4)
	wantErr(t, "negative out of range", err, obj.IndexError, "index -4", "axis 0", "size 3")
	_, err = ds.GetItem(env, obj.Tuple{0, 1, 2, 3})
	wantErr(t, "too many", err, obj.IndexError, "too many indices", "3-dimensional", "4 were indexed")
	_, err = ds.GetItem(env, obj.Tuple{obj.Ellipsis, 0, obj.Ellipsis})
	wantErr(t, "two ellipses", err, obj.IndexError, "single ellipsis")
	_, err = ds.GetItem(env, 1.5)
	wantErr(t, "float index", err, obj.IndexError, "1.5")
	zero := 0
	_, err = ds.GetItem(env, obj.Slice{Step: &zero})
	wantErr(t, "zero step", err, obj.ValueError, "step cannot be zero")

	_, err = ds.Rebin(obj.Tuple{1, 2}, nil)
	wantErr(t, "bin shape length", err, obj.ValueError, "(1, 2)", "2 entries", "3 axes", "(3, 10, 25)")
	_, err = ds.Rebin(obj.Tuple{1, 3, 7}, nil)
	wantErr(t, "not dividing", err, obj.ValueError, "(1, 3, 7)", "(3, 10, 25)", "[:, :9, :21]", "of this dataset")
	_, err = ds.Rebin(obj.Tuple{1, 1, 7}, nil)
	wantErr(t, "not dividing last", err, obj.ValueError, "[:, :, :21]", "axis 2 (wavelength) to 21")
	_, err = ds.Rebin(obj.Tuple{1, 1, 5}, "mode")
	wantErr(t, "bad op", err, obj.ValueError, "mode", "median")

	data := ds.Data().(*numpy.LazyArray)
	_, err = numpy.NewReduce(data.Node, "sum", 3)
	wantErr(t, "axis", err, numpy.AxisError, "axis 3 is out of bounds for array of dimension 3")
	_, err = numpy.NewReduce(data.Node, "argmin", obj.Tuple{0, 1})
	wantErr(t, "argmin tuple", err, obj.TypeError, "tuple")
	_, _, err = data.BinaryOp(env, "+", (*numpy.NDArray)(&lazy.Array{Values: make([]float64, 4), Dims: []int{4}, DT: lazy.Float64}), false)
	wantErr(t, "broadcast", err, obj.ValueError, "operands could not be broadcast together with shapes (3,10,25) (4,) ")
}

// TestCorruptFileDuringCompute truncates a file after loading: the compute fails with a
// FITSError naming it, and after the file is restored the next compute works.
func TestCorruptFileDuringCompute(t *testing.T) {
	dir := writeSmall(t, []int{2, 3, 4, 5})
	env := testEnv()
	env.Services["client"] = distributed.NewClient(2, 1, 1<<30)
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(dir, "VISP_001_Q_L1.fits")
	orig, _ := os.ReadFile(victim)
	os.WriteFile(victim, orig[:3000], 0o644)
	red, _ := numpy.NewReduce(ds.Node, "sum", nil)
	_, err = numpy.ComputeNode(env, red)
	wantErr(t, "corrupt file", err, obj.FITSError, "VISP_001_Q_L1.fits")
	os.WriteFile(victim, orig, 0o644)
	if _, err := numpy.ComputeNode(env, red); err != nil {
		t.Fatalf("compute after restoring the file: %v", err)
	}
}

// TestCancelledCompute cancels a compute mid-way: it must return Interrupted promptly
// and leave no goroutine behind.
func TestCancelledCompute(t *testing.T) {
	dir := writeSmall(t, []int{2, 40, 16, 50})
	before := goruntime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	env := &obj.Env{Ctx: ctx, Out: &cancelAfter{n: 1, cancel: cancel}, Services: map[string]any{"client": distributed.NewClient(3, 1, 1<<30)}}
	env.Services["client"].(*distributed.Client).SetCacheLimit(0)
	smallTasks(env, 50) // many small tasks
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	red, _ := numpy.NewReduce(ds.Node, "sum", obj.Tuple{0, 2})
	start := time.Now()
	_, err = numpy.ComputeNode(env, red)
	wantErr(t, "cancelled", err, obj.Interrupted, "interrupted")
	// Issue 4 asks for a prompt return; the bound is generous (the machine is shared and
	// loaded) so it only catches a compute that ran on or hung instead of stopping.
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("cancel took %v", d)
	}
	// Workers wind down asynchronously after the compute returns, so wait for the count to
	// come back to the baseline rather than sampling it once.
	if after, ok := waitGoroutines(before, 5*time.Second); !ok {
		t.Errorf("%d goroutines before, still %d after 5s: leaked", before, after)
	}
	reports := env.Out.(*cancelAfter).reports
	last := reports[len(reports)-1]
	if !last.Finished || !last.Stopped || last.Done >= last.Total {
		t.Errorf("last report of a cancelled compute %+v: want Finished, Stopped, Done < Total", last)
	}
	for _, p := range reports[:len(reports)-1] {
		if p.Finished || p.Stopped {
			t.Errorf("report before the last marked finished/stopped: %+v", p)
		}
	}
}

// TestProgressCompleted checks the last report of a compute that ran to the end: Finished,
// not Stopped, every chunk done; and a failed compute ends Stopped.
func TestProgressCompleted(t *testing.T) {
	dir := writeSmall(t, []int{2, 3, 4, 5})
	out := &collect{}
	env := &obj.Env{Out: out, Services: map[string]any{"client": distributed.NewClient(2, 1, 1<<30)}}
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	red, _ := numpy.NewReduce(ds.Node, "sum", nil)
	if _, err := numpy.ComputeNode(env, red); err != nil {
		t.Fatal(err)
	}
	last := out.progress[len(out.progress)-1]
	if !last.Finished || last.Stopped || last.Done != last.Total || last.Total == 0 {
		t.Errorf("last report of a completed compute %+v: want Finished, not Stopped, Done == Total", last)
	}
	victim := filepath.Join(dir, "VISP_001_Q_L1.fits")
	orig, _ := os.ReadFile(victim)
	os.WriteFile(victim, orig[:3000], 0o644)
	out.progress = nil
	if _, err := numpy.ComputeNode(env, red); err == nil {
		t.Fatal("compute with a removed file succeeded")
	}
	if last := out.progress[len(out.progress)-1]; !last.Finished || !last.Stopped {
		t.Errorf("last report of a failed compute %+v: want Finished and Stopped", last)
	}
}

// waitGoroutines polls until at most baseline goroutines run or the deadline passes; it
// returns the last count and whether it reached the baseline.
func waitGoroutines(baseline int, deadline time.Duration) (int, bool) {
	stop := time.Now().Add(deadline)
	for {
		n := goruntime.NumGoroutine()
		if n <= baseline {
			return n, true
		}
		if time.Now().After(stop) {
			return n, false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// cancelAfter cancels its context shortly after n progress reports.
type cancelAfter struct {
	obj.Discard
	n       int
	cancel  func()
	reports []obj.Progress
}

func (c *cancelAfter) Progress(p obj.Progress) {
	c.reports = append(c.reports, p)
	c.n--
	if c.n == 0 {
		time.AfterFunc(3*time.Millisecond, c.cancel)
	}
}

// TestWaitGoroutines checks the leak detector itself: goroutines still blocked are
// reported after the deadline, and ones that end are waited for. It blocks many, so that
// stragglers of earlier tests ending meanwhile cannot bring the count back to the baseline.
func TestWaitGoroutines(t *testing.T) {
	const blocked = 50
	before := goruntime.NumGoroutine()
	release := make(chan struct{})
	var ended sync.WaitGroup
	for range blocked {
		ended.Go(func() { <-release })
	}
	if n, ok := waitGoroutines(before, 50*time.Millisecond); ok || n <= before {
		t.Errorf("%d blocked goroutines: waitGoroutines = %d, %v; want > %d, false", blocked, n, ok, before)
	}
	close(release)
	ended.Wait()
	if n, ok := waitGoroutines(before, 5*time.Second); !ok {
		t.Errorf("ended goroutines: waitGoroutines = %d, false; want <= %d, true", n, before)
	}
}

// TestClientCountsMustBePositive checks that Client() names the argument and the value it
// rejects, checks each count on its own, and still takes None for the defaults.
func TestClientCountsMustBePositive(t *testing.T) {
	client := Builtins()["Client"].(*obj.Func)
	bad := []struct {
		kw        map[string]any
		fragments []string
	}{
		{map[string]any{"n_workers": 0}, []string{"n_workers", "not 0"}},
		{map[string]any{"n_workers": -2}, []string{"n_workers", "not -2"}},
		{map[string]any{"threads_per_worker": 0}, []string{"threads_per_worker", "not 0"}},
		{map[string]any{"n_workers": 2, "threads_per_worker": -1}, []string{"threads_per_worker", "not -1"}},
	}
	for _, c := range bad {
		env := &obj.Env{Services: map[string]any{}}
		_, err := client.Call(env, obj.Args{Kw: c.kw})
		wantErr(t, fmt.Sprintf("Client(%v)", c.kw), err, obj.ValueError, c.fragments...)
		if err != nil {
			for _, other := range []string{"n_workers", "threads_per_worker"} {
				if _, given := c.kw[other]; !given && strings.Contains(err.Error(), other) {
					t.Errorf("Client(%v): %q blames %s, which was not given", c.kw, err, other)
				}
			}
		}
	}
	env := &obj.Env{Services: map[string]any{}}
	got, err := client.Call(env, obj.Args{Kw: map[string]any{"n_workers": nil, "threads_per_worker": nil}})
	if err != nil {
		t.Fatalf("Client(n_workers=None, threads_per_worker=None): %v", err)
	}
	if c := got.(*distributed.Client); c.NWorkers != goruntime.NumCPU() || c.ThreadsPerWorker != 1 {
		t.Errorf("Client(None, None): %d workers × %d threads, want %d × 1", c.NWorkers, c.ThreadsPerWorker, goruntime.NumCPU())
	}
	got, err = client.Call(env, obj.Args{Kw: map[string]any{"n_workers": 2, "threads_per_worker": 3}})
	if err != nil {
		t.Fatalf("Client(2, 3): %v", err)
	}
	if c := got.(*distributed.Client); c.NWorkers != 2 || c.ThreadsPerWorker != 3 {
		t.Errorf("Client(2, 3): %d workers × %d threads", c.NWorkers, c.ThreadsPerWorker)
	}
}

// wantErr checks err is an *obj.Error of class whose text has every fragment.
func wantErr(t *testing.T, what string, err error, class string, fragments ...string) {
	t.Helper()
	dkisttest.WantErr(t, what, err, class, fragments...)
}

// writeSmall writes a small plain float64 dataset with astropy and returns its dir.
func writeSmall(t *testing.T, shape []int) string { return dkisttest.WriteSmall(t, shape) }

// copyFile copies a file, failing the test on an error.
func copyFile(t *testing.T, from, to string) { dkisttest.CopyFile(t, from, to) }
