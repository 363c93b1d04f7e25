package dashboard

import (
	"fmt"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gokist/runtime/distributed"
	"gokist/runtime/sched"
)

// A subscriber that never reads costs the compute nothing: two workers report tasks as
// fast as they can while the server's writes to that subscriber stall (its socket
// buffers full), until the server drops the stream at its write deadline, which proves
// the writes did block. Meanwhile no monitor call waited on the stalled stream (each
// took far less than the write deadline) and the workers kept finishing tasks.
func TestStalledSubscriberNeverBlocksCompute(t *testing.T) {
	const writeTimeout = 2 * time.Second
	s := serve(t, distributed.NewClient(2, 1, 1<<30), Options{Interval: time.Millisecond, WriteTimeout: writeTimeout})
	conn, err := net.DialTimeout("tcp", s.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.(*net.TCPConn).SetReadBuffer(4096)
	fmt.Fprintf(conn, "GET /events?%s HTTP/1.1\r\nHost: x\r\n\r\n", url.Values{"token": {s.token}}.Encode())
	waitFor(t, "the stream to open", func() bool { return len(s.streams) == 1 })

	now := time.Now()
	p := &sched.Pass{Label: "sum", Tasks: 1 << 40, Workers: 2, Origin: now, Started: now}
	s.PassStarted(p)
	var slowest, tasks atomic.Int64
	var stalled atomic.Int64 // tasks done while the stream was open
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			for k := 0; ; k++ {
				select {
				case <-stop:
					return
				default:
				}
				t0 := time.Now()
				at := t0.Sub(now).Seconds()
				s.TaskStarted(p, w, at)
				s.TaskDone(p, sched.TaskRecord{Worker: w, Label: fmt.Sprintf("sum %d", k), Start: at, End: at})
				d := int64(time.Since(t0))
				for m := slowest.Load(); d > m && !slowest.CompareAndSwap(m, d); m = slowest.Load() {
				}
				tasks.Add(1)
				if len(s.streams) == 1 {
					stalled.Add(1)
				}
			}
		})
	}
	dropped := waitUntil(60*time.Second, func() bool { return len(s.streams) == 0 })
	close(stop)
	wg.Wait()
	s.PassEnded(p, int(tasks.Load()), true)
	if !dropped {
		t.Fatalf("the server never dropped the stream that does not read (%d tasks reported): its writes never stalled", tasks.Load())
	}
	if d := time.Duration(slowest.Load()); d >= writeTimeout/2 {
		t.Errorf("the slowest monitor call took %v, near the %v the stalled write waited: the compute waited on the subscriber", d, writeTimeout)
	}
	if n := stalled.Load(); n < 1000 {
		t.Errorf("only %d tasks finished while the stream stalled", n)
	}
	t.Logf("%d tasks reported, %d while the subscriber stalled; slowest monitor call %v", tasks.Load(), stalled.Load(), time.Duration(slowest.Load()))
}

// waitUntil polls cond every 5 ms until it holds (true) or d passes (false).
func waitUntil(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
	return true
}

// waitFor is waitUntil with a 20 s deadline that fails the test.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	if !waitUntil(20*time.Second, cond) {
		t.Fatalf("timed out waiting for %s", what)
	}
}

// An executor that reports impossible worker numbers (a bug elsewhere) crashes neither
// the compute nor the stream: those tasks count for their pass and are left out of the
// task stream and the per-worker rows.
func TestBadWorkerNumbersAreLeftOut(t *testing.T) {
	h := newHub()
	now := time.Now()
	p := &sched.Pass{Label: "sum", Tasks: 3, Workers: 1, Origin: now, Started: now}
	h.PassStarted(p)
	for _, w := range []int{-1, 1 << 40, 0} {
		h.TaskStarted(p, w, 0)
		h.TaskDone(p, sched.TaskRecord{Worker: w, Label: "sum 0", End: 0.001})
	}
	h.PassEnded(p, 3, false)
	snap, _ := h.snapshot(0)
	if len(snap.Tasks) != 1 || snap.Tasks[0].Worker != 0 || len(snap.Workers) != 1 || snap.Passes[0].Done != 3 {
		t.Errorf("tasks %+v, workers %+v, passes %+v", snap.Tasks, snap.Workers, snap.Passes)
	}
}
