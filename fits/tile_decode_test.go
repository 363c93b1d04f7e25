package fits

import "testing"

// fusedRiceScript writes the RICE_1 files that take the one-pass decode-and-map path:
// DKIST-like NO_DITHER float32 and float64 row tiles with NaNs (ZBLANK), and 32-bit
// integers with BSCALE, BZERO and BLANK pixels; astropy's decoded values go beside them.
const fusedRiceScript = `
import sys, json, warnings
import numpy as np
from astropy.io import fits
warnings.simplefilter("ignore")
d = sys.argv[1]
rng = np.random.default_rng(17)
cases = []
def emit(name, hdu):
    path = f"{d}/{name}.fits"
    fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(path, overwrite=True)
    with fits.open(path) as h:
        data = np.asarray(h[1].data).astype(np.float64)
        data.astype("<f8").tofile(f"{d}/{name}.ref")
    with fits.open(path, do_not_scale_image_data=True) as h:
        cases.append(dict(name=name, shape=list(data.shape), bitpix=h[1].header["BITPIX"]))
shape = (37, 211)
y, x = np.mgrid[0:shape[0], 0:shape[1]]
smooth = 3000 + 800 * np.sin(x / 20.0) * np.cos(y / 9.0)
for dt, bits in [(np.float32, 32), (np.float64, 64)]:
    img = (smooth + rng.normal(0, 25, shape)).astype(dt)
    img[3, 5] = np.nan; img[20, :9] = np.nan; img[30, 100:140] = 2999.0
    emit(f"dkist_rows_f{bits}", fits.CompImageHDU(img, compression_type="RICE_1",
         quantize_method=-1, quantize_level=16.0, tile_size=[shape[1], 1]))
i32 = (smooth * 1e4 + rng.normal(0, 500, shape)).astype(np.int32)
i32[4, 7:11] = -77777
h = fits.CompImageHDU(i32, compression_type="RICE_1", tile_size=[shape[1], 1])
h.header["BSCALE"] = 0.125; h.header["BZERO"] = -3.0; h.header["BLANK"] = -77777
emit("i32_scaled_blank", h)
print(json.dumps(cases))
`

// TestFusedRiceMatchesAstropy reads the files of fusedRiceScript whole and by regions, in
// float64 and float32, and compares with astropy's values.
func TestFusedRiceMatchesAstropy(t *testing.T) {
	runRefCases(t, fusedRiceScript)
}
