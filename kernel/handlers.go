package kernel

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
)

// channel is where a request came from: its name (for the log) and the queue its
// replies go to.
type channel struct {
	name string
	out  chan outgoing
}

func (k *Kernel) shellChannel() channel   { return channel{"shell", k.shellOut} }
func (k *Kernel) controlChannel() channel { return channel{"control", k.controlOut} }

// handler answers one request arriving on ch. Only execute returns anything: the
// non-execute requests it took from the queue while aborting queued executes.
type handler func(k *Kernel, ch channel, m *Message) (next []*Message)

// handlers is the one table of request handlers, as ipykernel's kernelbase.py builds
// from msg_types: the shell and control channels both answer from it, so control
// answers what shell answers (except execute_request, which runs cells and belongs to
// the shell queue). Filled in init, since execute refers back to the table's users.
var handlers map[string]handler

func init() {
	handlers = map[string]handler{
		"kernel_info_request": func(k *Kernel, ch channel, m *Message) []*Message {
			k.reply(ch.out, m, "kernel_info_reply", k.kernelInfo())
			return nil
		},
		"execute_request":     (*Kernel).execute,
		"complete_request":    (*Kernel).complete,
		"inspect_request":     (*Kernel).inspect,
		"is_complete_request": (*Kernel).isComplete,
		"history_request":     (*Kernel).historyReply,
		"comm_info_request": func(k *Kernel, ch channel, m *Message) []*Message {
			k.reply(ch.out, m, "comm_info_reply", commInfoReply{Status: "ok", Comms: map[string]any{}})
			return nil
		},
		"comm_open": (*Kernel).commOpen,
		// No comm is ever open, so there is nothing to route these to.
		"comm_msg":   func(*Kernel, channel, *Message) []*Message { return nil },
		"comm_close": func(*Kernel, channel, *Message) []*Message { return nil },
		"shutdown_request": func(k *Kernel, ch channel, m *Message) []*Message {
			k.shutdown(ch.out, m)
			return nil
		},
		"interrupt_request": func(k *Kernel, ch channel, m *Message) []*Message {
			k.interrupt()
			k.reply(ch.out, m, "interrupt_reply", statusReply{Status: "ok"})
			return nil
		},
	}
}

// releaseAfter is the size of a request after which handle returns the memory it
// freed to the system.
const releaseAfter = 8 << 20

// handleShell answers one shell request, in the shell worker.
func (k *Kernel) handleShell(m *Message) (next []*Message) {
	return k.handle(k.shellChannel(), m)
}

// handleControl answers a control request right away, even while a cell runs. An
// execute_request gets an error reply: cells run in order on the shell channel only.
func (k *Kernel) handleControl(m *Message) {
	if m.Header.MsgType == "execute_request" {
		k.status(m, "busy")
		defer k.status(m, "idle")
		k.reply(k.controlOut, m, "execute_reply", errorContent("ValueError",
			"execute_request is not served on the control channel; send it on the shell channel", nil))
		return
	}
	k.handle(k.controlChannel(), m)
}

// handle runs the request's handler between busy and idle, answering a panic with an
// error reply.
func (k *Kernel) handle(ch channel, m *Message) (next []*Message) {
	k.status(m, "busy")
	defer k.status(m, "idle")
	if m.wireSize >= releaseAfter {
		// Go keeps freed heap for reuse and returns it to the system only slowly: after
		// a big request, give it back at once (before idle) so one big message does not
		// leave the kernel's resident memory high.
		defer func() {
			m.Content, m.Buffers, m.Metadata = nil, nil, nil // handled: only the header is quoted on
			debug.FreeOSMemory()
		}()
	}
	defer func() {
		if r := recover(); r != nil {
			k.logf("recovered panic handling %s on %s: %v\n%s", m.Header.MsgType, ch.name, r, debug.Stack())
			k.reply(ch.out, m, replyType(m.Header.MsgType), errorContent("RuntimeError", fmt.Sprint(r), nil))
		}
	}()
	h, ok := handlers[m.Header.MsgType]
	if !ok {
		k.logf("%s: unknown message type %q", ch.name, m.Header.MsgType)
		return nil
	}
	return h(k, ch, m)
}

// commOpen closes the comm at once: no comm targets exist, and Jupyter expects an
// unknown target to be closed.
func (k *Kernel) commOpen(ch channel, m *Message) []*Message {
	var req struct {
		CommID string `json:"comm_id"`
	}
	_ = json.Unmarshal(m.Content, &req)
	k.publish(m, "comm_close", map[string]any{"comm_id": req.CommID, "data": map[string]any{}})
	return nil
}

func (k *Kernel) isComplete(ch channel, m *Message) []*Message {
	var req struct {
		Code string `json:"code"`
	}
	if !k.decodeRequest(ch, m, &req) {
		return nil
	}
	status, indent := k.cfg.Eval.IsComplete(req.Code)
	reply := isCompleteReply{Status: status}
	if status == "incomplete" {
		reply.Indent = &indent
	}
	k.reply(ch.out, m, "is_complete_reply", reply)
	return nil
}
