package dkist

// This file loads a tiled dataset (dkist's TiledDataset, as VBI's mosaics are
// delivered): an ASDF index whose dataset is a tiled_dataset, a grid of datasets, each
// with its own file_manager, headers and gwcs, over FITS files in one directory.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"gokist/obj"
	"gokist/runtime/wcs"
)

// coreTiled is a grid of datasets, one per mosaic tile (dkist's TiledDataset), as loaded.
type TiledDataset struct {
	Tiles     []*Dataset // row-major over shape; nil where masked
	Mask      []bool     // true where the grid has no dataset
	Shape     []int      // the tile grid (one or two axes)
	Inventory *Record
	Dir, Asdf string
	// Instrument and datasetID are the first tile's.
	Instrument, DatasetID string
}

// tiledProbeBytes is how much of an ASDF file tiledIndex reads to find the tiled tag:
// the dataset key follows the library and history entries of the tree's top.
const tiledProbeBytes = 64 << 10

// TiledIndex returns the ASDF index of path (a directory holding one, or the file) when
// it holds a tiled dataset, else "".
func TiledIndex(path string) string {
	path = obj.ExpandHome(path)
	st, err := os.Stat(path)
	if err != nil {
		return ""
	}
	index := path
	if st.IsDir() {
		matches, _ := filepath.Glob(filepath.Join(path, "*.asdf"))
		if len(matches) != 1 {
			return ""
		}
		index = matches[0]
	}
	if !strings.HasSuffix(strings.ToLower(index), ".asdf") {
		return ""
	}
	f, err := os.Open(index)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, tiledProbeBytes)
	n, _ := io.ReadFull(f, head)
	if bytes.Contains(head[:n], []byte("dkist.nso.edu/tags/tiled_dataset")) || bytes.Contains(head[:n], []byte("dkist/tiled_dataset")) {
		return index
	}
	return ""
}

// LoadTiledDataset reads the tiled ASDF index at path and every tile's FITS headers
// from its directory.
func LoadTiledDataset(ctx context.Context, path string) (*TiledDataset, error) {
	text, err := readASDFTree(ctx, path)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		return nil, obj.Errorf(obj.ValueError, "%s: not a readable ASDF (YAML) file: %v", path, err)
	}
	td := mapGet(docRoot(&doc), "dataset")
	if td == nil || !strings.Contains(td.Tag, "tiled_dataset") {
		return nil, obj.Errorf(obj.ValueError, "%s: the ASDF index holds no tiled_dataset", path)
	}
	nodes, shape, err := tileGrid(mapGet(td, "datasets"))
	if err != nil {
		return nil, obj.Errorf(obj.ValueError, "%s: datasets: %v", path, err)
	}
	t := &TiledDataset{Shape: shape, Dir: filepath.Dir(path), Asdf: path, Tiles: make([]*Dataset, len(nodes)), Mask: make([]bool, len(nodes))}
	if m, ok := yamlValue(mapGet(td, "inventory"), 0).(*Record); ok {
		t.Inventory = m
	}
	var shapes [][]int
	var names [][]string
	var present []int
	for i, n := range nodes {
		if n == nil {
			t.Mask[i] = true
			continue
		}
		ds, err := t.loadTile(ctx, i, n)
		if err != nil {
			return nil, err
		}
		t.Tiles[i] = ds
		shapes, names, present = append(shapes, ds.Shape()), append(names, ds.PixelNames()), append(present, i)
	}
	if len(present) == 0 {
		return nil, obj.Errorf(obj.ValueError, "%s: the tiled dataset has no tiles", path)
	}
	t.useGWCS(path, shapes, names, present)
	first := t.Tiles[present[0]]
	t.Instrument, t.DatasetID = first.Info.Instrument, first.Info.DatasetID
	return t, nil
}

// useGWCS gives each present tile the index's gwcs for it, keeping the FITS headers'
// WCS (and saying why) where the gwcs cannot be evaluated.
func (t *TiledDataset) useGWCS(path string, shapes [][]int, names [][]string, present []int) {
	ws, errs, err := wcs.FromASDFTiles(path, shapes, names)
	for k, i := range present {
		ds := t.Tiles[i]
		switch {
		case err != nil:
			ds.Info.GwcsProblem = err
		case errs[k] != nil:
			ds.Info.GwcsProblem = errs[k]
		default:
			ds.WorldCoords, ds.WorldCoordsErr = ws[k], nil
		}
	}
}

// loadTile builds tile i from its dataset node: the file_manager places its files.
func (t *TiledDataset) loadTile(ctx context.Context, i int, n *yaml.Node) (*Dataset, error) {
	fm, err := parseFileManager(t.Asdf, mapGet(n, "data"))
	if err != nil {
		return nil, obj.Errorf(obj.ValueError, "tile %d of %s: %v", i, filepath.Base(t.Asdf), ErrorText(err))
	}
	var paths []string
	for _, u := range fm.uris {
		p := filepath.Join(t.Dir, filepath.Base(u))
		if _, err := os.Stat(p); err == nil {
			paths = append(paths, p)
		}
	}
	headers, err := scanHeaders(ctx, paths)
	if err != nil {
		return nil, err
	}
	ds, err := assemble(t.Dir, "", fm, headers)
	if err != nil {
		return nil, obj.Errorf(obj.ValueError, "tile %d of %s: %v", i, filepath.Base(t.Asdf), ErrorText(err))
	}
	ds.Info.asdf = t.Asdf
	ds.Info.Inventory = t.Inventory
	return ds, nil
}

// tileGrid flattens the datasets node (a list of lists of datasets, or a list) row-major;
// a null entry is a masked tile (nil).
func tileGrid(n *yaml.Node) ([]*yaml.Node, []int, error) {
	if n == nil || n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return nil, nil, fmt.Errorf("not a non-empty list of datasets")
	}
	entry := func(c *yaml.Node) (*yaml.Node, error) {
		for c.Kind == yaml.AliasNode {
			c = c.Alias
		}
		switch {
		case c.ShortTag() == "!!null":
			return nil, nil
		case c.Kind == yaml.MappingNode:
			return c, nil
		}
		return nil, fmt.Errorf("line %d: not a dataset", c.Line)
	}
	if n.Content[0].Kind != yaml.SequenceNode {
		out := make([]*yaml.Node, len(n.Content))
		for i, c := range n.Content {
			var err error
			if out[i], err = entry(c); err != nil {
				return nil, nil, err
			}
		}
		return out, []int{len(out)}, nil
	}
	cols := len(n.Content[0].Content)
	var out []*yaml.Node
	for r, row := range n.Content {
		if row.Kind != yaml.SequenceNode || len(row.Content) != cols {
			return nil, nil, fmt.Errorf("row %d has not %d datasets as row 0", r, cols)
		}
		for _, c := range row.Content {
			e, err := entry(c)
			if err != nil {
				return nil, nil, err
			}
			out = append(out, e)
		}
	}
	return out, []int{len(n.Content), cols}, nil
}
