package obj

import (
	"fmt"
	"slices"
	"sort"
	"sync"
)

// Module is a Python module value: a namespace of attributes with a doc (dkist,
// dask.distributed, sys). It is the one module type both the language and the runtime
// build.
type Module struct {
	Name string
	typ  *Type
}

// NewModule builds a module whose attributes are the given values; each attribute's
// help comes from the value itself.
func NewModule(name, doc string, attrs map[string]any) *Module {
	t := &Type{Name: "module", Doc: doc}
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := attrs[k]
		m := &Member{Name: k, Get: func(*Env, any) (any, error) { return v, nil }}
		switch x := v.(type) {
		case *Func:
			m.Signature, m.Doc, m.Params = x.Signature, x.Doc, x.Params
		case Object:
			m.Signature, m.Doc = x.Type().Signature, x.Type().Doc
		}
		if m.Signature == "" {
			m.Signature = name + "." + k
		}
		t.Members = append(t.Members, m)
	}
	return &Module{Name: name, typ: t}
}

// Type returns the module's member table.
func (m *Module) Type() *Type { return m.typ }

// String renders the module as Python does.
func (m *Module) String() string { return fmt.Sprintf("<module '%s'>", m.Name) }

// MimeBundle shows the module as Python does.
func (m *Module) MimeBundle() map[string]any { return map[string]any{"text/plain": m.String()} }

// ModuleScope is what an importable module takes from the session importing it.
type ModuleScope interface {
	// Initial is a name bound at session start (a runtime or language builtin), even
	// when a cell has since rebound it.
	Initial(name string) (any, bool)
	// Import is another importable module's value in the same session.
	Import(path string) (any, error)
}

// ModuleBuilder makes a module's value for one session.
type ModuleBuilder func(s ModuleScope) (any, error)

var (
	modulesMu sync.RWMutex
	modules   = map[string]ModuleBuilder{}
)

// RegisterModule makes the dotted path importable in every session: each package that
// provides a module registers it from an init function, so that adding a module edits
// no shared switch. A path registered twice is a programming error and panics.
func RegisterModule(path string, build ModuleBuilder) {
	modulesMu.Lock()
	defer modulesMu.Unlock()
	if _, dup := modules[path]; dup {
		panic("obj: module " + path + " registered twice")
	}
	modules[path] = build
}

// LookupModule returns the builder of an importable module.
func LookupModule(path string) (ModuleBuilder, bool) {
	modulesMu.RLock()
	defer modulesMu.RUnlock()
	b, ok := modules[path]
	return b, ok
}

// ModulePaths lists the importable modules, sorted.
func ModulePaths() []string {
	modulesMu.RLock()
	defer modulesMu.RUnlock()
	paths := make([]string, 0, len(modules))
	for p := range modules {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths
}
