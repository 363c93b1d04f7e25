package wcs

import (
	"fmt"

	"gokist/runtime/wcs/asdf"
	"gokist/runtime/wcs/gwcs"
)

// FromASDFTiles builds the gwcs of every dataset of the tiled index at path, in the order
// its datasets are listed (row-major over the tile grid), for their array shapes and
// pixel names. errs[i] says why tile i has none; err is set when the file cannot be read
// or is not a tiled index of that many tiles.
func FromASDFTiles(path string, shapes [][]int, names [][]string) (out []*WCS, errs []error, err error) {
	f, err := asdf.Read(path)
	if err != nil {
		return nil, nil, err
	}
	tiles := gwcs.Tiles(f)
	if len(tiles) != len(shapes) {
		return nil, nil, fmt.Errorf("%s: the tiled index lists %d datasets, not %d", path, len(tiles), len(shapes))
	}
	out, errs = make([]*WCS, len(tiles)), make([]error, len(tiles))
	for i, g := range tiles {
		if g == nil {
			errs[i] = fmt.Errorf("%s: tile %d has no gwcs", path, i)
			continue
		}
		out[i], errs[i] = fromASDF(f, g, path, shapes[i], names[i])
	}
	return out, errs, nil
}
