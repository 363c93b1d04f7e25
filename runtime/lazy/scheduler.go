package lazy

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"gokist/obj"
	"gokist/runtime/sched"
)

// The executor's seam lives in runtime/sched (Executor, the Local pool, TaskRecord,
// TaskListener); the names below keep the runtime's own code short.
type (
	Executor     = sched.Executor
	TaskListener = sched.TaskListener
	TaskRecord   = sched.TaskRecord
)

// forEachBlock runs fn over blocks on the client's executor, stopping at the first error
// or when the context is cancelled (then it returns an Interrupted error), reporting
// progress and recording the task stream. It returns only after every task has stopped.
func (r *Run) forEachBlock(label string, blocks []Block, fn func(worker int, b Block) error) error {
	return r.forEachBlockAt(label, blocks, func(w, _ int, b Block) error { return fn(w, b) })
}

// forEachBlockAt is forEachBlock whose fn also gets the block's index in blocks.
func (r *Run) forEachBlockAt(label string, blocks []Block, fn func(worker, i int, b Block) error) error {
	start := time.Now()
	if r.start.IsZero() {
		r.start = start
	}
	var done atomic.Int64
	progress := r.progressReporter(label, len(blocks), start, &done)
	progress(false, false)
	listener := r.Client.listener()
	mon := r.startPass(label, len(blocks), start)
	err := r.Client.Executor().Run(r.Ctx, label, len(blocks), func(w, i int) error {
		t0 := time.Since(r.start).Seconds()
		mon.taskStarted(w, t0)
		if err := fn(w, i, blocks[i]); err != nil {
			return err
		}
		rec := TaskRecord{Worker: w, Label: fmt.Sprintf("%s %d", label, i), Start: t0, End: time.Since(r.start).Seconds()}
		r.record(rec)
		if listener != nil {
			listener.TaskDone(rec)
		}
		mon.taskDone(rec)
		done.Add(1)
		progress(false, false)
		return nil
	})
	if pe, ok := errors.AsType[*sched.PanicError](err); ok {
		err = InternalError(pe.What, pe.Value)
	}
	// The last report says whether every chunk was done: a cancelled or failed run
	// ends with Stopped, so a receiver never mistakes it for a completed one.
	progress(true, err != nil || r.Ctx.Err() != nil)
	mon.ended(done.Load(), err != nil || r.Ctx.Err() != nil)
	if r.Ctx.Err() != nil {
		return obj.Errorf(obj.Interrupted, "%s interrupted after %d of %d tasks", label, done.Load(), len(blocks))
	}
	return err
}

// progressReporter sends the session's progress bar an update at most every 100 ms, and
// always the final one (finished; stopped when not every task completed).
func (r *Run) progressReporter(label string, total int, start time.Time, done *atomic.Int64) func(finished, stopped bool) {
	var mu sync.Mutex
	var last time.Time
	return func(finished, stopped bool) {
		if r.report.Progress == nil {
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
		r.report.Progress(obj.Progress{Label: label, Done: int(done.Load()), Total: total,
			Bytes: r.Bytes.Load(), Elapsed: now.Sub(start), Finished: finished, Stopped: stopped})
	}
}
