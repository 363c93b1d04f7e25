package obj

import (
	"os"
	"path/filepath"
	"strings"
)

// ExpandHome replaces a leading ~ of a path a cell gives (load_dataset, savefig,
// sample data, path completion) with the user's home directory, as Python's
// os.path.expanduser does for the current user; other paths, and all paths when the
// home directory is unknown, are returned as they are.
func ExpandHome(path string) string {
	if path == "~" || strings.HasPrefix(path, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, path[1:])
		}
	}
	return path
}

// PathLike is implemented by path values (pathlib's Path): the language hands them to
// the runtime as their string, as Python's functions accept any os.PathLike.
type PathLike interface {
	FSPath() string
}
