package kernel

import (
	"testing"
	"time"

	"gokist/lang"
)

// An interrupt stops a cell of the language that never ends by itself (a busy loop, a
// loop inside deep recursion) within well under a second, and the next cell runs in
// the same session; runaway recursion is Python's RecursionError, not a dead kernel.
func TestKernelInterruptsLanguageLoops(t *testing.T) {
	c := startTestKernel(t, lang.NewSession())
	execute := func(code string) string {
		return c.send(c.shell, "execute_request", map[string]any{"code": code, "silent": false, "store_history": true,
			"user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true})
	}
	for _, code := range []string{
		"while True:\n    pass",
		"n = 0\nwhile True:\n    n += 1",
		"s = 0\nfor i in range(10**15):\n    s += i * 2",
		"def dive(k):\n    if k == 0:\n        while True:\n            pass\n    return dive(k - 1)\ndive(900)",
		"xs = [i for i in range(10**9)]",
	} {
		id := execute(code)
		time.Sleep(300 * time.Millisecond) // the cell is running
		start := time.Now()
		c.send(c.control, "interrupt_request", map[string]any{})
		rc := content(c.reply(c.shellIn, id))
		if d := time.Since(start); d > time.Second {
			t.Errorf("%q: interrupt took %v", code, d)
		}
		if rc["status"] != "error" || rc["ename"] != "Interrupted" {
			t.Errorf("%q: reply %v", code, rc)
		}
		c.outputs(id)
	}
	id := execute("def f(n):\n    return f(n + 1)\nf(0)")
	if rc := content(c.reply(c.shellIn, id)); rc["ename"] != "RecursionError" {
		t.Errorf("unbounded recursion: %v", rc)
	}
	c.outputs(id)
	id = execute("total = sum(k * 2 for k in range(10))\ntotal")
	if rc := content(c.reply(c.shellIn, id)); rc["status"] != "ok" {
		t.Fatalf("cell after the interrupts: %v", rc)
	}
	for _, m := range c.outputs(id) {
		if m.Header.MsgType == "execute_result" {
			if got := content(m)["data"].(map[string]any)["text/plain"]; got != "90" {
				t.Errorf("result after the interrupts: %v", got)
			}
			return
		}
	}
	t.Error("no result after the interrupts")
}
