package lang

import (
	"fmt"
	"gokist/runtime/numpy"
	"strconv"
	"strings"
	"unicode"

	"github.com/expr-lang/expr/ast"

	"gokist/obj"
	"gokist/pyfmt"
)

// f-strings: `f"{x:.3f} nm"`, as tutorials write in print(...). The tokenizer splits the
// literal into text and replacement fields (fstringParts), the parser lowers each field
// to a call of fnFormat on the field's expression (parsed with its own positions in the
// cell, so errors point inside the string), and the pieces are joined with `+`.

// fnFormat is the helper that formats one replacement field: value, conversion ("", "r",
// "s") and format spec.
const fnFormat = "__format"

// fpart is one piece of an f-string: literal text, or an expression (source text at
// byte offset pos of the cell) with its conversion and format spec.
type fpart struct {
	lit     string
	isField bool
	expr    string
	pos     int
	conv    string
	spec    string
}

// fstringParts splits the body of an f-string (src[from:to], between the quotes) into
// parts. Literal text keeps Python's escapes (unless raw) and `{{`/`}}`.
func fstringParts(src string, from, to int, raw bool) ([]fpart, *syntaxError) {
	var parts []fpart
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, fpart{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := from; i < to; {
		c := src[i]
		switch {
		case c == '{' && i+1 < to && src[i+1] == '{':
			lit.WriteByte('{')
			i += 2
		case c == '}' && i+1 < to && src[i+1] == '}':
			lit.WriteByte('}')
			i += 2
		case c == '}':
			return nil, &syntaxError{pos: i, msg: "f-string: single '}' is not allowed", hint: "write `}}` for a literal brace"}
		case c == '{':
			flush()
			f, end, err := fstringField(src, i, to)
			if err != nil {
				return nil, err
			}
			if strings.HasSuffix(strings.TrimRight(f.expr, " "), "=") && !strings.HasSuffix(strings.TrimRight(f.expr, " "), "==") {
				// Self-documenting `{x=}`: the text, then the value's repr by default.
				text := strings.TrimRight(f.expr, " ")
				parts = append(parts, fpart{lit: f.expr})
				f.expr = text[:len(text)-1]
				if f.conv == "" && f.spec == "" {
					f.conv = "r"
				}
			}
			parts = append(parts, f)
			i = end
		case c == '\\' && !raw && i+1 < to:
			text, next, err := decodeEscape(src[:to], i+1)
			if err != nil {
				return nil, err
			}
			lit.WriteString(text)
			i = next
		default:
			lit.WriteByte(c)
			i++
		}
	}
	flush()
	return parts, nil
}

// decodeEscape decodes the escape whose backslash is at src[j-1], as Python does:
// \n \t \r \a \b \f \v \\ \' \", octal \ooo, \xhh, \uXXXX, \UXXXXXXXX and a
// line continuation; an unknown escape such as \d stays as written. It returns the text
// and the offset after the escape.
func decodeEscape(src string, j int) (string, int, *syntaxError) {
	e := src[j]
	switch e {
	case 'n':
		return "\n", j + 1, nil
	case 't':
		return "\t", j + 1, nil
	case 'r':
		return "\r", j + 1, nil
	case 'a':
		return "\a", j + 1, nil
	case 'b':
		return "\b", j + 1, nil
	case 'f':
		return "\f", j + 1, nil
	case 'v':
		return "\v", j + 1, nil
	case '\\', '\'', '"':
		return string(e), j + 1, nil
	case '\n':
		return "", j + 1, nil
	case 'x', 'u', 'U':
		n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
		k := j + 1
		for k < len(src) && k < j+1+n && isHex(src[k]) {
			k++
		}
		if k-j-1 < n {
			return "", 0, &syntaxError{pos: j - 1, msg: fmt.Sprintf("(unicode error) truncated \\%c%s escape", e, strings.Repeat("X", n)),
				hint: fmt.Sprintf("write exactly %d hexadecimal digits, or \\\\ for a backslash", n)}
		}
		v, _ := strconv.ParseUint(src[j+1:k], 16, 32)
		if v > unicode.MaxRune {
			return "", 0, &syntaxError{pos: j - 1, msg: "(unicode error) illegal Unicode character " + src[j-1:k]}
		}
		return string(rune(v)), k, nil
	case 'N':
		return "", 0, &syntaxError{pos: j - 1, msg: "named Unicode escapes (\\N{…}) are not supported", hint: "write the character itself, or its code as \\uXXXX"}
	}
	if e >= '0' && e <= '7' {
		k := j
		for k < len(src) && k < j+3 && src[k] >= '0' && src[k] <= '7' {
			k++
		}
		v, _ := strconv.ParseUint(src[j:k], 8, 32)
		return string(rune(v)), k, nil
	}
	return "\\" + string(e), j + 1, nil
}

// fstringField reads the replacement field whose `{` is at open, returning it and the
// offset after its `}`. Brackets and quotes inside the expression are skipped, so that
// `{ds.shape[0]}` and `{d['a']}` work; `!r`/`!s` and `:spec` are read at the top level.
func fstringField(src string, open, to int) (fpart, int, *syntaxError) {
	depth := 0
	var quote byte
	exprEnd, convAt, specAt := -1, -1, -1
	i := open + 1
	for ; i < to; i++ {
		c := src[i]
		if quote != 0 {
			if c == quote {
				quote = 0
			}
			continue
		}
		if specAt >= 0 {
			if c == '{' {
				return fpart{}, 0, &syntaxError{pos: i, msg: "f-string: nested replacement fields in a format spec are not supported", hint: "write the width and precision as numbers, e.g. `{x:10.3f}`"}
			}
			if c == '}' {
				break
			}
			continue
		}
		switch {
		case c == '\'' || c == '"':
			quote = c
		case strings.IndexByte("([{", c) >= 0:
			depth++
		case strings.IndexByte(")]", c) >= 0 || c == '}' && depth > 0:
			depth--
		case c == '}':
			if exprEnd < 0 {
				exprEnd = i
			}
		case depth == 0 && c == '!' && i+1 < to && src[i+1] != '=':
			if exprEnd < 0 {
				exprEnd = i
			}
			convAt = i
		case depth == 0 && c == ':':
			if exprEnd < 0 {
				exprEnd = i
			}
			specAt = i
		}
		if c == '}' && depth == 0 && exprEnd >= 0 {
			break
		}
	}
	if i >= to {
		return fpart{}, 0, &syntaxError{pos: open, msg: "f-string: expecting '}'", hint: "close the replacement field with `}`"}
	}
	f := fpart{isField: true, expr: src[open+1 : exprEnd], pos: open + 1}
	if convAt >= 0 {
		end := i
		if specAt >= 0 {
			end = specAt
		}
		f.conv = strings.TrimSpace(src[convAt+1 : end])
		if f.conv != "r" && f.conv != "s" && f.conv != "a" {
			return fpart{}, 0, &syntaxError{pos: convAt, msg: fmt.Sprintf("f-string: invalid conversion character %q: expected 's', 'r', or 'a'", f.conv)}
		}
	}
	if specAt >= 0 {
		f.spec = src[specAt+1 : i]
	}
	if strings.TrimSpace(f.expr) == "" {
		return fpart{}, 0, &syntaxError{pos: open, msg: "f-string: empty expression not allowed", hint: "put a name or expression between the braces, e.g. `{x}`"}
	}
	return f, i + 1, nil
}

// fstring lowers an f-string token to a chain of `+` on its text and formatted fields.
func (p *parser) fstring(t token) (ast.Node, *syntaxError) {
	var node ast.Node
	add := func(n ast.Node) {
		if node == nil {
			node = n
			return
		}
		node = p.call(t.pos, fnBinOp, str("+"), node, n)
	}
	for _, part := range t.parts {
		if !part.isField {
			add(located(&ast.StringNode{Value: part.lit}, t.pos))
			continue
		}
		// The field's expression is tokenized in place, so positions stay the cell's.
		end := part.pos + len(part.expr)
		var toks []token
		var err *syntaxError
		if end <= len(p.src) && p.src[part.pos:end] == part.expr {
			toks, err = tokenizeFrom(p.src[:end], part.pos)
		} else {
			toks, err = tokenize(strings.Repeat(" ", part.pos) + part.expr)
		}
		if err != nil {
			return nil, err
		}
		// The field nests in the cell's expression: its depth counts toward the limits.
		sub := &parser{src: p.src, toks: toks, lets: p.lets, nesting: p.nesting, brackets: p.brackets}
		if err := sub.enter(t, false); err != nil {
			return nil, err
		}
		for sub.peek().kind == tokNewline {
			sub.i++
		}
		value, err := sub.expr()
		if err != nil {
			return nil, err
		}
		if k := sub.peek(); k.kind != tokNewline && k.kind != tokEOF {
			return nil, sub.unexpected(k, "in the f-string field")
		}
		p.lets = sub.lets
		p.uses = append(p.uses, sub.uses...)
		add(p.call(part.pos, fnFormat, value, str(part.conv), str(part.spec)))
	}
	if node == nil {
		return located(&ast.StringNode{Value: ""}, t.pos), nil
	}
	return node, nil
}

// formatField is one f-string replacement field: the conversion, then the format spec.
func formatField(v any, conv, spec string) (string, error) {
	if _, ok := v.(numpy.Bool); ok && spec != "" {
		v = plainBool(v) // numpy formats np.bool_ with a spec as Python's bool (an int)
	}
	switch conv {
	case "r", "a":
		v = Repr(v)
	case "s":
		v = Str(v)
	}
	return formatSpec(v, spec)
}

// formatSpec formats v by its spec: a value with its own __format__ (obj.SpecFormatter:
// quantities, coordinates) formats itself; str, int, float and bool follow Python's
// format-spec mini-language (pyfmt); anything else takes only an empty spec, its str().
func formatSpec(v any, spec string) (string, error) {
	if f, ok := v.(obj.SpecFormatter); ok && spec != "" {
		return f.FormatSpec(spec)
	}
	switch v.(type) {
	case string, bool, int, int64, int32, float64, float32:
		return pyfmt.Format(v, spec)
	}
	if spec == "" {
		return Str(v), nil
	}
	// Python's objects reject numeric specs, except astropy's; point at .value, which
	// always works.
	return "", &obj.Error{Class: obj.TypeError,
		Msg:  fmt.Sprintf("unsupported format string passed to %s.__format__", pyTypeName(v)),
		Hint: "format a number, e.g. its `.value`: f\"{x.value:" + spec + "}\""}
}
