package numpy

import (
	"context"
	"os"
	"testing"

	"gokist/internal/pyref"
	"gokist/internal/testproc"
	"gokist/obj"
)

// TestMain checks that the Python references these tests ran (internal/pyref) left no
// process running, and stops pyref's batch interpreters and removes its sandbox.
func TestMain(m *testing.M) { os.Exit(testproc.CheckNoLeftovers(m.Run())) }

// testEnv is a cell's environment with no output and a session of its own.
func testEnv() *obj.Env {
	return &obj.Env{Ctx: context.Background(), Out: obj.Discard{}, Services: map[string]any{}}
}

// callMember calls a member of v by name with args (reads it when it is an attribute)
// and fails the test on an error.
func callMember(t *testing.T, env *obj.Env, v any, name string, args obj.Args) any {
	t.Helper()
	m := v.(obj.Object).Type().Member(name)
	if m == nil {
		t.Fatalf("%s has no member %s", obj.TypeName(v), name)
	}
	var out any
	var err error
	if m.Call != nil {
		out, err = m.Call(env, v, args)
	} else {
		out, err = m.Get(env, v)
	}
	if err != nil {
		t.Fatalf("%s.%s: %v", obj.TypeName(v), name, err)
	}
	return out
}

// runPython runs script with cfg as JSON on stdin and decodes its JSON stdout into out.
func runPython(t testing.TB, script string, cfg any, out any) {
	t.Helper()
	pyref.RunJSON(t, script, cfg, out)
}

func ip(i int) *int { return &i }

func sl(start, stop, step *int) obj.Slice { return obj.Slice{Start: start, Stop: stop, Step: step} }
