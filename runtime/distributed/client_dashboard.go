package distributed

import (
	"errors"
	"fmt"
	"gokist/runtime/lazy"
	"gokist/runtime/memlimit"
	"html"
	"net"
	"strconv"
	"sync"

	"gokist/obj"
	"gokist/runtime/sched"
)

// Dashboard is a running live dashboard of one client: a server (package dashboard)
// that hears the client's computes as they run, as a sched.Monitor.
type Dashboard interface {
	sched.Monitor
	// Link is the URL of its status page, with the token that opens it.
	Link() string
	// Close stops the server and ends every open event stream.
	Close() error
}

// DashboardStarter starts a dashboard for c listening on address (host:port; port 0
// picks a free one).
type DashboardStarter func(c *Client, address string) (Dashboard, error)

var (
	dashboardMu      sync.Mutex
	dashboardStarter DashboardStarter
	liveDashboards   = map[*Client]bool{} // clients whose dashboard runs
)

// RegisterDashboard installs the dashboard's starter; package dashboard calls it from its
// init, so the runtime does not import the server (imports point from it to the runtime).
func RegisterDashboard(start DashboardStarter) {
	dashboardMu.Lock()
	defer dashboardMu.Unlock()
	dashboardStarter = start
}

func RegisteredDashboard() DashboardStarter {
	dashboardMu.Lock()
	defer dashboardMu.Unlock()
	return dashboardStarter
}

// DefaultDashboardAddress serves the dashboard to this machine only, on a free port.
const DefaultDashboardAddress = "127.0.0.1:0"

// clientDashboard is a client's dashboard, started on first use of its link.
type clientDashboard struct {
	mu      sync.Mutex
	address string // "" means DefaultDashboardAddress
	server  Dashboard
	arrays  liveArrays // the arrays computes returned, for the memory page
}

// DashboardLink returns the URL of the client's live dashboard, starting its server on
// first use.
func (c *Client) DashboardLink() (string, error) {
	d := &c.dash
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.server != nil {
		return d.server.Link(), nil
	}
	start := RegisteredDashboard()
	if start == nil {
		return "", obj.Errorf(obj.RuntimeError, "this program has no dashboard server built in (gokist's kernel has one)")
	}
	addr := d.address
	if addr == "" {
		addr = DefaultDashboardAddress
	}
	s, err := start(c, addr)
	if err != nil {
		e := obj.Errorf("OSError", "the dashboard cannot start on %s: %v", addr, err)
		e.Err = err
		return "", e.WithHint("give Client(dashboard_address=...) a free port, e.g. '127.0.0.1:0' for any")
	}
	d.server = s
	dashboardMu.Lock()
	liveDashboards[c] = true
	dashboardMu.Unlock()
	return s.Link(), nil
}

// CloseDashboard stops the client's dashboard server, if one runs; a later use of the
// link starts a new one.
func (c *Client) CloseDashboard() error {
	d := &c.dash
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.server == nil {
		return nil
	}
	err := d.server.Close()
	d.server = nil
	dashboardMu.Lock()
	delete(liveDashboards, c)
	dashboardMu.Unlock()
	return err
}

// CloseDashboards stops the dashboard of every client of the process (whether or not
// a session still holds it); the kernel calls it when it shuts down.
func CloseDashboards() error {
	dashboardMu.Lock()
	clients := make([]*Client, 0, len(liveDashboards))
	for c := range liveDashboards {
		clients = append(clients, c)
	}
	dashboardMu.Unlock()
	var errs []error
	for _, c := range clients {
		errs = append(errs, c.CloseDashboard())
	}
	return errors.Join(errs...)
}

// Close stops what the client runs beside the workers (its dashboard server); the
// session calls it when the kernel shuts down.
func (c *Client) Close() error { return c.CloseDashboard() }

// Monitor is the running dashboard that hears the client's computes, or nil.
func (c *Client) Monitor() sched.Monitor {
	d := &c.dash
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.server == nil {
		return nil
	}
	return d.server
}

// setDashboardAddress takes Client(dashboard_address=...): None keeps the default, a
// string is where the dashboard will listen (dask's ":8787" form included: an empty host
// means every interface).
func (c *Client) setDashboardAddress(v any) error {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		host, port, err := net.SplitHostPort(x)
		if err != nil {
			return obj.Errorf(obj.ValueError, "Client(): dashboard_address '%s' is not host:port", x).
				WithHint("e.g. dashboard_address='127.0.0.1:8787', or ':8787' for every interface (the link then carries a token)")
		}
		if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
			return obj.Errorf(obj.ValueError, "Client(): dashboard_address '%s' has port '%s', not a number from 0 (any free port) to 65535", x, port)
		}
		if host != "" && host != "localhost" && net.ParseIP(host) == nil {
			return obj.Errorf(obj.ValueError, "Client(): dashboard_address '%s' has host '%s', not an IP address or localhost", x, host)
		}
		c.dash.mu.Lock()
		c.dash.address = x
		c.dash.mu.Unlock()
		return nil
	}
	return obj.Errorf(obj.TypeError, "Client(): dashboard_address must be a string such as '127.0.0.1:8787', not %s", obj.TypeName(v))
}

// dashboardLinkAttr is the dashboard_link attribute.
func dashboardLinkAttr() *obj.Member {
	return obj.Attr("dashboard_link", "The URL of the live dashboard (task stream, progress, workers, memory), served by the kernel; the server starts on first use, on 127.0.0.1 and a free port unless Client(dashboard_address='host:port') says otherwise, and the URL carries the token it asks for.", func(env *obj.Env, recv any) (any, error) {
		link, err := recv.(*Client).DashboardLink()
		if err != nil {
			return nil, err
		}
		return link, nil
	})

}

// dashboardHTML is the Client's HTML row with the dashboard link, as dask's repr has.
func (c *Client) dashboardHTML() string {
	link, err := c.DashboardLink()
	if err != nil {
		var e *obj.Error
		if errors.As(err, &e) {
			return html.EscapeString(e.Msg)
		}
		return html.EscapeString(err.Error())
	}
	l := html.EscapeString(link)
	return fmt.Sprintf(`<a href="%s" target="_blank">%s</a>`, l, l)
}

// ClientStatus is what a dashboard shows of a client's configuration and memory.
type ClientStatus struct {
	Workers, ThreadsPerWorker, Threads int
	MemoryLimit                        int64 // the session's total, bytes
	CacheLimit, CacheUsed              int64 // the decoded-chunk cache, bytes
	CacheEntries                       int
	ProcessMemory                      int64 // what the Go runtime holds from the OS
	Executor                           lazy.Executor
}

// Status samples the client's configuration, its chunk cache and the process's memory.
func (c *Client) Status() ClientStatus {
	s := ClientStatus{Workers: c.NWorkers, ThreadsPerWorker: c.ThreadsPerWorker, Threads: c.Threads(),
		MemoryLimit: c.MemoryLimit, ProcessMemory: memlimit.ProcessMemory(), Executor: c.Executor()}
	s.CacheLimit, s.CacheUsed, s.CacheEntries = c.ChunkCache().Usage()
	return s
}
