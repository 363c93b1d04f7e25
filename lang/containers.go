package lang

import (
	"fmt"
	"math"
	"reflect"
	"strings"

	"gokist/obj"
)

// dict is Python's dict: insertion-ordered, keyed by any hashable value. Numbers that are
// equal are the same key (1, 1.0 and True), as in Python.
type dict struct {
	keys  []any
	vals  []any
	index map[any]int
}

func newDict() *dict { return &dict{index: map[any]int{}} }

var dictType = &obj.Type{Name: "dict", Doc: "A mapping of keys to values, in insertion order."}

func (d *dict) Type() *obj.Type { return dictType }

// hashKey is the Go map key standing for a Python key, or a TypeError for an unhashable
// value.
func hashKey(v any) (any, error) { return hashKeyAt(v, 0) }

func hashKeyAt(v any, depth int) (any, error) {
	if depth > maxCallDepth {
		return nil, obj.Errorf("RecursionError", "maximum recursion depth exceeded while hashing")
	}
	switch x := v.(type) {
	case nil, string, int:
		return x, nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<62 {
			return int(x), nil
		}
		return x, nil
	case obj.Tuple:
		var b strings.Builder
		b.WriteString("\x00tuple(")
		for _, e := range x {
			k, err := hashKeyAt(e, depth+1)
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(&b, "%T:%v\x00", k, k)
		}
		return b.String(), nil
	case *obj.List, obj.List, *dict, *set, []any, map[string]any:
		return nil, obj.Errorf(obj.TypeError, "unhashable type: '%s'", pyTypeName(v))
	}
	if v != nil && reflect.TypeOf(v).Comparable() {
		return v, nil
	}
	return nil, obj.Errorf(obj.TypeError, "unhashable type: '%s'", pyTypeName(v))
}

func (d *dict) get(k any) (any, bool, error) {
	h, err := hashKey(k)
	if err != nil {
		return nil, false, err
	}
	i, ok := d.index[h]
	if !ok {
		return nil, false, nil
	}
	return d.vals[i], true, nil
}

func (d *dict) set(k, v any) error {
	h, err := hashKey(k)
	if err != nil {
		return err
	}
	if i, ok := d.index[h]; ok {
		d.vals[i] = v
		return nil
	}
	if len(d.keys) >= maxItems {
		return obj.Errorf("MemoryError", "a dict of more than %d items", maxItems)
	}
	d.index[h] = len(d.keys)
	d.keys = append(d.keys, k)
	d.vals = append(d.vals, v)
	return nil
}

func (d *dict) del(k any) (any, bool, error) {
	h, err := hashKey(k)
	if err != nil {
		return nil, false, err
	}
	i, ok := d.index[h]
	if !ok {
		return nil, false, nil
	}
	v := d.vals[i]
	d.keys = append(d.keys[:i], d.keys[i+1:]...)
	d.vals = append(d.vals[:i], d.vals[i+1:]...)
	delete(d.index, h)
	for j := i; j < len(d.keys); j++ {
		hj, _ := hashKey(d.keys[j])
		d.index[hj] = j
	}
	return v, true, nil
}

func (d *dict) copy() *dict {
	c := &dict{keys: append([]any{}, d.keys...), vals: append([]any{}, d.vals...), index: make(map[any]int, len(d.index))}
	for k, v := range d.index {
		c.index[k] = v
	}
	return c
}

// set is Python's set, kept in insertion order (Python's own order is by hash; tests
// compare sorted or small-int sets, whose order agrees).
type set struct{ d *dict }

func newSet() *set { return &set{d: newDict()} }

var setType = &obj.Type{Name: "set", Doc: "An unordered collection of distinct values."}

func (s *set) Type() *obj.Type { return setType }

func (s *set) add(v any) error { return s.d.set(v, true) }

func (s *set) has(v any) (bool, error) {
	_, ok, err := s.d.get(v)
	return ok, err
}

// dictView is d.keys(), d.values() or d.items().
type dictView struct {
	d    *dict
	kind string
}

func (v *dictView) Type() *obj.Type { return &obj.Type{Name: "dict_" + v.kind} }

func (v *dictView) items() []any {
	out := make([]any, len(v.d.keys))
	for i := range v.d.keys {
		switch v.kind {
		case "keys":
			out[i] = v.d.keys[i]
		case "values":
			out[i] = v.d.vals[i]
		default:
			out[i] = obj.Tuple{v.d.keys[i], v.d.vals[i]}
		}
	}
	return out
}

// iterator is a one-pass iterator over precomputed items: a generator expression, zip,
// enumerate, map, filter, reversed.
type iterator struct {
	name  string
	items []any
	pos   int
}

func (it *iterator) Type() *obj.Type { return &obj.Type{Name: it.name} }

func (it *iterator) String() string { return fmt.Sprintf("<%s object at %p>", it.name, it) }

func (it *iterator) rest() []any {
	out := it.items[it.pos:]
	it.pos = len(it.items)
	return out
}

// iterate gives a function that yields the items of v one at a time: ranges lazily,
// lists live (items appended while looping are seen, as in Python), runtime sequences
// and indexables along their first axis.
func (s *Session) iterate(v any) (func() (any, bool, error), error) {
	switch x := v.(type) {
	case rangeValue:
		n, i := x.length(), 0
		return func() (any, bool, error) {
			if i >= n {
				return nil, false, nil
			}
			i++
			return x.start + (i-1)*x.step, true, nil
		}, nil
	case *obj.List:
		i := 0
		return func() (any, bool, error) {
			if i >= len(*x) {
				return nil, false, nil
			}
			i++
			return (*x)[i-1], true, nil
		}, nil
	case *iterator:
		return func() (any, bool, error) {
			if x.pos >= len(x.items) {
				return nil, false, nil
			}
			x.pos++
			return x.items[x.pos-1], true, nil
		}, nil
	}
	items, ok := s.itemsOf(v)
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "'%s' object is not iterable", pyTypeName(v))
	}
	i := 0
	return func() (any, bool, error) {
		if i >= len(items) {
			return nil, false, nil
		}
		i++
		return items[i-1], true, nil
	}, nil
}

// itemsOf lists the items of any iterable the language knows, including runtime
// sequences (obj.Sequence) and arrays along their first axis.
func (s *Session) itemsOf(v any) ([]any, bool) {
	if items, ok := itemsOf(v); ok {
		return items, true
	}
	switch x := v.(type) {
	case obj.Sequence:
		return x.Items(), true
	case obj.Indexer:
		n, err := s.builtinLen(s.env, obj.Args{Pos: []any{v}})
		if err != nil {
			return nil, false
		}
		out := make([]any, 0, n.(int))
		for i := range n.(int) {
			e, err := x.GetItem(s.env, i)
			if err != nil {
				return nil, false
			}
			out = append(out, e)
		}
		return out, true
	}
	return nil, false
}

// toRuntime converts the language's mutable containers to the boundary values the
// runtime takes (obj.List, map[string]any), deeply.
func toRuntime(v any) any { return toRuntimeAt(v, 0) }

// toRuntimeAt converts at nesting depth; past maxCallDepth (a list inside itself, or
// nested absurdly deep) values stay as they are, for the runtime to refuse by type.
func toRuntimeAt(v any, depth int) any {
	if depth > maxCallDepth {
		return v
	}
	switch x := v.(type) {
	case *obj.List:
		out := make(obj.List, len(*x))
		for i, e := range *x {
			out[i] = toRuntimeAt(e, depth+1)
		}
		return out
	case obj.Tuple:
		out := make(obj.Tuple, len(x))
		for i, e := range x {
			out[i] = toRuntimeAt(e, depth+1)
		}
		return out
	case *dict:
		m := make(map[string]any, len(x.keys))
		order := make([]string, 0, len(x.keys))
		for i, k := range x.keys {
			ks, ok := k.(string)
			if !ok {
				return v
			}
			m[ks] = toRuntimeAt(x.vals[i], depth+1)
			order = append(order, ks)
		}
		obj.RecordDictOrder(m, order) // a Go map forgets it; obj.DictKeys gives it back
		return m
	case *iterator:
		return obj.List(x.rest())
	case obj.PathLike: // os.PathLike: the runtime's path arguments are strings
		return x.FSPath()
	}
	return v
}

// fromRuntime wraps a list the runtime returned as the language's mutable list.
func fromRuntimeValue(v any) any {
	switch x := v.(type) {
	case obj.List:
		return &x
	case []any:
		l := obj.List(x)
		return &l
	}
	return v
}

// newList makes a mutable list of items (which it takes over).
func newList(items []any) *obj.List {
	l := obj.List(items)
	return &l
}

// plainList gives a list as its items' obj.List, for the read-only operations that
// treat lists as values; anything else is returned as it is.
func plainList(v any) any {
	if l, ok := v.(*obj.List); ok {
		return *l
	}
	return v
}

// sameObject reports identity of two lists or dicts (Python compares `x is y` before
// `x == y` inside containers, so a structure that shares parts compares in linear time).
func sameObject(a, b any) bool {
	switch x := a.(type) {
	case *obj.List:
		y, ok := b.(*obj.List)
		return ok && x == y
	case *dict:
		y, ok := b.(*dict)
		return ok && x == y
	}
	return false
}

func (w *walker) dictEq(a, b *dict) bool {
	if a == b {
		return true
	}
	if len(a.keys) != len(b.keys) {
		return false
	}
	for i, k := range a.keys {
		v, ok, err := b.get(k)
		if err != nil || !ok || !(sameObject(v, a.vals[i]) || w.eq(v, a.vals[i])) {
			return false
		}
	}
	return true
}

// containerOp is the operators of dicts and sets: d | e, s | t, s & t, s - t.
func containerOp(op string, a, b any) (any, bool, error) {
	switch x := a.(type) {
	case *dict:
		y, ok := b.(*dict)
		if !ok || op != "|" {
			return nil, false, nil
		}
		out := x.copy()
		for i, k := range y.keys {
			if err := out.set(k, y.vals[i]); err != nil {
				return nil, true, err
			}
		}
		return out, true, nil
	case *set:
		y, ok := b.(*set)
		if !ok {
			return nil, false, nil
		}
		out := newSet()
		var err error
		switch op {
		case "|":
			out.d = x.d.copy()
			for _, k := range y.d.keys {
				err = out.add(k)
			}
		case "&", "-":
			for _, k := range x.d.keys {
				in, _ := y.has(k)
				if in == (op == "&") {
					err = out.add(k)
				}
			}
		case "^":
			for _, k := range x.d.keys {
				if in, _ := y.has(k); !in {
					err = out.add(k)
				}
			}
			for _, k := range y.d.keys {
				if in, _ := x.has(k); !in {
					err = out.add(k)
				}
			}
		default:
			return nil, false, nil
		}
		return out, true, err
	}
	return nil, false, nil
}

// runtimeArgs converts a call's arguments for a runtime function.
func runtimeArgs(args obj.Args) obj.Args {
	out := obj.Args{Kw: args.Kw}
	if len(args.Pos) > 0 {
		out.Pos = make([]any, len(args.Pos))
		for i, v := range args.Pos {
			out.Pos[i] = toRuntime(v)
		}
	}
	for k, v := range args.Kw {
		args.Kw[k] = toRuntime(v)
	}
	return out
}

// tooLong is the MemoryError for making a list of a range longer than the language
// builds (a loop over it is lazy and fine).
func tooLong(v any) error {
	if r, ok := v.(rangeValue); ok && r.length() > maxItems {
		return obj.Errorf("MemoryError", "a list of the %d items of %s is more than gokist builds (%d)", r.length(), Repr(r), maxItems)
	}
	return nil
}
