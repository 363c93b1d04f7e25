package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gokist/kernel"
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
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: gokist install [--user | --prefix DIR] [--name NAME] [--display-name TEXT] [--uninstall]")
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
	if err := kernel.WriteKernelSpec(dir, kernel.NewKernelSpec(bin, *display)); err != nil {
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
