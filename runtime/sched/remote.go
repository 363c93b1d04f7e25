package sched

import "context"

// Remote runs the tasks of a pass in other processes, such as the workers of a dask
// cluster. A closure cannot travel there, so a pass hands it descriptions instead: one
// shared description of the work (sent once per pass) and one per task, as bytes the
// worker side understands; each task's result comes back as bytes, and the pass merges
// the results itself, in a fixed order, so that they are the same as in process.
type Remote interface {
	// Workers is how many tasks the cluster runs at once (its threads), for progress
	// and the task stream.
	Workers() int
	// RunRemote runs len(tasks) tasks: task i is shared with tasks[i]. done is called
	// once per finished task, from one goroutine at a time, in the order they finish,
	// with its result and its record (Worker, Host, Pid, and Start and End in seconds
	// since the Unix epoch by the worker's clock; the caller sets Label); an error from done, a task's error, or ctx ending stops the pass:
	// RunRemote cancels the tasks not yet finished and returns that error (ctx's error
	// when it ended). It returns only after it has stopped calling done.
	RunRemote(ctx context.Context, what string, shared []byte, tasks [][]byte, done func(i int, result []byte, rec TaskRecord) error) error
}
