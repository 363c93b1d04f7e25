package iofits_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/lang"
	"gokist/obj"
)

// writeFITSPy writes, with astropy, a file of an empty primary HDU, a RICE_1
// compressed float32 image (as DKIST's L1 files), a scaled int16 image extension and a
// GZIP_2 compressed float64 image, into the directory given.
const writeFITSPy = `
import sys, numpy as np
from astropy.io import fits
rng = np.random.default_rng(3)
f32 = (100 + rng.random((2, 6, 7))).astype(np.float32)
i16 = (rng.random((4, 5)) * 1000).astype(np.int16)
f64 = rng.random((3, 9))
h = fits.Header(); h['EXTNAME'] = 'DATA'; h['OBJECT'] = 'quiet sun'; h['DATE-AVG'] = '2023-05-21T04:00:00.000'
h['LONGSTR'] = 'a string long enough to need CONTINUE cards when it is written into the header of the file'
scaled = fits.ImageHDU(i16, name='SCALED'); scaled.scale('int16', bscale=0.5, bzero=10)
from astropy.table import Table
tab = Table({'a': np.arange(3, dtype=np.float32), 'b': ['x', 'yy', 'zzz']})
fits.HDUList([fits.PrimaryHDU(i16), fits.BinTableHDU(tab, name='TAB'),
              fits.TableHDU.from_columns([fits.Column(name='c', format='E15.7', array=np.arange(4.))])]).writeto(sys.argv[1] + '/tables.fits')
fits.HDUList([fits.PrimaryHDU(), fits.CompImageHDU(f32, header=h, compression_type='RICE_1', quantize_level=16),
              scaled, fits.CompImageHDU(f64, name='GZ', compression_type='GZIP_2')]).writeto(sys.argv[1] + '/comp.fits')
visp = fits.Header.fromtextfile(sys.argv[2])
fits.HDUList([fits.PrimaryHDU(), fits.CompImageHDU((rng.random((1, 5, 6)) * 1e4).astype(np.float32), header=visp,
              compression_type='RICE_1', quantize_level=16, quantize_method=-1)]).writeto(sys.argv[1] + '/visp.fits')
`

// TestFITSMatchesAstropy opens the dkist project's real VISP files, a compressed file
// with a real VISP L1 header (as DKIST writes them: RICE_1, float32, NO_DITHER) and a
// compressed file astropy wrote with gokist's fits.open and astropy.io.fits, and compares info(),
// names, headers (values, comments, keys, card reprs, tostring), the data element by
// element, getheader/getdata and the errors.
func TestFITSMatchesAstropy(t *testing.T) {
	pyref.Require(t, "astropy", "numpy")
	dir := t.TempDir()
	real, err := filepath.Abs("../../../../shared/data/dkist-small-visp/0.fits")
	if err != nil {
		t.Fatal(err)
	}
	vispHeader := filepath.Join(filepath.Dir(filepath.Dir(real)), "dkist-headers", "VISP_HEADER.hdr")
	pyref.Run(t, writeFITSPy, dir, vispHeader)
	comp := filepath.Join(dir, "comp.fits")
	var cases []string
	for _, p := range []string{real, comp, filepath.Join(dir, "visp.fits")} {
		open := "hl = fits.open('" + p + "'); "
		cases = append(cases,
			open+"hl.info()",
			open+"(len(hl), [h.name for h in hl], [h.ver for h in hl], [h.is_image for h in hl])",
			open+"hl[-1].data.tolist()",
			open+"hl[-1].data.shape",
			open+"hl[-1].header.tostring()",
			open+"hl[-1].header",
			open+"hl[0].header",
			open+"list(hl[-1].header.keys())",
			open+"list(hl[-1].header.values())",
			open+"[c for c in hl[-1].header.cards][:12]",
			open+"(hl[-1].header['NAXIS'], hl[-1].header['naxis1'], hl[-1].header[0], hl[-1].header.comments['NAXIS'], hl[-1].header.get('NOPE', 7))",
			open+"len(hl[-1].header)",
			open+"hl[-1].header['NOPE']",
			open+"hl['NOPE']",
			open+"hl[9]",
			"fits.getheader('"+p+"', 0)['BITPIX']",
			"fits.getdata('"+p+"').tolist()",
			"fits.getdata('"+p+"', -1, header=True)[1]['NAXIS1']",
			"with fits.open('"+p+"') as h:\n    d = h[-1].data\nd.tolist()",
		)
	}
	cases = append(cases,
		"hl = fits.open('"+comp+"'); (hl['DATA'].data.tolist(), hl['data'].header['OBJECT'], hl['DATA'].header['LONGSTR'], hl[('SCALED', 1)].data.tolist())",
		"hl = fits.open('"+comp+"'); hl['DATA'].data.dtype.name, hl['SCALED'].data.dtype.name",
		"hl = fits.open('"+comp+"'); hl[1].data; hl.info()",
		"fits.open('"+filepath.Join(dir, "missing.fits")+"')",
		"hl = fits.open('"+filepath.Join(dir, "tables.fits")+"'); hl.info()",
		"hl = fits.open('"+filepath.Join(dir, "tables.fits")+"'); (hl[0].data.tolist(), hl['TAB'].header['TFORM2'], hl[2].name)",
		"fits.getdata('"+comp+"', 0)",
		"h = fits.Header.fromtextfile('"+filepath.Join(filepath.Dir(filepath.Dir(real)), "dkist-headers", "VISP_HEADER.hdr")+"'); (len(h), h['CTYPE1'], h['CRVAL2'], h['DATE-AVG'], h.comments['CDELT1'])",
		"h = fits.Header.fromtextfile('"+filepath.Join(filepath.Dir(filepath.Dir(real)), "dkist-headers", "VISP_HEADER.hdr")+"'); h",
	)
	ref := pyref.Batch(t, "from astropy.io import fits", cases)
	for i, code := range cases {
		want := ref[i].Stdout + ref[i].Repr
		if ref[i].Repr == "None" { // gokist, as IPython, shows no None result
			want = ref[i].Stdout
		}
		if ref[i].Type != "" {
			want = ref[i].Stdout + ref[i].Err()
		}
		if got := gokistFITSCell(t, code); got != want {
			t.Errorf("%s\n got %s\nwant %s", code, clip(got), clip(want))
		}
	}
}

// clip shortens long texts in failure messages.
func clip(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}

// fitsStdout is an obj.Output that keeps stdout.
type fitsStdout struct {
	obj.Discard
	out strings.Builder
}

func (c *fitsStdout) Stream(name, text string) {
	if name == "stdout" {
		c.out.WriteString(text)
	}
}

// gokistFITSCell runs a cell after `from astropy.io import fits` and gives what it
// printed and its value's text, or its error.
func gokistFITSCell(t *testing.T, code string) string {
	t.Helper()
	s := lang.NewSession()
	if _, err := s.Execute(context.Background(), "from astropy.io import fits", nil); err != nil {
		t.Fatalf("import: %v", err)
	}
	out := &fitsStdout{}
	res, err := s.Execute(context.Background(), code, out)
	if err != nil {
		var e *obj.Error
		if errors.As(err, &e) {
			return out.out.String() + e.Class + ": " + e.Msg
		}
		return out.out.String() + "error: " + err.Error()
	}
	text, _ := res["text/plain"].(string)
	return out.out.String() + text
}

// TestFITSErrorsNameTheFile checks that files that are not FITS, truncated files, a
// directory and table data give Python errors naming the file and what is wrong, and
// that a failed open leaves the session working.
func TestFITSErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	notFITS := filepath.Join(dir, "notes.fits")
	if err := os.WriteFile(notFITS, []byte(strings.Repeat("hello world\n", 300)), 0o644); err != nil {
		t.Fatal(err)
	}
	real, _ := filepath.Abs("../../../../shared/data/dkist-small-visp/0.fits")
	b, err := os.ReadFile(real)
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "cut.fits")
	if err := os.WriteFile(truncated, b[:len(b)-3000], 0o644); err != nil {
		t.Fatal(err)
	}
	pyref.Require(t, "astropy")
	tables := filepath.Join(dir, "t.fits")
	pyref.Run(t, "import sys, numpy as np\nfrom astropy.io import fits\nfits.HDUList([fits.PrimaryHDU(), fits.BinTableHDU.from_columns([fits.Column(name='a', format='E', array=np.arange(3.))])]).writeto(sys.argv[1])", tables)
	for _, c := range []struct{ code, class, must string }{
		{"fits.open('" + notFITS + "')", "FITSError", notFITS},
		{"fits.open('" + truncated + "')[0].data", "FITSError", truncated},
		{"fits.open('" + dir + "')", "FITSError", "directory"},
		{"fits.open('" + tables + "')[1].data", "NotImplementedError", "HDU 1 of " + tables + " is a BinTableHDU"},
		{"fits.open('" + real + "', mode='update')", "ValueError", "read-only"},
		{"fits.getdata('" + real + "', 'NOPE')", "KeyError", "Extension 'NOPE' not found"},
	} {
		got := gokistFITSCell(t, c.code)
		if !strings.HasPrefix(got, c.class+": ") || !strings.Contains(got, c.must) {
			t.Errorf("%s: %s, want %s naming %q", c.code, got, c.class, c.must)
		}
	}
}
