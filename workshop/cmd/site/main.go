// Command site builds the gokist tutorials into a MyST site (`make site`): mystmd
// executes every notebook with the gokist kernel through a Jupyter server started for
// the build, then the executed content is checked; it exits 1 naming each notebook and
// cell whose output is an error, a write to stderr or an unfinished progress bar.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"gokist/workshop"
)

func main() {
	out := flag.String("o", "build/site", "project `DIR` to write; mystmd builds into DIR/_build")
	bin := flag.String("gokist", "bin/gokist", "the gokist `BINARY` the kernelspec runs")
	mystmd := flag.String("mystmd", "node_modules/mystmd/dist/myst.cjs", "mystmd's command-line `SCRIPT` (npm ci installs it)")
	theme := flag.String("theme", "", "a MyST site `TEMPLATE` such as book-theme, for the full HTML site (downloads the theme: needs the network); empty: the executed content only, offline")
	timeout := flag.Duration("timeout", 30*time.Minute, "bound on the whole build")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: site [flags] NOTEBOOK.md...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	os.Exit(run(*out, *bin, *mystmd, *theme, *timeout, flag.Args()))
}

func run(out, bin, mystmd, theme string, timeout time.Duration, notebooks []string) int {
	abs := func(p string) string { a, _ := filepath.Abs(p); return a }
	home, _ := os.UserHomeDir()
	o := workshop.SiteOptions{Notebooks: notebooks, Dir: abs(out), Gokist: abs(bin), Home: home, Mystmd: abs(mystmd), Theme: theme, Timeout: timeout}
	// A fresh build: mystmd reuses the outputs it cached in _build/execute otherwise.
	if err := os.RemoveAll(filepath.Join(o.Dir, "_build")); err != nil {
		fmt.Fprintln(os.Stderr, "site:", err)
		return 1
	}
	log, err := workshop.BuildSite(o)
	fmt.Print(log)
	if err != nil {
		fmt.Fprintln(os.Stderr, "site:", err)
		return 1
	}
	pages, err := workshop.CheckSite(o.Dir, notebooks)
	if err != nil {
		fmt.Fprintln(os.Stderr, "site:", err)
		return 1
	}
	bad := 0
	for _, p := range pages {
		fmt.Printf("%s: %d code cells, %d outputs (%d PNG plots, %d HTML, %d finished progress bars)\n",
			p.Notebook, p.Cells, p.Outputs, p.PNGs, p.HTMLs, p.ProgressDone)
		for _, msg := range p.Problems {
			fmt.Fprintln(os.Stderr, "site:", msg)
			bad++
		}
	}
	if bad > 0 {
		fmt.Fprintf(os.Stderr, "site: %d problems in the executed notebooks\n", bad)
		return 1
	}
	fmt.Println("executed content in", filepath.Join(o.Dir, "_build", "site"))
	return 0
}
