package kernel

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ConnectionInfo is the content of a Jupyter connection file: where each socket binds and
// how messages are signed.
type ConnectionInfo struct {
	Transport       string `json:"transport"`
	IP              string `json:"ip"`
	ShellPort       int    `json:"shell_port"`
	IOPubPort       int    `json:"iopub_port"`
	StdinPort       int    `json:"stdin_port"`
	ControlPort     int    `json:"control_port"`
	HBPort          int    `json:"hb_port"`
	Key             string `json:"key"`
	SignatureScheme string `json:"signature_scheme"`
	KernelName      string `json:"kernel_name,omitempty"`
}

// ReadConnectionFile parses a connection file, filling Jupyter's defaults (tcp on
// 127.0.0.1, hmac-sha256) for absent fields.
func ReadConnectionFile(path string) (*ConnectionInfo, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading connection file: %w", err)
	}
	var c ConnectionInfo
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("parsing connection file %s: %w", path, err)
	}
	if c.Transport == "" {
		c.Transport = "tcp"
	}
	if c.IP == "" {
		c.IP = "127.0.0.1"
	}
	if c.SignatureScheme == "" {
		c.SignatureScheme = "hmac-sha256"
	}
	if c.Transport != "tcp" && c.Transport != "ipc" {
		return nil, fmt.Errorf("connection file %s: unsupported transport %q (want tcp or ipc)", path, c.Transport)
	}
	for name, p := range map[string]int{"shell_port": c.ShellPort, "iopub_port": c.IOPubPort,
		"stdin_port": c.StdinPort, "control_port": c.ControlPort, "hb_port": c.HBPort} {
		if p < 0 || p > 65535 {
			return nil, fmt.Errorf("connection file %s: %s %d out of range", path, name, p)
		}
	}
	return &c, nil
}

// WriteFile writes the connection info as JSON (used after binding ports given as 0).
func (c *ConnectionInfo) WriteFile(path string) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

// Endpoint is the ZeroMQ address of one of the ports, for binding (the kernel) or dialling
// (a client such as gokist run); "*" as IP means every interface.
func (c *ConnectionInfo) Endpoint(port int) string {
	if c.Transport == "ipc" {
		return fmt.Sprintf("ipc://%s-%d", c.IP, port)
	}
	ip := c.IP
	if ip == "*" {
		ip = "0.0.0.0"
	}
	return fmt.Sprintf("tcp://%s:%d", ip, port)
}

// maxMessageSize resolves Config.MaxMessageSize: 0 is GOKIST_MAX_MESSAGE_SIZE (bytes)
// when set, else DefaultMaxMessageSize; negative is no limit (0 for zmq4).
func maxMessageSize(configured int64) (int64, error) {
	if configured < 0 {
		return 0, nil
	}
	if configured > 0 {
		return configured, nil
	}
	env := strings.TrimSpace(os.Getenv("GOKIST_MAX_MESSAGE_SIZE"))
	if env == "" {
		return DefaultMaxMessageSize, nil
	}
	n, err := strconv.ParseInt(env, 10, 64)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("GOKIST_MAX_MESSAGE_SIZE=%q: want a size in bytes (negative for no limit)", env)
	}
	return max(n, 0), nil
}

// removeStaleSocket removes the socket file of an ipc endpoint left behind by a kernel
// that crashed (a clean exit removes its own), so that binding does not fail with
// "address already in use". It removes only a socket file nothing listens on: a live
// one is another process's, and binding then fails with an error saying so.
func (k *Kernel) removeStaleSocket(port int) error {
	if k.conn.Transport != "ipc" {
		return nil
	}
	path := strings.TrimPrefix(k.conn.Endpoint(port), "ipc://")
	fi, err := os.Lstat(path)
	if err != nil {
		return nil // nothing there: nothing to do
	}
	if fi.Mode()&os.ModeSocket == 0 {
		return fmt.Errorf("%s exists and is not a socket: not removing it", path)
	}
	c, err := net.DialTimeout("unix", path, time.Second)
	if err == nil {
		c.Close()
		return fmt.Errorf("%s: another process is listening on it", path)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("checking the socket %s left by an earlier kernel: %w", path, err)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("removing the stale socket %s: %w", path, err)
	}
	k.logf("removed the stale socket %s (nothing listened on it)", path)
	return nil
}
