package testproc

import (
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestMain(m *testing.M) { os.Exit(CheckNoLeftovers(m.Run())) }

// hangEnv makes TestHangingHelper hang on a child (see TestTimeoutAlarm).
const hangEnv = "GOKIST_TESTPROC_HANG"

// TestHangingHelper, run only inside TestTimeoutAlarm's child binary, waits on a child
// that sleeps far past the binary's -timeout.
func TestHangingHelper(t *testing.T) {
	if os.Getenv(hangEnv) == "" {
		return
	}
	p := Start(t, Cmd{Name: "sleep", Args: []string{"300"}, Timeout: time.Hour})
	if err := p.Wait(); err != nil {
		t.Fatalf("the hung child was ended: %v", err)
	}
}

// Shortly before go test's -timeout (whose panic runs no cleanup), the processes the
// tests started are killed, so the hung test fails with its error instead of the binary
// dying with them still running.
func TestTimeoutAlarm(t *testing.T) {
	p := Start(t, Cmd{Name: os.Args[0], Args: []string{"-test.run=^TestHangingHelper$", "-test.timeout=6s"},
		Env: []string{hangEnv + "=1"}, Timeout: time.Minute})
	err := p.Wait()
	out := p.Output()
	if err == nil || strings.Contains(out, "panic: test timed out") || !strings.Contains(out, "the hung child was ended") ||
		!strings.Contains(out, "-timeout of 6s is 600ms away") {
		t.Fatalf("want the hung child killed before the -timeout panic, got %v:\n%s", err, out)
	}
}

// alive says whether pid is a live (not zombie) process.
func alive(pid int) bool { return syscall.Kill(pid, 0) == nil && !isZombie(pid) }

// A child that hangs, with a grandchild in its group and a great-grandchild that left
// for a session of its own (as jupyter_client's kernels do), all holding the output pipe:
// at the deadline all three die, Output returns promptly, and the error shows the output.
func TestHungChildIsKilledWithItsGroupAtTheDeadline(t *testing.T) {
	script := `echo started; sleep 300 & setsid sh -c 'echo $$ > "$1"; sleep 300' sh "$1" & wait`
	pidFile := t.TempDir() + "/escaped.pid"
	began := time.Now()
	_, err := Output(Cmd{Name: "sh", Args: []string{"-c", script, "sh", pidFile}, Timeout: 1 * time.Second})
	if took := time.Since(began); took > 15*time.Second {
		t.Fatalf("Output returned after %v; the deadline was 1s", took)
	}
	var perr *Error
	if !errors.As(err, &perr) || !strings.Contains(err.Error(), "deadline") || !strings.Contains(perr.Output, "started") {
		t.Fatalf("want a deadline error carrying the output so far, got %v", err)
	}
	b, rerr := os.ReadFile(pidFile)
	if rerr != nil {
		t.Fatalf("the escaped grandchild never ran: %v", rerr)
	}
	var pid int
	for _, c := range strings.TrimSpace(string(b)) {
		pid = pid*10 + int(c-'0')
	}
	deadline := time.Now().Add(5 * time.Second)
	for alive(pid) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if alive(pid) {
		t.Fatalf("process %d, which left the group with setsid, outlived the deadline", pid)
	}
	if left := Leftovers(); len(left) != 0 {
		t.Fatalf("processes left running: %v", left)
	}
}

func TestFailureShowsOutputAndExitCode(t *testing.T) {
	_, err := Output(Command("sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"))
	var perr *Error
	if !errors.As(err, &perr) || perr.ExitCode() != 3 {
		t.Fatalf("want exit code 3, got %v", err)
	}
	for _, want := range []string{"to-stdout", "to-stderr", "sh -c"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestOutputSeparatesStdoutAndTakesEnvAndStdin(t *testing.T) {
	out, err := Output(Cmd{Name: "sh", Args: []string{"-c", `read x; echo "$x $GREETING"; echo noise >&2`},
		Env: []string{"GREETING=hello"}, Stdin: strings.NewReader("say\n")})
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "say hello\n" {
		t.Fatalf("stdout %q, want %q", out, "say hello\n")
	}
}

// A background process stopped by the test's cleanup leaves nothing behind.
func TestStartedServerStopsWithTheTest(t *testing.T) {
	var pid int
	t.Run("server", func(t *testing.T) {
		p := Start(t, Cmd{Name: "sh", Args: []string{"-c", "sleep 300 & sleep 300"}})
		pid = p.Pid()
		time.Sleep(100 * time.Millisecond)
		if !alive(pid) {
			t.Fatal("the server is not running")
		}
	})
	if alive(pid) {
		t.Fatalf("server %d outlived its test", pid)
	}
	if left := Leftovers(); len(left) != 0 {
		t.Fatalf("processes left running: %v", left)
	}
}

// A daemon that drops the tag from its environment (env -i), leaves the group and session
// (setsid) and whose parent exits is still found by the process-list check: the test
// binary, as subreaper, adopts it, and CheckNoLeftovers kills it and fails the run.
func TestUntaggedDaemonIsFoundByTheProcessListCheck(t *testing.T) {
	pidFile := t.TempDir() + "/daemon.pid"
	script := `env -i /bin/sh -c 'setsid /bin/sh -c "echo \$\$ > $0; exec sleep 300" "$0" &' "$1"; while [ ! -s "$1" ]; do sleep 0.05; done`
	if _, err := Output(Cmd{Name: "sh", Args: []string{"-c", script, "sh", pidFile}, Timeout: 30 * time.Second}); err != nil {
		t.Fatal(err)
	}
	var pid int
	deadline := time.Now().Add(10 * time.Second)
	for pid == 0 && time.Now().Before(deadline) {
		b, _ := os.ReadFile(pidFile)
		pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		time.Sleep(20 * time.Millisecond)
	}
	if pid == 0 || !alive(pid) {
		t.Fatalf("the daemon did not start (pid file %q)", pidFile)
	}
	defer syscall.Kill(pid, syscall.SIGKILL)
	if !slices.Contains(Leftovers(), pid) {
		t.Fatalf("Leftovers %v misses the untagged daemon %d", Leftovers(), pid)
	}
	if code := CheckNoLeftovers(0); code != 1 {
		t.Fatalf("CheckNoLeftovers returned %d with a daemon running, want 1", code)
	}
	for alive(pid) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if alive(pid) {
		t.Fatalf("CheckNoLeftovers left the daemon %d running", pid)
	}
	if left := Leftovers(); len(left) != 0 {
		t.Fatalf("processes left running: %v", left)
	}
}

// OnExit hooks run in CheckNoLeftovers, before its check.
func TestOnExitHooksRunBeforeTheCheck(t *testing.T) {
	var p *Proc
	OnExit(func() { p.Stop() })
	p, err := StartErr(Command("sleep", "300"))
	if err != nil {
		t.Fatal(err)
	}
	if code := CheckNoLeftovers(0); code != 0 {
		t.Fatalf("CheckNoLeftovers = %d: the hook did not stop the server before the check", code)
	}
	if alive(p.Pid()) {
		t.Fatal("the hook did not run")
	}
}
