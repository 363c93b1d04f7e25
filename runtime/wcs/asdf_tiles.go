package wcs

// This file reads the gwcs of each tile of a tiled ASDF index (dkist's tiled_dataset:
// a grid of datasets, each with its own gwcs).

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// FromASDFTiles builds the gwcs of every dataset of the tiled index at path, in the order
// its datasets are listed (row-major over the tile grid), for their array shapes and
// pixel names. errs[i] says why tile i has none; err is set when the file cannot be read
// or is not a tiled index of that many tiles.
func FromASDFTiles(path string, shapes [][]int, names [][]string) (out []*WCS, errs []error, err error) {
	f, err := readASDF(path)
	if err != nil {
		return nil, nil, err
	}
	tiles := tileDatasets(mapGet(f.root, "dataset"))
	if len(tiles) != len(shapes) {
		return nil, nil, fmt.Errorf("%s: the tiled index lists %d datasets, not %d", path, len(tiles), len(shapes))
	}
	out, errs = make([]*WCS, len(tiles)), make([]error, len(tiles))
	for i, t := range tiles {
		g := mapGet(t, "wcs")
		if g == nil {
			errs[i] = fmt.Errorf("%s: tile %d has no gwcs", path, i)
			continue
		}
		tile := *f
		tile.wcsNode = g
		out[i], errs[i] = fromASDF(&tile, path, shapes[i], names[i])
	}
	return out, errs, nil
}

// tileDatasets lists the dataset nodes of a tiled_dataset node, flattened row-major.
func tileDatasets(n *yaml.Node) []*yaml.Node {
	if n == nil || !strings.Contains(n.Tag, "tiled_dataset") {
		return nil
	}
	var out []*yaml.Node
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		for n != nil && n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		switch {
		case n == nil || depth > 8:
		case n.Kind == yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		case n.Kind == yaml.MappingNode:
			out = append(out, n)
		}
	}
	walk(mapGet(n, "datasets"), 0)
	return out
}
