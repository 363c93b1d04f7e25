// Package lang owns gokist's cell language: a tokenizer and recursive-descent parser for
// the statement subset of Python that notebooks use (indented blocks, functions,
// comprehensions, IPython magics), whose expressions are expr-lang/expr ast nodes built
// directly; the session that runs statements itself (block.go, exec.go) and
// expressions as compiled expr programs against the running scope's names (a function
// call or comprehension has its own scope; names it does not bind are looked up in the
// enclosing ones, as Python's closures do); the language's values (mutable lists,
// ordered dicts, sets, functions, exceptions) and builtins as CPython 3.11 has them;
// the runtime reached through obj member tables; Python-like errors with
// positions and hints; and the kernel's completion, inspection and is-complete queries.
package lang

import (
	"context"
	"errors"
	"fmt"
	"gokist/runtime/numpy"
	"sync"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	exprparser "github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"gokist/obj"
	"gokist/runtime"
	"gokist/runtime/plot"
)

// Session is one kernel session: the global names of the cells run so far, the
// session's services (plot state, executor client) and a compiled-helper configuration.
// Its methods are safe for use from several goroutines; they run one at a time.
type Session struct {
	mu       sync.Mutex
	globals  map[string]any
	services map[string]any
	config   *conf.Config
	vms      []*vm.VM // one per nesting of program runs (see vmFor)
	running  int      // program runs in progress
	frame    *frame   // the running scope
	module   *frame   // the module scope, whose locals are globals
	calls    int      // user function calls and comprehensions in progress
	handling []*Error // the errors being handled by except blocks, innermost last
	// langFuncs are the builtins of the language, which take its own values (mutable
	// lists, dicts, functions) as they are.
	langFuncs map[*obj.Func]bool
	listT     *obj.Type // the methods of lists (see listType)
	// count is the execution count of the last cell kept in the history: the kernel's
	// execution_count (ExecuteNumbered), or one more per Execute with an output.
	count int
	grown int       // bytes of container growth since the last memory check (see grow)
	in    *obj.List // In: the cells' code, In[0] == ''
	out   *dict     // Out: the displayed results by execution count
	store bool      // the running cell is kept in In/Out and _
	// unbinds counts the events that may unbind a module-level name (del, the end of an
	// except clause, a new cell): a statement's check of its names holds until it moves.
	unbinds uint64
	noFast  bool            // every value through expr's VM (tests compare the two paths)
	env     *obj.Env        // the running cell's environment
	done    <-chan struct{} // the cell context's Done, checked at every statement and iteration
	src     string          // the running cell's source
	stderr  *stream
	stdout  *stream
	// initialNames are the names bound at session start, which imports bind again.
	initialNames map[string]any
}

// cellFlusher is implemented by the plot state: at the end of every cell it shows the
// figures drawn on during the cell, returning render errors after showing the rest.
type cellFlusher interface {
	FlushCell(out obj.Output) error
}

// newPyplot makes the `plt` value and "plot" service.
var newPyplot = func() any { return plot.NewPyplot() }

// NewSession starts a session with the runtime's names, the language's builtins and
// `plt` bound.
func NewSession() *Session {
	s := &Session{
		globals:  map[string]any{},
		services: map[string]any{obj.WarningsService: &warningFilters{}},
		stdout:   &stream{name: "stdout"},
		stderr:   &stream{name: "stderr"},
	}
	s.config = s.newConfig()
	s.module = &frame{locals: s.globals}
	s.frame = s.module
	for name, v := range exceptionClasses() {
		s.globals[name] = v
	}
	s.langFuncs = map[*obj.Func]bool{}
	s.initContainerMethods()
	b := s.builtins()
	for name, v := range s.moreBuiltins() {
		b[name] = v
	}
	for name, v := range b {
		s.globals[name] = v
		if f, ok := v.(*obj.Func); ok {
			s.langFuncs[f] = true
		}
	}
	for name, v := range runtime.Builtins() {
		s.globals[name] = v
	}
	s.in, s.out = newList([]any{""}), newDict()
	s.unbinds = 1 // above every new statement's checkedAt (0): the first run checks
	for name, v := range map[string]any{"In": s.in, "Out": s.out, "_": "", "__": "", "___": "", "_ih": s.in, "_oh": s.out} {
		s.globals[name] = v
	}
	s.initialNames = make(map[string]any, len(s.globals))
	for k, v := range s.globals {
		s.initialNames[k] = v
	}
	if newPyplot != nil {
		s.bindPyplot(newPyplot())
	}
	return s
}

// bind adds a name to the session's initial scope, where imports find it too.
func (s *Session) bind(name string, v any) {
	s.globals[name] = v
	s.initialNames[name] = v
}

// bindPyplot binds `plt` and registers it as the "plot" service, whose FlushCell runs
// at the end of every cell.
func (s *Session) bindPyplot(plt any) {
	s.bind("plt", plt)
	s.services[plot.ServiceName] = plt
}

// Execute runs one cell. Output (print, display, plots, help pager, progress) goes to
// out. result is the mime bundle of the final bare expression's value (nil when the cell
// has none, the value is None, or it is a plot handle). err is a *Error or nil.
// Cancelling ctx stops evaluation with an Error of class "Interrupted".
func (s *Session) Execute(ctx context.Context, code string, out obj.Output) (result map[string]any, err error) {
	count := 0
	if _, discard := out.(obj.Discard); !discard {
		count = -1
	}
	return s.ExecuteNumbered(ctx, code, count, out)
}

// ExecuteNumbered runs a cell as Execute does, numbering it in IPython's history (In[n],
// Out[n], _n) as the kernel's execution_count n; n == 0 keeps it out of the history (a
// silent or store_history=False request), n < 0 numbers it after the last one.
func (s *Session) ExecuteNumbered(ctx context.Context, code string, count int, out obj.Output) (result map[string]any, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if out == nil {
		out = obj.Discard{}
	}
	if ctx == nil {
		ctx = context.Background()
	}
	s.env = &obj.Env{Ctx: ctx, Out: out, Services: s.services}
	s.src = code
	s.unbinds++
	s.services[obj.WarningsService].(*warningFilters).cell++
	s.frame, s.calls, s.running, s.handling = s.module, 0, 0, nil
	s.done = ctx.Done()
	defer func() {
		if r := recover(); r != nil {
			result, err = nil, newError(code, -1, obj.RuntimeError, fmt.Sprint(r), "this is a bug in gokist; please report the cell that caused it", nil)
		}
		if f, ok := s.services[plot.ServiceName].(cellFlusher); ok {
			ferr := func() (ferr error) {
				defer func() {
					if r := recover(); r != nil {
						ferr = fmt.Errorf("rendering the cell's figures: %v", r)
					}
				}()
				return f.FlushCell(out)
			}()
			// A figure that fails to render is the cell's error unless it already has one.
			if ferr != nil && err == nil {
				result, err = nil, fromRuntime(code, -1, ferr)
			}
		}
		s.env = nil
	}()
	s.store = count != 0
	if s.store {
		s.numberCell(code, count)
	}
	value, hasValue, lerr := s.run(code)
	if lerr != nil {
		return nil, lerr
	}
	// A trailing `;` hides the value, as in IPython (`ax.plot(x);`).
	if !hasValue || value == nil || isPlotHandle(value) || lastCodeChar(code) == ';' {
		return nil, nil
	}
	s.keepResult(value)
	return bundle(value), nil
}

// run parses, checks, compiles and runs a cell, returning the final bare expression's
// value.
func (s *Session) run(code string) (any, bool, *Error) {
	stmts, mg, serr := parseCellMagics(code)
	if serr != nil {
		return nil, false, newError(code, serr.pos, obj.SyntaxError, serr.msg, serr.hint, nil)
	}
	// Names are checked and statements compiled one at a time, just before each runs, so
	// that, as in Python, the statements before an undefined name have run when its
	// NameError is reported (a syntax error anywhere still stops the whole cell first).
	var last any
	hasValue := false
	runAll := func() *Error {
		for _, st := range stmts {
			v, err := s.runTopLevel(st)
			if err != nil {
				return err
			}
			last, hasValue = v, st.kind == stmtExpr && (st.magic == nil || st.magic.name == "time")
		}
		return nil
	}
	var err *Error
	switch mg.cell {
	case "time":
		err = s.timed(runAll)
	case "timeit":
		err = s.timeit(mg.cellArgs, runAll)
		hasValue = false
	default:
		err = runAll()
	}
	if err != nil {
		return nil, false, err
	}
	return last, hasValue, nil
}

// runTopLevel runs one statement of the cell, under its line magic if it has one.
func (s *Session) runTopLevel(st *stmt) (v any, err *Error) {
	switch {
	case st.magic == nil:
	case st.magic.name == "time":
		err = s.timed(func() *Error {
			v, _, err = s.execStmt(st)
			return err
		})
		return v, err
	case st.magic.name == "timeit":
		return nil, s.timeit(st.magic.args, func() *Error {
			_, _, err := s.execStmt(st)
			return err
		})
	}
	v, _, err = s.execStmt(st)
	return v, err
}

// compiled holds the programs of one statement: its value, and for attribute or item
// targets the object and key of each target in order.
type compiled struct {
	value     *vm.Program
	fast      fastExpr  // value without the VM, when it is simple enough (see fastExpr)
	loop      *fastLoop // a for statement's body on slots (see fastLoop), once loopTried
	loopTried bool
	targets   []*vm.Program
	aux       []*vm.Program // the statement's aux expressions, in order (nil for a nil one)
}

// check reports, before st runs, a name it uses that is not in scope (NameError with the
// closest name in scope) and an import of an unknown module.
func (s *Session) check(code string, st *stmt) *Error {
	for _, u := range st.uses {
		if _, ok := s.globals[u.name]; ok {
			continue
		}
		return newError(code, u.pos, obj.NameError, fmt.Sprintf("name '%s' is not defined", u.name), s.nameHint(u.name), nil)
	}
	if st.kind == stmtImport {
		for _, b := range st.imports {
			if _, err := s.resolveImport(b); err != nil {
				return fromRuntime(code, b.pos, err)
			}
		}
	}
	return nil
}

// importHints suggest the import that binds a well-known name.
var importHints = map[string]string{
	"sys":     "add `import sys`",
	"np":      "add `import numpy as np`",
	"numpy":   "add `import numpy`",
	"u":       "astropy units are written as strings here, e.g. `.to(\"nm\")`",
	"dask":    "add `import dask.distributed`",
	"IPython": "add `from IPython.display import display`",
}

// newConfig builds the expr configuration: no expr builtins (the language binds its own
// with Python semantics), and the lowering's helper functions.
func (s *Session) newConfig() *conf.Config {
	c := conf.CreateNew()
	c.Builtins = map[string]*builtin.Function{}
	c.Optimize = false
	c.MaxNodes = 0
	// Every scope's environment is a map[string]any, so names load with a map index
	// (expr's OpLoadFast) rather than by reflection; names stay untyped.
	c.WithEnv(map[string]any{})
	c.Strict = false
	add := func(name string, fn func(args ...any) (any, error)) {
		c.Functions[name] = &builtin.Function{Name: name, Func: fn}
	}
	add(fnGetAttr, func(a ...any) (any, error) { return s.getAttr(a[0], a[1].(string)) })
	add(fnCallMethod, func(a ...any) (any, error) {
		return s.callMethod(a[0], a[1].(string), toArgs(a[2], a[3]))
	})
	add(fnCall, func(a ...any) (any, error) { return s.callValue(a[0], toArgs(a[1], a[2])) })
	add(fnFree, func(a ...any) (any, error) { return s.lookupFree(a[0].(string)) })
	add(fnMakeFunc, func(a ...any) (any, error) {
		return &userFunc{def: a[0].(*funcDef), defaults: append([]any{}, a[1:]...), closure: s.frame}, nil
	})
	add(fnComp, func(a ...any) (any, error) { return s.runComp(a[0].(*compDef), a[1]) })
	add(fnKwargs, func(a ...any) (any, error) { return s.mergeKwargs(a[0].(map[string]any), a[1:]) })
	add(fnSet, func(a ...any) (any, error) {
		out := newSet()
		for _, v := range spliceStarred(a, 0) {
			if err := out.add(v); err != nil {
				return nil, err
			}
		}
		return out, nil
	})
	add(fnStarred, func(a ...any) (any, error) {
		items, ok := s.itemsOf(a[0])
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "argument after * must be an iterable, not %s", pyTypeName(a[0]))
		}
		return starred(items), nil
	})
	add(fnGetItem, func(a ...any) (any, error) { return s.getItem(a[0], a[1]) })
	add(fnBinOp, func(a ...any) (any, error) { return s.binOp(a[0].(string), a[1], a[2]) })
	add(fnUnary, func(a ...any) (any, error) { return s.unaryOp(a[0].(string), a[1]) })
	add(fnCompare, func(a ...any) (any, error) { return s.compare(a[0].(string), a[1], a[2]) })
	add(fnFormat, func(a ...any) (any, error) { return formatField(a[0], a[1].(string), a[2].(string)) })
	add(fnTruthy, func(a ...any) (any, error) { return truthy(a[0]) })
	add(fnTuple, func(a ...any) (any, error) { return obj.Tuple(spliceStarred(a, 0)), nil })
	add(fnList, func(a ...any) (any, error) { return newList(spliceStarred(a, 0)), nil })
	add(fnSlice, func(a ...any) (any, error) { return makeSlice(a[0], a[1], a[2]) })
	add(fnDict, func(a ...any) (any, error) {
		d := newDict()
		for i := 0; i+1 < len(a); i += 2 {
			if err := d.set(a[i], a[i+1]); err != nil {
				return nil, err
			}
		}
		return d, nil
	})
	return c
}

// starred is the value of `*xs` in a call's arguments: its items, spliced into the
// positional arguments by toArgs.
type starred []any

// toArgs converts the lowered positional list and keyword map to obj.Args. numpy's bool
// scalars pass as bools: functions take them wherever they take True or False.
func toArgs(pos, kw any) obj.Args {
	args := obj.Args{}
	if p, ok := pos.([]any); ok && len(p) > 0 {
		args.Pos = p
		for i, v := range p {
			if _, ok := v.(starred); ok {
				args.Pos = spliceStarred(p, i)
				break
			}
		}
		for i, v := range args.Pos {
			if b, ok := v.(numpy.Bool); ok {
				args.Pos[i] = bool(b)
			}
		}
	}
	if k, ok := kw.(map[string]any); ok && len(k) > 0 {
		args.Kw = k
		for name, v := range k {
			if b, ok := v.(numpy.Bool); ok {
				k[name] = bool(b)
			}
		}
	}
	return args
}

// spliceStarred replaces every starred value in pos, from index first on, by its items.
func spliceStarred(pos []any, first int) []any {
	if first == 0 {
		for first < len(pos) {
			if _, ok := pos[first].(starred); ok {
				break
			}
			first++
		}
		if first == len(pos) {
			return append([]any(nil), pos...)
		}
	}
	out := append(make([]any, 0, len(pos)), pos[:first]...)
	for _, v := range pos[first:] {
		if items, ok := v.(starred); ok {
			out = append(out, items...)
		} else {
			out = append(out, v)
		}
	}
	return out
}

// compile turns one expr tree into a program.
func (s *Session) compile(node ast.Node) (*vm.Program, error) {
	tree := &exprparser.Tree{Node: node, Source: file.NewSource("")}
	if _, err := checker.Check(tree, s.config); err != nil {
		return nil, err
	}
	return compiler.Compile(tree, s.config)
}

func (s *Session) compileStmt(st *stmt) (compiled, error) {
	var c compiled
	var err error
	if st.value != nil {
		if c.value, err = s.compile(st.value); err != nil {
			return c, err
		}
		if !s.noFast {
			c.fast = s.compileFast(st.value)
		}
	}
	for _, n := range st.aux {
		var p *vm.Program
		if n != nil {
			if p, err = s.compile(n); err != nil {
				return c, err
			}
		}
		c.aux = append(c.aux, p)
	}
	if st.kind == stmtAssign || st.kind == stmtFor || st.kind == stmtDel {
		var add func(t target) error
		add = func(t target) error {
			switch t.kind {
			case targetAttr:
				p, err := s.compile(t.obj)
				if err != nil {
					return err
				}
				c.targets = append(c.targets, p)
			case targetItem:
				p, err := s.compile(t.obj)
				if err != nil {
					return err
				}
				k, err := s.compile(t.key)
				if err != nil {
					return err
				}
				c.targets = append(c.targets, p, k)
			case targetTuple, targetStarred:
				for _, e := range t.elems {
					if err := add(e); err != nil {
						return err
					}
				}
			}
			return nil
		}
		for _, t := range st.targets {
			if err := add(t); err != nil {
				return c, err
			}
		}
	}
	return c, nil
}

// eval runs a program against the globals; errors are placed at the failing node, or at
// fallback when the VM gives no place.
func (s *Session) eval(p *vm.Program, fallback int) (any, *Error) {
	machine := s.vmFor()
	s.running++
	v, err := machine.Run(p, s.frame.locals)
	s.running--
	if err != nil {
		return nil, s.vmError(err, fallback)
	}
	return v, nil
}

// evalValue evaluates a statement's value: by its fast closure when it has one, else
// by the VM.
func (s *Session) evalValue(st *stmt, c *compiled) (any, *Error) {
	if c.fast == nil {
		return s.eval(c.value, st.pos)
	}
	v, err := s.runFast(c.fast, st.value)
	if err != nil {
		return nil, s.vmError(err, st.pos)
	}
	return v, nil
}

// vmError converts an evaluation error to the cell's error, placed where the VM (or the
// fast path) says it failed, else at fallback.
func (s *Session) vmError(err error, fallback int) *Error {
	off := -1
	var fe *file.Error
	if errors.As(err, &fe) {
		off = fe.From
	}
	if off <= 0 && fallback > 0 {
		off = fallback
	}
	return fromRuntime(s.src, max(off, 0), err)
}

// exec runs one statement.
func (s *Session) exec(st *stmt, c *compiled) (any, *Error) {
	switch st.kind {
	case stmtPass:
		return nil, nil
	case stmtDel:
		progs := c.targets
		for _, t := range st.targets {
			if t.kind == targetName {
				s.deleteName(t.name)
				continue
			}
			recv, err := s.eval(progs[0], t.pos)
			if err != nil {
				return nil, err
			}
			key, err := s.eval(progs[1], t.pos)
			if err != nil {
				return nil, err
			}
			progs = progs[2:]
			if e := s.delItem(recv, key); e != nil {
				return nil, fromRuntime(s.src, t.pos, e)
			}
		}
		return nil, nil
	case stmtImport:
		for _, b := range st.imports {
			v, err := s.resolveImport(b)
			if err != nil {
				return nil, fromRuntime(s.src, b.pos, err)
			}
			s.setName(b.bind, v)
		}
		return nil, nil
	case stmtHelp:
		v, err := s.eval(c.value, st.pos)
		if err != nil {
			return nil, err
		}
		s.env.Out.Page(helpText(v, st.detail))
		return nil, nil
	case stmtExpr:
		return s.evalValue(st, c)
	case stmtAssign:
		v, err := s.evalValue(st, c)
		if err != nil {
			return nil, err
		}
		progs := c.targets
		for _, t := range st.targets {
			if err := s.assign(t, v, &progs); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	return nil, nil
}

// assign binds v to a target; progs are the remaining compiled target programs.
func (s *Session) assign(t target, v any, progs *[]*vm.Program) *Error {
	switch t.kind {
	case targetName:
		s.setName(t.name, v)
	case targetAttr:
		recv, err := s.eval((*progs)[0], t.pos)
		*progs = (*progs)[1:]
		if err != nil {
			return err
		}
		if e := s.setAttr(recv, t.name, v); e != nil {
			return fromRuntime(s.src, t.pos, e)
		}
	case targetItem:
		recv, err := s.eval((*progs)[0], t.pos)
		if err != nil {
			return err
		}
		key, err := s.eval((*progs)[1], t.pos)
		if err != nil {
			return err
		}
		*progs = (*progs)[2:]
		if e := s.setItem(recv, key, v); e != nil {
			return fromRuntime(s.src, t.pos, e)
		}
	case targetTuple:
		items, ok := s.itemsOf(v)
		if !ok {
			return newError(s.src, t.pos, obj.TypeError, fmt.Sprintf("cannot unpack non-iterable %s object", pyTypeName(v)), "", nil)
		}
		if star := starIndex(t.elems); star >= 0 {
			return s.assignStarred(t, star, items, progs)
		}
		if len(items) < len(t.elems) {
			return newError(s.src, t.pos, obj.ValueError, fmt.Sprintf("not enough values to unpack (expected %d, got %d)", len(t.elems), len(items)), "", nil)
		}
		if len(items) > len(t.elems) {
			return newError(s.src, t.pos, obj.ValueError, fmt.Sprintf("too many values to unpack (expected %d, got %d)", len(t.elems), len(items)), "", nil)
		}
		for i, e := range t.elems {
			if err := s.assign(e, items[i], progs); err != nil {
				return err
			}
		}
	}
	return nil
}

// bundle is the mime bundle of a displayed value.
func bundle(v any) map[string]any {
	if b, ok := v.(obj.MimeBundler); ok {
		if m := b.MimeBundle(); m != nil {
			return m
		}
	}
	return map[string]any{"text/plain": Repr(v)}
}

// plotHandle is implemented by values that stand for something already shown (a figure,
// axes or line drawn during the cell), which the cell does not repeat as its result.
type plotHandle interface {
	IsPlotHandle() bool
}

func isPlotHandle(v any) bool {
	h, ok := v.(plotHandle)
	return ok && h.IsPlotHandle()
}

// numberCell records code as In[count] (count < 0: the next number). In stays a list
// indexed by execution count, as IPython's: numbers the kernel skipped hold ”.
func (s *Session) numberCell(code string, count int) {
	if count < 0 {
		count = s.count + 1
	}
	s.count = count
	for len(*s.in) < count {
		*s.in = append(*s.in, "")
	}
	if len(*s.in) == count {
		*s.in = append(*s.in, code)
	} else {
		(*s.in)[count] = code
	}
}
