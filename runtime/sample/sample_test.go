package sample

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"gokist/fits"
	"gokist/internal/pyref"
)

// datasetScript opens every FITS file in argv[1] with warnings as errors, verifies it,
// sorts the files into a (stokes, raster, wavelength, slit) array by DINDEX, writes that
// array as little-endian float32 to argv[2], and prints per-file headers, astropy.wcs
// world coordinates of a few pixels of each Stokes I file, and the argmin of the summed
// Stokes I spectrum, as JSON.
const datasetScript = `
import sys, os, glob, json, warnings
import numpy as np
from astropy.io import fits
from astropy.wcs import WCS
warnings.simplefilter("error")
files = []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.fits"))):
    with fits.open(path) as f:
        f.verify("exception")
        hdu = next(h for h in f if h.data is not None)
        hdr = hdu.header
        data = np.array(hdu.data, dtype="<f4")
        wcs = WCS(hdr)
        nx, nw = hdr["NAXIS1"], hdr["NAXIS2"]
        pixels = [[0, 0, 0], [nx - 1, nw - 1, 0], [nx // 2, nw // 3, 0], [3, nw - 2, 0]]
        world = [[float(v) for v in wcs.pixel_to_world_values(*p)] for p in pixels]
        files.append({"name": os.path.basename(path), "hdu": f.index_of(hdu),
                      "header": {k: v for k, v in hdr.items() if k not in ("COMMENT", "HISTORY", "")},
                      "shape": list(data.shape), "dtype": str(hdu.data.dtype.newbyteorder("=")),
                      "pixels": pixels, "world": world, "data": data})
h0 = files[0]["header"]
shape = (h0["DNAXIS4"], h0["DNAXIS3"], h0["DNAXIS2"], h0["DNAXIS1"])
cube = np.full(shape, np.nan, dtype="<f4")
for f in files:
    cube[f["header"]["DINDEX4"] - 1, f["header"]["DINDEX3"] - 1] = f["data"][0]
    del f["data"]
cube.tofile(sys.argv[2])
spectrum = cube[0].sum(axis=(0, 2), dtype=np.float64)
core = int(np.argmin(spectrum))
v = cube[3]
corr = float(np.corrcoef(v[:, core - 1, :].ravel(), v[:, core + 1, :].ravel())[0, 1])
print(json.dumps({"files": files, "shape": list(shape), "argmin": core, "v_corr": corr,
                  "rms_v": float(np.sqrt(np.mean(v[:, core - 1, :] ** 2))),
                  "rms_q": float(np.sqrt(np.mean(cube[1][:, core, :] ** 2))),
                  "rms_u": float(np.sqrt(np.mean(cube[2][:, core, :] ** 2)))}))
`

type astropyFile struct {
	Name   string         `json:"name"`
	HDU    int            `json:"hdu"`
	Header map[string]any `json:"header"`
	Shape  []int          `json:"shape"`
	Dtype  string         `json:"dtype"`
	Pixels [][]int        `json:"pixels"`
	World  [][]float64    `json:"world"`
}

type astropyDataset struct {
	Files  []astropyFile `json:"files"`
	Shape  []int         `json:"shape"`
	Argmin int           `json:"argmin"`
	VCorr  float64       `json:"v_corr"`
	RmsV   float64       `json:"rms_v"`
	RmsQ   float64       `json:"rms_q"`
	RmsU   float64       `json:"rms_u"`
}

// expectedWorld computes, from the geometry's parameters alone, the world coordinates
// (latitude deg, wavelength m, longitude deg) of 0-based pixel p of raster file k: the
// FITS linear transformation with the PC rotation, then the gnomonic (TAN)
// deprojection about the pointing.
func expectedWorld(g Geometry, k int, p []int) [3]float64 {
	q1 := float64(p[0]) + 1 - g.SlitRefPixel
	q3 := float64(p[2]) + 1 - (g.RasterRefPixel - float64(k))
	theta := g.Rotation * math.Pi / 180
	latArcsec := g.SlitScale * (math.Cos(theta)*q1 - math.Sin(theta)*q3)
	lonArcsec := g.RasterStep * (math.Sin(theta)*q1 + math.Cos(theta)*q3)
	rad := math.Pi / 180 / 3600
	xi, eta := lonArcsec*rad, latArcsec*rad
	lon0, lat0 := g.CentreTx*rad, g.CentreTy*rad
	den := math.Cos(lat0) - eta*math.Sin(lat0)
	lon := lon0 + math.Atan2(xi, den)
	lat := math.Atan2(math.Sin(lat0)+eta*math.Cos(lat0), math.Hypot(xi, den))
	wave := (FeI6302 + float64(p[1]-g.CoreIndex)*g.Dispersion) * 1e-9
	return [3]float64{lat * 180 / math.Pi, wave, lon * 180 / math.Pi}
}

func closeRel(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b))
}

func TestSampleReadByAstropy(t *testing.T) {
	shape := [4]int{4, 6, 40, 64}
	for _, plain := range []bool{false, true} {
		t.Run(fmt.Sprintf("plain=%v", plain), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "AGLKO")
			res, err := Generate(context.Background(), Options{Dir: dir, Shape: shape, Seed: 3, Plain: plain})
			if err != nil {
				t.Fatal(err)
			}
			if res.Files != 24 || res.Shape != shape {
				t.Fatalf("result %+v", res)
			}
			cubePath := filepath.Join(t.TempDir(), "cube.f4")
			var ds astropyDataset
			out := pyref.Run(t, datasetScript, dir, cubePath)
			if err := json.Unmarshal(out, &ds); err != nil {
				t.Fatalf("astropy output: %v\n%.2000s", err, out)
			}
			if len(ds.Files) != 24 || !slices.Equal(ds.Shape, shape[:]) {
				t.Fatalf("astropy sees %d files of dataset shape %v", len(ds.Files), ds.Shape)
			}
			raw, err := os.ReadFile(cubePath)
			if err != nil {
				t.Fatal(err)
			}
			g := NewGeometry(shape)
			checkFiles(t, g, ds, plain)
			checkData(t, dir, shape, raw)

			// Spectral content, computed by numpy on astropy's data.
			if ds.Argmin != g.CoreIndex || math.Abs(g.Wavelength(ds.Argmin)-FeI6302) > 1e-12 {
				t.Errorf("argmin of the summed Stokes I spectrum is pixel %d (%.4f nm); the Fe I 630.25 core is pixel %d",
					ds.Argmin, g.Wavelength(ds.Argmin), g.CoreIndex)
			}
			if ds.VCorr > -0.5 {
				t.Errorf("Stokes V on the two sides of the core correlate by %.2f; antisymmetric lobes need a strong negative correlation", ds.VCorr)
			}
			if !(ds.RmsQ < ds.RmsV && ds.RmsU < ds.RmsV) {
				t.Errorf("Q and U (rms %.4g, %.4g) should be weaker than V (%.4g)", ds.RmsQ, ds.RmsU, ds.RmsV)
			}
		})
	}
}

// datasetKeys must be equal in every file of a dataset.
var datasetKeys = []string{
	"DNAXIS", "DNAXIS1", "DNAXIS2", "DNAXIS3", "DNAXIS4", "DTYPE1", "DTYPE2", "DTYPE3", "DTYPE4",
	"DPNAME1", "DPNAME2", "DPNAME3", "DPNAME4", "DWNAME1", "DWNAME2", "DWNAME3", "DWNAME4",
	"DUNIT1", "DUNIT2", "DUNIT3", "DUNIT4", "DAAXES", "DEAXES", "INSTRUME", "DSETID", "BUNIT",
	"LINEWAV", "NAXIS", "NAXIS1", "NAXIS2", "NAXIS3", "BITPIX", "WCSAXES", "CTYPE1", "CTYPE2",
	"CTYPE3", "CUNIT1", "CUNIT2", "CUNIT3", "CDELT1", "CDELT2", "CDELT3", "CRVAL1", "CRVAL2",
	"CRVAL3", "CRPIX1", "CRPIX2", "PC1_1", "PC1_3", "PC3_1", "PC3_3", "WAVEMIN", "WAVEMAX",
}

func checkFiles(t *testing.T, g Geometry, ds astropyDataset, plain bool) {
	t.Helper()
	first := ds.Files[0].Header
	seen := map[[2]int]bool{}
	for _, f := range ds.Files {
		h := f.Header
		wantHDU := 1
		if plain {
			wantHDU = 0
		}
		if f.HDU != wantHDU || f.Dtype != "float32" || !slices.Equal(f.Shape, []int{1, g.Shape[2], g.Shape[3]}) {
			t.Errorf("%s: image in HDU %d, %s %v", f.Name, f.HDU, f.Dtype, f.Shape)
		}
		for _, key := range datasetKeys {
			if h[key] == nil || fmt.Sprint(h[key]) != fmt.Sprint(first[key]) {
				t.Errorf("%s: %s = %v, first file has %v", f.Name, key, h[key], first[key])
			}
		}
		k := int(h["DINDEX3"].(float64)) - 1
		s := int(h["DINDEX4"].(float64)) - 1
		if k < 0 || k >= g.Shape[1] || s < 0 || s >= g.Shape[0] || seen[[2]int{k, s}] {
			t.Fatalf("%s: DINDEX3=%v DINDEX4=%v out of range or repeated", f.Name, h["DINDEX3"], h["DINDEX4"])
		}
		seen[[2]int{k, s}] = true
		if h["STOKES"] != "IQUV"[s:s+1] || h["FILENAME"] != f.Name {
			t.Errorf("%s: STOKES %v FILENAME %v for DINDEX4 %d", f.Name, h["STOKES"], h["FILENAME"], s+1)
		}
		// Dates: 3 s per raster step from the first.
		for _, key := range []string{"DATE-BEG", "DATE-AVG", "DATE-END"} {
			at, err := time.Parse("2006-01-02T15:04:05", h[key].(string))
			if err != nil {
				t.Fatalf("%s: %s %v: %v", f.Name, key, h[key], err)
			}
			offset := map[string]time.Duration{"DATE-BEG": 0, "DATE-AVG": g.Exposure / 2, "DATE-END": g.Exposure}[key]
			if want := g.Start.Add(time.Duration(k)*3*time.Second + offset); !at.Equal(want) {
				t.Errorf("%s: %s = %v, want %v", f.Name, key, at, want)
			}
		}
		if crpix3 := h["CRPIX3"].(float64); crpix3 != g.RasterRefPixel-float64(k) {
			t.Errorf("%s: CRPIX3 %v, want %v", f.Name, crpix3, g.RasterRefPixel-float64(k))
		}
		for i, p := range f.Pixels {
			want := expectedWorld(g, k, p)
			got := f.World[i]
			got[2] = math.Remainder(got[2], 360)
			for a := range 3 {
				if !closeRel(got[a], want[a], 1e-9) {
					t.Errorf("%s pixel %v: astropy.wcs world axis %d = %.15g, want %.15g", f.Name, p, a+1, got[a], want[a])
				}
			}
		}
	}
	if len(seen) != g.Shape[0]*g.Shape[1] {
		t.Errorf("DINDEX pairs cover %d of %d places", len(seen), g.Shape[0]*g.Shape[1])
	}
}

// checkData compares astropy's DINDEX-sorted cube with what gokist's reader reads.
func checkData(t *testing.T, dir string, shape [4]int, raw []byte) {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(dir, "*.fits"))
	sort.Strings(paths)
	plane := shape[2] * shape[3]
	if len(raw) != 4*shape[0]*shape[1]*plane {
		t.Fatalf("astropy cube has %d bytes", len(raw))
	}
	for _, p := range paths {
		im, err := fits.OpenImage(p)
		if err != nil {
			t.Fatal(err)
		}
		k, _ := im.Header.Int("DINDEX3")
		s, _ := im.Header.Int("DINDEX4")
		data, err := im.Read32()
		im.Close()
		if err != nil {
			t.Fatal(err)
		}
		off := (int(s-1)*shape[1] + int(k-1)) * plane
		for i, v := range data {
			a := math.Float32frombits(binary.LittleEndian.Uint32(raw[4*(off+i):]))
			if math.Float32bits(a) != math.Float32bits(v) {
				t.Fatalf("%s pixel %d: gokist reads %v, astropy %v", filepath.Base(p), i, v, a)
			}
		}
	}
}

func TestSampleDeterministic(t *testing.T) {
	shape := [4]int{4, 5, 24, 50}
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	if _, err := Generate(context.Background(), Options{Dir: a, Shape: shape, Seed: 9, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(context.Background(), Options{Dir: b, Shape: shape, Seed: 9, Workers: 4}); err != nil {
		t.Fatal(err)
	}
	names, _ := filepath.Glob(filepath.Join(a, "*.fits"))
	if len(names) != 20 {
		t.Fatalf("%d files", len(names))
	}
	for _, p := range names {
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, filepath.Base(p)))
		if err != nil || !bytes.Equal(x, y) {
			t.Fatalf("%s differs between two runs with the same seed (%v)", filepath.Base(p), err)
		}
	}
	// Another seed gives other data.
	c := filepath.Join(t.TempDir(), "c")
	if _, err := Generate(context.Background(), Options{Dir: c, Shape: shape, Seed: 10}); err != nil {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(names[0])
	y, _ := os.ReadFile(filepath.Join(c, filepath.Base(names[0])))
	if bytes.Equal(x, y) {
		t.Error("seeds 9 and 10 wrote the same file")
	}
}

func TestSampleDirectoryRules(t *testing.T) {
	shape := [4]int{2, 3, 16, 20}
	ctx := context.Background()
	// A non-empty directory that is not a sample is refused, and left alone.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
	_, err := Generate(ctx, Options{Dir: other, Shape: shape})
	if err == nil || !isInvalid(err) {
		t.Fatalf("writing into a foreign directory: %v", err)
	}
	if entries, _ := os.ReadDir(other); len(entries) != 1 {
		t.Errorf("refused directory now has %d entries", len(entries))
	}
	if _, err := Generate(ctx, Options{Dir: other, Shape: shape, Force: true}); err != nil {
		t.Fatalf("--force: %v", err)
	}
	// A sample directory may be rewritten with another shape; stale files go.
	dir := filepath.Join(t.TempDir(), "s")
	if _, err := Generate(ctx, Options{Dir: dir, Shape: [4]int{2, 4, 16, 20}}); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(ctx, Options{Dir: dir, Shape: shape}); err != nil {
		t.Fatalf("rewriting a sample: %v", err)
	}
	fitsFiles, _ := filepath.Glob(filepath.Join(dir, "*.fits"))
	all, _ := os.ReadDir(dir)
	indexes, _ := filepath.Glob(filepath.Join(dir, "*.asdf"))
	if len(fitsFiles) != 6 || len(indexes) != 1 || len(all) != 8 {
		t.Errorf("rewritten sample holds %d FITS files, %d ASDF files and %d entries, want 6, 1 and 8 (with the marker)", len(fitsFiles), len(indexes), len(all))
	}
	// The marker records what wrote the files: shape, seed and generator version.
	marker, err := os.ReadFile(filepath.Join(dir, MarkerFile))
	wantMarker := fmt.Sprintf("shape 2,3,16,20\nseed 0\ngenerator version %d\n", GeneratorVersion)
	if err != nil || !strings.HasSuffix(string(marker), wantMarker) {
		t.Errorf("marker %q (%v), want it to end %q", marker, err, wantMarker)
	}
	// Bad options leave nothing behind.
	for _, opt := range []Options{
		{Dir: filepath.Join(t.TempDir(), "x"), Shape: [4]int{4, 0, 16, 20}},
		{Dir: filepath.Join(t.TempDir(), "x"), Size: "huge"},
		{Dir: filepath.Join(t.TempDir(), "x"), Shape: [4]int{5, 2, 16, 20}},
		{Dir: filepath.Join(other, "notes.txt", "x"), Shape: shape},
	} {
		_, err := Generate(ctx, opt)
		if err == nil || !isInvalid(err) {
			t.Errorf("%+v: error %v, want an invalid-options error", opt, err)
		}
		if _, statErr := os.Stat(opt.Dir); statErr == nil {
			t.Errorf("%+v: left %s behind", opt, opt.Dir)
		}
	}
}

func isInvalid(err error) bool { return errors.Is(err, ErrInvalid) }

// TestSmallSizeOnDisk writes one raster step of the small size and extrapolates the
// dataset size: it must be of the order of 100 MB.
func TestSmallSizeOnDisk(t *testing.T) {
	small := Sizes["small"]
	one := small
	one[1] = 1
	res, err := Generate(context.Background(), Options{Dir: filepath.Join(t.TempDir(), "s"), Shape: one})
	if err != nil {
		t.Fatal(err)
	}
	total := float64(res.Bytes) * float64(small[1])
	t.Logf("small: %.1f MB estimated from %d bytes per raster step", total/1e6, res.Bytes)
	if total < 50e6 || total > 200e6 {
		t.Errorf("small would be %.0f MB on disk, not of the order of 100 MB", total/1e6)
	}
}

// BenchmarkSampleSmall writes the small dataset (320 files, 4x80x160x2555).
func BenchmarkSampleSmall(b *testing.B) {
	var files int
	var bytes int64
	start := time.Now()
	for i := range b.N {
		dir := filepath.Join(b.TempDir(), fmt.Sprint(i))
		res, err := Generate(context.Background(), Options{Dir: dir, Size: "small"})
		if err != nil {
			b.Fatal(err)
		}
		files += res.Files
		bytes += res.Bytes
	}
	sec := time.Since(start).Seconds()
	b.ReportMetric(float64(files)/sec, "files/s")
	b.ReportMetric(float64(bytes)/1e6/sec, "MB/s")
}
