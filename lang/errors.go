package lang

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr/file"

	"gokist/obj"
)

// Error is a cell error as the notebook shows it: a Python-like class (SyntaxError,
// NameError, …, Interrupted), a message, an optional hint (the fix, when known) and the
// place in the cell. Line and Col are 1-based; Col counts code points; both are 0 when
// the error has no place in the cell.
type Error struct {
	Class, Msg, Hint string
	Line, Col        int
	SourceLine       string
	// Func is the user function the error happened in ("" at the top level of the
	// cell); Line then counts lines of the cell that defined it.
	Func string
	// Err is the underlying error, for errors.Is / errors.As.
	Err error
}

// Error renders "Class: message".
func (e *Error) Error() string { return e.Class + ": " + e.Msg }

// Unwrap gives the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Traceback renders the error the way IPython does for a one-frame error: the cell
// line, a caret under the column, "Class: message", and the hint when there is one.
func (e *Error) Traceback() []string {
	var out []string
	if e.Line > 0 {
		if e.Func != "" {
			out = append(out, fmt.Sprintf("Cell line %d, in %s:", e.Line, e.Func))
		} else {
			out = append(out, fmt.Sprintf("Cell line %d:", e.Line))
		}
		out = append(out, "    "+e.SourceLine)
		var caret strings.Builder
		caret.WriteString("    ")
		k := 0
		for _, r := range e.SourceLine {
			if k >= e.Col-1 {
				break
			}
			if r == '\t' {
				caret.WriteByte('\t')
			} else {
				caret.WriteByte(' ')
			}
			k++
		}
		caret.WriteByte('^')
		out = append(out, caret.String())
	}
	out = append(out, e.Class+": "+e.Msg)
	if e.Hint != "" {
		out = append(out, "Hint: "+e.Hint)
	}
	return out
}

// position converts a byte offset in src to a 1-based line, a 1-based code-point column
// and the text of that line.
func position(src string, off int) (line, col int, text string) {
	off = min(max(off, 0), len(src))
	lineStart := strings.LastIndexByte(src[:off], '\n') + 1
	line = strings.Count(src[:lineStart], "\n") + 1
	lineEnd := strings.IndexByte(src[lineStart:], '\n')
	if lineEnd < 0 {
		lineEnd = len(src)
	} else {
		lineEnd += lineStart
	}
	col = utf8.RuneCountInString(src[lineStart:off]) + 1
	return line, col, strings.TrimRight(src[lineStart:lineEnd], "\r")
}

// newError places class/msg/hint at byte offset off of src.
func newError(src string, off int, class, msg, hint string, cause error) *Error {
	e := &Error{Class: class, Msg: msg, Hint: hint, Err: cause}
	if off >= 0 {
		e.Line, e.Col, e.SourceLine = position(src, off)
	}
	return e
}

// fromRuntime turns an error from evaluation into an *Error at offset off: an
// *obj.Error keeps its class and hint, a cancelled context is Interrupted, a Go panic
// recovered by the VM is a RuntimeError.
func fromRuntime(src string, off int, err error) *Error {
	var le *Error
	if errors.As(err, &le) {
		return le
	}
	// The VM reports where it failed; prefer that place when the error carries it.
	var fe *file.Error
	if errors.As(err, &fe) && off < 0 {
		off = fe.From
	}
	var oe *obj.Error
	if errors.As(err, &oe) {
		return newError(src, off, oe.Class, oe.Msg, oe.Hint, err)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return newError(src, off, obj.Interrupted, "the computation was interrupted", "", err)
	}
	msg := err.Error()
	if fe != nil {
		msg = fe.Message
		if inner := fe.Unwrap(); inner != nil {
			msg = inner.Error()
		}
	}
	return newError(src, off, obj.RuntimeError, msg, "this is a bug in gokist; please report the cell that caused it", err)
}
