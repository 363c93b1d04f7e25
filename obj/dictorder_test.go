package obj

import (
	"slices"
	"testing"
)

// TestDictKeysGiveTheRecordedOrder checks that a recorded map gives its keys in the
// recorded order, an unrecorded one sorted, and a recorded map whose keys changed since
// sorted (a stale record is never used).
func TestDictKeysGiveTheRecordedOrder(t *testing.T) {
	m := map[string]any{"b": 1, "a": 2, "c": 3}
	RecordDictOrder(m, []string{"b", "a", "c"})
	if got := DictKeys(m); !slices.Equal(got, []string{"b", "a", "c"}) {
		t.Errorf("recorded: %v", got)
	}
	if got := DictKeys(map[string]any{"z": 1, "y": 2}); !slices.Equal(got, []string{"y", "z"}) {
		t.Errorf("unrecorded: %v", got)
	}
	m["d"] = 4
	if got := DictKeys(m); !slices.Equal(got, []string{"a", "b", "c", "d"}) {
		t.Errorf("changed since recorded: %v", got)
	}
}
