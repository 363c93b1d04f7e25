package lazy

import (
	"slices"
)

// PlanConfig says how a compute is cut into tasks. Tests make the numbers small to send
// small data through the paths large data takes (split files).
type PlanConfig struct {
	// MaxBlockElems bounds the elements of one chunk so that a worker holds at most a
	// few chunk-sized buffers (16 MiB of float64 each) whatever the file size.
	MaxBlockElems int
}

// DefaultPlan is the plan of a new Client (a function, not a variable: a test that
// wants other blocks sets its own client's Plan, never the default of every client).
func DefaultPlan() PlanConfig { return PlanConfig{MaxBlockElems: 1 << 21} }

// maxTaskElems bounds the scratch elements of one executor task: a chunk is computed in
// pieces of at most this many input elements (rows of a file, for DKIST's row tiles,
// which the reader decodes only where a piece touches them), so that a worker's scratch
// stays a few hundred kilobytes and in the processor's cache however large the chunk.
const maxTaskElems = 1 << 16

// taskBlocks partitions a node's output into executor tasks: its chunks, cut further so
// that no task's input exceeds maxTaskElems (nor MaxBlockElems), but never within a row
// (the last axis): a file's compressed tiles are its rows, and a row cut in two would
// be decoded twice.
func TaskBlocks(n Node, plan PlanConfig) []Block {
	shape := n.Shape()
	limit := maxTaskElems / inputPerOutput(n)
	if len(shape) > 0 {
		limit = max(limit, shape[len(shape)-1])
	}
	return BlocksWithin(shape, n.Cuts(), max(1, min(plan.MaxBlockElems, limit)))
}

// inputPerOutput is how many input elements a node reads per output element: the product
// of the bin shapes of the rebins in its graph.
func inputPerOutput(n Node) int {
	own := 1
	if kindOf(n) == barrierKind {
		return 1 // computed before its consumers run, it reads nothing during their tasks
	}
	if rb, ok := n.(*RebinNode); ok {
		own = Product(rb.Factors)
	}
	most := 1
	for _, in := range n.Inputs() {
		most = max(most, inputPerOutput(in))
	}
	return own * most
}

// block is one unit of work: a box of a node's output.
type Block struct{ Lo, Hi []int }

// blocksWithin partitions shape along cuts, then splits blocks larger than limit
// elements along their first axis longer than one (for a file, its rows).
func BlocksWithin(shape []int, cuts [][]int, limit int) []Block {
	nd := len(shape)
	if nd == 0 {
		return []Block{{}}
	}
	if Product(shape) == 0 {
		return nil
	}
	bounds := make([][]int, nd)
	for i := range nd {
		b := []int{0}
		if i < len(cuts) {
			for _, c := range cuts[i] {
				if c > b[len(b)-1] && c < shape[i] {
					b = append(b, c)
				}
			}
		}
		bounds[i] = append(b, shape[i])
	}
	var out []Block
	c := make([]int, nd)
	for {
		lo := make([]int, nd)
		hi := make([]int, nd)
		for i := range nd {
			lo[i], hi[i] = bounds[i][c[i]], bounds[i][c[i]+1]
		}
		out = append(out, splitBlock(lo, hi, limit)...)
		i := nd - 1
		for ; i >= 0; i-- {
			c[i]++
			if c[i] < len(bounds[i])-1 {
				break
			}
			c[i] = 0
		}
		if i < 0 {
			return out
		}
	}
}

// splitBlock cuts a block into pieces of at most limit elements along the first axis
// that can be split.
func splitBlock(lo, hi []int, limit int) []Block {
	size := BoxSize(lo, hi)
	if size <= limit {
		return []Block{{lo, hi}}
	}
	for ax := range lo {
		ext := hi[ax] - lo[ax]
		if ext <= 1 {
			continue
		}
		per := size / ext // elements per unit of this axis
		rows := max(1, limit/per)
		var out []Block
		for s := lo[ax]; s < hi[ax]; s += rows {
			l, h := slices.Clone(lo), slices.Clone(hi)
			l[ax], h[ax] = s, min(s+rows, hi[ax])
			out = append(out, splitBlock(l, h, limit)...)
		}
		return out
	}
	return []Block{{lo, hi}}
}
