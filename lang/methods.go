package lang

import (
	"gokist/runtime/numpy"
	"slices"

	"gokist/obj"
)

// The methods of the language's mutable containers. Their receivers are *obj.List,
// *dict and *set; they run with the language's own values (see Session.callMethod).

func (s *Session) listType() *obj.Type {
	if s.listT != nil {
		return s.listT
	}
	l := func(recv any) *obj.List { return recv.(*obj.List) }
	s.listT = &obj.Type{Name: "list", Doc: "A mutable sequence.", Members: append(append([]*obj.Member{}, seqType.Members...),
		method("append", "append(object)", "Add an item at the end.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			if err := argsN("list.append", args, 1, 1); err != nil {
				return nil, err
			}
			x := l(recv)
			if len(*x) >= maxItems {
				return nil, obj.Errorf("MemoryError", "a list of more than %d items", maxItems)
			}
			*x = append(*x, args.Pos[0])
			return nil, s.grow(16)
		}),
		method("extend", "extend(iterable)", "Add the items of iterable at the end.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			if err := argsN("list.extend", args, 1, 1); err != nil {
				return nil, err
			}
			items, ok := s.itemsOf(args.Pos[0])
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "'%s' object is not iterable", pyTypeName(args.Pos[0]))
			}
			x := l(recv)
			if len(*x)+len(items) > maxItems {
				return nil, obj.Errorf("MemoryError", "a list of more than %d items", maxItems)
			}
			*x = append(*x, items...)
			return nil, s.grow(16 * len(items))
		}),
		method("insert", "insert(index, object)", "Insert an item before index.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			if err := argsN("insert", args, 2, 2); err != nil {
				return nil, err
			}
			x := l(recv)
			i, ok := plainBool(args.Pos[0]).(int)
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "'%s' object cannot be interpreted as an integer", pyTypeName(args.Pos[0]))
			}
			if i < 0 {
				i = max(i+len(*x), 0)
			}
			i = min(i, len(*x))
			*x = slices.Insert(*x, i, args.Pos[1])
			return nil, nil
		}),
		method("pop", "pop(index=-1)", "Remove and return the item at index.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			if err := argsN("pop", args, 0, 1); err != nil {
				return nil, err
			}
			x := l(recv)
			if len(*x) == 0 {
				return nil, obj.Errorf(obj.IndexError, "pop from empty list")
			}
			i := len(*x) - 1
			if len(args.Pos) == 1 {
				k, ok := plainBool(args.Pos[0]).(int)
				if !ok {
					return nil, obj.Errorf(obj.TypeError, "'%s' object cannot be interpreted as an integer", pyTypeName(args.Pos[0]))
				}
				if k < 0 {
					k += len(*x)
				}
				if k < 0 || k >= len(*x) {
					return nil, obj.Errorf(obj.IndexError, "pop index out of range")
				}
				i = k
			}
			v := (*x)[i]
			*x = slices.Delete(*x, i, i+1)
			return v, nil
		}),
		method("remove", "remove(value)", "Remove the first item equal to value.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			if err := argsN("list.remove", args, 1, 1); err != nil {
				return nil, err
			}
			x := l(recv)
			for i, e := range *x {
				if equal(e, args.Pos[0]) {
					*x = slices.Delete(*x, i, i+1)
					return nil, nil
				}
			}
			return nil, obj.Errorf(obj.ValueError, "list.remove(x): x not in list")
		}),
		method("sort", "sort(*, key=None, reverse=False)", "Sort the list in place, stably.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			if len(args.Pos) > 0 {
				return nil, obj.Errorf(obj.TypeError, "sort() takes no positional arguments")
			}
			v, err := args.Bind("sort", []obj.Param{{Name: "key", Default: "None"}, {Name: "reverse", Default: "False"}})
			if err != nil {
				return nil, err
			}
			rev, _ := truthy(v[1])
			return nil, s.sortItems(*l(recv), v[0], rev)
		}),
		method("reverse", "reverse()", "Reverse the list in place.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			slices.Reverse(*l(recv))
			return nil, argsN("list.reverse", args, 0, 0)
		}),
		method("copy", "copy()", "A shallow copy.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			return newList(append([]any{}, *l(recv)...)), argsN("list.copy", args, 0, 0)
		}),
		method("clear", "clear()", "Remove every item.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			*l(recv) = (*l(recv))[:0]
			return nil, argsN("list.clear", args, 0, 0)
		}),
	)}
	return s.listT
}

func (s *Session) initContainerMethods() {
	d := func(recv any) *dict { return recv.(*dict) }
	dictType.Members = []*obj.Member{
		method("get", "get(key, default=None)", "The value for key, or default.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			if err := argsN("get", args, 1, 2); err != nil {
				return nil, err
			}
			v, ok, err := d(recv).get(args.Pos[0])
			if !ok && len(args.Pos) == 2 {
				v = args.Pos[1]
			}
			return v, err
		}),
		method("keys", "keys()", "A view of the keys.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			return &dictView{d(recv), "keys"}, nil
		}),
		method("values", "values()", "A view of the values.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			return &dictView{d(recv), "values"}, nil
		}),
		method("items", "items()", "A view of the (key, value) pairs.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			return &dictView{d(recv), "items"}, nil
		}),
		method("update", "update(other=(), **kwargs)", "Add the items of a mapping or pairs.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			for _, v := range args.Pos {
				if err := s.dictUpdate(d(recv), v); err != nil {
					return nil, err
				}
			}
			for _, k := range sortedKeys(args.Kw) {
				if err := d(recv).set(k, args.Kw[k]); err != nil {
					return nil, err
				}
			}
			return nil, nil
		}),
		method("pop", "pop(key[, default])", "Remove key and return its value (or default).", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			if err := argsN("pop", args, 1, 2); err != nil {
				return nil, err
			}
			v, ok, err := d(recv).del(args.Pos[0])
			if err != nil || ok {
				return v, err
			}
			if len(args.Pos) == 2 {
				return args.Pos[1], nil
			}
			return nil, obj.Errorf("KeyError", "%s", Repr(args.Pos[0]))
		}),
		method("setdefault", "setdefault(key, default=None)", "The value for key, set to default first if missing.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			if err := argsN("setdefault", args, 1, 2); err != nil {
				return nil, err
			}
			v, ok, err := d(recv).get(args.Pos[0])
			if err != nil || ok {
				return v, err
			}
			var def any
			if len(args.Pos) == 2 {
				def = args.Pos[1]
			}
			return def, d(recv).set(args.Pos[0], def)
		}),
		method("copy", "copy()", "A shallow copy.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			return d(recv).copy(), nil
		}),
		method("clear", "clear()", "Remove every item.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			*d(recv) = *newDict()
			return nil, nil
		}),
	}
	st := func(recv any) *set { return recv.(*set) }
	setType.Members = []*obj.Member{
		method("add", "add(elem)", "Add an element.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			if err := argsN("set.add", args, 1, 1); err != nil {
				return nil, err
			}
			return nil, st(recv).add(args.Pos[0])
		}),
		method("discard", "discard(elem)", "Remove an element if present.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			if err := argsN("set.discard", args, 1, 1); err != nil {
				return nil, err
			}
			_, _, err := st(recv).d.del(args.Pos[0])
			return nil, err
		}),
		method("remove", "remove(elem)", "Remove an element; KeyError if absent.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			if err := argsN("set.remove", args, 1, 1); err != nil {
				return nil, err
			}
			_, ok, err := st(recv).d.del(args.Pos[0])
			if err == nil && !ok {
				err = obj.Errorf("KeyError", "%s", Repr(args.Pos[0]))
			}
			return nil, err
		}),
		method("update", "update(*others)", "Add the elements of the iterables.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			for _, v := range args.Pos {
				items, ok := s.itemsOf(v)
				if !ok {
					return nil, obj.Errorf(obj.TypeError, "'%s' object is not iterable", pyTypeName(v))
				}
				for _, it := range items {
					if err := st(recv).add(it); err != nil {
						return nil, err
					}
				}
			}
			return nil, nil
		}),
		method("union", "union(*others)", "A new set with the elements of all.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			return s.setCombine(st(recv), args, "|")
		}),
		method("intersection", "intersection(*others)", "A new set with the common elements.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			return s.setCombine(st(recv), args, "&")
		}),
		method("difference", "difference(*others)", "A new set without the others' elements.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			return s.setCombine(st(recv), args, "-")
		}),
		method("copy", "copy()", "A shallow copy.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
			return &set{d: st(recv).d.copy()}, nil
		}),
	}
}

// setCombine is union / intersection / difference with any iterables.
func (s *Session) setCombine(x *set, args obj.Args, op string) (any, error) {
	out := &set{d: x.d.copy()}
	for _, v := range args.Pos {
		items, ok := s.itemsOf(v)
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "'%s' object is not iterable", pyTypeName(v))
		}
		other := newSet()
		for _, it := range items {
			if err := other.add(it); err != nil {
				return nil, err
			}
		}
		r, _, err := containerOp(op, out, other)
		if err != nil {
			return nil, err
		}
		out = r.(*set)
	}
	return out, nil
}

// langType is the member table of the language's own values (str, tuple, list, dict,
// set), whose methods take the language's values as they are; nil for runtime values.
func (s *Session) langType(v any) *obj.Type {
	switch v.(type) {
	case *obj.List:
		return s.listType()
	case *dict:
		return dictType
	case *set:
		return setType
	case float32, float64, int, numpy.Bool:
		return numberType
	}
	return plainType(v)
}
