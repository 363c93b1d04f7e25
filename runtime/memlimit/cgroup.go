package memlimit

import (
	"fmt"
	"math"
	"os"
	"path"
	"path/filepath"
	goruntime "runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// cgroupUnlimited is the least a cgroup v1 limit file holds when no limit is set
// (the page-rounded maximum of an int64, 9223372036854771712).
const cgroupUnlimited = 1 << 62

// cgroupPaths reads /proc/self/cgroup: the process's cgroup path for each v1
// controller, and under "" the v2 (unified) path.
func (s System) cgroupPaths() map[string]string {
	b, err := s.readFile("proc/self/cgroup")
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[1] == "" {
			out[""] = parts[2]
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			out[c] = parts[2]
		}
	}
	return out
}

// cgroupDirs lists the directories of the cgroup at path in the hierarchy mounted at
// mount and of its ancestors, innermost first. Inside a container the mount may be the
// container's own cgroup while /proc/self/cgroup gives the host's path: directories that
// do not exist are skipped, so that the search ends at the mount's root.
func (s System) cgroupDirs(mount, p string) []string {
	var out []string
	for p = path.Clean("/" + p); ; p = path.Dir(p) {
		dir := filepath.Join(s.root(), mount, p)
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			out = append(out, dir)
		}
		if p == "/" {
			return out
		}
	}
}

// readCgroupInt reads the first field of a cgroup file as an integer; ok false when the
// file is absent, says "max" or holds no number.
func readCgroupInt(file string) (int64, bool) {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0, false
	}
	fields := strings.Fields(string(b))
	if len(fields) == 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(fields[0], 10, 64)
	return n, err == nil
}

// cgroupStat reads one key of a cgroup's memory.stat (0 when absent).
func cgroupStat(dir, key string) int64 {
	b, err := os.ReadFile(filepath.Join(dir, "memory.stat"))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == key {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}

// cgroupMemory is the tightest memory limit of the process's cgroup and its ancestors
// (v1 memory.limit_in_bytes, v2 memory.max), with what is free of it: the limit less
// the usage, of which the inactive page cache can be reclaimed (as the kubelet's
// working set counts it). ok false when no limit is set.
func (s System) cgroupMemory() (memoryBound, bool) {
	paths := s.cgroupPaths()
	best, found := memoryBound{}, false
	consider := func(dir, limitFile, usageFile, inactiveKey string) {
		limit, ok := readCgroupInt(filepath.Join(dir, limitFile))
		if !ok || limit <= 0 || limit >= cgroupUnlimited || (found && limit >= best.limit) {
			return
		}
		free := int64(-1)
		if usage, ok := readCgroupInt(filepath.Join(dir, usageFile)); ok {
			free = min(limit, max(0, limit-usage+cgroupStat(dir, inactiveKey)))
		}
		// The file as the process sees it: its path under the system's root, from that root.
		shown := filepath.Join(dir, limitFile)
		if rel, err := filepath.Rel(s.root(), shown); err == nil {
			shown = "/" + rel
		}
		best = memoryBound{limit, free, "the %s free under the cgroup's memory limit (" + escapePercent(fmt.Sprintf("%s = %s)", shown, HumanBytes(limit)))}
		found = true
	}
	if p, ok := paths["memory"]; ok {
		for _, dir := range s.cgroupDirs("sys/fs/cgroup/memory", p) {
			consider(dir, "memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file")
		}
	}
	if p, ok := paths[""]; ok {
		for _, mount := range []string{"sys/fs/cgroup", "sys/fs/cgroup/unified"} {
			for _, dir := range s.cgroupDirs(mount, p) {
				consider(dir, "memory.max", "memory.current", "inactive_file")
			}
		}
	}
	return best, found
}

// cgroupCPUs is the CPU quota of the process's cgroup and its ancestors in whole CPUs,
// rounded up (v1 cpu.cfs_quota_us / cpu.cfs_period_us, v2 cpu.max), or 0 when none.
func (s System) cgroupCPUs() int {
	paths := s.cgroupPaths()
	best := 0
	take := func(quota, period int64) {
		if quota <= 0 || period <= 0 {
			return
		}
		if n := int(math.Ceil(float64(quota) / float64(period))); best == 0 || n < best {
			best = n
		}
	}
	for _, c := range []string{"cpu", "cpuacct"} {
		if p, ok := paths[c]; ok {
			for _, mount := range []string{"sys/fs/cgroup/cpu", "sys/fs/cgroup/cpu,cpuacct"} {
				for _, dir := range s.cgroupDirs(mount, p) {
					q, okq := readCgroupInt(filepath.Join(dir, "cpu.cfs_quota_us"))
					per, okp := readCgroupInt(filepath.Join(dir, "cpu.cfs_period_us"))
					if okq && okp {
						take(q, per)
					}
				}
			}
		}
	}
	if p, ok := paths[""]; ok {
		for _, mount := range []string{"sys/fs/cgroup", "sys/fs/cgroup/unified"} {
			for _, dir := range s.cgroupDirs(mount, p) {
				b, err := os.ReadFile(filepath.Join(dir, "cpu.max"))
				if f := strings.Fields(string(b)); err == nil && len(f) == 2 {
					q, errq := strconv.ParseInt(f[0], 10, 64) // "max": no quota
					per, errp := strconv.ParseInt(f[1], 10, 64)
					if errq == nil && errp == nil {
						take(q, per)
					}
				}
			}
		}
	}
	return best
}

// DefaultWorkers is this machine's System.Workers.
func DefaultWorkers() int { return System{}.Workers() }

// Workers is the worker count of a client made without one: the smallest of
// GOKIST_WORKERS (a hub sets it in the kernelspec), the cgroup's CPU quota and the
// machine's cores, so that a kernel among many on one server never assumes it owns the
// machine.
func (s System) Workers() int {
	n := goruntime.NumCPU()
	if q := s.cgroupCPUs(); q > 0 && q < n {
		n = q
	}
	if v, ok := os.LookupEnv(workersEnv); ok {
		w, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || w <= 0 {
			warnEnvOnce(workersEnv, v, "a positive number of workers")
		} else if w < n {
			n = w
		}
	}
	return n
}

// ParseMemoryLimit reads a GOKIST_MEMORY_LIMIT value ('2GB', '1.5GiB', bytes) as the
// kernel will, so that `gokist install --memory-limit` refuses what a kernel would
// ignore; a limit below 16 MiB, too little to hold a few chunks, is refused too.
func ParseMemoryLimit(s string) (int64, error) {
	n, err := ParseByteString(memoryLimitEnv, s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a size such as '2GB' or '512MiB'", s)
	}
	if n < MinWorkerMemory {
		return 0, fmt.Errorf("%q is below 16 MiB, too little to hold a few chunks", s)
	}
	return n, nil
}

// ApplyKernelLimits sizes the Go runtime of a kernel process from the limits it is
// given, once at its start: GOMAXPROCS to its default workers plus one (which keeps the
// protocol goroutines scheduled promptly while every worker computes), and, when its
// memory share (GOKIST_MEMORY_LIMIT or the cgroup's limit) is below the machine's, Go's
// soft memory limit to that share. The collector then works to stay under it, and the
// language's containers growing near it are a MemoryError instead of the cgroup's OOM
// kill. GOMAXPROCS and GOMEMLIMIT set by hand win.
func ApplyKernelLimits() {
	if os.Getenv("GOMAXPROCS") == "" {
		goruntime.GOMAXPROCS(DefaultWorkers() + 1)
	}
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	host := System{}
	machine, _ := host.machineMemory()
	if share := host.Total(); share > 0 && (machine == 0 || share < machine) {
		debug.SetMemoryLimit(share)
	}
}

// MemoryLimitEnv and WorkersEnv name the environment variables a hub sets in the
// kernelspec to give a kernel its share of the machine.
const (
	MemoryLimitEnv = memoryLimitEnv
	WorkersEnv     = workersEnv
)

var envWarned sync.Map

// warnEnvOnce says on the kernel's stderr (its log) that an environment variable's value
// is unusable and ignored, once per variable and value.
func warnEnvOnce(name, value, want string) {
	if _, done := envWarned.LoadOrStore(name+"="+value, true); !done {
		fmt.Fprintf(os.Stderr, "gokist: %s=%q is not %s; ignored\n", name, value, want)
	}
}

// escapePercent makes s safe to put into a format string.
func escapePercent(s string) string { return strings.ReplaceAll(s, "%", "%%") }

// rlimitMemory gives the bounds set by ulimit -v (RLIMIT_AS, against the process's
// virtual size VmSize) and ulimit -d (RLIMIT_DATA, against VmData): past them an
// allocation fails, which Go cannot survive.
func (s System) rlimitMemory() []memoryBound {
	var out []memoryBound
	for _, r := range []struct {
		res        int
		status     string
		flag, name string
	}{{syscall.RLIMIT_AS, "VmSize:", "-v", "address-space"}, {syscall.RLIMIT_DATA, "VmData:", "-d", "data"}} {
		var lim syscall.Rlimit
		if s.getrlimit(r.res, &lim) != nil || lim.Cur >= cgroupUnlimited {
			continue
		}
		limit := int64(lim.Cur)
		free := int64(-1)
		if used, ok := s.procStatusBytes(r.status); ok {
			free = max(0, limit-used)
		}
		out = append(out, memoryBound{limit, free, "the %s free under the process's " + r.name + " limit (" + escapePercent(fmt.Sprintf("ulimit %s = %s", r.flag, HumanBytes(limit))) + ")"})
	}
	return out
}

// procStatusBytes reads a "Key: N kB" line of /proc/self/status in bytes.
func (s System) procStatusBytes(key string) (int64, bool) {
	b, err := s.readFile("proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == key {
			n, err := strconv.ParseInt(f[1], 10, 64)
			return n * 1024, err == nil
		}
	}
	return 0, false
}
