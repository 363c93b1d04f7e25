package main

import (
	"encoding/json"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

type listPkg struct {
	ImportPath string
	Export     string
}

// exportMap runs go list -export for the deps of dir's package (incl tests).
func exportMap(dir string) map[string]string {
	cmd := exec.Command("go", "list", "-export", "-deps", "-test", "-json=ImportPath,Export", ".")
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		panic(err)
	}
	m := map[string]string{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p listPkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			panic(err)
		}
		if p.Export != "" {
			m[p.ImportPath] = p.Export
		}
	}
	return m
}

type pkgInfo struct {
	fset  *token.FileSet
	files []*ast.File // package files incl internal tests
	names []string    // base names
	info  *types.Info
	pkg   *types.Package
}

func load(dir, pkgName, importPath string, exports map[string]string, withTests bool) *pkgInfo {
	fset := token.NewFileSet()
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		n := e.Name()
		if !strings.HasSuffix(n, ".go") || e.IsDir() {
			continue
		}
		if !withTests && strings.HasSuffix(n, "_test.go") {
			continue
		}
		names = append(names, n)
	}
	sort.Strings(names)
	pi := &pkgInfo{fset: fset}
	for _, n := range names {
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.ParseComments)
		if err != nil {
			panic(err)
		}
		if f.Name.Name != pkgName {
			continue
		}
		pi.files = append(pi.files, f)
		pi.names = append(pi.names, n)
	}
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		return os.Open(exports[path])
	})
	pi.info = &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Implicits:  map[ast.Node]types.Object{},
	}
	conf := types.Config{Importer: imp, Error: func(err error) { os.Stderr.WriteString("typeerr: " + err.Error() + "\n") }}
	pi.pkg, _ = conf.Check(importPath, fset, pi.files, pi.info)
	return pi
}
