package lazy

import (
	"runtime/debug"
	"testing"
)

// TestComputeRestoresGC: overlapping computes lower GOGC while they run and give the
// process its own setting back when the last ends; a lower setting is kept.
func TestComputeRestoresGC(t *testing.T) {
	old := debug.SetGCPercent(150)
	defer debug.SetGCPercent(old)
	outer := TightenGC()
	inner := TightenGC()
	if got := debug.SetGCPercent(ComputeGCPercent); got != ComputeGCPercent {
		t.Errorf("GOGC during a compute %d, want %d", got, ComputeGCPercent)
	}
	inner()
	if got := debug.SetGCPercent(ComputeGCPercent); got != ComputeGCPercent {
		t.Errorf("GOGC while one compute still runs %d, want %d", got, ComputeGCPercent)
	}
	outer()
	if got := debug.SetGCPercent(10); got != 150 {
		t.Errorf("GOGC after the computes %d, want the process's 150", got)
	}
	restore := TightenGC()
	if got := debug.SetGCPercent(10); got != 10 {
		t.Errorf("a compute raised GOGC 10 to %d", got)
	}
	restore()
}
