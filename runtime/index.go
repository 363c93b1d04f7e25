package runtime

import (
	"fmt"
	"strings"

	"gokist/runtime/obj"
)

// axisPick is what one index entry does to one axis: keep a strided range of it, or pick
// a single position and drop the axis.
type axisPick struct {
	drop  bool
	start int // first position (the picked position when drop)
	step  int // stride between kept positions (non-zero)
	n     int // number of kept positions (1 when drop)
}

// position gives the input position of the j-th kept element.
func (p axisPick) position(j int) int { return p.start + j*p.step }

// span gives the half-open input range [lo, hi) covering the kept elements lo..hi-1.
func (p axisPick) span(lo, hi int) (int, int) {
	if hi <= lo {
		return p.start, p.start
	}
	a, b := p.position(lo), p.position(hi-1)
	if a > b {
		a, b = b, a
	}
	return a, b + 1
}

// selection is one axisPick per input axis; its output axes are the kept ones, in order.
type selection []axisPick

// identitySelection keeps every element of every axis of shape.
func identitySelection(shape []int) selection {
	s := make(selection, len(shape))
	for i, n := range shape {
		s[i] = axisPick{start: 0, step: 1, n: n}
	}
	return s
}

// outShape is the shape of what the selection keeps.
func (s selection) outShape() []int {
	var out []int
	for _, p := range s {
		if !p.drop {
			out = append(out, p.n)
		}
	}
	return out
}

// keptAxes lists the input axes that survive, in order.
func (s selection) keptAxes() []int {
	var out []int
	for i, p := range s {
		if !p.drop {
			out = append(out, i)
		}
	}
	return out
}

// compose applies picks (one per output axis of s) on top of s, giving a selection of
// the same input.
func (s selection) compose(picks []axisPick) selection {
	out := make(selection, len(s))
	copy(out, s)
	k := 0
	for i, p := range s {
		if p.drop {
			continue
		}
		q := picks[k]
		k++
		if q.drop {
			out[i] = axisPick{drop: true, start: p.position(q.start), step: 1, n: 1}
		} else {
			out[i] = axisPick{start: p.position(q.start), step: p.step * q.step, n: q.n}
		}
	}
	return out
}

// isIdentity reports whether the selection keeps everything of shape in order.
func (s selection) isIdentity(shape []int) bool {
	for i, p := range s {
		if p.drop || p.start != 0 || p.step != 1 || p.n != shape[i] {
			return false
		}
	}
	return true
}

// planIndex turns a numpy index key (int, obj.Slice, obj.Ellipsis or an obj.Tuple of
// them) on an array of shape into one axisPick per axis, with numpy's rules: negative
// integers count from the end, slices clamp, one Ellipsis stands for the missing axes.
// axisNames, when given, name axes in error messages.
func planIndex(key any, shape []int, axisNames []string) ([]axisPick, error) {
	var items []any
	switch k := key.(type) {
	case obj.Tuple:
		items = k
	case obj.List:
		return nil, obj.Errorf(obj.IndexError, "indexing with a list (fancy indexing) is not supported").WithHint("use an int, a slice such as 2:10, or ...")
	default:
		items = []any{key}
	}
	ellipsis := -1
	count := 0
	for i, it := range items {
		switch it.(type) {
		case obj.EllipsisType:
			if ellipsis >= 0 {
				return nil, obj.Errorf(obj.IndexError, "an index can only have a single ellipsis ('...')")
			}
			ellipsis = i
		case int, obj.Slice:
			count++
		case bool, NumpyBool:
			return nil, obj.Errorf(obj.IndexError, "a boolean index (%s) is not supported", pyBool(it)).WithHint("use an int, a slice such as 2:10, or ...")
		case nil:
			return nil, obj.Errorf(obj.IndexError, "None (numpy.newaxis) in an index is not supported")
		case *Array, *LazyArray:
			// The array itself is not shown: a mask's repr would fill the screen.
			return nil, obj.Errorf(obj.IndexError, "indexing with an array (a boolean mask or a list of indices) is not supported").
				WithHint("select with ints and slices, or use the mask in arithmetic: (x * mask).sum() / mask.sum() is the mean where mask is True")
		default:
			return nil, obj.Errorf(obj.IndexError, "only integers, slices (`:`) and ellipsis (`...`) are valid indices, not %s %s", obj.TypeName(it), shortRepr(it))
		}
	}
	if count > len(shape) {
		return nil, obj.Errorf(obj.IndexError, "too many indices for array: array is %d-dimensional, but %d were indexed", len(shape), count).
			WithHint("shape is %s", shapeString(shape))
	}
	// Expand the ellipsis (or an implicit one at the end) into full slices.
	full := make([]any, 0, len(shape))
	for i, it := range items {
		if i == ellipsis {
			for j := 0; j < len(shape)-count; j++ {
				full = append(full, obj.Slice{})
			}
			continue
		}
		full = append(full, it)
	}
	for len(full) < len(shape) {
		full = append(full, obj.Slice{})
	}
	picks := make([]axisPick, len(shape))
	for ax, it := range full {
		size := shape[ax]
		name := fmt.Sprintf("axis %d", ax)
		if ax < len(axisNames) && axisNames[ax] != "" {
			name = fmt.Sprintf("axis %d (%s)", ax, axisNames[ax])
		}
		switch k := it.(type) {
		case int:
			i := k
			if i < 0 {
				i += size
			}
			if i < 0 || i >= size {
				return nil, obj.Errorf(obj.IndexError, "index %d is out of bounds for %s with size %d", k, name, size)
			}
			picks[ax] = axisPick{drop: true, start: i, step: 1, n: 1}
		case obj.Slice:
			start, step, n, err := sliceIndices(k, size)
			if err != nil {
				return nil, err
			}
			picks[ax] = axisPick{start: start, step: step, n: n}
		}
	}
	return picks, nil
}

// sliceIndices resolves a slice against an axis of size as Python's slice.indices does,
// giving the first position, the step and the number of elements.
func sliceIndices(s obj.Slice, size int) (start, step, n int, err error) {
	start, stop, step, err := s.Indices(size)
	if err != nil {
		return 0, 0, 0, err
	}
	if step > 0 && stop > start {
		n = (stop - start + step - 1) / step
	} else if step < 0 && start > stop {
		n = (start - stop - step - 1) / (-step)
	}
	if n == 0 {
		start = 0
	}
	return start, step, n, nil
}

// shapeString renders a shape as Python prints a tuple: (3,) or (3, 10, 25).
func shapeString(shape []int) string {
	s := "("
	for i, n := range shape {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprint(n)
	}
	if len(shape) == 1 {
		s += ","
	}
	return s + ")"
}

// pyBool spells a boolean as Python does.
func pyBool(v any) string {
	if b, _ := boolOf(v); b {
		return "True"
	}
	return "False"
}

// shortRepr is a value's text for an error message, cut to one line of at most 40 bytes.
func shortRepr(v any) string {
	s := fmt.Sprint(v)
	if m, ok := v.(obj.MimeBundler); ok {
		s, _ = m.MimeBundle()["text/plain"].(string)
	}
	if line, _, cut := strings.Cut(s, "\n"); cut || len(line) > 40 {
		return line[:min(len(line), 40)] + "…"
	}
	return s
}
