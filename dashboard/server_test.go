package dashboard

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"gokist/fits"
	"gokist/runtime/distributed"
)

// The link is http://127.0.0.1:PORT/status?token=…; every page, asset and stream needs
// the token (in the query, or the cookie the first page sets); unknown paths are 404,
// other methods 405, and "/" leads to the status page.
func TestTokenPathsAndMethods(t *testing.T) {
	s := serve(t, distributed.NewClient(2, 1, 1<<30), Options{})
	u, err := url.Parse(s.Link())
	if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Port() == "0" || u.Path != "/status" || len(u.Query().Get("token")) != 48 {
		t.Fatalf("link %q (%v): want http://127.0.0.1:PORT/status?token=<48 hex digits>", s.Link(), err)
	}
	resp, body := get(t, s, "/status", false)
	if resp.StatusCode != 200 || !strings.Contains(body, `data-page="status"`) || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Fatalf("status page: %s %q %.300s", resp.Status, resp.Header.Get("Content-Security-Policy"), body)
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == s.cookie {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || s.cookie != tokenCookie+"-"+u.Port() {
		t.Fatalf("the status page set no HttpOnly SameSite=Strict token cookie: %v", resp.Cookies())
	}
	for _, page := range []string{"/workers", "/memory"} {
		if resp, body := get(t, s, page, false); resp.StatusCode != 200 || !strings.Contains(body, `data-page="`+page[1:]+`"`) {
			t.Errorf("%s: %s", page, resp.Status)
		}
	}
	if resp, body := get(t, s, "/static/dashboard.js", false); resp.StatusCode != 200 || !strings.Contains(body, "EventSource") || !strings.Contains(resp.Header.Get("Content-Type"), "javascript") {
		t.Errorf("dashboard.js: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	if resp, _ := get(t, s, "/", false); resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "status" {
		t.Errorf("/: %s to %q, want 302 to status (relative)", resp.Status, resp.Header.Get("Location"))
	}
	// Every URL the pages use is relative, so that they work behind a proxy's prefix.
	if strings.Contains(body, `="/`) {
		t.Errorf("the status page has an absolute URL: %s", body)
	}
	for _, path := range []string{"/nope", "/status/x", "/static/nope.js", "/server.go", "/api", "/events/1", "/%00"} {
		if resp, _ := get(t, s, path, false); resp.StatusCode != 404 {
			t.Errorf("%s: %s, want 404", path, resp.Status)
		}
	}
	// A path with .. is cleaned first (a redirect), so no file outside the assets is reachable.
	if resp, _ := get(t, s, "/static/../server.go", false); resp.StatusCode != http.StatusTemporaryRedirect || !strings.HasPrefix(resp.Header.Get("Location"), "/server.go?") {
		t.Errorf("/static/../server.go: %s to %q, want 307 to /server.go", resp.Status, resp.Header.Get("Location"))
	}
	for _, path := range []string{"/status", "/static/dashboard.js", "/events", "/api/state", "/nope"} {
		if resp, body := get(t, s, path, true); resp.StatusCode != 403 || !strings.Contains(body, "token") {
			t.Errorf("%s without the token: %s %q, want 403 naming the token", path, resp.Status, body)
		}
	}
	// A wrong token, in the query or as the cookie, is refused; the right cookie is enough.
	client := &http.Client{Timeout: 10 * time.Second}
	base := "http://" + u.Host
	for _, c := range []struct {
		url, cookie string
		want        int
	}{
		{base + "/status?token=" + strings.Repeat("0", 48), "", 403},
		{base + "/status", strings.Repeat("0", 48), 403},
		{base + "/status", s.token, 200},
		{base + "/status", "", 403},
		{base + "/api/state", s.token, 200},
	} {
		req, _ := http.NewRequest("GET", c.url, nil)
		if c.cookie != "" {
			req.AddCookie(&http.Cookie{Name: s.cookie, Value: c.cookie})
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("GET %s with cookie %.8s…: %s, want %d", c.url, c.cookie, resp.Status, c.want)
		}
	}
	for _, method := range []string{"POST", "PUT", "DELETE"} {
		req, _ := http.NewRequest(method, s.Link(), strings.NewReader("x"))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s /status: %s, want 405", method, resp.Status)
		}
	}
}

// rawRequest sends raw bytes on a new connection and returns the status line of the
// answer (or "" when the server closed the connection without one).
func rawRequest(t *testing.T, addr net.Addr, raw string) string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr.String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, raw); err != nil {
		return ""
	}
	line, _ := bufio.NewReader(conn).ReadString('\n')
	return strings.TrimSpace(line)
}

// Malformed requests get 4xx answers or a closed connection, never a crash: the server
// keeps answering well-formed requests afterwards.
func TestMalformedRequests(t *testing.T) {
	s := serve(t, distributed.NewClient(1, 1, 1<<30), Options{})
	token := url.Values{"token": {s.token}}.Encode()
	for _, c := range []struct{ name, raw, want string }{
		{"garbage", "\x00\x01\x02 garbage\r\n\r\n", "HTTP/1.1 400"},
		{"no version", "GET /status\r\n\r\n", "HTTP/1.1 400"},
		{"bad version", "GET /status?" + token + " HTTP/9.9\r\nHost: x\r\n\r\n", "HTTP/1.1 505"},
		{"no host", "GET /status?" + token + " HTTP/1.1\r\n\r\n", "HTTP/1.1 400"},
		{"huge header", "GET /status?" + token + " HTTP/1.1\r\nHost: x\r\nX: " + strings.Repeat("a", 64<<10) + "\r\n\r\n", "HTTP/1.1 431"},
		{"bad escape", "GET /%zz?" + token + " HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 400"},
		{"bad query", "GET /status?token=%zz HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 403"},
		{"absolute URL", "GET http://evil.example/status?" + token + " HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 200"},
		{"chunked garbage", "POST /status?" + token + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "HTTP/1.1 405"},
	} {
		if got := rawRequest(t, s.Addr(), c.raw); !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: answer %q, want %s", c.name, got, c.want)
		}
	}
	if resp, _ := get(t, s, "/status", false); resp.StatusCode != 200 {
		t.Fatalf("after the malformed requests: %s", resp.Status)
	}
}

// Many connections at once: 300 idle ones and 100 concurrent requests are all served;
// event streams beyond MaxStreams are refused with 503 until one closes.
func TestManyConnections(t *testing.T) {
	s := serve(t, distributed.NewClient(1, 1, 1<<30), Options{MaxStreams: 4})
	var idle []net.Conn
	defer func() {
		for _, c := range idle {
			c.Close()
		}
	}()
	for range 300 {
		c, err := net.DialTimeout("tcp", s.Addr().String(), 5*time.Second)
		if err != nil {
			t.Fatalf("connection %d: %v", len(idle), err)
		}
		idle = append(idle, c)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for range 100 {
		wg.Go(func() {
			resp, err := (&http.Client{Timeout: 20 * time.Second}).Get(s.Link())
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			if err != nil || resp.StatusCode != 200 {
				mu.Lock()
				failed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if failed > 0 {
		t.Errorf("%d of 100 concurrent requests failed beside 300 idle connections", failed)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := strings.Replace(s.Link(), "/status", "/events", 1)
	open := func() *http.Response {
		req, _ := http.NewRequestWithContext(ctx, "GET", events, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	var streams []*http.Response
	for i := range 4 {
		r := open()
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != "text/event-stream" {
			t.Fatalf("stream %d: %s %s", i, r.Status, r.Header.Get("Content-Type"))
		}
		streams = append(streams, r)
	}
	if r := open(); r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("a fifth stream with MaxStreams 4: %s, want 503", r.Status)
	} else {
		r.Body.Close()
	}
	streams[0].Body.Close()
	deadline := time.Now().Add(10 * time.Second)
	for len(s.streams) == 4 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if r := open(); r.StatusCode != 200 {
		t.Errorf("a stream after one closed: %s, want 200", r.Status)
	}
}

// Close stops the server: the port refuses connections, open event streams end, and
// the stream goroutines are gone when Close returns; the client's link then starts a new
// server.
func TestCloseStopsServerAndStreams(t *testing.T) {
	c := distributed.NewClient(1, 1, 1<<30)
	s := serve(t, c, Options{})
	resp, err := http.Get(strings.Replace(s.Link(), "/status", "/events", 1))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("events: %v %v", resp, err)
	}
	newEventReader(resp.Body).until(t, func(snapshot) bool { return true })
	ended := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, resp.Body)
		ended <- err
	}()
	start := time.Now()
	if err := c.CloseDashboard(); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 2*time.Second || len(s.streams) != 0 {
		t.Errorf("Close took %v and left %d streams open", took, len(s.streams))
	}
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Errorf("the event stream did not end when the server closed")
	}
	if conn, err := net.DialTimeout("tcp", s.Addr().String(), 2*time.Second); err == nil {
		conn.Close()
		t.Errorf("the closed dashboard's port %s still accepts connections", s.Addr())
	}
	link, err := c.DashboardLink()
	if err != nil || link == s.Link() {
		t.Errorf("after close the link is %q (%v), want a new server's", link, err)
	}
}

// The event stream shows a real compute: a progress bar that reaches tasks done = total
// with the bytes the dataset's values take (frames × pixels × 4 bytes of float32), and
// one task per file in the stream, as many as the client's own task stream recorded.
func TestEventsFollowACompute(t *testing.T) {
	shape := [4]int{2, 6, 8, 32}
	dir := writeDataset(t, shape)
	c := distributed.NewClient(2, 1, 1<<30)
	c.SetCacheLimit(0)
	s := serve(t, c, Options{Interval: 20 * time.Millisecond})
	resp, err := http.Get(strings.Replace(s.Link(), "/status", "/events", 1))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := newEventReader(resp.Body)
	events.until(t, func(snapshot) bool { return true }) // connected
	result, err := computeAll(context.Background(), c, dir)
	if err != nil {
		t.Fatal(err)
	}
	var tasks []taskJSON
	last, _ := events.until(t, func(s snapshot) bool {
		tasks = append(tasks, s.Tasks...)
		return len(s.Passes) > 0 && s.Passes[len(s.Passes)-1].Ended
	})
	p := last.Passes[len(last.Passes)-1]
	files := shape[0] * shape[1]
	wantBytes := int64(shape[0] * shape[1] * shape[2] * shape[3] * 4)
	if p.Done != p.Total || p.Total < files || p.Bytes != wantBytes || p.Stopped || p.ETA != 0 {
		t.Errorf("last pass %+v: want done = total ≥ %d files, %d bytes, not stopped", p, files, wantBytes)
	}
	if len(tasks) != len(c.Tasks()) || len(tasks) != p.Total {
		t.Errorf("the stream carried %d tasks; the client recorded %d, the pass had %d", len(tasks), len(c.Tasks()), p.Total)
	}
	for _, tk := range tasks {
		if tk.Worker < 0 || tk.Worker > 1 || tk.End < tk.Start || tk.End > last.Now || tk.Op != p.Op {
			t.Errorf("task %+v: want worker 0 or 1, %g ≥ end ≥ start, op %q", tk, last.Now, p.Op)
		}
	}
	if last.System == nil || last.System.Threads != 2 || last.System.MemoryLimit != 1<<30 || len(last.Workers) == 0 {
		t.Errorf("system sample %+v, workers %+v", last.System, last.Workers)
	}
	var counted int
	for _, w := range last.Workers {
		counted += w.Tasks
	}
	if counted != len(tasks) || len(last.Running) != 0 {
		t.Errorf("workers count %d tasks, the stream %d; %d still running", counted, len(tasks), len(last.Running))
	}
	// The memory page lists the result while it is held: numpy's shape, float32 bytes.
	last, _ = events.until(t, func(s snapshot) bool { return s.System != nil && len(s.System.Arrays) > 0 })
	a := last.System.Arrays[0]
	if fmt.Sprint(a.Shape) != fmt.Sprint(shape[:]) || a.DType != "float32" || a.Bytes != wantBytes {
		t.Errorf("largest array %+v, want shape %v float32 of %d bytes", a, shape, wantBytes)
	}
	goruntime.KeepAlive(result)
}

// Bound to every interface (dashboard_address=':0'), the link names this machine, and
// the token is still required.
func TestEveryInterfaceLinkNamesTheHost(t *testing.T) {
	s, err := Start(distributed.NewClient(1, 1, 1<<30), ":0", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	host, _ := os.Hostname()
	u, err := url.Parse(s.Link())
	if err != nil || u.Hostname() != host || u.Port() == "0" {
		t.Errorf("link %q: want http://%s:PORT/…", s.Link(), host)
	}
	local := "http://127.0.0.1:" + u.Port()
	for path, want := range map[string]int{"/status": 403, "/status?token=" + s.token: 200} {
		resp, err := http.Get(local + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %s, want %d", path, resp.Status, want)
		}
	}
}

// An interrupted compute's pass ends stopped, with the tasks done before the interrupt
// and none left running.
func TestInterruptedPassShowsStopped(t *testing.T) {
	dir := writeDataset(t, [4]int{1, 12, 8, 32})
	c := distributed.NewClient(2, 1, 1<<30)
	c.SetCacheLimit(0)
	c.Plan.MaxBlockElems = 32
	c.OpenImage = func(path string, l *fits.ImageLayout) (*fits.Image, error) {
		time.Sleep(20 * time.Millisecond)
		return fits.OpenImageWith(path, l)
	}
	s := serve(t, c, Options{Interval: 20 * time.Millisecond})
	resp, err := http.Get(strings.Replace(s.Link(), "/status", "/events", 1))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := newEventReader(resp.Body)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := computeAll(ctx, c, dir); done <- err }()
	events.until(t, func(s snapshot) bool { return len(s.Passes) > 0 && s.Passes[0].Done >= 4 })
	cancel()
	if err := <-done; err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("the cancelled compute returned %v", err)
	}
	last, _ := events.until(t, func(s snapshot) bool { return len(s.Passes) > 0 && s.Passes[0].Ended })
	p := last.Passes[0]
	if !p.Stopped || p.Done >= p.Total || p.Done < 4 || len(last.Running) != 0 {
		t.Errorf("interrupted pass %+v, %d tasks still running", p, len(last.Running))
	}
}

// An event stream outlives the server's read timeout (which would otherwise end its
// request's context and so the stream): events keep coming for three times as long.
func TestStreamOutlivesReadTimeout(t *testing.T) {
	s := serve(t, distributed.NewClient(1, 1, 1<<30), Options{Interval: 10 * time.Millisecond, ReadTimeout: 300 * time.Millisecond})
	resp, err := http.Get(strings.Replace(s.Link(), "/status", "/events", 1))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	start := time.Now()
	events := newEventReader(resp.Body)
	events.until(t, func(snapshot) bool { return time.Since(start) > 900*time.Millisecond })
}
