package lazy

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"gokist/obj"
	"gokist/runtime/memlimit"
)

// fakeMachine is a machine whose /proc and /sys/fs/cgroup are the files given (paths to
// contents) under a temporary directory, with no ulimits.
func fakeMachine(t *testing.T, files map[string]string) memlimit.System {
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
	return memlimit.System{Root: root, Getrlimit: func(res int, lim *syscall.Rlimit) error {
		lim.Cur, lim.Max = math.MaxUint64, math.MaxUint64 // RLIM_INFINITY
		return nil
	}}
}

// TestComputeOverTheCgroupLimit: a compute that the machine's free memory and the
// client's limit allow but the cgroup's limit does not is a MemoryError naming the
// cgroup's limit, not a kill by the OOM killer.
func TestComputeOverTheCgroupLimit(t *testing.T) {
	t.Setenv(memlimit.MemoryLimitEnv, "")
	os.Unsetenv(memlimit.MemoryLimitEnv)
	m := fakeMachine(t, map[string]string{
		"proc/meminfo":     "MemTotal:       25165824 kB\nMemAvailable:   20971520 kB\n", // 24 GiB, 20 GiB available
		"proc/self/cgroup": "4:memory:/process_api/abc\n",
		"sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes": "2147483648\n",
		"sys/fs/cgroup/memory/process_api/abc/memory.usage_in_bytes": "536870912\n",
	})
	c := NewClientOn(m, 2, 1, 16<<30)                      // as a notebook's Client(memory_limit='8GB') on a bigger machine
	err := CheckFits(c, []int{512, 1024, 512}, Float64, 8) // 2 GiB
	var e *obj.Error
	if !errors.As(err, &e) || e.Class != "MemoryError" {
		t.Fatalf("a 2 GiB result under a 2 GiB cgroup limit with 512 MiB used: %v, want a MemoryError", err)
	}
	for _, part := range []string{"2.00 GiB", "(512, 1024, 512)", "the 1.50 GiB free under the cgroup's memory limit (/sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes = 2.00 GiB)"} {
		if !strings.Contains(e.Msg, part) {
			t.Errorf("%q does not name %q", e.Msg, part)
		}
	}
	// What to do: select or rebin; not a larger Client(memory_limit=…), which the
	// cgroup's limit holds anyway.
	for _, part := range []string{"or rebin", "this kernel's share of the machine is fixed where it was started"} {
		if !strings.Contains(e.Hint, part) {
			t.Errorf("hint %q does not say %q", e.Hint, part)
		}
	}
	if c.MemoryLimit != 2<<30 {
		t.Errorf("a client asking for 16 GiB under a 2 GiB cgroup limit plans with %d bytes, want the cgroup's 2 GiB", c.MemoryLimit)
	}
	if err := CheckFits(c, []int{512, 1024, 256}, Float64, 8); err != nil { // 1 GiB fits
		t.Errorf("a 1 GiB result with 1.5 GiB free: %v", err)
	}
}
