package kernel

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"

	"gokist/obj"
)

// fakeEval understands a few commands, one per cell, to drive the kernel without the
// language: "print TEXT", "stderr TEXT", "value TEXT", "error", "slow" (runs until
// interrupted), "panic", "page TEXT", "progress", "display", "many N" (N small writes).
type fakeEval struct {
	mu   sync.Mutex
	ran  []string
	slow chan struct{} // closed when a slow cell starts
}

func (f *fakeEval) Execute(ctx context.Context, code string, out obj.Output) (map[string]any, error) {
	f.mu.Lock()
	f.ran = append(f.ran, code)
	slow := f.slow
	f.mu.Unlock()
	cmd, arg, _ := strings.Cut(code, " ")
	switch cmd {
	case "print":
		out.Stream("stdout", arg+"\n")
	case "stderr":
		out.Stream("stderr", arg+"\n")
	case "many":
		var n int
		fmt.Sscan(arg, &n)
		for i := 0; i < n; i++ {
			out.Stream("stdout", fmt.Sprintf("%d\n", i))
		}
	case "value":
		return map[string]any{"text/plain": arg, "text/html": "<b>" + arg + "</b>"}, nil
	case "error":
		return nil, &CellError{Name: "NameError", Value: "name 'x' is not defined", Trace: []string{"    x", "    ^", "NameError: name 'x' is not defined"}}
	case "slow":
		if slow != nil {
			close(slow)
		}
		<-ctx.Done()
		return nil, ctx.Err()
	case "panic":
		panic("evaluator bug")
	case "page":
		out.Page(arg)
	case "display":
		out.Display(map[string]any{"text/plain": "fig", "image/png": "iVBORw0KGgo="},
			map[string]any{"image/png": map[string]any{"width": 10, "height": 5}}, "", false)
		out.ClearOutput(true)
	case "png":
		out.Display(map[string]any{"image/png": "iVBORw0KGgo="},
			map[string]any{"image/png": map[string]any{"width": 10, "height": 5}}, "", false)
	case "stall":
		out.Progress(obj.Progress{Label: "compute mean", Done: 3, Total: 10, Bytes: 3 << 20, Elapsed: 600 * time.Millisecond})
		if slow != nil {
			close(slow)
		}
		<-ctx.Done()
		return nil, ctx.Err()
	case "stallreport":
		// as the runtime does: the last report comes after the cancellation, short of the total
		out.Progress(obj.Progress{Label: "compute mean", Done: 3, Total: 10, Bytes: 3 << 20, Elapsed: 600 * time.Millisecond})
		if slow != nil {
			close(slow)
		}
		<-ctx.Done()
		out.Progress(obj.Progress{Label: "compute mean", Done: 4, Total: 10, Bytes: 4 << 20, Elapsed: 700 * time.Millisecond, Finished: true})
		return nil, ctx.Err()
	case "restart":
		// a computation that never reports its end, then another starting its clock afresh
		for _, ms := range []int{500, 600, 100, 200, 400} {
			out.Progress(obj.Progress{Label: "compute max", Done: ms / 100, Total: 10, Elapsed: time.Duration(ms) * time.Millisecond})
		}
	case "progress":
		for i := 0; i <= 10; i++ {
			out.Progress(obj.Progress{Label: "compute sum", Done: i, Total: 10, Bytes: int64(i) << 20,
				Elapsed: time.Duration(i) * 100 * time.Millisecond, Finished: i == 10})
		}
	}
	return nil, nil
}

func (f *fakeEval) Complete(code string, cursor int) ([]string, int, int) {
	return []string{"print", "progress"}, 0, cursor
}

func (f *fakeEval) Inspect(code string, cursor int, detail int) (string, bool) {
	return "help on " + string([]rune(code)[:cursor]), cursor > 0
}

func (f *fakeEval) IsComplete(code string) (string, string) {
	if strings.HasSuffix(code, "(") {
		return "incomplete", "    "
	}
	return "complete", ""
}

func (f *fakeEval) cells() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.ran...)
}

// testClient talks to an in-process kernel over zmq4 the way jupyter_client does.
type testClient struct {
	t                     testing.TB
	signer                *Signer
	shell, control, iopub zmq4.Socket
	hb                    zmq4.Socket
	shellIn, controlIn    chan *Message
	iopubIn               chan *Message
	kernelLog             *syncBuffer
	exited                chan int
}

// syncBuffer is a log the kernel writes while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func startTestKernel(t testing.TB, eval Evaluator) *testClient {
	t.Helper()
	return connectTestClient(t, launchTestKernel(t, eval, nil))
}

// launchedKernel is an in-process kernel running on its own goroutine.
type launchedKernel struct {
	k      *Kernel
	log    *syncBuffer
	exited chan int
	cancel context.CancelFunc
}

// launchTestKernel starts a kernel on free TCP ports, with configure (when not nil)
// adjusting its Config first; it is stopped at the end of the test.
func launchTestKernel(t testing.TB, eval Evaluator, configure func(*Config)) *launchedKernel {
	t.Helper()
	dir := t.TempDir()
	connFile := filepath.Join(dir, "kernel.json")
	info := &ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: "test-key", SignatureScheme: "hmac-sha256"}
	if err := info.WriteFile(connFile); err != nil {
		t.Fatal(err)
	}
	info, err := ReadConnectionFile(connFile)
	if err != nil {
		t.Fatal(err)
	}
	logBuf := &syncBuffer{}
	cfg := Config{Conn: info, ConnectionFile: connFile, Eval: eval, Version: "test", Log: logBuf, ParentPID: -1}
	if configure != nil {
		configure(&cfg)
	}
	k, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	written, err := ReadConnectionFile(connFile)
	if err != nil {
		t.Fatal(err)
	}
	if written.ShellPort == 0 || written.HBPort == 0 || *written != k.Connection() {
		t.Fatalf("ports given as 0 were not written back: %+v", written)
	}
	ctx, cancel := context.WithCancel(context.Background())
	l := &launchedKernel{k: k, log: logBuf, exited: make(chan int, 1), cancel: cancel}
	go func() { l.exited <- k.Run(ctx) }()
	t.Cleanup(cancel)
	return l
}

// connectTestClient connects a client to every socket of the kernel but stdin and
// waits until iopub delivers.
func connectTestClient(t testing.TB, l *launchedKernel) *testClient {
	t.Helper()
	k := l.k
	c := &testClient{t: t, signer: k.signer, kernelLog: l.log, exited: l.exited,
		shellIn: make(chan *Message, 100), controlIn: make(chan *Message, 100), iopubIn: make(chan *Message, 1000)}
	ctx, cancel := context.WithCancel(context.Background())
	conn := k.Connection()
	id := zmq4.WithID(zmq4.SocketIdentity("test-client"))
	c.shell = zmq4.NewDealer(ctx, id)
	c.control = zmq4.NewDealer(ctx, id)
	c.iopub = zmq4.NewSub(ctx)
	c.hb = zmq4.NewReq(ctx)
	for _, d := range []struct {
		s    zmq4.Socket
		port int
	}{{c.shell, conn.ShellPort}, {c.control, conn.ControlPort}, {c.iopub, conn.IOPubPort}, {c.hb, conn.HBPort}} {
		if err := d.s.Dial(fmt.Sprintf("tcp://127.0.0.1:%d", d.port)); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct {
		s  zmq4.Socket
		ch chan *Message
	}{{c.shell, c.shellIn}, {c.control, c.controlIn}, {c.iopub, c.iopubIn}} {
		go func() {
			for {
				raw, err := r.s.Recv()
				if err != nil {
					return
				}
				m, err := Decode(raw.Frames, c.signer)
				if err != nil {
					t.Errorf("client got an unverifiable message: %v", err)
					continue
				}
				r.ch <- m
			}
		}()
	}
	t.Cleanup(func() {
		cancel()
		for _, s := range []zmq4.Socket{c.shell, c.control, c.iopub, c.hb} {
			s.Close()
		}
	})
	// Wait until iopub is subscribed: ask for kernel_info until its status arrives.
	deadline := time.Now().Add(5 * time.Second)
	for {
		id := c.send(c.shell, "kernel_info_request", map[string]any{})
		c.reply(c.shellIn, id)
		select {
		case <-c.iopubIn:
			c.drainIOPub()
			return c
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("iopub never delivered a message")
		}
	}
}

type writerFunc func([]byte) (int, error)

func (w writerFunc) Write(p []byte) (int, error) { return w(p) }

func (c *testClient) drainIOPub() {
	for {
		select {
		case <-c.iopubIn:
		case <-time.After(50 * time.Millisecond):
			return
		}
	}
}

func (c *testClient) message(msgType string, content any) *Message {
	b, _ := json.Marshal(content)
	return &Message{Header: Header{MsgID: newID(), Session: "client", Username: "test", Date: timestamp(),
		MsgType: msgType, Version: ProtocolVersion}, Content: b}
}

func (c *testClient) send(sock zmq4.Socket, msgType string, content any) string {
	m := c.message(msgType, content)
	if err := sock.SendMulti(zmq4.NewMsgFrom(Encode(m, c.signer)...)); err != nil {
		c.t.Fatal(err)
	}
	return m.Header.MsgID
}

// reply waits for the reply to msgID on ch.
func (c *testClient) reply(ch chan *Message, msgID string) *Message {
	c.t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case m := <-ch:
			if parentID(m) == msgID {
				return m
			}
		case <-timeout:
			c.t.Fatalf("no reply to %s", msgID)
			return nil
		}
	}
}

func parentID(m *Message) string {
	var h Header
	_ = json.Unmarshal(m.ParentHeader, &h)
	return h.MsgID
}

// outputs collects the iopub messages answering msgID up to its idle status.
func (c *testClient) outputs(msgID string) []*Message {
	c.t.Helper()
	var out []*Message
	timeout := time.After(5 * time.Second)
	for {
		select {
		case m := <-c.iopubIn:
			if parentID(m) != msgID {
				continue
			}
			out = append(out, m)
			if m.Header.MsgType == "status" && content(m)["execution_state"] == "idle" {
				return out
			}
		case <-timeout:
			c.t.Fatalf("no idle for %s; got %d messages", msgID, len(out))
		}
	}
}

func content(m *Message) map[string]any {
	var c map[string]any
	_ = json.Unmarshal(m.Content, &c)
	return c
}

func types(ms []*Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Header.MsgType)
	}
	return out
}

func (c *testClient) execute(code string, extra map[string]any) (reply *Message, iopub []*Message) {
	c.t.Helper()
	req := map[string]any{"code": code, "silent": false, "store_history": true, "user_expressions": map[string]any{},
		"allow_stdin": false, "stop_on_error": true}
	for k, v := range extra {
		req[k] = v
	}
	id := c.send(c.shell, "execute_request", req)
	return c.reply(c.shellIn, id), c.outputs(id)
}

func TestKernelExecuteMessages(t *testing.T) {
	c := startTestKernel(t, &fakeEval{})

	reply, io := c.execute("value 42", nil)
	if got := strings.Join(types(io), ","); got != "status,execute_input,execute_result,status" {
		t.Fatalf("iopub sequence %s", got)
	}
	rc := content(reply)
	if rc["status"] != "ok" || rc["execution_count"] != 1.0 {
		t.Fatalf("reply %v", rc)
	}
	res := content(io[2])
	data := res["data"].(map[string]any)
	if data["text/plain"] != "42" || data["text/html"] != "<b>42</b>" || res["execution_count"] != 1.0 {
		t.Fatalf("execute_result %v", res)
	}
	// The router used the client's identity to route the reply back to it; the dealer
	// sees no identities left.
	if reply.Header.Session != io[0].Header.Session || len(reply.Identities) != 0 {
		t.Fatalf("reply header %+v identities %q", reply.Header, reply.Identities)
	}

	// Many small writes are coalesced into few stream messages, text intact.
	_, io = c.execute("many 200", nil)
	var text strings.Builder
	streams := 0
	for _, m := range io {
		if m.Header.MsgType == "stream" {
			streams++
			text.WriteString(content(m)["text"].(string))
		}
	}
	var want strings.Builder
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&want, "%d\n", i)
	}
	if text.String() != want.String() || streams > 3 {
		t.Fatalf("%d stream messages, text ok=%v", streams, text.String() == want.String())
	}

	// stdout then stderr stay in order, in separate messages.
	_, io = c.execute("stderr oops", nil)
	if s := content(io[2]); io[2].Header.MsgType != "stream" || s["name"] != "stderr" || s["text"] != "oops\n" {
		t.Fatalf("stderr stream %v", s)
	}

	// An error: one error message, error reply with the traceback.
	reply, io = c.execute("error", nil)
	if got := strings.Join(types(io), ","); got != "status,execute_input,error,status" {
		t.Fatalf("iopub sequence %s", got)
	}
	rc = content(reply)
	if rc["status"] != "error" || rc["ename"] != "NameError" || len(rc["traceback"].([]any)) != 3 || rc["execution_count"] != 4.0 {
		t.Fatalf("error reply %v", rc)
	}

	// Silent: only busy/idle on iopub, and no count.
	reply, io = c.execute("print hidden", map[string]any{"silent": true})
	if got := strings.Join(types(io), ","); got != "status,status" || content(reply)["execution_count"] != 4.0 {
		t.Fatalf("silent: iopub %s reply %v", got, content(reply))
	}
	// store_history false: runs and shows, but the count does not move.
	reply, _ = c.execute("value 1", map[string]any{"store_history": false})
	if content(reply)["execution_count"] != 4.0 {
		t.Fatalf("store_history=false moved the count: %v", content(reply))
	}
	reply, _ = c.execute("value 2", nil)
	if content(reply)["execution_count"] != 5.0 {
		t.Fatalf("count %v, want 5", content(reply))
	}

	// A panic in the evaluator is an error reply, and the kernel goes on.
	reply, _ = c.execute("panic", nil)
	if rc := content(reply); rc["status"] != "error" || !strings.Contains(rc["evalue"].(string), "evaluator bug") {
		t.Fatalf("panic reply %v", rc)
	}
	reply, _ = c.execute("value ok", nil)
	if content(reply)["status"] != "ok" {
		t.Fatal("kernel unusable after a panic")
	}

	// Pager payload, display data and clear_output.
	reply, io = c.execute("page some help", nil)
	pl := content(reply)["payload"].([]any)
	if len(pl) != 1 || pl[0].(map[string]any)["source"] != "page" || pl[0].(map[string]any)["data"].(map[string]any)["text/plain"] != "some help" {
		t.Fatalf("payload %v", pl)
	}
	_, io = c.execute("display", nil)
	if got := strings.Join(types(io), ","); got != "status,execute_input,display_data,clear_output,status" {
		t.Fatalf("iopub sequence %s", got)
	}
	if md := content(io[2])["metadata"].(map[string]any)["image/png"].(map[string]any); md["width"] != 10.0 {
		t.Fatalf("display metadata %v", md)
	}

	// user_expressions are evaluated after the cell.
	reply, _ = c.execute("value 3", map[string]any{"user_expressions": map[string]any{"a": "value 7", "b": "error"}})
	ue := content(reply)["user_expressions"].(map[string]any)
	if a := ue["a"].(map[string]any); a["status"] != "ok" || a["data"].(map[string]any)["text/plain"] != "7" {
		t.Fatalf("user expression a: %v", a)
	}
	if b := ue["b"].(map[string]any); b["status"] != "error" || b["ename"] != "NameError" {
		t.Fatalf("user expression b: %v", b)
	}
}

func TestKernelProgressBar(t *testing.T) {
	c := startTestKernel(t, &fakeEval{})
	_, io := c.execute("progress", nil)
	var displayID string
	var updates []map[string]any
	for _, m := range io {
		cm := content(m)
		switch m.Header.MsgType {
		case "display_data":
			displayID = cm["transient"].(map[string]any)["display_id"].(string)
			if !strings.Contains(cm["data"].(map[string]any)["text/plain"].(string), "5/10 tasks") {
				t.Fatalf("first bar %v: should appear at the first report after 0.5 s", cm["data"])
			}
		case "update_display_data":
			if cm["transient"].(map[string]any)["display_id"] != displayID {
				t.Fatalf("update for another display: %v", cm)
			}
			updates = append(updates, cm["data"].(map[string]any))
		}
	}
	if displayID == "" || len(updates) == 0 {
		t.Fatalf("no progress bar: %v", types(io))
	}
	// Reports come every 100 ms of the computation's Elapsed, updates at most every
	// 250 ms of it: the bar appears at 500 ms (5/10), 600 and 700 ms are held back,
	// 800 ms (250 ms+ after 500) updates it, 900 ms is held back, and the finished
	// report at 1000 ms replaces it with the summary.
	if len(updates) != 2 {
		t.Fatalf("%d updates, want the 8/10 bar and the summary: %v", len(updates), updates)
	}
	if bar := updates[0]["text/plain"].(string); !strings.Contains(bar, " 8/10 tasks, 8.0 MiB") || !strings.HasSuffix(bar, ", 0.8 s") {
		t.Fatalf("throttled update %q, want the report at 800 ms", bar)
	}
	last := updates[1]["text/plain"].(string)
	if last != "compute sum: 10 tasks, 10.0 MiB in 1.00 s (10.0 MiB/s)" {
		t.Fatalf("summary %q", last)
	}

	// A computation whose clock starts afresh on the shown bar is throttled from its own
	// start: 100 ms sets the baseline, 200 ms is held back, 400 ms updates; the bar that
	// never finished is marked stopped when the cell ends.
	_, io = c.execute("restart", nil)
	var shown []string
	for _, m := range io {
		if m.Header.MsgType == "display_data" || m.Header.MsgType == "update_display_data" {
			shown = append(shown, content(m)["data"].(map[string]any)["text/plain"].(string))
		}
	}
	if len(shown) != 3 || !strings.Contains(shown[0], " 5/10 tasks") || !strings.Contains(shown[1], " 4/10 tasks") ||
		!strings.Contains(shown[2], "stopped") {
		t.Fatalf("restarted computation shown as %q", shown)
	}

	// A display without text/plain gets one naming what it holds.
	_, io = c.execute("png", nil)
	if d := content(io[2])["data"].(map[string]any); d["text/plain"] != "<image/png 10×5>" || d["image/png"] != "iVBORw0KGgo=" {
		t.Fatalf("display data %v", d)
	}
}

// An interrupted computation's bar is replaced by a line saying where it stopped.
func TestKernelProgressInterrupted(t *testing.T) {
	eval := &fakeEval{slow: make(chan struct{})}
	c := startTestKernel(t, eval)
	id := c.send(c.shell, "execute_request", map[string]any{"code": "stall", "silent": false, "store_history": true,
		"user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true})
	<-eval.slow
	c.send(c.control, "interrupt_request", map[string]any{})
	io := c.outputs(id)
	if got := strings.Join(types(io), ","); got != "status,execute_input,display_data,update_display_data,error,status" {
		t.Fatalf("iopub sequence %s", got)
	}
	text := content(io[3])["data"].(map[string]any)["text/plain"].(string)
	if !strings.HasPrefix(text, "compute mean: stopped after 3 of 10 tasks, 3.0 MiB in ") {
		t.Fatalf("stopped line %q", text)
	}

	// The runtime's own last report after a cancellation (Finished, Done < Total) gives
	// the stopped line too, not the success summary (seen in the notebook front end).
	eval.mu.Lock()
	eval.slow = make(chan struct{})
	slow := eval.slow
	eval.mu.Unlock()
	id = c.send(c.shell, "execute_request", map[string]any{"code": "stallreport", "silent": false, "store_history": true,
		"user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true})
	<-slow
	c.send(c.control, "interrupt_request", map[string]any{})
	io = c.outputs(id)
	var last string
	for _, m := range io {
		if m.Header.MsgType == "update_display_data" {
			last = content(m)["data"].(map[string]any)["text/plain"].(string)
		}
	}
	if last != "compute mean: stopped after 4 of 10 tasks, 4.0 MiB in 0.70 s" {
		t.Fatalf("last progress line after an interrupt %q (iopub %v)", last, types(io))
	}
}

func TestKernelInterruptStopOnErrorAndSignatures(t *testing.T) {
	eval := &fakeEval{slow: make(chan struct{})}
	c := startTestKernel(t, eval)

	// A slow cell; while it runs, heartbeat and control still answer.
	slowID := c.send(c.shell, "execute_request", map[string]any{"code": "slow", "silent": false, "store_history": true,
		"user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true})
	<-eval.slow
	start := time.Now()
	if err := c.hb.Send(zmq4.NewMsgString("ping")); err != nil {
		t.Fatal(err)
	}
	pong, err := c.hb.Recv()
	if err != nil || string(pong.Bytes()) != "ping" {
		t.Fatalf("heartbeat while busy: %q %v", pong.Bytes(), err)
	}
	kid := c.send(c.control, "kernel_info_request", map[string]any{})
	if li := content(c.reply(c.controlIn, kid))["language_info"].(map[string]any); li["name"] != "gokist" || li["file_extension"] != ".gk" {
		t.Fatalf("language_info %v", li)
	}
	iid := c.send(c.control, "interrupt_request", map[string]any{})
	if content(c.reply(c.controlIn, iid))["status"] != "ok" {
		t.Fatal("interrupt_reply not ok")
	}
	rc := content(c.reply(c.shellIn, slowID))
	if rc["status"] != "error" || rc["ename"] != "Interrupted" {
		t.Fatalf("interrupted cell reply %v", rc)
	}
	if d := time.Since(start); d > 10*time.Second { // the slow cell runs far longer; loaded CI is slow
		t.Fatalf("interrupt took %v", d)
	}
	c.outputs(slowID)

	// stop_on_error: an error aborts the executes queued behind it; other requests run.
	errID := c.send(c.shell, "execute_request", map[string]any{"code": "error", "silent": false, "store_history": true,
		"user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true})
	q1 := c.send(c.shell, "execute_request", map[string]any{"code": "print queued1", "stop_on_error": true})
	cid := c.send(c.shell, "complete_request", map[string]any{"code": "pr", "cursor_pos": 2})
	q2 := c.send(c.shell, "execute_request", map[string]any{"code": "print queued2"})
	if content(c.reply(c.shellIn, errID))["status"] != "error" {
		t.Fatal("error cell did not fail")
	}
	for _, id := range []string{q1, q2} {
		if r := content(c.reply(c.shellIn, id)); r["status"] != "error" || r["ename"] != "Aborted" {
			t.Fatalf("queued execute answered %v", r)
		}
	}
	if cm := content(c.reply(c.shellIn, cid)); cm["status"] != "ok" || cm["cursor_end"] != 2.0 {
		t.Fatalf("complete after abort: %v", cm)
	}
	for _, cell := range eval.cells() {
		if strings.Contains(cell, "queued") {
			t.Fatalf("aborted cell %q ran", cell)
		}
	}
	// The next cell after the abort runs.
	if reply, _ := c.execute("print after", nil); content(reply)["status"] != "ok" {
		t.Fatal("kernel did not recover after abort")
	}

	// A wrongly signed execute is dropped and logged; the kernel keeps answering.
	bad := c.message("execute_request", map[string]any{"code": "print forged"})
	frames := Encode(bad, c.signer)
	frames[1] = bytes.Repeat([]byte("0"), 64)
	if err := c.shell.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		t.Fatal(err)
	}
	if reply, _ := c.execute("print genuine", nil); content(reply)["status"] != "ok" {
		t.Fatal("no answer after a forged message")
	}
	for _, cell := range eval.cells() {
		if strings.Contains(cell, "forged") {
			t.Fatal("a wrongly signed execute ran")
		}
	}

	// Shutdown on control: reply, then Run returns 0.
	sid := c.send(c.control, "shutdown_request", map[string]any{"restart": false})
	if content(c.reply(c.controlIn, sid))["status"] != "ok" {
		t.Fatal("shutdown_reply not ok")
	}
	select {
	case code := <-c.exited:
		if code != 0 {
			t.Fatalf("exit code %d", code)
		}
	case <-time.After(time.Second):
		t.Fatal("kernel still running a second after shutdown")
	}
}

func TestKernelOtherRequests(t *testing.T) {
	c := startTestKernel(t, &fakeEval{})
	ask := func(msgType string, req map[string]any) map[string]any {
		id := c.send(c.shell, msgType, req)
		r := c.reply(c.shellIn, id)
		if io := c.outputs(id); io[0].Header.MsgType != "status" || content(io[0])["execution_state"] != "busy" {
			t.Fatalf("%s: no busy status", msgType)
		}
		return content(r)
	}
	// Cursor positions are code points on the wire: "é" is 2 bytes, 1 code point.
	if r := ask("complete_request", map[string]any{"code": "é pr", "cursor_pos": 4}); r["cursor_end"] != 4.0 || len(r["matches"].([]any)) != 2 {
		t.Fatalf("complete %v", r)
	}
	if r := ask("inspect_request", map[string]any{"code": "é print", "cursor_pos": 3, "detail_level": 0}); r["found"] != true || r["data"].(map[string]any)["text/plain"] != "help on é p" {
		t.Fatalf("inspect %v", r)
	}
	// A cursor outside the cell is clamped into it before the evaluator sees it (the fake
	// evaluator answers cursor_end = the cursor it got, and inspects the code before it).
	for _, tc := range []struct {
		code       string
		cursor     int
		wantCursor float64
	}{{"pr", -5, 0}, {"pr", 100, 2}, {"é pr", 5, 4}, {"", 3, 0}} {
		r := ask("complete_request", map[string]any{"code": tc.code, "cursor_pos": tc.cursor})
		if r["status"] != "ok" || r["cursor_end"] != tc.wantCursor || r["cursor_start"] != 0.0 {
			t.Fatalf("complete %q at %d: %v, want cursor_end %v", tc.code, tc.cursor, r, tc.wantCursor)
		}
	}
	if r := ask("inspect_request", map[string]any{"code": "é p", "cursor_pos": 100, "detail_level": 0}); r["status"] != "ok" || r["data"].(map[string]any)["text/plain"] != "help on é p" {
		t.Fatalf("inspect past the end %v", r)
	}
	if r := ask("inspect_request", map[string]any{"code": "é p", "cursor_pos": -5, "detail_level": 0}); r["status"] != "ok" || r["found"] != false {
		t.Fatalf("inspect before the start %v", r)
	}
	// Content that does not fit the request's fields gets an error reply naming the field,
	// and the kernel answers the next request normally.
	for _, tc := range []struct {
		msgType string
		req     map[string]any
		want    string
	}{
		{"complete_request", map[string]any{"code": "pr", "cursor_pos": "2"}, "malformed complete_request: cursor_pos must be an integer, not a JSON string"},
		{"complete_request", map[string]any{"code": "pr", "cursor_pos": 1.5}, "malformed complete_request: cursor_pos must be an integer, not a JSON number 1.5"},
		{"inspect_request", map[string]any{"code": 5, "cursor_pos": 0}, "malformed inspect_request: code must be a string, not a JSON number"},
		{"is_complete_request", map[string]any{"code": []any{1}}, "malformed is_complete_request: code must be a string, not a JSON array"},
	} {
		r := ask(tc.msgType, tc.req)
		if r["status"] != "error" || r["ename"] != "ValueError" || r["evalue"] != tc.want {
			t.Errorf("%s %v: %v, want a ValueError %q", tc.msgType, tc.req, r, tc.want)
		}
	}
	if r := ask("is_complete_request", map[string]any{"code": "f("}); r["status"] != "incomplete" || r["indent"] != "    " {
		t.Fatalf("is_complete %v", r)
	}
	if r := ask("comm_info_request", map[string]any{}); len(r["comms"].(map[string]any)) != 0 {
		t.Fatalf("comm_info %v", r)
	}
	id := c.send(c.shell, "comm_open", map[string]any{"comm_id": "c1", "target_name": "nope", "data": map[string]any{}})
	io := c.outputs(id)
	if got := strings.Join(types(io), ","); got != "status,comm_close,status" || content(io[1])["comm_id"] != "c1" {
		t.Fatalf("comm_open answered with %s", got)
	}
}

func TestHistorySelection(t *testing.T) {
	s := func(v string) *string { return &v }
	all := []historyEntry{{1, "a = 1", nil}, {2, "1 + 1", s("2")}, {3, "a * 2", s("2")}, {4, "1 + 1", s("2")}, {6, "print(a)", nil}}
	n := func(v int) *int { return &v }
	lines := func(h [][]any) []int {
		var out []int
		for _, e := range h {
			out = append(out, e[1].(int))
		}
		return out
	}
	for _, tc := range []struct {
		req  historyRequest
		want []int
	}{
		{historyRequest{HistAccessType: "tail", N: n(2)}, []int{4, 6}},
		{historyRequest{HistAccessType: "tail", N: n(10)}, []int{1, 2, 3, 4, 6}},
		{historyRequest{HistAccessType: "range", Session: 1, Start: 2, Stop: 3}, []int{2}},
		{historyRequest{HistAccessType: "range", Session: 0, Start: 3}, []int{3, 4, 6}},
		{historyRequest{HistAccessType: "range", Session: 7, Start: 1}, nil},
		{historyRequest{HistAccessType: "search", Pattern: "1*"}, []int{2, 4}},
		{historyRequest{HistAccessType: "search", Pattern: "1*", Unique: true}, []int{4}},
		{historyRequest{HistAccessType: "search", Pattern: "*a*", N: n(2)}, []int{3, 6}},
		{historyRequest{HistAccessType: "search", Pattern: "a [=*] ?"}, []int{1, 3}},
		{historyRequest{HistAccessType: "search", Pattern: "a"}, nil},
	} {
		if got := lines(selectHistory(all, tc.req)); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%+v: lines %v, want %v", tc.req, got, tc.want)
		}
	}
	h := selectHistory(all, historyRequest{HistAccessType: "tail", N: n(1), Output: true})
	if pair := h[0][2].([]any); pair[0] != "print(a)" || pair[1] != nil {
		t.Fatalf("output=True entry %v", h[0])
	}
}
