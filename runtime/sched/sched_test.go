package sched

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// Every task runs once, never two at once on the same worker, and never more at once
// than the pool's size.
func TestLocalRunsEachTaskOnceWithinItsWorkers(t *testing.T) {
	const n = 200
	var ran [n]atomic.Int32
	var busy [3]atomic.Int32
	var running, most atomic.Int32
	err := Local{N: 3}.Run(context.Background(), "test", n, func(w, i int) error {
		if busy[w].Add(1) != 1 {
			t.Errorf("worker %d runs two tasks at once", w)
		}
		r := running.Add(1)
		for m := most.Load(); r > m && !most.CompareAndSwap(m, r); m = most.Load() {
		}
		ran[i].Add(1)
		running.Add(-1)
		busy[w].Add(-1)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range ran {
		if ran[i].Load() != 1 {
			t.Fatalf("task %d ran %d times", i, ran[i].Load())
		}
	}
	if most.Load() > 3 {
		t.Errorf("%d tasks ran at once on a pool of 3", most.Load())
	}
}

// The first error stops the pass (no task starts after it) and is returned; a panic
// comes back as a *PanicError naming what ran.
func TestLocalStopsAtFirstErrorAndRecoversPanics(t *testing.T) {
	boom := errors.New("boom")
	var mu sync.Mutex
	var after []int
	failed := false
	err := Local{N: 1}.Run(context.Background(), "test", 50, func(w, i int) error {
		mu.Lock()
		defer mu.Unlock()
		if failed {
			after = append(after, i)
		}
		if i == 10 {
			failed = true
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || len(after) > 0 {
		t.Errorf("error %v, tasks started after it %v", err, after)
	}
	err = Local{N: 2}.Run(context.Background(), "sum", 4, func(w, i int) error {
		if i == 2 {
			panic("bad kind")
		}
		return nil
	})
	var pe *PanicError
	if !errors.As(err, &pe) || pe.What != "sum" || pe.Value != "bad kind" {
		t.Errorf("panic in a task: %v", err)
	}
}
