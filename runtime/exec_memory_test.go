package runtime

import (
	"context"
	"errors"
	"gokist/runtime/distributed"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"path/filepath"
	"strings"
	"testing"

	"gokist/obj"
)

// A compute whose result cannot fit the client's memory limit is a MemoryError naming the
// shape, the bytes and the limit, raised before anything is allocated or read: Go cannot
// recover from a failed allocation, so the kernel would otherwise die. Results that fit
// still compute, in the same session.
func TestComputeLargerThanTheLimitIsAMemoryError(t *testing.T) {
	dir := t.TempDir()
	// The croppable VISP index describes 4 x 688 x 976 x 2555 float64 values (51 GiB),
	// with no files present: what is computed is NaN, and sized like the real thing.
	copyFile(t, "../../shared/data/dkist-headers/croppable_visp.asdf.gz", filepath.Join(dir, "croppable_visp.asdf.gz"))
	env := &obj.Env{Ctx: context.Background(), Out: obj.Discard{}, Services: map[string]any{}}
	env.Services["client"] = distributed.NewClient(2, 1, 1<<30)
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	stokesI := index(t, env, ds, 0).(*Dataset)
	for _, tc := range []struct {
		name  string
		run   func() error
		shape string
	}{
		{"ds[0].data.compute()", func() error { _, err := numpy.ComputeNode(env, stokesI.Node); return err }, "(688, 976, 2555)"},
		{"ds[0].compute()", func() error { _, err := stokesI.Compute(numpy.RunIn(env)); return err }, "(688, 976, 2555)"},
		// A reduction's accumulators are counted too: 976 x 2555 x 40 bytes is 95 MiB,
		// fine, but keeping two big axes of the whole dataset is not.
		{"ds.data.sum(axis=0)", func() error {
			_, err := numpy.ComputeNode(env, &lazy.ReduceNode{Op: lazy.Sum, In: ds.Node, Axes: []int{0}})
			return err
		}, "(688, 976, 2555)"},
	} {
		err := tc.run()
		var e *obj.Error
		if !errors.As(err, &e) || e.Class != "MemoryError" {
			t.Errorf("%s: %v, want a MemoryError", tc.name, err)
			continue
		}
		for _, part := range []string{tc.shape, "float64", "more than the", "1.00 GiB"} {
			if !strings.Contains(e.Msg, part) {
				t.Errorf("%s: %q does not name %q", tc.name, e.Msg, part)
			}
		}
		if !strings.Contains(e.Hint, "memory_limit") {
			t.Errorf("%s: hint %q does not say how to raise the limit", tc.name, e.Hint)
		}
	}
	small := index(t, env, stokesI, obj.Tuple{obj.Slice{Stop: intp(2)}, 0, obj.Slice{Stop: intp(10)}}).(*Dataset)
	a, err := numpy.ComputeNode(env, small.Node)
	if err != nil || len(a.Shape()) != 2 || a.Shape()[0] != 2 || a.Shape()[1] != 10 {
		t.Fatalf("a small slice after the refusals: %v, %v", (*numpy.NDArray)(a), err)
	}
}
