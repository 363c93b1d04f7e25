package dashboard

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"gokist/obj"
	"gokist/runtime"
	"gokist/runtime/distributed"
	"gokist/runtime/sched"
)

// BenchmarkComputeWithDashboard computes the same dataset on two like clients, one
// with a dashboard and a browser-like subscriber reading its event stream, one without,
// one after the other, alternating which goes first; x_with_dashboard is the median of
// the pairs' wall-time ratios (the goal: below 1.02; the median, as other processes'
// load comes in bursts that the total would charge to whichever ran then), and
// x_cpu_with_dashboard that of their process CPU times (the stream's work included). The dataset has many small files, so per-task costs weigh most;
// "rows" cuts every file into a task per row (6400 tasks of 128 values), the worst case.
func BenchmarkComputeWithDashboard(b *testing.B) {
	dir := writeDataset(b, [4]int{1, 200, 32, 128})
	for _, c := range []struct {
		name     string
		maxBlock int
	}{{"files", 0}, {"rows", 128}} {
		b.Run(c.name, func(b *testing.B) { benchDashboard(b, dir, c.maxBlock) })
	}
}

// benchDashboard is BenchmarkComputeWithDashboard on the dataset in dir, with tasks of
// at most maxBlock values (0: the default plan).
func benchDashboard(b *testing.B, dir string, maxBlock int) {
	newClient := func() *distributed.Client {
		c := distributed.NewClient(2, 1, 1<<30)
		c.SetCacheLimit(0)
		if maxBlock > 0 {
			c.Plan.MaxBlockElems = maxBlock
		}
		return c
	}
	plain, watched := newClient(), newClient()
	s := serve(b, watched, Options{})
	resp, err := http.Get(strings.Replace(s.Link(), "/status", "/events", 1))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	go func() { _, _ = io.Copy(io.Discard, resp.Body) }()

	envOf := func(c *distributed.Client) *obj.Env {
		return &obj.Env{Ctx: context.Background(), Out: obj.Discard{}, Services: map[string]any{"client": c}}
	}
	ds, err := runtime.LoadDatasetEnv(envOf(plain), dir)
	if err != nil {
		b.Fatal(err)
	}
	// run computes on c and returns the wall time and the process's CPU time, which
	// counts the event stream's work too and less of other processes' load.
	run := func(c *distributed.Client) (wall, cpu time.Duration) {
		t0, c0 := time.Now(), cpuTime()
		if _, err := ds.Lazy().Compute(envOf(c)); err != nil {
			b.Fatal(err)
		}
		return time.Since(t0), cpuTime() - c0
	}
	run(plain) // warm the page cache
	var walls, cpus []float64
	for b.Loop() {
		var with, without, withCPU, withoutCPU time.Duration
		if len(walls)%2 == 0 {
			without, withoutCPU = run(plain)
			with, withCPU = run(watched)
		} else {
			with, withCPU = run(watched)
			without, withoutCPU = run(plain)
		}
		walls = append(walls, with.Seconds()/without.Seconds())
		cpus = append(cpus, withCPU.Seconds()/withoutCPU.Seconds())
	}
	b.ReportMetric(median(walls), "x_with_dashboard")
	b.ReportMetric(median(cpus), "x_cpu_with_dashboard")
	b.ReportMetric(float64(len(watched.Tasks())), "tasks/compute")
}

// BenchmarkMonitorPerTask is what the dashboard adds to one task of a compute: the
// monitor's TaskStarted and TaskDone, with a stream sampling the hub meanwhile (ns/op is
// per task; compare it with a task's time, tens of µs and more, in the benchmark above).
func BenchmarkMonitorPerTask(b *testing.B) {
	s := serve(b, distributed.NewClient(2, 1, 1<<30), Options{})
	resp, err := http.Get(strings.Replace(s.Link(), "/status", "/events", 1))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	go func() { _, _ = io.Copy(io.Discard, resp.Body) }()
	now := time.Now()
	p := &sched.Pass{Label: "sum", Tasks: b.N, Workers: 2, Origin: now, Started: now}
	s.PassStarted(p)
	rec := sched.TaskRecord{Label: "sum 1"}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s.TaskStarted(p, 0, 1)
			s.TaskDone(p, rec)
		}
	})
	s.PassEnded(p, b.N, false)
}

// median is the middle of xs (which it sorts).
func median(xs []float64) float64 {
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic("dashboard: getrusage: " + err.Error())
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
