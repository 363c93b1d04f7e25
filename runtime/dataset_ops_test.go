package runtime

import (
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"gokist/obj"
)

// TestDatasetArithmeticAndSqueeze: arithmetic on a dataset gives numpy's values with the
// dataset's shape, axes and coordinates; an operand that would change the shape is a
// ValueError; squeeze drops the length-1 axes as ds[0] would; len(ds.files) counts files.
func TestDatasetArithmeticAndSqueeze(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ds")
	var want map[string]pyResult
	runPython(t, writeDatasetPy, map[string]any{"dir": dir, "dtype": "float64", "compress": false, "shape": []int{2, 3, 4, 5},
		"cases": map[string]string{
			"affine": "((d[0] * 2.5 - 1) / 4).sum()",
			"rev":    "(10 - d).sum()",
			"neg":    "(-d[1, 2]).sum()",
			"power":  "(d ** 2).sum()",
		}}, &want)
	env := testEnv()
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	at := func(d any, key any) *Dataset {
		v, err := d.(*Dataset).GetItem(env, key)
		if err != nil {
			t.Fatal(err)
		}
		return v.(*Dataset)
	}
	op := func(d any, o string, other any, reflected bool) *Dataset {
		v, handled, err := d.(*Dataset).BinaryOp(env, o, other, reflected)
		if err != nil || !handled {
			t.Fatalf("%s: %v (handled %v)", o, err, handled)
		}
		return v.(*Dataset)
	}
	sum := func(d *Dataset) float64 {
		return callMember(t, env, callMember(t, env, d.Data(), "sum", obj.Args{}), "compute", obj.Args{}).(float64)
	}
	neg, err := at(ds, obj.Tuple{1, 2}).UnaryOp(env, "-")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*Dataset{
		"affine": op(op(op(at(ds, 0), "*", 2.5, false), "-", 1, false), "/", 4, false),
		"rev":    op(ds, "-", 10, true),
		"neg":    neg.(*Dataset),
		"power":  op(ds, "**", 2, false),
	}
	for k, d := range got {
		w := *want[k].Values[0]
		if s := sum(d); math.Abs(s-w) > 1e-12*math.Abs(w) {
			t.Errorf("%s: sum %.17g, numpy %.17g", k, s, w)
		}
	}
	scaled := got["affine"]
	if !slices.Equal(scaled.Shape(), []int{3, 4, 5}) || !slices.Equal(scaled.PixelNames(), at(ds, 0).PixelNames()) || scaled.WorldCoords == nil {
		t.Errorf("ds[0] * 2.5 ...: shape %v, names %v, WCS %v", scaled.Shape(), scaled.PixelNames(), scaled.WorldCoords != nil)
	}
	_, _, err = ds.BinaryOp(env, "*", (*numpy.NDArray)(lazy.NewArray(make([]float64, 2), []int{2, 1, 1, 1, 1}, lazy.Float64)), false)
	wantErr(t, "a shape-changing operand", err, obj.ValueError, "keeps its shape (2, 3, 4, 5)", "(2, 2, 3, 4, 5)")
	if _, _, err := ds.BinaryOp(env, "+", ds, false); err == nil {
		t.Error("Dataset + Dataset gave no error")
	}
	sq, err := at(ds, obj.Tuple{obj.Slice{}, obj.Slice{Stop: ip(1)}}).Squeeze(env)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sq.Shape(), []int{2, 4, 5}) || !slices.Equal(sq.PixelNames(), []string{"polarization state", "dispersion axis", "spatial along slit"}) {
		t.Errorf("ds[:, :1].squeeze(): shape %v, names %v", sq.Shape(), sq.PixelNames())
	}
	if n := len(callMember(t, env, ds, "files", obj.Args{}).(obj.Sequence).Items()); n != 6 {
		t.Errorf("len(ds.files) = %d, want 6", n)
	}
}

// TestLoadDatasetList: dkist.load_dataset of a list loads each item (a list of datasets;
// one item gives the dataset itself), of an ASDF file the dataset it indexes; a list
// item that is not a string is a TypeError naming it.
func TestLoadDatasetList(t *testing.T) {
	dir := writeSmall(t, []int{2, 3, 4, 5})
	env := testEnv()
	load := loadDatasetFunc("load_dataset")
	two, err := load.Call(env, obj.Args{Pos: []any{obj.List{dir, dir}}})
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := two.(obj.List); !ok || len(l) != 2 || !slices.Equal(l[1].(*Dataset).Shape(), []int{2, 3, 4, 5}) {
		t.Errorf("load_dataset([dir, dir]) = %v", two)
	}
	one, err := load.Call(env, obj.Args{Pos: []any{obj.Tuple{dir}}})
	if _, ok := one.(*Dataset); err != nil || !ok {
		t.Errorf("load_dataset((dir,)) = %T (%v), want the dataset", one, err)
	}
	_, err = load.Call(env, obj.Args{Pos: []any{obj.List{dir, 3}}})
	wantErr(t, "a number in the list", err, obj.TypeError, "item 1", "int")
}
