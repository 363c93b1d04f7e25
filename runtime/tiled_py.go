package runtime

// This file is the Python face of TiledDataset, as current dkist's: the grid's shape,
// tiles_shape, tds[i, j] (a Dataset) and sub-grids, flat, iteration over the first axis,
// slice_tiles[...] (the same slice of every tile), mask, combined_headers, inventory,
// meta and the repr.

import (
	"context"
	"fmt"
	"gokist/runtime/dkist"
	"gokist/runtime/lazy"
	"gokist/runtime/numpy"
	"html"
	"strings"

	"gokist/obj"
	"gokist/runtime/table"
)

// TiledDataset is the Python face of a grid of Datasets, one per mosaic tile (dkist's
// TiledDataset): the loaded grid's tiles with their faces made once, so that
// tds[0, 0] is tds[0, 0]; sub-grids and slices are new TiledDatasets over them.
type TiledDataset struct {
	tiles     []*Dataset // row-major over shape; nil where masked
	mask      []bool     // true where the grid has no dataset
	shape     []int      // the tile grid (one or two axes)
	inventory *dkist.Record
	dir, asdf string
	// instrument and datasetID are the first tile's.
	instrument, datasetID string
}

// tiledFace gives a loaded tiled dataset its Python face.
func tiledFace(c *dkist.TiledDataset) *TiledDataset {
	t := &TiledDataset{tiles: make([]*Dataset, len(c.Tiles)), mask: c.Mask, shape: c.Shape, inventory: c.Inventory,
		dir: c.Dir, asdf: c.Asdf, instrument: c.Instrument, datasetID: c.DatasetID}
	for i, d := range c.Tiles {
		t.tiles[i] = datasetFace(d)
	}
	return t
}

var tiledType = &obj.Type{
	Name: "TiledDataset",
	Doc: "A grid of Datasets, one per mosaic tile (dkist.TiledDataset): tds[i, j] is a tile's Dataset, tds.shape the grid, " +
		"tds.slice_tiles[...] slices every tile, tds.combined_headers all the files' headers.",
}

func init() {
	tiledType.Members = []*obj.Member{
		obj.Attr("shape", "The shape of the tile grid.", func(env *obj.Env, recv any) (any, error) { return intTuple(recv.(*TiledDataset).shape), nil }),
		obj.Attr("tiles_shape", "The array shape of each tile, as a list over the grid's first axis.", func(env *obj.Env, recv any) (any, error) {
			return recv.(*TiledDataset).tilesShape(), nil
		}),

		obj.Attr("flat", "The tiles (those not masked) as a one-dimensional TiledDataset.", func(env *obj.Env, recv any) (any, error) {
			return recv.(*TiledDataset).flat(), nil
		}),

		obj.Attr("mask", "Where the grid has no tile (True: masked).", func(env *obj.Env, recv any) (any, error) {
			t := recv.(*TiledDataset)
			data := make([]float64, len(t.mask))
			for i, m := range t.mask {
				if m {
					data[i] = 1
				}
			}
			return (*numpy.NDArray)(lazy.NewArray(data, append([]int(nil), t.shape...), lazy.Bool)), nil
		}),

		obj.Attr("inventory", "The inventory record the data centre keeps for this dataset.", func(env *obj.Env, recv any) (any, error) {
			return recv.(*TiledDataset).inventoryValue(), nil
		}),

		obj.Attr("combined_headers", "One astropy Table of the FITS headers of every file of every tile.", func(env *obj.Env, recv any) (any, error) {
			return recv.(*TiledDataset).combinedHeaders(), nil
		}),

		obj.Attr("meta", "The dataset's metadata: 'inventory' and 'headers' (the combined headers).", func(env *obj.Env, recv any) (any, error) {
			t := recv.(*TiledDataset)
			return &mapping{name: "dict", keys: []string{"inventory", "headers"}, vals: []any{t.inventoryValue(), t.combinedHeaders()}}, nil
		}),

		obj.Attr("slice_tiles", "slice_tiles[index] applies the index to every tile: a TiledDataset of the sliced tiles.", func(env *obj.Env, recv any) (any, error) {
			return tileSlicer{recv.(*TiledDataset)}, nil
		}),

		tiledPlotMember(),
		tiledFilesMember(),
	}
}

// Type returns the TiledDataset member table.
func (t *TiledDataset) Type() *obj.Type { return tiledType }

func intTuple(s []int) obj.Tuple {
	out := make(obj.Tuple, len(s))
	for i, n := range s {
		out[i] = n
	}
	return out
}

// inventoryValue is the inventory record, an empty dict without one.
func (t *TiledDataset) inventoryValue() *mapping {
	if t.inventory == nil {
		return &mapping{name: "inventory"}
	}
	return recordValue(t.inventory)
}

// tilesShape is current dkist's tiles_shape: per row of the grid a tuple of the tiles'
// shapes (for a one-axis grid, the tiles' shapes); a masked tile's is None.
func (t *TiledDataset) tilesShape() obj.List {
	shapeOf := func(i int) any {
		if t.tiles[i] == nil {
			return nil
		}
		return intTuple(t.tiles[i].Shape())
	}
	var out obj.List
	if len(t.shape) == 1 {
		for i := range t.tiles {
			out = append(out, shapeOf(i))
		}
		return out
	}
	for r := range t.shape[0] {
		row := make(obj.Tuple, t.shape[1])
		for c := range row {
			row[c] = shapeOf(r*t.shape[1] + c)
		}
		out = append(out, row)
	}
	return out
}

// flat is the present tiles in grid order, one axis.
func (t *TiledDataset) flat() *TiledDataset {
	out := *t
	out.tiles, out.mask = nil, nil
	for _, ds := range t.tiles {
		if ds != nil {
			out.tiles = append(out.tiles, ds)
			out.mask = append(out.mask, false)
		}
	}
	out.shape = []int{len(out.tiles)}
	return &out
}

// combinedHeaders is every present tile's files' headers in one table, tile by tile.
func (t *TiledDataset) combinedHeaders() *table.Table {
	info := &dkist.DatasetInfo{Dir: t.dir}
	for _, ds := range t.tiles {
		if ds == nil {
			continue
		}
		if info.FirstHeader == nil {
			info.FirstHeader = ds.Info.FirstHeader
		}
		info.Files = append(info.Files, ds.Info.Files...)
	}
	return headersTable(info)
}

// Items iterates over the grid's first axis: the tiles of a one-axis grid, the rows
// (one-axis TiledDatasets) of a two-axis one, as numpy iterates an object array.
func (t *TiledDataset) Items() []any {
	if len(t.shape) == 1 {
		out := make([]any, len(t.tiles))
		for i, ds := range t.tiles {
			if ds != nil {
				out[i] = ds
			}
		}
		return out
	}
	out := make([]any, t.shape[0])
	for r := range out {
		row, _ := t.sub([][]int{{r}, seqInts(t.shape[1])}, []bool{true, false})
		out[r] = row
	}
	return out
}

func seqInts(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// GetItem indexes the grid as numpy indexes an object array: integers on every axis give
// the tile's Dataset (None where masked), slices a sub-grid TiledDataset.
func (t *TiledDataset) GetItem(env *obj.Env, key any) (any, error) {
	keys, ok := key.(obj.Tuple)
	if !ok {
		keys = obj.Tuple{key}
	}
	if len(keys) > len(t.shape) {
		return nil, obj.Errorf(obj.IndexError, "too many indices for the tile grid: it is %d-dimensional, but %d were indexed", len(t.shape), len(keys))
	}
	picks := make([][]int, len(t.shape))
	dropped := make([]bool, len(t.shape))
	for ax := range t.shape {
		n := t.shape[ax]
		if ax >= len(keys) {
			picks[ax] = seqInts(n)
			continue
		}
		switch k := keys[ax].(type) {
		case int:
			i := k
			if i < 0 {
				i += n
			}
			if i < 0 || i >= n {
				return nil, obj.Errorf(obj.IndexError, "index %d is out of bounds for axis %d of the tile grid with size %d", k, ax, n)
			}
			picks[ax], dropped[ax] = []int{i}, true
		case obj.Slice:
			start, stop, step, err := k.Indices(n)
			if err != nil {
				return nil, err
			}
			for i := start; (step > 0 && i < stop) || (step < 0 && i > stop); i += step {
				picks[ax] = append(picks[ax], i)
			}
		default:
			return nil, obj.Errorf(obj.IndexError, "the tile grid is indexed by integers and slices, not %s", obj.TypeName(keys[ax]))
		}
	}
	return t.sub(picks, dropped)
}

// sub is the sub-grid of the picked indices per axis, without the dropped (integer-
// indexed) axes; with every axis dropped, the one tile.
func (t *TiledDataset) sub(picks [][]int, dropped []bool) (any, error) {
	var shape []int
	for ax, p := range picks {
		if !dropped[ax] {
			shape = append(shape, len(p))
		}
	}
	var tiles []*Dataset
	var mask []bool
	add := func(i int) { tiles, mask = append(tiles, t.tiles[i]), append(mask, t.mask[i]) }
	if len(t.shape) == 1 {
		for _, i := range picks[0] {
			add(i)
		}
	} else {
		for _, r := range picks[0] {
			for _, c := range picks[1] {
				add(r*t.shape[1] + c)
			}
		}
	}
	if len(shape) == 0 {
		if tiles[0] == nil {
			return nil, nil
		}
		return tiles[0], nil
	}
	out := *t
	out.tiles, out.mask, out.shape = tiles, mask, shape
	return &out, nil
}

// tileSlicer is tds.slice_tiles: indexing it slices every tile.
type tileSlicer struct{ t *TiledDataset }

var tileSlicerType = &obj.Type{Name: "TiledDatasetSlicer", Doc: "tds.slice_tiles[index]: the TiledDataset of every tile indexed by index."}

// Type returns the slicer's member table.
func (s tileSlicer) Type() *obj.Type { return tileSlicerType }

// GetItem applies key to every present tile.
func (s tileSlicer) GetItem(env *obj.Env, key any) (any, error) {
	out := *s.t
	out.tiles = make([]*Dataset, len(s.t.tiles))
	for i, ds := range s.t.tiles {
		if ds == nil {
			continue
		}
		v, err := ds.GetItem(env, key)
		if err != nil {
			return nil, err
		}
		sliced, ok := v.(*Dataset)
		if !ok {
			return nil, obj.Errorf(obj.IndexError, "slice_tiles[%s] leaves tile %d a single value, not a Dataset", numpy.ShortRepr(key), i)
		}
		out.tiles[i] = sliced
	}
	return &out, nil
}

// headline is the repr's summary, as current dkist's.
func (t *TiledDataset) headline() string {
	inst := t.instrument
	if inst == "" {
		inst = "DKIST"
	}
	frames := 0
	for _, ds := range t.tiles {
		if ds != nil {
			frames += ds.FrameCount()
		}
	}
	return fmt.Sprintf("This %s Dataset %s is an array of %s Dataset objects and consists of %d frames.\nFiles are stored in %s",
		inst, t.datasetID, tupleText(t.shape), frames, t.dir)
}

// firstTile is the first tile not masked (a TiledDataset always has one).
func (t *TiledDataset) firstTile() *Dataset {
	for _, ds := range t.tiles {
		if ds != nil {
			return ds
		}
	}
	return nil
}

// String is the repr: the headline, then the first tile's description.
func (t *TiledDataset) String() string {
	s := "<dkist.dataset.tiled_dataset.TiledDataset object>\n" + t.headline()
	if ds := t.firstTile(); ds != nil {
		body := ds.String()
		if i := strings.Index(body, "\n\n"); i >= 0 {
			body = body[i+2:]
		}
		s += "\n\nEach " + strings.Replace(body, "This Dataset has", "Dataset has", 1)
	}
	return s
}

// MimeBundle shows the repr as text and HTML.
func (t *TiledDataset) MimeBundle() map[string]any {
	return map[string]any{
		"text/plain": t.String(),
		"text/html":  "<pre>" + html.EscapeString(t.String()) + "</pre>",
	}
}

// tupleText is Python's repr of a tuple of ints: (3, 3), (9,).
func tupleText(s []int) string {
	parts := make([]string, len(s))
	for i, n := range s {
		parts[i] = fmt.Sprint(n)
	}
	if len(s) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// loadAnyDataset is dkist.load_dataset of one path: a TiledDataset when its ASDF index
// holds a tiled dataset, else a Dataset.
func loadAnyDataset(env *obj.Env, path string) (any, error) {
	index := dkist.TiledIndex(path)
	if index == "" {
		ds, err := LoadDatasetEnv(env, path)
		if err != nil {
			return nil, err
		}
		return ds, nil
	}
	ctx := context.Background()
	if env != nil {
		ctx = env.Context()
	}
	t, err := dkist.LoadTiledDataset(ctx, index)
	if err != nil {
		return nil, err
	}
	return tiledFace(t), nil
}
