package lang

import (
	"fmt"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
)

// fastLoop runs a `for` loop whose body is only assignments of fast values (see
// fastExpr) to plain names, expression statements, if/elif/else, pass, break and
// continue, with the names it uses held in slots rather than in the scope's map.
//
// Why: with names in a map, a loop such as `for i in range(n): s += i * 2` spends most
// of its time hashing and storing "i" and "s". Nothing but the body can read or write the
// slots while the loop runs (the body calls no functions: the fast subset has no calls
// but the operators'), so the names are loaded once before the loop and stored back
// after it, on every way out (the end, break, an error, an interrupt).
type fastLoop struct {
	names  []string // slot i holds names[i]
	target int      // the loop variable's slot
	reads  []int    // slots the body reads: they must be bound when the loop starts
	body   fastBlock
}

// fastBlock runs compiled statements on a loop's slots; dirty marks the slots assigned.
type fastBlock func(sc *fastScope, dirty []bool) (ctl, *Error)

// loopCompiler gives names their slots while a loop body compiles.
type loopCompiler struct {
	s     *Session
	slots map[string]int
	names []string
	reads map[int]bool
}

func (lc *loopCompiler) slot(name string) int {
	i, ok := lc.slots[name]
	if !ok {
		i = len(lc.names)
		lc.slots[name] = i
		lc.names = append(lc.names, name)
	}
	return i
}

// compileFastLoop returns the slot program of a for statement, or nil when its target
// or body is outside the subset.
func (s *Session) compileFastLoop(st *stmt) *fastLoop {
	if len(st.targets) != 1 || st.targets[0].kind != targetName {
		return nil
	}
	lc := &loopCompiler{s: s, slots: map[string]int{}, reads: map[int]bool{}}
	target := lc.slot(st.targets[0].name)
	body := lc.block(st.body)
	if body == nil {
		return nil
	}
	fl := &fastLoop{names: lc.names, target: target, body: body}
	for i := range lc.reads {
		if i != target {
			fl.reads = append(fl.reads, i)
		}
	}
	return fl
}

// block compiles statements in order, or returns nil if one is outside the subset.
func (lc *loopCompiler) block(body []*stmt) fastBlock {
	steps := make([]fastBlock, 0, len(body))
	for _, st := range body {
		step := lc.stmt(st)
		if step == nil {
			return nil
		}
		steps = append(steps, step)
	}
	return func(sc *fastScope, dirty []bool) (ctl, *Error) {
		for _, step := range steps {
			if c, err := step(sc, dirty); err != nil || c != ctlNone {
				return c, err
			}
		}
		return ctlNone, nil
	}
}

// value compiles a statement's value on slots, noting the names it reads.
func (lc *loopCompiler) value(n ast.Node) fastExpr {
	if n == nil {
		return nil
	}
	return lc.s.compileFastIn(n, func(name string) int {
		i := lc.slot(name)
		lc.reads[i] = true
		return i
	})
}

func (lc *loopCompiler) stmt(st *stmt) fastBlock {
	if st.magic != nil {
		return nil
	}
	s := lc.s
	switch st.kind {
	case stmtPass:
		return func(*fastScope, []bool) (ctl, *Error) { return ctlNone, nil }
	case stmtBreak:
		return func(*fastScope, []bool) (ctl, *Error) { return ctlBreak, nil }
	case stmtContinue:
		return func(*fastScope, []bool) (ctl, *Error) { return ctlContinue, nil }
	case stmtExpr, stmtAssign:
		v := lc.value(st.value)
		if v == nil {
			return nil
		}
		if st.kind == stmtExpr {
			return func(sc *fastScope, _ []bool) (ctl, *Error) {
				if _, err := v(sc); err != nil {
					return ctlNone, s.vmError(err, st.pos)
				}
				return ctlNone, nil
			}
		}
		if len(st.targets) != 1 || st.targets[0].kind != targetName {
			return nil
		}
		i := lc.slot(st.targets[0].name)
		iv := lc.compileInt(st.value)
		return func(sc *fastScope, dirty []bool) (ctl, *Error) {
			dirty[i] = true
			if iv != nil {
				if n, ok := iv(sc); ok {
					sc.ints[i], sc.isInt[i] = n, true
					return ctlNone, nil
				}
			}
			x, err := v(sc)
			if err != nil {
				return ctlNone, s.vmError(err, st.pos)
			}
			sc.store(i, x)
			return ctlNone, nil
		}
	case stmtIf:
		return lc.ifStmt(st)
	}
	return nil
}

func (lc *loopCompiler) ifStmt(st *stmt) fastBlock {
	cond := lc.value(st.value)
	icond := lc.compileIntCond(st.value)
	body := lc.block(st.body)
	orelse := lc.block(st.orelse)
	if cond == nil || body == nil || orelse == nil {
		return nil
	}
	s := lc.s
	return func(sc *fastScope, dirty []bool) (ctl, *Error) {
		if icond != nil {
			if holds, ok := icond(sc); ok {
				if holds {
					return body(sc, dirty)
				}
				return orelse(sc, dirty)
			}
		}
		v, err := cond(sc)
		if err != nil {
			return ctlNone, s.vmError(err, st.pos)
		}
		if v == true {
			return body(sc, dirty)
		}
		return orelse(sc, dirty)
	}
}

// run executes the loop over seq in the running scope. ok is false when a name the body
// reads is not bound yet: the caller then runs the loop the ordinary way, which reports
// it as Python would.
func (s *Session) runFastLoop(fl *fastLoop, st *stmt, seq any) (broke bool, ok bool, err *Error) {
	if fn := s.frame.fn; fn != nil {
		for _, name := range fl.names {
			if fn.globals[name] {
				return false, false, nil // `global name`: assignments go to the module
			}
		}
	}
	env := s.frame.locals
	n := len(fl.names)
	sc := &fastScope{env: env, slots: make([]any, n), ints: make([]int, n), isInt: make([]bool, n)}
	for i, name := range fl.names {
		sc.store(i, env[name])
	}
	for _, i := range fl.reads {
		if _, bound := env[fl.names[i]]; !bound {
			return false, false, nil
		}
	}
	dirty := make([]bool, len(fl.names))
	defer func() {
		for i, d := range dirty {
			if d {
				env[fl.names[i]] = sc.load(i)
			}
		}
	}()
	if r, isRange := seq.(rangeValue); isRange {
		return s.runFastRange(fl, st, r, sc, dirty)
	}
	next, ierr := s.iterate(seq)
	if ierr != nil {
		return false, true, fromRuntime(s.src, st.value.Location().From, ierr)
	}
	for n := 0; ; n++ {
		// An iteration of this subset takes nanoseconds: looking at the interrupt every
		// 64th keeps its latency far under a millisecond at a fraction of the cost.
		if n%64 == 0 {
			if err := s.cancelled(st.pos); err != nil {
				return false, true, err
			}
		}
		item, more, ierr := next()
		if ierr != nil {
			return false, true, fromRuntime(s.src, st.value.Location().From, ierr)
		}
		if !more {
			return false, true, nil
		}
		sc.store(fl.target, item)
		dirty[fl.target] = true
		c, err := s.runFastBlock(fl.body, sc, dirty, st)
		if err != nil {
			return false, true, err
		}
		if c == ctlBreak {
			return true, true, nil
		}
	}
}

// runFastRange is runFastLoop's iteration over a range, without boxing the loop
// variable.
func (s *Session) runFastRange(fl *fastLoop, st *stmt, r rangeValue, sc *fastScope, dirty []bool) (broke bool, ok bool, err *Error) {
	n := r.length()
	dirty[fl.target] = n > 0 // an empty range leaves the name as it was, even unbound
	for k := 0; k < n; k++ {
		if k%64 == 0 {
			if err := s.cancelled(st.pos); err != nil {
				return false, true, err
			}
		}
		sc.ints[fl.target], sc.isInt[fl.target] = r.start+k*r.step, true
		c, err := s.runFastBlock(fl.body, sc, dirty, st)
		if err != nil {
			return false, true, err
		}
		if c == ctlBreak {
			return true, true, nil
		}
	}
	return false, true, nil
}

// runFastBlock runs a loop body, turning a panic in a runtime method into the error
// the VM's recovery would make of it.
func (s *Session) runFastBlock(body fastBlock, sc *fastScope, dirty []bool, st *stmt) (c ctl, err *Error) {
	defer func() {
		if r := recover(); r != nil {
			fe := &file.Error{Message: fmt.Sprint(r)}
			if e, ok := r.(error); ok {
				fe.Wrap(e)
			}
			c, err = ctlNone, s.vmError(fe, st.pos)
		}
	}()
	return body(sc, dirty)
}

// store puts v in slot i, unboxed when it is an int.
func (sc *fastScope) store(i int, v any) {
	if n, ok := v.(int); ok {
		sc.ints[i], sc.isInt[i] = n, true
		return
	}
	sc.slots[i], sc.isInt[i] = v, false
}

// load is slot i's value.
func (sc *fastScope) load(i int) any {
	if sc.isInt[i] {
		return sc.ints[i]
	}
	return sc.slots[i]
}
