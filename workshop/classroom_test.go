package workshop

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gokist/internal/pyref"
	"gokist/internal/testproc"
	"gokist/nbrun"
)

// classroomLimit is each student's memory: the whole sample (4×60×160×2555 float32,
// 477 MB) does not fit, every step of the tutorial does.
const classroomLimit = "256MiB"

// overLimitCell asks for the whole sample in memory, which a student's share cannot hold.
const overLimitCell = "\n```{code-cell} gokist\n:tags: [raises-exception]\nwhole = ds.data.compute()\n```\n"

// classroomPy runs one notebook in n kernels at once with Jupyter's nbclient (as n
// students pressing "run all" together) and prints, per student, whether every cell
// ran, the first cell's latency from the common start and its own execution time (from
// nbclient's timing metadata), the Client cell's text and the last cell's error.
const classroomPy = `
import asyncio, copy, datetime, json, sys, time
import nbformat
from nbclient import NotebookClient

nb = nbformat.read(sys.argv[1], as_version=4)
n, cwd = int(sys.argv[2]), sys.argv[3]

def stamp(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()

def text(cell):
    out = ""
    for o in cell.get("outputs", []):
        out += o.get("data", {}).get("text/plain", "") + o.get("text", "")
    return out

async def student(i, t0):
    mine = copy.deepcopy(nb)
    c = NotebookClient(mine, timeout=900, startup_timeout=900, kernel_name="gokist",
                       resources={"metadata": {"path": cwd}}, record_timing=True)
    r = {"student": i, "ok": True, "error": ""}
    try:
        await c.async_execute()
    except Exception as e:
        r["ok"], r["error"] = False, (type(e).__name__ + ": " + str(e))[-3000:]
    code = [x for x in mine.cells if x.cell_type == "code"]
    ex = code[0].metadata.get("execution", {})
    if "shell.execute_reply" in ex:
        r["first_reply"] = stamp(ex["shell.execute_reply"]) - t0
        r["first_exec"] = stamp(ex["shell.execute_reply"]) - stamp(ex["iopub.execute_input"])
    r["ran"] = sum(1 for x in code if x.get("execution_count"))
    r["cells"] = len(code)
    r["client"] = "".join(text(x) for x in code if "Client()" in x.source)
    last = [o for o in code[-1].get("outputs", []) if o.get("output_type") == "error"]
    r["last_error"] = [last[0]["ename"], last[0]["evalue"]] if last else None
    return r

async def main():
    t0 = time.time()
    return await asyncio.gather(*[student(i, t0) for i in range(n)])

print(json.dumps(asyncio.run(main())))
`

// student is one line of classroomPy's report.
type student struct {
	Student    int
	OK         bool
	Error      string
	FirstReply float64 `json:"first_reply"`
	FirstExec  float64 `json:"first_exec"`
	Ran, Cells int
	Client     string
	LastError  []string `json:"last_error"`
}

// TestClassroomOfKernels starts a class of gokist kernels at once (6 in the short mode,
// 20 with GOKIST_TEST_LONG=1), each given 256 MiB and one worker through the kernelspec
// that `gokist install --memory-limit 256MiB --workers 1` writes, and runs the rebinning
// tutorial in every one of them on one shared sample directory with Jupyter's nbclient.
// Every cell must succeed in every kernel; a whole-array compute (477 MB) must be a
// MemoryError naming the limit in every kernel; no kernel dies; the kernels' total RSS,
// sampled all along, stays under the sum of their limits. The first cell's latency per
// student is reported (p50, p95).
func TestClassroomOfKernels(t *testing.T) {
	pyref.Require(t, "nbclient", "nbformat")
	n := 6
	if testproc.Long() {
		n = 20
	}
	home := sampleHOME(t)
	src, err := os.ReadFile(repoFile("notebooks", "rebinning.md"))
	if err != nil {
		t.Fatal(err)
	}
	nb, err := nbrun.ParseMyST(append(src, overLimitCell...))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ipynb := filepath.Join(dir, "rebinning.ipynb")
	if err := nb.WriteIPYNB(ipynb); err != nil {
		t.Fatal(err)
	}
	jenv, err := NewJupyterEnv(filepath.Join(dir, "jupyter"), home, gokistBin, "--memory-limit", classroomLimit, "--workers", "1")
	if err != nil {
		t.Fatal(err)
	}
	p := testproc.Start(t, testproc.Cmd{Name: Python, Args: []string{"-c", classroomPy, ipynb, strconv.Itoa(n), dir},
		Env: append(pyref.Env(t), jenv.Env...), Timeout: 30 * time.Minute})
	peak, most := watchRSS(p.Done(), gokistBin)
	if err := p.Wait(); err != nil {
		t.Fatalf("the classroom driver: %v\n%s", err, p.Output())
	}
	var class []student
	if err := json.Unmarshal(p.Stdout(), &class); err != nil || len(class) != n {
		t.Fatalf("the driver's report (%v): %s\n%s", err, p.Stdout(), p.Output())
	}
	var latency []float64
	for _, s := range class {
		if !s.OK || s.Ran != s.Cells {
			t.Errorf("student %d: %d of %d cells ran: %s", s.Student, s.Ran, s.Cells, s.Error)
		}
		if len(s.LastError) != 2 || s.LastError[0] != "MemoryError" || !strings.Contains(s.LastError[1], "GOKIST_MEMORY_LIMIT="+classroomLimit) {
			t.Errorf("student %d: the whole-array compute gave %v, want a MemoryError naming GOKIST_MEMORY_LIMIT=%s", s.Student, s.LastError, classroomLimit)
		}
		if !strings.Contains(s.Client, "threads=1,") || !strings.Contains(s.Client, "memory=256.00 MiB") {
			t.Errorf("student %d: the client shows %q, want 1 thread and 256.00 MiB (the kernelspec's limits)", s.Student, s.Client)
		}
		latency = append(latency, s.FirstReply)
	}
	limit := int64(n) * 256 << 20
	if most != n {
		t.Errorf("at most %d kernels were seen running at once, want %d", most, n)
	}
	if peak >= limit {
		t.Errorf("the kernels' total RSS peaked at %.0f MiB, over the sum of their limits (%d MiB)", float64(peak)/(1<<20), limit>>20)
	}
	slices.Sort(latency)
	figures := fmt.Sprintf("classroom: %d kernels at once, %s each: first cell answered after p50 %.2f s, p95 %.2f s (max %.2f s) from the common start; peak total RSS %.0f MiB of the %d MiB the limits add up to",
		n, classroomLimit, percentile(latency, 50), percentile(latency, 95), latency[len(latency)-1], float64(peak)/(1<<20), limit>>20)
	t.Logf("student 0's whole-array compute: %s: %s", class[0].LastError[0], class[0].LastError[1])
	t.Log(figures)
	fmt.Println(figures)
}

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// watchRSS samples, until done closes, the resident memory of every process running
// exe, and returns the highest total seen and the most such processes at once.
func watchRSS(done <-chan struct{}, exe string) (peak int64, most int) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		total, count := rssOf(exe)
		peak, most = max(peak, total), max(most, count)
		select {
		case <-done:
			return peak, most
		case <-tick.C:
		}
	}
}

// rssOf sums VmRSS over the processes whose executable is exe.
func rssOf(exe string) (int64, int) {
	entries, _ := os.ReadDir("/proc")
	var total int64
	count := 0
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if target, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); err != nil || target != exe {
			continue
		}
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			continue
		}
		for _, line := range bytes.Split(status, []byte("\n")) {
			if f := strings.Fields(string(line)); len(f) >= 2 && f[0] == "VmRSS:" {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				total += kb << 10
				count++
			}
		}
	}
	return total, count
}
