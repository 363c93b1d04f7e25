package lang

import (
	"github.com/expr-lang/expr/vm"

	"gokist/obj"
)

// compProgs are a comprehension's compiled programs.
type compProgs struct {
	elt, val *vm.Program
	iters    []*vm.Program // per clause; nil for the first and for if clauses
	conds    []*vm.Program
	targets  [][]*vm.Program
}

func (s *Session) compileComp(cd *compDef) (*compProgs, error) {
	cp := &compProgs{}
	var err error
	if cp.elt, err = s.compile(cd.elt); err != nil {
		return nil, err
	}
	if cd.val != nil {
		if cp.val, err = s.compile(cd.val); err != nil {
			return nil, err
		}
	}
	for i, c := range cd.clauses {
		var it, cond *vm.Program
		if c.iter != nil && i > 0 {
			if it, err = s.compile(c.iter); err != nil {
				return nil, err
			}
		}
		if c.cond != nil {
			if cond, err = s.compile(c.cond); err != nil {
				return nil, err
			}
		}
		var tps []*vm.Program
		if c.target != nil {
			st := &stmt{kind: stmtFor, targets: []target{*c.target}}
			tc, err := s.compileStmt(st)
			if err != nil {
				return nil, err
			}
			tps = tc.targets
		}
		cp.iters, cp.conds, cp.targets = append(cp.iters, it), append(cp.conds, cond), append(cp.targets, tps)
	}
	return cp, nil
}

// runComp evaluates a comprehension in a scope of its own; first is its first
// iterable, already evaluated in the enclosing scope. A generator expression is
// evaluated at once, into an iterator over its items.
func (s *Session) runComp(cd *compDef, first any) (any, error) {
	if cd.progs == nil {
		cp, err := s.compileComp(cd)
		if err != nil {
			return nil, err
		}
		cd.progs = cp
	}
	if s.calls >= maxCallDepth {
		return nil, obj.Errorf("RecursionError", "maximum recursion depth exceeded")
	}
	outer, src := s.frame, s.src
	s.frame = &frame{locals: map[string]any{}, parent: outer, src: cd.src}
	s.src = cd.src
	s.calls++
	defer func() { s.frame, s.src = outer, src; s.calls-- }()
	var items []any
	var d *dict
	var st *set
	switch cd.kind {
	case 'd':
		d = newDict()
	case 's':
		st = newSet()
	}
	emit := func() *Error {
		v, err := s.eval(cd.progs.elt, cd.pos)
		if err != nil {
			return err
		}
		switch cd.kind {
		case 'd':
			w, err := s.eval(cd.progs.val, cd.pos)
			if err != nil {
				return err
			}
			if e := d.set(v, w); e != nil {
				return fromRuntime(s.src, cd.pos, e)
			}
		case 's':
			if e := st.add(v); e != nil {
				return fromRuntime(s.src, cd.pos, e)
			}
		default:
			if len(items) >= maxItems {
				return newError(s.src, cd.pos, "MemoryError", "a list of more than 4194304 items", "", nil)
			}
			items = append(items, v)
		}
		if e := s.grow(16); e != nil {
			return fromRuntime(s.src, cd.pos, e)
		}
		return nil
	}
	var loop func(i int) *Error
	loop = func(i int) *Error {
		if i == len(cd.clauses) {
			return emit()
		}
		c := cd.clauses[i]
		if c.cond != nil {
			v, err := s.eval(cd.progs.conds[i], cd.pos)
			if err != nil || v != true {
				return err
			}
			return loop(i + 1)
		}
		seq := first
		if i > 0 {
			var err *Error
			if seq, err = s.eval(cd.progs.iters[i], cd.pos); err != nil {
				return err
			}
		}
		next, ierr := s.iterate(seq)
		if ierr != nil {
			return fromRuntime(s.src, c.iter.Location().From, ierr)
		}
		for {
			if err := s.env.Ctx.Err(); err != nil {
				return newError(s.src, cd.pos, obj.Interrupted, "the cell was interrupted", "", err)
			}
			item, ok, ierr := next()
			if ierr != nil {
				return fromRuntime(s.src, c.iter.Location().From, ierr)
			}
			if !ok {
				return nil
			}
			progs := cd.progs.targets[i]
			if err := s.assign(*c.target, item, &progs); err != nil {
				return err
			}
			if err := loop(i + 1); err != nil {
				return err
			}
		}
	}
	if err := loop(0); err != nil {
		return nil, err
	}
	switch cd.kind {
	case 'd':
		return d, nil
	case 's':
		return st, nil
	case 'g':
		return &iterator{name: "generator", items: items}, nil
	}
	return newList(items), nil
}

// mergeKwargs merges the mappings of `**kw` arguments into a call's keyword arguments.
func (s *Session) mergeKwargs(kw map[string]any, spread []any) (any, error) {
	out := make(map[string]any, len(kw))
	for k, v := range kw {
		out[k] = v
	}
	for _, m := range spread {
		var keys, vals []any
		switch x := m.(type) {
		case *dict:
			keys, vals = x.keys, x.vals
		case map[string]any:
			for _, k := range sortedKeys(x) {
				keys, vals = append(keys, k), append(vals, x[k])
			}
		default:
			return nil, obj.Errorf(obj.TypeError, "argument after ** must be a mapping, not %s", pyTypeName(m))
		}
		for i, k := range keys {
			ks, ok := k.(string)
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "keywords must be strings")
			}
			if _, dup := out[ks]; dup {
				return nil, obj.Errorf(obj.TypeError, "got multiple values for keyword argument '%s'", ks)
			}
			out[ks] = vals[i]
		}
	}
	return out, nil
}

// setItem is `x[key] = v` for lists, dicts and runtime values that allow it.
func (s *Session) setItem(recv, key, v any) error {
	switch x := recv.(type) {
	case *obj.List:
		i, ok := key.(int)
		if b, isBool := key.(bool); isBool {
			i, ok = map[bool]int{false: 0, true: 1}[b], true
		}
		if !ok {
			return obj.Errorf(obj.TypeError, "list indices must be integers or slices, not %s", pyTypeName(key))
		}
		if i < 0 {
			i += len(*x)
		}
		if i < 0 || i >= len(*x) {
			return obj.Errorf(obj.IndexError, "list assignment index out of range")
		}
		(*x)[i] = v
		return nil
	case *dict:
		return x.set(key, v)
	case obj.ItemSetter:
		return x.SetItem(s.env, toRuntime(key), toRuntime(v))
	}
	return obj.Errorf(obj.TypeError, "'%s' object does not support item assignment", pyTypeName(recv))
}

// delItem is `del x[key]` for lists and dicts.
func (s *Session) delItem(recv, key any) error {
	switch x := recv.(type) {
	case *obj.List:
		i, ok := plainBool(key).(int)
		if !ok {
			return obj.Errorf(obj.TypeError, "list indices must be integers or slices, not %s", pyTypeName(key))
		}
		if i < 0 {
			i += len(*x)
		}
		if i < 0 || i >= len(*x) {
			return obj.Errorf(obj.IndexError, "list assignment index out of range")
		}
		*x = append((*x)[:i], (*x)[i+1:]...)
		return nil
	case *dict:
		_, ok, err := x.del(key)
		if err == nil && !ok {
			err = obj.Errorf("KeyError", "%s", Repr(key))
		}
		return err
	}
	return obj.Errorf(obj.TypeError, "'%s' object does not support item deletion", pyTypeName(recv))
}

// inPlace is the augmented assignment of a mutable container, which changes it rather
// than making a new one: list += iterable, list *= n, dict |= mapping, set |= &= -= ^=.
func (s *Session) inPlace(op string, a, b any) (any, bool, error) {
	switch x := a.(type) {
	case *obj.List:
		switch op {
		case "+":
			items, ok := s.itemsOf(b)
			if !ok {
				return nil, true, obj.Errorf(obj.TypeError, "'%s' object is not iterable", pyTypeName(b))
			}
			if len(*x)+len(items) > maxItems {
				return nil, true, obj.Errorf("MemoryError", "a list of more than %d items", maxItems)
			}
			*x = append(*x, items...)
			return x, true, s.grow(16 * len(items))
		case "*":
			r, err := s.binOp("*", a, b)
			if l, ok := r.(*obj.List); ok {
				*x = *l
				return x, true, nil
			}
			return r, true, err
		}
	case *dict:
		if op == "|" {
			return x, true, s.dictUpdate(x, b)
		}
	case *set:
		r, ok, err := containerOp(op, a, b)
		if ok && err == nil {
			x.d = r.(*set).d
			return x, true, nil
		}
		return r, ok, err
	}
	return nil, false, nil
}
