package runtime

// This file is tds.files, as current dkist's TiledDataset.files: the files of every
// tile, their one base path and their names, tile by tile.

import (
	"fmt"

	"gokist/obj"
)

// tiledFiles is a TiledDataset's files.
type tiledFiles struct{ t *TiledDataset }

var tiledFilesType = &obj.Type{Name: "FileManager", Doc: "The files of a TiledDataset: basepath (the directory every tile reads from), filenames (tile by tile)."}

func init() {
	tiledFilesType.Members = []*obj.Member{
		obj.Attr("basepath", "The directory every tile reads its files from.", func(env *obj.Env, recv any) (any, error) {
			return recv.(*tiledFiles).t.dir, nil
		}),

		obj.Attr("filenames", "The file names of every tile, tile by tile in grid order.", func(env *obj.Env, recv any) (any, error) {
			return recv.(*tiledFiles).filenames(), nil
		}),
	}
}

// tiledFilesMember is TiledDataset.files; tiled_py.go lists it.
func tiledFilesMember() *obj.Member {
	return obj.Attr("files", "The files of every tile: files.basepath, files.filenames.", func(env *obj.Env, recv any) (any, error) {
		return &tiledFiles{recv.(*TiledDataset)}, nil
	})

}

// Type returns the member table.
func (f *tiledFiles) Type() *obj.Type { return tiledFilesType }

func (f *tiledFiles) filenames() obj.List {
	var out obj.List
	for _, ds := range f.t.tiles {
		if ds != nil {
			out = append(out, ds.fileNameList()...)
		}
	}
	return out
}

// Items makes len() and iteration go over the file names.
func (f *tiledFiles) Items() []any { return f.filenames() }

// MimeBundle is dkist's repr: the object's default repr, then the summary.
func (f *tiledFiles) MimeBundle() map[string]any {
	return map[string]any{"text/plain": fmt.Sprintf("<dkist.io.file_manager.DKISTFileManager object at %p>\nDKISTFileManager containing %d files in %s", f.t, len(f.filenames()), f.t.dir)}
}
