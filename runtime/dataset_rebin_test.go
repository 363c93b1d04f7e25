package runtime

import (
	"errors"
	"gokist/runtime/lazy"
	"strconv"
	"strings"
	"testing"

	"gokist/obj"
)

// parseCropIndex reads an index expression of the form "[:, :78, :]" (what the rebin
// hint suggests) into the key a cell would pass.
func parseCropIndex(t *testing.T, s string) obj.Tuple {
	t.Helper()
	if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") {
		t.Fatalf("%q is not an index expression", s)
	}
	var key obj.Tuple
	for _, part := range strings.Split(s[1:len(s)-1], ",") {
		part = strings.TrimSpace(part)
		stop, ok := strings.CutPrefix(part, ":")
		if !ok {
			t.Fatalf("entry %q of %q is not a slice", part, s)
		}
		if stop == "" {
			key = append(key, obj.Slice{})
			continue
		}
		n, err := strconv.Atoi(stop)
		if err != nil {
			t.Fatalf("entry %q of %q: %v", part, s, err)
		}
		key = append(key, obj.Slice{Stop: ip(n)})
	}
	return key
}

// TestRebinHintCropsTheReceiver checks that the hint of a bin shape that does not divide
// the data names an index with one entry per axis of the dataset rebinned (not of the
// loaded dataset), and that indexing that dataset with it, typed literally, crops each
// offending axis to the largest multiple of its factor so the same rebin then works.
func TestRebinHintCropsTheReceiver(t *testing.T) {
	dir := writeSmall(t, []int{2, 8, 6, 7})
	env := testEnv()
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	at := func(d *Dataset, key any) *Dataset { return datasetAt(t, env, d, key) }
	all := obj.Slice{}
	cases := []struct {
		what string
		d    *Dataset
		bins []int
	}{
		{"ds", ds, []int{1, 3, 1, 1}},
		{"ds[0]", at(ds, 0), []int{3, 1, 1}}, // the QA case: raster axis is axis 0 here
		{"ds[0]", at(ds, 0), []int{1, 4, 2}}, // two axes to crop
		{"ds[:, :, 1]", at(ds, obj.Tuple{all, all, 1}), []int{1, 5, 3}},
		{"ds[1, 2]", at(ds, obj.Tuple{1, 2}), []int{4, -1}},
	}
	for _, c := range cases {
		shape := c.d.Shape()
		key := make(obj.Tuple, len(c.bins))
		want := make([]int, len(shape)) // the cropped shape: the largest multiple of each bin
		for i, f := range c.bins {
			key[i] = f
			if f == -1 {
				f = shape[i]
			}
			want[i] = shape[i] / f * f
		}
		_, err := c.d.Rebin(key, nil)
		var e *obj.Error
		if !errors.As(err, &e) || e.Class != obj.ValueError {
			t.Fatalf("%s.rebin(%v): err = %v, want a ValueError", c.what, c.bins, err)
		}
		if strings.Contains(e.Hint, "ds[") || !strings.Contains(e.Hint, "of this dataset") {
			t.Errorf("%s.rebin(%v): hint %q names a variable instead of 'this dataset'", c.what, c.bins, e.Hint)
		}
		start := strings.Index(e.Hint, "[")
		end := strings.Index(e.Hint, "]")
		if start < 0 || end < start {
			t.Fatalf("%s.rebin(%v): hint %q has no index expression", c.what, c.bins, e.Hint)
		}
		t.Logf("%s.rebin(%v): %s\n  hint: %s", c.what, c.bins, e.Msg, e.Hint)
		crop := parseCropIndex(t, e.Hint[start:end+1])
		if len(crop) != len(shape) {
			t.Errorf("%s.rebin(%v): hint index %s has %d entries for a %d-d dataset", c.what, c.bins, e.Hint[start:end+1], len(crop), len(shape))
			continue
		}
		cropped := at(c.d, crop)
		if !lazy.SameShape(cropped.Shape(), want) {
			t.Errorf("%s%s has shape %v, want %v", c.what, e.Hint[start:end+1], cropped.Shape(), want)
		}
		if _, err := cropped.Rebin(key, nil); err != nil {
			t.Errorf("%s%s.rebin(%v) after the hint's crop: %v", c.what, e.Hint[start:end+1], c.bins, err)
		}
	}
}
