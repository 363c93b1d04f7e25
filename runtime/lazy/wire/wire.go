package wire

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"slices"

	"gokist/obj"
	"gokist/runtime/lazy"
)

// The cluster path (runtime/cluster) runs chunk tasks in gokist processes on a dask
// cluster's workers. A closure cannot travel there, so a pass is described as data: the
// graph below the pass's root (Graph, sent once per pass), one block per task
// (Block), and what comes back (Result). Node kinds are listed one by one as in
// lazy's kindOf: a kind the encoder does not know is an error naming it, never a silent
// fallback to the kernel. Kernels (the elementwise functions) travel by name and are
// looked up again on the worker from the same tables lazy.NewBinary and lazy.UnaryOp
// use (lazy.BinaryKernel, lazy.UnaryKernel).

// Graph is a pass's graph: the nodes in a table, each after its inputs (a node read
// twice travels once), the root last; Reduce, when set, makes every task run that
// reduction's chunk step over a block of the root.
type Graph struct {
	Nodes  []NodeSpec
	Reduce *wireReduce
}

// wireReduce is the reduction whose input is the graph's root.
type wireReduce struct {
	Op   string // a lazy.ReduceOp's Name
	NaN  bool
	Axes []int
	All  bool
}

// NodeSpec is one node: Kind names the node type, Inputs index earlier nodes.
type NodeSpec struct {
	Kind    string // array, const, index, unary, binary, rebin, read
	Inputs  []int
	DT      lazy.DType
	Shape   []int     // array: its shape; binary: the broadcast output shape
	F64     []float64 // array: values (unless float32)
	F32     []float32 // array: float32 values
	V       float64   // const: the number
	Sel     []wirePick
	Op      string // unary, binary: the operator; rebin: the lazy.RebinOp's Name
	Factors []int  // rebin
	Grid    *wireGrid
}

// wirePick is an axisPick.
type wirePick struct {
	Drop           bool
	Start, Step, N int
}

// wireGrid is a dataset's file grid as a worker needs it: file paths (workers read the
// same paths: a shared filesystem), no header layouts (a worker scans the headers of
// the files it opens).
type wireGrid struct {
	Dir       string
	GridShape []int
	Files     []string
	FileShape []int
	InFile    []int
	DType     lazy.DType
	Bitpix    int
	Missing   int
}

// Task is one task: consecutive blocks of the root's output, each computed as the
// in-process executor computes it (a partial per block), so that grouping them into one
// worker process each (which saves a process start and a header scan per block) keeps
// the results bitwise those of the kernel.
type Task struct{ Blocks []Block }

// Block is the block [Lo, Hi) of the root's output.
type Block struct{ Lo, Hi []int }

// Results are a task's results, one per block.
type Results struct{ Results []Result }

// Result is what a task gives back: its error, or the block's values (eval passes:
// F32 when the pipeline is float32, F64 otherwise) or its partial over the output box
// [OLo, OHi) (reductions), with the counters the kernel adds to its own.
type Result struct {
	Err      *wireError
	F64      []float64
	F32      []float32
	Part     *lazy.AccumulatorParts
	OLo, OHi []int
	Bytes    int64 // bytes decoded from files
	Missing  int64 // blocks of missing files filled with NaN
}

// wireError is an obj.Error.
type wireError struct{ Class, Msg, Hint string }

// EncodePass describes the pass over root's blocks (red non-nil: its chunk step, with
// root its input) for the workers.
func EncodePass(root lazy.Node, red *lazy.ReduceNode) ([]byte, error) {
	e := &graphEncoder{ids: map[lazy.Node]int{}}
	if _, err := e.Add(root); err != nil {
		return nil, err
	}
	if red != nil {
		e.g.Reduce = &wireReduce{Op: red.Op.Name, NaN: red.Nan, Axes: red.Axes, All: red.All}
	}
	return GobBytes(&e.g)
}

type graphEncoder struct {
	ids map[lazy.Node]int
	g   Graph
}

// Add puts n (after its inputs) in the table and returns its index.
func (e *graphEncoder) Add(n lazy.Node) (int, error) {
	if id, ok := e.ids[n]; ok {
		return id, nil
	}
	var ins []int
	for _, in := range n.Inputs() {
		id, err := e.Add(in)
		if err != nil {
			return 0, err
		}
		ins = append(ins, id)
	}
	w := NodeSpec{Inputs: ins, DT: n.DType()}
	switch x := n.(type) {
	case *lazy.ArrayNode:
		w.Kind, w.Shape, w.F64, w.F32 = "array", x.A.Dims, x.A.Values, x.A.Values32
	case *lazy.ConstNode:
		w.Kind, w.V = "const", x.V
	case *lazy.IndexNode:
		w.Kind, w.Sel = "index", wireSelection(x.Sel)
	case *lazy.UnaryNode:
		w.Kind, w.Op = "unary", x.Op
	case *lazy.BinaryNode:
		w.Kind, w.Op, w.Shape = "binary", x.Op, x.Out
	case *lazy.RebinNode:
		w.Kind, w.Op, w.Factors = "rebin", x.Op().Name, x.Factors
	case *lazy.SourceNode:
		g := x.Src
		w.Kind, w.Sel = "read", wireSelection(x.Sel)
		w.Grid = &wireGrid{Dir: g.Dir, GridShape: g.GridShape, Files: g.Files, FileShape: g.FileShape,
			InFile: g.InFile, DType: g.DType, Bitpix: g.Bitpix, Missing: g.Missing}
	default:
		return 0, obj.Errorf(obj.RuntimeError, "the cluster path cannot send the operation %s (%T) to the workers", n.Name(), n).
			WithHint("compute it with the in-process client: Client()")
	}
	e.g.Nodes = append(e.g.Nodes, w)
	e.ids[n] = len(e.g.Nodes) - 1
	return len(e.g.Nodes) - 1, nil
}

func wireSelection(sel lazy.Selection) []wirePick {
	out := make([]wirePick, len(sel))
	for i, p := range sel {
		out[i] = wirePick{Drop: p.Drop, Start: p.Start, Step: p.Step, N: p.N}
	}
	return out
}

func GobBytes(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(v); err != nil {
		return nil, obj.Errorf(obj.RuntimeError, "internal error encoding a cluster task: %v", err)
	}
	return b.Bytes(), nil
}

// decodePass rebuilds a pass's graph on a worker: its root and, for a reduction's
// chunk tasks, the reduction over it. Every field is checked, so a damaged description
// is an error, never a panic.
func decodePass(data []byte) (lazy.Node, *lazy.ReduceNode, error) {
	var g Graph
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&g); err != nil {
		return nil, nil, fmt.Errorf("reading the pass description: %w", err)
	}
	if len(g.Nodes) == 0 {
		return nil, nil, fmt.Errorf("the pass description has no nodes")
	}
	nodes := make([]lazy.Node, len(g.Nodes))
	for i, w := range g.Nodes {
		ins := make([]lazy.Node, len(w.Inputs))
		for j, id := range w.Inputs {
			if id < 0 || id >= i {
				return nil, nil, fmt.Errorf("node %d (%s) reads node %d, which is not before it", i, w.Kind, id)
			}
			ins[j] = nodes[id]
		}
		n, err := decodeNode(w, ins)
		if err != nil {
			return nil, nil, fmt.Errorf("node %d (%s): %w", i, w.Kind, err)
		}
		nodes[i] = n
	}
	root := nodes[len(nodes)-1]
	if g.Reduce == nil {
		return root, nil, nil
	}
	op := reduceOpByName(g.Reduce.Op)
	if op == nil {
		return nil, nil, fmt.Errorf("unknown reduction %q", g.Reduce.Op)
	}
	for _, ax := range g.Reduce.Axes {
		if ax < 0 || ax >= len(root.Shape()) {
			return nil, nil, fmt.Errorf("reduction axis %d outside the input's %d axes", ax, len(root.Shape()))
		}
	}
	return root, &lazy.ReduceNode{In: root, Op: op, Nan: g.Reduce.NaN, Axes: g.Reduce.Axes, All: g.Reduce.All}, nil
}

// decodeNode makes one node of kind w.Kind reading ins.
func decodeNode(w NodeSpec, ins []lazy.Node) (lazy.Node, error) {
	want := map[string]int{"array": 0, "const": 0, "read": 0, "index": 1, "unary": 1, "rebin": 1, "binary": 2}
	nIn, known := want[w.Kind]
	if !known {
		return nil, fmt.Errorf("unknown node kind")
	}
	if len(ins) != nIn {
		return nil, fmt.Errorf("%d inputs, want %d", len(ins), nIn)
	}
	switch w.Kind {
	case "array":
		return decodeArray(w)
	case "const":
		return &lazy.ConstNode{V: w.V, Dt: w.DT}, nil
	case "index":
		sel, err := decodeSelection(w.Sel, ins[0].Shape())
		if err != nil {
			return nil, err
		}
		return &lazy.IndexNode{In: ins[0], Sel: sel}, nil
	case "unary":
		fn, ok := lazy.UnaryKernel(w.Op, w.DT)
		if !ok {
			return nil, fmt.Errorf("unknown operator %q", w.Op)
		}
		return &lazy.UnaryNode{Op: w.Op, In: ins[0], Dt: w.DT, Fn: fn}, nil
	case "binary":
		fn, ok := lazy.BinaryKernel(w.Op, w.DT)
		if !ok {
			return nil, fmt.Errorf("unknown operator %q", w.Op)
		}
		shape, err := lazy.BroadcastShapes(ins[0].Shape(), ins[1].Shape())
		if err != nil || !slices.Equal(shape, w.Shape) {
			return nil, fmt.Errorf("inputs of shapes %v and %v do not broadcast to %v", ins[0].Shape(), ins[1].Shape(), w.Shape)
		}
		return &lazy.BinaryNode{Op: w.Op, A: ins[0], B: ins[1], Out: shape, Dt: w.DT, Fn: fn}, nil
	case "rebin":
		return decodeRebin(w, ins[0])
	}
	return decodeRead(w)
}

func decodeArray(w NodeSpec) (lazy.Node, error) {
	size := lazy.Product(w.Shape)
	if w.DT == lazy.Float32 && len(w.F32) != size || w.DT != lazy.Float32 && len(w.F64) != size {
		return nil, fmt.Errorf("values do not fill the shape %v", w.Shape)
	}
	return &lazy.ArrayNode{A: &lazy.Array{Values: w.F64, Values32: w.F32, Dims: w.Shape, DT: w.DT}}, nil
}

func decodeRebin(w NodeSpec, in lazy.Node) (lazy.Node, error) {
	var op *lazy.RebinOp
	for _, o := range lazy.RebinOps {
		if o.Name == w.Op {
			op = o
		}
	}
	if op == nil {
		return nil, fmt.Errorf("unknown rebin operation %q", w.Op)
	}
	shape := in.Shape()
	if len(w.Factors) != len(shape) {
		return nil, fmt.Errorf("%d bin factors for %d axes", len(w.Factors), len(shape))
	}
	for i, f := range w.Factors {
		if f <= 0 || shape[i]%f != 0 {
			return nil, fmt.Errorf("bin factor %d does not divide axis %d of length %d", f, i, shape[i])
		}
	}
	return lazy.RebinNodeOf(in, w.Factors, op), nil
}

func decodeRead(w NodeSpec) (lazy.Node, error) {
	g := w.Grid
	if g == nil {
		return nil, fmt.Errorf("no file grid")
	}
	if len(g.Files) != lazy.Product(g.GridShape) {
		return nil, fmt.Errorf("%d files for a grid of shape %v", len(g.Files), g.GridShape)
	}
	for _, ax := range g.InFile {
		if ax < 0 || ax >= len(g.FileShape) {
			return nil, fmt.Errorf("in-file axis %d outside the file shape %v", ax, g.FileShape)
		}
	}
	grid := &lazy.FileGrid{Dir: g.Dir, GridShape: g.GridShape, Files: g.Files, FileShape: g.FileShape,
		InFile: g.InFile, DType: g.DType, Bitpix: g.Bitpix, Missing: g.Missing}
	sel, err := decodeSelection(w.Sel, grid.Shape())
	if err != nil {
		return nil, err
	}
	return &lazy.SourceNode{Src: grid, Sel: sel}, nil
}

// decodeSelection checks that every pick stays within the axis it picks from.
func decodeSelection(picks []wirePick, shape []int) (lazy.Selection, error) {
	if len(picks) != len(shape) {
		return nil, fmt.Errorf("%d picks for %d axes", len(picks), len(shape))
	}
	sel := make(lazy.Selection, len(picks))
	for i, p := range picks {
		last := p.Start + (p.N-1)*p.Step
		if p.N < 0 || p.Step == 0 || p.N > 0 && (p.Start < 0 || p.Start >= shape[i] || last < 0 || last >= shape[i]) {
			return nil, fmt.Errorf("pick %+v outside axis %d of length %d", p, i, shape[i])
		}
		sel[i] = lazy.AxisPick{Drop: p.Drop, Start: p.Start, Step: p.Step, N: p.N}
	}
	return sel, nil
}

// reduceOpByName is the reduction called name, or nil.
func reduceOpByName(name string) *lazy.ReduceOp {
	for _, op := range slices.Concat(lazy.ReduceOps, lazy.LogicalReduceOps) {
		if op.Name == name {
			return op
		}
	}
	return nil
}

func DecodeGob(b []byte, v any) error { return gob.NewDecoder(bytes.NewReader(b)).Decode(v) }
