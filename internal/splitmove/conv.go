package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
)

// convs reports expressions of the named types (or pointers to them) that are
// implicitly converted to an interface type.
func convs(pi *pkgInfo, names map[string]bool) {
	is := func(t types.Type) (string, bool) {
		if t == nil {
			return "", false
		}
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := t.(*types.Named); ok && n.Obj().Pkg() == pi.pkg && names[n.Obj().Name()] {
			return types.TypeString(t, nil), true
		}
		return "", false
	}
	report := func(e ast.Expr, target types.Type) {
		if target == nil {
			return
		}
		if _, ok := target.Underlying().(*types.Interface); !ok {
			return
		}
		tv, ok := pi.info.Types[e]
		if !ok {
			return
		}
		if n, ok := is(tv.Type); ok {
			if wrapOut != nil {
				wrapOut = append(wrapOut, wrapSite{e.Pos(), e.End(), false})
			}
			p := pi.fset.Position(e.Pos())
			fmt.Printf("%s:%d: %s -> %s\n", filepath.Base(p.Filename), p.Line, n, types.TypeString(target, func(*types.Package) string { return "" }))
		}
	}
	typeOf := func(e ast.Expr) types.Type {
		if tv, ok := pi.info.Types[e]; ok {
			return tv.Type
		}
		if id, ok := e.(*ast.Ident); ok {
			if o := pi.info.Uses[id]; o != nil {
				return o.Type()
			}
			if o := pi.info.Defs[id]; o != nil {
				return o.Type()
			}
		}
		return nil
	}
	tupleTo := func(e ast.Expr, target func(int) types.Type) {
		tup, ok := typeOf(e).(*types.Tuple)
		if !ok {
			return
		}
		for i := 0; i < tup.Len(); i++ {
			t := target(i)
			if t == nil {
				continue
			}
			if _, ok := t.Underlying().(*types.Interface); !ok {
				continue
			}
			if n, ok := is(tup.At(i).Type()); ok {
				if wrapOut != nil {
					wrapOut = append(wrapOut, wrapSite{e.Pos(), e.End(), true})
				}
				p := pi.fset.Position(e.Pos())
				fmt.Printf("%s:%d: %s -> (tuple) %s\n", filepath.Base(p.Filename), p.Line, n, types.TypeString(t, func(*types.Package) string { return "" }))
			}
		}
	}
	for _, f := range pi.files {
		var sigs []*types.Signature
		var visit func(n ast.Node) bool
		visit = func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncDecl:
				if x.Body == nil {
					return false
				}
				sigs = append(sigs, pi.info.Defs[x.Name].Type().(*types.Signature))
				ast.Inspect(x.Body, visit)
				sigs = sigs[:len(sigs)-1]
				return false
			case *ast.FuncLit:
				sigs = append(sigs, typeOf(x).(*types.Signature))
				ast.Inspect(x.Body, visit)
				sigs = sigs[:len(sigs)-1]
				return false
			case *ast.ReturnStmt:
				if len(sigs) == 0 {
					return true
				}
				res := sigs[len(sigs)-1].Results()
				if len(x.Results) == res.Len() {
					for i, r := range x.Results {
						report(r, res.At(i).Type())
					}
				} else if len(x.Results) == 1 {
					tupleTo(x.Results[0], func(i int) types.Type { return res.At(i).Type() })
				}
			case *ast.CallExpr:
				ft := typeOf(x.Fun)
				if ft == nil {
					return true
				}
				sig, ok := ft.Underlying().(*types.Signature)
				if !ok {
					// conversion T(x)
					if len(x.Args) == 1 {
						report(x.Args[0], ft)
					}
					return true
				}
				ps := sig.Params()
				for i, a := range x.Args {
					var t types.Type
					switch {
					case sig.Variadic() && i >= ps.Len()-1:
						if x.Ellipsis.IsValid() {
							continue
						}
						t = ps.At(ps.Len() - 1).Type().(*types.Slice).Elem()
					case i < ps.Len():
						t = ps.At(i).Type()
					}
					report(a, t)
				}
			case *ast.AssignStmt:
				if len(x.Lhs) == len(x.Rhs) {
					for i := range x.Lhs {
						report(x.Rhs[i], typeOf(x.Lhs[i]))
					}
				} else if len(x.Rhs) == 1 && x.Tok.String() == "=" {
					tupleTo(x.Rhs[0], func(i int) types.Type { return typeOf(x.Lhs[i]) })
				}
			case *ast.ValueSpec:
				if x.Type != nil {
					for _, v := range x.Values {
						report(v, typeOf(x.Type))
					}
				}
			case *ast.SendStmt:
				if ch, ok := typeOf(x.Chan).Underlying().(*types.Chan); ok {
					report(x.Value, ch.Elem())
				}
			case *ast.CompositeLit:
				t := typeOf(x)
				if t == nil {
					return true
				}
				switch u := t.Underlying().(type) {
				case *types.Slice:
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							el = kv.Value
						}
						report(el, u.Elem())
					}
				case *types.Array:
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							el = kv.Value
						}
						report(el, u.Elem())
					}
				case *types.Map:
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							report(kv.Key, u.Key())
							report(kv.Value, u.Elem())
						}
					}
				case *types.Struct:
					for i, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							for j := 0; j < u.NumFields(); j++ {
								if u.Field(j).Name() == kv.Key.(*ast.Ident).Name {
									report(kv.Value, u.Field(j).Type())
								}
							}
						} else if i < u.NumFields() {
							report(el, u.Field(i).Type())
						}
					}
				}
			case *ast.BinaryExpr:
				// comparisons with interface values: x == iface
				if x.Op.String() == "==" || x.Op.String() == "!=" {
					report(x.X, typeOf(x.Y))
					report(x.Y, typeOf(x.X))
				}
			}
			return true
		}
		ast.Inspect(f, visit)
	}
}

type wrapSite struct {
	pos, end token.Pos
	tuple    bool
}

var wrapOut []wrapSite

// applyWraps rewrites files (only those whose base name passes keep) wrapping sites.
func applyWraps(pi *pkgInfo, keep func(string) bool, single, tuple string) {
	byFile := map[string][]wrapSite{}
	for _, w := range wrapOut[1:] {
		fn := pi.fset.Position(w.pos).Filename
		byFile[fn] = append(byFile[fn], w)
	}
	for fn, ws := range byFile {
		if !keep(filepath.Base(fn)) {
			continue
		}
		src, _ := os.ReadFile(fn)
		tf := pi.fset.File(ws[0].pos)
		sort.Slice(ws, func(i, j int) bool { return ws[i].pos > ws[j].pos })
		seen := map[token.Pos]bool{}
		for _, w := range ws {
			if seen[w.pos] {
				continue
			}
			seen[w.pos] = true
			a, b := tf.Offset(w.pos), tf.Offset(w.end)
			text := string(src[a:b])
			var rep string
			if w.tuple {
				rep = tuple + "(" + text + ")"
			} else {
				rep = fmt.Sprintf(single, text)
			}
			src = append(src[:a], append([]byte(rep), src[b:]...)...)
		}
		os.WriteFile(fn, src, 0o644)
		fmt.Println("wrapped", fn, len(ws))
	}
}
