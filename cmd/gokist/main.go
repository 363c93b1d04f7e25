// Command gokist is the gokist Jupyter kernel and its tools: kernel, install, sample,
// run and version.
package main

import (
	"fmt"
	"os"
)

// version is the gokist release; the Makefile may override it with -ldflags.
var version = "0.1.0-dev"

func main() {
	os.Exit(run(os.Args[1:]))
}

// commands holds the subcommands other than version; each lives in its own file and
// registers itself from init, taking its arguments and returning the exit status.
var commands = map[string]func(args []string) int{}

// run dispatches a subcommand and returns the process exit status.
func run(args []string) int {
	if len(args) == 0 {
		usage()
		return 2
	}
	switch args[0] {
	case "version", "--version", "-V":
		fmt.Println("gokist", version)
		return 0
	case "help", "-h", "--help":
		usage()
		return 0
	}
	if cmd, ok := commands[args[0]]; ok {
		return cmd(args[1:])
	}
	fmt.Fprintf(os.Stderr, "gokist: unknown command %q\n", args[0])
	usage()
	return 2
}

func usage() {
	fmt.Fprintln(os.Stderr, `usage: gokist <command> [arguments]

commands:
  kernel -f FILE   run the Jupyter kernel on a connection file
  install          install the kernelspec so Jupyter finds gokist
  sample [DIR]     write a synthetic VISP dataset
  run NOTEBOOK     execute a notebook headless and render it
  version          print the version`)
}
