package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	atime "gokist/runtime/astropy/time"
	aunits "gokist/runtime/astropy/units"
	"gokist/runtime/numpy"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
	"gokist/runtime/sample"
)

// ndcubeAxisCoordsPy runs ndcube 2.0.3's axis_world_coords (through dkist 1.0.1) on a
// sample for several axes arguments and prints each object's type, shape and values.
const ndcubeAxisCoordsPy = `
import json, sys, warnings
warnings.simplefilter("ignore")
import numpy as np
import dkist
cfg = json.load(sys.stdin)
ds = dkist.load_dataset(cfg["dir"])
def desc(x):
    name = type(x).__name__
    if name == "SkyCoord":
        return {"type": name, "shape": list(x.shape), "a": x.Tx.to_value("arcsec").ravel().tolist(),
                "b": x.Ty.to_value("arcsec").ravel().tolist(), "obstime": x.obstime.isot}
    if name == "Time":
        return {"type": name, "shape": list(x.shape), "s": [str(v) for v in x.isot.ravel()]}
    if name == "ndarray":
        return {"type": name, "shape": list(x.shape), "s": [str(v) for v in x.ravel()]}
    return {"type": name, "shape": list(np.shape(x)), "unit": str(x.unit), "a": np.asarray(x.value, dtype=float).ravel().tolist()}
out = {"cases": []}
for c in cfg["cases"]:
    cube = ds[0] if c["first"] else ds
    out["cases"].append([desc(x) for x in cube.axis_world_coords(*c["axes"], pixel_corners=c["corners"])])
v = ds.axis_world_coords_values()
out["values"] = {"fields": list(v._fields), "items": [desc(getattr(v, k)) for k in v._fields]}
json.dump(out, sys.stdout)
`

type ndcubeCoord struct {
	Type    string    `json:"type"`
	Shape   []int     `json:"shape"`
	Unit    string    `json:"unit"`
	A       []float64 `json:"a"`
	B       []float64 `json:"b"`
	S       []string  `json:"s"`
	Obstime string    `json:"obstime"`
}

type axisCoordsCase struct {
	Axes    []any `json:"axes"`
	Corners bool  `json:"corners"`
	First   bool  `json:"first"`
}

// TestAxisWorldCoordsAsNdcube: ds.axis_world_coords (all axes, by array axis, by
// physical type, pixel corners of a slice) gives ndcube 2.0.3's objects in its order,
// shapes and values: the celestial pair through obj.MakeSkyCoord (a recording stand-in
// for the coordinates package here) and, with no coordinates package linked in, as a
// (Tx, Ty) tuple of Quantities; wavelength a Quantity (ndcube's SpectralCoord), time a
// Time, Stokes their symbols. axis_world_coords_values is ndcube's CoordValues.
func TestAxisWorldCoordsAsNdcube(t *testing.T) {
	pyref.Require(t, "astropy", "gwcs", "asdf", "ndcube", "sunpy")
	dir := filepath.Join(t.TempDir(), "visp")
	if _, err := sample.Generate(context.Background(), sample.Options{Dir: dir, Shape: [4]int{2, 4, 16, 20}, Seed: 3, Plain: true}); err != nil {
		t.Fatal(err)
	}
	cases := []axisCoordsCase{{Axes: []any{}}, {Axes: []any{0}}, {Axes: []any{"em.wl"}}, {Axes: []any{1}}, {Axes: []any{"time"}},
		{Axes: []any{}, Corners: true, First: true}}
	in, _ := json.Marshal(map[string]any{"dir": dir, "cases": cases})
	out := pyref.Config{PythonPath: []string{pyref.Dkist(t)}}.RunInput(t, in, ndcubeAxisCoordsPy)
	var py struct {
		Cases  [][]ndcubeCoord `json:"cases"`
		Values struct {
			Fields []string      `json:"fields"`
			Items  []ndcubeCoord `json:"items"`
		} `json:"values"`
	}
	if err := json.Unmarshal(out, &py); err != nil {
		t.Fatalf("ndcube's answer (%v): %s", err, out)
	}
	env := testEnv()
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	var made []obj.Helioprojective
	linkedMaker := obj.RegisteredSkyCoord() // the coordinates package's, when a test file links it in
	t.Cleanup(func() { obj.RegisterSkyCoord(linkedMaker) })
	for _, linked := range []bool{false, true} {
		obj.RegisterSkyCoord(nil)
		if linked {
			obj.RegisterSkyCoord(func(_ *obj.Env, h obj.Helioprojective) (any, error) { made = append(made, h); return h, nil })
		}
		for n, c := range cases {
			var cube any = ds
			if c.First {
				if cube, err = ds.GetItem(env, 0); err != nil {
					t.Fatal(err)
				}
			}
			got, err := callMemberErr(env, cube, "axis_world_coords", obj.Args{Pos: c.Axes, Kw: map[string]any{"pixel_corners": c.Corners}})
			if err != nil {
				t.Fatalf("case %+v: %v", c, err)
			}
			tuple := got.(obj.Tuple)
			if len(tuple) != len(py.Cases[n]) {
				t.Fatalf("case %+v: gokist %d objects, ndcube %d", c, len(tuple), len(py.Cases[n]))
			}
			for k, ref := range py.Cases[n] {
				checkCoordObject(t, env, fmt.Sprintf("case %+v object %d", c, k), tuple[k], ref, linked)
			}
		}
	}
	if len(made) == 0 {
		t.Error("obj.MakeSkyCoord was never called with a registered maker")
	}
	checkCoordValues(t, env, ds, py.Values.Fields, py.Values.Items)
	_, err = callMemberErr(env, ds, "axis_world_coords", obj.Args{Pos: []any{"nope"}})
	wantErr(t, "axis_world_coords('nope')", err, "ValueError", "'nope' is not one of this dataset's world axis physical types", "em.wl")
	_, err = callMemberErr(env, ds, "axis_world_coords", obj.Args{Pos: []any{4}})
	wantErr(t, "axis_world_coords(4)", err, "IndexError", "array axis 4 is out of range for 4 axes")
}

// checkCoordObject compares one gokist object with ndcube's description of it.
func checkCoordObject(t *testing.T, env *obj.Env, what string, got any, ref ndcubeCoord, linked bool) {
	t.Helper()
	switch ref.Type {
	case "SkyCoord":
		var tx, ty []float64
		var shape []int
		if linked {
			h, ok := got.(obj.Helioprojective)
			if !ok || h.Obstime != ref.Obstime || h.Rsun != 695700e3 {
				t.Errorf("%s: %T %+v, want a SkyCoord with obstime %s", what, got, got, ref.Obstime)
				return
			}
			tx, ty, shape = h.Tx, h.Ty, h.Shape
		} else {
			pair, ok := got.(obj.Tuple)
			if !ok || len(pair) != 2 {
				t.Errorf("%s: %T, want a (Tx, Ty) tuple without a coordinates package", what, got)
				return
			}
			var txShape []int
			tx, txShape = quantityValues(t, pair[0], "arcsec")
			ty, shape = quantityValues(t, pair[1], "arcsec")
			if !slices.Equal(txShape, shape) {
				t.Errorf("%s: Tx shape %v, Ty shape %v", what, txShape, shape)
			}
		}
		if !slices.Equal(shape, ref.Shape) || !closeAll(tx, ref.A, 1e-7) || !closeAll(ty, ref.B, 1e-7) {
			t.Errorf("%s: shape %v Tx %v Ty %v; ndcube %v %v %v", what, shape, tx, ty, ref.Shape, ref.A, ref.B)
		}
	case "SpectralCoord", "Quantity":
		vals, shape := quantityValues(t, got, ref.Unit)
		if !slices.Equal(shape, ref.Shape) || !closeAll(vals, ref.A, 1e-9) {
			t.Errorf("%s: %v %v, ndcube %s %v %v", what, shape, vals, ref.Type, ref.Shape, ref.A)
		}
	case "Time":
		tm, ok := got.(*atime.Time)
		isot, _ := callMember(t, env, got, "isot", obj.Args{}).(*numpy.StrArray)
		if !ok || isot == nil || !slices.Equal(tm.Shape, ref.Shape) || !slices.Equal(isot.Data, ref.S) {
			t.Errorf("%s: %T isot %s, ndcube %v", what, got, isot, ref.S)
		}
	case "ndarray": // Stokes: gwcs 0.18 reads the codes 0-based (I = 1 comes out Q)
		sa, ok := got.(*numpy.StrArray)
		wrong := map[string]string{"Q": "I", "U": "Q", "V": "U"}
		var want []string
		for _, s := range ref.S {
			want = append(want, wrong[s])
		}
		if !ok || fmt.Sprint(sa.Data) != fmt.Sprint(want) {
			t.Errorf("%s: %T %v, ndcube %v (one code off, gwcs 0.18), want %v", what, got, got, ref.S, want)
		}
	default:
		t.Errorf("%s: ndcube gave a %s", what, ref.Type)
	}
}

// checkCoordValues: axis_world_coords_values is ndcube's CoordValues: the same fields in
// its order, Quantities of the same shapes and values (time in seconds from the
// reference; longitudes as gokist's pixel_to_world_values wraps them).
func checkCoordValues(t *testing.T, env *obj.Env, ds *Dataset, fields []string, items []ndcubeCoord) {
	got, err := callMemberErr(env, ds, "axis_world_coords_values", obj.Args{})
	if err != nil {
		t.Fatal(err)
	}
	nt := got.(*namedTuple)
	if !slices.Equal(nt.fields, fields) {
		t.Fatalf("CoordValues fields %q, ndcube %q", nt.fields, fields)
	}
	for i, f := range fields {
		want := items[i].A
		byName := callMember(t, env, nt, f, obj.Args{})
		vals, shape := quantityValues(t, byName, items[i].Unit)
		if f == "custom_pos_helioprojective_lon" { // ndcube's values wrap to [0, 360°), gokist's to (-180°, 180°]
			want = slices.Clone(want)
			for k := range want {
				want[k] = math.Remainder(want[k], 1296000)
			}
		}
		if !slices.Equal(shape, items[i].Shape) || !closeAll(vals, want, 1e-7) {
			t.Errorf("CoordValues.%s: %v %v, ndcube %v %v", f, shape, vals, items[i].Shape, want)
		}
	}
}

func quantityValues(t *testing.T, v any, unit string) ([]float64, []int) {
	t.Helper()
	q, ok := v.(*aunits.Quantity)
	if !ok {
		t.Fatalf("%T is not a Quantity", v)
	}
	if unit == "" {
		unit = "dimensionless"
	}
	if got := q.Unit().String(); got != unit && !(unit == "dimensionless" && got == "") {
		t.Errorf("unit %q, want %q", got, unit)
	}
	nd, ok := q.Value().(*numpy.NDArray)
	if !ok {
		t.Fatalf("the Quantity's value is %T", q.Value())
	}
	return nd.Array().Floats(), nd.Array().Shape()
}

func closeAll(a, b []float64, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > tol*math.Max(1, math.Abs(b[i])) {
			return false
		}
	}
	return true
}
