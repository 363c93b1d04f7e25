package cluster

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"
)

//go:embed bridge.py
var bridgeScript string

// PythonEnv names the interpreter the bridge runs on (default: python3 on PATH); it
// needs the distributed package.
const PythonEnv = "GOKIST_PYTHON"

// python is the interpreter to run the bridge with.
func python() string {
	if p := os.Getenv(PythonEnv); p != "" {
		return p
	}
	return "python3"
}

// header is a message's JSON frame, in both directions.
type header struct {
	Op    string  `json:"op"`
	NBin  int     `json:"nbin"`
	ID    int     `json:"id,omitempty"`
	I     int     `json:"i,omitempty"`
	Error string  `json:"error,omitempty"`
	Kind  string  `json:"kind,omitempty"`
	Trace string  `json:"trace,omitempty"`
	Info  *Info   `json:"info,omitempty"`
	Label string  `json:"label,omitempty"`
	Start float64 `json:"start,omitempty"`
	Stop  float64 `json:"stop,omitempty"`
	// A result's worker and process id.
	Worker string `json:"worker,omitempty"`
	Pid    int    `json:"pid,omitempty"`
	// connect and local requests.
	Address          string  `json:"address,omitempty"`
	SchedulerFile    string  `json:"scheduler_file,omitempty"`
	Timeout          float64 `json:"timeout,omitempty"`
	Binary           string  `json:"binary,omitempty"`
	Sha              string  `json:"sha,omitempty"`
	NWorkers         int     `json:"n_workers,omitempty"`
	ThreadsPerWorker int     `json:"threads_per_worker,omitempty"`
	MemoryLimit      int64   `json:"memory_limit,omitempty"`
	ProcessPerTask   bool    `json:"process_per_task,omitempty"`
}

// message is a header with its binary frames.
type message struct {
	h    header
	bins [][]byte
}

// bridge is one running bridge.py process.
type bridge struct {
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	wmu     sync.Mutex
	mu      sync.Mutex
	runs    map[int]chan message
	replies chan message
	gone    chan struct{} // closed when the process's output ends
	stderr  *tail
}

// startBridge starts the bridge process.
func startBridge() (*bridge, error) {
	cmd := exec.Command(python(), "-c", bridgeScript)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	b := &bridge{cmd: cmd, stdin: stdin, runs: map[int]chan message{}, replies: make(chan message, 4),
		gone: make(chan struct{}), stderr: &tail{max: 8 << 10}}
	cmd.Stderr = b.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start %s for the dask bridge: %w", python(), err)
	}
	go b.read(stdout)
	return b, nil
}

// read routes the bridge's messages: a run's to its channel, others as replies.
func (b *bridge) read(r io.Reader) {
	defer close(b.gone)
	for {
		m, err := readMessage(r)
		if err != nil {
			_ = b.cmd.Wait()
			return
		}
		switch m.h.Op {
		case "result", "failed", "end":
			b.mu.Lock()
			ch := b.runs[m.h.ID]
			b.mu.Unlock()
			if ch != nil {
				ch <- m
			}
		default:
			select {
			case b.replies <- m:
			default: // nobody asked: dropped
			}
		}
	}
}

func readMessage(r io.Reader) (message, error) {
	f, err := readFrame(r)
	if err != nil {
		return message{}, err
	}
	var m message
	if err := json.Unmarshal(f, &m.h); err != nil {
		return message{}, err
	}
	for range m.h.NBin {
		b, err := readFrame(r)
		if err != nil {
			return message{}, err
		}
		m.bins = append(m.bins, b)
	}
	return m, nil
}

func readFrame(r io.Reader) ([]byte, error) {
	var n uint32
	if err := binary.Read(r, binary.BigEndian, &n); err != nil {
		return nil, err
	}
	b := make([]byte, n)
	_, err := io.ReadFull(r, b)
	return b, err
}

// send writes a request with its binary frames.
func (b *bridge) send(h header, bins ...[]byte) error {
	h.NBin = len(bins)
	j, err := json.Marshal(h)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	for _, f := range append([][]byte{j}, bins...) {
		_ = binary.Write(&buf, binary.BigEndian, uint32(len(f)))
		buf.Write(f)
	}
	b.wmu.Lock()
	defer b.wmu.Unlock()
	_, err = b.stdin.Write(buf.Bytes())
	return err
}

// request sends h and waits for the reply (at most timeout).
func (b *bridge) request(h header, timeout time.Duration) (message, error) {
	if err := b.send(h); err != nil {
		return message{}, b.goneError(err)
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case m := <-b.replies:
		if m.h.Op == "error" {
			return m, &bridgeError{kind: m.h.Kind, msg: m.h.Error}
		}
		return m, nil
	case <-b.gone:
		return message{}, b.goneError(nil)
	case <-t.C:
		return message{}, fmt.Errorf("the dask bridge did not answer %s within %v", h.Op, timeout)
	}
}

// bridgeError is an error the bridge reported; kind "import" when Python lacks
// distributed.
type bridgeError struct{ kind, msg string }

func (e *bridgeError) Error() string { return e.msg }

// goneError says the bridge process ended, with the end of what it printed.
func (b *bridge) goneError(err error) error {
	msg := "the dask bridge process (" + python() + ") ended"
	if s := b.stderr.String(); s != "" {
		msg += ": " + s
	} else if err != nil {
		msg += ": " + err.Error()
	}
	return errors.New(msg)
}

// subscribe makes a channel for a run's messages.
func (b *bridge) subscribe(id, size int) chan message {
	ch := make(chan message, size)
	b.mu.Lock()
	b.runs[id] = ch
	b.mu.Unlock()
	return ch
}

func (b *bridge) unsubscribe(id int) {
	b.mu.Lock()
	delete(b.runs, id)
	b.mu.Unlock()
}

// close asks the bridge to close its client (and cluster) and waits for it to end,
// killing it after timeout.
func (b *bridge) close(timeout time.Duration) {
	_ = b.send(header{Op: "close"})
	_ = b.stdin.Close()
	select {
	case <-b.gone:
	case <-time.After(timeout):
		_ = b.cmd.Process.Kill()
		<-b.gone
	}
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(bytes.TrimSpace(t.b))
}
