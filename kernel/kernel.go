// Package kernel owns the Jupyter side of gokist: the connection file, the wire protocol
// 5.4 (framing and HMAC signing) over go-zeromq/zmq4, the five sockets with one goroutine
// each, and the request handlers (kernel_info, execute, complete, inspect, is_complete,
// history, comm_info, comm_open, shutdown, interrupt). It turns what a cell shows
// (streams, displays, progress, results, errors) into iopub messages, and writes the
// kernelspec that lets Jupyter start it. Evaluation is behind the Evaluator interface, so
// the kernel knows nothing of the language or the data it works on.
//
// Concurrency: every socket has exactly one goroutine that sends on it (everyone else
// queues messages for it on a channel) and, for the ROUTER sockets, one that receives
// (zmq4 sockets allow one sender and one receiver at a time); the heartbeat REP socket
// has a single goroutine that echoes. Shell requests are handled one at a time by a
// worker goroutine, which also runs the cells, so control (interrupt, shutdown) and the
// heartbeat answer while a cell computes. Every goroutine recovers from panics.
//
// Requests are answered from one handler table (handlers.go) on shell and control alike,
// as ipykernel's; only execute_request is the shell's alone. Anyone who can reach the
// ports is untrusted until a message's signature checks: zmq4 (a patched copy in
// third_party/zmq4) drops connections with malformed ZMTP, bounds the handshake in time
// and incoming messages in size (Config.MaxMessageSize), and its PUB socket drops
// messages for a subscriber that does not read; signed messages seen before are dropped
// as replays. The kernel exits when the process named by JPY_PARENT_PID dies.
package kernel

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"

	"gokist/obj"
)

// Evaluator runs cells for one kernel session; lang.Session implements it.
type Evaluator interface {
	// Execute runs a cell, sending what it shows to out, and returns the mime bundle of its
	// result (nil when it has none) or the error that stopped it. ctx is cancelled on
	// interrupt.
	Execute(ctx context.Context, code string, out obj.Output) (result map[string]any, err error)
	// Complete returns the completions of the word around cursor and the range
	// [start, end) of code they replace. Cursor positions count Unicode code points, as
	// Jupyter's do.
	Complete(code string, cursor int) (matches []string, start, end int)
	// Inspect returns help for the name at cursor (in code points); detail 0 is the
	// short form, 1 the full one.
	Inspect(code string, cursor int, detail int) (text string, found bool)
	// IsComplete says whether code is ready to run: "complete", "incomplete" (with the
	// indent of the next line), "invalid" or "unknown".
	IsComplete(code string) (status, indent string)
}

// HistoryEvaluator is an Evaluator that keeps IPython's history (In[n], Out[n], _n) under
// the kernel's execution_count: count is the number of the execute_request, or 0 when the
// request is not stored (silent, store_history=False), so that In and Out agree with the
// numbers the notebook shows.
type HistoryEvaluator interface {
	ExecuteNumbered(ctx context.Context, code string, count int, out obj.Output) (result map[string]any, err error)
}

// Config is what a kernel needs to start.
type Config struct {
	Conn *ConnectionInfo
	// ConnectionFile is rewritten with the bound ports when some port was given as 0.
	ConnectionFile string
	Eval           Evaluator
	// Version is the gokist version reported in kernel_info.
	Version string
	// Log receives diagnostics (bad signatures, recovered panics); stderr when nil.
	Log io.Writer
	// CatchSIGINT makes SIGINT interrupt the running cell instead of ending the process
	// (Jupyter's signal interrupt mode).
	CatchSIGINT bool
	// MaxMessageSize is the largest incoming message, in bytes, on any socket; a peer
	// sending a larger one is disconnected before the message is read, with a log line.
	// 0 takes GOKIST_MAX_MESSAGE_SIZE from the environment, else DefaultMaxMessageSize;
	// negative means no limit.
	MaxMessageSize int64
	// ParentPID, when not 0, is the process that started the kernel: the kernel shuts
	// down when it dies (see watchParent). 0 takes JPY_PARENT_PID from the environment,
	// which jupyter_client sets for the kernels it owns; negative means none.
	ParentPID int
}

// DefaultMaxMessageSize is the default limit on an incoming message: 64 MiB. A browser
// frontend's messages pass through Jupyter Server's websocket, whose limit is tornado's
// default of 10 MiB, so no frontend message comes near it; it still leaves room for
// clients that talk ZeroMQ directly and for comm buffers, while a message the kernel
// would decode (JSON, a cell's source) at several times its size stays far from
// exhausting memory.
const DefaultMaxMessageSize = 64 << 20

// handshakeTimeout is how long a new connection may take over its ZMTP handshake.
const handshakeTimeout = 10 * time.Second

// What iopub and the heartbeat queue for one peer that does not read, besides zmq4's
// high-water mark of 1000 messages (libzmq's), beyond which that peer's messages are
// dropped. iopub's is generous, as a frontend on a slow link should lose no output,
// yet a stalled subscriber cannot hold 1000 figures; heartbeat pings are a few bytes.
const (
	iopubQueueBytes     = 256 << 20
	heartbeatQueueBytes = 1 << 20
)

// abortGrace is how long, after a cell fails with stop_on_error, executes still arriving
// are treated as already queued (a notebook's "run all" sends them back to back).
const abortGrace = 20 * time.Millisecond

// Kernel is one running Jupyter kernel process.
type Kernel struct {
	cfg     Config
	conn    ConnectionInfo
	signer  *Signer
	digests *digestHistory
	session string
	logw    io.Writer
	logMu   sync.Mutex

	ctx    context.Context
	cancel context.CancelFunc

	shell, control, stdin, iopub, hb zmq4.Socket

	shellOut, controlOut, stdinOut, iopubOut chan outgoing
	shellIn                                  chan *Message

	execMu     sync.Mutex
	cancelExec context.CancelFunc

	// Owned by the shell worker goroutine.
	execCount int
	// history is written by the shell worker and read by history requests on control.
	historyMu sync.Mutex
	history   []historyEntry

	exitOnce sync.Once
	exitCode chan int
}

// outgoing is a message queued for a socket's writer; sent, when set, is closed once the
// message has been handed to the socket.
type outgoing struct {
	msg  *Message
	sent chan struct{}
}

// New binds the kernel's sockets as the connection info says (ports given as 0 are
// chosen by the system and written back to the connection file).
func New(cfg Config) (*Kernel, error) {
	if cfg.Conn == nil || cfg.Eval == nil {
		return nil, fmt.Errorf("kernel: Config needs Conn and Eval")
	}
	signer, err := NewSigner(cfg.Conn.SignatureScheme, cfg.Conn.Key)
	if err != nil {
		return nil, err
	}
	maxMsg, err := maxMessageSize(cfg.MaxMessageSize)
	if err != nil {
		return nil, err
	}
	k := &Kernel{
		cfg:        cfg,
		conn:       *cfg.Conn,
		signer:     signer,
		digests:    newDigestHistory(digestHistorySize),
		session:    newID(),
		logw:       cfg.Log,
		shellOut:   make(chan outgoing, 64),
		controlOut: make(chan outgoing, 64),
		stdinOut:   make(chan outgoing, 8),
		iopubOut:   make(chan outgoing, 1024),
		shellIn:    make(chan *Message, 4096),
		exitCode:   make(chan int, 1),
	}
	if k.logw == nil {
		k.logw = os.Stderr
	}
	if cfg.Conn.Key == "" {
		// jupyter_client's Session logs the same warning.
		k.logf("Message signing is disabled.  This is insecure and not recommended!")
	}
	k.ctx, k.cancel = context.WithCancel(context.Background())
	opts := []zmq4.Option{zmq4.WithLogger(newLogger(k)), zmq4.WithHandshakeTimeout(handshakeTimeout),
		zmq4.WithMaxMessageSize(maxMsg)}
	k.shell = zmq4.NewRouter(k.ctx, opts...)
	k.control = zmq4.NewRouter(k.ctx, opts...)
	k.stdin = zmq4.NewRouter(k.ctx, opts...)
	k.iopub = zmq4.NewPub(k.ctx, append(opts, zmq4.WithQueueBytes(iopubQueueBytes))...)
	k.hb = zmq4.NewRep(k.ctx, append(opts, zmq4.WithQueueBytes(heartbeatQueueBytes))...)
	rewrite := false
	for _, b := range []struct {
		sock zmq4.Socket
		port *int
		name string
	}{{k.shell, &k.conn.ShellPort, "shell"}, {k.control, &k.conn.ControlPort, "control"},
		{k.stdin, &k.conn.StdinPort, "stdin"}, {k.iopub, &k.conn.IOPubPort, "iopub"}, {k.hb, &k.conn.HBPort, "hb"}} {
		if err := k.removeStaleSocket(*b.port); err != nil {
			k.closeSockets()
			return nil, fmt.Errorf("binding %s socket: %w", b.name, err)
		}
		if err := b.sock.Listen(k.conn.Endpoint(*b.port)); err != nil {
			k.closeSockets()
			return nil, fmt.Errorf("binding %s socket on %s: %w", b.name, k.conn.Endpoint(*b.port), err)
		}
		if *b.port == 0 && k.conn.Transport == "tcp" {
			if addr, ok := b.sock.Addr().(*net.TCPAddr); ok {
				*b.port = addr.Port
			}
			rewrite = true
		}
	}
	if rewrite && cfg.ConnectionFile != "" {
		if err := k.conn.WriteFile(cfg.ConnectionFile); err != nil {
			k.closeSockets()
			return nil, fmt.Errorf("writing the bound ports to %s: %w", cfg.ConnectionFile, err)
		}
	}
	return k, nil
}

// Connection returns the connection info with the ports actually bound.
func (k *Kernel) Connection() ConnectionInfo { return k.conn }

// Run serves requests until a shutdown_request arrives or ctx ends, and returns the
// process exit status.
func (k *Kernel) Run(ctx context.Context) int {
	if k.cfg.CatchSIGINT {
		sigs := make(chan os.Signal, 4)
		signal.Notify(sigs, os.Interrupt)
		defer signal.Stop(sigs)
		k.goSafe("sigint", func() {
			for {
				select {
				case <-sigs:
					k.logf("SIGINT: interrupting the running cell")
					k.interrupt()
				case <-k.ctx.Done():
					return
				}
			}
		})
	}
	k.goLoop("iopub writer", func() { k.writer(k.iopub, k.iopubOut) })
	k.goLoop("shell writer", func() { k.writer(k.shell, k.shellOut) })
	k.goLoop("control writer", func() { k.writer(k.control, k.controlOut) })
	k.goLoop("stdin writer", func() { k.writer(k.stdin, k.stdinOut) })
	k.goLoop("heartbeat", k.heartbeat)
	k.goLoop("shell reader", func() { k.reader("shell", k.shell, func(m *Message) { k.shellIn <- m }) })
	k.goLoop("control reader", func() { k.reader("control", k.control, k.handleControl) })
	k.goLoop("stdin reader", func() { k.reader("stdin", k.stdin, func(*Message) {}) })
	k.goLoop("shell worker", k.shellWorker)
	k.watchParent()
	k.publish(nil, "status", map[string]any{"execution_state": "starting"})

	var code int
	select {
	case code = <-k.exitCode:
	case <-ctx.Done():
	}
	k.interrupt()
	k.cancel()
	k.closeSockets()
	return code
}

func (k *Kernel) closeSockets() {
	for _, s := range []zmq4.Socket{k.shell, k.control, k.stdin, k.iopub, k.hb} {
		if s != nil {
			_ = s.Close()
		}
	}
}

// exit ends Run with code.
func (k *Kernel) exit(code int) {
	k.exitOnce.Do(func() { k.exitCode <- code })
}

// goSafe runs fn on a goroutine, logging instead of dying when it panics.
func (k *Kernel) goSafe(name string, fn func()) {
	go func() {
		defer k.recoverPanic(name)
		fn()
	}()
}

// goLoop runs a socket loop on its own goroutine and restarts it after a panic, so one
// bad message cannot take a socket down.
func (k *Kernel) goLoop(name string, loop func()) {
	go func() {
		for k.ctx.Err() == nil {
			func() {
				defer k.recoverPanic(name)
				loop()
			}()
		}
	}()
}

func (k *Kernel) recoverPanic(where string) {
	if r := recover(); r != nil {
		k.logf("recovered panic in %s: %v\n%s", where, r, debug.Stack())
	}
}

func (k *Kernel) logf(format string, args ...any) {
	k.logMu.Lock()
	defer k.logMu.Unlock()
	fmt.Fprintf(k.logw, "gokist kernel: "+format+"\n", args...)
}

// writer owns the sending side of sock: every message for it comes through out.
func (k *Kernel) writer(sock zmq4.Socket, out chan outgoing) {
	for {
		select {
		case <-k.ctx.Done():
			return
		case o := <-out:
			if o.msg != nil {
				frames := Encode(o.msg, k.signer)
				if err := sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil && k.ctx.Err() == nil {
					k.logf("sending %s: %v", o.msg.Header.MsgType, err)
				}
			}
			if o.sent != nil {
				close(o.sent)
			}
		}
	}
}

// reader owns the receiving side of sock: it checks each message's signature and hands the
// good ones to handle; bad ones are logged and dropped.
func (k *Kernel) reader(name string, sock zmq4.Socket, handle func(*Message)) {
	for {
		raw, err := sock.Recv()
		if err != nil {
			if k.ctx.Err() != nil {
				return
			}
			k.logf("%s: receive: %v", name, err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		m, err := Decode(raw.Frames, k.signer)
		if err != nil {
			k.logf("%s: dropped a message: %v", name, err)
			continue
		}
		if k.signer.Signs() && !k.digests.add(m.signature) {
			k.logf("%s: dropped a replayed %s (msg_id %q): duplicate signature %s", name, m.Header.MsgType, m.Header.MsgID, m.signature)
			continue
		}
		handle(m)
	}
}

// heartbeat echoes every ping; it owns the hb socket.
func (k *Kernel) heartbeat() {
	for {
		msg, err := k.hb.Recv()
		if err != nil {
			if k.ctx.Err() != nil {
				return
			}
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if err := k.hb.Send(msg); err != nil && k.ctx.Err() == nil {
			k.logf("heartbeat: %v", err)
		}
	}
}

// newMessage builds a message of msgType answering parent (nil for none).
func (k *Kernel) newMessage(parent *Message, msgType string, content any) *Message {
	body, err := json.Marshal(content)
	if err != nil {
		k.logf("encoding %s: %v", msgType, err)
		body, _ = json.Marshal(map[string]any{"status": "error", "ename": "EncodingError",
			"evalue": err.Error(), "traceback": []string{err.Error()}})
	}
	m := &Message{
		Header: Header{MsgID: newID(), Session: k.session, Username: "kernel", Date: timestamp(),
			MsgType: msgType, Version: ProtocolVersion},
		Content: body,
	}
	if parent != nil {
		m.ParentHeader = parent.RawHeader()
		m.Identities = parent.Identities
	}
	return m
}

// reply sends the reply to a request on the socket it came from (out).
func (k *Kernel) reply(out chan outgoing, req *Message, msgType string, content any) {
	select {
	case out <- outgoing{msg: k.newMessage(req, msgType, content)}:
	case <-k.ctx.Done():
	}
}

// publish broadcasts a message on iopub.
func (k *Kernel) publish(parent *Message, msgType string, content any) {
	m := k.newMessage(parent, msgType, content)
	m.Identities = [][]byte{[]byte("kernel." + k.session + "." + msgType)}
	select {
	case k.iopubOut <- outgoing{msg: m}:
	case <-k.ctx.Done():
	}
}

func (k *Kernel) status(parent *Message, state string) {
	k.publish(parent, "status", map[string]any{"execution_state": state})
}

// flush waits until everything queued so far on out has been handed to its socket.
func (k *Kernel) flush(out chan outgoing, wait time.Duration) {
	done := make(chan struct{})
	select {
	case out <- outgoing{msg: nil, sent: done}:
	case <-time.After(wait):
		return
	}
	select {
	case <-done:
	case <-time.After(wait):
	}
}

// interrupt cancels the running cell, if any.
func (k *Kernel) interrupt() {
	k.execMu.Lock()
	defer k.execMu.Unlock()
	if k.cancelExec != nil {
		k.cancelExec()
	}
}

func replyType(requestType string) string {
	if len(requestType) > 8 && requestType[len(requestType)-8:] == "_request" {
		return requestType[:len(requestType)-8] + "_reply"
	}
	return requestType + "_reply"
}

// shutdown answers a shutdown_request on the channel it came on, then ends Run once the
// reply has left.
func (k *Kernel) shutdown(out chan outgoing, m *Message) {
	var req struct {
		Restart bool `json:"restart"`
	}
	_ = json.Unmarshal(m.Content, &req)
	k.interrupt()
	content := shutdownReply{Status: "ok", Restart: req.Restart}
	k.reply(out, m, "shutdown_reply", content)
	k.publish(m, "shutdown_reply", content)
	k.status(m, "idle")
	k.flush(out, 200*time.Millisecond)
	k.flush(k.iopubOut, 200*time.Millisecond)
	// zmq4's PUB socket queues internally; give it a moment to hand the last messages over.
	time.Sleep(20 * time.Millisecond)
	k.exit(0)
}

// logWriter sends zmq4's own diagnostics to the kernel log.
type logWriter struct{ k *Kernel }

// Write passes one zmq4 log line to the kernel log, serialised with the kernel's own
// log lines so the two never interleave.
func (w logWriter) Write(p []byte) (int, error) {
	w.k.logMu.Lock()
	defer w.k.logMu.Unlock()
	if i := bytes.LastIndexByte(p, '\n'); bytes.Contains(p, []byte("exceeds the maximum message size")) && i >= 0 {
		// zmq4 knows the limit but not where it is set.
		n := len(p)
		p = append(p[:i:i], " (GOKIST_MAX_MESSAGE_SIZE sets the kernel's limit)\n"...)
		_, err := w.k.logw.Write(p)
		return n, err
	}
	return w.k.logw.Write(p)
}

func newLogger(k *Kernel) *log.Logger { return log.New(logWriter{k}, "gokist kernel: zmq4: ", 0) }
