package lang

import (
	"errors"
	"fmt"
	"gokist/runtime/numpy"
	"math"
	"strconv"
	"strings"

	"gokist/obj"
	_ "gokist/runtime/coords" // astropy.coordinates, sunpy.coordinates
)

// stream is `sys.stdout` / `sys.stderr`: print(…, file=sys.stderr) writes there.
type stream struct{ name string }

var streamType = &obj.Type{Name: "TextIOWrapper", Doc: "A text stream of the cell's output.", Members: []*obj.Member{
	{Name: "write", Signature: "write(text)", Doc: "Write text to the stream.", Params: []obj.Param{{Name: "text"}},
		Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
			v, err := args.Bind("write", []obj.Param{{Name: "text"}})
			if err != nil {
				return nil, err
			}
			t, ok := v[0].(string)
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "write() argument must be str, not %s", pyTypeName(v[0]))
			}
			env.Out.Stream(recv.(*stream).name, t)
			return len([]rune(t)), nil
		}},
	{Name: "flush", Signature: "flush()", Doc: "Does nothing: output is sent as it is written.",
		Call: func(*obj.Env, any, obj.Args) (any, error) { return nil, nil }},
}}

// Type returns the stream's member table.
func (s *stream) Type() *obj.Type { return streamType }

// String renders the stream like Python.
func (s *stream) String() string { return fmt.Sprintf("<_io.TextIOWrapper name='<%s>'>", s.name) }

// module is an importable module: a named table of attributes.
type module struct {
	name string
	typ  *obj.Type
}

// Type returns the module's member table.
func (m *module) Type() *obj.Type { return m.typ }

// String renders the module like Python.
func (m *module) String() string { return fmt.Sprintf("<module '%s'>", m.name) }

// newModule builds a module whose attributes are the given values; each attribute's
// help comes from the value itself.
func newModule(name, doc string, attrs map[string]any) *module {
	t := &obj.Type{Name: "module", Doc: doc}
	for _, k := range sortedKeys(attrs) {
		v := attrs[k]
		m := &obj.Member{Name: k, Get: func(*obj.Env, any) (any, error) { return v, nil }}
		if f, ok := v.(*obj.Func); ok {
			m.Signature, m.Doc, m.Params = f.Signature, f.Doc, f.Params
		} else if o, ok := v.(obj.Object); ok {
			m.Signature, m.Doc = o.Type().Signature, o.Type().Doc
		}
		t.Members = append(t.Members, m)
	}
	return &module{name: name, typ: t}
}

// fn builds a builtin function value.
func fn(name, sig, doc string, params []obj.Param, call func(env *obj.Env, args obj.Args) (any, error)) *obj.Func {
	return &obj.Func{Name: name, Signature: sig, Doc: doc, Params: params, Call: call}
}

// builtins are the language's own names.
func (s *Session) builtins() map[string]any {
	b := map[string]any{
		"print": fn("print", "print(*values, sep=' ', end='\\n', file=sys.stdout, flush=False)",
			"Print the values to the cell's output, separated by sep and followed by end; file=sys.stderr prints to the error stream.",
			[]obj.Param{{Name: "sep", Default: "' '"}, {Name: "end", Default: "'\\n'"}, {Name: "file", Default: "None"}, {Name: "flush", Default: "False"}},
			s.print),
		"help": fn("help", "help(obj)", "Show the signature and documentation of a function, method, type or module.",
			[]obj.Param{{Name: "obj", Default: "None"}},
			func(env *obj.Env, args obj.Args) (any, error) {
				if len(args.Pos) == 0 {
					env.Out.Stream("stdout", s.overview())
					return nil, nil
				}
				if len(args.Pos) > 1 || len(args.Kw) > 0 {
					return nil, obj.Errorf(obj.TypeError, "help() takes one argument")
				}
				env.Out.Stream("stdout", helpText(args.Pos[0], 1))
				return nil, nil
			}),
		"display": fn("display", "display(*objs)", "Show each value with its richest representation (HTML, image or text).",
			nil, func(env *obj.Env, args obj.Args) (any, error) {
				for _, v := range args.Pos {
					env.Out.Display(bundle(v), map[string]any{}, "", false)
				}
				return nil, nil
			}),
		"clear_output": fn("clear_output", "clear_output(wait=False)", "Clear the cell's output, now or (wait=True) when new output arrives.",
			[]obj.Param{{Name: "wait", Default: "False"}}, func(env *obj.Env, args obj.Args) (any, error) {
				v, err := args.Bind("clear_output", []obj.Param{{Name: "wait", Default: "False"}})
				if err != nil {
					return nil, err
				}
				w, _ := truthy(v[0])
				env.Out.ClearOutput(w)
				return nil, nil
			}),
		"range": fn("range", "range(stop) / range(start, stop, step=1)", "The integers from start up to (not including) stop, by step.",
			nil, builtinRange),
		"len": fn("len", "len(obj)", "The number of items of a sequence, or the length of the first axis of an array.",
			[]obj.Param{{Name: "obj"}}, s.builtinLen),
		"abs": fn("abs", "abs(x)", "The absolute value of a number, or elementwise of an array.",
			[]obj.Param{{Name: "x"}}, s.builtinAbs),
		"int": fn("int", "int(x=0)", "Convert a number or string to an integer, truncating towards zero.",
			[]obj.Param{{Name: "x", Default: "0"}}, builtinInt),
		"float": fn("float", "float(x=0.0)", "Convert a number or string to a floating-point number.",
			[]obj.Param{{Name: "x", Default: "0.0"}}, builtinFloat),
		"round": fn("round", "round(number, ndigits=None)", "Round to ndigits decimals (half to even); without ndigits the result is an int.",
			[]obj.Param{{Name: "number"}, {Name: "ndigits", Default: "None"}}, builtinRound),
		"min": fn("min", "min(iterable) / min(a, b, *more)", "The smallest item.", nil,
			func(env *obj.Env, args obj.Args) (any, error) { return s.extreme("min", args) }),
		"max": fn("max", "max(iterable) / max(a, b, *more)", "The largest item.", nil,
			func(env *obj.Env, args obj.Args) (any, error) { return s.extreme("max", args) }),
		"any": fn("any", "any(iterable)", "True if any item is true (for an array: its any()).",
			[]obj.Param{{Name: "iterable"}}, func(env *obj.Env, args obj.Args) (any, error) { return s.anyAll("any", args) }),
		"all": fn("all", "all(iterable)", "True if every item is true (for an array: its all()).",
			[]obj.Param{{Name: "iterable"}}, func(env *obj.Env, args obj.Args) (any, error) { return s.anyAll("all", args) }),
		"sum": fn("sum", "sum(iterable, start=0)", "start plus the items added up (for an array: its sum over the first axis, as Python's sum iterates it).",
			[]obj.Param{{Name: "iterable"}, {Name: "start", Default: "0"}}, s.builtinSum),
		"divmod": fn("divmod", "divmod(a, b)", "The pair (a // b, a % b).",
			[]obj.Param{{Name: "a"}, {Name: "b"}}, func(env *obj.Env, args obj.Args) (any, error) {
				v, err := args.Bind("divmod", []obj.Param{{Name: "a"}, {Name: "b"}})
				if err != nil {
					return nil, err
				}
				q, err := s.binOp("//", v[0], v[1])
				if err != nil {
					return nil, err
				}
				r, err := s.binOp("%", v[0], v[1])
				if err != nil {
					return nil, err
				}
				return obj.Tuple{q, r}, nil
			}),
		"format": fn("format", "format(value, format_spec='')", "value formatted by the format-spec mini-language, as in an f-string field.",
			[]obj.Param{{Name: "value"}, {Name: "format_spec", Default: "''"}}, func(env *obj.Env, args obj.Args) (any, error) {
				v, err := args.Bind("format", []obj.Param{{Name: "value"}, {Name: "format_spec", Default: "''"}})
				if err != nil {
					return nil, err
				}
				if v[1] == nil {
					v[1] = ""
				}
				spec, ok := v[1].(string)
				if !ok {
					return nil, obj.Errorf(obj.TypeError, "format() argument 2 must be str, not %s", pyTypeName(v[1]))
				}
				return formatField(v[0], "", spec)
			}),
		"str": fn("str", "str(object='')", "The text form of a value.", []obj.Param{{Name: "object", Default: "''"}},
			func(env *obj.Env, args obj.Args) (any, error) {
				v, err := args.Bind("str", []obj.Param{{Name: "object", Default: "''"}})
				if err != nil {
					return nil, err
				}
				if len(args.Pos)+len(args.Kw) == 0 {
					return "", nil
				}
				return Str(v[0]), nil
			}),
		"repr": fn("repr", "repr(obj)", "The printable representation of a value.", []obj.Param{{Name: "obj"}},
			func(env *obj.Env, args obj.Args) (any, error) {
				v, err := args.Bind("repr", []obj.Param{{Name: "obj"}})
				if err != nil {
					return nil, err
				}
				return Repr(v[0]), nil
			}),
		"bool": fn("bool", "bool(x=False)", "The truth value of x.", []obj.Param{{Name: "x", Default: "False"}},
			func(env *obj.Env, args obj.Args) (any, error) {
				v, err := args.Bind("bool", []obj.Param{{Name: "x", Default: "False"}})
				if err != nil {
					return nil, err
				}
				return truthy(v[0])
			}),
		"tuple": fn("tuple", "tuple(iterable=())", "A tuple of the items of iterable.", []obj.Param{{Name: "iterable", Default: "()"}},
			func(env *obj.Env, args obj.Args) (any, error) {
				items, err := s.iterateArgs("tuple", args)
				return obj.Tuple(items), err
			}),
		"list": fn("list", "list(iterable=())", "A list of the items of iterable.", []obj.Param{{Name: "iterable", Default: "()"}},
			func(env *obj.Env, args obj.Args) (any, error) {
				items, err := s.iterateArgs("list", args)
				return obj.List(items), err
			}),
		"type": fn("type", "type(obj)", "The type of a value.", []obj.Param{{Name: "obj"}},
			func(env *obj.Env, args obj.Args) (any, error) {
				v, err := args.Bind("type", []obj.Param{{Name: "obj"}})
				if err != nil {
					return nil, err
				}
				return typeName(pyTypeName(v[0])), nil
			}),
	}
	return b
}

// typeName is the value of type(x); it prints as <class 'name'>.
type typeName string

// String renders the type like Python.
func (t typeName) String() string { return "<class '" + string(t) + "'>" }

// typeType is the member table of type(x): its type is "type", as in Python.
var typeType = &obj.Type{Name: "type", Doc: "The type of a value, as type(x) gives it.", Members: []*obj.Member{
	{Name: "__name__", Doc: "The type's name.", Get: func(_ *obj.Env, recv any) (any, error) { return string(recv.(typeName)), nil }},
}}

// Type returns the member table of a type value, so that messages name it "type".
func (t typeName) Type() *obj.Type { return typeType }

func (s *Session) print(env *obj.Env, args obj.Args) (any, error) {
	sep, end, name := " ", "\n", "stdout"
	for k, v := range args.Kw {
		switch k {
		case "sep", "end":
			str, ok := v.(string)
			if v == nil {
				continue
			}
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "%s must be None or a string, not %s", k, pyTypeName(v))
			}
			if k == "sep" {
				sep = str
			} else {
				end = str
			}
		case "file":
			if v == nil {
				continue
			}
			st, ok := v.(*stream)
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "print(file=…) takes sys.stdout or sys.stderr, not %s", pyTypeName(v))
			}
			name = st.name
		case "flush":
		default:
			e := obj.Errorf(obj.TypeError, "print() got an unexpected keyword argument '%s'", k)
			if c := obj.Closest(k, []string{"sep", "end", "file", "flush"}); c != "" {
				e.Hint = fmt.Sprintf("did you mean `%s`?", c)
			}
			return nil, e
		}
	}
	parts := make([]string, len(args.Pos))
	for i, v := range args.Pos {
		parts[i] = Str(v)
	}
	env.Out.Stream(name, strings.Join(parts, sep)+end)
	return nil, nil
}

// rangeValue is range(start, stop, step).
type rangeValue struct{ start, stop, step int }

// rangeType is the member table of range values: Python's read-only start, stop, step.
// It also names them "range" wherever an error names a type, in lang or the runtime.
var rangeType = &obj.Type{Name: "range", Doc: "range(stop) or range(start, stop[, step]): the integers from start up to stop, by step.",
	Signature: "range(start, stop[, step])", Members: []*obj.Member{
		{Name: "start", Doc: "The first value.", Get: func(_ *obj.Env, recv any) (any, error) { return recv.(rangeValue).start, nil }},
		{Name: "stop", Doc: "The bound, not included.", Get: func(_ *obj.Env, recv any) (any, error) { return recv.(rangeValue).stop, nil }},
		{Name: "step", Doc: "The difference between successive values.", Get: func(_ *obj.Env, recv any) (any, error) { return recv.(rangeValue).step, nil }},
	}}

// Type returns the range member table.
func (r rangeValue) Type() *obj.Type { return rangeType }

// Items gives the range's values, so that the runtime takes a range where it takes a
// list (obj.Sequence).
func (r rangeValue) Items() []any { return r.items() }

func (r rangeValue) length() int {
	if r.step > 0 && r.stop > r.start {
		return (r.stop - r.start + r.step - 1) / r.step
	}
	if r.step < 0 && r.stop < r.start {
		return (r.start - r.stop - r.step - 1) / -r.step
	}
	return 0
}

func (r rangeValue) items() []any {
	n := min(r.length(), maxItems)
	out := make([]any, n)
	for i := range n {
		out[i] = r.start + i*r.step
	}
	return out
}

func builtinRange(env *obj.Env, args obj.Args) (any, error) {
	if len(args.Kw) > 0 {
		return nil, obj.Errorf(obj.TypeError, "range() takes no keyword arguments")
	}
	ints := make([]int, len(args.Pos))
	for i, v := range args.Pos {
		n, _, isInt, ok := number(v)
		if !ok || !isInt {
			return nil, obj.Errorf(obj.TypeError, "'%s' object cannot be interpreted as an integer", pyTypeName(v))
		}
		ints[i] = n
	}
	var r rangeValue
	switch len(ints) {
	case 1:
		r = rangeValue{0, ints[0], 1}
	case 2:
		r = rangeValue{ints[0], ints[1], 1}
	case 3:
		if ints[2] == 0 {
			return nil, obj.Errorf(obj.ValueError, "range() arg 3 must not be zero")
		}
		r = rangeValue{ints[0], ints[1], ints[2]}
	default:
		return nil, obj.Errorf(obj.TypeError, "range expected 1 to 3 arguments, got %d", len(ints))
	}
	if r.length() < 0 {
		return nil, obj.Errorf(OverflowError, "range() has more items than a 64-bit int counts")
	}
	return r, nil
}

func oneArg(name string, args obj.Args) (any, error) {
	if len(args.Pos) != 1 || len(args.Kw) > 0 {
		return nil, obj.Errorf(obj.TypeError, "%s() takes exactly one argument (%d given)", name, len(args.Pos)+len(args.Kw))
	}
	return args.Pos[0], nil
}

func (s *Session) builtinLen(env *obj.Env, args obj.Args) (any, error) {
	v, err := oneArg("len", args)
	if err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case *obj.List:
		return len(*x), nil
	case *dict:
		return len(x.keys), nil
	case *set:
		return len(x.d.keys), nil
	case *dictView:
		return len(x.d.keys), nil
	case string:
		return len([]rune(x)), nil
	case obj.Tuple:
		return len(x), nil
	case obj.List:
		return len(x), nil
	case []any:
		return len(x), nil
	case map[string]any:
		return len(x), nil
	case rangeValue:
		return x.length(), nil
	case obj.Object:
		t := x.Type()
		if m := t.Member("__len__"); m != nil && m.Call != nil {
			return m.Call(env, v, obj.Args{})
		}
		if m := t.Member("shape"); m != nil && m.Get != nil {
			shape, err := m.Get(env, v)
			if err != nil {
				return nil, err
			}
			if tup, ok := shape.(obj.Tuple); ok && len(tup) > 0 {
				return tup[0], nil
			}
			return nil, obj.Errorf(obj.TypeError, "len() of unsized object")
		}
	}
	return nil, obj.Errorf(obj.TypeError, "object of type '%s' has no len()", pyTypeName(v))
}

func (s *Session) builtinAbs(env *obj.Env, args obj.Args) (any, error) {
	v, err := oneArg("abs", args)
	if err != nil {
		return nil, err
	}
	if r, handled := numpy.ScalarUnaryOp("abs", v); handled {
		return r, nil
	}
	if i, f, isInt, ok := number(v); ok {
		if isInt {
			if i == math.MinInt {
				return nil, negateOverflow("abs", i)
			}
			if i < 0 {
				return -i, nil
			}
			return i, nil
		}
		return math.Abs(f), nil
	}
	if u, ok := v.(obj.UnaryOperand); ok {
		return u.UnaryOp(env, "abs")
	}
	return nil, obj.Errorf(obj.TypeError, "bad operand type for abs(): '%s'", pyTypeName(v))
}

// scalar converts a runtime value that stands for one number (a one-element array, a
// dimensionless Quantity) through its __float__ / __int__ member when it has one; the
// member's error (numpy's "only size-1 arrays …") is the conversion's.
func scalar(v any, member string) (any, bool, error) {
	o, ok := v.(obj.Object)
	if !ok {
		return nil, false, nil
	}
	m := o.Type().Member(member)
	if m == nil || m.Call == nil {
		return nil, false, nil
	}
	r, err := m.Call(nil, v, obj.Args{})
	return r, err == nil, err
}

func builtinInt(env *obj.Env, args obj.Args) (any, error) {
	if len(args.Pos) == 0 && len(args.Kw) == 0 {
		return 0, nil
	}
	v, err := oneArg("int", args)
	if err != nil {
		return nil, err
	}
	if r, ok, err := scalar(v, "__int__"); err != nil {
		return nil, err
	} else if ok {
		v = r
	}
	switch x := v.(type) {
	case int:
		return x, nil
	case bool:
		i, _, _, _ := number(x)
		return i, nil
	case float32:
		return builtinInt(env, obj.Args{Pos: []any{float64(x)}})
	case float64:
		if math.IsNaN(x) {
			return nil, obj.Errorf(obj.ValueError, "cannot convert float NaN to integer")
		}
		if math.IsInf(x, 0) {
			return nil, obj.Errorf(OverflowError, "cannot convert float infinity to integer")
		}
		// gokist ints are 64-bit; Python would make a big int here.
		if x >= 0x1p63 || x < -0x1p63 {
			return nil, obj.Errorf(OverflowError, "int(%s): the value does not fit in a 64-bit integer", FormatFloat(x)).WithHint("keep it as a float")
		}
		return int(x), nil
	case string:
		t := strings.ReplaceAll(strings.TrimSpace(x), "_", "")
		n, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			return nil, obj.Errorf(obj.ValueError, "invalid literal for int() with base 10: %s", quote(x))
		}
		return int(n), nil
	}
	return nil, obj.Errorf(obj.TypeError, "int() argument must be a string or a number, not '%s'", pyTypeName(v))
}

func builtinFloat(env *obj.Env, args obj.Args) (any, error) {
	if len(args.Pos) == 0 && len(args.Kw) == 0 {
		return 0.0, nil
	}
	v, err := oneArg("float", args)
	if err != nil {
		return nil, err
	}
	if r, ok, err := scalar(v, "__float__"); err != nil {
		return nil, err
	} else if ok {
		v = r
	}
	if _, f, _, ok := number(v); ok {
		return f, nil
	}
	if x, ok := v.(string); ok {
		t := strings.ToLower(strings.TrimSpace(x))
		switch t {
		case "nan", "+nan", "-nan":
			return math.NaN(), nil
		case "inf", "+inf", "infinity", "+infinity":
			return math.Inf(1), nil
		case "-inf", "-infinity":
			return math.Inf(-1), nil
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(t, "_", ""), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) { // out of range is ±inf or 0, as Python
			return nil, obj.Errorf(obj.ValueError, "could not convert string to float: %s", quote(x))
		}
		return f, nil
	}
	return nil, obj.Errorf(obj.TypeError, "float() argument must be a string or a number, not '%s'", pyTypeName(v))
}

func builtinRound(env *obj.Env, args obj.Args) (any, error) {
	v, err := args.Bind("round", []obj.Param{{Name: "number"}, {Name: "ndigits", Default: "None"}})
	if err != nil {
		return nil, err
	}
	if r, ok, err := scalar(v[0], "__float__"); err != nil {
		return nil, err
	} else if ok {
		v[0] = r
	}
	i, f, isInt, ok := number(v[0])
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "type %s doesn't define __round__ method", pyTypeName(v[0]))
	}
	if v[1] == nil {
		if isInt {
			return i, nil
		}
		if math.IsNaN(f) {
			return nil, obj.Errorf(obj.ValueError, "cannot convert float NaN to integer")
		}
		if math.IsInf(f, 0) {
			return nil, obj.Errorf(OverflowError, "cannot convert float infinity to integer")
		}
		r := math.RoundToEven(f)
		if r >= 0x1p63 || r < -0x1p63 { // gokist ints are 64-bit; Python would make a big int
			return nil, obj.Errorf(OverflowError, "round(%s): the value does not fit in a 64-bit integer", FormatFloat(f)).WithHint("keep it a float: round(x, 0) rounds without converting")
		}
		return int(r), nil
	}
	nd, _, ndInt, ok := number(v[1])
	if !ok || !ndInt {
		return nil, obj.Errorf(obj.TypeError, "'%s' object cannot be interpreted as an integer", pyTypeName(v[1]))
	}
	if isInt {
		if nd >= 0 {
			return i, nil
		}
		p := int(math.Pow10(-nd))
		r := float64(i) / float64(p)
		return int(math.RoundToEven(r)) * p, nil
	}
	if nd < 0 {
		p := math.Pow10(-nd)
		return math.RoundToEven(f/p) * p, nil
	}
	// Formatting with nd digits rounds the exact binary value half-to-even, as Python's
	// correctly rounded round() does.
	r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', nd, 64), 64)
	return r, nil
}

// itemsOf lists the items of a plain iterable.
func itemsOf(v any) ([]any, bool) {
	switch x := v.(type) {
	case *obj.List:
		return append([]any{}, *x...), true
	case *dict:
		return append([]any{}, x.keys...), true
	case *set:
		return append([]any{}, x.d.keys...), true
	case *dictView:
		return x.items(), true
	case *iterator:
		return append([]any{}, x.rest()...), true
	case obj.Tuple:
		return append([]any{}, x...), true
	case obj.List:
		return append([]any{}, x...), true
	case []any:
		return append([]any{}, x...), true
	case obj.Sequence: // runtime iterables: pathlib's generators, …
		return x.Items(), true
	case rangeValue:
		if x.length() > maxItems { // a loop takes it lazily; a list of it is too big
			return nil, false
		}
		return x.items(), true
	case string:
		out := []any{}
		for _, r := range x {
			out = append(out, string(r))
		}
		return out, true
	case map[string]any:
		out := []any{}
		for _, k := range sortedKeys(x) {
			out = append(out, k)
		}
		return out, true
	}
	return nil, false
}

// extreme is min() / max() over plain values; a single runtime argument uses its own
// min()/max() method, as numpy arrays do.
func (s *Session) extreme(name string, args obj.Args) (any, error) {
	var key, def any
	hasDefault := false
	for k, v := range args.Kw {
		switch k {
		case "key":
			key = v
		case "default":
			def, hasDefault = v, true
		default:
			return nil, obj.Errorf(obj.TypeError, "%s() got an unexpected keyword argument '%s'", name, k)
		}
	}
	var items []any
	switch len(args.Pos) {
	case 0:
		return nil, obj.Errorf(obj.TypeError, "%s expected at least 1 argument, got 0", name)
	case 1:
		if o, ok := args.Pos[0].(obj.Object); ok {
			if m := o.Type().Member(name); m != nil && m.Call != nil {
				return m.Call(s.env, o, obj.Args{})
			}
		}
		var ok bool
		items, ok = s.itemsOf(args.Pos[0])
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "'%s' object is not iterable", pyTypeName(args.Pos[0]))
		}
	default:
		items = args.Pos
	}
	if len(items) == 0 {
		if hasDefault {
			return def, nil
		}
		return nil, obj.Errorf(obj.ValueError, "%s() arg is an empty sequence", name)
	}
	keys, err := s.keyed(items, key)
	if err != nil {
		return nil, err
	}
	best, bestKey := items[0], keys[0]
	for i, v := range items[1:] {
		c, ok, err := s.orderOf(keys[i+1], bestKey)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "'%s' not supported between instances of '%s' and '%s'", map[string]string{"min": "<", "max": ">"}[name], pyTypeName(v), pyTypeName(best))
		}
		if (name == "min" && c < 0) || (name == "max" && c > 0) {
			best, bestKey = v, keys[i+1]
		}
	}
	return best, nil
}

// plainType gives the methods of plain values (str, tuple, list) that tutorials use.
func plainType(v any) *obj.Type {
	switch v.(type) {
	case string:
		return strType
	case obj.Tuple, obj.List:
		return seqType
	}
	return nil
}

func strMethod(name, doc string, params []obj.Param, f func(s string, a []any) (any, error)) *obj.Member {
	sig := name + "("
	for i, p := range params {
		if i > 0 {
			sig += ", "
		}
		sig += p.Name
		if p.Default != "" {
			sig += "=" + p.Default
		}
	}
	sig += ")"
	return &obj.Member{Name: name, Signature: sig, Doc: doc, Params: params,
		Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
			a, err := args.Bind("str."+name, params)
			if err != nil {
				return nil, err
			}
			for i, p := range params {
				if a[i] != nil {
					if _, ok := a[i].(string); !ok && p.Name != "count" && p.Name != "iterable" && p.Name != "maxsplit" {
						return nil, obj.Errorf(obj.TypeError, "str.%s() argument '%s' must be str, not %s", name, p.Name, pyTypeName(a[i]))
					}
				}
			}
			return f(recv.(string), a)
		}}
}

var strType = &obj.Type{Name: "str", Doc: "Text.", Members: []*obj.Member{
	strMethod("upper", "The text in upper case.", nil, func(s string, _ []any) (any, error) { return strings.ToUpper(s), nil }),
	strMethod("lower", "The text in lower case.", nil, func(s string, _ []any) (any, error) { return strings.ToLower(s), nil }),
	strMethod("strip", "The text without leading and trailing whitespace (or chars).", []obj.Param{{Name: "chars", Default: "None"}}, func(s string, a []any) (any, error) {
		if a[0] == nil {
			return strings.TrimSpace(s), nil
		}
		return strings.Trim(s, a[0].(string)), nil
	}),
	strMethod("split", "The words of the text, split at sep (default: runs of whitespace).", []obj.Param{{Name: "sep", Default: "None"}}, func(s string, a []any) (any, error) {
		var parts []string
		if a[0] == nil {
			parts = strings.Fields(s)
		} else {
			if a[0].(string) == "" {
				return nil, obj.Errorf(obj.ValueError, "empty separator")
			}
			parts = strings.Split(s, a[0].(string))
		}
		out := make(obj.List, len(parts))
		for i, p := range parts {
			out[i] = p
		}
		return out, nil
	}),
	strMethod("replace", "The text with every old replaced by new.", []obj.Param{{Name: "old"}, {Name: "new"}}, func(s string, a []any) (any, error) {
		return strings.ReplaceAll(s, a[0].(string), a[1].(string)), nil
	}),
	strMethod("startswith", "Whether the text starts with prefix.", []obj.Param{{Name: "prefix"}}, func(s string, a []any) (any, error) { return strings.HasPrefix(s, a[0].(string)), nil }),
	strMethod("endswith", "Whether the text ends with suffix.", []obj.Param{{Name: "suffix"}}, func(s string, a []any) (any, error) { return strings.HasSuffix(s, a[0].(string)), nil }),
	{Name: "join", Signature: "join(iterable)", Doc: "The strings of iterable joined by this text.", Params: []obj.Param{{Name: "iterable"}},
		Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
			a, err := args.Bind("str.join", []obj.Param{{Name: "iterable"}})
			if err != nil {
				return nil, err
			}
			items, ok := itemsOf(a[0])
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "can only join an iterable")
			}
			parts := make([]string, len(items))
			for i, it := range items {
				s, ok := it.(string)
				if !ok {
					return nil, obj.Errorf(obj.TypeError, "sequence item %d: expected str instance, %s found", i, pyTypeName(it))
				}
				parts[i] = s
			}
			return strings.Join(parts, recv.(string)), nil
		}},
}}

var seqType = &obj.Type{Name: "sequence", Doc: "A tuple or list.", Members: []*obj.Member{
	{Name: "index", Signature: "index(value)", Doc: "The position of the first item equal to value.", Params: []obj.Param{{Name: "value"}},
		Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
			a, err := args.Bind("index", []obj.Param{{Name: "value"}})
			if err != nil {
				return nil, err
			}
			items, _ := itemsOf(recv)
			for i, it := range items {
				if equal(it, a[0]) {
					return i, nil
				}
			}
			return nil, obj.Errorf(obj.ValueError, "%s is not in %s", Repr(a[0]), pyTypeName(recv))
		}},
	{Name: "count", Signature: "count(value)", Doc: "How many items equal value.", Params: []obj.Param{{Name: "value"}},
		Call: func(env *obj.Env, recv any, args obj.Args) (any, error) {
			a, err := args.Bind("count", []obj.Param{{Name: "value"}})
			if err != nil {
				return nil, err
			}
			items, _ := itemsOf(recv)
			n := 0
			for _, it := range items {
				if equal(it, a[0]) {
					n++
				}
			}
			return n, nil
		}},
}}

func indexOf(s, sub string) int { return strings.Index(s, sub) }

// percentFormat is `"%.2f" % x` with Python's printf-style specs.
func percentFormat(format string, arg any) (any, error) {
	var args []any
	if t, ok := arg.(obj.Tuple); ok {
		args = t
	} else {
		args = []any{arg}
	}
	var b strings.Builder
	k := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		var named any // %(key)s takes the value of key in a mapping argument
		hasKey := false
		if j < len(format) && format[j] == '(' {
			end := strings.IndexByte(format[j:], ')')
			if end < 0 {
				return nil, obj.Errorf(obj.ValueError, "incomplete format key")
			}
			d, ok := arg.(*dict)
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "format requires a mapping")
			}
			key := format[j+1 : j+end]
			v, found, err := d.get(key)
			if err != nil || !found {
				return nil, obj.Errorf("KeyError", "%s", quote(key))
			}
			named, hasKey = v, true
			format = format[:j] + format[j+end+1:]
		}
		for j < len(format) && strings.IndexByte("0123456789.-+ #", format[j]) >= 0 {
			j++
		}
		if j >= len(format) {
			return nil, obj.Errorf(obj.ValueError, "incomplete format")
		}
		verb := format[j]
		spec := format[i+1 : j]
		if len(spec) > 6 {
			return nil, obj.Errorf(obj.ValueError, "format specification %q is too wide", "%"+spec+string(verb))
		}
		i = j
		if verb == '%' {
			b.WriteByte('%')
			continue
		}
		var a any
		switch {
		case hasKey:
			a = named
		case k >= len(args):
			return nil, obj.Errorf(obj.TypeError, "not enough arguments for format string")
		default:
			a = args[k]
			k++
		}
		switch verb {
		case 's':
			fmt.Fprintf(&b, "%"+spec+"s", Str(a))
		case 'r':
			fmt.Fprintf(&b, "%"+spec+"s", Repr(a))
		case 'd', 'i':
			n, f, isInt, ok := number(a)
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "%%d format: a real number is required, not %s", pyTypeName(a))
			}
			if !isInt {
				n = int(f)
			}
			fmt.Fprintf(&b, "%"+spec+"d", n)
		case 'f', 'F', 'e', 'E', 'g', 'G', 'x', 'X', 'o':
			n, f, isInt, ok := number(a)
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "must be real number, not %s", pyTypeName(a))
			}
			if verb == 'x' || verb == 'X' || verb == 'o' {
				fmt.Fprintf(&b, "%"+spec+string(verb), n)
			} else {
				if isInt {
					f = float64(n)
				}
				if !strings.Contains(spec, ".") {
					spec += ".6"
				}
				fmt.Fprintf(&b, "%"+spec+string(verb), f)
			}
		default:
			return nil, obj.Errorf(obj.ValueError, "unsupported format character '%c'", verb)
		}
	}
	if _, mapping := arg.(*dict); k < len(args) && !mapping {
		return nil, obj.Errorf(obj.TypeError, "not all arguments converted during string formatting")
	}
	return b.String(), nil
}

// arrayLike is a runtime value with array reductions (an Array or LazyArray), which
// Python's any/all/sum would iterate along its first axis.
func (s *Session) arrayLike(v any) (ndim int, ok bool) {
	o, isObj := v.(obj.Object)
	if !isObj || o.Type().Member("ndim") == nil || o.Type().Member("sum") == nil {
		return 0, false
	}
	n, err := s.getAttr(v, "ndim")
	if err != nil {
		return 0, false
	}
	ndim, ok = n.(int)
	return ndim, ok
}

// anyAll is Python's any() and all(): over a plain iterable item by item (stopping
// early), over a 1-D array its own any()/all(); a 2-D array's rows would have an
// ambiguous truth, as in numpy.
func (s *Session) anyAll(name string, args obj.Args) (any, error) {
	v, err := args.Bind(name, []obj.Param{{Name: "iterable"}})
	if err != nil {
		return nil, err
	}
	if ndim, ok := s.arrayLike(v[0]); ok {
		if ndim > 1 {
			return nil, obj.Errorf(obj.ValueError, "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()").
				WithHint("%s() of an array takes the truth of each row; use x.%s() for every element, or x.%s(axis=…)", name, name, name)
		}
		return s.callMethod(v[0], name, obj.Args{})
	}
	items, ok := itemsOf(v[0])
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "'%s' object is not iterable", pyTypeName(v[0]))
	}
	for _, it := range items {
		t, err := truthy(it)
		if err != nil {
			return nil, err
		}
		if t == (name == "any") {
			return t, nil
		}
	}
	return name == "all", nil
}

// builtinSum is Python's sum(): start plus the items, left to right; an array is summed
// over its first axis (what iterating it gives), as numpy's arrays are by Python's sum.
func (s *Session) builtinSum(env *obj.Env, args obj.Args) (any, error) {
	v, err := args.Bind("sum", []obj.Param{{Name: "iterable"}, {Name: "start", Default: "0"}})
	if err != nil {
		return nil, err
	}
	if v[1] == nil {
		v[1] = 0
	}
	if _, isStr := v[1].(string); isStr {
		return nil, obj.Errorf(obj.TypeError, "sum() can't sum strings [use ''.join(seq) instead]")
	}
	if _, ok := s.arrayLike(v[0]); ok {
		total, err := s.callMethod(v[0], "sum", obj.Args{Kw: map[string]any{"axis": 0}})
		if err != nil {
			return nil, err
		}
		return s.binOp("+", v[1], total)
	}
	items, ok := itemsOf(v[0])
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "'%s' object is not iterable", pyTypeName(v[0]))
	}
	total := v[1]
	for _, it := range items {
		if total, err = s.binOp("+", total, it); err != nil {
			return nil, err
		}
	}
	return total, nil
}
