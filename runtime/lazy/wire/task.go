package wire

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"

	"gokist/obj"
	"gokist/runtime/lazy"
)

// TaskEnv is the environment variable that makes a gokist binary (or a test binary
// that calls ServeTask from its TestMain) serve one cluster task and exit: the cluster's
// workers run the binary the kernel shipped them with it set.
const TaskEnv = "GOKIST_CLUSTER_TASK"

// ServeMagic, sent as the first frame, makes ServeTask a long-lived task server: each
// dask worker keeps one per running task (started by the kernel's worker plugin), so
// that a task costs a round trip on a pipe rather than a process start.
const ServeMagic = "gokist-serve-tasks-1"

// ServeTask runs chunk tasks on a cluster worker, with the same code the kernel's
// in-process executor runs. It reads frames from in (each a 4-byte big-endian length
// and that many bytes): a pass description and a task's blocks, for which it writes the
// task's result to out and returns; or ServeMagic, then pairs of pass and task until in
// ends, writing each result as a frame. A task's own error (a corrupt file) is part of
// its result; the error returned is one of reading or writing the streams.
func ServeTask(ctx context.Context, in io.Reader, out io.Writer) error {
	pass, err := readFrame(in)
	if err != nil {
		return fmt.Errorf("reading the pass description: %w", err)
	}
	if string(pass) == ServeMagic {
		return serveTasks(ctx, in, out)
	}
	task, err := readFrame(in)
	if err != nil {
		return fmt.Errorf("reading the task: %w", err)
	}
	_, err = out.Write(RunTask(ctx, pass, task))
	return err
}

// serveTasks runs tasks from in until it ends, each result a frame on out.
func serveTasks(ctx context.Context, in io.Reader, out io.Writer) error {
	for n := 0; ; n++ {
		pass, err := readFrame(in)
		if err == io.EOF {
			return nil // the worker closed the pipe: it is done with this server
		}
		if err != nil {
			return fmt.Errorf("reading the pass description of task %d: %w", n, err)
		}
		task, err := readFrame(in)
		if err != nil {
			return fmt.Errorf("reading task %d: %w", n, err)
		}
		res := RunTask(ctx, pass, task)
		if err := binary.Write(out, binary.BigEndian, uint32(len(res))); err != nil {
			return err
		}
		if _, err := out.Write(res); err != nil {
			return err
		}
	}
}

func readFrame(r io.Reader) ([]byte, error) {
	var n uint32
	if err := binary.Read(r, binary.BigEndian, &n); err != nil {
		return nil, err
	}
	b := make([]byte, n)
	_, err := io.ReadFull(r, b)
	return b, err
}

// RunTask runs one task of a pass and gives its encoded Results; it never panics.
func RunTask(ctx context.Context, pass, task []byte) []byte {
	res := runTask(ctx, pass, task)
	b, err := GobBytes(res)
	if err != nil {
		b, _ = GobBytes(failed(obj.RuntimeError, err.Error()))
	}
	return b
}

// failed is a task's results when it could not run at all.
func failed(class, msg string) *Results {
	return &Results{Results: []Result{{Err: &wireError{Class: class, Msg: msg}}}}
}

func runTask(ctx context.Context, pass, task []byte) (res *Results) {
	defer func() {
		if p := recover(); p != nil {
			res = &Results{Results: []Result{{Err: wireErrorOf(lazy.InternalError("a cluster task", p))}}}
		}
	}()
	root, red, err := decodePass(pass)
	if err != nil {
		return failed(obj.RuntimeError, "internal error: a cluster worker could not read its task: "+err.Error())
	}
	var t Task
	if err := gob.NewDecoder(bytes.NewReader(task)).Decode(&t); err != nil {
		return failed(obj.RuntimeError, "internal error: a cluster worker could not read its blocks: "+err.Error())
	}
	res = &Results{}
	client := lazy.NewClient(1, 1, 0)
	for _, b := range t.Blocks {
		if !blockWithin(b, root.Shape()) {
			return failed(obj.RuntimeError, fmt.Sprintf("internal error: a cluster worker got a block %v…%v outside %v", b.Lo, b.Hi, root.Shape()))
		}
		r := runBlock(ctx, client, root, red, b)
		res.Results = append(res.Results, *r)
		if r.Err != nil {
			break // the kernel stops at the first error
		}
	}
	return res
}

// runBlock computes one block as the in-process executor does (lazy.ComputeBlock):
// red's chunk step into a partial over the block's output box, or the block's values.
func runBlock(ctx context.Context, client *lazy.Client, root lazy.Node, red *lazy.ReduceNode, b Block) *Result {
	br, err := lazy.ComputeBlock(ctx, client, root, red, b.Lo, b.Hi)
	if err != nil {
		return &Result{Err: wireErrorOf(err)}
	}
	res := &Result{F64: br.F64, F32: br.F32, OLo: br.OLo, OHi: br.OHi, Bytes: br.Bytes, Missing: br.Missing}
	if br.Part != nil {
		parts := br.Part.Parts()
		res.Part = &parts
	}
	return res
}

// blockWithin reports whether b is a box inside shape.
func blockWithin(b Block, shape []int) bool {
	if len(b.Lo) != len(shape) || len(b.Hi) != len(shape) {
		return false
	}
	for i, s := range shape {
		if b.Lo[i] < 0 || b.Lo[i] > b.Hi[i] || b.Hi[i] > s {
			return false
		}
	}
	return true
}

// wireErrorOf keeps an error's Python class, message and hint.
func wireErrorOf(err error) *wireError {
	if e, ok := errors.AsType[*obj.Error](err); ok {
		return &wireError{Class: e.Class, Msg: e.Msg, Hint: e.Hint}
	}
	return &wireError{Class: obj.RuntimeError, Msg: err.Error()}
}

// TaskFrame is the input ServeTask reads for one task: the pass description and the
// task, each length-prefixed (for tests and the bridge's own documentation).
func TaskFrame(pass, task []byte) []byte {
	var b bytes.Buffer
	for _, f := range [][]byte{pass, task} {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(f)))
		b.Write(f)
	}
	return b.Bytes()
}
