package wcs

import (
	"math"
	"strconv"
	"strings"

	"gokist/runtime/obj"
)

// Python's str() and format() of the astropy-like values. astropy's Quantity.__str__ is
// str(numpy.float64) + " " + unit, and Quantity.__format__ formats the number with the
// spec (as Python formats a float) and appends the unit; Time and SkyCoord take only an
// empty spec. lang reaches these through the Str and FormatSpec methods.

// pyFloatRepr renders f as Python's repr(float) (and numpy float64's str): the shortest
// digits that round-trip, positional for exponents -4 ≤ e < 16 (always with a point),
// otherwise scientific with at least two exponent digits: 630.07065, 5.0, 1e+20, 1e-05.
func pyFloatRepr(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	_, exps, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(exps)
	if exp < -4 || exp >= 16 {
		return e
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// floatSpec is a parsed Python format spec for a float.
type floatSpec struct {
	fill      string
	align     byte // '<', '>', '^', '=' or 0
	sign      byte // '+', '-', ' '
	alt, zero bool
	noNegZero bool // 'z': a negative number that rounds to zero loses its sign
	width     int
	group     string // "", ",", "_"
	prec      int    // -1 when absent
	typ       byte   // 'e', 'E', 'f', 'F', 'g', 'G', 'n', '%' or 0
}

// parseFloatSpec reads [[fill]align][sign][z][#][0][width][grouping][.precision][type].
func parseFloatSpec(spec string) (floatSpec, error) {
	p := floatSpec{fill: " ", sign: '-', prec: -1}
	r := []rune(spec)
	i := 0
	isAlign := func(c rune) bool { return c == '<' || c == '>' || c == '^' || c == '=' }
	if len(r) >= 2 && isAlign(r[1]) {
		p.fill, p.align, i = string(r[0]), byte(r[1]), 2
	} else if len(r) >= 1 && isAlign(r[0]) {
		p.align, i = byte(r[0]), 1
	}
	if i < len(r) && (r[i] == '+' || r[i] == '-' || r[i] == ' ') {
		p.sign, i = byte(r[i]), i+1
	}
	if i < len(r) && r[i] == 'z' {
		p.noNegZero, i = true, i+1
	}
	if i < len(r) && r[i] == '#' {
		p.alt, i = true, i+1
	}
	if i < len(r) && r[i] == '0' {
		p.zero, i = true, i+1
	}
	j := i
	for j < len(r) && r[j] >= '0' && r[j] <= '9' {
		j++
	}
	if j > i {
		p.width, _ = strconv.Atoi(string(r[i:j]))
	}
	i = j
	if i < len(r) && (r[i] == ',' || r[i] == '_') {
		p.group, i = string(r[i]), i+1
	}
	if i < len(r) && r[i] == '.' {
		j = i + 1
		for j < len(r) && r[j] >= '0' && r[j] <= '9' {
			j++
		}
		if j == i+1 {
			return p, obj.Errorf(obj.ValueError, "Format specifier missing precision")
		}
		p.prec, _ = strconv.Atoi(string(r[i+1 : j]))
		i = j
	}
	if i < len(r) {
		p.typ, i = byte(r[i]), i+1
		if r[i-1] > 0x7f || !strings.ContainsRune("eEfFgGn%", r[i-1]) {
			return p, obj.Errorf(obj.ValueError, "Unknown format code '%c' for object of type 'float'", r[i-1])
		}
	}
	if i != len(r) || p.width > 1000 || p.prec > 1000 {
		return p, obj.Errorf(obj.ValueError, "Invalid format specifier '%s' for object of type 'float'", spec)
	}
	if p.zero && p.align == 0 {
		p.fill, p.align = "0", '='
	}
	return p, nil
}

// pyFormatFloat formats f as Python's format(f, spec).
func pyFormatFloat(f float64, spec string) (string, error) {
	if spec == "" {
		return pyFloatRepr(f), nil
	}
	p, err := parseFloatSpec(spec)
	if err != nil {
		return "", err
	}
	neg := math.Signbit(f) && !math.IsNaN(f)
	a := math.Abs(f)
	var body string
	upper := p.typ == 'E' || p.typ == 'F' || p.typ == 'G'
	switch {
	case math.IsNaN(a):
		body = "nan"
	case math.IsInf(a, 0):
		body = "inf"
	default:
		body = formatMagnitude(a, p)
	}
	if p.typ == '%' {
		body += "%"
	}
	if upper {
		body = strings.ToUpper(body)
	}
	if neg && p.noNegZero && !math.IsInf(a, 0) && !strings.ContainsAny(strings.SplitN(body, "e", 2)[0], "123456789") {
		neg = false
	}
	signText := ""
	switch {
	case neg:
		signText = "-"
	case p.sign == '+':
		signText = "+"
	case p.sign == ' ':
		signText = " "
	}
	return pad(signText, body, p), nil
}

// formatMagnitude formats a finite non-negative number by the spec's type and precision,
// with grouping of the integer part.
func formatMagnitude(a float64, p floatSpec) string {
	prec := p.prec
	var s string
	switch p.typ {
	case 'f', 'F', '%':
		if prec < 0 {
			prec = 6
		}
		if p.typ == '%' {
			a *= 100
		}
		s = strconv.FormatFloat(a, 'f', prec, 64)
		if p.alt && !strings.Contains(s, ".") {
			s += "."
		}
	case 'e', 'E':
		if prec < 0 {
			prec = 6
		}
		s = strconv.FormatFloat(a, 'e', prec, 64)
		if p.alt && !strings.Contains(s, ".") {
			s = strings.Replace(s, "e", ".e", 1)
		}
	case 'g', 'G', 'n':
		if prec < 0 {
			prec = 6
		}
		s = generalFormat(a, prec, p.alt, false)
	default: // no type: repr without a precision, else 'g' that keeps one decimal
		if prec < 0 {
			s = pyFloatRepr(a)
		} else {
			s = generalFormat(a, prec, p.alt, true)
		}
	}
	if p.group != "" {
		end := strings.IndexAny(s, ".e%")
		if end < 0 {
			end = len(s)
		}
		s = groupDigits(s[:end], p.group) + s[end:]
	}
	return s
}

// generalFormat is Python's 'g' (and, with keepDecimal, the empty type with a precision):
// scientific when the exponent after rounding is < -4 or ≥ precision, else positional;
// trailing zeros removed unless alt.
func generalFormat(a float64, prec int, alt, keepDecimal bool) string {
	if prec == 0 {
		prec = 1
	}
	e := strconv.FormatFloat(a, 'e', prec-1, 64)
	mant, exps, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(exps)
	var s string
	// CPython switches to scientific one digit earlier when it must add ".0".
	sciFrom := prec
	if keepDecimal {
		sciFrom = prec - 1
	}
	if exp < -4 || exp >= sciFrom {
		if !alt && strings.Contains(mant, ".") {
			mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
		}
		if alt && !strings.Contains(mant, ".") {
			mant += "."
		}
		s = mant + "e" + exps
	} else {
		s = strconv.FormatFloat(a, 'f', max(prec-1-exp, 0), 64)
		if !alt && strings.Contains(s, ".") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
		if alt && !strings.Contains(s, ".") {
			s += "."
		}
		if keepDecimal && !strings.Contains(s, ".") {
			s += ".0"
		}
	}
	return s
}

// groupDigits puts sep between groups of three digits.
func groupDigits(digits, sep string) string {
	if len(digits) <= 3 {
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

// pad applies width, fill and alignment (numbers align right by default; '=' pads
// between the sign and the digits).
func pad(sign, body string, p floatSpec) string {
	n := len([]rune(sign)) + len([]rune(body))
	if p.width <= n {
		return sign + body
	}
	fill := strings.Repeat(p.fill, p.width-n)
	switch p.align {
	case '<':
		return sign + body + fill
	case '^':
		half := (p.width - n) / 2
		return strings.Repeat(p.fill, half) + sign + body + strings.Repeat(p.fill, p.width-n-half)
	case '=':
		return sign + fill + body
	}
	return fill + sign + body
}

// quantityFormat is astropy's Quantity.__format__: str() for an empty spec, otherwise
// the number formatted by spec followed by the unit.
func quantityFormat(v float64, unit, spec string) (string, error) {
	if spec == "" {
		return quantityStr(v, unit), nil
	}
	s, err := pyFormatFloat(v, spec)
	if err != nil {
		return "", err
	}
	if unit == "" {
		return s, nil
	}
	return s + " " + unit, nil
}

// quantityStr is astropy's Quantity.__str__: "630.07065 nm", "5.0" when dimensionless.
func quantityStr(v float64, unit string) string {
	if unit == "" {
		return pyFloatRepr(v)
	}
	return pyFloatRepr(v) + " " + unit
}

// emptySpecOnly is object.__format__, which astropy's Time and SkyCoord inherit: the
// empty spec gives str(), any other is a TypeError.
func emptySpecOnly(typeName, str, spec string) (string, error) {
	if spec != "" {
		return "", obj.Errorf(obj.TypeError, "unsupported format string passed to %s.__format__", typeName)
	}
	return str, nil
}

// Str is Python's str(q): "-400.3 arcsec".
func (q *Quantity) Str() string { return quantityStr(q.Value, q.Unit) }

// FormatSpec is Python's format(q, spec): f"{q:.2f}" gives "-400.30 arcsec".
func (q *Quantity) FormatSpec(spec string) (string, error) {
	return quantityFormat(q.Value, q.Unit, spec)
}

// Str is Python's str(s): "630.07065 nm".
func (s *SpectralCoord) Str() string { return quantityStr(s.Value, s.Unit) }

// FormatSpec is Python's format(s, spec): f"{s:.2f}" gives "630.07 nm".
func (s *SpectralCoord) FormatSpec(spec string) (string, error) {
	return quantityFormat(s.Value, s.Unit, spec)
}

// Str is Python's str(t): the isot value, "2022-10-24T19:00:01.200".
func (t *Time) Str() string { return isot(t.T) }

// FormatSpec is Python's format(t, spec): only the empty spec, as in astropy 5.2.
func (t *Time) FormatSpec(spec string) (string, error) {
	return emptySpecOnly("Time", t.Str(), spec)
}

// Str is Python's str(s): the same text as its repr, as astropy's SkyCoord.
func (s *SkyCoord) Str() string { return s.MimeBundle()["text/plain"].(string) }

// FormatSpec is Python's format(s, spec): only the empty spec, as in astropy.
func (s *SkyCoord) FormatSpec(spec string) (string, error) {
	return emptySpecOnly("SkyCoord", s.Str(), spec)
}

// Str is Python's str(s): the same text as its repr.
func (s *StokesCoord) Str() string { return s.MimeBundle()["text/plain"].(string) }

// FormatSpec is Python's format(s, spec): only the empty spec.
func (s *StokesCoord) FormatSpec(spec string) (string, error) {
	return emptySpecOnly("StokesCoord", s.Str(), spec)
}

// The value types give lang their str and format through obj's interfaces.
var (
	_ obj.Strer         = (*Quantity)(nil)
	_ obj.SpecFormatter = (*Quantity)(nil)
	_ obj.Strer         = (*SpectralCoord)(nil)
	_ obj.SpecFormatter = (*SpectralCoord)(nil)
	_ obj.Strer         = (*Time)(nil)
	_ obj.SpecFormatter = (*Time)(nil)
	_ obj.Strer         = (*SkyCoord)(nil)
	_ obj.SpecFormatter = (*SkyCoord)(nil)
	_ obj.Strer         = (*StokesCoord)(nil)
	_ obj.SpecFormatter = (*StokesCoord)(nil)
)
