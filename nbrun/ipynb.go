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
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
