package runtime

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"gokist/runtime/obj"
)

// Executor runs the tasks of one pass of a compute. The core hands it numbered tasks
// and knows nothing of where they run: the in-process pool (localPool) is the default,
// and a cluster backend implements the same two methods.
type Executor interface {
	// Workers is how many tasks run at once; reductions keep up to one accumulator per
	// worker.
	Workers() int
	// Run calls task(worker, i) once for every i in [0, n), on at most Workers() tasks at
	// a time; worker, in [0, Workers()), names the one running it (tasks of the same
	// worker never overlap). It starts no task after the first error or once ctx is done,
	// and returns only after every started task has returned, with the first error. A
	// panic in a task becomes an internal error naming what; no goroutine outlives Run.
	Run(ctx context.Context, what string, n int, task func(worker, i int) error) error
}

// TaskListener hears of every finished chunk task as it finishes (a dashboard's event
// stream); it must return quickly and may be called from several workers at once.
type TaskListener interface {
	TaskDone(TaskRecord)
}

// TaskRecord is one chunk task of the last compute: which worker ran it and when
// (seconds since the compute started).
type TaskRecord struct {
	Worker     int
	Label      string
	Start, End float64
}

// localPool is the in-process executor: a pool of goroutines, one per worker thread,
// taking tasks in order.
type localPool struct{ workers int }

func (p localPool) Workers() int { return max(1, p.workers) }

func (p localPool) Run(ctx context.Context, what string, n int, task func(worker, i int) error) error {
	workers := min(p.Workers(), max(1, n))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	var firstErr error
	var errOnce sync.Once
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err })
		cancel()
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					fail(internalError(what, p))
				}
			}()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := task(w, i); err != nil {
					fail(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return firstErr
}

// forEachBlock runs fn over blocks on the client's executor, stopping at the first error
// or when the context is cancelled (then it returns an Interrupted error), reporting
// progress and recording the task stream. It returns only after every task has stopped.
func (r *run) forEachBlock(label string, blocks []block, fn func(worker int, b block) error) error {
	start := time.Now()
	if r.start.IsZero() {
		r.start = start
	}
	var done atomic.Int64
	progress := r.progressReporter(label, len(blocks), start, &done)
	progress(false, false)
	listener := r.client.listener()
	err := r.client.executor().Run(r.ctx, label, len(blocks), func(w, i int) error {
		t0 := time.Since(r.start).Seconds()
		if err := fn(w, blocks[i]); err != nil {
			return err
		}
		rec := TaskRecord{Worker: w, Label: fmt.Sprintf("%s %d", label, i), Start: t0, End: time.Since(r.start).Seconds()}
		r.record(rec)
		if listener != nil {
			listener.TaskDone(rec)
		}
		done.Add(1)
		progress(false, false)
		return nil
	})
	// The last report says whether every chunk was done: a cancelled or failed run
	// ends with Stopped, so a receiver never mistakes it for a completed one.
	progress(true, err != nil || r.ctx.Err() != nil)
	if r.ctx.Err() != nil {
		return obj.Errorf(obj.Interrupted, "%s interrupted after %d of %d tasks", label, done.Load(), len(blocks))
	}
	return err
}

// progressReporter sends the session's progress bar an update at most every 100 ms, and
// always the final one (finished; stopped when not every task completed).
func (r *run) progressReporter(label string, total int, start time.Time, done *atomic.Int64) func(finished, stopped bool) {
	var mu sync.Mutex
	var last time.Time
	return func(finished, stopped bool) {
		if r.env == nil || r.env.Out == nil {
			return
		}
		mu.Lock()
		now := time.Now()
		if !finished && now.Sub(last) < 100*time.Millisecond {
			mu.Unlock()
			return
		}
		last = now
		mu.Unlock()
		r.env.Out.Progress(obj.Progress{Label: label, Done: int(done.Load()), Total: total,
			Bytes: r.bytes.Load(), Elapsed: now.Sub(start), Finished: finished, Stopped: stopped})
	}
}
