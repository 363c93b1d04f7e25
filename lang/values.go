package lang

import (
	"fmt"
	"gokist/runtime/numpy"
	"math"
	"reflect"
	"strconv"
	"strings"

	"gokist/obj"
	"gokist/pyfmt"
	"gokist/runtime/lazy"
)

// obj_Slice and obj_Ellipsis build the constant index parts the parser folds.
func obj_Slice(p [3]*int) obj.Slice { return obj.Slice{Start: p[0], Stop: p[1], Step: p[2]} }

var obj_Ellipsis any = obj.Ellipsis

// Repr renders a value the way Python's repr does for plain values (strings quoted,
// floats in shortest round-trip form, tuples with a trailing comma when single); a
// runtime value shows its text/plain bundle entry, or String() when it has one.
func Repr(v any) string {
	switch v.(type) {
	case *obj.List, obj.List, obj.Tuple, *dict, *set, []any, *dictView:
		return reprBounded(v, nil)
	}
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case int:
		return strconv.Itoa(x)
	case float64:
		return FormatFloat(x)
	case float32:
		// numpy's float32 repr, as np.float32 scalars from reductions print.
		return numpy.FormatFloat32(x)
	case string:
		return quote(x)
	case obj.Tuple:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = Repr(e)
		}
		if len(x) == 1 {
			return "(" + parts[0] + ",)"
		}
		return "(" + strings.Join(parts, ", ") + ")"
	case obj.List:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = Repr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []any:
		return Repr(obj.List(x))
	case map[string]any:
		keys := sortedKeys(x)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = quote(k) + ": " + Repr(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case obj.Slice:
		f := func(p *int) string {
			if p == nil {
				return "None"
			}
			return strconv.Itoa(*p)
		}
		return "slice(" + f(x.Start) + ", " + f(x.Stop) + ", " + f(x.Step) + ")"
	case obj.EllipsisType:
		return "Ellipsis"
	case *obj.Func:
		return "<function " + x.Name + ">"
	case rangeValue:
		if x.step == 1 {
			return fmt.Sprintf("range(%d, %d)", x.start, x.stop)
		}
		return fmt.Sprintf("range(%d, %d, %d)", x.start, x.stop, x.step)
	case obj.MimeBundler:
		if t, ok := x.MimeBundle()["text/plain"].(string); ok {
			return t
		}
	}
	if s, ok := v.(fmt.Stringer); ok {
		return s.String()
	}
	if o, ok := v.(obj.Object); ok {
		return "<" + o.Type().Name + " object>"
	}
	return fmt.Sprint(v)
}

// Str renders a value as Python's str(): strings unquoted, everything else as Repr.
func Str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case obj.Strer:
		return x.Str()
	}
	return Repr(v)
}

// quote renders s as Python's repr of a str.
func quote(s string) string { return pyfmt.Quote(s) }

// FormatFloat renders f as Python's repr(float): 1.0, 0.0001, 1e-05, 1e+16, inf, nan.
// It is pyfmt.Float, kept under this name for lang's callers.
func FormatFloat(f float64) string { return pyfmt.Float(f) }

// number extracts a Python number: bool counts as int, as in Python.
func number(v any) (i int, f float64, isInt, ok bool) {
	switch x := v.(type) {
	case int:
		return x, float64(x), true, true
	case bool:
		if x {
			return 1, 1, true, true
		}
		return 0, 0, true, true
	case numpy.Bool:
		return number(bool(x))
	case float64:
		return 0, x, false, true
	case float32:
		return 0, float64(x), false, true
	case int64:
		return int(x), float64(x), true, true
	case int32:
		return int(x), float64(x), true, true
	}
	return 0, 0, false, false
}

// arith applies a binary arithmetic operator to two plain numbers with Python's int and
// float semantics.
func arith(op string, a, b any) (any, bool, error) {
	ai, af, aInt, ok1 := number(a)
	bi, bf, bInt, ok2 := number(b)
	if !ok1 || !ok2 {
		return nil, false, nil
	}
	zero := func() error {
		what := "division"
		if op == "%" {
			what = "modulo"
		} else if op == "//" {
			what = "integer division or modulo"
		}
		if !aInt || !bInt {
			what = "float " + strings.TrimPrefix(what, "integer ")
		}
		return obj.Errorf(obj.ZeroDivisionError, "%s by zero", what)
	}
	if aInt && bInt {
		switch op {
		case "+":
			r := ai + bi
			if (r > ai) != (bi > 0) {
				return nil, true, intOverflow(op, ai, bi)
			}
			return r, true, nil
		case "-":
			r := ai - bi
			if (r < ai) != (bi > 0) {
				return nil, true, intOverflow(op, ai, bi)
			}
			return r, true, nil
		case "*":
			r, ok := mulInt(ai, bi)
			if !ok {
				return nil, true, intOverflow(op, ai, bi)
			}
			return r, true, nil
		case "/":
			if bi == 0 {
				return nil, true, zero()
			}
			return float64(ai) / float64(bi), true, nil
		case "//":
			if bi == 0 {
				return nil, true, zero()
			}
			if ai == math.MinInt && bi == -1 {
				return nil, true, intOverflow(op, ai, bi)
			}
			q := ai / bi
			if (ai%bi != 0) && ((ai < 0) != (bi < 0)) {
				q--
			}
			return q, true, nil
		case "%":
			if bi == 0 {
				return nil, true, zero()
			}
			m := ai % bi
			if m != 0 && ((m < 0) != (bi < 0)) {
				m += bi
			}
			return m, true, nil
		case "**":
			if bi < 0 {
				if ai == 0 {
					return nil, true, obj.Errorf(obj.ZeroDivisionError, "0.0 cannot be raised to a negative power")
				}
				return math.Pow(float64(ai), float64(bi)), true, nil
			}
			r, ok := powInt(ai, bi)
			if !ok {
				return nil, true, intOverflow(op, ai, bi)
			}
			return r, true, nil
		case "&", "|", "^":
			r := map[string]int{"&": ai & bi, "|": ai | bi, "^": ai ^ bi}[op]
			_, aBool := a.(bool)
			_, bBool := b.(bool)
			if aBool && bBool { // True & False is a bool in Python, True & 1 an int
				return r != 0, true, nil
			}
			return r, true, nil
		case "<<", ">>":
			if bi < 0 {
				return nil, true, obj.Errorf(obj.ValueError, "negative shift count")
			}
			if op == ">>" {
				return ai >> min(bi, 63), true, nil
			}
			if ai != 0 && (bi > 63 || ai<<bi>>bi != ai) {
				return nil, true, intOverflow(op, ai, bi)
			}
			return ai << bi, true, nil
		}
		return nil, false, nil
	}
	switch op {
	case "+":
		return af + bf, true, nil
	case "-":
		return af - bf, true, nil
	case "*":
		return af * bf, true, nil
	case "/":
		if bf == 0 {
			return nil, true, zero()
		}
		return af / bf, true, nil
	case "//", "%":
		if bf == 0 {
			return nil, true, zero()
		}
		div, mod := lazy.FloorDivmod(af, bf)
		if op == "%" {
			return mod, true, nil
		}
		return div, true, nil
	case "**":
		if af == 0 && bf < 0 {
			return nil, true, obj.Errorf(obj.ZeroDivisionError, "0.0 cannot be raised to a negative power")
		}
		if af < 0 && bf != math.Trunc(bf) {
			return nil, true, obj.Errorf(obj.ValueError, "negative number cannot be raised to a fractional power")
		}
		r := math.Pow(af, bf)
		if math.IsInf(r, 0) && !math.IsInf(af, 0) && !math.IsInf(bf, 0) {
			// Python: OverflowError: (34, 'Numerical result out of range').
			return nil, true, obj.Errorf(OverflowError, "%s ** %s: numerical result out of range (larger than the largest float, about 1.8e308)", Repr(a), Repr(b))
		}
		return r, true, nil
	}
	return nil, false, nil
}

// mulInt multiplies two ints, reporting whether the product fits in 64 bits.
func mulInt(a, b int) (int, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	r := a * b
	if r/b != a || (a == -1 && b == math.MinInt) || (b == -1 && a == math.MinInt) {
		return 0, false
	}
	return r, true
}

// powInt raises base to a non-negative power by squaring, reporting whether every step
// fits in 64 bits.
func powInt(base, exp int) (int, bool) {
	r := 1
	for e := exp; e > 0; e >>= 1 {
		var ok bool
		if e&1 == 1 {
			if r, ok = mulInt(r, base); !ok {
				return 0, false
			}
		}
		if e > 1 {
			if base, ok = mulInt(base, base); !ok {
				return 0, false
			}
		}
	}
	return r, true
}

// OverflowError is the class of an integer result that does not fit in 64 bits. Python
// would switch to arbitrary precision; silently wrapping around (2**64 == 0) would give
// wrong answers, so gokist says so instead.
const OverflowError = "OverflowError"

// intOverflow is the error for an integer operation whose result needs more than 64 bits.
func intOverflow(op string, a, b int) error {
	return &obj.Error{Class: OverflowError,
		Msg:  fmt.Sprintf("integer result of %d %s %d does not fit in 64 bits (gokist integers are 64-bit, unlike Python's)", a, op, b),
		Hint: fmt.Sprintf("use a float: %d.0 %s %d", a, op, b)}
}

// negateOverflow is the error of -x or abs(x) for the one 64-bit int whose negation
// does not fit.
func negateOverflow(what string, i int) error {
	return &obj.Error{Class: OverflowError,
		Msg:  fmt.Sprintf("%s(%d) does not fit in 64 bits (gokist integers are 64-bit, unlike Python's)", what, i),
		Hint: fmt.Sprintf("use a float: %s(%d.0)", what, i)}
}

// sequenceOp handles + and * on strings, tuples and lists.
func sequenceOp(op string, a, b any) (any, bool) {
	la, aList := a.(*obj.List)
	lb, bList := b.(*obj.List)
	if aList || bList {
		r, ok := sequenceOp(op, plainList(a), plainList(b))
		if l, isList := r.(obj.List); isList && (la != nil || lb != nil) {
			return &l, ok
		}
		return r, ok
	}
	switch op {
	case "+":
		switch x := a.(type) {
		case string:
			if y, ok := b.(string); ok {
				return x + y, true
			}
		case obj.Tuple:
			if y, ok := b.(obj.Tuple); ok {
				return append(append(obj.Tuple{}, x...), y...), true
			}
		case obj.List:
			if y, ok := b.(obj.List); ok {
				return append(append(obj.List{}, x...), y...), true
			}
		}
	case "*":
		a, b = plainBool(a), plainBool(b)
		if _, ok := a.(int); ok {
			a, b = b, a
		} else if _, ok := a.(bool); ok {
			a, b = b, a
		}
		n, _, isInt, ok := number(b) // True and False count 1 and 0, as in Python
		if !ok || !isInt || seqLen(a) < 0 {
			return nil, false
		}
		n = max(n, 0)
		if l := seqLen(a); l > 0 && n > maxItems/l {
			return nil, false
		}
		switch x := a.(type) {
		case string:
			return strings.Repeat(x, n), true
		case obj.Tuple:
			out := obj.Tuple{}
			for range n {
				out = append(out, x...)
			}
			return out, true
		case obj.List:
			out := obj.List{}
			for range n {
				out = append(out, x...)
			}
			return out, true
		}
	}
	return nil, false
}

// maxItems bounds sequences the language builds itself (repetition, joining, range), so
// a typo such as 'ab' * 10**12, or a cell that keeps doubling a list, is an error instead
// of exhausting memory.
const maxItems = 1 << 22

func seqLen(v any) int {
	switch x := v.(type) {
	case *obj.List:
		return len(*x)
	case string:
		return len(x)
	case obj.Tuple:
		return len(x)
	case obj.List:
		return len(x)
	}
	return -1
}

// equal is Python's == on plain values: numbers across int/float/bool, sequences
// elementwise, everything else by identity or value.
func (w *walker) eq(a, b any) bool {
	w.step()
	if t, ok := sameType(a, b); ok {
		return t
	}
	a, b = plainList(a), plainList(b)
	if da, ok := a.(*dict); ok {
		db, ok := b.(*dict)
		return ok && w.dictEq(da, db)
	}
	if sa, ok := a.(*set); ok {
		sb, ok := b.(*set)
		return ok && w.dictEq(sa.d, sb.d)
	}
	// A runtime value whose == gives a truth value (a dtype equals its name) decides, in
	// `in` and in sequence comparisons too; arrays (indexable) are not asked, their == is
	// element-wise work whose result has no single truth.
	for _, o := range [2]struct {
		self, other any
		reflected   bool
	}{{a, b, false}, {b, a, true}} {
		if _, isArray := o.self.(obj.Indexer); isArray {
			continue
		}
		if op, ok := o.self.(obj.Operand); ok {
			if r, handled, err := op.BinaryOp(nil, "==", o.other, o.reflected); handled && err == nil {
				switch t := r.(type) {
				case bool:
					return t
				case numpy.Bool:
					return bool(t)
				}
			}
		}
	}
	if _, af, _, ok := number(a); ok {
		if _, bf, _, ok := number(b); ok {
			return af == bf
		}
		return false
	}
	switch x := a.(type) {
	case obj.Tuple:
		y, ok := b.(obj.Tuple)
		return ok && w.seqEq(x, y)
	case obj.List:
		y, ok := b.(obj.List)
		return ok && w.seqEq(x, y)
	case nil:
		return b == nil
	}
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	if ta != tb {
		return false
	}
	if ta.Comparable() {
		return a == b
	}
	return reflect.DeepEqual(a, b)
}

func (w *walker) seqEq(a, b []any) bool {
	w.enter()
	defer w.leave()
	if len(a) != len(b) {
		return false
	}
	if len(a) > 0 && &a[0] == &b[0] {
		return true // the same list
	}
	for i := range a {
		if !sameObject(a[i], b[i]) && !w.eq(a[i], b[i]) {
			return false
		}
	}
	return true
}

// order compares plain values for < <= > >=: numbers, strings, tuples and lists
// lexicographically. ok is false when the kinds cannot be ordered.
func (w *walker) ord(a, b any) (cmp int, ok bool) {
	w.step()
	a, b = plainList(a), plainList(b)
	if _, af, _, ok1 := number(a); ok1 {
		if _, bf, _, ok2 := number(b); ok2 {
			switch {
			case af < bf:
				return -1, true
			case af > bf:
				return 1, true
			}
			return 0, true
		}
		return 0, false
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y), true
		}
	case obj.Tuple:
		if y, ok := b.(obj.Tuple); ok {
			return w.seqOrd(x, y)
		}
	case obj.List:
		if y, ok := b.(obj.List); ok {
			return w.seqOrd(x, y)
		}
	}
	return 0, false
}

func (w *walker) seqOrd(a, b []any) (int, bool) {
	w.enter()
	defer w.leave()
	for i := 0; i < len(a) && i < len(b); i++ {
		if sameObject(a[i], b[i]) || w.eq(a[i], b[i]) {
			continue
		}
		return w.ord(a[i], b[i])
	}
	switch {
	case len(a) < len(b):
		return -1, true
	case len(a) > len(b):
		return 1, true
	}
	return 0, true
}

// truthy is Python's bool(x) for plain values; runtime objects are true unless they
// implement truther.
func truthy(v any) (bool, error) {
	switch x := v.(type) {
	case nil:
		return false, nil
	case bool:
		return x, nil
	case int:
		return x != 0, nil
	case float64:
		return x != 0, nil
	case float32:
		return x != 0, nil
	case string:
		return x != "", nil
	case obj.Tuple:
		return len(x) > 0, nil
	case obj.List:
		return len(x) > 0, nil
	case *obj.List:
		return len(*x) > 0, nil
	case *dict:
		return len(x.keys) > 0, nil
	case *set:
		return len(x.d.keys) > 0, nil
	case map[string]any:
		return len(x) > 0, nil
	case rangeValue:
		return x.length() > 0, nil
	case truther:
		return x.Truth()
	}
	return true, nil
}

// truther is implemented by runtime values whose truth is not simply "exists", such as
// arrays (numpy raises for more than one element).
type truther interface {
	Truth() (bool, error)
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortStrings(keys)
	return keys
}

// pyTypeName is the Python name of v's type for messages and type(): obj.TypeName, plus
// the plain Go values lang uses for Python ones that obj does not know (dict literals
// are map[string]any, keyword lists []any), which it would name by their Go type, and
// float32, the runtime's numpy float32 scalar.
func pyTypeName(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return "dict"
	case []any, *obj.List:
		return "list"
	case *excValue:
		return x.class.name
	case *excClass:
		return "type"
	case float32:
		return "numpy.float32"
	case numpy.Bool:
		return "numpy.bool_"
	}
	return obj.TypeName(v)
}

// plainBool gives a numpy bool scalar as Python's bool, for the places Python takes a
// bool as the int 0 or 1 (an index, a slice bound, a repeat count, a format spec); any
// other value is returned as it is.
func plainBool(v any) any {
	if b, ok := v.(numpy.Bool); ok {
		return bool(b)
	}
	return v
}
