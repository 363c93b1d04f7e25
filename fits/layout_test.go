package fits

import (
	"os"
	"path/filepath"
	"testing"

	"gokist/internal/pyref"
)

// TestOpenImageWithLayout reads astropy-written files (RICE_1 float32 and plain
// float64) through a layout taken from a first open, and compares with astropy's values;
// a file replaced by one of another size is scanned again.
func TestOpenImageWithLayout(t *testing.T) {
	dir := t.TempDir()
	rice := filepath.Join(dir, "rice.fits")
	plain := filepath.Join(dir, "plain.fits")
	other := filepath.Join(dir, "other.fits")
	pyref.Run(t, `
import sys, numpy as np
from astropy.io import fits
rng = np.random.default_rng(3)
a = rng.normal(100, 5, (3, 17, 23)).astype(np.float32)
fits.HDUList([fits.PrimaryHDU(), fits.CompImageHDU(a, compression_type="RICE_1", quantize_level=16)]).writeto(sys.argv[1])
fits.getdata(sys.argv[1], 1).astype("<f8").tofile(sys.argv[1] + ".ref")
b = rng.normal(0, 1, (5, 7))
fits.PrimaryHDU(b).writeto(sys.argv[2])
b.astype("<f8").tofile(sys.argv[2] + ".ref")
fits.PrimaryHDU(np.arange(1200, dtype=np.float64).reshape(30, 40)).writeto(sys.argv[3])
`, rice, plain, other)
	for _, path := range []string{rice, plain} {
		first, err := OpenImage(path)
		if err != nil {
			t.Fatal(err)
		}
		layout := first.Layout()
		first.Close()
		ref := readRef(t, path+".ref")
		for range 2 { // the second open reuses the tile table the first loaded
			im, err := OpenImageWith(path, layout)
			if err != nil {
				t.Fatal(err)
			}
			if im.Header != nil {
				t.Errorf("%s: image from a layout has a header", path)
			}
			got := make([]float32, im.Size())
			if err := im.ReadRegion32(make([]int, len(im.Shape)), im.Shape, got); err != nil {
				t.Fatal(err)
			}
			for i := range got {
				if !sameFloat(float64(got[i]), float64(float32(ref[i]))) {
					t.Fatalf("%s: value %d = %v, astropy %v", path, i, got[i], ref[i])
				}
			}
			im.Close()
		}
		if s := layout.Shape(); len(s) != len(first.Shape) || s[0] != first.Shape[0] || layout.Bitpix() != first.Bitpix {
			t.Errorf("%s: layout shape %v bitpix %d, image %v %d", path, s, layout.Bitpix(), first.Shape, first.Bitpix)
		}
	}
	// Replace the plain file by a smaller one: the layout no longer fits, so the file is
	// scanned again and reads its own shape.
	first, err := OpenImage(plain)
	if err != nil {
		t.Fatal(err)
	}
	layout := first.Layout()
	first.Close()
	if err := os.Rename(other, plain); err != nil {
		t.Fatal(err)
	}
	im, err := OpenImageWith(plain, layout)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	if len(im.Shape) != 2 || im.Shape[0] != 30 || im.Shape[1] != 40 || im.Header == nil {
		t.Fatalf("replaced file read with shape %v (header %v), want a rescan giving (30, 40)", im.Shape, im.Header != nil)
	}
	if _, err := OpenImageWith(filepath.Join(dir, "gone.fits"), layout); err == nil {
		t.Fatal("a missing file opened")
	}
}
