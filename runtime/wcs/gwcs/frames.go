package gwcs

import (
	"fmt"
	"strings"
	"time"

	"gokist/runtime/wcs/asdf"
	"gokist/runtime/wcs/wcsunit"
	"gopkg.in/yaml.v3"
)

// Kind says what a world axis is, from the kind of frame it belongs to.
type Kind int

// The kinds of world axes: a plain number, one of a celestial pair, spectral, temporal
// or Stokes.
const (
	Scalar Kind = iota
	CelestialLon
	CelestialLat
	Spectral
	Temporal
	Stokes
)

// WorldAxis is what the output frame says of one world output of the transform.
type WorldAxis struct {
	Name, Unit, PhysicalType string
	Kind                     Kind
	Partner                  int     // the other celestial component, -1 otherwise
	Period                   float64 // wrap period in Unit (celestial longitude), 0 if none
	Frame                    string  // celestial frame name: "helioprojective", "icrs", ...
	// Factor turns the transform's output into Unit: 1 without units, else from the
	// wcsunit base unit (m, deg, s) the models compute in.
	Factor float64
}

// Frames is the output frame of a gwcs: one WorldAxis per transform output and the
// frames' times and solar radius.
type Frames struct {
	World   []WorldAxis
	RefTime time.Time // the temporal frame's reference time, else Obstime
	Obstime time.Time // the celestial frame's obstime
	RsunKm  float64   // the celestial frame's rsun, else the IAU nominal 695700 km
}

// Frames reads the output frame for a transform of nw outputs (a composite frame's
// frames, each over its axes_order), pairs the celestial axes and gives each output's
// factor into its axis's unit (withUnits: the transform's outputs are in base units).
func (g *GWCS) Frames(nw int, withUnits bool) (*Frames, error) {
	fs := &Frames{World: make([]WorldAxis, nw), RsunKm: 695700}
	for i := range fs.World {
		fs.World[i] = WorldAxis{Name: fmt.Sprintf("world%d", i), Partner: -1, Factor: 1}
	}
	outFrame := asdf.MapGet(g.steps.Content[len(g.steps.Content)-1], "frame")
	if outFrame == nil {
		return nil, fmt.Errorf("%s: the gwcs output step has no frame", g.path)
	}
	frames := []*yaml.Node{outFrame}
	if asdf.TagName(outFrame) == "gwcs/composite_frame" {
		list := asdf.MapGet(outFrame, "frames")
		if list == nil || list.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("%s: composite frame (line %d) has no frames list", g.path, outFrame.Line)
		}
		frames = list.Content
	}
	offset := 0
	for _, fr := range frames {
		naxes, err := g.frameAxes(fs, fr, offset, withUnits)
		if err != nil {
			return nil, err
		}
		offset += naxes
	}
	for i, a := range fs.World {
		if (a.Kind == CelestialLon || a.Kind == CelestialLat) && a.Partner < 0 {
			return nil, fmt.Errorf("%s: celestial world axis %d (%s) has no partner", g.path, i, a.Name)
		}
	}
	if fs.RefTime.IsZero() {
		fs.RefTime = fs.Obstime
	}
	return fs, nil
}

// frameAxes fills in the world axes of one frame (its outputs from offset on, or its
// axes_order) and returns how many axes it has.
func (g *GWCS) frameAxes(fs *Frames, fr *yaml.Node, offset int, withUnits bool) (int, error) {
	var order []int
	var names, ptypes, units []string
	if v := asdf.MapGet(fr, "axes_order"); v != nil {
		_ = v.Decode(&order)
	}
	if v := asdf.MapGet(fr, "axes_names"); v != nil {
		_ = v.Decode(&names)
	}
	if v := asdf.MapGet(fr, "axis_physical_types"); v != nil {
		_ = v.Decode(&ptypes)
	}
	if v := asdf.MapGet(fr, "unit"); v != nil {
		for _, u := range v.Content {
			units = append(units, wcsunit.Canonical(asdf.UnitOf(u)))
		}
	}
	naxes := max(len(order), len(names), len(units))
	if len(order) == 0 {
		for i := 0; i < naxes; i++ {
			order = append(order, offset+i)
		}
	}
	kind := asdf.TagName(fr)
	for j, w := range order {
		if w < 0 || w >= len(fs.World) {
			return 0, fmt.Errorf("%s: frame %s axes_order %v is out of range for %d outputs", g.path, kind, order, len(fs.World))
		}
		a := &fs.World[w]
		if j < len(names) {
			a.Name = names[j]
		} else if fn := asdf.MapGet(fr, "name"); fn != nil && len(order) == 1 {
			a.Name = fn.Value // a one-axis frame without axes_names: its own name
		}
		if j < len(ptypes) {
			a.PhysicalType = ptypes[j]
		}
		if j < len(units) {
			a.Unit = units[j]
		}
		if err := g.frameKind(fs, fr, kind, j, a); err != nil {
			return 0, err
		}
		if withUnits && a.Unit != "" {
			if u, ok := wcsunit.Lookup(a.Unit); ok {
				a.Factor = 1 / u.Scale
			}
		}
	}
	if kind == "gwcs/celestial_frame" && len(order) == 2 {
		fs.World[order[0]].Partner, fs.World[order[1]].Partner = order[1], order[0]
		fs.World[order[1]].Frame = fs.World[order[0]].Frame
	}
	return naxes, nil
}

// frameKind sets what the frame's kind (spectral, celestial, temporal, Stokes) says of
// its j-th world axis a, and of the frames: the celestial frame's obstime and solar
// radius, the temporal frame's reference time.
func (g *GWCS) frameKind(fs *Frames, fr *yaml.Node, kind string, j int, a *WorldAxis) error {
	switch kind {
	case "gwcs/spectral_frame":
		a.Kind = Spectral
	case "gwcs/celestial_frame":
		g.celestialAxis(fs, fr, j, a)
	case "gwcs/temporal_frame":
		a.Kind = Temporal
		if a.Unit == "" {
			a.Unit = "s"
		}
		t, err := asdf.Time(asdf.MapGet(fr, "reference_frame"))
		if err != nil {
			return fmt.Errorf("%s: temporal frame: %w", g.path, err)
		}
		fs.RefTime = t
	case "gwcs/stokes_frame":
		a.Kind, a.Unit = Stokes, ""
		if asdf.MapGet(fr, "axes_names") == nil {
			// gwcs's StokesFrame names its one axis "stokes" whatever the frame's name.
			a.Name = "stokes"
		}
		if a.PhysicalType == "" {
			a.PhysicalType = "phys.polarization.stokes"
		}
	}
	return nil
}

// celestialAxis sets the j-th axis a of a celestial frame fr (longitude first), its
// reference frame's name and wrap period, and the frames' obstime and solar radius.
func (g *GWCS) celestialAxis(fs *Frames, fr *yaml.Node, j int, a *WorldAxis) {
	if j == 0 {
		a.Kind = CelestialLon
	} else {
		a.Kind = CelestialLat
	}
	ref := asdf.MapGet(fr, "reference_frame")
	a.Frame = strings.TrimPrefix(asdf.TagName(ref), "coordinates/frames/")
	if a.Frame == "" {
		a.Frame = "icrs"
	}
	if attrs := asdf.MapGet(ref, "frame_attributes"); attrs != nil {
		if ot := asdf.MapGet(attrs, "obstime"); ot != nil {
			if t, err := asdf.Time(ot); err == nil {
				fs.Obstime = t
			}
		}
		if rs := asdf.MapGet(attrs, "rsun"); rs != nil {
			if v, _, _, err := g.f.Quantity(rs); err == nil && len(v) == 1 {
				fs.RsunKm = v[0] / 1e3
			}
		}
	}
	if a.Unit != "" {
		if u, ok := wcsunit.Lookup(a.Unit); ok {
			a.Period = 360 / u.Scale
		}
	}
}
