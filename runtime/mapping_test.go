package runtime

import (
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
	"gokist/runtime/dkist"
)

// TestMappingKeyErrorAsDict: a missing key of ds.meta / ds.inventory is a KeyError showing
// the key's repr, as a dict's is ('browseMovieUrl', 3), with a close key as a hint.
func TestMappingKeyErrorAsDict(t *testing.T) {
	r := &dkist.Record{}
	r.Add("browseMovieObjectKey", "p/d/d.mp4")
	m := recordValue(r)
	keys := []any{"browseMovieUrl", 3}
	ref := pyref.Batch(t, "d = {'browseMovieObjectKey': 'p/d/d.mp4'}", []string{`d["browseMovieUrl"]`, `d[3]`})
	for i, k := range keys {
		_, err := m.GetItem(testEnv(), k)
		e, ok := err.(*obj.Error)
		if !ok || e.Class+": "+e.Msg != ref[i].Err() {
			t.Errorf("m[%#v]: %v, Python: %s", k, err, ref[i].Err())
		}
	}
	if _, err := m.GetItem(testEnv(), "browseMovieObjectKy"); err == nil || err.(*obj.Error).Hint != "did you mean 'browseMovieObjectKey'?" {
		t.Errorf("no hint for a near key: %v", err)
	}
}
