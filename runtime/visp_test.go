package runtime

import (
	"context"
	"math"
	"slices"
	"testing"

	"gokist/obj"
	"gokist/runtime/wcs"
)

func testEnv() *obj.Env {
	return &obj.Env{Ctx: context.Background(), Out: obj.Discard{}, Services: map[string]any{}}
}

// callMember calls a method of v by name with positional args.
func callMember(t *testing.T, env *obj.Env, v any, name string, args obj.Args) any {
	t.Helper()
	m := v.(obj.Object).Type().Member(name)
	if m == nil {
		t.Fatalf("%s has no member %s", obj.TypeName(v), name)
	}
	var out any
	var err error
	if m.Call != nil {
		out, err = m.Call(env, v, args)
	} else {
		out, err = m.Get(env, v)
	}
	if err != nil {
		t.Fatalf("%s.%s: %v", obj.TypeName(v), name, err)
	}
	return out
}

func TestSmallVISP(t *testing.T) {
	env := testEnv()
	ds, err := LoadDatasetEnv(env, "../../shared/data/dkist-small-visp")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ds.Shape(), []int{3, 10, 25}) {
		t.Fatalf("shape %v, want (3, 10, 25)", ds.Shape())
	}
	if want := []string{"raster position", "slit position", "wavelength"}; !slices.Equal(ds.PixelNames(), want) {
		t.Errorf("pixel names %q, want %q", ds.PixelNames(), want)
	}
	w, err := ds.WCS()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"wavelength", "helioprojective latitude", "helioprojective longitude", "time"}; !slices.Equal(w.WorldAxisNames(), want) {
		t.Errorf("world names %q, want %q", w.WorldAxisNames(), want)
	}
	data := callMember(t, env, ds, "data", obj.Args{})
	sum := callMember(t, env, callMember(t, env, data, "sum", obj.Args{}), "compute", obj.Args{})
	if got := sum.(float64); math.Abs(got-363.71324943117065) > 1e-12*363 {
		t.Errorf("sum %.17g, want 363.71324943117065", got)
	}
	first, err := ds.GetItem(env, 0)
	if err != nil {
		t.Fatal(err)
	}
	fd := callMember(t, env, first, "data", obj.Args{})
	s0 := callMember(t, env, callMember(t, env, fd, "sum", obj.Args{}), "compute", obj.Args{})
	if got := s0.(float64); math.Abs(got-122.2499439201738) > 1e-12*122 {
		t.Errorf("first raster sum %.17g, want 122.2499439201738", got)
	}
	if got := first.(*Dataset).PixelNames(); !slices.Equal(got, []string{"slit position", "wavelength"}) {
		t.Errorf("sliced names %q", got)
	}
	// The README's coordinates, which the Python dkist package gives from the ASDF
	// index's gwcs: pixel (0, 0, 0) is 500 nm, (Tx, Ty) = (0, -0.03) arcsec and
	// time 2044-03-15T08:22:54.721.
	world, err := w.PixelToWorld(0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(world) != 3 {
		t.Fatalf("pixel_to_world gave %d values, want 3 (spectral, celestial, time)", len(world))
	}
	if sc, ok := world[0].(*wcs.SpectralCoord); !ok || sc.Unit != "nm" || math.Abs(sc.Value-500) > 1e-9 {
		t.Errorf("wavelength %#v, want 500 nm", world[0])
	}
	if sky, ok := world[1].(*wcs.SkyCoord); !ok || sky.Unit != "arcsec" || math.Abs(sky.Lon) > 1e-9 || math.Abs(sky.Lat+0.03) > 1e-9 {
		t.Errorf("sky %#v, want (Tx, Ty) = (0, -0.03) arcsec", world[1])
	}
	if tm, ok := world[2].(*wcs.Time); !ok || tm.T.Format("2006-01-02T15:04:05.000") != "2044-03-15T08:22:54.721" {
		t.Errorf("time %#v, want 2044-03-15T08:22:54.721", world[2])
	}
}
