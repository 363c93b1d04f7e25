package runtime

// This file is the face's read-only dict (meta, inventory, global_coords) and the
// conversion of the dataset layer's plain records into it.

import (
	"fmt"
	"gokist/runtime/dkist"
	"slices"
	"strconv"
	"strings"

	"gokist/obj"
	"gokist/pyfmt"
)

// mapping is a read-only dict-like value: m['key'].
type mapping struct {
	name string
	keys []string
	vals []any
}

var mappingType = &obj.Type{Name: "dict", Doc: "A read-only mapping: m['key'], m.keys()."}

func init() {
	mappingType.Members = []*obj.Member{
		obj.Method("keys", "keys()", "The keys, in order.", nil, func(env *obj.Env, recv any, v []any) (any, error) {
			m := recv.(*mapping)
			out := make(obj.List, len(m.keys))
			for i, k := range m.keys {
				out[i] = k
			}
			return out, nil
		}),
	}
}

// Type returns the mapping member table.
func (m *mapping) Type() *obj.Type { return mappingType }

// GetItem looks a key up.
func (m *mapping) GetItem(env *obj.Env, key any) (any, error) {
	k, ok := key.(string)
	if i := slices.Index(m.keys, k); ok && i >= 0 {
		return m.vals[i], nil
	}
	e := obj.Errorf("KeyError", "%s", plainRepr(key)) // Python shows the key's repr
	if s := obj.Closest(fmt.Sprint(key), m.keys); s != "" {
		e.Hint = fmt.Sprintf("did you mean '%s'?", s)
	}
	return nil, e
}

// MimeBundle renders the mapping like a Python dict.
func (m *mapping) MimeBundle() map[string]any {
	var parts []string
	for i, k := range m.keys {
		parts = append(parts, fmt.Sprintf("'%s': %s", k, plainRepr(m.vals[i])))
	}
	return map[string]any{"text/plain": "{" + strings.Join(parts, ",\n ") + "}"}
}

// recordValue gives a Record as a Python dict and its values as Python values.
func recordValue(r *dkist.Record) *mapping {
	m := &mapping{name: "dict", keys: slices.Clone(r.Keys), vals: make([]any, len(r.Values))}
	for i, v := range r.Values {
		m.vals[i] = plainValue(v)
	}
	return m
}

// plainValue turns the plain Go values of a Record into Python values: lists for
// slices, dicts for nested records.
func plainValue(v any) any {
	switch x := v.(type) {
	case *dkist.Record:
		return recordValue(x)
	case []any:
		out := make(obj.List, len(x))
		for i, e := range x {
			out[i] = plainValue(e)
		}
		return out
	}
	return v
}

// plainRepr is Python's repr of the plain values a mapping holds (None, bools, numbers,
// strings, lists, nested mappings); other values show as <TypeName>.
func plainRepr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case int:
		return strconv.Itoa(x)
	case float64:
		return pyfmt.Float(x)
	case string:
		return "'" + strings.ReplaceAll(strings.ReplaceAll(x, `\`, `\\`), "'", `\'`) + "'"
	case obj.List:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = plainRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []any:
		return plainRepr(obj.List(x))
	case *dkist.Record:
		return plainRepr(recordValue(x))
	case *mapping:
		parts := make([]string, len(x.keys))
		for i, k := range x.keys {
			parts[i] = plainRepr(k) + ": " + plainRepr(x.vals[i])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return "<" + obj.TypeName(v) + ">"
}
