package lang

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/expr-lang/expr/ast"

	"gokist/runtime/obj"
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
	switch conv {
	case "r", "a":
		v = Repr(v)
	case "s":
		v = Str(v)
	}
	return formatSpec(v, spec)
}

// formatSpec formats v by Python's format-spec mini-language
// ([[fill]align][sign][#][0][width][,|_][.precision][type]) for str, int, float and bool;
// other values accept only an empty spec.
func formatSpec(v any, spec string) (string, error) {
	if spec == "" {
		return Str(v), nil
	}
	if f, ok := v.(obj.SpecFormatter); ok {
		return f.FormatSpec(spec)
	}
	fill, align, sign, alt, zero := " ", byte(0), byte('-'), false, false
	i := 0
	if len(spec) >= 2 && strings.IndexByte("<>^=", spec[1]) >= 0 {
		fill, align, i = spec[:1], spec[1], 2
	} else if strings.IndexByte("<>^=", spec[0]) >= 0 {
		align, i = spec[0], 1
	}
	if i < len(spec) && strings.IndexByte("+- ", spec[i]) >= 0 {
		sign, i = spec[i], i+1
	}
	if i < len(spec) && spec[i] == '#' {
		alt, i = true, i+1
	}
	if i < len(spec) && spec[i] == '0' {
		zero, i = true, i+1
	}
	j := i
	for j < len(spec) && spec[j] >= '0' && spec[j] <= '9' {
		j++
	}
	width, _ := strconv.Atoi(spec[i:j])
	i = j
	group := ""
	if i < len(spec) && (spec[i] == ',' || spec[i] == '_') {
		group, i = spec[i:i+1], i+1
	}
	prec := -1
	if i < len(spec) && spec[i] == '.' {
		j = i + 1
		for j < len(spec) && spec[j] >= '0' && spec[j] <= '9' {
			j++
		}
		if j == i+1 {
			return "", obj.Errorf(obj.ValueError, "Format specifier missing precision")
		}
		prec, _ = strconv.Atoi(spec[i+1 : j])
		i = j
	}
	typ := byte(0)
	if i < len(spec) {
		typ, i = spec[i], i+1
	}
	if i != len(spec) || width > 1000 || prec > 1000 {
		return "", obj.Errorf(obj.ValueError, "Invalid format specifier %q", spec)
	}
	if zero && align == 0 {
		fill, align = "0", '='
	}

	var body, signText string
	numeric := true
	switch x := v.(type) {
	case string:
		if typ != 0 && typ != 's' {
			return "", obj.Errorf(obj.ValueError, "Unknown format code '%c' for object of type 'str'", typ)
		}
		numeric = false
		body = x
		if prec >= 0 && len([]rune(body)) > prec {
			body = string([]rune(body)[:prec])
		}
	case bool, int, float64, float32:
		n, f, isInt, _ := number(x)
		if b, ok := x.(bool); ok && typ == 0 {
			numeric, body = false, Str(b)
			break
		}
		if isInt && strings.IndexByte("eEfFgG%", typ) >= 0 || isInt && typ == 0 && prec >= 0 {
			return formatSpec(float64(n), spec)
		}
		if !isInt && strings.IndexByte("bcdoxXn", typ) >= 0 && typ != 'n' {
			return "", obj.Errorf(obj.ValueError, "Unknown format code '%c' for object of type 'float'", typ)
		}
		neg := isInt && n < 0 || !isInt && math.Signbit(f) && !math.IsNaN(f)
		if isInt {
			u := uint64(n)
			if n < 0 {
				u = uint64(-n)
			}
			switch typ {
			case 0, 'd', 'n':
				body = groupDigits(strconv.FormatUint(u, 10), group)
			case 'x', 'X', 'o', 'b':
				base := map[byte]int{'x': 16, 'X': 16, 'o': 8, 'b': 2}[typ]
				body = strconv.FormatUint(u, base)
				if typ == 'X' {
					body = strings.ToUpper(body)
				}
				if alt {
					body = "0" + map[byte]string{'x': "x", 'X': "X", 'o': "o", 'b': "b"}[typ] + body
				}
			case 'c':
				numeric, neg, body = false, false, string(rune(n))
			case 's':
				return "", obj.Errorf(obj.ValueError, "Unknown format code 's' for object of type 'int'")
			default:
				return "", obj.Errorf(obj.ValueError, "Unknown format code '%c' for object of type 'int'", typ)
			}
		} else {
			a := math.Abs(f)
			switch {
			case math.IsNaN(f):
				body = "nan"
			case math.IsInf(f, 0):
				body = "inf"
			default:
				switch typ {
				case 'f', 'F', '%':
					if prec < 0 {
						prec = 6
					}
					if typ == '%' {
						a *= 100
					}
					body = strconv.FormatFloat(a, 'f', prec, 64)
				case 'e', 'E':
					if prec < 0 {
						prec = 6
					}
					body = strconv.FormatFloat(a, 'e', prec, 64)
				case 'g', 'G', 'n':
					if prec < 0 {
						prec = 6
					}
					body = pythonG(a, max(prec, 1), max(prec, 1), alt)
				case 0:
					if prec < 0 {
						body = FormatFloat(a)
					} else {
						body = pythonG(a, max(prec, 1), max(prec, 1)-1, alt)
						if !strings.ContainsAny(body, ".e") {
							body += ".0"
						}
					}
				case 's':
					return "", obj.Errorf(obj.ValueError, "Unknown format code 's' for object of type 'float'")
				default:
					return "", obj.Errorf(obj.ValueError, "Unknown format code '%c' for object of type 'float'", typ)
				}
				if group != "" {
					intPart, rest, _ := strings.Cut(body, ".")
					if strings.ContainsAny(intPart, "e") {
						break
					}
					body = groupDigits(intPart, group)
					if rest != "" || strings.Contains(body, ".") {
						body += "." + rest
					}
				}
			}
			if typ == 'E' || typ == 'G' || typ == 'F' {
				body = strings.ToUpper(body)
			}
			if typ == '%' {
				body += "%"
			}
		}
		switch {
		case neg:
			signText = "-"
		case sign == '+':
			signText = "+"
		case sign == ' ':
			signText = " "
		}
	default:
		// Quantities and coordinates: Python's objects reject numeric specs too, except
		// astropy's; point at .value, which always works.
		return "", &obj.Error{Class: obj.TypeError,
			Msg:  fmt.Sprintf("unsupported format string passed to %s.__format__", pyTypeName(v)),
			Hint: "format a number, e.g. its `.value`: f\"{x.value:" + spec + "}\""}
	}
	if align == 0 {
		align = '<'
		if numeric {
			align = '>'
		}
	}
	pad := width - len([]rune(signText+body))
	if pad <= 0 {
		return signText + body, nil
	}
	switch align {
	case '<':
		return signText + body + strings.Repeat(fill, pad), nil
	case '>':
		return strings.Repeat(fill, pad) + signText + body, nil
	case '^':
		return strings.Repeat(fill, pad/2) + signText + body + strings.Repeat(fill, pad-pad/2), nil
	}
	return signText + strings.Repeat(fill, pad) + body, nil // '=': padding after the sign
}

// pythonG is Python's 'g' presentation of a non-negative finite x with prec significant
// digits: scientific when the exponent is < -4 or ≥ sciAt (prec for 'g', prec-1 for a
// spec without a type), trailing zeros removed unless alt.
func pythonG(x float64, prec, sciAt int, alt bool) string {
	if x == 0 {
		if alt {
			return "0." + strings.Repeat("0", prec-1)
		}
		return "0"
	}
	e := strconv.FormatFloat(x, 'e', prec-1, 64)
	mant, expText, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expText)
	var s string
	if exp < -4 || exp >= sciAt {
		if !alt && strings.Contains(mant, ".") {
			mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
		}
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		return fmt.Sprintf("%se%s%02d", mant, sign, exp)
	}
	s = strconv.FormatFloat(x, 'f', max(prec-1-exp, 0), 64)
	if !alt && strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// groupDigits inserts sep every three digits from the right ("" leaves digits alone).
func groupDigits(digits, sep string) string {
	if sep == "" || len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	lead := len(digits) % 3
	if lead > 0 {
		b.WriteString(digits[:lead])
	}
	for i := lead; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
