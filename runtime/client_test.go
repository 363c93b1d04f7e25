package runtime

import (
	"fmt"
	"gokist/runtime/distributed"
	"math"
	goruntime "runtime"
	"strings"
	"testing"

	"gokist/obj"
)

// daskMemoryPy gives, per case, what dask makes of Client(n_workers=n,
// memory_limit=limit): each worker's limit in bytes (dask.utils.parse_bytes) and the
// total memory the client's repr shows (format_bytes of the workers' sum).
const daskMemoryPy = `
import json, sys
from dask.utils import parse_bytes, format_bytes
out = []
for c in json.load(sys.stdin):
    per = parse_bytes(c["limit"])
    out.append({"per_worker": per, "total": format_bytes(c["n"] * per)})
print(json.dumps(out))
`

// TestClientMemoryLimitIsPerWorker checks that Client's memory_limit means what it
// means in dask: each worker's limit, so the repr's memory is n_workers times it.
func TestClientMemoryLimitIsPerWorker(t *testing.T) {
	cases := []struct {
		N     int    `json:"n"`
		Limit string `json:"limit"`
	}{{2, "2GB"}, {3, "512MiB"}, {1, "1.5GB"}, {4, "100000000"}}
	var want []struct {
		PerWorker int    `json:"per_worker"`
		Total     string `json:"total"`
	}
	runPython(t, daskMemoryPy, cases, &want)
	for i, c := range cases {
		env := testEnv()
		client, err := distributed.NewClientFunc().Call(env, obj.Args{Kw: map[string]any{"n_workers": c.N, "memory_limit": c.Limit}})
		if err != nil {
			t.Fatal(err)
		}
		text := client.(*distributed.Client).String()
		if !strings.Contains(text, "memory="+want[i].Total+">") {
			t.Errorf("Client(n_workers=%d, memory_limit=%q) = %s, dask shows memory=%s", c.N, c.Limit, text, want[i].Total)
		}
		if got := callMember(t, env, client, "memory_limit", obj.Args{}); got != want[i].PerWorker {
			t.Errorf("Client(n_workers=%d, memory_limit=%q).memory_limit = %v, dask's worker limit %d", c.N, c.Limit, got, want[i].PerWorker)
		}
		if html := client.(*distributed.Client).MimeBundle()["text/html"].(string); !strings.Contains(html, want[i].Total) {
			t.Errorf("Client(n_workers=%d, memory_limit=%q) HTML lacks the total %s:\n%s", c.N, c.Limit, want[i].Total, html)
		}
	}
	// An int is bytes per worker too.
	client, err := distributed.NewClientFunc().Call(testEnv(), obj.Args{Kw: map[string]any{"n_workers": 2, "memory_limit": 3 << 30}})
	if err != nil {
		t.Fatal(err)
	}
	if got := client.(*distributed.Client).MemoryLimit; got != 6<<30 {
		t.Errorf("Client(n_workers=2, memory_limit=3 GiB) total = %d, want %d", got, 6<<30)
	}
}

// TestClientRejectsAbsurdSizes: thread counts above the cap (four per core, at least 16),
// memory limits below 16 MiB per worker and cache limits below 0 or above the total are
// ValueErrors naming the value and the accepted range; sizes at the edges pass, and sizes
// beyond the machine are cut to it (TestClientMemoryLimitParsesAsDask).
func TestClientRejectsAbsurdSizes(t *testing.T) {
	limit := max(4*goruntime.NumCPU(), 16)
	bad := []struct {
		kw        map[string]any
		fragments []string
	}{
		{map[string]any{"n_workers": 1000000000}, []string{"n_workers=1000000000", fmt.Sprintf("more than %d", limit), "per core"}},
		{map[string]any{"n_workers": limit + 1}, []string{fmt.Sprintf("n_workers=%d", limit+1), fmt.Sprint(limit)}},
		{map[string]any{"n_workers": 2, "threads_per_worker": limit}, []string{"threads_per_worker", fmt.Sprintf("%d threads", 2*limit)}},
		{map[string]any{"memory_limit": "1B"}, []string{"'1B' (1 bytes)", "16 MiB"}},
		{map[string]any{"memory_limit": 1000}, []string{"memory_limit=1000", "16 MiB"}},
		{map[string]any{"memory_limit": -5}, []string{"memory_limit=-5", "16 MiB"}},
		{map[string]any{"memory_limit": "-2GB"}, []string{"'-2GB'", "16 MiB"}},
		{map[string]any{"memory_limit": math.Inf(1)}, []string{"memory_limit=+Inf"}},
		{map[string]any{"n_workers": 1, "memory_limit": "1GB", "cache_limit": -5}, []string{"cache_limit=-5", "0 (no cache)", "953.67 MiB"}},
		{map[string]any{"n_workers": 1, "memory_limit": "1GB", "cache_limit": "2GB"}, []string{"cache_limit='2GB'", "953.67 MiB"}},
	}
	for _, c := range bad {
		_, err := distributed.NewClientFunc().Call(&obj.Env{Services: map[string]any{}}, obj.Args{Kw: c.kw})
		wantErr(t, fmt.Sprintf("Client(%v)", c.kw), err, obj.ValueError, c.fragments...)
	}
	good := []map[string]any{
		{"n_workers": limit},
		{"n_workers": 2, "threads_per_worker": limit / 2},
		{"memory_limit": 16 << 20},
		{"memory_limit": "auto"},
		{"memory_limit": 0},
		{"n_workers": 1, "memory_limit": "1GB", "cache_limit": 0},
		{"n_workers": 1, "memory_limit": "1GB", "cache_limit": "1GB"},
	}
	for _, kw := range good {
		if _, err := distributed.NewClientFunc().Call(&obj.Env{Services: map[string]any{}}, obj.Args{Kw: kw}); err != nil {
			t.Errorf("Client(%v): %v", kw, err)
		}
	}
}

// daskMemoryLimitPy gives dask's parse_memory_limit of each limit for a worker with one
// thread: a number up to 1 is a fraction of the machine's memory, and no worker gets
// more than the machine has.
const daskMemoryLimitPy = `
import json, logging, os, sys
from distributed.worker_memory import parse_memory_limit
print(json.dumps([parse_memory_limit(l, 1, total_cores=os.cpu_count(), logger=logging.getLogger("x")) for l in json.load(sys.stdin)]))
`

// TestClientMemoryLimitParsesAsDask compares each worker's limit with dask's for
// fractions of the machine's memory, unit suffixes and sizes beyond the machine.
func TestClientMemoryLimitParsesAsDask(t *testing.T) {
	limits := []any{0.5, 0.25, 1.0, 1, "5G", "1PB", "2 PiB", "2GB", "300MiB"}
	var want []int64
	runPython(t, daskMemoryLimitPy, limits, &want)
	for i, l := range limits {
		env := testEnv()
		client, err := distributed.NewClientFunc().Call(env, obj.Args{Kw: map[string]any{"n_workers": 1, "memory_limit": l}})
		if err != nil {
			t.Errorf("memory_limit=%v: %v", l, err)
			continue
		}
		if got := client.(*distributed.Client).MemoryLimit; got != want[i] {
			t.Errorf("memory_limit=%v: %d bytes, dask's parse_memory_limit %d", l, got, want[i])
		}
	}
	// A scheduler address is dask's first positional argument: a string (connecting to
	// one is TestClusterFaults's), or a LocalCluster.
	_, err := distributed.NewClientFunc().Call(testEnv(), obj.Args{Pos: []any{8786}})
	if e, ok := err.(*obj.Error); !ok || e.Class != obj.TypeError || !strings.Contains(e.Msg, "address") || !strings.Contains(e.Msg, "LocalCluster") {
		t.Errorf("Client(8786): %v", err)
	}
	if _, err := distributed.NewClientFunc().Call(testEnv(), obj.Args{Kw: map[string]any{"processes": false, "n_workers": 2}}); err != nil {
		t.Errorf("Client(processes=False, n_workers=2): %v", err)
	}
}
