package dkist

import "slices"

// Record is an ordered mapping of plain Go values, as the ASDF index's YAML gives them
// (the inventory record): nil, bool, int, float64, string, []any of those and nested
// *Record. The face shows it as a Python dict.
type Record struct {
	Keys   []string
	Values []any // Values[i] belongs to Keys[i]
}

// Get looks a key up.
func (r *Record) Get(key string) (any, bool) {
	if r == nil {
		return nil, false
	}
	if i := slices.Index(r.Keys, key); i >= 0 {
		return r.Values[i], true
	}
	return nil, false
}

// Add appends a key and its value.
func (r *Record) Add(key string, v any) {
	r.Keys, r.Values = append(r.Keys, key), append(r.Values, v)
}
