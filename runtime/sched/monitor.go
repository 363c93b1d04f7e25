package sched

import "time"

// Monitor hears how the passes of computes run, task by task, for a live dashboard: a
// pass starting, each of its tasks starting and finishing, the pass ending. It is the
// richer sibling of TaskListener (which hears finished tasks only, without their pass).
// Every call must return quickly and must not block on anything a client of the
// dashboard does (a monitor keeps counters and samples them on its own time); calls
// come from several workers at once.
type Monitor interface {
	PassStarted(p *Pass)
	// TaskStarted: worker began a task of p at start (seconds since p.Origin).
	TaskStarted(p *Pass, worker int, start float64)
	// TaskDone: a task of p finished, as rec says (times since p.Origin).
	TaskDone(p *Pass, rec TaskRecord)
	// PassEnded: p ended after done of its p.Tasks tasks; stopped when it was cancelled
	// or failed before every task was done.
	PassEnded(p *Pass, done int, stopped bool)
}

// Pass is one pass of a compute over its tasks, as a Monitor sees it. Its pointer is its
// identity; its fields do not change once PassStarted is called.
type Pass struct {
	Label   string    // the operation, e.g. "sum"
	Tasks   int       // how many tasks the pass has
	Workers int       // how many run at once
	Origin  time.Time // the compute's start: the origin of the times of its TaskRecords
	Started time.Time // when this pass started (a compute may run several passes)
	// Bytes, when set, reports the bytes the compute has read from files so far; a
	// monitor calls it when it samples, never the compute.
	Bytes func() int64
}

// WorkerReporter is implemented by executors whose workers are not the kernel's own
// threads (a cluster's): a dashboard lists the workers it returns. WorkerStatus may take
// a while (it may ask the cluster), so a dashboard calls it on its own goroutine.
type WorkerReporter interface {
	WorkerStatus() []WorkerStatus
}

// WorkerStatus describes one worker of an executor, as far as the executor knows it
// (zero: unknown).
type WorkerStatus struct {
	Name        string  // e.g. the worker's address, or "thread 3"
	Threads     int     // task slots; the TaskRecord workers Index … Index+Threads-1 are its
	Index       int     // its first TaskRecord worker number
	MemoryUsed  int64   // bytes
	MemoryLimit int64   // bytes
	CPU         float64 // percent of one core
}
