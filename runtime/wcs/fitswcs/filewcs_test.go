package fitswcs

import (
	"math"
	"testing"

	"gokist/runtime/wcs/internal/wcstest"
)

const vispHeaderPath = "../../../../shared/data/dkist-headers/VISP_HEADER.hdr"

func cornersAndCentre(shape []int) [][]float64 { // shape in FITS order
	n := len(shape)
	var out [][]float64
	for mask := 0; mask < 1<<n; mask++ {
		p := make([]float64, n)
		for i := range p {
			if mask&(1<<i) != 0 {
				p[i] = float64(shape[i] - 1)
			}
		}
		out = append(out, p)
	}
	c := make([]float64, n)
	for i := range c {
		c[i] = float64(shape[i]-1) / 2
	}
	return append(out, c, []float64{0.3, 7.7, -0.4}[:n])
}

func TestFileWCSAgainstAstropy(t *testing.T) {
	synthetic := wcstest.VISPLike(40, 30)
	real := wcstest.ReadTextHeader(t, vispHeaderPath)
	if v, _ := real.Float("CRPIX1"); v != 1177.642614956193 {
		t.Fatalf("test header parser read CRPIX1 = %v", v)
	}
	cases := []struct {
		name  string
		h     wcstest.Header
		shape []int
		job   wcstest.AstropyJob
	}{
		{"synthetic", synthetic, []int{40, 30, 1}, wcstest.AstropyJob{Header: wcstest.HeaderPairs(synthetic)}},
		{"VISP_HEADER.hdr", real, []int{2555, 976, 1}, wcstest.AstropyJob{File: vispHeaderPath}},
	}
	var jobs []wcstest.AstropyJob
	for i := range cases {
		cases[i].job.Pix = cornersAndCentre(cases[i].shape)
		jobs = append(jobs, cases[i].job)
	}
	want := wcstest.AstropyWorld(t, jobs)
	for ci, c := range cases {
		f, err := ParseFile(c.h)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		lon, _ := f.Celestial()
		for pi, pix := range c.job.Pix {
			got, err := f.PixelToWorld(pix)
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				period := 0.0
				if i == lon {
					period = 360 * 3600
				}
				if !wcstest.CloseTo(got[i], want[ci][pi][i], 1e-9, period) {
					t.Errorf("%s: pixel %v axis %d: got %.15g, astropy %.15g", c.name, pix, i+1, got[i], want[ci][pi][i])
				}
			}
			back, err := f.WorldToPixel(got)
			if err != nil {
				t.Fatal(err)
			}
			for i := range back {
				if math.Abs(back[i]-pix[i]) > 1e-7 {
					t.Errorf("%s: round trip of pixel %v gave %v", c.name, pix, back)
					break
				}
			}
		}
	}
}

func TestFileWCSErrors(t *testing.T) {
	base := wcstest.VISPLike(10, 10)
	for _, c := range []struct {
		name string
		h    wcstest.Header
	}{
		{"no axes", wcstest.Header{}},
		{"lonely longitude", base.Set("CTYPE1", "WAVE")},
		{"unsupported projection", base.Set("CTYPE1", "HPLT-SIN").Set("CTYPE3", "HPLN-SIN")},
		{"singular PC", base.Set("PC1_1", 0.0).Set("PC1_3", 0.0)},
		{"non-linear spectral", base.Set("CTYPE2", "WAVE-F2W")},
		{"zero CDELT", base.Set("CDELT2", 0.0)},
	} {
		if _, err := ParseFile(c.h); err == nil {
			t.Errorf("%s: no error", c.name)
		} else {
			t.Logf("%s: %v", c.name, err)
		}
	}
}

func TestParseFileInfo(t *testing.T) {
	fi, err := ParseFileInfo(wcstest.VISPLike(4, 4).Set("STOKES", "q "))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Stokes != "Q" {
		t.Errorf("Stokes = %q", fi.Stokes)
	}
	if got := fi.DateAvg.Format("2006-01-02T15:04:05.000000"); got != "2022-10-24T19:47:33.351000" {
		t.Errorf("DateAvg = %s", got)
	}
	h := wcstest.VISPLike(4, 4)
	for i, c := range h {
		if c[0] == "DATE-AVG" {
			h = append(h[:i:i], h[i+1:]...)
			break
		}
	}
	fi, err = ParseFileInfo(h.Set("DATE-BEG", "2022-10-24T19:47:33"))
	if err != nil || fi.DateAvg.Second() != 33 {
		t.Errorf("DATE-BEG fallback: %v %v", fi.DateAvg, err)
	}
	if _, err := ParseFileInfo(wcstest.VISPLike(4, 4).Set("DATE-AVG", "yesterday")); err == nil {
		t.Error("bad DATE-AVG accepted")
	}
}
