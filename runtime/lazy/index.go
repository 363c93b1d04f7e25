package lazy

import "fmt"

// axisPick is what one index entry does to one axis: keep a strided range of it, or pick
// a single position and drop the axis.
type AxisPick struct {
	Drop  bool
	Start int // first position (the picked position when drop)
	Step  int // stride between kept positions (non-zero)
	N     int // number of kept positions (1 when drop)
}

// position gives the input position of the j-th kept element.
func (p AxisPick) Position(j int) int { return p.Start + j*p.Step }

// span gives the half-open input range [lo, hi) covering the kept elements lo..hi-1.
func (p AxisPick) span(lo, hi int) (int, int) {
	if hi <= lo {
		return p.Start, p.Start
	}
	a, b := p.Position(lo), p.Position(hi-1)
	if a > b {
		a, b = b, a
	}
	return a, b + 1
}

// selection is one axisPick per input axis; its output axes are the kept ones, in order.
type Selection []AxisPick

// identitySelection keeps every element of every axis of shape.
func IdentitySelection(shape []int) Selection {
	s := make(Selection, len(shape))
	for i, n := range shape {
		s[i] = AxisPick{Start: 0, Step: 1, N: n}
	}
	return s
}

// outShape is the shape of what the selection keeps.
func (s Selection) outShape() []int {
	var out []int
	for _, p := range s {
		if !p.Drop {
			out = append(out, p.N)
		}
	}
	return out
}

// keptAxes lists the input axes that survive, in order.
func (s Selection) keptAxes() []int {
	var out []int
	for i, p := range s {
		if !p.Drop {
			out = append(out, i)
		}
	}
	return out
}

// compose applies picks (one per output axis of s) on top of s, giving a selection of
// the same input.
func (s Selection) compose(picks []AxisPick) Selection {
	out := make(Selection, len(s))
	copy(out, s)
	k := 0
	for i, p := range s {
		if p.Drop {
			continue
		}
		q := picks[k]
		k++
		if q.Drop {
			out[i] = AxisPick{Drop: true, Start: p.Position(q.Start), Step: 1, N: 1}
		} else {
			out[i] = AxisPick{Start: p.Position(q.Start), Step: p.Step * q.Step, N: q.N}
		}
	}
	return out
}

// isIdentity reports whether the selection keeps everything of shape in order.
func (s Selection) isIdentity(shape []int) bool {
	for i, p := range s {
		if p.Drop || p.Start != 0 || p.Step != 1 || p.N != shape[i] {
			return false
		}
	}
	return true
}

// shapeString renders a shape as Python prints a tuple: (3,) or (3, 10, 25).
func ShapeString(shape []int) string {
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
