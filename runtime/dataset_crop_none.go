package runtime

// This file gives crop's points the None entries ndcube allows: a world object given
// as None leaves the array axes only it depends on uncropped (ndcube evaluates the other
// objects on the WCS sliced at index 0 of those axes).

import (
	"slices"

	"gokist/obj"
	"gokist/runtime/wcs"
)

// cropPointIndices gives the array axes a crop point fixes and its array index on each.
// Without None entries that is every axis; with them, the axes the given objects depend
// on, found on the WCS sliced at index 0 of the others.
func cropPointIndices(w *wcs.WCS, shape []int, items obj.Tuple) (axes, idx []int, err error) {
	if !slices.Contains(items, nil) {
		idx, err := w.WorldToArrayIndex(items...)
		if err != nil {
			return nil, nil, err
		}
		for a := range idx {
			axes = append(axes, a)
		}
		return axes, idx, nil
	}
	groups := w.WorldObjects()
	if len(items) != len(groups) {
		return nil, nil, obj.Errorf(obj.ValueError, "a point has %d world objects but this dataset's WCS has %d (%s)", len(items), len(groups), worldObjectNames(w, groups))
	}
	corr := w.AxisCorrelationMatrix()
	n := len(shape)
	with := make([]bool, n)
	var given []any
	for k, it := range items {
		if it == nil {
			continue
		}
		given = append(given, it)
		for _, world := range groups[k] {
			for p := range n {
				if corr[world][p] {
					with[n-1-p] = true
				}
			}
		}
	}
	cut := make([]wcs.Item, n)
	for a := range n {
		if with[a] {
			cut[a] = wcs.Item{Start: 0, Step: 1, Len: shape[a]}
			axes = append(axes, a)
		} else {
			cut[a] = wcs.Item{Index: 0, Drop: true}
		}
	}
	if len(given) == 0 {
		return nil, nil, nil
	}
	sliced, err := w.Slice(cut)
	if err != nil {
		return nil, nil, err
	}
	idx, err = sliced.WorldToArrayIndex(given...)
	return axes, idx, err
}

// worldObjectNames lists the world objects a crop point gives, by their axes' names.
func worldObjectNames(w *wcs.WCS, groups [][]int) string {
	names := w.WorldAxisNames()
	var out []string
	for _, g := range groups {
		var parts []string
		for _, i := range g {
			parts = append(parts, names[i])
		}
		out = append(out, joinComma(parts))
	}
	return "one each for " + joinSemicolon(out)
}

func joinSemicolon(p []string) string {
	s := ""
	for i, x := range p {
		if i > 0 {
			s += "; "
		}
		s += x
	}
	return s
}
