package dashboard

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"gokist/runtime/distributed"
)

func init() { distributed.RegisterDashboard(startDefault) }

// startDefault is the kernel's dashboard: Start with the default options.
func startDefault(c *distributed.Client, address string) (distributed.Dashboard, error) {
	s, err := Start(c, address, Options{})
	if err != nil {
		return nil, err // not a nil *Server in a non-nil interface
	}
	return s, nil
}

// Options tune a server; the zero value is what the kernel uses.
type Options struct {
	// Interval is how often an event stream samples the hub while something runs
	// (default 250 ms; four times as long while idle).
	Interval time.Duration
	// WriteTimeout is how long one event may take to reach a browser before its
	// stream is dropped (default 10 s).
	WriteTimeout time.Duration
	// MaxStreams bounds the open event streams (default 32); more are refused with 503.
	MaxStreams int
	// ReadTimeout bounds reading a request (default 10 s); it bounds the request only,
	// not a long response such as an event stream.
	ReadTimeout time.Duration
}

func (o Options) withDefaults() Options {
	if o.Interval <= 0 {
		o.Interval = 250 * time.Millisecond
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 10 * time.Second
	}
	if o.MaxStreams <= 0 {
		o.MaxStreams = 32
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = 10 * time.Second
	}
	return o
}

// Server is a running dashboard of one client. It implements distributed.Dashboard: the
// runtime tells it of computes through the embedded hub.
type Server struct {
	*hub
	opt     Options
	sys     *system
	token   string
	cookie  string // the token cookie's name, one per port (cookies ignore ports)
	link    string
	srv     *http.Server
	ln      net.Listener
	closed  chan struct{}
	once    sync.Once
	streams chan struct{} // one slot per open event stream
	wg      sync.WaitGroup
}

// Start serves c's dashboard on address (host:port; port 0 picks a free one; an empty
// host is every interface); its link follows GOKIST_DASHBOARD_LINK when set (LinkEnv).
func Start(c *distributed.Client, address string, opt Options) (*Server, error) {
	ln, err := net.Listen("tcp", address)
	if err != nil {
		return nil, err
	}
	opt = opt.withDefaults()
	s := &Server{hub: newHub(), opt: opt, sys: &system{client: c}, token: newToken(), ln: ln,
		closed: make(chan struct{}), streams: make(chan struct{}, opt.MaxStreams)}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	if s.link, err = formatLink(os.Getenv(LinkEnv), linkHost(ln.Addr()), port, s.token); err != nil {
		ln.Close()
		return nil, err
	}
	s.cookie = tokenCookie + "-" + port
	s.srv = &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       opt.ReadTimeout,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func newToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// Link is the URL of the status page with the token.
func (s *Server) Link() string { return s.link }

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Close stops the server: it closes the listener and every connection, ends the event
// streams, and returns once their goroutines have (or after a second).
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		close(s.closed)
		err = s.srv.Close()
		done := make(chan struct{})
		go func() { s.wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(time.Second):
		}
	})
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// tokenCookie keeps the token after the link's first page, so that the page's own
// requests (assets, the event stream) need not carry it in their URL. Browsers share
// cookies among a host's ports, so each server's cookie is this name with its port:
// two kernels' dashboards open side by side do not log each other out.
const tokenCookie = "gokist-dashboard-token"

// authorized checks the token in the query or the cookie; a valid one in the query sets
// the cookie.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if q := r.URL.Query().Get("token"); q != "" && s.tokenIs(q) {
		http.SetCookie(w, &http.Cookie{Name: s.cookie, Value: s.token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		return true
	}
	if c, err := r.Cookie(s.cookie); err == nil && s.tokenIs(c.Value) {
		return true
	}
	return false
}

func (s *Server) tokenIs(t string) bool {
	return subtle.ConstantTimeCompare([]byte(t), []byte(s.token)) == 1
}

// routes is the server's handler: the token first, then GET or HEAD on known paths.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		// Relative, as every URL of the pages: behind a proxy's prefix
		// (jupyter-server-proxy's /user/NAME/proxy/PORT/) "/status" would leave it.
		w.Header().Set("Location", "status")
		w.WriteHeader(http.StatusFound)
	})
	for _, page := range pages {
		mux.HandleFunc("GET /"+page, s.servePage(page))
	}
	mux.Handle("GET /static/", staticHandler())
	mux.HandleFunc("GET /events", s.serveEvents)
	mux.HandleFunc("GET /api/state", s.serveState)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil && v != http.ErrAbortHandler {
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		if !s.authorized(w, r) {
			http.Error(w, "403 forbidden: this dashboard needs the token of its link (client.dashboard_link)", http.StatusForbidden)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// context returns a context that ends with the request or the server.
func (s *Server) context(r *http.Request) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(r.Context())
	go func() {
		select {
		case <-s.closed:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}
