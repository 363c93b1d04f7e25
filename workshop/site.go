package workshop

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"gokist/internal/testproc"
)

// SiteOptions says what BuildSite builds and with what.
type SiteOptions struct {
	Notebooks []string      // the MyST notebooks (.md), in the order of the site's table of contents
	Dir       string        // the project directory to write; mystmd builds into Dir/_build
	Gokist    string        // the gokist binary the kernelspec runs
	Home      string        // HOME of the server and its kernels (where the tutorials find the sample)
	Mystmd    string        // mystmd's command-line script (node_modules/mystmd/dist/myst.cjs)
	Theme     string        // a MyST site template (book-theme) for a full HTML site; "" builds the content only
	Timeout   time.Duration // bound on the server's life and on the build
}

// contentOnlyTemplate is a local site template with no server of its own: mystmd then
// executes the notebooks and writes the site's content (_build/site/content/*.json and
// the images in _build/site/public) without downloading a theme, which it cannot do
// offline.
const contentOnlyTemplate = "myst: v1\nkind: site\n"

// BuildSite writes a MyST project of the notebooks into o.Dir, starts a Jupyter server
// with a private environment holding the gokist kernelspec, runs `myst build --site
// --execute` against it (JUPYTER_BASE_URL / JUPYTER_TOKEN), and stops the server. It
// returns mystmd's output. mystmd exits 0 even when a cell raises: CheckSite inspects
// what it wrote.
func BuildSite(o SiteOptions) (string, error) {
	if err := writeProject(o); err != nil {
		return "", err
	}
	jenv, err := NewJupyterEnv(filepath.Join(o.Dir, ".jupyter"), o.Home, o.Gokist)
	if err != nil {
		return "", err
	}
	srv, err := jenv.StartServer(JupyterServer, o.Dir, o.Timeout)
	if err != nil {
		return "", err
	}
	defer srv.Stop()
	args := []string{o.Mystmd, "build", "--execute", "--ci"}
	if o.Theme != "" {
		args = append(args, "--html")
	} else {
		args = append(args, "--site")
	}
	out, err := testproc.Output(testproc.Cmd{Name: "node", Args: args, Dir: o.Dir, Timeout: o.Timeout,
		Env: append(append([]string{}, jenv.Env...), "JUPYTER_BASE_URL="+srv.URL, "JUPYTER_TOKEN="+srv.Token)})
	if err != nil {
		return string(out), fmt.Errorf("myst build: %w\n--- the Jupyter server's log ---\n%s", err, srv.Output())
	}
	return string(out), nil
}

// writeProject copies the notebooks into o.Dir and writes its myst.yml.
func writeProject(o SiteOptions) error {
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return err
	}
	var toc strings.Builder
	for _, nb := range o.Notebooks {
		b, err := os.ReadFile(nb)
		if err != nil {
			return err
		}
		name := filepath.Base(nb)
		if err := os.WriteFile(filepath.Join(o.Dir, name), b, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(&toc, "    - file: %s\n", name)
	}
	theme := o.Theme
	if theme == "" {
		theme = "./content-only"
		if err := os.MkdirAll(filepath.Join(o.Dir, theme), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(o.Dir, theme, "template.yml"), []byte(contentOnlyTemplate), 0o644); err != nil {
			return err
		}
	}
	yml := "# Written by gokist's workshop/site.go for `make site`.\nversion: 1\nproject:\n  title: gokist tutorials\n  toc:\n" +
		toc.String() + "site:\n  template: " + theme + "\n"
	return os.WriteFile(filepath.Join(o.Dir, "myst.yml"), []byte(yml), 0o644)
}

// Page is what CheckSite found in one executed notebook's content.
type Page struct {
	Notebook     string
	Cells        int // code cells
	Outputs      int
	PNGs         int // image/png outputs whose file mystmd wrote
	HTMLs        int // text/html outputs
	ProgressDone int // progress bars in their finished state
	Problems     []string
}

// progressRunning matches a progress bar still drawn (the kernel's text form: a 30-wide
// bar and a percentage); progressFinished the line that replaces it when the compute
// ends; progressStopped the line of one that did not finish.
var (
	progressRunning  = regexp.MustCompile(`\[[#-]{30}\]\s+\d+%`)
	progressFinished = regexp.MustCompile(`^\S+: \d+ tasks, .* in [0-9.]+ s \(`)
	progressStopped  = regexp.MustCompile(`^\S+: stopped after \d+ of \d+ tasks`)
)

// CheckSite reads the executed content of each notebook in dir/_build/site and reports
// what it holds and every problem, naming the notebook, the cell (its number among the
// code cells and its line in the notebook) and what went wrong: an error output, a
// write to stderr, a progress bar left unfinished, an image whose file is missing, or a
// notebook with no content at all.
func CheckSite(dir string, notebooks []string) ([]Page, error) {
	pages, err := readContent(filepath.Join(dir, "_build", "site", "content"))
	if err != nil {
		return nil, err
	}
	var out []Page
	for _, nb := range notebooks {
		name := filepath.Base(nb)
		p := Page{Notebook: name}
		root, ok := pages["/"+name]
		if !ok {
			p.Problems = append(p.Problems, name+": mystmd wrote no content for it")
			out = append(out, p)
			continue
		}
		lines := codeCellLines(nb)
		for i, cell := range codeCells(root) {
			p.Cells++
			where := fmt.Sprintf("%s cell %d", name, i+1)
			if i < len(lines) {
				where += fmt.Sprintf(" (line %d)", lines[i])
			}
			where += fmt.Sprintf(" `%s`", firstLine(cell.code))
			for _, o := range cell.outputs {
				p.Outputs++
				p.checkOutput(dir, where, o)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// checkOutput counts one output of a cell and records what is wrong with it.
func (p *Page) checkOutput(dir, where string, o map[string]any) {
	switch o["output_type"] {
	case "error":
		p.Problems = append(p.Problems, fmt.Sprintf("%s: %v: %v", where, o["ename"], o["evalue"]))
		return
	case "stream":
		if o["name"] == "stderr" {
			p.Problems = append(p.Problems, fmt.Sprintf("%s wrote to stderr: %s", where, strings.TrimSpace(fmt.Sprint(o["text"]))))
		}
		return
	}
	data, _ := o["data"].(map[string]any)
	if img, ok := data["image/png"].(map[string]any); ok {
		file, _ := img["path"].(string)
		if st, err := os.Stat(filepath.Join(dir, "_build", "site", "public", file)); file == "" || err != nil || st.Size() < 100 {
			p.Problems = append(p.Problems, fmt.Sprintf("%s: its image/png output has no file (%q)", where, file))
		} else {
			p.PNGs++
		}
	}
	if _, ok := data["text/html"]; ok {
		p.HTMLs++
	}
	text := mimeText(data["text/plain"])
	switch {
	case progressRunning.MatchString(text):
		p.Problems = append(p.Problems, fmt.Sprintf("%s: a progress bar was left unfinished: %s", where, text))
	case progressStopped.MatchString(text):
		p.Problems = append(p.Problems, fmt.Sprintf("%s: a compute stopped early: %s", where, text))
	case progressFinished.MatchString(text):
		p.ProgressDone++
	}
}

// mimeText is the text of a mime entry as mystmd stores it ({"content": …}).
func mimeText(v any) string {
	if m, ok := v.(map[string]any); ok {
		s, _ := m["content"].(string)
		return s
	}
	return ""
}

// readContent reads every page of a site's content directory, by its location
// ("/rebinning.md").
func readContent(dir string) (map[string]map[string]any, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no site content in %s: mystmd did not build the site", dir)
	}
	out := map[string]map[string]any{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var page struct {
			Location string         `json:"location"`
			Mdast    map[string]any `json:"mdast"`
		}
		if err := json.Unmarshal(b, &page); err != nil {
			return nil, fmt.Errorf("%s: %v", f, err)
		}
		out[page.Location] = page.Mdast
	}
	return out, nil
}

// siteCell is one executed code cell of a page: its source and its Jupyter outputs.
type siteCell struct {
	code    string
	outputs []map[string]any
}

// codeCells lists the notebook-code blocks of a page's mdast in order.
func codeCells(n map[string]any) []siteCell {
	var out []siteCell
	if n["type"] == "block" && n["kind"] == "notebook-code" {
		var c siteCell
		for _, ch := range children(n) {
			switch ch["type"] {
			case "code":
				c.code, _ = ch["value"].(string)
			case "outputs":
				for _, o := range children(ch) {
					if jd, ok := o["jupyter_data"].(map[string]any); ok {
						c.outputs = append(c.outputs, jd)
					}
				}
			}
		}
		return append(out, c)
	}
	for _, ch := range children(n) {
		out = append(out, codeCells(ch)...)
	}
	return out
}

func children(n map[string]any) []map[string]any {
	list, _ := n["children"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, c := range list {
		if m, ok := c.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// codeCellLines gives the line of each code cell's opening fence in a MyST notebook.
func codeCellLines(path string) []int {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []int
	for i, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimLeft(line, " "), "```{code-cell}") {
			out = append(out, i+1)
		}
	}
	return out
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
