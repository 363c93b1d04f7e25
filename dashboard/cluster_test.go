package dashboard

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gokist/runtime/distributed"
	"gokist/runtime/sched"
)

// fakeCluster is an executor whose workers live elsewhere, as a dask cluster backend's:
// it runs tasks on the local pool and reports two workers of two threads each, slowly.
type fakeCluster struct {
	sched.Local
	delay time.Duration
	calls atomic.Int32
}

var clusterWorkers = []sched.WorkerStatus{
	{Name: "tcp://10.0.0.5:40001", Threads: 2, Index: 0, MemoryUsed: 300 << 20, MemoryLimit: 4 << 30, CPU: 180},
	{Name: "tcp://10.0.0.6:40001", Threads: 2, Index: 2, MemoryUsed: 200 << 20, MemoryLimit: 4 << 30, CPU: 95},
}

func (f *fakeCluster) WorkerStatus() []sched.WorkerStatus {
	f.calls.Add(1)
	time.Sleep(f.delay)
	return clusterWorkers
}

// A client whose executor is a cluster's shows the cluster's workers (as its executor
// reports them) and gokist's tasks on their threads; a slow report delays no event.
func TestClusterWorkersAndTasks(t *testing.T) {
	dir := writeDataset(t, [4]int{1, 12, 8, 32})
	c := distributed.NewClient(1, 1, 1<<30)
	cluster := &fakeCluster{Local: sched.Local{N: 4}, delay: 2 * time.Second}
	c.SetExecutor(cluster, nil)
	s := serve(t, c, Options{Interval: 20 * time.Millisecond})
	resp, err := http.Get(strings.Replace(s.Link(), "/status", "/events", 1))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := newEventReader(resp.Body)
	// While the first report takes its two seconds, events keep coming (every 80 ms
	// while idle).
	last, all := events.until(t, func(s snapshot) bool { return len(s.System.Cluster) > 0 })
	if len(all) < 5 || cluster.calls.Load() > 2 {
		t.Errorf("%d events in the two seconds the cluster took to report (%d reports asked), want one every 80 ms", len(all), cluster.calls.Load())
	}
	if got := last.System.Cluster; len(got) != 2 || got[0] != clusterWorkers[0] || got[1] != clusterWorkers[1] {
		t.Errorf("cluster workers %+v, want %+v", got, clusterWorkers)
	}
	if _, err := computeAll(context.Background(), c, dir); err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	last, _ = events.until(t, func(s snapshot) bool {
		for _, tk := range s.Tasks {
			seen[tk.Worker] = true
		}
		return len(s.Passes) > 0 && s.Passes[len(s.Passes)-1].Ended
	})
	if len(seen) == 0 {
		t.Errorf("no task of the compute came through the stream")
	}
	for w := range seen {
		if w < 0 || w > 3 {
			t.Errorf("a task ran on worker %d, outside the cluster's 4 threads", w)
		}
	}
	if p := last.Passes[len(last.Passes)-1]; p.Done != p.Total || p.Total < 12 {
		t.Errorf("pass %+v on the cluster", p)
	}
}
