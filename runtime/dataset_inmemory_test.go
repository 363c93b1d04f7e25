package runtime

import (
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"math"
	"strings"
	"testing"

	"gokist/obj"
)

// TestInMemoryDatasetStaysInMemory checks that slicing or rebinning a computed dataset
// gives in-memory data (as slicing an ndcube over a numpy array gives numpy data), with
// numpy's values, and that a reduction of it is a number, not a graph; and that the
// repr describes the in-memory array rather than a LazyArray.
func TestInMemoryDatasetStaysInMemory(t *testing.T) {
	dir := t.TempDir() + "/ds"
	var want map[string]pyResult
	runPython(t, writeDatasetPy, map[string]any{"dir": dir, "dtype": "float32", "compress": false, "shape": []int{2, 6, 4, 5},
		"cases": map[string]string{
			"c[0]":                   "d[0, :3, :4, :5][0]",
			"c[0, 1].sum()":          "d[0, :3, :4, :5][0, 1].sum()",
			"c.rebin((1, 2, 5))":     "d[0, :3, :4, :5].reshape(3, 2, 2, 1, 5).mean(axis=(2, 4))",
			"c[::-1].rebin((3,1,1))": "d[0, :3, :4, :5][::-1].reshape(1, 3, 4, 5).mean(axis=1)",
		}}, &want)
	env := testEnv()
	h := &harness{t: t, env: env}
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	isLazy := h.idx(ds, obj.Tuple{0, obj.Slice{Stop: ip(3)}, obj.Slice{Stop: ip(4)}, obj.Slice{Stop: ip(5)}}).(*Dataset)
	c := h.call(isLazy, "compute").(*Dataset)

	checkArray := func(what string, v any, w pyResult) {
		t.Helper()
		a, ok := v.(*numpy.NDArray)
		if !ok {
			t.Errorf("%s.data is %s, want an in-memory Array", what, obj.TypeName(v))
			return
		}
		if !lazy.SameShape(a.Dims, w.Shape) || a.Array().Size() != len(w.Values) {
			t.Fatalf("%s: shape %v, numpy %v", what, a.Dims, w.Shape)
		}
		for i, x := range w.Values {
			if math.Abs(a.Array().At(i)-*x) > 1e-6 {
				t.Errorf("%s[%d] = %v, numpy %v", what, i, a.Array().At(i), *x)
			}
		}
	}
	checkArray("c[0]", h.get(h.idx(c, 0), "data"), want["c[0]"])
	checkArray("c.rebin((1, 2, 5))", h.get(h.call(c, "rebin", obj.Tuple{1, 2, 5}), "data"), want["c.rebin((1, 2, 5))"])
	reversed := h.idx(c, obj.Slice{Step: ip(-1)})
	checkArray("c[::-1].rebin((3, 1, 1))", h.get(h.call(reversed, "rebin", obj.Tuple{3, 1, 1}), "data"), want["c[::-1].rebin((3,1,1))"])

	sum := h.call(h.get(h.idx(c, obj.Tuple{0, 1}), "data"), "sum")
	var got float64
	switch x := sum.(type) {
	case float64:
		got = x
	case float32:
		got = float64(x)
	default:
		if f, ok := sum.(interface{ Float64() float64 }); ok {
			got = f.Float64()
		} else {
			t.Fatalf("c[0, 1].data.sum() = %s %v, want a number", obj.TypeName(sum), sum)
		}
	}
	if w := *want["c[0, 1].sum()"].Values[0]; math.Abs(got-w) > 1e-5 {
		t.Errorf("c[0, 1].data.sum() = %v, numpy %v", got, w)
	}

	for what, d := range map[string]*Dataset{"c": c, "c[0]": h.idx(c, 0).(*Dataset)} {
		text := d.MimeBundle()["text/plain"].(string)
		_, rest, _ := strings.Cut(text, "The data are represented by a gokist Array (in memory):\n")
		line, _, _ := strings.Cut(rest, "\n")
		shape := lazy.ShapeString(d.Shape())
		if strings.Contains(text, "LazyArray") || !strings.HasPrefix(line, "Array<shape="+shape+", dtype=float32") {
			t.Errorf("%s repr describes its data as %q, want the in-memory Array of shape %s:\n%s", what, line, shape, text)
		}
		if html := d.MimeBundle()["text/html"].(string); strings.Contains(html, "chunks") {
			t.Errorf("%s HTML repr describes chunks of in-memory data:\n%s", what, html)
		}
	}
	// The lazy dataset's slices stay lazy.
	if _, ok := h.get(h.idx(isLazy, 0), "data").(*numpy.LazyArray); !ok {
		t.Error("a slice of a lazy dataset is not lazy")
	}
}
