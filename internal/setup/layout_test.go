package setup

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

// TestReadmeLayoutNamesEveryPackage: README's Layout section names every package of the
// repository (by its path, or under runtime/ by its path below the package it extends,
// as `plot/axis/`), so a package added or moved without saying where it sits fails here.
// Vendored code, internal helpers and the command's site builder are not the layout.
func TestReadmeLayoutNamesEveryPackage(t *testing.T) {
	root, err := pyref.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, layout, ok := strings.Cut(string(readme), "\n## Layout\n")
	if !ok {
		t.Fatal("README.md has no Layout section")
	}
	if next := strings.Index(layout, "\n## "); next >= 0 {
		layout = layout[:next]
	}
	layout = strings.Join(strings.Fields(layout), " ") // names may wrap across lines
	named := 0
	for _, dir := range packageDirs(t, root) {
		short := strings.TrimPrefix(dir, "runtime/")
		if !strings.Contains(layout, "`"+dir+"/`") && !strings.Contains(layout, "`"+short+"/`") {
			t.Errorf("README's Layout does not name the package %s/", dir)
		}
		named++
	}
	if named < 30 {
		t.Fatalf("found only %d packages: the walk is wrong", named)
	}
}

// packageDirs lists the directories holding non-test Go files, relative to root.
func packageDirs(t *testing.T, root string) []string {
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			switch {
			case rel == "third_party", d.Name() == "internal", rel == "node_modules", strings.HasPrefix(d.Name(), "."),
				d.Name() == "testdata", rel == "workshop/cmd", rel == "build", rel == "bin":
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			dir := filepath.ToSlash(filepath.Dir(rel))
			if dir != "." && (len(dirs) == 0 || dirs[len(dirs)-1] != dir) {
				dirs = append(dirs, dir)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}
