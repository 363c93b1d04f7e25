package lang

import (
	"context"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

// checkCellsAgainstPython runs each cell in s and compares it with CPython's result for
// the same code: the repr of its value, or its exception's class and message. alike,
// when not nil, accepts a repr that differs in a documented way (a last-place libm
// difference).
func checkCellsAgainstPython(t *testing.T, s *Session, cells []string, want []pyref.Result, alike func(cell, got, want string) bool) {
	t.Helper()
	for i, c := range cells {
		res, err := s.Execute(context.Background(), c, nil)
		if want[i].Type != "" {
			e, ok := err.(*Error)
			if !ok || !strings.HasSuffix(want[i].Type, e.Class) || e.Msg != want[i].Message {
				t.Errorf("%s: %v, Python %s", c, err, want[i].Err())
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v, Python %s", c, err, want[i].Repr)
			continue
		}
		got, _ := res["text/plain"].(string)
		if got != want[i].Repr && (alike == nil || !alike(c, got, want[i].Repr)) {
			t.Errorf("%s:\n got %s\nwant %s", c, got, want[i].Repr)
		}
	}
}
