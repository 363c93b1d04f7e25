// Package setup reads the one install list of the test suite, .ci/packages.txt: each
// line a Debian package and the Python modules of it that the suite imports. `make deps`
// installs the packages; this package's tests check a machine against the list as a
// fresh one would be checked (every package installed, every module importable by
// /usr/bin/python3, the npm lockfile installed).
package setup

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// ListPath is the install list's path relative to the repository's root.
const ListPath = ".ci/packages.txt"

// Package is one line of the install list.
type Package struct {
	Name    string   // the Debian package
	Modules []string // Python modules of it the suite imports
	Line    int      // its line in the list, for messages
}

// Load reads the install list at path: '#' starts a comment, blank lines are skipped.
func Load(path string) ([]Package, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var pkgs []Package
	seen := map[string]int{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(text)
		if len(fields) == 0 {
			continue
		}
		if first, dup := seen[fields[0]]; dup {
			return nil, fmt.Errorf("%s:%d: %s is listed already on line %d", path, n, fields[0], first)
		}
		seen[fields[0]] = n
		pkgs = append(pkgs, Package{Name: fields[0], Modules: fields[1:], Line: n})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("%s lists no package", path)
	}
	return pkgs, nil
}

// InstallCommand is the command that installs pkgs on Debian.
func InstallCommand(pkgs []string) string {
	return "apt-get install -y " + strings.Join(pkgs, " ") + "   (or: make deps)"
}
