package runtime

import (
	"strings"
	"testing"

	"gokist/obj"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
)

// A lazy array has one chunk per file, as dask's arrays over the same files: the repr's
// chunks= and npartitions agree with .chunks even when the executor splits files into
// smaller tasks.
func TestChunkCountIsFilesNotTasks(t *testing.T) {
	dir := writeSmall(t, []int{2, 3, 4, 5}) // 2 x 3 files of 4 x 5 values
	env := testEnv()
	client := smallTasks(env, 7) // three tasks per file
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	data := ds.Data().(*numpy.LazyArray)
	if n := callMember(t, env, data, "npartitions", obj.Args{}); n != 6 {
		t.Errorf("npartitions %v, want 6 (one per file)", n)
	}
	if s := data.String(); !strings.Contains(s, "chunks=6,") {
		t.Errorf("repr %q does not count 6 chunks", s)
	}
	if n := len(lazy.TaskBlocks(data.Node, client.Plan)); n <= 6 {
		t.Fatalf("the executor plans %d tasks; the test needs files split into several", n)
	}
}
