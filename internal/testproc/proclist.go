package testproc

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// procInfo is what the process list keeps of one process.
type procInfo struct {
	ppid   int
	start  uint64 // start time in clock ticks since boot: with the pid, a process's identity
	zombie bool
}

var (
	selfPid = os.Getpid()
	began   = time.Now()
	// before is the process list when the test binary started (pid -> start time).
	before = func() map[int]uint64 {
		m := map[int]uint64{}
		for pid, p := range processes() {
			m[pid] = p.start
		}
		return m
	}()
)

// processes reads /proc: every live process with its parent and start time.
func processes() map[int]procInfo {
	ents, _ := os.ReadDir("/proc")
	procs := make(map[int]procInfo, len(ents))
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// The fields after the command name, which is in parentheses and may hold spaces:
		// state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime
		// stime cutime cstime priority nice num_threads itrealvalue starttime.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := bytes.Fields(b[i+1:])
		if len(f) < 20 {
			continue
		}
		ppid, _ := strconv.Atoi(string(f[1]))
		start, _ := strconv.ParseUint(string(f[19]), 10, 64)
		procs[pid] = procInfo{ppid: ppid, start: start, zombie: f[0][0] == 'Z' || f[0][0] == 'X'}
	}
	return procs
}

// descendants lists the live (not zombie) processes whose parent chain leads to root.
func descendants(procs map[int]procInfo, root int) []int {
	children := map[int][]int{}
	for pid, p := range procs {
		children[p.ppid] = append(children[p.ppid], pid)
	}
	var out []int
	stack := []int{root}
	for len(stack) > 0 {
		pid := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, c := range children[pid] {
			if !procs[c].zombie {
				out = append(out, c)
			}
			stack = append(stack, c)
		}
	}
	return out
}

var alarmOnce sync.Once

// armAlarm makes sure that a test binary stopped by go test's -timeout leaves nothing
// running: the panic that ends it runs no cleanup, so shortly before that deadline every
// process the tests started is killed, and the hung test fails with its output instead.
func armAlarm() {
	alarmOnce.Do(func() {
		f := flag.Lookup("test.timeout")
		if f == nil {
			return
		}
		g, ok := f.Value.(flag.Getter)
		if !ok {
			return
		}
		limit, ok := g.Get().(time.Duration)
		if !ok || limit <= 0 {
			return
		}
		margin := min(limit/10, time.Minute)
		time.AfterFunc(time.Until(began.Add(limit-margin)), func() {
			pids := Leftovers()
			fmt.Fprintf(os.Stderr, "testproc: the test binary's -timeout of %v is %v away: killing the %d processes its tests started (%v)\n",
				limit, margin, len(pids), pids)
			for _, pid := range pids {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		})
	})
}
