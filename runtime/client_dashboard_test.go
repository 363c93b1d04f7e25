package runtime

import (
	"errors"
	"fmt"
	"gokist/runtime/distributed"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	goruntime "runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"gokist/obj"
	"gokist/runtime/sched"
)

// recordingDashboard is a Dashboard that keeps what it hears.
type recordingDashboard struct {
	mu      sync.Mutex
	address string
	passes  []*sched.Pass
	started map[*sched.Pass]int
	done    map[*sched.Pass][]lazy.TaskRecord
	ended   map[*sched.Pass]int
	closed  int
}

func (d *recordingDashboard) PassStarted(p *sched.Pass) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.passes = append(d.passes, p)
}

func (d *recordingDashboard) TaskStarted(p *sched.Pass, worker int, start float64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.started[p]++
}

func (d *recordingDashboard) TaskDone(p *sched.Pass, rec lazy.TaskRecord) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.done[p] = append(d.done[p], rec)
}

func (d *recordingDashboard) PassEnded(p *sched.Pass, done int, stopped bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ended[p] = done
	if stopped {
		d.ended[p] = -1
	}
}

func (d *recordingDashboard) Link() string { return "http://" + d.address + "/status?token=t" }
func (d *recordingDashboard) Close() error { d.closed++; return nil }

// useRecordingDashboards makes every client's dashboard a recorder for the test.
func useRecordingDashboards(t *testing.T) *[]*recordingDashboard {
	var made []*recordingDashboard
	prev := distributed.RegisteredDashboard()
	distributed.RegisterDashboard(func(c *distributed.Client, address string) (distributed.Dashboard, error) {
		if strings.HasSuffix(address, ":1") {
			return nil, errors.New("bind: permission denied")
		}
		d := &recordingDashboard{address: address, started: map[*sched.Pass]int{}, done: map[*sched.Pass][]lazy.TaskRecord{}, ended: map[*sched.Pass]int{}}
		made = append(made, d)
		return d, nil
	})
	t.Cleanup(func() { distributed.RegisterDashboard(prev) })
	return &made
}

// A client's dashboard starts on first use of the link, once, on 127.0.0.1; while it
// runs it hears every task of every pass that the client's own task stream records,
// each started task finishing and each pass ending with all its tasks; close() stops it.
func TestDashboardHearsEveryTaskOfEveryPass(t *testing.T) {
	made := useRecordingDashboards(t)
	dir := writeSmall(t, []int{2, 6, 8, 10})
	client := distributed.NewClient(2, 1, 1<<30)
	env := &obj.Env{Out: obj.Discard{}, Services: map[string]any{"client": client}}
	h := &harness{t: t, env: env}
	if len(*made) != 0 {
		t.Fatalf("a dashboard started before its link was used")
	}
	link := h.get(client, "dashboard_link").(string)
	if link != "http://127.0.0.1:0/status?token=t" || len(*made) != 1 {
		t.Fatalf("dashboard_link %q, %d dashboards started; want one on %s", link, len(*made), distributed.DefaultDashboardAddress)
	}
	if html := client.MimeBundle()["text/html"].(string); !strings.Contains(html, `<a href="`+link+`" target="_blank">`) || len(*made) != 1 {
		t.Errorf("the client's HTML does not link to the running dashboard %s: %s", link, html)
	}
	d := (*made)[0]
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	// A mean of a sum: two passes, the inner reduction first.
	inner := h.kw(h.get(ds, "data"), "sum", map[string]any{"axis": 3})
	h.compute(h.call(inner, "mean"))

	d.mu.Lock()
	defer d.mu.Unlock()
	var heard []lazy.TaskRecord
	for _, p := range d.passes {
		recs := d.done[p]
		if d.started[p] != len(recs) || d.ended[p] != len(recs) || p.Tasks != len(recs) {
			t.Errorf("pass %q of %d tasks: %d started, %d done, ended with %d", p.Label, p.Tasks, d.started[p], len(recs), d.ended[p])
		}
		if p.Workers != 2 || p.Bytes == nil || p.Origin.After(p.Started) {
			t.Errorf("pass %q: workers %d, Bytes set %v, origin %v after start %v", p.Label, p.Workers, p.Bytes != nil, p.Origin, p.Started)
		}
		heard = append(heard, recs...)
	}
	if len(d.passes) < 2 {
		t.Errorf("%d passes heard for a mean of a sum, want at least 2", len(d.passes))
	}
	want := client.Tasks()
	key := func(r lazy.TaskRecord) string { return fmt.Sprintf("%d %s %g %g", r.Worker, r.Label, r.Start, r.End) }
	got := make([]string, len(heard))
	for i, r := range heard {
		got[i] = key(r)
	}
	exp := make([]string, len(want))
	for i, r := range want {
		exp[i] = key(r)
	}
	slices.Sort(got)
	slices.Sort(exp)
	if !slices.Equal(got, exp) || len(exp) < 2*6 {
		t.Errorf("the dashboard heard %d tasks, the task stream recorded %d (one per file at least: 12):\n%v\n%v", len(got), len(exp), got, exp)
	}
	d.mu.Unlock()
	h.call(client, "close")
	d.mu.Lock()
	if d.closed != 1 || client.Monitor() != nil {
		t.Errorf("close(): the dashboard was closed %d times, monitor after close %v", d.closed, client.Monitor())
	}
}

// dashboard_address is checked when the client is made (type, host:port, the port's
// range) and used when the dashboard starts; a failure to start is an OSError naming
// the address, with the way out.
func TestDashboardAddress(t *testing.T) {
	made := useRecordingDashboards(t)
	env := func() *obj.Env { return &obj.Env{Services: map[string]any{}} }
	for _, c := range []struct {
		arg   any
		class string
		want  []string
	}{
		{8787, obj.TypeError, []string{"dashboard_address must be a string", "not int"}},
		{"8787", obj.ValueError, []string{"'8787' is not host:port", "':8787'"}},
		{"127.0.0.1:http", obj.ValueError, []string{"port 'http'", "0 (any free port) to 65535"}},
		{"127.0.0.1:70000", obj.ValueError, []string{"port '70000'"}},
		{"example.org:80", obj.ValueError, []string{"host 'example.org'", "IP address or localhost"}},
	} {
		_, err := distributed.NewClientFunc().Call(env(), obj.Args{Kw: map[string]any{"dashboard_address": c.arg}})
		wantErr(t, fmt.Sprint(c.arg), err, c.class, c.want...)
	}
	for addr, link := range map[string]string{":8787": "http://:8787/", "0.0.0.0:0": "http://0.0.0.0:0/", "[::1]:0": "http://[::1]:0/"} {
		v, err := distributed.NewClientFunc().Call(env(), obj.Args{Kw: map[string]any{"dashboard_address": addr}})
		if err != nil {
			t.Fatalf("dashboard_address=%q: %v", addr, err)
		}
		if got, err := v.(*distributed.Client).DashboardLink(); err != nil || !strings.HasPrefix(got, link) {
			t.Errorf("dashboard_address=%q: link %q, %v; want it to start %s", addr, got, err, link)
		}
	}
	if len(*made) != 3 {
		t.Errorf("%d dashboards started for 3 links", len(*made))
	}
	v, err := distributed.NewClientFunc().Call(env(), obj.Args{Kw: map[string]any{"dashboard_address": "127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.(*distributed.Client).DashboardLink()
	wantErr(t, "listen fails", err, "OSError", "cannot start on 127.0.0.1:1", "permission denied")
	if html := v.(*distributed.Client).MimeBundle()["text/html"].(string); !strings.Contains(html, "cannot start on 127.0.0.1:1") {
		t.Errorf("the client's HTML does not say why there is no dashboard: %s", html)
	}
}

// Without a dashboard built in (the runtime alone), the link is a RuntimeError that
// says so, and the client's HTML says it instead of a link.
func TestDashboardNotBuiltIn(t *testing.T) {
	prev := distributed.RegisteredDashboard()
	distributed.RegisterDashboard(nil)
	t.Cleanup(func() { distributed.RegisterDashboard(prev) })
	c := distributed.NewClient(1, 1, 1<<30)
	_, err := c.DashboardLink()
	wantErr(t, "no dashboard", err, obj.RuntimeError, "no dashboard server built in")
	if html := c.MimeBundle()["text/html"].(string); !strings.Contains(html, "no dashboard server built in") {
		t.Errorf("client HTML: %s", html)
	}
}

// The memory page's largest arrays: the arrays computes returned that are still held,
// largest first, with their shape, dtype and bytes (elements × 8 for float64); one that
// nothing holds any more drops out after a collection.
func TestLargestArraysListsTheLiveOnes(t *testing.T) {
	dir := writeSmall(t, []int{2, 6, 8, 10})
	client := distributed.NewClient(2, 1, 1<<30)
	env := &obj.Env{Out: obj.Discard{}, Services: map[string]any{"client": client}}
	h := &harness{t: t, env: env}
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	data := h.get(ds, "data")
	whole := h.compute(data).(*numpy.NDArray)
	sums := h.compute(h.kw(data, "sum", map[string]any{"axis": 3})).(*numpy.NDArray)
	if n := len(client.LargestArrays(10)); n != 2 {
		t.Fatalf("%d arrays listed while two are held", n)
	}
	h.compute(h.kw(data, "max", map[string]any{"axis": obj.Tuple{2, 3}})) // dropped at once
	goruntime.GC()
	goruntime.GC()
	got := client.LargestArrays(10)
	type row struct {
		Label, DType string
		Shape        []int
		Bytes        int64
	}
	var rows []row
	for _, a := range got {
		rows = append(rows, row{a.Label, a.DType, a.Shape, a.Bytes})
	}
	want := []row{{"compute() of read", "float64", []int{2, 6, 8, 10}, 2 * 6 * 8 * 10 * 8}, {"compute() of sum", "float64", []int{2, 6, 8}, 2 * 6 * 8 * 8}}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("largest arrays %v, want %v", rows, want)
	}
	goruntime.KeepAlive(whole)
	goruntime.KeepAlive(sums)
}
