// Package dkisttest writes the small SPEC-214 datasets the tests of the dataset layer
// and of its Python face load (with astropy, through internal/pyref), and checks the
// errors they expect.
package dkisttest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
)

// WriteDatasetPy writes a small SPEC-214 VISP-like dataset with astropy: numpy shape
// (stokes, raster, wave, slit), one file per (stokes, raster) holding (1, wave, slit),
// DINDEX 1-based, plain or RICE_1 compressed, float32 or float64; then it loads the
// files back with astropy, stacks them and evaluates each case expression with numpy.
const WriteDatasetPy = `
import json, sys, os
import numpy as np
from astropy.io import fits
cfg = json.load(sys.stdin)
S, R, W, X = cfg["shape"]
dt = np.dtype(cfg["dtype"])
rng = np.random.default_rng(cfg.get("seed", 1))
full = (1.0 + rng.random((S, R, W, X))).astype(dt)
for (s, r, w, x) in cfg.get("nans", []):
    full[s, r, w, x] = np.nan
os.makedirs(cfg["dir"], exist_ok=True)
for s in range(S):
    for r in range(R):
        h = fits.Header()
        h["DNAXIS"] = 4
        h["DNAXIS1"], h["DNAXIS2"], h["DNAXIS3"], h["DNAXIS4"] = X, W, R, S
        h["DAAXES"], h["DEAXES"] = 2, 2
        h["DINDEX3"], h["DINDEX4"] = r + 1, s + 1
        for i, (t, p, wn, u) in enumerate([("SPATIAL", "spatial along slit", "helioprojective latitude", "arcsec"),
                                          ("SPECTRAL", "dispersion axis", "wavelength", "nm"),
                                          ("SPATIAL", "raster scan step number", "helioprojective longitude", "arcsec"),
                                          ("STOKES", "polarization state", "polarization state", "")]):
            h["DTYPE%d" % (i+1)], h["DPNAME%d" % (i+1)], h["DWNAME%d" % (i+1)], h["DUNIT%d" % (i+1)] = t, p, wn, u
        h["CTYPE1"], h["CUNIT1"], h["CRPIX1"], h["CRVAL1"], h["CDELT1"] = "HPLT-TAN", "arcsec", X / 2, -400.0, 0.03
        h["CTYPE2"], h["CUNIT2"], h["CRPIX2"], h["CRVAL2"], h["CDELT2"] = "AWAV", "nm", 1.0, 630.0, 0.0016
        h["CTYPE3"], h["CUNIT3"], h["CRPIX3"], h["CRVAL3"], h["CDELT3"] = "HPLN-TAN", "arcsec", 1.0, 200.0 + 0.05 * r, 0.05
        h["DATE-AVG"] = "2022-10-24T19:%02d:%02d.000" % (r // 20, (r * 3) % 60)
        h["STOKES"] = "IQUV"[s % 4]
        h["INSTRUME"], h["DSETID"] = "VISP", "TESTS"
        data = full[s, r][None, :, :]
        name = os.path.join(cfg["dir"], "VISP_%03d_%s_L1.fits" % (r, "IQUV"[s % 4]))
        if cfg["compress"]:
            fits.HDUList([fits.PrimaryHDU(), fits.CompImageHDU(data, header=h, compression_type="RICE_1", quantize_level=16, quantize_method=-1)]).writeto(name, overwrite=True)
        else:
            fits.PrimaryHDU(data, header=h).writeto(name, overwrite=True)
# Load back as astropy sees the files.
d = np.empty((S, R, W, X), dtype=dt)
for s in range(S):
    for r in range(R):
        name = os.path.join(cfg["dir"], "VISP_%03d_%s_L1.fits" % (r, "IQUV"[s % 4]))
        with fits.open(name) as hl:
            img = hl[1] if cfg["compress"] else hl[0]
            d[s, r] = img.data[0]
out = {}
for name, expr in cfg.get("cases", {}).items():
    v = np.asarray(eval(expr))
    out[name] = {"shape": list(v.shape), "values": [None if (isinstance(x, float) and x != x) else x for x in v.astype(np.float64).ravel().tolist()], "dtype": str(v.dtype)}
json.dump(out, sys.stdout)
`

// WriteSmall writes a small plain float64 dataset with astropy and returns its dir.
func WriteSmall(t *testing.T, shape []int) string {
	dir := filepath.Join(t.TempDir(), "ds")
	pyref.RunJSON(t, WriteDatasetPy, map[string]any{"dir": dir, "dtype": "float64", "compress": false, "shape": shape}, nil)
	return dir
}

// WantErr checks err is an *obj.Error of class whose text has every fragment.
func WantErr(t *testing.T, what string, err error, class string, fragments ...string) {
	t.Helper()
	var oe *obj.Error
	if !errors.As(err, &oe) {
		t.Errorf("%s: error %v (%T), want %s", what, err, err, class)
		return
	}
	if oe.Class != class {
		t.Errorf("%s: class %s (%v), want %s", what, oe.Class, oe, class)
	}
	text := oe.Msg + " " + oe.Hint
	for _, f := range fragments {
		if !strings.Contains(text, f) {
			t.Errorf("%s: %q does not mention %q", what, text, f)
		}
	}
}

func CopyFile(t *testing.T, from, to string) {
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// SetKeysPy sets header keys of one HDU of a FITS file with astropy, in place.
const SetKeysPy = `
import json, sys
from astropy.io import fits
path, hdu, cards = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
with fits.open(path, mode="update") as hl:
    for k, v in cards.items():
        hl[hdu].header[k] = v
`

// SetKeys sets keys of HDU hdu of path to the values given (strings stay strings).
func SetKeys(t *testing.T, path string, hdu int, cards map[string]any) {
	t.Helper()
	b, err := json.Marshal(cards)
	if err != nil {
		t.Fatal(err)
	}
	pyref.Run(t, SetKeysPy, path, fmt.Sprint(hdu), string(b))
}

// CopyDataset copies the files of dir into a new temporary directory.
func CopyDataset(t *testing.T, dir string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), filepath.Base(dir))
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		CopyFile(t, filepath.Join(dir, e.Name()), filepath.Join(to, e.Name()))
	}
	return to
}

// WriteGzip writes head followed by n bytes of fill, gzip-compressed, to path.
func WriteGzip(t *testing.T, path, head string, fill byte, n int) {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(head))
	zw.Write(bytes.Repeat([]byte{fill}, n))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
