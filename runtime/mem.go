package runtime

import (
	"bufio"
	"os"
	goruntime "runtime"
	"runtime/metrics"
	"strconv"
	"strings"

	"gokist/runtime/obj"
)

// totalMemory reads MemTotal from /proc/meminfo in bytes, or 0 when unknown.
func totalMemory() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err == nil {
				return kb * 1024
			}
		}
	}
	return 0
}

// availableMemory reads MemAvailable from /proc/meminfo in bytes (what can be allocated
// without swapping), or 0 when unknown.
func availableMemory() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		fields := strings.Fields(line)
		if len(fields) >= 2 && fields[0] == "MemAvailable:" {
			if kb, err := strconv.ParseInt(fields[1], 10, 64); err == nil {
				return kb * 1024
			}
		}
	}
	return 0
}

// smallResultBytes is the result size below which checkFits trusts the client's limit
// without asking how much memory is free.
const smallResultBytes = 64 << 20

// checkFits refuses, before anything is allocated, a compute whose result would need
// more than need bytes beyond what the client's memory limit or the machine's free memory
// allows. Go cannot recover from a failed allocation: without this check a
// `ds.data.compute()` of a dataset larger than memory ends the kernel with a fatal
// "out of memory" (or the kernel of the OOM killer ends it) instead of an error.
// shape and dtype describe the result; perElement is the bytes it needs per element,
// working memory included.
func checkFits(c *Client, shape []int, dt DType, perElement float64) error {
	need := perElement
	for _, n := range shape {
		need *= float64(n) // in float64: an absurd shape must not wrap around to a small size
	}
	limit, what := float64(c.MemoryLimit), "the memory limit"
	if need <= min(limit, smallResultBytes) {
		return nil // most computes: no need to read /proc/meminfo for them
	}
	if free := float64(availableMemory()); free > 0 && free < limit {
		limit, what = free, "the free memory"
	}
	if need <= limit {
		return nil
	}
	return obj.Errorf("MemoryError", "compute() would need %s for a result of shape %s (%s), more than %s of %s",
		humanBytes(int64(min(need, 1<<62))), shapeString(shape), dt, what, humanBytes(int64(limit))).
		WithHint("reduce or slice first (e.g. .mean(axis=0), [0, :10]) or rebin, so that only the result you need is in memory; Client(memory_limit='…') sets the limit per worker")
}

// reclaimMinBytes is the smallest compute output for which reclaimBefore collects: below
// it, garbage costs less memory than a collection is worth in time.
const reclaimMinBytes = 16 << 20

// reclaimBefore runs a collection before a compute allocates an output of size bytes when
// the heap holds at least half that much, of which the last collection cannot say what
// is dead now: typically the result of an earlier compute, dropped since (a plot's
// frame, a temporary reduced further, the previous run of the same cell). The last
// collection ran while that result was live, and Go's pacer would collect again only
// once the new output is allocated, from fresh pages, so old and new would be resident
// together and the compute's peak would be twice its output. After the collection the
// new output reuses the freed pages. The mark costs a few milliseconds (outputs are
// pointer-free) where filling an output this size takes a good part of a second.
func reclaimBefore(size int64) {
	if size < reclaimMinBytes {
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
