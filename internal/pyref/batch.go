package pyref

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"gokist/internal/testproc"
)

// Result is what one case of a Batch did, as Python saw it.
type Result struct {
	Stdout string `json:"stdout"` // what the case printed
	// Repr is repr() of the value of the case's last line when that is an expression
	// (as the interactive prompt shows it); HasValue says whether there was one.
	Repr     string `json:"repr"`
	HasValue bool   `json:"has_value"`
	// Value is that value as JSON when it converts (numbers, strings, lists, dicts, and
	// numpy arrays and scalars through tolist()); null otherwise or for NaN/inf.
	Value json.RawMessage `json:"value"`
	// Type and Message are the exception the case raised (Python's class name and
	// str()), empty when it raised none; Traceback is the formatted traceback.
	Type      string `json:"type"`
	Message   string `json:"message"`
	Traceback string `json:"traceback"`
}

// Err is "Type: message" of the exception the case raised, or "".
func (r Result) Err() string {
	if r.Type == "" {
		return ""
	}
	return r.Type + ": " + r.Message
}

// serverScript reads one JSON request per line on stdin and answers one JSON line per
// request on the original stdout; anything else written to fd 1 (a case's print, a C
// library's message) is captured or goes to stderr, so it cannot break the protocol.
const serverScript = `
import ast, contextlib, io, json, os, sys, traceback
proto = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
os.dup2(2, 1)
base = {"__name__": "__main__", "__builtins__": __builtins__}

def plain(v):
    if hasattr(v, "tolist"):
        v = v.tolist()
    return json.loads(json.dumps(v, allow_nan=False))

def run(code, ns):
    res = {"stdout": "", "repr": "", "has_value": False, "value": None, "type": "", "message": "", "traceback": ""}
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            tree = ast.parse(code, "<case>", "exec")
            last = None
            if tree.body and isinstance(tree.body[-1], ast.Expr):
                last = ast.Expression(tree.body.pop().value)
            exec(compile(tree, "<case>", "exec"), ns)
            if last is not None:
                v = eval(compile(last, "<case>", "eval"), ns)
                res["has_value"], res["repr"] = True, repr(v)
                try:
                    res["value"] = plain(v)
                except Exception:
                    pass
    except BaseException as e:
        res["type"], res["message"] = type(e).__name__, str(e)
        res["traceback"] = traceback.format_exc()
    res["stdout"] = out.getvalue()
    return res

for line in sys.stdin:
    req = json.loads(line)
    if "prelude" in req:
        res = run(req["prelude"], base)
    else:
        res = run(req["code"], dict(base))
    proto.write(json.dumps(res) + "\n")
`

// server is a reference interpreter kept for the test binary, with a prelude run once.
type server struct {
	mu      sync.Mutex
	proc    *testproc.Proc
	in      *io.PipeWriter
	replies *bufio.Reader
	stop    func()
}

var (
	serversMu sync.Mutex
	servers   = map[string]*server{}
)

// Batch runs each case in a fresh copy of the namespace prelude left, in one reference
// interpreter that the test binary keeps while the same prelude is asked for again, and
// returns what each case did. A case that raises is a Result with Type set, not a test
// failure; a prelude that raises, an interpreter that dies or a case that outlives
// Timeout fails the test with the interpreter's output.
func Batch(t testing.TB, prelude string, cases []string) []Result {
	t.Helper()
	return Config{}.Batch(t, prelude, cases)
}

// Eval is Batch with one case.
func Eval(t testing.TB, prelude, code string) Result {
	t.Helper()
	return Batch(t, prelude, []string{code})[0]
}

// Batch is the package's Batch under c.
func (c Config) Batch(t testing.TB, prelude string, cases []string) []Result {
	t.Helper()
	results, err := c.BatchErr(prelude, cases)
	if err != nil {
		t.Fatal(err)
	}
	return results
}

// BatchErr is Batch for callers that are not tests.
func (c Config) BatchErr(prelude string, cases []string) ([]Result, error) {
	s, err := c.server(prelude)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	results := make([]Result, len(cases))
	for i, code := range cases {
		r, err := s.ask(map[string]string{"code": code})
		if err != nil {
			s.stop()
			return nil, fmt.Errorf("reference Python, case %d of %d:\n%s\n%w", i+1, len(cases), code, err)
		}
		results[i] = r
	}
	return results, nil
}

// server returns the running interpreter for c and prelude, starting it if need be.
func (c Config) server(prelude string) (*server, error) {
	if err := check(nil); err != nil {
		return nil, err
	}
	key, _ := json.Marshal([]any{c.PythonPath, c.Env, prelude})
	serversMu.Lock()
	defer serversMu.Unlock()
	if s := servers[string(key)]; s != nil {
		return s, nil
	}
	cmd, err := c.command([]string{"-c", serverScript})
	if err != nil {
		return nil, err
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	cmd.Stdin, cmd.Stdout = inR, outW
	cmd.Timeout = 24 * time.Hour // the binary's life; each request has its own deadline
	proc, err := testproc.StartErr(cmd)
	if err != nil {
		return nil, fmt.Errorf("starting the reference Python: %w", err)
	}
	s := &server{proc: proc, in: inW, replies: bufio.NewReader(outR)}
	var once sync.Once
	s.stop = func() {
		once.Do(func() {
			inW.Close()
			outR.Close()
			proc.Stop()
			serversMu.Lock()
			if servers[string(key)] == s {
				delete(servers, string(key))
			}
			serversMu.Unlock()
		})
	}
	r, err := s.ask(map[string]string{"prelude": prelude})
	if err == nil && r.Type != "" {
		err = fmt.Errorf("the prelude raised %s\n%s", r.Err(), r.Traceback)
	}
	if err != nil {
		go s.stop() // serversMu is held here; stop takes it
		return nil, fmt.Errorf("reference Python prelude:\n%s\n%w", prelude, err)
	}
	servers[string(key)] = s
	testproc.OnExit(s.stop)
	return s, nil
}

// ask sends one request and waits up to Timeout for its reply.
func (s *server) ask(req map[string]string) (Result, error) {
	line, _ := json.Marshal(req)
	type reply struct {
		r   Result
		err error
	}
	got := make(chan reply, 1)
	go func() {
		if _, err := s.in.Write(append(line, '\n')); err != nil {
			got <- reply{err: fmt.Errorf("writing to the interpreter: %w", err)}
			return
		}
		text, err := s.replies.ReadBytes('\n')
		if err != nil {
			got <- reply{err: fmt.Errorf("reading its answer: %w", err)}
			return
		}
		var r Result
		err = json.Unmarshal(text, &r)
		got <- reply{r, err}
	}()
	select {
	case rep := <-got:
		if rep.err != nil {
			return Result{}, s.failure(rep.err)
		}
		return rep.r, nil
	case <-s.proc.Done():
		return Result{}, s.failure(errors.New("the interpreter exited"))
	case <-time.After(Timeout):
		return Result{}, s.failure(fmt.Errorf("no answer within %v", Timeout))
	}
}

// failure stops the interpreter and returns err with everything it printed.
func (s *server) failure(err error) error {
	s.proc.Stop()
	return &testproc.Error{Cmd: Interpreter + " (pyref batch server)", Err: err, Output: strings.TrimSpace(s.proc.Output())}
}
