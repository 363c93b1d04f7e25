package runtime

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"gokist/runtime/distributed"
	"gokist/runtime/lazy"
	"gokist/runtime/lazy/wire"
	"gokist/runtime/memlimit"
	"gokist/runtime/numpy"
	"os"
	"path/filepath"
	goruntime "runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gokist/internal/pyref"
	"gokist/internal/testproc"
	"gokist/obj"
	"gokist/runtime/sample"
)

// daskBenchPy times one operation with the reference stack as dkist builds it: one
// dask chunk per file (dask.delayed(fits.getdata) + da.from_delayed + da.stack), the
// default threaded scheduler. It prints the compute's seconds and the process's peak RSS.
const daskBenchPy = `
import sys, os, json, time, resource, glob
import numpy as np
import dask, dask.array as da
from astropy.io import fits
d, op = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(os.path.join(d, "*.fits")))
h0 = fits.getheader(files[0], 1)
S, R = h0["DNAXIS4"], h0["DNAXIS3"]
grid = [[None] * R for _ in range(S)]
for f in files:
    h = fits.getheader(f, 1)
    grid[h["DINDEX4"] - 1][h["DINDEX3"] - 1] = f
shape = (h0["NAXIS3"] if "NAXIS3" in h0 else 1, h0["NAXIS2"], h0["NAXIS1"])
dtype = np.float32 if h0["BITPIX"] == -32 else np.float64
def load(f):
    return fits.getdata(f, 1)
arr = da.stack([da.stack([da.from_delayed(dask.delayed(load)(f), shape, dtype) for f in row]) for row in grid])
arr = arr[:, :, 0]
I = arr[0]
if op == "spectrum":
    x = I.sum(axis=(0, 2))
elif op == "cropped":
    x = I[:R // 2, :, :500].sum(axis=(0, 2))
elif op == "rebin":
    x = I.reshape(I.shape[0], I.shape[1], I.shape[2] // 7, 7).mean(axis=3)
elif op == "argmin":
    x = I.sum(axis=(0, 2)).argmin()
elif op == "rastermean":
    x = I.mean(axis=0)
t = time.perf_counter()
x.compute()
sec = time.perf_counter() - t
print(json.dumps({"seconds": sec, "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
`

// benchSize is one sample dataset the benchmarks run on: written once by `gokist sample`
// into the user's cache directory and reused by later runs (and by the dask reference).
type benchSize struct {
	name  string
	shape [4]int // (stokes, raster, wavelength, slit)
	seed  int64
	once  sync.Once
	dir   string
	err   string
}

// benchSizes are the small sample (4×80×160×2555) and one five times its raster.
var benchSizes = []*benchSize{
	{name: "small", shape: sample.Sizes["small"], seed: 1},
	{name: "4x400x160x2555", shape: [4]int{4, 400, 160, 2555}, seed: 1},
}

// files is the number of FITS files a complete sample holds: one per (Stokes, raster step).
func (s *benchSize) files() int { return s.shape[0] * s.shape[1] }

// sampleArgs are the `gokist sample` flags that write this dataset.
func (s *benchSize) sampleArgs() []string {
	return []string{"--shape", fmt.Sprintf("%d,%d,%d,%d", s.shape[0], s.shape[1], s.shape[2], s.shape[3]), "--seed", strconv.FormatInt(s.seed, 10)}
}

// cacheKey names what the cached files depend on: the generator's options and its
// version. A cache directory carries it in its name, so a dataset written with other
// options or by an older generator is never taken for this one, even with its marker.
func (s *benchSize) cacheKey(generatorVersion int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "shape=%v seed=%d plain=false generator=%d", s.shape, s.seed, generatorVersion))
	return hex.EncodeToString(sum[:6])
}

// cacheDir is where the dataset is cached under root for the given generator version.
func (s *benchSize) cacheDir(root string, generatorVersion int) string {
	return filepath.Join(root, "gokist-bench", s.name+"-"+s.cacheKey(generatorVersion))
}

// sampleDir writes the sample once (cached across runs: a marker file says the write
// finished, the directory name says for which options and generator) and returns its
// directory.
func (s *benchSize) sampleDir(b *testing.B) string {
	s.once.Do(func() {
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		dir := s.cacheDir(cache, sample.GeneratorVersion)
		marker := filepath.Join(dir, ".complete")
		if _, err := os.Stat(marker); err == nil {
			s.dir = dir
			return
		}
		args := append([]string{"run", "gokist/cmd/gokist", "sample", dir, "--force"}, s.sampleArgs()...)
		if _, err := testproc.Output(testproc.Cmd{Name: "go", Args: args, Dir: "..", Timeout: 30 * time.Minute}); err != nil {
			s.err = "gokist sample failed: " + err.Error()
			return
		}
		if fis, _ := filepath.Glob(filepath.Join(dir, "*.fits")); len(fis) != s.files() {
			s.err = fmt.Sprintf("gokist sample wrote %d files to %s, want %d", len(fis), dir, s.files())
			return
		}
		os.WriteFile(marker, nil, 0o644)
		s.dir = dir
		removeStaleBenchCaches(filepath.Dir(dir), s.name, dir)
	})
	if s.err != "" {
		b.Fatal(s.err)
	}
	return s.dir
}

// removeStaleBenchCaches deletes the earlier caches of one bench size (other keys, or the
// unkeyed directory older runs used) so that superseded samples do not pile up on disk.
// Only directories holding the bench's .complete marker are touched.
func removeStaleBenchCaches(root, name, keep string) {
	old, _ := filepath.Glob(filepath.Join(root, name+"-*"))
	for _, d := range append(old, filepath.Join(root, name)) {
		if d == keep {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, ".complete")); err == nil {
			os.RemoveAll(d)
		}
	}
}

// readChars is the bytes this process has read through read system calls (rchar of
// /proc/self/io): what a compute takes from its files, page cache or disk.
func readChars() int64 {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "rchar: "); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n
		}
	}
	return 0
}

// resetPeakRSS clears the kernel's peak-RSS mark of this process (Linux clear_refs 5).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS reads VmHWM (the peak resident set) of this process in bytes.
func peakRSS() int64 { return statusBytes("VmHWM") }

// statusBytes reads a kB field of /proc/self/status (VmHWM, VmRSS) in bytes.
func statusBytes(name string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) >= 2 && fields[0] == name+":" {
			kb, _ := strconv.ParseInt(fields[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// benchChildOpEnv and benchChildDirEnv name, in the environment of a re-executed test
// binary, the operation and the dataset directory of one measurement (see TestMain).
const (
	benchChildOpEnv  = "GOKIST_BENCH_CHILD_OP"
	benchChildDirEnv = "GOKIST_BENCH_CHILD_DIR"
)

// daskRefRuns is how many fresh Python processes time each case of the reference; the
// benchmark compares medians, since one run on a shared machine can be far off.
const daskRefRuns = 3

// TestMain runs the package's tests, or, when the benchmark re-executes this binary with
// benchChildOpEnv set, one gokist measurement in this fresh process (benchChild) and
// nothing else. Without that variable it is plain `go test`.
func TestMain(m *testing.M) {
	if os.Getenv(wire.TaskEnv) == "1" { // a dask worker runs this binary for a cluster task
		if err := wire.ServeTask(context.Background(), os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "cluster task:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if op := os.Getenv(benchChildOpEnv); op != "" {
		os.Exit(benchChild(op, os.Getenv(benchChildDirEnv)))
	}
	os.Exit(testproc.CheckNoLeftovers(m.Run()))
}

// benchOps build, for each benchmarked operation, the graph gokist computes; their names
// are the ops of daskBenchPy.
var benchOps = map[string]func(env *obj.Env, ds *Dataset) (lazy.Node, error){
	"spectrum": func(env *obj.Env, ds *Dataset) (lazy.Node, error) {
		i, err := stokesI(env, ds, 0)
		if err != nil {
			return nil, err
		}
		return numpy.NewReduce(i.Node, "sum", obj.Tuple{0, 2})
	},
	"cropped": func(env *obj.Env, ds *Dataset) (lazy.Node, error) {
		half := ds.Shape()[1] / 2
		i, err := stokesI(env, ds, obj.Tuple{0, obj.Slice{Stop: &half}, obj.Slice{}, obj.Slice{Stop: ip(500)}})
		if err != nil {
			return nil, err
		}
		return numpy.NewReduce(i.Node, "sum", obj.Tuple{0, 2})
	},
	"rebin": func(env *obj.Env, ds *Dataset) (lazy.Node, error) {
		i, err := stokesI(env, ds, 0)
		if err != nil {
			return nil, err
		}
		r, err := i.Rebin(obj.Tuple{1, 1, 7}, nil)
		if err != nil {
			return nil, err
		}
		return r.Node, nil
	},
	"argmin": func(env *obj.Env, ds *Dataset) (lazy.Node, error) {
		i, err := stokesI(env, ds, 0)
		if err != nil {
			return nil, err
		}
		s, err := numpy.NewReduce(i.Node, "sum", obj.Tuple{0, 2})
		if err != nil {
			return nil, err
		}
		return numpy.NewReduce(s, "argmin", nil)
	},
	"rastermean": func(env *obj.Env, ds *Dataset) (lazy.Node, error) {
		i, err := stokesI(env, ds, 0)
		if err != nil {
			return nil, err
		}
		return numpy.NewReduce(i.Node, "mean", 0)
	},
}

// benchChildResult is what one fresh gokist process reports of its measurement.
type benchChildResult struct {
	Seconds      float64 `json:"seconds"`       // the compute alone, as daskBenchPy times x.compute()
	PeakBytes    int64   `json:"peak_bytes"`    // VmHWM of the whole process: binary, dataset, compute
	RSSBefore    int64   `json:"rss_before"`    // VmRSS after loading, just before the compute
	ComputeBytes int64   `json:"compute_bytes"` // peak resident set during the compute above RSSBefore
	ReadBytes    int64   `json:"read_bytes"`    // bytes read through read(2) by the compute
	Decoded      int64   `json:"decoded_bytes"` // pixel bytes the compute decoded
	Workers      int     `json:"workers"`
	MemoryLimit  int64   `json:"memory_limit"`
}

// benchChild measures one operation as a user's kernel would meet it and the reference
// script does: a fresh process loads the dataset, builds the graph and computes it once,
// cold (no earlier compute has run in the process; the files may be in the page cache,
// as they are for dask, which reads the same files just before or after). It prints a
// benchChildResult as JSON on stdout and returns the process's exit code.
func benchChild(op, dir string) int {
	fail := func(err error) int {
		fmt.Fprintf(os.Stderr, "bench child %s on %s: %v\n", op, dir, err)
		return 1
	}
	build, ok := benchOps[op]
	if !ok {
		return fail(fmt.Errorf("unknown operation"))
	}
	// The configuration a user gets without a Client(...) cell: one worker per core, a
	// quarter of the machine's memory, the default chunk cache (which only plots fill, so
	// the compute reads the files and the peak includes no cached chunks).
	client := distributed.NewClient(0, 0, 0)
	env := &obj.Env{Out: obj.Discard{}, Services: map[string]any{"client": client}}
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		return fail(err)
	}
	n, err := build(env, ds)
	if err != nil {
		return fail(err)
	}
	// The whole-process peak is the larger of the peak so far (start and loading) and the
	// peak of the compute, which clearing the mark lets us see on its own.
	loadPeak := peakRSS()
	resetPeakRSS()
	before := residentRSS()
	r := numpy.RunIn(env)
	rc := readChars()
	start := time.Now()
	if _, err := lazy.ComputeRun(r, n); err != nil {
		return fail(err)
	}
	res := benchChildResult{
		Seconds:     time.Since(start).Seconds(),
		RSSBefore:   before,
		ReadBytes:   readChars() - rc,
		Decoded:     r.Bytes.Load(),
		Workers:     client.NWorkers,
		MemoryLimit: client.MemoryLimit,
	}
	computePeak := peakRSS()
	// A user's kernel keeps the dataset (its headers included) in a variable while it
	// computes; so does this process.
	goruntime.KeepAlive(ds)
	res.PeakBytes = max(loadPeak, computePeak)
	res.ComputeBytes = computePeak - before
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		return fail(err)
	}
	return 0
}

// residentRSS reads VmRSS (the resident set now) of this process in bytes.
func residentRSS() int64 { return statusBytes("VmRSS") }

// medianOf returns the middle of xs (the mean of the two middle values for an even count).
func medianOf(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// daskRef is the reference's medians over daskRefRuns fresh processes.
type daskRef struct {
	seconds, maxRSS float64
}

// daskReference times op on dir with daskBenchPy in daskRefRuns fresh Python processes.
func daskReference(b *testing.B, dir, op string) daskRef {
	if _, err := os.Stat(python); err != nil {
		b.Fatalf("%s is needed for the reference: %v", python, err)
	}
	var secs, rss []float64
	for range daskRefRuns {
		out, err := pyref.Output(nil, daskBenchPy, dir, op)
		if err != nil {
			b.Fatalf("dask reference failed: %v", err)
		}
		var ref struct {
			Seconds float64 `json:"seconds"`
			MaxRSS  float64 `json:"maxrss"`
		}
		if err := json.Unmarshal(out, &ref); err != nil {
			b.Fatalf("dask output %q: %v", out, err)
		}
		secs, rss = append(secs, ref.Seconds), append(rss, ref.MaxRSS)
	}
	b.Logf("dask: compute %.3v s, peak RSS %v MiB (each run)", secs, mib(rss))
	return daskRef{seconds: medianOf(secs), maxRSS: medianOf(rss)}
}

// runBenchChild re-executes this test binary to measure op on dir in a fresh process.
func runBenchChild(b *testing.B, dir, op string) benchChildResult {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	out, err := testproc.Output(testproc.Cmd{Name: exe, Env: []string{benchChildOpEnv + "=" + op, benchChildDirEnv + "=" + dir}, Timeout: 20 * time.Minute})
	if err != nil {
		b.Fatalf("gokist bench child failed: %v", err)
	}
	var res benchChildResult
	if err := json.Unmarshal(out, &res); err != nil {
		b.Fatalf("gokist bench child output %q: %v", out, err)
	}
	return res
}

// mib converts byte counts to MiB, rounded to 0.1, for logs.
func mib(bytes []float64) []float64 {
	out := make([]float64, len(bytes))
	for i, v := range bytes {
		out[i] = float64(int(v/(1<<20)*10+0.5)) / 10
	}
	return out
}

// benchAgainstDask runs one operation on every bench size as a sub-benchmark.
func benchAgainstDask(b *testing.B, op string) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) { benchOne(b, size, op) })
	}
}

// benchOne compares gokist with dask on one operation and dataset like for like: each
// side runs in fresh processes that load the dataset and compute once, cold; the times
// compared are the computes' (median over the runs), the memories the processes' whole
// peaks (VmHWM of the gokist process, ru_maxrss of Python's; median over the runs), each
// with its own binary or interpreter baseline. An iteration is one gokist process, so
// ns/op is its wall time: start, loading and compute.
func benchOne(b *testing.B, size *benchSize, op string) {
	dir := size.sampleDir(b)
	ref := daskReference(b, dir, op)
	var runs []benchChildResult
	for b.Loop() {
		runs = append(runs, runBenchChild(b, dir, op))
	}
	b.Logf("gokist (%d workers, memory limit %s): compute %.3v s, peak RSS %v MiB, before the compute %v MiB (each run)",
		runs[0].Workers, memlimit.HumanBytes(runs[0].MemoryLimit), field(runs, func(r benchChildResult) float64 { return r.Seconds }),
		mib(field(runs, func(r benchChildResult) float64 { return float64(r.PeakBytes) })),
		mib(field(runs, func(r benchChildResult) float64 { return float64(r.RSSBefore) })))
	secs := medianOf(field(runs, func(r benchChildResult) float64 { return r.Seconds }))
	peak := medianOf(field(runs, func(r benchChildResult) float64 { return float64(r.PeakBytes) }))
	b.ReportMetric(ref.seconds/secs, "x_faster_than_dask")
	b.ReportMetric(secs, "compute_s")
	b.ReportMetric(ref.seconds, "dask_s")
	b.ReportMetric(ref.maxRSS/peak, "x_less_peak_memory_than_dask")
	b.ReportMetric(peak/(1<<20), "peak_MiB")
	b.ReportMetric(ref.maxRSS/(1<<20), "dask_peak_MiB")
	// What the compute alone adds to the resident set after loading, and what it takes
	// from its files (compressed bytes) and decodes, so that a cropped reduction can be
	// compared with the full one.
	b.ReportMetric(medianOf(field(runs, func(r benchChildResult) float64 { return float64(r.ComputeBytes) }))/(1<<20), "compute_MiB")
	b.ReportMetric(medianOf(field(runs, func(r benchChildResult) float64 { return float64(r.ReadBytes) }))/1e6, "MB_read")
	b.ReportMetric(medianOf(field(runs, func(r benchChildResult) float64 { return float64(r.Decoded) }))/1e6, "MB_decoded")
}

// field collects one number from each run.
func field(runs []benchChildResult, f func(benchChildResult) float64) []float64 {
	out := make([]float64, len(runs))
	for i, r := range runs {
		out[i] = f(r)
	}
	return out
}

func stokesI(env *obj.Env, ds *Dataset, key any) (*Dataset, error) {
	v, err := ds.GetItem(env, key)
	if err != nil {
		return nil, err
	}
	return v.(*Dataset), nil
}

// BenchmarkSummedSpectrum: the Stokes I spectrum summed over raster and slit.
func BenchmarkSummedSpectrum(b *testing.B) { benchAgainstDask(b, "spectrum") }

// BenchmarkCroppedSpectrum: the same over half the raster and the first 500 slit pixels.
func BenchmarkCroppedSpectrum(b *testing.B) { benchAgainstDask(b, "cropped") }

// BenchmarkRebinStokesI: Stokes I rebinned by (1, 1, 7) with the mean.
func BenchmarkRebinStokesI(b *testing.B) { benchAgainstDask(b, "rebin") }

// BenchmarkArgminSpectrum: argmin of the summed Stokes I spectrum.
func BenchmarkArgminSpectrum(b *testing.B) { benchAgainstDask(b, "argmin") }

// BenchmarkRasterMeanImage: the Stokes I mean over the raster, a wavelength × slit image
// (a reduction that keeps the two big axes).
func BenchmarkRasterMeanImage(b *testing.B) { benchAgainstDask(b, "rastermean") }

// TestBenchMedian checks the median the benchmark ratios are taken over.
func TestBenchMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := medianOf(c.in); got != c.want {
			t.Errorf("medianOf(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// TestBenchCacheKey checks that the benchmark cache is keyed on everything the files
// depend on: a change of shape, seed or generator version gives another directory, so a
// stale sample with a .complete marker is never reused; superseded caches are removed.
func TestBenchCacheKey(t *testing.T) {
	root := t.TempDir()
	base := &benchSize{name: "small", shape: [4]int{4, 80, 160, 2555}, seed: 1}
	dir := base.cacheDir(root, 1)
	if again := (&benchSize{name: "small", shape: base.shape, seed: 1}).cacheDir(root, 1); again != dir {
		t.Errorf("same options, two directories: %s, %s", dir, again)
	}
	variants := map[string]string{
		"shape":   (&benchSize{name: "small", shape: [4]int{4, 81, 160, 2555}, seed: 1}).cacheDir(root, 1),
		"seed":    (&benchSize{name: "small", shape: base.shape, seed: 2}).cacheDir(root, 1),
		"version": base.cacheDir(root, 2),
	}
	for what, d := range variants {
		if d == dir {
			t.Errorf("another %s, same cache directory %s", what, d)
		}
	}
	if want := []string{"--shape", "4,80,160,2555", "--seed", "1"}; !slices.Equal(base.sampleArgs(), want) {
		t.Errorf("sample flags %q, want %q", base.sampleArgs(), want)
	}
	if base.files() != 320 {
		t.Errorf("files() = %d, want 4×80 = 320", base.files())
	}

	// Stale caches of this size go; the current one, unmarked directories and other
	// sizes stay.
	benchRoot := filepath.Dir(dir)
	mk := func(name string, complete bool) string {
		d := filepath.Join(benchRoot, name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if complete {
			os.WriteFile(filepath.Join(d, ".complete"), nil, 0o644)
		}
		return d
	}
	legacy, stale := mk("small", true), mk("small-0123456789ab", true)
	current, partial, other := mk(filepath.Base(dir), true), mk("small-partial", false), mk("smallish-x", true)
	removeStaleBenchCaches(benchRoot, "small", current)
	for d, want := range map[string]bool{legacy: false, stale: false, current: true, partial: true, other: true} {
		if _, err := os.Stat(d); (err == nil) != want {
			t.Errorf("%s exists = %v, want %v", filepath.Base(d), err == nil, want)
		}
	}
}
