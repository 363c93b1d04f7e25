package dkist

import (
	"slices"

	"gokist/runtime/lazy"
)

// FileView is the part of a loaded dataset's file grid that a view of it (a slice, a
// rebin, a computed copy) covers, as dkist's Dataset.__getitem__ slices its FileManager
// and headers: per grid axis, the grid positions under each of the view's positions
// along that axis, in the view's order. Slicing picks (and may reverse) positions;
// rebinning merges neighbouring positions into one bin; an int index keeps the one
// position it picked and drops the axis from the array.
type FileView struct {
	grid *lazy.FileGrid
	// bins[a][j] lists the grid positions along grid axis a under position j of the
	// view's axis; a dropped axis has one bin.
	bins [][][]int
	// arrayAxis[a] is the view's array axis that grid axis a is, or -1 once an index
	// has dropped it.
	arrayAxis []int
}

// wholeGrid is the view of every file of g: array axis a is grid axis a.
func wholeGrid(g *lazy.FileGrid) *FileView {
	v := &FileView{grid: g, bins: make([][][]int, len(g.GridShape)), arrayAxis: make([]int, len(g.GridShape))}
	for a, n := range g.GridShape {
		v.arrayAxis[a] = a
		v.bins[a] = make([][]int, n)
		for j := range n {
			v.bins[a][j] = []int{j}
		}
	}
	return v
}

// Index applies one axisPick per array axis of the view (planIndex's result).
func (v *FileView) Index(picks []lazy.AxisPick) *FileView {
	renumber := make([]int, len(picks)) // old array axis → new one (-1 when dropped)
	k := 0
	for i, p := range picks {
		renumber[i] = -1
		if !p.Drop {
			renumber[i] = k
			k++
		}
	}
	out := &FileView{grid: v.grid, bins: slices.Clone(v.bins), arrayAxis: slices.Clone(v.arrayAxis)}
	for a, ax := range v.arrayAxis {
		if ax < 0 || ax >= len(picks) {
			continue
		}
		p := picks[ax]
		if p.Drop {
			out.bins[a] = [][]int{v.bins[a][p.Start]}
			out.arrayAxis[a] = -1
			continue
		}
		picked := make([][]int, p.N)
		for j := range picked {
			picked[j] = v.bins[a][p.Position(j)]
		}
		out.bins[a] = picked
		out.arrayAxis[a] = renumber[ax]
	}
	return out
}

// Rebin merges each run of factors[ax] neighbouring bins along every grid axis (factors
// has one entry per array axis, each dividing its axis, as checkBinShape ensures).
func (v *FileView) Rebin(factors []int) *FileView {
	out := &FileView{grid: v.grid, bins: slices.Clone(v.bins), arrayAxis: v.arrayAxis}
	for a, ax := range v.arrayAxis {
		if ax < 0 || ax >= len(factors) || factors[ax] == 1 {
			continue
		}
		f := factors[ax]
		merged := make([][]int, len(v.bins[a])/f)
		for j := range merged {
			for _, b := range v.bins[a][j*f : (j+1)*f] {
				merged[j] = append(merged[j], b...)
			}
		}
		out.bins[a] = merged
	}
	return out
}

// positions lists, per grid axis, the grid positions the view covers, in its order.
func (v *FileView) positions() [][]int {
	out := make([][]int, len(v.bins))
	for a, bins := range v.bins {
		for _, b := range bins {
			out[a] = append(out[a], b...)
		}
	}
	return out
}

// flatFiles lists the indexes into grid.files of the files the view covers, row-major
// over the grid axes in the view's order along each.
func (v *FileView) flatFiles() []int {
	pos := v.positions()
	total := 1
	for _, p := range pos {
		total *= len(p)
	}
	out := make([]int, 0, total)
	if total == 0 {
		return out
	}
	strides := lazy.StridesOf(v.grid.GridShape)
	c := make([]int, len(pos))
	for {
		flat := 0
		for a, j := range c {
			flat += pos[a][j] * strides[a]
		}
		out = append(out, flat)
		a := len(c) - 1
		for ; a >= 0; a-- {
			c[a]++
			if c[a] < len(pos[a]) {
				break
			}
			c[a] = 0
		}
		if a < 0 {
			return out
		}
	}
}

// FrameCount is the number of files (frames) the view covers, missing ones included.
func (v *FileView) FrameCount() int {
	n := 1
	for _, p := range v.positions() {
		n *= len(p)
	}
	return n
}

// Shape is the shape of the view's array of files, as dkist's sliced FileManager has
// it: a grid axis an int index dropped leaves it (when it covers one file), every other
// grid axis keeps the number of positions it covers.
func (v *FileView) Shape() []int {
	out := []int{}
	for a, p := range v.positions() {
		if v.arrayAxis[a] < 0 && len(p) == 1 {
			continue
		}
		out = append(out, len(p))
	}
	return out
}

// isWhole reports whether the view covers the whole grid in its order.
func (v *FileView) isWhole() bool {
	for a, p := range v.positions() {
		if len(p) != v.grid.GridShape[a] || v.arrayAxis[a] != a {
			return false
		}
		for j, x := range p {
			if x != j {
				return false
			}
		}
	}
	return true
}

// viewGrid is the file grid describing the view's files (ds.files): the view's files
// and names in its order, shaped as shape(). Reads go through the loaded grid held by
// the data's source nodes, never through this one.
func (v *FileView) viewGrid() *lazy.FileGrid {
	g := v.grid
	out := &lazy.FileGrid{Dir: g.Dir, GridShape: v.Shape(), FileShape: g.FileShape, InFile: g.InFile, DType: g.DType, Bitpix: g.Bitpix}
	flat := v.flatFiles()
	out.Files = make([]string, len(flat))
	if g.Names != nil {
		out.Names = make([]string, len(flat))
	}
	for i, f := range flat {
		out.Files[i] = g.Files[f]
		if g.Names != nil {
			out.Names[i] = g.Names[f]
		}
		if g.Files[f] == "" {
			out.Missing++
		}
	}
	return out
}

// viewInfo is the metadata of the view's files: its present files in its order (which
// ds.headers reads), its frame and missing counts; the dataset-level fields (directory,
// instrument, first header for keyword names, world names) are the loaded dataset's.
// Keywords the parent dataset (the one indexed) has read already are picked from its
// cache, so a slice of it reads nothing again.
func (v *FileView) viewInfo(parent *DatasetInfo, g *lazy.FileGrid) *DatasetInfo {
	info := &DatasetInfo{
		Dir: parent.Dir, asdf: parent.asdf, Instrument: parent.Instrument, DatasetID: parent.DatasetID,
		NFiles: len(g.Files), Missing: g.Missing, FirstHeader: parent.FirstHeader,
		worldNames: parent.worldNames, worldUnits: parent.worldUnits, worldTypes: parent.worldTypes,
		Inventory: parent.Inventory,
	}
	for _, p := range g.Files {
		if p != "" {
			info.Files = append(info.Files, p)
		}
	}
	// The parent's cached keywords: its present files are a superset of the view's.
	parent.Columns.mu.Lock()
	defer parent.Columns.mu.Unlock()
	if len(parent.Columns.values) == 0 {
		return info
	}
	rootIndex := make(map[string]int, len(parent.Files))
	for i, p := range parent.Files {
		rootIndex[p] = i
	}
	for key, vals := range parent.Columns.values {
		picked := make([]any, len(info.Files))
		found := false
		for i, p := range info.Files {
			j, ok := rootIndex[p]
			if !ok || j >= len(vals) {
				picked = nil
				break
			}
			picked[i] = vals[j]
			found = found || vals[j] != nil
		}
		if picked == nil {
			continue
		}
		if info.Columns.values == nil {
			info.Columns.values, info.Columns.found = map[string][]any{}, map[string]bool{}
		}
		info.Columns.values[key] = picked
		info.Columns.found[key] = found
	}
	return info
}
