// Package nbrun owns headless notebook runs: it reads jupytext MyST markdown and .ipynb
// notebooks, starts a Jupyter kernel as a separate process, drives it over ZeroMQ with
// signed messages the way Jupyter clients do, collects each cell's outputs, and writes
// the executed notebook as nbformat 4.5 .ipynb and as a self-contained HTML page.
package nbrun

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gokist/fits"
)

// Cell types, as nbformat names them.
const (
	CodeCell     = "code"
	MarkdownCell = "markdown"
	RawCell      = "raw"
)

// Tags that change how a cell runs; nbclient and jupyter-book use the same names.
const (
	// TagSkipExecution keeps a code cell in the output but never sends it to the kernel.
	TagSkipExecution = "skip-execution"
	// TagRaisesException lets a cell end in an error without failing the run.
	TagRaisesException = "raises-exception"
)

// Notebook is a notebook in memory: its cells and notebook-level metadata (kernelspec,
// jupytext, language_info).
type Notebook struct {
	// Path is where the notebook was read from; empty for a notebook built in memory.
	Path     string
	Metadata map[string]any
	Cells    []*Cell
}

// Cell is one notebook cell. Outputs and ExecutionCount are filled by a run.
type Cell struct {
	ID       string
	Type     string // CodeCell, MarkdownCell or RawCell
	Source   string
	Metadata map[string]any
	// Line is the 1-based line of the source file where the cell's text starts (0 when
	// the notebook came from .ipynb), so that errors can point into the .md file.
	Line           int
	ExecutionCount *int
	Outputs        []map[string]any
}

// Tags lists the cell's metadata.tags.
func (c *Cell) Tags() []string {
	var out []string
	switch t := c.Metadata["tags"].(type) {
	case []any:
		for _, v := range t {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
	case []string:
		out = append(out, t...)
	}
	return out
}

// HasTag reports whether the cell carries tag.
func (c *Cell) HasTag(tag string) bool { return slices.Contains(c.Tags(), tag) }

// FirstLine is the first non-blank line of the cell's source, for messages.
func (c *Cell) FirstLine() string {
	for _, l := range strings.Split(c.Source, "\n") {
		if strings.TrimSpace(l) != "" {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

// Kernelspec returns the notebook's metadata.kernelspec name, or "".
func (nb *Notebook) Kernelspec() string {
	ks, _ := nb.Metadata["kernelspec"].(map[string]any)
	name, _ := ks["name"].(string)
	return name
}

// Name is the notebook's file name without its extension, used for output files.
func (nb *Notebook) Name() string {
	base := filepath.Base(nb.Path)
	if nb.Path == "" {
		return "notebook"
	}
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// ReadFile reads a notebook by its extension: .md (jupytext MyST) or .ipynb (nbformat 4).
func ReadFile(path string) (*Notebook, error) {
	// A named pipe (or a device) would block the read or never end: only regular files.
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("notebook %s: not a regular file (%s)", path, fits.FileKind(st.Mode()))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("notebook %s: no such file", path)
		}
		return nil, fmt.Errorf("notebook %s: %w", path, err)
	}
	var nb *Notebook
	switch strings.ToLower(filepath.Ext(path)) {
	case ".md", ".myst", ".mnb":
		nb, err = ParseMyST(data)
	case ".ipynb":
		nb, err = ParseIPYNB(data)
	default:
		return nil, fmt.Errorf("notebook %s: unknown extension %q (want .md or .ipynb)", path, filepath.Ext(path))
	}
	if err == nil {
		err = nb.checkTags()
	}
	if err != nil {
		return nil, fmt.Errorf("notebook %s: %w", path, err)
	}
	nb.Path = path
	return nb, nil
}

// checkTags makes sure every cell's metadata.tags is a list of strings, as nbformat's
// schema requires: a string such as tags: skip-execution would otherwise be ignored
// and the cell run.
func (nb *Notebook) checkTags() error {
	for i, c := range nb.Cells {
		v, ok := c.Metadata["tags"]
		if !ok {
			continue
		}
		where := fmt.Sprintf("cell %d", i+1)
		if c.Line > 0 {
			where += fmt.Sprintf(" (line %d)", c.Line)
		}
		list, ok := v.([]any)
		if _, isStrings := v.([]string); isStrings {
			continue
		}
		if !ok {
			return fmt.Errorf("%s: metadata tags must be a list of strings, not %s (write tags: [%v])", where, jsonKind(v), v)
		}
		for _, t := range list {
			if _, ok := t.(string); !ok {
				return fmt.Errorf("%s: metadata tags must be a list of strings, but holds %s %v", where, jsonKind(t), t)
			}
		}
	}
	return nil
}

// jsonKind names the JSON (or YAML) type of a decoded value.
func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case float64, int, int64, uint64:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	case map[string]any:
		return "a mapping"
	}
	return fmt.Sprintf("a %T", v)
}

// newCellID makes a random nbformat 4.5 cell id (8 hex digits, as Jupyter does).
func newCellID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ensureIDs gives every cell a unique valid id, keeping ids that are already valid.
func (nb *Notebook) ensureIDs() {
	seen := map[string]bool{}
	for _, c := range nb.Cells {
		if !validCellID(c.ID) || seen[c.ID] {
			c.ID = newCellID()
			for seen[c.ID] {
				c.ID = newCellID()
			}
		}
		seen[c.ID] = true
	}
}

func validCellID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
