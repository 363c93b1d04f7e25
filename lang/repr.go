package lang

import (
	"strings"

	"gokist/obj"
)

// maxReprLen is the size budget of one repr of a container: past it the rest is `...`,
// as reprlib abbreviates, so that a list that shares itself 60 levels deep (2^60
// elements when printed in full) prints at once instead of filling memory.
const maxReprLen = 1 << 20

// reprState tracks one container repr: the containers on the path being printed (a
// container inside itself prints as `[...]`, as Python does) and the output so far.
type reprState struct {
	b      strings.Builder
	onPath map[any]bool
	full   bool
	depth  int
}

// reprBounded renders a container value within maxReprLen.
func reprBounded(v any, st *reprState) string {
	if st == nil {
		st = &reprState{onPath: map[any]bool{}}
	}
	st.write(v)
	if st.full {
		return st.b.String() + "...]"
	}
	return st.b.String()
}

func (st *reprState) room() bool {
	if st.b.Len() > maxReprLen {
		st.full = true
	}
	return !st.full
}

func (st *reprState) seq(open, close string, items []any, oneComma bool) {
	st.b.WriteString(open)
	for i, e := range items {
		if !st.room() {
			return
		}
		if i > 0 {
			st.b.WriteString(", ")
		}
		st.write(e)
	}
	if oneComma && len(items) == 1 {
		st.b.WriteByte(',')
	}
	st.b.WriteString(close)
}

func (st *reprState) write(v any) {
	if !st.room() {
		return
	}
	if st.depth >= maxCallDepth { // deeper than Python could print
		st.b.WriteString("...")
		return
	}
	st.depth++
	defer func() { st.depth-- }()
	var id any
	switch x := v.(type) {
	case *obj.List:
		id = x
	case *dict:
		id = x
	case *set:
		id = x
	}
	if id != nil {
		if st.onPath[id] {
			switch id.(type) {
			case *obj.List:
				st.b.WriteString("[...]")
			default:
				st.b.WriteString("{...}")
			}
			return
		}
		st.onPath[id] = true
		defer delete(st.onPath, id)
	}
	switch x := v.(type) {
	case *obj.List:
		st.seq("[", "]", *x, false)
	case obj.List:
		st.seq("[", "]", x, false)
	case []any:
		st.seq("[", "]", x, false)
	case obj.Tuple:
		st.seq("(", ")", x, true)
	case *set:
		if len(x.d.keys) == 0 {
			st.b.WriteString("set()")
			return
		}
		st.seq("{", "}", x.d.keys, false)
	case *dictView:
		st.b.WriteString("dict_" + x.kind + "(")
		st.seq("[", "]", x.items(), false)
		st.b.WriteString(")")
	case *dict:
		st.b.WriteByte('{')
		for i, k := range x.keys {
			if !st.room() {
				return
			}
			if i > 0 {
				st.b.WriteString(", ")
			}
			st.write(k)
			st.b.WriteString(": ")
			st.write(x.vals[i])
		}
		st.b.WriteByte('}')
	default:
		st.b.WriteString(Repr(v))
	}
}
