package memlimit

import (
	"os"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"strings"
	"syscall"
)

// System is the machine the limits are read from. The zero System is this one.
type System struct {
	// Root is the directory under which proc/meminfo, proc/self/cgroup,
	// proc/self/status and sys/fs/cgroup/… are read ("": "/").
	Root string
	// Getrlimit reads a resource limit (nil: syscall.Getrlimit).
	Getrlimit func(resource int, rlim *syscall.Rlimit) error
}

// root is the directory the system's files are read under.
func (s System) root() string {
	if s.Root == "" {
		return "/"
	}
	return s.Root
}

// getrlimit reads a resource limit of the system.
func (s System) getrlimit(resource int, rlim *syscall.Rlimit) error {
	if s.Getrlimit != nil {
		return s.Getrlimit(resource, rlim)
	}
	return syscall.Getrlimit(resource, rlim)
}

// readFile reads a file of the system, p relative to its root.
func (s System) readFile(p string) ([]byte, error) {
	return os.ReadFile(filepath.Join(s.root(), p))
}

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
func (s System) memoryBounds() []memoryBound {
	return append(s.sizingBounds(), s.rlimitMemory()...)
}

// sizingBounds lists the limits a kernel sizes itself from: the machine's memory
// (/proc/meminfo), the memory cgroup's limit (v1 memory.limit_in_bytes or v2 memory.max,
// of the process's cgroup and its ancestors) and GOKIST_MEMORY_LIMIT. A container's limit
// is invisible in /proc/meminfo: a compute allowed by it alone would be ended by the OOM
// killer.
func (s System) sizingBounds() []memoryBound {
	var out []memoryBound
	if total, free := s.machineMemory(); total > 0 {
		out = append(out, memoryBound{total, free, "the free memory of %s"})
	}
	if b, ok := s.cgroupMemory(); ok {
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

// Total is the most memory the process may use, in bytes: the smallest of the
// machine's memory, the cgroup's limit and GOKIST_MEMORY_LIMIT (not the ulimits: see
// SessionLimit); 0 when unknown.
func (s System) Total() int64 {
	var total int64
	for _, b := range s.sizingBounds() {
		if total == 0 || b.limit < total {
			total = b.limit
		}
	}
	return total
}

// TotalMemory is this machine's System.Total.
func TotalMemory() int64 { return System{}.Total() }

// Available is what can be allocated now without swapping or the OOM killer, in
// bytes, and the limit that decides it, a description with a %s for the amount ("the %s
// free under the cgroup's memory limit (…)"); 0 and "" when unknown.
func (s System) Available() (int64, string) {
	var free int64
	what := ""
	for _, b := range s.memoryBounds() {
		if b.free >= 0 && (what == "" || b.free < free) {
			free, what = b.free, b.what
		}
	}
	return free, what
}

// machineMemory reads MemTotal and MemAvailable from /proc/meminfo in bytes (0 and -1
// when unknown).
func (s System) machineMemory() (total, free int64) {
	total, free = 0, -1
	b, err := s.readFile("proc/meminfo")
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

// ProcessMemory is the memory the Go runtime holds from the OS now, in bytes.
func ProcessMemory() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64() - s[1].Value.Uint64())
}

// SessionLimit is the memory a session's client plans with, given the total a
// Client(memory_limit=…) asked for (0: none). An explicit request holds within the
// limits the kernel is given; else the limit is the smallest of GOKIST_MEMORY_LIMIT, the
// cgroup's limit and the machine's memory (4 GiB when none is known), as dask's Client
// shares the machine's memory among its workers by default (each compute is also held
// to the memory free when it starts, so the default cannot let one exhaust the machine).
// The ulimits play no part in the sizing: a Go program's address space is far larger
// than what it uses (the runtime reserves it ahead), so `ulimit -v` says nothing of how
// much a kernel may compute; what is free under them still bounds each compute
// (Available).
func (s System) SessionLimit(requested int64) int64 {
	given := s.Total()
	switch {
	case requested <= 0 && given > 0:
		return given
	case requested <= 0:
		return 4 << 30
	case given > 0 && requested > given:
		return given
	}
	return requested
}
