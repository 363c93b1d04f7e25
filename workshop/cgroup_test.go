package workshop

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gokist/internal/pyref"
	"gokist/internal/testproc"
)

// kernelCellsPy starts the gokist kernelspec with jupyter_client, runs the cells given as
// JSON on stdin, and prints each one's text output and error, and the kernel's
// /proc/PID/cgroup read while it runs.
const kernelCellsPy = `
import json, sys
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="gokist", startup_timeout=120)
out = {"cells": []}
try:
    for code in json.loads(sys.stdin.read()):
        r = {"text": "", "ename": "", "evalue": ""}
        def hook(msg, r=r):
            t, c = msg["msg_type"], msg["content"]
            if t == "stream":
                r["text"] += c["text"]
            elif t in ("execute_result", "display_data"):
                r["text"] += c["data"].get("text/plain", "")
            elif t == "error":
                r["ename"], r["evalue"] = c["ename"], c["evalue"]
        try:
            kc.execute_interactive(code, timeout=120, output_hook=hook)
        except Exception as e:
            r["ename"], r["evalue"] = "driver", "%s: %s; kernel alive: %s" % (type(e).__name__, e, km.is_alive())
        out["cells"].append(r)
        if not km.is_alive():
            break
    out["cgroup"] = open("/proc/%d/cgroup" % km.provisioner.process.pid).read() if km.is_alive() else "kernel dead"
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
print(json.dumps(out))
`

// kernelCell is one cell's result from kernelCellsPy.
type kernelCell struct{ Text, Ename, Evalue string }

// childCgroup makes a child of this process's cgroup in the v1 hierarchy of controller
// and removes it when the test ends (after the kernels in it are gone).
func childCgroup(t *testing.T, controller string) (string, error) {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 || !strings.Contains(","+parts[1]+",", ","+controller+",") {
			continue
		}
		dir := filepath.Join("/sys/fs/cgroup", controller, parts[2], fmt.Sprintf("gokist-test-%d", os.Getpid()))
		if err := os.Mkdir(dir, 0o755); err != nil {
			return "", err
		}
		t.Cleanup(func() {
			// The kernel is gone once the driver has stopped; its exit may take a moment to
			// leave the cgroup.
			for range 50 {
				if err := os.Remove(dir); err == nil || os.IsNotExist(err) {
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
			t.Errorf("could not remove the test's cgroup %s", dir)
		})
		return dir, nil
	}
	return "", fmt.Errorf("no v1 %s controller in /proc/self/cgroup", controller)
}

// TestKernelSizesItselfInACgroup makes a child memory cgroup of 300 MiB and a CPU cgroup
// of half a CPU (v1, as on this machine), starts a gokist kernel inside both through its
// kernelspec, with GOKIST_MEMORY_LIMIT=1GiB and GOKIST_WORKERS=4 in the kernelspec too,
// and checks that the kernel sizes itself from the smallest limit: its Client has one
// thread and 300 MiB, an explicit Client(memory_limit='2GB') stays within 300 MiB, a
// whole-array compute (477 MB) is the MemoryError naming the cgroup's limit, the
// tutorial's reductions still run after it, and no OOM kill happened in the cgroup.
// Where no child cgroup can be made it says so and checks the same through the
// environment variables alone.
func TestKernelSizesItselfInACgroup(t *testing.T) {
	home := sampleHOME(t)
	jenv, err := NewJupyterEnv(filepath.Join(t.TempDir(), "jupyter"), home, gokistBin, "--memory-limit", "1GiB", "--workers", "4")
	if err != nil {
		t.Fatal(err)
	}
	memDir, err := childCgroup(t, "memory")
	var cpuDir string
	if err == nil {
		cpuDir, err = childCgroup(t, "cpu")
	}
	limitedBy := "the cgroup's memory limit (" + filepath.Join(memDir, "memory.limit_in_bytes") + " = 300.00 MiB)"
	if err != nil {
		t.Logf("no child cgroup can be made here (%v): checking the sizing through GOKIST_MEMORY_LIMIT and GOKIST_WORKERS alone", err)
		if jenv, err = NewJupyterEnv(filepath.Join(t.TempDir(), "jupyter"), home, gokistBin, "--memory-limit", "300MiB", "--workers", "1"); err != nil {
			t.Fatal(err)
		}
		limitedBy = "GOKIST_MEMORY_LIMIT=300MiB"
	} else {
		writeFile(t, filepath.Join(memDir, "memory.limit_in_bytes"), "314572800")
		writeFile(t, filepath.Join(cpuDir, "cpu.cfs_period_us"), "100000")
		writeFile(t, filepath.Join(cpuDir, "cpu.cfs_quota_us"), "50000")
		enterCgroups(t, jenv, memDir, cpuDir)
	}
	cells := []string{
		"from dask.distributed import Client\nClient()",
		"Client(n_workers=1, memory_limit='2GB')",
		"ds = Dataset.from_directory(\"~/sunpy/data/VISP/AGLKO\")\nwhole = ds.data.compute()",
		"ds[0, 20:60, :, 1000:1500].data.sum(axis=(0, 2)).compute().shape",
		"pieces = []\nfor i in range(1000):\n    pieces.append(\"x\" * 1000000 + str(i))",
		"del pieces\nlen(\"still here\")",
	}
	in, _ := json.Marshal(cells)
	out := testproc.Run(t, testproc.Cmd{Name: Python, Args: []string{"-c", kernelCellsPy}, Stdin: strings.NewReader(string(in)),
		Env: append(pyref.Env(t), jenv.Env...), Timeout: 5 * time.Minute})
	var res struct {
		Cells  []kernelCell
		Cgroup string
	}
	if err := json.Unmarshal(out, &res); err != nil || len(res.Cells) != len(cells) {
		t.Fatalf("the driver's report (%v): %s", err, out)
	}
	if memDir != "" && !strings.Contains(res.Cgroup, filepath.Base(memDir)) {
		t.Errorf("the kernel ran in %q, not in the test's cgroup %s", res.Cgroup, memDir)
	}
	want := "<Client: 'gokist' processes=1 threads=1, memory=300.00 MiB>"
	for i, c := range res.Cells[:2] {
		if c.Text != want || c.Ename != "" {
			t.Errorf("`%s`: %q %s %s, want %q", cells[i], c.Text, c.Ename, c.Evalue, want)
		}
	}
	if c := res.Cells[2]; c.Ename != "MemoryError" || !strings.Contains(c.Evalue, "(4, 730, 16, 2555)") || !strings.Contains(c.Evalue, limitedBy) || !strings.Contains(c.Evalue, "rebin") {
		t.Errorf("the whole-array compute: %s: %s; want a MemoryError naming the shape, %s and what to do", c.Ename, c.Evalue, limitedBy)
	}
	if c := res.Cells[3]; c.Text != "(16,)" || c.Ename != "" {
		t.Errorf("the reduction after the MemoryError: %q %s %s, want (16,)", c.Text, c.Ename, c.Evalue)
	}
	// A cell growing a list of 1 MB strings towards 1 GB: the MemoryError near the
	// kernel's share, not an OOM kill, and the kernel goes on.
	if c := res.Cells[4]; c.Ename != "MemoryError" {
		t.Errorf("a list growing past the kernel's 300 MiB: %q %s %s, want a MemoryError", c.Text, c.Ename, c.Evalue)
	} else {
		t.Logf("the growing list: %s: %s", c.Ename, c.Evalue)
	}
	if c := res.Cells[5]; c.Text != "10" || c.Ename != "" {
		t.Errorf("the cell after the list's MemoryError: %q %s %s, want 10", c.Text, c.Ename, c.Evalue)
	}
	if memDir != "" {
		oom, _ := os.ReadFile(filepath.Join(memDir, "memory.oom_control"))
		if strings.Contains(string(oom), "oom_kill ") && !strings.Contains(string(oom), "oom_kill 0") {
			t.Errorf("the OOM killer acted in the kernel's cgroup: %s", oom)
		}
	}
}

// enterCgroups rewrites the environment's kernelspec so that the kernel moves itself into
// the cgroups before it starts (the shell's pid becomes the kernel's with exec).
func enterCgroups(t *testing.T, jenv *JupyterEnv, memDir, cpuDir string) {
	t.Helper()
	file := filepath.Join(jenv.KernelSpecDir(), "kernel.json")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var spec map[string]any
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	script := fmt.Sprintf(`echo $$ > %s/cgroup.procs && echo $$ > %s/cgroup.procs && exec %s kernel -f "$0"`, memDir, cpuDir, gokistBin)
	spec["argv"] = []string{"/bin/sh", "-c", script, "{connection_file}"}
	b, _ = json.Marshal(spec)
	writeFile(t, file, string(b))
}
