package main

import (
	"fmt"
	"go/ast"
	"go/types"
	"path/filepath"
	"sort"
)

func (pi *pkgInfo) fileOf(o types.Object) string {
	if !o.Pos().IsValid() {
		return ""
	}
	return filepath.Base(pi.fset.Position(o.Pos()).Filename)
}

// local reports whether o is declared in this package (package-level, method or field).
func (pi *pkgInfo) local(o types.Object) bool {
	if o.Pkg() != pi.pkg {
		return false
	}
	switch o := o.(type) {
	case *types.Func:
		return o.Type().(*types.Signature).Recv() != nil || o.Parent() == pi.pkg.Scope()
	case *types.Var:
		return o.IsField() || o.Parent() == pi.pkg.Scope()
	default:
		return o.Parent() == pi.pkg.Scope()
	}
}

func analyze(pi *pkgInfo, moved map[string]bool) {
	up := map[types.Object][]string{} // M uses non-M
	down := map[types.Object]int{}    // non-M uses M
	for i, f := range pi.files {
		fn := pi.names[i]
		ast.Inspect(f, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			o := pi.info.Uses[id]
			if o == nil || !pi.local(o) {
				return true
			}
			df := pi.fileOf(o)
			if moved[fn] && !moved[df] {
				up[o] = append(up[o], fn)
			}
			if !moved[fn] && moved[df] && !o.Exported() {
				down[o]++
			}
			return true
		})
	}
	fmt.Println("== core uses face:")
	keys := []types.Object{}
	for o := range up {
		keys = append(keys, o)
	}
	sort.Slice(keys, func(i, j int) bool { return pi.fileOf(keys[i])+keys[i].Name() < pi.fileOf(keys[j])+keys[j].Name() })
	for _, o := range keys {
		fmt.Printf("  %s: %s (%T) used in %v\n", pi.fileOf(o), o.Name(), o, uniq(up[o]))
	}
	fmt.Println("== face methods on core types:")
	for i, f := range pi.files {
		if moved[pi.names[i]] {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil {
				continue
			}
			o := pi.info.Defs[fd.Name].(*types.Func)
			rt := o.Type().(*types.Signature).Recv().Type()
			if p, ok := rt.(*types.Pointer); ok {
				rt = p.Elem()
			}
			if nt, ok := rt.(*types.Named); ok && moved[pi.fileOf(nt.Obj())] {
				fmt.Printf("  %s: (%s).%s\n", pi.names[i], nt.Obj().Name(), fd.Name.Name)
			}
		}
	}
	fmt.Println("== unexported core names used by face:", len(down))
	keys = keys[:0]
	for o := range down {
		keys = append(keys, o)
	}
	sort.Slice(keys, func(i, j int) bool { return pi.fileOf(keys[i])+keys[i].Name() < pi.fileOf(keys[j])+keys[j].Name() })
	for _, o := range keys {
		fmt.Printf("  %s: %s %d\n", pi.fileOf(o), o.Name(), down[o])
	}
}

func uniq(s []string) []string {
	m := map[string]bool{}
	var out []string
	for _, x := range s {
		if !m[x] {
			m[x] = true
			out = append(out, x)
		}
	}
	return out
}
