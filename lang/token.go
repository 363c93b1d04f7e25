package lang

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind classifies a token.
type tokKind int

const (
	tokEOF tokKind = iota
	tokNewline
	tokName
	tokInt
	tokFloat
	tokString
	tokFString // an f-string; parts holds its text and fields
	tokOp
)

// token is one lexical unit; pos is its byte offset in the cell.
type token struct {
	kind tokKind
	text string // operator or name text; for strings, the decoded value
	pos  int
	end  int
	raw  string // source text of the token
	// parts are an f-string's literal text and replacement fields.
	parts []fpart
}

// String names the token as a syntax error message quotes it: the end of the cell or
// line in words, a string with its quotes, anything else in backquotes.
func (t token) String() string {
	switch t.kind {
	case tokEOF:
		return "end of cell"
	case tokNewline:
		return "end of line"
	case tokString, tokFString:
		return "string " + t.raw
	}
	return "`" + t.raw + "`"
}

// syntaxError is a parse failure at a byte offset; incomplete marks errors that more
// input could fix (an open bracket, a triple-quoted string, a trailing backslash), which
// IsComplete reports as "incomplete" rather than "invalid".
type syntaxError struct {
	pos        int
	msg, hint  string
	incomplete bool
}

// Error is "SyntaxError at <byte offset>: <message>"; the hint is carried to the
// user-facing Error on its own.
func (e *syntaxError) Error() string { return fmt.Sprintf("SyntaxError at %d: %s", e.pos, e.msg) }

// threeCharOps and twoCharOps are matched longest first.
var threeCharOps = []string{"...", "**=", "//=", "<<=", ">>="}
var twoCharOps = []string{"**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>", "??", "->"}

const oneCharOps = "()[]{},:.;=+-*/%<>?~@&|^!"

// tokenize splits a cell into tokens. Newlines inside brackets and after a backslash are
// dropped, as in Python; a newline token ends each logical line.
func tokenize(src string) ([]token, *syntaxError) { return tokenizeFrom(src, 0) }

// tokenizeFrom tokenizes src[start:], with positions in src: an f-string field's
// expression is read in place in the cell, without copying the text before it.
func tokenizeFrom(src string, start int) ([]token, *syntaxError) {
	var toks []token
	var brackets []int // positions of open brackets
	i := start
	n := len(src)
	for i < n {
		c := src[i]
		switch {
		case c == '\n':
			if len(brackets) == 0 {
				toks = append(toks, token{kind: tokNewline, text: "\n", raw: "\n", pos: i, end: i + 1})
			}
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			i++
		case c == '#':
			for i < n && src[i] != '\n' {
				i++
			}
		case c == '\\':
			j := i + 1
			for j < n && (src[j] == ' ' || src[j] == '\t' || src[j] == '\r') {
				j++
			}
			if j >= n {
				return toks, &syntaxError{pos: i, msg: "unexpected end of cell after line continuation `\\`", incomplete: true}
			}
			if src[j] != '\n' {
				return toks, &syntaxError{pos: i, msg: "unexpected character after line continuation `\\`"}
			}
			i = j + 1
		case c >= '0' && c <= '9' || c == '.' && i+1 < n && src[i+1] >= '0' && src[i+1] <= '9':
			t, err := scanNumber(src, i)
			if err != nil {
				return toks, err
			}
			toks = append(toks, t)
			i = t.end
		case c == '"' || c == '\'':
			t, err := scanString(src, i, i, false)
			if err != nil {
				return toks, err
			}
			toks = append(toks, t)
			i = t.end
		case isIdentStart(src, i):
			j := i
			for j < n {
				r, size := utf8.DecodeRuneInString(src[j:])
				if r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
					j += size
					continue
				}
				break
			}
			word := src[i:j]
			// String prefixes: r"…", b"…", f"…" and combinations.
			if j < n && (src[j] == '"' || src[j] == '\'') && len(word) <= 2 && strings.Trim(strings.ToLower(word), "rbuf") == "" {
				lw := strings.ToLower(word)
				raw := strings.Contains(lw, "r")
				t, err := scanString(src, i, j, raw)
				if err != nil {
					return toks, err
				}
				if strings.Contains(lw, "f") {
					if strings.Contains(lw, "b") {
						return toks, &syntaxError{pos: i, msg: "invalid string prefix " + word, hint: "bytes cannot be f-strings"}
					}
					ql := 1
					if t.end-j >= 6 && src[j+1] == src[j] && src[j+2] == src[j] {
						ql = 3
					}
					if t.parts, err = fstringParts(src, j+ql, t.end-ql, raw); err != nil {
						return toks, err
					}
					t.kind = tokFString
				}
				toks = append(toks, t)
				i = t.end
				continue
			}
			toks = append(toks, token{kind: tokName, text: word, raw: word, pos: i, end: j})
			i = j
		default:
			op := ""
			for _, o := range threeCharOps {
				if strings.HasPrefix(src[i:], o) {
					op = o
					break
				}
			}
			if op == "" {
				for _, o := range twoCharOps {
					if strings.HasPrefix(src[i:], o) {
						op = o
						break
					}
				}
			}
			if op == "" && strings.IndexByte(oneCharOps, c) >= 0 {
				op = string(c)
			}
			if op == "" {
				r, _ := utf8.DecodeRuneInString(src[i:])
				return toks, &syntaxError{pos: i, msg: fmt.Sprintf("invalid character %q in cell", r)}
			}
			switch op {
			case "(", "[", "{":
				// CPython's tokenizer stops here too, so an unclosed run of 300 000 `(`
				// is invalid at once rather than incomplete.
				if len(brackets) >= maxBracketDepth {
					return toks, &syntaxError{pos: i, msg: "too many nested parentheses"}
				}
				brackets = append(brackets, i)
			case ")", "]", "}":
				if len(brackets) == 0 {
					return toks, &syntaxError{pos: i, msg: fmt.Sprintf("unmatched `%s`", op)}
				}
				open := src[brackets[len(brackets)-1]]
				if want := map[byte]string{'(': ")", '[': "]", '{': "}"}[open]; want != op {
					return toks, &syntaxError{pos: i, msg: fmt.Sprintf("closing `%s` does not match opening `%c`", op, open)}
				}
				brackets = brackets[:len(brackets)-1]
			}
			toks = append(toks, token{kind: tokOp, text: op, raw: op, pos: i, end: i + len(op)})
			i += len(op)
		}
	}
	if len(brackets) > 0 {
		p := brackets[len(brackets)-1]
		return toks, &syntaxError{pos: p, msg: fmt.Sprintf("`%c` was never closed", src[p]), incomplete: true}
	}
	toks = append(toks, token{kind: tokNewline, pos: n, end: n}, token{kind: tokEOF, pos: n, end: n})
	return toks, nil
}

func isIdentStart(src string, i int) bool {
	r, _ := utf8.DecodeRuneInString(src[i:])
	return r == '_' || unicode.IsLetter(r)
}

// scanNumber reads an int or float literal at i: 12, 1_000, 0x1f, 1.5, .5, 1e-3, 2.
func scanNumber(src string, i int) (token, *syntaxError) {
	n := len(src)
	j := i
	digits := func() {
		for j < n && (src[j] >= '0' && src[j] <= '9' || src[j] == '_') {
			j++
		}
	}
	if src[j] == '0' && j+1 < n && strings.IndexByte("xXoObB", src[j+1]) >= 0 {
		j += 2
		for j < n && (isHex(src[j]) || src[j] == '_') {
			j++
		}
		if err := checkUnderscores(src[i:j], i); err != nil {
			return token{}, err
		}
		return token{kind: tokInt, text: src[i:j], raw: src[i:j], pos: i, end: j}, nil
	}
	kind := tokInt
	digits()
	if j < n && src[j] == '.' {
		if j+1 < n && src[j+1] == '.' {
			// `1..5`: a range written the way other languages do.
			return token{}, &syntaxError{pos: j, msg: "invalid syntax `..`", hint: "use `:` for a slice, e.g. `1:5`"}
		}
		kind = tokFloat
		j++
		digits()
	}
	if j < n && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < n && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < n && src[k] >= '0' && src[k] <= '9' {
			kind = tokFloat
			j = k
			digits()
		} else {
			return token{}, &syntaxError{pos: j, msg: "invalid number literal " + src[i:k], hint: "an exponent needs digits, e.g. `1e-3`"}
		}
	}
	if j < n && (src[j] == 'j' || src[j] == 'J') {
		return token{}, &syntaxError{pos: j, msg: "complex numbers are not supported"}
	}
	if j < n && isIdentStart(src, j) {
		return token{}, &syntaxError{pos: i, msg: "invalid number literal " + src[i:j+1]}
	}
	if err := checkUnderscores(src[i:j], i); err != nil {
		return token{}, err
	}
	return token{kind: kind, text: src[i:j], raw: src[i:j], pos: i, end: j}, nil
}

// checkUnderscores accepts `_` in a number literal only between two digits (or after a
// base prefix: 0x_ff), as Python does: 1_000 is a number, 1__0 and 1_ are errors.
func checkUnderscores(lit string, pos int) *syntaxError {
	for k := 0; k < len(lit); k++ {
		if lit[k] != '_' {
			continue
		}
		prevOK := k > 0 && (isHex(lit[k-1]) || k == 2 && strings.IndexByte("xXoObB", lit[1]) >= 0)
		nextOK := k+1 < len(lit) && isHex(lit[k+1])
		if !prevOK || !nextOK {
			return &syntaxError{pos: pos, msg: "invalid number literal " + lit, hint: "`_` may only stand between two digits, e.g. 1_000"}
		}
	}
	return nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// scanString reads a string literal whose prefix starts at start and quote at q.
func scanString(src string, start, q int, raw bool) (token, *syntaxError) {
	n := len(src)
	quote := src[q]
	triple := q+2 < n && src[q+1] == quote && src[q+2] == quote
	j := q + 1
	if triple {
		j = q + 3
	}
	var b strings.Builder
	for {
		if j >= n {
			if triple {
				return token{}, &syntaxError{pos: start, msg: "unterminated triple-quoted string literal", incomplete: true}
			}
			return token{}, &syntaxError{pos: start, msg: "unterminated string literal", hint: "close the string with " + string(quote)}
		}
		c := src[j]
		if c == quote {
			if !triple {
				j++
				break
			}
			if j+2 < n && src[j+1] == quote && src[j+2] == quote {
				j += 3
				break
			}
		}
		if c == '\n' && !triple {
			return token{}, &syntaxError{pos: start, msg: "unterminated string literal", hint: "close the string with " + string(quote) + " on the same line"}
		}
		if c == '\\' && j+1 < n {
			if raw {
				b.WriteByte(c)
				b.WriteByte(src[j+1])
				j += 2
				continue
			}
			text, next, err := decodeEscape(src, j+1)
			if err != nil {
				return token{}, err
			}
			b.WriteString(text)
			j = next
			continue
		}
		b.WriteByte(c)
		j++
	}
	return token{kind: tokString, text: b.String(), raw: src[start:j], pos: start, end: j}, nil
}
