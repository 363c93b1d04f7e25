package lazy

import (
	"fmt"
	goruntime "runtime"
	"runtime/metrics"
	"strings"

	"gokist/obj"
	"gokist/runtime/memlimit"
)

// smallResultBytes is the result size below which checkFits trusts the client's limit
// without asking how much memory is free.
const smallResultBytes = 64 << 20

// checkFits refuses, before anything is allocated, a compute whose result would need
// more than need bytes beyond what the client's memory limit or the free memory of its Machine
// allows. Go cannot recover from a failed allocation: without this check a
// `ds.data.compute()` of a dataset larger than memory ends the kernel with a fatal
// "out of memory" (or the kernel of the OOM killer ends it) instead of an error.
// shape and dtype describe the result; perElement is the bytes it needs per element,
// working memory included.
func CheckFits(c *Client, shape []int, dt DType, perElement float64) error {
	need := perElement
	for _, n := range shape {
		need *= float64(n) // in float64: an absurd shape must not wrap around to a small size
	}
	limit, what := float64(c.MemoryLimit), "the memory limit of %s"
	if need <= min(limit, smallResultBytes) {
		return nil // most computes: no need to read /proc/meminfo for them
	}
	if free, by := c.Machine.Available(); by != "" && float64(free) < limit {
		limit, what = float64(free), by
	}
	if need <= limit {
		return nil
	}
	// Under a share given to the kernel (GOKIST_MEMORY_LIMIT, a cgroup) a larger
	// Client(memory_limit=…) is no way out: say so rather than suggest it.
	raise := "Client(memory_limit='…') sets the limit per worker"
	if strings.Contains(what, memlimit.MemoryLimitEnv) || strings.Contains(what, "cgroup") {
		raise = "this kernel's share of the machine is fixed where it was started (a larger Client(memory_limit=…) stays within it)"
	}
	return obj.Errorf("MemoryError", "compute() would need %s for a result of shape %s (%s), more than %s",
		memlimit.HumanBytes(int64(min(need, 1<<62))), ShapeString(shape), dt, fmt.Sprintf(what, memlimit.HumanBytes(int64(limit)))).
		WithHint("reduce or slice first (e.g. .mean(axis=0), [0, :10]) or rebin, so that only the result you need is in memory; %s", raise)
}

// reclaimMinBytes is the smallest compute output for which reclaimBefore collects: below
// it, garbage costs less memory than a collection is worth in time.
const ReclaimMinBytes = 16 << 20

// reclaimBefore runs a collection before a compute allocates an output of size bytes when
// the heap holds at least half that much, of which the last collection cannot say what
// is dead now: typically the result of an earlier compute, dropped since (a plot's
// frame, a temporary reduced further, the previous run of the same cell). The last
// collection ran while that result was live, and Go's pacer would collect again only
// once the new output is allocated, from fresh pages, so old and new would be resident
// together and the compute's peak would be twice its output. After the collection the
// new output reuses the freed pages. The mark costs a few milliseconds (outputs are
// pointer-free) where filling an output this size takes a good part of a second.
func ReclaimBefore(size int64) {
	if size < ReclaimMinBytes {
		return
	}
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}} // live and not yet freed dead objects
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return // unsupported by this Go: leave it to the pacer
	}
	if heap := s[0].Value.Uint64(); heap >= uint64(size/2) {
		goruntime.GC()
	}
}
