// Package fits owns gokist's FITS data path: a header-only scan of every HDU, typed access
// to header cards (CONTINUE long strings included), plain images of every BITPIX with
// BSCALE/BZERO/BLANK, sub-region reads that touch only the bytes or tiles a region needs,
// and the tile-compressed image convention of FITS 4.0 §10 (RICE_1, GZIP_1, GZIP_2,
// NOCOMPRESS, quantised floats with dithering) that DKIST Level-1 files use. Writers of
// plain and compressed images live in write*.go and build on Header.Encode.
package fits

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// CardLen is the length of one header card; BlockLen is the FITS logical record length.
const (
	CardLen  = 80
	BlockLen = 2880
)

// Card is one header keyword record. Value is a string, int64, float64, bool, or nil when
// the card has no value (commentary cards such as COMMENT, HISTORY and blank keywords keep
// their text in Comment). A string continued over CONTINUE cards is one Card holding the
// whole string.
type Card struct {
	Key     string
	Value   any
	Comment string
}

// Header is an ordered list of cards with an index from keyword to its first card, so that
// lookups stay O(1) in the ~300-card headers of DKIST files.
type Header struct {
	cards []Card
	index map[string]int
}

// NewHeader returns an empty header.
func NewHeader() *Header {
	return &Header{index: make(map[string]int)}
}

// Cards returns the cards in header order. The slice is the header's own; do not modify.
func (h *Header) Cards() []Card { return h.cards }

// Len is the number of cards (a long string counts once).
func (h *Header) Len() int { return len(h.cards) }

// Get returns the first card with the keyword.
func (h *Header) Get(key string) (Card, bool) {
	i, ok := h.index[key]
	if !ok {
		return Card{}, false
	}
	return h.cards[i], true
}

// Has reports whether the keyword is present.
func (h *Header) Has(key string) bool {
	_, ok := h.index[key]
	return ok
}

// String returns a string value (CONTINUE long strings joined, trailing blanks trimmed).
func (h *Header) String(key string) (string, bool) {
	c, ok := h.Get(key)
	if !ok {
		return "", false
	}
	s, ok := c.Value.(string)
	return strings.TrimRight(s, " "), ok
}

// Int returns an integer value. A float card with an integral value is accepted, as
// some writers emit NAXIS-like values as "2.0E3".
func (h *Header) Int(key string) (int64, bool) {
	c, ok := h.Get(key)
	if !ok {
		return 0, false
	}
	switch v := c.Value.(type) {
	case int64:
		return v, true
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<62 {
			return int64(v), true
		}
	}
	return 0, false
}

// Float returns a numeric value; integer cards are converted.
func (h *Header) Float(key string) (float64, bool) {
	c, ok := h.Get(key)
	if !ok {
		return 0, false
	}
	switch v := c.Value.(type) {
	case int64:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

// Bool returns a logical value.
func (h *Header) Bool(key string) (bool, bool) {
	c, ok := h.Get(key)
	if !ok {
		return false, false
	}
	b, ok := c.Value.(bool)
	return b, ok
}

// Comment returns the comment of the first card with the keyword.
func (h *Header) Comment(key string) (string, bool) {
	c, ok := h.Get(key)
	return c.Comment, ok
}

// isCommentary reports keywords whose cards carry free text and may repeat.
func isCommentary(key string) bool {
	return key == "COMMENT" || key == "HISTORY" || key == ""
}

// normalizeValue maps Go numeric kinds onto the four value types a Card holds.
func normalizeValue(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		if x > math.MaxInt64 {
			return float64(x)
		}
		return int64(x)
	case uint:
		return int64(x)
	case float32:
		return float64(x)
	}
	return v
}

// Set replaces the value of the first card with the keyword, keeping its place (and its
// comment when comment is empty), or appends a new card. Commentary keywords (COMMENT,
// HISTORY, blank) always append.
func (h *Header) Set(key string, value any, comment string) {
	if h.index == nil {
		h.index = make(map[string]int)
	}
	value = normalizeValue(value)
	if !isCommentary(key) {
		if i, ok := h.index[key]; ok {
			h.cards[i].Value = value
			if comment != "" {
				h.cards[i].Comment = comment
			}
			return
		}
	}
	h.Append(Card{Key: key, Value: value, Comment: comment})
}

// Append adds a card at the end, even if the keyword is already present.
func (h *Header) Append(c Card) {
	if h.index == nil {
		h.index = make(map[string]int)
	}
	c.Value = normalizeValue(c.Value)
	if _, ok := h.index[c.Key]; !ok {
		h.index[c.Key] = len(h.cards)
	}
	h.cards = append(h.cards, c)
}

// Delete removes every card with the keyword.
func (h *Header) Delete(key string) {
	if _, ok := h.index[key]; !ok {
		return
	}
	kept := h.cards[:0]
	for _, c := range h.cards {
		if c.Key != key {
			kept = append(kept, c)
		}
	}
	for i := len(kept); i < len(h.cards); i++ {
		h.cards[i] = Card{}
	}
	h.cards = kept
	h.reindex()
}

// appendUnindexed adds a card at the end without updating the index, for a header built
// in one go and indexed once by reindex when complete.
func (h *Header) appendUnindexed(c Card) {
	c.Value = normalizeValue(c.Value)
	h.cards = append(h.cards, c)
}

func (h *Header) reindex() {
	h.index = make(map[string]int, len(h.cards))
	for i, c := range h.cards {
		if _, ok := h.index[c.Key]; !ok {
			h.index[c.Key] = i
		}
	}
}

// Clone returns a deep copy of the header.
func (h *Header) Clone() *Header {
	n := &Header{cards: append([]Card(nil), h.cards...)}
	n.reindex()
	return n
}

// ---------------------------------------------------------------- parsing

// cardParser accumulates cards, folding CONTINUE cards into the preceding long string.
// Cards collect in a scratch slice reused across headers (cardScratch); header() copies
// them once into a slice and index of the exact size, so a scan of thousands of files
// does not leave a trail of outgrown card slices and map buckets behind.
type cardParser struct {
	cards []Card
	// open is the index of the string card whose value ends in '&' and may continue.
	open int
}

// cardScratch recycles cardParser card slices; a DKIST header holds a few hundred cards.
var cardScratch = sync.Pool{New: func() any { s := make([]Card, 0, 8*BlockLen/CardLen); return &s }}

func newCardParser() *cardParser {
	s := cardScratch.Get().(*[]Card)
	return &cardParser{cards: (*s)[:0], open: -1}
}

// add parses one card image (at most 80 characters; shorter lines are blank-padded).
func (p *cardParser) add(card string) error {
	for i := 0; i < len(card); i++ {
		if card[i] < 0x20 || card[i] > 0x7e {
			return fmt.Errorf("malformed card %q: byte 0x%02x at column %d is not printable ASCII", card, card[i], i+1)
		}
	}
	if len(card) > CardLen {
		return fmt.Errorf("malformed card %q: longer than 80 characters", card)
	}
	if len(card) < CardLen {
		card += strings.Repeat(" ", CardLen-len(card))
	}
	key := strings.TrimRight(card[:8], " ")
	// A CONTINUE card that holds no quoted string does not continue the string before it
	// (whose trailing '&' then stays part of its value): it is read as a card of its own,
	// as any other keyword without a value, so that such a header still reads.
	if s, comment, err := parseStringValue(card[8:]); key == "CONTINUE" && p.open >= 0 && err == nil {
		prev := &p.cards[p.open]
		joined := strings.TrimSuffix(prev.Value.(string), "&") + s
		prev.Value = joined
		if comment != "" {
			if prev.Comment != "" {
				prev.Comment += " "
			}
			prev.Comment += comment
		}
		if !strings.HasSuffix(joined, "&") {
			p.finishOpen()
		}
		return nil
	}
	p.finishOpen()
	c, err := parseCard(card)
	if err != nil {
		return err
	}
	if s, ok := c.Value.(string); ok && strings.HasSuffix(s, "&") {
		p.open = len(p.cards)
	} else if s, ok := c.Value.(string); ok {
		c.Value = strings.TrimRight(s, " ")
	}
	p.cards = append(p.cards, c)
	return nil
}

// finishOpen ends a possibly continued string: a trailing '&' with no CONTINUE after it is
// part of the value, and trailing blanks are insignificant.
func (p *cardParser) finishOpen() {
	if p.open < 0 {
		return
	}
	c := &p.cards[p.open]
	c.Value = strings.TrimRight(c.Value.(string), " ")
	p.open = -1
}

// len is the number of cards parsed so far.
func (p *cardParser) len() int { return len(p.cards) }

// header returns the parsed cards as a Header sized exactly for them and recycles the
// scratch slice; the parser must not be used afterwards.
func (p *cardParser) header() *Header {
	p.finishOpen()
	h := &Header{cards: slices.Clone(p.cards)}
	h.reindex()
	clear(p.cards)
	scratch := p.cards[:0]
	p.cards = nil
	cardScratch.Put(&scratch)
	return h
}

func validKeyword(key string) bool {
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// parseCard parses one 80-character card other than a continuation.
func parseCard(card string) (Card, error) {
	bad := func(format string, args ...any) (Card, error) {
		return Card{}, fmt.Errorf("malformed card %q: %s", strings.TrimRight(card, " "), fmt.Sprintf(format, args...))
	}
	if strings.HasPrefix(card, "HIERARCH ") {
		rest := card[9:]
		eq := strings.IndexByte(rest, '=')
		if eq < 0 {
			return Card{Key: "HIERARCH", Comment: strings.TrimRight(rest, " ")}, nil
		}
		key := strings.TrimSpace(rest[:eq])
		v, comment, err := parseValue(rest[eq+1:])
		if err != nil {
			return bad("%v", err)
		}
		return Card{Key: key, Value: v, Comment: comment}, nil
	}
	key := strings.TrimRight(card[:8], " ")
	if strings.Contains(key, " ") {
		return bad("keyword %q contains a blank", key)
	}
	if !validKeyword(key) {
		return bad("keyword %q has characters outside A-Z 0-9 - _", key)
	}
	if isCommentary(key) || card[8:10] != "= " {
		if key == "" && strings.TrimSpace(card) == "" {
			return Card{}, nil
		}
		return Card{Key: key, Comment: strings.TrimRight(card[8:], " ")}, nil
	}
	v, comment, err := parseValue(card[10:])
	if err != nil {
		return bad("%v", err)
	}
	return Card{Key: key, Value: v, Comment: comment}, nil
}

// parseStringValue parses a quoted string (with ” escapes) followed by an optional comment.
// The value keeps its trailing blanks; the caller trims them once continuations are joined.
func parseStringValue(field string) (string, string, error) {
	t := strings.TrimLeft(field, " ")
	if t == "" || t[0] != '\'' {
		return "", "", fmt.Errorf("expected a quoted string")
	}
	var b strings.Builder
	i := 1
	for {
		if i >= len(t) {
			return "", "", fmt.Errorf("string has no closing quote")
		}
		if t[i] == '\'' {
			if i+1 < len(t) && t[i+1] == '\'' {
				b.WriteByte('\'')
				i += 2
				continue
			}
			i++
			break
		}
		b.WriteByte(t[i])
		i++
	}
	comment, err := parseComment(t[i:])
	return b.String(), comment, err
}

func parseComment(rest string) (string, error) {
	rest = strings.TrimLeft(rest, " ")
	if rest == "" {
		return "", nil
	}
	if rest[0] != '/' {
		return "", fmt.Errorf("unexpected text %q after the value", strings.TrimRight(rest, " "))
	}
	return strings.TrimSpace(rest[1:]), nil
}

// parseValue parses the value field (after "= ") and its comment.
func parseValue(field string) (any, string, error) {
	t := strings.TrimLeft(field, " ")
	if t == "" {
		return nil, "", nil
	}
	if t[0] == '\'' {
		s, comment, err := parseStringValue(t)
		return s, comment, err
	}
	if t[0] == '/' {
		return nil, strings.TrimSpace(t[1:]), nil
	}
	var text, comment string
	if t[0] == '(' {
		end := strings.IndexByte(t, ')')
		if end < 0 {
			return nil, "", fmt.Errorf("complex value has no closing parenthesis")
		}
		text = t[:end+1]
		c, err := parseComment(t[end+1:])
		if err != nil {
			return nil, "", err
		}
		// Complex values are rare in image headers; they are kept as their text.
		return text, c, nil
	}
	if slash := strings.IndexByte(t, '/'); slash >= 0 {
		text, comment = strings.TrimSpace(t[:slash]), strings.TrimSpace(t[slash+1:])
	} else {
		text = strings.TrimSpace(t)
	}
	v, err := parseScalar(text)
	return v, comment, err
}

func parseScalar(text string) (any, error) {
	switch text {
	case "":
		return nil, nil
	case "T":
		return true, nil
	case "F":
		return false, nil
	}
	if isIntText(text) {
		if i, err := strconv.ParseInt(text, 10, 64); err == nil {
			return i, nil
		}
		f, err := strconv.ParseFloat(text, 64)
		if err == nil {
			return f, nil
		}
	}
	if isFloatText(text) {
		f, err := strconv.ParseFloat(fortranExponent.Replace(text), 64)
		if err == nil || math.IsInf(f, 0) {
			return f, nil
		}
	}
	return nil, fmt.Errorf("value %q is not a string, logical, integer or float", text)
}

// fortranExponent turns FITS's Fortran double exponent (1.5D3) into Go's (1.5E3). It is
// built once: a Replacer per value was a measurable share of a header scan's garbage.
var fortranExponent = strings.NewReplacer("D", "E", "d", "e")

func isIntText(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isFloatText accepts the FITS real syntax: [sign] digits [. digits] [E|D [sign] digits].
func isFloatText(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'E' || s[i] == 'D' || s[i] == 'e' || s[i] == 'd') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// ParseHeaderText parses a header stored as text, one card per line (as in DKIST's
// VISP_HEADER.hdr). Lines may be shorter than 80 characters; an END line stops parsing.
func ParseHeaderText(r io.Reader) (*Header, error) {
	p := newCardParser()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimRight(text, " ") == "END" {
			break
		}
		if len(text) > CardLen {
			text = strings.TrimRight(text, " ")
		}
		if err := p.add(text); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return p.header(), nil
}

// parseHeaderBlock feeds the 36 cards of one 2880-byte block to p and reports whether the
// END card was among them.
// The block becomes one string whose 80-byte pieces are the cards (one allocation per
// block rather than one per card).
func parseHeaderBlock(p *cardParser, block []byte) (bool, error) {
	text := string(block[:BlockLen])
	for i := 0; i < BlockLen; i += CardLen {
		card := text[i : i+CardLen]
		if strings.HasPrefix(card, "END") && len(strings.TrimRight(card[3:], " ")) == 0 {
			return true, nil
		}
		if err := p.add(card); err != nil {
			return false, fmt.Errorf("card %d: %w", p.len()+1, err)
		}
	}
	return false, nil
}

// ParseHeaderBytes parses a header from FITS blocks (a multiple of 2880 bytes, END included).
func ParseHeaderBytes(b []byte) (*Header, error) {
	p := newCardParser()
	for off := 0; off+BlockLen <= len(b); off += BlockLen {
		end, err := parseHeaderBlock(p, b[off:off+BlockLen])
		if err != nil {
			return nil, err
		}
		if end {
			return p.header(), nil
		}
	}
	return nil, fmt.Errorf("header has no END card")
}

// ---------------------------------------------------------------- encoding

// Encode formats the header as FITS cards (long strings over CONTINUE cards, HIERARCH for
// keywords longer than 8 characters), appends END and pads with blanks to 2880 bytes.
func (h *Header) Encode() ([]byte, error) {
	var out []byte
	for _, c := range h.cards {
		lines, err := formatCard(c)
		if err != nil {
			return nil, err
		}
		for _, l := range lines {
			out = append(out, l...)
		}
	}
	out = append(out, pad80("END")...)
	for len(out)%BlockLen != 0 {
		out = append(out, ' ')
	}
	return out, nil
}

func pad80(s string) string {
	if len(s) >= CardLen {
		return s[:CardLen]
	}
	return s + strings.Repeat(" ", CardLen-len(s))
}

// FormatFloat formats a float as astropy does: Python's repr with an upper-case exponent of
// at least two digits, ".0" added to integral values, at most 20 characters.
func FormatFloat(v float64) string {
	e := strconv.FormatFloat(v, 'e', -1, 64)
	mant, expText, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expText)
	var s string
	if exp >= -4 && exp < 16 {
		s = strconv.FormatFloat(v, 'f', -1, 64)
		if !strings.ContainsAny(s, ".") {
			s += ".0"
		}
	} else {
		sign := "+"
		if exp < 0 {
			sign = "-"
			exp = -exp
		}
		s = fmt.Sprintf("%sE%s%02d", mant, sign, exp)
	}
	if len(s) > 20 {
		if idx := strings.IndexByte(s, 'E'); idx < 0 {
			s = s[:20]
		} else {
			s = s[:20-(len(s)-idx)] + s[idx:]
		}
	}
	return s
}

func formatScalar(key string, v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case bool:
		if x {
			return fmt.Sprintf("%20s", "T"), nil
		}
		return fmt.Sprintf("%20s", "F"), nil
	case int64:
		return fmt.Sprintf("%20d", x), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "", fmt.Errorf("keyword %s: %v cannot be written in a FITS header", key, x)
		}
		return fmt.Sprintf("%20s", FormatFloat(x)), nil
	}
	return "", fmt.Errorf("keyword %s: value of type %T cannot be written in a FITS header", key, v)
}

func withComment(card, comment string) string {
	if comment != "" && len(card) < CardLen-3 {
		card += " / " + comment
	}
	return pad80(card)
}

func formatCard(c Card) ([]string, error) {
	for i := 0; i < len(c.Comment); i++ {
		if c.Comment[i] < 0x20 || c.Comment[i] > 0x7e {
			return nil, fmt.Errorf("keyword %s: comment has a non-printable character", c.Key)
		}
	}
	if isCommentary(c.Key) && c.Value == nil {
		text := c.Comment
		var lines []string
		for {
			n := min(len(text), CardLen-8)
			lines = append(lines, pad80(fmt.Sprintf("%-8s", c.Key)+text[:n]))
			text = text[n:]
			if text == "" {
				return lines, nil
			}
		}
	}
	hierarch := len(c.Key) > 8 || !validKeyword(c.Key)
	if hierarch {
		if strings.ContainsAny(c.Key, "=") {
			return nil, fmt.Errorf("keyword %q cannot be written", c.Key)
		}
		var val string
		if s, ok := c.Value.(string); ok {
			val = "'" + strings.ReplaceAll(s, "'", "''") + "'"
		} else {
			v, err := formatScalar(c.Key, c.Value)
			if err != nil {
				return nil, err
			}
			val = strings.TrimSpace(v)
		}
		card := "HIERARCH " + c.Key + " = " + val
		if len(card) > CardLen {
			return nil, fmt.Errorf("HIERARCH keyword %s with its value does not fit in one card", c.Key)
		}
		return []string{withComment(card, c.Comment)}, nil
	}
	prefix := fmt.Sprintf("%-8s= ", c.Key)
	s, isString := c.Value.(string)
	if !isString {
		v, err := formatScalar(c.Key, c.Value)
		if err != nil {
			return nil, err
		}
		if c.Value == nil {
			v = strings.Repeat(" ", 20)
		}
		return []string{withComment(prefix+v, c.Comment)}, nil
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return nil, fmt.Errorf("keyword %s: string value has a non-printable character", c.Key)
		}
	}
	escaped := strings.ReplaceAll(s, "'", "''")
	if escaped == "" {
		return []string{withComment(prefix+"''", c.Comment)}, nil // astropy's form
	}
	if len(escaped) <= 68 {
		v := "'" + fmt.Sprintf("%-8s", escaped) + "'"
		return []string{withComment(prefix+fmt.Sprintf("%-20s", v), c.Comment)}, nil
	}
	// Long string: chunks of at most 67 escaped characters, each but the last ending in '&',
	// never splitting an escaped quote pair.
	var chunks []string
	for len(s) > 0 {
		n, w := 0, 0
		for n < len(s) {
			cw := 1
			if s[n] == '\'' {
				cw = 2
			}
			if w+cw > 67 {
				break
			}
			w += cw
			n++
		}
		chunks = append(chunks, strings.ReplaceAll(s[:n], "'", "''"))
		s = s[n:]
	}
	var lines []string
	for i, ch := range chunks {
		head := prefix
		if i > 0 {
			head = "CONTINUE  "
		}
		amp := "&"
		last := i == len(chunks)-1
		if last {
			amp = ""
			if c.Comment != "" && len(head)+len(ch)+2+3+len(c.Comment) > CardLen {
				amp = "&"
			}
		}
		card := head + "'" + ch + amp + "'"
		if last && amp == "" {
			card = withComment(card, c.Comment)
		}
		lines = append(lines, pad80(card))
	}
	if c.Comment != "" && strings.HasSuffix(strings.TrimRight(lines[len(lines)-1], " "), "&'") {
		comment := c.Comment
		for len(comment) > 0 {
			n := min(len(comment), CardLen-len("CONTINUE  '&' / "))
			amp := "&"
			if n == len(comment) {
				amp = ""
			}
			lines = append(lines, pad80("CONTINUE  '"+amp+"' / "+comment[:n]))
			comment = comment[n:]
		}
	}
	return lines, nil
}
