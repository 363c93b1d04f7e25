package runtime

// framesCovered counts the files (frames) a dataset's graph reads: for a slice, the files
// its selection touches; for a rebinned view, the files under its bins. It follows
// indexes and rebins down to the file grid, carrying per axis the set of positions used.
// ok=false when the graph holds no file source (in-memory data, arithmetic).
func framesCovered(n node) (int, bool) {
	shape := n.shape()
	used := make([][]bool, len(shape))
	for i, s := range shape {
		used[i] = make([]bool, s)
		for j := range used[i] {
			used[i][j] = true
		}
	}
	return framesUnder(n, used)
}

// framesUnder counts the files under the positions used of n's output axes.
func framesUnder(n node, used [][]bool) (int, bool) {
	switch x := n.(type) {
	case *indexNode:
		return framesUnder(x.in, pickedPositions(x.sel, x.in.shape(), used))
	case *rebinNode:
		in := x.in.shape()
		below := make([][]bool, len(in))
		for a, f := range x.factors {
			below[a] = make([]bool, in[a])
			for p, u := range used[a] {
				for j := 0; u && j < f; j++ {
					below[a][p*f+j] = true
				}
			}
		}
		return framesUnder(x.in, below)
	case *sourceNode:
		picked := pickedPositions(x.sel, x.src.shape(), used)
		count := 1
		for a := range x.src.gridShape {
			k := 0
			for _, u := range picked[a] {
				if u {
					k++
				}
			}
			count *= k
		}
		return count, true
	}
	return 0, false
}

// pickedPositions maps the positions used of a selection's output axes to the input
// positions they come from (a dropped axis uses its one position).
func pickedPositions(sel selection, inShape []int, used [][]bool) [][]bool {
	out := make([][]bool, len(sel))
	k := 0
	for a, p := range sel {
		out[a] = make([]bool, inShape[a])
		if p.drop {
			out[a][p.start] = true
			continue
		}
		for j, u := range used[k] {
			if u {
				out[a][p.position(j)] = true
			}
		}
		k++
	}
	return out
}
