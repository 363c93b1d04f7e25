package wire

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gokist/fits"
	"gokist/obj"
	"gokist/runtime/lazy"
)

// smallGrid writes a dataset of 2x3 float64 FITS files of 4x5 values each (value i of
// the whole (2, 3, 4, 5) array: a mix of signs and fractions) and gives the node
// reading all of it.
func smallGrid(t *testing.T) *lazy.SourceNode {
	t.Helper()
	g := &lazy.FileGrid{Dir: t.TempDir(), GridShape: []int{2, 3}, FileShape: []int{4, 5}, InFile: []int{0, 1}, DType: lazy.Float64, Bitpix: -64}
	for i := range 6 {
		data := make([]float64, 20)
		for k := range data {
			data[k] = math.Mod(float64((i*20+k)*17%29), 6.5) - 1.25
		}
		path := filepath.Join(g.Dir, fmt.Sprintf("f%d.fits", i))
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := fits.WriteImage(f, nil, g.FileShape, data, fits.WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		g.Files = append(g.Files, path)
	}
	return &lazy.SourceNode{Src: g, Sel: lazy.IdentitySelection(g.Shape())}
}

// TestClusterTaskRoundTrip runs every block of a graph of each node kind through the
// worker's side (RunTask on the encoded pass and block) and checks the values against
// the in-process evaluation of the same block, bit for bit.
func TestClusterTaskRoundTrip(t *testing.T) {
	src := lazy.Lazy{N: smallGrid(t)}.Index([]lazy.Pick{lazy.At(1), lazy.Span(0, 3), {Start: 3, Step: -1, N: 4}, lazy.Span(0, 5)})
	arr := &lazy.ArrayNode{A: lazy.NewArray([]float64{1, 2, 3, 4, 5}, []int{5}, lazy.Float32)}
	scaled, handled, err := lazy.NewBinary("*", src.N, arr)
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
	r := &lazy.Run{Ctx: context.Background(), Client: lazy.NewClient(1, 1, 0)}
	for name, n := range graphs {
		pass, err := EncodePass(n, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, b := range lazy.BlocksWithin(n.Shape(), n.Cuts(), 4) {
			task, _ := GobBytes(&Task{Blocks: []Block{{Lo: b.Lo, Hi: b.Hi}}})
			res := decodeResult(t, RunTask(context.Background(), pass, task))
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

func decodeResult(t *testing.T, b []byte) *Result {
	t.Helper()
	var res Results
	if err := DecodeGob(b, &res); err != nil || len(res.Results) != 1 {
		t.Fatalf("%d results (%v), want one", len(res.Results), err)
	}
	return &res.Results[0]
}

// TestClusterTaskRejectsDamagedInput: a worker given a damaged pass or a block outside
// the graph answers with an error naming what is wrong, never a panic.
func TestClusterTaskRejectsDamagedInput(t *testing.T) {
	n := &lazy.ArrayNode{A: lazy.NewArray([]float64{1, 2, 3}, []int{3}, lazy.Float64)}
	pass, _ := EncodePass(n, nil)
	good, _ := GobBytes(&Task{Blocks: []Block{{Lo: []int{0}, Hi: []int{3}}}})
	outside, _ := GobBytes(&Task{Blocks: []Block{{Lo: []int{2}, Hi: []int{9}}}})
	badPass, _ := GobBytes(&Graph{Nodes: []NodeSpec{{Kind: "index", Inputs: []int{0}}}})
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

// TestGroupBlocksKeepsChunksApart: a task takes the consecutive blocks of one chunk (a
// file's rows), never rows of two files, and at most the limit.
func TestGroupBlocksKeepsChunksApart(t *testing.T) {
	// Two files along axis 0, each of 4 rows of 10, cut into blocks of one row.
	shape, cuts := []int{2, 4, 10}, [][]int{{1}, nil, nil}
	blocks := lazy.BlocksWithin(shape, cuts, 10)
	if len(blocks) != 8 {
		t.Fatalf("%d blocks", len(blocks))
	}
	got := GroupBlocks(blocks, cuts, 1000)
	if want := [][]int{{0, 1, 2, 3}, {4, 5, 6, 7}}; len(got) != 2 || !slices.Equal(got[0], want[0]) || !slices.Equal(got[1], want[1]) {
		t.Errorf("groups %v, want %v", got, want)
	}
	if got := GroupBlocks(blocks, cuts, 25); len(got) != 4 {
		t.Errorf("with a limit of 25 elements: %v, want pairs of rows", got)
	}
}

// TestServeTaskServesManyTasks: after ServeMagic, ServeTask answers pass-and-task pairs
// one result frame each, the same bytes RunTask gives for each task alone (a damaged
// task's error included), until its input ends; a truncated request is an error.
func TestServeTaskServesManyTasks(t *testing.T) {
	grid := smallGrid(t)
	pass, err := EncodePass(grid, nil)
	if err != nil {
		t.Fatal(err)
	}
	var in bytes.Buffer
	in.Write(TaskFrame([]byte(ServeMagic), nil)[:4+len(ServeMagic)])
	var want [][]byte
	for _, b := range lazy.BlocksWithin(grid.Shape(), grid.Cuts(), 7) {
		task, _ := GobBytes(&Task{Blocks: []Block{{Lo: b.Lo, Hi: b.Hi}}})
		in.Write(TaskFrame(pass, task))
		want = append(want, RunTask(context.Background(), pass, task))
	}
	in.Write(TaskFrame([]byte("not a pass"), []byte("not a task")))
	want = append(want, RunTask(context.Background(), []byte("not a pass"), []byte("not a task")))
	var out bytes.Buffer
	if err := ServeTask(context.Background(), &in, &out); err != nil {
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
	truncated := append(TaskFrame([]byte(ServeMagic), nil)[:4+len(ServeMagic)], 0, 0, 0, 9, 'x')
	if err := ServeTask(context.Background(), bytes.NewReader(truncated), io.Discard); err == nil {
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
