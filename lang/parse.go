package lang

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
)

// stmtKind is the kind of a parsed statement.
type stmtKind int

const (
	stmtExpr   stmtKind = iota // a bare expression
	stmtAssign                 // targets = value
	stmtImport                 // import / from … import …
	stmtHelp                   // expr? or expr??
	stmtPass                   // pass, or an empty statement
	stmtDel                    // del name, …
)

// nameRef is a use of a name in the source, for the check that runs before a cell.
type nameRef struct {
	name string
	pos  int
}

// importBinding is one name an import statement binds: `import a.b` binds a, `import
// a.b as c` binds c to a.b, `from a.b import c as d` binds d to a.b.c.
type importBinding struct {
	module string // dotted module path
	attr   string // imported attribute for `from`, "" for `import`
	bind   string // name bound in the session
	pos    int
}

// target is the left side of an assignment.
type target struct {
	kind  targetKind
	name  string   // targetName, targetAttr (attribute name)
	obj   ast.Node // targetAttr, targetItem: the object
	key   ast.Node // targetItem
	elems []target // targetTuple
	pos   int
}

type targetKind int

const (
	targetName targetKind = iota
	targetAttr
	targetItem
	targetTuple
	targetStarred // `*rest` inside a tuple target; elems[0] is what it binds
)

// stmt is one statement of a cell, with the expr tree of its value.
type stmt struct {
	kind    stmtKind
	pos     int
	end     int
	targets []target // stmtAssign: `a = b = v` has two; stmtDel: names
	value   ast.Node // stmtExpr, stmtAssign, stmtHelp
	detail  int      // stmtHelp: 1 for `?`, 2 for `??`
	imports []importBinding
	uses    []nameRef // names read, in source order
	defines []nameRef // names bound, after the value is evaluated

	// Compound and block statements (see block.go).
	body, orelse, final []*stmt
	hasFinal            bool
	handlers            []exceptClause
	aux                 []ast.Node // further expressions: defaults, except classes, with items, raise cause, assert message
	withAs              []target   // stmtWith: the `as` target of each item (kind -1 when absent)
	names               []string   // stmtGlobal
	fn                  *funcDef   // stmtDef
	prog                *compiled  // compiled on first run, kept for loops and function bodies
	checkedAt           uint64     // the Session.unbinds at which its names were last found bound
	magic               *magicLine // the line magic (%time, %timeit) in front of a top-level statement
}

// parser is a recursive-descent parser over the tokens of one cell that builds expr ast
// nodes directly, each located at its byte offset in the cell.
type parser struct {
	src  string
	toks []token
	i    int
	uses []nameRef
	lets int // counter for temporaries introduced by `and`/`or`
	// nesting and brackets count the recursive productions open around the current
	// token (see enter), so a cell of 300 000 `(` or `-` is a SyntaxError, not a Go
	// stack overflow that no recover can catch.
	nesting  int
	brackets int
	blocks   int // open indented blocks
	// magicLines are the starts of lines whose line magic was blanked out: their
	// statements are at the top level whatever the blanks.
	magicLines map[int]magicLine
	loops      int // enclosing loops in the current function, for break and continue
	funcs      int // enclosing function definitions, for return
}

// maxBracketDepth is how deep brackets may nest: CPython's limit (its tokenizer's
// MAXLEVEL), with its message "too many nested parentheses".
const maxBracketDepth = 200

// maxNesting bounds the parser's recursion over everything that nests: brackets, unary
// operators, `not`, `**`, `… if … else …` and f-string fields. CPython 3.11 compiles
// 1000 nested `-` but not 3000 (RecursionError, and a MemoryError from 6000); 1000
// keeps the parser's and expr's checker and compiler stacks small.
const maxNesting = 1000

// enter counts one more level of nesting at token t, which opens a bracket when
// bracket is set; past the limits it is the SyntaxError at t. Every successful enter
// is paired with a leave.
func (p *parser) enter(t token, bracket bool) *syntaxError {
	if bracket {
		if p.brackets >= maxBracketDepth {
			return &syntaxError{pos: t.pos, msg: "too many nested parentheses"}
		}
		p.brackets++
	}
	if p.nesting >= maxNesting {
		if bracket {
			p.brackets--
		}
		return &syntaxError{pos: t.pos, msg: fmt.Sprintf("expression nested too deeply (more than %d levels)", maxNesting),
			hint: "split it into statements that assign names to the parts"}
	}
	p.nesting++
	return nil
}

// leave closes the level of nesting the matching enter opened.
func (p *parser) leave(bracket bool) {
	p.nesting--
	if bracket {
		p.brackets--
	}
}

// Helper function names the lowered tree calls; the session registers them with expr.
const (
	fnGetAttr    = "__getattr"
	fnCallMethod = "__callmethod"
	fnCall       = "__call"
	fnStarred    = "__starred"
	fnGetItem    = "__getitem"
	fnBinOp      = "__binop"
	fnUnary      = "__unary"
	fnTuple      = "__tuple"
	fnList       = "__list"
	fnDict       = "__dict"
	fnSlice      = "__slice"
	fnTruthy     = "__truthy"
	fnCompare    = "__compare"
	fnFree       = "__free"
	fnMakeFunc   = "__mkfunc"
	fnComp       = "__comp"
	fnKwargs     = "__kwargs"
	fnSet        = "__set"
)

// helperNames are the lowering's helper functions, which are never user names.
var helperNames = map[string]bool{
	fnGetAttr: true, fnCallMethod: true, fnCall: true, fnStarred: true, fnGetItem: true, fnBinOp: true,
	fnUnary: true, fnTuple: true, fnList: true, fnDict: true, fnSlice: true, fnTruthy: true, fnCompare: true,
	fnFree: true, fnMakeFunc: true, fnComp: true, fnKwargs: true, fnSet: true, fnFormat: true,
}

// parseCell parses a whole cell into statements.
func parseCell(src string) ([]*stmt, *syntaxError) {
	stmts, _, err := parseCellMagics(src)
	return stmts, err
}

// parseCellMagics parses a cell and its IPython magics; statements after a line magic
// carry it.
func parseCellMagics(src string) ([]*stmt, magics, *syntaxError) {
	src, m, merr := scanMagics(src)
	if merr != nil {
		return nil, m, merr
	}
	toks, err := tokenize(src)
	if err != nil {
		return nil, m, err
	}
	p := &parser{src: src, toks: toks, magicLines: m.lines}
	out, err := p.block(0)
	if err != nil {
		return nil, m, err
	}
	for _, st := range out {
		if ml, ok := m.lines[strings.LastIndexByte(src[:st.pos], '\n')+1]; ok {
			st.magic = &ml
		}
	}
	if t := p.peek(); t.kind != tokEOF {
		if _, first := p.indentOf(t); first {
			return nil, m, &syntaxError{pos: t.pos, msg: "unindent does not match any outer indentation level"}
		}
		return nil, m, p.unexpected(t, "")
	}
	return out, m, nil
}

// maxTreeDepth bounds how deep a statement's lowered expr tree may be. Chains the
// parser reads in a loop (`1+1+…`, `x[0][0]…`, `a and b and …`, an f-string's fields)
// build trees as deep as they are long, and expr's checker, compiler and optimizer
// recurse over the tree: a million-term sum would overflow the Go stack, which no
// recover catches. CPython refuses a 10 000-term sum; gokist takes sums three times as
// long, in well under a second.
const maxTreeDepth = 30000

// checkTreeDepth is the SyntaxError for a statement whose trees are deeper than
// maxTreeDepth, placed at the node where the limit is crossed.
func checkTreeDepth(s stmt) *syntaxError {
	roots := []ast.Node{s.value}
	var addTarget func(t target)
	addTarget = func(t target) {
		roots = append(roots, t.obj, t.key)
		for _, e := range t.elems {
			addTarget(e)
		}
	}
	for _, t := range s.targets {
		addTarget(t)
	}
	for _, r := range roots {
		if deep := nodeBeyondDepth(r, maxTreeDepth); deep != nil {
			return &syntaxError{pos: deep.Location().From, msg: fmt.Sprintf("expression too complex: its parts nest more than %d deep", maxTreeDepth),
				hint: "split it into statements that assign names to the parts"}
		}
	}
	return nil
}

// nodeBeyondDepth returns a node of root's tree deeper than limit (root is depth 1), or
// nil. It walks with an explicit stack, so that its own depth costs no Go stack.
func nodeBeyondDepth(root ast.Node, limit int) ast.Node {
	type item struct {
		n     ast.Node
		depth int
	}
	stack := []item{{root, 1}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.n == nil {
			continue
		}
		if it.depth > limit {
			return it.n
		}
		push := func(ns ...ast.Node) {
			for _, c := range ns {
				stack = append(stack, item{c, it.depth + 1})
			}
		}
		switch x := it.n.(type) {
		case *ast.CallNode:
			push(x.Callee)
			push(x.Arguments...)
		case *ast.ConditionalNode:
			push(x.Cond, x.Exp1, x.Exp2)
		case *ast.VariableDeclaratorNode:
			push(x.Value, x.Expr)
		case *ast.UnaryNode:
			push(x.Node)
		case *ast.ArrayNode:
			push(x.Nodes...)
		case *ast.MapNode:
			for _, pair := range x.Pairs {
				push(pair)
			}
		case *ast.PairNode:
			push(x.Key, x.Value)
		}
	}
	return nil
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) peekAt(k int) token {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}
func (p *parser) isOp(op string) bool {
	t := p.toks[p.i]
	return t.kind == tokOp && t.text == op
}
func (p *parser) isKeyword(kw string) bool {
	t := p.toks[p.i]
	return t.kind == tokName && t.text == kw
}

func (p *parser) expectOp(op string) (token, *syntaxError) {
	if !p.isOp(op) {
		return token{}, p.unexpected(p.peek(), fmt.Sprintf("expected `%s`", op))
	}
	return p.next(), nil
}

// unexpected builds the error for token t, with hints for the common slips.
func (p *parser) unexpected(t token, want string) *syntaxError {
	msg := "invalid syntax"
	if t.kind == tokEOF || t.kind == tokNewline {
		msg = "unexpected end of line"
	} else {
		msg = "unexpected " + t.String()
	}
	if want != "" {
		msg += ": " + want
	}
	e := &syntaxError{pos: t.pos, msg: msg}
	switch {
	case t.kind == tokOp && t.text == "..." && p.i > 0 && p.toks[p.i-1].kind == tokInt:
		e.hint = "use `:` for a slice, e.g. `1:5`"
	case t.kind == tokOp && t.text == "=" && p.i > 0:
		e.hint = "use `==` to compare; `=` assigns and keyword arguments take a plain name"
	case t.kind == tokOp && t.text == "!":
		e.hint = "use `not` (or `~` for an element-wise not of a boolean array)"
	}
	return e
}

// unsupported keywords are Python statements gokist does not have, or that cannot start
// a statement.
var unsupported = map[string]string{
	"class": "classes cannot be defined in gokist cells; use functions and dicts",
	"yield": "generators cannot be defined in gokist cells; build a list", "nonlocal": "`nonlocal` is not supported; return the new value instead",
	"async": "`async` is not part of gokist's language", "await": "`await` is not part of gokist's language",
	"elif": "`elif` continues an `if` at the same indentation", "else": "`else` continues an `if`, `for`, `while` or `try` at the same indentation",
	"except": "`except` continues a `try` at the same indentation", "finally": "`finally` continues a `try` at the same indentation",
	"lambda": "", "if": "", "for": "", "while": "", "def": "", "try": "", "with": "", "return": "", "break": "", "continue": "",
	"raise": "", "assert": "", "global": "",
}

// unsupportedMessage says plainly that a Python statement keyword is not part of the
// language, or cannot start a statement here.
func unsupportedMessage(kw string) string {
	switch kw {
	case "class":
		return "class definitions are not supported in gokist cells"
	case "elif", "else", "except", "finally":
		return "invalid syntax"
	}
	return fmt.Sprintf("`%s` is not supported in gokist cells", kw)
}

// reserved words that cannot be names.
var reserved = map[string]bool{
	"and": true, "or": true, "not": true, "in": true, "is": true, "import": true, "from": true, "as": true,
	"True": true, "False": true, "None": true, "pass": true, "del": true,
}

func (p *parser) statement() (stmt, *syntaxError) {
	p.uses = nil
	start := p.peek()
	if start.kind == tokName {
		if why, ok := unsupported[start.text]; ok && why != "" {
			return stmt{}, &syntaxError{pos: start.pos, msg: unsupportedMessage(start.text), hint: why}
		}
		switch start.text {
		case "import", "from":
			return p.importStmt()
		case "pass":
			p.next()
			return stmt{kind: stmtPass, pos: start.pos, end: start.end}, nil
		case "del":
			p.next()
			s := stmt{kind: stmtDel, pos: start.pos}
			for {
				at := p.peek()
				e, err := p.bitOr()
				if err != nil {
					return stmt{}, err
				}
				tg, err := p.toTarget(e, at.pos)
				if err != nil || (tg.kind != targetName && tg.kind != targetItem) {
					return stmt{}, &syntaxError{pos: at.pos, msg: "cannot delete expression", hint: "`del` takes names and items `x[k]`"}
				}
				s.targets = append(s.targets, tg)
				if !p.isOp(",") {
					break
				}
				p.next()
			}
			s.uses = p.uses
			s.end = p.toks[p.i-1].end
			return s, nil
		}
	}
	// `?x` and `??x` help prefixes, as IPython allows.
	if p.isOp("?") || p.isOp("??") {
		q := p.next()
		e, err := p.expr()
		if err != nil {
			return stmt{}, err
		}
		return stmt{kind: stmtHelp, pos: start.pos, end: p.toks[p.i-1].end, value: e, detail: len(q.text), uses: p.uses}, nil
	}
	first, err := p.exprList()
	if err != nil {
		return stmt{}, err
	}
	if p.isOp("?") || p.isOp("??") {
		q := p.next()
		return stmt{kind: stmtHelp, pos: start.pos, end: q.end, value: first, detail: len(q.text), uses: p.uses}, nil
	}
	if t := p.peek(); t.kind == tokOp && len(t.text) >= 2 && strings.HasSuffix(t.text, "=") && t.text != "==" && t.text != "!=" && t.text != "<=" && t.text != ">=" {
		// augmented assignment: x += 1
		p.next()
		tg, err := p.toTarget(first, start.pos)
		if err != nil {
			return stmt{}, err
		}
		if tg.kind == targetTuple || tg.kind == targetStarred {
			return stmt{}, &syntaxError{pos: t.pos, msg: "'tuple' is an illegal expression for augmented assignment"}
		}
		rhs, err := p.expr()
		if err != nil {
			return stmt{}, err
		}
		// The operator keeps its "=": lists, dicts and sets change in place (a += b
		// extends the list a names, as every other name of it sees).
		v := p.call(t.pos, fnBinOp, str(t.text), first, rhs)
		s := stmt{kind: stmtAssign, pos: start.pos, end: p.toks[p.i-1].end, targets: []target{tg}, value: v, uses: p.uses}
		if tg.kind == targetName {
			s.defines = []nameRef{{tg.name, tg.pos}}
		}
		return s, nil
	}
	if !p.isOp("=") {
		return stmt{kind: stmtExpr, pos: start.pos, end: p.toks[p.i-1].end, value: first, uses: p.uses}, nil
	}
	// assignment chain: a = b = value
	exprs := []ast.Node{first}
	starts := []int{start.pos}
	for p.isOp("=") {
		p.next()
		starts = append(starts, p.peek().pos)
		e, err := p.exprList()
		if err != nil {
			return stmt{}, err
		}
		exprs = append(exprs, e)
	}
	s := stmt{kind: stmtAssign, pos: start.pos, end: p.toks[p.i-1].end, value: exprs[len(exprs)-1]}
	// The names read by target expressions (x in `x.attr = …`) are uses too; the names
	// the targets bind are not.
	allUses := p.uses
	for k, e := range exprs[:len(exprs)-1] {
		tg, err := p.toTarget(e, starts[k])
		if err != nil {
			return stmt{}, err
		}
		s.targets = append(s.targets, tg)
		collectDefines(tg, &s.defines)
	}
	for _, u := range allUses {
		if !isBoundBy(u, s.targets) {
			s.uses = append(s.uses, u)
		}
	}
	return s, nil
}

func (p *parser) unexpectedAt(t token, want string) *syntaxError {
	p.i--
	e := p.unexpected(t, want)
	p.i++
	return e
}

func collectDefines(t target, out *[]nameRef) {
	switch t.kind {
	case targetName:
		*out = append(*out, nameRef{t.name, t.pos})
	case targetTuple, targetStarred:
		for _, e := range t.elems {
			collectDefines(e, out)
		}
	}
}

// isBoundBy reports whether the name use u is itself a bare name target.
func isBoundBy(u nameRef, ts []target) bool {
	for _, t := range ts {
		switch t.kind {
		case targetName:
			if t.pos == u.pos {
				return true
			}
		case targetTuple, targetStarred:
			if isBoundBy(u, t.elems) {
				return true
			}
		}
	}
	return false
}

// toTarget turns a parsed expression into an assignment target.
func (p *parser) toTarget(n ast.Node, pos int) (target, *syntaxError) {
	switch x := n.(type) {
	case *ast.IdentifierNode:
		return target{kind: targetName, name: x.Value, pos: x.Location().From}, nil
	case *ast.CallNode:
		name := x.Callee.(*ast.IdentifierNode).Value
		switch name {
		case fnGetAttr:
			return target{kind: targetAttr, obj: x.Arguments[0], name: x.Arguments[1].(*ast.StringNode).Value, pos: x.Location().From}, nil
		case fnGetItem:
			return target{kind: targetItem, obj: x.Arguments[0], key: x.Arguments[1], pos: x.Location().From}, nil
		case fnTuple, fnList:
			t := target{kind: targetTuple, pos: x.Location().From}
			for _, a := range x.Arguments {
				e, err := p.toTarget(a, a.Location().From)
				if err != nil {
					return target{}, err
				}
				t.elems = append(t.elems, e)
			}
			return t, nil
		case fnStarred:
			inner, err := p.toTarget(x.Arguments[0], pos)
			if err != nil {
				return target{}, err
			}
			return target{kind: targetStarred, elems: []target{inner}, pos: x.Location().From}, nil
		case fnCall, fnCallMethod:
			return target{}, &syntaxError{pos: pos, msg: "cannot assign to function call", hint: "use `==` to compare"}
		}
	}
	return target{}, &syntaxError{pos: pos, msg: "cannot assign to expression", hint: "the left side of `=` must be a name, `a, b`, `x.attr` or `x[i]`; use `==` to compare"}
}

func (p *parser) importStmt() (stmt, *syntaxError) {
	kw := p.next()
	s := stmt{kind: stmtImport, pos: kw.pos}
	dotted := func() (string, int, *syntaxError) {
		t := p.next()
		if t.kind != tokName {
			return "", 0, p.unexpectedAt(t, "expected a module name")
		}
		name := t.text
		for p.isOp(".") {
			p.next()
			u := p.next()
			if u.kind != tokName {
				return "", 0, p.unexpectedAt(u, "expected a module name after `.`")
			}
			name += "." + u.text
		}
		return name, t.pos, nil
	}
	asName := func() (string, *syntaxError) {
		if !p.isKeyword("as") {
			return "", nil
		}
		p.next()
		t := p.next()
		if t.kind != tokName || reserved[t.text] {
			return "", p.unexpectedAt(t, "expected a name after `as`")
		}
		return t.text, nil
	}
	if kw.text == "import" {
		for {
			mod, pos, err := dotted()
			if err != nil {
				return stmt{}, err
			}
			as, err := asName()
			if err != nil {
				return stmt{}, err
			}
			b := importBinding{module: mod, bind: as, pos: pos}
			if as == "" {
				b.bind = strings.SplitN(mod, ".", 2)[0]
			}
			s.imports = append(s.imports, b)
			if !p.isOp(",") {
				break
			}
			p.next()
		}
	} else {
		mod, _, err := dotted()
		if err != nil {
			return stmt{}, err
		}
		if !p.isKeyword("import") {
			return stmt{}, p.unexpected(p.peek(), "expected `import`")
		}
		p.next()
		paren := p.isOp("(")
		if paren {
			p.next()
		}
		for {
			if p.isOp("*") {
				return stmt{}, &syntaxError{pos: p.peek().pos, msg: "`import *` is not supported", hint: "name what you import, e.g. `from " + mod + " import …`"}
			}
			t := p.next()
			if t.kind != tokName || reserved[t.text] {
				return stmt{}, p.unexpectedAt(t, "expected a name to import")
			}
			as, err := asName()
			if err != nil {
				return stmt{}, err
			}
			b := importBinding{module: mod, attr: t.text, bind: as, pos: t.pos}
			if as == "" {
				b.bind = t.text
			}
			s.imports = append(s.imports, b)
			if !p.isOp(",") {
				break
			}
			p.next()
			if paren && p.isOp(")") {
				break
			}
		}
		if paren {
			if _, err := p.expectOp(")"); err != nil {
				return stmt{}, err
			}
		}
	}
	for _, b := range s.imports {
		s.defines = append(s.defines, nameRef{b.bind, b.pos})
	}
	s.end = p.toks[p.i-1].end
	return s, nil
}

// located sets n's location to the byte offset pos and returns it.
func located[N ast.Node](n N, pos int) N {
	n.SetLocation(file.Location{From: pos, To: pos + 1})
	return n
}

func str(s string) *ast.StringNode { return &ast.StringNode{Value: s} }

// call builds a call of a helper function located at pos.
func (p *parser) call(pos int, fn string, args ...ast.Node) *ast.CallNode {
	return located(&ast.CallNode{Callee: located(&ast.IdentifierNode{Value: fn}, pos), Arguments: args}, pos)
}

// exprList parses `a` or `a, b, …` (a tuple without parentheses).
func (p *parser) exprList() (ast.Node, *syntaxError) {
	start := p.peek().pos
	first, err := p.starredExpr()
	if err != nil {
		return nil, err
	}
	if !p.isOp(",") {
		return first, nil
	}
	items := []ast.Node{first}
	for p.isOp(",") {
		p.next()
		if !p.startsExpr() && !p.isOp("*") {
			break
		}
		e, err := p.starredExpr()
		if err != nil {
			return nil, err
		}
		items = append(items, e)
	}
	return p.call(start, fnTuple, items...), nil
}

// startsExpr reports whether the next token can begin an expression.
func (p *parser) startsExpr() bool {
	t := p.peek()
	switch t.kind {
	case tokName:
		return !reserved[t.text] || t.text == "not" || t.text == "True" || t.text == "False" || t.text == "None"
	case tokInt, tokFloat, tokString, tokFString:
		return true
	case tokOp:
		return strings.Contains("( [ { - + ~ ...", t.text)
	}
	return false
}

// expr parses a lambda, a conditional expression `a if c else b` or an or-test.
func (p *parser) expr() (ast.Node, *syntaxError) {
	if p.isKeyword("lambda") {
		return p.lambda()
	}
	e, err := p.orTest()
	if err != nil {
		return nil, err
	}
	if p.isKeyword("if") {
		t := p.next()
		cond, err := p.orTest()
		if err != nil {
			return nil, err
		}
		if !p.isKeyword("else") {
			return nil, p.unexpected(p.peek(), "expected `else`")
		}
		p.next()
		if err := p.enter(t, false); err != nil {
			return nil, err
		}
		other, err := p.expr()
		p.leave(false)
		if err != nil {
			return nil, err
		}
		return located(&ast.ConditionalNode{Cond: p.call(t.pos, fnTruthy, cond), Exp1: e, Exp2: other}, t.pos), nil
	}
	return e, nil
}

// shortCircuit lowers `a and b` / `a or b` to `let t = a; truthy(t) ? b : t` (and the
// mirror for `or`), keeping Python's value semantics and short-circuit evaluation.
func (p *parser) shortCircuit(op token, left, right ast.Node) ast.Node {
	p.lets++
	name := fmt.Sprintf("%%t%d", p.lets)
	ref := func() ast.Node { return located(&ast.IdentifierNode{Value: name}, op.pos) }
	cond := located(&ast.ConditionalNode{Cond: p.call(op.pos, fnTruthy, ref())}, op.pos)
	if op.text == "and" {
		cond.Exp1, cond.Exp2 = right, ref()
	} else {
		cond.Exp1, cond.Exp2 = ref(), right
	}
	return located(&ast.VariableDeclaratorNode{Name: name, Value: left, Expr: cond}, op.pos)
}

func (p *parser) orTest() (ast.Node, *syntaxError) {
	left, err := p.andTest()
	if err != nil {
		return nil, err
	}
	for p.isKeyword("or") {
		op := p.next()
		right, err := p.andTest()
		if err != nil {
			return nil, err
		}
		left = p.shortCircuit(op, left, right)
	}
	return left, nil
}

func (p *parser) andTest() (ast.Node, *syntaxError) {
	left, err := p.notTest()
	if err != nil {
		return nil, err
	}
	for p.isKeyword("and") {
		op := p.next()
		right, err := p.notTest()
		if err != nil {
			return nil, err
		}
		left = p.shortCircuit(op, left, right)
	}
	return left, nil
}

func (p *parser) notTest() (ast.Node, *syntaxError) {
	if p.isKeyword("not") {
		op := p.next()
		if err := p.enter(op, false); err != nil {
			return nil, err
		}
		e, err := p.notTest()
		p.leave(false)
		if err != nil {
			return nil, err
		}
		return located(&ast.UnaryNode{Operator: "not", Node: p.call(op.pos, fnTruthy, e)}, op.pos), nil
	}
	return p.comparison()
}

var compareOps = map[string]bool{"<": true, ">": true, "==": true, "!=": true, "<=": true, ">=": true}

// comparison parses `a < b`, chains `a < b < c` (as `a < b and b < c`, evaluating each
// operand once, left to right, and stopping at the first false comparison), `in`,
// `not in`, `is`, `is not`.
func (p *parser) comparison() (ast.Node, *syntaxError) {
	first, err := p.bitOr()
	if err != nil {
		return nil, err
	}
	operands := []ast.Node{first}
	var ops []token // text is the operator; pos is where it starts
	for {
		t := p.peek()
		op := ""
		switch {
		case t.kind == tokOp && compareOps[t.text]:
			op = t.text
			p.next()
		case t.kind == tokName && t.text == "in":
			op = "in"
			p.next()
		case t.kind == tokName && t.text == "not" && p.peekAt(1).kind == tokName && p.peekAt(1).text == "in":
			op = "not in"
			p.i += 2
		case t.kind == tokName && t.text == "is":
			p.next()
			op = "is"
			if p.isKeyword("not") {
				p.next()
				op = "is not"
			}
		}
		if op == "" {
			break
		}
		right, err := p.bitOr()
		if err != nil {
			return nil, err
		}
		operands = append(operands, right)
		ops = append(ops, token{text: op, pos: t.pos})
	}
	switch len(ops) {
	case 0:
		return first, nil
	case 1:
		return p.call(ops[0].pos, fnCompare, str(ops[0].text), operands[0], operands[1]), nil
	}
	// A chain binds every operand but the last to a temporary, then nests from the right:
	// let t0 = x0; let t1 = x1; (t0 op0 t1) and (let t2 = x2; (t1 op1 t2) and (t2 op2 x3)).
	// It is built from the right in a loop, so a long chain costs no parser recursion.
	names := make([]string, len(ops))
	for k := range names {
		p.lets++
		names[k] = fmt.Sprintf("%%t%d", p.lets)
	}
	ref := func(k int) ast.Node {
		return located(&ast.IdentifierNode{Value: names[k]}, ops[min(k, len(ops)-1)].pos)
	}
	n := len(ops)
	acc := ast.Node(p.call(ops[n-1].pos, fnCompare, str(ops[n-1].text), ref(n-1), operands[n]))
	for k := n - 2; k >= 0; k-- {
		cmp := p.call(ops[k].pos, fnCompare, str(ops[k].text), ref(k), ref(k+1))
		and := p.shortCircuit(token{text: "and", pos: ops[k].pos}, cmp, acc)
		acc = located(&ast.VariableDeclaratorNode{Name: names[k+1], Value: operands[k+1], Expr: and}, ops[k].pos)
	}
	return located(&ast.VariableDeclaratorNode{Name: names[0], Value: operands[0], Expr: acc}, ops[0].pos), nil
}

// bitOr, bitXor, bitAnd and shift parse Python's bitwise operators, which bind between
// comparisons and + -: `(x > 0) & (x < 1)` combines boolean masks element-wise, as numpy.
func (p *parser) bitOr() (ast.Node, *syntaxError) { return p.binaryLevel(p.bitXor, "|") }

func (p *parser) bitXor() (ast.Node, *syntaxError) { return p.binaryLevel(p.bitAnd, "^") }

func (p *parser) bitAnd() (ast.Node, *syntaxError) { return p.binaryLevel(p.shift, "&") }

func (p *parser) shift() (ast.Node, *syntaxError) { return p.binaryLevel(p.arith, "<<", ">>") }

// binaryLevel parses a left-associative run `operand (op operand)*` of one precedence level.
func (p *parser) binaryLevel(operand func() (ast.Node, *syntaxError), ops ...string) (ast.Node, *syntaxError) {
	left, err := operand()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tokOp || !slices.Contains(ops, t.text) {
			return left, nil
		}
		p.next()
		right, err := operand()
		if err != nil {
			return nil, err
		}
		left = p.call(t.pos, fnBinOp, str(t.text), left, right)
	}
}

func (p *parser) arith() (ast.Node, *syntaxError) {
	left, err := p.term()
	if err != nil {
		return nil, err
	}
	for p.isOp("+") || p.isOp("-") {
		op := p.next()
		right, err := p.term()
		if err != nil {
			return nil, err
		}
		left = p.call(op.pos, fnBinOp, str(op.text), left, right)
	}
	return left, nil
}

func (p *parser) term() (ast.Node, *syntaxError) {
	left, err := p.factor()
	if err != nil {
		return nil, err
	}
	for p.isOp("*") || p.isOp("/") || p.isOp("//") || p.isOp("%") || p.isOp("@") {
		op := p.next()
		right, err := p.factor()
		if err != nil {
			return nil, err
		}
		left = p.call(op.pos, fnBinOp, str(op.text), left, right)
	}
	return left, nil
}

// factor parses unary `-x`, `+x`, `~x`; a minus on a number literal folds into the
// literal, so `-5` in an index is the constant -5.
func (p *parser) factor() (ast.Node, *syntaxError) {
	if p.isOp("-") || p.isOp("+") || p.isOp("~") {
		op := p.next()
		// -9223372036854775808 is the smallest 64-bit int, though its digits alone do not fit.
		if t := p.peek(); op.text == "-" && t.kind == tokInt && strings.ReplaceAll(t.text, "_", "") == "9223372036854775808" && !(p.peekAt(1).kind == tokOp && p.peekAt(1).text == "**") {
			p.next()
			return located(&ast.IntegerNode{Value: math.MinInt}, op.pos), nil
		}
		if err := p.enter(op, false); err != nil {
			return nil, err
		}
		e, err := p.factor()
		p.leave(false)
		if err != nil {
			return nil, err
		}
		if op.text == "-" {
			switch x := e.(type) {
			case *ast.IntegerNode:
				if x.Value == math.MinInt { // its negation does not fit: the unary minus raises
					break
				}
				return located(&ast.IntegerNode{Value: -x.Value}, op.pos), nil
			case *ast.FloatNode:
				return located(&ast.FloatNode{Value: -x.Value}, op.pos), nil
			}
		}
		return p.call(op.pos, fnUnary, str(op.text), e), nil
	}
	return p.power()
}

// power parses `a ** b`: right-associative, binding tighter than a unary minus on its
// left and looser than one on its right (-2**2 == -4, 2**-1 == 0.5).
func (p *parser) power() (ast.Node, *syntaxError) {
	base, err := p.postfix()
	if err != nil {
		return nil, err
	}
	if p.isOp("**") {
		op := p.next()
		if err := p.enter(op, false); err != nil {
			return nil, err
		}
		exp, err := p.factor()
		p.leave(false)
		if err != nil {
			return nil, err
		}
		return p.call(op.pos, fnBinOp, str("**"), base, exp), nil
	}
	return base, nil
}

func (p *parser) postfix() (ast.Node, *syntaxError) {
	e, err := p.atom()
	if err != nil {
		return nil, err
	}
	for {
		switch {
		case p.isOp("."):
			p.next()
			name := p.next()
			if name.kind != tokName {
				return nil, p.unexpectedAt(name, "expected an attribute name after `.`")
			}
			if p.isOp("(") {
				open := p.next()
				pos, kw, err := p.bracketed(open, p.arguments)
				if err != nil {
					return nil, err
				}
				e = p.call(name.pos, fnCallMethod, e, str(name.text), pos, kw)
			} else {
				e = p.call(name.pos, fnGetAttr, e, str(name.text))
			}
		case p.isOp("("):
			open := p.next()
			pos, kw, err := p.bracketed(open, p.arguments)
			if err != nil {
				return nil, err
			}
			e = p.call(e.Location().From, fnCall, e, pos, kw)
		case p.isOp("["):
			open := p.next()
			key, _, err := p.bracketed(open, func(token) (ast.Node, ast.Node, *syntaxError) {
				key, err := p.subscripts()
				if err == nil {
					_, err = p.expectOp("]")
				}
				return key, nil, err
			})
			if err != nil {
				return nil, err
			}
			e = p.call(open.pos, fnGetItem, e, key)
		default:
			return e, nil
		}
	}
}

// bracketed runs parse for the inside of the bracket open, one level of nesting deeper.
func (p *parser) bracketed(open token, parse func(open token) (ast.Node, ast.Node, *syntaxError)) (ast.Node, ast.Node, *syntaxError) {
	if err := p.enter(open, true); err != nil {
		return nil, nil, err
	}
	defer p.leave(true)
	return parse(open)
}

// arguments parses a call's arguments after `(` up to and including `)`, returning the
// positional list and the keyword map as expr nodes.
func (p *parser) arguments(open token) (ast.Node, ast.Node, *syntaxError) {
	posArgs := located(&ast.ArrayNode{}, open.pos)
	kw := located(&ast.MapNode{}, open.pos)
	seen := map[string]bool{}
	var spread []ast.Node
	for !p.isOp(")") {
		if p.peek().kind == tokName && p.peekAt(1).kind == tokOp && p.peekAt(1).text == "=" {
			name := p.next()
			p.next()
			if reserved[name.text] {
				return nil, nil, &syntaxError{pos: name.pos, msg: "invalid keyword argument name `" + name.text + "`"}
			}
			if seen[name.text] {
				return nil, nil, &syntaxError{pos: name.pos, msg: "keyword argument repeated: " + name.text}
			}
			seen[name.text] = true
			v, err := p.expr()
			if err != nil {
				return nil, nil, err
			}
			kw.Pairs = append(kw.Pairs, located(&ast.PairNode{Key: str(name.text), Value: v}, name.pos))
		} else {
			if p.isOp("**") { // f(**kw): the items of kw become keyword arguments
				at := p.next().pos
				v, err := p.expr()
				if err != nil {
					return nil, nil, err
				}
				spread = append(spread, located(v, at))
				if !p.isOp(")") {
					if _, err := p.expectOp(","); err != nil {
						return nil, nil, err
					}
				}
				continue
			}
			star := p.isOp("*")
			if star {
				p.next()
			}
			if len(kw.Pairs) > 0 && !star {
				return nil, nil, &syntaxError{pos: p.peek().pos, msg: "positional argument follows keyword argument"}
			}
			at := p.peek().pos
			mark := len(p.uses)
			v, err := p.expr()
			if err != nil {
				return nil, nil, err
			}
			if p.isKeyword("for") && !star { // f(x for x in xs): a generator, the sole argument
				if len(posArgs.Nodes) > 0 || len(kw.Pairs) > 0 {
					return nil, nil, &syntaxError{pos: at, msg: "Generator expression must be parenthesized"}
				}
				if v, err = p.comprehension('g', at, v, nil, mark); err != nil {
					return nil, nil, err
				}
				if !p.isOp(")") {
					return nil, nil, &syntaxError{pos: at, msg: "Generator expression must be parenthesized"}
				}
			}
			if star { // f(*xs): the items of xs become positional arguments
				v = p.call(at, fnStarred, v)
			}
			posArgs.Nodes = append(posArgs.Nodes, v)
		}
		if p.isOp(",") {
			p.next()
			continue
		}
		if !p.isOp(")") {
			return nil, nil, p.unexpected(p.peek(), "expected `,` or `)` in the arguments")
		}
	}
	p.next()
	if len(spread) > 0 {
		return posArgs, p.call(open.pos, fnKwargs, append([]ast.Node{kw}, spread...)...), nil
	}
	return posArgs, kw, nil
}

// subscripts parses the inside of `[…]`: one key, or a tuple of ints, slices and `...`.
func (p *parser) subscripts() (ast.Node, *syntaxError) {
	start := p.peek().pos
	var items []ast.Node
	comma := false
	for !p.isOp("]") {
		it, err := p.subscript()
		if err != nil {
			return nil, err
		}
		items = append(items, it)
		if p.isOp(",") {
			comma = true
			p.next()
			continue
		}
		if !p.isOp("]") {
			return nil, p.unexpected(p.peek(), "expected `,` or `]` in the index")
		}
	}
	if len(items) == 0 {
		return nil, &syntaxError{pos: start, msg: "empty index `[]`", hint: "use `x[:]` for everything"}
	}
	if len(items) == 1 && !comma {
		return items[0], nil
	}
	return p.call(start, fnTuple, items...), nil
}

func (p *parser) subscript() (ast.Node, *syntaxError) {
	start := p.peek().pos
	var parts [3]ast.Node
	if !p.isOp(":") {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		if !p.isOp(":") {
			return e, nil
		}
		parts[0] = e
	}
	for k := 1; k <= 2 && p.isOp(":"); k++ {
		p.next()
		if p.isOp(":") || p.isOp(",") || p.isOp("]") {
			continue
		}
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		parts[k] = e
	}
	if p.isOp(":") {
		return nil, &syntaxError{pos: p.peek().pos, msg: "a slice has at most three parts `start:stop:step`"}
	}
	// A slice of literals is a constant; otherwise a helper builds it at run time.
	var ints [3]*int
	constant := true
	for k, e := range parts {
		switch x := e.(type) {
		case nil:
		case *ast.IntegerNode:
			v := x.Value
			ints[k] = &v
		default:
			constant = false
		}
	}
	if constant {
		return located(&ast.ConstantNode{Value: obj_Slice(ints)}, start), nil
	}
	args := make([]ast.Node, 3)
	for k, e := range parts {
		if e == nil {
			e = located(&ast.NilNode{}, start)
		}
		args[k] = e
	}
	return p.call(start, fnSlice, args...), nil
}

func (p *parser) atom() (ast.Node, *syntaxError) {
	t := p.next()
	switch t.kind {
	case tokInt:
		s := strings.ReplaceAll(t.text, "_", "")
		if len(s) > 1 && s[0] == '0' && s[1] >= '0' && s[1] <= '9' && strings.Trim(s, "0") != "" {
			return nil, &syntaxError{pos: t.pos, msg: "leading zeros in decimal integer literals are not permitted", hint: "use an 0o prefix for octal integers"}
		}
		v, err := strconv.ParseInt(s, 0, 64)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				e := &syntaxError{pos: t.pos, msg: "integer literal " + t.text + " does not fit in 64 bits (gokist integers are 64-bit, unlike Python's)"}
				if s[0] != '0' {
					e.hint = "write it as a float: " + s + ".0"
				}
				return nil, e
			}
			return nil, &syntaxError{pos: t.pos, msg: "invalid integer literal " + t.text}
		}
		return located(&ast.IntegerNode{Value: int(v)}, t.pos), nil
	case tokFloat:
		v, err := strconv.ParseFloat(strings.ReplaceAll(t.text, "_", ""), 64)
		if err != nil {
			return nil, &syntaxError{pos: t.pos, msg: "invalid float literal " + t.text}
		}
		return located(&ast.FloatNode{Value: v}, t.pos), nil
	case tokFString:
		return p.fstring(t)
	case tokString:
		if p.peek().kind != tokString {
			return located(&ast.StringNode{Value: t.text}, t.pos), nil
		}
		var b strings.Builder // adjacent literals concatenate, in linear time
		b.WriteString(t.text)
		for p.peek().kind == tokString {
			b.WriteString(p.next().text)
		}
		return located(&ast.StringNode{Value: b.String()}, t.pos), nil
	case tokName:
		switch t.text {
		case "True":
			return located(&ast.BoolNode{Value: true}, t.pos), nil
		case "False":
			return located(&ast.BoolNode{Value: false}, t.pos), nil
		case "None":
			return located(&ast.NilNode{}, t.pos), nil
		}
		if _, kw := unsupported[t.text]; reserved[t.text] || kw {
			return nil, p.unexpectedAt(t, "")
		}
		p.uses = append(p.uses, nameRef{t.text, t.pos})
		return located(&ast.IdentifierNode{Value: t.text}, t.pos), nil
	case tokOp:
		if t.text == "(" || t.text == "[" || t.text == "{" {
			if err := p.enter(t, true); err != nil {
				return nil, err
			}
			defer p.leave(true)
		}
		switch t.text {
		case "...":
			return located(&ast.ConstantNode{Value: obj_Ellipsis}, t.pos), nil
		case "(":
			if p.isOp(")") {
				p.next()
				return p.call(t.pos, fnTuple), nil
			}
			mark := len(p.uses)
			first, err := p.starredExpr()
			if err != nil {
				return nil, err
			}
			if p.isKeyword("for") {
				g, err := p.comprehension('g', t.pos, first, nil, mark)
				if err == nil {
					_, err = p.expectOp(")")
				}
				return g, err
			}
			if p.isOp(")") {
				p.next()
				return first, nil // parenthesised expression
			}
			items := []ast.Node{first}
			for p.isOp(",") {
				p.next()
				if p.isOp(")") {
					break
				}
				e, err := p.starredExpr()
				if err != nil {
					return nil, err
				}
				items = append(items, e)
			}
			if _, err := p.expectOp(")"); err != nil {
				return nil, err
			}
			return p.call(t.pos, fnTuple, items...), nil
		case "[":
			var items []ast.Node
			for !p.isOp("]") {
				mark := len(p.uses)
				e, err := p.starredExpr()
				if err != nil {
					return nil, err
				}
				if len(items) == 0 && p.isKeyword("for") {
					c, err := p.comprehension('l', t.pos, e, nil, mark)
					if err == nil {
						_, err = p.expectOp("]")
					}
					return c, err
				}
				items = append(items, e)
				if p.isOp(",") {
					p.next()
					continue
				}
				if !p.isOp("]") {
					return nil, p.unexpected(p.peek(), "expected `,` or `]` in the list")
				}
			}
			p.next()
			return p.call(t.pos, fnList, items...), nil
		case "{":
			return p.braces(t)
		}
	}
	return nil, p.unexpectedAt(t, "")
}
