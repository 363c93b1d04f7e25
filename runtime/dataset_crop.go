package runtime

// This file holds ds.crop: ndcube's crop to the smallest pixel box that holds world
// points, each given as high-level world objects (SkyCoord, SpectralCoord, Time,
// StokesCoord) in world order, as world_to_array_index takes them, None for an object
// left free (dataset_crop_none.go).

import (
	"fmt"

	"gokist/obj"
)

// Crop slices the dataset to the smallest array box holding every point. As ndcube
// 2.0.3 (the version dkist 1.0.1 runs on) does, an axis the points fix to one index is
// dropped, and points that fix every axis are a ValueError.
func (d *Dataset) Crop(env *obj.Env, points []any) (*Dataset, error) {
	if len(points) == 0 {
		return d, nil
	}
	w, err := d.WCS()
	if err != nil {
		return nil, err
	}
	shape := d.Node.Shape()
	lo := make([]int, len(shape))
	hi := make([]int, len(shape))
	seen := make([]bool, len(shape)) // axes some point fixes; the others stay whole
	for i, p := range points {
		items, ok := p.(obj.Tuple)
		if !ok {
			if l, isList := p.(obj.List); isList {
				items = obj.Tuple(l)
			} else {
				items = obj.Tuple{p}
			}
		}
		axes, idx, err := cropPointIndices(w, shape, items)
		if err != nil {
			return nil, fmt.Errorf("crop(): point %d: %w", i+1, err)
		}
		for j, a := range axes {
			v := idx[j]
			if !seen[a] || v < lo[a] {
				lo[a] = v
			}
			if !seen[a] || v+1 > hi[a] {
				hi[a] = v + 1
			}
			seen[a] = true
		}
	}
	key := make(obj.Tuple, len(shape))
	scalar := true
	for a := range shape {
		if !seen[a] {
			scalar = false
			key[a] = obj.Slice{}
			continue
		}
		start, stop := max(lo[a], 0), min(hi[a], shape[a])
		if start >= stop {
			return nil, obj.Errorf(obj.ValueError, "crop(): the points lie outside array axis %d (%s, length %d): indices %d to %d",
				a, d.AxisNames[a], shape[a], lo[a], hi[a]-1)
		}
		if stop-start == 1 {
			key[a] = start
			continue
		}
		scalar = false
		key[a] = obj.Slice{Start: &start, Stop: &stop}
	}
	if scalar {
		return nil, obj.Errorf(obj.ValueError, "Input points causes cube to be cropped to a single pixel. This is not supported.")
	}
	v, err := d.GetItem(env, key)
	if err != nil {
		return nil, err
	}
	return v.(*Dataset), nil
}
