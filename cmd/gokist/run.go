package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"gokist/nbrun"
)

func init() { commands["run"] = cmdRun }

// cmdRun executes a notebook headless: `gokist run NOTEBOOK [-o DIR] [--timeout S]
// [--allow-errors] [--kernel-cmd CMD]`. It writes DIR/NAME.ipynb and DIR/NAME.html and
// exits 1 naming the first failing cell.
func cmdRun(args []string) int {
	fs := flag.NewFlagSet("gokist run", flag.ContinueOnError)
	outDir := fs.String("o", "", "directory for NAME.ipynb and NAME.html (default: build/ in the enclosing git repository, else ./build)")
	timeout := fs.Float64("timeout", 600, "seconds a cell may run before it is interrupted")
	allowErrors := fs.Bool("allow-errors", false, "run every cell even after an error, and exit 0")
	kernelCmd := fs.String("kernel-cmd", "", "kernel command line with {connection_file} (default: this gokist binary's `kernel -f {connection_file}`)")
	quiet := fs.Bool("q", false, "no per-cell progress")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: gokist run NOTEBOOK.md|NOTEBOOK.ipynb [-o DIR] [--timeout S] [--allow-errors] [--kernel-cmd CMD]")
		fs.PrintDefaults()
	}
	// Let flags follow the notebook path, as in `gokist run nb.md -o out`.
	var positional []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(positional) != 1 {
		fs.Usage()
		return 2
	}
	path := positional[0]
	nb, err := nbrun.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gokist run:", err)
		return 1
	}
	argv, err := kernelArgv(*kernelCmd)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gokist run:", err)
		return 2
	}
	dir := *outDir
	if dir == "" {
		dir = defaultBuildDir()
	}
	if *timeout <= 0 {
		fmt.Fprintln(os.Stderr, "gokist run: --timeout must be positive")
		return 2
	}
	opt := nbrun.Options{
		KernelCmd:   argv,
		Timeout:     time.Duration(*timeout * float64(time.Second)),
		AllowErrors: *allowErrors,
		Progress:    os.Stderr,
	}
	if *quiet {
		opt.Progress = nil
	}
	base := filepath.Join(dir, nb.Name())
	if abs, err := filepath.Abs(base); err == nil {
		base = abs
	}
	if err := nb.CheckOutputs(base); err != nil {
		fmt.Fprintln(os.Stderr, "gokist run:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fmt.Fprintf(os.Stderr, "running %s\n", path)
	res, runErr := nbrun.Run(ctx, nb, opt)
	if err := nb.WriteOutputs(base); err != nil {
		fmt.Fprintln(os.Stderr, "gokist run:", err)
		return 1
	}
	if runErr != nil {
		fmt.Fprintf(os.Stderr, "gokist run: %s: %v\n", path, runErr)
		fmt.Fprintf(os.Stderr, "partial output: %s.html\n", base)
		return 1
	}
	fmt.Fprintf(os.Stderr, "%d cells run, %d skipped, in %.1f s\n", res.Executed, res.Skipped, res.Elapsed.Seconds())
	if res.Failed != nil && !*allowErrors {
		fmt.Fprintf(os.Stderr, "gokist run: %v\n", res.Failed)
		fmt.Fprintf(os.Stderr, "partial output: %s.html\n", base)
		return 1
	}
	if res.Failed != nil {
		fmt.Fprintf(os.Stderr, "errors allowed; first: %v\n", res.Failed)
	}
	fmt.Println(base + ".html")
	return 0
}

// kernelArgv splits --kernel-cmd (with simple single and double quoting) or builds the
// default: this binary's kernel subcommand.
func kernelArgv(cmd string) ([]string, error) {
	if strings.TrimSpace(cmd) == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("finding the gokist binary for the kernel: %w", err)
		}
		return []string{exe, "kernel", "-f", "{connection_file}"}, nil
	}
	var out []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range cmd {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("--kernel-cmd: unclosed quote in %q", cmd)
	}
	if inWord {
		out = append(out, cur.String())
	}
	if !strings.Contains(strings.Join(out, " "), "{connection_file}") {
		return nil, fmt.Errorf("--kernel-cmd %q has no {connection_file}", cmd)
	}
	return out, nil
}

// defaultBuildDir is build/notebooks in the enclosing git repository, or build/notebooks
// under the current directory when there is none.
func defaultBuildDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return filepath.Join("build", "notebooks")
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return filepath.Join(d, "build", "notebooks")
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return filepath.Join(wd, "build", "notebooks")
}
