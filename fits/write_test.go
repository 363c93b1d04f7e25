package fits

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

// astropyReadScript opens the FITS file argv[1] with every warning turned into an error,
// verifies it with verify('exception') (compressed HDUs both as images and as raw
// tables), writes the image's data as little-endian float64 to argv[2] and prints the
// image header, dtype, shape and per-tile ZSCALE as JSON.
const astropyReadScript = `
import sys, json, warnings
import numpy as np
from astropy.io import fits
warnings.simplefilter("error")
out = {}
with fits.open(sys.argv[1], disable_image_compression=True) as raw:
    raw.verify("exception")
    if len(raw) > 1:
        out["zscale"] = [float(x) for x in raw[1].data["ZSCALE"]]
        out["gzip_rows"] = [i for i, r in enumerate(raw[1].data) if len(r["GZIP_COMPRESSED_DATA"]) > 0]
        out["table_cards"] = [c.keyword for c in raw[1].header.cards]
with fits.open(sys.argv[1]) as f:
    f.verify("exception")
    hdu = f[1] if len(f) > 1 else f[0]
    data = hdu.data
    out["dtype"] = str(data.dtype.newbyteorder("="))
    out["shape"] = list(data.shape)
    out["header"] = {k: v for k, v in hdu.header.items() if k not in ("COMMENT", "HISTORY", "")}
    out["hdus"] = len(f)
    np.asarray(data, dtype="<f8").tofile(sys.argv[2])
print(json.dumps(out))
`

type astropyImage struct {
	Dtype      string         `json:"dtype"`
	Shape      []int          `json:"shape"`
	Header     map[string]any `json:"header"`
	HDUs       int            `json:"hdus"`
	ZScale     []float64      `json:"zscale"`
	GzipRows   []int          `json:"gzip_rows"`
	TableCards []string       `json:"table_cards"`
	Data       []float64      `json:"-"`
}

// readWithAstropy returns what astropy reads from path.
func readWithAstropy(t *testing.T, path string) astropyImage {
	t.Helper()
	dataPath := path + ".f8"
	out := pyref.Run(t, astropyReadScript, path, dataPath)
	var img astropyImage
	if err := json.Unmarshal(out, &img); err != nil {
		t.Fatalf("astropy output: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(dataPath)
	if err != nil {
		t.Fatal(err)
	}
	img.Data = make([]float64, len(raw)/8)
	for i := range img.Data {
		img.Data[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	return img
}

// testHeader is a small image header with the kinds of cards DKIST files carry.
func testHeader() *Header {
	h := NewHeader()
	h.Set("BUNIT", "ct", "")
	h.Set("CTYPE1", "HPLT-TAN", "")
	h.Set("CDELT1", 0.0298, "[arcsec]")
	h.Set("CRPIX1", 12.5, "")
	h.Set("DNAXIS", 4, "")
	h.Set("WCSVALID", true, "")
	h.Set("CAL_URL", "https://docs.dkist.nso.edu/projects/visp/en/v2.0.1/l0_to_l1_visp.html?with=a-long-tail", "")
	h.Set("COMMENT", nil, "a commentary card")
	h.Set("EXTNAME", "observation", "")
	return h
}

// testImage returns pixels for shape with a constant row (lossless fallback), a row
// holding NaN and Inf, a wide-range row and smooth noisy rows.
func testImage(shape []int) []float64 {
	nx := shape[len(shape)-1]
	n := 1
	for _, d := range shape {
		n *= d
	}
	values := testImageRows(nx, n/nx, 11)
	row := func(r int) []float64 { return values[r*nx : (r+1)*nx] }
	for i := range row(1) {
		row(1)[i] = 42.5
	}
	row(2)[3] = math.NaN()
	row(2)[4] = math.Inf(-1)
	for i := range row(4) {
		row(4)[i] = float64(i*i) * 1e5
	}
	return values
}

func TestWriteImageReadByAstropy(t *testing.T) {
	shape := []int{2, 5, 77}
	values := testImage(shape)
	for _, tc := range []struct {
		name     string
		float32  bool
		compress bool
	}{
		{"plain-f4", true, false},
		{"plain-f8", false, false},
		{"rice-f4", true, true},
		{"rice-f8", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var data any = values
			input := values
			if tc.float32 {
				f := make([]float32, len(values))
				input = make([]float64, len(values))
				for i, v := range values {
					f[i] = float32(v)
					input[i] = float64(f[i])
				}
				data = f
			}
			path := filepath.Join(t.TempDir(), tc.name+".fits")
			var buf bytes.Buffer
			if err := WriteImage(&buf, testHeader(), shape, data, WriteOptions{Compress: tc.compress}); err != nil {
				t.Fatal(err)
			}
			if buf.Len()%BlockLen != 0 {
				t.Fatalf("file size %d is not a multiple of 2880", buf.Len())
			}
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			img := readWithAstropy(t, path)
			wantDtype := map[bool]string{true: "float32", false: "float64"}[tc.float32]
			if img.Dtype != wantDtype || !slices.Equal(img.Shape, shape) {
				t.Fatalf("astropy reads %s %v, want %s %v", img.Dtype, img.Shape, wantDtype, shape)
			}
			wantHDUs := map[bool]int{true: 2, false: 1}[tc.compress]
			if img.HDUs != wantHDUs {
				t.Errorf("astropy sees %d HDUs, want %d", img.HDUs, wantHDUs)
			}
			for key, want := range map[string]any{"BUNIT": "ct", "CTYPE1": "HPLT-TAN", "CDELT1": 0.0298, "DNAXIS": 4.0, "WCSVALID": true, "EXTNAME": "observation",
				"CAL_URL": "https://docs.dkist.nso.edu/projects/visp/en/v2.0.1/l0_to_l1_visp.html?with=a-long-tail"} {
				if got := img.Header[key]; got != want {
					t.Errorf("astropy header %s = %v, want %v", key, got, want)
				}
			}
			// gokist's own reader must agree with astropy bit for bit.
			im, err := OpenImage(path)
			if err != nil {
				t.Fatal(err)
			}
			defer im.Close()
			var ours []float64
			if tc.float32 {
				v, err := im.Read32()
				if err != nil {
					t.Fatal(err)
				}
				for _, x := range v {
					ours = append(ours, float64(x))
				}
			} else if ours, err = im.Read(); err != nil {
				t.Fatal(err)
			}
			if len(ours) != len(img.Data) {
				t.Fatalf("gokist reads %d pixels, astropy %d", len(ours), len(img.Data))
			}
			for i, v := range ours {
				if a := img.Data[i]; math.Float64bits(a) != math.Float64bits(v) && !(math.IsNaN(a) && math.IsNaN(v)) {
					t.Fatalf("pixel %d: gokist reads %v, astropy %v", i, v, a)
				}
			}
			nx := shape[len(shape)-1]
			if !tc.compress {
				for i, v := range input {
					if got := img.Data[i]; got != v && !(math.IsNaN(got) && math.IsNaN(v)) {
						t.Fatalf("pixel %d: astropy reads %v, wrote %v", i, got, v)
					}
				}
				return
			}
			if len(img.ZScale) != len(input)/nx {
				t.Fatalf("astropy sees %d tiles, want %d", len(img.ZScale), len(input)/nx)
			}
			// Constant rows and the row with NaN and Inf cannot be quantised and must
			// come back exactly through the gzip column.
			var lossless []int
			isLossless := map[int]bool{}
			for r := range len(input) / nx {
				row := input[r*nx : (r+1)*nx]
				constant, finite := true, true
				for _, v := range row {
					constant = constant && v == row[0]
					finite = finite && !math.IsNaN(v) && !math.IsInf(v, 0)
				}
				if constant || !finite {
					lossless = append(lossless, r)
					isLossless[r] = true
				}
			}
			if len(lossless) < 3 || !slices.Equal(img.GzipRows, lossless) {
				t.Errorf("rows in GZIP_COMPRESSED_DATA: %v, want %v", img.GzipRows, lossless)
			}
			for i, v := range input {
				got := img.Data[i]
				row := i / nx
				if isLossless[row] {
					if got != v && !(math.IsNaN(got) && math.IsNaN(v)) {
						t.Fatalf("pixel %d of lossless row %d: astropy reads %v, wrote %v", i, row, got, v)
					}
					continue
				}
				step := img.ZScale[row]
				if step <= 0 {
					t.Fatalf("row %d: ZSCALE %v", row, step)
				}
				// Half a step, plus the float32 rounding of the reconstructed value.
				tol := step/2*(1+1e-9) + math.Abs(v)*1e-7*boolFloat(tc.float32)
				if math.Abs(got-v) > tol {
					t.Fatalf("pixel %d (row %d): astropy reads %v, wrote %v: off by %g > ZSCALE/2 = %g", i, row, got, v, math.Abs(got-v), step/2)
				}
			}
		})
	}
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func TestWriteImageRejectsBadInput(t *testing.T) {
	h := NewHeader()
	for _, tc := range []struct {
		name  string
		shape []int
		data  any
		hdr   *Header
		want  string
	}{
		{"short data", []int{2, 3}, make([]float32, 5), h, "needs 6 pixels"},
		{"zero axis", []int{0, 3}, make([]float32, 0), h, "not positive"},
		{"no axes", nil, make([]float32, 1), h, "1 to 999 axes"},
		{"int data", []int{2}, []int{1, 2}, h, "not []float32"},
		{"bscale", []int{2}, make([]float64, 2), func() *Header { b := NewHeader(); b.Set("BSCALE", 2.0, ""); return b }(), "BSCALE"},
	} {
		err := WriteImage(&bytes.Buffer{}, tc.hdr, tc.shape, tc.data, WriteOptions{Compress: true})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

// BenchmarkWriteImageRice writes one DKIST-sized frame (976 x 2555 float32, noisy and
// smooth) RICE_1 compressed; MB/s counts the uncompressed pixels.
func BenchmarkWriteImageRice(b *testing.B) {
	shape := []int{1, 976, 2555}
	values := testImageRows(2555, 976, 5)
	data := make([]float32, len(values))
	for i, v := range values {
		data[i] = float32(v)
	}
	hdr := testHeader()
	var out bytes.Buffer
	b.SetBytes(int64(4 * len(data)))
	for b.Loop() {
		out.Reset()
		if err := WriteImage(&out, hdr, shape, data, WriteOptions{Compress: true}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(out.Len())/float64(4*len(data)), "compressed/raw")
}
