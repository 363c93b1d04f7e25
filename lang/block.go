package lang

import (
	"fmt"
	"strings"

	"github.com/expr-lang/expr/ast"
)

// Compound statements and the simple statements that only make sense with them. A
// block's statements are []*stmt so that each keeps its compiled programs between runs
// (a loop body or a function body compiles once).
const (
	stmtIf       stmtKind = iota + 100 // if value: body else orelse (elif nests in orelse)
	stmtWhile                          // while value: body else orelse
	stmtFor                            // for targets[0] in value: body else orelse
	stmtDef                            // def fn.name(…): fn.body; aux are the defaults
	stmtReturn                         // return [value]
	stmtBreak                          // break
	stmtContinue                       // continue
	stmtTry                            // try: body; handlers; else orelse; finally final
	stmtRaise                          // raise [value [from aux[0]]]
	stmtAssert                         // assert value[, aux[0]]
	stmtGlobal                         // global names
	stmtWith                           // with aux[i] as withAs[i]: body
)

// exceptClause is one `except [aux[class] [as name]]:` of a try statement.
type exceptClause struct {
	class int    // index in the statement's aux expressions, -1 for a bare except
	name  string // the `as` name, or ""
	body  []*stmt
	pos   int
}

// maxBlockDepth bounds how deeply blocks nest (CPython's parser stops at 100 levels of
// indentation), so the parser's and executor's recursion stays small.
const maxBlockDepth = 100

// indentOf is the width of the leading whitespace of t's line, tabs to the next multiple
// of 8 as Python counts them, and whether t is the first token on its line.
func (p *parser) indentOf(t token) (int, bool) {
	lineStart := strings.LastIndexByte(p.src[:t.pos], '\n') + 1
	lead := p.src[lineStart:t.pos]
	if _, ok := p.magicLines[lineStart]; ok && strings.Trim(lead, " ") == "" {
		return 0, true
	}
	w := 0
	for _, c := range lead {
		switch c {
		case ' ', '\f':
			w++
		case '\t':
			w = (w/8 + 1) * 8
		default:
			return 0, false
		}
	}
	return w, true
}

// skipBlank skips newline tokens and reports whether a `;` was skipped last.
func (p *parser) skipBlank() bool {
	afterSemicolon := false
	for p.peek().kind == tokNewline || p.isOp(";") {
		afterSemicolon = p.isOp(";")
		p.i++
	}
	return afterSemicolon
}

// block parses the statements at indentation indent, up to a line indented less (or the
// end of the cell).
func (p *parser) block(indent int) ([]*stmt, *syntaxError) {
	var out []*stmt
	for {
		afterSemicolon := p.skipBlank()
		t := p.peek()
		if t.kind == tokEOF {
			return out, nil
		}
		if w, first := p.indentOf(t); first && !afterSemicolon {
			if w < indent {
				return out, nil
			}
			if w > indent {
				return nil, &syntaxError{pos: t.pos, msg: "unexpected indent", hint: "indent a line only inside a block, after a line ending in `:`"}
			}
		}
		s, err := p.statementOrCompound(indent)
		if err != nil {
			return nil, err
		}
		if afterSemicolon && isCompound(s.kind) {
			return nil, &syntaxError{pos: s.pos, msg: "invalid syntax", hint: "a compound statement starts on its own line"}
		}
		out = append(out, s)
		if isCompound(s.kind) {
			continue
		}
		t = p.peek()
		if t.kind == tokNewline || t.kind == tokEOF || p.isOp(";") {
			continue
		}
		return nil, p.unexpected(t, "")
	}
}

func isCompound(k stmtKind) bool {
	switch k {
	case stmtIf, stmtWhile, stmtFor, stmtDef, stmtTry, stmtWith:
		return true
	}
	return false
}

// suite parses the body after a header's `:`: simple statements on the same line, or an
// indented block on the next lines.
func (p *parser) suite(header token, indent int) ([]*stmt, *syntaxError) {
	if _, err := p.expectOp(":"); err != nil {
		return nil, err
	}
	if p.blocks >= maxBlockDepth {
		return nil, &syntaxError{pos: header.pos, msg: "too many statically nested blocks"}
	}
	p.blocks++
	defer func() { p.blocks-- }()
	if p.peek().kind != tokNewline && p.peek().kind != tokEOF {
		var out []*stmt
		for {
			s, err := p.statementOrCompound(indent)
			if err != nil {
				return nil, err
			}
			if isCompound(s.kind) {
				return nil, &syntaxError{pos: s.pos, msg: "invalid syntax", hint: "a compound statement starts on its own line"}
			}
			out = append(out, s)
			if !p.isOp(";") {
				break
			}
			p.next()
			if p.peek().kind == tokNewline || p.peek().kind == tokEOF {
				break
			}
		}
		if t := p.peek(); t.kind != tokNewline && t.kind != tokEOF {
			return nil, p.unexpected(t, "")
		}
		return out, nil
	}
	p.skipBlank()
	t := p.peek()
	line, _, _ := position(p.src, header.pos)
	missing := &syntaxError{pos: t.pos, msg: fmt.Sprintf("expected an indented block after '%s' statement on line %d", header.text, line)}
	if t.kind == tokEOF {
		missing.incomplete = true
		return nil, missing
	}
	w, _ := p.indentOf(t)
	if w <= indent {
		return nil, missing
	}
	body, err := p.block(w)
	if err != nil {
		return nil, err
	}
	// The line after the block must return to an enclosing indentation level.
	if t := p.peek(); t.kind != tokEOF {
		if w2, first := p.indentOf(t); first && w2 > indent && w2 < w {
			return nil, &syntaxError{pos: t.pos, msg: "unindent does not match any outer indentation level"}
		}
	}
	return body, nil
}

// continues reports whether the next token is keyword kw starting a line at indent (an
// `elif`, `else`, `except` or `finally` that continues a compound statement).
func (p *parser) continues(kw string, indent int) bool {
	k := 0
	for p.peekAt(k).kind == tokNewline {
		k++
	}
	t := p.peekAt(k)
	if t.kind != tokName || t.text != kw {
		return false
	}
	if w, first := p.indentOf(t); !first || w != indent {
		return false
	}
	p.i += k
	return true
}

// statementOrCompound parses one statement starting at the current token.
func (p *parser) statementOrCompound(indent int) (*stmt, *syntaxError) {
	t := p.peek()
	if t.kind == tokName {
		switch t.text {
		case "if", "while":
			return p.ifWhile(indent)
		case "for":
			return p.forStmt(indent)
		case "def":
			return p.defStmt(indent)
		case "try":
			return p.tryStmt(indent)
		case "with":
			return p.withStmt(indent)
		case "return", "raise", "assert", "break", "continue", "global":
			return p.keywordStmt()
		}
	}
	s, err := p.statement()
	if err != nil {
		return nil, err
	}
	if err := checkTreeDepth(s); err != nil {
		return nil, err
	}
	return &s, nil
}

// header parses an expression of a compound statement's header, returning it with the
// names it reads.
func (p *parser) headerExpr(list bool) (ast.Node, []nameRef, *syntaxError) {
	p.uses = nil
	var e ast.Node
	var err *syntaxError
	if list {
		e, err = p.exprList()
	} else {
		e, err = p.expr()
	}
	if err != nil {
		return nil, nil, err
	}
	uses := p.uses
	p.uses = nil
	if deep := nodeBeyondDepth(e, maxTreeDepth); deep != nil {
		return nil, nil, &syntaxError{pos: deep.Location().From, msg: fmt.Sprintf("expression too complex: its parts nest more than %d deep", maxTreeDepth)}
	}
	return e, uses, nil
}

func (p *parser) ifWhile(indent int) (*stmt, *syntaxError) {
	kw := p.next()
	s := &stmt{kind: stmtIf, pos: kw.pos}
	if kw.text == "while" {
		s.kind = stmtWhile
	}
	cond, uses, err := p.headerExpr(false)
	if err != nil {
		return nil, err
	}
	s.value, s.uses = p.call(kw.pos, fnTruthy, cond), uses
	if s.kind == stmtWhile {
		p.loops++
	}
	s.body, err = p.suite(kw, indent)
	if s.kind == stmtWhile {
		p.loops--
	}
	if err != nil {
		return nil, err
	}
	switch {
	case s.kind == stmtIf && p.continues("elif", indent):
		elif, err := p.ifWhile(indent)
		if err != nil {
			return nil, err
		}
		s.orelse = []*stmt{elif}
	case p.continues("else", indent):
		e := p.next()
		if s.orelse, err = p.suite(e, indent); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// targetList parses the targets of `for … in`, down to the level below comparisons so
// that `in` ends it.
func (p *parser) targetList() (target, *syntaxError) {
	start := p.peek().pos
	uses := p.uses
	defer func() { p.uses = uses }()
	var items []ast.Node
	comma := false
	for {
		var e ast.Node
		var err *syntaxError
		if p.isOp("*") {
			star := p.next()
			if e, err = p.bitOr(); err == nil {
				e = p.call(star.pos, fnStarred, e)
			}
		} else {
			e, err = p.bitOr()
		}
		if err != nil {
			return target{}, err
		}
		items = append(items, e)
		if !p.isOp(",") {
			break
		}
		comma = true
		p.next()
		if p.isKeyword("in") || p.isOp("=") || p.isOp(":") {
			break
		}
	}
	if len(items) == 1 && !comma {
		return p.toTarget(items[0], start)
	}
	return p.toTarget(p.call(start, fnTuple, items...), start)
}

func (p *parser) forStmt(indent int) (*stmt, *syntaxError) {
	kw := p.next()
	tg, err := p.targetList()
	if err != nil {
		return nil, err
	}
	if !p.isKeyword("in") {
		return nil, p.unexpected(p.peek(), "expected `in`")
	}
	p.next()
	iter, uses, err := p.headerExpr(true)
	if err != nil {
		return nil, err
	}
	s := &stmt{kind: stmtFor, pos: kw.pos, value: iter, uses: uses, targets: []target{tg}}
	collectDefines(tg, &s.defines)
	p.loops++
	s.body, err = p.suite(kw, indent)
	p.loops--
	if err != nil {
		return nil, err
	}
	if p.continues("else", indent) {
		e := p.next()
		if s.orelse, err = p.suite(e, indent); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (p *parser) tryStmt(indent int) (*stmt, *syntaxError) {
	kw := p.next()
	s := &stmt{kind: stmtTry, pos: kw.pos}
	var err *syntaxError
	if s.body, err = p.suite(kw, indent); err != nil {
		return nil, err
	}
	for p.continues("except", indent) {
		e := p.next()
		h := exceptClause{class: -1, pos: e.pos}
		if !p.isOp(":") {
			cls, uses, err := p.headerExpr(true)
			if err != nil {
				return nil, err
			}
			h.class = len(s.aux)
			s.aux = append(s.aux, cls)
			s.uses = append(s.uses, uses...)
			if p.isKeyword("as") {
				p.next()
				n := p.next()
				if n.kind != tokName || reserved[n.text] {
					return nil, p.unexpectedAt(n, "expected a name after `as`")
				}
				h.name = n.text
			}
		}
		if h.body, err = p.suite(e, indent); err != nil {
			return nil, err
		}
		s.handlers = append(s.handlers, h)
	}
	if len(s.handlers) > 0 && p.continues("else", indent) {
		e := p.next()
		if s.orelse, err = p.suite(e, indent); err != nil {
			return nil, err
		}
	}
	if p.continues("finally", indent) {
		f := p.next()
		if s.final, err = p.suite(f, indent); err != nil {
			return nil, err
		}
		s.hasFinal = true
	}
	if len(s.handlers) == 0 && !s.hasFinal {
		return nil, &syntaxError{pos: p.peek().pos, msg: "expected 'except' or 'finally' block", incomplete: p.peek().kind == tokEOF}
	}
	return s, nil
}

func (p *parser) withStmt(indent int) (*stmt, *syntaxError) {
	kw := p.next()
	s := &stmt{kind: stmtWith, pos: kw.pos}
	for {
		e, uses, err := p.headerExpr(false)
		if err != nil {
			return nil, err
		}
		s.aux = append(s.aux, e)
		s.uses = append(s.uses, uses...)
		as := target{kind: -1}
		if p.isKeyword("as") {
			at := p.next()
			uses := p.uses
			t, err := p.bitOr() // one target: `with a as x, b` has two items
			p.uses = uses
			if err != nil {
				return nil, err
			}
			if as, err = p.toTarget(t, at.pos); err != nil {
				return nil, err
			}
			if as.kind != targetName && as.kind != targetTuple {
				return nil, &syntaxError{pos: as.pos, msg: "`with … as` takes a name or names here"}
			}
		}
		s.withAs = append(s.withAs, as)
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	var err *syntaxError
	if s.body, err = p.suite(kw, indent); err != nil {
		return nil, err
	}
	return s, nil
}

// keywordStmt parses return, raise, assert, break, continue and global.
func (p *parser) keywordStmt() (*stmt, *syntaxError) {
	kw := p.next()
	s := &stmt{pos: kw.pos}
	atEnd := func() bool {
		t := p.peek()
		return t.kind == tokNewline || t.kind == tokEOF || p.isOp(";")
	}
	var err *syntaxError
	switch kw.text {
	case "break", "continue":
		s.kind = stmtBreak
		if kw.text == "continue" {
			s.kind = stmtContinue
		}
		if p.loops == 0 {
			return nil, &syntaxError{pos: kw.pos, msg: fmt.Sprintf("'%s' outside loop", kw.text)}
		}
	case "return":
		s.kind = stmtReturn
		if p.funcs == 0 {
			return nil, &syntaxError{pos: kw.pos, msg: "'return' outside function"}
		}
		if !atEnd() {
			s.value, s.uses, err = p.headerExpr(true)
		}
	case "raise":
		s.kind = stmtRaise
		if !atEnd() {
			s.value, s.uses, err = p.headerExpr(false)
			if err == nil && p.isKeyword("from") {
				p.next()
				var cause ast.Node
				var uses []nameRef
				cause, uses, err = p.headerExpr(false)
				s.aux, s.uses = []ast.Node{cause}, append(s.uses, uses...)
			}
		}
	case "assert":
		s.kind = stmtAssert
		var cond ast.Node
		cond, s.uses, err = p.headerExpr(false)
		if err == nil {
			s.value = p.call(kw.pos, fnTruthy, cond)
			if p.isOp(",") {
				p.next()
				var msg ast.Node
				var uses []nameRef
				msg, uses, err = p.headerExpr(false)
				s.aux, s.uses = []ast.Node{msg}, append(s.uses, uses...)
			}
		}
	case "global":
		s.kind = stmtGlobal
		for {
			n := p.next()
			if n.kind != tokName || reserved[n.text] {
				return nil, p.unexpectedAt(n, "`global` takes names")
			}
			s.names = append(s.names, n.text)
			if !p.isOp(",") {
				break
			}
			p.next()
		}
	}
	if err != nil {
		return nil, err
	}
	s.end = p.toks[p.i-1].end
	return s, nil
}
