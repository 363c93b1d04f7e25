package runtime

import (
	"context"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"math"
	"sync"
	"testing"
)

// backwards is an executor that runs every task on one worker, last task first: a
// stand-in for a backend whose order differs from the local pool's.
type backwards struct{ ran int }

func (b *backwards) Workers() int { return 1 }
func (b *backwards) Run(ctx context.Context, what string, n int, task func(worker, i int) error) error {
	for i := n - 1; i >= 0; i-- {
		if err := task(0, i); err != nil {
			return err
		}
		b.ran++
	}
	return nil
}

// heard counts the tasks a listener is told of.
type heard struct {
	mu    sync.Mutex
	tasks []lazy.TaskRecord
}

func (h *heard) TaskDone(t lazy.TaskRecord) {
	h.mu.Lock()
	h.tasks = append(h.tasks, t)
	h.mu.Unlock()
}

// A compute runs its tasks on the client's executor, whatever it is, and a listener
// hears of each one: a sum over 2x3 files of 4x5 values computed task by task in reverse
// equals the sum worked out from the values writeSmall writes.
func TestComputeRunsOnPluggedExecutor(t *testing.T) {
	dir := writeSmall(t, []int{2, 3, 4, 5})
	env := testEnv()
	client := smallTasks(env, 7) // several tasks per file
	exec, events := &backwards{}, &heard{}
	client.SetExecutor(exec, events)
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	all, err := numpy.ComputeNode(env, ds.node)
	if err != nil {
		t.Fatal(err)
	}
	want := 0.0
	for _, v := range all.Data() {
		want += v
	}
	red, err := numpy.NewReduce(ds.node, "sum", nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := numpy.ComputeNode(env, red)
	if err != nil {
		t.Fatal(err)
	}
	if g := got.Data()[0]; math.Abs(g-want) > 1e-9*math.Abs(want) {
		t.Errorf("sum on the backwards executor %v, want %v", g, want)
	}
	if exec.ran == 0 || len(events.tasks) != exec.ran || len(client.Tasks()) == 0 {
		t.Errorf("executor ran %d tasks, the listener heard %d, the task stream has %d", exec.ran, len(events.tasks), len(client.Tasks()))
	}
}
