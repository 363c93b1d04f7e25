package runtime

import (
	"bufio"
	"os"
	goruntime "runtime"
	"runtime/metrics"
	"strconv"
	"strings"
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
