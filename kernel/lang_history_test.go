package kernel

import (
	"testing"

	"gokist/lang"
)

// In[n], Out[n] and _n follow the execution_count the notebook shows, as IPython's: a
// silent request (a frontend's own probe) is neither numbered nor kept.
func TestKernelHistoryFollowsExecutionCount(t *testing.T) {
	c := startTestKernel(t, lang.NewSession())
	for _, code := range []string{"x = 5", "", "x * 2"} {
		extra := map[string]any{}
		if code == "" {
			code, extra["silent"] = "y = 1", true
		}
		if rc := content(mustReply(c.execute(code, extra))); rc["status"] != "ok" {
			t.Fatalf("%q: %v", code, rc)
		}
	}
	reply, io := c.execute("In[2], Out[2], _2", nil)
	if rc := content(reply); rc["status"] != "ok" || rc["execution_count"] != 3.0 {
		t.Fatalf("reply %v", rc)
	}
	for _, m := range io {
		if m.Header.MsgType == "execute_result" {
			if got := content(m)["data"].(map[string]any)["text/plain"]; got != "('x * 2', 10, 10)" {
				t.Errorf("In[2], Out[2], _2 = %v, want ('x * 2', 10, 10)", got)
			}
			return
		}
	}
	t.Errorf("no result: %v", types(io))
}

func mustReply(reply *Message, _ []*Message) *Message { return reply }
