//go:build !linux

package nbrun

import "syscall"

// kernelProcAttr puts the kernel in a process group of its own; without Linux's
// Pdeathsig, the kernel's JPY_PARENT_PID watcher ends it when this process dies.
func kernelProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }
