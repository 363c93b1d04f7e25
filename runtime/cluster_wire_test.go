package runtime

import (
	"bytes"
	"context"
	"encoding/binary"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"gokist/obj"
)

// TestClusterKernelsMatch checks that the elementwise kernels a worker looks up by name
// (binaryKernel, unaryKernel) are the ones binaryOp and unaryOp chose in the kernel, for
// every operator and dtype, on values where the choices differ (float32 floor division,
// integer division by zero, the bool invert).
func TestClusterKernelsMatch(t *testing.T) {
	xs := []float64{16777216, 7, -7, 0, 1, 0.96536493, math.Inf(1), math.NaN()}
	// Operands as cells give them: arrays of each dtype and Python numbers.
	operands := []any{
		(*numpy.NDArray)(lazy.NewArray([]float64{1, 0, 1}, []int{3}, lazy.Bool)), (*numpy.NDArray)(lazy.NewArray([]float64{7, -7, 0}, []int{3}, lazy.Int64)), 3,
		(*numpy.NDArray)(lazy.NewArray([]float64{16777216, 0.96536493, -1}, []int{3}, lazy.Float32)), (*numpy.NDArray)(lazy.NewArray([]float64{1, 0.1, -3}, []int{3}, lazy.Float64)), 0.5,
	}
	checked := 0
	for op := range lazy.BinaryFuncs {
		for _, a := range operands[:5:5] {
			an, _ := numpy.NodeOf(a)
			for _, b := range operands {
				n, ok, err := numpy.BinaryNode(op, an, b, false)
				if err != nil || !ok {
					continue
				}
				bn := n.(*lazy.BinaryNode)
				fn, known := lazy.BinaryKernel(op, bn.Dt)
				if !known {
					t.Fatalf("%s: no kernel", op)
				}
				checked++
				for _, x := range xs {
					for _, y := range xs {
						if g, w := fn(x, y), bn.Fn(x, y); math.Float64bits(g) != math.Float64bits(w) && !(math.IsNaN(g) && math.IsNaN(w)) {
							t.Errorf("%v %s %v (%v): worker kernel %v, kernel's %v", x, op, y, bn.Dt, g, w)
						}
					}
				}
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d operator and dtype pairs checked", checked)
	}
	for op := range lazy.UnaryFuncs {
		for _, a := range operands[:5:5] {
			an, _ := numpy.NodeOf(a)
			n, err := lazy.UnaryOp(op, an)
			if err != nil {
				continue
			}
			un := n.(*lazy.UnaryNode)
			fn, _ := lazy.UnaryKernel(op, un.Dt)
			for _, x := range xs {
				if g, w := fn(x), un.Fn(x); math.Float64bits(g) != math.Float64bits(w) && !(math.IsNaN(g) && math.IsNaN(w)) {
					t.Errorf("%s %v (%v): worker kernel %v, kernel's %v", op, x, un.Dt, g, w)
				}
			}
		}
	}
}

// TestClusterTaskRoundTrip runs every block of a graph of each node kind through the
// worker's side (RunTask on the encoded pass and block) and checks the values against
// the in-process evaluation of the same block, bit for bit.
func TestClusterTaskRoundTrip(t *testing.T) {
	dir := writeSmall(t, []int{2, 3, 4, 5})
	ds, err := LoadDatasetEnv(testEnv(), dir)
	if err != nil {
		t.Fatal(err)
	}
	src := lazy.Lazy{N: ds.node}.Index([]lazy.Pick{lazy.At(1), lazy.Span(0, 3), {Start: 3, Step: -1, N: 4}, lazy.Span(0, 5)})
	arr := &lazy.ArrayNode{A: lazy.NewArray([]float64{1, 2, 3, 4, 5}, []int{5}, lazy.Float32)}
	scaled, handled, err := numpy.BinaryNode("*", src.N, (*numpy.NDArray)(arr.A), false)
	if err != nil {
		t.Fatal(err)
	}
	if !handled {
		t.Fatal("array * array not handled")
	}
	neg, err := lazy.UnaryOp("-", scaled)
	if err != nil {
		t.Fatal(err)
	}
	graphs := map[string]lazy.Node{
		"read":     src.N,
		"binary":   scaled,
		"unary":    neg,
		"astype":   lazy.AstypeNode(neg, lazy.Float32),
		"rebin":    lazy.RebinNodeOf(neg, []int{3, 2, 5}, lazy.RebinMedian),
		"const":    &lazy.BinaryNode{Op: "+", A: src.N, B: &lazy.ConstNode{V: 2, Dt: lazy.Int64}, Out: src.N.Shape(), Dt: lazy.Float64, Fn: lazy.BinaryFuncs["+"]},
		"subarray": &lazy.IndexNode{In: arr, Sel: lazy.Selection{{Start: 4, Step: -2, N: 3}}},
	}
	r := &lazy.Run{Ctx: context.Background(), Client: NewClient(1, 1, 0).Client}
	for name, n := range graphs {
		pass, err := lazy.EncodePass(n, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, b := range lazy.BlocksWithin(n.Shape(), n.Cuts(), 4) {
			task, _ := lazy.GobBytes(&lazy.WireTask{Blocks: []lazy.WireBlock{{Lo: b.Lo, Hi: b.Hi}}})
			res := decodeResult(t, lazy.RunTask(context.Background(), pass, task))
			if res.Err != nil {
				t.Fatalf("%s: %+v", name, res.Err)
			}
			want := make([]float64, lazy.BoxSize(b.Lo, b.Hi))
			if err := n.Eval(r, b.Lo, b.Hi, want); err != nil {
				t.Fatal(err)
			}
			got := res.F64
			if res.F32 != nil {
				got = make([]float64, len(res.F32))
				for i, v := range res.F32 {
					got[i] = float64(v)
				}
			}
			for i := range want {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
					t.Fatalf("%s block %v…%v [%d]: worker %v, kernel %v", name, b.Lo, b.Hi, i, got[i], want[i])
				}
			}
		}
	}
}

func decodeResult(t *testing.T, b []byte) *lazy.WireResult {
	t.Helper()
	var res lazy.WireResults
	if err := lazy.DecodeGob(b, &res); err != nil || len(res.Results) != 1 {
		t.Fatalf("%d results (%v), want one", len(res.Results), err)
	}
	return &res.Results[0]
}

// TestClusterTaskRejectsDamagedInput: a worker given a damaged pass or a block outside
// the graph answers with an error naming what is wrong, never a panic.
func TestClusterTaskRejectsDamagedInput(t *testing.T) {
	n := &lazy.ArrayNode{A: lazy.NewArray([]float64{1, 2, 3}, []int{3}, lazy.Float64)}
	pass, _ := lazy.EncodePass(n, nil)
	good, _ := lazy.GobBytes(&lazy.WireTask{Blocks: []lazy.WireBlock{{Lo: []int{0}, Hi: []int{3}}}})
	outside, _ := lazy.GobBytes(&lazy.WireTask{Blocks: []lazy.WireBlock{{Lo: []int{2}, Hi: []int{9}}}})
	badPass, _ := lazy.GobBytes(&lazy.WireGraph{Nodes: []lazy.WireNode{{Kind: "index", Inputs: []int{0}}}})
	cases := []struct {
		name       string
		pass, task []byte
		want       string
	}{
		{"garbage pass", []byte("not gob"), good, "could not read its task"},
		{"forward input", badPass, good, "not before it"},
		{"block outside", pass, outside, "outside [3]"},
	}
	for _, c := range cases {
		res := decodeResult(t, lazy.RunTask(context.Background(), c.pass, c.task))
		if res.Err == nil || res.Err.Class != obj.RuntimeError || !strings.Contains(res.Err.Msg, c.want) {
			t.Errorf("%s: %+v, want a RuntimeError saying %q", c.name, res.Err, c.want)
		}
	}
}

// TestGroupBlocksKeepsChunksApart: a task takes the consecutive blocks of one chunk (a
// file's rows), never rows of two files, and at most the limit.
func TestGroupBlocksKeepsChunksApart(t *testing.T) {
	// Two files along axis 0, each of 4 rows of 10, cut into blocks of one row.
	shape, cuts := []int{2, 4, 10}, [][]int{{1}, nil, nil}
	blocks := lazy.BlocksWithin(shape, cuts, 10)
	if len(blocks) != 8 {
		t.Fatalf("%d blocks", len(blocks))
	}
	got := lazy.GroupBlocks(blocks, cuts, 1000)
	if want := [][]int{{0, 1, 2, 3}, {4, 5, 6, 7}}; len(got) != 2 || !slices.Equal(got[0], want[0]) || !slices.Equal(got[1], want[1]) {
		t.Errorf("groups %v, want %v", got, want)
	}
	if got := lazy.GroupBlocks(blocks, cuts, 25); len(got) != 4 {
		t.Errorf("with a limit of 25 elements: %v, want pairs of rows", got)
	}
}

// TestServeTaskServesManyTasks: after ServeMagic, ServeTask answers pass-and-task pairs
// one result frame each, the same bytes RunTask gives for each task alone (a damaged
// task's error included), until its input ends; a truncated request is an error.
func TestServeTaskServesManyTasks(t *testing.T) {
	dir := writeSmall(t, []int{2, 3, 4, 5})
	ds, err := LoadDatasetEnv(testEnv(), dir)
	if err != nil {
		t.Fatal(err)
	}
	pass, err := lazy.EncodePass(ds.node, nil)
	if err != nil {
		t.Fatal(err)
	}
	var in bytes.Buffer
	in.Write(lazy.TaskFrame([]byte(lazy.ServeMagic), nil)[:4+len(lazy.ServeMagic)])
	var want [][]byte
	for _, b := range lazy.BlocksWithin(ds.node.Shape(), ds.node.Cuts(), 7) {
		task, _ := lazy.GobBytes(&lazy.WireTask{Blocks: []lazy.WireBlock{{Lo: b.Lo, Hi: b.Hi}}})
		in.Write(lazy.TaskFrame(pass, task))
		want = append(want, lazy.RunTask(context.Background(), pass, task))
	}
	in.Write(lazy.TaskFrame([]byte("not a pass"), []byte("not a task")))
	want = append(want, lazy.RunTask(context.Background(), []byte("not a pass"), []byte("not a task")))
	var out bytes.Buffer
	if err := lazy.ServeTask(context.Background(), &in, &out); err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		got, err := readTestFrame(&out)
		if err != nil || !bytes.Equal(got, w) {
			t.Fatalf("result %d of %d: %d bytes (%v), want RunTask's %d", i, len(want), len(got), err, len(w))
		}
	}
	if out.Len() != 0 {
		t.Errorf("%d bytes after the last result", out.Len())
	}
	truncated := append(lazy.TaskFrame([]byte(lazy.ServeMagic), nil)[:4+len(lazy.ServeMagic)], 0, 0, 0, 9, 'x')
	if err := lazy.ServeTask(context.Background(), bytes.NewReader(truncated), io.Discard); err == nil {
		t.Error("a truncated request: no error")
	}
}

// readTestFrame reads one length-prefixed frame as the task server writes it.
func readTestFrame(r io.Reader) ([]byte, error) {
	var n uint32
	if err := binary.Read(r, binary.BigEndian, &n); err != nil {
		return nil, err
	}
	b := make([]byte, n)
	_, err := io.ReadFull(r, b)
	return b, err
}
