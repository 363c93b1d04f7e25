package lang

import (
	"errors"
	"fmt"
	"math"
	"unicode"

	"gokist/obj"
)

// excParents is the exception class tree as Python has it, for the classes the kernel
// raises; a class not listed derives from Exception. Interrupted derives from
// BaseException as KeyboardInterrupt does, so `except Exception` never swallows an
// interrupt.
var excParents = map[string]string{
	"Exception": "BaseException", "KeyboardInterrupt": "BaseException", obj.Interrupted: "BaseException",
	"ArithmeticError": "Exception", "ZeroDivisionError": "ArithmeticError", OverflowError: "ArithmeticError",
	"LookupError": "Exception", "IndexError": "LookupError", "KeyError": "LookupError",
	"NameError": "Exception", "UnboundLocalError": "NameError",
	"ErfaError": "ValueError", "OperandTypeError": "TypeError", "ScaleValueError": "Exception", // astropy.time's
	"RuntimeError": "Exception", "RecursionError": "RuntimeError", "NotImplementedError": "RuntimeError",
	"OSError": "Exception", "FileNotFoundError": "OSError", "PermissionError": "OSError", "FileExistsError": "OSError",
	"UnitsError": "ValueError", "UnitConversionError": "UnitsError", "UnicodeError": "ValueError",
	// numpy's: AxisError is also an IndexError in numpy (one parent here).
	"AxisError": "ValueError", "UFuncTypeError": "TypeError",
	"ValueError": "Exception", "TypeError": "Exception", "AttributeError": "Exception", "AssertionError": "Exception",
	"StopIteration": "Exception", "MemoryError": "Exception", "SyntaxError": "Exception", "FITSError": "Exception",
	"Warning": "Exception", "UserWarning": "Warning", "DeprecationWarning": "Warning", "RuntimeWarning": "Warning",
	"FutureWarning": "Warning", "PendingDeprecationWarning": "Warning", "SyntaxWarning": "Warning", "ImportWarning": "Warning",
	"UnicodeWarning": "Warning", "BytesWarning": "Warning", "ResourceWarning": "Warning", "EncodingWarning": "Warning",
	// astropy's UnitTypeError is also a TypeError, which one parent cannot say.
	"UnitTypeError": "UnitsError",
	"ConvertError":  "Exception", // astropy.coordinates
}

// excClass is an exception class as a value (`ValueError`), which `raise` and `except`
// take; calling it makes an exception value.
type excClass struct{ name string }

var excClassType = &obj.Type{Name: "type", Doc: "An exception class.", Members: []*obj.Member{
	{Name: "__name__", Get: func(_ *obj.Env, r any) (any, error) { return r.(*excClass).name, nil }},
}}

func (c *excClass) Type() *obj.Type { return excClassType }
func (c *excClass) String() string  { return "<class '" + c.name + "'>" }

// Call makes an exception value, as ValueError("bad") does.
func (c *excClass) Call(_ *obj.Env, args obj.Args) (any, error) {
	if len(args.Kw) > 0 {
		return nil, obj.Errorf(obj.TypeError, "%s() takes no keyword arguments", c.name)
	}
	return &excValue{class: c, args: append([]any{}, args.Pos...)}, nil
}

// libraryParents are the classes of the packages gokist stands in for (astropy, erfa,
// dkist, matplotlib), known to except and the warning filters but not bound as builtins;
// importable from their modules (warningClassModules).
var libraryParents = map[string]string{
	"AstropyWarning": "Warning", "AstropyUserWarning": "UserWarning", "AstropyDeprecationWarning": "AstropyWarning",
	"AstropyPendingDeprecationWarning": "PendingDeprecationWarning", "ErfaWarning": "UserWarning",
	"IERSDegradedAccuracyWarning": "AstropyWarning", "TimeDeltaMissingUnitWarning": "AstropyDeprecationWarning",
	"DKISTDeprecationWarning": "DeprecationWarning", "MatplotlibDeprecationWarning": "DeprecationWarning",
}

// secondParents are the second bases of classes with two (Python's multiple
// inheritance): numpy's AxisError is also an IndexError, astropy's UnitTypeError a
// TypeError, AstropyUserWarning an AstropyWarning.
var secondParents = map[string]string{
	"AxisError": "IndexError", "UnitTypeError": "TypeError",
	"AstropyUserWarning": "AstropyWarning", "AstropyPendingDeprecationWarning": "AstropyWarning",
}

// subclassOf reports whether class name derives from base.
func subclassOf(name, base string) bool { return derives(name, base, 0) }

func derives(name, base string, depth int) bool {
	if name == base {
		return true
	}
	if name == "BaseException" || depth > 20 {
		return false
	}
	p, ok := excParents[name]
	if !ok {
		if p, ok = libraryParents[name]; !ok {
			p = "Exception"
		}
	}
	if second, ok := secondParents[name]; ok && derives(second, base, depth+1) {
		return true
	}
	return derives(p, base, depth+1)
}

// excValue is an exception as a value: what `except E as e` binds and `raise` raises.
type excValue struct {
	class *excClass
	args  []any
}

func (e *excValue) Type() *obj.Type {
	return &obj.Type{Name: e.class.name, Members: []*obj.Member{{Name: "args", Get: func(*obj.Env, any) (any, error) {
		return obj.Tuple(e.args), nil
	}}}}
}

// Str is str(e): the message, as Python gives it for one argument.
func (e *excValue) Str() string {
	switch len(e.args) {
	case 0:
		return ""
	case 1:
		if e.class.name == "KeyError" {
			return Repr(e.args[0])
		}
		return Str(e.args[0])
	}
	return Repr(obj.Tuple(e.args))
}

func (e *excValue) String() string {
	parts := ""
	for i, a := range e.args {
		if i > 0 {
			parts += ", "
		}
		parts += Repr(a)
	}
	return e.class.name + "(" + parts + ")"
}

// exceptionClasses are the names bound at session start.
func exceptionClasses() map[string]any {
	out := map[string]any{"BaseException": &excClass{"BaseException"}}
	for name := range excParents {
		if name != obj.Interrupted {
			out[name] = &excClass{name}
		}
	}
	return out
}

// excOf is the exception value of a cell error, for `except … as e`.
func excOf(e *Error) *excValue {
	var v *excValue
	if errors.As(e.Err, &v) {
		return v
	}
	return &excValue{class: &excClass{e.Class}, args: []any{e.Msg}}
}

// matches reports whether the error is caught by an except clause's class value (a
// class or a tuple of classes).
func matches(e *Error, class any) (bool, error) {
	switch c := class.(type) {
	case *excClass:
		return subclassOf(e.Class, c.name), nil
	case obj.Tuple:
		for _, x := range c {
			if ok, err := matches(e, x); ok || err != nil {
				return ok, err
			}
		}
		return false, nil
	}
	return false, obj.Errorf(obj.TypeError, "catching classes that do not inherit from BaseException is not allowed")
}

func (s *Session) execTry(st *stmt, c *compiled) (v any, k ctl, err *Error) {
	if st.hasFinal {
		defer func() {
			fv, fk, ferr := s.execBlock(st.final)
			if ferr != nil || fk != ctlNone { // the finally block's own exit wins
				v, k, err = fv, fk, ferr
			}
		}()
	}
	v, k, err = s.execBlock(st.body)
	if err == nil {
		if k != ctlNone {
			return v, k, nil
		}
		return s.execBlock(st.orelse)
	}
	if err.Class == obj.Interrupted || err.Class == obj.SyntaxError {
		return nil, ctlNone, err
	}
	for _, h := range st.handlers {
		if h.class >= 0 {
			cls, cerr := s.eval(c.aux[h.class], h.pos)
			if cerr != nil {
				return nil, ctlNone, cerr
			}
			ok, merr := matches(err, cls)
			if merr != nil {
				return nil, ctlNone, fromRuntime(s.src, h.pos, merr)
			}
			if !ok {
				continue
			}
		}
		if h.name != "" {
			s.setName(h.name, excOf(err))
		}
		s.handling = append(s.handling, err)
		v, k, herr := s.execBlock(h.body)
		s.handling = s.handling[:len(s.handling)-1]
		if h.name != "" {
			s.deleteName(h.name)
		}
		return v, k, herr
	}
	return nil, ctlNone, err
}

func (s *Session) execRaise(st *stmt, c *compiled) *Error {
	if c.value == nil {
		if len(s.handling) == 0 {
			return newError(s.src, st.pos, obj.RuntimeError, "No active exception to reraise", "", nil)
		}
		return s.handling[len(s.handling)-1]
	}
	v, err := s.eval(c.value, st.pos)
	if err != nil {
		return err
	}
	if cls, ok := v.(*excClass); ok {
		v = &excValue{class: cls}
	}
	e, ok := v.(*excValue)
	if !ok {
		return newError(s.src, st.pos, obj.TypeError, "exceptions must derive from BaseException", "", nil)
	}
	if len(c.aux) > 0 {
		if _, err := s.eval(c.aux[0], st.pos); err != nil {
			return err
		}
	}
	return newError(s.src, st.pos, e.class.name, e.Str(), "", e)
}

// execWith runs a with statement over the runtime's context managers.
func (s *Session) execWith(st *stmt, c *compiled) (v any, k ctl, err *Error) {
	var entered []obj.ContextManager
	defer func() {
		for i := len(entered) - 1; i >= 0; i-- {
			var cause error
			if err != nil {
				cause = err
			}
			if xerr := entered[i].Exit(s.env, cause); xerr != nil && err == nil {
				v, k, err = nil, ctlNone, fromRuntime(s.src, st.pos, xerr)
			}
		}
	}()
	for i, p := range c.aux {
		m, eerr := s.eval(p, st.pos)
		if eerr != nil {
			return nil, ctlNone, eerr
		}
		cm, ok := m.(obj.ContextManager)
		if !ok {
			return nil, ctlNone, newError(s.src, st.aux[i].Location().From, obj.TypeError,
				fmt.Sprintf("'%s' object does not support the context manager protocol", pyTypeName(m)), "", nil)
		}
		val, xerr := cm.Enter(s.env)
		if xerr != nil {
			return nil, ctlNone, fromRuntime(s.src, st.pos, xerr)
		}
		entered = append(entered, cm)
		if as := st.withAs[i]; as.kind != -1 {
			var none []*vmProgram
			if err := s.assign(as, val, &none); err != nil {
				return nil, ctlNone, err
			}
		}
	}
	return s.execBlock(st.body)
}

// Error makes an exception value an error, carried inside the cell Error it raises.
func (e *excValue) Error() string { return e.class.name + ": " + e.Str() }

// suggestName is CPython's rule for "Did you mean": the candidate with the smallest
// Levenshtein distance, where a case change costs 1 and any other edit 2, within
// (len(name)+len(candidate)+3)*2/6; so `zip` suggests nothing rather than `min`.
func suggestName(name string, candidates []string) string {
	const moveCost, caseCost = 2, 1
	if len(name) > 40 {
		return ""
	}
	best, bestD := "", math.MaxInt
	for _, c := range candidates {
		if c == name || len(c) > 40 {
			continue
		}
		maxD := (len(name) + len(c) + 3) * moveCost / 6
		if bestD-1 < maxD {
			maxD = bestD - 1
		}
		d := levenshtein(name, c, moveCost, caseCost)
		if d > maxD {
			continue
		}
		best, bestD = c, d
	}
	return best
}

func levenshtein(a, b string, moveCost, caseCost int) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j * moveCost
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i * moveCost
		for j := 1; j <= len(b); j++ {
			sub := moveCost
			switch {
			case a[i-1] == b[j-1]:
				sub = 0
			case unicode.ToLower(rune(a[i-1])) == unicode.ToLower(rune(b[j-1])):
				sub = caseCost
			}
			cur[j] = min(prev[j]+moveCost, cur[j-1]+moveCost, prev[j-1]+sub)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// The modules that hold the library classes, for `from astropy.utils.exceptions import
// AstropyWarning` and `from erfa import ErfaWarning`.
func init() {
	classes := func(names ...string) map[string]any {
		out := map[string]any{}
		for _, n := range names {
			out[n] = &excClass{n}
		}
		return out
	}
	obj.RegisterModule("astropy.utils.exceptions", func(obj.ModuleScope) (any, error) {
		return newModule("astropy.utils.exceptions", "astropy's warning and exception classes.", classes("AstropyWarning", "AstropyUserWarning",
			"AstropyDeprecationWarning", "AstropyPendingDeprecationWarning", "ErfaWarning", "ErfaError")), nil
	})
	obj.RegisterModule("erfa", func(obj.ModuleScope) (any, error) {
		return newModule("erfa", "pyerfa's warning and exception classes (its routines run inside astropy.time).", classes("ErfaWarning", "ErfaError")), nil
	})
}
