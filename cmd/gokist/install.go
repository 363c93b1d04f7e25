package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"gokist/kernel"
	"gokist/runtime/memlimit"
)

func init() { commands["install"] = cmdInstall }

// cmdInstall writes (or with --uninstall removes) the gokist kernelspec where Jupyter
// finds it: PREFIX/share/jupyter/kernels/NAME with --prefix, else the user data dir
// ($JUPYTER_DATA_DIR, else ~/.local/share/jupyter).
func cmdInstall(args []string) int {
	fs := flag.NewFlagSet("install", flag.ContinueOnError)
	user := fs.Bool("user", false, "install into the per-user Jupyter data dir (the default)")
	prefix := fs.String("prefix", "", "install into `DIR`/share/jupyter/kernels")
	name := fs.String("name", "gokist", "kernelspec `NAME`")
	display := fs.String("display-name", "gokist", "name shown in Jupyter's kernel menu")
	uninstall := fs.Bool("uninstall", false, "remove the kernelspec instead")
	memLimit := fs.String("memory-limit", "", "the memory each kernel may use, such as `SIZE` 2GB (GOKIST_MEMORY_LIMIT in the kernelspec); within the cgroup's limit and the machine's")
	workers := fs.Int("workers", 0, "the most workers (`N`) a kernel's computes use (GOKIST_WORKERS in the kernelspec); within the cgroup's CPU quota and the cores")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: gokist install [--user | --prefix DIR] [--name NAME] [--display-name TEXT] [--memory-limit SIZE] [--workers N] [--uninstall]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *user && *prefix != "" {
		fmt.Fprintln(os.Stderr, "gokist install: --user and --prefix exclude each other")
		return 2
	}
	// As jupyter_client's install_kernel_spec: the name is lower-cased and checked, for
	// both install and uninstall, since it becomes a directory under the kernels dir
	// that --uninstall deletes with all it holds.
	*name = strings.ToLower(*name)
	if err := checkKernelName(*name); err != nil {
		fmt.Fprintln(os.Stderr, "gokist install:", err)
		return 2
	}
	env, err := kernelEnv(*memLimit, *workers)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gokist install:", err)
		return 2
	}
	dir, err := kernel.KernelSpecDir(*prefix, *name)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gokist install:", err)
		return 1
	}
	if *uninstall {
		if _, err := os.Stat(filepath.Join(dir, "kernel.json")); err != nil {
			fmt.Fprintf(os.Stderr, "gokist install: no kernelspec at %s\n", dir)
			return 1
		}
		if err := os.RemoveAll(dir); err != nil {
			fmt.Fprintln(os.Stderr, "gokist install:", err)
			return 1
		}
		fmt.Println("removed kernelspec", *name, "from", dir)
		return 0
	}
	bin, err := os.Executable()
	if err == nil {
		bin, err = filepath.EvalSymlinks(bin)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gokist install: finding the gokist binary:", err)
		return 1
	}
	spec := kernel.NewKernelSpec(bin, *display)
	spec.Env = env
	if err := kernel.WriteKernelSpec(dir, spec); err != nil {
		fmt.Fprintln(os.Stderr, "gokist install:", err)
		return 1
	}
	fmt.Println("installed kernelspec", *name, "in", dir)
	return 0
}

// kernelNamePattern is jupyter_client's _kernel_name_pat (ASCII only: Python's
// IGNORECASE would also let the Kelvin sign through as a k).
var kernelNamePattern = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)

// checkKernelName refuses a kernelspec name Jupyter would refuse, with Jupyter's
// description, and "." and ".." (which the pattern lets through but which name the
// kernels directory itself or its parent).
func checkKernelName(name string) error {
	if !kernelNamePattern.MatchString(name) || name == "." || name == ".." {
		return fmt.Errorf("invalid kernel name %q. Kernel names can only contain ASCII letters and numbers and these separators: - . _ (hyphen, period, and underscore)", name)
	}
	return nil
}

// kernelEnv is the kernelspec's environment for --memory-limit and --workers (nil when
// neither is given), each checked as the kernel will read it.
func kernelEnv(memLimit string, workers int) (map[string]string, error) {
	env := map[string]string{}
	if memLimit != "" {
		if _, err := memlimit.ParseMemoryLimit(memLimit); err != nil {
			return nil, fmt.Errorf("--memory-limit %w", err)
		}
		env[memlimit.MemoryLimitEnv] = memLimit
	}
	switch {
	case workers < 0:
		return nil, fmt.Errorf("--workers %d: give a positive number of workers", workers)
	case workers > 0:
		env[memlimit.WorkersEnv] = strconv.Itoa(workers)
	}
	if len(env) == 0 {
		return nil, nil
	}
	return env, nil
}
