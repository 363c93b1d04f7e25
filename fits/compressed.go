package fits

// tiledImage describes a tile-compressed image (FITS 4.0 §10).
type tiledImage struct{}

func (f *File) compressedImage(hdu *HDU) (*Image, error) {
	return nil, newError(f.path, hdu.Index, nil, "tile-compressed images are not supported yet")
}

func readTiledRegion[T float](im *Image, start, stop []int, dst []T) error {
	return im.errorf("tile-compressed images are not supported yet")
}
