package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

// kernelDashboardPy starts the gokist kernel with jupyter_client (as Jupyter does, from
// a kernelspec), asks it for client.dashboard_link, opens the page, shuts the kernel
// down with a shutdown_request and tries the link again.
const kernelDashboardPy = `
import json, sys, urllib.request, urllib.error
from jupyter_client.manager import KernelManager

cfg = json.load(sys.stdin)
km = KernelManager(kernel_name="gokist-test", connection_file=cfg["conn"])
km.start_kernel()
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=120)
msg_id = kc.execute("c = Client(n_workers=2)\nc.dashboard_link")
result, html = None, None
while True:
    m = kc.get_iopub_msg(timeout=120)
    if m["parent_header"].get("msg_id") != msg_id:
        continue
    if m["msg_type"] == "execute_result":
        result = m["content"]["data"]["text/plain"]
    if m["msg_type"] == "error":
        result = "error: " + m["content"]["ename"] + ": " + m["content"]["evalue"]
    if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
        break
out = {"result": result}
link = result.strip("'") if result and result.startswith("'") else None
if link:
    with urllib.request.urlopen(link, timeout=30) as r:
        out["before"] = r.status
        out["page"] = r.read().decode()
msg_id = kc.execute("c")
while True:
    m = kc.get_iopub_msg(timeout=120)
    if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_result":
        out["repr"] = m["content"]["data"].get("text/html", "")
        break
kc.stop_channels()
km.shutdown_kernel(now=False)
if link:
    try:
        urllib.request.urlopen(link, timeout=10)
        out["after"] = "still served"
    except urllib.error.URLError as e:
        out["after"] = str(e.reason)
print(json.dumps(out))
`

// The kernel serves client.dashboard_link on 127.0.0.1, the Client's HTML links to it,
// and the server is gone once the kernel has shut down at Jupyter's request.
func TestKernelServesDashboardUntilShutdown(t *testing.T) {
	pyref.Require(t, "jupyter_client")
	dir := t.TempDir()
	spec := filepath.Join(dir, "jupyter", "kernels", "gokist-test")
	if err := os.MkdirAll(spec, 0o755); err != nil {
		t.Fatal(err)
	}
	conn := filepath.Join(dir, "kernel.json")
	kernelJSON, _ := json.Marshal(map[string]any{
		"argv":         []string{os.Args[0], "-test.run=^$"},
		"env":          map[string]string{"GOKIST_TEST_RUN_ARGS": strings.Join([]string{"kernel", "-f", conn}, "\x1f")},
		"display_name": "gokist (test)", "language": "gokist",
	})
	if err := os.WriteFile(filepath.Join(spec, "kernel.json"), kernelJSON, 0o644); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Result, Page, Repr, After string
		Before                    int
	}
	cfg := pyref.Config{Env: []string{"JUPYTER_PATH=" + filepath.Join(dir, "jupyter"), "JUPYTER_RUNTIME_DIR=" + filepath.Join(dir, "runtime")}}
	stdout := cfg.RunInput(t, []byte(`{"conn": "`+conn+`"}`), kernelDashboardPy)
	if err := json.Unmarshal(stdout, &out); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	link := strings.Trim(out.Result, "'")
	if !strings.HasPrefix(link, "http://127.0.0.1:") || !strings.Contains(link, "/status?token=") {
		t.Fatalf("client.dashboard_link is %q, want http://127.0.0.1:PORT/status?token=…", out.Result)
	}
	if out.Before != 200 || !strings.Contains(out.Page, `data-page="status"`) {
		t.Errorf("the link answered %d: %.300s", out.Before, out.Page)
	}
	if !strings.Contains(out.Repr, `href="`+link+`"`) {
		t.Errorf("the Client's HTML does not link to %s: %s", link, out.Repr)
	}
	if !strings.Contains(out.After, "refused") {
		t.Errorf("after the kernel shut down the link gives %q, want connection refused", out.After)
	}
}
