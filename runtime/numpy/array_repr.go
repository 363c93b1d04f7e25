package numpy

import (
	"html"

	"gokist/obj"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy/arrayprint"
)

// Array's str differs from its repr, as a numpy array's does: lang's print, str() and
// f-strings ask for it through obj.Strer.
var _ obj.Strer = (*NDArray)(nil)

// MimeBundle shows the array like numpy's repr, with an HTML <pre> form.
func (a *NDArray) MimeBundle() map[string]any {
	text := arrayprint.FormatArray((*lazy.Array)(a))
	return map[string]any{
		"text/plain": text,
		"text/html":  "<pre>" + html.EscapeString(text) + "</pre>",
	}
}

// String renders the numpy-like repr.
func (a *NDArray) String() string { return arrayprint.FormatArray((*lazy.Array)(a)) }

// Str renders the array as numpy's str() does, which print() and f-strings show:
// `[[0.9560502  0.9618288 ]\n [0.9580518  0.96129364]]`, without "array(" and dtype.
func (a *NDArray) Str() string { return arrayprint.FormatArrayStr((*lazy.Array)(a)) }
