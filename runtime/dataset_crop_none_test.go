package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
	"gokist/runtime/sample"
)

// ndcubeCropNonePy crops Stokes I of a sample with ndcube 2.0.3 (through dkist 1.0.1),
// each point the world objects of a pixel with some of them replaced by None.
const ndcubeCropNonePy = `
import json, sys, warnings
warnings.simplefilter("ignore")
import dkist
cfg = json.load(sys.stdin)
si = dkist.load_dataset(cfg["dir"])[0]
out = []
for c in cfg["cases"]:
    points = [tuple(None if drop else o for o, drop in zip(si.wcs.pixel_to_world(*p), c["none"])) for p in c["pixels"]]
    try:
        out.append(list(si.crop(*points).data.shape))
    except Exception as e:
        out.append(type(e).__name__ + ": " + str(e))
json.dump(out, sys.stdout)
`

// TestCropWithNoneAsNdcube: crop points with None for some world objects (SkyCoord,
// SpectralCoord, Time of a VISP Stokes I cube) leave the array axes only those objects
// depend on whole, as ndcube 2.0.3's crop does (shapes [4 16 14], [6 9 20], [16 14]
// on this sample, and a ValueError where an object left None shares an axis with a given
// one).
func TestCropWithNoneAsNdcube(t *testing.T) {
	pyref.Require(t, "astropy", "gwcs", "asdf", "ndcube", "sunpy")
	dir := filepath.Join(t.TempDir(), "visp")
	if _, err := sample.Generate(context.Background(), sample.Options{Dir: dir, Shape: [4]int{2, 6, 16, 20}, Seed: 3, Plain: true}); err != nil {
		t.Fatal(err)
	}
	type cropCase struct {
		Pixels [][]float64 `json:"pixels"`
		None   []bool      `json:"none"`
	}
	box := [][]float64{{2, 3, 1}, {15, 11, 4}}
	cases := []cropCase{
		{box, []bool{false, true, false}}, // wavelength free
		{box, []bool{true, false, true}},  // only wavelength given
		// ndcube 2.0.3 refuses these (the SkyCoord still depends on an axis another object
		// fixes, so the sliced WCS still wants it): gokist does too.
		{box, []bool{true, false, false}},
		{box, []bool{false, false, true}},
		{[][]float64{{2, 3, 1}, {15, 3, 1}}, []bool{false, true, false}},
	}
	in, _ := json.Marshal(map[string]any{"dir": dir, "cases": cases})
	out := pyref.Config{PythonPath: []string{pyref.Dkist(t)}}.RunInput(t, in, ndcubeCropNonePy)
	var want []any
	if err := json.Unmarshal(out, &want); err != nil || len(want) != len(cases) {
		t.Fatalf("ndcube's answer (%v): %s", err, out)
	}
	env := testEnv()
	all, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := all.GetItem(env, 0)
	ds := v.(*Dataset)
	w, _ := ds.WCS()
	for n, c := range cases {
		var points []any
		for _, p := range c.Pixels {
			hl, err := w.PixelToWorld(p...)
			if err != nil {
				t.Fatal(err)
			}
			for k, drop := range c.None {
				if drop {
					hl[k] = nil
				}
			}
			points = append(points, hl)
		}
		got, err := ds.Crop(env, points)
		if shape, ok := want[n].([]any); ok {
			if err != nil || fmt.Sprint(got.Shape()) != fmt.Sprint(shape) {
				t.Errorf("case %d %+v: gokist %v (%v), ndcube %v", n, c, shapeOrNil(got), err, shape)
			}
		} else if err == nil {
			t.Errorf("case %d %+v: gokist %v, ndcube %v", n, c, got.Shape(), want[n])
		}
	}
	_, err = ds.Crop(env, []any{obj.Tuple{nil, nil}})
	wantErr(t, "crop((None, None))", err, "ValueError", "a point has 2 world objects but this dataset's WCS has 3")
}

func shapeOrNil(d *Dataset) any {
	if d == nil {
		return nil
	}
	return d.Shape()
}
