package runtime

import (
	"strconv"
	"strings"
	"testing"

	"gokist/obj"
	"gokist/runtime/numpy"
)

// TestReprFramesOfViews checks that the repr counts the files a view covers, as dkist does
// after slicing: the dataset has a 2 (stokes) × 3 (raster) grid of files.
func TestReprFramesOfViews(t *testing.T) {
	dir := writeSmall(t, []int{2, 3, 4, 5})
	env := testEnv()
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	index := func(d *Dataset, key any) *Dataset { return datasetAt(t, env, d, key) }
	rebin := func(d *Dataset, bins ...any) *Dataset { return rebinned(t, d, "sum", bins...) }
	all := obj.Slice{}
	computedCore, err := index(ds, 0).Compute(numpy.RunIn(env))
	computed := datasetFace(computedCore)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		what   string
		d      *Dataset
		frames int
	}{
		{"ds", ds, 6},
		{"ds[0]", index(ds, 0), 3}, // one stokes: its 3 raster files
		{"ds[0, 1]", index(ds, obj.Tuple{0, 1}), 1},
		{"ds[:, ::2]", index(ds, obj.Tuple{all, obj.Slice{Step: ip(2)}}), 4}, // rasters 0 and 2
		{"ds[:, :, 0]", index(ds, obj.Tuple{all, all, 0}), 6},                // in-file axis: every file
		{"ds[:, -1:]", index(ds, obj.Tuple{all, obj.Slice{Start: ip(-1)}}), 2},
		{"ds.rebin((1, 3, 1, 1))", rebin(ds, 1, 3, 1, 1), 6},
		{"ds.rebin((1, 3, 1, 1))[0]", index(rebin(ds, 1, 3, 1, 1), 0), 3},
		{"ds.rebin((2, 1, 2, 5))[:, 1]", index(rebin(ds, 2, 1, 2, 5), obj.Tuple{all, 1}), 2}, // both stokes of raster 1
		{"ds[0].compute()", computed, 3},
	}
	for _, c := range cases {
		text := c.d.MimeBundle()["text/plain"].(string)
		want := "consists of " + itoa(c.frames) + " frames."
		if !strings.Contains(text, want) {
			t.Errorf("%s: repr lacks %q:\n%s", c.what, want, strings.SplitN(text, "\n", 2)[0])
		}
	}
}

// TestReprCorrelationHTMLTable checks the HTML repr draws the correlation matrix as a
// table (which never wraps) with one row per world axis and an x where the text repr has
// one.
func TestReprCorrelationHTMLTable(t *testing.T) {
	dir := writeSmall(t, []int{2, 3, 4, 5})
	ds, err := LoadDatasetEnv(testEnv(), dir)
	if err != nil {
		t.Fatal(err)
	}
	h := ds.MimeBundle()["text/html"].(string)
	if strings.Contains(h, "<pre>") {
		t.Errorf("HTML repr still has preformatted text (wraps in the notebook):\n%s", h)
	}
	_, table, ok := strings.Cut(h, "Correlation between pixel and world axes</h4><table>")
	if !ok {
		t.Fatalf("no correlation table in\n%s", h)
	}
	table, _, _ = strings.Cut(table, "</table>")
	rows := strings.Split(strings.TrimSuffix(strings.TrimPrefix(table, "<tr>"), "</tr>"), "</tr><tr>")
	text := ds.correlationText()
	textRows := strings.Split(strings.TrimSpace(text), "\n")[4:] // title, blank, header, rule
	if len(rows)-1 != ds.WorldCoords.WorldNDim() || len(textRows) != len(rows)-1 {
		t.Fatalf("%d table rows, %d world axes, %d text rows", len(rows)-1, ds.WorldCoords.WorldNDim(), len(textRows))
	}
	for i, r := range rows[1:] {
		if got, want := strings.Count(r, "<td>x</td>"), strings.Count(textRows[i], " x "); got != want {
			t.Errorf("world row %d: %d marks in HTML, %d in text (%q vs %q)", i, got, want, r, textRows[i])
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
