package nbrun

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Options control a headless run.
type Options struct {
	// KernelCmd is the kernel's argv; "{connection_file}" is replaced by the connection
	// file's path. Required.
	KernelCmd []string
	// Timeout bounds each cell; when it passes the kernel is interrupted, and killed if it
	// does not answer within InterruptGrace. Zero means 600 s.
	Timeout time.Duration
	// InterruptGrace is how long an interrupted cell may take to stop (zero: 10 s).
	InterruptGrace time.Duration
	// StartTimeout bounds the kernel's start-up (zero: 60 s).
	StartTimeout time.Duration
	// AllowErrors runs every cell even after one fails, and does not report failure.
	AllowErrors bool
	// Dir is the kernel's working directory; empty means the notebook's directory.
	Dir string
	// Progress receives one line per cell; nil for none.
	Progress io.Writer
}

// CellError describes the first cell that failed.
type CellError struct {
	Index     int // 1-based among the code cells
	Of        int // number of code cells
	Cell      *Cell
	Path      string // the notebook file, for the message
	Name      string // error class, e.g. "ValueError"
	Value     string
	Traceback []string
}

// Error names the cell (number, source line, first line of code) and the error.
func (e *CellError) Error() string {
	where := fmt.Sprintf("cell %d of %d", e.Index, e.Of)
	switch {
	case e.Path != "" && e.Cell.Line > 0:
		where += fmt.Sprintf(" (%s:%d)", e.Path, e.Cell.Line)
	case e.Cell.Line > 0:
		where += fmt.Sprintf(" (line %d)", e.Cell.Line)
	}
	first := e.Cell.FirstLine()
	if len(first) > 60 {
		first = first[:57] + "..."
	}
	return fmt.Sprintf("%s `%s` failed: %s: %s", where, first, e.Name, e.Value)
}

// Result is the outcome of Run.
type Result struct {
	// Failed is the first failing cell not tagged raises-exception, or nil.
	Failed *CellError
	// Executed, Skipped count code cells.
	Executed, Skipped int
	// Elapsed is the wall time of the whole run.
	Elapsed time.Duration
}

// Run executes nb's code cells in order against a fresh kernel, filling each cell's
// outputs and execution count and the notebook's language_info. Cells tagged
// skip-execution are kept and not run; an error in a cell tagged raises-exception is
// expected. Without AllowErrors the run stops at the first failing cell and reports it in
// Result.Failed. The returned error is for failures of the run itself (kernel start,
// kernel death, a cell that would not stop).
func Run(ctx context.Context, nb *Notebook, opt Options) (*Result, error) {
	start := time.Now()
	if err := nb.checkTags(); err != nil {
		return nil, err
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 600 * time.Second
	}
	if opt.InterruptGrace <= 0 {
		opt.InterruptGrace = 10 * time.Second
	}
	if opt.StartTimeout <= 0 {
		opt.StartTimeout = 60 * time.Second
	}
	dir := opt.Dir
	if dir == "" && nb.Path != "" {
		dir = filepath.Dir(nb.Path)
	}
	var code []*Cell
	for _, c := range nb.Cells {
		if c.Type == CodeCell {
			code = append(code, c)
		}
	}
	k, info, err := StartKernel(ctx, opt.KernelCmd, dir, opt.StartTimeout)
	if err != nil {
		clearNotRun(code)
		return nil, err
	}
	defer k.Shutdown(5 * time.Second)
	if li, ok := info["language_info"].(map[string]any); ok {
		nb.Metadata["language_info"] = li
	}

	res := &Result{}
	displays := map[string][]map[string]any{}
	tty := isTerminal(opt.Progress)
	for i, c := range code {
		label := fmt.Sprintf("[%d/%d] cell %d", i+1, len(code), i+1)
		if c.Line > 0 {
			label += fmt.Sprintf(" (line %d)", c.Line)
		}
		snippet := c.FirstLine()
		if len(snippet) > 50 {
			snippet = snippet[:47] + "..."
		}
		if c.HasTag(TagSkipExecution) || strings.TrimSpace(c.Source) == "" {
			// As nbclient: a cell not sent to the kernel keeps what the file stored.
			res.Skipped++
			progressf(opt.Progress, "%s %s  skipped\n", label, snippet)
			continue
		}
		if tty {
			progressf(opt.Progress, "%s %s  …", label, snippet)
		}
		t0 := time.Now()
		c.Outputs, c.ExecutionCount = nil, nil
		cellErr, err := k.execute(ctx, c, opt, displays)
		res.Executed++
		status := fmt.Sprintf("%.1f s", time.Since(t0).Seconds())
		if cellErr != nil {
			status += "  " + cellErr.Name
		}
		if tty {
			progressf(opt.Progress, "\r\033[K")
		}
		progressf(opt.Progress, "%s %s  %s\n", label, snippet, status)
		if err != nil {
			clearNotRun(code[i+1:])
			res.Elapsed = time.Since(start)
			return res, fmt.Errorf("cell %d of %d `%s`: %w", i+1, len(code), c.FirstLine(), err)
		}
		if cellErr != nil && !c.HasTag(TagRaisesException) {
			cellErr.Index, cellErr.Of, cellErr.Cell, cellErr.Path = i+1, len(code), c, nb.Path
			if res.Failed == nil {
				res.Failed = cellErr
			}
			if !opt.AllowErrors {
				clearNotRun(code[i+1:])
				break
			}
		}
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// clearNotRun marks the code cells a stopped run did not reach as not run: no outputs
// and no execution count, so that what an input .ipynb stored from another run (old
// results, a <script> in an HTML output) does not pass for this run's. Cells tagged
// skip-execution keep theirs, as they would had the run gone on.
func clearNotRun(cells []*Cell) {
	for _, c := range cells {
		if !c.HasTag(TagSkipExecution) {
			c.Outputs, c.ExecutionCount = nil, nil
		}
	}
}

// execute runs one cell, collecting its iopub outputs into c.Outputs. It returns the
// cell's error (from the execute_reply) or an error of the run itself.
func (k *Kernel) execute(ctx context.Context, c *Cell, opt Options, displays map[string][]map[string]any) (*CellError, error) {
	// As nbclient does: a cell allowed to fail must not make the kernel abort the
	// requests that follow it, so stop_on_error is set only where an error ends the run.
	mayFail := opt.AllowErrors || c.HasTag(TagRaisesException)
	id, err := k.send(k.shell, "execute_request", map[string]any{
		"code": c.Source, "silent": false, "store_history": true,
		"user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": !mayFail,
	})
	if err != nil {
		return nil, err
	}
	col := &collector{cell: c, displays: displays}
	var reply *Message
	idle := false
	timer := time.NewTimer(opt.Timeout)
	defer timer.Stop()
	interrupted := false
	for reply == nil || !idle {
		select {
		case m := <-k.shellIn:
			if m.ParentID() == id && m.Type() == "execute_reply" {
				reply = m
			}
		case m := <-k.iopubIn:
			if m.ParentID() != id {
				continue
			}
			if m.Type() == "status" {
				if s, _ := m.Content["execution_state"].(string); s == "idle" {
					idle = true
				}
				continue
			}
			col.add(m)
		case <-k.exited:
			return nil, k.deadError("the kernel died while running the cell", nil)
		case <-ctx.Done():
			k.Interrupt()
			return nil, ctx.Err()
		case <-timer.C:
			if interrupted {
				k.Kill()
				return nil, fmt.Errorf("timed out after %v and did not stop within %v of an interrupt; the kernel was killed", opt.Timeout, opt.InterruptGrace)
			}
			interrupted = true
			k.Interrupt()
			timer.Reset(opt.InterruptGrace)
		}
	}
	if n, ok := reply.Content["execution_count"].(float64); ok {
		cnt := int(n)
		c.ExecutionCount = &cnt
		for _, o := range c.Outputs {
			if o["output_type"] == "execute_result" {
				o["execution_count"] = cnt
			}
		}
	}
	status, _ := reply.Content["status"].(string)
	if interrupted {
		e := &CellError{Name: "TimeoutError", Value: fmt.Sprintf("the cell ran longer than %v and was interrupted", opt.Timeout)}
		col.add(&Message{Header: map[string]any{"msg_type": "error"}, Content: map[string]any{
			"ename": e.Name, "evalue": e.Value, "traceback": []any{e.Name + ": " + e.Value}}})
		return e, nil
	}
	col.addPages(reply.Content["payload"])
	switch status {
	case "ok":
		return nil, nil
	case "error":
		e := &CellError{}
		e.Name, _ = reply.Content["ename"].(string)
		e.Value, _ = reply.Content["evalue"].(string)
		if tb, ok := reply.Content["traceback"].([]any); ok {
			for _, l := range tb {
				if s, ok := l.(string); ok {
					e.Traceback = append(e.Traceback, s)
				}
			}
		}
		return e, nil
	default:
		return &CellError{Name: "ExecutionAborted", Value: fmt.Sprintf("execute_reply status %q", status)}, nil
	}
}

// collector turns a cell's iopub messages into nbformat outputs, the way nbclient does:
// consecutive stream text of the same name is joined, update_display_data rewrites every
// output shown under its display_id, and clear_output(wait=True) waits for the next output.
type collector struct {
	cell      *Cell
	displays  map[string][]map[string]any
	clearNext bool
}

func (col *collector) add(m *Message) {
	ct := m.Content
	typ := m.Type()
	switch typ {
	case "clear_output":
		if w, _ := ct["wait"].(bool); w {
			col.clearNext = true
		} else {
			col.cell.Outputs = nil
		}
		return
	case "update_display_data":
		id := displayID(ct)
		for _, o := range col.displays[id] {
			o["data"] = orEmpty(asMap(ct["data"]))
			o["metadata"] = orEmpty(asMap(ct["metadata"]))
		}
		return
	case "stream", "display_data", "execute_result", "error":
	default:
		return // execute_input, comm messages and the like carry no output
	}
	if col.clearNext {
		col.cell.Outputs, col.clearNext = nil, false
	}
	var out map[string]any
	switch typ {
	case "stream":
		name, _ := ct["name"].(string)
		text, _ := ct["text"].(string)
		if n := len(col.cell.Outputs); n > 0 {
			last := col.cell.Outputs[n-1]
			if last["output_type"] == "stream" && last["name"] == name {
				last["text"] = last["text"].(string) + text
				return
			}
		}
		out = map[string]any{"output_type": "stream", "name": name, "text": text}
	case "display_data":
		out = map[string]any{"output_type": "display_data", "data": orEmpty(asMap(ct["data"])), "metadata": orEmpty(asMap(ct["metadata"]))}
		if id := displayID(ct); id != "" {
			col.displays[id] = append(col.displays[id], out)
		}
	case "execute_result":
		out = map[string]any{"output_type": "execute_result", "data": orEmpty(asMap(ct["data"])),
			"metadata": orEmpty(asMap(ct["metadata"])), "execution_count": ct["execution_count"]}
		if n, ok := ct["execution_count"].(float64); ok {
			out["execution_count"] = int(n)
		}
	case "error":
		tb, _ := ct["traceback"].([]any)
		if tb == nil {
			tb = []any{}
		}
		out = map[string]any{"output_type": "error", "ename": ct["ename"], "evalue": ct["evalue"], "traceback": tb}
		if out["ename"] == nil {
			out["ename"] = ""
		}
		if out["evalue"] == nil {
			out["evalue"] = ""
		}
	}
	col.cell.Outputs = append(col.cell.Outputs, out)
}

// addPages shows the reply's pager payloads (help asked for with `x?`) as display
// outputs at the end of the cell, as JupyterLab does: a headless run has no pager, and
// without this the help a tutorial asks for would vanish from its rendered page.
func (col *collector) addPages(payload any) {
	list, _ := payload.([]any)
	for _, p := range list {
		pm := asMap(p)
		if pm["source"] != "page" {
			continue
		}
		data := asMap(pm["data"])
		if len(data) == 0 {
			continue
		}
		col.cell.Outputs = append(col.cell.Outputs, map[string]any{
			"output_type": "display_data", "data": data, "metadata": map[string]any{}})
	}
}

func displayID(content map[string]any) string {
	tr := asMap(content["transient"])
	id, _ := tr["display_id"].(string)
	return id
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

func progressf(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format, args...)
	}
}

// isTerminal reports whether w is a character device, so progress may redraw a line.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
