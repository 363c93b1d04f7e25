package runtime

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"gokist/runtime/distributed"
	"gokist/runtime/numpy"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gokist/obj"
)

// decodePNGBundle decodes the base64 image/png of a bundle and returns its size.
func decodePNGBundle(t *testing.T, bundle map[string]any) (int, int) {
	t.Helper()
	s, ok := bundle["image/png"].(string)
	if !ok {
		t.Fatalf("bundle has no image/png: %v", bundle["text/plain"])
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("image/png is not base64: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("image/png does not decode: %v", err)
	}
	b := img.Bounds()
	return b.Dx(), b.Dy()
}

// TestTaskStreamChart computes a reduction over a 12-file dataset on 2 workers and
// checks the client's task stream: one task per file, the chart a 640x240 PNG, the text
// naming both workers with task counts that add up to the files read.
func TestTaskStreamChart(t *testing.T) {
	const stokes, raster = 2, 6
	dir := writeSmall(t, []int{stokes, raster, 8, 10})
	client := distributed.NewClient(2, 1, 1<<30)
	client.SetCacheLimit(0)
	env := &obj.Env{Out: obj.Discard{}, Services: map[string]any{"client": client}}
	h := &harness{t: t, env: env}

	empty := h.get(client, "task_stream").(*distributed.TaskStream)
	if _, has := empty.MimeBundle()["image/png"]; has {
		t.Errorf("task stream before any compute has a chart")
	}
	if !strings.Contains(client.MimeBundle()["text/html"].(string), "task_stream") {
		t.Errorf("client HTML does not mention the task stream before a compute")
	}

	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	h.compute(h.kw(h.get(ds, "data"), "sum", map[string]any{"axis": obj.Tuple{1, 3}}))
	stream := h.get(client, "task_stream").(*distributed.TaskStream)
	bundle := stream.MimeBundle()
	if w, hgt := decodePNGBundle(t, bundle); w != 640 || hgt != 240 {
		t.Errorf("chart is %dx%d, want 640x240", w, hgt)
	}
	text := bundle["text/plain"].(string)
	total := 0
	for w := range 2 {
		m := regexp.MustCompile(fmt.Sprintf(`worker %d: (\d+) tasks, busy [^(]*\((\d+)%%\)`, w)).FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("summary does not name worker %d:\n%s", w, text)
		}
		n, _ := strconv.Atoi(m[1])
		pct, _ := strconv.Atoi(m[2])
		if pct < 0 || pct > 100 {
			t.Errorf("worker %d busy %d%%", w, pct)
		}
		total += n
	}
	if total != stokes*raster {
		t.Errorf("workers ran %d tasks in all, want one per file (%d):\n%s", total, stokes*raster, text)
	}
	if !strings.Contains(text, fmt.Sprintf("%d tasks on 2 workers", stokes*raster)) {
		t.Errorf("summary header wrong:\n%s", text)
	}

	tasks := h.get(stream, "tasks").(obj.List)
	wall := h.get(stream, "wall_time").(float64)
	if len(tasks) != stokes*raster {
		t.Fatalf("%d task tuples, want %d", len(tasks), stokes*raster)
	}
	for _, tv := range tasks {
		tu := tv.(obj.Tuple)
		w, start, end := tu[0].(int), tu[2].(float64), tu[3].(float64)
		if w < 0 || w > 1 || start < 0 || end < start || end > wall {
			t.Errorf("task %v outside workers 0-1 or times [0, %g]", tu, wall)
		}
	}

	small := h.kw(stream, "plot", map[string]any{"width": 320, "height": 160}).(*distributed.TaskStream)
	if w, hgt := decodePNGBundle(t, small.MimeBundle()); w != 320 || hgt != 160 {
		t.Errorf("plot(width=320, height=160) is %dx%d", w, hgt)
	}
	if !strings.Contains(client.MimeBundle()["text/html"].(string), fmt.Sprintf("%d tasks on 2 workers", stokes*raster)) {
		t.Errorf("client HTML does not summarise the last compute: %s", client.MimeBundle()["text/html"])
	}

	// Arithmetic on the in-memory result leaves the dataset compute's stream in place.
	arr := h.compute(h.kw(h.get(ds, "data"), "sum", map[string]any{"axis": 0})).(*numpy.NDArray)
	h.op(arr, "+", 1)
	if n := len(client.Tasks()); n != stokes*raster {
		t.Errorf("after in-memory arithmetic the stream has %d tasks, want the compute's %d", n, stokes*raster)
	}
}
