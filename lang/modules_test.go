package lang

import (
	"context"
	"strings"
	"testing"

	"gokist/obj"
)

// Every module a cell may import is in the registry (the language's own and the
// runtime's, which registers dkist itself), and imports resolve through it: a module
// registered from outside lang, as the runtime's packages do, is importable by name and
// its members by from-import.
func TestImportsGoThroughTheRegistry(t *testing.T) {
	for _, path := range knownModules() {
		if _, err := NewSession().Import(path); err != nil {
			t.Errorf("%s is offered in the ModuleNotFoundError hint but does not import: %v", path, err)
		}
	}
	obj.RegisterModule("gokisttest.fake", func(s obj.ModuleScope) (any, error) {
		return obj.NewModule("gokisttest.fake", "A module registered by a test.", map[string]any{"answer": 42}), nil
	})
	s := NewSession()
	out := &recorder{}
	run(t, s, out, "from gokisttest.fake import answer\nprint(answer)\nimport dkist\nprint(dkist)")
	if got := out.stdout.String(); got != "42\n<module 'dkist'>\n" {
		t.Errorf("imports through the registry printed %q", got)
	}
	_, err := s.Import("dkist.nett")
	if e, ok := err.(*obj.Error); !ok || e.Class != "ModuleNotFoundError" || !strings.Contains(e.Hint, "dkist.net") {
		t.Errorf("unknown module: %v, want ModuleNotFoundError suggesting dkist.net", err)
	}
}

// An attribute that exists but fails when read (a sample dataset that cannot be
// written) keeps its own error in a from-import, instead of a "cannot import name"
// whose hint suggests the very name.
func TestFromImportKeepsTheAttributesError(t *testing.T) {
	failing := &obj.Type{Name: "module", Members: []*obj.Member{{Name: "broken", Get: func(*obj.Env, any) (any, error) {
		return nil, obj.Errorf(obj.RuntimeError, "the stand-in cannot be written")
	}}}}
	obj.RegisterModule("gokisttest.failing", func(obj.ModuleScope) (any, error) { return fakeModule{failing}, nil })
	_, err := NewSession().Execute(context.Background(), "from gokisttest.failing import broken", nil)
	if e, ok := err.(*Error); !ok || e.Class != obj.RuntimeError || e.Msg != "the stand-in cannot be written" {
		t.Errorf("from-import of a failing attribute: %v", err)
	}
	_, err = NewSession().Execute(context.Background(), "from gokisttest.failing import nothing", nil)
	if e, ok := err.(*Error); !ok || e.Class != "ImportError" {
		t.Errorf("from-import of a missing attribute: %v", err)
	}
}

type fakeModule struct{ t *obj.Type }

func (m fakeModule) Type() *obj.Type { return m.t }
