package kernel

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// leaveStaleSocket creates a unix socket file at path with nothing listening on it, as
// a kernel killed with SIGKILL leaves behind.
func leaveStaleSocket(t *testing.T, path string) {
	t.Helper()
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	l.SetUnlinkOnClose(false)
	l.Close()
	if fi, err := os.Lstat(path); err != nil || fi.Mode()&os.ModeSocket == 0 {
		t.Fatalf("no stale socket at %s: %v", path, err)
	}
}

func ipcInfo(base string) *ConnectionInfo {
	return &ConnectionInfo{Transport: "ipc", IP: base, ShellPort: 1, IOPubPort: 2, StdinPort: 3,
		ControlPort: 4, HBPort: 5, Key: "test-key", SignatureScheme: "hmac-sha256"}
}

// Issue 13 item 6: the socket files of a crashed kernel made the restart fail with
// "address already in use". Stale ones are removed; a live one is left alone.
func TestKernelIPCRemovesStaleSocket(t *testing.T) {
	base := filepath.Join(t.TempDir(), "kernel")
	info := ipcInfo(base)
	for _, port := range []int{1, 2, 3, 4, 5} {
		leaveStaleSocket(t, strings.TrimPrefix(info.Endpoint(port), "ipc://"))
	}
	logs := &syncBuffer{}
	k, err := New(Config{Conn: info, Eval: &fakeEval{}, Version: "test", Log: logs, ParentPID: -1})
	if err != nil {
		t.Fatalf("restarting over stale sockets: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go k.Run(ctx)

	signer, _ := NewSigner("hmac-sha256", "test-key")
	dealer := zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity("ipc-client")))
	defer dealer.Close()
	if err := dealer.Dial(info.Endpoint(info.ShellPort)); err != nil {
		t.Fatal(err)
	}
	c := &testClient{t: t, signer: signer}
	req := c.message("kernel_info_request", map[string]any{})
	if err := dealer.SendMulti(zmq4.NewMsgFrom(Encode(req, signer)...)); err != nil {
		t.Fatal(err)
	}
	got := make(chan *Message, 1)
	go func() {
		if raw, err := dealer.Recv(); err == nil {
			if m, err := Decode(raw.Frames, signer); err == nil {
				got <- m
			}
		}
	}()
	select {
	case m := <-got:
		if m.Header.MsgType != "kernel_info_reply" {
			t.Fatalf("got %s", m.Header.MsgType)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no kernel_info_reply over ipc within 10s")
	}
	if !strings.Contains(logs.String(), "removed the stale socket "+base+"-1") {
		t.Errorf("the removal was not logged:\n%s", logs.String())
	}
}

func TestKernelIPCLeavesLiveSocket(t *testing.T) {
	base := filepath.Join(t.TempDir(), "kernel")
	info := ipcInfo(base)
	path := strings.TrimPrefix(info.Endpoint(info.ShellPort), "ipc://")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, err = New(Config{Conn: info, Eval: &fakeEval{}, Version: "test", Log: &syncBuffer{}, ParentPID: -1})
	if err == nil || !strings.Contains(err.Error(), "another process is listening") {
		t.Fatalf("binding over a live socket: %v", err)
	}
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("the live socket was removed: %v", err)
	}
}
