package memlimit

import (
	"math"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"syscall"
	"testing"
)

// fakeSys builds a fake /proc and /sys/fs/cgroup under a temporary directory from a map of
// file paths to contents: the System over it has no ulimits, whatever the test run has
// (the tree stands for the whole machine).
func fakeSys(t *testing.T, files map[string]string) System {
	t.Helper()
	root := t.TempDir()
	for p, text := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return System{Root: root, Getrlimit: noRlimits}
}

// noRlimits reads every resource limit as unlimited (RLIM_INFINITY).
func noRlimits(res int, lim *syscall.Rlimit) error {
	lim.Cur, lim.Max = math.MaxUint64, math.MaxUint64
	return nil
}

const (
	giB = int64(1) << 30
	miB = int64(1) << 20
	// meminfo20 is a machine with 24 GiB, 20 GiB of it available.
	meminfo20 = "MemTotal:       25165824 kB\nMemFree:         1000000 kB\nMemAvailable:   20971520 kB\n"
	// v1Unlimited is what memory.limit_in_bytes holds when no limit is set.
	v1Unlimited = "9223372036854771712\n"
)

// TestCgroupMemoryLimits: the memory the kernel plans with is the smallest of the
// machine's, the memory cgroup's (v1 or v2, the process's own cgroup or an ancestor) and
// GOKIST_MEMORY_LIMIT; what is free under a cgroup is its limit less its usage, the
// inactive page cache counting as free.
func TestCgroupMemoryLimits(t *testing.T) {
	t.Setenv(memoryLimitEnv, "")
	t.Setenv(memoryLimitEnv, "")
	os.Unsetenv(memoryLimitEnv)
	cases := []struct {
		name        string
		files       map[string]string
		total, free int64
		what        string
	}{
		{"no cgroup limit (this machine's v1 hierarchy)", map[string]string{
			"proc/meminfo":     meminfo20,
			"proc/self/cgroup": "4:memory:/process_api/abc\n1:cpu:/\n0::/\n",
			"sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes": v1Unlimited,
			"sys/fs/cgroup/memory/process_api/abc/memory.usage_in_bytes": "4112384\n",
			"sys/fs/cgroup/memory/memory.limit_in_bytes":                 v1Unlimited,
		}, 24 * giB, 20 * giB, "the free memory of"},
		{"v1 limit of the process's cgroup", map[string]string{
			"proc/meminfo":     meminfo20,
			"proc/self/cgroup": "4:memory:/process_api/abc\n0::/\n",
			"sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes": "2147483648\n",
			"sys/fs/cgroup/memory/process_api/abc/memory.usage_in_bytes": "805306368\n", // 768 MiB
			"sys/fs/cgroup/memory/process_api/abc/memory.stat":           "cache 300000000\ntotal_inactive_file 268435456\n",
			"sys/fs/cgroup/memory/memory.limit_in_bytes":                 v1Unlimited,
		}, 2 * giB, 2*giB - 768*miB + 256*miB, "cgroup's memory limit (/sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes = 2.00 GiB)"},
		{"v1 limit of an ancestor", map[string]string{
			"proc/meminfo":     meminfo20,
			"proc/self/cgroup": "4:memory:/process_api/abc\n",
			"sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes": "4294967296\n",
			"sys/fs/cgroup/memory/process_api/abc/memory.usage_in_bytes": "0\n",
			"sys/fs/cgroup/memory/process_api/memory.limit_in_bytes":     "1073741824\n",
			"sys/fs/cgroup/memory/process_api/memory.usage_in_bytes":     "536870912\n",
		}, giB, giB / 2, "process_api/memory.limit_in_bytes = 1.00 GiB"},
		{"v1 container: the host's path, the container's cgroup mounted at the root", map[string]string{
			"proc/meminfo":     meminfo20,
			"proc/self/cgroup": "9:memory:/docker/0123abcd\n",
			"sys/fs/cgroup/memory/memory.limit_in_bytes": "3221225472\n",
			"sys/fs/cgroup/memory/memory.usage_in_bytes": "1073741824\n",
		}, 3 * giB, 2 * giB, "(/sys/fs/cgroup/memory/memory.limit_in_bytes = 3.00 GiB)"},
		{"v2 memory.max", map[string]string{
			"proc/meminfo":     meminfo20,
			"proc/self/cgroup": "0::/user.slice/app.scope\n",
			"sys/fs/cgroup/user.slice/app.scope/memory.max":     "1610612736\n",
			"sys/fs/cgroup/user.slice/app.scope/memory.current": "536870912\n",
			"sys/fs/cgroup/user.slice/app.scope/memory.stat":    "anon 1\ninactive_file 0\n",
			"sys/fs/cgroup/user.slice/memory.max":               "max\n",
		}, 1536 * miB, giB, "(/sys/fs/cgroup/user.slice/app.scope/memory.max = 1.50 GiB)"},
		{"v2 unlimited", map[string]string{
			"proc/meminfo":                            meminfo20,
			"proc/self/cgroup":                        "0::/user.slice\n",
			"sys/fs/cgroup/user.slice/memory.max":     "max\n",
			"sys/fs/cgroup/user.slice/memory.current": "536870912\n",
		}, 24 * giB, 20 * giB, "the free memory of"},
	}
	for _, c := range cases {
		s := fakeSys(t, c.files)
		if got := s.Total(); got != c.total {
			t.Errorf("%s: total memory %s, want %s", c.name, HumanBytes(got), HumanBytes(c.total))
		}
		free, what := s.Available()
		if free != c.free || !strings.Contains(what, c.what) {
			t.Errorf("%s: available %s (%q), want %s (%q)", c.name, HumanBytes(free), what, HumanBytes(c.free), c.what)
		}
	}

	// GOKIST_MEMORY_LIMIT caps both, below the cgroup's limit.
	s := fakeSys(t, cases[1].files)
	t.Setenv(memoryLimitEnv, "512MiB")
	if got := s.Total(); got != 512*miB {
		t.Errorf("%s=512MiB: total memory %s", memoryLimitEnv, HumanBytes(got))
	}
	if free, what := s.Available(); free > 512*miB || !strings.Contains(what, memoryLimitEnv+"=512MiB") {
		t.Errorf("%s=512MiB: available %s (%q)", memoryLimitEnv, HumanBytes(free), what)
	}
}

// TestCgroupCPUQuotaWorkers: a client's default worker count is the cgroup's CPU quota
// (rounded up) when it is below the core count, and GOKIST_WORKERS when set.
func TestCgroupCPUQuotaWorkers(t *testing.T) {
	t.Setenv(workersEnv, "")
	os.Unsetenv(workersEnv)
	s := fakeSys(t, map[string]string{
		"proc/self/cgroup": "3:cpu,cpuacct:/kubepods/pod1\n",
		"sys/fs/cgroup/cpu/kubepods/pod1/cpu.cfs_quota_us":  "50000\n",
		"sys/fs/cgroup/cpu/kubepods/pod1/cpu.cfs_period_us": "100000\n",
		"sys/fs/cgroup/cpu/cpu.cfs_quota_us":                "-1\n",
		"sys/fs/cgroup/cpu/cpu.cfs_period_us":               "100000\n",
	})
	if n := s.cgroupCPUs(); n != 1 {
		t.Errorf("v1 quota 50000/100000: %d CPUs, want 1", n)
	}
	if n := s.Workers(); n != 1 {
		t.Errorf("v1 quota of half a CPU: %d default workers, want 1", n)
	}
	s = fakeSys(t, map[string]string{
		"proc/self/cgroup":          "0::/app\n",
		"sys/fs/cgroup/app/cpu.max": "250000 100000\n",
		"sys/fs/cgroup/cpu.max":     "max 100000\n",
	})
	if n := s.cgroupCPUs(); n != 3 {
		t.Errorf("v2 cpu.max 250000 100000: %d CPUs, want 3", n)
	}
	s = fakeSys(t, map[string]string{"proc/self/cgroup": "0::/app\n", "sys/fs/cgroup/app/cpu.max": "max 100000\n"})
	if n := s.cgroupCPUs(); n != 0 {
		t.Errorf("v2 cpu.max max: %d CPUs, want no quota", n)
	}
	// GOKIST_WORKERS lowers the count, never raises it past the quota or the cores.
	t.Setenv(workersEnv, "1")
	if n := s.Workers(); n != 1 {
		t.Errorf("%s=1: %d default workers", workersEnv, n)
	}
	t.Setenv(workersEnv, "64")
	if n, cores := s.Workers(), goruntime.NumCPU(); n != cores {
		t.Errorf("%s=64 on %d cores and no quota: %d default workers, want %d", workersEnv, cores, n, cores)
	}
	s = fakeSys(t, map[string]string{
		"proc/self/cgroup": "3:cpu,cpuacct:/hub/student7\n",
		"sys/fs/cgroup/cpu/hub/student7/cpu.cfs_quota_us":  "100000\n",
		"sys/fs/cgroup/cpu/hub/student7/cpu.cfs_period_us": "100000\n",
	})
	if n := s.Workers(); n != 1 {
		t.Errorf("%s=64 in a cgroup of one CPU: %d default workers, want 1", workersEnv, n)
	}
	t.Setenv(workersEnv, "many")
	if n := s.Workers(); n != 1 {
		t.Errorf("%s=many (ignored) in a cgroup of one CPU: %d default workers, want 1", workersEnv, n)
	}
}

// TestSessionMemoryPrecedence: a client's memory limit is an explicit request held
// within the limits the kernel is given, else the smallest of GOKIST_MEMORY_LIMIT, the
// cgroup's limit and the machine's memory; an address-space ulimit is not among them.
func TestSessionMemoryPrecedence(t *testing.T) {
	t.Setenv(memoryLimitEnv, "")
	os.Unsetenv(memoryLimitEnv)
	cgroup2G := map[string]string{
		"proc/meminfo":     meminfo20,
		"proc/self/cgroup": "4:memory:/hub/student7\n",
		"sys/fs/cgroup/memory/hub/student7/memory.limit_in_bytes": "2147483648\n",
		"sys/fs/cgroup/memory/hub/student7/memory.usage_in_bytes": "0\n",
	}
	cases := []struct {
		name      string
		files     map[string]string
		env       string
		requested int64
		want      int64
	}{
		{"the machine alone", map[string]string{"proc/meminfo": meminfo20, "proc/self/cgroup": "0::/\n"}, "", 0, 24 * giB},
		{"a cgroup limit below the machine", cgroup2G, "", 0, 2 * giB},
		{"GOKIST_MEMORY_LIMIT below the cgroup's", cgroup2G, "1GiB", 0, giB},
		{"GOKIST_MEMORY_LIMIT above the cgroup's", cgroup2G, "8GiB", 0, 2 * giB},
		{"an explicit request within the limits", cgroup2G, "1GiB", 512 * miB, 512 * miB},
		{"an explicit request above GOKIST_MEMORY_LIMIT", cgroup2G, "1GiB", 16 * giB, giB},
		{"an explicit request above the cgroup's", cgroup2G, "", 16 * giB, 2 * giB},
		{"an explicit request above the machine", map[string]string{"proc/meminfo": meminfo20, "proc/self/cgroup": "0::/\n"}, "", 64 * giB, 24 * giB},
	}
	for _, c := range cases {
		s := fakeSys(t, c.files)
		if c.env == "" {
			os.Unsetenv(memoryLimitEnv)
		} else {
			t.Setenv(memoryLimitEnv, c.env)
		}
		if got := s.SessionLimit(c.requested); got != c.want {
			t.Errorf("%s: client memory limit %s, want %s", c.name, HumanBytes(got), HumanBytes(c.want))
		}
	}
}

// TestUlimitMemory: an address-space ulimit (ulimit -v) bounds each compute, what is
// free of it being the limit less the process's virtual size, but a kernel does not size
// itself from it: a Go program reserves far more address space than it uses.
func TestUlimitMemory(t *testing.T) {
	t.Setenv(memoryLimitEnv, "")
	os.Unsetenv(memoryLimitEnv)
	s := fakeSys(t, map[string]string{
		"proc/meminfo":     meminfo20,
		"proc/self/cgroup": "0::/\n",
		"proc/self/status": "Name:\tgokist\nVmSize:\t 1048576 kB\nVmData:\t  524288 kB\n",
	})
	s.Getrlimit = func(res int, lim *syscall.Rlimit) error {
		lim.Cur, lim.Max = math.MaxUint64, math.MaxUint64 // RLIM_INFINITY
		if res == syscall.RLIMIT_AS {
			lim.Cur = 3 << 30
		}
		return nil
	}
	if got := s.SessionLimit(0); got != 24*giB {
		t.Errorf("ulimit -v 3 GiB on a 24 GiB machine: the client plans with %s, want the machine's 24 GiB", HumanBytes(got))
	}
	free, what := s.Available()
	if free != 2*giB || !strings.Contains(what, "address-space limit (ulimit -v = 3.00 GiB)") {
		t.Errorf("ulimit -v 3 GiB with 1 GiB mapped: available %s (%q)", HumanBytes(free), what)
	}
}
