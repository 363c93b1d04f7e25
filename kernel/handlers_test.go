package kernel

import (
	"testing"
)

// While a cell runs on shell, control answers the other requests from the same table
// (history included, read while the shell worker may add to it), and execute on control
// is an error reply that runs nothing.
func TestKernelControlAnswersWhileACellRuns(t *testing.T) {
	eval := &fakeEval{slow: make(chan struct{})}
	c := startTestKernel(t, eval)
	c.execute("print first", nil)
	slowID := c.send(c.shell, "execute_request", map[string]any{"code": "slow", "silent": false})
	<-eval.slow
	for _, req := range []struct {
		msgType string
		content map[string]any
		check   func(map[string]any) bool
	}{
		{"complete_request", map[string]any{"code": "pr", "cursor_pos": 2},
			func(r map[string]any) bool { return len(r["matches"].([]any)) == 2 && r["cursor_end"] == 2.0 }},
		{"inspect_request", map[string]any{"code": "abc", "cursor_pos": 2, "detail_level": 0},
			func(r map[string]any) bool { return r["found"] == true }},
		{"is_complete_request", map[string]any{"code": "f("},
			func(r map[string]any) bool { return r["status"] == "incomplete" && r["indent"] == "    " }},
		{"history_request", map[string]any{"hist_access_type": "tail", "n": 10, "output": false, "raw": true},
			func(r map[string]any) bool {
				h := r["history"].([]any)
				return len(h) == 1 && h[0].([]any)[2] == "print first"
			}},
		{"comm_info_request", map[string]any{}, func(r map[string]any) bool { return r["status"] == "ok" }},
		{"execute_request", map[string]any{"code": "print from control"},
			func(r map[string]any) bool { return r["status"] == "error" && r["ename"] == "ValueError" }},
	} {
		id := c.send(c.control, req.msgType, req.content)
		reply := c.reply(c.controlIn, id)
		if want := replyType(req.msgType); reply.Header.MsgType != want || !req.check(content(reply)) {
			t.Errorf("control answered %s with %s %v", req.msgType, reply.Header.MsgType, content(reply))
		}
	}
	id := c.send(c.control, "interrupt_request", map[string]any{})
	c.reply(c.controlIn, id)
	c.reply(c.shellIn, slowID)
	for _, cell := range eval.cells() {
		if cell == "print from control" {
			t.Fatal("an execute_request on control ran")
		}
	}
}
