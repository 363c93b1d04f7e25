package units

import (
	"strconv"
	"strings"
	"unicode"
)

// Parse reads a unit string in astropy's generic format, as u.Unit("km / s") does:
// products by spaces, "*" or "."; quotients by "/" (a "/" takes the whole product
// after it: "W / m2 sr" is W / (m2 sr)); powers as "**", "^" or digits after the name
// ("s-1", "cm2", "m(1/2)"); parentheses; a leading number as the scale ("10**-7 J",
// "1 / s"). The
// empty string is dimensionless. An unknown name or a syntax error is astropy's
// ValueError with its message.
func Parse(s string) (Unit, error) {
	p := &parser{src: s, toks: tokenize(s)}
	if strings.TrimSpace(s) == "" {
		return Dimensionless, nil
	}
	u, err := p.quotient()
	if err == nil && p.peek().kind != tokEnd {
		err = p.syntaxError()
	}
	if err != nil {
		return Unit{}, err
	}
	return u, nil
}

type tokKind int

const (
	tokEnd tokKind = iota
	tokName
	tokNumber
	tokMul   // "*", "." or whitespace between factors
	tokPow   // "**" or "^"
	tokDiv   // "/"
	tokOpen  // "("
	tokClose // ")"
	tokSign  // "+" or "-"
	tokBad
)

type token struct {
	kind tokKind
	text string
	col  int
	// glued: no space before the token (a power written after a name, "s-1", "cm2").
	glued bool
}

func tokenize(s string) []token {
	var out []token
	rs := []rune(s)
	space := true
	for i := 0; i < len(rs); {
		r := rs[i]
		start := i
		add := func(k tokKind, n int) {
			out = append(out, token{k, string(rs[start : start+n]), start, !space})
			i = start + n
			space = false
		}
		switch {
		case unicode.IsSpace(r):
			i++
			space = true
			continue
		case r == '*' && i+1 < len(rs) && rs[i+1] == '*':
			add(tokPow, 2)
		case r == '^':
			add(tokPow, 1)
		case r == '*':
			add(tokMul, 1)
		case r == '.' && !(i+1 < len(rs) && unicode.IsDigit(rs[i+1])):
			add(tokMul, 1)
		case r == '/':
			add(tokDiv, 1)
		case r == '(':
			add(tokOpen, 1)
		case r == ')':
			add(tokClose, 1)
		case r == '+' || r == '-':
			add(tokSign, 1)
		case unicode.IsDigit(r) || r == '.':
			add(tokNumber, numberLen(rs[i:]))
		case r == '%':
			add(tokName, 1)
		case unicode.IsLetter(r) || r == '_':
			n := 1
			for i+n < len(rs) && (unicode.IsLetter(rs[i+n]) || rs[i+n] == '_') {
				n++
			}
			add(tokName, n)
		default:
			add(tokBad, 1)
		}
	}
	return append(out, token{kind: tokEnd, col: len(rs)})
}

// numberLen gives the length of the number at the start of rs: digits, a point,
// digits, an exponent.
func numberLen(rs []rune) int {
	n := 0
	for n < len(rs) && (unicode.IsDigit(rs[n]) || rs[n] == '.') {
		n++
	}
	if n+1 < len(rs) && (rs[n] == 'e' || rs[n] == 'E') {
		m := n + 1
		if rs[m] == '+' || rs[m] == '-' {
			m++
		}
		if m < len(rs) && unicode.IsDigit(rs[m]) {
			for m < len(rs) && unicode.IsDigit(rs[m]) {
				m++
			}
			return m
		}
	}
	return n
}

type parser struct {
	src   string
	toks  []token
	pos   int
	depth int // parentheses open, bounded by maxDepth
}

// maxDepth bounds nested parentheses, so that a hostile string cannot exhaust the stack.
const maxDepth = 64

func (p *parser) peek() token { return p.toks[p.pos] }
func (p *parser) next() token { t := p.toks[p.pos]; p.pos++; return t }

const customUnitHint = "If this is meant to be a custom unit, define it with 'u.def_unit'. To have it recognized inside a file reader or other code, enable it with 'u.add_enabled_units'. For details, see https://docs.astropy.org/en/latest/units/combining_and_defining.html"

func (p *parser) syntaxError() error {
	return errorf(ValueError, "'%s' did not parse as unit: Syntax error parsing unit '%s' %s", p.src, p.src, customUnitHint)
}

// quotient is product ("/" product)*.
func (p *parser) quotient() (Unit, error) {
	u, err := p.product()
	if err != nil {
		return u, err
	}
	for p.peek().kind == tokDiv {
		p.next()
		v, err := p.product()
		if err != nil {
			return u, err
		}
		u = u.Div(v)
	}
	return u, nil
}

// product is power ([*.] power)*, factors also joined by spaces.
func (p *parser) product() (Unit, error) {
	u, err := p.power()
	if err != nil {
		return u, err
	}
	for {
		switch p.peek().kind {
		case tokMul:
			p.next()
		case tokName, tokNumber, tokOpen:
		default:
			return u, nil
		}
		v, err := p.power()
		if err != nil {
			return u, err
		}
		u = u.Mul(v)
	}
}

// power is an atom with an optional exponent: "**" or "^" then a signed number or a
// parenthesised fraction, or a signed integer glued to a name ("s-1", "cm2", "m(1/2)").
func (p *parser) power() (Unit, error) {
	t := p.peek()
	u, err := p.atom()
	if err != nil {
		return u, err
	}
	nt := p.peek()
	switch {
	case nt.kind == tokPow:
		p.next()
	case t.kind == tokName && nt.glued && (nt.kind == tokNumber || nt.kind == tokSign || nt.kind == tokOpen):
	default:
		return u, nil
	}
	e, err := p.exponent()
	if err != nil {
		return u, err
	}
	if r, ok := RatOf(e); ok {
		return u.Pow(r), nil
	}
	return Unit{}, p.syntaxError()
}

// exponent reads a signed number or a parenthesised (signed) fraction.
func (p *parser) exponent() (float64, error) {
	if p.peek().kind == tokOpen {
		p.next()
		n, err := p.signedNumber()
		if err != nil {
			return 0, err
		}
		if p.peek().kind == tokDiv {
			p.next()
			d, err := p.signedNumber()
			if err != nil || d == 0 {
				return 0, p.syntaxError()
			}
			n /= d
		}
		if p.next().kind != tokClose {
			return 0, p.syntaxError()
		}
		return n, nil
	}
	return p.signedNumber()
}

func (p *parser) signedNumber() (float64, error) {
	sign := 1.0
	if t := p.peek(); t.kind == tokSign {
		p.next()
		if t.text == "-" {
			sign = -1
		}
	}
	t := p.next()
	if t.kind != tokNumber {
		return 0, p.syntaxError()
	}
	v, err := strconv.ParseFloat(t.text, 64)
	if err != nil {
		return 0, p.syntaxError()
	}
	return sign * v, nil
}

// atom is a unit name, a number (a scale) or a parenthesised quotient.
func (p *parser) atom() (Unit, error) {
	t := p.next()
	switch t.kind {
	case tokName:
		name := t.text
		if name == "%" {
			name = "percent" // astropy's one unit symbol outside names
		}
		n, ok := Lookup(name)
		if !ok {
			msg := "'" + p.src + "' did not parse as unit: At col " + strconv.Itoa(t.col) + ", " + t.text + " is not a valid unit. "
			return Unit{}, errorf(ValueError, "%s%s %s", msg, DidYouMean(t.text), customUnitHint)
		}
		return Of(n), nil
	case tokNumber:
		if p.pos != 1 { // astropy takes a number only as the leading scale
			return Unit{}, p.syntaxError()
		}
		v, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return Unit{}, p.syntaxError()
		}
		if p.peek().kind == tokPow {
			p.next()
			e, err := p.exponent()
			if err != nil {
				return Unit{}, err
			}
			v = pow10ish(v, e)
		}
		return Scalar(v), nil
	case tokOpen:
		if p.depth++; p.depth > maxDepth {
			return Unit{}, p.syntaxError()
		}
		defer func() { p.depth-- }()
		u, err := p.quotient()
		if err != nil {
			return u, err
		}
		if p.next().kind != tokClose {
			return Unit{}, p.syntaxError()
		}
		return u, nil
	}
	return Unit{}, p.syntaxError()
}

// pow10ish gives v**e as Python's float power does for the scales of unit strings.
func pow10ish(v, e float64) float64 {
	if v == 10 && e == float64(int(e)) {
		return strconvPow10(int(e))
	}
	return mathPow(v, e)
}
