package lang

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"gokist/obj"
)

// moreBuiltins are the iteration, conversion and introspection builtins that loops and
// functions use, with CPython 3.11's behaviour.
func (s *Session) moreBuiltins() map[string]any {
	return map[string]any{
		"zip": fn("zip", "zip(*iterables, strict=False)", "Tuples of the items at the same position of each iterable, up to the shortest.", nil, s.builtinZip),
		"enumerate": fn("enumerate", "enumerate(iterable, start=0)", "Pairs (index, item) of the items of iterable.",
			[]obj.Param{{Name: "iterable"}, {Name: "start", Default: "0"}}, s.builtinEnumerate),
		"sorted": fn("sorted", "sorted(iterable, /, *, key=None, reverse=False)", "A new sorted list of the items of iterable.",
			[]obj.Param{{Name: "iterable"}, {Name: "key", Default: "None"}, {Name: "reverse", Default: "False"}}, s.builtinSorted),
		"reversed": fn("reversed", "reversed(sequence)", "The items of a sequence in reverse order.", []obj.Param{{Name: "sequence"}},
			func(env *obj.Env, args obj.Args) (any, error) {
				items, err := s.oneIterable("reversed", args)
				slices.Reverse(items)
				return &iterator{name: "reversed", items: items}, err
			}),
		"map":    fn("map", "map(function, iterable, *iterables)", "function applied to the items of the iterables, in parallel.", nil, s.builtinMap),
		"filter": fn("filter", "filter(function, iterable)", "The items of iterable for which function is true (or which are true, for None).", nil, s.builtinFilter),
		"dict": fn("dict", "dict(mapping_or_pairs=(), **kwargs)", "A new dict from a mapping, pairs, or keyword arguments.", nil,
			func(env *obj.Env, args obj.Args) (any, error) {
				d := newDict()
				if len(args.Pos) > 1 {
					return nil, obj.Errorf(obj.TypeError, "dict expected at most 1 argument, got %d", len(args.Pos))
				}
				if len(args.Pos) == 1 {
					if err := s.dictUpdate(d, args.Pos[0]); err != nil {
						return nil, err
					}
				}
				for _, k := range sortedKeys(args.Kw) {
					if err := d.set(k, args.Kw[k]); err != nil {
						return nil, err
					}
				}
				return d, nil
			}),
		"set": fn("set", "set(iterable=())", "A new set of the items of iterable.", []obj.Param{{Name: "iterable", Default: "()"}},
			func(env *obj.Env, args obj.Args) (any, error) {
				out := newSet()
				if len(args.Pos) == 0 {
					return out, nil
				}
				items, err := s.oneIterable("set", args)
				for _, v := range items {
					if err == nil {
						err = out.add(v)
					}
				}
				return out, err
			}),
		"isinstance": fn("isinstance", "isinstance(obj, class_or_tuple)", "Whether obj is an instance of the class (or of one of a tuple of classes).",
			[]obj.Param{{Name: "obj"}, {Name: "class_or_tuple"}}, func(env *obj.Env, args obj.Args) (any, error) {
				v, err := args.Bind("isinstance", []obj.Param{{Name: "obj"}, {Name: "class_or_tuple"}})
				if err != nil {
					return nil, err
				}
				return isInstance(v[0], v[1])
			}),
		"issubclass": fn("issubclass", "issubclass(cls, class_or_tuple)", "Whether the exception class cls derives from the class (or one of a tuple of classes).",
			[]obj.Param{{Name: "cls"}, {Name: "class_or_tuple"}}, func(env *obj.Env, args obj.Args) (any, error) {
				v, err := args.Bind("issubclass", []obj.Param{{Name: "cls"}, {Name: "class_or_tuple"}})
				if err != nil {
					return nil, err
				}
				return isSubclass(v[0], v[1])
			}),
		"getattr": fn("getattr", "getattr(object, name[, default])", "The attribute name of object, or default when it has none.", nil,
			func(env *obj.Env, args obj.Args) (any, error) {
				if len(args.Pos) < 2 || len(args.Pos) > 3 {
					return nil, obj.Errorf(obj.TypeError, "getattr expected 2 or 3 arguments, got %d", len(args.Pos))
				}
				name, ok := args.Pos[1].(string)
				if !ok {
					return nil, obj.Errorf(obj.TypeError, "attribute name must be string, not '%s'", pyTypeName(args.Pos[1]))
				}
				v, err := s.getAttr(args.Pos[0], name)
				if err != nil && len(args.Pos) == 3 && isClass(err, obj.AttributeError) {
					return args.Pos[2], nil
				}
				return v, err
			}),
		"hasattr": fn("hasattr", "hasattr(object, name)", "Whether object has the attribute name.", []obj.Param{{Name: "object"}, {Name: "name"}},
			func(env *obj.Env, args obj.Args) (any, error) {
				v, err := args.Bind("hasattr", []obj.Param{{Name: "object"}, {Name: "name"}})
				if err != nil {
					return nil, err
				}
				name, ok := v[1].(string)
				if !ok {
					return nil, obj.Errorf(obj.TypeError, "attribute name must be string, not '%s'", pyTypeName(v[1]))
				}
				_, err = s.getAttr(v[0], name)
				if err != nil && isClass(err, obj.AttributeError) {
					return false, nil
				}
				return err == nil, err
			}),
		"callable": fn("callable", "callable(obj)", "Whether obj can be called.", []obj.Param{{Name: "obj"}},
			func(env *obj.Env, args obj.Args) (any, error) {
				v, err := oneArg("callable", args)
				switch v.(type) {
				case *obj.Func, *userFunc, callable:
					return true, err
				}
				return false, err
			}),
	}
}

func isClass(err error, class string) bool {
	var oe *obj.Error
	if e, ok := err.(*obj.Error); ok {
		oe = e
	}
	return oe != nil && oe.Class == class
}

// iterateArgs lists the items of tuple()'s or list()'s optional iterable argument,
// runtime sequences and arrays included (list(ds.headers["KEY"])).
func (s *Session) iterateArgs(name string, args obj.Args) ([]any, error) {
	if len(args.Pos) == 0 && len(args.Kw) == 0 {
		return []any{}, nil
	}
	return s.oneIterable(name, args)
}

// oneIterable lists the items of the single iterable argument of a builtin.
func (s *Session) oneIterable(name string, args obj.Args) ([]any, error) {
	v, err := oneArg(name, args)
	if err != nil {
		return nil, err
	}
	if err := tooLong(v); err != nil {
		return nil, err
	}
	items, ok := s.itemsOf(v)
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "'%s' object is not iterable", pyTypeName(v))
	}
	return items, nil
}

func (s *Session) builtinZip(env *obj.Env, args obj.Args) (any, error) {
	lists := make([][]any, len(args.Pos))
	n := -1
	for i, v := range args.Pos {
		items, ok := s.itemsOf(v)
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "'%s' object is not iterable", pyTypeName(v))
		}
		lists[i] = items
		if n < 0 || len(items) < n {
			n = len(items)
		}
	}
	out := make([]any, max(n, 0))
	for k := range out {
		t := make(obj.Tuple, len(lists))
		for i := range lists {
			t[i] = lists[i][k]
		}
		out[k] = t
	}
	return &iterator{name: "zip", items: out}, nil
}

func (s *Session) builtinEnumerate(env *obj.Env, args obj.Args) (any, error) {
	v, err := args.Bind("enumerate", []obj.Param{{Name: "iterable"}, {Name: "start", Default: "0"}})
	if err != nil {
		return nil, err
	}
	start := 0
	if v[1] != nil {
		i, ok := plainBool(v[1]).(int)
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "'%s' object cannot be interpreted as an integer", pyTypeName(v[1]))
		}
		start = i
	}
	items, ok := s.itemsOf(v[0])
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "'%s' object is not iterable", pyTypeName(v[0]))
	}
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = obj.Tuple{start + i, it}
	}
	return &iterator{name: "enumerate", items: out}, nil
}

// keyed applies key (a callable or nil) to each item.
func (s *Session) keyed(items []any, key any) ([]any, error) {
	if key == nil {
		return items, nil
	}
	keys := make([]any, len(items))
	for i, it := range items {
		k, err := s.callValue(key, obj.Args{Pos: []any{it}})
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	return keys, nil
}

// sortItems sorts items in place, stably, by their keys (Python's sorted).
func (s *Session) sortItems(items []any, key any, reverse bool) error {
	keys, err := s.keyed(items, key)
	if err != nil {
		return err
	}
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	var cmpErr error
	slices.SortStableFunc(idx, func(a, b int) int {
		if cmpErr != nil {
			return 0
		}
		c, ok, err := s.orderOf(keys[a], keys[b])
		if err != nil {
			cmpErr = err
			return 0
		}
		if !ok {
			cmpErr = obj.Errorf(obj.TypeError, "'<' not supported between instances of '%s' and '%s'", pyTypeName(keys[b]), pyTypeName(keys[a]))
		}
		if reverse {
			return -c
		}
		return c
	})
	if cmpErr != nil {
		return cmpErr
	}
	sorted := make([]any, len(items))
	for i, k := range idx {
		sorted[i] = items[k]
	}
	copy(items, sorted)
	return nil
}

func (s *Session) builtinSorted(env *obj.Env, args obj.Args) (any, error) {
	v, err := args.Bind("sorted", []obj.Param{{Name: "iterable"}, {Name: "key", Default: "None"}, {Name: "reverse", Default: "False"}})
	if err != nil {
		return nil, err
	}
	items, ok := s.itemsOf(v[0])
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "'%s' object is not iterable", pyTypeName(v[0]))
	}
	rev, _ := truthy(v[2])
	if err := s.sortItems(items, v[1], rev); err != nil {
		return nil, err
	}
	return newList(items), nil
}

func (s *Session) builtinMap(env *obj.Env, args obj.Args) (any, error) {
	if len(args.Pos) < 2 {
		return nil, obj.Errorf(obj.TypeError, "map() must have at least two arguments.")
	}
	z, err := s.builtinZip(env, obj.Args{Pos: args.Pos[1:]})
	if err != nil {
		return nil, err
	}
	rows := z.(*iterator).items
	out := make([]any, len(rows))
	for i, r := range rows {
		if out[i], err = s.callValue(args.Pos[0], obj.Args{Pos: []any(r.(obj.Tuple))}); err != nil {
			return nil, err
		}
	}
	return &iterator{name: "map", items: out}, nil
}

func (s *Session) builtinFilter(env *obj.Env, args obj.Args) (any, error) {
	if len(args.Pos) != 2 {
		return nil, obj.Errorf(obj.TypeError, "filter expected 2 arguments, got %d", len(args.Pos))
	}
	items, ok := s.itemsOf(args.Pos[1])
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "'%s' object is not iterable", pyTypeName(args.Pos[1]))
	}
	var out []any
	for _, it := range items {
		v := it
		if args.Pos[0] != nil {
			var err error
			if v, err = s.callValue(args.Pos[0], obj.Args{Pos: []any{it}}); err != nil {
				return nil, err
			}
		}
		if t, err := truthy(v); err != nil {
			return nil, err
		} else if t {
			out = append(out, it)
		}
	}
	return &iterator{name: "filter", items: out}, nil
}

// isInstance is isinstance(v, cls) for the builtin types (named by their constructor
// functions), exception classes, and tuples of them.
func isInstance(v, cls any) (bool, error) {
	switch c := cls.(type) {
	case obj.Tuple:
		for _, x := range c {
			if ok, err := isInstance(v, x); ok || err != nil {
				return ok, err
			}
		}
		return false, nil
	case *excClass:
		e, ok := v.(*excValue)
		return ok && subclassOf(e.class.name, c.name), nil
	case *obj.Func:
		t := pyTypeName(v)
		switch c.Name {
		case "int":
			return t == "int" || t == "bool", nil
		case "float", "str", "list", "dict", "tuple", "set", "bool", "range":
			return t == c.Name, nil
		}
	case typeName:
		return pyTypeName(v) == string(c), nil
	}
	return false, obj.Errorf(obj.TypeError, "isinstance() arg 2 must be a type, a tuple of types, or a union")
}

// isSubclass is issubclass(cls, base) for exception classes (the classes a cell can
// name), and tuples of them.
func isSubclass(cls, base any) (bool, error) {
	c, ok := cls.(*excClass)
	if !ok {
		if _, isType := cls.(*obj.Func); !isType {
			return false, obj.Errorf(obj.TypeError, "issubclass() arg 1 must be a class")
		}
	}
	switch b := base.(type) {
	case obj.Tuple:
		for _, x := range b {
			if r, err := isSubclass(cls, x); r || err != nil {
				return r, err
			}
		}
		return false, nil
	case *excClass:
		return ok && subclassOf(c.name, b.name), nil
	case *obj.Func: // builtin types: a type is its own subclass, bool an int's
		f, isType := cls.(*obj.Func)
		return isType && (f.Name == b.Name || f.Name == "bool" && b.Name == "int"), nil
	}
	return false, obj.Errorf(obj.TypeError, "issubclass() arg 2 must be a class, a tuple of classes, or a union")
}

// dictUpdate adds a mapping's items, or (key, value) pairs, to d.
func (s *Session) dictUpdate(d *dict, src any) error {
	switch x := src.(type) {
	case *dict:
		for i, k := range x.keys {
			if err := d.set(k, x.vals[i]); err != nil {
				return err
			}
		}
		return nil
	case map[string]any:
		for _, k := range sortedKeys(x) {
			if err := d.set(k, x[k]); err != nil {
				return err
			}
		}
		return nil
	}
	items, ok := s.itemsOf(src)
	if !ok {
		return obj.Errorf(obj.TypeError, "'%s' object is not iterable", pyTypeName(src))
	}
	for i, it := range items {
		pair, ok := s.itemsOf(it)
		if !ok {
			return obj.Errorf(obj.TypeError, "cannot convert dictionary update sequence element #%d to a sequence", i)
		}
		if len(pair) != 2 {
			return obj.Errorf(obj.ValueError, "dictionary update sequence element #%d has length %d; 2 is required", i, len(pair))
		}
		if err := d.set(pair[0], pair[1]); err != nil {
			return err
		}
	}
	return nil
}

// method builds a member of a language container type; recv is the container.
func method(name, sig, doc string, call func(env *obj.Env, recv any, args obj.Args) (any, error)) *obj.Member {
	return &obj.Member{Name: name, Signature: sig, Doc: doc, Call: call}
}

// argsN checks a method's positional argument count and refuses keywords.
func argsN(name string, args obj.Args, lo, hi int) error {
	if len(args.Kw) > 0 {
		return obj.Errorf(obj.TypeError, "%s() takes no keyword arguments", name)
	}
	if len(args.Pos) < lo || len(args.Pos) > hi {
		if lo == hi {
			return obj.Errorf(obj.TypeError, "%s() takes exactly %d argument%s (%d given)", name, lo, plural(lo), len(args.Pos))
		}
		return obj.Errorf(obj.TypeError, "%s expected at most %d arguments, got %d", name, hi, len(args.Pos))
	}
	return nil
}

// formatMethod is str.format: {} {0} {name} fields with conversions and format specs.
func formatMethod(f string, args obj.Args) (any, error) {
	var b strings.Builder
	auto := 0
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c == '}' {
			if i+1 < len(f) && f[i+1] == '}' {
				b.WriteByte('}')
				i++
				continue
			}
			return nil, obj.Errorf(obj.ValueError, "Single '}' encountered in format string")
		}
		if c != '{' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(f) && f[i+1] == '{' {
			b.WriteByte('{')
			i++
			continue
		}
		end := strings.IndexByte(f[i:], '}')
		if end < 0 {
			return nil, obj.Errorf(obj.ValueError, "expected '}' before end of string")
		}
		field := f[i+1 : i+end]
		i += end
		spec, conv := "", ""
		if k := strings.IndexByte(field, ':'); k >= 0 {
			field, spec = field[:k], field[k+1:]
		}
		if k := strings.IndexByte(field, '!'); k >= 0 {
			field, conv = field[:k], field[k+1:]
		}
		var v any
		switch n, err := strconv.Atoi(field); {
		case field == "":
			if auto >= len(args.Pos) {
				return nil, obj.Errorf(obj.IndexError, "Replacement index %d out of range for positional args tuple", auto)
			}
			v = args.Pos[auto]
			auto++
		case err == nil:
			if n >= len(args.Pos) {
				return nil, obj.Errorf(obj.IndexError, "Replacement index %d out of range for positional args tuple", n)
			}
			v = args.Pos[n]
		default:
			kv, ok := args.Kw[field]
			if !ok {
				return nil, obj.Errorf("KeyError", "%s", quote(field))
			}
			v = kv
		}
		text, err := formatField(v, conv, spec)
		if err != nil {
			return nil, err
		}
		b.WriteString(text)
	}
	return b.String(), nil
}

// strMethods2 are further str methods, added to strType at start.
var strMethods2 = []*obj.Member{
	method("format", "format(*args, **kwargs)", "The text with its {} fields replaced by the arguments, formatted.",
		func(env *obj.Env, recv any, args obj.Args) (any, error) { return formatMethod(recv.(string), args) }),
	strMethod("zfill", "The text padded with zeros on the left to width.", []obj.Param{{Name: "count"}}, func(s string, a []any) (any, error) {
		w, ok := a[0].(int)
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "'%s' object cannot be interpreted as an integer", pyTypeName(a[0]))
		}
		n := len([]rune(s))
		if n >= w {
			return s, nil
		}
		sign := ""
		if s != "" && (s[0] == '-' || s[0] == '+') {
			sign, s = s[:1], s[1:]
		}
		return sign + strings.Repeat("0", w-n) + s, nil
	}),
	strMethod("partition", "The text before sep, sep, and the text after.", []obj.Param{{Name: "sep"}}, func(s string, a []any) (any, error) {
		sep := a[0].(string)
		if k := strings.Index(s, sep); k >= 0 {
			return obj.Tuple{s[:k], sep, s[k+len(sep):]}, nil
		}
		return obj.Tuple{s, "", ""}, nil
	}),
	strMethod("find", "The index of the first sub, or -1.", []obj.Param{{Name: "sub"}}, func(s string, a []any) (any, error) {
		k := strings.Index(s, a[0].(string))
		if k < 0 {
			return -1, nil
		}
		return len([]rune(s[:k])), nil
	}),
	strMethod("title", "The text with each word capitalised.", nil, func(s string, _ []any) (any, error) {
		var b strings.Builder
		prev := false
		for _, r := range s {
			if prev {
				b.WriteRune(unicode.ToLower(r))
			} else {
				b.WriteRune(unicode.ToUpper(r))
			}
			prev = unicode.IsLetter(r)
		}
		return b.String(), nil
	}),
	strMethod("capitalize", "The text with its first character upper case and the rest lower.", nil, func(s string, _ []any) (any, error) {
		r := []rune(strings.ToLower(s))
		if len(r) > 0 {
			r[0] = unicode.ToUpper(r[0])
		}
		return string(r), nil
	}),
	strMethod("lstrip", "The text without leading whitespace (or chars).", []obj.Param{{Name: "chars", Default: "None"}}, func(s string, a []any) (any, error) {
		if a[0] == nil {
			return strings.TrimLeftFunc(s, unicode.IsSpace), nil
		}
		return strings.TrimLeft(s, a[0].(string)), nil
	}),
	strMethod("rstrip", "The text without trailing whitespace (or chars).", []obj.Param{{Name: "chars", Default: "None"}}, func(s string, a []any) (any, error) {
		if a[0] == nil {
			return strings.TrimRightFunc(s, unicode.IsSpace), nil
		}
		return strings.TrimRight(s, a[0].(string)), nil
	}),
	strMethod("count", "How many times sub occurs, without overlapping.", []obj.Param{{Name: "sub"}}, func(s string, a []any) (any, error) {
		sub := a[0].(string)
		if sub == "" {
			return len([]rune(s)) + 1, nil
		}
		return strings.Count(s, sub), nil
	}),
	strMethod("splitlines", "The lines of the text.", nil, func(s string, _ []any) (any, error) {
		lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
		if s == "" {
			lines = nil
		}
		out := make([]any, len(lines))
		for i, l := range lines {
			out[i] = strings.TrimSuffix(l, "\r")
		}
		return newList(out), nil
	}),
	strMethod("isdigit", "Whether the text is all digits.", nil, func(s string, _ []any) (any, error) {
		return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }) < 0, nil
	}),
	strMethod("isalpha", "Whether the text is all letters.", nil, func(s string, _ []any) (any, error) {
		return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) < 0, nil
	}),
	method("center", "center(width, fillchar=' ')", "The text centred in width.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
		return pad(recv.(string), args, 'c')
	}),
	method("ljust", "ljust(width, fillchar=' ')", "The text left-justified in width.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
		return pad(recv.(string), args, 'l')
	}),
	method("rjust", "rjust(width, fillchar=' ')", "The text right-justified in width.", func(env *obj.Env, recv any, args obj.Args) (any, error) {
		return pad(recv.(string), args, 'r')
	}),
}

// pad is str.center / ljust / rjust.
func pad(s string, args obj.Args, how byte) (any, error) {
	if err := argsN("pad", args, 1, 2); err != nil {
		return nil, err
	}
	w, ok := plainBool(args.Pos[0]).(int)
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "'%s' object cannot be interpreted as an integer", pyTypeName(args.Pos[0]))
	}
	fill := " "
	if len(args.Pos) == 2 {
		f, ok := args.Pos[1].(string)
		if !ok || len([]rune(f)) != 1 {
			return nil, obj.Errorf(obj.TypeError, "The fill character must be exactly one character long")
		}
		fill = f
	}
	n := len([]rune(s))
	if w <= n {
		return s, nil
	}
	total := w - n
	left := 0
	switch how {
	case 'c':
		left = total / 2
		if total%2 == 1 && w%2 == 1 {
			left++
		}
	case 'r':
		left = total
	}
	return strings.Repeat(fill, left) + s + strings.Repeat(fill, total-left), nil
}

func init() {
	strType.Members = append(strType.Members, strMethods2...)
}

// sameType compares a type(x) value with a builtin type named by its constructor
// (type(x) == list, type(x) is int); ok is false for other operands.
func sameType(a, b any) (same, ok bool) {
	t, isType := a.(typeName)
	f, isFunc := b.(*obj.Func)
	if !isType || !isFunc {
		t, isType = b.(typeName)
		f, isFunc = a.(*obj.Func)
	}
	if !isType || !isFunc {
		return false, false
	}
	return string(t) == f.Name, true
}
