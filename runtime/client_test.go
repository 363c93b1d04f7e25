package runtime

import (
	"strings"
	"testing"

	"gokist/runtime/obj"
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
	}{{2, "2GB"}, {3, "512MiB"}, {1, "1.5GB"}, {4, "1000000"}}
	var want []struct {
		PerWorker int    `json:"per_worker"`
		Total     string `json:"total"`
	}
	runPython(t, daskMemoryPy, cases, &want)
	for i, c := range cases {
		env := testEnv()
		client, err := newClientFunc().Call(env, obj.Args{Kw: map[string]any{"n_workers": c.N, "memory_limit": c.Limit}})
		if err != nil {
			t.Fatal(err)
		}
		text := client.(*Client).String()
		if !strings.Contains(text, "memory="+want[i].Total+">") {
			t.Errorf("Client(n_workers=%d, memory_limit=%q) = %s, dask shows memory=%s", c.N, c.Limit, text, want[i].Total)
		}
		if got := callMember(t, env, client, "memory_limit", obj.Args{}); got != want[i].PerWorker {
			t.Errorf("Client(n_workers=%d, memory_limit=%q).memory_limit = %v, dask's worker limit %d", c.N, c.Limit, got, want[i].PerWorker)
		}
		if html := client.(*Client).MimeBundle()["text/html"].(string); !strings.Contains(html, want[i].Total) {
			t.Errorf("Client(n_workers=%d, memory_limit=%q) HTML lacks the total %s:\n%s", c.N, c.Limit, want[i].Total, html)
		}
	}
	// An int is bytes per worker too.
	client, err := newClientFunc().Call(testEnv(), obj.Args{Kw: map[string]any{"n_workers": 2, "memory_limit": 3 << 30}})
	if err != nil {
		t.Fatal(err)
	}
	if got := client.(*Client).MemoryLimit; got != 6<<30 {
		t.Errorf("Client(n_workers=2, memory_limit=3 GiB) total = %d, want %d", got, 6<<30)
	}
}
