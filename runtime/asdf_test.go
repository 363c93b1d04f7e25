package runtime

import (
	"fmt"
	"gokist/runtime/distributed"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"gokist/runtime/numpy/arrayprint"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gokist/obj"
)

// collect is an Output that keeps stderr text and progress reports.
type collect struct {
	obj.Discard
	stderr   strings.Builder
	progress []obj.Progress
}

func (c *collect) Stream(name, text string) {
	if name == "stderr" {
		c.stderr.WriteString(text)
	}
}
func (c *collect) Progress(p obj.Progress) { c.progress = append(c.progress, p) }

func TestCroppableVISPIndexOnly(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, "../../shared/data/dkist-headers/croppable_visp.asdf.gz", filepath.Join(dir, "croppable_visp.asdf.gz"))
	out := &collect{}
	env := &obj.Env{Out: out, Services: map[string]any{}}
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ds.Shape(), []int{4, 688, 976, 2555}) {
		t.Fatalf("shape %v, want (4, 688, 976, 2555)", ds.Shape())
	}
	if !strings.Contains(out.stderr.String(), "2752 of the dataset's 2752 files are missing") {
		t.Errorf("warning %q", out.stderr.String())
	}
	if names := ds.FileNames(); names[0] != "VISP_2022_10_24T18_57_45_501_00630205_I_BKEWK_L1.fits" {
		t.Errorf("first file %v", names[0])
	}
	sub, err := ds.GetItem(env, obj.Tuple{0, 0, obj.Slice{Stop: ip(2)}, obj.Slice{Stop: ip(3)}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := sub.(*Dataset).Lazy().Compute(env)
	if err != nil {
		t.Fatal(err)
	}
	a := v.(*numpy.NDArray)
	if !slices.Equal(a.Dims, []int{2, 3}) {
		t.Fatalf("shape %v", a.Dims)
	}
	for _, x := range a.Array().Floats() {
		if !math.IsNaN(x) {
			t.Fatalf("missing file computed %v, want NaN", x)
		}
	}
}

// TestPartialDownload lists every file in an ASDF index but removes one: the dataset
// keeps its full shape, the missing file reads as NaN, the rest equals the files.
func TestPartialDownload(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ds")
	var want map[string]pyResult
	runPython(t, writeDatasetPy, map[string]any{"dir": dir, "dtype": "float32", "compress": true, "shape": []int{2, 3, 4, 5},
		"cases": map[string]string{"nansum_without": "np.nansum(np.where(np.arange(2*3).reshape(2, 3, 1, 1) == 4, np.nan, d), dtype=np.float64)"}}, &want)
	var rows []string
	for s := range 2 {
		var names []string
		for r := range 3 {
			names = append(names, fmt.Sprintf("VISP_%03d_%s_L1.fits", r, "IQUV"[s:s+1]))
		}
		rows = append(rows, "["+strings.Join(names, ", ")+"]")
	}
	asdf := "#ASDF 1.0.0\n%YAML 1.1\n%TAG ! tag:stsci.edu:asdf/\n--- !core/asdf-1.1.0\ndataset: !<asdf://dkist.nso.edu/tags/dataset-1.2.0>\n" +
		"  data: !<asdf://dkist.nso.edu/tags/file_manager-1.0.0>\n    datatype: float32\n    fileuris:\n    - " + strings.Join(rows, "\n    - ") +
		"\n    shape: [1, 4, 5]\n    target: 1\n  meta:\n    inventory: {datasetId: TESTS}\n...\n"
	os.WriteFile(filepath.Join(dir, "TESTS.asdf"), []byte(asdf), 0o644)
	os.Remove(filepath.Join(dir, "VISP_001_Q_L1.fits")) // grid position (1, 1) = flat 4
	out := &collect{}
	env := &obj.Env{Out: out, Services: map[string]any{}}
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ds.Shape(), []int{2, 3, 4, 5}) {
		t.Fatalf("shape %v", ds.Shape())
	}
	if !strings.Contains(out.stderr.String(), "1 of the dataset's 6 files are missing") {
		t.Errorf("warning %q", out.stderr.String())
	}
	red, _ := numpy.NewReduce(ds.Node, "nansum", nil)
	got, err := numpy.ComputeNode(env, red)
	if err != nil {
		t.Fatal(err)
	}
	checkAgainst(t, "nansum_without", numpy.ScalarOrSelf(got), want["nansum_without"], false)
	one, _ := ds.GetItem(env, obj.Tuple{1, 1, 0, 0})
	v, _ := one.(*Dataset).Lazy().Compute(env)
	if x, ok := v.(float32); !ok || !math.IsNaN(float64(x)) {
		t.Errorf("missing file value %v, want NaN", v)
	}
}

// TestCacheAndTaskStream: compute() streams chunks without keeping them, repeating a
// plot's compute reads nothing (cache), progress reports chunks and bytes, and the client
// records one task per chunk.
func TestCacheAndTaskStream(t *testing.T) {
	dir := writeSmall(t, []int{2, 3, 4, 5})
	out := &collect{}
	client := distributed.NewClient(2, 1, 1<<30)
	env := &obj.Env{Out: out, Services: map[string]any{"client": client}}
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := ds.GetItem(env, obj.Tuple{obj.Ellipsis, obj.Slice{Start: ip(1), Stop: ip(3)}})
	red, _ := numpy.NewReduce(sub.(*Dataset).Node, "sum", 0)
	if _, err := numpy.ComputeNode(env, red); err != nil {
		t.Fatal(err)
	}
	last := out.progress[len(out.progress)-1]
	if !last.Finished || last.Done != 6 || last.Total != 6 || last.Bytes != 6*4*2*8 {
		t.Errorf("final progress %+v, want 6/6 chunks and %d bytes", last, 6*4*2*8)
	}
	if tasks := client.Tasks(); len(tasks) != 6 {
		t.Errorf("%d tasks recorded, want 6", len(tasks))
	}
	if _, used, _ := client.ChunkCache().Usage(); used != 0 {
		t.Errorf("compute() left %d bytes in the chunk cache, want none", used)
	}
	for i, want := range []int64{6 * 4 * 2 * 8, 6 * 4 * 2 * 8, 0} {
		out.progress = nil
		compute := numpy.ComputeNode
		if i > 0 {
			compute = numpy.ComputeForPlot
		}
		if _, err := compute(env, red); err != nil {
			t.Fatal(err)
		}
		if last := out.progress[len(out.progress)-1]; last.Bytes != want {
			t.Errorf("compute %d read %d bytes, want %d", i, last.Bytes, want)
		}
	}
	if _, used, _ := client.ChunkCache().Usage(); used != 6*4*2*8 {
		t.Errorf("the plot's compute cached %d bytes, want the %d it read", used, 6*4*2*8)
	}
}

func TestReprs(t *testing.T) {
	dir := writeSmall(t, []int{2, 3, 4, 5})
	env := testEnv()
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	text := ds.MimeBundle()["text/plain"].(string)
	for _, want := range []string{"This VISP Dataset TESTS consists of 6 frames.", "Files are stored in " + dir,
		"polarization state", "raster scan step number", "dispersion axis", "spatial along slit",
		"helioprojective latitude", "em.wl", "Correlation between pixel and world axes", "shape=(2, 3, 4, 5)"} {
		if !strings.Contains(text, want) {
			t.Errorf("Dataset repr lacks %q:\n%s", want, text)
		}
	}
	if _, ok := ds.MimeBundle()["text/html"].(string); !ok {
		t.Error("no HTML repr")
	}
	isLazy := ds.Lazy().MimeBundle()["text/plain"].(string)
	for _, want := range []string{"shape=(2, 3, 4, 5)", "dtype=float64", "chunksize=(1, 1, 4, 5)", "chunks=6", "nbytes=960 B"} {
		if !strings.Contains(isLazy, want) {
			t.Errorf("LazyArray repr %q lacks %q", isLazy, want)
		}
	}
	cl := distributed.NewClient(3, 2, 2<<30).MimeBundle()["text/plain"].(string)
	if !strings.Contains(cl, "threads=6") || !strings.Contains(cl, "2.00 GiB") {
		t.Errorf("Client repr %q", cl)
	}
}

// TestArrayReprLikeNumpy compares small reprs with numpy's own.
func TestArrayReprLikeNumpy(t *testing.T) {
	arrays := []struct {
		vals  []float64
		shape []int
		dt    lazy.DType
		py    string
	}{
		{[]float64{1, 2.5, -3.25, 4}, []int{2, 2}, lazy.Float64, "np.array([1, 2.5, -3.25, 4]).reshape(2, 2)"},
		{[]float64{0.1, 0.2, 0.3}, []int{3}, lazy.Float64, "np.array([0.1, 0.2, 0.3])"},
		{[]float64{1, 2, 3}, []int{3}, lazy.Float64, "np.array([1., 2., 3.])"},
		{[]float64{float64(float32(0.1)), 2}, []int{2}, lazy.Float32, "np.array([0.1, 2], dtype=np.float32)"},
		{[]float64{1, 0, 1}, []int{3}, lazy.Bool, "np.array([True, False, True])"},
		{[]float64{3, 10, 7}, []int{3}, lazy.Int64, "np.array([3, 10, 7])"},
		// Empty arrays always name their dtype; all but 1-D ones name their shape too.
		{nil, []int{0}, lazy.Float64, "np.zeros(0)"},
		{nil, []int{0}, lazy.Float32, "np.zeros(0, dtype=np.float32)"},
		{nil, []int{0}, lazy.Int64, "np.zeros(0, dtype=np.int64)"},
		{nil, []int{0}, lazy.Bool, "np.zeros(0, dtype=bool)"},
		{nil, []int{0, 10, 25}, lazy.Float64, "np.zeros((0, 10, 25))"},
		{nil, []int{3, 0}, lazy.Float32, "np.zeros((3, 0), dtype=np.float32)"},
		{nil, []int{2, 0, 4}, lazy.Int64, "np.zeros((2, 0, 4), dtype=np.int64)"},
	}
	var exprs []string
	for _, a := range arrays {
		exprs = append(exprs, "repr("+a.py+")")
	}
	var want []string
	runPython(t, "import json, numpy as np\nprint(json.dumps(["+strings.Join(exprs, ", ")+"]))", nil, &want)
	for i, a := range arrays {
		got := arrayprint.FormatArray(lazy.NewArray(a.vals, a.shape, a.dt))
		if got != want[i] {
			t.Errorf("repr of %s:\n got %q\nwant %q", a.py, got, want[i])
		}
	}
	big := make([]float64, 5000)
	for i := range big {
		big[i] = float64(i)
	}
	s := arrayprint.FormatArray(&lazy.Array{Values: big, Dims: []int{50, 100}, DT: lazy.Float64})
	if !strings.Contains(s, "...") || len(s) > 600 {
		t.Errorf("large array not summarised: %d chars", len(s))
	}
}
