package workshop

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gokist/internal/testproc"
	"gokist/nbrun"
)

// browserChecks is the notebook the browser test uses cell by cell: the setup (one
// worker and no chunk cache, so that the computes last long enough to watch), a compute
// whose progress bar is sampled, a long loop the interrupt button stops, a cell after it.
const browserChecks = "---\nkernelspec:\n  name: gokist\n  display_name: gokist\n  language: gokist\n---\n\n" +
	"```{code-cell} gokist\nfrom dask.distributed import Client\nclient = Client(n_workers=1, cache_limit=0)\nds = Dataset.from_directory(\"~/sunpy/data/VISP/AGLKO\")\n```\n\n" +
	"```{code-cell} gokist\n(ds.data * 2.0 - 1.0).std(axis=(1, 3)).compute().shape\n```\n\n" +
	"```{code-cell} gokist\nfor i in range(500):\n    m = ds.data.std(axis=(1, 3)).compute()\n```\n\n" +
	"```{code-cell} gokist\nprint(\"after interrupt\")\n```\n"

// browserCell is a code cell as browser.js saw it on the page.
type browserCell struct {
	Prompt, Source, Text string
	Errors               []string
	Images               []struct {
		W, H     int
		Complete bool
	}
}

// browserReport is what browser.js prints.
type browserReport struct {
	Tutorials []struct {
		Name       string
		Cells      []browserCell
		Screenshot string
	}
	Setup    browserCell
	Progress struct {
		Bars []struct {
			Value, Max float64
			Text       string
		}
		Final       string
		Screenshots []string
	}
	Interrupt struct {
		StoppedAfter      float64
		Interrupted, Next browserCell
		Screenshot        string
	}
	Completion struct {
		Options    []string
		Text       string
		Screenshot string
	}
	Help struct{ Pager, Screenshot string }
}

var promptDone = regexp.MustCompile(`In[\s\x{00a0}]*\[\d+\]`)

// TestTutorialsInClassicNotebookInABrowser: headless Chromium (Debian's) opens each
// tutorial in the classic Notebook 6.4 on a local server and runs all cells from the
// menu; every cell runs without error and every plotting cell shows a PNG that the
// browser decoded. On a notebook of its own it watches a progress bar advance and end
// in its summary, stops a long loop with the toolbar's interrupt button and runs the
// next cell, completes `ds.re` with Tab to a list holding `rebin`, and opens the pager
// with `ds.rebin?`. The screenshots' paths are printed.
func TestTutorialsInClassicNotebookInABrowser(t *testing.T) {
	nodeModule(t, "playwright-core")
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Fatalf("Debian's chromium is required (.ci/packages.txt): %v", err)
	}
	home := sampleHOME(t)
	root, shots := t.TempDir(), t.TempDir()
	var names []string
	plots := map[string]int{}
	for _, md := range tutorials(t) {
		nb, err := nbrun.ReadFile(md)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(md), ".md") + ".ipynb"
		if err := nb.WriteIPYNB(filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
		src, _ := os.ReadFile(md)
		names, plots[name] = append(names, name), plottingCells(src)
	}
	checks, err := nbrun.ParseMyST([]byte(browserChecks))
	if err != nil {
		t.Fatal(err)
	}
	if err := checks.WriteIPYNB(filepath.Join(root, "checks.ipynb")); err != nil {
		t.Fatal(err)
	}
	jenv, err := NewJupyterEnv(filepath.Join(t.TempDir(), "jupyter"), home, gokistBin)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := jenv.StartServer(ClassicNotebook, root, 20*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	cfg, _ := json.Marshal(map[string]any{"url": srv.URL, "token": srv.Token, "tutorials": names, "checks": "checks.ipynb", "shots": shots})
	p := testproc.Start(t, testproc.Cmd{Name: "node", Args: []string{"browser.js", string(cfg)}, Timeout: 15 * time.Minute})
	if err := p.Wait(); err != nil {
		t.Fatalf("browser.js: %v\n%s\n--- the Notebook server's log ---\n%s", err, p.Output(), srv.Output())
	}
	var r browserReport
	if err := json.Unmarshal(p.Stdout(), &r); err != nil {
		t.Fatalf("browser.js's report: %v\n%s", err, p.Output())
	}
	checkTutorialPages(t, r, names, plots)
	checkProgressBar(t, r)
	checkInterrupt(t, r)
	if !slices.Contains(r.Completion.Options, "rebin") && r.Completion.Text != "ds.rebin" {
		t.Errorf("Tab after `ds.re`: the completer lists %v and the cell holds %q; want rebin among them", r.Completion.Options, r.Completion.Text)
	}
	if !strings.Contains(r.Help.Pager, "rebin(bin_shape") {
		t.Errorf("`ds.rebin?` opened the pager with %q; want rebin's signature", r.Help.Pager)
	}
	shotsTaken := append([]string{r.Interrupt.Screenshot, r.Completion.Screenshot, r.Help.Screenshot}, r.Progress.Screenshots...)
	for _, tut := range r.Tutorials {
		shotsTaken = append(shotsTaken, tut.Screenshot)
	}
	for _, s := range shotsTaken {
		if st, err := os.Stat(s); err != nil || st.Size() < 1000 {
			t.Errorf("screenshot %q: %v", s, err)
		}
		t.Log("screenshot:", s)
	}
}

// checkTutorialPages: every code cell of every tutorial ran without error, and each
// plotting cell shows one image the browser decoded.
func checkTutorialPages(t *testing.T, r browserReport, names []string, plots map[string]int) {
	t.Helper()
	if len(r.Tutorials) != len(names) {
		t.Fatalf("the browser ran %d tutorials, want %d", len(r.Tutorials), len(names))
	}
	for _, tut := range r.Tutorials {
		images := 0
		for _, c := range tut.Cells {
			first, _, _ := strings.Cut(c.Source, "\n")
			if !promptDone.MatchString(c.Prompt) || len(c.Errors) > 0 {
				t.Errorf("%s: cell `%s` shows prompt %q and errors %q", tut.Name, first, c.Prompt, c.Errors)
			}
			for _, img := range c.Images {
				if !img.Complete || img.W < 100 || img.H < 100 {
					t.Errorf("%s: cell `%s` has an image the browser did not render (%+v)", tut.Name, first, img)
				}
				images++
			}
		}
		if images != plots[tut.Name] {
			t.Errorf("%s: %d images on the page, want %d (one per plotting cell)", tut.Name, images, plots[tut.Name])
		}
	}
}

// checkProgressBar: the bar was seen at two or more values, rising, short of its end at
// first, and the cell ends with the summary line of a finished compute.
func checkProgressBar(t *testing.T, r browserReport) {
	t.Helper()
	bars := r.Progress.Bars
	if len(bars) < 2 || bars[0].Value >= bars[0].Max {
		t.Errorf("the progress bar was seen at %+v; want it advancing over two values at least", bars)
	}
	for i := 1; i < len(bars); i++ {
		if bars[i].Value < bars[i-1].Value {
			t.Errorf("the progress bar went back from %v to %v", bars[i-1].Value, bars[i].Value)
		}
	}
	if !progressFinished.MatchString(strings.TrimSpace(r.Progress.Final)) {
		t.Errorf("the progress cell ends with %q; want the summary of a finished compute", r.Progress.Final)
	}
}

// checkInterrupt: the interrupt button stopped the loop within seconds, the cell shows
// the interruption, and the next cell ran.
func checkInterrupt(t *testing.T, r browserReport) {
	t.Helper()
	in := r.Interrupt
	if in.StoppedAfter > 15 || len(in.Interrupted.Errors) == 0 || !strings.Contains(strings.Join(in.Interrupted.Errors, " "), "Interrupt") {
		t.Errorf("the interrupted loop stopped after %.1f s showing %q; want it stopped within seconds with the interruption shown", in.StoppedAfter, in.Interrupted.Errors)
	}
	if !strings.Contains(in.Next.Text, "after interrupt") || len(in.Next.Errors) > 0 {
		t.Errorf("the cell after the interrupt shows %q %q", in.Next.Text, in.Next.Errors)
	}
	t.Logf("the interrupt button stopped the loop in %.2f s: %s", in.StoppedAfter, strings.Join(in.Interrupted.Errors, " "))
}
