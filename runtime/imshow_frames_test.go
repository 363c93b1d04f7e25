package runtime

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gokist/obj"
	"gokist/runtime/plot"
)

// TestImshowLazyComputesOnlyShownFrames draws plt.imshow(ds.data), plt.imshow(ds) and
// ds.plot() of a 4-D lazy dataset (stokes, raster, wave, slit) whose files after raster
// position 0 are truncated after loading: the image (stokes 0, raster 0) and the slider's
// frames (each stokes at raster 0) read only raster 0's files, so nothing fails, and the
// frames hold numpy's d[i, 0].
func TestImshowLazyComputesOnlyShownFrames(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ds")
	var want map[string]pyResult
	runPython(t, writeDatasetPy, map[string]any{"dir": dir, "dtype": "float32", "compress": false, "shape": []int{2, 30, 4, 5},
		"cases": map[string]string{"f0": "d[0, 0]", "f1": "d[1, 0]"}}, &want)
	env, p, out := plotEnv()
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	for r := 1; r < 30; r++ {
		for _, s := range "IQ" {
			name := filepath.Join(dir, "VISP_"+pad3(r)+"_"+string(s)+"_L1.fits")
			orig, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, orig[:3000], 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The truncation is real: computing the whole array fails.
	if _, err := ds.Lazy().Compute(env); err == nil || !strings.Contains(err.Error(), "VISP_") {
		t.Fatalf("compute of the truncated dataset: %v, want a FITSError naming a file", err)
	}
	for _, c := range []struct {
		what string
		draw func() error
	}{
		{"plt.imshow(ds.data)", func() error { return plot.ImshowArgs(p.GCA(), env, obj.Args{Pos: []any{ds.Lazy()}}) }},
		{"plt.imshow(ds)", func() error { return plot.ImshowArgs(p.GCA(), env, obj.Args{Pos: []any{ds}}) }},
		{"ds.plot()", func() error { _, err := plotCall(env, DatasetPlotMember, ds, nil); return err }},
	} {
		out.bundles = nil
		if err := c.draw(); err != nil {
			t.Errorf("%s: %v", c.what, err)
			continue
		}
		if err := p.FlushCell(out); err != nil {
			t.Errorf("%s: rendering: %v", c.what, err)
			continue
		}
		html, _ := out.bundles[0]["text/html"].(string)
		if n := strings.Count(html, `class="gokist-frame"`); n != 2 {
			t.Errorf("%s: slider over 2 stokes has %d frames", c.what, n)
		}
	}
	var frames [2][]float64
	for i := range frames {
		if frames[i], err = ds.Lazy().Frame(env, i); err != nil {
			t.Fatal(err)
		}
	}
	for i, name := range []string{"f0", "f1"} {
		w := want[name]
		if len(frames[i]) != len(w.Values) {
			t.Fatalf("frame %d has %d values, numpy %v", i, len(frames[i]), w.Shape)
		}
		for k, v := range w.Values {
			if math.Abs(frames[i][k]-*v) > 1e-6 {
				t.Fatalf("frame %d value %d = %v, numpy %v", i, k, frames[i][k], *v)
			}
		}
	}
	var _ plot.FrameData = ds.Lazy()
}

func pad3(i int) string {
	s := "00" + itoa(i)
	return s[len(s)-3:]
}
