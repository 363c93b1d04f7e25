package lang

import (
	"context"
	"testing"

	"gokist/internal/pyref"
)

// TestNumpyCellsMatchPython runs the numpy lines of solar-physics notebooks (issue 16)
// as cells and in CPython with numpy 1.24: the reprs (and errors) must be the same.
func TestNumpyCellsMatchPython(t *testing.T) {
	setup := "import numpy as np\nx = np.array([[0.1, 0.5, np.nan], [0.25, 0.9, 0.3]], dtype=np.float32)\ny = np.arange(12.0).reshape(3, 4)"
	cells := []string{
		"np.nanmean(x)", "x.T", "x[x < 0.3]", "x.sum(axis=0, keepdims=True)", "x[:, np.newaxis].shape", "x[None, ..., None].shape",
		"np.sqrt(x)", "np.where(x > 0.3, x, 0)", "np.clip(x, 0.2, 0.5)", "np.nan_to_num(x)", "np.isfinite(x).all(axis=1)",
		"np.arange(6).reshape(2, 3)", "np.linspace(0, 1, 5)", "np.pi", "np.e", "np.nan", "np.inf", "np.finfo(np.float32).eps", "np.finfo(np.float64)",
		"np.histogram(x[~np.isnan(x)], bins=3)", "x[[1, 0]]", "np.unravel_index(np.nanargmax(x), x.shape)",
		"np.median(x[0, :2])", "np.percentile(np.arange(10), [25, 75])", "np.cumsum(np.arange(5))", "np.stack([x[0], x[1]]).shape",
		"np.meshgrid(np.arange(2), np.arange(3))[0]", "np.nanstd(y, axis=(0, 1))", "y.mean(axis=1, keepdims=True)", "np.argmax(y, axis=0)",
		"np.float32(1.1)", "np.float32(0.1) + np.float32(0.2)", "y.astype(np.float32).dtype", "np.zeros((2, 2), dtype=np.int64)",
		"np.moveaxis(y[None], 0, -1).shape", "np.expand_dims(y, 0).shape", "np.squeeze(y[None, :, None]).shape", "y.ravel()[:5]",
		"np.concatenate([y, y], axis=1).shape", "np.degrees(np.pi / 4)", "np.arctan2(1.0, -1.0)", "np.hypot(3, 4)", "np.sign(-2.5)",
		"np.round(np.array([0.5, 1.5, 2.675]), 2)", "np.count_nonzero(x > 0.2)", "np.any(np.isnan(x))", "np.nansum(x, axis=1)",
		"np.ones((2, 3)) + np.ones(4)", "np.reshape(y, (5, -1))", "np.sum(y, axis=2)", "np.array([[1, 2], [3]])", "y[[0, 5]]",
		"x[np.array([True, False, True])]", "np.log(-1.0)", "np.arange(3) ** np.array([1, -1, 2])", "np.nanmaen(x)", "np.nansum(x, dtype=np.float64)", "y.mean(axis=0, dtype=np.float32)", "np.std(y, ddof=1, dtype=np.float64)", "np.where(x > 0.3)[0] if False else 1",
	}
	codes := make([]string, len(cells))
	for i, c := range cells {
		codes[i] = "import warnings\nwarnings.simplefilter('ignore')\n" + c
	}
	want := pyref.Batch(t, setup, codes)
	s := NewSession()
	if _, err := s.Execute(context.Background(), setup, nil); err != nil {
		t.Fatal(err)
	}
	// numpy's own error classes are caught as their Python bases.
	for _, c := range []string{"try:\n    np.sum(y, axis=5)\nexcept ValueError:\n    r = 1\nr", "try:\n    np.sign(x > 0)\nexcept TypeError:\n    r = 2\nr"} {
		if res, err := s.Execute(context.Background(), c, nil); err != nil || res["text/plain"] != "1" && res["text/plain"] != "2" {
			t.Errorf("%q: %v %v", c, res, err)
		}
	}
	checkCellsAgainstPython(t, s, cells, want, nil)
}
