// Package testproc is the one way gokist's tests run a subprocess: a kernel, a Python
// reference, a Jupyter tool, a dask server, a browser or an npm tool.
//
// Every process it starts gets its own process group, a deadline and captured output. A
// tag in its environment (GOKIST_TESTPROC=<test binary pid>-<n>) is inherited by all its
// descendants, including those that leave the group with setsid (jupyter_client starts
// kernels in a new session), so that stopping a process kills the group and then every
// process still carrying the tag. On a timeout or a failure the test fails with the
// output so far; nothing keeps running after the test that started it.
package testproc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TagVar is the environment variable that marks a test's processes and their descendants.
const TagVar = "GOKIST_TESTPROC"

// DefaultTimeout is the deadline of a Cmd that sets none: generous, because CI may run
// on a loaded two-core machine.
const DefaultTimeout = 2 * time.Minute

// Cmd describes one subprocess.
type Cmd struct {
	Name    string        // program: a path, or a name looked up in PATH
	Args    []string      // arguments after the program
	Dir     string        // working directory; "" is the test's
	Env     []string      // KEY=VALUE entries added to (and overriding) the test's environment
	Stdin   io.Reader     // standard input; nil is empty
	Stdout  io.Writer     // if set, also receives the standard output as it comes (a line protocol); keep reading it
	Timeout time.Duration // deadline from the start; 0 is DefaultTimeout
}

// Command is a Cmd for name and args with the default timeout.
func Command(name string, args ...string) Cmd { return Cmd{Name: name, Args: args} }

// Proc is a started subprocess.
type Proc struct {
	cmd      *exec.Cmd
	tag      string
	timeout  time.Duration
	out      *lockedBuffer // stdout and stderr interleaved, as a person would see them
	stdout   *lockedBuffer
	stderr   *lockedBuffer
	pipes    []*os.File     // read ends of the child's stdout and stderr
	stdin    *os.File       // write end of the child's stdin, when Cmd.Stdin is set
	copied   sync.WaitGroup // the copies from pipes into out and stdout
	done     chan struct{}
	err      error
	timedOut atomic.Bool
	stopOnce sync.Once
}

var counter atomic.Int64

// Start starts c in the background and registers its stop with t.Cleanup. Use it for
// servers and kernels; the deadline still applies.
func Start(t testing.TB, c Cmd) *Proc {
	t.Helper()
	p, err := start(c)
	if err != nil {
		t.Fatalf("starting %s: %v", c.describe(), err)
	}
	t.Cleanup(p.Stop)
	return p
}

// StartErr is Start for callers that are not tests (TestMain, benchmark setup); the
// caller must call Stop.
func StartErr(c Cmd) (*Proc, error) { return start(c) }

func start(c Cmd) (*Proc, error) {
	armAlarm()
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	tag := fmt.Sprintf("%d-%d", os.Getpid(), counter.Add(1))
	cmd := exec.Command(c.Name, c.Args...)
	cmd.Dir = c.Dir
	cmd.Env = mergeEnv(os.Environ(), append(c.Env, TagVar+"="+tag))
	cmd.SysProcAttr = sysProcAttr()
	p := &Proc{cmd: cmd, tag: tag, timeout: c.Timeout, out: &lockedBuffer{}, stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, done: make(chan struct{})}
	// The pipes are ours, not exec's: Wait then returns when the program exits, even if a
	// descendant still holds the write ends, and wait decides how long to read on.
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = outW, errW
	var inR *os.File
	if c.Stdin != nil {
		if inR, p.stdin, err = os.Pipe(); err != nil {
			return nil, errors.Join(err, outR.Close(), outW.Close(), errR.Close(), errW.Close())
		}
		cmd.Stdin = inR
	}
	err = cmd.Start()
	outW.Close()
	errW.Close()
	if inR != nil {
		inR.Close()
	}
	if err != nil {
		outR.Close()
		errR.Close()
		if p.stdin != nil {
			p.stdin.Close()
		}
		return nil, err
	}
	p.pipes = []*os.File{outR, errR}
	p.copied.Add(2)
	stdout := io.MultiWriter(p.out, p.stdout)
	if c.Stdout != nil {
		stdout = io.MultiWriter(p.out, p.stdout, c.Stdout)
	}
	go p.copy(outR, stdout)
	go p.copy(errR, io.MultiWriter(p.out, p.stderr))
	if p.stdin != nil {
		// A goroutine of ours, not exec's: Wait must not wait for a reader that never ends.
		go func() {
			_, _ = io.Copy(p.stdin, c.Stdin)
			p.stdin.Close()
		}()
	}
	go p.wait()
	return p, nil
}

func (p *Proc) copy(r *os.File, w io.Writer) {
	defer p.copied.Done()
	_, _ = io.Copy(w, r)
}

// pipeGrace is how long the output is read on after the program exited and its group
// and tagged descendants were killed: only a process that escaped both holds it longer.
const pipeGrace = 2 * time.Second

func (p *Proc) wait() {
	timer := time.AfterFunc(p.timeout, func() {
		p.timedOut.Store(true)
		p.kill()
	})
	p.err = p.cmd.Wait()
	timer.Stop()
	if p.stdin != nil {
		p.stdin.Close()
	}
	// Whatever the program left behind in its group or with its tag goes with it.
	p.kill()
	copied := make(chan struct{})
	go func() { p.copied.Wait(); close(copied) }()
	select {
	case <-copied:
	case <-time.After(pipeGrace):
		for _, f := range p.pipes {
			f.Close()
		}
		// A copy blocked writing to Cmd.Stdout is left behind rather than waited for.
		select {
		case <-copied:
		case <-time.After(pipeGrace):
		}
	}
	close(p.done)
}

// Pid is the process id of the started program (also its process group id).
func (p *Proc) Pid() int { return p.cmd.Process.Pid }

// Output is what the process wrote so far, stdout and stderr interleaved.
func (p *Proc) Output() string { return p.out.String() }

// Stdout is what the process wrote so far on its standard output alone.
func (p *Proc) Stdout() []byte { return p.stdout.Bytes() }

// ExitCode is the process's exit status once it has exited, or -1 while it runs or when
// a signal ended it (a deadline, Stop).
func (p *Proc) ExitCode() int {
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	default:
		return -1
	}
}

// Stderr is what the process wrote so far on its standard error alone.
func (p *Proc) Stderr() []byte { return p.stderr.Bytes() }

// Done is closed when the process has exited (or was killed).
func (p *Proc) Done() <-chan struct{} { return p.done }

// Wait waits for the process to exit and returns its error: nil for exit status 0, an
// error naming the deadline when it was killed for running too long.
func (p *Proc) Wait() error {
	<-p.done
	p.reapDescendants()
	if p.timedOut.Load() {
		return fmt.Errorf("killed after its deadline of %v (process group and descendants)", p.timeout)
	}
	return p.err
}

// Stop kills the process group and every descendant carrying the tag, then waits for the
// process. It is safe to call more than once and after the process has exited.
func (p *Proc) Stop() {
	p.stopOnce.Do(func() {
		p.kill()
		<-p.done
		p.reapDescendants()
	})
}

// Interrupt sends SIGINT to the process group, as a terminal's Ctrl-C does.
func (p *Proc) Interrupt() { _ = syscall.Kill(-p.Pid(), syscall.SIGINT) }

func (p *Proc) kill() {
	_ = syscall.Kill(-p.Pid(), syscall.SIGKILL)
	killTagged(p.tag)
}

// reapDescendants kills what the process left behind: its group and tagged processes.
func (p *Proc) reapDescendants() {
	_ = syscall.Kill(-p.Pid(), syscall.SIGKILL)
	killTagged(p.tag)
}

// Run runs c to completion and returns its standard output. The test fails, showing the
// output so far, when the process exits non-zero or outlives its deadline.
func Run(t testing.TB, c Cmd) []byte {
	t.Helper()
	stdout, err := Output(c)
	if err != nil {
		t.Fatal(err)
	}
	return stdout
}

// Output runs c to completion and returns its standard output; the error names the
// command and carries all it printed when it fails or times out.
func Output(c Cmd) ([]byte, error) {
	p, err := start(c)
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", c.describe(), err)
	}
	err = p.Wait()
	p.Stop()
	if err != nil {
		return p.Stdout(), &Error{Cmd: c.describe(), Err: err, Output: p.Output()}
	}
	return p.Stdout(), nil
}

// Error is a failed or timed-out subprocess, with what it printed.
type Error struct {
	Cmd    string
	Err    error
	Output string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: %v\n--- its output ---\n%s", e.Cmd, e.Err, tail(e.Output, 16<<10))
}

func (e *Error) Unwrap() error { return e.Err }

// ExitCode is the process's exit status, or -1 when it did not exit normally.
func (e *Error) ExitCode() int {
	var ee *exec.ExitError
	if errors.As(e.Err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

func (c Cmd) describe() string {
	s := strings.Join(append([]string{c.Name}, c.Args...), " ")
	return tail(s, 300)
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// mergeEnv returns base with the entries of extra added, replacing same-named ones.
func mergeEnv(base, extra []string) []string {
	keys := map[string]bool{}
	for _, kv := range extra {
		k, _, _ := strings.Cut(kv, "=")
		keys[k] = true
	}
	out := make([]string, 0, len(base)+len(extra))
	for _, kv := range base {
		if k, _, _ := strings.Cut(kv, "="); !keys[k] {
			out = append(out, kv)
		}
	}
	return append(out, extra...)
}

// Tagged lists the pids of live processes whose environment has TagVar=tag exactly, or
// (prefix true) starts with tag.
func Tagged(tag string, prefix bool) []int {
	want := []byte(TagVar + "=" + tag)
	ents, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil {
			continue
		}
		for _, kv := range bytes.Split(env, []byte{0}) {
			if bytes.Equal(kv, want) || (prefix && bytes.HasPrefix(kv, want)) {
				if !isZombie(pid) {
					pids = append(pids, pid)
				}
				break
			}
		}
	}
	return pids
}

func isZombie(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	// The state follows the command name in parentheses, which may itself hold spaces.
	i := bytes.LastIndexByte(b, ')')
	return i < 0 || i+2 >= len(b) || b[i+2] == 'Z' || b[i+2] == 'X'
}

func killTagged(tag string) {
	for round := 0; round < 3; round++ {
		pids := Tagged(tag, false)
		if len(pids) == 0 {
			return
		}
		for _, pid := range pids {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Leftovers lists the live processes this test binary started (directly or through
// descendants) that are still running: those carrying its tag and those whose parent
// chain leads back to it (see the package's init: orphans are reparented to the test
// binary, not to init), less any that were running before the tests began.
func Leftovers() []int {
	own := map[int]bool{}
	for _, pid := range Tagged(strconv.Itoa(os.Getpid())+"-", true) {
		own[pid] = true
	}
	procs := processes()
	for _, pid := range descendants(procs, os.Getpid()) {
		own[pid] = true
	}
	var pids []int
	for pid := range own {
		if p, ok := procs[pid]; ok && before[pid] == p.start {
			continue // the same process was running before the tests began
		}
		pids = append(pids, pid)
	}
	sort.Ints(pids)
	return pids
}

var (
	exitMu    sync.Mutex
	exitHooks []func()
)

// OnExit registers f to run in CheckNoLeftovers before the check: a helper that keeps a
// server or a temporary directory for the whole test binary (the Python reference
// server, say) stops or removes it there.
func OnExit(f func()) {
	exitMu.Lock()
	defer exitMu.Unlock()
	exitHooks = append(exitHooks, f)
}

// CheckNoLeftovers is for TestMain: os.Exit(testproc.CheckNoLeftovers(m.Run())). After
// the tests ran it runs the OnExit hooks, then compares the process list with the one
// taken before the tests: any process the tests started that is still alive is killed
// and reported, and the exit code becomes 1.
func CheckNoLeftovers(code int) int {
	exitMu.Lock()
	hooks := exitHooks
	exitHooks = nil
	exitMu.Unlock()
	for i := len(hooks) - 1; i >= 0; i-- {
		hooks[i]()
	}
	pids := Leftovers()
	if len(pids) > 0 {
		fmt.Fprintf(os.Stderr, "testproc: %d processes started by the tests were still running after them; killed:\n", len(pids))
		for _, pid := range pids {
			fmt.Fprintf(os.Stderr, "  %d %s\n", pid, cmdline(pid))
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		code = 1
	}
	reapAdopted()
	return code
}

// cmdline is a process's command line for a report, or "?" when it is gone.
func cmdline(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || len(b) == 0 {
		return "?"
	}
	return tail(strings.TrimSpace(strings.ReplaceAll(string(b), "\x00", " ")), 300)
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *lockedBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]byte(nil), b.buf.Bytes()...)
}

// LongVar is the environment variable that selects the long mode of the checks that
// have one (load tests, many kernels, long soaks): `make test-long` sets it to 1, `make
// test` (CI) leaves it unset and they run their short mode.
const LongVar = "GOKIST_TEST_LONG"

// Long says whether the tests run in their long mode (LongVar=1).
func Long() bool { return os.Getenv(LongVar) == "1" }
