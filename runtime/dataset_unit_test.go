package runtime_test

import (
	"context"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/lang"
	"gokist/obj"
)

// TestDatasetUnitMatchesDkist checks ds.unit and Quantities of the dataset's values on
// the dkist project's small VISP dataset against dkist 1.0.1 and astropy: the unit is
// astropy's Unit of the files' BUNIT (this dataset's ASDF gives dkist no unit, so the
// reference reads BUNIT itself), the data times it is lazy until compute.
func TestDatasetUnitMatchesDkist(t *testing.T) {
	const dir = "../../shared/data/dkist-small-visp"
	cells := []string{
		"ds.unit",
		"ds.unit.to_string()",
		"ds.unit.physical_type",
		"(ds.data * ds.unit)[0, 0, :4].compute()",
		"(ds[0, 0, :4].data * u.ct).compute().to(u.ct / u.s)",
		"(ds[0, 0, :4].data * u.ct / u.s).compute() * (2 * u.s)",
		"(ds.data[0, :2, :3] * ds.unit / (2 * u.s)).compute()",
		"(ds.data * ds.unit).max().compute()",
	}
	py := make([]string, len(cells))
	for i, c := range cells {
		// dask arrays meet units only once computed; the cells compute in the same place.
		py[i] = map[string]string{
			"(ds.data * ds.unit)[0, 0, :4].compute()":                "ds.data[0, 0, :4].compute() * ds.unit",
			"(ds[0, 0, :4].data * u.ct).compute().to(u.ct / u.s)":    "(ds[0, 0, :4].data.compute() * u.ct).to(u.ct / u.s)",
			"(ds[0, 0, :4].data * u.ct / u.s).compute() * (2 * u.s)": "(ds[0, 0, :4].data.compute() * u.ct / u.s) * (2 * u.s)",
			"(ds.data[0, :2, :3] * ds.unit / (2 * u.s)).compute()":   "ds.data[0, :2, :3].compute() * ds.unit / (2 * u.s)",
			"(ds.data * ds.unit).max().compute()":                    "ds.data.max().compute() * ds.unit",
		}[c]
		if py[i] == "" {
			py[i] = c
		}
		py[i] = strings.ReplaceAll(py[i], "ds.unit", "ds._unit")
	}
	cfg := pyref.Config{PythonPath: []string{pyref.Dkist(t)}}
	prelude := "import dkist\nimport astropy.units as u\nfrom astropy.io import fits\nds = dkist.load_dataset('" + dir + "')\n" +
		"ds._unit = u.Unit(fits.getheader('" + dir + "/0.fits')['BUNIT'])\n"
	want := cfg.Batch(t, prelude, py)
	s := lang.NewSession()
	run := func(code string) (string, error) {
		res, err := s.Execute(context.Background(), code, obj.Discard{})
		text, _ := res["text/plain"].(string)
		return text, err
	}
	if _, err := run("import astropy.units as u\nds = dkist.load_dataset('" + dir + "')"); err != nil {
		t.Fatal(err)
	}
	for i, c := range cells {
		got, err := run(c)
		if w := want[i]; w.Type != "" {
			var e *lang.Error
			if !errors.As(err, &e) || e.Class != w.Type || e.Msg != w.Message {
				t.Errorf("%s: got %v, astropy raises %s", c, err, w.Err())
			}
			continue
		}
		if err != nil || got != want[i].Repr {
			t.Errorf("%s\n got %s (%v)\nwant %s", c, got, err, want[i].Repr)
		}
	}
	// Before compute a unit times the lazy data is a lazy Quantity.
	if got, _ := run("type(ds.data * ds.unit).__name__"); got != "'Quantity'" {
		t.Errorf("ds.data * ds.unit is %s, want a Quantity", got)
	}
}

// TestWorldSpectralDopplerMatchesDkist converts the dataset's spectral world coordinate
// to a velocity in a cell, with unit objects and a Quantity rest value, as astropy's
// SpectralCoord does on dkist's coordinate, and does Quantity arithmetic with the
// helioprojective components.
func TestWorldSpectralDopplerMatchesDkist(t *testing.T) {
	const dir = "../../shared/data/dkist-small-visp"
	const pick = "world = ds.wcs.pixel_to_world(3, 5, 1)\n" +
		"wl = [w for w in world if type(w).__name__ == 'SpectralCoord'][0]\n" +
		"sc = [w for w in world if type(w).__name__ == 'SkyCoord'][0]\n"
	cells := []string{
		"(sc.Tx * 2).value", "(sc.Tx * 2).unit.to_string()", "(sc.Tx + 1 * u.arcsec).value", "(sc.Tx - sc.Ty).to(u.deg).value",
		"(-sc.Ty).value", "(sc.Tx / (2 * u.s)).unit.to_string()", "(3 * u.deg + sc.Ty).value", "sc.Tx.to(u.deg).value",
		"wl.to(u.km / u.s, doppler_rest=630.25 * u.nm, doppler_convention='optical').value",
		"wl.to(u.km / u.s, doppler_rest=630.25 * u.nm, doppler_convention='relativistic').to(u.Angstrom).value",
		"wl.to(u.m / u.s, doppler_rest=475.66 * u.THz, doppler_convention='radio').value",
		"wl.to(u.km / u.s, doppler_rest=630.25 * u.nm, doppler_convention='optical').unit.to_string()",
		"wl.to(u.THz).value",
	}
	cfg := pyref.Config{PythonPath: []string{pyref.Dkist(t)}}
	want := cfg.Batch(t, "import dkist\nimport astropy.units as u\nds = dkist.load_dataset('"+dir+"')\n"+pick, cells)
	s := lang.NewSession()
	if _, err := s.Execute(context.Background(), "import astropy.units as u\nds = dkist.load_dataset('"+dir+"')\n"+pick, obj.Discard{}); err != nil {
		t.Fatal(err)
	}
	for i, c := range cells {
		res, err := s.Execute(context.Background(), c, obj.Discard{})
		if err != nil || want[i].Type != "" {
			t.Errorf("%s: %v, reference %s", c, err, want[i].Err())
			continue
		}
		got, _ := res["text/plain"].(string)
		g, gErr := strconv.ParseFloat(got, 64)
		w, wErr := strconv.ParseFloat(want[i].Repr, 64)
		if gErr != nil || wErr != nil {
			if got != want[i].Repr {
				t.Errorf("%s = %s, astropy %s", c, got, want[i].Repr)
			}
			continue
		}
		if math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w)) {
			t.Errorf("%s = %v, astropy %v", c, g, w)
		}
	}
}
