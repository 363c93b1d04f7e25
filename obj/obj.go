package obj

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Tuple is a Python tuple: `(1, 1, 7)`, `(5,)`, and the key of a multi-index `x[0, 1:3]`.
type Tuple []any

// List is a Python list `[1, 2]`.
type List []any

// Slice is a Python slice `start:stop:step`; nil fields were omitted in the source.
type Slice struct {
	Start, Stop, Step *int
}

// EllipsisType is the type of Ellipsis (`...`).
type EllipsisType struct{}

// Ellipsis is the value of `...` in an index.
var Ellipsis = EllipsisType{}

// String renders the slice as Python source.
func (s Slice) String() string {
	f := func(p *int) string {
		if p == nil {
			return ""
		}
		return fmt.Sprint(*p)
	}
	out := f(s.Start) + ":" + f(s.Stop)
	if s.Step != nil {
		out += ":" + f(s.Step)
	}
	return out
}

// Indices resolves the slice against a sequence of length n as Python's
// slice.indices does: start and stop clamped into range (-1 … n-1 for a negative step,
// 0 … n otherwise), negative positions counting from the end. A zero step is
// Python's ValueError.
func (s Slice) Indices(n int) (start, stop, step int, err error) {
	step = 1
	if s.Step != nil {
		step = *s.Step
	}
	if step == 0 {
		return 0, 0, 0, Errorf(ValueError, "slice step cannot be zero")
	}
	lo, hi := 0, n // the range of a clamped position
	if step < 0 {
		lo, hi = -1, n-1
	}
	clamp := func(p *int, def int) int {
		if p == nil {
			return def
		}
		v := *p
		if v < 0 {
			v += n
		}
		return min(max(v, lo), hi)
	}
	if step > 0 {
		return clamp(s.Start, 0), clamp(s.Stop, n), step, nil
	}
	return clamp(s.Start, n-1), clamp(s.Stop, -1), step, nil
}

// Args are the arguments of a call: positional values in order and keyword values.
// Value kinds crossing the boundary are: nil (None), bool, int, float64, string, Tuple,
// List, Slice, Ellipsis, *Func, and Objects.
type Args struct {
	Pos []any
	Kw  map[string]any
}

// Param describes one parameter of a function or method, for help, completion and
// argument binding.
type Param struct {
	Name    string
	Default string // Python source of the default, "" when required
}

// Bind maps a call's arguments onto params in order (positional first, then keywords),
// returning a value per parameter (nil where absent) or a TypeError naming the function.
func (a Args) Bind(fn string, params []Param) ([]any, error) {
	out := make([]any, len(params))
	set := make([]bool, len(params))
	if len(a.Pos) > len(params) {
		return nil, Errorf(TypeError, "%s() takes %d positional arguments but %d were given", fn, len(params), len(a.Pos))
	}
	for i, v := range a.Pos {
		out[i], set[i] = v, true
	}
	for k, v := range a.Kw {
		found := false
		for i, p := range params {
			if p.Name == k {
				if set[i] {
					return nil, Errorf(TypeError, "%s() got multiple values for argument '%s'", fn, k)
				}
				out[i], set[i], found = v, true, true
				break
			}
		}
		if !found {
			names := make([]string, len(params))
			for i, p := range params {
				names[i] = p.Name
			}
			e := Errorf(TypeError, "%s() got an unexpected keyword argument '%s'", fn, k)
			if s := Closest(k, names); s != "" {
				e.Hint = fmt.Sprintf("did you mean `%s`?", s)
			}
			return nil, e
		}
	}
	for i, p := range params {
		if !set[i] && p.Default == "" {
			return nil, Errorf(TypeError, "%s() missing required argument: '%s'", fn, p.Name)
		}
	}
	return out, nil
}

// Env is what a running cell gives to the runtime: cancellation, where output goes, and
// the session's long-lived services (the executor's Client, the plot state) by name.
type Env struct {
	Ctx      context.Context
	Out      Output
	Services map[string]any
}

// Context returns the cell's context, or Background when none was set.
func (e *Env) Context() context.Context {
	if e == nil || e.Ctx == nil {
		return context.Background()
	}
	return e.Ctx
}

// Service returns the session service registered under name, or nil.
func (e *Env) Service(name string) any {
	if e == nil || e.Services == nil {
		return nil
	}
	return e.Services[name]
}

// Output receives what a cell shows while it runs. The kernel implements it with iopub
// messages; tests and `gokist run` may collect it.
type Output interface {
	// Stream appends text to "stdout" or "stderr".
	Stream(name, text string)
	// Display shows a mime bundle (keys such as "text/plain", "text/html", "image/png"
	// with base64 text) with its metadata; a non-empty displayID with update=true replaces
	// an earlier display with the same id.
	Display(bundle map[string]any, metadata map[string]any, displayID string, update bool)
	// ClearOutput clears the cell's output, now or (wait) when new output arrives.
	ClearOutput(wait bool)
	// Page shows text in the notebook's pager (help through `x?`).
	Page(text string)
	// Progress reports the state of a long computation; the receiver decides whether
	// and how to show it (the kernel shows a bar after about half a second).
	Progress(p Progress)
}

// Progress is the state of one compute or render.
type Progress struct {
	Label       string        // what runs, e.g. "compute sum"
	Done, Total int           // tasks (chunks, or parts of chunks)
	Bytes       int64         // bytes read so far
	Elapsed     time.Duration // since the start
	Finished    bool          // the last report of this computation (completed or stopped)
	// Stopped marks a last report (Finished is set too) of a computation that ended
	// early, cancelled or failed: Done may be below Total and the result is not there.
	// A Finished report without Stopped means every chunk was done.
	Stopped bool
}

// Discard is an Output that drops everything; handy in tests and benchmarks.
type Discard struct{}

// Stream drops text.
func (Discard) Stream(string, string) {}

// Display drops the bundle.
func (Discard) Display(map[string]any, map[string]any, string, bool) {}

// ClearOutput does nothing.
func (Discard) ClearOutput(bool) {}

// Page drops text.
func (Discard) Page(string) {}

// Progress drops the report.
func (Discard) Progress(Progress) {}

// Member is one method or attribute of a runtime type. Exactly one of Get and Call is set;
// Set is set only where assignment `obj.name = v` is allowed.
type Member struct {
	Name      string
	Signature string // Python-style, e.g. "rebin(bin_shape, operation='mean')"
	Doc       string
	Params    []Param // for keyword completion and Bind; methods only
	Get       func(env *Env, recv any) (any, error)
	Call      func(env *Env, recv any, args Args) (any, error)
	Set       func(env *Env, recv any, value any) error
}

// Type is the member table of one runtime type: adding a method is one entry here.
type Type struct {
	Name      string // Python-facing type name, e.g. "Dataset"
	Doc       string
	Signature string // constructor signature when the type is callable, e.g. "Client(n_workers=None)"
	Members   []*Member
	byName    map[string]*Member
}

// Member finds a member by name, or nil.
func (t *Type) Member(name string) *Member {
	if t.byName == nil || len(t.byName) != len(t.Members) {
		t.byName = make(map[string]*Member, len(t.Members))
		for _, m := range t.Members {
			t.byName[m.Name] = m
		}
	}
	return t.byName[name]
}

// Names lists the member names, sorted, for completion and "did you mean".
func (t *Type) Names() []string {
	out := make([]string, 0, len(t.Members))
	for _, m := range t.Members {
		if !strings.HasPrefix(m.Name, "_") {
			out = append(out, m.Name)
		}
	}
	sort.Strings(out)
	return out
}

// Object is any runtime value with a member table (Dataset, LazyArray, modules, ...).
type Object interface {
	Type() *Type
}

// Func is a callable value: a builtin, a module function such as plt.plot, or a bound
// method taken as a value (`f = ds.rebin`).
type Func struct {
	Name      string
	Signature string
	Doc       string
	Params    []Param
	Call      func(env *Env, args Args) (any, error)
}

// Sequence is implemented by iterable values of the language that are not a Tuple or
// List, such as range(…), so that the runtime can take them where numpy takes any
// sequence (plt.plot(range(10))).
type Sequence interface {
	Items() []any
}

// MimeBundler is implemented by values that display richly; the bundle has at least
// "text/plain", and may have "text/html" or "image/png" (base64 text).
type MimeBundler interface {
	MimeBundle() map[string]any
}

// Strer is implemented by values whose str() (print, f"{x}") differs from their repr, as
// numpy arrays print without `array(…)` and astropy coordinates as "630.07 nm".
type Strer interface {
	Str() string
}

// SpecFormatter is implemented by values that take a format spec, f"{x:.2f}", as astropy
// quantities format their number and append the unit. An empty spec is str().
type SpecFormatter interface {
	FormatSpec(spec string) (string, error)
}

// Indexer is implemented by values that support `x[key]`; key is an int, Slice,
// Ellipsis, or a Tuple of those.
type Indexer interface {
	GetItem(env *Env, key any) (any, error)
}

// Operand is implemented by values that take part in arithmetic (`+ - * / // % **`,
// comparisons). BinaryOp is called with the value on the left (reflected=false) or on the
// right (reflected=true) of op; it returns handled=false when it does not support the
// other operand.
type Operand interface {
	BinaryOp(env *Env, op string, other any, reflected bool) (result any, handled bool, err error)
}

// UnaryOperand is implemented by values that support unary `-`, `+` and `abs`.
type UnaryOperand interface {
	UnaryOp(env *Env, op string) (any, error)
}

// Error classes, as Python names them; lang shows them as the error's name.
const (
	SyntaxError       = "SyntaxError"
	NameError         = "NameError"
	TypeError         = "TypeError"
	IndexError        = "IndexError"
	ValueError        = "ValueError"
	AttributeError    = "AttributeError"
	FileNotFoundError = "FileNotFoundError"
	PermissionError   = "PermissionError"
	FITSError         = "FITSError"
	Interrupted       = "Interrupted"
	ZeroDivisionError = "ZeroDivisionError"
	RuntimeError      = "RuntimeError"
)

// Error is an error with a Python-like class, a message and an optional hint (the fix,
// when known). lang adds the cell position.
type Error struct {
	Class string
	Msg   string
	Hint  string
	Err   error // the underlying error, if any
}

// Errorf makes an *Error of class with a formatted message.
func Errorf(class, format string, args ...any) *Error {
	return &Error{Class: class, Msg: fmt.Sprintf(format, args...)}
}

// Error renders "Class: message".
func (e *Error) Error() string { return e.Class + ": " + e.Msg }

// Unwrap gives the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// WithHint returns e with a hint set.
func (e *Error) WithHint(format string, args ...any) *Error {
	e.Hint = fmt.Sprintf(format, args...)
	return e
}

// Closest returns the candidate nearest to name by edit distance when it is close enough
// to be a likely typo, or "".
func Closest(name string, candidates []string) string {
	best, bestD := "", len(name)/2+2
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(name), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD > 2 && !strings.HasPrefix(best, name) {
		return ""
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// TypeName gives the Python-facing type name of a boundary value.
func TypeName(v any) string {
	switch x := v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case Tuple:
		return "tuple"
	case List, []any:
		return "list"
	case map[string]any:
		return "dict"
	case float32:
		return "numpy.float32"
	case Slice:
		return "slice"
	case EllipsisType:
		return "ellipsis"
	case *Func:
		return "function"
	case Object:
		return x.Type().Name
	}
	return fmt.Sprintf("%T", v)
}

// ContextManager is implemented by runtime values that a `with` statement takes, such as
// plt.rc_context(…): Enter runs at the start of the block and gives the `as` value; Exit
// runs when the block ends, with the error that ended it or nil.
type ContextManager interface {
	Enter(env *Env) (any, error)
	Exit(env *Env, err error) error
}
