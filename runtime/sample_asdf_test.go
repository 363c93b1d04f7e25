package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
	"gokist/runtime/sample"
	"gokist/runtime/wcs"
)

// dkistReadsSamplePy opens each directory with Python's dkist 1.0.1 (load_dataset: the
// ASDF index, its gwcs and headers table) and, independently of the ASDF, each pixel's
// FITS file with astropy.wcs; it prints what both say as JSON.
const dkistReadsSamplePy = `
import json, sys, warnings
warnings.simplefilter("ignore")
import numpy as np
import dkist
from astropy.io import fits
from astropy.time import Time
from astropy.wcs import WCS
cfg = json.load(sys.stdin)
out = []
for d in cfg["dirs"]:
    ds = dkist.load_dataset(d)
    r = {"shape": list(ds.data.shape), "dtype": str(ds.data.dtype),
         "sum": float(np.nansum(np.asarray(ds.data, dtype=np.float64))),
         "world_names": list(ds.wcs.world_axis_names),
         "pixel_names": list(ds.wcs.pixel_axis_names),
         "inventory_synthetic": bool(ds.inventory.get("synthetic")),
         "inventory": {k: v for k, v in ds.inventory.items() if isinstance(v, (str, int, float, bool))},
         "nfiles": len(ds.files.filenames), "pixels": []}
    r["headers"] = {k: [v.item() if hasattr(v, "item") else v for v in ds.headers[k]] for k in cfg["columns"]}
    r["sliced_files"] = [str(v) for v in ds[1, 2:4].headers["FILENAME"]]
    g = ds[1, 2].global_coords
    r["global"] = {"keys": list(g.keys()), "types": [[g.physical_types[k]] if isinstance(g.physical_types[k], str) else list(g.physical_types[k]) for k in g.keys()], "time": g["time"].isot,
                   "values": [float(v) for v in ds[1, 2].wcs.low_level_wcs.dropped_world_dimensions["value"]]}
    r["files"] = {"repr": repr(ds.files), "basepath": str(ds.files.basepath), "filenames": [str(f) for f in ds.files.filenames],
                  "sliced_repr": repr(ds[0, 1:3].files), "len": len(ds.files.filenames)}
    # Stokes I: ndcube 2.0.3's crop cannot pass a Stokes coordinate through the sliced
    # WCS it makes (gwcs 0.18's StokesFrame fails in from_index).
    si = ds[0]
    r["crops"] = [list(si.crop(*[si.wcs.pixel_to_world(*p) for p in c]).data.shape) for c in cfg["crops"]]
    uris = np.asarray(ds.files.fileuri_array)
    target = ds.files._striped_external_array.target
    for p in cfg["pixels"]:
        world = ds.wcs.pixel_to_world_values(*p)
        j, i, k, s = p
        name = str(uris[int(s), int(k)])
        h = fits.getheader(ds.files.basepath / name, target)
        lat, wave, lon = WCS(h).pixel_to_world_values(j, i, 0)  # the file's axes: slit, dispersion, raster
        t = ds.wcs.pixel_to_world(*p)[2]
        r["pixels"].append({"dkist": [float(x) for x in world],
                            "astropy": [float(lon) * 3600, float(lat) * 3600, float(wave) * 1e9],
                            "time_minus_date_avg": float((t - Time(h["DATE-AVG"])).to_value("s")),
                            "array_index": [int(i) for i in ds.wcs.world_to_array_index(*ds.wcs.pixel_to_world(*p))],
                            "stokes": h["STOKES"]})
    out.append(r)
json.dump(out, sys.stdout)
`

type dkistSampleView struct {
	Shape              []int            `json:"shape"`
	DType              string           `json:"dtype"`
	Sum                float64          `json:"sum"`
	WorldNames         []string         `json:"world_names"`
	PixelNames         []string         `json:"pixel_names"`
	InventorySynthetic bool             `json:"inventory_synthetic"`
	Inventory          map[string]any   `json:"inventory"`
	NFiles             int              `json:"nfiles"`
	Headers            map[string][]any `json:"headers"`
	SlicedFiles        []string         `json:"sliced_files"`
	Crops              [][]int          `json:"crops"`
	Global             struct {
		Keys   []string   `json:"keys"`
		Types  [][]string `json:"types"`
		Time   string     `json:"time"`
		Values []float64  `json:"values"`
	} `json:"global"`
	Files struct {
		Repr       string   `json:"repr"`
		Basepath   string   `json:"basepath"`
		SlicedRepr string   `json:"sliced_repr"`
		Filenames  []string `json:"filenames"`
		Len        int      `json:"len"`
	} `json:"files"`
	Pixels []struct {
		Dkist      []float64 `json:"dkist"`
		Astropy    []float64 `json:"astropy"`
		TimeOffset float64   `json:"time_minus_date_avg"`
		ArrayIndex []int     `json:"array_index"`
		Stokes     string    `json:"stokes"`
	} `json:"pixels"`
}

// TestDkistOpensSamples: Python's dkist opens every gokist sample through the ASDF
// index that the Go writer makes, and dkist, gokist and astropy.wcs on the files' own
// headers agree on shape, total, world coordinates and header columns.
func TestDkistOpensSamples(t *testing.T) {
	pyref.Require(t, "astropy", "gwcs", "asdf", "ndcube", "sunpy")
	samples := []struct {
		name       string
		shape      [4]int
		plain      bool
		instrument string
	}{
		{"compressed", [4]int{4, 6, 24, 30}, false, ""},
		{"plain, two Stokes", [4]int{2, 5, 16, 20}, true, ""},
		{"Cryo-NIRSP SP", [4]int{4, 5, 16, 20}, false, "CRYO-NIRSP"},
	}
	dirs := make([]string, len(samples))
	for i, s := range samples {
		dirs[i] = filepath.Join(t.TempDir(), "AGLKO")
		res, err := sample.Generate(context.Background(), sample.Options{Dir: dirs[i], Shape: s.shape, Seed: 7, Plain: s.plain, Workers: 2, Instrument: s.instrument})
		if err != nil {
			t.Fatal(err)
		}
		g := sample.NewGeometry(s.shape)
		g.ForInstrument(s.instrument)
		if filepath.Base(res.ASDF) != g.ASDFName() {
			t.Fatalf("%s: ASDF index %q", s.name, res.ASDF)
		}
	}
	// WCS order (slit, wavelength, raster, Stokes); integer raster and Stokes pixels, so
	// each names one file; no half pixels, whose rounding to an array index the inverse's
	// last digits decide.
	pixels := [][]float64{{0, 0, 0, 0}, {12.3, 7.25, 1, 1}, {19, 15, 4, 1}, {3, 9, 2, 0}}
	columns := []string{"FILENAME", "DINDEX3", "DINDEX4", "STOKES", "DATAMEAN", "CRPIX3", "WCSVALID", "NAXIS1", "INSTRUME"}
	var views []dkistSampleView
	cfg := map[string]any{"dirs": dirs, "pixels": pixels, "columns": columns, "crops": cropCorners}
	in, _ := json.Marshal(cfg)
	out := pyref.Config{PythonPath: []string{pyref.Dkist(t)}}.RunInput(t, in, dkistReadsSamplePy)
	if err := json.Unmarshal(out, &views); err != nil || len(views) != len(samples) {
		t.Fatalf("dkist's answer (%v): %s", err, out)
	}
	for i, s := range samples {
		want := map[string]string{"": "VISP"}[s.instrument] + s.instrument
		if got := views[i].Headers["INSTRUME"]; len(got) == 0 || got[0] != want || math.Abs(views[i].Pixels[0].Dkist[2]-views[i].Pixels[0].Astropy[2]) > 1e-9 {
			t.Errorf("%s: dkist reads INSTRUME %v, want %s", s.name, got, want)
		}
		t.Run(s.name, func(t *testing.T) {
			checkSampleAgainstDkist(t, dirs[i], s.shape, pixels, columns, views[i])
			checkCropsAgainstDkist(t, dirs[i], views[i].Crops)
		})
	}
}

func checkSampleAgainstDkist(t *testing.T, dir string, shape [4]int, pixels [][]float64, columns []string, py dkistSampleView) {
	env := testEnv()
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ds.Shape(), shape[:]) || !slices.Equal(py.Shape, shape[:]) || py.DType != "float32" {
		t.Fatalf("shape: gokist %v, dkist %v %s, want %v float32", ds.Shape(), py.Shape, py.DType, shape)
	}
	if py.NFiles != shape[0]*shape[1] || !py.InventorySynthetic {
		t.Errorf("dkist sees %d files (want %d), inventory synthetic = %v", py.NFiles, shape[0]*shape[1], py.InventorySynthetic)
	}
	// The inventory as dkist reads it, data-centre fields included (the dataset-files
	// tutorial reads headerDocumentationUrl).
	inv := callMember(t, env, ds, "inventory", obj.Args{})
	for _, key := range []string{"headerDocumentationUrl", "qualityReportObjectKey", "datasetId", "frameCount", "bucket"} {
		got, err := inv.(obj.Indexer).GetItem(env, key)
		if g, ok := got.(int); ok {
			got = float64(g)
		}
		if err != nil || py.Inventory[key] == nil || got != py.Inventory[key] {
			t.Errorf("inventory[%q]: gokist %v (%v), dkist %v", key, got, err, py.Inventory[key])
		}
	}
	// float32 data sums to a float32 (numpy's rule), accumulated in float64.
	sum := callMember(t, env, callMember(t, env, ds.Data(), "sum", obj.Args{}), "compute", obj.Args{})
	if f, ok := sum.(float32); !ok || math.Abs(float64(f)-py.Sum) > 1e-7*math.Abs(py.Sum) {
		t.Errorf("sum: gokist %.17g, dkist %.17g", sum, py.Sum)
	}
	w, err := ds.WCS()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(w.String(), "from gwcs") {
		t.Errorf("gokist did not take the WCS from the ASDF index:\n%s", w.String())
	}
	wantNames := []string{"helioprojective longitude", "helioprojective latitude", "wavelength", "time", "stokes"}
	if got := w.WorldAxisNames(); !slices.Equal(got, wantNames) || !slices.Equal(py.WorldNames, wantNames) {
		t.Errorf("world axis names: gokist %q, dkist %q, want %q", got, py.WorldNames, wantNames)
	}
	if got := w.PixelAxisNames(); !slices.Equal(got, py.PixelNames) {
		t.Errorf("pixel axis names: gokist %q, dkist %q", got, py.PixelNames)
	}
	for n, p := range pixels {
		if int(p[3]) >= shape[0] || int(p[2]) >= shape[1] {
			t.Fatalf("pixel %v is outside %v", p, shape)
		}
		got, err := w.PixelToWorldValues(p...)
		if err != nil {
			t.Fatal(err)
		}
		ref := py.Pixels[n]
		// longitude, latitude, wavelength: gokist, dkist and each file's own FITS WCS.
		for a, tol := range []float64{1e-7, 1e-7, 1e-9} {
			d, f := ref.Dkist[a], ref.Astropy[a]
			if a == 0 { // dkist's and astropy's longitudes are wrapped to [0, 360°)
				d, f = math.Remainder(d, 1296000), math.Remainder(f, 1296000)
			}
			if math.Abs(got[a]-d) > tol || math.Abs(d-f) > tol {
				t.Errorf("pixel %v world axis %d: gokist %.12g, dkist %.12g, astropy.wcs on the file %.12g", p, a, got[a], d, f)
			}
		}
		if math.Abs(got[3]-ref.Dkist[3]) > 1e-9 || math.Abs(ref.TimeOffset) > 1e-6 {
			t.Errorf("pixel %v time: gokist %g s, dkist %g s, %g s from the file's DATE-AVG", p, got[3], ref.Dkist[3], ref.TimeOffset)
		}
		// world_to_array_index of the pixel's own world coordinates: the pixel, rounded,
		// in array order.
		hl, err := w.PixelToWorld(p...)
		if err != nil {
			t.Fatal(err)
		}
		idx, err := w.WorldToArrayIndex(hl...)
		if err != nil || !slices.Equal(idx, ref.ArrayIndex) {
			t.Errorf("pixel %v world_to_array_index: gokist %v (%v), dkist %v", p, idx, err, ref.ArrayIndex)
		}
		if code := int(ref.Dkist[4]); got[4] != ref.Dkist[4] || code < 1 || code > 4 || "IQUV"[code-1:code] != ref.Stokes {
			t.Errorf("pixel %v Stokes: gokist %g, dkist %g, file %s", p, got[4], ref.Dkist[4], ref.Stokes)
		}
	}
	// The ASDF's headers table (dkist) holds what the FITS files hold (gokist reads
	// them), row by row in the file grid's order.
	headers := callMember(t, env, ds, "headers", obj.Args{}).(obj.Indexer)
	for _, key := range columns {
		col, err := headers.GetItem(env, key)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := fmt.Sprint(columnList(t, col)), fmt.Sprint(py.Headers[key]); a != b {
			t.Errorf("headers[%q]: FITS files %s, ASDF table %s", key, a, b)
		}
	}
	checkGlobalCoords(t, env, ds, py)
	files := callMember(t, env, ds, "files", obj.Args{})
	names := callMember(t, env, files, "filenames", obj.Args{}).(obj.List)
	if fmt.Sprint(names) != fmt.Sprint(py.Files.Filenames) || len(files.(obj.Sequence).Items()) != py.Files.Len {
		t.Errorf("ds.files.filenames %v (len %d), dkist %v", names, len(files.(obj.Sequence).Items()), py.Files.Filenames)
	}
	if base := callMember(t, env, files, "basepath", obj.Args{}); base != py.Files.Basepath {
		t.Errorf("ds.files.basepath %v, dkist %s", base, py.Files.Basepath)
	}
	// The first line is the object's address, which differs.
	summary := func(s any) string { _, rest, _ := strings.Cut(s.(string), ">\n"); return rest }
	if got := files.(obj.MimeBundler).MimeBundle()["text/plain"]; summary(got) != summary(py.Files.Repr) || !strings.HasPrefix(got.(string), "<dkist.io.file_manager.FileManager object at 0x") {
		t.Errorf("ds.files repr %q, dkist %q", got, py.Files.Repr)
	}
	sliced, err := ds.GetItem(env, obj.Tuple{0, obj.Slice{Start: ip(1), Stop: ip(3)}})
	if err != nil {
		t.Fatal(err)
	}
	if got := callMember(t, env, sliced, "files", obj.Args{}).(obj.MimeBundler).MimeBundle()["text/plain"]; summary(got) != summary(py.Files.SlicedRepr) {
		t.Errorf("ds[0, 1:3].files repr %q, dkist %q", got, py.Files.SlicedRepr)
	}
	if want := fmt.Sprint(names[shape[1]+2 : shape[1]+4]); fmt.Sprint(py.SlicedFiles) != want {
		t.Errorf("dkist's ds[1, 2:4].headers files %v, want %s", py.SlicedFiles, want)
	}
}

// TestSampleWithBadASDFFallsBack: a sample whose ASDF index is foreign (no DKIST
// dataset in it) or whose gwcs holds a transform gokist does not evaluate loads from
// the FITS headers, with a warning naming the problem, and keeps its coordinates.
func TestSampleWithBadASDFFallsBack(t *testing.T) {
	shape := [4]int{2, 3, 16, 20}
	dir := filepath.Join(t.TempDir(), "AGLKO")
	res, err := sample.Generate(context.Background(), sample.Options{Dir: dir, Shape: shape, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	good, err := LoadDatasetEnv(testEnv(), dir)
	if err != nil {
		t.Fatal(err)
	}
	gw, _ := good.WCS()
	want, _ := gw.PixelToWorldValues(3, 5, 2, 1)
	index, _ := os.ReadFile(res.ASDF)
	for _, c := range []struct{ what, text, warning string }{
		{"foreign", "#ASDF 1.0.0\n%YAML 1.1\n--- !core/asdf-1.1.0\nsomething: else\n...\n", "the files are placed by their FITS headers alone"},
		{"unknown transform", strings.Replace(string(index), "!transform/gnomonic-1.2.0", "!transform/bonne_equal_area-1.2.0", 1), "not from the ASDF index's gwcs"},
	} {
		if err := os.WriteFile(res.ASDF, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		out := &collect{}
		env := &obj.Env{Ctx: context.Background(), Out: out, Services: map[string]any{}}
		ds, err := LoadDatasetEnv(env, dir)
		if err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		if !strings.Contains(out.stderr.String(), c.warning) || !strings.Contains(out.stderr.String(), filepath.Base(res.ASDF)) {
			t.Errorf("%s: warning %q, want one with %q naming the index", c.what, out.stderr.String(), c.warning)
		}
		w, err := ds.WCS()
		if err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		got, _ := w.PixelToWorldValues(3, 5, 2, 1)
		if !strings.Contains(w.String(), "from FITS headers") {
			t.Errorf("%s: the WCS is not the FITS headers'", c.what)
		}
		// The FITS headers' world axes are in their own order (DWNAMEn: latitude,
		// wavelength, longitude, then time and Stokes).
		order := []int{1, 2, 0, 3, 4}
		for i, j := range order {
			if math.Abs(got[i]-want[j]) > 1e-7 {
				t.Errorf("%s: world axis %d = %.12g, the gwcs gave %.12g", c.what, i, got[i], want[j])
			}
		}
	}
}

// cropCorners are the pixels (WCS order: slit, wavelength, raster) of Stokes I whose
// world coordinates the crop test gives ds[0].crop as points: a box over every axis,
// one that fixes the raster axis (dropped, as ndcube 2.0.3 drops it) and one of three
// points.
var cropCorners = [][][]float64{
	{{2, 3, 1}, {15, 11, 4}},
	{{1.2, 0.4, 3}, {9.8, 2.6, 3}},
	{{5, 5, 2}, {1, 9, 0}, {12, 2, 1}},
}

// checkCropsAgainstDkist: ds[0].crop of the world coordinates of cropCorners gives the
// shapes dkist's (ndcube's) crop gives.
func checkCropsAgainstDkist(t *testing.T, dir string, want [][]int) {
	env := testEnv()
	all, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	v, err := all.GetItem(env, 0)
	if err != nil {
		t.Fatal(err)
	}
	ds := v.(*Dataset)
	w, _ := ds.WCS()
	for i, corners := range cropCorners {
		var points []any
		for _, p := range corners {
			hl, err := w.PixelToWorld(p...)
			if err != nil {
				t.Fatal(err)
			}
			points = append(points, hl)
		}
		c, err := ds.Crop(env, points)
		if err != nil {
			t.Fatalf("crop %v: %v", corners, err)
		}
		if !slices.Equal(c.Shape(), want[i]) {
			t.Errorf("crop %v: shape %v, dkist %v", corners, c.Shape(), want[i])
		}
	}
}

// checkGlobalCoords: ds[1, 2].global_coords has dkist's names, physical types and values
// (Stokes as its FITS code: gwcs 0.18 reads the codes 0-based, so dkist's high-level
// Stokes value on Debian is one off, for the data centre's own files too).
func checkGlobalCoords(t *testing.T, env *obj.Env, ds *Dataset, py dkistSampleView) {
	v, err := ds.GetItem(env, obj.Tuple{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	g := callMember(t, env, v, "global_coords", obj.Args{}).(*globalCoords)
	var keys []string
	for _, k := range g.Items() {
		keys = append(keys, k.(string))
	}
	if !slices.Equal(keys, py.Global.Keys) {
		t.Fatalf("ds[1, 2].global_coords keys %v, dkist %v", keys, py.Global.Keys)
	}
	for i, c := range g.coords {
		if !slices.Equal(c.Types, py.Global.Types[i]) {
			t.Errorf("global_coords[%q] physical types %v, dkist %v", c.Name, c.Types, py.Global.Types[i])
		}
	}
	tm, err := g.GetItem(env, "time")
	if err != nil {
		t.Fatal(err)
	}
	if got := tm.(*wcs.Time).T.Format("2006-01-02T15:04:05.000"); got != py.Global.Time {
		t.Errorf("global_coords['time'] %s, dkist %s", got, py.Global.Time)
	}
	st, _ := g.GetItem(env, "stokes")
	if sc, ok := st.(*wcs.StokesCoord); !ok || len(py.Global.Values) != 2 || sc.Value != py.Global.Values[1] || sc.Symbol() != "Q" {
		t.Errorf("global_coords['stokes'] %v, dkist's dropped value %v, want Q (code 2)", st, py.Global.Values)
	}
}
