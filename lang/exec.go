package lang

import (
	"fmt"
	"sort"
	"strings"

	"github.com/expr-lang/expr/vm"

	"gokist/obj"
)

// frame is one scope at run time: the module (whose locals are the session's globals),
// a function call, or a comprehension. parent is the lexically enclosing scope, where
// the names a scope does not bind are looked up.
type frame struct {
	locals map[string]any
	parent *frame
	fn     *funcDef // the function running in this frame; nil for the module and comprehensions
	src    string   // the cell its code comes from
}

// ctl is how a statement ends: normally, or by break, continue or return.
type ctl int

const (
	ctlNone ctl = iota
	ctlBreak
	ctlContinue
	ctlReturn
)

// maxCallDepth is Python's default recursion limit: calls of user functions and
// comprehensions nest at most this deep before a RecursionError, far below what the Go
// stack holds.
const maxCallDepth = 1000

// setName binds name in the running scope (or the module's, for a `global` name).
func (s *Session) setName(name string, v any) {
	f := s.frame
	if f.fn != nil && f.fn.globals[name] {
		s.globals[name] = v
		return
	}
	f.locals[name] = v
}

// deleteName unbinds name in the running scope.
func (s *Session) deleteName(name string) {
	s.unbinds++
	f := s.frame
	if f.fn != nil && f.fn.globals[name] {
		delete(s.globals, name)
		return
	}
	delete(f.locals, name)
}

// lookupFree finds a name the running scope does not bind, in the enclosing scopes and
// then the module's globals.
func (s *Session) lookupFree(name string) (any, error) {
	for f := s.frame.parent; f != nil; f = f.parent {
		if v, ok := f.locals[name]; ok {
			return v, nil
		}
	}
	if v, ok := s.globals[name]; ok {
		return v, nil
	}
	e := obj.Errorf(obj.NameError, "name '%s' is not defined", name)
	if hint := s.nameHint(name); hint != "" {
		e.Hint = hint
	}
	return nil, e
}

// nameHint is the hint of a NameError: the import that binds a well-known name, or the
// closest name in scope by Python's own suggestion rule.
func (s *Session) nameHint(name string) string {
	if h := importHints[name]; h != "" {
		return h
	}
	var names []string
	for f := s.frame; f != nil; f = f.parent {
		for k := range f.locals {
			names = append(names, k)
		}
	}
	for k := range s.globals {
		if !strings.HasPrefix(k, "_") {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	if c := suggestName(name, names); c != "" {
		return fmt.Sprintf("did you mean `%s`?", c)
	}
	return ""
}

// checkUses reports a name the statement reads that is not bound: at module level a
// NameError before the statement runs, in a function an unassigned local.
func (s *Session) checkUses(st *stmt) *Error {
	f := s.frame
	if f.fn == nil {
		// A module-level statement run again (a loop body) is checked again only when a
		// name may have been unbound since (del, an except clause's name, a new cell).
		if st.checkedAt == s.unbinds {
			return nil
		}
		if err := s.check(s.src, st); err != nil {
			return err
		}
		st.checkedAt = s.unbinds
		return nil
	}
	for _, u := range st.uses {
		if !f.fn.locals[u.name] {
			continue
		}
		if _, ok := f.locals[u.name]; !ok {
			return newError(s.src, u.pos, "UnboundLocalError", fmt.Sprintf("cannot access local variable '%s' where it is not associated with a value", u.name), "", nil)
		}
	}
	return nil
}

// execBlock runs statements in order until one ends the block early.
func (s *Session) execBlock(body []*stmt) (any, ctl, *Error) {
	for _, st := range body {
		v, c, err := s.execStmt(st)
		if err != nil || c != ctlNone {
			return v, c, err
		}
	}
	return nil, ctlNone, nil
}

// execStmt checks, compiles (once) and runs one statement.
func (s *Session) execStmt(st *stmt) (any, ctl, *Error) {
	if err := s.cancelled(st.pos); err != nil {
		return nil, ctlNone, err
	}
	if err := s.checkUses(st); err != nil {
		return nil, ctlNone, err
	}
	if st.prog == nil {
		c, err := s.compileStmt(st)
		if err != nil {
			return nil, ctlNone, newError(s.src, st.pos, obj.SyntaxError, err.Error(), "", err)
		}
		st.prog = &c
	}
	c := st.prog
	switch st.kind {
	case stmtIf, stmtWhile:
		return s.execIfWhile(st, c)
	case stmtFor:
		return s.execFor(st, c)
	case stmtTry:
		return s.execTry(st, c)
	case stmtWith:
		return s.execWith(st, c)
	case stmtDef:
		defaults := make([]any, len(c.aux))
		for i, p := range c.aux {
			v, err := s.eval(p, st.pos)
			if err != nil {
				return nil, ctlNone, err
			}
			defaults[i] = v
		}
		s.setName(st.fn.name, &userFunc{def: st.fn, defaults: defaults, closure: s.frame})
		return nil, ctlNone, nil
	case stmtReturn:
		if c.value == nil {
			return nil, ctlReturn, nil
		}
		v, err := s.evalValue(st, c)
		return v, ctlReturn, err
	case stmtBreak:
		return nil, ctlBreak, nil
	case stmtContinue:
		return nil, ctlContinue, nil
	case stmtGlobal:
		return nil, ctlNone, nil
	case stmtRaise:
		return nil, ctlNone, s.execRaise(st, c)
	case stmtAssert:
		v, err := s.eval(c.value, st.pos)
		if err != nil {
			return nil, ctlNone, err
		}
		if v == true {
			return nil, ctlNone, nil
		}
		msg := ""
		if len(c.aux) > 0 {
			m, err := s.eval(c.aux[0], st.pos)
			if err != nil {
				return nil, ctlNone, err
			}
			msg = Str(m)
		}
		return nil, ctlNone, newError(s.src, st.pos, "AssertionError", msg, "", nil)
	}
	v, err := s.exec(st, c)
	return v, ctlNone, err
}

func (s *Session) execIfWhile(st *stmt, c *compiled) (any, ctl, *Error) {
	for {
		v, err := s.evalValue(st, c)
		if err != nil {
			return nil, ctlNone, err
		}
		if v != true {
			break
		}
		r, k, err := s.execBlock(st.body)
		if err != nil || k == ctlReturn {
			return r, k, err
		}
		if st.kind == stmtIf {
			return r, k, nil // break and continue pass to the enclosing loop
		}
		if k == ctlBreak {
			return nil, ctlNone, nil
		}
		if err := s.cancelled(st.pos); err != nil {
			return nil, ctlNone, err
		}
	}
	return s.execBlock(st.orelse)
}

func (s *Session) execFor(st *stmt, c *compiled) (any, ctl, *Error) {
	seq, err := s.eval(c.value, st.pos)
	if err != nil {
		return nil, ctlNone, err
	}
	if !c.loopTried && !s.noFast {
		c.loopTried, c.loop = true, s.compileFastLoop(st)
	}
	if c.loop != nil {
		if broke, ok, err := s.runFastLoop(c.loop, st, seq); ok {
			if err != nil || broke {
				return nil, ctlNone, err
			}
			return s.execBlock(st.orelse)
		}
	}
	next, ierr := s.iterate(seq)
	if ierr != nil {
		return nil, ctlNone, fromRuntime(s.src, st.value.Location().From, ierr)
	}
	for {
		if err := s.cancelled(st.pos); err != nil {
			return nil, ctlNone, err
		}
		item, ok, ierr := next()
		if ierr != nil {
			return nil, ctlNone, fromRuntime(s.src, st.value.Location().From, ierr)
		}
		if !ok {
			break
		}
		progs := c.targets
		if err := s.assign(st.targets[0], item, &progs); err != nil {
			return nil, ctlNone, err
		}
		r, k, err := s.execBlock(st.body)
		if err != nil || k == ctlReturn {
			return r, k, err
		}
		if k == ctlBreak {
			return nil, ctlNone, nil
		}
	}
	return s.execBlock(st.orelse)
}

// userFunc is a function defined by `def` or `lambda`: its definition, its defaults
// (evaluated when the def ran) and the scope it was defined in.
type userFunc struct {
	def      *funcDef
	defaults []any
	closure  *frame
}

var functionType = &obj.Type{Name: "function", Doc: "A function defined in a cell.", Members: []*obj.Member{
	{Name: "__name__", Doc: "The function's name.", Get: func(_ *obj.Env, recv any) (any, error) { return recv.(*userFunc).def.name, nil }},
}}

func (f *userFunc) Type() *obj.Type { return functionType }

func (f *userFunc) String() string { return fmt.Sprintf("<function %s at %p>", f.def.name, f) }

// callUser runs a user function: binds its arguments in a new scope and runs its body.
func (s *Session) callUser(f *userFunc, args obj.Args) (any, error) {
	if s.calls >= maxCallDepth {
		return nil, obj.Errorf("RecursionError", "maximum recursion depth exceeded")
	}
	locals, err := bindArgs(f, args)
	if err != nil {
		return nil, err
	}
	outer, src := s.frame, s.src
	s.frame = &frame{locals: locals, parent: f.closure, fn: f.def, src: f.def.src}
	s.src = f.def.src
	s.calls++
	defer func() { s.frame, s.src = outer, src; s.calls-- }()
	v, k, lerr := s.execBlock(f.def.body)
	if lerr != nil {
		if lerr.Func == "" && lerr.Line > 0 {
			lerr.Func = f.def.name
		}
		return nil, lerr
	}
	if k == ctlReturn {
		return v, nil
	}
	return nil, nil
}

// bindArgs binds a call's arguments to the function's parameters as Python does.
func bindArgs(f *userFunc, args obj.Args) (map[string]any, error) {
	d := f.def
	locals := make(map[string]any, len(d.params))
	name := d.name
	npos := 0
	var varPos, varKw string
	for _, p := range d.params {
		switch p.kind {
		case paramPlain:
			npos++
		case paramVarPos:
			varPos = p.name
		case paramVarKw:
			varKw = p.name
		}
	}
	k := 0
	for _, p := range d.params {
		if p.kind == paramPlain && k < len(args.Pos) {
			locals[p.name] = args.Pos[k]
			k++
		}
	}
	if k < len(args.Pos) {
		if varPos == "" {
			return nil, obj.Errorf(obj.TypeError, "%s() takes %d positional argument%s but %d %s given", name, npos, plural(npos), len(args.Pos), map[bool]string{true: "was", false: "were"}[len(args.Pos) == 1])
		}
	}
	if varPos != "" {
		locals[varPos] = obj.Tuple(append([]any{}, args.Pos[k:]...))
	}
	var extra *dict
	if varKw != "" {
		extra = newDict()
	}
	for _, kw := range sortedKeys(args.Kw) {
		found := false
		for _, p := range d.params {
			if p.name == kw && (p.kind == paramPlain || p.kind == paramKwOnly) {
				if _, dup := locals[kw]; dup {
					return nil, obj.Errorf(obj.TypeError, "%s() got multiple values for argument '%s'", name, kw)
				}
				locals[kw] = args.Kw[kw]
				found = true
			}
		}
		if !found {
			if extra == nil {
				return nil, obj.Errorf(obj.TypeError, "%s() got an unexpected keyword argument '%s'", name, kw)
			}
			extra.set(kw, args.Kw[kw])
		}
	}
	if extra != nil {
		locals[varKw] = extra
	}
	var missing []string
	for _, p := range d.params {
		if p.kind != paramPlain && p.kind != paramKwOnly {
			continue
		}
		if _, ok := locals[p.name]; ok {
			continue
		}
		if p.def >= 0 {
			locals[p.name] = f.defaults[p.def]
			continue
		}
		missing = append(missing, "'"+p.name+"'")
	}
	if len(missing) > 0 {
		return nil, obj.Errorf(obj.TypeError, "%s() missing %d required positional argument%s: %s", name, len(missing), plural(len(missing)), joinNames(missing))
	}
	return locals, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// joinNames lists names as Python's messages do: 'a', 'b' and 'c'.
func joinNames(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// vmFor gives the VM for the current nesting of program runs: a helper that runs a user
// function or a comprehension starts a nested run while the outer one waits.
func (s *Session) vmFor() *vm.VM {
	for len(s.vms) <= s.running {
		s.vms = append(s.vms, &vm.VM{})
	}
	return s.vms[s.running]
}

type vmProgram = vm.Program

// starIndex is the position of the starred target among elems, or -1.
func starIndex(elems []target) int {
	for i, e := range elems {
		if e.kind == targetStarred {
			return i
		}
	}
	return -1
}

// assignStarred unpacks items into `a, *rest, b`: rest takes a list of what the others
// leave.
func (s *Session) assignStarred(t target, star int, items []any, progs *[]*vmProgram) *Error {
	before, after := star, len(t.elems)-star-1
	if len(items) < before+after {
		return newError(s.src, t.pos, obj.ValueError, fmt.Sprintf("not enough values to unpack (expected at least %d, got %d)", before+after, len(items)), "", nil)
	}
	for i, e := range t.elems {
		var v any
		switch {
		case i < star:
			v = items[i]
		case i == star:
			v = newList(append([]any{}, items[star:len(items)-after]...))
			e = e.elems[0]
		default:
			v = items[len(items)-(len(t.elems)-i)]
		}
		if err := s.assign(e, v, progs); err != nil {
			return err
		}
	}
	return nil
}

// cancelled is the Interrupted error at pos once the cell's context is done.
func (s *Session) cancelled(pos int) *Error {
	select {
	case <-s.done:
		return newError(s.src, pos, obj.Interrupted, "the cell was interrupted", "", s.env.Ctx.Err())
	default:
		return nil
	}
}
