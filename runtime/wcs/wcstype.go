package wcs

import (
	"fmt"
	"html"
	"strings"

	"gokist/obj"
)

// floatArgs reads positional pixel arguments as float64.
func floatArgs(fn string, args obj.Args) ([]float64, error) {
	if len(args.Kw) > 0 {
		for k := range args.Kw {
			return nil, obj.Errorf(obj.TypeError, "%s() got an unexpected keyword argument '%s'", fn, k)
		}
	}
	out := make([]float64, len(args.Pos))
	for i, v := range args.Pos {
		switch x := v.(type) {
		case int:
			out[i] = float64(x)
		case float64:
			out[i] = x
		case bool:
			return nil, obj.Errorf(obj.TypeError, "%s(): argument %d is a bool, not a pixel coordinate", fn, i+1)
		default:
			return nil, obj.Errorf(obj.TypeError, "%s(): argument %d must be a number, not %s", fn, i+1, obj.TypeName(v))
		}
	}
	return out, nil
}

func stringList(s []string) obj.List {
	out := make(obj.List, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

var wcsType = &obj.Type{
	Name: "WCS",
	Doc:  "The dataset's world coordinate system (APE 14 high-level API). Pixel arguments are in WCS order, the reverse of the array's axis order.",
	Members: []*obj.Member{
		{Name: "pixel_to_world", Signature: "pixel_to_world(*pixel)",
			Doc: "World coordinates at a pixel position given in WCS order (one number per pixel axis, the reverse of the array order). Returns a SkyCoord for the helioprojective pair, a SpectralCoord, a Time and a StokesCoord, in world-axis order; a single value when there is one.",
			Call: func(_ *obj.Env, r any, a obj.Args) (any, error) {
				pix, err := floatArgs("pixel_to_world", a)
				if err != nil {
					return nil, err
				}
				t, err := r.(*WCS).PixelToWorld(pix...)
				if err != nil {
					return nil, err
				}
				if len(t) == 1 {
					return t[0], nil
				}
				return t, nil
			}},
		{Name: "world_to_pixel", Signature: "world_to_pixel(*world)",
			Doc: "Pixel position (WCS order, floats) of world values given in world order: a SkyCoord for the celestial pair, then SpectralCoord/Quantity, Time and StokesCoord (or plain numbers in the axis units).",
			Call: func(_ *obj.Env, r any, a obj.Args) (any, error) {
				if len(a.Kw) > 0 {
					for k := range a.Kw {
						return nil, obj.Errorf(obj.TypeError, "world_to_pixel() got an unexpected keyword argument '%s'", k)
					}
				}
				t, err := r.(*WCS).WorldToPixel(a.Pos...)
				if err != nil {
					return nil, err
				}
				if len(t) == 1 {
					return t[0], nil
				}
				return t, nil
			}},
		{Name: "array_index_to_world", Signature: "array_index_to_world(*index)",
			Doc: "World coordinates at an array index given in array (numpy) order, as pixel_to_world of the reversed index (APE 14).",
			Call: func(_ *obj.Env, r any, a obj.Args) (any, error) {
				idx, err := floatArgs("array_index_to_world", a)
				if err != nil {
					return nil, err
				}
				t, err := r.(*WCS).ArrayIndexToWorld(idx...)
				if err != nil {
					return nil, err
				}
				if len(t) == 1 {
					return t[0], nil
				}
				return t, nil
			}},
		{Name: "world_to_array_index", Signature: "world_to_array_index(*world)",
			Doc: "The array index (numpy order, ints: the nearest pixel, halves rounded up) of world values given in world order, as APE 14's world_to_array_index; an int when there is one pixel axis.",
			Call: func(_ *obj.Env, r any, a obj.Args) (any, error) {
				if len(a.Kw) > 0 {
					for k := range a.Kw {
						return nil, obj.Errorf(obj.TypeError, "world_to_array_index() got an unexpected keyword argument '%s'", k)
					}
				}
				idx, err := r.(*WCS).WorldToArrayIndex(a.Pos...)
				if err != nil {
					return nil, err
				}
				if len(idx) == 1 {
					return idx[0], nil
				}
				out := make(obj.Tuple, len(idx))
				for i, v := range idx {
					out[i] = v
				}
				return out, nil
			}},
		{Name: "world_axis_names", Signature: "world_axis_names", Doc: "Names of the world axes, in world order.",
			Get: func(_ *obj.Env, r any) (any, error) { return stringList(r.(*WCS).WorldAxisNames()), nil }},
		{Name: "pixel_axis_names", Signature: "pixel_axis_names", Doc: "Names of the pixel axes, in WCS order (the reverse of the array order).",
			Get: func(_ *obj.Env, r any) (any, error) { return stringList(r.(*WCS).PixelAxisNames()), nil }},
		{Name: "world_axis_units", Signature: "world_axis_units", Doc: "Units of the world axes, in world order.",
			Get: func(_ *obj.Env, r any) (any, error) { return stringList(r.(*WCS).WorldAxisUnits()), nil }},
		{Name: "world_axis_physical_types", Signature: "world_axis_physical_types", Doc: "Physical types of the world axes (e.g. 'em.wl'), in world order.",
			Get: func(_ *obj.Env, r any) (any, error) { return stringList(r.(*WCS).WorldAxisPhysicalTypes()), nil }},
		{Name: "pixel_n_dim", Signature: "pixel_n_dim", Doc: "Number of pixel axes.",
			Get: func(_ *obj.Env, r any) (any, error) { return r.(*WCS).PixelNDim(), nil }},
		{Name: "world_n_dim", Signature: "world_n_dim", Doc: "Number of world axes.",
			Get: func(_ *obj.Env, r any) (any, error) { return r.(*WCS).WorldNDim(), nil }},
		{Name: "axis_correlation_matrix", Signature: "axis_correlation_matrix", Doc: "Which world axes (rows) depend on which pixel axes (columns, WCS order).",
			Get: func(_ *obj.Env, r any) (any, error) {
				m := r.(*WCS).AxisCorrelationMatrix()
				out := make(obj.List, len(m))
				for i, row := range m {
					l := make(obj.List, len(row))
					for j, v := range row {
						l[j] = v
					}
					out[i] = l
				}
				return out, nil
			}},
	},
}

// Type is the WCS member table.
func (w *WCS) Type() *obj.Type { return wcsType }

// String describes the WCS: pixel and world axes with names, types and units, and the
// correlation matrix, in the layout dkist/ndcube use.
func (w *WCS) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s WCS (from %s) with %d pixel and %d world dimensions\n\n", "Dataset", w.sys.describe, w.PixelNDim(), w.WorldNDim())
	b.WriteString("Array shape (Numpy order): (")
	for i, s := range w.shape {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprint(&b, s)
	}
	if len(w.shape) == 1 {
		b.WriteString(",")
	}
	b.WriteString(")\n\n")
	pn := w.PixelAxisNames()
	nameW := 4
	for _, n := range pn {
		nameW = max(nameW, len(n))
	}
	fmt.Fprintf(&b, "Pixel Dim  %-*s  Data size\n", nameW, "Axis Name")
	for i, n := range pn {
		fmt.Fprintf(&b, "%9d  %-*s  %9d\n", i, nameW, n, w.shape[len(w.shape)-1-i])
	}
	wn, wt, wu := w.WorldAxisNames(), w.WorldAxisPhysicalTypes(), w.WorldAxisUnits()
	nw, tw := 9, 13
	for i := range wn {
		nw, tw = max(nw, len(wn[i])), max(tw, len(wt[i]))
	}
	fmt.Fprintf(&b, "\nWorld Dim  %-*s  %-*s  Units\n", nw, "Axis Name", tw, "Physical Type")
	for i := range wn {
		u := wu[i]
		if u == "" {
			u = "unknown"
		}
		fmt.Fprintf(&b, "%9d  %-*s  %-*s  %s\n", i, nw, wn[i], tw, wt[i], u)
	}
	b.WriteString("\nCorrelation between pixel and world axes:\n\n")
	m := w.AxisCorrelationMatrix()
	fmt.Fprintf(&b, "%*s  Pixel Dim\n", 9, "")
	fmt.Fprintf(&b, "%9s", "World Dim")
	for j := range pn {
		fmt.Fprintf(&b, "%4d", j)
	}
	b.WriteString("\n")
	for i, row := range m {
		fmt.Fprintf(&b, "%9d", i)
		for _, v := range row {
			if v {
				b.WriteString(" yes")
			} else {
				b.WriteString("  no")
			}
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// MimeBundle shows the WCS description as text and preformatted HTML.
func (w *WCS) MimeBundle() map[string]any {
	s := w.String()
	return map[string]any{"text/plain": s, "text/html": "<pre>" + html.EscapeString(s) + "</pre>"}
}
