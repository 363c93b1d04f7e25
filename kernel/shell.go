package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"gokist/obj"
)

// shellWorker handles shell requests one at a time, in arrival order. Cells run here, so
// the control and heartbeat goroutines stay free while one computes.
func (k *Kernel) shellWorker() {
	var pending []*Message
	for {
		var m *Message
		if len(pending) > 0 {
			m, pending = pending[0], pending[1:]
		} else {
			select {
			case m = <-k.shellIn:
			case <-k.ctx.Done():
				return
			}
		}
		pending = append(pending, k.handleShell(m)...)
	}
}

// takeQueued splits the requests already waiting on the shell queue (and those arriving
// within abortGrace, which left the client before it could know of the error) into
// executes and the rest, keeping their order. It runs before the failed cell's reply is
// sent, so no request sent after the client saw that reply is ever aborted.
func (k *Kernel) takeQueued() (executes, others []*Message) {
	deadline := time.NewTimer(abortGrace)
	defer deadline.Stop()
	for {
		select {
		case m := <-k.shellIn:
			if m.Header.MsgType == "execute_request" {
				executes = append(executes, m)
			} else {
				others = append(others, m)
			}
		case <-deadline.C:
			return executes, others
		}
	}
}

// abort answers queued executes without running them. The reply is an error reply
// (ename Aborted): protocol 5.1 deprecated the "aborted" status in favour of "error".
func (k *Kernel) abort(executes []*Message) {
	for _, m := range executes {
		k.status(m, "busy")
		content := errorContent("Aborted", "not run: an earlier cell raised an error", nil).withCount(k.execCount)
		k.reply(k.shellOut, m, "execute_reply", content)
		k.status(m, "idle")
	}
}

// kernelInfo is the content of kernel_info_reply.
func (k *Kernel) kernelInfo() kernelInfoReply {
	return kernelInfoReply{
		Status:                "ok",
		ProtocolVersion:       ProtocolVersion,
		Implementation:        "gokist",
		ImplementationVersion: k.cfg.Version,
		LanguageInfo: languageInfo{
			Name:              "gokist",
			Version:           k.cfg.Version,
			Mimetype:          "text/x-gokist",
			FileExtension:     ".gk",
			PygmentsLexer:     "python",
			CodemirrorMode:    "python",
			NbconvertExporter: "script",
		},
		Banner: "gokist " + k.cfg.Version + " — lazy DKIST datasets in a Python-flavoured language.\n" +
			"Type help(x) or x? for help on a name.",
		HelpLinks: []helpLink{
			{Text: "DKIST Python tools", URL: "https://docs.dkist.nso.edu/projects/python-tools/"},
			{Text: "Jupyter", URL: "https://docs.jupyter.org/"},
		},
		Debugger: false,
	}
}

// executeRequest is the content of execute_request.
type executeRequest struct {
	Code            string            `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    *bool             `json:"store_history"`
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      bool              `json:"allow_stdin"`
	StopOnError     *bool             `json:"stop_on_error"`
}

// execute runs one cell (on the shell channel only: see handleControl). When it fails
// with stop_on_error set, the executes queued behind it are aborted and the other
// queued requests returned.
func (k *Kernel) execute(_ channel, m *Message) (next []*Message) {
	var req executeRequest
	if err := json.Unmarshal(m.Content, &req); err != nil {
		k.reply(k.shellOut, m, "execute_reply", errorContent("ValueError", "malformed execute_request: "+err.Error(), nil))
		return nil
	}
	store := req.StoreHistory == nil || *req.StoreHistory
	stopOnError := req.StopOnError == nil || *req.StopOnError
	if req.Silent {
		store = false
	}
	if store {
		k.execCount++
	}
	count := k.execCount
	if !req.Silent {
		k.publish(m, "execute_input", map[string]any{"code": req.Code, "execution_count": count})
	}

	out := newCellOutput(k, m, req.Silent)
	ctx, cancel := context.WithCancel(k.ctx)
	k.execMu.Lock()
	k.cancelExec = cancel
	k.execMu.Unlock()
	stored := 0
	if store {
		stored = count
	}
	result, err := k.evaluate(ctx, req.Code, stored, out)
	k.execMu.Lock()
	k.cancelExec = nil
	k.execMu.Unlock()
	interrupted := ctx.Err() != nil
	cancel()
	out.finish()

	entry := historyEntry{line: count, input: req.Code}
	if err != nil {
		ename, evalue, tb := describeError(err, interrupted)
		if !req.Silent {
			k.publish(m, "error", map[string]any{"ename": ename, "evalue": evalue, "traceback": tb})
		}
		if store {
			k.addHistory(entry)
		}
		var aborted []*Message
		if stopOnError {
			aborted, next = k.takeQueued()
		}
		k.reply(k.shellOut, m, "execute_reply", errorContent(ename, evalue, tb).withCount(count))
		k.abort(aborted)
		return next
	}
	if result != nil && !req.Silent {
		k.publish(m, "execute_result", map[string]any{"execution_count": count, "data": result, "metadata": map[string]any{}})
	}
	if text, ok := result["text/plain"].(string); ok {
		entry.output = &text
	}
	if store {
		k.addHistory(entry)
	}
	payload := out.payload
	if payload == nil {
		payload = []map[string]any{}
	}
	k.reply(k.shellOut, m, "execute_reply", executeReply{
		Status: "ok", ExecutionCount: count, Payload: payload,
		UserExpressions: k.userExpressions(req.UserExpressions),
	})
	return nil
}

// evaluate runs code through the evaluator, turning a panic into an error.
func (k *Kernel) evaluate(ctx context.Context, code string, count int, out obj.Output) (result map[string]any, err error) {
	defer func() {
		if r := recover(); r != nil {
			k.logf("recovered panic while executing a cell: %v\n%s", r, debug.Stack())
			result, err = nil, &CellError{Name: obj.RuntimeError, Value: fmt.Sprintf("internal error: %v", r)}
		}
	}()
	if h, ok := k.cfg.Eval.(HistoryEvaluator); ok {
		return h.ExecuteNumbered(ctx, code, count, out)
	}
	return k.cfg.Eval.Execute(ctx, code, out)
}

// userExpressions evaluates the execute_request's user_expressions after the cell.
func (k *Kernel) userExpressions(exprs map[string]string) map[string]any {
	res := map[string]any{}
	for name, code := range exprs {
		ctx, cancel := context.WithTimeout(k.ctx, 10*time.Second)
		data, err := k.evaluate(ctx, code, 0, obj.Discard{})
		cancel()
		if err != nil {
			ename, evalue, tb := describeError(err, false)
			res[name] = errorContent(ename, evalue, tb)
			continue
		}
		if data == nil {
			data = map[string]any{"text/plain": "None"}
		}
		res[name] = userExpressionResult{Status: "ok", Data: data, Metadata: map[string]any{}}
	}
	return res
}

// CellError is a failed cell as Jupyter shows it: the exception name, its message and the
// traceback lines (with the cell line and a caret).
type CellError struct {
	Name, Value string
	Trace       []string
}

// Error renders "Name: Value".
func (e *CellError) Error() string { return e.Name + ": " + e.Value }

// Traceback returns the traceback lines.
func (e *CellError) Traceback() []string { return e.Trace }

// describeError finds the ename, evalue and traceback of err: a *CellError as given, an
// *obj.Error by class, a cancelled context as Interrupted.
func describeError(err error, interrupted bool) (ename, evalue string, traceback []string) {
	var ce *CellError
	var oe *obj.Error
	switch {
	case errors.As(err, &ce):
		ename, evalue, traceback = ce.Name, ce.Value, ce.Trace
	case errors.As(err, &oe):
		ename, evalue = oe.Class, oe.Msg
		if oe.Hint != "" {
			evalue += " (" + oe.Hint + ")"
		}
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || interrupted:
		ename, evalue = obj.Interrupted, "the cell was interrupted"
	default:
		ename, evalue = "Error", err.Error()
		if i := strings.Index(evalue, ": "); i > 0 && isIdentifier(evalue[:i]) {
			ename, evalue = evalue[:i], evalue[i+2:]
		}
	}
	if tr, ok := err.(interface{ Traceback() []string }); ok && traceback == nil {
		traceback = tr.Traceback()
	}
	if len(traceback) == 0 {
		traceback = []string{ename + ": " + evalue}
	}
	return ename, evalue, traceback
}

func isIdentifier(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// decodeRequest unmarshals m's content into req; when the content does not fit (a
// cursor_pos that is a string, code that is not text) it answers with an error reply
// naming the field and returns false, rather than answering a request nobody sent.
func (k *Kernel) decodeRequest(ch channel, m *Message, req any) bool {
	err := json.Unmarshal(m.Content, req)
	if err == nil {
		return true
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		err = fmt.Errorf("%s must be %s, not a JSON %s", te.Field, jsonKind(te.Type.Kind()), te.Value)
	}
	k.reply(ch.out, m, replyType(m.Header.MsgType), errorContent("ValueError", "malformed "+m.Header.MsgType+": "+err.Error(), nil))
	return false
}

// jsonKind names what a Go field of kind k accepts, in JSON's words.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "an integer"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	}
	return "a " + k.String()
}

// cursorInCell is the request's cursor_pos (a count of characters, as the protocol since
// 5.2 says), the end of the cell when it is missing, clamped into the cell: a frontend's
// stale or wrong position must neither reach past the code in the evaluator nor come
// back as a cursor_end outside it.
func cursorInCell(code string, cursorPos *int) int {
	end := utf8.RuneCountInString(code)
	if cursorPos == nil {
		return end
	}
	return min(max(*cursorPos, 0), end)
}

func (k *Kernel) complete(ch channel, m *Message) []*Message {
	var req struct {
		Code      string `json:"code"`
		CursorPos *int   `json:"cursor_pos"`
	}
	if !k.decodeRequest(ch, m, &req) {
		return nil
	}
	cursor := cursorInCell(req.Code, req.CursorPos)
	matches, start, end := k.cfg.Eval.Complete(req.Code, cursor)
	if matches == nil {
		matches = []string{}
		start, end = cursor, cursor
	}
	k.reply(ch.out, m, "complete_reply", completeReply{
		Status: "ok", Matches: matches, Metadata: map[string]any{},
		CursorStart: start, CursorEnd: end,
	})
	return nil
}

func (k *Kernel) inspect(ch channel, m *Message) []*Message {
	var req struct {
		Code        string `json:"code"`
		CursorPos   *int   `json:"cursor_pos"`
		DetailLevel int    `json:"detail_level"`
	}
	if !k.decodeRequest(ch, m, &req) {
		return nil
	}
	cursor := cursorInCell(req.Code, req.CursorPos)
	text, found := k.cfg.Eval.Inspect(req.Code, cursor, req.DetailLevel)
	data := map[string]any{}
	if found {
		data["text/plain"] = text
	}
	k.reply(ch.out, m, "inspect_reply", inspectReply{
		Status: "ok", Found: found, Data: data, Metadata: map[string]any{},
	})
	return nil
}
