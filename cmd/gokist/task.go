package main

import (
	"context"
	"fmt"
	"os"

	"gokist/runtime/lazy/wire"
)

// `gokist task` is what a dask worker runs for the chunk tasks of a kernel's cluster
// computes (runtime/cluster ships this binary to the workers): a task comes on stdin,
// its result goes to stdout; after runtime.ServeMagic it serves tasks until stdin ends
// (the worker's long-lived task server).
func init() {
	commands["task"] = func(args []string) int {
		if len(args) > 0 {
			fmt.Fprintln(os.Stderr, "usage: gokist task  (the task on stdin; run by dask workers, not by hand)")
			return 2
		}
		if err := wire.ServeTask(context.Background(), os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "gokist task:", err)
			return 1
		}
		return 0
	}
}
