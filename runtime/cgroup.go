package runtime

import (
	"fmt"
	"math"
	"os"
	"path"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"sync"
)

// cgroupUnlimited is the least a cgroup v1 limit file holds when no limit is set
// (the page-rounded maximum of an int64, 9223372036854771712).
const cgroupUnlimited = 1 << 62

// cgroupPaths reads /proc/self/cgroup: the process's cgroup path for each v1
// controller, and under "" the v2 (unified) path.
func cgroupPaths() map[string]string {
	b, err := os.ReadFile(filepath.Join(sysRoot, "proc/self/cgroup"))
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
func cgroupDirs(mount, p string) []string {
	var out []string
	for p = path.Clean("/" + p); ; p = path.Dir(p) {
		dir := filepath.Join(sysRoot, mount, p)
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
func cgroupMemory() (memoryBound, bool) {
	paths := cgroupPaths()
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
		shown := strings.TrimPrefix(filepath.Join(dir, limitFile), filepath.Clean(sysRoot))
		best = memoryBound{limit, free, "the %s free under the cgroup's memory limit (" + escapePercent(fmt.Sprintf("%s = %s)", shown, humanBytes(limit)))}
		found = true
	}
	if p, ok := paths["memory"]; ok {
		for _, dir := range cgroupDirs("sys/fs/cgroup/memory", p) {
			consider(dir, "memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file")
		}
	}
	if p, ok := paths[""]; ok {
		for _, mount := range []string{"sys/fs/cgroup", "sys/fs/cgroup/unified"} {
			for _, dir := range cgroupDirs(mount, p) {
				consider(dir, "memory.max", "memory.current", "inactive_file")
			}
		}
	}
	return best, found
}

// cgroupCPUs is the CPU quota of the process's cgroup and its ancestors in whole CPUs,
// rounded up (v1 cpu.cfs_quota_us / cpu.cfs_period_us, v2 cpu.max), or 0 when none.
func cgroupCPUs() int {
	paths := cgroupPaths()
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
				for _, dir := range cgroupDirs(mount, p) {
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
			for _, dir := range cgroupDirs(mount, p) {
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

// defaultWorkers is the worker count of a client made without one: GOKIST_WORKERS when
// set, else one per CPU the process may use (the cores, or fewer under a cgroup quota).
func defaultWorkers() int {
	if v, ok := os.LookupEnv(workersEnv); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err == nil && n > 0 {
			return n
		}
		warnEnvOnce(workersEnv, v, "a positive number of workers")
	}
	n := goruntime.NumCPU()
	if q := cgroupCPUs(); q > 0 && q < n {
		n = q
	}
	return n
}

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
