package kernel

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

// benchKernels runs bench_kernels.py once for the named kernelspecs, which measures them
// in one Python process, interleaved, with the same warm-up, and returns each kernel's
// median seconds per operation.
func benchKernels(b *testing.B, env []string, what string, n int, kernelNames ...string) map[string]float64 {
	out, err := testproc.Output(testproc.Cmd{Name: pyref.Interpreter, Args: []string{"bench_kernels.py", strings.Join(kernelNames, ","), what, fmt.Sprint(n)},
		Env: env, Timeout: 20 * time.Minute})
	if err != nil {
		b.Fatalf("bench_kernels.py %s %s: %v", kernelNames, what, filterDebuggerNoise(err.Error()))
	}
	var res struct {
		Seconds map[string]float64 `json:"seconds"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		b.Fatalf("bench_kernels.py output %q: %v", out, err)
	}
	for _, name := range kernelNames {
		if res.Seconds[name] <= 0 {
			b.Fatalf("bench_kernels.py output %q has no time for %s", out, name)
		}
	}
	return res.Seconds
}

// benchAgainstIPyKernel times what for gokist and ipykernel side by side, through
// jupyter_client by the same script in the same process, and reports both medians and
// their ratio (averaged over b.N runs of the script).
func benchAgainstIPyKernel(b *testing.B, what string, n int) {
	_, env := installedKernel(b)
	b.ResetTimer()
	var gk, ipy float64
	for i := 0; i < b.N; i++ {
		s := benchKernels(b, env, what, n, "gokist", "python3")
		gk += s["gokist"]
		ipy += s["python3"]
	}
	b.StopTimer()
	gk /= float64(b.N)
	ipy /= float64(b.N)
	b.ReportMetric(gk*1e3, "gokist_ms")
	b.ReportMetric(ipy*1e3, "ipykernel_ms")
	b.ReportMetric(ipy/gk, "x_faster_than_ipykernel")
}

// installNullKernel writes a kernelspec "gokist-null-floor" for testdata/null_kernel.py
// into the test's Jupyter data dir and returns its name: the round trip of a kernel that
// evaluates nothing, which is the client's own share of every kernel's round trip.
func installNullKernel(b *testing.B) string {
	script, err := filepath.Abs(filepath.Join("testdata", "null_kernel.py"))
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(dataDir, "kernels", "gokist-null-floor")
	spec, _ := json.Marshal(map[string]any{
		"argv":         []string{pyref.Interpreter, script, "-f", "{connection_file}"},
		"display_name": "null kernel (round-trip floor)",
		"language":     "null",
	})
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), spec, 0o644); err != nil {
		b.Fatal(err)
	}
	return "gokist-null-floor"
}

// Process start to the first kernel_info_reply.
func BenchmarkKernelStartup(b *testing.B) { benchAgainstIPyKernel(b, "startup", 3) }

// execute_request of `1 + 1` to its idle status. Beside gokist and ipykernel it times the
// null kernel (testdata/null_kernel.py), which answers without evaluating anything: its
// round trip is jupyter_client's own cost (mostly decoding five messages and their dates),
// the floor under any kernel, and ipykernel_ms/floor_ms is the best ratio any kernel
// could reach in that run.
func BenchmarkExecuteRoundTrip(b *testing.B) {
	_, env := installedKernel(b)
	null := installNullKernel(b)
	b.ResetTimer()
	var gk, ipy, floor float64
	for i := 0; i < b.N; i++ {
		s := benchKernels(b, env, "execute", 200, "gokist", "python3", null)
		gk += s["gokist"]
		ipy += s["python3"]
		floor += s[null]
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(gk/n*1e3, "gokist_ms")
	b.ReportMetric(ipy/n*1e3, "ipykernel_ms")
	b.ReportMetric(floor/n*1e3, "floor_ms")
	b.ReportMetric(ipy/gk, "x_faster_than_ipykernel")
	b.ReportMetric(ipy/floor, "x_floor_vs_ipykernel")
}

// A cell drawing a 1-D line plot, to its idle status with the PNG sent.
func BenchmarkPlotCell(b *testing.B) { benchAgainstIPyKernel(b, "plot", 5) }

// The kernel's own share of a round trip: execute_request to idle over loopback with a
// zmq4 client and an evaluator that answers at once.
func BenchmarkInProcessRoundTrip(b *testing.B) {
	c := startTestKernel(b, &fakeEval{})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := c.send(c.shell, "execute_request", map[string]any{"code": "value 2", "silent": false,
			"store_history": true, "user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true})
		c.outputs(id)
		c.reply(c.shellIn, id)
	}
}
