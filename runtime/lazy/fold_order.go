package lazy

import (
	"fmt"
	"slices"
	"sync"
)

// A reduction's total is the same bits whatever runs its blocks (one worker or many, in
// process or on a dask cluster) because every output element takes the contributions of
// the blocks in block order: the fold order is a function of the plan, never of timing.
// In process, blocks whose output boxes are disjoint fold at the same time, into disjoint
// parts of one total; a block whose box meets an earlier block's folds in its turn. A
// cluster's partials are merged in block order by the kernel (runtime/lazy/wire.partialMerger).
//
// A block that spans one position of every reduced axis (a file's frame in
// mean(axis=0) of a cube) folds its values straight into the total: its partial would be
// as large as the block and hold the values themselves (0 + x is x), so merging it would
// give the same bits at the cost of allocating and merging a block-sized partial. Other
// blocks fold into a fresh partial over their output box, merged into the total in turn,
// as a cluster's tasks do.

// foldOrder gives each block of a reduction its turn to fold into the total: after every
// earlier block whose output box meets its own. A block done before its turn leaves its
// fold pending, and the fold before it runs it: no worker waits, whatever order an
// executor runs the blocks in (the in-process pool starts them in order, so few are
// pending at once).
type foldOrder struct {
	mu      sync.Mutex
	group   []int             // block → the group of blocks with its output box
	turn    []int             // block → its place in its group
	next    []int             // group → the place whose fold is due
	pending map[[2]int]func() // {group, place} → a fold waiting for its turn
}

// newFoldOrder groups blocks by output box (their extents on the axes not in axes).
// Boxes that are not all equal or disjoint (a plan that cut the same output range
// differently for different blocks) make one group: every fold then waits for all
// earlier ones.
func newFoldOrder(blocks []Block, axes []int) *foldOrder {
	f := &foldOrder{group: make([]int, len(blocks)), turn: make([]int, len(blocks)), pending: map[[2]int]func(){}}
	boxes := make([][2][]int, len(blocks))
	for i, b := range blocks {
		boxes[i] = outputBox(b, axes)
	}
	ids := map[string]int{}
	var sizes []int
	if boxesTile(boxes) {
		for i, bx := range boxes {
			key := fmt.Sprint(bx)
			g, ok := ids[key]
			if !ok {
				g = len(sizes)
				ids[key] = g
				sizes = append(sizes, 0)
			}
			f.group[i], f.turn[i] = g, sizes[g]
			sizes[g]++
		}
	} else {
		for i := range blocks {
			f.turn[i] = i
		}
		sizes = []int{len(blocks)}
	}
	f.next = make([]int, len(sizes))
	return f
}

// outputBox is block b's box in the output of a reduction over axes.
func outputBox(b Block, axes []int) [2][]int {
	var lo, hi []int
	for i := range b.Lo {
		if !slices.Contains(axes, i) {
			lo = append(lo, b.Lo[i])
			hi = append(hi, b.Hi[i])
		}
	}
	return [2][]int{lo, hi}
}

// boxesTile reports whether any two boxes are equal or disjoint: so they are when, on
// every axis, any two of their ranges are equal or disjoint.
func boxesTile(boxes [][2][]int) bool {
	if len(boxes) == 0 {
		return true
	}
	for ax := range boxes[0][0] {
		ranges := make([][2]int, 0, len(boxes))
		for _, bx := range boxes {
			ranges = append(ranges, [2]int{bx[0][ax], bx[1][ax]})
		}
		slices.SortFunc(ranges, func(a, b [2]int) int {
			if a[0] != b[0] {
				return a[0] - b[0]
			}
			return a[1] - b[1]
		})
		ranges = slices.Compact(ranges)
		for k := 1; k < len(ranges); k++ {
			if ranges[k][0] < ranges[k-1][1] {
				return false
			}
		}
	}
	return true
}

// fold runs do, block i's fold, now if it is its turn, and then the folds of its group
// that were waiting for it; otherwise it leaves do for the fold before it to run.
func (f *foldOrder) fold(i int, do func()) {
	g := f.group[i]
	f.mu.Lock()
	if f.next[g] != f.turn[i] {
		f.pending[[2]int{g, f.turn[i]}] = do
		f.mu.Unlock()
		return
	}
	for do != nil {
		f.mu.Unlock()
		do() // blocks of other groups fold into other parts of the total meanwhile
		f.mu.Lock()
		f.next[g]++
		key := [2]int{g, f.next[g]}
		do = f.pending[key]
		delete(f.pending, key)
	}
	f.mu.Unlock()
}

// foldsDirectly reports whether block b folds its values straight into the total: it
// spans one position of every reduced axis and the operation can fold into a running
// total.
func foldsDirectly(red *ReduceNode, b Block) bool {
	if red.Op.FreshPartials {
		return false
	}
	for _, ax := range red.Axes {
		if b.Hi[ax]-b.Lo[ax] != 1 {
			return false
		}
	}
	return true
}

// foldBlock computes block i of red's input and folds it into total (over the output of
// outShape) in its turn.
func (r *Run) foldBlock(br *BlockReducer, order *foldOrder, total *Accumulator, outShape []int, i int, b Block) error {
	if !foldsDirectly(br.Red, b) {
		part, olo, ohi, err := r.chunkBlock(br, b, nil, nil)
		if err != nil {
			return err
		}
		order.fold(i, func() { total.Merge(br.Red.Op, part, outShape, olo, ohi) })
		return nil
	}
	in := br.Red.In
	if a, ok := in.(*ArrayNode); ok {
		if _, ok := ContiguousBox(a.A.Dims, b.Lo, b.Hi); ok {
			order.fold(i, func() { reduceArrayBlock(br, a.A, b, total, outShape) })
			return nil
		}
	}
	// The block's values stay in their scratch buffer until its fold has run.
	if in32, ok := float32Path(in); ok {
		buf := r.buffer32(BoxSize(b.Lo, b.Hi))
		if err := in32.eval32(r, b.Lo, b.Hi, buf); err != nil {
			r.release32(buf)
			return err
		}
		order.fold(i, func() { reduceBlockInto(br, buf, b.Lo, b.Hi, total, outShape); r.release32(buf) })
		return nil
	}
	buf := r.buffer(BoxSize(b.Lo, b.Hi))
	if err := in.Eval(r, b.Lo, b.Hi, buf); err != nil {
		r.release(buf)
		return err
	}
	order.fold(i, func() { reduceBlockInto(br, buf, b.Lo, b.Hi, total, outShape); r.release(buf) })
	return nil
}
