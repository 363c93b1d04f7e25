package iofits

import (
	"fmt"
	"os"
	"strings"

	"gokist/fits"
	"gokist/obj"
	"gokist/pyfmt"
)

// FITSHeader is astropy.io.fits.Header, read-only: the cards of one HDU (or of a text
// file), with mapping access by keyword, the card images as the file holds them when
// they are known (tostring and the repr reproduce them), else as fits formats them.
type FITSHeader struct {
	Header *fits.Header
	images []string // the 80-column card images, END excluded; nil when rebuilt
}

// newFITSHeader wraps a parsed header with its raw card images (or nil).
func newFITSHeader(h *fits.Header, images []string) *FITSHeader {
	return &FITSHeader{Header: h, images: images}
}

// cardImages are the header's 80-column cards, END excluded.
func (h *FITSHeader) cardImages() ([]string, error) {
	if h.images != nil {
		return h.images, nil
	}
	b, err := h.Header.Encode()
	if err != nil {
		return nil, obj.Errorf(obj.ValueError, "%v", err)
	}
	var out []string
	for i := 0; i+fits.CardLen <= len(b); i += fits.CardLen {
		c := string(b[i : i+fits.CardLen])
		if strings.TrimRight(c, " ") == "END" {
			break
		}
		out = append(out, c)
	}
	return out, nil
}

// splitCards cuts header bytes into card images up to END.
func splitCards(b []byte) []string {
	var out []string
	for i := 0; i+fits.CardLen <= len(b); i += fits.CardLen {
		c := string(b[i : i+fits.CardLen])
		if strings.TrimRight(c, " ") == "END" {
			break
		}
		out = append(out, c)
	}
	return out
}

// tostring is Header.tostring(sep, endcard, padding).
func (h *FITSHeader) tostring(sep string, endcard, padding bool) (string, error) {
	imgs, err := h.cardImages()
	if err != nil {
		return "", err
	}
	parts := append([]string(nil), imgs...)
	if endcard {
		parts = append(parts, fmt.Sprintf("%-80s", "END"))
	}
	s := strings.Join(parts, sep)
	if padding && len(s)%fits.BlockLen != 0 {
		s += strings.Repeat(" ", fits.BlockLen-len(s)%fits.BlockLen)
	}
	return s, nil
}

// String is astropy's repr: the cards one per line, without END.
func (h *FITSHeader) String() string {
	s, err := h.tostring("\n", false, false)
	if err != nil {
		return "<Header: " + err.Error() + ">"
	}
	return s
}

// Str is astropy's str: the header as the file holds it, END and padding included.
func (h *FITSHeader) Str() string {
	s, err := h.tostring("", true, true)
	if err != nil {
		return "<Header: " + err.Error() + ">"
	}
	return s
}

// MimeBundle shows the repr.
func (h *FITSHeader) MimeBundle() map[string]any { return map[string]any{"text/plain": h.String()} }

// Type is Header's member table.
func (h *FITSHeader) Type() *obj.Type { return fitsHeaderType }

// cardValue is a card's value as Python sees it: int, float, bool, str, or the text of
// a commentary card.
func cardValue(c fits.Card) any {
	switch v := c.Value.(type) {
	case int64:
		return int(v)
	case nil:
		if c.Key == "COMMENT" || c.Key == "HISTORY" || c.Key == "" {
			return c.Comment
		}
		return nil
	}
	return c.Value
}

// lookup finds the card of a keyword (case-insensitive) or an index.
func (h *FITSHeader) lookup(key any) (fits.Card, error) {
	cards := h.Header.Cards()
	switch k := key.(type) {
	case int:
		i := k
		if i < 0 {
			i += len(cards)
		}
		if i < 0 || i >= len(cards) {
			return fits.Card{}, obj.Errorf(obj.IndexError, "list index out of range")
		}
		return cards[i], nil
	case string:
		if c, ok := h.Header.Get(strings.ToUpper(k)); ok {
			return c, nil
		}
		e := obj.Errorf("KeyError", "\"Keyword '%s' not found.\"", k)
		if c := obj.Closest(strings.ToUpper(k), h.keys()); c != "" {
			e.Hint = fmt.Sprintf("did you mean `%s`?", c)
		}
		return fits.Card{}, e
	}
	return fits.Card{}, obj.Errorf(obj.ValueError, "Header indices must be either a string or an integer, not %s", obj.TypeName(key))
}

// GetItem is header[keyword] or header[index]; COMMENT and HISTORY give all their
// texts.
func (h *FITSHeader) GetItem(_ *obj.Env, key any) (any, error) {
	if k, ok := key.(string); ok && (strings.EqualFold(k, "COMMENT") || strings.EqualFold(k, "HISTORY")) {
		var out obj.List
		for _, c := range h.Header.Cards() {
			if strings.EqualFold(c.Key, k) {
				out = append(out, c.Comment)
			}
		}
		return out, nil
	}
	c, err := h.lookup(key)
	if err != nil {
		return nil, err
	}
	return cardValue(c), nil
}

// keys lists the keywords in order, repeats included.
func (h *FITSHeader) keys() []string {
	cards := h.Header.Cards()
	out := make([]string, len(cards))
	for i, c := range cards {
		out[i] = c.Key
	}
	return out
}

// Items lists the keywords, as iterating a Header does.
func (h *FITSHeader) Items() []any {
	ks := h.keys()
	out := make([]any, len(ks))
	for i, k := range ks {
		out[i] = k
	}
	return out
}

// fitsCard is astropy.io.fits.Card: keyword, value, comment and its image.
type fitsCard struct {
	c     fits.Card
	image string
}

var fitsCardType = &obj.Type{Name: "Card", Doc: "One header card (astropy.io.fits.Card): keyword, value, comment, image."}

func init() {
	fitsCardType.Members = []*obj.Member{
		{Name: "keyword", Get: func(_ *obj.Env, r any) (any, error) { return r.(*fitsCard).c.Key, nil }},
		{Name: "value", Get: func(_ *obj.Env, r any) (any, error) { return cardValue(r.(*fitsCard).c), nil }},
		{Name: "comment", Get: func(_ *obj.Env, r any) (any, error) {
			c := r.(*fitsCard).c
			if cardValue(c) == c.Comment && c.Value == nil {
				return "", nil
			}
			return c.Comment, nil
		}},
		{Name: "image", Get: func(_ *obj.Env, r any) (any, error) { return r.(*fitsCard).image, nil }},
	}
}

func (c *fitsCard) Type() *obj.Type { return fitsCardType }

// String is astropy's repr: the (keyword, value, comment) tuple.
func (c *fitsCard) String() string {
	comment := c.c.Comment
	if c.c.Value == nil && (c.c.Key == "COMMENT" || c.c.Key == "HISTORY" || c.c.Key == "") {
		comment = ""
	}
	return "(" + pyValueRepr(c.c.Key) + ", " + pyValueRepr(cardValue(c.c)) + ", " + pyValueRepr(comment) + ")"
}

// Str is the card image.
func (c *fitsCard) Str() string { return c.image }

func (c *fitsCard) MimeBundle() map[string]any { return map[string]any{"text/plain": c.String()} }

// pyValueRepr is Python's repr of a header value.
func pyValueRepr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case string:
		return pyfmt.Quote(x)
	case bool:
		if x {
			return "True"
		}
		return "False"
	case float64:
		return pyfmt.Float(x)
	}
	return fmt.Sprint(v)
}

// cards lists the Card objects, each with its image (the first image of a card that
// CONTINUE lines extend).
func (h *FITSHeader) cards() obj.List {
	cards := h.Header.Cards()
	imgs, _ := h.cardImages()
	out := make(obj.List, len(cards))
	j := 0
	for i, c := range cards {
		img := ""
		if j < len(imgs) {
			img = imgs[j]
			j++
			for j < len(imgs) && strings.HasPrefix(imgs[j], "CONTINUE") {
				img += imgs[j]
				j++
			}
		}
		out[i] = &fitsCard{c: c, image: img}
	}
	return out
}

var fitsHeaderType = &obj.Type{
	Name: "Header",
	Doc:  "A FITS header (astropy.io.fits.Header), read-only: header['KEY'], header[0], get, keys, values, items, cards, comments, tostring.",
}

func init() {
	hdr := func(r any) *FITSHeader { return r.(*FITSHeader) }
	fitsHeaderType.Members = []*obj.Member{
		{Name: "keys", Signature: "keys()", Doc: "The keywords in order.", Call: func(_ *obj.Env, r any, _ obj.Args) (any, error) {
			return hdr(r).Items(), nil
		}},
		{Name: "values", Signature: "values()", Doc: "The values in order.", Call: func(_ *obj.Env, r any, _ obj.Args) (any, error) {
			var out obj.List
			for _, c := range hdr(r).Header.Cards() {
				out = append(out, cardValue(c))
			}
			return out, nil
		}},
		{Name: "items", Signature: "items()", Doc: "(keyword, value) pairs in order.", Call: func(_ *obj.Env, r any, _ obj.Args) (any, error) {
			var out obj.List
			for _, c := range hdr(r).Header.Cards() {
				out = append(out, obj.Tuple{c.Key, cardValue(c)})
			}
			return out, nil
		}},
		{Name: "get", Signature: "get(key, default=None)", Params: []obj.Param{{Name: "key"}, {Name: "default", Default: "None"}}, Doc: "The value of a keyword, or default.",
			Call: func(env *obj.Env, r any, args obj.Args) (any, error) {
				v, err := args.Bind("get", []obj.Param{{Name: "key"}, {Name: "default", Default: "None"}})
				if err != nil {
					return nil, err
				}
				x, err := hdr(r).GetItem(env, v[0])
				if err != nil {
					return v[1], nil
				}
				return x, nil
			}},
		{Name: "__contains__", Call: func(_ *obj.Env, r any, args obj.Args) (any, error) {
			k, ok := args.Pos[0].(string)
			return ok && hdr(r).Header.Has(strings.ToUpper(k)), nil
		}},
		{Name: "__len__", Call: func(_ *obj.Env, r any, _ obj.Args) (any, error) { return hdr(r).Header.Len(), nil }},
		{Name: "cards", Doc: "The Card objects.", Get: func(_ *obj.Env, r any) (any, error) { return hdr(r).cards(), nil }},
		{Name: "comments", Doc: "The comments by keyword: header.comments['NAXIS'].", Get: func(_ *obj.Env, r any) (any, error) {
			return &headerComments{hdr(r)}, nil
		}},
		{Name: "tostring", Signature: "tostring(sep='', endcard=True, padding=True)", Doc: "The header as text, as the file holds it.",
			Params: []obj.Param{{Name: "sep", Default: "''"}, {Name: "endcard", Default: "True"}, {Name: "padding", Default: "True"}},
			Call: func(_ *obj.Env, r any, args obj.Args) (any, error) {
				v, err := args.Bind("tostring", []obj.Param{{Name: "sep", Default: "''"}, {Name: "endcard", Default: "True"}, {Name: "padding", Default: "True"}})
				if err != nil {
					return nil, err
				}
				sep, _ := v[0].(string)
				end, pad := v[1] == nil || v[1] == true, v[2] == nil || v[2] == true
				return hdr(r).tostring(sep, end, pad)
			}},
	}
}

// headerComments is header.comments: the comment of a keyword by indexing.
type headerComments struct{ h *FITSHeader }

var headerCommentsType = &obj.Type{Name: "_HeaderComments", Doc: "The comments of a header's cards, by keyword."}

func (c *headerComments) Type() *obj.Type { return headerCommentsType }

// GetItem is header.comments[key].
func (c *headerComments) GetItem(_ *obj.Env, key any) (any, error) {
	card, err := c.h.lookup(key)
	if err != nil {
		return nil, err
	}
	return card.Comment, nil
}

// readHeaderText is Header.fromtextfile: one card per line.
func readHeaderText(path string) (*FITSHeader, error) {
	path = obj.ExpandHome(path)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, osError(path, err)
	}
	h, err := HeaderFromText(string(b))
	if err != nil {
		return nil, &obj.Error{Class: obj.FITSError, Msg: fmt.Sprintf("%s: %v", path, err), Err: err}
	}
	return h, nil
}

// headerFromText parses a header written one card per line, keeping the lines as its
// card images when they are the cards the parser read.
func HeaderFromText(text string) (*FITSHeader, error) {
	h, err := fits.ParseHeaderText(strings.NewReader(text))
	if err != nil {
		return nil, err
	}
	var imgs []string
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimRight(line, " ") == "END" {
			break
		}
		imgs = append(imgs, fmt.Sprintf("%-80s", line))
	}
	if len(imgs)-continueCards(imgs) != h.Len() {
		imgs = nil // lines the parser skipped: let fits format the cards
	}
	return newFITSHeader(h, imgs), nil
}

// continueCards counts the CONTINUE images, which extend the card before them.
func continueCards(imgs []string) int {
	n := 0
	for _, c := range imgs {
		if strings.HasPrefix(c, "CONTINUE") {
			n++
		}
	}
	return n
}

// fitsNewHeader is an empty fits header.
func fitsNewHeader() *fits.Header { return fits.NewHeader() }
