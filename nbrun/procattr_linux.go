package nbrun

import "syscall"

// kernelProcAttr puts the kernel in a process group of its own, so that a terminal's
// Ctrl-C reaches us and we decide, and has the kernel killed when this process dies
// however it dies (SIGKILL, a crash): a kernel never outlives its client.
func kernelProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
