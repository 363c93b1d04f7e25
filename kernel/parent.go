package kernel

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// parentPollInterval is how often the kernel checks its parent, as ipykernel's
// ParentPollerUnix (1 s).
const parentPollInterval = time.Second

// parentPID resolves Config.ParentPID: 0 is JPY_PARENT_PID from the environment.
func (k *Kernel) parentPID() int {
	if k.cfg.ParentPID != 0 {
		return max(k.cfg.ParentPID, 0)
	}
	env := strings.TrimSpace(os.Getenv("JPY_PARENT_PID"))
	if env == "" {
		return 0
	}
	pid, err := strconv.Atoi(env)
	if err != nil || pid < 0 {
		k.logf("JPY_PARENT_PID=%q is not a process id: not watching the parent", env)
		return 0
	}
	return pid
}

// watchParent shuts the kernel down when the process that started it dies, as
// ipykernel's ParentPollerUnix does for JPY_PARENT_PID (set by jupyter_client for the
// kernels it owns): a kernel orphaned by a crashed frontend would otherwise run for
// ever. The parent is gone when the kernel's parent process changes (it was
// reparented) or, when JPY_PARENT_PID is not our direct parent (a wrapper script
// between them), when that process no longer exists. PID 1 never goes away, so it is
// not watched (as ipykernel). The exit status is 1, as ipykernel's.
func (k *Kernel) watchParent() {
	pid := k.parentPID()
	if pid <= 1 {
		return
	}
	original := os.Getppid()
	k.goSafe("parent poller", func() {
		tick := time.NewTicker(parentPollInterval)
		defer tick.Stop()
		for {
			select {
			case <-k.ctx.Done():
				return
			case <-tick.C:
			}
			if os.Getppid() != original || !processExists(pid) {
				k.logf("the parent process %d is gone: shutting down", pid)
				k.exit(1)
				return
			}
		}
	})
}

// processExists reports whether pid is a running process (a zombie counts as gone).
func processExists(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return !os.IsNotExist(err)
	}
	// The state follows the command name in parentheses: "pid (comm) S ...".
	if i := strings.LastIndexByte(string(stat), ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] != 'Z'
	}
	return true
}
