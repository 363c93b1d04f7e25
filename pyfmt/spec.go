package pyfmt

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gokist/obj"
)

// MaxWidth bounds a spec's width and precision. Python has no bound of its own (a huge
// width is a MemoryError once the text cannot be allocated); gokist stops well before a
// cell can exhaust the kernel's memory with one f-string.
const MaxWidth = 100_000

// Error classes Python raises from format() that obj does not name.
const (
	overflowError = "OverflowError"
	memoryError   = "MemoryError"
)

// Format is Python's format(v, spec) for the values whose __format__ is the
// format-spec mini-language, [[fill]align][sign][z][#][0][width][,|_][.precision][type]:
// str, int (int, int64, int32), bool, float (float64, and float32, which numpy formats as
// the Python float it widens to). An empty spec gives str(v), except for float32. Errors are *obj.Error with
// Python's class and message ("Unknown format code 'd' for object of type 'float'");
// any other type is a TypeError, so callers format their own types first.
func Format(v any, spec string) (string, error) {
	switch x := v.(type) {
	case string:
		if spec == "" {
			return x, nil
		}
		return formatStr(x, spec)
	case bool:
		if spec == "" {
			return map[bool]string{true: "True", false: "False"}[x], nil
		}
		n := int64(0)
		if x {
			n = 1
		}
		return formatInt(n, spec, "bool")
	case int:
		return formatInt(int64(x), spec, "int")
	case int64:
		return formatInt(x, spec, "int")
	case int32:
		return formatInt(int64(x), spec, "int")
	case float64:
		return formatFloat(x, spec)
	case float32:
		// numpy's np.float32.__format__ formats float(x), even for an empty spec.
		return formatFloat(float64(x), spec)
	}
	return "", obj.Errorf(obj.TypeError, "unsupported format string passed to %s.__format__", obj.TypeName(v))
}

// spec is a parsed format spec, as CPython's InternalFormatSpec.
type spec struct {
	fill      rune
	align     rune // '<', '>', '^' or '='
	sign      rune // '+', '-', ' ' or 0 when not given
	noNegZero bool // 'z': a negative float that rounds to zero loses its sign
	alt       bool // '#'
	width     int  // -1 when not given
	group     rune // ',', '_' or 0
	groupSize int  // 3, or 4 for '_' with b, o, x, X
	prec      int  // -1 when not given
	typ       rune // the presentation type, or defaultType
}

// parse reads text as CPython's parse_internal_render_format_spec does for an object of
// typeName whose type and alignment default to defaultType and defaultAlign.
func parse(text, typeName string, defaultType, defaultAlign rune) (spec, error) {
	s := spec{fill: ' ', align: defaultAlign, width: -1, prec: -1, typ: defaultType, groupSize: 3}
	r := []rune(text)
	i := 0
	isAlign := func(c rune) bool { return c == '<' || c == '>' || c == '^' || c == '=' }
	fillGiven, alignGiven := false, false
	if len(r) >= 2 && isAlign(r[1]) {
		s.fill, s.align, i, fillGiven, alignGiven = r[0], r[1], 2, true, true
	} else if len(r) >= 1 && isAlign(r[0]) {
		s.align, i, alignGiven = r[0], 1, true
	}
	if i < len(r) && (r[i] == '+' || r[i] == '-' || r[i] == ' ') {
		s.sign, i = r[i], i+1
	}
	if i < len(r) && r[i] == 'z' {
		s.noNegZero, i = true, i+1
	}
	if i < len(r) && r[i] == '#' {
		s.alt, i = true, i+1
	}
	// A leading 0 means zero padding (after the sign for numbers), unless a fill was given.
	if !fillGiven && i < len(r) && r[i] == '0' {
		s.fill, i = '0', i+1
		if !alignGiven && defaultAlign == '>' {
			s.align = '='
		}
	}
	var err error
	if s.width, i, err = integer(r, i); err != nil {
		return s, err
	}
	if i < len(r) && r[i] == ',' {
		s.group, i = ',', i+1
	}
	if i < len(r) && r[i] == '_' {
		if s.group != 0 {
			return s, obj.Errorf(obj.ValueError, "Cannot specify both ',' and '_'.")
		}
		s.group, i = '_', i+1
	}
	if i < len(r) && r[i] == ',' && s.group == '_' {
		return s, obj.Errorf(obj.ValueError, "Cannot specify both ',' and '_'.")
	}
	if i < len(r) && r[i] == '.' {
		if s.prec, i, err = integer(r, i+1); err != nil {
			return s, err
		}
		if s.prec < 0 {
			return s, obj.Errorf(obj.ValueError, "Format specifier missing precision")
		}
	}
	switch len(r) - i {
	case 0:
	case 1:
		s.typ = r[i]
	default:
		return s, obj.Errorf(obj.ValueError, "Invalid format specifier '%s' for object of type '%s'", text, typeName)
	}
	if s.group != 0 {
		switch s.typ {
		case 'd', 'e', 'f', 'g', 'E', 'G', '%', 'F', 0:
		case 'b', 'o', 'x', 'X':
			if s.group == '_' {
				s.groupSize = 4 // every four digits in binary, octal and hex (PEP 515)
				break
			}
			fallthrough
		default:
			return s, obj.Errorf(obj.ValueError, "Cannot specify '%c' with %s.", s.group, quoteCode(s.typ))
		}
	}
	if s.width > MaxWidth || s.prec > MaxWidth {
		return s, obj.Errorf(memoryError, "format width or precision %d is beyond gokist's limit of %d", max(s.width, s.prec), MaxWidth)
	}
	return s, nil
}

// integer reads the decimal digits of r from i: the number (-1 when there are none) and
// the offset after them.
func integer(r []rune, i int) (int, int, error) {
	j := i
	n := 0
	for j < len(r) && r[j] >= '0' && r[j] <= '9' {
		if n > (math.MaxInt-9)/10 {
			return 0, j, obj.Errorf(obj.ValueError, "Too many decimal digits in format string")
		}
		n = n*10 + int(r[j]-'0')
		j++
	}
	if j == i {
		return -1, i, nil
	}
	return n, j, nil
}

// quoteCode writes a presentation type as CPython's messages do: 'x', or '\xe9' for a
// character outside printable ASCII.
func quoteCode(c rune) string {
	if c > 32 && c < 128 {
		return "'" + string(c) + "'"
	}
	return fmt.Sprintf(`'\x%x'`, c)
}

// unknownCode is CPython's error for a presentation type the object does not have.
func unknownCode(c rune, typeName string) error {
	return obj.Errorf(obj.ValueError, "Unknown format code %s for object of type '%s'", quoteCode(c), typeName)
}

// formatStr is str.__format__.
func formatStr(x, text string) (string, error) {
	s, err := parse(text, "str", 's', '<')
	if err != nil {
		return "", err
	}
	if s.typ != 's' {
		return "", unknownCode(s.typ, "str")
	}
	switch {
	case s.sign == ' ':
		return "", obj.Errorf(obj.ValueError, "Space not allowed in string format specifier")
	case s.sign != 0:
		return "", obj.Errorf(obj.ValueError, "Sign not allowed in string format specifier")
	case s.noNegZero:
		return "", obj.Errorf(obj.ValueError, "Negative zero coercion (z) not allowed in string format specifier")
	case s.alt:
		return "", obj.Errorf(obj.ValueError, "Alternate form (#) not allowed in string format specifier")
	case s.align == '=':
		return "", obj.Errorf(obj.ValueError, "'=' alignment not allowed in string format specifier")
	}
	if s.prec >= 0 && utf8.RuneCountInString(x) > s.prec {
		x = string([]rune(x)[:s.prec])
	}
	return s.pad("", "", x), nil
}

// formatInt is int.__format__ (and bool's, which is int's with its own type name).
func formatInt(n int64, text, typeName string) (string, error) {
	if text == "" {
		return strconv.FormatInt(n, 10), nil
	}
	s, err := parse(text, typeName, 'd', '>')
	if err != nil {
		return "", err
	}
	switch s.typ {
	case 'e', 'E', 'f', 'F', 'g', 'G', '%':
		return s.float(float64(n)), nil
	case 'b', 'c', 'd', 'o', 'x', 'X', 'n':
	default:
		return "", unknownCode(s.typ, typeName)
	}
	if s.prec >= 0 {
		return "", obj.Errorf(obj.ValueError, "Precision not allowed in integer format specifier")
	}
	if s.noNegZero {
		return "", obj.Errorf(obj.ValueError, "Negative zero coercion (z) not allowed in integer format specifier")
	}
	if s.typ == 'c' {
		switch {
		case s.sign != 0:
			return "", obj.Errorf(obj.ValueError, "Sign not allowed with integer format specifier 'c'")
		case s.alt:
			return "", obj.Errorf(obj.ValueError, "Alternate form (#) not allowed with integer format specifier 'c'")
		case n < 0 || n > unicode.MaxRune:
			return "", obj.Errorf(overflowError, "%%c arg not in range(0x110000)")
		}
		return s.number(false, "", "", string(rune(n))), nil
	}
	base, prefix := 10, ""
	switch s.typ {
	case 'b':
		base, prefix = 2, "0b"
	case 'o':
		base, prefix = 8, "0o"
	case 'x', 'X':
		base, prefix = 16, "0x"
	}
	mag := uint64(n)
	if n < 0 {
		mag = -mag // two's complement: also right for math.MinInt64
	}
	digits := strconv.FormatUint(mag, base)
	if s.typ == 'X' {
		digits, prefix = strings.ToUpper(digits), "0X"
	}
	if !s.alt {
		prefix = ""
	}
	return s.number(n < 0, prefix, digits, ""), nil
}

// formatFloat is float.__format__.
func formatFloat(f float64, text string) (string, error) {
	if text == "" {
		return Float(f), nil
	}
	s, err := parse(text, "float", 0, '>')
	if err != nil {
		return "", err
	}
	switch s.typ {
	case 0, 'e', 'E', 'f', 'F', 'g', 'G', 'n', '%':
	default:
		return "", unknownCode(s.typ, "float")
	}
	return s.float(f), nil
}

// float formats f by a parsed spec whose type is a float presentation (CPython's
// format_float_internal).
func (s spec) float(f float64) string {
	if s.typ == '%' {
		f *= 100 // before the checks for inf: a huge value overflows to "inf%"
	}
	neg := math.Signbit(f) && !math.IsNaN(f)
	a := math.Abs(f)
	var text string
	switch {
	case math.IsNaN(a):
		text = "nan"
	case math.IsInf(a, 0):
		text = "inf"
	default:
		text = s.magnitude(a)
	}
	switch s.typ {
	case '%':
		text += "%"
	case 'E', 'F', 'G':
		text = strings.ToUpper(text)
	}
	// 'z': a negative value whose digits all rounded to zero prints as 0.
	if neg && s.noNegZero && !math.IsInf(a, 0) && !strings.ContainsAny(strings.SplitN(text, "e", 2)[0], "123456789") {
		neg = false
	}
	// The leading digits are grouped; the rest (point, fraction, exponent, %) is kept.
	end := 0
	for end < len(text) && text[end] >= '0' && text[end] <= '9' {
		end++
	}
	return s.number(neg, "", text[:end], text[end:])
}

// magnitude writes a finite non-negative a by the spec's float type and precision.
func (s spec) magnitude(a float64) string {
	prec := s.prec
	if prec < 0 {
		prec = 6
	}
	switch s.typ {
	case 'f', 'F', '%': // '%' comes already multiplied by 100
		t := strconv.FormatFloat(a, 'f', prec, 64)
		if s.alt && !strings.Contains(t, ".") {
			t += "."
		}
		return t
	case 'e', 'E':
		t := strconv.FormatFloat(a, 'e', prec, 64)
		if s.alt && !strings.Contains(t, ".") {
			t = strings.Replace(t, "e", ".e", 1)
		}
		return t
	case 'g', 'G', 'n':
		return general(a, prec, s.alt, false)
	}
	// No type: repr without a precision, else 'g' that keeps a decimal point.
	if s.prec < 0 {
		t := Float(a)
		if s.alt && !strings.Contains(t, ".") {
			t = strings.Replace(t, "e", ".e", 1)
		}
		return t
	}
	return general(a, s.prec, s.alt, true)
}

// general is Python's 'g' presentation of a finite non-negative a with prec significant
// digits (0 counts as 1): scientific when the exponent after rounding is < -4 or ≥ prec,
// else positional, trailing zeros removed unless alt. With addDot0 (the empty type with a
// precision) it switches to scientific one digit earlier and writes whole numbers with ".0".
func general(a float64, prec int, alt, addDot0 bool) string {
	prec = max(prec, 1)
	sci := strconv.FormatFloat(a, 'e', prec-1, 64)
	mant, expText, _ := strings.Cut(sci, "e")
	exp := exponent(sci)
	sciFrom := prec
	if addDot0 {
		sciFrom = prec - 1
	}
	if exp < -4 || exp >= sciFrom {
		if !alt && strings.Contains(mant, ".") {
			mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
		}
		if alt && !strings.Contains(mant, ".") {
			mant += "."
		}
		return mant + "e" + expText
	}
	t := strconv.FormatFloat(a, 'f', max(prec-1-exp, 0), 64)
	if !alt && strings.Contains(t, ".") {
		t = strings.TrimRight(strings.TrimRight(t, "0"), ".")
	}
	if (alt || addDot0) && !strings.Contains(t, ".") {
		t += "."
	}
	if addDot0 && strings.HasSuffix(t, ".") {
		t += "0"
	}
	return t
}

// number lays out a number as CPython's calc_number_widths and fill_number: the sign,
// the prefix (0x…), the digits grouped by the spec (zero padding included when the fill
// is 0 with '=' alignment), then the rest (fraction, exponent, %), padded to the width.
func (s spec) number(neg bool, prefix, digits, rest string) string {
	sign := ""
	switch {
	case neg:
		sign = "-"
	case s.sign == '+':
		sign = "+"
	case s.sign == ' ':
		sign = " "
	}
	switch {
	case digits == "":
		// 'c', inf and nan have no digits to group or zero-pad: the fill pads them.
	case s.fill == '0' && s.align == '=':
		minDigits := s.width - len(sign) - len(prefix) - utf8.RuneCountInString(rest)
		digits = group(digits, s.group, s.groupSize, minDigits)
	default:
		digits = group(digits, s.group, s.groupSize, 0)
	}
	return s.pad(sign+prefix, digits, rest)
}

// group puts sep between groups of size digits from the right, first padding with zeros
// as CPython's _PyUnicode_InsertThousandsGrouping does until the grouped text is at least
// minWidth long (a separator may make it one longer). sep 0 groups nothing.
func group(digits string, sep rune, size, minWidth int) string {
	if sep == 0 {
		if len(digits) < minWidth {
			digits = strings.Repeat("0", minWidth-len(digits)) + digits
		}
		return digits
	}
	var groups []string
	remaining := len(digits)
	for {
		l := min(size, max(remaining, minWidth, 1))
		chars := min(remaining, l)
		groups = append(groups, strings.Repeat("0", l-chars)+digits[remaining-chars:remaining])
		remaining -= chars
		minWidth -= l
		if remaining <= 0 && minWidth <= 0 {
			break
		}
		minWidth-- // the separator
	}
	var b strings.Builder
	for i := len(groups) - 1; i >= 0; i-- {
		b.WriteString(groups[i])
		if i > 0 {
			b.WriteRune(sep)
		}
	}
	return b.String()
}

// pad fills the spec's width around head (sign and prefix), body and tail by the
// alignment: '=' puts the fill between the head and the body.
func (s spec) pad(head, body, tail string) string {
	text := head + body + tail
	n := s.width - utf8.RuneCountInString(text)
	if n <= 0 {
		return text
	}
	fill := func(k int) string { return strings.Repeat(string(s.fill), k) }
	switch s.align {
	case '<':
		return text + fill(n)
	case '^':
		return fill(n/2) + text + fill(n-n/2)
	case '=':
		return head + fill(n) + body + tail
	}
	return fill(n) + text
}
