package runtime

import (
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
)

const python = pyref.Interpreter

// writeDatasetPy writes a small SPEC-214 VISP-like dataset with astropy: numpy shape
// (stokes, raster, wave, slit), one file per (stokes, raster) holding (1, wave, slit),
// DINDEX 1-based, plain or RICE_1 compressed, float32 or float64; then it loads the
// files back with astropy, stacks them and evaluates each case expression with numpy.
const writeDatasetPy = `
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

type pyResult struct {
	Shape  []int      `json:"shape"`
	Values []*float64 `json:"values"`
	DType  string     `json:"dtype"`
}

// runPython runs script with cfg as JSON on stdin and decodes its JSON stdout into out.
func runPython(t testing.TB, script string, cfg any, out any) {
	t.Helper()
	pyref.RunJSON(t, script, cfg, out)
}

// datasetAt indexes d with key (metadata only) and fails the test on an error.
func datasetAt(t *testing.T, env *obj.Env, d *Dataset, key any) *Dataset {
	t.Helper()
	v, err := d.GetItem(env, key)
	if err != nil {
		t.Fatal(err)
	}
	return v.(*Dataset)
}

// rebinned rebins d by bins with op and fails the test on an error.
func rebinned(t *testing.T, d *Dataset, op string, bins ...any) *Dataset {
	t.Helper()
	r, err := d.Rebin(obj.Tuple(bins), op)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// smallTasks makes env's client cut computes into tasks of at most maxBlock elements,
// so that small test data takes the paths of large files (split files, partial merges).
func smallTasks(env *obj.Env, maxBlock int) *Client {
	c := clientOf(env)
	c.Plan.MaxBlockElems = maxBlock
	return c
}
