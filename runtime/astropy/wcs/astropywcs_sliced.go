package wcs

// SlicedFITSWCS: wcs[0], wcs[0, 10:20] — an index that drops pixel axes, as astropy's
// SlicedLowLevelWCS over a WCS: dropped pixel axes sit at their index, kept ones are
// offset by their slice's start, and the world axes kept are those correlated with a
// kept pixel axis. Its repr is astropy's wcs_info_str.

import (
	"fmt"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"strings"

	"gokist/obj"
)

// SlicedHeaderWCS is astropy's SlicedFITSWCS of a HeaderWCS.
type SlicedHeaderWCS struct {
	w *HeaderWCS
	// fixed[k] is the index of dropped FITS pixel axis k; start[k] the slice start of
	// a kept one (0 when none); keep lists the kept pixel axes, world the kept world axes.
	fixed      map[int]int
	start      []int
	keep       []int
	world      []int
	arrayShape []int // nil when the WCS has no shape
}

// newSliced makes wcs[view] for a view (numpy order) of ints and step-1 slices.
func (w *HeaderWCS) newSliced(view obj.Tuple) (*SlicedHeaderWCS, error) {
	n := w.fw.NAxis
	s := &SlicedHeaderWCS{w: w, fixed: map[int]int{}, start: make([]int, n)}
	for i, v := range view {
		k := n - 1 - i // FITS axis
		switch x := v.(type) {
		case int:
			s.fixed[k] = x
		case obj.Slice:
			if x.Step != nil && *x.Step != 1 {
				return nil, obj.Errorf(obj.IndexError, "Slicing WCS with a step is not supported.")
			}
			if x.Start != nil {
				s.start[k] = *x.Start
			}
		default:
			return nil, obj.Errorf(obj.IndexError, "Only integer or range slices are accepted.")
		}
	}
	for k := range n {
		if _, ok := s.fixed[k]; !ok {
			s.keep = append(s.keep, k)
		}
	}
	corr := w.correlation()
	for i := range n {
		for _, k := range s.keep {
			if corr[i][k] {
				s.world = append(s.world, i)
				break
			}
		}
	}
	if len(s.keep) == 0 || len(s.world) == 0 {
		return nil, obj.Errorf(obj.ValueError, "Cannot slice WCS: the resulting WCS should have at least one pixel and one world dimension.")
	}
	if w.shape != nil {
		shape, err := slicedShape(w.shape, view)
		if err != nil {
			return nil, err
		}
		s.arrayShape = shape
	}
	return s, nil
}

// slicedShape is the numpy shape left after view on an array of FITS shape fitsShape.
func slicedShape(fitsShape []int, view obj.Tuple) ([]int, error) {
	n := len(fitsShape)
	var out []int
	for i := range n {
		size := fitsShape[n-1-i]
		if i >= len(view) {
			out = append(out, size)
			continue
		}
		switch x := view[i].(type) {
		case int:
			if x < -size || x >= size {
				return nil, obj.Errorf(obj.IndexError, "index %d is out of bounds for axis %d with size %d", x, i, size)
			}
		case obj.Slice:
			start, stop, step, err := x.Indices(size)
			if err != nil {
				return nil, err
			}
			out = append(out, max(0, (stop-start+step-1)/step))
		}
	}
	return out, nil
}

// full turns kept-axis pixel inputs into every FITS axis's pixels.
func (s *SlicedHeaderWCS) full(in [][]float64) [][]float64 {
	size := len(in[0])
	out := make([][]float64, s.w.fw.NAxis)
	j := 0
	for k := range out {
		if f, ok := s.fixed[k]; ok {
			out[k] = make([]float64, size)
			for i := range out[k] {
				out[k][i] = float64(f)
			}
			continue
		}
		out[k] = make([]float64, size)
		for i, p := range in[j] {
			out[k][i] = p + float64(s.start[k])
		}
		j++
	}
	return out
}

func pick(all [][]float64, idx []int) [][]float64 {
	out := make([][]float64, len(idx))
	for i, k := range idx {
		out[i] = all[k]
	}
	return out
}

// pixelToWorld is pixel_to_world_values over the kept axes.
func (s *SlicedHeaderWCS) pixelToWorld(in [][]float64) [][]float64 {
	return pick(s.w.pixelToWorld(s.full(in)), s.world)
}

// worldToPixel fills the dropped world axes with their values at pixel 0 of the kept
// axes, as astropy does, and returns the kept pixels less their slice starts.
func (s *SlicedHeaderWCS) worldToPixel(in [][]float64) [][]float64 {
	size := len(in[0])
	zero := make([][]float64, len(s.keep))
	for i := range zero {
		zero[i] = []float64{0}
	}
	dropped := s.w.pixelToWorld(s.full(zero))
	world := make([][]float64, s.w.fw.NAxis)
	j := 0
	for i := range world {
		if j < len(s.world) && s.world[j] == i {
			world[i] = in[j]
			j++
			continue
		}
		world[i] = make([]float64, size)
		for k := range world[i] {
			world[i][k] = dropped[i][0]
		}
	}
	pix := s.w.worldToPixel(world)
	for k := range pix {
		for i := range pix[k] {
			pix[k][i] -= float64(s.start[k])
		}
	}
	return pick(pix, s.keep)
}

// Type is SlicedFITSWCS's member table.
func (s *SlicedHeaderWCS) Type() *obj.Type { return slicedWCSType }

// MimeBundle is astropy's repr: the object line, then str().
func (s *SlicedHeaderWCS) MimeBundle() map[string]any {
	return map[string]any{"text/plain": fmt.Sprintf("<astropy.wcs.wcsapi.fitswcs.SlicedFITSWCS object at %p>\n", s) + s.String()}
}

// Str is print(w): astropy's wcs_info_str.
func (s *SlicedHeaderWCS) Str() string { return s.String() }

func (s *SlicedHeaderWCS) units() []string { return pickStrings(s.w.units, s.world) }
func (s *SlicedHeaderWCS) names() []string { return pickStrings(s.w.names, s.world) }
func (s *SlicedHeaderWCS) types() []string { return pickStrings(s.w.physicalTypes(), s.world) }

func pickStrings(all []string, idx []int) []string {
	out := make([]string, len(idx))
	for i, k := range idx {
		out[i] = all[k]
	}
	return out
}

func (s *SlicedHeaderWCS) correlation() [][]bool {
	all := s.w.correlation()
	out := make([][]bool, len(s.world))
	for i, wi := range s.world {
		out[i] = make([]bool, len(s.keep))
		for j, k := range s.keep {
			out[i][j] = all[wi][k]
		}
	}
	return out
}

// String is astropy's wcs_info_str.
func (s *SlicedHeaderWCS) String() string {
	var b strings.Builder
	np, nw := len(s.keep), len(s.world)
	fmt.Fprintf(&b, "SlicedFITSWCS Transformation\n\nThis transformation has %d pixel and %d world dimensions\n\n", np, nw)
	shape := "None"
	if s.arrayShape != nil {
		parts := make([]string, len(s.arrayShape))
		for i, v := range s.arrayShape {
			parts[i] = fmt.Sprint(v)
		}
		shape = "(" + strings.Join(parts, ", ") + ")"
		if len(parts) == 1 {
			shape = "(" + parts[0] + ",)"
		}
	}
	fmt.Fprintf(&b, "Array shape (Numpy order): %s\n\n", shape)
	sizeW := 9
	for _, v := range s.arrayShape {
		sizeW = max(sizeW, len(fmt.Sprint(v)))
	}
	fmt.Fprintf(&b, "%-9s  %-9s  %-*s  Bounds\n", "Pixel Dim", "Axis Name", sizeW, "Data size")
	for i := range np {
		size := "     None"
		if s.arrayShape != nil {
			size = fmt.Sprintf("%*d", sizeW, s.arrayShape[len(s.arrayShape)-1-i])
		}
		fmt.Fprintf(&b, "%9d  %-9s  %s  None\n", i, "None", size)
	}
	nameW, typW := 9, 13
	for i := range nw {
		nameW, typW = max(nameW, len(s.names()[i])), max(typW, len(s.types()[i]))
	}
	fmt.Fprintf(&b, "\n%-9s  %-*s  %-*s  Units\n", "World Dim", nameW, "Axis Name", typW, "Physical Type")
	for i := range nw {
		name, unit := s.names()[i], s.units()[i]
		if name == "" {
			name = "None"
		}
		if unit == "" {
			unit = "unknown"
		}
		fmt.Fprintf(&b, "%9d  %-*s  %-*s  %s\n", i, nameW, name, typW, s.types()[i], unit)
	}
	b.WriteString("\nCorrelation between pixel and world axes:\n\n")
	fmt.Fprintf(&b, "%9s  %s\n", "", centerText("Pixel Dim", np*5-2))
	b.WriteString("World Dim")
	for j := range np {
		fmt.Fprintf(&b, "  %3d", j)
	}
	b.WriteString("\n")
	for i, row := range s.correlation() {
		fmt.Fprintf(&b, "%9d", i)
		for _, v := range row {
			if v {
				b.WriteString("  yes")
			} else {
				b.WriteString("   no")
			}
		}
		b.WriteString("\n")
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// centerText is Python's format(s, '^w'): extra space on the right.
func centerText(s string, w int) string {
	pad := w - len(s)
	if pad <= 0 {
		return s
	}
	return strings.Repeat(" ", pad/2) + s + strings.Repeat(" ", pad-pad/2)
}

var slicedWCSType = &obj.Type{Name: "SlicedFITSWCS", Doc: "A WCS with pixel axes dropped by an integer index (astropy's SlicedFITSWCS): the low-level APE 14 API over the kept axes."}

func init() {
	values := func(name, doc string, reverse bool, eval func(s *SlicedHeaderWCS, in [][]float64) [][]float64, nIn func(s *SlicedHeaderWCS) int) *obj.Member {
		return &obj.Member{Name: name, Signature: name + "(*args)", Doc: doc,
			Call: func(_ *obj.Env, r any, a obj.Args) (any, error) {
				s := r.(*SlicedHeaderWCS)
				for k := range a.Kw {
					return nil, obj.Errorf(obj.TypeError, "%s() got an unexpected keyword argument '%s'", name, k)
				}
				if len(a.Pos) != nIn(s) {
					return nil, obj.Errorf(obj.ValueError, "%s() takes %d values (one per axis), got %d", name, nIn(s), len(a.Pos))
				}
				in, shape, _, err := wcsInputs(name, nIn(s), a.Pos)
				if err != nil {
					return nil, err
				}
				if reverse {
					slicesReverse(in)
				}
				out := wcsOutputs(eval(s, in), shape, lazy.Float64)
				if t, ok := out.(obj.Tuple); ok && name != "world_to_pixel_values" {
					return obj.List(t), nil // astropy's sliced pixel_to_world_values gives a list
				}
				return out, nil
			}}
	}
	pixels := func(s *SlicedHeaderWCS) int { return len(s.keep) }
	worlds := func(s *SlicedHeaderWCS) int { return len(s.world) }
	get := func(name, doc string, f func(s *SlicedHeaderWCS) any) *obj.Member {
		return obj.Attr(name, doc, func(_ *obj.Env, r any) (any, error) { return f(r.(*SlicedHeaderWCS)), nil })
	}
	slicedWCSType.Members = []*obj.Member{
		values("pixel_to_world_values", "World values of the kept world axes at pixels of the kept pixel axes (FITS order).", false, (*SlicedHeaderWCS).pixelToWorld, pixels),
		values("array_index_to_world_values", "pixel_to_world_values with the index in numpy's order.", true, (*SlicedHeaderWCS).pixelToWorld, pixels),
		values("world_to_pixel_values", "Pixels of the kept axes at world values of the kept world axes.", false, (*SlicedHeaderWCS).worldToPixel, worlds),
		get("pixel_n_dim", "The number of pixel axes kept.", func(s *SlicedHeaderWCS) any { return len(s.keep) }),
		get("world_n_dim", "The number of world axes kept.", func(s *SlicedHeaderWCS) any { return len(s.world) }),
		get("world_axis_units", "Units of the kept world axes.", func(s *SlicedHeaderWCS) any { return wcsStrings(s.units()) }),
		get("world_axis_names", "Names of the kept world axes.", func(s *SlicedHeaderWCS) any { return wcsStrings(s.names()) }),
		get("world_axis_physical_types", "Physical types of the kept world axes.", func(s *SlicedHeaderWCS) any { return wcsStrings(s.types()) }),
		get("pixel_axis_names", "Names of the kept pixel axes.", func(s *SlicedHeaderWCS) any { return wcsStrings(make([]string, len(s.keep))) }),
		get("axis_correlation_matrix", "Kept world axes (rows) against kept pixel axes.", func(s *SlicedHeaderWCS) any { return boolMatrixRect(s.correlation()) }),
		get("array_shape", "The shape left (numpy order), or None.", func(s *SlicedHeaderWCS) any {
			if s.arrayShape == nil {
				return nil
			}
			return obj.ShapeTuple(s.arrayShape)
		}),
		get("pixel_shape", "array_shape in FITS order, or None.", func(s *SlicedHeaderWCS) any {
			if s.arrayShape == nil {
				return nil
			}
			rev := make([]int, len(s.arrayShape))
			for i, v := range s.arrayShape {
				rev[len(rev)-1-i] = v
			}
			return obj.ShapeTuple(rev)
		}),
	}
}

func boolMatrixRect(m [][]bool) *numpy.NDArray {
	var data []float64
	for _, r := range m {
		for _, v := range r {
			data = append(data, lazy.B2f(v))
		}
	}
	cols := 0
	if len(m) > 0 {
		cols = len(m[0])
	}
	return (*numpy.NDArray)(lazy.NewArray(data, []int{len(m), cols}, lazy.Bool))
}
