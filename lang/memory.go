package lang

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"

	"gokist/obj"
)

// Growth of the language's own containers (lists, dicts, sets, strings built by + and *,
// comprehensions) is accounted so that a cell that keeps growing them gets a
// MemoryError before the machine runs out, not an OOM kill: every growCheck bytes of
// growth the heap is compared with the memory that is left.
const growCheck = 16 << 20

// memoryReserve is what must stay free for the kernel itself.
const memoryReserve = 256 << 20

// grow accounts n more bytes of container growth in the running cell.
func (s *Session) grow(n int) error {
	s.grown += n
	if s.grown < growCheck {
		return nil
	}
	s.grown = 0
	return checkMemory()
}

// checkMemory is the MemoryError once the Go heap nears its limit (GOMEMLIMIT) or the
// machine's available memory falls below the reserve.
func checkMemory() error {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	var heap int64
	if sample[0].Value.Kind() == metrics.KindUint64 {
		heap = int64(sample[0].Value.Uint64())
	}
	if limit := debug.SetMemoryLimit(-1); heap > limit-limit/10 {
		return obj.Errorf("MemoryError", "the cell's lists, dicts and strings use %d MiB, near the kernel's memory limit of %d MiB", heap>>20, limit>>20)
	}
	if avail := availableMemory(); avail > 0 && avail < memoryReserve {
		return obj.Errorf("MemoryError", "the cell's lists, dicts and strings use %d MiB and the machine has %d MiB left", heap>>20, avail>>20)
	}
	return nil
}

// availableMemory is MemAvailable from /proc/meminfo in bytes, or 0 when unknown.
func availableMemory() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemAvailable:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// sizeOf estimates the bytes a new container value holds: 16 per item, strings' bytes.
func sizeOf(v any) int {
	switch x := v.(type) {
	case string:
		return len(x)
	case *obj.List:
		return 16 * len(*x)
	case obj.List:
		return 16 * len(x)
	case obj.Tuple:
		return 16 * len(x)
	}
	return 16
}
