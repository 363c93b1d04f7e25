package runtime_test

import (
	"context"
	"testing"

	"gokist/lang"
)

// TestArrayAxisPhysicalTypes checks ds.array_axis_physical_types on the dkist project's
// small VISP dataset against what dkist/ndcube give for it: array axes (raster, slit,
// wavelength); the raster axis moves the pointing (both helioprojective coordinates) and
// the time, the slit axis both helioprojective coordinates, the wavelength axis em.wl.
// Slicing drops the entry of an integer-indexed axis, as ndcube does; shape and
// dimensions agree.
func TestArrayAxisPhysicalTypes(t *testing.T) {
	s := lang.NewSession()
	run := func(code string) string {
		t.Helper()
		res, err := s.Execute(context.Background(), code, nil)
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		text, _ := res["text/plain"].(string)
		return text
	}
	run(`ds = dkist.load_dataset("../../shared/data/dkist-small-visp")`)
	lat, lon := "'custom:pos.helioprojective.lat'", "'custom:pos.helioprojective.lon'"
	want := "[(" + lat + ", " + lon + ", 'time'), (" + lat + ", " + lon + "), ('em.wl',)]"
	if got := run("ds.array_axis_physical_types"); got != want {
		t.Errorf("array_axis_physical_types\n got %s\nwant %s", got, want)
	}
	if got := run("ds[0].array_axis_physical_types"); got != "[("+lat+", "+lon+"), ('em.wl',)]" {
		t.Errorf("ds[0].array_axis_physical_types = %s", got)
	}
	if got := run("ds[:, :, 3].array_axis_physical_types"); got != "[("+lat+", "+lon+", 'time'), ("+lat+", "+lon+")]" {
		t.Errorf("ds[:, :, 3].array_axis_physical_types = %s", got)
	}
	if got := run("len(ds.array_axis_physical_types) == ds.ndim and ds.dimensions == ds.shape == (3, 10, 25)"); got != "True" {
		t.Errorf("shape/dimensions/ndim disagree: %s (shape %s, dimensions %s)", got, run("ds.shape"), run("ds.dimensions"))
	}
}
