package runtime_test

import (
	"context"
	"strings"
	"testing"

	"gokist/lang"
	"gokist/runtime/sample"
)

// plotSession writes a small VISP-like sample (stokes 4, raster 3, wavelength 20, slit
// 30) and loads it as ds in a new session; run executes a cell and returns its result.
func plotSession(t *testing.T) func(code string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	if _, err := sample.Generate(context.Background(), sample.Options{Dir: dir, Shape: [4]int{4, 3, 20, 30}, Seed: 3, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	s := lang.NewSession()
	run := func(code string) (string, error) {
		res, err := s.Execute(context.Background(), code, nil)
		if err != nil {
			return "", err
		}
		text, _ := res["text/plain"].(string)
		return text, nil
	}
	if _, err := run("import matplotlib.pyplot as plt\nds = dkist.load_dataset(" + strings.ReplaceAll(`"`+dir+`"`, `\`, `\\`) + ")"); err != nil {
		t.Fatal(err)
	}
	return run
}

// A Stokes axis is ticked with the FITS STOKES symbols of its pixels (I Q U V for codes
// 1..4, FITS 4.0 Table 29), one tick per pixel, as astropy's WCSAxes labels a Stokes
// coordinate; the slider over Stokes frames names them the same way.
func TestStokesAxisTickedIQUV(t *testing.T) {
	run := plotSession(t)
	must := func(code string) string {
		t.Helper()
		out, err := run(code)
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		return out
	}
	must("ax = ds[:, 0, :, 5].plot()")
	if got := must("ax.get_yticklabels()"); got != "['I', 'Q', 'U', 'V']" {
		t.Errorf("Stokes y ticks %s, want ['I', 'Q', 'U', 'V']", got)
	}
	if got := must("ax.get_yticks()"); got != "[0.0, 1.0, 2.0, 3.0]" {
		t.Errorf("Stokes y tick positions %s, want one per pixel", got)
	}
	if got := must("ax.get_ylabel()"); got != "'stokes'" {
		t.Errorf("Stokes axis label %s", got)
	}
	// x is the wavelength in nm: numbers.
	for _, l := range strings.Split(strings.Trim(must("ax.get_xticklabels()"), "[]"), ", ") {
		if strings.Trim(l, "'") == "" || strings.ContainsAny(l, "IQUV") {
			t.Errorf("wavelength tick label %s", l)
		}
	}
	// Stokes along x, with plot_axes.
	must("ax = ds[:, 1, :, 0].plot(plot_axes=['x', 'y'])")
	if got := must("ax.get_xticklabels()"); got != "['I', 'Q', 'U', 'V']" {
		t.Errorf("Stokes x ticks %s", got)
	}
}

// plot_axes as ndcube's: one entry per array axis in array order; 'x' and 'y' pick the
// plotted axes (x before y in array order draws the transpose), an integer fixes an
// axis, None a slider; an Ellipsis fills with None. Errors as ndcube's.
func TestPlotAxesChooseTheImageAxes(t *testing.T) {
	run := plotSession(t)
	must := func(code string) string {
		t.Helper()
		out, err := run(code)
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		return out
	}
	// Array axes (stokes 4, raster 3, wavelength 20, slit 30): x = wavelength, y = slit.
	must("ax = ds.plot(plot_axes=[0, None, 'x', 'y'])")
	if got := must("(ax.get_xlim(), ax.get_ylim())"); got != "((-0.5, 19.5), (-0.5, 29.5))" {
		t.Errorf("x = wavelength (20), y = slit (30): limits %s", got)
	}
	if got := must("ax.get_xlabel()"); !strings.Contains(got, "wavelength") {
		t.Errorf("x label %s, want the wavelength", got)
	}
	// The default layout: y = wavelength, x = slit.
	must("ax = ds[0].plot(plot_axes=[..., 'y', 'x'])")
	if got := must("(ax.get_xlim(), ax.get_ylim())"); got != "((-0.5, 29.5), (-0.5, 19.5))" {
		t.Errorf("[..., 'y', 'x'] limits %s", got)
	}
	// One line along the wavelength.
	must("ax = ds[0, 0].plot(plot_axes=['x', 2])")
	if got := must("ax.get_xlabel()"); !strings.Contains(got, "wavelength") {
		t.Errorf("line x label %s", got)
	}
	for code, want := range map[string]string{
		"ds.plot(plot_axes=[None, None, 'y', None])": "ValueError: 'x' must be in plot_axes.",
		"ds.plot(plot_axes=['x', 'y'])":              "plot_axes has 2 entries, but the data has 4 array axes",
		"ds.plot(plot_axes=[9, 0, 'x', 'y'])":        "IndexError",
		"ds.plot(plot_axes=[..., ..., 'x'])":         "Only single ellipsis",
	} {
		if _, err := run(code); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", code, err, want)
		}
	}
}

// plt.subplot(projection=ds.wcs) labels an image in the WCS's world coordinates, as
// WCSAxes does: the Stokes axis ticked I Q U V, the wavelength named with its unit; a
// WCS of other dimensionality than the image is refused.
func TestSubplotProjectionWCS(t *testing.T) {
	run := plotSession(t)
	must := func(code string) string {
		t.Helper()
		out, err := run(code)
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		return out
	}
	must("sub = ds[:, 0, :, 7]\nax = plt.subplot(projection=sub.wcs)\nax.imshow(sub.data, origin='lower', aspect='auto')")
	if got := must("ax.get_yticklabels()"); got != "['I', 'Q', 'U', 'V']" {
		t.Errorf("y tick labels %s, want the Stokes symbols", got)
	}
	if got := must("ax.get_xlabel()"); !strings.Contains(got, "wavelength") || !strings.Contains(got, "[nm]") {
		t.Errorf("x label %s, want the wavelength in nm", got)
	}
	if _, err := run("ax = plt.subplot(projection=ds.wcs)\nax.imshow(ds[0, 0].data)"); err == nil || !strings.Contains(err.Error(), "The WCS has 4 pixel axes") {
		t.Errorf("4-D WCS with a 2-D image: %v", err)
	}
}

// A line along the Stokes axis is ticked I Q U V at its four values, and one along the
// raster (time-correlated in VISP, but its first world axis is the pointing) keeps
// numeric ticks.
func TestStokesLineTicks(t *testing.T) {
	run := plotSession(t)
	out, err := run("ax = ds[:, 0, 10, 5].plot()\nax.get_xticklabels()")
	if err != nil {
		t.Fatal(err)
	}
	if out != "['I', 'Q', 'U', 'V']" {
		t.Errorf("Stokes line x ticks %s", out)
	}
	if got, _ := run("ax.get_xlabel()"); got != "'stokes'" {
		t.Errorf("x label %s", got)
	}
}
