package obj

import (
	"reflect"
	"slices"
	"sync"
)

// A dict a cell passes to the runtime arrives as a map[string]any, which has no order;
// Python's dicts keep insertion order, and some runtime functions must too
// (Table({"b": ..., "a": ...}) has columns b, a). The language records each converted
// dict's key order here; DictKeys gives it back. The record is a small ring of recent
// conversions keyed by the map's identity; an entry counts only while its keys are
// exactly the map's, so a stale or reused identity gives sorted keys, never wrong ones.

const dictOrderRing = 256

var dictOrder struct {
	sync.Mutex
	ids  [dictOrderRing]uintptr
	keys [dictOrderRing][]string
	next int
}

// RecordDictOrder remembers that m's keys were written in the order keys.
func RecordDictOrder(m map[string]any, keys []string) {
	if len(keys) < 2 {
		return
	}
	id := reflect.ValueOf(m).Pointer()
	dictOrder.Lock()
	defer dictOrder.Unlock()
	dictOrder.ids[dictOrder.next] = id
	dictOrder.keys[dictOrder.next] = keys
	dictOrder.next = (dictOrder.next + 1) % dictOrderRing
}

// DictKeys gives m's keys in the order the cell wrote them when the language recorded
// it, else sorted.
func DictKeys(m map[string]any) []string {
	id := reflect.ValueOf(m).Pointer()
	dictOrder.Lock()
	for i, p := range dictOrder.ids {
		if p == id && sameKeys(dictOrder.keys[i], m) {
			k := slices.Clone(dictOrder.keys[i])
			dictOrder.Unlock()
			return k
		}
	}
	dictOrder.Unlock()
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func sameKeys(keys []string, m map[string]any) bool {
	if len(keys) != len(m) {
		return false
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			return false
		}
	}
	return true
}
