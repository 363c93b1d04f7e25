package runtime

import (
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"strings"
	"testing"

	"gokist/obj"
)

// strangeNode is a node kind the executor's walks do not list.
type strangeNode struct{ lazy.ArrayNode }

func (n *strangeNode) Name() string { return "strange" }

// A graph holding a node kind the walks do not know fails the compute with an internal
// error naming that kind, instead of being treated as some other kind.
func TestComputeNamesUnknownNodeKind(t *testing.T) {
	a := lazy.NewArray([]float64{1, 2, 3, 4}, []int{2, 2}, lazy.Float64)
	red, err := numpy.NewReduce(&strangeNode{lazy.ArrayNode{A: a}}, "sum", 0)
	if err != nil {
		t.Fatal(err)
	}
	env := &obj.Env{Out: obj.Discard{}, Services: map[string]any{}}
	_, err = numpy.ComputeNode(env, red)
	e, ok := err.(*obj.Error)
	if !ok || e.Class != obj.RuntimeError || !strings.Contains(e.Msg, "*runtime.strangeNode") {
		t.Fatalf("compute of a graph with an unknown node kind: %v, want a RuntimeError naming *runtime.strangeNode", err)
	}
}

// rebuild replaces inputs one for one and keeps everything else of the node; a node
// whose inputs do not change is returned as is.
func TestRebuildReplacesInputs(t *testing.T) {
	a := &lazy.ArrayNode{A: lazy.NewArray([]float64{1, 2, 3, 4}, []int{4}, lazy.Float64)}
	b := &lazy.ArrayNode{A: lazy.NewArray([]float64{10, 20, 30, 40}, []int{4}, lazy.Float64)}
	sum, _, err := numpy.BinaryNode("+", a, &numpy.LazyArray{Node: a}, false)
	if err != nil {
		t.Fatal(err)
	}
	same, err := lazy.Rebuild(sum, func(n lazy.Node) (lazy.Node, error) { return n, nil })
	if err != nil || same != sum {
		t.Fatalf("rebuild without changes gave %v, %v; want the node itself", same, err)
	}
	swapped, err := lazy.Rebuild(sum, func(n lazy.Node) (lazy.Node, error) { return b, nil })
	if err != nil {
		t.Fatal(err)
	}
	got, err := numpy.ComputeNode(&obj.Env{Out: obj.Discard{}, Services: map[string]any{}}, swapped)
	if err != nil {
		t.Fatal(err)
	}
	// b + b, worked out by hand.
	want := []float64{20, 40, 60, 80}
	for i, v := range got.Data() {
		if v != want[i] {
			t.Fatalf("rebuilt a+a with b for both inputs computes %v, want %v", got.Data(), want)
		}
	}
	if !lazy.ReadsFiles(&lazy.IndexNode{In: &lazy.SourceNode{Src: &lazy.FileGrid{}}}) || lazy.ReadsFiles(swapped) {
		t.Fatal("readsFiles does not follow inputs down to a read")
	}
}
