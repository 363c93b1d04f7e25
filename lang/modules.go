package lang

import (
	"fmt"
	"sort"
	"strings"

	"gokist/obj"
	_ "gokist/pystd" // pathlib, os, glob
)

// The modules of the language itself register here; the runtime's packages register
// theirs (dkist, matplotlib, ...) from their own init functions, so that a new module edits no
// switch. The session is the obj.ModuleScope a module is built in.
func init() {
	register := func(path string, build func(s *Session) (any, error)) {
		obj.RegisterModule(path, func(scope obj.ModuleScope) (any, error) { return build(scope.(*Session)) })
	}
	register("sys", func(s *Session) (any, error) {
		return newModule("sys", "The cell's standard streams.", map[string]any{"stdout": s.stdout, "stderr": s.stderr}), nil
	})
	register("dask.distributed", func(s *Session) (any, error) {
		return newModule("dask.distributed", "The parallel executor's client.", s.initialAttrs("Client", "LocalCluster")), nil
	})
	register("dask", func(s *Session) (any, error) {
		d, _ := s.Import("dask.distributed")
		return newModule("dask", "Parallel computing.", map[string]any{"distributed": d}), nil
	})
	register("IPython.display", func(s *Session) (any, error) {
		attrs := ipythonDisplayObjects()
		attrs["display"], attrs["clear_output"] = s.builtin("display"), s.builtin("clear_output")
		return newModule("IPython.display", "Rich display in the notebook.", attrs), nil
	})
	register("IPython", func(s *Session) (any, error) {
		d, _ := s.Import("IPython.display")
		return newModule("IPython", "The notebook's display tools.", map[string]any{"display": d}), nil
	})
}

// knownModules lists the modules a cell may import, for the ModuleNotFoundError hint:
// the registry's paths, less parents registered only for their submodules (dask,
// IPython) and the registry's test entries.
func knownModules() []string {
	var out []string
	for _, p := range obj.ModulePaths() {
		if !parentOnly[p] && !strings.HasPrefix(p, "gokisttest") {
			out = append(out, p)
		}
	}
	return out
}

// parentOnly are the packages importable only to reach their submodules.
var parentOnly = map[string]bool{"dask": true, "IPython": true, "astropy": true, "sunpy": true, "matplotlib": true, "astropy.io": true, "dkist.data": true}

// Import returns the value of an importable module path in this session (the
// obj.ModuleScope of the module registry).
func (s *Session) Import(path string) (any, error) {
	if build, ok := obj.LookupModule(path); ok {
		return build(s)
	}
	e := &obj.Error{Class: "ModuleNotFoundError", Msg: fmt.Sprintf("No module named '%s'", path)}
	if c := obj.Closest(path, knownModules()); c != "" {
		e.Hint = fmt.Sprintf("did you mean `%s`?", c)
	} else {
		e.Hint = "gokist cells can import " + strings.Join(knownModules(), ", ")
	}
	return nil, e
}

// Initial is a name bound at session start (the obj.ModuleScope of the module registry).
func (s *Session) Initial(name string) (any, bool) { return s.initial(name) }

// initialAttrs is the names bound at session start among names, as module attributes.
func (s *Session) initialAttrs(names ...string) map[string]any {
	out := map[string]any{}
	for _, name := range names {
		if v, ok := s.initial(name); ok {
			out[name] = v
		}
	}
	return out
}

// initial is a name bound at session start (runtime or language builtin), even when a
// cell has since rebound it.
func (s *Session) initial(name string) (any, bool) {
	v, ok := s.initialNames[name]
	return v, ok
}

func (s *Session) builtin(name string) any {
	v, _ := s.initial(name)
	return v
}

// resolveImport returns the value an import binding binds.
func (s *Session) resolveImport(b importBinding) (any, error) {
	full, err := s.Import(b.module)
	if err != nil {
		return nil, err
	}
	if b.attr != "" {
		v, err := s.getAttr(full, b.attr)
		if err != nil && !isClass(err, obj.AttributeError) {
			return nil, err // the attribute exists and failed (a sample that cannot be written): its own error
		}
		if err != nil {
			e := &obj.Error{Class: "ImportError", Msg: fmt.Sprintf("cannot import name '%s' from '%s'", b.attr, b.module)}
			if o, ok := full.(obj.Object); ok {
				if c := obj.Closest(b.attr, o.Type().Names()); c != "" {
					e.Hint = fmt.Sprintf("did you mean `%s`?", c)
				}
			}
			return nil, e
		}
		return v, nil
	}
	if top, _, dotted := strings.Cut(b.module, "."); dotted && b.bind == top {
		return s.Import(top)
	}
	return full, nil
}

// helpText renders help for a value: signature and doc of a function or method, the
// doc and member list of a type or module.
func helpText(v any, detail int) string {
	var b strings.Builder
	switch x := v.(type) {
	case *obj.Func:
		sig := x.Signature
		if sig == "" {
			sig = x.Name + "()"
		}
		fmt.Fprintf(&b, "Help on function %s:\n\n%s\n", x.Name, sig)
		if x.Doc != "" {
			b.WriteString("\n" + indent(x.Doc, "    ") + "\n")
		}
	case *module:
		moduleHelp(&b, x.name, x.typ, detail)
	case *obj.Module:
		moduleHelp(&b, x.Name, x.Type(), detail)
	case typeName: // before obj.Object: help on a type value is about the type it names
		fmt.Fprintf(&b, "Help on class %s.\n", string(x))
	case obj.Object:
		t := x.Type()
		if t.Signature != "" {
			fmt.Fprintf(&b, "Help on %s:\n\n%s\n", t.Name, t.Signature)
		} else {
			fmt.Fprintf(&b, "Help on %s object:\n", t.Name)
		}
		if t.Doc != "" {
			b.WriteString("\n" + indent(t.Doc, "    ") + "\n")
		}
		b.WriteString("\n")
		writeMembers(&b, t, detail)
	default:
		r := Repr(v)
		if len(r) > 200 {
			r = r[:200] + "…"
		}
		fmt.Fprintf(&b, "Help on %s value:\n\n    %s\n", pyTypeName(v), r)
		if t := plainType(v); t != nil {
			b.WriteString("\n")
			writeMembers(&b, t, detail)
		}
	}
	return b.String()
}

// moduleHelp writes help on a module.
func moduleHelp(b *strings.Builder, name string, t *obj.Type, detail int) {
	fmt.Fprintf(b, "Help on module %s:\n\n", name)
	if t.Doc != "" {
		b.WriteString(indent(t.Doc, "    ") + "\n\n")
	}
	writeMembers(b, t, detail)
}

// writeMembers lists a type's public members with their signatures and docs.
func writeMembers(b *strings.Builder, t *obj.Type, detail int) {
	var methods, attrs []*obj.Member
	for _, m := range t.Members {
		if strings.HasPrefix(m.Name, "_") {
			continue
		}
		if m.Call != nil {
			methods = append(methods, m)
		} else {
			attrs = append(attrs, m)
		}
	}
	byName := func(ms []*obj.Member) {
		sort.Slice(ms, func(i, j int) bool { return ms[i].Name < ms[j].Name })
	}
	byName(methods)
	byName(attrs)
	section := func(title string, ms []*obj.Member) {
		if len(ms) == 0 {
			return
		}
		b.WriteString(title + ":\n\n")
		for _, m := range ms {
			sig := m.Signature
			if sig == "" {
				sig = m.Name
			}
			b.WriteString("  " + sig + "\n")
			if doc := m.Doc; doc != "" {
				if detail < 2 {
					doc, _, _ = strings.Cut(doc, "\n")
				}
				b.WriteString(indent(doc, "      ") + "\n")
			}
			b.WriteString("\n")
		}
	}
	section("Methods", methods)
	section("Attributes", attrs)
}

func indent(text, prefix string) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

// overview is help() without arguments: the names in scope.
func (s *Session) overview() string {
	var b strings.Builder
	b.WriteString("gokist cells are Python-flavoured expressions and assignments over DKIST datasets.\n")
	b.WriteString("Use help(x) or x? for the methods of a value.\n\nNames in scope:\n\n")
	names := make([]string, 0, len(s.globals))
	for k := range s.globals {
		if !strings.HasPrefix(k, "_") {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		line := ""
		switch x := s.globals[k].(type) {
		case *obj.Func:
			line, _, _ = strings.Cut(x.Doc, "\n")
		case *module:
			line, _, _ = strings.Cut(x.typ.Doc, "\n")
		case obj.Object:
			line, _, _ = strings.Cut(x.Type().Doc, "\n")
		default:
			line = pyTypeName(x)
		}
		fmt.Fprintf(&b, "  %-14s %s\n", k, line)
	}
	return b.String()
}
