package runtime

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gokist/runtime/obj"
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
		cmd := exec.Command("go", args...)
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			s.err = "gokist sample failed: " + err.Error() + "\n" + string(out)
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

// statusFields returns named fields of /proc/self/status (kB values as given).
func statusFields(names ...string) string {
	b, _ := os.ReadFile("/proc/self/status")
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		for _, n := range names {
			if strings.HasPrefix(line, n+":") {
				out = append(out, strings.Join(strings.Fields(line), " "))
			}
		}
	}
	return strings.Join(out, ", ")
}

// peakRSS reads VmHWM (the peak resident set) of this process in bytes.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) >= 2 && fields[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(fields[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// benchAgainstDask runs one operation on every bench size as a sub-benchmark.
func benchAgainstDask(b *testing.B, op string, build func(env *obj.Env, ds *Dataset) (node, error)) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) { benchOne(b, size, op, build) })
	}
}

func benchOne(b *testing.B, size *benchSize, op string, build func(env *obj.Env, ds *Dataset) (node, error)) {
	dir := size.sampleDir(b)
	if _, err := os.Stat(python); err != nil {
		b.Fatalf("%s is needed for the reference: %v", python, err)
	}
	out, err := exec.Command(python, "-c", daskBenchPy, dir, op).Output()
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
	// The configuration a user gets without a Client(...) cell: one worker per core, a
	// quarter of the machine's memory, the default chunk cache (which only plots fill, so
	// every iteration here reads the files and the peak includes no cached chunks).
	client := NewClient(0, 0, 0)
	b.Logf("default client: %d workers, memory limit %s, chunk cache %s", client.NWorkers, humanBytes(client.MemoryLimit), humanBytes(client.chunkCache().limit))
	env := &obj.Env{Out: obj.Discard{}, Services: map[string]any{"client": client}}
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		b.Fatal(err)
	}
	n, err := build(env, ds)
	if err != nil {
		b.Fatal(err)
	}
	// Return the memory of earlier benchmarks and of loading to the OS, so that the peak
	// is this compute's.
	debug.FreeOSMemory()
	resetPeakRSS()
	base := peakRSS()
	var ms goruntime.MemStats
	goruntime.ReadMemStats(&ms)
	b.Logf("before the compute: resident %s, live heap %s (the loaded dataset, its headers included); %s", humanBytes(base), humanBytes(int64(ms.HeapAlloc)), statusFields("RssAnon", "RssFile"))
	var decoded, read int64
	b.ResetTimer()
	for b.Loop() {
		r := newRun(env)
		rc := readChars()
		if _, err := computeRun(r, n); err != nil {
			b.Fatal(err)
		}
		read += readChars() - rc
		decoded += r.bytes.Load()
	}
	b.StopTimer()
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(ref.Seconds/perOp, "x_faster_than_dask")
	// What a compute takes from its files (compressed bytes) and the bytes of pixels it
	// decodes, so that a cropped reduction can be compared with the full one.
	b.ReportMetric(float64(read)/float64(b.N)/1e6, "MB_read")
	b.ReportMetric(float64(decoded)/float64(b.N)/1e6, "MB_decoded")
	if peak := peakRSS(); peak > 0 {
		b.ReportMetric(ref.MaxRSS/float64(peak), "x_less_peak_memory_than_dask")
		b.ReportMetric(float64(peak)/(1<<20), "peak_MiB")
		b.ReportMetric(ref.MaxRSS/(1<<20), "dask_peak_MiB")
		b.ReportMetric(float64(peak-base)/(1<<20), "compute_MiB")
	}
}

func stokesI(env *obj.Env, ds *Dataset, key any) (*Dataset, error) {
	v, err := ds.GetItem(env, key)
	if err != nil {
		return nil, err
	}
	return v.(*Dataset), nil
}

func BenchmarkSummedSpectrum(b *testing.B) {
	benchAgainstDask(b, "spectrum", func(env *obj.Env, ds *Dataset) (node, error) {
		i, err := stokesI(env, ds, 0)
		if err != nil {
			return nil, err
		}
		return newReduce(i.node, "sum", obj.Tuple{0, 2})
	})
}

func BenchmarkCroppedSpectrum(b *testing.B) {
	benchAgainstDask(b, "cropped", func(env *obj.Env, ds *Dataset) (node, error) {
		half := ds.Shape()[1] / 2
		i, err := stokesI(env, ds, obj.Tuple{0, obj.Slice{Stop: &half}, obj.Slice{}, obj.Slice{Stop: ip(500)}})
		if err != nil {
			return nil, err
		}
		return newReduce(i.node, "sum", obj.Tuple{0, 2})
	})
}

func BenchmarkRebinStokesI(b *testing.B) {
	benchAgainstDask(b, "rebin", func(env *obj.Env, ds *Dataset) (node, error) {
		i, err := stokesI(env, ds, 0)
		if err != nil {
			return nil, err
		}
		r, err := i.Rebin(obj.Tuple{1, 1, 7}, nil)
		if err != nil {
			return nil, err
		}
		return r.node, nil
	})
}

func BenchmarkArgminSpectrum(b *testing.B) {
	benchAgainstDask(b, "argmin", func(env *obj.Env, ds *Dataset) (node, error) {
		i, err := stokesI(env, ds, 0)
		if err != nil {
			return nil, err
		}
		s, err := newReduce(i.node, "sum", obj.Tuple{0, 2})
		if err != nil {
			return nil, err
		}
		return newReduce(s, "argmin", nil)
	})
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
