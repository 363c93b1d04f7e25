package lang

import (
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
