package notebooks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gokist/internal/pyref"
	"gokist/nbrun"
)

func TestRunSaysWhatIsWrongWithTheFile(t *testing.T) {
	dir := t.TempDir()
	_, stderr, code := gokist(t, nil, time.Minute, "run", filepath.Join(dir, "nope.md"), "-o", dir)
	if code == 0 || !strings.Contains(stderr, "nope.md") || !strings.Contains(stderr, "no such file") {
		t.Errorf("missing file: exit %d, stderr %q", code, stderr)
	}
	cases := map[string]struct{ text, want string }{
		"unclosed.md":  {"---\nkernelspec:\n  name: gokist\n# Title\n", "never closed"},
		"nokernel.md":  {"---\njupytext:\n  text_representation:\n    format_name: myst\n---\n# T\n", "no kernelspec"},
		"badyaml.md":   {"---\nkernelspec: [name: gokist\n---\n", "bad YAML"},
		"nofront.md":   {"# Just markdown\n", "no front matter"},
		"opencell.md":  {"---\nkernelspec:\n  name: gokist\n---\n\n```{code-cell} gokist\nx = 1\n", "line 6"},
		"notebook.txt": {"x", "extension"},
	}
	for name, c := range cases {
		p := filepath.Join(dir, name)
		writeFile(t, p, c.text)
		_, stderr, code := gokist(t, nil, time.Minute, "run", p, "-o", dir)
		if code == 0 || !strings.Contains(stderr, name) || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want a message naming the file and %q", name, code, stderr, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "unclosed.html")); err == nil {
		t.Error("wrote output for a notebook it could not read")
	}
}

const pyNotebook = `---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
  language: python
---

# A Python notebook

` + "```{code-cell} python" + `
x = 20
x + 22
` + "```" + `

` + "```{code-cell} python" + `
:tags: [raises-exception]
x / 0
` + "```" + `

` + "```{code-cell} python" + `
import matplotlib.pyplot as plt
plt.plot([3, 1, 2]); plt.show()
` + "```" + `

` + "```{code-cell} python" + `
print(undefined_variable)
` + "```" + `

` + "```{code-cell} python" + `
print("after")
` + "```" + `
`

// TestRunCommandAgainstIPykernel drives `gokist run` end to end with Debian's ipykernel
// as the kernel, so the command's files, messages and exit codes are checked against a
// kernel that is not ours.
func TestRunCommandAgainstIPykernel(t *testing.T) {
	pyref.Require(t, "ipykernel", "nbformat")
	dir := t.TempDir()
	nb := filepath.Join(dir, "py.md")
	writeFile(t, nb, pyNotebook)
	out := filepath.Join(dir, "out")
	kernel := "--kernel-cmd=" + python + " -m ipykernel_launcher -f {connection_file}"

	_, stderr, code := gokist(t, nil, 2*time.Minute, "run", nb, "-o", out, kernel)
	if code == 0 {
		t.Errorf("a failing cell exited 0\n%s", stderr)
	}
	for _, w := range []string{"cell 4 of 5", "py.md:", "print(undefined_variable)", "NameError", "undefined_variable"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
	if !strings.Contains(stderr, "[3/5] cell 3") {
		t.Errorf("no per-cell progress:\n%s", stderr)
	}

	stdout, stderr, code := gokist(t, nil, 2*time.Minute, "run", nb, "-o", out, "--allow-errors", kernel)
	html := filepath.Join(out, "py.html")
	if code != 0 || strings.TrimSpace(stdout) != html {
		t.Fatalf("--allow-errors: exit %d, stdout %q (want %s)\n%s", code, stdout, html, stderr)
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "data:image/png;base64,iVBORw0KGgo") {
		t.Error("HTML has no embedded PNG")
	}
	got, err := nbrun.ReadFile(filepath.Join(out, "py.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	var last string
	for _, c := range got.Cells {
		for _, o := range c.Outputs {
			if o["output_type"] == "stream" {
				last = o["text"].(string)
			}
		}
	}
	if last != "after\n" {
		t.Errorf("the cell after the error did not run with --allow-errors (last stream %q)", last)
	}
	if _, err := pyref.Output(nil, "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", filepath.Join(out, "py.ipynb")); err != nil {
		t.Errorf("nbformat.validate: %v", err)
	}
}
