package workshop

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// checksNotebook is a notebook of the test's own, built with the tutorials: a compute
// long enough to show a progress bar (one worker, no chunk cache, every pixel of the
// sample), then a cell that raises, which the site check must name.
const checksNotebook = "---\nkernelspec:\n  name: gokist\n  display_name: gokist\n  language: gokist\n---\n\n# Checks\n\n" +
	"```{code-cell} gokist\nfrom dask.distributed import Client\nclient = Client(n_workers=1, cache_limit=0)\n" +
	"ds = Dataset.from_directory(\"~/sunpy/data/VISP/AGLKO\")\n```\n\n" +
	"```{code-cell} gokist\n(ds.data * 2.0 - 1.0).std(axis=(1, 3)).compute().shape\n```\n\n" +
	"```{code-cell} gokist\nprint(\"before\")\n1 / 0\n```\n"

// TestSiteBuildsTheTutorialsWithMystmd runs the real MyST toolchain (mystmd from npm)
// over the tutorials and the test's own notebook, executing them with gokist through a
// Jupyter server, and checks the executed content: every code cell of each notebook is
// there, the plots are PNG files that decode, the progress bar is in its finished
// state, and the one cell that raises is reported with its notebook, cell, line and
// Python's error.
func TestSiteBuildsTheTutorialsWithMystmd(t *testing.T) {
	home := sampleHOME(t)
	mystmd := filepath.Join(nodeModule(t, "mystmd"), "dist", "myst.cjs")
	checks := filepath.Join(t.TempDir(), "checks.md")
	writeFile(t, checks, checksNotebook)
	notebooks := append(tutorials(t), checks)
	dir := t.TempDir()
	log, err := BuildSite(SiteOptions{Notebooks: notebooks, Dir: dir, Gokist: gokistBin, Home: home, Mystmd: mystmd, Timeout: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	pages, err := CheckSite(dir, notebooks)
	if err != nil {
		t.Fatalf("%v\n--- mystmd's output ---\n%s", err, log)
	}
	for _, p := range pages {
		t.Logf("%s: %d code cells, %d outputs (%d PNG plots, %d HTML, %d finished progress bars)", p.Notebook, p.Cells, p.Outputs, p.PNGs, p.HTMLs, p.ProgressDone)
		src, _ := os.ReadFile(filepath.Join(filepath.Dir(notebooks[0]), p.Notebook))
		if p.Notebook == "checks.md" {
			src = []byte(checksNotebook)
		}
		if want := len(codeCellLines(filepath.Join(dir, p.Notebook))); p.Cells != want || want == 0 {
			t.Errorf("%s: %d code cells in the site, %d in the notebook", p.Notebook, p.Cells, want)
		}
		// Every cell that draws (a .plot call, plt, the task stream) gives one PNG.
		if want := plottingCells(src); p.PNGs != want {
			t.Errorf("%s: %d PNG plots in the site, want %d (one per plotting cell)", p.Notebook, p.PNGs, want)
		}
		if p.Notebook != "checks.md" && len(p.Problems) > 0 {
			t.Errorf("%s: %s", p.Notebook, strings.Join(p.Problems, "\n"))
		}
		if p.Notebook == "checks.md" {
			want := []string{"checks.md cell 3 (line 20) `print(\"before\")`: ZeroDivisionError: division by zero"}
			if strings.Join(p.Problems, "\n") != want[0] {
				t.Errorf("checks.md problems:\n%s\nwant:\n%s", strings.Join(p.Problems, "\n"), want[0])
			}
			if p.ProgressDone != 1 {
				t.Errorf("checks.md has %d finished progress bars, want 1 (the std of the whole sample)", p.ProgressDone)
			}
		}
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "_build", "site", "public", "*.png"))
	for _, f := range pngs {
		b, _ := os.ReadFile(f)
		if img, err := png.Decode(bytes.NewReader(b)); err != nil || img.Bounds().Dx() < 100 {
			t.Errorf("%s is not a plot: %v", f, err)
		}
	}
	if len(pngs) < 5 {
		t.Errorf("%d PNG files in the site, want the tutorials' 5 plots at least", len(pngs))
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// plottingCells counts the code cells of a MyST notebook that draw: a .plot call, a plt
// function, the task stream.
func plottingCells(src []byte) int {
	n := 0
	for _, cell := range strings.Split(string(src), "```{code-cell}")[1:] {
		body, _, _ := strings.Cut(cell, "\n```")
		if regexp.MustCompile(`\.plot\(|\bplt\.|task_stream`).MatchString(body) {
			n++
		}
	}
	return n
}
