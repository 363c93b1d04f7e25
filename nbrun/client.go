package nbrun

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-zeromq/zmq4"

	"gokist/kernel"
)

// ConnectionInfo is the content of a Jupyter connection file; it is the kernel's own
// type, so the file this client writes is the one the gokist kernel reads.
type ConnectionInfo = kernel.ConnectionInfo

// NewConnectionInfo picks five free TCP ports on 127.0.0.1 and a random HMAC key.
func NewConnectionInfo() (*ConnectionInfo, error) {
	ports := make([]int, 5)
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	// Hold every listener until all five are chosen so that no port repeats.
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("choosing a free port: %w", err)
		}
		listeners = append(listeners, l)
		ports[i] = l.Addr().(*net.TCPAddr).Port
	}
	var key [32]byte
	if _, err := rand.Read(key[:]); err != nil {
		return nil, fmt.Errorf("making a connection key: %w", err)
	}
	return &ConnectionInfo{
		Transport: "tcp", IP: "127.0.0.1",
		ShellPort: ports[0], IOPubPort: ports[1], StdinPort: ports[2], ControlPort: ports[3], HBPort: ports[4],
		Key: hex.EncodeToString(key[:]), SignatureScheme: "hmac-sha256",
	}, nil
}

// Message is a decoded Jupyter message.
type Message struct {
	Header       map[string]any
	ParentHeader map[string]any
	Metadata     map[string]any
	Content      map[string]any
}

// Type is the message's msg_type.
func (m *Message) Type() string { s, _ := m.Header["msg_type"].(string); return s }

// ParentID is the msg_id of the request this message answers.
func (m *Message) ParentID() string { s, _ := m.ParentHeader["msg_id"].(string); return s }

// Kernel is a kernel process started by this client and the sockets talking to it.
type Kernel struct {
	conn     *ConnectionInfo
	signer   *kernel.Signer
	connFile string
	cmd      *exec.Cmd
	exited   chan struct{} // closed when the process has exited
	exitErr  error
	stderr   *tailBuffer
	session  string

	ctx     context.Context
	cancel  context.CancelFunc
	shell   zmq4.Socket
	control zmq4.Socket
	iopub   zmq4.Socket

	shellIn   chan *Message
	controlIn chan *Message
	iopubIn   chan *Message

	// BadSignatures counts messages dropped because their HMAC did not match.
	mu            sync.Mutex
	badSignatures int
}

// StartKernel writes a connection file in a temporary directory, starts argv (with
// "{connection_file}" replaced by its path) in dir, connects shell, control and iopub,
// and waits until the kernel answers kernel_info and its iopub stream reaches us.
//
// The ports are chosen free but released before the kernel binds them, as jupyter_client
// does, so another program starting at the same moment may take one: the kernel then fails
// to bind, or our socket reaches the other program's. Such a start is retried with new
// ports, a few times.
func StartKernel(ctx context.Context, argv []string, dir string, startTimeout time.Duration) (*Kernel, map[string]any, error) {
	if len(argv) == 0 {
		return nil, nil, errors.New("starting kernel: empty kernel command")
	}
	const tries = 3
	for try := 1; ; try++ {
		k, info, err := startKernelOnce(ctx, argv, dir, startTimeout)
		if err == nil || try == tries || ctx.Err() != nil || !portTaken(err) {
			return k, info, err
		}
	}
}

// portTaken says whether a failed start looks like a port taken by another program
// between our choice and the kernel's bind.
func portTaken(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "address already in use") || strings.Contains(msg, "not compatible with")
}

func startKernelOnce(ctx context.Context, argv []string, dir string, startTimeout time.Duration) (*Kernel, map[string]any, error) {
	ci, err := NewConnectionInfo()
	if err != nil {
		return nil, nil, err
	}
	signer, err := kernel.NewSigner(ci.SignatureScheme, ci.Key)
	if err != nil {
		return nil, nil, err
	}
	tmp, err := os.MkdirTemp("", "gokist-run-")
	if err != nil {
		return nil, nil, fmt.Errorf("starting kernel: %w", err)
	}
	connFile := filepath.Join(tmp, "kernel.json")
	if err := ci.WriteFile(connFile); err != nil {
		os.RemoveAll(tmp)
		return nil, nil, fmt.Errorf("starting kernel: %w", err)
	}
	args := make([]string, len(argv))
	for i, a := range argv {
		args[i] = strings.ReplaceAll(a, "{connection_file}", connFile)
	}
	k := &Kernel{
		conn: ci, signer: signer, connFile: connFile, exited: make(chan struct{}), stderr: &tailBuffer{max: 16 << 10},
		session:   newUUID(),
		shellIn:   make(chan *Message, 64),
		controlIn: make(chan *Message, 16),
		iopubIn:   make(chan *Message, 1024),
	}
	k.cmd = exec.Command(args[0], args[1:]...)
	k.cmd.Dir = dir
	k.cmd.Stdout = io.Discard
	k.cmd.Stderr = k.stderr
	// As jupyter_client does: the kernel watches this pid and exits when it is gone.
	k.cmd.Env = append(os.Environ(), "JPY_PARENT_PID="+strconv.Itoa(os.Getpid()))
	k.cmd.SysProcAttr = kernelProcAttr()
	if err := k.cmd.Start(); err != nil {
		os.RemoveAll(tmp)
		return nil, nil, fmt.Errorf("starting kernel %q: %w", args[0], err)
	}
	go func() {
		k.exitErr = k.cmd.Wait()
		close(k.exited)
	}()
	k.ctx, k.cancel = context.WithCancel(ctx)
	go func() {
		select {
		case <-k.exited:
			k.cancel() // stop dials and reads at once when the kernel dies
		case <-k.ctx.Done():
		}
	}()
	info, err := k.connect(startTimeout)
	if err != nil {
		k.Kill()
		return nil, nil, err
	}
	return k, info, nil
}

func quietLogger() *log.Logger { return log.New(io.Discard, "", 0) }

func (k *Kernel) connect(timeout time.Duration) (map[string]any, error) {
	opts := []zmq4.Option{zmq4.WithLogger(quietLogger()), zmq4.WithDialerRetry(100 * time.Millisecond),
		zmq4.WithDialerMaxRetries(int(timeout / (100 * time.Millisecond)))}
	k.shell = zmq4.NewDealer(k.ctx, append(opts, zmq4.WithID(zmq4.SocketIdentity(newUUID())))...)
	k.control = zmq4.NewDealer(k.ctx, append(opts, zmq4.WithID(zmq4.SocketIdentity(newUUID())))...)
	k.iopub = zmq4.NewSub(k.ctx, opts...)
	for _, d := range []struct {
		s    zmq4.Socket
		port int
		name string
	}{{k.iopub, k.conn.IOPubPort, "iopub"}, {k.shell, k.conn.ShellPort, "shell"}, {k.control, k.conn.ControlPort, "control"}} {
		if err := d.s.Dial(k.conn.Endpoint(d.port)); err != nil {
			return nil, k.deadError(fmt.Sprintf("connecting to the kernel's %s socket", d.name), err)
		}
	}
	if err := k.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		return nil, fmt.Errorf("subscribing to iopub: %w", err)
	}
	go k.readLoop(k.shell, k.shellIn)
	go k.readLoop(k.control, k.controlIn)
	go k.readLoop(k.iopub, k.iopubIn)

	// Ask for kernel_info until the reply arrives and the iopub status of one of our
	// requests has come through too: only then is the subscription known to be live, so
	// no output of the first cell is lost.
	deadline := time.After(timeout)
	var info map[string]any
	sent := map[string]bool{}
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	send := func() error {
		id, err := k.send(k.shell, "kernel_info_request", map[string]any{})
		sent[id] = true
		return err
	}
	if err := send(); err != nil {
		return nil, err
	}
	iopubSeen := false
	for info == nil || !iopubSeen {
		select {
		case m := <-k.shellIn:
			if m.Type() == "kernel_info_reply" && sent[m.ParentID()] {
				info = m.Content
			}
		case m := <-k.iopubIn:
			if sent[m.ParentID()] {
				iopubSeen = true
			}
		case <-tick.C:
			if err := send(); err != nil {
				return nil, err
			}
		case <-k.exited:
			return nil, k.deadError("waiting for the kernel to start", nil)
		case <-deadline:
			return nil, fmt.Errorf("the kernel did not answer kernel_info within %v%s", timeout, k.stderrTail())
		}
	}
	// Drain anything left from the start-up handshake.
	for {
		select {
		case <-k.iopubIn:
		case <-k.shellIn:
		case <-time.After(50 * time.Millisecond):
			return info, nil
		}
	}
}

// deadError describes a failure, adding the exit status and stderr of a dead kernel.
func (k *Kernel) deadError(what string, err error) error {
	select {
	case <-k.exited:
		return fmt.Errorf("%s: the kernel exited (%v)%s", what, k.exitErr, k.stderrTail())
	default:
	}
	if err == nil {
		return fmt.Errorf("%s%s", what, k.stderrTail())
	}
	return fmt.Errorf("%s: %w%s", what, err, k.stderrTail())
}

func (k *Kernel) stderrTail() string {
	s := strings.TrimSpace(k.stderr.String())
	if s == "" {
		return ""
	}
	return "\nkernel stderr:\n" + s
}

// readLoop decodes and verifies messages from s and delivers them on out.
func (k *Kernel) readLoop(s zmq4.Socket, out chan<- *Message) {
	for {
		raw, err := s.Recv()
		if err != nil {
			if k.ctx.Err() != nil {
				return
			}
			select {
			case <-k.exited:
				return
			default:
			}
			time.Sleep(10 * time.Millisecond)
			continue
		}
		m, err := k.decode(raw.Frames)
		if err != nil {
			k.mu.Lock()
			k.badSignatures++
			k.mu.Unlock()
			continue
		}
		select {
		case out <- m:
		case <-k.ctx.Done():
			return
		}
	}
}

// BadSignatures is how many messages were dropped for a wrong or missing signature.
func (k *Kernel) BadSignatures() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.badSignatures
}

// decode checks a message's signature (kernel.Decode) and unpacks its JSON parts.
func (k *Kernel) decode(frames [][]byte) (*Message, error) {
	wire, err := kernel.Decode(frames, k.signer)
	if err != nil {
		return nil, err
	}
	m := &Message{}
	for _, part := range []struct {
		raw []byte
		dst *map[string]any
	}{{wire.RawHeader(), &m.Header}, {wire.ParentHeader, &m.ParentHeader}, {wire.Metadata, &m.Metadata}, {wire.Content, &m.Content}} {
		if err := json.Unmarshal(part.raw, part.dst); err != nil {
			return nil, fmt.Errorf("bad JSON in a %s message: %w", wire.Header.MsgType, err)
		}
		if *part.dst == nil {
			*part.dst = map[string]any{}
		}
	}
	return m, nil
}

// send signs and sends a request on s and returns its msg_id.
func (k *Kernel) send(s zmq4.Socket, msgType string, content map[string]any) (string, error) {
	id := newUUID()
	body, err := json.Marshal(content)
	if err != nil {
		return id, fmt.Errorf("encoding %s: %w", msgType, err)
	}
	frames := kernel.Encode(&kernel.Message{
		Header: kernel.Header{MsgID: id, Session: k.session, Username: "gokist-run", MsgType: msgType,
			Version: kernel.ProtocolVersion, Date: time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")},
		Content: body,
	}, k.signer)
	if err := s.Send(zmq4.NewMsgFrom(frames...)); err != nil {
		return id, k.deadError("sending "+msgType, err)
	}
	return id, nil
}

// Interrupt sends SIGINT to the kernel process, as Jupyter does for interrupt_mode
// "signal" (gokist also catches it).
func (k *Kernel) Interrupt() {
	if k.cmd.Process != nil {
		_ = k.cmd.Process.Signal(os.Interrupt)
	}
}

// Exited is closed once the kernel process has exited.
func (k *Kernel) Exited() <-chan struct{} { return k.exited }

// Shutdown asks the kernel to shut down over the control channel, waits up to grace for
// it to exit, and kills it otherwise; it always releases sockets and the connection file.
func (k *Kernel) Shutdown(grace time.Duration) {
	if _, err := k.send(k.control, "shutdown_request", map[string]any{"restart": false}); err == nil {
		select {
		case <-k.exited:
		case <-time.After(grace):
		}
	}
	k.Kill()
}

// Kill ends the kernel process (and its process group) at once and releases resources.
func (k *Kernel) Kill() {
	select {
	case <-k.exited:
	default:
		if k.cmd.Process != nil {
			_ = syscall.Kill(-k.cmd.Process.Pid, syscall.SIGKILL)
			_ = k.cmd.Process.Kill()
		}
		select {
		case <-k.exited:
		case <-time.After(5 * time.Second):
		}
	}
	k.cancel()
	for _, s := range []zmq4.Socket{k.shell, k.control, k.iopub} {
		if s != nil {
			s.Close()
		}
	}
	os.RemoveAll(filepath.Dir(k.connFile))
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

// Write appends p and drops the oldest bytes beyond max; it never fails.
func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(p)
	if t.buf.Len() > t.max {
		b := t.buf.Bytes()[t.buf.Len()-t.max:]
		t.buf = *bytes.NewBuffer(append([]byte(nil), b...))
	}
	return len(p), nil
}

// String is the kept tail of what the kernel wrote.
func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}
