package pyref

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// DkistArchive is the dkist 1.0.1 source the interoperability tests run, relative to the
// repository's root (../shared beside the checkout, as on CI).
const DkistArchive = "../shared/reference/dkist-1.0.1.tar.gz"

var dkist struct {
	once sync.Once
	dir  string
	err  error
}

// Dkist unpacks the dkist package once per test binary into the sandbox and returns the
// directory to add to PYTHONPATH (Config.PythonPath); the test fails when the archive is
// missing. Its dependencies (sunpy, ndcube, gwcs, asdf...) are Debian packages.
func Dkist(t testing.TB) string {
	t.Helper()
	dir, err := DkistDir()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// DkistDir is Dkist for callers that are not tests.
func DkistDir() (string, error) {
	dkist.once.Do(func() { dkist.dir, dkist.err = unpackDkist() })
	return dkist.dir, dkist.err
}

func unpackDkist() (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	archive := filepath.Join(root, DkistArchive)
	sb, _, err := sandboxEnv()
	if err != nil {
		return "", err
	}
	dest := filepath.Join(sb, "dkist-1.0.1")
	if err := untar(archive, dest); err != nil {
		return "", fmt.Errorf("unpacking the dkist reference %s: %w", archive, err)
	}
	if _, err := os.Stat(filepath.Join(dest, "dkist", "__init__.py")); err != nil {
		return "", fmt.Errorf("%s holds no dkist package: %w", archive, err)
	}
	return dest, nil
}

// untar extracts the regular files and directories of a .tar.gz under dest.
func untar(archive, dest string) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.Clean(h.Name)
		if filepath.IsAbs(name) || name == ".." || strings.HasPrefix(name, "../") {
			return fmt.Errorf("entry %q leaves the destination", h.Name)
		}
		target := filepath.Join(dest, name)
		switch h.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(target, 0o755)
		case tar.TypeReg:
			err = writeFile(target, tr)
		}
		if err != nil {
			return err
		}
	}
}

func writeFile(name string, r io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	w, err := os.Create(name)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, r); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// RepoRoot is the root of the gokist checkout the test runs in: the nearest directory
// up from the working directory (a test's is its package's) whose go.mod is gokist's.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && strings.HasPrefix(strings.TrimSpace(string(b)), "module gokist\n") {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no gokist go.mod above %s", dir)
		}
	}
}
