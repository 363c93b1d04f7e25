package lang

import (
	"fmt"

	"github.com/expr-lang/expr/ast"
)

// paramKind is how a parameter takes its argument.
type paramKind int

const (
	paramPlain  paramKind = iota // positional or keyword
	paramKwOnly                  // after `*` or `*args`
	paramVarPos                  // *args
	paramVarKw                   // **kwargs
)

// param is one parameter of a def or lambda; def is the index of its default among the
// function's defaults, or -1.
type param struct {
	name string
	kind paramKind
	def  int
}

// funcDef is a parsed `def` or `lambda`: its parameters, its body and the names that are
// local to it (Python decides them when it compiles the function: every name the body
// binds, unless declared global).
type funcDef struct {
	name     string
	params   []param
	body     []*stmt
	locals   map[string]bool
	globals  map[string]bool
	src      string // the cell that defined it, for error positions
	pos      int
	isLambda bool
}

// params parses a parameter list up to (not including) end (`)` for def, `:` for lambda),
// appending default expressions to defaults.
func (p *parser) params(end string, defaults *[]ast.Node) ([]param, *syntaxError) {
	var out []param
	kind := paramPlain
	for !p.isOp(end) {
		switch {
		case p.isOp("/"):
			p.next()
		case p.isOp("**"):
			p.next()
			n := p.next()
			if n.kind != tokName || reserved[n.text] {
				return nil, p.unexpectedAt(n, "expected a parameter name after `**`")
			}
			out = append(out, param{name: n.text, kind: paramVarKw, def: -1})
		case p.isOp("*"):
			p.next()
			kind = paramKwOnly
			if p.peek().kind == tokName {
				n := p.next()
				out = append(out, param{name: n.text, kind: paramVarPos, def: -1})
			}
		default:
			n := p.next()
			if n.kind != tokName || reserved[n.text] {
				return nil, p.unexpectedAt(n, "expected a parameter name")
			}
			if end == ")" && p.isOp(":") { // an annotation: read and ignored
				p.next()
				if _, err := p.expr(); err != nil {
					return nil, err
				}
			}
			pr := param{name: n.text, kind: kind, def: -1}
			if p.isOp("=") {
				p.next()
				d, err := p.expr()
				if err != nil {
					return nil, err
				}
				pr.def = len(*defaults)
				*defaults = append(*defaults, d)
			} else if kind == paramPlain && len(out) > 0 && out[len(out)-1].def >= 0 {
				return nil, &syntaxError{pos: n.pos, msg: "non-default argument follows default argument"}
			}
			out = append(out, pr)
		}
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	for i, a := range out {
		for _, b := range out[:i] {
			if a.name == b.name {
				return nil, &syntaxError{pos: p.peek().pos, msg: fmt.Sprintf("duplicate argument '%s' in function definition", a.name)}
			}
		}
	}
	return out, nil
}

func (p *parser) defStmt(indent int) (*stmt, *syntaxError) {
	kw := p.next()
	name := p.next()
	if name.kind != tokName || reserved[name.text] {
		return nil, p.unexpectedAt(name, "expected a function name")
	}
	open, err := p.expectOp("(")
	if err != nil {
		return nil, err
	}
	s := &stmt{kind: stmtDef, pos: kw.pos}
	p.uses = nil
	var params []param
	_, _, err = p.bracketed(open, func(token) (ast.Node, ast.Node, *syntaxError) {
		var perr *syntaxError
		params, perr = p.params(")", &s.aux)
		return nil, nil, perr
	})
	if err != nil {
		return nil, err
	}
	if _, err := p.expectOp(")"); err != nil {
		return nil, err
	}
	if p.isOp("->") {
		p.next()
		if _, err := p.expr(); err != nil {
			return nil, err
		}
	}
	s.uses = p.uses
	p.uses = nil
	fd := &funcDef{name: name.text, params: params, src: p.src, pos: kw.pos}
	loops := p.loops
	p.loops, p.funcs = 0, p.funcs+1
	fd.body, err = p.suite(kw, indent)
	p.loops, p.funcs = loops, p.funcs-1
	if err != nil {
		return nil, err
	}
	fd.scope()
	s.fn = fd
	s.targets = []target{{kind: targetName, name: name.text, pos: name.pos}}
	return s, nil
}

// lambda parses `lambda params: expr` into a call that makes the function when it runs.
func (p *parser) lambda() (ast.Node, *syntaxError) {
	kw := p.next()
	if err := p.enter(kw, false); err != nil { // lambda: lambda: … nests like brackets
		return nil, err
	}
	defer p.leave(false)
	var defaults []ast.Node
	params, err := p.params(":", &defaults)
	if err != nil {
		return nil, err
	}
	if _, err := p.expectOp(":"); err != nil {
		return nil, err
	}
	outer := p.uses
	p.uses = nil
	body, err := p.expr()
	if err != nil {
		return nil, err
	}
	ret := &stmt{kind: stmtReturn, pos: body.Location().From, value: body, uses: p.uses}
	p.uses = outer
	if deep := nodeBeyondDepth(body, maxTreeDepth); deep != nil {
		return nil, &syntaxError{pos: deep.Location().From, msg: fmt.Sprintf("expression too complex: its parts nest more than %d deep", maxTreeDepth)}
	}
	fd := &funcDef{name: "<lambda>", params: params, body: []*stmt{ret}, src: p.src, pos: kw.pos, isLambda: true}
	fd.scope()
	args := append([]ast.Node{located(&ast.ConstantNode{Value: fd}, kw.pos)}, defaults...)
	return p.call(kw.pos, fnMakeFunc, args...), nil
}

// scope finds the function's local names and turns every other name its body reads into
// a lookup in the enclosing scopes (see rewriteFree).
func (fd *funcDef) scope() {
	fd.locals, fd.globals = map[string]bool{}, map[string]bool{}
	for _, pr := range fd.params {
		fd.locals[pr.name] = true
	}
	walkStmts(fd.body, func(s *stmt) {
		if s.kind == stmtGlobal {
			for _, n := range s.names {
				fd.globals[n] = true
			}
		}
		for _, t := range s.targets {
			bindNames(t, fd.locals)
		}
		for _, t := range s.withAs {
			bindNames(t, fd.locals)
		}
		for _, h := range s.handlers {
			if h.name != "" {
				fd.locals[h.name] = true
			}
		}
		for _, b := range s.imports {
			fd.locals[b.bind] = true
		}
	})
	for n := range fd.globals {
		delete(fd.locals, n)
	}
	walkStmts(fd.body, func(s *stmt) { rewriteStmt(s, fd.locals) })
}

// walkStmts calls f on every statement of body and of its nested blocks, but not inside
// nested function bodies (their names are their own).
func walkStmts(body []*stmt, f func(*stmt)) {
	for _, s := range body {
		f(s)
		walkStmts(s.body, f)
		walkStmts(s.orelse, f)
		walkStmts(s.final, f)
		for _, h := range s.handlers {
			walkStmts(h.body, f)
		}
	}
}

// bindNames adds the names a target binds.
func bindNames(t target, into map[string]bool) {
	switch t.kind {
	case targetName:
		into[t.name] = true
	case targetTuple, targetStarred:
		for _, e := range t.elems {
			bindNames(e, into)
		}
	}
}

// rewriteStmt rewrites the free names of one statement's expressions.
func rewriteStmt(s *stmt, locals map[string]bool) {
	rewriteFree(&s.value, locals)
	for i := range s.aux {
		rewriteFree(&s.aux[i], locals)
	}
	var tg func(t *target)
	tg = func(t *target) {
		rewriteFree(&t.obj, locals)
		rewriteFree(&t.key, locals)
		for i := range t.elems {
			tg(&t.elems[i])
		}
	}
	for i := range s.targets {
		tg(&s.targets[i])
	}
}

// freeRewriter replaces names that are not local by a call of the free-name lookup.
type freeRewriter struct{ locals map[string]bool }

func (r freeRewriter) Visit(n *ast.Node) {
	id, ok := (*n).(*ast.IdentifierNode)
	if !ok || r.locals[id.Value] || helperNames[id.Value] || len(id.Value) > 0 && id.Value[0] == '%' {
		return
	}
	ast.Patch(n, &ast.CallNode{Callee: located(&ast.IdentifierNode{Value: fnFree}, id.Location().From), Arguments: []ast.Node{str(id.Value)}})
}

// rewriteFree makes every name read in *n that is not in locals a lookup through the
// enclosing scopes at run time, as Python's closures and globals read them.
func rewriteFree(n *ast.Node, locals map[string]bool) {
	if *n == nil {
		return
	}
	ast.Walk(n, freeRewriter{locals})
}

// compDef is a parsed comprehension or generator expression: `elt` (and `val` for a
// dict) for each combination of its clauses. The first clause's iterable is evaluated
// in the enclosing scope and passed in; everything else runs in the comprehension's own
// scope, whose locals are its loop targets.
type compDef struct {
	kind    byte // 'l' list, 's' set, 'd' dict, 'g' generator
	elt     ast.Node
	val     ast.Node
	clauses []compClause
	locals  map[string]bool
	src     string
	pos     int
	progs   *compProgs // compiled on first run
}

// compClause is a `for target in iter` (cond nil) or an `if cond` clause.
type compClause struct {
	target *target
	iter   ast.Node
	cond   ast.Node
}

// comprehension parses the clauses after elt (and val) up to the closing bracket; mark
// is the length of p.uses before elt was parsed.
func (p *parser) comprehension(kind byte, pos int, elt, val ast.Node, mark int) (ast.Node, *syntaxError) {
	p.uses = p.uses[:mark]
	cd := &compDef{kind: kind, elt: elt, val: val, src: p.src, pos: pos, locals: map[string]bool{}}
	var first ast.Node
	for p.isKeyword("for") || p.isKeyword("if") {
		kw := p.next()
		inner := len(p.uses)
		if kw.text == "if" {
			cond, err := p.orTest()
			if err != nil {
				return nil, err
			}
			cd.clauses = append(cd.clauses, compClause{cond: p.call(kw.pos, fnTruthy, cond)})
			p.uses = p.uses[:inner]
			continue
		}
		if len(cd.clauses) == 0 && kw.text == "if" {
			return nil, p.unexpectedAt(kw, "")
		}
		tg, err := p.targetList()
		if err != nil {
			return nil, err
		}
		if !p.isKeyword("in") {
			return nil, p.unexpected(p.peek(), "expected `in`")
		}
		p.next()
		iter, err := p.orTest()
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = iter // read in the enclosing scope: its names are the statement's uses
		} else {
			p.uses = p.uses[:inner]
		}
		bindNames(tg, cd.locals)
		cd.clauses = append(cd.clauses, compClause{target: &tg, iter: iter})
	}
	for _, n := range []ast.Node{elt, val, first} {
		if n != nil {
			if deep := nodeBeyondDepth(n, maxTreeDepth); deep != nil {
				return nil, &syntaxError{pos: deep.Location().From, msg: fmt.Sprintf("expression too complex: its parts nest more than %d deep", maxTreeDepth)}
			}
		}
	}
	rewriteFree(&cd.elt, cd.locals)
	rewriteFree(&cd.val, cd.locals)
	for i := range cd.clauses {
		c := &cd.clauses[i]
		if i > 0 {
			rewriteFree(&c.iter, cd.locals)
		}
		rewriteFree(&c.cond, cd.locals)
		if c.target != nil {
			rewriteFree(&c.target.obj, cd.locals)
			rewriteFree(&c.target.key, cd.locals)
		}
	}
	return p.call(pos, fnComp, located(&ast.ConstantNode{Value: cd}, pos), first), nil
}

// starredExpr parses an expression that may be `*x` (in a list, tuple or set display, or
// an assignment target).
func (p *parser) starredExpr() (ast.Node, *syntaxError) {
	if !p.isOp("*") {
		return p.expr()
	}
	star := p.next()
	e, err := p.bitOr()
	if err != nil {
		return nil, err
	}
	return p.call(star.pos, fnStarred, e), nil
}

// braces parses what follows `{`: a dict or set display, or a dict or set comprehension.
func (p *parser) braces(open token) (ast.Node, *syntaxError) {
	if p.isOp("}") {
		p.next()
		return p.call(open.pos, fnDict), nil
	}
	mark := len(p.uses)
	first, err := p.starredExpr()
	if err != nil {
		return nil, err
	}
	isDict := p.isOp(":")
	var items []ast.Node
	if isDict {
		p.next()
		v, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.isKeyword("for") {
			c, err := p.comprehension('d', open.pos, first, v, mark)
			if err == nil {
				_, err = p.expectOp("}")
			}
			return c, err
		}
		items = append(items, first, v)
	} else {
		if p.isKeyword("for") {
			c, err := p.comprehension('s', open.pos, first, nil, mark)
			if err == nil {
				_, err = p.expectOp("}")
			}
			return c, err
		}
		items = append(items, first)
	}
	for p.isOp(",") {
		p.next()
		if p.isOp("}") {
			break
		}
		k, err := p.starredExpr()
		if err != nil {
			return nil, err
		}
		items = append(items, k)
		if isDict {
			if _, err := p.expectOp(":"); err != nil {
				return nil, err
			}
			v, err := p.expr()
			if err != nil {
				return nil, err
			}
			items = append(items, v)
		}
	}
	if !p.isOp("}") {
		what := "set"
		if isDict {
			what = "dict"
		}
		return nil, p.unexpected(p.peek(), "expected `,` or `}` in the "+what)
	}
	p.next()
	if isDict {
		return p.call(open.pos, fnDict, items...), nil
	}
	return p.call(open.pos, fnSet, items...), nil
}
