package lang

import (
	"fmt"
	"gokist/runtime/numpy"
	"math"
	"sort"

	"gokist/obj"
)

func sortStrings(s []string) { sort.Strings(s) }

// interrupted reports a cancelled cell before starting more work.
func (s *Session) interrupted() error {
	if s.env != nil && s.env.Ctx != nil {
		if err := s.env.Ctx.Err(); err != nil {
			return obj.Errorf(obj.Interrupted, "the cell was interrupted")
		}
	}
	return nil
}

// attrError is the AttributeError for name on v, with the closest member as a hint.
func attrError(v any, name string, names []string) error {
	e := obj.Errorf(obj.AttributeError, "'%s' object has no attribute '%s'", pyTypeName(v), name)
	if m, ok := v.(*module); ok {
		e.Msg = fmt.Sprintf("module '%s' has no attribute '%s'", m.name, name)
	}
	if m, ok := v.(*obj.Module); ok { // a runtime module (numpy, dkist)
		e.Msg = fmt.Sprintf("module '%s' has no attribute '%s'", m.Name, name)
	}
	if c := obj.Closest(name, names); c != "" {
		e.Hint = fmt.Sprintf("did you mean `%s`?", c)
	}
	return e
}

// boundMethod makes a method member callable as a value: `f = ds.rebin`.
func boundMethod(t *obj.Type, m *obj.Member, recv any) *obj.Func {
	return &obj.Func{
		Name:      t.Name + "." + m.Name,
		Signature: m.Signature,
		Doc:       m.Doc,
		Params:    m.Params,
		Call: func(env *obj.Env, args obj.Args) (any, error) {
			return m.Call(env, recv, args)
		},
	}
}

// getAttr is `v.name`.
func (s *Session) getAttr(v any, name string) (any, error) {
	if err := s.interrupted(); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case obj.Object:
		t := x.Type()
		m := t.Member(name)
		if m == nil {
			return nil, attrError(v, name, t.Names())
		}
		if m.Get != nil {
			return m.Get(s.env, v)
		}
		if m.Call != nil {
			return boundMethod(t, m, v), nil
		}
		return nil, obj.Errorf(obj.AttributeError, "attribute '%s' of '%s' objects cannot be read", name, t.Name)
	case *obj.Func:
		switch name {
		case "__name__":
			return x.Name, nil
		case "__doc__":
			return x.Doc, nil
		}
		return nil, attrError(v, name, []string{"__name__", "__doc__"})
	}
	if t := s.langType(v); t != nil {
		if m := t.Member(name); m != nil {
			if m.Get != nil {
				return m.Get(s.env, v)
			}
			return boundMethod(t, m, v), nil
		}
		return nil, attrError(v, name, t.Names())
	}
	return nil, attrError(v, name, nil)
}

// setAttr is `v.name = value`, allowed only where the member table has a setter.
func (s *Session) setAttr(v any, name string, value any) error {
	o, ok := v.(obj.Object)
	if !ok {
		return obj.Errorf(obj.AttributeError, "'%s' object attribute '%s' is read-only", pyTypeName(v), name)
	}
	t := o.Type()
	m := t.Member(name)
	if m == nil {
		return attrError(v, name, t.Names())
	}
	if m.Set == nil {
		return obj.Errorf(obj.AttributeError, "attribute '%s' of '%s' objects is read-only", name, t.Name)
	}
	return m.Set(s.env, v, value)
}

// callMethod is `v.name(args)` without building a bound method value.
func (s *Session) callMethod(v any, name string, args obj.Args) (any, error) {
	if t := s.langType(v); t != nil {
		if m := t.Member(name); m != nil && m.Call != nil {
			if err := s.interrupted(); err != nil {
				return nil, err
			}
			r, err := m.Call(s.env, v, args)
			return fromRuntimeValue(r), err
		}
	}
	if o, ok := v.(obj.Object); ok {
		t := o.Type()
		if m := t.Member(name); m != nil && m.Call != nil {
			if err := s.interrupted(); err != nil {
				return nil, err
			}
			if t == strType {
				return m.Call(s.env, v, args)
			}
			r, err := m.Call(s.env, v, runtimeArgs(args))
			return fromRuntimeValue(r), err
		}
	}
	f, err := s.getAttr(v, name)
	if err != nil {
		return nil, err
	}
	return s.callValue(f, args)
}

// callable is implemented by runtime objects that can be called, such as a type whose
// call constructs a value (`Client()`).
type callable interface {
	Call(env *obj.Env, args obj.Args) (any, error)
}

// callValue is `f(args)`. The runtime's functions get plain boundary values (lists and
// dicts as obj.List and map[string]any) and give lists back as the language's lists.
func (s *Session) callValue(f any, args obj.Args) (any, error) {
	if err := s.interrupted(); err != nil {
		return nil, err
	}
	switch x := f.(type) {
	case *userFunc:
		return s.callUser(x, args)
	case *obj.Func:
		if s.langFuncs[x] {
			v, err := x.Call(s.env, args)
			return fromRuntimeValue(v), err
		}
		v, err := x.Call(s.env, runtimeArgs(args))
		return fromRuntimeValue(v), err
	case callable:
		if _, own := x.(*excClass); own {
			return x.Call(s.env, args)
		}
		v, err := x.Call(s.env, runtimeArgs(args))
		return fromRuntimeValue(v), err
	}
	switch x := f.(type) {
	case *obj.Func:
		return x.Call(s.env, args)
	case callable:
		return x.Call(s.env, args)
	}
	return nil, obj.Errorf(obj.TypeError, "'%s' object is not callable", pyTypeName(f))
}

// getItem is `v[key]`: runtime values through obj.Indexer, plain sequences natively.
func (s *Session) getItem(v, key any) (any, error) {
	if err := s.interrupted(); err != nil {
		return nil, err
	}
	if ix, ok := v.(obj.Indexer); ok {
		// A list in a key (x[[2, 0]], an integer-array index) reaches the runtime as
		// the boundary's obj.List, as call arguments do.
		return ix.GetItem(s.env, toRuntime(key))
	}
	switch x := v.(type) {
	case *obj.List:
		r, err := indexSeq("list", []any(*x), key)
		if sl, ok := r.([]any); ok {
			return newList(sl), err
		}
		return r, err
	case *dict:
		val, ok, err := x.get(key)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, obj.Errorf("KeyError", "%s", Repr(key))
		}
		return val, nil
	case obj.Tuple:
		r, err := indexSeq("tuple", []any(x), key)
		if sl, ok := r.([]any); ok {
			return obj.Tuple(sl), err
		}
		return r, err
	case obj.List:
		r, err := indexSeq("list", []any(x), key)
		if sl, ok := r.([]any); ok {
			return obj.List(sl), err
		}
		return r, err
	case []any:
		return indexSeq("list", x, key)
	case rangeValue:
		if i, ok := plainBool(key).(int); ok {
			n := x.length()
			if i < 0 {
				i += n
			}
			if i < 0 || i >= n {
				return nil, obj.Errorf(obj.IndexError, "range object index out of range")
			}
			return x.start + i*x.step, nil
		}
		if err := tooLong(x); err != nil {
			return nil, err
		}
		r, err := indexSeq("range", x.items(), key)
		if sl, ok := r.([]any); ok {
			return obj.List(sl), err
		}
		return r, err
	case string:
		rs := []rune(x)
		items := make([]any, len(rs))
		for i, r := range rs {
			items[i] = string(r)
		}
		r, err := indexSeq("string", items, key)
		if sl, ok := r.([]any); ok {
			out := ""
			for _, c := range sl {
				out += c.(string)
			}
			return out, err
		}
		return r, err
	case map[string]any:
		k, ok := key.(string)
		if !ok {
			return nil, obj.Errorf("KeyError", "%s", Repr(key))
		}
		val, ok := x[k]
		if !ok {
			return nil, obj.Errorf("KeyError", "%s", Repr(key))
		}
		return val, nil
	}
	return nil, obj.Errorf(obj.TypeError, "'%s' object is not subscriptable", pyTypeName(v))
}

// indexSeq indexes a plain sequence with an int or a slice, as Python does.
func indexSeq(kind string, items []any, key any) (any, error) {
	switch k := plainBool(key).(type) {
	case int, bool:
		i, _, _, _ := number(k)
		n := len(items)
		if i < 0 {
			i += n
		}
		if i < 0 || i >= n {
			return nil, obj.Errorf(obj.IndexError, "%s index out of range (index %d, length %d)", kind, k, n)
		}
		return items[i], nil
	case obj.Slice:
		start, stop, step, err := sliceIndices(k, len(items))
		if err != nil {
			return nil, err
		}
		out := []any{}
		for i := start; (step > 0 && i < stop) || (step < 0 && i > stop); i += step {
			out = append(out, items[i])
		}
		return out, nil
	case obj.Tuple:
		return nil, obj.Errorf(obj.TypeError, "%s indices must be integers or slices, not tuple", kind)
	}
	return nil, obj.Errorf(obj.TypeError, "%s indices must be integers or slices, not %s", kind, pyTypeName(key))
}

// sliceIndices clamps a slice to a length n, as Python's slice.indices.
func sliceIndices(s obj.Slice, n int) (start, stop, step int, err error) {
	step = 1
	if s.Step != nil {
		step = *s.Step
	}
	if step == 0 {
		return 0, 0, 0, obj.Errorf(obj.ValueError, "slice step cannot be zero")
	}
	clamp := func(p *int, def int) int {
		if p == nil {
			return def
		}
		v := *p
		if v < 0 {
			v += n
			if v < 0 {
				if step < 0 {
					return -1
				}
				return 0
			}
		}
		if v >= n {
			if step < 0 {
				return n - 1
			}
			return n
		}
		return v
	}
	if step > 0 {
		return clamp(s.Start, 0), clamp(s.Stop, n), step, nil
	}
	return clamp(s.Start, n-1), clamp(s.Stop, -1), step, nil
}

// makeSlice builds a slice from evaluated parts (ints or None).
func makeSlice(parts ...any) (any, error) {
	var out [3]*int
	for k, p := range parts {
		p = plainBool(p)
		switch x := p.(type) {
		case nil:
		case int:
			v := x
			out[k] = &v
		case bool:
			v, _, _, _ := number(x)
			out[k] = &v
		default:
			e := obj.Errorf(obj.TypeError, "slice indices must be integers or None, not %s", pyTypeName(p))
			if _, ok := p.(float64); ok {
				e.Hint = "convert with `int(…)`"
			}
			return nil, e
		}
	}
	return obj.Slice{Start: out[0], Stop: out[1], Step: out[2]}, nil
}

// binOp is `a op b`: numbers and sequences natively, otherwise obj.Operand on the left
// and then reflected on the right.
func (s *Session) binOp(op string, a, b any) (any, error) {
	if n := len(op); n >= 2 && op[n-1] == '=' { // augmented assignment
		op = op[:n-1]
		if r, ok, err := s.inPlace(op, a, b); ok {
			return r, err
		}
	}
	if x, ok := a.(int); ok { // the common case of loops, first
		if y, ok := b.(int); ok {
			switch op {
			case "+":
				if r := x + y; (r > x) == (y > 0) || y == 0 {
					return r, nil
				}
			case "-":
				if r := x - y; (r < x) == (y > 0) || y == 0 {
					return r, nil
				}
			case "*":
				if r, ok := mulInt(x, y); ok {
					return r, nil
				}
			}
			if op != "/" && op != "**" {
				if r, handled, err := arith(op, x, y); handled {
					return r, err
				}
			}
		}
	}
	// numpy's scalars keep numpy's rules: np.bool_ (elements and any()/all() of masks)
	// combines logically, np.float32 (reductions of float32 data) stays float32.
	if r, handled, err := numpy.BoolScalarOp(op, a, b); handled {
		return r, err
	}
	if r, handled, err := numpy.ScalarBinaryOp(op, a, b); handled {
		return r, err
	}
	if r, handled, err := arith(op, a, b); handled {
		return r, err
	}
	if op == "+" && seqLen(a) >= 0 && seqLen(b) >= 0 && seqLen(a)+seqLen(b) > maxItems {
		return nil, obj.Errorf("MemoryError", "the joined %s would have %d items, more than gokist builds (%d)", pyTypeName(a), seqLen(a)+seqLen(b), maxItems)
	}
	if r, ok := sequenceOp(op, a, b); ok {
		return r, s.grow(sizeOf(r))
	}
	if r, ok, err := containerOp(op, a, b); ok {
		return r, err
	}
	if op == "*" && (seqLen(a) > 0 || seqLen(b) > 0) {
		if _, _, isInt, ok := number(b); ok && isInt {
			return nil, obj.Errorf("MemoryError", "the repeated sequence would have more than %d items", maxItems)
		}
		if _, _, isInt, ok := number(a); ok && isInt {
			return nil, obj.Errorf("MemoryError", "the repeated sequence would have more than %d items", maxItems)
		}
	}
	if err := s.interrupted(); err != nil {
		return nil, err
	}
	if o, ok := a.(obj.Operand); ok {
		r, handled, err := o.BinaryOp(s.env, op, b, false)
		if handled || err != nil {
			return r, err
		}
	}
	if o, ok := b.(obj.Operand); ok {
		r, handled, err := o.BinaryOp(s.env, op, a, true)
		if handled || err != nil {
			return r, err
		}
	}
	if op == "%" {
		if f, ok := a.(string); ok {
			return percentFormat(f, b)
		}
	}
	return nil, obj.Errorf(obj.TypeError, "unsupported operand type(s) for %s: '%s' and '%s'", op, pyTypeName(a), pyTypeName(b))
}

// compare is `a op b` for comparisons, `in` and `is`.
func (s *Session) compare(op string, a, b any) (any, error) {
	if x, ok := a.(int); ok { // loop conditions, first
		if y, ok := b.(int); ok {
			switch op {
			case "<":
				return x < y, nil
			case "<=":
				return x <= y, nil
			case ">":
				return x > y, nil
			case ">=":
				return x >= y, nil
			case "==":
				return x == y, nil
			case "!=":
				return x != y, nil
			}
		}
	}
	r, err := s.comparePlain(op, a, b)
	// A comparison with a numpy scalar (np.float32, np.bool_) gives numpy's bool, so that
	// `~(x.max() > 1)` is a logical not.
	if c, ok := r.(bool); ok && err == nil && compareOps[op] && (isNumpyScalar(a) || isNumpyScalar(b)) {
		return numpy.Bool(c), nil
	}
	return r, err
}

// isNumpyScalar tells numpy's scalars (from array elements and reductions) from Python's.
func isNumpyScalar(v any) bool {
	switch v.(type) {
	case float32, numpy.Bool:
		return true
	}
	return false
}

// comparePlain is compare with Python's bool results.
func (s *Session) comparePlain(op string, a, b any) (any, error) {
	switch op {
	case "is", "is not":
		if t, ok := sameType(a, b); ok {
			return t == (op == "is"), nil
		}
		same := a == nil && b == nil
		if la, ok := a.(*obj.List); ok {
			lb, ok := b.(*obj.List)
			return (ok && la == lb) == (op == "is"), nil
		}
		if !same && a != nil && b != nil {
			func() {
				defer func() { recover() }() // uncomparable kinds are not identical
				same = a == b
			}()
		}
		return same == (op == "is"), nil
	case "in", "not in":
		in, err := s.contains(b, a)
		if err != nil {
			return nil, err
		}
		return in == (op == "in"), nil
	}
	_, aNum := a.(obj.Operand)
	_, bNum := b.(obj.Operand)
	if aNum || bNum {
		if o, ok := a.(obj.Operand); ok {
			if r, handled, err := o.BinaryOp(s.env, op, b, false); handled || err != nil {
				return r, err
			}
		}
		if o, ok := b.(obj.Operand); ok {
			if r, handled, err := o.BinaryOp(s.env, op, a, true); handled || err != nil {
				return r, err
			}
		}
	}
	switch op {
	case "==", "!=":
		eq, err := equalErr(s.env.Ctx, a, b)
		return eq == (op == "=="), err
	}
	c, ok, err := orderErr(s.env.Ctx, a, b)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "'%s' not supported between instances of '%s' and '%s'", op, pyTypeName(a), pyTypeName(b))
	}
	switch op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	}
	return c >= 0, nil
}

func contains(container, item any) (bool, error) {
	var items []any
	switch x := container.(type) {
	case *obj.List:
		for _, e := range *x {
			if e == item || equal(e, item) {
				return true, nil
			}
		}
		return false, nil
	case *dict:
		_, ok, err := x.get(item)
		return ok, err
	case *set:
		return x.has(item)
	case *dictView:
		items = x.items()
	case *iterator:
		items = x.rest()
	case string:
		sub, ok := item.(string)
		if !ok {
			return false, obj.Errorf(obj.TypeError, "'in <string>' requires string as left operand, not %s", pyTypeName(item))
		}
		return len(sub) == 0 || indexOf(x, sub) >= 0, nil
	case obj.Tuple:
		items = x
	case obj.List:
		items = x
	case rangeValue:
		if err := tooLong(x); err != nil {
			if i, ok := plainBool(item).(int); ok {
				d := i - x.start
				return d%x.step == 0 && d/x.step >= 0 && d/x.step < x.length(), nil
			}
			return false, err
		}
		items = x.items()
	case map[string]any:
		k, ok := item.(string)
		_, in := x[k]
		return ok && in, nil
	case obj.Object:
		seq, ok := x.(obj.Sequence)
		if !ok {
			return false, obj.Errorf(obj.TypeError, "argument of type '%s' is not iterable", x.Type().Name)
		}
		items = seq.Items()
	default:
		return false, obj.Errorf(obj.TypeError, "argument of type '%s' is not iterable", pyTypeName(container))
	}
	for _, e := range items {
		if equal(e, item) {
			return true, nil
		}
	}
	return false, nil
}

// unaryOp is `-x`, `+x`, `~x`.
func (s *Session) unaryOp(op string, v any) (any, error) {
	if b, ok := v.(numpy.Bool); ok {
		return b.UnaryOp(s.env, op)
	}
	if r, handled := numpy.ScalarUnaryOp(op, v); handled {
		return r, nil
	}
	i, f, isInt, ok := number(v)
	if ok {
		switch op {
		case "-":
			if isInt {
				if i == math.MinInt {
					return nil, negateOverflow("-", i)
				}
				return -i, nil
			}
			return -f, nil
		case "+":
			if isInt {
				return i, nil
			}
			return f, nil
		case "~":
			// On a bool, ~ is a logical not, as on numpy's booleans: a float64 reduction
			// gives a Python float here where numpy gives np.float64, so `~(x.max() > 1)`
			// must not be Python's -2 (which is true). Python 3.12 deprecates ~ on bool
			// for the same trap.
			if b, ok := v.(bool); ok {
				return !b, nil
			}
			if isInt {
				return ^i, nil
			}
		}
	}
	if u, ok := v.(obj.UnaryOperand); ok {
		return u.UnaryOp(s.env, op)
	}
	return nil, obj.Errorf(obj.TypeError, "bad operand type for unary %s: '%s'", op, pyTypeName(v))
}
