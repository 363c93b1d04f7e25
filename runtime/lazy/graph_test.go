package lazy

import (
	"context"
	"strings"
	"testing"

	"gokist/obj"
)

// strangeNode is a node kind the executor's walks do not list.
type strangeNode struct{ ArrayNode }

func (n *strangeNode) Name() string { return "strange" }

// A graph holding a node kind the walks do not know fails the compute with an internal
// error naming that kind, instead of being treated as some other kind.
func TestComputeNamesUnknownNodeKind(t *testing.T) {
	a := NewArray([]float64{1, 2, 3, 4}, []int{2, 2}, Float64)
	red := Lazy{&strangeNode{ArrayNode{A: a}}}.Reduce(Sum, []int{0}, false)
	_, err := red.Compute(context.Background(), NewClient(1, 1, 1<<30))
	e, ok := err.(*obj.Error)
	if !ok || e.Class != obj.RuntimeError || !strings.Contains(e.Msg, "*lazy.strangeNode") {
		t.Fatalf("compute of a graph with an unknown node kind: %v, want a RuntimeError naming *lazy.strangeNode", err)
	}
}

// Rebuild replaces inputs one for one and keeps everything else of the node; a node
// whose inputs do not change is returned as is.
func TestRebuildReplacesInputs(t *testing.T) {
	a := &ArrayNode{A: NewArray([]float64{1, 2, 3, 4}, []int{4}, Float64)}
	b := &ArrayNode{A: NewArray([]float64{10, 20, 30, 40}, []int{4}, Float64)}
	sum, _, err := NewBinary("+", a, a)
	if err != nil {
		t.Fatal(err)
	}
	same, err := Rebuild(sum, func(n Node) (Node, error) { return n, nil })
	if err != nil || same != sum {
		t.Fatalf("rebuild without changes gave %v, %v; want the node itself", same, err)
	}
	swapped, err := Rebuild(sum, func(n Node) (Node, error) { return b, nil })
	if err != nil {
		t.Fatal(err)
	}
	got, err := Lazy{swapped}.Compute(context.Background(), NewClient(1, 1, 1<<30))
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
	if !ReadsFiles(&IndexNode{In: &SourceNode{Src: &FileGrid{}}}) || ReadsFiles(swapped) {
		t.Fatal("ReadsFiles does not follow inputs down to a read")
	}
}
