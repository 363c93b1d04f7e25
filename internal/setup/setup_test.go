package setup

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gokist/internal/pyref"
	"gokist/internal/testproc"
)

func TestMain(m *testing.M) { os.Exit(testproc.CheckNoLeftovers(m.Run())) }

func load(t *testing.T) (root string, pkgs []Package) {
	t.Helper()
	root, err := pyref.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err = Load(filepath.Join(root, ListPath))
	if err != nil {
		t.Fatal(err)
	}
	return root, pkgs
}

// Every Debian package of the install list is installed (dpkg -s), as `make deps` leaves
// a fresh machine.
func TestDebianPackagesInstalled(t *testing.T) {
	_, pkgs := load(t)
	var missing []string
	for _, p := range pkgs {
		out, err := testproc.Output(testproc.Cmd{Name: "dpkg", Args: []string{"-s", p.Name}, Timeout: time.Minute})
		if err != nil || !strings.Contains(string(out), "Status: install ok installed") {
			missing = append(missing, p.Name)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("Debian packages of %s not installed: %s\ninstall them: %s", ListPath, strings.Join(missing, " "), InstallCommand(missing))
	}
}

// importAll imports every module in one interpreter and returns those that fail, with
// their error.
const importAll = `
import importlib, json, sys
failed = {}
for m in json.load(sys.stdin):
    try:
        importlib.import_module(m)
    except Exception as e:
        failed[m] = "%s: %s" % (type(e).__name__, e)
json.dump(failed, sys.stdout)
`

// Every Python module the suite uses imports with /usr/bin/python3, in one interpreter,
// and so does the dkist reference (which needs sunpy, ndcube, gwcs and asdf).
func TestPythonModulesImport(t *testing.T) {
	_, pkgs := load(t)
	var modules []string
	owner := map[string]string{}
	for _, p := range pkgs {
		for _, m := range p.Modules {
			modules = append(modules, m)
			owner[m] = p.Name
		}
	}
	modules = append(modules, "dkist", "dkist.io")
	owner["dkist"], owner["dkist.io"] = "the dkist reference's dependencies", "the dkist reference's dependencies"
	var failed map[string]string
	in, _ := json.Marshal(modules)
	out := pyref.Config{PythonPath: []string{pyref.Dkist(t)}}.RunInput(t, in, importAll)
	if err := json.Unmarshal(out, &failed); err != nil {
		t.Fatalf("import check printed %q: %v", out, err)
	}
	if len(failed) == 0 {
		return
	}
	var lines, need []string
	for _, m := range slices.Sorted(func(yield func(string) bool) {
		for m := range failed {
			if !yield(m) {
				return
			}
		}
	}) {
		lines = append(lines, "  "+m+" ("+owner[m]+"): "+failed[m])
		if strings.HasPrefix(owner[m], "python3-") && !slices.Contains(need, owner[m]) {
			need = append(need, owner[m])
		}
	}
	msg := "/usr/bin/python3 cannot import:\n" + strings.Join(lines, "\n")
	if len(need) > 0 {
		msg += "\ninstall: " + InstallCommand(need)
	}
	t.Fatal(msg)
}

// The npm packages of the committed lockfile are installed in node_modules at the pinned
// versions, and node loads them.
func TestNpmPackagesInstalled(t *testing.T) {
	root, _ := load(t)
	b, err := os.ReadFile(filepath.Join(root, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(b, &lock); err != nil {
		t.Fatalf("package-lock.json: %v", err)
	}
	var names []string
	for path, p := range lock.Packages {
		if path == "" {
			continue
		}
		names = append(names, path)
		b, err := os.ReadFile(filepath.Join(root, path, "package.json"))
		var got struct{ Version string }
		if err == nil {
			err = json.Unmarshal(b, &got)
		}
		if err != nil || got.Version != p.Version {
			t.Errorf("%s: installed %q (%v), the lockfile pins %s: run `npm ci` (make deps)", path, got.Version, err, p.Version)
		}
	}
	if !slices.Contains(names, "node_modules/playwright-core") {
		t.Fatalf("package-lock.json lacks playwright-core: %v", names)
	}
	testproc.Run(t, testproc.Cmd{Name: "node", Args: []string{"-e", "require('playwright-core').chromium.executablePath !== undefined || process.exit(1)"},
		Dir: root, Timeout: time.Minute})
}

func TestLoadRejectsDuplicatesAndEmptyLists(t *testing.T) {
	dir := t.TempDir()
	write := func(text string) string {
		p := filepath.Join(dir, "list.txt")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pkgs, err := Load(write("# comment\n\npython3-numpy  numpy # the arrays\njupyter-client\n"))
	if err != nil || len(pkgs) != 2 || pkgs[0].Name != "python3-numpy" || !slices.Equal(pkgs[0].Modules, []string{"numpy"}) ||
		pkgs[1].Name != "jupyter-client" || len(pkgs[1].Modules) != 0 || pkgs[1].Line != 4 {
		t.Fatalf("Load = %+v, %v", pkgs, err)
	}
	if _, err := Load(write("a\nb\na x\n")); err == nil || !strings.Contains(err.Error(), ":3: a is listed already on line 1") {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := Load(write("# nothing\n")); err == nil {
		t.Fatal("an empty list loaded")
	}
}
