package lazy

import (
	"context"
	"fmt"
	"slices"
)

// Lazy is the lazy-array core's typed handle on a computation graph, in gonum's style:
// Go types only, explicit shapes and axes, the destination of a result is the returned
// value. Arguments that break the documented rules are programming errors and panic
// with the "runtime: " prefix; the Python face (LazyArray, Dataset) checks a cell's
// arguments first and reports Python's errors. Building a Lazy reads nothing; Compute
// runs it on an executor.
type Lazy struct{ N Node }

// FromArray is an in-memory array as a graph leaf.
func FromArray(a *Array) Lazy { return Lazy{&ArrayNode{a}} }

// Shape is the shape of the result, in numpy's axis order.
func (l Lazy) Shape() []int { return slices.Clone(l.N.Shape()) }

// DType is the result's element type.
func (l Lazy) DType() DType { return l.N.DType() }

// Pick is what one index entry does to one axis: keep N positions from Start, Step
// apart (Step may be negative), or, with Drop, take the position Start alone and drop
// the axis (N is then 1).
type Pick struct {
	Start, Step, N int
	Drop           bool
}

// At is the Pick of one position, dropping the axis (numpy's x[i]).
func At(i int) Pick { return Pick{Start: i, Step: 1, N: 1, Drop: true} }

// Span is the Pick of the positions start, start+1, …, stop-1 (numpy's x[start:stop]).
func Span(start, stop int) Pick { return Pick{Start: start, Step: 1, N: max(0, stop-start)} }

// Index selects with one Pick per axis (numpy basic indexing). It panics unless there
// is one pick per axis and every picked position lies within its axis.
func (l Lazy) Index(picks []Pick) Lazy {
	shape := l.N.Shape()
	if len(picks) != len(shape) {
		panic(fmt.Sprintf("runtime: Index: %d picks for %d axes", len(picks), len(shape)))
	}
	ps := make([]AxisPick, len(picks))
	for i, p := range picks {
		if p.Drop {
			p.N, p.Step = 1, 1
		}
		last := p.Start + (p.N-1)*p.Step
		if p.Step == 0 || p.N < 0 || p.N > 0 && (p.Start < 0 || p.Start >= shape[i] || last < 0 || last >= shape[i]) {
			panic(fmt.Sprintf("runtime: Index: pick %+v outside axis %d of size %d", p, i, shape[i]))
		}
		ps[i] = AxisPick{Drop: p.Drop, Start: p.Start, Step: p.Step, N: p.N}
	}
	return Lazy{ComposeIndex(l.N, ps)}
}

// Reduce reduces over axes (each once, any order; nil: all axes) with op; skipNaN is
// the nan form (nansum, nanmax, …). It panics on an axis out of range or repeated, on
// a positional op (ArgMin, ArgMax) over several axes but not all, and on a reduction
// without identity over an empty axis unless NaNs are skipped.
func (l Lazy) Reduce(op *ReduceOp, axes []int, skipNaN bool) Lazy {
	shape := l.N.Shape()
	all := axes == nil
	if all {
		axes = make([]int, len(shape))
		for i := range axes {
			axes[i] = i
		}
	}
	axes = slices.Sorted(slices.Values(axes))
	for i, ax := range axes {
		if ax < 0 || ax >= len(shape) || i > 0 && axes[i-1] == ax {
			panic(fmt.Sprintf("runtime: Reduce: axes %v of an array of %d axes", axes, len(shape)))
		}
		if op.NoIdentity && !skipNaN && shape[ax] == 0 {
			panic(fmt.Sprintf("runtime: Reduce: %s over the empty axis %d", op.Name, ax))
		}
	}
	all = all || len(axes) == len(shape)
	if op.Positional && !all && len(axes) != 1 {
		panic(fmt.Sprintf("runtime: Reduce: %s takes one axis or all, not %v", op.Name, axes))
	}
	return Lazy{&ReduceNode{In: l.N, Op: op, Nan: skipNaN, Axes: axes, All: all}}
}

// Rebin combines each block of factors[i] neighbouring positions along every axis into
// one with op (ndcube's rebin). It panics unless there is one factor per axis and each
// is positive and divides its axis.
func (l Lazy) Rebin(factors []int, op *RebinOp) Lazy {
	shape := l.N.Shape()
	if len(factors) != len(shape) {
		panic(fmt.Sprintf("runtime: Rebin: %d factors for %d axes", len(factors), len(shape)))
	}
	for i, f := range factors {
		if f <= 0 || shape[i]%f != 0 {
			panic(fmt.Sprintf("runtime: Rebin: factor %d does not divide axis %d of size %d", f, i, shape[i]))
		}
	}
	return Lazy{RebinNodeOf(l.N, slices.Clone(factors), op)}
}

// Compute runs the graph on the client's executor (nil: a default client) and returns
// the result in memory; cancelling ctx stops it with an Interrupted error.
func (l Lazy) Compute(ctx context.Context, c *Client) (*Array, error) {
	if c == nil {
		c = defaultClient()
	}
	return ComputeRun(NewRun(ctx, c, Reporter{}), l.N)
}

// composeIndex applies picks (one per axis of n) to n, composing with an index or a
// read already there, and gives n itself for picks that keep everything.
func ComposeIndex(n Node, picks []AxisPick) Node {
	switch x := n.(type) {
	case *SourceNode:
		return &SourceNode{Src: x.Src, Sel: x.Sel.compose(picks)}
	case *IndexNode:
		return &IndexNode{In: x.In, Sel: x.Sel.compose(picks)}
	}
	sel := IdentitySelection(n.Shape()).compose(picks)
	if sel.isIdentity(n.Shape()) {
		return n
	}
	return &IndexNode{In: n, Sel: sel}
}
