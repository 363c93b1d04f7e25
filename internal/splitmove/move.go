package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
)

func capitalize(s string) string {
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

type edit struct {
	off, end int
	text     string
}

// move computes renames and rewrites; writes new contents for every file into out map.
func move(pi *pkgInfo, moved map[string]bool, newPath, newName string, overrides map[string]string) map[string][]byte {
	fileOfPos := func(p token.Pos) string { return filepath.Base(pi.fset.Position(p).Filename) }
	scope := pi.pkg.Scope()
	isPkgLevel := func(o types.Object) bool { return o.Parent() == scope }
	rename := map[types.Object]string{}
	methodNames := map[string]bool{}
	// 1. references from face to core
	for i, f := range pi.files {
		fn := pi.names[i]
		if moved[fn] {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			o := pi.info.Uses[id]
			if o == nil || o.Pkg() != pi.pkg || !pi.local(o) || o.Exported() {
				return true
			}
			if !moved[fileOfPos(o.Pos())] {
				return true
			}
			if fnc, ok := o.(*types.Func); ok && fnc.Type().(*types.Signature).Recv() != nil {
				methodNames[o.Name()] = true
				return true
			}
			rename[o] = capitalize(o.Name())
			return true
		})
	}
	// 2. interface methods of core interfaces: faces may implement them
	for i, f := range pi.files {
		if !moved[pi.names[i]] {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			if it, ok := ts.Type.(*ast.InterfaceType); ok {
				tn := pi.info.Defs[ts.Name].(*types.TypeName)
				iface := tn.Type().Underlying().(*types.Interface)
				implementedOutside := false
				for _, name := range scope.Names() {
					o, ok := scope.Lookup(name).(*types.TypeName)
					if !ok || moved[fileOfPos(o.Pos())] || types.IsInterface(o.Type()) {
						continue
					}
					if types.Implements(types.NewPointer(o.Type()), iface) || types.Implements(o.Type(), iface) {
						implementedOutside = true
					}
				}
				if implementedOutside {
					for _, m := range it.Methods.List {
						for _, nm := range m.Names {
							if !ast.IsExported(nm.Name) {
								methodNames[nm.Name] = true
							}
						}
					}
				}
			}
			return true
		})
	}
	// 3. all methods (concrete and interface) with those names
	for id, o := range pi.info.Defs {
		if o == nil || !methodNames[id.Name] {
			continue
		}
		if fnc, ok := o.(*types.Func); ok && fnc.Type().(*types.Signature).Recv() != nil {
			rename[o] = capitalize(o.Name())
		}
	}
	for k, v := range overrides {
		for o := range rename {
			isField := false
			if vr, ok := o.(*types.Var); ok && vr.IsField() {
				isField = true
			}
			_, isFunc := o.(*types.Func)
			key := fmt.Sprintf("%s:%s", fileOfPos(o.Pos()), o.Name())
			if o.Name() == k || key == k || (isField && "field:"+key == k) || (isFunc && "func:"+key == k) {
				rename[o] = v
			}
		}
	}
	// report renames
	var lines []string
	for o, n := range rename {
		lines = append(lines, fmt.Sprintf("%s %T %s -> %s", fileOfPos(o.Pos()), o, o.Name(), n))
	}
	sort.Strings(lines)
	os.WriteFile("/tmp/renames.txt", []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	// collisions: package level in core
	coreNames := map[string]string{}
	for _, name := range scope.Names() {
		o := scope.Lookup(name)
		if moved[fileOfPos(o.Pos())] {
			nn := name
			if r, ok := rename[o]; ok {
				nn = r
			}
			if prev, dup := coreNames[nn]; dup {
				fmt.Println("COLLISION pkg-level", nn, prev, name)
			}
			coreNames[nn] = name
		}
	}
	// collisions: fields/methods per named type
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok {
			continue
		}
		seen := map[string]bool{}
		nt, ok := tn.Type().(*types.Named)
		if !ok {
			continue
		}
		add := func(o types.Object) {
			nn := o.Name()
			if r, ok := rename[o]; ok {
				nn = r
			}
			if seen[nn] {
				fmt.Println("COLLISION member", name, nn)
			}
			seen[nn] = true
		}
		for i := 0; i < nt.NumMethods(); i++ {
			add(nt.Method(i))
		}
		if st, ok := nt.Underlying().(*types.Struct); ok {
			for i := 0; i < st.NumFields(); i++ {
				add(st.Field(i))
			}
		}
		if it, ok := nt.Underlying().(*types.Interface); ok {
			for i := 0; i < it.NumExplicitMethods(); i++ {
				add(it.ExplicitMethod(i))
			}
		}
	}
	// 4. rewrite
	out := map[string][]byte{}
	for i, f := range pi.files {
		fn := pi.names[i]
		tf := pi.fset.File(f.Pos())
		src, _ := os.ReadFile(tf.Name())
		var eds []edit
		needImport := false
		ast.Inspect(f, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			o := pi.info.Defs[id]
			if o == nil {
				o = pi.info.Uses[id]
			}
			if o == nil || o.Pkg() != pi.pkg {
				return true
			}
			name := id.Name
			if r, ok := rename[o]; ok {
				name = r
			}
			qual := ""
			if !moved[fn] && pi.info.Uses[id] != nil && isPkgLevel(o) && moved[fileOfPos(o.Pos())] {
				qual = newName + "."
				needImport = true
			}
			if moved[fn] && pi.info.Uses[id] != nil && isPkgLevel(o) && !moved[fileOfPos(o.Pos())] {
				fmt.Printf("UPREF %s: %s (from %s)\n", fn, id.Name, fileOfPos(o.Pos()))
			}
			if name != id.Name || qual != "" {
				off := tf.Offset(id.Pos())
				eds = append(eds, edit{off, off + len(id.Name), qual + name})
			}
			return true
		})
		sort.Slice(eds, func(a, b int) bool { return eds[a].off < eds[b].off })
		var b bytes.Buffer
		last := 0
		for _, e := range eds {
			if e.off < last {
				continue
			}
			b.Write(src[last:e.off])
			b.WriteString(e.text)
			last = e.end
		}
		b.Write(src[last:])
		res := b.Bytes()
		if moved[fn] {
			res = bytes.Replace(res, []byte("package runtime\n"), []byte("package "+newName+"\n"), 1)
		}
		if needImport {
			res = addImport(res, newPath)
		}
		if fm, err := format.Source(res); err == nil {
			res = fm
		} else {
			fmt.Println("FORMAT", fn, err)
		}
		if !bytes.Equal(res, src) {
			out[fn] = res
		}
	}
	return out
}

func addImport(src []byte, path string) []byte {
	s := string(src)
	if i := strings.Index(s, "\nimport (\n"); i >= 0 {
		j := i + len("\nimport (\n")
		return []byte(s[:j] + "\t\"" + path + "\"\n" + s[j:])
	}
	if i := strings.Index(s, "\nimport \""); i >= 0 {
		return []byte(s[:i] + "\nimport \"" + path + "\"" + s[i:])
	}
	i := strings.Index(s, "\npackage ")
	if !strings.HasPrefix(s, "package ") && i < 0 {
		panic("no package")
	}
	k := strings.Index(s, "\n")
	if !strings.HasPrefix(s, "package ") {
		k = i + 1 + strings.Index(s[i+1:], "\n")
	}
	return []byte(s[:k+1] + "\nimport \"" + path + "\"\n" + s[k+1:])
}
