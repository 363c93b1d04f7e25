package wcs

// This file builds a dataset WCS from a gwcs (package gwcs reads it from the ASDF tree):
// the transform is evaluated directly, the frames name the world axes.

import (
	"fmt"
	"math"

	"gokist/runtime/wcs/asdf"
	"gokist/runtime/wcs/gwcs"
	"gopkg.in/yaml.v3"
)

// FromASDF builds a dataset WCS from the gwcs stored in a DKIST ASDF index (the tree's
// dataset.wcs, else the first gwcs found): its transform is evaluated directly and its
// output frame gives world names, units, physical types, the helioprojective frame's
// obstime and the temporal frame's reference time. shape is the dataset's array shape
// (numpy order) and pixelNames its pixel axis names in the same order (nil: the gwcs
// input frame's names). A transform this package does not evaluate is an error naming
// its tag, so that the loader can fall back to the FITS headers (New). The inverse is
// numerical.
func FromASDF(path string, shape []int, pixelNames []string) (*WCS, error) {
	f, err := asdf.Read(path)
	if err != nil {
		return nil, err
	}
	return fromASDF(f, nil, path, shape, pixelNames)
}

// fromASDF is FromASDF on a read file; node is the gwcs to use (nil: the dataset's).
func fromASDF(f *asdf.File, node *yaml.Node, path string, shape []int, pixelNames []string) (*WCS, error) {
	g, err := gwcs.Find(f, node, path)
	if err != nil {
		return nil, err
	}
	m0, withUnits, err := g.Build()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	n := len(shape)
	if m0.NIn() != n {
		return nil, fmt.Errorf("%s: the gwcs takes %d pixel inputs but the dataset has %d array axes", path, m0.NIn(), n)
	}
	for k, s := range shape {
		if s < 1 {
			return nil, fmt.Errorf("%s: array axis %d has length %d", path, k, s)
		}
	}
	fs, err := g.Frames(m0.NOut(), withUnits)
	if err != nil {
		return nil, err
	}
	sys := gwcsSystem(g, fs, shape, pixelNames)
	if err := numericalCorrelation(sys); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return newView(sys), nil
}

// gwcsKinds maps a gwcs frame's kind of axis to this package's.
var gwcsKinds = map[gwcs.Kind]worldKind{
	gwcs.Scalar: kindScalar, gwcs.CelestialLon: kindCelestialLon, gwcs.CelestialLat: kindCelestialLat,
	gwcs.Spectral: kindSpectral, gwcs.Temporal: kindTime, gwcs.Stokes: kindStokes,
}

// gwcsSystem is the system of a gwcs with frames fs over an array of that shape: each
// scratch builds its own model tree, whose outputs are scaled into the world units
// (helioprojective longitudes wrapped to ±180°).
func gwcsSystem(g *gwcs.GWCS, fs *gwcs.Frames, shape []int, pixelNames []string) *system {
	n := len(shape)
	sys := &system{shape: append([]int(nil), shape...), rsunKm: fs.RsunKm, describe: "gwcs",
		refTime: fs.RefTime, obstime: fs.Obstime}
	sys.pixelNames = gwcsPixelNames(g.InputNames(), pixelNames, n)
	factors := make([]float64, len(fs.World))
	sys.world = make([]worldAxis, len(fs.World))
	for i, a := range fs.World {
		sys.world[i] = worldAxis{name: a.Name, unit: a.Unit, ptype: a.PhysicalType, kind: gwcsKinds[a.Kind],
			partner: a.Partner, period: a.Period, home: -1, frame: a.Frame}
		factors[i] = a.Factor
	}
	sys.newScratch = func() *scratch {
		m, _, _ := g.Build()
		return &scratch{gw: m, in: make([]float64, n)}
	}
	sys.eval = func(q, out []float64, sc *scratch) error {
		for i := 0; i < n; i++ {
			sc.in[i] = q[n-1-i]
		}
		sc.gw.Eval(sc.in, out)
		for i := range out {
			out[i] *= factors[i]
			if p := sys.world[i].period; p > 0 && sys.world[i].kind == kindCelestialLon && sys.world[i].frame == "helioprojective" {
				out[i] = math.Remainder(out[i], p)
			}
		}
		return nil
	}
	return sys
}

// gwcsPixelNames names the n array axes: the loader's names, else the gwcs input
// frame's axes_names inNames (in WCS order, the reverse of array order), else dim<k>.
func gwcsPixelNames(inNames, pixelNames []string, n int) []string {
	out := make([]string, n)
	for k := range out {
		switch {
		case k < len(pixelNames) && pixelNames[k] != "":
			out[k] = pixelNames[k]
		case n-1-k < len(inNames):
			out[k] = inNames[n-1-k]
		default:
			out[k] = fmt.Sprintf("dim%d", k)
		}
	}
	return out
}

// numericalCorrelation finds which world outputs depend on which pixel inputs by moving
// each pixel by one at two points, and sets each world axis's home to the pixel axis
// that moves it most (in its unit per pixel).
func numericalCorrelation(sys *system) error {
	n, nw := len(sys.shape), len(sys.world)
	sc := sys.getScratch()
	defer sys.putScratch(sc)
	sys.corr = make([][]bool, nw)
	for i := range sys.corr {
		sys.corr[i] = make([]bool, n)
	}
	best := make([]float64, nw)
	q := make([]float64, n)
	w0 := make([]float64, nw)
	w1 := make([]float64, nw)
	for _, start := range []float64{0, 0.5} {
		for k := range q {
			q[k] = start * float64(sys.shape[k]-1)
		}
		if err := sys.eval(q, w0, sc); err != nil {
			return err
		}
		for k := 0; k < n; k++ {
			q[k]++
			if err := sys.eval(q, w1, sc); err != nil {
				return err
			}
			q[k]--
			for i := 0; i < nw; i++ {
				d := math.Abs(w1[i] - w0[i])
				if d > 1e-12*math.Max(1, math.Abs(w0[i])) {
					sys.corr[i][k] = true
					if d > best[i] {
						best[i], sys.world[i].home = d, k
					}
				}
			}
		}
	}
	for i, a := range sys.world {
		if a.partner >= 0 {
			for k := range sys.corr[i] {
				if sys.corr[a.partner][k] {
					sys.corr[i][k] = true
				}
			}
		}
	}
	return nil
}
