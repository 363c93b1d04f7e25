package dkist

// This file places the scanned files on the dataset's file grid by their DINDEX keys,
// with the size checks that keep a hostile header from allocating the machine away.

import (
	"fmt"
	"gokist/runtime/lazy"
	"math"
	"path/filepath"
	"strings"

	"gokist/obj"
)

// checkDataSize makes sure the dataset's size, in elements and in bytes, can be counted:
// its shape comes from headers or an ASDF index, and a later product over it must not
// wrap around to a small or negative size.
func checkDataSize(g *lazy.FileGrid, asdfPath string, first *fileHeader) error {
	n, ok := checkedProduct(g.Shape())
	if ok {
		_, ok = checkedProduct([]int{n, g.DType.ItemSize()})
	}
	if ok {
		return nil
	}
	from := "the ASDF index " + filepath.Base(asdfPath)
	if first != nil && asdfPath == "" {
		from = filepath.Base(first.path) + "'s DNAXISn keys"
	}
	return obj.Errorf(obj.ValueError, "the dataset's shape %s (from %s) holds more elements than can be counted", lazy.ShapeString(g.Shape()), from)
}

func trimOnes(s []int) []int {
	var out []int
	for _, n := range s {
		if n != 1 {
			out = append(out, n)
		}
	}
	return out
}

// placeByDINDEX puts each file on the grid by its DINDEXk keys (any base: the smallest
// value of each key is position 0), rejecting duplicates and holes.
func placeByDINDEX(g *lazy.FileGrid, keys *datasetKeys, headers []*fileHeader) error {
	ne := keys.deaxes
	// Grid axes in numpy order: dataset FITS axes DNAXIS … DAAXES+1.
	g.GridShape = make([]int, ne)
	for i := range ne {
		g.GridShape[i] = keys.dnaxisN[keys.dnaxis-1-i]
	}
	mins := make([]int, ne)
	maxs := make([]int, ne)
	minAt := make([]*fileHeader, ne) // the files holding the smallest and largest DINDEX
	maxAt := make([]*fileHeader, ne)
	raw := make([][]int, len(headers))
	for fi, h := range headers {
		raw[fi] = make([]int, ne)
		for i := range ne {
			d := keys.dnaxis - i
			dv := h.dindex[d-1]
			if dv.bad != "" {
				return obj.Errorf(obj.FITSError, "%s HDU %d: DINDEX%d = %s is not an integer", filepath.Base(h.path), h.hdu, d, dv.bad)
			}
			if !dv.ok {
				return obj.Errorf(obj.FITSError, "%s: missing the SPEC-214 key DINDEX%d that places it along dataset axis %d", filepath.Base(h.path), d, d)
			}
			// DINDEX is 1-based in real data and 0-based in some simulated data, never
			// negative: a negative one is that file's fault, whatever the others hold.
			if dv.v < 0 {
				return obj.Errorf(obj.ValueError, "%s HDU %d: DINDEX%d = %d is negative (DINDEX%d counts the file's position along dataset axis %d from 1, or from 0)", filepath.Base(h.path), h.hdu, d, dv.v, d, d)
			}
			raw[fi][i] = dv.v
			if fi == 0 || dv.v < mins[i] {
				mins[i], minAt[i] = dv.v, h
			}
			if fi == 0 || dv.v > maxs[i] {
				maxs[i], maxAt[i] = dv.v, h
			}
		}
	}
	for i := range ne {
		if maxs[i]-mins[i] >= g.GridShape[i] {
			d := keys.dnaxis - i
			return obj.Errorf(obj.ValueError, "DINDEX%d ranges from %d (%s) to %d (%s): %d positions, more than the dataset axis of DNAXIS%d = %d",
				d, mins[i], filepath.Base(minAt[i].path), maxs[i], filepath.Base(maxAt[i].path), maxs[i]-mins[i]+1, d, g.GridShape[i]).
				WithHint("one of the two files is misplaced or belongs to another dataset")
		}
	}
	// The grid's size comes from the headers (DNAXISn): place the files by position
	// first and allocate the grid only once the files are known to fill it, so that
	// an absurd DNAXISn is an error, not an allocation of its size.
	total, ok := checkedProduct(g.GridShape)
	if !ok {
		return obj.Errorf(obj.ValueError, "%s: the dataset grid %s of DNAXIS%d … DNAXIS%d has more positions than can be counted",
			filepath.Base(headers[0].path), lazy.ShapeString(g.GridShape), keys.daaxes+1, keys.dnaxis).
			WithHint("the file's DNAXISn keys are wrong")
	}
	placed := make(map[int]string, len(headers))
	st := lazy.StridesOf(g.GridShape)
	for fi, h := range headers {
		flat := 0
		h.index = make([]int, ne)
		for i := range ne {
			p := raw[fi][i] - mins[i]
			if p >= g.GridShape[i] {
				d := keys.dnaxis - i
				return obj.Errorf(obj.ValueError, "%s: DINDEX%d = %d is outside the dataset axis of DNAXIS%d = %d (smallest DINDEX%d is %d)", filepath.Base(h.path), d, raw[fi][i], d, g.GridShape[i], d, mins[i])
			}
			h.index[i] = p
			flat += p * st[i]
		}
		if prev, dup := placed[flat]; dup {
			return obj.Errorf(obj.ValueError, "duplicate DINDEX: %s and %s are both at %s", filepath.Base(prev), filepath.Base(h.path), dindexString(keys, raw[fi]))
		}
		placed[flat] = h.path
	}
	if nHoles := total - len(placed); nHoles > 0 {
		// The first holes lie among the first len(placed)+5 positions.
		var holes []string
		for flat := 0; flat < total && len(holes) < 5; flat++ {
			if _, ok := placed[flat]; !ok {
				pos := unflatten(flat, g.GridShape)
				for i := range pos {
					pos[i] += mins[i]
				}
				holes = append(holes, dindexString(keys, pos))
			}
		}
		return obj.Errorf(obj.ValueError, "%d of %d files of the dataset grid %s are missing (no file at %s) and there is no ASDF index to give the full layout",
			nHoles, total, lazy.ShapeString(g.GridShape), strings.Join(holes, "; ")).
			WithHint("download the missing files, or put the dataset's ASDF file in the directory so missing files compute as NaN")
	}
	g.Files = make([]string, total)
	for flat, p := range placed {
		g.Files[flat] = p
	}
	return nil
}

// checkedProduct is the product of shape, ok false when a length is negative or the
// product overflows an int (shapes read from headers or an ASDF can be anything).
func checkedProduct(shape []int) (int, bool) {
	n := 1
	for _, s := range shape {
		if s < 0 {
			return 0, false
		}
		if s != 0 && n > math.MaxInt/s {
			return 0, false
		}
		n *= s
	}
	return n, true
}

func dindexString(keys *datasetKeys, pos []int) string {
	parts := make([]string, len(pos))
	for i, p := range pos {
		parts[i] = fmt.Sprintf("DINDEX%d=%d", keys.dnaxis-i, p)
	}
	return strings.Join(parts, ", ")
}

func unflatten(flat int, shape []int) []int {
	out := make([]int, len(shape))
	for i := len(shape) - 1; i >= 0; i-- {
		out[i] = flat % shape[i]
		flat /= shape[i]
	}
	return out
}

// nearestPresent gives, for each of n files in grid order, the nearest file for which
// present is true (the earlier one of two as near), or -1 when none is. present is asked
// once per file: a partial download of an index listing 10^6 files with few present would
// take minutes with a search outwards from each missing file.
func nearestPresent(n int, present func(int) bool) []int {
	out := make([]int, n)
	last := -1 // the nearest present file at or before i
	for i := range out {
		if present(i) {
			last = i
		}
		out[i] = last
	}
	next := -1 // the nearest present file at or after i
	for i := n - 1; i >= 0; i-- {
		if out[i] == i {
			next = i
			continue
		}
		if next >= 0 && (out[i] < 0 || next-i < i-out[i]) {
			out[i] = next
		}
	}
	return out
}
