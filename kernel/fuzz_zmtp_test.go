package kernel

import (
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// FuzzKernelZMTP speaks raw bytes to a live kernel's ports, as anyone who can reach
// them may, before any signature is checked: port picks the socket (shell, control,
// stdin, iopub, heartbeat), greet sends a valid ZMTP greeting first (so the bytes reach
// the handshake and the frame reader, not only the greeting check), data is the rest.
// After each input the kernel must still answer kernel_info on shell and control, echo
// a heartbeat, accept a new connection on that port, and have logged no panic.
// .ci/fuzz.sh runs it for FUZZTIME (5 s by default).
func FuzzKernelZMTP(f *testing.F) {
	ready := zmtpReady("Socket-Type", "DEALER", "Identity", "fuzz")
	for port := range 5 {
		for _, p := range hostilePayloads {
			f.Add(uint8(port), p.greet, p.data)
		}
		// A whole valid exchange: READY, then a short and a long frame of one message.
		valid := append(append([]byte{}, ready...), 0x01, 0x00, 0x00, 0x03, 'a', 'b', 'c')
		f.Add(uint8(port), true, valid)
		f.Add(uint8(port), false, zmtpGreeting()[:10])
	}
	l := launchTestKernel(f, &fakeEval{}, nil)
	client := connectTestClient(f, l)
	ports := kernelPorts(l.k)
	names := []string{"shell", "control", "stdin", "iopub", "heartbeat"}
	logSeen := 0
	f.Fuzz(func(t *testing.T, port uint8, greet bool, data []byte) {
		if len(data) > 1<<14 {
			return
		}
		name := names[int(port)%len(names)]
		sendRaw(t, ports[name], greet, data)
		c := *client
		c.t = t
		c.checkServing(fmt.Sprintf("%d bytes on %s", len(data), name))
		checkAccepts(t, ports[name])
		log := l.log.String()
		if strings.Contains(log[logSeen:], "panic") {
			t.Fatalf("the kernel recovered from a panic:\n%s", log[logSeen:])
		}
		logSeen = len(log)
	})
}

// sendRaw connects to port, greets when asked, writes data, reads whatever comes back
// for a moment and hangs up.
func sendRaw(t *testing.T, port int, greet bool, data []byte) {
	conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 5*time.Second)
	if err != nil {
		t.Fatalf("connecting to port %d: %v", port, err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Millisecond))
	if greet {
		conn.Write(zmtpGreeting())
	}
	conn.Write(data)
	io.Copy(io.Discard, conn)
}

// checkAccepts fails unless a new connection to port gets the kernel's greeting.
func checkAccepts(t *testing.T, port int) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 5*time.Second)
	if err != nil {
		t.Fatalf("connecting to port %d: %v", port, err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	conn.Write(zmtpGreeting())
	var g [64]byte
	if _, err := io.ReadFull(conn, g[:]); err != nil || g[0] != 0xff || g[9] != 0x7f {
		t.Fatalf("port %d: a new connection got no greeting: % x, %v", port, g[:12], err)
	}
}
