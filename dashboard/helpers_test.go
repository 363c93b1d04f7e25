package dashboard

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gokist/obj"
	"gokist/runtime"
	"gokist/runtime/distributed"
	"gokist/runtime/sample"
)

// serve starts c's dashboard through the runtime, as client.dashboard_link does, with
// opt, and stops it at the end of the test.
func serve(t testing.TB, c *distributed.Client, opt Options) *Server {
	t.Helper()
	var s *Server
	distributed.RegisterDashboard(func(c *distributed.Client, address string) (distributed.Dashboard, error) {
		var err error
		s, err = Start(c, address, opt)
		if err != nil {
			return nil, err
		}
		return s, nil
	})
	t.Cleanup(func() { distributed.RegisterDashboard(startDefault) })
	if _, err := c.DashboardLink(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.CloseDashboard() })
	return s
}

// writeDataset writes a small plain sample dataset (float32 frames) and returns its dir.
func writeDataset(t testing.TB, shape [4]int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "visp")
	if _, err := sample.Generate(context.Background(), sample.Options{Dir: dir, Shape: shape, Plain: true, Seed: 1, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// computeAll loads the dataset in dir and computes every value of it on c (ctx may
// stop either), returning the array. It may run on a goroutine of its own: it reports
// errors instead of failing the test.
func computeAll(ctx context.Context, c *distributed.Client, dir string) (any, error) {
	env := &obj.Env{Ctx: ctx, Out: obj.Discard{}, Services: map[string]any{"client": c}}
	ds, err := runtime.LoadDatasetEnv(env, dir)
	if err != nil {
		return nil, err
	}
	return ds.Lazy().Compute(env)
}

// get fetches path from the server (with the token unless noToken) and returns the
// response and its body.
func get(t testing.TB, s *Server, path string, noToken bool) (*http.Response, string) {
	t.Helper()
	u, _ := url.Parse(s.Link())
	u.Path = path
	if noToken {
		u.RawQuery = ""
	}
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(u.String())
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// eventReader reads the "state" events of one event stream.
type eventReader struct{ sc *bufio.Scanner }

func newEventReader(body io.Reader) *eventReader {
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	return &eventReader{sc}
}

// until reads events until stop returns true for one (returning it and every event
// read) or the stream ends (failing the test).
func (r *eventReader) until(t testing.TB, stop func(snapshot) bool) (snapshot, []snapshot) {
	t.Helper()
	var all []snapshot
	for r.sc.Scan() {
		line, ok := strings.CutPrefix(r.sc.Text(), "data: ")
		if !ok {
			continue
		}
		var s snapshot
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatalf("event data is not a state: %v: %.200s", err, line)
		}
		all = append(all, s)
		if stop(s) {
			return s, all
		}
	}
	t.Fatalf("the event stream ended after %d events: %v", len(all), r.sc.Err())
	return snapshot{}, all
}
