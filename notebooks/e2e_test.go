package notebooks

import (
	"encoding/json"
	"gokist/internal/testsample"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gokist/internal/pyref"
	"gokist/internal/testproc"
	"gokist/nbrun"
)

var (
	sampleOnce sync.Once
	sampleHome string
	sampleErr  error
)

// sampleHOME writes the sample dataset once, at its default path under a temporary HOME,
// the way `make demo` does on a fresh machine.
func sampleHOME(t *testing.T) string {
	t.Helper()
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	sampleOnce.Do(func() {
		sampleHome, sampleErr = os.MkdirTemp("", "gokist-home-")
		if sampleErr != nil {
			return
		}
		sampleErr = testsample.WriteHome(gokistBin, sampleHome)
	})
	if sampleErr != nil {
		t.Fatalf("writing the sample dataset: %v", sampleErr)
	}
	return sampleHome
}

// runNotebook runs notebooks/NAME.md with `gokist run` under the sample HOME and returns
// the executed notebook.
func runNotebook(t *testing.T, name string) *nbrun.Notebook {
	t.Helper()
	home := sampleHOME(t)
	out := t.TempDir()
	stdout, stderr, code := gokist(t, []string{"HOME=" + home}, 5*time.Minute, "run", name+".md", "-o", out, "--timeout", "120")
	if code != 0 {
		t.Fatalf("gokist run %s.md: exit %d\n%s", name, code, stderr)
	}
	html := filepath.Join(out, name+".html")
	if strings.TrimSpace(stdout) != html {
		t.Errorf("stdout %q, want the HTML path %s", stdout, html)
	}
	if _, err := os.Stat(html); err != nil {
		t.Error(err)
	}
	nb, err := nbrun.ReadFile(filepath.Join(out, name+".ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	return nb
}

// noErrors fails for every error output or stderr stream in nb.
func noErrors(t *testing.T, nb *nbrun.Notebook) {
	t.Helper()
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			switch {
			case o["output_type"] == "error":
				t.Errorf("cell `%s`: %v: %v", c.FirstLine(), o["ename"], o["evalue"])
			case o["output_type"] == "stream" && o["name"] == "stderr":
				t.Errorf("cell `%s` wrote to stderr: %v", c.FirstLine(), o["text"])
			}
		}
	}
}

// plotting matches the cells that draw: a .plot(...) call, a plt function, the task stream.
var plotting = regexp.MustCompile(`\.plot\(|\bplt\.|task_stream`)

func hasPNG(c *nbrun.Cell) bool {
	for _, o := range c.Outputs {
		if d, ok := o["data"].(map[string]any); ok {
			if s, ok := d["image/png"].(string); ok && strings.HasPrefix(strings.TrimSpace(s), "iVBORw0KGgo") {
				return true
			}
		}
	}
	return false
}

func plainText(c *nbrun.Cell) string {
	var b strings.Builder
	for _, o := range c.Outputs {
		if d, ok := o["data"].(map[string]any); ok {
			if s, ok := d["text/plain"].(string); ok {
				b.WriteString(s)
			}
		}
		if s, ok := o["text"].(string); ok {
			b.WriteString(s)
		}
	}
	return b.String()
}

func TestQuickstartRunsWithGokist(t *testing.T) {
	nb := runNotebook(t, "quickstart")
	noErrors(t, nb)
	var code []*nbrun.Cell
	for _, c := range nb.Cells {
		if c.Type == nbrun.CodeCell {
			code = append(code, c)
		}
	}
	if len(code) != 5 {
		t.Errorf("quickstart has %d code cells, want 5", len(code))
	}
	plots := 0
	for _, c := range code {
		if plotting.MatchString(c.Source) {
			plots++
			if !hasPNG(c) {
				t.Errorf("plotting cell `%s` has no image/png output", c.FirstLine())
			}
		}
	}
	if plots != 1 {
		t.Errorf("quickstart has %d plotting cells, want 1", plots)
	}
}

func TestRebinningTutorialRunsWithGokist(t *testing.T) {
	nb := runNotebook(t, "rebinning")
	noErrors(t, nb)
	plots := 0
	wavelengthCell := false
	for _, c := range nb.Cells {
		if c.Type != nbrun.CodeCell {
			continue
		}
		if c.ExecutionCount == nil {
			t.Errorf("cell `%s` did not run", c.FirstLine())
		}
		if plotting.MatchString(c.Source) {
			plots++
			if !hasPNG(c) {
				t.Errorf("plotting cell `%s` has no image/png output (outputs: %v)", c.FirstLine(), outputKinds(c))
			}
		}
		if strings.Contains(c.Source, "pixel_to_world") {
			wavelengthCell = true
			// The deepest line in the sample's window is Fe I 6302.49 Å; one pixel is
			// 0.001625 nm, so the line core must come out within a couple of pixels.
			m := regexp.MustCompile(`([0-9]+\.[0-9]+) nm`).FindStringSubmatch(plainText(c))
			if m == nil {
				t.Fatalf("wavelength cell shows %q, no wavelength in nm", plainText(c))
			}
			wl, _ := strconv.ParseFloat(m[1], 64)
			if math.Abs(wl-630.2494) > 0.004 {
				t.Errorf("line core at %v nm, want near 630.25 nm", wl)
			}
		}
	}
	if plots < 4 || !wavelengthCell {
		t.Errorf("the tutorial lost cells: %d plotting cells, wavelength cell %v", plots, wavelengthCell)
	}
}

// outputKinds lists a cell's outputs as "stream:stdout", "execute_result:image/png,text/plain", ...
// A display without an image is left out: the kernel shows a progress display only
// when a compute outlasts half a second, which depends on the machine's load.
func outputKinds(c *nbrun.Cell) []string {
	var out []string
	for _, o := range c.Outputs {
		k, _ := o["output_type"].(string)
		if d, _ := o["data"].(map[string]any); k == "display_data" && d["image/png"] == nil {
			continue
		}
		switch k {
		case "stream":
			k += ":" + o["name"].(string)
		case "display_data", "execute_result":
			d, _ := o["data"].(map[string]any)
			var mimes []string
			for m := range d {
				mimes = append(mimes, m)
			}
			slices.Sort(mimes)
			k += ":" + strings.Join(mimes, ",")
		}
		out = append(out, k)
	}
	return out
}

// nbclientScript executes a notebook with Jupyter's nbclient (what `jupyter execute`
// runs) and saves it with its outputs.
const nbclientScript = `
import sys, nbformat, nbclient
nb = nbformat.read(sys.argv[1], as_version=4)
client = nbclient.NotebookClient(nb, timeout=300, startup_timeout=60, kernel_name="gokist",
                                 resources={"metadata": {"path": sys.argv[3]}})
client.execute()
nbformat.validate(nb)
nbformat.write(nb, sys.argv[2])
`

func TestTutorialsRunUnderJupyterExecute(t *testing.T) {
	pyref.Require(t, "nbclient", "nbformat")
	if _, err := os.Stat("/usr/bin/jupyter-execute"); err != nil {
		t.Fatalf("Debian's jupyter execute is required: %v", err)
	}
	home := sampleHOME(t)
	dataDir := t.TempDir()
	env := []string{"HOME=" + home, "JUPYTER_DATA_DIR=" + dataDir, "JUPYTER_PATH=" + dataDir, "JUPYTER_RUNTIME_DIR=" + t.TempDir()}
	if stdout, stderr, code := gokist(t, env, time.Minute, "install", "--user"); code != 0 {
		t.Fatalf("gokist install: %s %s", stdout, stderr)
	}
	spec, err := os.ReadFile(filepath.Join(dataDir, "kernels", "gokist", "kernel.json"))
	if err != nil {
		t.Fatalf("no kernelspec in JUPYTER_DATA_DIR: %v", err)
	}
	var ks struct{ Argv []string }
	if err := json.Unmarshal(spec, &ks); err != nil || len(ks.Argv) == 0 || ks.Argv[0] != gokistBin {
		t.Errorf("kernel.json argv %v, want this test's binary %s (%v)", ks.Argv, gokistBin, err)
	}
	notebookDir, _ := os.Getwd()
	for _, name := range []string{"quickstart", "rebinning"} {
		t.Run(name, func(t *testing.T) {
			src, err := nbrun.ReadFile(name + ".md")
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			in := filepath.Join(dir, name+".ipynb")
			if err := src.WriteIPYNB(in); err != nil {
				t.Fatal(err)
			}
			// jupyter execute itself: exit status 0 means every cell ran without error.
			testproc.Run(t, testproc.Cmd{Name: "/usr/bin/jupyter", Args: []string{"execute", in}, Dir: notebookDir,
				Env: append(pyref.Env(t), env...), Timeout: 10 * time.Minute})
			// nbclient again, keeping the outputs, to compare them with gokist run's.
			executed := filepath.Join(dir, name+".out.ipynb")
			testproc.Run(t, testproc.Cmd{Name: python, Args: []string{"-c", nbclientScript, in, executed, notebookDir},
				Env: append(pyref.Env(t), env...), Timeout: 10 * time.Minute})
			theirs, err := nbrun.ReadFile(executed)
			if err != nil {
				t.Fatal(err)
			}
			noErrors(t, theirs)
			ours := runNotebook(t, name)
			if len(theirs.Cells) != len(ours.Cells) {
				t.Fatalf("nbclient has %d cells, gokist run %d", len(theirs.Cells), len(ours.Cells))
			}
			for i, c := range ours.Cells {
				if a, b := outputKinds(theirs.Cells[i]), outputKinds(c); !slices.Equal(a, b) {
					t.Errorf("cell `%s`: nbclient outputs %v, gokist run %v", c.FirstLine(), a, b)
				}
			}
		})
	}
}
