package runtime

import (
	"context"
	"os"

	"gokist/obj"
	"gokist/runtime/dkistnet"
)

// The dataset's files' downloads (dkist's FileManager.quality_report and preview_movie):
// the data centre's URL for the dataset's id, fetched into path or the dataset's
// basepath as parfive's simple_download does (runtime/dkistnet).

var downloadParams = []obj.Param{{Name: "path", Default: "None"}, {Name: "overwrite", Default: "None"}}

// fileDownload makes quality_report or preview_movie.
func fileDownload(name, what string, get func(ctx context.Context, id, dir string, overwrite bool) (*dkistnet.Results, error)) *obj.Member {
	return obj.Method(name, name+"(path=None, overwrite=None)",
		"Download the "+what+" into path (default: basepath). Gives a list of the files written; failures are in .errors.",
		downloadParams, func(env *obj.Env, recv any, v []any) (any, error) {
			d := recv.(*fileList).d
			id, err := inventoryDatasetID(d)
			if err != nil {
				return nil, err
			}
			dir, err := downloadDir(v[0], d.Info.Dir)
			if err != nil {
				return nil, err
			}
			overwrite, _ := v[1].(bool)
			res, err := get(env.Context(), id, dir, overwrite)
			if err != nil {
				return nil, obj.Errorf("OSError", "%s: cannot write into %s: %v", name, dir, err)
			}
			if note := res.FailureNote(1); note != "" && env.Out != nil {
				env.Out.Stream("stdout", note+"\n")
			}
			return res, nil
		})
}

// inventoryDatasetID is meta['inventory']['datasetId'], where dkist reads it.
func inventoryDatasetID(d *Dataset) (string, error) {
	if d.Info.Inventory != nil {
		if v, ok := d.Info.Inventory.Get("datasetId"); ok {
			if s, ok := v.(string); ok {
				return s, nil
			}
		}
	}
	e := obj.Errorf("KeyError", "'datasetId'")
	e.Hint = "the dataset was loaded from FITS files without an ASDF index, whose inventory names the dataset"
	return "", e
}

// downloadDir is the path argument as a directory: a string or a path, else the
// dataset's basepath, else the working directory (parfive's default).
func downloadDir(path any, basepath string) (string, error) {
	switch p := path.(type) {
	case nil:
		if basepath != "" {
			return basepath, nil
		}
		return os.Getwd()
	case string:
		return p, nil
	case obj.PathLike:
		return p.FSPath(), nil
	}
	return "", obj.Errorf(obj.TypeError, "path must be a str or a pathlib.Path, not %s", obj.TypeName(path))
}
