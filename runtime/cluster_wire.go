package runtime

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"slices"

	"gokist/obj"
)

// The cluster path (runtime/cluster) runs chunk tasks in gokist processes on a dask
// cluster's workers. A closure cannot travel there, so a pass is described as data: the
// graph below the pass's root (wireGraph, sent once per pass), one block per task
// (wireBlock), and what comes back (wireResult). Node kinds are listed one by one as in
// kindOf: a kind the encoder does not know is an error naming it, never a silent
// fallback to the kernel. Kernels (the elementwise functions) travel by name and are
// looked up again on the worker from the same tables binaryOp and unaryOp use.

// wireGraph is a pass's graph: the nodes in a table, each after its inputs (a node read
// twice travels once), the root last; Reduce, when set, makes every task run that
// reduction's chunk step over a block of the root.
type wireGraph struct {
	Nodes  []wireNode
	Reduce *wireReduce
}

// wireReduce is the reduction whose input is the graph's root.
type wireReduce struct {
	Op   string // a ReduceOp's Name
	NaN  bool
	Axes []int
	All  bool
}

// wireNode is one node: Kind names the node type, Inputs index earlier nodes.
type wireNode struct {
	Kind    string // array, const, index, unary, binary, rebin, read
	Inputs  []int
	DT      DType
	Shape   []int     // array: its shape; binary: the broadcast output shape
	F64     []float64 // array: values (unless float32)
	F32     []float32 // array: float32 values
	V       float64   // const: the number
	Sel     []wirePick
	Op      string // unary, binary: the operator; rebin: the RebinOp's Name
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
	DType     DType
	Bitpix    int
	Missing   int
}

// wireTask is one task: consecutive blocks of the root's output, each computed as the
// in-process executor computes it (a partial per block), so that grouping them into one
// worker process each (which saves a process start and a header scan per block) keeps
// the results bitwise those of the kernel.
type wireTask struct{ Blocks []wireBlock }

// wireBlock is the block [Lo, Hi) of the root's output.
type wireBlock struct{ Lo, Hi []int }

// wireResults are a task's results, one per block.
type wireResults struct{ Results []wireResult }

// wireResult is what a task gives back: its error, or the block's values (eval passes:
// F32 when the pipeline is float32, F64 otherwise) or its partial over the output box
// [OLo, OHi) (reductions), with the counters the kernel adds to its own.
type wireResult struct {
	Err      *wireError
	F64      []float64
	F32      []float32
	Part     *wireAcc
	OLo, OHi []int
	Bytes    int64 // bytes decoded from files
	Missing  int64 // blocks of missing files filled with NaN
}

// wireError is an obj.Error.
type wireError struct{ Class, Msg, Hint string }

// wireAcc is an accumulator.
type wireAcc struct {
	N        []int64
	S, M2, V []float64
	Idx      []int64
}

// encodePass describes the pass over root's blocks (red non-nil: its chunk step, with
// root its input) for the workers.
func encodePass(root node, red *reduceNode) ([]byte, error) {
	e := &graphEncoder{ids: map[node]int{}}
	if _, err := e.add(root); err != nil {
		return nil, err
	}
	if red != nil {
		e.g.Reduce = &wireReduce{Op: red.op.Name, NaN: red.nan, Axes: red.axes, All: red.all}
	}
	return gobBytes(&e.g)
}

type graphEncoder struct {
	ids map[node]int
	g   wireGraph
}

// add puts n (after its inputs) in the table and returns its index.
func (e *graphEncoder) add(n node) (int, error) {
	if id, ok := e.ids[n]; ok {
		return id, nil
	}
	var ins []int
	for _, in := range n.inputs() {
		id, err := e.add(in)
		if err != nil {
			return 0, err
		}
		ins = append(ins, id)
	}
	w := wireNode{Inputs: ins, DT: n.dtype()}
	switch x := n.(type) {
	case *arrayNode:
		w.Kind, w.Shape, w.F64, w.F32 = "array", x.a.shape, x.a.data, x.a.data32
	case *constNode:
		w.Kind, w.V = "const", x.v
	case *indexNode:
		w.Kind, w.Sel = "index", wireSelection(x.sel)
	case *unaryNode:
		w.Kind, w.Op = "unary", x.op
	case *binaryNode:
		w.Kind, w.Op, w.Shape = "binary", x.op, x.out
	case *rebinNode:
		w.Kind, w.Op, w.Factors = "rebin", x.op.Name, x.factors
	case *sourceNode:
		g := x.src
		w.Kind, w.Sel = "read", wireSelection(x.sel)
		w.Grid = &wireGrid{Dir: g.dir, GridShape: g.gridShape, Files: g.files, FileShape: g.fileShape,
			InFile: g.inFile, DType: g.dtype, Bitpix: g.bitpix, Missing: g.missing}
	default:
		return 0, obj.Errorf(obj.RuntimeError, "the cluster path cannot send the operation %s (%T) to the workers", n.name(), n).
			WithHint("compute it with the in-process client: Client()")
	}
	e.g.Nodes = append(e.g.Nodes, w)
	e.ids[n] = len(e.g.Nodes) - 1
	return len(e.g.Nodes) - 1, nil
}

func wireSelection(sel selection) []wirePick {
	out := make([]wirePick, len(sel))
	for i, p := range sel {
		out[i] = wirePick{Drop: p.drop, Start: p.start, Step: p.step, N: p.n}
	}
	return out
}

func gobBytes(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(v); err != nil {
		return nil, obj.Errorf(obj.RuntimeError, "internal error encoding a cluster task: %v", err)
	}
	return b.Bytes(), nil
}

// decodePass rebuilds a pass's graph on a worker: its root and, for a reduction's
// chunk tasks, the reduction over it. Every field is checked, so a damaged description
// is an error, never a panic.
func decodePass(data []byte) (node, *reduceNode, error) {
	var g wireGraph
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&g); err != nil {
		return nil, nil, fmt.Errorf("reading the pass description: %w", err)
	}
	if len(g.Nodes) == 0 {
		return nil, nil, fmt.Errorf("the pass description has no nodes")
	}
	nodes := make([]node, len(g.Nodes))
	for i, w := range g.Nodes {
		ins := make([]node, len(w.Inputs))
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
		if ax < 0 || ax >= len(root.shape()) {
			return nil, nil, fmt.Errorf("reduction axis %d outside the input's %d axes", ax, len(root.shape()))
		}
	}
	return root, &reduceNode{in: root, op: op, nan: g.Reduce.NaN, axes: g.Reduce.Axes, all: g.Reduce.All}, nil
}

// decodeNode makes one node of kind w.Kind reading ins.
func decodeNode(w wireNode, ins []node) (node, error) {
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
		return &constNode{v: w.V, dt: w.DT}, nil
	case "index":
		sel, err := decodeSelection(w.Sel, ins[0].shape())
		if err != nil {
			return nil, err
		}
		return &indexNode{in: ins[0], sel: sel}, nil
	case "unary":
		fn, ok := unaryKernel(w.Op, w.DT)
		if !ok {
			return nil, fmt.Errorf("unknown operator %q", w.Op)
		}
		return &unaryNode{op: w.Op, in: ins[0], dt: w.DT, fn: fn}, nil
	case "binary":
		fn, ok := binaryKernel(w.Op, w.DT)
		if !ok {
			return nil, fmt.Errorf("unknown operator %q", w.Op)
		}
		shape, err := broadcastShapes(ins[0].shape(), ins[1].shape())
		if err != nil || !slices.Equal(shape, w.Shape) {
			return nil, fmt.Errorf("inputs of shapes %v and %v do not broadcast to %v", ins[0].shape(), ins[1].shape(), w.Shape)
		}
		return &binaryNode{op: w.Op, a: ins[0], b: ins[1], out: shape, dt: w.DT, fn: fn}, nil
	case "rebin":
		return decodeRebin(w, ins[0])
	}
	return decodeRead(w)
}

func decodeArray(w wireNode) (node, error) {
	size := product(w.Shape)
	if w.DT == Float32 && len(w.F32) != size || w.DT != Float32 && len(w.F64) != size {
		return nil, fmt.Errorf("values do not fill the shape %v", w.Shape)
	}
	return &arrayNode{&Array{data: w.F64, data32: w.F32, shape: w.Shape, dt: w.DT}}, nil
}

func decodeRebin(w wireNode, in node) (node, error) {
	var op *RebinOp
	for _, o := range RebinOps {
		if o.Name == w.Op {
			op = o
		}
	}
	if op == nil {
		return nil, fmt.Errorf("unknown rebin operation %q", w.Op)
	}
	shape := in.shape()
	if len(w.Factors) != len(shape) {
		return nil, fmt.Errorf("%d bin factors for %d axes", len(w.Factors), len(shape))
	}
	for i, f := range w.Factors {
		if f <= 0 || shape[i]%f != 0 {
			return nil, fmt.Errorf("bin factor %d does not divide axis %d of length %d", f, i, shape[i])
		}
	}
	return rebinNodeOf(in, w.Factors, op), nil
}

func decodeRead(w wireNode) (node, error) {
	g := w.Grid
	if g == nil {
		return nil, fmt.Errorf("no file grid")
	}
	if len(g.Files) != product(g.GridShape) {
		return nil, fmt.Errorf("%d files for a grid of shape %v", len(g.Files), g.GridShape)
	}
	for _, ax := range g.InFile {
		if ax < 0 || ax >= len(g.FileShape) {
			return nil, fmt.Errorf("in-file axis %d outside the file shape %v", ax, g.FileShape)
		}
	}
	grid := &fileGrid{dir: g.Dir, gridShape: g.GridShape, files: g.Files, fileShape: g.FileShape,
		inFile: g.InFile, dtype: g.DType, bitpix: g.Bitpix, missing: g.Missing}
	sel, err := decodeSelection(w.Sel, grid.shape())
	if err != nil {
		return nil, err
	}
	return &sourceNode{src: grid, sel: sel}, nil
}

// decodeSelection checks that every pick stays within the axis it picks from.
func decodeSelection(picks []wirePick, shape []int) (selection, error) {
	if len(picks) != len(shape) {
		return nil, fmt.Errorf("%d picks for %d axes", len(picks), len(shape))
	}
	sel := make(selection, len(picks))
	for i, p := range picks {
		last := p.Start + (p.N-1)*p.Step
		if p.N < 0 || p.Step == 0 || p.N > 0 && (p.Start < 0 || p.Start >= shape[i] || last < 0 || last >= shape[i]) {
			return nil, fmt.Errorf("pick %+v outside axis %d of length %d", p, i, shape[i])
		}
		sel[i] = axisPick{drop: p.Drop, start: p.Start, step: p.Step, n: p.N}
	}
	return sel, nil
}

// reduceOpByName is the reduction called name, or nil.
func reduceOpByName(name string) *ReduceOp {
	for _, op := range slices.Concat(ReduceOps, LogicalReduceOps) {
		if op.Name == name {
			return op
		}
	}
	return nil
}

// binaryKernel is the elementwise function binaryOp chooses for op with a result of
// dtype dt (TestClusterKernelsMatch checks that the two agree).
func binaryKernel(op string, dt DType) (func(x, y float64) float64, bool) {
	fn, ok := binaryFuncs[op]
	if f32, is32 := binaryFuncs32[op]; is32 && dt == Float32 {
		fn = f32
	}
	if f, isInt := intFloorDivmod[op]; isInt && dt == Int64 {
		fn = f
	}
	return fn, ok
}

// unaryKernel is the elementwise function unaryOp (or astypeNode) chooses for op with a
// result of dtype dt.
func unaryKernel(op string, dt DType) (func(x float64) float64, bool) {
	switch {
	case op == "astype":
		return func(x float64) float64 { return x }, true
	case op == "~" && dt == Bool:
		return func(x float64) float64 { return 1 - x }, true
	}
	fn, ok := unaryFuncs[op]
	return fn, ok
}

// accumulator gives the partial a task sent back.
func (w *wireAcc) accumulator(op *ReduceOp, size int) (*accumulator, error) {
	a := &accumulator{n: w.N, s: w.S, m2: w.M2, v: w.V, idx: w.Idx}
	if size == 0 { // gob sends empty slices as nil
		return newAccumulator(op, 0), nil
	}
	ok := len(a.n) == size && (a.s != nil) == op.state.sum && (a.m2 != nil) == op.state.m2 &&
		(a.v != nil) == op.state.extreme && (a.idx != nil) == op.state.position
	for _, l := range []int{len(a.s), len(a.m2), len(a.v), len(a.idx)} {
		ok = ok && (l == 0 || l == size)
	}
	if !ok {
		return nil, fmt.Errorf("a %s partial of the wrong size or parts (want %d values)", op.Name, size)
	}
	return a, nil
}

func wireAccOf(a *accumulator) *wireAcc {
	return &wireAcc{N: a.n, S: a.s, M2: a.m2, V: a.v, Idx: a.idx}
}

func decodeGob(b []byte, v any) error { return gob.NewDecoder(bytes.NewReader(b)).Decode(v) }
