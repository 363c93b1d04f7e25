package dashboard

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"math"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gokist/fits"
	"gokist/internal/testproc"
	"gokist/runtime/distributed"
)

// browserPass is a progress bar as testdata/browser.js saw it.
type browserPass struct {
	ID          int
	Text        string
	Done, Total int
	Filled      float64 // the drawn bar's width over its track's
}

// browserResult is what testdata/browser.js saw.
type browserResult struct {
	Errors, Requests []string
	First, Second    *browserPass
	Bars, Events     int
	Legend           string
	Status           string
	Workers          [][]string
	Memory           []string
}

// A real browser (Debian's Chromium, driven by playwright-core) opens the dashboard
// link while a long compute runs: the progress bar of the running pass advances, the
// task stream fills with bars of the compute's operation, the workers page shows both
// workers at work and the memory page the client's limit; the page loads nothing but
// the dashboard's own URLs. Screenshots are left in the test's temp dir.
func TestBrowserSeesComputeLive(t *testing.T) {
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Fatalf("Debian's chromium is not installed (.ci/packages.txt lists it): %v", err)
	}
	if _, err := os.Stat("../node_modules/playwright-core"); err != nil {
		t.Fatalf("playwright-core is not installed: run `npm ci` (make deps): %v", err)
	}
	dir := writeDataset(t, [4]int{1, 20, 8, 64})
	c := distributed.NewClient(2, 1, 1<<30)
	c.SetCacheLimit(0)
	c.Plan.MaxBlockElems = 64 // a task per row of a file: 160 per pass
	// Every read waits a little, so that the compute outlasts a browser's start on a
	// loaded machine; computes repeat until the browser is done.
	c.OpenImage = func(path string, l *fits.ImageLayout) (*fits.Image, error) {
		time.Sleep(50 * time.Millisecond)
		return fits.OpenImageWith(path, l)
	}
	s := serve(t, c, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	computing := make(chan struct{})
	go func() {
		defer close(computing)
		for ctx.Err() == nil {
			_, _ = computeAll(ctx, c, dir)
		}
	}()
	defer func() { cancel(); <-computing }()

	tmp := t.TempDir()
	shots := filepath.Join(tmp, "shots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	r := runBrowser(t, tmp, s.Link(), shots, "all")
	origin := "http://" + s.Addr().String()
	if r.First == nil || r.Second == nil || r.Second.Done <= r.First.Done || r.Second.Total != 160 ||
		!strings.Contains(r.First.Text, " tasks · ") || !strings.Contains(r.First.Text, " left") {
		t.Errorf("the progress bar did not advance within a pass over a second: %+v then %+v", r.First, r.Second)
	}
	for _, p := range []*browserPass{r.First, r.Second} {
		if p != nil && math.Abs(p.Filled-float64(p.Done)/float64(p.Total)) > 0.02 {
			t.Errorf("progress bar %d/%d is drawn %.0f%% full", p.Done, p.Total, 100*p.Filled)
		}
	}
	if r.Bars < 20 || r.Events < 2 || r.First == nil || !strings.Contains(r.Legend, operationOf(r.First.Text)) {
		t.Errorf("task stream: %d bars over %d events, legend %q", r.Bars, r.Events, r.Legend)
	}
	if len(r.Workers) != 2 {
		t.Errorf("workers page rows %v, want 2 worker threads", r.Workers)
	}
	if len(r.Memory) < 4 || !strings.Contains(r.Memory[0], "1.0 GiB") || !strings.Contains(strings.Join(r.Memory, " "), "chunk cache") {
		t.Errorf("memory page rows %q, want the 1 GiB limit and the chunk cache", r.Memory)
	}
	for _, req := range r.Requests {
		if u, err := url.Parse(req); err != nil || "http://"+u.Host != origin {
			t.Errorf("the page requested %s, outside the dashboard (%s)", req, origin)
		}
	}
	f, err := os.Open(r.Status)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil || img.Bounds().Dx() < 1000 {
		t.Fatalf("screenshot %s: %v, %v", r.Status, err, img)
	}
	t.Logf("screenshots of the status, workers and memory pages: %s (status.png, workers.png, memory.png)", shots)

	// Behind a proxy's prefix, as jupyter-server-proxy serves it on a JupyterHub, the
	// page and its stream work the same (every URL of the pages is relative).
	target, _ := url.Parse(origin)
	prefix := "/user/someone/proxy/" + target.Port()
	proxy := httptest.NewServer(http.StripPrefix(prefix, httputil.NewSingleHostReverseProxy(target)))
	defer proxy.Close()
	proxied := filepath.Join(tmp, "proxied")
	if err := os.MkdirAll(proxied, 0o755); err != nil {
		t.Fatal(err)
	}
	link, _ := url.Parse(s.Link())
	p := runBrowser(t, tmp, proxy.URL+prefix+link.RequestURI(), proxied, "status")
	if p.First == nil || p.Bars < 20 {
		t.Errorf("behind a proxy's prefix: progress %+v, %d bars", p.First, p.Bars)
	}
	for _, req := range p.Requests {
		if !strings.HasPrefix(req, proxy.URL+prefix+"/") {
			t.Errorf("behind the proxy the page requested %s, outside %s", req, prefix)
		}
	}
	t.Logf("the status page behind a proxy: %s", filepath.Join(proxied, "status.png"))
}

// runBrowser runs testdata/browser.js on link in mode ("all" pages or "status"), with
// screenshots in shots, and returns what it saw; errors in the page fail the test.
func runBrowser(t *testing.T, tmp, link, shots, mode string) browserResult {
	t.Helper()
	// Chromium's profile, caches and crash reports stay in the temp dir.
	env := append(os.Environ(), "HOME="+tmp, "TMPDIR="+tmp, "XDG_CONFIG_HOME="+tmp, "XDG_CACHE_HOME="+tmp)
	stdout := testproc.Run(t, testproc.Cmd{Name: "node", Args: []string{"testdata/browser.js", link, shots, mode}, Env: env, Timeout: 3 * time.Minute})
	var r browserResult
	if err := json.Unmarshal(bytes.TrimSpace(stdout), &r); err != nil {
		t.Fatalf("browser output: %v\n%s", err, stdout)
	}
	if len(r.Errors) > 0 {
		t.Fatalf("the browser reported errors on %s: %v", link, r.Errors)
	}
	return r
}

// operationOf is the operation a progress line names ("read: 3 / 160 tasks · …").
func operationOf(text string) string {
	op, _, _ := strings.Cut(text, ":")
	return op
}
