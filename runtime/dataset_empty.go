package runtime

// This file warns when indexing a dataset selects nothing along an axis: numpy allows
// it, but a cell that goes on to reduce or plot the empty selection gets a flat zero or
// an empty plot with no hint why (a tutorial's indexes on a smaller dataset than it was
// written for).

import (
	"fmt"
	"gokist/runtime/lazy"

	"gokist/obj"
)

// warnEmptySelection writes one warning naming every axis along which key selects
// nothing: its name, its length and the slice.
func warnEmptySelection(env *obj.Env, key any, shape []int, names []string, picks []lazy.AxisPick) {
	if env == nil || env.Out == nil {
		return
	}
	slices := indexSlices(key, len(shape))
	var parts []string
	for i, p := range picks {
		if p.Drop || p.N > 0 {
			continue
		}
		name := fmt.Sprintf("axis %d", i)
		if i < len(names) && names[i] != "" {
			name = fmt.Sprintf("axis %d (%s)", i, names[i])
		}
		what := "the slice"
		if i < len(slices) {
			what = "the slice " + sliceText(slices[i])
		}
		parts = append(parts, fmt.Sprintf("%s of length %d: %s selects nothing", name, shape[i], what))
	}
	if len(parts) == 0 {
		return
	}
	msg := "warning: this selection is empty along "
	for i, p := range parts {
		if i > 0 {
			msg += "; and along "
		}
		msg += p
	}
	env.Out.Stream("stderr", msg+"; sums of it are 0 and plots of it are empty\n")
}

// indexSlices is the index's item per axis (an int or a slice), with the ellipsis (or
// the implicit one at the end) expanded into full slices.
func indexSlices(key any, ndim int) []any {
	items := []any{key}
	if t, ok := key.(obj.Tuple); ok {
		items = t
	}
	count := 0
	for _, it := range items {
		if _, ok := it.(obj.EllipsisType); !ok {
			count++
		}
	}
	var full []any
	for _, it := range items {
		if _, ok := it.(obj.EllipsisType); ok {
			for j := 0; j < ndim-count; j++ {
				full = append(full, obj.Slice{})
			}
			continue
		}
		full = append(full, it)
	}
	return full
}

// sliceText writes a slice as Python source does: 520:720, ::2, 3.
func sliceText(v any) string {
	s, ok := v.(obj.Slice)
	if !ok {
		return fmt.Sprint(v)
	}
	part := func(p *int) string {
		if p == nil {
			return ""
		}
		return fmt.Sprint(*p)
	}
	out := part(s.Start) + ":" + part(s.Stop)
	if s.Step != nil {
		out += ":" + part(s.Step)
	}
	return out
}
