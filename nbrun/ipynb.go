package nbrun

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ParseIPYNB reads an nbformat 4 notebook (.ipynb JSON). Sources given as lists of lines
// are joined; existing outputs are kept.
func ParseIPYNB(data []byte) (*Notebook, error) {
	var raw struct {
		NBFormat int              `json:"nbformat"`
		Metadata map[string]any   `json:"metadata"`
		Cells    []map[string]any `json:"cells"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("not a notebook: bad JSON: %w", err)
	}
	if raw.NBFormat != 4 {
		return nil, fmt.Errorf("nbformat %d is not supported (want 4)", raw.NBFormat)
	}
	nb := &Notebook{Metadata: orEmpty(raw.Metadata)}
	for i, rc := range raw.Cells {
		c := &Cell{}
		c.Type, _ = rc["cell_type"].(string)
		switch c.Type {
		case CodeCell, MarkdownCell, RawCell:
		default:
			return nil, fmt.Errorf("cell %d: unknown cell_type %q", i+1, c.Type)
		}
		c.ID, _ = rc["id"].(string)
		c.Source = joinSource(rc["source"])
		c.Metadata, _ = rc["metadata"].(map[string]any)
		c.Metadata = orEmpty(c.Metadata)
		if n, ok := rc["execution_count"].(float64); ok {
			k := int(n)
			c.ExecutionCount = &k
		}
		if outs, ok := rc["outputs"].([]any); ok {
			for _, o := range outs {
				if om, ok := o.(map[string]any); ok {
					c.Outputs = append(c.Outputs, om)
				}
			}
		}
		nb.Cells = append(nb.Cells, c)
	}
	nb.ensureIDs()
	return nb, nil
}

// joinSource turns an nbformat multiline string (a string or a list of strings) into one.
func joinSource(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case []any:
		var b strings.Builder
		for _, p := range s {
			if ps, ok := p.(string); ok {
				b.WriteString(ps)
			}
		}
		return b.String()
	}
	return ""
}

// splitLines turns text into nbformat's list-of-lines form, each line keeping its "\n".
func splitLines(s string) []string {
	out := []string{}
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// MarshalIPYNB renders the notebook as nbformat 4.5 JSON, with cell ids, metadata
// (kernelspec, language_info when known) and outputs.
func (nb *Notebook) MarshalIPYNB() ([]byte, error) {
	nb.ensureIDs()
	cells := make([]map[string]any, 0, len(nb.Cells))
	for _, c := range nb.Cells {
		cell := map[string]any{
			"id":        c.ID,
			"cell_type": c.Type,
			"metadata":  orEmpty(c.Metadata),
			"source":    splitLines(c.Source),
		}
		if c.Type == CodeCell {
			if c.ExecutionCount != nil {
				cell["execution_count"] = *c.ExecutionCount
			} else {
				cell["execution_count"] = nil
			}
			outs := c.Outputs
			if outs == nil {
				outs = []map[string]any{}
			}
			cell["outputs"] = outs
		}
		cells = append(cells, cell)
	}
	meta := map[string]any{}
	for k, v := range nb.Metadata {
		meta[k] = v
	}
	doc := map[string]any{
		"nbformat":       4,
		"nbformat_minor": 5,
		"metadata":       meta,
		"cells":          cells,
	}
	out, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		return nil, fmt.Errorf("encoding notebook: %w", err)
	}
	return append(out, '\n'), nil
}

// WriteIPYNB writes the notebook as nbformat 4.5 JSON to path, creating its directory.
func (nb *Notebook) WriteIPYNB(path string) error {
	data, err := nb.MarshalIPYNB()
	if err != nil {
		return err
	}
	return writeReplacing(path, data)
}

// writeReplacing writes data to path through a temporary file in the same directory
// renamed over path: a run that fails or is interrupted half-way never leaves a
// truncated file, and an existing symbolic link at path is replaced, not followed.
func writeReplacing(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if st, err := os.Lstat(path); err == nil && st.IsDir() {
		return fmt.Errorf("writing %s: it is a directory", path)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// WriteOutputs writes the executed notebook as base.ipynb and base.html, refusing to
// overwrite its input: the input itself (an .ipynb run with -o its own directory, or an
// output path that is a link to it), or the .ipynb beside an .md input, which is its
// jupytext pair or another notebook of the user's.
func (nb *Notebook) WriteOutputs(base string) error {
	if err := nb.CheckOutputs(base); err != nil {
		return err
	}
	if nb.Path != "" {
		// Marks the file as a run's output, which a later run may replace.
		nb.Metadata[runOutputKey] = map[string]any{"run_of": filepath.Base(nb.Path)}
	}
	if err := nb.WriteIPYNB(base + ".ipynb"); err != nil {
		return err
	}
	return nb.WriteHTML(base + ".html")
}

// CheckOutputs says whether WriteOutputs(base) may write, so that a run that could not
// save its results is refused before it starts.
func (nb *Notebook) CheckOutputs(base string) error {
	for _, out := range []string{base + ".ipynb", base + ".html"} {
		if err := nb.checkNotInput(out); err != nil {
			return err
		}
	}
	return nil
}

// checkNotInput refuses an output path that would overwrite the notebook's input.
func (nb *Notebook) checkNotInput(out string) error {
	if nb.Path == "" {
		return nil
	}
	in, err := os.Stat(nb.Path)
	if err != nil {
		return nil
	}
	hint := "give another output directory with -o"
	if st, err := os.Stat(out); err == nil && os.SameFile(in, st) {
		return fmt.Errorf("not writing %s: it is the input notebook %s; %s", out, nb.Path, hint)
	}
	if strings.ToLower(filepath.Ext(nb.Path)) == ".ipynb" || strings.ToLower(filepath.Ext(out)) != ".ipynb" {
		return nil
	}
	if _, err := os.Lstat(out); err != nil {
		return nil
	}
	meta := ipynbMetadata(out)
	if _, ours := meta[runOutputKey]; ours {
		return nil
	}
	inDir, _ := filepath.Abs(filepath.Dir(nb.Path))
	outDir, _ := filepath.Abs(filepath.Dir(out))
	if sameDir(inDir, outDir) {
		return fmt.Errorf("not writing %s: it is the notebook beside the input %s (its jupytext pair, or another of yours) and would be overwritten; %s", out, nb.Path, hint)
	}
	if jt, _ := meta["jupytext"].(map[string]any); jt != nil {
		if formats, _ := jt["formats"].(string); strings.Contains(formats, "md") {
			return fmt.Errorf("not writing %s: it is a jupytext-paired notebook (formats %q), not an output of gokist run, and would be overwritten; %s", out, formats, hint)
		}
	}
	return nil
}

// runOutputKey is the notebook metadata key that marks a file written by gokist run.
const runOutputKey = "gokist"

// ipynbMetadata reads the notebook-level metadata of an .ipynb file (nil when it cannot
// be read as one).
func ipynbMetadata(path string) map[string]any {
	if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var doc struct {
		Metadata map[string]any `json:"metadata"`
	}
	if json.Unmarshal(data, &doc) != nil {
		return nil
	}
	return doc.Metadata
}

// sameDir reports whether two absolute directory paths name the same directory.
func sameDir(a, b string) bool {
	if a == b {
		return true
	}
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}
