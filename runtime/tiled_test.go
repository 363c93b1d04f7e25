package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"image"
	"image/color"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
	"gokist/runtime/plot/draw"
	"gokist/runtime/sample"
)

// dkistReadsTiledPy opens a tiled sample with Python's dkist 1.0.1 and, independently of
// the ASDF, each pixel's FITS file with astropy.wcs; it prints what both say as JSON.
const dkistReadsTiledPy = `
import json, sys, warnings
warnings.simplefilter("ignore")
import numpy as np
import dkist
from astropy.io import fits
from astropy.time import Time
from astropy.wcs import WCS
cfg = json.load(sys.stdin)
tds = dkist.load_dataset(cfg["dir"])
r = {"type": type(tds).__name__, "shape": list(tds.shape), "len": len(tds), "flat": len(tds.flat),
     "row_shape": list(tds[1].shape),
     "inventory": {k: tds.inventory[k] for k in ("datasetId", "instrumentName", "synthetic", "frameCount")},
     "headers": {k: [v.item() if hasattr(v, "item") else v for v in tds.combined_headers[k]] for k in cfg["columns"]},
     "tiles": []}
for a in range(tds.shape[0]):
    for b in range(tds.shape[1]):
        ds = tds[a, b]
        t = {"shape": list(ds.data.shape), "sum": float(np.asarray(ds.data, dtype=np.float64).sum()),
             "first_frame_sum": float(np.asarray(ds[0].data, dtype=np.float64).sum()),
             "world_names": list(ds.wcs.world_axis_names), "pixels": []}
        uris = np.asarray(ds.files.fileuri_array)
        target = ds.files._striped_external_array.target
        for p in cfg["pixels"]:
            world = ds.wcs.pixel_to_world_values(*p)
            x, y, k = p
            h = fits.getheader(ds.files.basepath / str(uris[int(k)]), target)
            w = WCS(h)
            lon, lat = w.pixel_to_world_values(*([x, y] + [0] * (w.pixel_n_dim - 2)))[:2]
            when = ds.wcs.pixel_to_world(*p)[1]
            t["pixels"].append({"dkist": [float(v) for v in world], "astropy": [float(lon) * 3600, float(lat) * 3600],
                                "time_minus_date_avg": float((when - Time(h["DATE-AVG"])).to_value("s"))})
        r["tiles"].append(t)
json.dump(r, sys.stdout)
`

type dkistTiledView struct {
	Type      string           `json:"type"`
	Shape     []int            `json:"shape"`
	Len       int              `json:"len"`
	Flat      int              `json:"flat"`
	RowShape  []int            `json:"row_shape"`
	Inventory map[string]any   `json:"inventory"`
	Headers   map[string][]any `json:"headers"`
	Tiles     []struct {
		Shape      []int    `json:"shape"`
		Sum        float64  `json:"sum"`
		FirstFrame float64  `json:"first_frame_sum"`
		WorldNames []string `json:"world_names"`
		Pixels     []struct {
			Dkist      []float64 `json:"dkist"`
			Astropy    []float64 `json:"astropy"`
			TimeOffset float64   `json:"time_minus_date_avg"`
		} `json:"pixels"`
	} `json:"tiles"`
}

// writeTiledSample writes a small VBI stand-in (3×3 tiles of 2 frames of 48² pixels).
func writeTiledSample(t *testing.T) (string, sample.ImagerOptions) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "VBI")
	opt := sample.ImagerOptions{Tiles: 3, Size: 48, Frames: 2, Seed: 5, DatasetID: "NZJTB"}
	if _, err := sample.WriteImager(context.Background(), dir, opt, nil); err != nil {
		t.Fatal(err)
	}
	return dir, opt
}

// TestDkistOpensTiledSample: Python's dkist opens the VBI stand-in as a TiledDataset
// through the tiled ASDF index the Go writer makes, and dkist, gokist and astropy.wcs on
// the files' own headers agree on the grid, each tile's shape, sums and world
// coordinates, and the combined headers.
func TestDkistOpensTiledSample(t *testing.T) {
	pyref.Require(t, "astropy", "gwcs", "asdf", "ndcube", "sunpy")
	dir, opt := writeTiledSample(t)
	pixels := [][]float64{{0, 0, 0}, {47, 0, 1}, {12.5, 40, 1}, {30, 17, 0}}
	columns := []string{"FILENAME", "MINDEX1", "MINDEX2", "DINDEX3", "CRVAL1", "DATE-AVG"}
	in, _ := json.Marshal(map[string]any{"dir": dir, "pixels": pixels, "columns": columns})
	out := pyref.Config{PythonPath: []string{pyref.Dkist(t)}}.RunInput(t, in, dkistReadsTiledPy)
	var py dkistTiledView
	if err := json.Unmarshal(out, &py); err != nil {
		t.Fatalf("dkist's answer (%v): %s", err, out)
	}
	env := testEnv()
	v, err := loadAnyDataset(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	tds, ok := v.(*TiledDataset)
	if !ok || py.Type != "TiledDataset" {
		t.Fatalf("load_dataset gave gokist %T, dkist %s", v, py.Type)
	}
	if got := callMember(t, env, tds, "shape", obj.Args{}); fmt.Sprint(got) != fmt.Sprint(py.Shape) || fmt.Sprint(py.Shape) != "[3 3]" {
		t.Errorf("shape: gokist %v, dkist %v", got, py.Shape)
	}
	if n := len(tds.Items()); n != py.Len {
		t.Errorf("len: gokist %d, dkist %d", n, py.Len)
	}
	if flat := callMember(t, env, tds, "flat", obj.Args{}).(*TiledDataset); len(flat.Items()) != py.Flat {
		t.Errorf("len(flat): gokist %d, dkist %d", len(flat.Items()), py.Flat)
	}
	row, err := tds.GetItem(env, 1)
	if err != nil || fmt.Sprint(callMember(t, env, row, "shape", obj.Args{})) != fmt.Sprint(py.RowShape) {
		t.Errorf("tds[1]: gokist %v (%v), dkist shape %v", row, err, py.RowShape)
	}
	inv := callMember(t, env, tds, "inventory", obj.Args{}).(obj.Indexer)
	for _, k := range []string{"datasetId", "instrumentName", "synthetic", "frameCount"} {
		got, err := inv.GetItem(env, k)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(py.Inventory[k]) {
			t.Errorf("inventory[%q]: gokist %v (%v), dkist %v", k, got, err, py.Inventory[k])
		}
	}
	headers := callMember(t, env, tds, "combined_headers", obj.Args{}).(obj.Indexer)
	for _, key := range columns {
		col, err := headers.GetItem(env, key)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := fmt.Sprint(columnList(t, col)), fmt.Sprint(py.Headers[key]); a != b {
			t.Errorf("combined_headers[%q]: FITS files %s, dkist %s", key, a, b)
		}
	}
	if len(py.Tiles) != 9 {
		t.Fatalf("dkist gave %d tiles", len(py.Tiles))
	}
	for i, ref := range py.Tiles {
		tile, err := tds.GetItem(env, obj.Tuple{i / 3, i % 3})
		if err != nil {
			t.Fatal(err)
		}
		checkTileAgainstDkist(t, env, fmt.Sprintf("tds[%d, %d]", i/3, i%3), tile.(*Dataset), pixels, ref)
	}
	checkSliceTiles(t, env, tds, py, opt)
}

func checkTileAgainstDkist(t *testing.T, env *obj.Env, name string, ds *Dataset, pixels [][]float64, py struct {
	Shape      []int    `json:"shape"`
	Sum        float64  `json:"sum"`
	FirstFrame float64  `json:"first_frame_sum"`
	WorldNames []string `json:"world_names"`
	Pixels     []struct {
		Dkist      []float64 `json:"dkist"`
		Astropy    []float64 `json:"astropy"`
		TimeOffset float64   `json:"time_minus_date_avg"`
	} `json:"pixels"`
}) {
	t.Helper()
	if !slices.Equal(ds.Shape(), py.Shape) {
		t.Errorf("%s shape: gokist %v, dkist %v", name, ds.Shape(), py.Shape)
	}
	sum := callMember(t, env, callMember(t, env, ds.Data(), "sum", obj.Args{}), "compute", obj.Args{})
	if f, ok := sum.(float32); !ok || math.Abs(float64(f)-py.Sum) > 1e-6*math.Abs(py.Sum) {
		t.Errorf("%s sum: gokist %v, dkist %.17g", name, sum, py.Sum)
	}
	w, err := ds.WCS()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(w.String(), "from gwcs") {
		t.Errorf("%s: gokist did not take the WCS from the tile's gwcs:\n%s", name, w.String())
	}
	if got := w.WorldAxisNames(); !slices.Equal(got, py.WorldNames) {
		t.Errorf("%s world axis names: gokist %q, dkist %q", name, got, py.WorldNames)
	}
	for n, p := range pixels {
		got, err := w.PixelToWorldValues(p...)
		if err != nil {
			t.Fatal(err)
		}
		ref := py.Pixels[n]
		for a := range 2 {
			d, f := math.Remainder(ref.Dkist[a], 1296000), math.Remainder(ref.Astropy[a], 1296000)
			if math.Abs(got[a]-d) > 1e-7 || math.Abs(d-f) > 1e-7 {
				t.Errorf("%s pixel %v world axis %d: gokist %.12g, dkist %.12g, astropy.wcs on the file %.12g", name, p, a, got[a], d, f)
			}
		}
		if math.Abs(got[2]-ref.Dkist[2]) > 1e-9 || math.Abs(ref.TimeOffset) > 1e-6 {
			t.Errorf("%s pixel %v time: gokist %g s, dkist %g s, %g s from the file's DATE-AVG", name, p, got[2], ref.Dkist[2], ref.TimeOffset)
		}
	}
}

// checkSliceTiles: slice_tiles[0] is every tile's first frame (dkist 1.0.1 has no
// slice_tiles; the reference is tds[a, b][0] there), tiles_shape lists the tiles'
// shapes by row, and mask is all False for a full grid.
func checkSliceTiles(t *testing.T, env *obj.Env, tds *TiledDataset, py dkistTiledView, opt sample.ImagerOptions) {
	slicer := callMember(t, env, tds, "slice_tiles", obj.Args{}).(obj.Indexer)
	sliced, err := slicer.GetItem(env, 0)
	if err != nil {
		t.Fatal(err)
	}
	st := sliced.(*TiledDataset)
	for i, ref := range py.Tiles {
		tile, _ := st.GetItem(env, obj.Tuple{i / 3, i % 3})
		ds := tile.(*Dataset)
		sum := callMember(t, env, callMember(t, env, ds.Data(), "sum", obj.Args{}), "compute", obj.Args{})
		if f, ok := sum.(float32); !ok || !slices.Equal(ds.Shape(), []int{opt.Size, opt.Size}) || math.Abs(float64(f)-ref.FirstFrame) > 1e-6*math.Abs(ref.FirstFrame) {
			t.Errorf("slice_tiles[0][%d, %d]: shape %v sum %v, dkist's tds[%d, %d][0] sum %.17g", i/3, i%3, ds.Shape(), sum, i/3, i%3, ref.FirstFrame)
		}
	}
	shape := obj.Tuple{opt.Frames, opt.Size, opt.Size}
	want := obj.List{obj.Tuple{shape, shape, shape}, obj.Tuple{shape, shape, shape}, obj.Tuple{shape, shape, shape}}
	if got := callMember(t, env, tds, "tiles_shape", obj.Args{}); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tiles_shape %v, want %v", got, want)
	}
	mask := callMember(t, env, tds, "mask", obj.Args{}).(*numpy.NDArray).Array()
	if !slices.Equal(mask.Shape(), []int{3, 3}) || mask.DT != lazy.Bool || slices.Max(mask.Data()) != 0 {
		t.Errorf("mask: %v %v %v", mask.Shape(), mask.DT, mask.Data())
	}
}

// TestTiledPlot: tds.plot(0) draws one image axes per tile in a 3×3 grid laid out as
// current dkist's (first grid index along x, second along y from the bottom), titled
// as dkist titles it; each tile's own colour scale reaches viridis's top colour (as
// gokist's colour map rounds it)
// in every tile, a shared one (share_zscale=True) only in the tile holding the maximum.
func TestTiledPlot(t *testing.T) {
	dir, opt := writeTiledSample(t)
	for _, share := range []bool{false, true} {
		env, _, _ := plotEnv()
		v, err := loadAnyDataset(env, dir)
		if err != nil {
			t.Fatal(err)
		}
		kw := map[string]any{"share_zscale": share}
		fig := callMember(t, env, v, "plot", obj.Args{Pos: []any{0}, Kw: kw}).(*draw.Figure)
		axes := fig.Axes()
		if len(axes) != 9 {
			t.Fatalf("share_zscale=%v: %d axes, want 9", share, len(axes))
		}
		img, err := fig.Render()
		if err != nil {
			t.Fatal(err)
		}
		withTop := 0
		for i, ax := range axes {
			col, row := i/3, i%3
			if r, c := ax.ImageShape(0); ax.NumImages() != 1 || r != opt.Size || c != opt.Size {
				t.Errorf("tile (%d, %d): %d images of %dx%d", col, row, ax.NumImages(), r, c)
			}
			box := ax.PixelBox()
			if col > 0 && box.Min.X <= axes[i-3].PixelBox().Min.X || row > 0 && box.Min.Y >= axes[i-1].PixelBox().Min.Y {
				t.Errorf("tile (%d, %d) at %v: not right of / above its neighbours", col, row, box)
			}
			if hasColour(img, box, color.RGBA{253, 231, 36, 255}) {
				withTop++
			}
		}
		if want := map[bool]int{false: 9, true: 1}[share]; withTop != want {
			t.Errorf("share_zscale=%v: %d tiles reach the top colour, want %d", share, withTop, want)
		}
		title := fig.Suptitle
		if want := "VBI Dataset (NZJTB) at time 2022-06-02 17:22:50.010 (slice=0)"; title != want {
			t.Errorf("title %q, want %q", title, want)
		}
		_, err = callMemberErr(env, v, "plot", obj.Args{Pos: []any{obj.EllipsisType{}}})
		wantErr(t, "plot(...)", err, "ValueError", "Applying slice 'Ellipsis' to this dataset resulted in a 3 dimensional dataset")
	}
}

func hasColour(img *image.RGBA, box image.Rectangle, c color.RGBA) bool {
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			if img.RGBAAt(x, y) == c {
				return true
			}
		}
	}
	return false
}

// dkistReadsImagerPy opens a one-imager sample with Python's dkist 1.0.1 and each
// pixel's FITS file with astropy.wcs, and prints what both say as JSON.
const dkistReadsImagerPy = `
import json, sys, warnings
warnings.simplefilter("ignore")
import numpy as np
import dkist
from astropy.io import fits
from astropy.time import Time
from astropy.wcs import WCS
cfg = json.load(sys.stdin)
ds = dkist.load_dataset(cfg["dir"])
r = {"type": type(ds).__name__, "shape": list(ds.data.shape), "sum": float(np.asarray(ds.data, dtype=np.float64).sum()),
     "first_frame_sum": float(np.asarray(ds[0].data, dtype=np.float64).sum()),
     "world_names": list(ds.wcs.world_axis_names), "pixels": [],
     "inventory": {k: ds.inventory[k] for k in ("datasetId", "instrumentName", "synthetic", "frameCount")},
     "headers": {k: [v.item() if hasattr(v, "item") else v for v in ds.headers[k]] for k in cfg["columns"]}}
uris = np.asarray(ds.files.fileuri_array)
for p in cfg["pixels"]:
    x, y, k = p
    h = fits.getheader(ds.files.basepath / str(uris[int(k)]), 1)
    w = WCS(h)
    lon, lat = w.pixel_to_world_values(*([x, y] + [0] * (w.pixel_n_dim - 2)))[:2]
    r["pixels"].append({"dkist": [float(v) for v in ds.wcs.pixel_to_world_values(*p)], "astropy": [float(lon) * 3600, float(lat) * 3600],
                        "time_minus_date_avg": float((ds.wcs.pixel_to_world(*p)[1] - Time(h["DATE-AVG"])).to_value("s"))})
json.dump(r, sys.stdout)
`

// TestDkistOpensContextImagerSample: the Cryo-NIRSP context imager stand-in is one
// Dataset (not tiled) that Python's dkist opens through its ASDF index and agrees with
// gokist and astropy.wcs on: shape, sums, world coordinates, inventory, headers.
func TestDkistOpensContextImagerSample(t *testing.T) {
	pyref.Require(t, "astropy", "gwcs", "asdf", "ndcube", "sunpy")
	dir := filepath.Join(t.TempDir(), "CI")
	opt := sample.ImagerOptions{Instrument: "CRYO-NIRSP", Tiles: 1, Size: 40, Frames: 3, Seed: 23, DatasetID: "MSCGD"}
	if _, err := sample.WriteImager(context.Background(), dir, opt, nil); err != nil {
		t.Fatal(err)
	}
	pixels := [][]float64{{0, 0, 0}, {39, 0, 2}, {12.5, 33, 1}}
	columns := []string{"FILENAME", "INSTRUME", "DINDEX3", "CRVAL1", "WAVEBAND"}
	in, _ := json.Marshal(map[string]any{"dir": dir, "pixels": pixels, "columns": columns})
	out := pyref.Config{PythonPath: []string{pyref.Dkist(t)}}.RunInput(t, in, dkistReadsImagerPy)
	var py struct {
		Type      string           `json:"type"`
		Inventory map[string]any   `json:"inventory"`
		Headers   map[string][]any `json:"headers"`
	}
	var tile struct {
		Shape      []int    `json:"shape"`
		Sum        float64  `json:"sum"`
		FirstFrame float64  `json:"first_frame_sum"`
		WorldNames []string `json:"world_names"`
		Pixels     []struct {
			Dkist      []float64 `json:"dkist"`
			Astropy    []float64 `json:"astropy"`
			TimeOffset float64   `json:"time_minus_date_avg"`
		} `json:"pixels"`
	}
	if err := json.Unmarshal(out, &py); err != nil || json.Unmarshal(out, &tile) != nil {
		t.Fatalf("dkist's answer (%v): %s", err, out)
	}
	env := testEnv()
	v, err := loadAnyDataset(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	ds, ok := v.(*Dataset)
	if !ok || py.Type != "Dataset" {
		t.Fatalf("load_dataset: gokist %T, dkist %s", v, py.Type)
	}
	if !slices.Equal(tile.Shape, []int{3, 40, 40}) {
		t.Errorf("dkist's shape %v", tile.Shape)
	}
	checkTileAgainstDkist(t, env, "CRYO_L1_MSCGD", ds, pixels, tile)
	inv := inventoryOf(ds)
	for _, k := range []string{"datasetId", "instrumentName", "synthetic", "frameCount"} {
		got, err := inv.GetItem(env, k)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(py.Inventory[k]) {
			t.Errorf("inventory[%q]: gokist %v (%v), dkist %v", k, got, err, py.Inventory[k])
		}
	}
	headers := callMember(t, env, ds, "headers", obj.Args{}).(obj.Indexer)
	for _, key := range columns {
		col, err := headers.GetItem(env, key)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := fmt.Sprint(columnList(t, col)), fmt.Sprint(py.Headers[key]); a != b {
			t.Errorf("headers[%q]: FITS files %s, dkist %s", key, a, b)
		}
	}
}
