package runtime

import (
	"context"
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
		(*ndarray)(NewArray([]float64{1, 0, 1}, []int{3}, Bool)), (*ndarray)(NewArray([]float64{7, -7, 0}, []int{3}, Int64)), 3,
		(*ndarray)(NewArray([]float64{16777216, 0.96536493, -1}, []int{3}, Float32)), (*ndarray)(NewArray([]float64{1, 0.1, -3}, []int{3}, Float64)), 0.5,
	}
	checked := 0
	for op := range binaryFuncs {
		for _, a := range operands[:5:5] {
			an, _ := nodeOf(a)
			for _, b := range operands {
				n, ok, err := binaryOp(op, an, b, false)
				if err != nil || !ok {
					continue
				}
				bn := n.(*binaryNode)
				fn, known := binaryKernel(op, bn.dt)
				if !known {
					t.Fatalf("%s: no kernel", op)
				}
				checked++
				for _, x := range xs {
					for _, y := range xs {
						if g, w := fn(x, y), bn.fn(x, y); math.Float64bits(g) != math.Float64bits(w) && !(math.IsNaN(g) && math.IsNaN(w)) {
							t.Errorf("%v %s %v (%v): worker kernel %v, kernel's %v", x, op, y, bn.dt, g, w)
						}
					}
				}
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d operator and dtype pairs checked", checked)
	}
	for op := range unaryFuncs {
		for _, a := range operands[:5:5] {
			an, _ := nodeOf(a)
			n, err := unaryOp(op, an)
			if err != nil {
				continue
			}
			un := n.(*unaryNode)
			fn, _ := unaryKernel(op, un.dt)
			for _, x := range xs {
				if g, w := fn(x), un.fn(x); math.Float64bits(g) != math.Float64bits(w) && !(math.IsNaN(g) && math.IsNaN(w)) {
					t.Errorf("%s %v (%v): worker kernel %v, kernel's %v", op, x, un.dt, g, w)
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
	src := Lazy{ds.node}.Index([]Pick{At(1), Span(0, 3), {Start: 3, Step: -1, N: 4}, Span(0, 5)})
	arr := &arrayNode{NewArray([]float64{1, 2, 3, 4, 5}, []int{5}, Float32)}
	scaled, handled, err := binaryOp("*", src.n, (*ndarray)(arr.a), false)
	if err != nil {
		t.Fatal(err)
	}
	if !handled {
		t.Fatal("array * array not handled")
	}
	neg, err := unaryOp("-", scaled)
	if err != nil {
		t.Fatal(err)
	}
	graphs := map[string]node{
		"read":     src.n,
		"binary":   scaled,
		"unary":    neg,
		"astype":   astypeNode(neg, Float32),
		"rebin":    rebinNodeOf(neg, []int{3, 2, 5}, RebinMedian),
		"const":    &binaryNode{op: "+", a: src.n, b: &constNode{v: 2, dt: Int64}, out: src.n.shape(), dt: Float64, fn: binaryFuncs["+"]},
		"subarray": &indexNode{in: arr, sel: selection{{start: 4, step: -2, n: 3}}},
	}
	r := &run{ctx: context.Background(), client: NewClient(1, 1, 0).coreClient}
	for name, n := range graphs {
		pass, err := encodePass(n, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, b := range blocksWithin(n.shape(), n.cuts(), 4) {
			task, _ := gobBytes(&wireTask{Blocks: []wireBlock{{Lo: b.lo, Hi: b.hi}}})
			res := decodeResult(t, RunTask(context.Background(), pass, task))
			if res.Err != nil {
				t.Fatalf("%s: %+v", name, res.Err)
			}
			want := make([]float64, boxSize(b.lo, b.hi))
			if err := n.eval(r, b.lo, b.hi, want); err != nil {
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
					t.Fatalf("%s block %v…%v [%d]: worker %v, kernel %v", name, b.lo, b.hi, i, got[i], want[i])
				}
			}
		}
	}
}

func decodeResult(t *testing.T, b []byte) *wireResult {
	t.Helper()
	var res wireResults
	if err := decodeGob(b, &res); err != nil || len(res.Results) != 1 {
		t.Fatalf("%d results (%v), want one", len(res.Results), err)
	}
	return &res.Results[0]
}

// TestClusterTaskRejectsDamagedInput: a worker given a damaged pass or a block outside
// the graph answers with an error naming what is wrong, never a panic.
func TestClusterTaskRejectsDamagedInput(t *testing.T) {
	n := &arrayNode{NewArray([]float64{1, 2, 3}, []int{3}, Float64)}
	pass, _ := encodePass(n, nil)
	good, _ := gobBytes(&wireTask{Blocks: []wireBlock{{Lo: []int{0}, Hi: []int{3}}}})
	outside, _ := gobBytes(&wireTask{Blocks: []wireBlock{{Lo: []int{2}, Hi: []int{9}}}})
	badPass, _ := gobBytes(&wireGraph{Nodes: []wireNode{{Kind: "index", Inputs: []int{0}}}})
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
		res := decodeResult(t, RunTask(context.Background(), c.pass, c.task))
		if res.Err == nil || res.Err.Class != obj.RuntimeError || !strings.Contains(res.Err.Msg, c.want) {
			t.Errorf("%s: %+v, want a RuntimeError saying %q", c.name, res.Err, c.want)
		}
	}
}

// TestPartialMergerMergesInBlockOrder: partials handed over in any order are merged in
// block order, so a sum rounds the same whichever worker finishes first (in process or
// on a cluster). The values make the order visible: 1e16 + 1 + 1 - 1e16 is 0 in order
// and 2 when the ones are added together first.
func TestPartialMergerMergesInBlockOrder(t *testing.T) {
	vals := []float64{1e16, 1, 1, -1e16}
	partial := func(v float64) partialBox {
		a := newAccumulator(Sum, 1)
		a.s[0], a.n[0] = v, 1
		return partialBox{a, nil, nil}
	}
	for _, order := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 2, 0, 3}, {2, 0, 3, 1}} {
		m := newPartialMerger(Sum, nil)
		for _, i := range order {
			m.add(i, partial(vals[i]))
		}
		if got := m.total.s[0]; got != 0 || len(m.pending) != 0 {
			t.Errorf("partials added in order %v: total %v with %d pending, want 0 (1e16 + 1 + 1 - 1e16 in block order)", order, got, len(m.pending))
		}
	}
}

// TestGroupBlocksKeepsChunksApart: a task takes the consecutive blocks of one chunk (a
// file's rows), never rows of two files, and at most the limit.
func TestGroupBlocksKeepsChunksApart(t *testing.T) {
	// Two files along axis 0, each of 4 rows of 10, cut into blocks of one row.
	shape, cuts := []int{2, 4, 10}, [][]int{{1}, nil, nil}
	blocks := blocksWithin(shape, cuts, 10)
	if len(blocks) != 8 {
		t.Fatalf("%d blocks", len(blocks))
	}
	got := groupBlocks(blocks, cuts, 1000)
	if want := [][]int{{0, 1, 2, 3}, {4, 5, 6, 7}}; len(got) != 2 || !slices.Equal(got[0], want[0]) || !slices.Equal(got[1], want[1]) {
		t.Errorf("groups %v, want %v", got, want)
	}
	if got := groupBlocks(blocks, cuts, 25); len(got) != 4 {
		t.Errorf("with a limit of 25 elements: %v, want pairs of rows", got)
	}
}
