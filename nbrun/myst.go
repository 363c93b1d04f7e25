package nbrun

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// codeCellFence matches the opening fence of a jupytext MyST cell: ```{code-cell} gokist
// (or {raw-cell}); a longer backtick or tilde fence is allowed, as in MyST.
var codeCellFence = regexp.MustCompile("^(`{3,}|~{3,})\\{(code-cell|raw-cell)\\}\\s*(.*)$")

// plainFence matches the opening of an ordinary fenced code block inside markdown.
var plainFence = regexp.MustCompile("^\\s{0,3}(`{3,}|~{3,})")

// cellOption matches a short-form cell option line such as `:tags: [skip-execution]`.
var cellOption = regexp.MustCompile(`^:([A-Za-z_][\w-]*):\s*(.*)$`)

// yamlLine finds the line number in a yaml.v3 error message.
var yamlLine = regexp.MustCompile(`line (\d+)`)

// ParseMyST reads a jupytext MyST markdown notebook: YAML front matter between `---`
// lines with a kernelspec (and usually jupytext settings), code cells as
// ```{code-cell} LANG fences with optional `:key: value` lines or a `---` YAML block of
// cell metadata, and markdown between them, split further on `+++` lines.
func ParseMyST(data []byte) (*Notebook, error) {
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	lines := strings.Split(text, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	nb := &Notebook{Metadata: map[string]any{}}

	// Front matter.
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return nil, fmt.Errorf("line 1: no front matter: a jupytext MyST notebook starts with a `---` line, YAML with a kernelspec, and a closing `---`")
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimRight(lines[i], " \t") == "---" {
			end = i
			break
		}
	}
	if end < 0 {
		return nil, fmt.Errorf("line 1: front matter opened here is never closed: add a `---` line after its YAML")
	}
	front := strings.Join(lines[1:end], "\n")
	for i := 1; i < end; i++ {
		if strings.HasPrefix(lines[i], "\t") || strings.HasPrefix(strings.TrimLeft(lines[i], " "), "\t") {
			return nil, fmt.Errorf("front matter line %d: bad YAML: a tab in the indentation (YAML indents with spaces)", i+1)
		}
	}
	if err := yaml.Unmarshal([]byte(front), &nb.Metadata); err != nil {
		return nil, fmt.Errorf("front matter (lines 1-%d): bad YAML: %s", end+1, shiftYAMLLines(err.Error(), 1))
	}
	nb.Metadata = jsonMap(nb.Metadata)
	if err := checkFrontMatter(nb.Metadata, end+1); err != nil {
		return nil, err
	}

	// Body.
	var md []string
	mdStart := end + 2 // 1-based line of the first markdown line
	var mdMeta map[string]any
	flush := func(nextLine int) {
		src, offset := trimBlankLines(md)
		if src != "" || mdMeta != nil {
			nb.Cells = append(nb.Cells, &Cell{Type: MarkdownCell, Source: src, Metadata: orEmpty(mdMeta), Line: mdStart + offset})
		}
		md, mdMeta, mdStart = nil, nil, nextLine
	}
	for i := end + 1; i < len(lines); i++ {
		line := lines[i]
		lineNo := i + 1
		if m := codeCellFence.FindStringSubmatch(line); m != nil {
			flush(lineNo)
			cell, next, err := parseCodeCell(lines, i, m)
			if err != nil {
				return nil, err
			}
			nb.Cells = append(nb.Cells, cell)
			i = next // the closing fence
			mdStart = next + 2
			continue
		}
		if t := strings.TrimRight(line, " \t"); strings.HasPrefix(t, "+++") && strings.Trim(t[:3], "+") == "" && (len(t) == 3 || t[3] == ' ') {
			flush(lineNo + 1)
			if rest := strings.TrimSpace(t[3:]); rest != "" {
				if err := json.Unmarshal([]byte(rest), &mdMeta); err != nil {
					return nil, fmt.Errorf("line %d: cell metadata after `+++` is not JSON: %v", lineNo, err)
				}
			}
			continue
		}
		if m := plainFence.FindStringSubmatch(line); m != nil {
			// An ordinary code block in markdown: copy it through unparsed so that a
			// ```{code-cell} shown inside it as an example does not start a cell.
			md = append(md, line)
			for i++; i < len(lines); i++ {
				md = append(md, lines[i])
				if closesFence(lines[i], m[1]) {
					break
				}
			}
			continue
		}
		md = append(md, line)
	}
	flush(len(lines) + 1)
	nb.ensureIDs()
	return nb, nil
}

// checkFrontMatter insists on a kernelspec with a name and, when jupytext settings are
// present, on the MyST format.
func checkFrontMatter(meta map[string]any, closeLine int) error {
	ks, ok := meta["kernelspec"].(map[string]any)
	if !ok {
		if _, present := meta["kernelspec"]; present {
			return fmt.Errorf("front matter (lines 1-%d): kernelspec must be a mapping with name, display_name and language", closeLine)
		}
		return fmt.Errorf("front matter (lines 1-%d): no kernelspec: add\n  kernelspec:\n    name: gokist\n    display_name: gokist\n    language: gokist", closeLine)
	}
	name, _ := ks["name"].(string)
	if name == "" {
		return fmt.Errorf("front matter (lines 1-%d): kernelspec has no name (want e.g. `name: gokist`)", closeLine)
	}
	if dn, _ := ks["display_name"].(string); dn == "" {
		ks["display_name"] = name
	}
	if jt, ok := meta["jupytext"].(map[string]any); ok {
		if tr, ok := jt["text_representation"].(map[string]any); ok {
			if f, _ := tr["format_name"].(string); f != "" && f != "myst" {
				return fmt.Errorf("front matter (lines 1-%d): jupytext format_name is %q; this reader handles myst", closeLine, f)
			}
		}
	}
	return nil
}

// parseCodeCell reads the cell whose opening fence is lines[open]; it returns the cell
// and the index of the closing fence line.
func parseCodeCell(lines []string, open int, m []string) (*Cell, int, error) {
	fence, kind := m[1], m[2]
	cell := &Cell{Type: CodeCell, Metadata: map[string]any{}}
	if kind == "raw-cell" {
		cell.Type = RawCell
	}
	i := open + 1
	// Cell options: a YAML block between `---` lines, or `:key: value` lines.
	if i < len(lines) && strings.TrimSpace(lines[i]) == "---" {
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) != "---" {
			if closesFence(lines[j], fence) {
				return nil, 0, fmt.Errorf("line %d: the cell options block opened at line %d is never closed with `---`", j+1, i+1)
			}
			j++
		}
		if j == len(lines) {
			return nil, 0, fmt.Errorf("line %d: the cell options block is never closed with `---`", i+1)
		}
		if err := yaml.Unmarshal([]byte(strings.Join(lines[i+1:j], "\n")), &cell.Metadata); err != nil {
			return nil, 0, fmt.Errorf("line %d: bad YAML in cell options: %s", i+1, shiftYAMLLines(err.Error(), i+1))
		}
		cell.Metadata = jsonMap(cell.Metadata)
		i = j + 1
	} else {
		for i < len(lines) {
			om := cellOption.FindStringSubmatch(lines[i])
			if om == nil {
				break
			}
			var v any
			if err := yaml.Unmarshal([]byte(om[2]), &v); err != nil {
				return nil, 0, fmt.Errorf("line %d: bad value for cell option %q: %s", i+1, om[1], shiftYAMLLines(err.Error(), i))
			}
			cell.Metadata[om[1]] = jsonValue(v)
			i++
		}
	}
	start := i
	for ; i < len(lines); i++ {
		if closesFence(lines[i], fence) {
			cell.Source = strings.Join(lines[start:i], "\n")
			cell.Line = start + 1
			return cell, i, nil
		}
	}
	return nil, 0, fmt.Errorf("line %d: the %s opened here is never closed (expected a line %s)", open+1, "{"+kind+"}", fence)
}

// closesFence reports whether line closes a fence opened with fence: the same character,
// at least as many, and nothing else on the line.
func closesFence(line, fence string) bool {
	t := strings.TrimSpace(line)
	return len(t) >= len(fence) && strings.Trim(t, fence[:1]) == "" && len(line)-len(strings.TrimLeft(line, " ")) <= 3
}

// trimBlankLines joins lines without the leading and trailing blank ones; offset is how
// many leading lines were dropped.
func trimBlankLines(lines []string) (string, int) {
	offset := 0
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines, offset = lines[1:], offset+1
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n"), offset
}

// shiftYAMLLines rewrites "line N" in a yaml.v3 message to a line of the whole file;
// yaml.v3 sometimes reports the line before the problem, hence "near".
func shiftYAMLLines(msg string, offset int) string {
	msg = strings.TrimPrefix(msg, "yaml: ")
	return yamlLine.ReplaceAllStringFunc(msg, func(s string) string {
		n, _ := strconv.Atoi(strings.TrimPrefix(s, "line "))
		return fmt.Sprintf("near line %d", n+offset)
	})
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// jsonMap returns m with every nested value made encodable as JSON (see jsonValue), and
// an empty map for nil, since notebook metadata is written to .ipynb as JSON.
func jsonMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = jsonValue(v)
	}
	return out
}

// jsonValue turns what yaml.v3 decodes into values encoding/json accepts: YAML allows
// mappings with non-string keys (`1: a`), which decode as map[any]any; their keys
// become their text, as jupytext does when it writes them to JSON.
func jsonValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return jsonMap(x)
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = jsonValue(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	}
	return v
}
