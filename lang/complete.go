package lang

import (
	"context"
	"github.com/expr-lang/expr/ast"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gokist/obj"
)

// IsComplete tells the kernel whether code is a whole cell: "complete", "incomplete"
// (an open bracket, a trailing `\` or `:`, an open triple-quoted string; indent is what
// the next line starts with) or "invalid" (a syntax error more lines cannot fix).
func (s *Session) IsComplete(code string) (status string, indent string) {
	if strings.TrimSpace(code) == "" {
		return "complete", ""
	}
	_, terr := tokenize(code)
	if terr != nil {
		if terr.incomplete {
			return "incomplete", "    "
		}
		return "invalid", ""
	}
	if lastCodeChar(code) == ':' {
		return "incomplete", lastCodeIndent(code) + "    "
	}
	stmts, perr := parseCell(code)
	if perr != nil {
		if perr.incomplete {
			return "incomplete", lastCodeIndent(code)
		}
		return "invalid", ""
	}
	// Inside a block, as IPython, the cell goes on until a line ends it.
	if len(stmts) > 0 && isCompound(stmts[len(stmts)-1].kind) && !strings.HasSuffix(code, "\n") {
		return "incomplete", lastCodeIndent(code)
	}
	return "complete", ""
}

// lastCodeIndent is the leading whitespace of the last line that is not blank or a
// comment.
func lastCodeIndent(code string) string {
	lines := strings.Split(code, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		t := strings.TrimLeft(lines[i], " \t")
		if t != "" && t[0] != '#' {
			return lines[i][:len(lines[i])-len(t)]
		}
	}
	return ""
}

// lastCodeChar is the last non-space character of the last line that is not blank or a
// comment, ignoring a trailing comment.
func lastCodeChar(code string) byte {
	lines := strings.Split(code, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := lines[i]
		if k := strings.IndexByte(l, '#'); k >= 0 && !strings.ContainsAny(l[:k], `'"`) {
			l = l[:k]
		}
		l = strings.TrimSpace(l)
		if l != "" {
			return l[len(l)-1]
		}
	}
	return 0
}

// byteOffset converts a code-point cursor (as Jupyter counts) to a byte offset.
func byteOffset(code string, cursor int) int {
	if cursor <= 0 {
		return 0
	}
	n := 0
	for i := range code {
		if n == cursor {
			return i
		}
		n++
	}
	return len(code)
}

// runeOffset converts a byte offset to a code-point offset.
func runeOffset(code string, off int) int {
	return utf8.RuneCountInString(code[:min(off, len(code))])
}

func isIdentRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// identStart scans back from byte offset end over identifier characters.
func identStart(code string, end int) int {
	i := end
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(code[:i])
		if !isIdentRune(r) {
			break
		}
		i -= size
	}
	return i
}

// chainBefore returns the dotted name chain (`a.b.c`) that ends at byte offset end, or
// "" when what precedes is not a plain name/attribute chain.
func chainBefore(code string, end int) string {
	i := end
	for {
		for i > 0 && code[i-1] == ']' { // subscripts of literals: ds[0, 1:5, ...]
			open := strings.LastIndexByte(code[:i-1], '[')
			if open <= 0 || strings.Trim(code[open+1:i-1], literalKeyChars) != "" {
				return ""
			}
			i = open
		}
		j := identStart(code, i)
		if j == i {
			return ""
		}
		if r, _ := utf8.DecodeRuneInString(code[j:]); unicode.IsDigit(r) {
			return ""
		}
		if j > 0 && code[j-1] == '.' {
			i = j - 1
			continue
		}
		return code[j:end]
	}
}

// lockForQuery takes the session for a completion or inspection; when a cell is
// running it gives up rather than wait, and the query answers without evaluating.
func (s *Session) lockForQuery() (release func(), ok bool) {
	if !s.mu.TryLock() {
		return func() {}, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	s.env = &obj.Env{Ctx: ctx, Out: obj.Discard{}, Services: s.services}
	return func() {
		cancel()
		s.env = nil
		s.mu.Unlock()
	}, true
}

// literalKeyChars are what a subscript in a completed chain may hold: numbers, slices,
// `...`, commas and spaces, so evaluating it only indexes (metadata, never I/O).
const literalKeyChars = "0123456789:,.-+ "

// evalChain evaluates a dotted chain, with literal subscripts, without calling anything.
func (s *Session) evalChain(chain string) (v any, ok bool) {
	defer func() {
		if recover() != nil {
			v, ok = nil, false
		}
	}()
	if strings.Contains(chain, "[") {
		return s.evalIndexChain(chain)
	}
	parts := strings.Split(chain, ".")
	v, ok = s.globals[parts[0]]
	if !ok {
		return nil, false
	}
	for _, p := range parts[1:] {
		var err error
		if v, err = s.getAttr(v, p); err != nil {
			return nil, false
		}
	}
	return v, true
}

// evalIndexChain evaluates a chain such as `ds[0].data` whose lowered tree holds only
// names, constants, attribute reads, subscripts, tuples, slices and signs.
func (s *Session) evalIndexChain(chain string) (any, bool) {
	stmts, err := parseCell(chain)
	if err != nil || len(stmts) != 1 || stmts[0].kind != stmtExpr {
		return nil, false
	}
	for _, u := range stmts[0].uses {
		if _, ok := s.globals[u.name]; !ok {
			return nil, false
		}
	}
	safe := true
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		switch x := n.(type) {
		case *ast.IdentifierNode, *ast.IntegerNode, *ast.FloatNode, *ast.ConstantNode, *ast.NilNode:
		case *ast.CallNode:
			callee, _ := x.Callee.(*ast.IdentifierNode)
			if callee == nil || !map[string]bool{fnGetAttr: true, fnGetItem: true, fnTuple: true, fnSlice: true, fnUnary: true}[callee.Value] {
				safe = false
				return
			}
			for _, a := range x.Arguments {
				walk(a)
			}
		case *ast.StringNode: // attribute names and operator signs
		default:
			safe = false
		}
	}
	walk(stmts[0].value)
	if !safe {
		return nil, false
	}
	prog, cerr := s.compile(stmts[0].value)
	if cerr != nil {
		return nil, false
	}
	v, rerr := s.vmFor().Run(prog, s.globals)
	return v, rerr == nil
}

// memberNames lists the attribute names of a value for completion.
func memberNames(v any) []string {
	switch x := v.(type) {
	case obj.Object:
		return x.Type().Names()
	}
	if t := plainType(v); t != nil {
		return t.Names()
	}
	return nil
}

// Complete proposes completions at cursor (code points): names in scope, members after
// a dot (evaluating the plain name/attribute chain before it, never a call), keyword
// argument names of the call being typed, and file names inside a string argument.
// start and end delimit, in code points, the text the matches replace.
func (s *Session) Complete(code string, cursor int) (matches []string, start, end int) {
	cur := byteOffset(code, cursor)
	prefix := code[:cur]
	release, ok := s.lockForQuery()
	defer release()
	if !ok {
		return nil, cursor, cursor
	}
	toks, terr := tokenize(prefix)
	if terr != nil && strings.HasPrefix(terr.msg, "unterminated string") {
		return s.completePath(code, prefix, terr.pos, toks, cursor)
	}
	if inComment(prefix) {
		return nil, cursor, cursor
	}
	wordStart := identStart(prefix, cur)
	word := prefix[wordStart:]
	if r, _ := utf8.DecodeRuneInString(word); word != "" && unicode.IsDigit(r) {
		return nil, cursor, cursor
	}
	start = runeOffset(code, wordStart)
	if wordStart > 0 && prefix[wordStart-1] == '.' {
		chain := chainBefore(prefix, wordStart-1)
		if chain == "" {
			return nil, start, cursor
		}
		v, ok := s.evalChain(chain)
		if !ok {
			return nil, start, cursor
		}
		return filterPrefix(memberNames(v), word), start, cursor
	}
	var out []string
	for _, kw := range s.keywordNames(toks) {
		if strings.HasPrefix(kw, word) {
			out = append(out, kw+"=")
		}
	}
	names := make([]string, 0, len(s.globals)+8)
	for k := range s.globals {
		if strings.HasPrefix(k, "_") && !strings.HasPrefix(word, "_") {
			continue
		}
		names = append(names, k)
	}
	names = append(names, "True", "False", "None", "import", "from", "and", "or", "not", "del")
	out = append(out, filterPrefix(names, word)...)
	return out, start, cursor
}

// inComment tells whether the end of prefix lies in a `#` comment (a `#` outside any
// string on the last line), where nothing is completed.
func inComment(prefix string) bool {
	line := prefix[strings.LastIndexByte(prefix, '\n')+1:]
	var quote byte
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case quote != 0 && c == '\\':
			i++
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '\'' || c == '"'):
			quote = c
		case quote == 0 && c == '#':
			return true
		}
	}
	return false
}

func filterPrefix(names []string, prefix string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, n := range names {
		if strings.HasPrefix(n, prefix) && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// openCall finds the innermost call still open at the end of toks and returns its
// callee chain, or "". With outward, brackets that are not calls (a tuple argument) are
// skipped to the call around them.
func openCall(toks []token, outward bool) string {
	var stack []int
	for i, t := range toks {
		if t.kind != tokOp {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			stack = append(stack, i)
		case ")", "]", "}":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	for k := len(stack) - 1; k >= 0; k-- {
		if callee := calleeBefore(toks, stack[k]); callee != "" {
			return callee
		}
		if !outward {
			break
		}
	}
	return ""
}

// calleeBefore returns the NAME(.NAME)* chain right before the `(` at toks[open].
func calleeBefore(toks []token, open int) string {
	if toks[open].text != "(" {
		return ""
	}
	i := open - 1
	var parts []string
	for i >= 0 && toks[i].kind == tokName {
		parts = append([]string{toks[i].text}, parts...)
		if i >= 1 && toks[i-1].kind == tokOp && toks[i-1].text == "." {
			i -= 2
			continue
		}
		if i >= 1 && toks[i-1].kind == tokOp && (toks[i-1].text == ")" || toks[i-1].text == "]") {
			return ""
		}
		break
	}
	return strings.Join(parts, ".")
}

// keywordNames lists the parameter names of the call being typed.
func (s *Session) keywordNames(toks []token) []string {
	callee := openCall(toks, false)
	if callee == "" {
		return nil
	}
	var params []obj.Param
	if i := strings.LastIndexByte(callee, '.'); i >= 0 {
		recv, ok := s.evalChain(callee[:i])
		if !ok {
			return nil
		}
		if o, ok := recv.(obj.Object); ok {
			if m := o.Type().Member(callee[i+1:]); m != nil {
				params = m.Params
			}
		}
		if params == nil {
			if f, ok := s.evalFunc(callee); ok {
				params = f.Params
			}
		}
	} else if f, ok := s.evalFunc(callee); ok {
		params = f.Params
	}
	names := make([]string, 0, len(params))
	for _, p := range params {
		if !strings.HasPrefix(p.Name, "*") {
			names = append(names, p.Name)
		}
	}
	return names
}

func (s *Session) evalFunc(chain string) (*obj.Func, bool) {
	v, ok := s.evalChain(chain)
	if !ok {
		return nil, false
	}
	f, ok := v.(*obj.Func)
	return f, ok
}

// completePath lists directory entries for the partial path in an open string literal
// that starts at byte offset strPos of the prefix.
func (s *Session) completePath(code, prefix string, strPos int, toks []token, cursor int) ([]string, int, int) {
	q := strPos
	for q < len(prefix) && prefix[q] != '"' && prefix[q] != '\'' {
		q++ // skip a string prefix such as r
	}
	if q >= len(prefix) {
		return nil, cursor, cursor
	}
	// Only strings that are arguments or assigned values are paths.
	if n := len(toks); n > 0 {
		last := toks[n-1]
		if !(last.kind == tokOp && (last.text == "(" || last.text == "," || last.text == "=")) {
			return nil, cursor, cursor
		}
	} else {
		return nil, cursor, cursor
	}
	typed := prefix[q+1:]
	dirPart, base := "", typed
	if k := strings.LastIndexByte(typed, '/'); k >= 0 {
		dirPart, base = typed[:k+1], typed[k+1:]
	}
	dir := dirPart
	if dir == "" {
		dir = "."
	}
	dir = expandHome(dir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, cursor, cursor
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".")) {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			if st, err := os.Stat(filepath.Join(dir, name)); err == nil && st.IsDir() {
				isDir = true
			}
		}
		if isDir {
			name += "/"
		}
		out = append(out, name)
	}
	sort.Strings(out)
	start := runeOffset(code, q+1+len(dirPart))
	return out, start, cursor
}

// expandHome expands a leading ~ to the home directory.
func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return home + p[1:]
		}
	}
	return p
}

// Inspect returns help text for the name or attribute chain under the cursor, or for
// the call being typed when the cursor is inside its parentheses. detail 0 gives the
// short form, 1 or more the full docs.
func (s *Session) Inspect(code string, cursor int, detail int) (text string, found bool) {
	cur := byteOffset(code, cursor)
	// Extend over the identifier the cursor is in.
	end := cur
	for end < len(code) {
		r, size := utf8.DecodeRuneInString(code[end:])
		if !isIdentRune(r) {
			break
		}
		end += size
	}
	release, ok := s.lockForQuery()
	defer release()
	if !ok {
		return "", false
	}
	chain := chainBefore(code, end)
	if chain == "" {
		toks, _ := tokenize(code[:cur])
		chain = openCall(toks, true)
	}
	if chain == "" {
		return "", false
	}
	v, ok := s.evalChain(chain)
	if !ok {
		return "", false
	}
	return helpText(v, detail+1), true
}
