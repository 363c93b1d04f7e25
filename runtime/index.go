package runtime

import "fmt"

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
