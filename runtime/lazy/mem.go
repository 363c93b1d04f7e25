package lazy

import (
	"fmt"
	"os"
	"path/filepath"
	goruntime "runtime"
	"runtime/metrics"
	"strconv"
	"strings"

	"gokist/obj"
)

// sysRoot is the directory under which the machine's and the cgroup's memory and CPU
// limits are read (proc/meminfo, proc/self/cgroup, sys/fs/cgroup/…): "/" but for tests,
// which build fake trees.
var sysRoot = "/"

// memoryLimitEnv caps the memory the kernel plans with, below what the machine and the
// cgroup allow (a size such as '8GB'); workersEnv sets the default worker count.
const (
	memoryLimitEnv = "GOKIST_MEMORY_LIMIT"
	workersEnv     = "GOKIST_WORKERS"
)

// memoryBound is one limit on the process's memory: its size, what is free of it now
// (-1 when unknown) and its description for messages, with a %s for the free amount.
type memoryBound struct {
	limit, free int64
	what        string
}

// memoryBounds lists the limits that hold: those a kernel sizes itself from
// (sizingBounds) and the address-space and data ulimits, which bound each compute.
func memoryBounds() []memoryBound {
	return append(sizingBounds(), rlimitMemory()...)
}

// sizingBounds lists the limits a kernel sizes itself from: the machine's memory
// (/proc/meminfo), the memory cgroup's limit (v1 memory.limit_in_bytes or v2 memory.max,
// of the process's cgroup and its ancestors) and GOKIST_MEMORY_LIMIT. A container's limit
// is invisible in /proc/meminfo: a compute allowed by it alone would be ended by the OOM
// killer.
func sizingBounds() []memoryBound {
	var out []memoryBound
	if total, free := machineMemory(); total > 0 {
		out = append(out, memoryBound{total, free, "the free memory of %s"})
	}
	if b, ok := cgroupMemory(); ok {
		out = append(out, b)
	}
	if v, ok := os.LookupEnv(memoryLimitEnv); ok {
		n, err := ParseByteString(memoryLimitEnv, v)
		if err != nil || n <= 0 {
			warnEnvOnce(memoryLimitEnv, v, "a size such as '8GB' or '512MiB'")
		} else {
			out = append(out, memoryBound{n, max(0, n-ProcessMemory()), "the %s free under " + escapePercent(memoryLimitEnv+"="+v)})
		}
	}
	return out
}

// totalMemory is the most memory the process may use, in bytes: the smallest of the
// machine's memory, the cgroup's limit and GOKIST_MEMORY_LIMIT (not the ulimits: see
// sessionMemoryLimit); 0 when unknown.
func TotalMemory() int64 {
	var total int64
	for _, b := range sizingBounds() {
		if total == 0 || b.limit < total {
			total = b.limit
		}
	}
	return total
}

// availableMemory is what can be allocated now without swapping or the OOM killer, in
// bytes, and the limit that decides it; 0 when unknown.
func availableMemory() (int64, string) {
	var free int64
	what := ""
	for _, b := range memoryBounds() {
		if b.free >= 0 && (what == "" || b.free < free) {
			free, what = b.free, b.what
		}
	}
	return free, what
}

// machineMemory reads MemTotal and MemAvailable from /proc/meminfo in bytes (0 and -1
// when unknown).
func machineMemory() (total, free int64) {
	total, free = 0, -1
	b, err := os.ReadFile(filepath.Join(sysRoot, "proc/meminfo"))
	if err != nil {
		return 0, -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		kb, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			continue
		}
		switch fields[0] {
		case "MemTotal:":
			total = kb * 1024
		case "MemAvailable:":
			free = kb * 1024
		}
	}
	return total, free
}

// processMemory is the memory the Go runtime holds from the OS now, in bytes.
func ProcessMemory() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64() - s[1].Value.Uint64())
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
func CheckFits(c *Client, shape []int, dt DType, perElement float64) error {
	need := perElement
	for _, n := range shape {
		need *= float64(n) // in float64: an absurd shape must not wrap around to a small size
	}
	limit, what := float64(c.MemoryLimit), "the memory limit of %s"
	if need <= min(limit, smallResultBytes) {
		return nil // most computes: no need to read /proc/meminfo for them
	}
	if free, by := availableMemory(); by != "" && float64(free) < limit {
		limit, what = float64(free), by
	}
	if need <= limit {
		return nil
	}
	// Under a share given to the kernel (GOKIST_MEMORY_LIMIT, a cgroup) a larger
	// Client(memory_limit=…) is no way out: say so rather than suggest it.
	raise := "Client(memory_limit='…') sets the limit per worker"
	if strings.Contains(what, memoryLimitEnv) || strings.Contains(what, "cgroup") {
		raise = "this kernel's share of the machine is fixed where it was started (a larger Client(memory_limit=…) stays within it)"
	}
	return obj.Errorf("MemoryError", "compute() would need %s for a result of shape %s (%s), more than %s",
		HumanBytes(int64(min(need, 1<<62))), ShapeString(shape), dt, fmt.Sprintf(what, HumanBytes(int64(limit)))).
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
