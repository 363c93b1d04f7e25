package fits

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"gokist/internal/pyref"
)

// refCase is one file written by astropy with astropy's own decoded values beside it.
type refCase struct {
	Name   string   `json:"name"`
	Shape  []int    `json:"shape"`
	Bitpix int      `json:"bitpix"`
	Keys   []string `json:"keys"`
}

// readRef loads the float64 little-endian reference values written by the script.
func readRef(t *testing.T, path string) []float64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v := make([]float64, len(b)/8)
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return v
}

func sameFloat(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b))
}

// sliceRef cuts the box [start, stop) out of a C-order array, as numpy slicing does.
func sliceRef(ref []float64, shape, start, stop []int) []float64 {
	nd := len(shape)
	var out []float64
	idx := append([]int(nil), start...)
	for {
		off := 0
		for i := range nd {
			off = off*shape[i] + idx[i]
		}
		out = append(out, ref[off:off+stop[nd-1]-start[nd-1]]...)
		i := nd - 2
		for ; i >= 0; i-- {
			idx[i]++
			if idx[i] < stop[i] {
				break
			}
			idx[i] = start[i]
		}
		if i < 0 {
			return out
		}
	}
}

// checkAgainstRef reads the whole image and random boxes in float64 and float32.
func checkAgainstRef(t *testing.T, path string, c refCase, ref []float64) {
	t.Helper()
	im, err := OpenImage(path)
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	defer im.Close()
	if fmt.Sprint(im.Shape) != fmt.Sprint(c.Shape) || im.Bitpix != c.Bitpix {
		t.Fatalf("%s: shape %v bitpix %d, astropy %v %d", c.Name, im.Shape, im.Bitpix, c.Shape, c.Bitpix)
	}
	got, err := im.Read()
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	if len(got) != len(ref) {
		t.Fatalf("%s: %d values, astropy %d", c.Name, len(got), len(ref))
	}
	for i := range got {
		if !sameFloat(got[i], ref[i]) {
			t.Fatalf("%s: value %d = %v, astropy %v", c.Name, i, got[i], ref[i])
		}
	}
	if c.Keys != nil {
		var keys []string
		for _, card := range im.Header.Cards() {
			keys = append(keys, card.Key)
		}
		if strings.Join(keys, ",") != strings.Join(c.Keys, ",") {
			t.Errorf("%s: header keys\n%v\nastropy\n%v", c.Name, keys, c.Keys)
		}
	}
	rng := rand.New(rand.NewPCG(uint64(len(c.Name)), 7))
	for trial := range 6 {
		start := make([]int, len(c.Shape))
		stop := make([]int, len(c.Shape))
		for i, n := range c.Shape {
			start[i] = rng.IntN(n)
			stop[i] = start[i] + 1 + rng.IntN(n-start[i])
			if trial == 0 {
				start[i], stop[i] = 0, n
			}
		}
		want := sliceRef(ref, c.Shape, start, stop)
		dst := make([]float64, len(want))
		if err := im.ReadRegion(start, stop, dst); err != nil {
			t.Fatalf("%s: region %v-%v: %v", c.Name, start, stop, err)
		}
		dst32 := make([]float32, len(want))
		if err := im.ReadRegion32(start, stop, dst32); err != nil {
			t.Fatalf("%s: region32 %v-%v: %v", c.Name, start, stop, err)
		}
		for i := range want {
			if !sameFloat(dst[i], want[i]) {
				t.Fatalf("%s: region %v-%v value %d = %v, numpy slice %v", c.Name, start, stop, i, dst[i], want[i])
			}
			if !sameFloat(float64(dst32[i]), float64(float32(want[i]))) {
				t.Fatalf("%s: region32 %v-%v value %d = %v, numpy slice %v", c.Name, start, stop, i, dst32[i], float32(want[i]))
			}
		}
	}
}

func runRefCases(t *testing.T, script string) {
	dir := t.TempDir()
	out := pyref.Run(t, script, dir)
	var cases []refCase
	if err := json.Unmarshal(out, &cases); err != nil {
		t.Fatalf("manifest: %v\n%s", err, out)
	}
	if len(cases) == 0 {
		t.Fatal("no cases written")
	}
	for _, c := range cases {
		ref := readRef(t, filepath.Join(dir, c.Name+".ref"))
		checkAgainstRef(t, filepath.Join(dir, c.Name+".fits"), c, ref)
	}
}

// plainScript writes plain images of every BITPIX (with BSCALE/BZERO and BLANK variants)
// and astropy's values computed in float64 from the stored integers.
const plainScript = `
import sys, json, warnings
import numpy as np
from astropy.io import fits
warnings.simplefilter("ignore")
d = sys.argv[1]
rng = np.random.default_rng(3)
cases = []
def emit(name, hdul, index=0):
    path = f"{d}/{name}.fits"
    hdul.writeto(path, overwrite=True)
    with fits.open(path, do_not_scale_image_data=True) as h:
        hdu = h[index]
        raw = np.asarray(hdu.data)
        bscale = hdu.header.get("BSCALE", 1.0); bzero = hdu.header.get("BZERO", 0.0)
        ref = raw.astype(np.float64) * bscale + bzero
        if "BLANK" in hdu.header and raw.dtype.kind in "iu":
            ref[raw == hdu.header["BLANK"]] = np.nan
        ref.astype("<f8").tofile(f"{d}/{name}.ref")
        cases.append(dict(name=name, shape=list(raw.shape), bitpix=hdu.header["BITPIX"],
                          keys=[c.keyword for c in hdu.header.cards]))
shape = (3, 11, 17)
emit("u8", fits.HDUList([fits.PrimaryHDU(rng.integers(0, 256, shape).astype(np.uint8))]))
emit("i16", fits.HDUList([fits.PrimaryHDU(rng.integers(-32768, 32767, shape).astype(np.int16))]))
emit("i32", fits.HDUList([fits.PrimaryHDU(rng.integers(-2**31, 2**31 - 1, shape).astype(np.int32))]))
emit("i64", fits.HDUList([fits.PrimaryHDU(rng.integers(-2**40, 2**40, shape).astype(np.int64))]))
f32 = rng.normal(0, 1e3, shape).astype(np.float32); f32[1, 2, 3] = np.nan
emit("f32", fits.HDUList([fits.PrimaryHDU(f32)]))
emit("f64", fits.HDUList([fits.PrimaryHDU(rng.normal(0, 1e3, shape))]))
emit("u16", fits.HDUList([fits.PrimaryHDU(rng.integers(0, 65535, shape).astype(np.uint16))]))
emit("i8", fits.HDUList([fits.PrimaryHDU(rng.integers(-128, 127, shape).astype(np.int8))]))
hdu = fits.PrimaryHDU(rng.integers(-1000, 1000, shape).astype(np.int16))
hdu.data[0, 0, :4] = -999
hdu.header["BSCALE"] = 0.25; hdu.header["BZERO"] = 100.0; hdu.header["BLANK"] = -999
emit("i16scaled", fits.HDUList([hdu]))
emit("ext2d", fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(rng.normal(0, 1, (7, 5)).astype(np.float32), name="SCI")]), 1)
emit("ext1d", fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(np.arange(13, dtype=np.int32))]), 1)
print(json.dumps(cases))
`

func TestPlainImagesMatchAstropy(t *testing.T) {
	runRefCases(t, plainScript)
}

// compressedScript writes tile-compressed images for every compression type, integer
// BITPIX, quantisation method and several tile shapes, with astropy's decoded values.
const compressedScript = `
import sys, json, warnings
import numpy as np
from astropy.io import fits
warnings.simplefilter("ignore")
d = sys.argv[1]
rng = np.random.default_rng(5)
cases = []
def emit(name, hdu):
    path = f"{d}/{name}.fits"
    fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(path, overwrite=True)
    with fits.open(path) as h:
        bitpix = h[1].header["BITPIX"]
        keys = [c.keyword for c in h[1].header.cards]
        data = np.asarray(h[1].data).astype(np.float64)
        data.astype("<f8").tofile(f"{d}/{name}.ref")
        cases.append(dict(name=name, shape=list(data.shape), bitpix=bitpix, keys=keys))
shape = (3, 20, 45)
z, y, x = np.mgrid[0:shape[0], 0:shape[1], 0:shape[2]]
smooth = 500 + 80 * np.sin(x / 6.0) * np.cos(y / 4.0) + 10 * z
ints = {
    "u8": np.clip(smooth / 4 + rng.normal(0, 3, shape), 0, 255).astype(np.uint8),
    "i16": (smooth * 20 - 9000 + rng.normal(0, 30, shape)).astype(np.int16),
    "i32": (smooth * 1e5 - 4e7 + rng.normal(0, 1e4, shape)).astype(np.int32),
}
tiles = {"rows": None, "boxes": [8, 6, 2]}
for ct in ["RICE_1", "GZIP_1", "GZIP_2", "NOCOMPRESS"]:
    for tn, ts in tiles.items():
        for dn, data in ints.items():
            emit(f"{ct}_{dn}_{tn}", fits.CompImageHDU(data, compression_type=ct, tile_size=ts))
floats = {}
f32 = (smooth + rng.normal(0, 2, shape)).astype(np.float32)
f32[0, 1, 2] = np.nan; f32[2, 5, :7] = 0.0
floats["f32"] = f32
f64 = smooth + rng.normal(0, 2, shape)
f64[1, 3, 4] = np.nan; f64[0, 0, :5] = 0.0
floats["f64"] = f64
for ct in ["RICE_1", "GZIP_1", "GZIP_2"]:
    for q in [-1, 1, 2]:
        for dn, data in floats.items():
            for tn, ts in tiles.items():
                emit(f"{ct}_{dn}_q{q}_{tn}", fits.CompImageHDU(data, compression_type=ct,
                     quantize_method=q, dither_seed=1234 if tn == "rows" else 9999, tile_size=ts))
for dn, data in floats.items():
    emit(f"NOCOMPRESS_{dn}", fits.CompImageHDU(data, compression_type="NOCOMPRESS"))
    emit(f"GZIP_2_{dn}_lossless", fits.CompImageHDU(data, compression_type="GZIP_2", quantize_level=0.0))
    emit(f"RICE_1_{dn}_noise4", fits.CompImageHDU(data, compression_type="RICE_1", quantize_level=4.0, quantize_method=1, dither_seed=42))
# Tiles that cannot be quantised (constant rows) fall back to GZIP_COMPRESSED_DATA.
flat = np.ones((6, 30), dtype=np.float32) * 3.5
flat[2] = np.arange(30) * 0.1 + np.float32(rng.normal(0, 0.01, 30))
emit("RICE_1_fallback", fits.CompImageHDU(flat, compression_type="RICE_1"))
# Scaled integers with blanks.
h16 = fits.CompImageHDU((smooth[0] * 10).astype(np.int16), compression_type="RICE_1")
h16.data[0, :3] = -32768
h16.header["BSCALE"] = 0.5; h16.header["BZERO"] = 7.0; h16.header["BLANK"] = -32768
emit("RICE_1_i16scaled", h16)
print(json.dumps(cases))
`

func TestCompressedMatchAstropy(t *testing.T) {
	runRefCases(t, compressedScript)
}

func TestDKISTSampleFiles(t *testing.T) {
	files, err := filepath.Glob("../../shared/data/dkist-small-visp/*.fits")
	if err != nil || len(files) != 3 {
		t.Fatalf("want the 3 sample files, got %v %v", files, err)
	}
	total, first := 0.0, 0.0
	for _, path := range files {
		im, err := OpenImage(path)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(im.Shape) != "[1 10 25]" || im.Bitpix != -64 {
			t.Fatalf("%s: shape %v bitpix %d", path, im.Shape, im.Bitpix)
		}
		data, err := im.Read()
		if err != nil {
			t.Fatal(err)
		}
		sum := 0.0
		for _, v := range data {
			sum += v
		}
		total += sum
		if n, _ := im.Header.Int("DNAXIS"); n != 3 {
			t.Errorf("%s: DNAXIS = %d", path, n)
		}
		if d, ok := im.Header.Int("DINDEX3"); !ok {
			t.Errorf("%s: no DINDEX3", path)
		} else if d == 0 {
			first = sum
		}
		im.Close()
	}
	if math.Abs(total-363.71324943117065) > 1e-9 {
		t.Errorf("sum of all values = %.17g, want 363.71324943117065", total)
	}
	if math.Abs(first-122.2499439201738) > 1e-9 {
		t.Errorf("sum of the first raster position = %.17g, want 122.2499439201738", first)
	}
}

// headerValuesScript prints astropy's view of a header as [key, value] pairs (booleans,
// numbers and strings), skipping commentary cards.
const headerValuesScript = `
import sys, json
from astropy.io import fits
if sys.argv[1] == "text":
    h = fits.Header.fromtextfile(sys.argv[2])
elif sys.argv[1] == "blocks":
    with open(sys.argv[2], "rb") as f:
        h = fits.Header.fromstring(f.read().decode("ascii"))
else:
    h = fits.getheader(sys.argv[2], int(sys.argv[3]))
out = []
for c in h.cards:
    if c.keyword in ("COMMENT", "HISTORY", "", "CONTINUE"):
        continue
    out.append([c.keyword, c.value, c.comment])
print(json.dumps(out))
`

// checkHeaderAgainst compares every valued card with astropy's key, value and comment.
func checkHeaderAgainst(t *testing.T, h *Header, out []byte) {
	t.Helper()
	var want [][3]any
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	var got []Card
	for _, c := range h.Cards() {
		if !isCommentary(c.Key) {
			got = append(got, c)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d valued cards, astropy %d", len(got), len(want))
	}
	for i, w := range want {
		c := got[i]
		if c.Key != w[0] {
			t.Fatalf("card %d: key %s, astropy %v", i, c.Key, w[0])
		}
		var v any = c.Value
		if x, ok := v.(int64); ok {
			v = float64(x) // JSON numbers
		}
		if fmt.Sprint(v) != fmt.Sprint(w[1]) || c.Comment != w[2] {
			t.Errorf("card %s: value %#v comment %q, astropy %#v %q", c.Key, c.Value, c.Comment, w[1], w[2])
		}
	}
}

func TestVISPHeaderText(t *testing.T) {
	path := "../../shared/data/dkist-headers/VISP_HEADER.hdr"
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := ParseHeaderText(f)
	if err != nil {
		t.Fatal(err)
	}
	if x, _ := h.String("XTENSION"); x != "IMAGE" {
		t.Errorf("XTENSION = %q", x)
	}
	for key, want := range map[string]int64{"BITPIX": -64, "NAXIS": 3, "NAXIS1": 2555, "NAXIS2": 976, "NAXIS3": 1} {
		if v, ok := h.Int(key); !ok || v != want {
			t.Errorf("%s = %d, want %d", key, v, want)
		}
	}
	if v, _ := h.Float("CRVAL2"); v != 630.2051 {
		t.Errorf("CRVAL2 = %v", v)
	}
	if s, _ := h.String("CAL_URL"); s != "https://docs.dkist.nso.edu/projects/visp/en/v2.0.1/l0_to_l1_visp.html" {
		t.Errorf("CAL_URL = %q", s)
	}
	checkHeaderAgainst(t, h, pyref.Run(t, headerValuesScript, "text", path))
	// Encoding and parsing back keeps every card; astropy reads the encoded blocks alike.
	enc, err := h.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if len(enc)%BlockLen != 0 {
		t.Fatalf("encoded length %d", len(enc))
	}
	h2, err := ParseHeaderBytes(enc)
	if err != nil {
		t.Fatal(err)
	}
	if h2.Len() != h.Len() {
		t.Fatalf("round trip: %d cards, want %d", h2.Len(), h.Len())
	}
	blocks := filepath.Join(t.TempDir(), "h.bin")
	os.WriteFile(blocks, enc, 0o644)
	checkHeaderAgainst(t, h2, pyref.Run(t, headerValuesScript, "blocks", blocks))
}

// cardScript prints astropy's formatted card images for the values in argv[1] (JSON).
const cardScript = `
import sys, json, warnings
from astropy.io import fits
warnings.simplefilter("ignore")
for key, kind, text, comment in json.loads(sys.argv[1]):
    value = {"bool": lambda s: s == "true", "int": int, "float": float, "string": str}[kind](text)
    print(str(fits.Card(key, value, comment)))
`

func TestEncodeMatchesAstropyCards(t *testing.T) {
	h := NewHeader()
	values := []Card{
		{"SIMPLE", true, "conforms to FITS standard"},
		{"BITPIX", int64(-32), "array data type"},
		{"NAXIS1", int64(2555), ""},
		{"CRVAL1", 198.4197498042653, ""},
		{"CDELT1A", 8.2777777777777e-06, ""},
		{"BIG", 1.5e20, "big"},
		{"ROUND", 3.0, ""},
		{"SMALL", 0.0001, ""},
		{"TINY", -1.25e-5, ""},
		{"NEG", -0.00012345678901234567, "truncated"},
		{"FLAG", false, ""},
		{"OBJECT", "quiet Sun", "target"},
		{"SHORT", "ab", ""},
		{"QUOTE", "it's", ""},
		{"EMPTY", "", "empty string"},
		{"LONGSTR", strings.Repeat("0123456789'", 12) + "end", "a long comment that has to go somewhere"},
	}
	var spec [][4]string
	for _, c := range values {
		h.Set(c.Key, c.Value, c.Comment)
		kind := map[string]string{"bool": "bool", "int64": "int", "float64": "float", "string": "string"}[fmt.Sprintf("%T", c.Value)]
		text := fmt.Sprint(c.Value)
		if f, ok := c.Value.(float64); ok {
			text = strconv.FormatFloat(f, 'g', -1, 64)
		}
		spec = append(spec, [4]string{c.Key, kind, text, c.Comment})
	}
	js, _ := json.Marshal(spec)
	want := strings.Split(strings.TrimRight(string(pyref.Run(t, cardScript, string(js))), "\n"), "\n")
	enc, err := h.Encode()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := 0; i+CardLen <= len(enc); i += CardLen {
		got = append(got, string(enc[i:i+CardLen]))
	}
	// Compare the single-card values exactly; the long string must round-trip through astropy.
	for i := 0; i < len(values)-1; i++ {
		if got[i] != want[i] {
			t.Errorf("card %s:\n got  %q\n want %q", values[i].Key, got[i], want[i])
		}
	}
	blocks := filepath.Join(t.TempDir(), "h.bin")
	os.WriteFile(blocks, enc, 0o644)
	h2, err := ParseHeaderBytes(enc)
	if err != nil {
		t.Fatal(err)
	}
	checkHeaderAgainst(t, h2, pyref.Run(t, headerValuesScript, "blocks", blocks))
	if s, _ := h2.String("LONGSTR"); s != values[len(values)-1].Value {
		t.Errorf("long string round trip = %q", s)
	}
}

func TestHeaderAccessors(t *testing.T) {
	h := NewHeader()
	h.Set("A", 3, "three")
	h.Set("B", 2.5, "")
	h.Set("C", "text  ", "")
	h.Set("HISTORY", nil, "first")
	h.Set("HISTORY", nil, "second")
	h.Set("A", 4, "")
	if v, _ := h.Int("A"); v != 4 {
		t.Errorf("A = %d", v)
	}
	if c, _ := h.Comment("A"); c != "three" {
		t.Errorf("A comment = %q", c)
	}
	if v, ok := h.Float("A"); !ok || v != 4 {
		t.Errorf("Float(A) = %v %v", v, ok)
	}
	if _, ok := h.Int("B"); ok {
		t.Error("Int(B) of 2.5 should fail")
	}
	if s, _ := h.String("C"); s != "text" {
		t.Errorf("C = %q", s)
	}
	if h.Len() != 5 {
		t.Errorf("Len = %d", h.Len())
	}
	h.Delete("HISTORY")
	h.Delete("A")
	if h.Len() != 2 || h.Has("A") {
		t.Errorf("after Delete: %v", h.Cards())
	}
	if v, _ := h.Float("B"); v != 2.5 {
		t.Errorf("B = %v after Delete", v)
	}
}

// countingReader counts the bytes read through ReadAt.
type countingReader struct {
	r     *bytes.Reader
	bytes int64
	calls int
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	c.bytes += int64(len(p))
	c.calls++
	return c.r.ReadAt(p, off)
}

func TestPlainRegionReadsOnlyItsBytes(t *testing.T) {
	dir := t.TempDir()
	pyref.Run(t, `
import sys, numpy as np
from astropy.io import fits
fits.PrimaryHDU(np.arange(4*50*60, dtype=np.float32).reshape(4, 50, 60)).writeto(sys.argv[1])
`, filepath.Join(dir, "a.fits"))
	raw, err := os.ReadFile(filepath.Join(dir, "a.fits"))
	if err != nil {
		t.Fatal(err)
	}
	cr := &countingReader{r: bytes.NewReader(raw)}
	f, err := NewFile("a.fits", cr, int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	im, err := f.Image()
	if err != nil {
		t.Fatal(err)
	}
	for _, box := range [][2][]int{
		{{1, 10, 5}, {3, 20, 15}},  // 2*10 runs of 10 pixels
		{{0, 0, 0}, {4, 50, 60}},   // whole image: one run
		{{2, 0, 0}, {3, 50, 60}},   // one full plane: one run
		{{1, 7, 0}, {2, 9, 60}},    // full rows: one run
		{{0, 3, 30}, {4, 4, 31}},   // one pixel per plane
		{{3, 49, 59}, {4, 50, 60}}, // last pixel
	} {
		start, stop := box[0], box[1]
		n := 1
		for i := range start {
			n *= stop[i] - start[i]
		}
		cr.bytes, cr.calls = 0, 0
		dst := make([]float64, n)
		if err := im.ReadRegion(start, stop, dst); err != nil {
			t.Fatal(err)
		}
		if cr.bytes != int64(4*n) {
			t.Errorf("box %v-%v read %d bytes, want %d", start, stop, cr.bytes, 4*n)
		}
		i := 0
		for a := start[0]; a < stop[0]; a++ {
			for b := start[1]; b < stop[1]; b++ {
				for c := start[2]; c < stop[2]; c++ {
					if want := float64((a*50+b)*60 + c); dst[i] != want {
						t.Fatalf("box %v-%v: value %d = %v, want %v", start, stop, i, dst[i], want)
					}
					i++
				}
			}
		}
		t.Logf("box %v-%v: %d ReadAt calls", start, stop, cr.calls)
	}
}

func TestCompressedRegionDecodesOnlyTouchedTiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.fits")
	pyref.Run(t, `
import sys, numpy as np
from astropy.io import fits
fits.HDUList([fits.PrimaryHDU(), fits.CompImageHDU(np.arange(40*50, dtype=np.int32).reshape(40, 50), compression_type="RICE_1")]).writeto(sys.argv[1])
`, path)
	raw, _ := os.ReadFile(path)
	f, err := NewFile(path, bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	im, err := f.Image()
	if err != nil {
		t.Fatal(err)
	}
	// Point every tile but rows 10..12 past the heap: a read of rows 10..12 must not
	// touch them.
	hdu := f.HDUs()[1]
	for row := range 40 {
		if row >= 10 && row < 13 {
			continue
		}
		binary.BigEndian.PutUint32(raw[hdu.DataOffset+int64(row*im.tiles.rowLen)+4:], 1<<30)
	}
	dst := make([]float64, 3*20)
	if err := im.ReadRegion([]int{10, 5}, []int{13, 25}, dst); err != nil {
		t.Fatal(err)
	}
	for i, v := range dst {
		if want := float64((10+i/20)*50 + 5 + i%20); v != want {
			t.Fatalf("value %d = %v, want %v", i, v, want)
		}
	}
	if err := im.ReadRegion([]int{9, 0}, []int{10, 1}, make([]float64, 1)); err == nil || !strings.Contains(err.Error(), "past the heap") {
		t.Fatalf("row 9 should fail with a descriptor past the heap, got %v", err)
	}
}

// wantError checks that err is an *Error naming the file, the HDU and the problem.
func wantError(t *testing.T, err error, path string, hdu int, what string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want %q", path, what)
	}
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("%s: error %T %v is not a *fits.Error", path, err, err)
	}
	msg := err.Error()
	if !strings.Contains(msg, path) || (hdu >= 0 && !strings.Contains(msg, fmt.Sprintf("HDU %d", hdu))) || !strings.Contains(msg, what) {
		t.Fatalf("error %q should name %s, HDU %d and %q", msg, path, hdu, what)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	pyref.Run(t, `
import sys, numpy as np
from astropy.io import fits
d = sys.argv[1]
fits.PrimaryHDU(np.arange(60*40, dtype=np.float32).reshape(60, 40)).writeto(d + "/plain.fits")
rng = np.random.default_rng(1)
img = (1000 + rng.normal(0, 5, (30, 200))).astype(np.float32)
fits.HDUList([fits.PrimaryHDU(), fits.CompImageHDU(img, compression_type="RICE_1")]).writeto(d + "/rice.fits")
fits.HDUList([fits.PrimaryHDU(), fits.CompImageHDU(img, compression_type="GZIP_1")]).writeto(d + "/gzip.fits")
`, dir)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	plain, _ := os.ReadFile(filepath.Join(dir, "plain.fits"))

	p := write("truncated.fits", plain[:7000])
	_, err := Open(p)
	wantError(t, err, p, 0, "truncated data: need 9600 bytes at offset 2880, file has 7000")

	// A DKIST file cut after its primary HDU (no image yet) is called truncated.
	rice, _ := os.ReadFile(filepath.Join(dir, "rice.fits"))
	p = write("cut.fits", rice[:2880])
	f, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Image()
	f.Close()
	wantError(t, err, p, -1, "the file ends after its primary HDU (2880 bytes), which holds no image and announces extensions (EXTEND = T): the file looks truncated")

	// A named pipe is refused before it is opened (opening one blocks until it has a writer).
	fifo := filepath.Join(dir, "pipe.fits")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Open(fifo)
	wantError(t, err, fifo, -1, "not a regular file (a named pipe)")
	_, err = OpenImage(fifo)
	wantError(t, err, fifo, -1, "not a regular file (a named pipe)")

	p = write("text.fits", []byte(strings.Repeat("hello, this is not FITS\n", 200)))
	_, err = Open(p)
	wantError(t, err, p, -1, "not a FITS file")

	p = write("tiny.fits", []byte("SIMPLE"))
	_, err = Open(p)
	wantError(t, err, p, -1, "not a FITS file")

	noEnd := append([]byte(nil), plain[:2880]...)
	copy(noEnd[bytes.Index(noEnd, []byte("END     ")):], "COMMENT ")
	p = write("noend.fits", noEnd)
	_, err = Open(p)
	wantError(t, err, p, 0, "no END card")

	bad := append([]byte(nil), plain...)
	copy(bad[80*4:], pad80("DATAMIN = 12 34 garbage"))
	p = write("badcard.fits", bad)
	_, err = Open(p)
	wantError(t, err, p, 0, "malformed card")

	bad = append([]byte(nil), plain...)
	copy(bad[80*4:], pad80("DATE OBS= 'x'"))
	p = write("badkey.fits", bad)
	_, err = Open(p)
	wantError(t, err, p, 0, "malformed card")

	bad = append([]byte(nil), plain...)
	copy(bad[80*1:], pad80("BITPIX  =                   12"))
	p = write("badbitpix.fits", bad)
	_, err = Open(p)
	wantError(t, err, p, 0, "BITPIX")

	for _, kind := range []string{"rice", "gzip"} {
		orig, _ := os.ReadFile(filepath.Join(dir, kind+".fits"))
		f, err := Open(filepath.Join(dir, kind+".fits"))
		if err != nil {
			t.Fatal(err)
		}
		hdu := f.HDUs()[1]
		f.Close()
		rowLen, _ := hdu.Header.Int("NAXIS1")
		row := func(b []byte, r int) []byte { return b[hdu.DataOffset+int64(r)*rowLen:] }
		readAll := func(p string) error {
			im, err := OpenImage(p)
			if err != nil {
				return err
			}
			defer im.Close()
			_, err = im.Read()
			return err
		}

		// A descriptor past the heap.
		b := append([]byte(nil), orig...)
		binary.BigEndian.PutUint32(row(b, 4)[4:], 1<<20)
		p = write(kind+"_pastheap.fits", b)
		wantError(t, readAll(p), p, 1, "tile 4 (table row 5): descriptor of COMPRESSED_DATA")

		// Cut tile bytes: the descriptor claims fewer bytes than the stream needs.
		b = append([]byte(nil), orig...)
		n := binary.BigEndian.Uint32(row(b, 7))
		binary.BigEndian.PutUint32(row(b, 7), n/2)
		p = write(kind+"_cut.fits", b)
		wantError(t, readAll(p), p, 1, "tile 7")

		// A truncated file: the heap is cut away.
		p = write(kind+"_truncated.fits", orig[:hdu.DataOffset+hdu.DataSize/2])
		_, err = Open(p)
		wantError(t, err, p, 1, "truncated data")

		// Corrupted tile bytes never panic; gzip's checksum catches them.
		rng := rand.New(rand.NewPCG(9, 9))
		for trial := range 200 {
			b = append([]byte(nil), orig...)
			r := rng.IntN(30)
			n, off := binary.BigEndian.Uint32(row(b, r)), binary.BigEndian.Uint32(row(b, r)[4:])
			heap := b[hdu.DataOffset+rowLen*30+int64(off):]
			for range 1 + rng.IntN(4) {
				heap[rng.IntN(int(n))] ^= byte(1 + rng.IntN(255))
			}
			p = write(kind+"_corrupt.fits", b)
			err := readAll(p)
			if kind == "gzip" {
				wantError(t, err, p, 1, fmt.Sprintf("tile %d", r))
			} else if err != nil {
				wantError(t, err, p, 1, fmt.Sprintf("tile %d", r))
			}
			_ = trial
		}
	}
}

// A CONTINUE card that holds no quoted string after a string ending in '&' does not
// continue it: the '&' stays in the value and the card reads as one of its own, and the
// header encodes to cards that read back the same (a fuzz finding).
func TestContinueWithoutStringIsACardOfItsOwn(t *testing.T) {
	h, err := ParseHeaderBytes([]byte(pad80("KEY     = 'abc&'") + pad80("CONTINUE no quotes here") + pad80("END") + strings.Repeat(" ", BlockLen-3*CardLen)))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := h.String("KEY"); h.Len() != 2 || v != "abc&" {
		t.Fatalf("%d cards, KEY = %q; want 2 cards and KEY = 'abc&'", h.Len(), v)
	}
	enc, err := h.Encode()
	if err != nil {
		t.Fatal(err)
	}
	h2, err := ParseHeaderBytes(enc)
	if err != nil || h2.Len() != 2 {
		t.Fatalf("encoded header: %v, %d cards", err, h2.Len())
	}
	if v, _ := h2.String("KEY"); v != "abc&" {
		t.Errorf("KEY after the round trip = %q", v)
	}
}
