package main

import (
	"context"
	"fmt"
	"os"

	"gokist/runtime/lazy"
)

// `gokist task` is what a dask worker runs for one chunk task of a kernel's cluster
// compute (runtime/cluster ships this binary to the workers): the task comes on stdin,
// its result goes to stdout.
func init() {
	commands["task"] = func(args []string) int {
		if len(args) > 0 {
			fmt.Fprintln(os.Stderr, "usage: gokist task  (the task on stdin; run by dask workers, not by hand)")
			return 2
		}
		if err := lazy.ServeTask(context.Background(), os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "gokist task:", err)
			return 1
		}
		return 0
	}
}
