package fits

import (
	"slices"
	"time"
)

// ImageLayout is what reading an image needs once its file's headers have been scanned:
// the HDU's data offset, shape, pixel type, scaling and, for a tile-compressed image, the
// tile table's description (and, after the first read, the table itself). A loader that
// scans every file's headers keeps one layout per file, so that each later read opens
// the file without parsing its headers again. A layout is immutable and safe to share
// between concurrent readers.
type ImageLayout struct {
	path     string
	fileSize int64
	modTime  time.Time // zero when unknown (a File not opened from a path)
	image    Image     // the template: file, ownsFile and Header are not set
}

// Layout returns the image's layout for OpenImageWith. It keeps no header keywords:
// images opened from it have a nil Header.
func (im *Image) Layout() *ImageLayout {
	l := &ImageLayout{path: im.Path, fileSize: im.file.size, modTime: im.file.modTime, image: *im}
	l.image.Shape = slices.Clone(im.Shape)
	l.image.file, l.image.ownsFile, l.image.Header = nil, false, nil
	return l
}

// Shape is the image's shape in numpy order.
func (l *ImageLayout) Shape() []int { return slices.Clone(l.image.Shape) }

// Bitpix is the image's stored pixel type.
func (l *ImageLayout) Bitpix() int { return l.image.Bitpix }

// OpenImageWith opens the image at path described by a layout taken from an earlier scan
// of the same file, without reading or parsing its headers; closing the image closes the
// file. When the file's size or modification time differs from the scanned one (the file
// was replaced since), it falls back to OpenImage, which scans the headers again. The image's Header is nil
// unless that fallback happened.
func OpenImageWith(path string, l *ImageLayout) (*Image, error) {
	if l == nil {
		return OpenImage(path)
	}
	f, st, err := openStat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() != l.fileSize || l.modTime.IsZero() || !st.ModTime().Equal(l.modTime) {
		f.Close()
		return OpenImage(path)
	}
	im := new(Image)
	*im = l.image
	im.Path = path
	im.file = &File{path: path, r: f, c: f, size: l.fileSize, modTime: l.modTime}
	im.ownsFile = true
	return im, nil
}
