package runtime

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gokist/obj"
)

// TestZeroDimensionalDatasetRepr checks the repr of a dataset with every array axis
// indexed away (ds[0, 0, 0, 0]): a short statement that it is a single value, without
// the empty pixel and world tables and the empty correlation block; computed, it shows
// the value numpy reads. A 1-d slice still has its tables.
func TestZeroDimensionalDatasetRepr(t *testing.T) {
	dir := t.TempDir() + "/ds"
	var want map[string]pyResult
	runPython(t, writeDatasetPy, map[string]any{"dir": dir, "dtype": "float64", "compress": false, "shape": []int{2, 3, 4, 5},
		"cases": map[string]string{"point": "d[1, 2, 3, 4]"}}, &want)
	env := testEnv()
	h := &harness{t: t, env: env}
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	point := h.idx(ds, obj.Tuple{1, 2, 3, 4}).(*Dataset)
	computed := h.idx(h.call(ds, "compute"), obj.Tuple{1, 2, 3, 4}).(*Dataset)
	emptyCorrelation := regexp.MustCompile(`(?m)^\s*\|\s*$|^-+\+$`)
	for what, d := range map[string]*Dataset{"ds[1, 2, 3, 4]": point, "ds.compute()[1, 2, 3, 4]": computed} {
		bundle := d.MimeBundle()
		text := bundle["text/plain"].(string)
		for _, bad := range []string{"Array Dim", "World Dim", "Correlation"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s repr has %q:\n%s", what, bad, text)
			}
		}
		if emptyCorrelation.MatchString(text) {
			t.Errorf("%s repr has an empty correlation block:\n%s", what, text)
		}
		if !strings.Contains(text, "single value") || !strings.Contains(text, "consists of 1 frames.") {
			t.Errorf("%s repr does not say it is a single value of one file:\n%s", what, text)
		}
		if html := bundle["text/html"].(string); strings.Contains(html, "<h4>") {
			t.Errorf("%s HTML repr has empty tables:\n%s", what, html)
		}
	}
	// Computed, the value shows as numpy's repr of a 0-d array.
	text := computed.MimeBundle()["text/plain"].(string)
	m := regexp.MustCompile(`array\(([-0-9.e+]+)\)`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("computed 0-d repr shows no value:\n%s", text)
	}
	if v, err := strconv.ParseFloat(m[1], 64); err != nil || math.Abs(v-*want["point"].Values[0]) > 1e-7 {
		t.Errorf("computed 0-d repr shows %s, numpy reads %v", m[1], *want["point"].Values[0])
	}

	line := h.idx(ds, obj.Tuple{1, 2, 3}).(*Dataset).MimeBundle()["text/plain"].(string)
	for _, need := range []string{"1 pixel and", "Array Dim", "World Dim", "Correlation between pixel and world axes"} {
		if !strings.Contains(line, need) {
			t.Errorf("ds[1, 2, 3] repr lacks %q:\n%s", need, line)
		}
	}
}
