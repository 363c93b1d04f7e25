package testproc

import (
	"syscall"
)

// prSetChildSubreaper is prctl's PR_SET_CHILD_SUBREAPER (linux/prctl.h).
const prSetChildSubreaper = 36

// init makes the test binary the subreaper of everything it starts: a process whose
// parent dies (a kernel whose jupyter-console was killed, a daemon that double-forked
// and called setsid) is reparented to the test binary instead of init, so Leftovers
// finds it through the parent chain even when it dropped the tag from its environment.
func init() {
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0)
}

// sysProcAttr puts the child in a process group of its own, and kills it when the test
// binary dies (a -timeout panic runs no cleanup).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// reapAdopted collects the exit status of the test binary's exited children that no one
// waits for (orphans it adopted as subreaper), so that none stays a zombie.
func reapAdopted() {
	for pid, p := range processes() {
		if p.ppid == selfPid && p.zombie {
			var ws syscall.WaitStatus
			_, _ = syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
		}
	}
}
