// Package sched owns the seam between gokist's compute passes and whatever runs their
// tasks: the Executor interface, the in-process pool that implements it by default
// (Local), and the record of a finished task that a task stream or a dashboard's event
// stream receives (TaskRecord, TaskListener). It knows nothing of arrays or files: a
// pass hands it numbered tasks, as dask's scheduler takes a graph of opaque callables.
// A cluster backend implements Executor in a package of its own and imports only this.
package sched

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// Executor runs the tasks of one pass of a compute.
type Executor interface {
	// Workers is how many tasks run at once.
	Workers() int
	// Run calls task(worker, i) once for every i in [0, n), on at most Workers() tasks at
	// a time; worker, in [0, Workers()), names the one running it (tasks of the same
	// worker never overlap). Tasks may run in any order: a pass must not make one
	// task wait for another. It starts no task after the first error or once ctx is done,
	// and returns only after every started task has returned, with the first error. A
	// panic in a task becomes a *PanicError naming what; no goroutine outlives Run.
	Run(ctx context.Context, what string, n int, task func(worker, i int) error) error
}

// TaskListener hears of every finished task as it finishes (a dashboard's event
// stream); it must return quickly and may be called from several workers at once.
type TaskListener interface {
	TaskDone(TaskRecord)
}

// TaskRecord is one finished task: which worker ran it and when (seconds since the
// compute started).
type TaskRecord struct {
	Worker     int
	Label      string
	Start, End float64
	// Host is where the task ran when a Remote ran it: the cluster worker's address
	// ("tcp://127.0.0.1:40123"), with Pid that worker's process id; "" and 0 in process.
	Host string
	Pid  int
}

// PanicError is a panic recovered in a task: what was running and the panic's value.
type PanicError struct {
	What  string
	Value any
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic in %s: %v", e.What, e.Value) }

// Local is the in-process executor: a pool of goroutines, one per worker thread, taking
// tasks in order.
type Local struct{ N int }

// Workers is the pool's size (at least one).
func (p Local) Workers() int { return max(1, p.N) }

// Run runs the tasks on the pool, as Executor.Run says.
func (p Local) Run(ctx context.Context, what string, n int, task func(worker, i int) error) error {
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
				if v := recover(); v != nil {
					fail(&PanicError{What: what, Value: v})
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
