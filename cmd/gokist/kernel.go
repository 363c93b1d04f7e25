package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	_ "gokist/dashboard" // client.dashboard_link's server
	"gokist/kernel"
	"gokist/lang"
	"gokist/obj"
	_ "gokist/runtime" // the modules cells import
	"gokist/runtime/distributed"
	"gokist/runtime/memlimit"
)

func init() { commands["kernel"] = cmdKernel }

// cmdKernel runs the Jupyter kernel on a connection file until a shutdown_request.
func cmdKernel(args []string) int {
	fs := flag.NewFlagSet("kernel", flag.ContinueOnError)
	connFile := fs.String("f", "", "Jupyter connection `FILE`")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *connFile == "" {
		fmt.Fprintln(os.Stderr, "usage: gokist kernel -f CONNECTION_FILE")
		return 2
	}
	info, err := kernel.ReadConnectionFile(*connFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gokist kernel:", err)
		return 1
	}
	// Sized from the limits the kernel is given (GOKIST_MEMORY_LIMIT, GOKIST_WORKERS, the
	// cgroup's), not from the whole machine: one of a classroom's kernels on a server.
	memlimit.ApplyKernelLimits()
	k, err := kernel.New(kernel.Config{
		Conn:           info,
		ConnectionFile: *connFile,
		Eval:           langEvaluator{lang.NewSession()},
		Version:        version,
		CatchSIGINT:    true,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "gokist kernel:", err)
		return 1
	}
	code := k.Run(context.Background())
	// The dashboards' servers stop with the kernel, before the process exits: their
	// event streams end and their ports close.
	if err := distributed.CloseDashboards(); err != nil {
		fmt.Fprintln(os.Stderr, "gokist kernel: stopping the dashboard:", err)
	}
	return code
}

// langEvaluator adapts a lang.Session to kernel.Evaluator, turning lang's errors into the
// name, value and traceback Jupyter shows.
type langEvaluator struct{ s *lang.Session }

// Execute runs a cell, reporting lang's errors as kernel.CellError.
func (e langEvaluator) Execute(ctx context.Context, code string, out obj.Output) (map[string]any, error) {
	res, err := e.s.Execute(ctx, code, out)
	if err == nil {
		return res, nil
	}
	var le *lang.Error
	if errors.As(err, &le) {
		value := le.Msg
		if le.Hint != "" {
			value += " (" + le.Hint + ")"
		}
		return nil, &kernel.CellError{Name: le.Class, Value: value, Trace: le.Traceback()}
	}
	return nil, err
}

// Complete proposes completions; cursor positions count code points in both.
func (e langEvaluator) Complete(code string, cursor int) ([]string, int, int) {
	return e.s.Complete(code, cursor)
}

// Inspect returns help on the name under the cursor.
func (e langEvaluator) Inspect(code string, cursor int, detail int) (string, bool) {
	return e.s.Inspect(code, cursor, detail)
}

// IsComplete says whether the cell can run as typed.
func (e langEvaluator) IsComplete(code string) (string, string) {
	return e.s.IsComplete(code)
}
