package runtime

import (
	"context"
	"testing"

	"gokist/obj"
)

// TestEmptySelectionWarns: a selection that numpy would make empty along an axis (the
// rebinning tutorial's ds[0, 520:720] on a dataset of 3 raster steps) warns once,
// naming the axis, its length and the slice; a selection that keeps data does not.
func TestEmptySelectionWarns(t *testing.T) {
	dir := writeSmall(t, []int{2, 3, 4, 5})
	out := &collect{}
	env := &obj.Env{Ctx: context.Background(), Out: out, Services: map[string]any{}}
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	ip := func(v int) *int { return &v }
	sel, err := ds.GetItem(env, obj.Tuple{0, obj.Slice{Start: ip(520), Stop: ip(720)}, obj.Ellipsis, obj.Slice{Start: ip(1), Stop: ip(3)}})
	if err != nil {
		t.Fatal(err)
	}
	if got := sel.(*Dataset).Shape(); len(got) != 3 || got[0] != 0 || got[2] != 2 {
		t.Fatalf("shape %v, want numpy's (0, 4, 2)", got)
	}
	want := "warning: this selection is empty along axis 1 (raster scan step number) of length 3: the slice 520:720 selects nothing; sums of it are 0 and plots of it are empty\n"
	if out.stderr.String() != want {
		t.Errorf("stderr %q\nwant   %q", out.stderr.String(), want)
	}
	out.stderr.Reset()
	if _, err := ds.GetItem(env, obj.Tuple{0, obj.Slice{Start: ip(1), Stop: ip(720)}}); err != nil || out.stderr.Len() != 0 {
		t.Errorf("a selection with data warned %q (%v)", out.stderr.String(), err)
	}
}
