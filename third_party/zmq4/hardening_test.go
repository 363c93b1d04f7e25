// Copyright 2026 The go-zeromq Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package zmq4

// Tests of the hardening patches (see README.md in this copy): a peer speaking
// malformed ZMTP must fail its own connection only, never panic the process, exhaust
// its memory or stall the socket for others.

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"log"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// rawGreeting is a ZMTP 3.0 greeting for the NULL mechanism, as a client sends it.
func rawGreeting() []byte {
	g := make([]byte, 64)
	g[0], g[9], g[10], g[11] = 0xff, 0x7f, 3, 0
	copy(g[12:], "NULL")
	return g
}

// rawReady is a READY command carrying props as ZMTP metadata (name, value pairs).
func rawReady(props ...string) []byte {
	body := []byte("\x05READY")
	for i := 0; i+1 < len(props); i += 2 {
		body = append(body, byte(len(props[i])))
		body = append(body, props[i]...)
		body = binary.BigEndian.AppendUint32(body, uint32(len(props[i+1])))
		body = append(body, props[i+1]...)
	}
	return append([]byte{0x04, byte(len(body))}, body...)
}

// rawConn connects to the socket's TCP endpoint and exchanges greetings.
func rawConn(t *testing.T, addr net.Addr) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr.String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Write(rawGreeting()); err != nil {
		t.Fatal(err)
	}
	var g [64]byte
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(c, g[:]); err != nil {
		t.Fatalf("reading the server greeting: %v", err)
	}
	return c
}

// waitClosed fails the test unless the server closes c within the deadline.
func waitClosed(t *testing.T, c net.Conn, within time.Duration) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(within))
	buf := make([]byte, 4096)
	for {
		_, err := c.Read(buf)
		if err == nil {
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("the server did not close the connection within %v", within)
		}
		return
	}
}

// listenRouter starts a ROUTER socket on a free TCP port.
func listenRouter(t *testing.T, opts ...Option) Socket {
	t.Helper()
	logs := log.New(io.Discard, "", 0)
	r := NewRouter(context.Background(), append([]Option{WithLogger(logs)}, opts...)...)
	if err := r.Listen("tcp://127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// checkStillServes dials the router with a DEALER and has it answer one message.
func checkStillServes(t *testing.T, r Socket) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d := NewDealer(ctx, WithID(SocketIdentity("checker")), WithLogger(log.New(io.Discard, "", 0)))
	defer d.Close()
	dialed := make(chan error, 1)
	go func() { dialed <- d.Dial("tcp://" + r.Addr().String()) }()
	select {
	case err := <-dialed:
		if err != nil {
			t.Fatalf("dialing after the bad peer: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("a new DEALER could not connect within 10s")
	}
	if err := d.Send(NewMsgString("ping")); err != nil {
		t.Fatal(err)
	}
	got := make(chan Msg, 1)
	go func() {
		m, err := r.Recv()
		if err == nil {
			got <- m
		}
	}()
	select {
	case m := <-got:
		if len(m.Frames) != 2 || string(m.Frames[1]) != "ping" {
			t.Fatalf("router received %q", m.Frames)
		}
	case <-ctx.Done():
		t.Fatal("the router received nothing within 10s")
	}
}

// A frame announcing 2^63-1 bytes (or 2^40) made read allocate that much at once:
// panic: makeslice, or a fatal out-of-memory. It now reads as the bytes arrive.
func TestReadHugeFrameLengthAllocatesOnlyWhatArrives(t *testing.T) {
	for _, size := range []uint64{1<<63 - 1, 1 << 40, 1 << 31} {
		client, server := net.Pipe()
		c := &Conn{rw: server, sec: nullSecurity{}}
		go func() {
			hdr := []byte{0x02, 0, 0, 0, 0, 0, 0, 0, 0}
			binary.BigEndian.PutUint64(hdr[1:], size)
			client.Write(hdr)
			client.Write(bytes.Repeat([]byte{'x'}, 3<<20)) // 3 MiB, then hang up
			client.Close()
		}()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		msg := c.read()
		runtime.ReadMemStats(&after)
		if msg.err == nil {
			t.Fatalf("size %d: a truncated frame read without error", size)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 32<<20 {
			t.Errorf("size %d: reading 3 MiB of a frame allocated %d MiB", size, grew>>20)
		}
	}
}

// A frame body still arrives intact across read chunks.
func TestReadFrameBodyAcrossChunks(t *testing.T) {
	want := bytes.Repeat([]byte("0123456789abcdef"), (3*readChunk+5)/16)
	got, err := readFrameBody(bytes.NewReader(want), uint64(len(want)))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("readFrameBody: %d bytes, err %v", len(got), err)
	}
}

// With a maximum message size, a larger frame closes the connection before its body is
// read, with a log line; so does a stream of empty frames of one message.
func TestMaxMessageSize(t *testing.T) {
	for _, tc := range []struct {
		name  string
		wire  []byte
		limit int64
	}{
		{"one big frame", []byte{0x02, 0, 0, 0, 0, 0x10, 0, 0, 0}, 1 << 20},
		{"many empty frames", bytes.Repeat([]byte{0x01, 0}, 100000), 1 << 16},
	} {
		t.Run(tc.name, func(t *testing.T) {
			client, server := net.Pipe()
			var logs bytes.Buffer
			c := &Conn{rw: server, sec: nullSecurity{}, maxMsgSize: tc.limit, log: log.New(&logs, "", 0)}
			go func() { client.Write(tc.wire); client.Close() }()
			msg := c.read()
			if !errors.Is(msg.err, errMsgTooLarge) {
				t.Fatalf("read: %v, want errMsgTooLarge", msg.err)
			}
			if !c.Closed() || !strings.Contains(logs.String(), "exceeds the maximum message size") {
				t.Fatalf("closed %v, log %q", c.Closed(), logs.String())
			}
		})
	}
}

// The reproducer against a listening socket: a greeting, then a command frame
// announcing 2^63-1 bytes. The connection is dropped; the socket serves the next peer.
func TestHugeFrameInHandshakeDropsOnlyThatPeer(t *testing.T) {
	r := listenRouter(t)
	c := rawConn(t, r.Addr())
	c.Write(append([]byte{0x06}, binary.BigEndian.AppendUint64(nil, 1<<63-1)...))
	c.Close()
	checkStillServes(t, r)
}

// A READY without Socket-Type (or with an unknown one) panicked in IsCompatible.
func TestReadyWithoutSocketTypeFailsTheHandshake(t *testing.T) {
	r := listenRouter(t)
	for _, ready := range [][]byte{rawReady(), rawReady("Socket-Type", "BOGUS"), rawReady("Identity", "x")} {
		c := rawConn(t, r.Addr())
		if _, err := c.Write(ready); err != nil {
			t.Fatal(err)
		}
		waitClosed(t, c, 5*time.Second)
	}
	checkStillServes(t, r)
	if SocketType("").IsCompatible(Router) {
		t.Fatal("an empty socket type is compatible with ROUTER")
	}
}

// Truncated metadata properties panicked with a slice index out of range.
func TestTruncatedMetadataIsAnError(t *testing.T) {
	for _, p := range [][]byte{
		{5, 'a'},                  // name longer than the data
		{1, 'a', 0, 0},            // value length cut short
		{1, 'a', 0, 0, 0, 9, 'v'}, // value longer than the data
		{1, 'a', 0xff, 0xff, 0xff, 0xff},
	} {
		md := make(Metadata)
		if err := md.UnmarshalZMTP(p); err == nil {
			t.Errorf("metadata % x parsed without error: %v", p, md)
		}
	}
}

// A connection that never sends its greeting kept accept() from reaching the next
// connection: nobody else could connect while it stayed open.
func TestSilentPeerDoesNotBlockOthers(t *testing.T) {
	r := listenRouter(t)
	idle, err := net.Dial("tcp", r.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	time.Sleep(50 * time.Millisecond) // let accept() take the idle connection first
	checkStillServes(t, r)
}

// A handshake not done within the handshake timeout is dropped.
func TestHandshakeTimeout(t *testing.T) {
	r := listenRouter(t, WithHandshakeTimeout(200*time.Millisecond))
	idle := rawConn(t, r.Addr()) // greets, then never sends READY
	waitClosed(t, idle, 5*time.Second)
}

// panickySecurity is a security mechanism whose every step panics.
type panickySecurity struct{ nullSecurity }

func (panickySecurity) Handshake(*Conn, bool) error { panic("handshake bug") }
func (panickySecurity) Type() SecurityType          { return "PANIC" }

// A panic during the handshake fails the connection, not the process.
func TestPanicInHandshakeIsAnError(t *testing.T) {
	client, server := net.Pipe()
	go func() {
		var g [64]byte
		io.ReadFull(client, g[:])
		g2 := rawGreeting()
		copy(g2[12:32], "PANIC\x00\x00\x00")
		client.Write(g2)
	}()
	_, err := Open(server, panickySecurity{}, Router, nil, true, nil)
	if err == nil || !strings.Contains(err.Error(), "handshake bug") {
		t.Fatalf("Open: %v", err)
	}
}

// A subscriber that stops reading froze a PUB socket for every subscriber, and its
// queue grew without bound. Now its own queue stops at the high-water mark and the
// other subscribers keep receiving.
func TestPubDropsForSlowSubscriber(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pub := NewPub(ctx)
	defer pub.Close()
	if err := pub.SetOption(OptionHWM, 50); err != nil {
		t.Fatal(err)
	}
	if err := pub.Listen("tcp://127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	ep := "tcp://" + pub.Addr().String()
	// A SUB that never calls Recv stops reading from TCP once its small internal queue
	// is full: the slow subscriber.
	slow, fast := NewSub(ctx), NewSub(ctx)
	defer slow.Close()
	defer fast.Close()
	for _, s := range []Socket{slow, fast} {
		if err := s.Dial(ep); err != nil {
			t.Fatal(err)
		}
		if err := s.SetOption(OptionSubscribe, ""); err != nil {
			t.Fatal(err)
		}
	}
	w := pub.(*pubSocket).sck.w.(*pubMWriter)
	waitFor(t, "both subscriptions", func() bool { return len(pub.(Topics).Topics()) == 1 && subscribedConns(w) == 2 })

	got := make(chan string, 16)
	go func() {
		for {
			m, err := fast.Recv()
			if err != nil {
				return
			}
			if s := string(m.Frames[0]); strings.HasPrefix(s, "marker") {
				got <- s
			}
		}
	}()
	big := bytes.Repeat([]byte{'x'}, 64<<10)
	for i := 0; i < 2000; i++ { // 128 MiB: far more than the slow peer's TCP buffers
		if err := pub.Send(NewMsg(big)); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.After(20 * time.Second)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for received := false; !received; {
		select {
		case <-got:
			received = true
		case <-tick.C:
			pub.Send(NewMsgString("marker"))
		case <-deadline:
			t.Fatal("the fast subscriber received nothing sent after the slow one stalled")
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	dropped := 0
	for _, q := range w.ws {
		q.mu.Lock()
		if len(q.q) > 50 {
			t.Errorf("a subscriber's queue holds %d messages, over the high-water mark 50", len(q.q))
		}
		dropped += q.dropped
		q.mu.Unlock()
	}
	if dropped == 0 {
		t.Error("no message was dropped for the slow subscriber")
	}
}

func subscribedConns(w *pubMWriter) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, q := range w.ws {
		if q.conn.subscribed("") {
			n++
		}
	}
	return n
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// failingListener fails every Accept, as a listener out of file descriptors does.
type failingListener struct {
	net.Listener
	calls int
	mu    sync.Mutex
}

func (l *failingListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	l.calls++
	l.mu.Unlock()
	return nil, errors.New("accept: too many open files")
}

// An Accept error made accept() spin at full speed; it now backs off.
func TestAcceptBacksOffOnErrors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	sck := newSocket(ctx, Router, WithLogger(log.New(io.Discard, "", 0)))
	l := &failingListener{}
	sck.listener = l
	go sck.accept()
	time.Sleep(300 * time.Millisecond)
	cancel()
	l.mu.Lock()
	defer l.mu.Unlock()
	// 5+10+20+40+80+160 ms: at most 7 calls in 300 ms; a spinning loop makes millions.
	if l.calls > 20 {
		t.Fatalf("Accept called %d times in 300 ms", l.calls)
	}
}

// A queue stops at its byte bound as at its count of messages; a lone big message
// still goes.
func TestConnQueueBounds(t *testing.T) {
	q := newConnQueue(nil)
	frame := make([]byte, 400)
	for i := 0; i < 3; i++ {
		q.push(NewMsg(frame), 10, 1000)
	}
	if len(q.q) != 2 || q.size != 800 || q.dropped != 1 {
		t.Fatalf("byte bound 1000: %d queued (%d bytes), %d dropped", len(q.q), q.size, q.dropped)
	}
	q = newConnQueue(nil)
	q.push(NewMsg(make([]byte, 5000)), 10, 1000)
	if len(q.q) != 1 {
		t.Fatal("a message larger than the byte bound was dropped from an empty queue")
	}
	q = newConnQueue(nil)
	for i := 0; i < 5; i++ {
		q.push(NewMsg(frame), 3, 0)
	}
	if len(q.q) != 3 || q.dropped != 2 {
		t.Fatalf("high-water mark 3: %d queued, %d dropped", len(q.q), q.dropped)
	}
}

// A requester that sends without reading its replies blocked the REP socket's single
// writer, so nobody else got a reply (a Jupyter heartbeat stopped for every client).
func TestRepSlowRequesterDoesNotBlockOthers(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rep := NewRep(ctx, WithQueueBytes(1<<20), WithLogger(log.New(io.Discard, "", 0)))
	defer rep.Close()
	if err := rep.Listen("tcp://127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	go func() { // an echo server, as a heartbeat
		for {
			m, err := rep.Recv()
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				continue
			}
			rep.Send(m)
		}
	}()
	slow := rawConn(t, rep.Addr())
	slow.Write(rawReady("Socket-Type", "REQ"))
	go func() {
		req := append([]byte{0x01, 0x00}, 0x02)
		req = binary.BigEndian.AppendUint64(req, 256<<10)
		req = append(req, make([]byte, 256<<10)...)
		slow.SetWriteDeadline(time.Now().Add(20 * time.Second))
		for i := 0; i < 200; i++ { // 50 MiB of requests, no reply ever read
			if _, err := slow.Write(req); err != nil {
				return
			}
		}
	}()
	time.Sleep(500 * time.Millisecond)
	req := NewReq(ctx, WithLogger(log.New(io.Discard, "", 0)))
	defer req.Close()
	if err := req.Dial("tcp://" + rep.Addr().String()); err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		if err := req.Send(NewMsgString("ping")); err != nil {
			got <- err
			return
		}
		m, err := req.Recv()
		if err == nil && string(m.Frames[0]) != "ping" {
			err = errors.New("echoed " + string(m.Frames[0]))
		}
		got <- err
	}()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no reply within 10s while another requester does not read its replies")
	}
	w := rep.(*repSocket).sck.w.(*repWriter)
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, q := range w.queues {
		q.mu.Lock()
		if q.size > 1<<20 {
			t.Errorf("a requester's queue holds %d bytes, over its bound of 1 MiB", q.size)
		}
		q.mu.Unlock()
	}
}
