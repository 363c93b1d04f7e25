package lang

import (
	"context"
	"strings"
	"testing"

	"gokist/obj"
)

// recordingManager is a context manager that logs its calls, as a runtime value such
// as plt.rc_context would implement obj.ContextManager.
type recordingManager struct {
	log  *[]string
	name string
	fail bool // Exit reports an error of its own
}

var recordingType = &obj.Type{Name: "recorder"}

func (m *recordingManager) Type() *obj.Type { return recordingType }

func (m *recordingManager) Enter(*obj.Env) (any, error) {
	*m.log = append(*m.log, "enter "+m.name)
	return m.name + "-value", nil
}

func (m *recordingManager) Exit(_ *obj.Env, err error) error {
	status := "ok"
	if err != nil {
		status = err.(*Error).Class
	}
	*m.log = append(*m.log, "exit "+m.name+" "+status)
	if m.fail {
		return obj.Errorf(obj.ValueError, "exit of %s failed", m.name)
	}
	return nil
}

// with enters its managers in order, binds `as`, and exits them in reverse order however
// the block ends (normally, by an exception, by break or return), passing the error;
// a value without the protocol is Python's TypeError.
func TestWithStatement(t *testing.T) {
	var log []string
	s := NewSession()
	for _, n := range []string{"a", "b", "bad"} {
		s.bind(n, &recordingManager{log: &log, name: n, fail: n == "bad"})
	}
	run := func(code string) error {
		log = nil
		_, err := s.Execute(context.Background(), code, &captured{})
		return err
	}
	if err := run("with a as x, b:\n    print(x)\nx"); err != nil || strings.Join(log, "; ") != "enter a; enter b; exit b ok; exit a ok" {
		t.Errorf("nested managers: %v, %v", log, err)
	}
	err := run("with a:\n    1 / 0")
	if e, ok := err.(*Error); !ok || e.Class != "ZeroDivisionError" || strings.Join(log, "; ") != "enter a; exit a ZeroDivisionError" {
		t.Errorf("exception in the block: %v, %v", log, err)
	}
	if err := run("def f():\n    for i in range(3):\n        with a:\n            if i == 1:\n                return i\nf()"); err != nil || strings.Join(log, "; ") != "enter a; exit a ok; enter a; exit a ok" {
		t.Errorf("return from the block: %v, %v", log, err)
	}
	if err := run("with bad:\n    pass"); err == nil || err.(*Error).Class != "ValueError" {
		t.Errorf("failing exit: %v", err)
	}
	if err := run("with 5:\n    pass"); err == nil || err.(*Error).Class != "TypeError" || !strings.Contains(err.Error(), "context manager") {
		t.Errorf("not a manager: %v", err)
	}
}

// An error inside a function defined in an earlier cell shows the function's line and
// names the function; an error in the arguments of the call is at the call.
func TestErrorInsideFunctionNamesIt(t *testing.T) {
	s := NewSession()
	if _, err := s.Execute(context.Background(), "x = 0\ndef ratio(a):\n    return a / x", nil); err != nil {
		t.Fatal(err)
	}
	_, err := s.Execute(context.Background(), "y = 1\nratio(2)", nil)
	e, ok := err.(*Error)
	if !ok || e.Class != "ZeroDivisionError" || e.Line != 3 || e.Func != "ratio" || !strings.Contains(strings.Join(e.Traceback(), "\n"), "Cell line 3, in ratio:\n        return a / x") {
		t.Errorf("error in a function: %#v\n%s", err, strings.Join(e.Traceback(), "\n"))
	}
	_, err = s.Execute(context.Background(), "y = 1\nratio(1, 2)", nil)
	if e, ok := err.(*Error); !ok || e.Class != "TypeError" || e.Line != 2 || e.Func != "" {
		t.Errorf("bad call: %#v", err)
	}
}
