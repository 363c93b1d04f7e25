package runtime

import (
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	goruntime "runtime"
	"testing"

	"gokist/obj"
)

// heapPages is the heap memory the process has mapped for objects and not returned.
func heapPages() uint64 {
	var ms goruntime.MemStats
	goruntime.ReadMemStats(&ms)
	return ms.HeapSys - ms.HeapReleased
}

// A compute whose output is as large as a dropped earlier result reuses that result's
// memory instead of holding both: computing the same 32 MiB array a second time, after
// the first was dropped, maps less than half an output of new heap.
func TestComputeReusesDroppedResult(t *testing.T) {
	const n = 4 << 20 // 32 MiB of float64 per output
	data := make([]float64, n)
	for i := range data {
		data[i] = float64(i % 1000)
	}
	in := &lazy.ArrayNode{A: lazy.NewArray(data, []int{n / 1024, 1024}, lazy.Float64)}
	neg := &lazy.UnaryNode{Op: "neg", In: in, Dt: lazy.Float64, Fn: func(x float64) float64 { return -x }}
	env := &obj.Env{Out: obj.Discard{}, Services: map[string]any{"client": NewClient(2, 1, 0)}}
	check := func(a *lazy.Array) {
		t.Helper()
		// numpy: -(i % 1000) at flat index i.
		for _, i := range []int{0, 999, 1000, 123457, n - 1} {
			if got, want := a.Values[i], -float64(i%1000); got != want {
				t.Fatalf("element %d = %v, want %v", i, got, want)
			}
		}
	}
	a, err := numpy.ComputeNode(env, neg)
	if err != nil {
		t.Fatal(err)
	}
	check(a)
	a = nil // dropped, as a cell's temporary is
	before := heapPages()
	b, err := numpy.ComputeNode(env, neg)
	if err != nil {
		t.Fatal(err)
	}
	check(b)
	grown := int64(heapPages()) - int64(before)
	t.Logf("second compute mapped %.1f MiB of new heap", float64(grown)/(1<<20))
	if grown > n*8/2 {
		t.Errorf("second compute of a %d MiB output mapped %.1f MiB of new heap; the dropped first result's memory should have been reused",
			n*8>>20, float64(grown)/(1<<20))
	}
	goruntime.KeepAlive(data)
}

// reclaimBefore leaves small outputs to the pacer: no collection for them.
func TestReclaimBeforeSkipsSmallOutputs(t *testing.T) {
	var before, after goruntime.MemStats
	goruntime.ReadMemStats(&before)
	lazy.ReclaimBefore(lazy.ReclaimMinBytes - 1)
	goruntime.ReadMemStats(&after)
	if after.NumForcedGC != before.NumForcedGC {
		t.Errorf("reclaimBefore forced a collection for an output below %d bytes", lazy.ReclaimMinBytes)
	}
}
